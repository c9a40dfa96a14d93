#include "screening/screener.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "screening/json.h"
#include "support/test_support.h"
#include "synth/watchlist_generator.h"

namespace vigil {
namespace {

WatchEntry Person(const std::string& ref, std::vector<std::string> names, std::vector<std::string> dobs,
                  std::vector<std::string> nats, const std::string& sex = "") {
  return testing::PersonEntry("test", ref, names, std::move(dobs), std::move(nats), sex);
}

class ScreenerTest : public ::testing::Test {
 protected:
  ScreenerTest() : index_(Entries()), screener_(index_, ScreeningConfig{}) {}

  static std::vector<WatchEntry> Entries() {
    std::vector<WatchEntry> v;
    v.push_back(Person("E1", {"Muhammad Ali Hassan", "Abu Ali"}, {"1975-03-02"}, {"IRQ"}, "M"));
    v.push_back(Person("E2", {"John Smith"}, {"1960-01-01"}, {"GBR"}, "M"));
    v.push_back(Person("E3", {"Ivan Petrov"}, {"1970/1975"}, {"RUS"}));
    v.push_back(Person("E4", {"Владимир Смирнов"}, {"1981"}, {}));
    WatchEntry doc;
    doc.kind = WatchEntry::Kind::kDocument;
    doc.list = "sltd";
    doc.reference = "D1";
    doc.documents.push_back({"P", "X1234567O", "FRA", "stolen"});
    v.push_back(doc);
    return v;
  }

  std::vector<ScreeningMatch> Screen(ScreeningQuery q) {
    ScreeningScratch s;
    return screener_.Screen(q, &s);
  }

  WatchIndex index_;
  Screener screener_;
};

TEST_F(ScreenerTest, VariantNameWithMatchingDateAlerts) {
  ScreeningQuery q;
  q.name = "HASSAN, Mohammed Ali";
  q.birth_date = "1975-03-02";
  q.nationality = "IQ";
  auto m = Screen(q);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].reference, "E1");
  EXPECT_GE(m[0].score, 0.95);
  std::set<std::string> factors;
  for (const auto& e : m[0].explanation) factors.insert(e.factor);
  EXPECT_TRUE(factors.count("name") && factors.count("date_of_birth") && factors.count("nationality"));
}

TEST_F(ScreenerTest, CommonNameWithOtherDateAndNationalityStaysQuiet) {
  ScreeningQuery q;
  q.name = "John Smith";
  q.birth_date = "1988-07-14";
  q.nationality = "USA";
  EXPECT_TRUE(Screen(q).empty());
  q.birth_date.clear();
  q.nationality.clear();
  EXPECT_EQ(Screen(q).size(), 1u);  // the name alone is worth a look
}

TEST_F(ScreenerTest, DateEvidence) {
  ScreeningQuery q;
  q.name = "Ivan Petrov";
  q.birth_date = "1973-05-05";  // inside the listed range
  auto in = Screen(q);
  ASSERT_EQ(in.size(), 1u);
  q.birth_date = "1990-05-05";
  auto out = Screen(q);
  EXPECT_TRUE(out.empty() || out[0].score < in[0].score);
  q.name = "Muhammad Ali Hassan";
  q.birth_date = "1975-02-03";  // day and month swapped
  auto swapped = Screen(q);
  ASSERT_EQ(swapped.size(), 1u);
  bool saw = false;
  for (const auto& e : swapped[0].explanation)
    saw = saw || (e.factor == "date_of_birth" && e.detail.find("swapped") != std::string::npos);
  EXPECT_TRUE(saw);
}

TEST_F(ScreenerTest, SexMismatchLowersTheScore) {
  ScreeningQuery q;
  q.name = "Muhammad Ali Hassan";
  const double base = Screen(q).at(0).score;
  q.sex = "F";
  auto m = Screen(q);
  EXPECT_TRUE(m.empty() || m[0].score < base);
}

TEST_F(ScreenerTest, CyrillicListNameMatchesLatinTraveller) {
  ScreeningQuery q;
  q.name = "Vladimir Smirnov";
  auto m = Screen(q);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].reference, "E4");
}

TEST_F(ScreenerTest, DocumentHitAlertsOnItsOwnAndToleratesLookAlikes) {
  ScreeningQuery q;
  q.name = "Nobody Inparticular";
  q.documents.push_back({"P", "X12345670", "FRA", "", "", "", ""});
  auto m = Screen(q);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].reference, "D1");
  EXPECT_NEAR(m[0].score, ScreeningConfig{}.document_confusable, 1e-9);
  q.documents[0].number = "x1234567o";
  EXPECT_NEAR(Screen(q).at(0).score, ScreeningConfig{}.document_exact, 1e-9);
}

TEST(ScreenerKindsTest, TravellersMatchPersonsNotOrganisationsUnlessAsked) {
  WatchEntry company = Person("C1", {"Golden Star Trading"}, {}, {});
  company.kind = WatchEntry::Kind::kEntity;
  WatchEntry vessel = Person("V1", {"Golden Star"}, {}, {});
  vessel.kind = WatchEntry::Kind::kVessel;
  const WatchIndex index({company, vessel, Person("P1", {"Golden Star"}, {}, {})});
  ScreeningQuery q;
  q.name = "Golden Star";
  ScreeningScratch s;
  const auto people = Screener(index, ScreeningConfig{}).Screen(q, &s);
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].reference, "P1");
  ScreeningConfig all;
  all.match_organisations = true;
  EXPECT_EQ(Screener(index, all).Screen(q, &s).size(), 3u);
}

TEST_F(ScreenerTest, UnlistedNamesDoNotAlert) {
  for (const char* name : {"Maria Gonzalez", "Peter Parker", "Ali Baba", "Olga Smirnova Ivanovna"}) {
    ScreeningQuery q;
    q.name = name;
    EXPECT_TRUE(Screen(q).empty()) << name;
  }
}

TEST_F(ScreenerTest, JsonOutputCarriesListEntryScoreAndExplanation) {
  ScreeningQuery q;
  q.name = "John Smith";
  auto j = matches_to_json("t1", Screen(q));
  EXPECT_EQ(j["id"], "t1");
  ASSERT_EQ(j["matches"].size(), 1u);
  EXPECT_EQ(j["matches"][0]["list"], "test");
  EXPECT_EQ(j["matches"][0]["entry"], "E2");
  EXPECT_TRUE(j["matches"][0]["explanation"].is_array());
}

TEST(QueryJsonTest, ValidatesFields) {
  EXPECT_TRUE(query_from_json({{"id", "1"}, {"name", "A B"}}).ok());
  EXPECT_TRUE(query_from_json({{"id", 7}, {"given_names", "A"}, {"surname", "B"}}).ok());
  EXPECT_FALSE(query_from_json({{"id", "1"}}).ok());
  EXPECT_FALSE(query_from_json({{"id", "1"}, {"name", "A"}, {"dob", "1/2/1970"}}).ok());
  EXPECT_FALSE(query_from_json({{"id", "1"}, {"name", 5}}).ok());
  EXPECT_FALSE(query_from_json({{"id", "1"}, {"name", std::string(2000, 'a')}}).ok());
}

// The index must find what comparing against every name finds.
TEST(IndexRecallTest, IndexFindsWhatExhaustiveComparisonFinds) {
  WatchListGenerator gen(11);
  auto entries = gen.Entries("synthetic", 5000);
  const WatchIndex index(entries);
  const Screener screener(index, ScreeningConfig{});
  ScreeningScratch scratch;
  size_t expected = 0, found = 0;
  for (int i = 0; i < 1500; ++i) {
    ScreeningQuery q;
    std::string how;
    q.name = i % 3 == 0 ? gen.RandomName() : gen.Variant(entries[(i * 7919) % entries.size()], &how);
    auto truth = screener.ScreenExhaustive(q, 0.8, 1000);
    auto got = screener.Screen(q, 0.8, 1000, &scratch);
    std::set<uint32_t> got_ids;
    for (const auto& m : got) got_ids.insert(m.entry);
    for (const auto& m : truth) {
      ++expected;
      found += got_ids.count(m.entry);
    }
  }
  ASSERT_GT(expected, 500u);
  const double recall = static_cast<double>(found) / static_cast<double>(expected);
  RecordProperty("index_recall", std::to_string(recall));
  EXPECT_GE(recall, 0.99) << found << " of " << expected;
}

// Names are ruled out on a summary of their entry's evidence before the
// entry is read; that must never drop a match the full evidence allows.
TEST(EvidencePruningTest, ReportsExactlyWhatUnprunedScoringReports) {
  std::mt19937 rng(3);
  const std::vector<std::string> names = {"Omar Hassan Farouk", "Li Wei", "Anna Maria Kowalska",
                                          "Juan Carlos Perez", "Ahmed Ali"};
  const std::vector<std::string> nats = {"IRQ", "SYR", "GBR", "FRA"};
  auto year = [&] { return std::to_string(1960 + rng() % 12); };
  std::vector<WatchEntry> entries;
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> dobs, listed;
    for (int d = static_cast<int>(rng() % 4); d > 0; --d) {
      switch (rng() % 5) {
        case 0: dobs.push_back(year()); break;
        case 1: dobs.push_back(year() + "-0" + std::to_string(1 + rng() % 9)); break;
        case 2: dobs.push_back(year() + "/" + year()); break;
        case 3: dobs.push_back(rng() % 2 ? "1500" : "unknown"); break;  // far off, unreadable
        default: dobs.push_back(year() + "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 9));
      }
    }
    for (int n = static_cast<int>(rng() % 3); n > 0; --n) listed.push_back(nats[rng() % nats.size()]);
    entries.push_back(Person("P" + std::to_string(i), {names[rng() % names.size()]}, dobs, listed,
                             rng() % 3 == 0 ? "" : (rng() % 2 ? "M" : "F")));
  }
  const WatchIndex index(entries);
  ScreeningConfig config;
  config.top_k = 1000;
  const Screener screener(index, config);
  ScreeningScratch scratch;
  size_t reported = 0;
  for (int i = 0; i < 300; ++i) {
    ScreeningQuery q;
    q.name = names[rng() % names.size()];
    if (rng() % 4) q.birth_date = year() + "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 9);
    if (rng() % 4) q.nationality = nats[rng() % nats.size()];
    if (rng() % 2) q.sex = rng() % 2 ? "M" : "F";
    std::set<std::string> expected, got;
    for (const auto& m : screener.Screen(q, -10.0, 1000, &scratch))
      if (m.score >= config.threshold) expected.insert(m.reference);
    for (const auto& m : screener.Screen(q, &scratch)) got.insert(m.reference);
    EXPECT_EQ(got, expected) << q.name << " " << q.birth_date << " " << q.nationality;
    reported += got.size();
  }
  EXPECT_GT(reported, 300u);  // the queries do match, so pruning is put to the test
}

}  // namespace
}  // namespace vigil
