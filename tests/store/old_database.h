// A database as an earlier version of the program left it, for tests of
// migrations: the first `version` migrations applied, then `sql`.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/schema.h"

namespace vigil::testing {

inline void WriteOldDatabase(const std::string& path, size_t version, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto& all = sqlite::migrations();
  ASSERT_GT(all.size(), version);
  std::string script;
  for (size_t i = 0; i < version; ++i) script += std::string(all[i]) + ";\n";
  script += "PRAGMA user_version = " + std::to_string(version) + ";" + sql;
  char* err = nullptr;
  const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

}  // namespace vigil::testing
