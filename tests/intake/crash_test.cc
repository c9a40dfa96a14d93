// A process killed with SIGKILL in the middle of an ingest loses no committed
// message and leaves no half-stored one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "base/hash.h"
#include "store/store.h"
#include "support/test_support.h"
#include "synth/generator.h"

namespace vigil {
namespace {

int64_t QueryInt(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  int64_t v = -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

TEST(CrashTest, KillDuringIngestLosesNothingCommitted) {
  const std::string dir = testing::TempDir();
  const std::string inbox = dir + "/inbox";
  ASSERT_EQ(mkdir(inbox.c_str(), 0700), 0);
  TrafficGenerator gen(42);
  constexpr int kFiles = 400, kTravellers = 60;
  std::map<std::string, int> expected_travellers;  // sha256 -> travellers
  for (int i = 0; i < kFiles; ++i) {
    const std::string bytes = gen.Paxlst(1000 + i, kTravellers);
    char name[64];
    std::snprintf(name, sizeof name, "/m%04d.edi", i);
    std::ofstream(inbox + name, std::ios::binary) << bytes;
    expected_travellers[sha256_hex(bytes)] = kTravellers;
  }
  const std::string db_path = dir + "/v.db";

  // Kill the ingest at several points in time; each run resumes the work.
  for (int delay_ms : {60, 150, 300}) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execl(VIGIL_BINARY, "vigil", "ingest", "--db", db_path.c_str(), inbox.c_str(), nullptr);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), 0);
    // Killed before the schema was committed: an empty database, nothing lost.
    if (QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'raw_messages'") == 0) {
      sqlite3_close(db);
      continue;
    }
    // Every archived message has all of its travellers, and no traveller
    // exists without its archived message.
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT r.sha256, count(t.id) FROM raw_messages r "
                                 "LEFT JOIN manifests m ON m.message_id = r.id "
                                 "LEFT JOIN api_travellers t ON t.manifest_id = m.id GROUP BY r.id",
                                 -1, &st, nullptr),
              SQLITE_OK);
    int stored = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const std::string sha = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      ASSERT_TRUE(expected_travellers.count(sha));
      EXPECT_EQ(sqlite3_column_int(st, 1), expected_travellers[sha]);
      ++stored;
    }
    sqlite3_finalize(st);
    EXPECT_EQ(QueryInt(db, "SELECT count(*) FROM api_travellers"), stored * kTravellers);
    sqlite3_close(db);
  }

  // A last, uninterrupted run stores the rest exactly once.
  auto r = testing::RunVigil({"ingest", "--json", "--db", db_path, inbox});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto store = OpenSqliteStore(db_path);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Counts()->raw_messages, kFiles);
  EXPECT_EQ((*store)->Counts()->api_travellers, kFiles * kTravellers);
}

}  // namespace
}  // namespace vigil
