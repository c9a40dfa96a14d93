#include "screening/rescreen.h"

#include <gtest/gtest.h>

#include "base/hash.h"
#include "intake/ingest.h"
#include "model/json.h"
#include "support/test_support.h"

namespace vigil {
namespace {

using Refs = std::vector<std::string>;

WatchEntry Listed(const std::string& ref, const std::string& name, const std::string& dob = "",
                  const std::string& nationality = "") {
  auto given = [](const std::string& v) { return v.empty() ? Refs{} : Refs{v}; };
  return testing::PersonEntry("national", ref, {name}, given(dob), given(nationality));
}

UpcomingTraveller Aboard(int64_t id, const std::string& given, const std::string& surname,
                         const std::string& dob) {
  UpcomingTraveller t;
  t.kind = TravellerKind::kApi;
  t.id = id;
  t.flight_id = 1;
  t.person.given_names = given;
  t.person.surname = surname;
  t.person.birth_date = dob;
  return t;
}

TEST(DiffListsTest, ComparesByReferenceAndContent) {
  const auto d = diff_lists({Listed("A", "Ann One"), Listed("B", "Bob Two"), Listed("C", "Cy Three")},
                            {Listed("D", "Di Four"), Listed("B", "Bob Two", "1970"), Listed("A", "Ann One")});
  EXPECT_EQ(d.added, Refs{"D"});
  EXPECT_EQ(d.removed, Refs{"C"});
  EXPECT_EQ(d.changed, Refs{"B"});
  const auto same = diff_lists({Listed("A", "Ann One")}, {Listed("A", "Ann One")});
  EXPECT_TRUE(same.added.empty() && same.removed.empty() && same.changed.empty());
}

TEST(RescreenTest, ScreensOnlyAgainstAddedAndChangedEntries) {
  const std::vector<WatchEntry> previous = {Listed("E1", "John Smith"), Listed("E2", "Ivan Petrov")};
  const std::vector<WatchEntry> current = {Listed("E1", "John Smith"), Listed("E2", "Ivan Petrov", "1970"),
                                           Listed("E3", "Vladimir Smirnov")};
  const std::vector<UpcomingTraveller> travellers = {Aboard(1, "John", "Smith", ""),
                                                     Aboard(2, "Ivan", "Petrov", "1970-05-05"),
                                                     Aboard(3, "Vladimir", "Smirnov", "")};
  const Rescreen r = rescreen("national", 2, diff_lists(previous, current), current, travellers,
                              ScreeningConfig{});
  EXPECT_EQ(r.entries, 2u);
  EXPECT_EQ(r.travellers.size(), 3u);
  ASSERT_EQ(r.hits.size(), 2u) << "E1 is unchanged: John Smith is not screened against it again";
  EXPECT_EQ(r.hits[0].traveller_id, 2);
  EXPECT_EQ(r.hits[0].reference, "E2");
  EXPECT_EQ(r.hits[1].traveller_id, 3);
  EXPECT_EQ(r.hits[1].reference, "E3");
  for (const auto& h : r.hits) {
    EXPECT_EQ(h.list, "national");
    EXPECT_EQ(h.list_version, 2);
    EXPECT_GE(h.score, ScreeningConfig{}.threshold);
    auto ex = nlohmann::json::parse(h.explanation);
    ASSERT_TRUE(ex.is_array() && !ex.empty());
    EXPECT_EQ(ex[0]["factor"], "name");
  }
  // Nothing added or changed: nobody is screened.
  const Rescreen none = rescreen("national", 3, diff_lists(current, current), current, travellers,
                                 ScreeningConfig{});
  EXPECT_EQ(none.entries, 0u);
  EXPECT_TRUE(none.travellers.empty());
  EXPECT_TRUE(none.hits.empty());
}

// A list imported version after version against a real store of sample
// messages, the clock on 2026-11-18: the LH400 travellers (23 November) are
// upcoming, those of the PNRGOV XML push (March 2025) are not.
class RescreenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/v.db";
    auto s = OpenSqliteStore(path_, FixedClock(1795000000));
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
    static const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    o.reference_year = 2026;
    Ingestor ingestor(store_.get(), o);
    for (const char* name : {"paxlst-lh0400-part1.edi", "paxlst-lh0400-part2.edi",
                             "paxlst-lh0400-part3.edi", "pnrgov-xml-push.xml"}) {
      auto r = ingestor.Ingest(testing::ReadSample(name), name);
      ASSERT_TRUE(r.ok() && r->accepted) << name;
    }
  }

  // What `vigil lists import` does with a read list.
  struct Imported {
    bool unchanged = false;
    Rescreen rescreen;
    RescreenOutcome outcome;
  };
  Imported Import(const std::vector<WatchEntry>& entries) {
    Imported out;
    auto previous = store_->ListEntries("national", 0);
    EXPECT_TRUE(previous.ok());
    auto stored = store_->StoreListVersion("national", "jsonl", "sha", entries, &out.unchanged);
    EXPECT_TRUE(stored.ok());
    if (!stored.ok() || out.unchanged) return out;
    auto travellers = store_->UpcomingTravellers();
    EXPECT_TRUE(travellers.ok());
    out.rescreen = rescreen("national", stored->version, diff_lists(*previous, entries), entries,
                            *travellers, ScreeningConfig{});
    auto recorded = record_rescreen(store_.get(), "national", out.rescreen);
    EXPECT_TRUE(recorded.ok()) << recorded.error();
    if (recorded.ok()) out.outcome = *recorded;
    return out;
  }

  std::vector<ScreeningHit> Open() { return *store_->Hits("open"); }

  std::string path_;
  std::unique_ptr<Store> store_;
};

const WatchEntry kUnrelated = Listed("N1", "Unrelated Person");
// SCHMIDT, JÜRGEN, born 1970-06-12, aboard LH400 on 2026-11-23.
const WatchEntry kSchmidt = Listed("W1", "Jürgen SCHMIDT", "1970-06-12");
// SMITH, JOHN WILLIAM, born 1964-07-12, booked on BA117 on 2025-03-15.
const WatchEntry kSmith = Listed("W2", "John William SMITH", "1964-07-12");

TEST_F(RescreenStoreTest, NewEntryAlertsOnceAndItsRemovalWithdrawsTheHit) {
  auto v1 = Import({kUnrelated});
  EXPECT_EQ(v1.outcome.new_hits, 0);
  EXPECT_EQ(v1.rescreen.travellers.size(), 3u) << "the LH400 travellers only";

  auto v2 = Import({kUnrelated, kSchmidt, kSmith});
  EXPECT_EQ(v2.rescreen.entries, 2u);
  EXPECT_EQ(v2.outcome.new_hits, 1);
  EXPECT_EQ(v2.outcome.withdrawn, 0);
  auto open = Open();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].reference, "W1");
  EXPECT_EQ(open[0].traveller_kind, TravellerKind::kApi);
  EXPECT_EQ(open[0].flight, "LH400");
  EXPECT_EQ(open[0].list_version, 2);
  EXPECT_EQ(open[0].entry_name, "Jürgen SCHMIDT");
  EXPECT_GE(open[0].score, 0.95);

  // Recording the same re-screening again adds nothing; the same version
  // again is not a new version and screens nobody.
  EXPECT_EQ(record_rescreen(store_.get(), "national", v2.rescreen)->new_hits, 0);
  auto again = Import({kSmith, kSchmidt, kUnrelated});
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.outcome.new_hits, 0);
  EXPECT_EQ(Open().size(), 1u);

  auto v3 = Import({kUnrelated});
  EXPECT_EQ(v3.rescreen.entries, 0u);
  EXPECT_EQ(v3.outcome.new_hits, 0);
  EXPECT_EQ(v3.outcome.withdrawn, 1);
  EXPECT_TRUE(Open().empty());
  auto withdrawn = *store_->Hits("withdrawn");
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].reference, "W1");
}

TEST_F(RescreenStoreTest, TravellersOnPastFlightsAreNotRescreened) {
  Import({kSmith});
  EXPECT_TRUE(Open().empty());
  // The entry does match Mr Smith: he is left out only because his flight has gone.
  UpcomingTraveller smith;
  smith.person.given_names = "JOHN WILLIAM";
  smith.person.surname = "SMITH";
  smith.person.birth_date = "1964-07-12";
  const auto r = rescreen("national", 1, diff_lists({}, {kSmith}), {kSmith}, {smith}, ScreeningConfig{});
  EXPECT_EQ(r.hits.size(), 1u);
}

TEST_F(RescreenStoreTest, ChangedEntryKeepsOnlyHitsThatStillReachTheThreshold) {
  Import({kSchmidt});
  ASSERT_EQ(Open().size(), 1u);
  const double first = Open()[0].score;

  WatchEntry other_person = kSchmidt;  // another birth date and nationality
  other_person.birth_dates = {"1950-01-01"};
  other_person.nationalities = {"FRA"};
  auto v2 = Import({other_person});
  EXPECT_EQ(v2.rescreen.entries, 1u);
  EXPECT_EQ(v2.outcome.withdrawn, 1);
  EXPECT_TRUE(Open().empty());

  auto v3 = Import({kSchmidt});  // back as it was: the same hit is opened again
  EXPECT_EQ(v3.outcome.new_hits, 1);
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_EQ(Open()[0].list_version, 3);

  WatchEntry still = kSchmidt;  // a change that keeps the match
  still.remarks = "seen in Frankfurt";
  auto v4 = Import({still});
  EXPECT_EQ(v4.outcome.new_hits, 0);
  EXPECT_EQ(v4.outcome.withdrawn, 0);
  ASSERT_EQ(Open().size(), 1u);
  EXPECT_DOUBLE_EQ(Open()[0].score, first);
  EXPECT_EQ(Open()[0].list_version, 3) << "same score: the hit is left as it was";
}

TEST_F(RescreenStoreTest, HitsOfTravellersWhoseFlightHasLeftStayWhenTheirEntryChanges) {
  Import({kSchmidt});
  ASSERT_EQ(Open().size(), 1u);
  // Two days later, LH400 has left; the entry changes so that it would no
  // longer match, but Mr Schmidt is not screened again.
  auto later = OpenSqliteStore(path_, FixedClock(1795392000 + 86400));
  ASSERT_TRUE(later.ok());
  store_ = std::move(*later);
  WatchEntry other_person = kSchmidt;
  other_person.birth_dates = {"1950-01-01"};
  auto v2 = Import({other_person});
  EXPECT_TRUE(v2.rescreen.travellers.empty());
  EXPECT_EQ(v2.outcome.withdrawn, 0);
  EXPECT_EQ(Open().size(), 1u);
  // Removing the entry withdraws its hits whatever the flight.
  auto v3 = Import({kUnrelated});
  EXPECT_EQ(v3.outcome.withdrawn, 1);
  EXPECT_TRUE(Open().empty());
}

}  // namespace
}  // namespace vigil
