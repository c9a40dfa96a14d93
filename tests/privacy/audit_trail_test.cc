#include "privacy/audit_trail.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace vigil {
namespace {

using testing::ManualClock;

constexpr int64_t kStart = 1795000000;

// A store with 20 access-log entries, a checkpoint after the 15th, and one
// at the end; each test tampers with its own copy outside Vigil.
class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir();
    db_ = dir_ + "/audit.db";
    clock_ = std::make_shared<ManualClock>(kStart);
    auto key = AuditSigner::LoadOrCreate(dir_ + "/audit.key");
    ASSERT_TRUE(key.ok()) << key.error();
    key_ = std::make_unique<AuditSigner>(*key);
    auto store = OpenSqliteStore(db_, clock_);
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 20; ++i) {
      AuditEntry e;
      e.actor = i % 2 ? "ana" : "token:gate-4";
      e.action = "read alerts";
      e.object = "alert:" + std::to_string(i);
      e.purpose = "case " + std::to_string(100 + i);
      e.remote = "10.0.0." + std::to_string(i);
      e.outcome = "ok";
      ASSERT_TRUE((*store)->Audit(e).ok());
      clock_->Advance(60);
      if (i == 15) {
        ASSERT_TRUE(checkpoint_audit_trail(store->get(), *key_, *clock_).ok());
      }
    }
    ASSERT_TRUE(checkpoint_audit_trail(store->get(), *key_, *clock_).ok());
  }

  // Runs `sql` on the database file as someone outside Vigil would: the
  // append-only triggers dropped first.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    const std::string all = "DROP TRIGGER access_log_append_only_update; DROP TRIGGER access_log_append_only_delete; " + sql;
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  AuditVerdict Verify() {
    auto store = OpenSqliteStore(db_, clock_);
    EXPECT_TRUE(store.ok());
    auto chain = (*store)->AuditChain();
    auto checkpoints = (*store)->AuditCheckpoints();
    EXPECT_TRUE(chain.ok() && checkpoints.ok());
    return verify_audit_trail(*chain, *checkpoints, *key_);
  }

  // The first problem's entry and text.
  static std::pair<int64_t, std::string> First(const AuditVerdict& v) {
    if (v.problems.empty()) return {0, ""};
    return {v.problems.front().entry_id, v.problems.front().what};
  }

  std::string dir_, db_;
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<AuditSigner> key_;
};

TEST_F(AuditTrailTest, AnUntouchedTrailVerifies) {
  const AuditVerdict v = Verify();
  EXPECT_TRUE(v.ok()) << First(v).second;
  EXPECT_EQ(v.entries, 20);
  EXPECT_EQ(v.checkpoints, 2);
  EXPECT_EQ(v.last_checkpoint_entry, 20);
}

TEST_F(AuditTrailTest, TheLogRefusesEditsAndDeletesThroughSql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE access_log SET purpose = 'x' WHERE id = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM access_log WHERE id = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditTrailTest, AnEditedEntryIsFound) {
  Tamper("UPDATE access_log SET purpose = 'no purpose' WHERE id = 7;");
  const auto [at, what] = First(Verify());
  EXPECT_EQ(at, 7);
  EXPECT_EQ(what, "entry 7 does not match its hash: it was edited");
}

TEST_F(AuditTrailTest, ADeletedEntryIsFound) {
  Tamper("DELETE FROM access_log WHERE id = 9;");
  const AuditVerdict v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(First(v), (std::pair<int64_t, std::string>{9, "entry 9 is missing: it was deleted"}));
}

TEST_F(AuditTrailTest, AnInsertedEntryIsFound) {
  // Made to look like the others, with a hash of its own, between 4 and 5.
  Tamper("UPDATE access_log SET id = id + 1000 WHERE id > 4; UPDATE access_log SET id = id - 999 WHERE id > 1004;"
         "INSERT INTO access_log VALUES (5, '2026-11-18T09:00:00Z', 'mallory', 'read alerts', 'alert:1', 'x', '', "
         "'10.6.6.6', 'ok', (SELECT hash FROM access_log WHERE id = 4), 'feed');");
  const auto [at, what] = First(Verify());
  EXPECT_EQ(at, 5);
  EXPECT_EQ(what, "entry 5 does not match its hash: it was edited");
  const AuditVerdict v = Verify();
  bool follows = false;
  for (const auto& p : v.problems) follows = follows || (p.entry_id == 6 && p.what.find("does not follow") != std::string::npos);
  EXPECT_TRUE(follows) << "the entry after the inserted one no longer follows";
}

TEST_F(AuditTrailTest, EntriesMovedOutOfOrderAreFound) {
  // Entries 10 and 11 swap places, hashes and all.
  Tamper("UPDATE access_log SET id = -10 WHERE id = 10; UPDATE access_log SET id = 10 WHERE id = 11;"
         "UPDATE access_log SET id = 11 WHERE id = -10;");
  const auto [at, what] = First(Verify());
  EXPECT_EQ(at, 10);
  EXPECT_EQ(what, "entry 10 does not follow the entry before it: an entry was deleted, inserted or moved here");
}

TEST_F(AuditTrailTest, EntriesDeletedFromTheEndAreFoundByTheCheckpoint) {
  Tamper("DELETE FROM access_log WHERE id > 17;");
  const AuditVerdict v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(First(v).first, 20);
  EXPECT_NE(First(v).second.find("covers entry 20, which is gone"), std::string::npos) << First(v).second;
}

TEST_F(AuditTrailTest, ARewrittenChainIsFoundByTheCheckpoint) {
  // Entry 12 edited and every hash after it recomputed, consistently.
  auto store = OpenSqliteStore(db_, clock_);
  auto chain = *(*store)->AuditChain();
  std::string sql;
  std::string prev = chain[10].hash;  // entry 11
  for (size_t i = 11; i < chain.size(); ++i) {
    AuditEntry e = chain[i];
    if (e.id == 12) e.purpose = "rewritten";
    e.hash = audit_entry_hash(e, prev);
    sql += "UPDATE access_log SET purpose = '" + e.purpose + "', prev_hash = '" + prev + "', hash = '" + e.hash +
           "' WHERE id = " + std::to_string(e.id) + ";";
    prev = e.hash;
  }
  store->reset();
  Tamper(sql);
  const AuditVerdict v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(First(v).first, 15);
  EXPECT_EQ(First(v).second, "entry 15 is not what checkpoint 1 signed: the trail was rewritten up to it");
}

TEST_F(AuditTrailTest, AForgedCheckpointIsFound) {
  Tamper("UPDATE audit_checkpoints SET entry_id = 14 WHERE id = 1;");
  const AuditVerdict v = Verify();
  ASSERT_FALSE(v.ok());
  EXPECT_NE(First(v).second.find("not signed by this installation's audit key"), std::string::npos);
  // Another key does not verify the real checkpoints either.
  auto other = AuditSigner::LoadOrCreate(dir_ + "/other.key");
  auto store = OpenSqliteStore(db_, clock_);
  EXPECT_FALSE(verify_audit_trail(*(*store)->AuditChain(), *(*store)->AuditCheckpoints(), *other).ok());
}

// Kept five years, then pruned to the last checkpoint signed before the
// cutoff: what remains verifies from that signed anchor, and an early
// deletion made to look the same does not.
TEST_F(AuditTrailTest, PrunedAfterItsPeriodTheRestStillVerifies) {
  auto store = OpenSqliteStore(db_, clock_);
  ASSERT_TRUE(store.ok());
  const int keep = 1826;
  EXPECT_EQ(*prune_audit_trail(store->get(), *key_, *clock_, keep), 0) << "nothing is old enough";
  clock_->Advance(int64_t{keep} * 86400 - 200);  // the checkpoint at 15 is past the cutoff; the one at 20 is not
  auto pruned = prune_audit_trail(store->get(), *key_, *clock_, keep);
  ASSERT_TRUE(pruned.ok()) << pruned.error();
  EXPECT_EQ(*pruned, 15);
  const std::string cutoff = format_utc(clock_->now() - int64_t{keep} * 86400);
  auto chain = (*store)->AuditChain();
  auto checkpoints = (*store)->AuditCheckpoints();
  ASSERT_EQ(chain->front().id, 16);
  EXPECT_EQ(chain->back().action, "erase") << "the pruning is itself logged";
  const AuditVerdict v = verify_audit_trail(*chain, *checkpoints, *key_, cutoff);
  EXPECT_TRUE(v.ok()) << First(v).second;
  EXPECT_EQ(v.entries, 6);
  // Without a lawful cutoff the missing start is a deletion.
  EXPECT_EQ(First(verify_audit_trail(*chain, *checkpoints, *key_)).first, 1);
  // Pruned through its last entry, the chain goes on from the anchor.
  clock_->Advance(int64_t{keep} * 86400);
  ASSERT_TRUE(checkpoint_audit_trail(store->get(), *key_, *clock_).ok());
  clock_->Advance(int64_t{keep} * 86400 + 1);
  ASSERT_TRUE(prune_audit_trail(store->get(), *key_, *clock_, keep).ok());
  const AuditVerdict after = verify_audit_trail(*(*store)->AuditChain(), *(*store)->AuditCheckpoints(), *key_,
                                                format_utc(clock_->now() - int64_t{keep} * 86400));
  EXPECT_TRUE(after.ok()) << First(after).second;
  EXPECT_EQ(after.entries, 1);
}

TEST_F(AuditTrailTest, DeletingTheStartEarlyIsFoundEvenUpToACheckpoint) {
  // Someone deletes entries 1-15 (up to a genuine checkpoint) the day after.
  Tamper("DELETE FROM access_log WHERE id <= 15; DELETE FROM audit_checkpoints WHERE entry_id < 15;");
  auto store = OpenSqliteStore(db_, clock_);
  const std::string cutoff = format_utc(clock_->now() + 86400 - int64_t{1826} * 86400);
  const AuditVerdict v = verify_audit_trail(*(*store)->AuditChain(), *(*store)->AuditCheckpoints(), *key_, cutoff);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(First(v).first, 1);
  EXPECT_NE(First(v).second.find("deleted"), std::string::npos) << First(v).second;
}

TEST_F(AuditTrailTest, TheKeyFileIsKeptAndNeverReplaced) {
  const auto status = std::filesystem::status(dir_ + "/audit.key");
  EXPECT_EQ(status.permissions() & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  auto again = AuditSigner::LoadOrCreate(dir_ + "/audit.key");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key_hex(), key_->public_key_hex());
  { std::ofstream(dir_ + "/short.key") << "short"; }
  EXPECT_FALSE(AuditSigner::LoadOrCreate(dir_ + "/short.key").ok());
}

}  // namespace
}  // namespace vigil
