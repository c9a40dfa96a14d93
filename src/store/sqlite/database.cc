#include "store/sqlite/database.h"

#include "store/sqlite/schema.h"

namespace vigil::sqlite {

Status Database::Init() {
  if (auto s = Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
      !s.ok())
    return s;
  return Migrate();
}

Status Database::Migrate() {
  Stmt v;
  if (auto s = v.Prepare(db_, "PRAGMA user_version"); !s.ok()) return s;
  const int64_t version = v.Row() ? v.Int(0) : 0;
  const auto& all = sqlite::migrations();
  if (version > static_cast<int64_t>(all.size()))
    return Status::Error("database schema version " + std::to_string(version) +
                         " is newer than this program knows (" + std::to_string(all.size()) + ")");
  for (size_t i = static_cast<size_t>(version); i < all.size(); ++i) {
    std::string sql = "BEGIN; " + std::string(all[i]) + "; PRAGMA user_version = " +
                      std::to_string(i + 1) + "; COMMIT;";
    if (auto s = Exec(sql.c_str()); !s.ok()) {
      Exec("ROLLBACK");
      return Status::Error("migration " + std::to_string(i + 1) + " failed: " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
