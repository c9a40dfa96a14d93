#include <gtest/gtest.h>

#include <set>

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
  return testing::PersonEntry("l", ref, {name}, {"1970"});
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

// 2026-11-23T00:00:00Z, the departure date of the BA117 and LH400 samples.
constexpr int64_t kSampleDay = 1795392000;
constexpr int64_t kDay = 86400;

TEST_F(SqliteStoreTest, UpcomingTravellersAreApiAndCurrentPnrTravellersFromToday) {
  StoreSample("paxlst-ba0117-passengers.edi");
  StoreSample("pnrgov-ba0117-72h.edi");
  StoreSample("pnrgov-ba0117-24h.edi");  // a new current version of K7QX2M
  StoreSample("pnrgov-xml-push.xml");    // flights of 2025-03-15: long gone
  EXPECT_EQ(Counts().pnr_travellers, 8);

  auto all = store_->UpcomingTravellers();  // the clock says 2026-11-18
  ASSERT_TRUE(all.ok()) << all.error();
  ASSERT_EQ(all->size(), 6u);  // 3 API; 2 (K7QX2M, current version) + 1 (P9ZZ4L)
  std::set<std::pair<TravellerKind, int64_t>> seen;
  for (size_t i = 0; i < all->size(); ++i) {
    const auto& u = (*all)[i];
    EXPECT_EQ(u.kind, i < 3 ? TravellerKind::kApi : TravellerKind::kPnr) << i;
    EXPECT_TRUE(seen.emplace(u.kind, u.id).second) << "returned twice: " << u.id;
    EXPECT_EQ(u.flight_id, (*all)[0].flight_id) << "BA117 is each one's earliest upcoming flight";
    EXPECT_EQ(u.departure_date, "2026-11-23");
  }
  const Traveller& api = (*all)[0].person;
  EXPECT_EQ(api.surname, "OKONKWO");
  EXPECT_EQ(api.given_names, "CHIDI EMEKA");
  EXPECT_EQ(api.birth_date, "1985-02-14");
  EXPECT_EQ(api.nationality, "GBR");
  EXPECT_EQ(api.sex, "M");
  ASSERT_EQ(api.documents.size(), 1u);
  EXPECT_EQ(api.documents[0].number, "533401872");
  const Traveller* found = nullptr;
  for (const auto& u : *all)
    if (u.kind == TravellerKind::kPnr && u.person.surname == "OKONKWO") found = &u.person;
  ASSERT_NE(found, nullptr);
  const Traveller& pnr = *found;
  EXPECT_EQ(pnr.birth_date, "1985-02-14");
  EXPECT_EQ(pnr.sex, "M");
  ASSERT_FALSE(pnr.documents.empty());
  EXPECT_EQ(pnr.documents[0].number, "533401872");
  // The current version's rows, not those of the version it replaced.
  std::set<int64_t> current_ids;
  for (const auto& u : *all)
    if (u.kind == TravellerKind::kPnr) current_ids.insert(u.id);
  EXPECT_EQ(current_ids.count(1) + current_ids.count(2), 0u)
      << "rows 1 and 2 belong to the replaced 72 h version of K7QX2M";

  auto at = [&](int64_t now) {
    auto s = OpenSqliteStore(path_, FixedClock(now));
    EXPECT_TRUE(s.ok());
    auto u = (*s)->UpcomingTravellers();
    EXPECT_TRUE(u.ok());
    return u.ok() ? *u : std::vector<UpcomingTraveller>{};
  };
  EXPECT_EQ(at(kSampleDay + kDay - 1).size(), 6u);  // the day of departure still counts
  // The next day only K7QX2M's travellers remain: their return flight leaves on 30 November.
  const auto later = at(kSampleDay + kDay);
  ASSERT_EQ(later.size(), 2u);
  for (const auto& u : later) {
    EXPECT_EQ(u.kind, TravellerKind::kPnr);
    EXPECT_EQ(u.departure_date, "2026-11-30");
  }
  EXPECT_TRUE(at(kSampleDay + 8 * kDay).empty());
}

TEST_F(SqliteStoreTest, HitsAreRecordedOnceUpdatedOnScoreChangeWithdrawnAndReopened) {
  bool unchanged = false;
  ASSERT_TRUE(store_->StoreListVersion("l", "jsonl", "h1", {Entry("E1", "Ann One")}, &unchanged).ok());
  ASSERT_TRUE(store_->StoreListVersion("l", "jsonl", "h2", {Entry("E1", "Ann Changed")}, &unchanged).ok());
  StoreSample("paxlst-ba0117-passengers.edi");
  auto upcoming = *store_->UpcomingTravellers();
  ASSERT_EQ(upcoming.size(), 3u);
  ScreeningHit h;
  h.traveller_kind = TravellerKind::kApi;
  h.traveller_id = upcoming[0].id;
  h.flight_id = upcoming[0].flight_id;
  h.list = "l";
  h.list_version = 1;
  h.reference = "E1";
  h.score = 0.9;
  h.explanation = R"([{"factor":"name","detail":"x","effect":0.9}])";

  EXPECT_EQ(*store_->RecordHits({h}), 1);
  EXPECT_EQ(*store_->RecordHits({h}), 0);  // the same hit again
  auto open = *store_->Hits("open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].traveller_id, h.traveller_id);
  EXPECT_EQ(open[0].status, "open");
  EXPECT_EQ(open[0].created_at, "2026-11-18T11:06:40Z");
  EXPECT_EQ(open[0].withdrawn_at, "");
  EXPECT_EQ(open[0].flight, "BA117");
  EXPECT_EQ(open[0].departure_date, "2026-11-23");
  EXPECT_EQ(open[0].entry_name, "Ann One");
  EXPECT_EQ(open[0].explanation, h.explanation);

  ScreeningHit changed = h;
  changed.score = 0.95;
  changed.list_version = 2;
  EXPECT_EQ(*store_->RecordHits({changed}), 0);  // updated, not new
  open = *store_->Hits("open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_DOUBLE_EQ(open[0].score, 0.95);
  EXPECT_EQ(open[0].list_version, 2);
  EXPECT_EQ(open[0].entry_name, "Ann Changed");
  ScreeningHit same_score = changed;
  same_score.list_version = 3;
  same_score.explanation = "[]";
  EXPECT_EQ(*store_->RecordHits({same_score}), 0);
  EXPECT_EQ(store_->Hits("open")->at(0).list_version, 2) << "same score: left as it was";

  // Another list's hit with the same reference is not touched below.
  ScreeningHit other = h;
  other.list = "m";
  EXPECT_EQ(*store_->RecordHits({other}), 1);

  const std::vector<TravellerKey> someone_else = {{TravellerKind::kPnr, h.traveller_id}};
  EXPECT_EQ(*store_->WithdrawHits("l", {"E1"}, nullptr, {h}), 0);  // kept
  EXPECT_EQ(*store_->WithdrawHits("l", {"E1"}, &someone_else, {}), 0);  // not among
  EXPECT_EQ(*store_->WithdrawHits("l", {"E2"}, nullptr, {}), 0);  // another entry
  EXPECT_EQ(*store_->WithdrawHits("l", {"E1"}, nullptr, {}), 1);
  EXPECT_EQ(*store_->WithdrawHits("l", {"E1"}, nullptr, {}), 0);  // already withdrawn
  open = *store_->Hits("open");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].list, "m");
  auto withdrawn = *store_->Hits("withdrawn");
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].list, "l");
  EXPECT_EQ(withdrawn[0].status, "withdrawn");
  EXPECT_EQ(withdrawn[0].withdrawn_at, "2026-11-18T11:06:40Z");

  EXPECT_EQ(*store_->RecordHits({h}), 1);  // matching again opens it again
  EXPECT_EQ(store_->Hits("open")->size(), 2u);
  EXPECT_TRUE(store_->Hits("withdrawn")->empty());
  auto all = *store_->Hits("");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, withdrawn[0].id) << "one row per traveller and entry";
  EXPECT_EQ(all[0].withdrawn_at, "");
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
