#include <gtest/gtest.h>

#include "formats/detect.h"
#include "intake/ingest.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

const HashKey kKey = HashKey::ForTesting();

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/v.db";
    auto s = OpenSqliteStore(path_, FixedClock(1795000000));
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
  }

  StoreOutcome StoreSample(const std::string& name) {
    const std::string bytes = testing::ReadSample(name);
    ParseOptions o;
    o.file = name;
    o.card_key = &kKey;
    o.reference_year = 2026;
    ParsedInput p = parse_input(bytes, o);
    EXPECT_TRUE(p.accepted()) << name;
    IncomingMessage m{bytes, name, "edifact", &p.manifests, &p.pushes, 0};
    auto r = store_->StoreMessage(m);
    EXPECT_TRUE(r.ok()) << r.error();
    return r.ok() ? *r : StoreOutcome{};
  }

  StoreCounts Counts() { return *store_->Counts(); }

  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, SameBytesTwiceIsStoredOnce) {
  auto first = StoreSample("paxlst-ba0117-passengers.edi");
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.travellers, 3u);
  auto again = StoreSample("paxlst-ba0117-passengers.edi");
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message_id, first.message_id);
  auto c = Counts();
  EXPECT_EQ(c.raw_messages, 1);
  EXPECT_EQ(c.api_travellers, 3);
  EXPECT_EQ(c.flights, 1);
}

TEST_F(SqliteStoreTest, RawBytesAreArchivedExactly) {
  const std::string bytes = testing::ReadSample("paxlst-ac0871-crew.edi");
  StoreSample("paxlst-ac0871-crew.edi");
  auto raw = store_->RawMessage(sha256_hex(bytes));
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(raw->has_value());
  EXPECT_EQ(**raw, bytes);
}

TEST_F(SqliteStoreTest, PnrPushedAgainKeepsVersionsAndOneCurrent) {
  StoreSample("pnrgov-ba0117-72h.edi");
  StoreSample("pnrgov-ba0117-24h.edi");
  auto v = store_->PnrVersions("BA", "K7QX2M");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);
  EXPECT_FALSE((*v)[0].current);
  EXPECT_TRUE((*v)[1].current);
  EXPECT_EQ((*v)[1].last_changed, "2026-11-21T08:15");
  // The other PNR did not change between pushes: still one version.
  auto same = store_->PnrVersions("BA", "P9ZZ4L");
  ASSERT_EQ(same->size(), 1u);
  EXPECT_TRUE((*same)[0].current);
  auto c = Counts();
  EXPECT_EQ(c.pnrs, 2);
  EXPECT_EQ(c.pnr_versions, 3);
}

TEST_F(SqliteStoreTest, OlderVersionArrivingLateDoesNotBecomeCurrent) {
  StoreSample("pnrgov-ba0117-24h.edi");
  StoreSample("pnrgov-ba0117-72h.edi");
  auto v = *store_->PnrVersions("BA", "K7QX2M");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[0].current);   // the -24 h version, which arrived first
  EXPECT_FALSE(v[1].current);
}

TEST_F(SqliteStoreTest, ApiAndPnrOfOneTravellerAreLinkedWhicheverComesFirst) {
  auto api = StoreSample("paxlst-ba0117-passengers.edi");
  EXPECT_EQ(api.links_added, 0u);
  auto pnr = StoreSample("pnrgov-ba0117-72h.edi");
  // OKONKWO (document), O'BRIEN (document); MUELLER LUEDENSCHEIDT (document)
  EXPECT_EQ(pnr.links_added, 3u);

  SetUp();  // a fresh database, other order
  StoreSample("pnrgov-ba0117-72h.edi");
  auto api2 = StoreSample("paxlst-ba0117-passengers.edi");
  EXPECT_EQ(api2.links_added, 3u);
}

TEST_F(SqliteStoreTest, LinksFollowTheCurrentVersion) {
  StoreSample("paxlst-ba0117-passengers.edi");
  StoreSample("pnrgov-ba0117-72h.edi");
  auto v2 = StoreSample("pnrgov-ba0117-24h.edi");
  EXPECT_EQ(v2.links_added, 2u);  // the new K7QX2M version's two travellers
  EXPECT_EQ(Counts().links, 5);
}

TEST_F(SqliteStoreTest, FlightNumbersWithLeadingZerosAreOneFlight) {
  ParseOptions o;
  o.reference_year = 2026;
  const std::string api =
      "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+BA0117+++BA'LOC+125+LHR'"
      "DTM+189:2611231025:201'LOC+87+JFK'NAD+FL+++DOE:JOHN'UNT+8+1'";
  const std::string pnr =
      "UNH+1+PNRGOV:13:1:IA'TVL+231126:1025+LHR+JFK+ba+117'SRC'RCI+BA:ABC123'TIF+DOE+JOHN MR'"
      "UNT+6+1'";
  for (const std::string* bytes : {&api, &pnr}) {
    ParsedInput p = parse_input(*bytes, o);
    ASSERT_TRUE(p.accepted());
    IncomingMessage m{*bytes, "x", "edifact", &p.manifests, &p.pushes, 0};
    ASSERT_TRUE(store_->StoreMessage(m).ok());
  }
  auto c = Counts();
  EXPECT_EQ(c.flights, 1);
  EXPECT_EQ(c.links, 1);  // by name: DOE/JOHN, title dropped
}

WatchEntry Entry(const std::string& ref, const std::string& name) {
  WatchEntry e;
  e.list = "l";
  e.reference = ref;
  WatchName n;
  n.full = name;
  n.primary = true;
  e.names.push_back(n);
  e.birth_dates = {"1970"};
  return e;
}

TEST_F(SqliteStoreTest, ListVersionsKeepEveryVersionAndOneActive) {
  bool unchanged = true;
  auto v1 = store_->StoreListVersion("l", "jsonl", "h1", {Entry("A", "Ann One"), Entry("B", "Bob Two")},
                                     &unchanged);
  ASSERT_TRUE(v1.ok()) << v1.error();
  EXPECT_FALSE(unchanged);
  EXPECT_EQ(v1->version, 1);
  auto same = store_->StoreListVersion("l", "jsonl", "h1", {Entry("B", "Bob Two"), Entry("A", "Ann One")},
                                       &unchanged);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(unchanged);
  EXPECT_EQ(same->version, 1);
  auto v2 = store_->StoreListVersion("l", "jsonl", "h2", {Entry("A", "Ann Changed"), Entry("C", "Cy")},
                                     &unchanged);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  auto versions = *store_->ListVersions("l");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_FALSE(versions[0].active);
  EXPECT_TRUE(versions[1].active);
  auto active = *store_->ListEntries("l", 0);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].names[0].full, "Ann Changed");
  auto old = *store_->ListEntries("l", 1);
  ASSERT_EQ(old.size(), 2u);
  EXPECT_EQ(old[1].reference, "B");
  EXPECT_EQ(old[1].birth_dates, (std::vector<std::string>{"1970"}));
}

TEST_F(SqliteStoreTest, QuarantineKeepsBytesAndReasonOnce) {
  bool fresh = false;
  auto id = store_->Quarantine("garbage", "g.edi", "g.edi:1:1: not a message", &fresh);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(fresh);
  auto again = store_->Quarantine("garbage", "g2.edi", "same", &fresh);
  EXPECT_FALSE(fresh);
  EXPECT_EQ(*again, *id);
  auto q = *store_->QuarantineEntries();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].raw, "garbage");
  EXPECT_EQ(q[0].reason, "g.edi:1:1: not a message");
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndSchema) {
  StoreSample("paxlst-ba0117-passengers.edi");
  store_.reset();
  auto s = OpenSqliteStore(path_);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ((*s)->Counts()->api_travellers, 3);
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  store_.reset();
  const std::string cmd = "sqlite3 '" + path_ + "' 'PRAGMA user_version = 999'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto s = OpenSqliteStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("newer"), std::string::npos);
}

TEST_F(SqliteStoreTest, UnwritableLocationIsAnError) {
  auto s = OpenSqliteStore("/proc/vigil-cannot-be-here/v.db");
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace vigil
