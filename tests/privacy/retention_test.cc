// Retention moved through time: what is kept, masked and deleted after 24
// hours, 6 months and 5 years, what each reader sees at each point, the
// stricter regime, re-personalisation requests, runs stopped half-way, and
// the policy file.
#include "privacy/retention.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <stdexcept>

#include "base/hash.h"
#include "intake/ingest.h"
#include "model/json.h"
#include "store/store.h"
#include "support/test_support.h"

namespace vigil {
namespace {

using testing::ManualClock;

constexpr int64_t kStart = 1795000000;  // 2026-11-18T08:53:20Z; BA117 arrives 2026-11-23T13:20
constexpr int64_t kDay = 86400;

int64_t Arrival() {
  int64_t at = 0;
  parse_utc("2026-11-23T13:20:00Z", &at);
  return at;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(StoreSecurity{}); }

  void Open(const StoreSecurity& security) {
    dir_ = testing::TempDir();
    clock_ = std::make_shared<ManualClock>(kStart);
    auto s = OpenSqliteStore(dir_ + "/v.db", clock_, security);
    ASSERT_TRUE(s.ok()) << s.error();
    store_ = std::move(*s);
    const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    Ingestor ingestor(store_.get(), o);
    for (const char* name : {"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi", "pnrgov-ba0117-24h.edi"}) {
      auto r = ingestor.Ingest(testing::ReadSample(name), name);
      ASSERT_TRUE(r.ok() && r->accepted) << name;
    }
    auto flights = store_->Flights("2026-11-23", "2026-11-23");
    ASSERT_TRUE(flights.ok() && flights->size() == 1u);
    flight_ = (*flights)[0].id;
    auto data = store_->LoadFlight(flight_);
    ASSERT_TRUE(data.ok()) << data.error();
    for (const auto& a : data->api) api_[a.person.surname] = a.id;
    for (const auto& b : data->bookings)
      for (size_t i = 0; i < b.pnr.travellers.size(); ++i)
        pnr_[b.pnr.travellers[i].person.surname] = b.traveller_ids[i];
    ASSERT_EQ(api_.size(), 3u);
    ASSERT_TRUE(pnr_.count("OKONKWO") && pnr_.count("O'BRIEN"));
    // An alert stands on Okonkwo's booking and on O'Brien's API data; one
    // on Mueller's API data was dismissed.
    Alert(TravellerKind::kPnr, pnr_["OKONKWO"], "OKONKWO CHIDI ~ OKONKWO CHIDI");
    Alert(TravellerKind::kApi, api_["O'BRIEN"], "O'BRIEN SEAN ~ OBRIEN SEAN");
    const int64_t dismissed = Alert(TravellerKind::kApi, api_["MÜLLER-LÜDENSCHEIDT"], "MUELLER ~ MULLER");
    ASSERT_TRUE(store_->ReviewAlert(dismissed, "in_review", "ana", "looking").ok());
    ASSERT_TRUE(store_->ReviewAlert(dismissed, "dismissed", "ana", "another person").ok());
  }

  int64_t Alert(TravellerKind kind, int64_t id, const std::string& detail) {
    AlertReason r{"watchlist", "national", 1, "W1", "high", "terrorism", 0.93,
                  nlohmann::json::array({{{"factor", "name"}, {"detail", detail}, {"effect", 0.9}}}).dump(),
                  "fp-" + detail};
    auto changes = store_->UpdateAlerts({AlertUpdate{flight_, kind, id, {r}}});
    EXPECT_TRUE(changes.ok()) << changes.error();
    auto alerts = store_->Alerts("", flight_);
    for (const auto& a : *alerts)
      if (a.traveller_kind == kind && a.traveller_id == id) return a.id;
    ADD_FAILURE() << "no alert";
    return 0;
  }

  RetentionCounts RunAt(int64_t at, const RetentionPolicy& policy = {}) {
    clock_->Advance(at - clock_->now());
    auto done = run_retention(store_.get(), policy, *clock_);
    EXPECT_TRUE(done.ok()) << done.error();
    return done.ok() ? *done : RetentionCounts{};
  }

  // What an analyst sees of traveller `kind`/`id`: "gone", or the name and
  // whether it is depersonalised.
  std::string Seen(TravellerKind kind, int64_t id) {
    auto t = store_->LoadTraveller(kind, id);
    if (!t.ok()) return "gone";
    return t->person.surname + (t->depersonalised ? " (depersonalised)" : "");
  }

  int64_t Scalar(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ + "/v.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    const int64_t out = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  std::string dir_;
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
  int64_t flight_ = 0;
  std::map<std::string, int64_t> api_, pnr_;
};

TEST_F(RetentionTest, ApiDataGoesADayAfterArrivalUnlessAnAlertStandsOnIt) {
  const std::string raw_sha = sha256_hex(testing::ReadSample("paxlst-ba0117-passengers.edi"));
  EXPECT_EQ(RunAt(Arrival() + 23 * 3600), RetentionCounts{});
  EXPECT_EQ(Seen(TravellerKind::kApi, api_["OKONKWO"]), "OKONKWO");
  ASSERT_TRUE(store_->RawMessage(raw_sha)->has_value());

  const RetentionCounts c = RunAt(Arrival() + 25 * 3600);
  EXPECT_EQ(c.api_travellers_deleted, 2);  // Okonkwo and Mueller (whose alert was dismissed)
  EXPECT_EQ(c.alerts_deleted, 1);
  EXPECT_EQ(c.raw_messages_deleted, 1);    // the manifest's bytes
  EXPECT_EQ(Seen(TravellerKind::kApi, api_["OKONKWO"]), "gone");
  EXPECT_EQ(Seen(TravellerKind::kApi, api_["MÜLLER-LÜDENSCHEIDT"]), "gone");
  EXPECT_EQ(Seen(TravellerKind::kApi, api_["O'BRIEN"]), "O'BRIEN") << "an alert stands on it";
  EXPECT_FALSE(store_->RawMessage(raw_sha)->has_value());
  EXPECT_EQ(Seen(TravellerKind::kPnr, pnr_["OKONKWO"]), "OKONKWO") << "PNR data has its own period";
  EXPECT_EQ(store_->Counts()->links, 1) << "the deleted rows' links went with them; O'Brien's stays";
  auto dpo = store_->Dpo(format_utc(clock_->now()), RetentionPolicy{});
  ASSERT_TRUE(dpo.ok());
  EXPECT_EQ(dpo->done.api_travellers_deleted, 2);
  EXPECT_EQ(dpo->api_travellers_due_deletion, 0);
  EXPECT_EQ(RunAt(Arrival() + 26 * 3600), RetentionCounts{}) << "nothing twice";

  // Where the regime keeps nothing for alerts, O'Brien goes too.
  RetentionPolicy strict;
  strict.api_keep_if_alert = false;
  EXPECT_EQ(RunAt(Arrival() + 27 * 3600, strict).api_travellers_deleted, 1);
}

TEST_F(RetentionTest, PnrDataIsDepersonalisedAfterSixMonthsAndOpenedOnlyByAnApprovedRequest) {
  const int64_t okonkwo = pnr_["OKONKWO"];
  RunAt(kStart + 182 * kDay);
  EXPECT_EQ(Seen(TravellerKind::kPnr, okonkwo), "OKONKWO");
  EXPECT_FALSE(store_->RequestRepersonalisation(okonkwo, "CASE-1", "grounds", "ana").ok())
      << "nothing to re-personalise yet";
  Traveller by_document;
  by_document.documents.push_back(Document{"P", "533401872", "GBR", "", "", "", ""});
  EXPECT_FALSE(store_->StandingAlertsFor(by_document)->empty());

  const RetentionCounts c = RunAt(kStart + 184 * kDay);
  EXPECT_EQ(c.pnr_versions_depersonalised, 3);
  EXPECT_EQ(c.raw_messages_depersonalised, 2);
  EXPECT_EQ(c.pnr_versions_deleted, 0);

  auto t = store_->LoadTraveller(TravellerKind::kPnr, okonkwo);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_TRUE(t->depersonalised);
  EXPECT_EQ(t->person.surname, "");
  EXPECT_EQ(t->person.given_names, "");
  EXPECT_TRUE(t->person.documents.empty());
  EXPECT_EQ(t->person.birth_date, "");
  ASSERT_TRUE(t->booking.has_value());
  EXPECT_EQ(t->booking->travellers.size(), 1u) << "the party size is not shown";
  EXPECT_TRUE(t->booking->contacts.empty());
  EXPECT_TRUE(t->booking->addresses.empty());
  EXPECT_TRUE(t->booking->remarks.empty());
  for (const auto& p : t->booking->payments) {
    EXPECT_EQ(p.card_hash, "");
    EXPECT_EQ(p.card_last4, "");
  }
  for (const auto& f : t->booking->travellers[0].frequent_flyers) ADD_FAILURE() << "frequent flyer " << f.number;
  EXPECT_FALSE(t->booking->itinerary.empty()) << "the itinerary stays for analysis";
  EXPECT_EQ(t->booking->travel_agency.empty(), false);
  ASSERT_EQ(t->alerts.size(), 1u);
  EXPECT_EQ(t->alerts[0].traveller_name, "");
  EXPECT_EQ(t->alerts[0].reasons[0].explanation.find("OKONKWO"), std::string::npos)
      << t->alerts[0].reasons[0].explanation;
  EXPECT_TRUE(store_->StandingAlertsFor(by_document)->empty()) << "no lookup by document any more";
  EXPECT_FALSE(store_->RawMessage(sha256_hex(testing::ReadSample("pnrgov-ba0117-72h.edi")))->has_value());

  // Re-personalisation: asked for a case, decided by someone else, for a
  // time, for the requester only.
  auto request = store_->RequestRepersonalisation(okonkwo, "CASE-1", "suspected trafficking, file 77", "ana");
  ASSERT_TRUE(request.ok()) << request.error();
  const std::string now = format_utc(clock_->now()), later = format_utc(clock_->now() + 72 * 3600);
  EXPECT_FALSE(store_->ActiveRepersonalisation(okonkwo, "ana", now)->has_value()) << "not before approval";
  auto self = store_->DecideRepersonalisation(request->id, true, "ana", "", later);
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.error().find("someone other than its requester"), std::string::npos);
  auto approved = store_->DecideRepersonalisation(request->id, true, "judge", "granted for CASE-1", later);
  ASSERT_TRUE(approved.ok()) << approved.error();
  EXPECT_FALSE(store_->DecideRepersonalisation(request->id, false, "judge2", "", "").ok()) << "decided once";
  EXPECT_TRUE(store_->ActiveRepersonalisation(okonkwo, "ana", now)->has_value());
  EXPECT_FALSE(store_->ActiveRepersonalisation(okonkwo, "bob", now)->has_value()) << "the requester only";
  EXPECT_FALSE(store_->ActiveRepersonalisation(okonkwo, "ana", later)->has_value()) << "time-limited";
  auto original = store_->OriginalPnr(t->booking_version_id);
  ASSERT_TRUE(original.ok()) << original.error();
  EXPECT_EQ(original->travellers.at(static_cast<size_t>(t->position)).person.surname, "OKONKWO");
  EXPECT_FALSE(original->contacts.empty());
  auto dpo = store_->Dpo(now, RetentionPolicy{});
  ASSERT_EQ(dpo->repersonalisations.size(), 1u);
  EXPECT_EQ(dpo->repersonalisations[0].status, "approved");
  EXPECT_EQ(dpo->done.pnr_versions_depersonalised, 3);
  EXPECT_EQ(dpo->pnr_versions_due_depersonalisation, 0);
}

TEST_F(RetentionTest, TheStricterRegimeKeepsOnlyPnrDataWithARiskLink) {
  RetentionPolicy strict;
  strict.after_depersonalisation = "delete_unless_risk_link";
  const RetentionCounts c = RunAt(kStart + 184 * kDay, strict);
  EXPECT_EQ(c.pnr_versions_depersonalised, 2) << "K7QX2M's two versions: an alert stands on Okonkwo";
  EXPECT_EQ(c.pnr_versions_deleted, 1) << "P9ZZ4L: no alert";
  EXPECT_EQ(Seen(TravellerKind::kPnr, pnr_["OKONKWO"]), " (depersonalised)");
  EXPECT_EQ(Seen(TravellerKind::kPnr, pnr_["O'BRIEN"]), "gone");
  EXPECT_TRUE(store_->PnrVersions("BA", "P9ZZ4L")->empty());
}

TEST_F(RetentionTest, AfterFiveYearsNothingIsLeft) {
  Open(StoreSecurity{"", true});  // plaintext, so the file can be searched
  BioEncounter e;  // a frontline check that hit: its probe is kept
  e.officer = "officer7";
  e.result = "hit";
  e.probe = "a probe";
  ASSERT_TRUE(store_->RecordEncounter(e).ok());
  RunAt(Arrival() + 2 * kDay);
  RunAt(kStart + 200 * kDay);
  const RetentionCounts c = RunAt(kStart + 1827 * kDay);
  EXPECT_EQ(c.raw_messages_deleted, 3);
  EXPECT_EQ(c.encounters_deleted, 1);
  for (const char* table : {"raw_messages", "sealed_raw_messages", "pnrs", "pnr_versions", "sealed_pnr_versions",
                            "pnr_travellers", "api_travellers", "traveller_links", "alerts", "alert_reasons",
                            "screening_hits", "manifests", "minimisation_log", "bio_encounters"})
    EXPECT_EQ(Scalar(std::string("SELECT count(*) FROM ") + table), 0) << table;
  EXPECT_EQ(Seen(TravellerKind::kApi, api_["O'BRIEN"]), "gone");
  EXPECT_EQ(Seen(TravellerKind::kPnr, pnr_["OKONKWO"]), "gone");
  store_.reset();
  const std::string bytes = FileBytes(dir_ + "/v.db") + FileBytes(dir_ + "/v.db-wal");
  for (const char* s : {"OKONKWO", "533401872", "PALACE ROAD", "K7QX2M"})
    EXPECT_EQ(bytes.find(s), std::string::npos) << s << " is still in the file";
}

TEST_F(RetentionTest, ClosedAlertsAndQuarantineGoAfterTheirPeriods) {
  bool fresh = false;
  ASSERT_TRUE(store_->Quarantine("UNB+garbage", "push", "no UNH", &fresh).ok());
  RetentionPolicy p;
  p.api_delete_after_arrival_hours = 24 * 3650;  // keep API data out of the way
  EXPECT_EQ(RunAt(kStart + 89 * kDay, p).quarantined_deleted, 0);
  EXPECT_EQ(RunAt(kStart + 91 * kDay, p).quarantined_deleted, 1);
  EXPECT_EQ(RunAt(kStart + 182 * kDay, p).alerts_deleted, 0);
  EXPECT_EQ(RunAt(kStart + 184 * kDay, p).alerts_deleted, 1) << "the dismissed one";
  EXPECT_EQ(store_->Alerts("", 0)->size(), 2u);
}

// Stopped at every step of every unit, a run leaves each PNR version
// either untouched or wholly depersonalised, and the next run finishes.
TEST_F(RetentionTest, ARunStoppedAnywhereResumesWithoutHalfMaskedRecords) {
  RetentionCounts whole;
  {
    // The reference: one uninterrupted run on the same data.
    whole = RunAt(kStart + 184 * kDay);
    Open(StoreSecurity{});
  }
  int interrupted = 0;
  for (const char* step : {"original sealed", "version masked", "traveller masked", "message depersonalised"}) {
    for (int nth = 1; nth <= 3; ++nth) {
      Open(StoreSecurity{});
      clock_->Advance(184 * kDay);
      int seen = 0;
      auto stopped = run_retention(store_.get(), RetentionPolicy{}, *clock_, [&](const char* at) {
        if (std::string(at) == step && ++seen == nth) throw std::runtime_error("power cut");
      });
      if (seen < nth) continue;  // fewer such steps than that
      ASSERT_FALSE(stopped.ok()) << step << " " << nth;
      ++interrupted;
      EXPECT_NE(stopped.error().find("power cut"), std::string::npos);
      const std::string where = std::string(step) + " #" + std::to_string(nth);
      EXPECT_EQ(Scalar("SELECT count(*) FROM pnr_versions v WHERE (v.masked_at <> '') <> "
                       "EXISTS (SELECT 1 FROM sealed_pnr_versions s WHERE s.version_id = v.id)"),
                0)
          << where;
      EXPECT_EQ(Scalar("SELECT count(*) FROM pnr_travellers t JOIN pnr_versions v ON v.id = t.pnr_version_id "
                       "WHERE (v.masked_at <> '') <> (t.name_key = '')"),
                0)
          << where;
      EXPECT_EQ(Scalar("SELECT count(*) FROM raw_messages m WHERE (m.masked_at <> '') <> "
                       "EXISTS (SELECT 1 FROM sealed_raw_messages s WHERE s.message_id = m.id)"),
                0)
          << where;
      auto rest = run_retention(store_.get(), RetentionPolicy{}, *clock_);
      ASSERT_TRUE(rest.ok()) << rest.error();
      auto dpo = store_->Dpo(format_utc(clock_->now()), RetentionPolicy{});
      EXPECT_EQ(dpo->done.pnr_versions_depersonalised, whole.pnr_versions_depersonalised) << where;
      EXPECT_EQ(dpo->done.raw_messages_depersonalised, whole.raw_messages_depersonalised) << where;
      EXPECT_EQ(Scalar("SELECT count(*) FROM pnr_versions WHERE masked_at = ''"), 0) << where;
    }
  }
  EXPECT_GE(interrupted, 10);
}

TEST(RetentionPolicyTest, TheShippedFileIsTheDefaultAndMistakesAreNamed) {
  auto shipped = load_retention_policy(std::string(VIGIL_SOURCE_DIR) + "/config/retention.json");
  ASSERT_TRUE(shipped.ok()) << shipped.error();
  EXPECT_EQ(retention_policy_json(*shipped), retention_policy_json(RetentionPolicy{}));
  auto strict = parse_retention_policy(R"({"after_depersonalisation": "delete_unless_risk_link",
                                           "api_delete_after_arrival_hours": 48})",
                                       "p.json");
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->after_depersonalisation, "delete_unless_risk_link");
  EXPECT_EQ(strict->api_delete_after_arrival_hours, 48);
  EXPECT_EQ(strict->delete_after_days, 1826);
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"({"delete_after_day": 10})", "p.json: delete_after_day: unknown setting"},
           {R"({"delete_after_days": "5y"})", "p.json: delete_after_days: expected a whole number"},
           {R"({"delete_after_days": 0})", "p.json: delete_after_days: expected a whole number"},
           {R"({"after_depersonalisation": "mask"})", "p.json: after_depersonalisation: expected"},
           {R"({"pnr_depersonalise_after_days": 400, "delete_after_days": 300})", "exceeds delete_after_days"},
           {"[1]", "p.json: not a JSON object"}}) {
    auto r = parse_retention_policy(text, "p.json");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().find(expected), std::string::npos) << r.error();
  }
}

TEST(DepersonaliseTest, MasksWhatIdentifiesAndKeepsWhatAnalysisNeeds) {
  Pnr p;
  p.record_locator = "K7QX2M";
  p.travel_agency = "TVLAGT1";
  PnrTraveller t;
  t.person.surname = "OKONKWO";
  t.person.given_names = "CHIDI";
  t.person.birth_date = "1985-02-14";
  t.person.nationality = "GBR";
  t.person.sex = "M";
  t.person.documents.push_back(Document{"P", "533401872", "GBR", "", "", "", ""});
  t.person.address = Address{"R", "14 PALACE ROAD", "LONDON", "", "SW2", "GBR"};
  t.frequent_flyers.push_back({"BA", "12345678", "GOLD"});
  t.ssrs.push_back({"DOCS", "HK", "BA", "/P/GBR/533401872/GBR/14FEB85/M//OKONKWO/CHIDI", "1", ""});
  t.seats = {"23A"};
  t.tickets.push_back({"1252345678901", "ET", "2026-11-01"});
  p.travellers = {t, t};
  p.contacts.push_back({"email", "C.OKONKWO@EXAMPLE.NET"});
  p.addresses.push_back(Address{"R", "14 PALACE ROAD", "LONDON", "", "SW2", "GBR"});
  p.payments.push_back(Payment{"CC", "VI", "abcd", "1234", "12/29", "845.00", "GBP"});
  p.remarks = {"CALL MR OKONKWO ON ARRIVAL"};
  p.itinerary.push_back({FlightLeg{"BA", "117", "LHR", "JFK", "2026-11-23T10:25", "2026-11-23T13:20"}, "Y", "HK", "", ""});
  depersonalise(&p);
  const std::string all = to_json(p).dump();
  for (const char* s : {"OKONKWO", "CHIDI", "1985", "533401872", "PALACE", "12345678", "1234", "EXAMPLE"})
    EXPECT_EQ(all.find(s), std::string::npos) << s << " in " << all;
  EXPECT_EQ(p.travellers.size(), 2u);
  EXPECT_EQ(p.travellers[0].ssrs.at(0).code, "DOCS");
  EXPECT_EQ(p.travellers[0].seats, std::vector<std::string>{"23A"});
  EXPECT_EQ(p.payments.at(0).amount, "845.00");
  EXPECT_EQ(p.itinerary.size(), 1u);
  EXPECT_EQ(p.record_locator, "K7QX2M");
  EXPECT_EQ(p.travel_agency, "TVLAGT1");
}

}  // namespace
}  // namespace vigil
