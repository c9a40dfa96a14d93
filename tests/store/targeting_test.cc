// Targeting in the SQLite store: versioned rules and value lists, one alert
// per traveller per flight kept up to date by assessment, review decisions,
// and the memory of dismissed watch-list reasons.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <set>

#include "base/hash.h"
#include "intake/ingest.h"
#include "store/keyring.h"
#include "store/old_database.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

// 2026-11-18T08:53:20Z, five days before the BA117 and LH400 samples leave.
constexpr int64_t kStart = 1795000000;

using testing::ManualClock;

AlertReason Watch(const std::string& reference, const std::string& fingerprint,
                  const std::string& severity = "high", const std::string& category = "terrorism",
                  double score = 0.93) {
  AlertReason r;
  r.kind = "watchlist";
  r.source = "national";
  r.version = 1;
  r.reference = reference;
  r.severity = severity;
  r.category = category;
  r.score = score;
  r.explanation = R"([{"factor":"name","detail":"exact","effect":0.9}])";
  r.fingerprint = fingerprint;
  return r;
}

AlertReason RuleHit(const std::string& name, const std::string& fingerprint, const std::string& severity,
                    const std::string& category) {
  AlertReason r;
  r.kind = "rule";
  r.source = name;
  r.version = 2;
  r.severity = severity;
  r.category = category;
  r.explanation = R"js(["booking.days_before_departure is 2 (<= 3)"])js";
  r.fingerprint = fingerprint;
  return r;
}

// What a reason is, as one comparable string.
std::string Describe(const AlertReason& r) {
  return r.kind + "|" + r.source + "|" + std::to_string(r.version) + "|" + r.reference + "|" + r.severity + "|" +
         r.category + "|" + std::to_string(r.score) + "|" + r.explanation + "|" + r.fingerprint;
}

std::vector<std::string> Describe(const std::vector<AlertReason>& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(Describe(r));
  return out;
}

// The sample messages of BA117 (API and PNR, 23 November 2026) and of
// LH400 (API only, the same day) in a store whose clock the test moves.
class TargetingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/v.db";
    clock_ = std::make_shared<ManualClock>(kStart);
    Open();
    static const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    o.reference_year = 2026;
    Ingestor ingestor(store_.get(), o);
    for (const char* name : {"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi", "paxlst-lh0400-part1.edi",
                             "paxlst-lh0400-part2.edi", "paxlst-lh0400-part3.edi"}) {
      auto r = ingestor.Ingest(testing::ReadSample(name), name);
      ASSERT_TRUE(r.ok() && r->accepted) << name;
    }
    ba117_ = FlightId("BA", "117", "2026-11-23");
    lh400_ = FlightId("LH", "400", "2026-11-23");
    ASSERT_NE(ba117_, 0);
    ASSERT_NE(lh400_, 0);
    auto ba = store_->LoadFlight(ba117_);
    ASSERT_TRUE(ba.ok()) << ba.error();
    ASSERT_EQ(ba->api.size(), 3u);
    okonkwo_ = ba->api[0].id;  // OKONKWO, CHIDI EMEKA
    ASSERT_EQ(ba->api[0].person.surname, "OKONKWO");
    obrien_ = ba->api[2].id;  // O'BRIEN, SEAN
    ASSERT_EQ(ba->api[2].person.surname, "O'BRIEN");
    for (const auto& b : ba->bookings)
      if (b.pnr.record_locator == "P9ZZ4L") obrien_pnr_ = b.traveller_ids.at(0);
    ASSERT_NE(obrien_pnr_, 0);
    auto lh = store_->LoadFlight(lh400_);
    ASSERT_TRUE(lh.ok()) << lh.error();
    ASSERT_FALSE(lh->api.empty());
    schmidt_ = lh->api[0].id;
  }

  // A fingerprint as the store keeps it: keyed with the database's hash key.
  std::string Stored(const std::string& fingerprint) {
    auto ring = Keyring::Load(default_data_key_path(path_));
    EXPECT_TRUE(ring.ok()) << ring.error();
    return ring.ok() ? ring->Hash(fingerprint, "alert_reasons.fingerprint") : std::string();
  }
  std::vector<AlertReason> Stored(std::vector<AlertReason> reasons) {
    for (auto& r : reasons) r.fingerprint = Stored(r.fingerprint);
    return reasons;
  }

  void Open() {
    auto s = OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
  }

  int64_t FlightId(const std::string& carrier, const std::string& number, const std::string& date) {
    auto flights = store_->Flights(date, date);
    EXPECT_TRUE(flights.ok()) << flights.error();
    if (!flights.ok()) return 0;
    for (const auto& f : *flights)
      if (f.carrier == carrier && f.flight_number == number) return f.id;
    return 0;
  }

  AlertChange Update(int64_t flight, TravellerKind kind, int64_t traveller, std::vector<AlertReason> reasons) {
    auto r = store_->UpdateAlerts({AlertUpdate{flight, kind, traveller, std::move(reasons)}});
    EXPECT_TRUE(r.ok()) << r.error();
    if (!r.ok() || r->size() != 1) {
      ADD_FAILURE() << "one change per update";
      return AlertChange::kNone;
    }
    return r->front();
  }
  AlertChange Update(int64_t flight, int64_t api_traveller, std::vector<AlertReason> reasons) {
    return Update(flight, TravellerKind::kApi, api_traveller, std::move(reasons));
  }

  // The alert of `traveller` (API) on `flight`, which must exist.
  Alert AlertOf(int64_t flight, int64_t traveller, TravellerKind kind = TravellerKind::kApi) {
    auto all = store_->Alerts("", flight);
    EXPECT_TRUE(all.ok()) << all.error();
    if (all.ok())
      for (const Alert& a : *all)
        if (a.traveller_kind == kind && a.traveller_id == traveller) {
          auto full = store_->GetAlert(a.id);
          EXPECT_TRUE(full.ok()) << full.error();
          return full.ok() ? *full : a;
        }
    ADD_FAILURE() << "no alert for traveller " << traveller << " on flight " << flight;
    return {};
  }

  size_t AlertCount(int64_t flight = 0) {
    auto all = store_->Alerts("", flight);
    EXPECT_TRUE(all.ok()) << all.error();
    return all.ok() ? all->size() : 0;
  }

  void Review(int64_t id, const std::string& to, const std::string& reason = "checked against the file") {
    auto r = store_->ReviewAlert(id, to, "analyst.kim", reason);
    ASSERT_TRUE(r.ok()) << r.error();
    ASSERT_EQ(r->status, to);
  }

  std::string Now() const { return format_utc(clock_->now()); }

  std::string path_;
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
  int64_t ba117_ = 0, lh400_ = 0;
  int64_t okonkwo_ = 0, obrien_ = 0, obrien_pnr_ = 0, schmidt_ = 0;
};

StoredRule MakeRule(const std::string& name, const std::string& text, const std::string& author = "ana") {
  StoredRule r;
  r.name = name;
  r.text = text;
  r.severity = "high";
  r.category = "narcotics";
  r.author = author;
  return r;
}

const char* kLateCash =
    "rule \"late-cash\" severity high category narcotics\nwhen booking.days_before_departure <= 3";
const char* kLateCash2 =
    "rule \"late-cash\" severity high category narcotics\nwhen booking.days_before_departure <= 5";

// --- Rules ---------------------------------------------------------------

TEST_F(TargetingStoreTest, RuleStoredTwiceWithTheSameTextIsOneVersion) {
  bool unchanged = true;
  auto first = store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_FALSE(unchanged);
  EXPECT_EQ(first->version, 1);
  EXPECT_TRUE(first->enabled);
  EXPECT_EQ(first->created_at, Now());

  auto again = store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(unchanged);
  EXPECT_EQ(again->version, 1);
  auto all = store_->Rules(true);
  ASSERT_TRUE(all.ok()) << all.error();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].text, kLateCash);
  EXPECT_EQ((*all)[0].author, "ana");
}

TEST_F(TargetingStoreTest, UnchangedRuleReturnsTheStoredVersionNotTheSubmittedOne) {
  bool unchanged = false;
  auto first = store_->StoreRule(MakeRule("late-cash", kLateCash, "ana"), &unchanged);
  ASSERT_TRUE(first.ok()) << first.error();
  clock_->Advance(3600);
  auto again = store_->StoreRule(MakeRule("late-cash", kLateCash, "bob"), &unchanged);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(unchanged);
  // Nothing was stored, so the version returned is the one written by ana.
  EXPECT_EQ(again->author, "ana");
  EXPECT_EQ(again->created_at, first->created_at);
}

TEST_F(TargetingStoreTest, ChangedRuleTextIsTheNextVersionAndTheOneInForce) {
  bool unchanged = true;
  ASSERT_TRUE(store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged).ok());
  clock_->Advance(60);
  auto v2 = store_->StoreRule(MakeRule("late-cash", kLateCash2, "bob"), &unchanged);
  ASSERT_TRUE(v2.ok()) << v2.error();
  EXPECT_FALSE(unchanged);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->created_at, Now());
  ASSERT_TRUE(store_->StoreRule(MakeRule("a-first", "rule \"a-first\" severity low category c when true"),
                                &unchanged).ok());

  auto latest = store_->Rules(false);
  ASSERT_TRUE(latest.ok()) << latest.error();
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].name, "a-first");
  EXPECT_EQ((*latest)[1].name, "late-cash");
  EXPECT_EQ((*latest)[1].version, 2);
  EXPECT_EQ((*latest)[1].text, kLateCash2);
  EXPECT_EQ((*latest)[1].author, "bob");

  auto all = store_->Rules(true);
  ASSERT_TRUE(all.ok()) << all.error();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].name, "late-cash");
  EXPECT_EQ((*all)[1].version, 1);
  EXPECT_EQ((*all)[1].text, kLateCash);
  EXPECT_EQ((*all)[1].author, "ana");
  EXPECT_EQ((*all)[2].version, 2);
  EXPECT_EQ((*all)[2].text, kLateCash2);
}

TEST_F(TargetingStoreTest, RuleIsDisabledAndEnabledAsAWhole) {
  bool unchanged = false;
  ASSERT_TRUE(store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged).ok());
  ASSERT_TRUE(store_->StoreRule(MakeRule("late-cash", kLateCash2), &unchanged).ok());
  ASSERT_TRUE(store_->StoreRule(MakeRule("other", "rule \"other\" severity low category c when true"),
                                &unchanged).ok());

  ASSERT_TRUE(store_->SetRuleEnabled("late-cash", false).ok());
  const std::vector<StoredRule> disabled = *store_->Rules(true);
  ASSERT_EQ(disabled.size(), 3u);
  for (const StoredRule& r : disabled) EXPECT_EQ(r.enabled, r.name != "late-cash") << r.name << " v" << r.version;
  auto latest = *store_->Rules(false);
  ASSERT_EQ(latest.size(), 2u) << "a disabled rule is still listed";
  EXPECT_FALSE(latest[0].enabled);
  EXPECT_TRUE(latest[1].enabled);

  ASSERT_TRUE(store_->SetRuleEnabled("late-cash", true).ok());
  const std::vector<StoredRule> enabled = *store_->Rules(true);
  ASSERT_EQ(enabled.size(), 3u);
  for (const StoredRule& r : enabled) EXPECT_TRUE(r.enabled) << r.name << " v" << r.version;
}

TEST_F(TargetingStoreTest, UnknownRuleCannotBeEnabledOrDisabled) {
  const Status off = store_->SetRuleEnabled("no-such-rule", false);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.message().find("no-such-rule"), std::string::npos) << off.message();
  EXPECT_FALSE(store_->SetRuleEnabled("no-such-rule", true).ok());
  EXPECT_TRUE(store_->Rules(true)->empty());
  // The failed call left no state behind: the rule, once stored, is enabled.
  bool unchanged = false;
  auto stored = store_->StoreRule(MakeRule("no-such-rule", kLateCash), &unchanged);
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_TRUE((*store_->Rules(false))[0].enabled);
}

TEST_F(TargetingStoreTest, NewVersionOfADisabledRuleEnablesIt) {
  bool unchanged = false;
  ASSERT_TRUE(store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged).ok());
  ASSERT_TRUE(store_->SetRuleEnabled("late-cash", false).ok());
  ASSERT_FALSE((*store_->Rules(false))[0].enabled);
  auto v2 = store_->StoreRule(MakeRule("late-cash", kLateCash2), &unchanged);
  ASSERT_TRUE(v2.ok()) << v2.error();
  EXPECT_FALSE(unchanged);
  EXPECT_TRUE(v2->enabled);
  auto latest = *store_->Rules(false);
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].version, 2);
  EXPECT_TRUE(latest[0].enabled);
}

// --- Value lists ---------------------------------------------------------

TEST_F(TargetingStoreTest, ValueListsAreVersionedWithoutDuplicatesOrEmptyItems) {
  bool unchanged = true;
  auto v1 = store_->StoreValueList({"source-countries", 0, {"COL", "JAM", "", "COL", "BOL"}, "ana", ""},
                                   &unchanged);
  ASSERT_TRUE(v1.ok()) << v1.error();
  EXPECT_FALSE(unchanged);
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->items, (std::vector<std::string>{"COL", "JAM", "BOL"}));
  EXPECT_EQ(v1->created_at, Now());

  auto same = store_->StoreValueList({"source-countries", 0, {"COL", "JAM", "BOL", "JAM"}, "bob", ""}, &unchanged);
  ASSERT_TRUE(same.ok()) << same.error();
  EXPECT_TRUE(unchanged);
  EXPECT_EQ(same->version, 1);

  ASSERT_TRUE(store_->StoreValueList({"airports", 0, {"KIN"}, "ana", ""}, &unchanged).ok());
  clock_->Advance(60);
  auto v2 = store_->StoreValueList({"source-countries", 0, {"COL", "VEN"}, "bob", ""}, &unchanged);
  ASSERT_TRUE(v2.ok()) << v2.error();
  EXPECT_FALSE(unchanged);
  EXPECT_EQ(v2->version, 2);

  auto lists = store_->ValueLists();
  ASSERT_TRUE(lists.ok()) << lists.error();
  ASSERT_EQ(lists->size(), 2u) << "the latest version of each list";
  EXPECT_EQ((*lists)[0].name, "airports");
  EXPECT_EQ((*lists)[0].items, std::vector<std::string>{"KIN"});
  EXPECT_EQ((*lists)[1].name, "source-countries");
  EXPECT_EQ((*lists)[1].version, 2);
  EXPECT_EQ((*lists)[1].items, (std::vector<std::string>{"COL", "VEN"}));
  EXPECT_EQ((*lists)[1].author, "bob");
  EXPECT_EQ((*lists)[1].created_at, Now());
}

// --- Flights -------------------------------------------------------------

TEST_F(TargetingStoreTest, FlightsAreListedByDepartureDateWithinTheBounds) {
  auto all = store_->Flights("", "");
  ASSERT_TRUE(all.ok()) << all.error();
  // BA117 and LH400 on 23 November, the return BA6172 on 30 November.
  ASSERT_EQ(all->size(), 3u);
  for (size_t i = 1; i < all->size(); ++i)
    EXPECT_LE((*all)[i - 1].departure_date, (*all)[i].departure_date);
  EXPECT_EQ(all->back().flight_number, "6172");
  EXPECT_EQ(all->back().departure_date, "2026-11-30");
  EXPECT_EQ(store_->Flights("2026-11-24", "")->size(), 1u);
  EXPECT_EQ(store_->Flights("", "2026-11-23")->size(), 2u);
  EXPECT_TRUE(store_->Flights("2026-11-24", "2026-11-29")->empty());
  EXPECT_FALSE(store_->LoadFlight(999999).ok());
}

// --- UpdateAlerts --------------------------------------------------------

TEST_F(TargetingStoreTest, ReasonsCreateANewAlertWithTheirSeverityAndEvidence) {
  const std::vector<AlertReason> reasons = {RuleHit("late-cash", "r1", "low", "narcotics"),
                                            Watch("W1", "w1", "high", "terrorism"),
                                            RuleHit("one-way", "r2", "medium", "smuggling")};
  EXPECT_EQ(Update(ba117_, okonkwo_, reasons), AlertChange::kCreated);

  auto listed = store_->Alerts("", 0);
  ASSERT_TRUE(listed.ok()) << listed.error();
  ASSERT_EQ(listed->size(), 1u);
  const Alert& a = (*listed)[0];
  EXPECT_EQ(a.status, "new");
  EXPECT_EQ(a.flight_id, ba117_);
  EXPECT_EQ(a.traveller_kind, TravellerKind::kApi);
  EXPECT_EQ(a.traveller_id, okonkwo_);
  EXPECT_EQ(a.severity, "high");
  EXPECT_EQ(a.category, "terrorism") << "the category of the most severe reason";
  EXPECT_EQ(Describe(a.reasons), Describe(Stored(reasons))) << "every field, in the order given";
  EXPECT_TRUE(a.events.empty()) << "Alerts() leaves events out";
  EXPECT_EQ(a.created_at, Now());
  EXPECT_EQ(a.updated_at, Now());
  EXPECT_EQ(a.flight, "BA117");
  EXPECT_EQ(a.departure_date, "2026-11-23");
  EXPECT_EQ(a.traveller_name, "CHIDI EMEKA OKONKWO");

  auto one = store_->GetAlert(a.id);
  ASSERT_TRUE(one.ok()) << one.error();
  EXPECT_EQ(Describe(one->reasons), Describe(Stored(reasons)));
  EXPECT_EQ(one->traveller_name, "CHIDI EMEKA OKONKWO");
  ASSERT_EQ(one->events.size(), 1u);
  const AlertEvent& e = one->events[0];
  EXPECT_EQ(e.user, "vigil");
  EXPECT_EQ(e.from, "");
  EXPECT_EQ(e.to, "new");
  EXPECT_EQ(e.at, Now());
  EXPECT_NE(e.reason.find("late-cash"), std::string::npos) << e.reason;
  EXPECT_NE(e.reason.find("W1"), std::string::npos) << e.reason;
}

TEST_F(TargetingStoreTest, AlertOfAPnrTravellerShowsTheBookedName) {
  EXPECT_EQ(Update(ba117_, TravellerKind::kPnr, obrien_pnr_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const Alert a = AlertOf(ba117_, obrien_pnr_, TravellerKind::kPnr);
  EXPECT_EQ(a.traveller_kind, TravellerKind::kPnr);
  EXPECT_EQ(a.traveller_name, "SEAN O'BRIEN");
  EXPECT_EQ(a.flight, "BA117");
  EXPECT_EQ(a.departure_date, "2026-11-23");
  // The API row of the same person is another traveller row: no alert.
  auto api = store_->Alerts("", ba117_);
  ASSERT_EQ(api->size(), 1u);
}

TEST_F(TargetingStoreTest, NoReasonsAndNoAlertIsNothing) {
  auto r = store_->UpdateAlerts({AlertUpdate{ba117_, TravellerKind::kApi, okonkwo_, {}},
                                 AlertUpdate{ba117_, TravellerKind::kApi, obrien_, {Watch("W1", "w1")}}});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, (std::vector<AlertChange>{AlertChange::kNone, AlertChange::kCreated}));
  ASSERT_EQ(AlertCount(), 1u);
  EXPECT_EQ(store_->Alerts("", 0)->front().traveller_id, obrien_);
}

TEST_F(TargetingStoreTest, TheSameReasonsAgainChangeNothing) {
  const std::vector<AlertReason> reasons = {Watch("W1", "w1"), RuleHit("late-cash", "r1", "medium", "n")};
  ASSERT_EQ(Update(ba117_, okonkwo_, reasons), AlertChange::kCreated);
  const std::string created = Now();
  clock_->Advance(600);
  EXPECT_EQ(Update(ba117_, okonkwo_, reasons), AlertChange::kNone);
  const Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "new");
  EXPECT_EQ(a.events.size(), 1u);
  EXPECT_EQ(a.updated_at, created);
  EXPECT_EQ(Describe(a.reasons), Describe(Stored(reasons)));
}

TEST_F(TargetingStoreTest, OtherReasonsReplaceTheStoredOnes) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1", "high", "terrorism"), RuleHit("a", "r1", "low", "fraud")}),
            AlertChange::kCreated);
  clock_->Advance(600);
  const std::vector<AlertReason> now = {RuleHit("b", "r2", "medium", "smuggling"), RuleHit("a", "r1", "low", "fraud")};
  EXPECT_EQ(Update(ba117_, okonkwo_, now), AlertChange::kUpdated);
  const Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "new");
  EXPECT_EQ(Describe(a.reasons), Describe(Stored(now)));
  EXPECT_EQ(a.severity, "medium");
  EXPECT_EQ(a.category, "smuggling");
  EXPECT_EQ(a.updated_at, Now());
  ASSERT_EQ(a.events.size(), 2u);
  EXPECT_EQ(a.events[1].user, "vigil");
  EXPECT_EQ(a.events[1].from, "new");
  EXPECT_EQ(a.events[1].to, "new");
  EXPECT_EQ(a.events[1].at, Now());

  // A changed score is other evidence too.
  std::vector<AlertReason> rescored = now;
  rescored[0] = Watch("W1", "w1", "low", "terrorism", 0.81);
  EXPECT_EQ(Update(ba117_, okonkwo_, rescored), AlertChange::kUpdated);
  EXPECT_EQ(Describe(AlertOf(ba117_, okonkwo_).reasons), Describe(Stored(rescored)));
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).severity, "low");
}

TEST_F(TargetingStoreTest, NewAlertWithoutReasonsIsWithdrawnAndComesBackWithThem) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  EXPECT_EQ(Update(ba117_, okonkwo_, {}), AlertChange::kWithdrawn);
  Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "withdrawn");
  EXPECT_TRUE(a.reasons.empty());
  ASSERT_EQ(a.events.size(), 2u);
  EXPECT_EQ(a.events[1].user, "vigil");
  EXPECT_EQ(a.events[1].from, "new");
  EXPECT_EQ(a.events[1].to, "withdrawn");
  EXPECT_TRUE(store_->Alerts("new", 0)->empty());
  // Still without reasons: nothing more happens.
  EXPECT_EQ(Update(ba117_, okonkwo_, {}), AlertChange::kNone);
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).events.size(), 2u);

  EXPECT_EQ(Update(ba117_, okonkwo_, {Watch("W2", "w2")}), AlertChange::kReopened);
  a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "new");
  EXPECT_EQ(a.id, id) << "the same alert comes back";
  ASSERT_EQ(a.reasons.size(), 1u);
  EXPECT_EQ(a.reasons[0].reference, "W2");
  ASSERT_EQ(a.events.size(), 3u);
  EXPECT_EQ(a.events[2].user, "vigil");
  EXPECT_EQ(a.events[2].from, "withdrawn");
  EXPECT_EQ(a.events[2].to, "new");
  EXPECT_EQ(AlertCount(), 1u) << "one alert per traveller per flight";
}

TEST_F(TargetingStoreTest, ReviewedAlertWithAReasonItDidNotHaveIsReopened) {
  for (const char* decision : {"confirmed", "dismissed"}) {
    SCOPED_TRACE(decision);
    const int64_t traveller = std::string(decision) == "confirmed" ? okonkwo_ : obrien_;
    ASSERT_EQ(Update(ba117_, traveller, {RuleHit("a", "r1", "medium", "fraud")}), AlertChange::kCreated);
    const int64_t id = AlertOf(ba117_, traveller).id;
    Review(id, "in_review");
    Review(id, decision);
    clock_->Advance(60);
    EXPECT_EQ(Update(ba117_, traveller, {RuleHit("a", "r1", "medium", "fraud"), Watch("W9", "w9")}),
              AlertChange::kReopened);
    const Alert a = AlertOf(ba117_, traveller);
    EXPECT_EQ(a.id, id);
    EXPECT_EQ(a.status, "new");
    EXPECT_EQ(a.severity, "high");
    ASSERT_EQ(a.reasons.size(), 2u);
    ASSERT_EQ(a.events.size(), 4u);
    EXPECT_EQ(a.events[3].user, "vigil");
    EXPECT_EQ(a.events[3].from, decision);
    EXPECT_EQ(a.events[3].to, "new");
    EXPECT_EQ(a.updated_at, Now());
  }
}

TEST_F(TargetingStoreTest, ReviewedAlertKeepsItsDecisionWhenEvidenceIsOnlyRescoredOrRemoved) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1", "high", "terrorism", 0.95), RuleHit("a", "r1", "low", "c")}),
            AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "confirmed");
  // The same entry on the same data, scored differently: nothing new to review.
  EXPECT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1", "high", "terrorism", 0.90), RuleHit("a", "r1", "low", "c")}),
            AlertChange::kUpdated);
  Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "confirmed");
  EXPECT_DOUBLE_EQ(a.reasons.at(0).score, 0.90);
  ASSERT_EQ(a.events.size(), 4u);
  EXPECT_EQ(a.events[3].user, "vigil");
  EXPECT_EQ(a.events[3].from, "confirmed");
  EXPECT_EQ(a.events[3].to, "confirmed");
  // A reason goes away: still confirmed.
  EXPECT_EQ(Update(ba117_, okonkwo_, {RuleHit("a", "r1", "low", "c")}), AlertChange::kUpdated);
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).status, "confirmed");
  // Every reason goes away: a reviewed alert is not withdrawn.
  EXPECT_EQ(Update(ba117_, okonkwo_, {}), AlertChange::kUpdated);
  a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "confirmed");
  EXPECT_TRUE(a.reasons.empty());
}

TEST_F(TargetingStoreTest, AlertInReviewStaysInReviewWhateverItsEvidence) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  EXPECT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1"), Watch("W2", "w2")}), AlertChange::kUpdated);
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).status, "in_review");
  EXPECT_EQ(Update(ba117_, okonkwo_, {}), AlertChange::kUpdated);
  const Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "in_review");
  EXPECT_TRUE(a.reasons.empty());
}

TEST_F(TargetingStoreTest, AlertsAreFilteredByStatusAndFlightNewestFirst) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  clock_->Advance(60);
  ASSERT_EQ(Update(lh400_, schmidt_, {Watch("W2", "w2")}), AlertChange::kCreated);
  clock_->Advance(60);
  ASSERT_EQ(Update(ba117_, obrien_, {RuleHit("a", "r1", "low", "c")}), AlertChange::kCreated);
  const int64_t first = AlertOf(ba117_, okonkwo_).id, second = AlertOf(lh400_, schmidt_).id,
                third = AlertOf(ba117_, obrien_).id;
  Review(first, "in_review");

  auto ids = [&](const std::string& status, int64_t flight) {
    std::vector<int64_t> out;
    auto r = store_->Alerts(status, flight);
    EXPECT_TRUE(r.ok()) << r.error();
    if (r.ok())
      for (const Alert& a : *r) out.push_back(a.id);
    return out;
  };
  EXPECT_EQ(ids("", 0), (std::vector<int64_t>{third, second, first}));
  EXPECT_EQ(ids("new", 0), (std::vector<int64_t>{third, second}));
  EXPECT_EQ(ids("", ba117_), (std::vector<int64_t>{third, first}));
  EXPECT_EQ(ids("", lh400_), (std::vector<int64_t>{second}));
  EXPECT_EQ(ids("in_review", ba117_), (std::vector<int64_t>{first}));
  EXPECT_TRUE(ids("in_review", lh400_).empty());
  EXPECT_TRUE(ids("confirmed", 0).empty());
  // Each listed alert carries its own reasons.
  const std::vector<Alert> listed = *store_->Alerts("", 0);
  for (const Alert& a : listed) {
    ASSERT_EQ(a.reasons.size(), 1u);
    EXPECT_EQ(a.reasons[0].fingerprint, Stored(a.id == first ? "w1" : a.id == second ? "w2" : "r1"));
  }
  EXPECT_EQ(store_->GetAlert(second)->flight, "LH400");
}

// --- Dismissal memory ----------------------------------------------------

TEST_F(TargetingStoreTest, DismissedWatchListReasonDoesNotAlertAgainOnTheSameData) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "same-data")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed", "namesake: different date of birth");

  // The same traveller and entry on the same data, on another flight.
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "same-data")}), AlertChange::kSuppressed);
  EXPECT_EQ(AlertCount(lh400_), 0u);
  // Left out of an update with other reasons: those alert without it.
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "same-data"), RuleHit("a", "r1", "low", "c")}),
            AlertChange::kCreated);
  Alert other = AlertOf(lh400_, okonkwo_);
  ASSERT_EQ(other.reasons.size(), 1u);
  EXPECT_EQ(other.reasons[0].kind, "rule");
  EXPECT_EQ(other.severity, "low");
}

TEST_F(TargetingStoreTest, WatchListReasonOnChangedDataAlertsDespiteADismissal) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "old-data")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed");
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "new-data")}), AlertChange::kCreated);
  const Alert a = AlertOf(lh400_, okonkwo_);
  EXPECT_EQ(a.status, "new");
  ASSERT_EQ(a.reasons.size(), 1u);
  EXPECT_EQ(a.reasons[0].fingerprint, Stored("new-data"));
}

TEST_F(TargetingStoreTest, RuleReasonsAreNeverSuppressed) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {RuleHit("late-cash", "rule-basis", "high", "narcotics"), Watch("W1", "w1")}),
            AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed");
  EXPECT_EQ(Update(lh400_, okonkwo_, {RuleHit("late-cash", "rule-basis", "high", "narcotics")}),
            AlertChange::kCreated);
  const Alert a = AlertOf(lh400_, okonkwo_);
  ASSERT_EQ(a.reasons.size(), 1u);
  EXPECT_EQ(a.reasons[0].fingerprint, Stored("rule-basis"));
  // The watch-list reason of the same dismissal stays quiet.
  EXPECT_EQ(Update(ba117_, obrien_, {Watch("W1", "w1")}), AlertChange::kSuppressed);
}

TEST_F(TargetingStoreTest, ReopeningADismissedAlertForgetsItsFingerprints) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1"), Watch("W2", "w2")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed");
  ASSERT_EQ(Update(lh400_, okonkwo_, {Watch("W2", "w2")}), AlertChange::kSuppressed);
  Review(id, "in_review", "new information from the liaison officer");
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "w1"), Watch("W2", "w2")}), AlertChange::kCreated);
  EXPECT_EQ(AlertOf(lh400_, okonkwo_).reasons.size(), 2u);
}

TEST_F(TargetingStoreTest, ReassessingADismissedAlertOnUnchangedDataChangesNothing) {
  const std::vector<AlertReason> reasons = {Watch("W1", "w1"), RuleHit("a", "r1", "low", "c")};
  ASSERT_EQ(Update(ba117_, okonkwo_, reasons), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed", "namesake");
  // Assessment runs again on the same flight with the same data.
  EXPECT_EQ(Update(ba117_, okonkwo_, reasons), AlertChange::kNone);
  const Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "dismissed");
  EXPECT_EQ(Describe(a.reasons), Describe(Stored(reasons))) << "the dismissed alert keeps the evidence it was dismissed on";
  EXPECT_EQ(a.events.size(), 3u);
}

// --- Review --------------------------------------------------------------

TEST_F(TargetingStoreTest, ReviewDecisionsFollowTheAllowedTransitionsAndAreRecorded) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"new", "in_review"}, {"in_review", "confirmed"}, {"confirmed", "in_review"},
      {"in_review", "dismissed"}, {"dismissed", "in_review"}, {"in_review", "confirmed"}};
  for (size_t i = 0; i < steps.size(); ++i) {
    clock_->Advance(60);
    const std::string why = "step " + std::to_string(i);
    auto r = store_->ReviewAlert(id, steps[i].second, "analyst.kim", why);
    ASSERT_TRUE(r.ok()) << steps[i].first << " -> " << steps[i].second << ": " << r.error();
    EXPECT_EQ(r->id, id);
    EXPECT_EQ(r->status, steps[i].second);
    EXPECT_EQ(r->updated_at, Now());
    ASSERT_EQ(r->events.size(), i + 2) << "the alert as it is now, with its events";
    const AlertEvent& e = r->events.back();
    EXPECT_EQ(e.user, "analyst.kim");
    EXPECT_EQ(e.from, steps[i].first);
    EXPECT_EQ(e.to, steps[i].second);
    EXPECT_EQ(e.reason, why);
    EXPECT_EQ(e.at, Now());
  }
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).reasons.size(), 1u) << "review does not touch the evidence";
}

TEST_F(TargetingStoreTest, RejectedReviewDecisionsChangeNothing) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const Alert before = AlertOf(ba117_, okonkwo_);
  const int64_t id = before.id;
  clock_->Advance(60);
  struct Case {
    std::string to, user, reason, says;
  };
  const std::vector<Case> cases = {
      {"in_review", "analyst.kim", "", "reason"},
      {"in_review", "analyst.kim", " \t\n ", "reason"},
      {"in_review", "", "looks fine", "reviewer"},
      {"in_review", "  ", "looks fine", "reviewer"},
      {"confirmed", "analyst.kim", "looks fine", "in_review"},  // new can only go to in_review
      {"dismissed", "analyst.kim", "looks fine", "in_review"},
      {"closed", "analyst.kim", "looks fine", "closed"},
      {"new", "analyst.kim", "looks fine", "new"},
      {"withdrawn", "analyst.kim", "looks fine", "withdrawn"},
  };
  for (const Case& c : cases) {
    auto r = store_->ReviewAlert(id, c.to, c.user, c.reason);
    ASSERT_FALSE(r.ok()) << "to " << c.to << " by \"" << c.user << "\" because \"" << c.reason << "\"";
    EXPECT_NE(r.error().find(c.says), std::string::npos) << r.error();
  }
  Review(id, "in_review");
  auto back = store_->ReviewAlert(id, "in_review", "analyst.kim", "again");
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().find("confirmed or dismissed"), std::string::npos) << back.error();
  Review(id, "confirmed");
  auto direct = store_->ReviewAlert(id, "dismissed", "analyst.kim", "changed my mind");
  ASSERT_FALSE(direct.ok());
  EXPECT_NE(direct.error().find("in_review"), std::string::npos) << direct.error();

  const Alert after = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(after.status, "confirmed");
  ASSERT_EQ(after.events.size(), 3u) << "only the two accepted decisions were recorded";
  EXPECT_EQ(after.events[1].to, "in_review");
  EXPECT_EQ(after.events[2].to, "confirmed");
  EXPECT_EQ(Describe(after.reasons), Describe(before.reasons));
}

TEST_F(TargetingStoreTest, RejectedDismissalRemembersNothing) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  // Not reviewable this way (new -> dismissed) and without a reason.
  EXPECT_FALSE(store_->ReviewAlert(id, "dismissed", "analyst.kim", "namesake").ok());
  Review(id, "in_review");
  EXPECT_FALSE(store_->ReviewAlert(id, "dismissed", "analyst.kim", "").ok());
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
}

TEST_F(TargetingStoreTest, WithdrawnAlertCannotBeReviewed) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  ASSERT_EQ(Update(ba117_, okonkwo_, {}), AlertChange::kWithdrawn);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  auto r = store_->ReviewAlert(id, "in_review", "analyst.kim", "curious");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("withdrawn"), std::string::npos) << r.error();
  EXPECT_EQ(AlertOf(ba117_, okonkwo_).status, "withdrawn");
}

TEST_F(TargetingStoreTest, UnknownAlertIsAnError) {
  auto get = store_->GetAlert(424242);
  ASSERT_FALSE(get.ok());
  EXPECT_NE(get.error().find("424242"), std::string::npos) << get.error();
  auto review = store_->ReviewAlert(424242, "in_review", "analyst.kim", "looks fine");
  ASSERT_FALSE(review.ok());
  EXPECT_NE(review.error().find("424242"), std::string::npos) << review.error();
  EXPECT_EQ(AlertCount(), 0u);
}

// --- Transactions and schema ---------------------------------------------

TEST_F(TargetingStoreTest, FailingUpdateLeavesNothingOfItsBatch) {
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const Alert before = AlertOf(ba117_, okonkwo_);
  clock_->Advance(60);
  constexpr int64_t kNoSuchFlight = 987654;
  auto r = store_->UpdateAlerts({
      AlertUpdate{ba117_, TravellerKind::kApi, okonkwo_, {Watch("W2", "w2")}},       // would update
      AlertUpdate{ba117_, TravellerKind::kApi, obrien_, {Watch("W3", "w3")}},        // would create
      AlertUpdate{kNoSuchFlight, TravellerKind::kApi, schmidt_, {Watch("W4", "w4")}},  // cannot be stored
  });
  ASSERT_FALSE(r.ok()) << "an alert on a flight that does not exist";
  EXPECT_EQ(AlertCount(), 1u);
  const Alert after = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(Describe(after.reasons), Describe(before.reasons));
  EXPECT_EQ(after.events.size(), before.events.size());
  EXPECT_EQ(after.updated_at, before.updated_at);
  // The store is still usable.
  EXPECT_EQ(Update(ba117_, obrien_, {Watch("W3", "w3")}), AlertChange::kCreated);
}

TEST_F(TargetingStoreTest, ReopenedStoreKeepsRulesListsAndAlerts) {
  bool unchanged = false;
  ASSERT_TRUE(store_->StoreRule(MakeRule("late-cash", kLateCash), &unchanged).ok());
  ASSERT_TRUE(store_->SetRuleEnabled("late-cash", false).ok());
  ASSERT_TRUE(store_->StoreValueList({"source-countries", 0, {"COL"}, "ana", ""}, &unchanged).ok());
  ASSERT_EQ(Update(ba117_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kCreated);
  const int64_t id = AlertOf(ba117_, okonkwo_).id;
  Review(id, "in_review");
  Review(id, "dismissed");

  store_.reset();
  Open();
  auto rules = store_->Rules(true);
  ASSERT_TRUE(rules.ok()) << rules.error();
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_FALSE((*rules)[0].enabled);
  ASSERT_EQ(store_->ValueLists()->size(), 1u);
  const Alert a = AlertOf(ba117_, okonkwo_);
  EXPECT_EQ(a.status, "dismissed");
  EXPECT_EQ(a.events.size(), 3u);
  EXPECT_EQ(Update(lh400_, okonkwo_, {Watch("W1", "w1")}), AlertChange::kSuppressed)
      << "the dismissal is remembered across restarts";
}

// A database written before targeting existed (schema version 3) is brought
// up to date when opened, and keeps what it held.
TEST(TargetingMigrationTest, DatabaseFromBeforeTargetingIsUpgradedKeepingItsData) {
  const std::string path = testing::TempDir() + "/old.db";
  ASSERT_NO_FATAL_FAILURE(testing::WriteOldDatabase(
      path, 3,
      "INSERT INTO flights(carrier, flight_number, departure_airport, arrival_airport, departure_date, "
      "departure_local, arrival_local) VALUES ('BA', '117', 'LHR', 'JFK', '2026-11-23', "
      "'2026-11-23T10:25', '2026-11-23T13:20');"));
  auto s = OpenSqliteStore(path, FixedClock(kStart));
  ASSERT_TRUE(s.ok()) << s.error();
  Store& store = **s;
  auto flights = store.Flights("", "");
  ASSERT_TRUE(flights.ok()) << flights.error();
  ASSERT_EQ(flights->size(), 1u);
  const int64_t flight = (*flights)[0].id;
  bool unchanged = false;
  ASSERT_TRUE(store.StoreRule(MakeRule("late-cash", kLateCash), &unchanged).ok());
  auto changes = store.UpdateAlerts({AlertUpdate{flight, TravellerKind::kApi, 1, {Watch("W1", "w1")}}});
  ASSERT_TRUE(changes.ok()) << changes.error();
  EXPECT_EQ(changes->at(0), AlertChange::kCreated);
  EXPECT_EQ(store.Alerts("", 0)->at(0).flight, "BA117");
  s->reset();

  // Opening it once more applies nothing twice.
  auto again = OpenSqliteStore(path, FixedClock(kStart));
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ((*again)->Rules(false)->size(), 1u);
  EXPECT_EQ((*again)->Alerts("", 0)->size(), 1u);
  EXPECT_EQ((*again)->Counts()->flights, 1);
}

}  // namespace
}  // namespace vigil
