// The HTTP API through a real server on loopback and a real HTTP client.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <sqlite3.h>

#include "auth/auth.h"
#include "base/file.h"
#include "base/hash.h"
#include "biometrics/chip_issuer.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "intake/ingest.h"
#include "privacy/retention.h"
#include "risk/assess.h"
#include "store/store.h"
#include "support/test_support.h"
#include "synth/finger_generator.h"
#include "synth/finger_image.h"

namespace vigil {
namespace {

using nlohmann::json;
using testing::ManualClock;

// 2026-11-18T08:53:20Z: the BA117 sample of 2026-11-23 is upcoming.
constexpr int64_t kStart = 1795000000;
const char* kPassword = "a long passphrase 7";

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clock_ = std::make_shared<ManualClock>(kStart);
    db_ = testing::TempDir() + "/server.db";
    auto store = OpenSqliteStore(db_, clock_);
    ASSERT_TRUE(store.ok()) << store.error();
    Store* s = store->get();
    const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    Ingestor ingestor(s, o);
    for (const char* f : {"paxlst-ba0117-passengers.edi", "pnrgov-ba0117-72h.edi"})
      ASSERT_TRUE(ingestor.Ingest(testing::ReadSample(f), f).ok());
    bool unchanged = false;
    ASSERT_TRUE(s->StoreListVersion("national", "jsonl", "t",
                                    {testing::PersonEntry("national", "W1", {"Chidi OKONKWO"}, {"1985-02-14"})},
                                    &unchanged)
                    .ok());
    auto assessor = Assessor::Open(s, ScreeningConfig{}, day_number("2026-11-18"));
    ASSERT_TRUE(assessor.ok());
    std::vector<int64_t> flights;
    auto stored = s->Flights("", "");
    ASSERT_TRUE(stored.ok());
    for (const auto& f : *stored) flights.push_back(f.id);
    AssessSummary summary;
    auto assessed = (*assessor)->Assess(flights, &summary);
    ASSERT_TRUE(assessed.ok()) << assessed.message();
    ASSERT_GE(summary.list_matches, 1);
    Authenticator auth(s, clock_);
    for (const auto& role : role_names()) ASSERT_TRUE(auth.CreateUser(role + "1", {role}, kPassword).ok()) << role;
    for (const char* scope : {"push", "check", "metrics"}) tokens_[scope] = *auth.CreateToken(std::string("sys-") + scope, {scope});

    ServerOptions so;
    so.db_path = db_;
    so.port = 0;
    so.threads = 4;
    so.clock = clock_;
    issuer_ = std::make_unique<testing::ChipIssuer>("UT");
    csca_path_ = so.csca_path = testing::TempDir() + "/csca.pem";
    so.csca_recheck_s = 0;  // its files looked at on every check
    std::ofstream(so.csca_path) << issuer_->CscaPem() << issuer_->Crl(false);  // with a current CRL
    auto server = ApiServer::Start(so);
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server);
    thread_ = std::thread([] { server_->Run(); });
    httplib::Client probe("127.0.0.1", server_->port());
    for (int i = 0; i < 100 && !probe.Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_.join();
    server_.reset();
  }

  httplib::Client Client() { return httplib::Client("127.0.0.1", server_->port()); }

  // Signs `user` in; returns the cookie header and the CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& user) {
    auto c = Client();
    auto r = c.Post("/api/v1/session", json{{"name", user}, {"password", kPassword}}.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << user << " " << (r ? r->body : "no answer");
    if (!r || r->status != 200) return {};
    const std::string set = r->get_header_value("Set-Cookie");
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    return {set.substr(0, set.find(';')), json::parse(r->body)["csrf"]};
  }

  static std::shared_ptr<ManualClock> clock_;
  static std::string db_;
  static std::unique_ptr<ApiServer> server_;
  static std::unique_ptr<testing::ChipIssuer> issuer_;  // the state whose CSCA the server trusts
  static std::string csca_path_;                        // its certificate and CRL, as the server reads them
  static std::thread thread_;
  static std::map<std::string, std::string> tokens_;
};

std::shared_ptr<ManualClock> ServerTest::clock_;
std::string ServerTest::db_;
std::unique_ptr<ApiServer> ServerTest::server_;
std::unique_ptr<testing::ChipIssuer> ServerTest::issuer_;
std::string ServerTest::csca_path_;
std::thread ServerTest::thread_;
std::map<std::string, std::string> ServerTest::tokens_;

// One request of the matrix: what it asks and who may.
struct Call {
  const char* method;
  const char* path;
  const char* body;  // JSON, or nullptr
  std::set<std::string> allowed;  // roles and token scopes ("token:push")
};

const std::vector<Call>& Matrix() {
  static const std::vector<Call> kCalls = {
      {"GET", "/api/v1/flights", nullptr, {"analyst", "frontline", "supervisor"}},
      {"GET", "/api/v1/alerts", nullptr, {"analyst", "supervisor"}},
      {"GET", "/api/v1/alerts/1", nullptr, {"analyst", "supervisor"}},
      {"POST", "/api/v1/alerts/999999/review", R"({"to":"in_review","reason":"x"})", {"analyst", "supervisor"}},
      {"POST", "/api/v1/check", R"({"surname":"DOE","birth_date":"1970-01-01"})",
       {"analyst", "frontline", "supervisor", "token:check"}},
      {"POST", "/api/v1/chip-challenge", "{}", {"analyst", "frontline", "supervisor", "token:check"}},
      {"GET", "/api/v1/audit", nullptr, {"auditor"}},
      {"GET", "/api/v1/travellers/api/1", nullptr, {"analyst", "supervisor"}},
      {"GET", "/api/v1/rules", nullptr, {"analyst", "supervisor", "rule_manager"}},
      {"POST", "/api/v1/rules/check", R"({"text":"rule \"x\" severity low category c when true"})",
       {"analyst", "supervisor", "rule_manager"}},
      {"POST", "/api/v1/rules", R"({"text":"not a rule"})", {"rule_manager"}},
      {"POST", "/api/v1/rules/test", R"({"text":"rule \"x\" severity low category c when false","days":1})",
       {"analyst", "supervisor", "rule_manager"}},
      {"GET", "/api/v1/lists", nullptr, {"analyst", "supervisor", "list_manager"}},
      {"GET", "/api/v1/lists/national/entries", nullptr, {"analyst", "supervisor", "list_manager"}},
      {"POST", "/api/v1/lists/matrix?format=jsonl", "not a list", {"list_manager"}},
      {"GET", "/api/v1/partner/alerts", nullptr, {"partner"}},
      {"GET", "/api/v1/reports/dpo", nullptr, {"auditor"}},
      {"GET", "/api/v1/lists/national/entries/W1", nullptr, {"analyst", "supervisor"}},
      {"GET", "/metrics", nullptr, {"admin", "token:metrics"}},
      {"POST", "/api/v1/repersonalisations", R"({"traveller_id":999999,"case_ref":"C-1","grounds":"g"})",
       {"analyst"}},
      {"GET", "/api/v1/repersonalisations", nullptr, {"analyst"}},
      {"GET", "/api/v1/repersonalisations?view=all", nullptr, {"approver"}},
      {"POST", "/api/v1/repersonalisations/999999/approve", R"({"note":"n"})", {"approver"}},
      {"GET", "/api/v1/encounters", nullptr, {"analyst", "supervisor"}},
      {"POST", "/api/v1/encounters/999999/decision", R"({"decision":"confirmed","reason":"r"})",
       {"analyst", "supervisor"}},
      {"GET", "/api/v1/encounters/999999/images", nullptr, {"analyst", "supervisor"}},
  };
  return kCalls;
}

httplib::Result Send(httplib::Client& c, const Call& call, const httplib::Headers& headers) {
  if (std::string(call.method) == "GET") return c.Get(call.path, headers);
  return c.Post(call.path, headers, call.body, "application/json");
}

TEST_F(ServerTest, EveryRoleAndTokenReachesWhatItMustAndNothingMore) {
  for (const auto& role : role_names()) {
    auto [cookie, csrf] = SignIn(role + "1");
    auto c = Client();
    for (const Call& call : Matrix()) {
      auto r = Send(c, call, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Purpose", "test case 1"}});
      ASSERT_TRUE(r);
      const bool allowed = call.allowed.count(role) > 0;
      if (allowed) EXPECT_NE(r->status, 403) << role << " " << call.path << " " << r->body;
      else EXPECT_EQ(r->status, 403) << role << " " << call.path << " " << r->body;
    }
  }
  for (const auto& [scope, token] : tokens_) {
    auto c = Client();
    for (const Call& call : Matrix()) {
      auto r = Send(c, call, {{"Authorization", "Bearer " + token}, {"X-Purpose", "gate 4"}});
      ASSERT_TRUE(r);
      const bool allowed = call.allowed.count("token:" + scope) > 0;
      if (allowed) EXPECT_NE(r->status, 403) << scope << " " << call.path << " " << r->body;
      else EXPECT_EQ(r->status, 403) << scope << " " << call.path << " " << r->body;
    }
  }
  // Nobody signed in: nothing but /healthz.
  auto c = Client();
  for (const Call& call : Matrix()) EXPECT_EQ(Send(c, call, {})->status, 401) << call.path;
  EXPECT_EQ(c.Get("/healthz")->status, 200);
  EXPECT_EQ(Send(c, Matrix()[1], {{"Authorization", "Bearer vgl_forged"}})->status, 401);
}

TEST_F(ServerTest, PersonalDataNeedsAPurposeAndEveryAccessIsLogged) {
  auto [cookie, csrf] = SignIn("analyst1");
  auto c = Client();
  auto without = c.Get("/api/v1/alerts", {{"Cookie", cookie}});
  EXPECT_EQ(without->status, 400);
  auto with = c.Get("/api/v1/alerts", {{"Cookie", cookie}, {"X-Purpose", "case 2026/117"}});
  ASSERT_EQ(with->status, 200) << with->body;
  auto alerts = json::parse(with->body);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0]["reasons"][0]["kind"], "watchlist");

  auto [acookie, acsrf] = SignIn("auditor1");
  auto log = c.Get("/api/v1/audit?limit=50", {{"Cookie", acookie}});
  ASSERT_EQ(log->status, 200);
  bool read = false, refused = false;
  for (const auto& e : json::parse(log->body)) {
    if (e["actor"] == "analyst1" && e["object"] == "alerts" && e["outcome"] == "ok") {
      read = true;
      EXPECT_EQ(e["purpose"], "case 2026/117");
      EXPECT_EQ(e["remote"], "127.0.0.1");
    }
    refused = refused || (e["actor"] == "analyst1" && e["outcome"] == "denied");
  }
  EXPECT_TRUE(read);
  EXPECT_TRUE(refused) << "the read without a purpose is logged as refused";
}

TEST_F(ServerTest, ReviewInASessionNeedsItsCsrfTokenAndAReason) {
  auto [cookie, csrf] = SignIn("analyst1");
  auto c = Client();
  auto list = json::parse(c.Get("/api/v1/alerts?status=new", {{"Cookie", cookie}, {"X-Purpose", "p"}})->body);
  ASSERT_FALSE(list.empty());
  const std::string path = "/api/v1/alerts/" + std::to_string(list[0]["id"].get<int64_t>()) + "/review";
  const std::string body = R"({"to":"in_review","reason":"checking the booking"})";
  EXPECT_EQ(c.Post(path, {{"Cookie", cookie}}, body, "application/json")->status, 403);
  EXPECT_EQ(c.Post(path, {{"Cookie", cookie}, {"X-CSRF-Token", "0000"}}, body, "application/json")->status, 403);
  EXPECT_EQ(c.Post(path, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, R"({"to":"in_review","reason":" "})",
                   "application/json")->status, 409);
  auto ok = c.Post(path, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, body, "application/json");
  ASSERT_EQ(ok->status, 200) << ok->body;
  auto alert = json::parse(ok->body);
  EXPECT_EQ(alert["status"], "in_review");
  EXPECT_EQ(alert["events"].back()["user"], "analyst1");
}

TEST_F(ServerTest, SignInFailuresLockTheAccountAndSessionsExpire) {
  auto c = Client();
  auto bad = [&](const std::string& user) {
    return c.Post("/api/v1/session", json{{"name", user}, {"password", "wrong password 1"}}.dump(), "application/json");
  };
  auto unknown = bad("nobody");
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(json::parse(unknown->body)["error"], "wrong name or password");
  {
    auto store = OpenSqliteStore(db_, clock_);
    ASSERT_TRUE(Authenticator(store->get(), clock_).CreateUser("victim", {"frontline"}, kPassword).ok());
  }
  for (int i = 0; i < 4; ++i) EXPECT_EQ(bad("victim")->status, 401);
  EXPECT_EQ(bad("victim")->status, 423);
  auto locked = c.Post("/api/v1/session", json{{"name", "victim"}, {"password", kPassword}}.dump(), "application/json");
  EXPECT_EQ(locked->status, 423) << "even the right password waits out the lockout";
  clock_->Advance(16 * 60);
  auto [cookie, csrf] = SignIn("victim");
  EXPECT_EQ(c.Get("/api/v1/flights", {{"Cookie", cookie}})->status, 200);
  clock_->Advance(31 * 60);  // idle longer than the session allows
  auto expired = c.Get("/api/v1/flights", {{"Cookie", cookie}});
  EXPECT_EQ(expired->status, 401);
  EXPECT_EQ(json::parse(expired->body)["error"], "the session expired; sign in again");
}

TEST_F(ServerTest, BadRequestsGetPreciseAnswersAndLeakNothing) {
  auto [cookie, csrf] = SignIn("analyst1");
  auto c = Client();
  const httplib::Headers h = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Purpose", "p"}};
  EXPECT_EQ(c.Post("/api/v1/check", h, "{not json", "application/json")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/check", h, R"({"surname":"DOE"})", "text/plain")->status, 415);
  auto unknown = c.Post("/api/v1/check", h, R"({"surname":"DOE","shoe_size":44})", "application/json");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(json::parse(unknown->body)["error"], "unknown field \"shoe_size\"");
  EXPECT_EQ(c.Post("/api/v1/check", h, std::string(2 << 20, ' '), "application/json")->status, 413);
  EXPECT_EQ(c.Post("/api/v1/check", h, R"({"surname":"DOE","birth_date":"1970-02-31"})", "application/json")->status, 400);
  EXPECT_EQ(c.Get("/api/v1/alerts?status=x%27%20OR%201%3D1--", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/alerts?flight=1%3B%20DROP%20TABLE%20alerts", h)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/../../etc/passwd", h)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/alerts/1/../../../etc/passwd", h)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/alerts/99999999", h)->status, 404);
  auto nothing = c.Get("/api/v1/nothing", h);
  EXPECT_EQ(nothing->status, 404);
  EXPECT_TRUE(json::parse(nothing->body).contains("error"));
  // The server is still there, and the alerts table too.
  EXPECT_EQ(c.Get("/api/v1/alerts", h)->status, 200);
  // Errors never quote the traveller: a bad MRZ is not echoed back.
  auto mrz = c.Post("/api/v1/check", h, R"({"mrz":["P<GBROKONKWO<<CHIDI<<<<<<<<", "short"]})", "application/json");
  EXPECT_EQ(mrz->status, 422);
  EXPECT_EQ(mrz->body.find("OKONKWO"), std::string::npos) << mrz->body;
}

TEST_F(ServerTest, CarriersPushMessagesOnceAndFrontlineChecksSeeAlerts) {
  auto c = Client();
  const httplib::Headers push = {{"Authorization", "Bearer " + tokens_["push"]}};
  const std::string message = testing::ReadSample("pnrgov-ba0117-24h.edi");
  auto first = c.Post("/api/v1/messages", push, message, "application/edifact");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(json::parse(first->body)["stored"], true);
  auto again = c.Post("/api/v1/messages", push, message, "application/edifact");
  EXPECT_EQ(json::parse(again->body)["duplicate"], true);
  auto junk = c.Post("/api/v1/messages", push, "UNA:+.? 'UNB+garbage", "application/edifact");
  EXPECT_EQ(junk->status, 422);
  EXPECT_EQ(json::parse(junk->body)["stored"], false);
  EXPECT_EQ(c.Post("/api/v1/messages", push, message, "application/json")->status, 415);
  EXPECT_EQ(c.Post("/api/v1/messages", {{"Authorization", "Bearer " + tokens_["check"]}}, message,
                   "application/edifact")->status, 403);

  const httplib::Headers gate = {{"Authorization", "Bearer " + tokens_["check"]}, {"X-Purpose", "gate 4"}};
  auto check = c.Post("/api/v1/check", gate,
                      R"({"surname":"OKONKWO","given_names":"CHIDI EMEKA","birth_date":"1985-02-14"})",
                      "application/json");
  ASSERT_EQ(check->status, 200) << check->body;
  auto j = json::parse(check->body);
  ASSERT_FALSE(j["matches"].empty());
  EXPECT_EQ(j["matches"][0]["entry"], "W1");
  std::set<std::string> flights;
  for (const auto& a : j["alerts"]) flights.insert(a["flight"].get<std::string>());
  EXPECT_TRUE(flights.count("BA117")) << "the stored traveller's standing alerts: " << check->body.substr(0, 200);

  auto metrics = c.Get("/metrics", {{"Authorization", "Bearer " + tokens_["metrics"]}});
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("vigil_http_requests_total{route=\"check\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(metrics->body.find("vigil_messages_total{kind=\"duplicate\"} 1"), std::string::npos);
}

TEST_F(ServerTest, RulesAreCheckedStoredAndTriedThroughTheApi) {
  auto [cookie, csrf] = SignIn("rule_manager1");
  auto c = Client();
  const httplib::Headers h = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Purpose", "rule review"}};
  auto bad = c.Post("/api/v1/rules/check", h, R"({"text":"rule \"r\" severity low category c\nwhen traveller.nationalty == \"GBR\""})",
                    "application/json");
  ASSERT_EQ(bad->status, 422);
  auto e = json::parse(bad->body);
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["column"], 6);
  EXPECT_EQ(e["hint"], "did you mean traveller.nationality?");
  const std::string rule = R"({"text":"rule \"British\" severity low category test when traveller.nationality == \"GBR\""})";
  auto tried = c.Post("/api/v1/rules/test", h, R"({"text":"rule \"British\" severity low category test when traveller.nationality == \"GBR\"","days":3650})",
                      "application/json");
  ASSERT_EQ(tried->status, 200) << tried->body;
  auto trial = json::parse(tried->body);
  EXPECT_EQ(trial["rule"], "British");
  EXPECT_TRUE(trial["hits"].is_array()) << "history holds no flight yet: the sample flight is upcoming";
  auto stored = c.Post("/api/v1/rules", h, rule, "application/json");
  ASSERT_EQ(stored->status, 200) << stored->body;
  EXPECT_EQ(json::parse(stored->body)["version"], 1);
  auto list = json::parse(c.Get("/api/v1/rules", h)->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["author"], "rule_manager1");
  // The upcoming BA117 travellers were re-assessed with it.
  auto [acookie, acsrf] = SignIn("analyst1");
  auto alerts = json::parse(c.Get("/api/v1/alerts", {{"Cookie", acookie}, {"X-Purpose", "p"}})->body);
  bool ruled = false;
  for (const auto& a : alerts)
    for (const auto& r : a["reasons"]) ruled = ruled || r["source"] == "British";
  EXPECT_TRUE(ruled);
  auto off = c.Post("/api/v1/rules/British/disable", h, "", "application/json");
  EXPECT_EQ(off->status, 200) << off->body;
  EXPECT_EQ(c.Post("/api/v1/rules/Nothing/disable", h, "", "application/json")->status, 404);
}

TEST_F(ServerTest, TravellerPageShowsBookingVersionsAndAlerts) {
  auto [cookie, csrf] = SignIn("analyst1");
  auto c = Client();
  auto alerts = json::parse(c.Get("/api/v1/alerts", {{"Cookie", cookie}, {"X-Purpose", "p"}})->body);
  ASSERT_FALSE(alerts.empty());
  const auto& a = alerts.back();
  const std::string path = "/api/v1/travellers/" + a["traveller_kind"].get<std::string>() + "/" +
                           std::to_string(a["traveller_id"].get<int64_t>());
  EXPECT_EQ(c.Get(path, {{"Cookie", cookie}})->status, 400) << "a purpose is required";
  auto r = c.Get(path, {{"Cookie", cookie}, {"X-Purpose", "case 9"}});
  ASSERT_EQ(r->status, 200) << r->body;
  auto t = json::parse(r->body);
  EXPECT_FALSE(t["person"]["surname"].get<std::string>().empty());
  EXPECT_FALSE(t["flights"].empty());
  EXPECT_FALSE(t["alerts"].empty());
  EXPECT_EQ(c.Get("/api/v1/travellers/api/999999", {{"Cookie", cookie}, {"X-Purpose", "p"}})->status, 404);
  EXPECT_EQ(c.Get("/api/v1/travellers/xyz/1", {{"Cookie", cookie}, {"X-Purpose", "p"}})->status, 404);
}

TEST_F(ServerTest, ListManagersImportListsThatChecksUseAtOnce) {
  auto [cookie, csrf] = SignIn("list_manager1");
  auto c = Client();
  const httplib::Headers h = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Purpose", "list upkeep"}};
  auto bad = c.Post("/api/v1/lists/wanted?format=jsonl", h, "{\"names\": [\"no id\"]}\n", "text/plain");
  ASSERT_EQ(bad->status, 422) << bad->body;
  EXPECT_FALSE(json::parse(bad->body)["problems"].empty());
  EXPECT_EQ(c.Post("/api/v1/lists/wanted?format=xls", h, "x", "text/plain")->status, 400);
  const std::string list = "{\"id\": \"X9\", \"names\": [\"Jonas Ebbesen\"], \"dob\": [\"1970-05-05\"]}\n";
  auto ok = c.Post("/api/v1/lists/wanted?format=jsonl", h, list, "text/plain");
  ASSERT_EQ(ok->status, 200) << ok->body;
  auto j = json::parse(ok->body);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["added"], 1);
  auto entries = c.Get("/api/v1/lists/wanted/entries", h);
  ASSERT_EQ(entries->status, 200);
  EXPECT_EQ(json::parse(entries->body)["total"], 1);
  EXPECT_EQ(c.Get("/api/v1/lists/wanted/entries", {{"Cookie", cookie}})->status, 400) << "listed people are personal data";
  // A frontline check finds the new entry without a restart.
  auto check = c.Post("/api/v1/check", {{"Authorization", "Bearer " + tokens_["check"]}, {"X-Purpose", "gate"}},
                      R"({"surname":"EBBESEN","given_names":"JONAS","birth_date":"1970-05-05"})", "application/json");
  ASSERT_EQ(check->status, 200);
  auto m = json::parse(check->body)["matches"];
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0]["entry"], "X9");
}

TEST_F(ServerTest, PartnersSeeConfirmedAlertsWithoutNamesOrEvidence) {
  auto c = Client();
  {
    // An analyst confirms one alert.
    auto [acookie, acsrf] = SignIn("supervisor1");
    const httplib::Headers h = {{"Cookie", acookie}, {"X-CSRF-Token", acsrf}, {"X-Purpose", "p"}};
    auto list = json::parse(c.Get("/api/v1/alerts?status=new", h)->body);
    ASSERT_FALSE(list.empty());
    const std::string path = "/api/v1/alerts/" + std::to_string(list[0]["id"].get<int64_t>()) + "/review";
    ASSERT_EQ(c.Post(path, h, R"({"to":"in_review","reason":"r"})", "application/json")->status, 200);
    ASSERT_EQ(c.Post(path, h, R"({"to":"confirmed","reason":"same person: passport seen"})", "application/json")->status, 200);
  }
  auto [cookie, csrf] = SignIn("partner1");
  auto r = c.Get("/api/v1/partner/alerts", {{"Cookie", cookie}, {"X-Purpose", "shared case 4"}});
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_FALSE(json::parse(r->body).empty());
  for (const auto& a : json::parse(r->body)) {
    EXPECT_FALSE(a.contains("traveller_name"));
    for (const auto& reason : a["reasons"]) EXPECT_FALSE(reason.contains("explanation"));
  }
  EXPECT_EQ(r->body.find("OKONKWO"), std::string::npos);
}

// Over TLS the session cookie is marked Secure.
TEST(ServerTlsTest, ServesHttpsWithSecureCookies) {
  const std::string dir = testing::TempDir();
  const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " + key +
                           " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0) << "openssl could not make a test certificate";
  auto clock = std::make_shared<ManualClock>(kStart);
  const std::string db = dir + "/tls.db";
  {
    auto store = OpenSqliteStore(db, clock);
    ASSERT_TRUE(Authenticator(store->get(), clock).CreateUser("ana", {"analyst"}, kPassword).ok());
  }
  ServerOptions so;
  so.db_path = db;
  so.port = 0;
  so.clock = clock;
  so.tls_cert = cert;
  so.tls_key = key;
  auto server = ApiServer::Start(so);
  ASSERT_TRUE(server.ok()) << server.error();
  std::thread serving([&] { (*server)->Run(); });
  httplib::SSLClient client("127.0.0.1", (*server)->port());
  client.enable_server_certificate_verification(false);
  auto health = client.Get("/healthz");
  for (int i = 0; i < 100 && !health; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    health = client.Get("/healthz");
  }
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto in = client.Post("/api/v1/session", json{{"name", "ana"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->status, 200);
  EXPECT_NE(in->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
  (*server)->Stop();
  serving.join();
}

// Fingerprints at the frontline: a device's token checks a probe against
// the gallery, enrolments made meanwhile are searched at once, and bad
// templates get precise answers.
// A passport's photograph read from its chip: the data group checked
// against the document security object, signed under a CSCA the server
// trusts; the verdict answered and recorded with the encounter.
TEST_F(ServerTest, ChipsOfDocumentsAreAuthenticatedAtTheCheck) {
  auto store = OpenSqliteStore(db_, clock_);
  ASSERT_TRUE(store.ok()) << store.error();
  auto photo = read_file(std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg");
  ASSERT_TRUE(photo.ok());
  const std::string dg2 = testing::DataGroup('\x75', {testing::FaceRecord({{0, *photo}})});
  auto c = Client();
  const httplib::Headers gate = {{"Authorization", "Bearer " + tokens_["check"]}, {"X-Purpose", "gate 9"}};
  auto check = [&](const std::string& sod, const std::string& face) {
    json body = {{"face_image", base64_encode(face)}, {"document_security_object", base64_encode(sod)}};
    auto r = c.Post("/api/v1/check", gate, body.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r && r->status == 200 ? json::parse(r->body) : json();
  };
  json j = check(issuer_->SodOver({{2, dg2}}), dg2);
  EXPECT_EQ(j["chip"]["authentic"], true) << j.dump();
  EXPECT_EQ(j["chip"]["groups"], json::array({2}));
  EXPECT_EQ(j["chip"]["signer"], "CN=Document Signer UT,C=UT");
  EXPECT_EQ(j["chip"]["revocation_current"], true) << "the server read the CRL beside the CSCA";
  EXPECT_TRUE(j["biometrics"]["candidates"].is_array());
  auto last = (*store)->BioEncounters(1, "");
  ASSERT_TRUE(last.ok() && last->size() == 1);
  EXPECT_EQ(last->at(0).chip, "authentic");

  // The photograph is not the one the issuer signed for.
  const std::string other = testing::DataGroup('\x75', {testing::FaceRecord({{0, *photo}}, 2)});
  j = check(issuer_->SodOver({{2, other}}), dg2);
  EXPECT_EQ(j["chip"]["authentic"], false);
  EXPECT_NE(j["chip"]["reason"].get<std::string>().find("data group 2 does not hash"), std::string::npos) << j.dump();
  last = (*store)->BioEncounters(1, "");
  EXPECT_EQ(last->at(0).chip.rfind("not authentic: data group 2 does not hash", 0), 0u) << last->at(0).chip;
  // Signed by a state this server does not trust.
  j = check(testing::ChipIssuer("AT").SodOver({{2, dg2}}), dg2);
  EXPECT_EQ(j["chip"]["authentic"], false);
  EXPECT_NE(j["chip"]["reason"].get<std::string>().find("does not lead to a trusted CSCA"), std::string::npos);
  // A photograph that is not from a chip: nothing to check it with.
  j = check(issuer_->SodOver({{2, dg2}}), *photo);
  EXPECT_EQ(j["chip"]["reason"], "no data group to check");
  auto bad = c.Post("/api/v1/check", gate, json{{"face_image", base64_encode(dg2)}, {"document_security_object", 5}}.dump(),
                    "application/json");
  EXPECT_EQ(bad->status, 400);

  // A new CRL revoking the document signer, put beside the CSCA while the
  // server runs: the next check reads it. A file that then no longer
  // reads leaves the last good list in force.
  std::ofstream(csca_path_, std::ios::trunc) << issuer_->CscaPem() << issuer_->Crl(true);
  j = check(issuer_->SodOver({{2, dg2}}), dg2);
  EXPECT_EQ(j["chip"]["authentic"], false) << j.dump();
  EXPECT_NE(j["chip"]["reason"].get<std::string>().find("the document signer's certificate was revoked on "),
            std::string::npos)
      << j.dump();
  std::ofstream(csca_path_, std::ios::trunc) << "not a certificate";
  j = check(issuer_->SodOver({{2, dg2}}), dg2);
  EXPECT_EQ(j["chip"]["authentic"], false) << "still the revoking list";
  auto metrics = c.Get("/metrics", {{"Authorization", "Bearer " + tokens_["metrics"]}});
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("vigil_csca_loads_total{kind=\"failed\"} 1"), std::string::npos) << metrics->body;
  std::ofstream(csca_path_, std::ios::trunc) << issuer_->CscaPem() << issuer_->Crl(false);
  EXPECT_EQ(check(issuer_->SodOver({{2, dg2}}), dg2)["chip"]["authentic"], true);
}

// Active authentication at the check: the server issues a challenge, the
// reader has the chip sign it, and the check verifies the signature with
// the key of data group 15, which the security object must cover. A
// challenge answers once; a copy of the chip's files (another key) fails.
TEST_F(ServerTest, AChipSignsAChallengeTheServerIssued) {
  auto photo = read_file(std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg");
  ASSERT_TRUE(photo.ok());
  const std::string dg2 = testing::DataGroup('\x75', {testing::FaceRecord({{0, *photo}})});
  const testing::ChipKey chip(false), copy(false);
  const std::string dg15 = chip.Dg15(), sod = issuer_->SodOver({{2, dg2}, {15, dg15}});
  auto c = Client();
  const httplib::Headers gate = {{"Authorization", "Bearer " + tokens_["check"]}, {"X-Purpose", "gate 9"}};
  auto challenge = [&] {
    auto r = c.Post("/api/v1/chip-challenge", gate, "{}", "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    const json j = json::parse(r->body);
    EXPECT_EQ(j["expires_in"], 300);
    return *base64_decode(j["challenge"].get<std::string>());
  };
  auto check = [&](const std::string& issued, const std::string& signature, bool with_sod = true) {
    json body = {{"face_image", base64_encode(dg2)},
                 {"active_authentication",
                  {{"data_group_15", base64_encode(dg15)}, {"challenge", base64_encode(issued)},
                   {"signature", base64_encode(signature)}}}};
    if (with_sod) body["document_security_object"] = base64_encode(sod);
    return c.Post("/api/v1/check", gate, body.dump(), "application/json");
  };
  const std::string first = challenge();
  EXPECT_EQ(first.size(), 8u);
  auto r = check(first, chip.Sign(first));
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
  json j = json::parse(r->body)["chip"];
  EXPECT_EQ(j["authentic"], true) << j.dump();
  EXPECT_EQ(j["groups"], json::array({2, 15}));
  EXPECT_EQ(j["active_authentication"]["passed"], true) << j.dump();
  EXPECT_EQ(j["active_authentication"]["algorithm"], "ECDSA, SHA-256");
  auto store = OpenSqliteStore(db_, clock_);
  ASSERT_TRUE(store.ok()) << store.error();
  auto last = (*store)->BioEncounters(1, "");
  ASSERT_TRUE(last.ok() && last->size() == 1);
  EXPECT_EQ(last->at(0).chip, "authentic; chip genuine");

  // The same answer again: a recorded answer replayed by a copy.
  j = json::parse(check(first, chip.Sign(first))->body)["chip"];
  EXPECT_EQ(j["active_authentication"]["passed"], false);
  EXPECT_NE(j["active_authentication"]["reason"].get<std::string>().find("answered already"), std::string::npos);
  // A copy with a key of its own, and a challenge the server never issued.
  const std::string second = challenge();
  j = json::parse(check(second, copy.Sign(second))->body)["chip"];
  EXPECT_EQ(j["active_authentication"]["passed"], false);
  EXPECT_NE(j["active_authentication"]["reason"].get<std::string>().find("the chip may be a copy"), std::string::npos);
  last = (*store)->BioEncounters(1, "");
  EXPECT_EQ(last->at(0).chip.rfind("authentic; chip not genuine: ", 0), 0u) << last->at(0).chip;
  const std::string made_up(8, 'x');
  j = json::parse(check(made_up, chip.Sign(made_up))->body)["chip"];
  EXPECT_EQ(j["active_authentication"]["passed"], false);
  // Without the security object the key proves nothing.
  const std::string third = challenge();
  r = check(third, chip.Sign(third), false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("needs document_security_object"), std::string::npos) << r->body;
}

TEST_F(ServerTest, FrontlineChecksSearchFingerprintsAgainstTheGallery) {
  auto store = OpenSqliteStore(db_, clock_);
  ASSERT_TRUE(store.ok()) << store.error();
  FingerGenerator gen(5);
  auto record = [&](int finger, int impression) {
    FingerTemplate t;
    t.views = {gen.Impression(finger, impression)};
    return write_fmr(t);
  };
  for (int f = 0; f < 3; ++f)
    ASSERT_TRUE((*store)->EnrolBiometrics("national", "B" + std::to_string(f), "terrorism",
                                          {BioTemplate{0, "", "", "", "finger", 1, record(f, 0), ""}})
                    .ok());
  auto c = Client();
  const httplib::Headers gate = {{"Authorization", "Bearer " + tokens_["check"]}, {"X-Purpose", "gate 4"}};
  auto check = [&](const json& body) { return c.Post("/api/v1/check", gate, body.dump(), "application/json"); };
  auto r = check({{"fingerprints", {base64_encode(record(1, 1))}}, {"location", "BCP Sud lane 2"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["id"], "B1");
  EXPECT_TRUE(j["biometrics"]["candidates"][0]["match"]);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["threshold"], 10.6) << "three views: the 1:1 threshold";
  EXPECT_EQ(j["biometrics"]["candidates"][0]["fingers"].size(), 1u) << "what the score fuses: the probe's one view";
  EXPECT_EQ(j["biometrics"]["candidates"][0]["fingers"][0]["score"], j["biometrics"]["candidates"][0]["score"]);
  auto encounters = (*store)->BioEncounters(1, "");
  ASSERT_EQ(encounters->size(), 1u);
  EXPECT_EQ(encounters->at(0).result, "hit");
  EXPECT_EQ(encounters->at(0).location, "BCP Sud lane 2");
  EXPECT_EQ(encounters->at(0).officer, "token:sys-check");

  // Enrolled while serving: found by the next check.
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "B9", "", {BioTemplate{0, "", "", "", "finger", 1, record(9, 0), ""}}).ok());
  r = check({{"fingerprints", {base64_encode(record(9, 2))}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["biometrics"]["candidates"][0]["id"], "B9");
  // Loaded whole once (when the server started); after that, each check
  // that follows an enrolment reads only what was enrolled.
  auto loads = [&](const std::string& kind) {
    auto m = c.Get("/metrics", {{"Authorization", "Bearer " + tokens_["metrics"]}});
    const std::string key = "vigil_gallery_loads_total{kind=\"" + kind + "\"} ";
    const size_t at = m && m->status == 200 ? m->body.find(key) : std::string::npos;
    return at == std::string::npos ? -1 : std::stoi(m->body.substr(at + key.size()));
  };
  const int since = loads("since");
  EXPECT_GE(since, 1);
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "B8", "", {BioTemplate{0, "", "", "", "finger", 1, record(8, 0), ""}}).ok());
  r = check({{"fingerprints", {base64_encode(record(8, 2))}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["biometrics"]["candidates"][0]["id"], "B8");
  EXPECT_EQ(loads("since"), since + 1);
  EXPECT_EQ(loads("whole"), 1);
  // Taken off its list while serving: not found by the next check.
  ASSERT_TRUE((*store)->RemoveBioSubject("national", "B8").ok());
  r = check({{"fingerprints", {base64_encode(record(8, 2))}}});
  ASSERT_EQ(r->status, 200) << r->body;
  const json answer = json::parse(r->body);
  ASSERT_FALSE(answer["biometrics"]["candidates"].empty()) << r->body;
  for (const auto& c : answer["biometrics"]["candidates"]) EXPECT_NE(c["id"], "B8") << r->body;

  // An examiner decides the hits: confirmed, or rejected (its probe then
  // deleted); once only, with a reason, by someone signed in.
  {
    auto [cookie, csrf] = SignIn("supervisor1");
    const httplib::Headers examiner = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Purpose", "examination"}};
    auto awaiting = c.Get("/api/v1/encounters", examiner);
    ASSERT_EQ(awaiting->status, 200) << awaiting->body;
    const json hits = json::parse(awaiting->body);
    ASSERT_GE(hits.size(), 2u);
    for (const auto& e : hits) EXPECT_EQ(e["result"], "hit");
    const std::string first = std::to_string(hits[0]["id"].get<int64_t>());
    const std::string second = std::to_string(hits[1]["id"].get<int64_t>());
    auto decide = [&](const std::string& id, const json& body) {
      return c.Post("/api/v1/encounters/" + id + "/decision", examiner, body.dump(), "application/json");
    };
    EXPECT_EQ(decide(first, {{"decision", "confirmed"}})->status, 400) << "a reason is needed";
    EXPECT_EQ(decide(first, {{"decision", "maybe"}, {"reason", "x"}})->status, 400);
    auto confirmed = decide(first, {{"decision", "confirmed"}, {"reason", "ridge detail agrees, 14 points"}});
    ASSERT_EQ(confirmed->status, 200) << confirmed->body;
    EXPECT_EQ(json::parse(confirmed->body)["decision"], "confirmed");
    EXPECT_EQ(json::parse(confirmed->body)["decided_by"], "supervisor1");
    auto again = decide(first, {{"decision", "rejected"}, {"reason", "second thoughts"}});
    EXPECT_EQ(again->status, 409) << "decided once";
    EXPECT_NE(again->body.find("was confirmed by supervisor1"), std::string::npos) << again->body;
    ASSERT_EQ(decide(second, {{"decision", "rejected"}, {"reason", "different core"}})->status, 200);
    EXPECT_EQ(decide("999999", {{"decision", "rejected"}, {"reason", "r"}})->status, 404);
    auto rejected = c.Get("/api/v1/encounters?status=rejected", examiner);
    ASSERT_EQ(rejected->status, 200);
    EXPECT_EQ(json::parse(rejected->body)[0]["id"], hits[1]["id"]);
    EXPECT_EQ(c.Get("/api/v1/encounters?status=soon", examiner)->status, 400);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    const std::string sql = "SELECT id, probe IS NULL FROM bio_encounters WHERE id IN (" + first + "," + second + ") ORDER BY id";
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK);
    std::map<std::string, int> gone;
    while (sqlite3_step(q) == SQLITE_ROW) gone[std::to_string(sqlite3_column_int64(q, 0))] = sqlite3_column_int(q, 1);
    sqlite3_finalize(q);
    sqlite3_close(db);
    EXPECT_EQ(gone[first], 0) << "a confirmed hit keeps its probe";
    EXPECT_EQ(gone[second], 1) << "a rejected hit's probe is deleted";
  }

  // A face embedding, alone.
  std::vector<float> face(128);
  for (size_t i = 0; i < face.size(); ++i) face[i] = std::sin(0.37f * static_cast<float>(i) + 1.0f);
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "B0", "", {BioTemplate{0, "", "", "", "face", 0, encode_embedding(face), ""}}).ok());
  for (float& x : face) x *= 1.3f;  // the same direction, another scale
  r = check({{"face_embedding", face}});
  ASSERT_EQ(r->status, 200) << r->body;
  j = json::parse(r->body);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["id"], "B0");
  EXPECT_EQ(j["biometrics"]["candidates"][0]["modality"], "face");
  EXPECT_TRUE(j["biometrics"]["candidates"][0]["match"]);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["threshold"], 0.82);
  EXPECT_EQ(check({{"face_embedding", "x"}})->status, 400);
  // A face photograph: the face found, cropped and embedded.
  auto photo = read_file(std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg");
  ASSERT_TRUE(photo.ok());
  auto photographed = read_biometric(*photo, BioKind::kFace);
  ASSERT_TRUE(photographed.ok()) << photographed.error();
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "PHOTO1", "",
                                        {BioTemplate{0, "", "", "", "face", 0, encode_embedding(photographed->face), *photo}})
                  .ok());
  r = check({{"face_image", base64_encode(*photo)}});
  ASSERT_EQ(r->status, 200) << r->body;
  j = json::parse(r->body);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["id"], "PHOTO1");
  EXPECT_TRUE(j["biometrics"]["candidates"][0]["match"]);
  {
    // On a hit the photograph itself is kept, sealed, for an examiner to
    // confirm; a search without a hit keeps nothing.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT result, length(probe) FROM bio_encounters ORDER BY id DESC LIMIT 1", -1, &q, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "hit");
    EXPECT_GE(sqlite3_column_int64(q, 1), static_cast<int64_t>(photo->size()));
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  {
    // What the examiner compares: the probe kept with the hit, and the
    // photograph the candidate was enrolled from.
    auto [cookie, csrf] = SignIn("analyst1");
    const httplib::Headers examiner = {{"Cookie", cookie}, {"X-Purpose", "examination"}};
    const int64_t hit = json::parse(c.Get("/api/v1/encounters", examiner)->body)[0]["id"];
    auto images = c.Get("/api/v1/encounters/" + std::to_string(hit) + "/images", examiner);
    ASSERT_EQ(images->status, 200) << images->body;
    const json shown = json::parse(images->body);
    EXPECT_EQ(shown["probe"]["format"], "JPEG");
    EXPECT_EQ(base64_decode(shown["probe"]["data"].get<std::string>()), *photo);
    ASSERT_EQ(shown["references"].size(), 1u);
    EXPECT_EQ(shown["references"][0]["modality"], "face");
    EXPECT_EQ(base64_decode(shown["references"][0]["data"].get<std::string>()), *photo);
    EXPECT_EQ(c.Get("/api/v1/encounters/999999/images", examiner)->status, 404);
    EXPECT_EQ(c.Get("/api/v1/encounters/" + std::to_string(hit) + "/images", {{"Cookie", cookie}})->status, 400)
        << "personal data needs a purpose";
  }
  auto faceless = check({{"face_image", base64_encode(encode_png(FingerImageGenerator(4).Impression(1, 1).image))}});
  EXPECT_EQ(faceless->status, 422);
  EXPECT_NE(faceless->body.find("face_image: face image: no face found"), std::string::npos) << faceless->body;
  EXPECT_EQ(check({{"face_image", 7}})->status, 400);
  // The same photograph in JPEG 2000, as passports' chips often hold it.
  auto jp2 = read_file(std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/jp2/face.jp2");
  ASSERT_TRUE(jp2.ok());
  r = check({{"face_image", base64_encode(*jp2)}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["biometrics"]["candidates"][0]["id"], "PHOTO1");
  EXPECT_TRUE(json::parse(r->body)["biometrics"]["candidates"][0]["match"]);

  EXPECT_EQ(check({{"fingerprints", {"not base64!"}}})->status, 400);
  EXPECT_EQ(check({{"fingerprints", json::array()}})->status, 400);
  auto image = check({{"fingerprints", {base64_encode("\x89PNG\r\n\x1a\n")}}});
  EXPECT_EQ(image->status, 422);
  EXPECT_NE(image->body.find("fingerprints[0]: PNG image"), std::string::npos) << image->body;
  // A fingerprint image: its minutiae are extracted and searched.
  FingerImageGenerator images(4);
  auto enrolled = read_biometric(encode_png(images.Impression(5, 1).image));
  ASSERT_TRUE(enrolled.ok()) << enrolled.error();
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "IMG5", "", {BioTemplate{0, "", "", "", "finger", 1, write_fmr(enrolled->finger), ""}}).ok());
  r = check({{"fingerprints", {base64_encode(encode_png(images.Impression(5, 2).image))}}});
  ASSERT_EQ(r->status, 200) << r->body;
  j = json::parse(r->body);
  EXPECT_EQ(j["biometrics"]["candidates"][0]["id"], "IMG5") << r->body;
  EXPECT_TRUE(j["biometrics"]["candidates"][0]["match"]);
  auto bad = check({{"fingerprints", {base64_encode(std::string("FMR\0 20\0", 8) + "xx")}}});
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(bad->body.find("fingerprints[0]: finger minutiae record"), std::string::npos) << bad->body;

  // Images of two fingers, named by the device that took them: both are
  // fused into the subject's score. Unnamed, they may be one finger twice,
  // and count as one.
  FingerTemplate two;
  for (int f : {6, 7}) {
    auto view = read_biometric(encode_png(images.Impression(f, 1).image));
    ASSERT_TRUE(view.ok()) << view.error();
    two.views.push_back(view->finger.views[0]);
    two.views.back().finger = static_cast<uint8_t>(f - 4);  // right index and middle fingers
  }
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "IMG67", "", {BioTemplate{0, "", "", "", "finger", 1, write_fmr(two), ""}}).ok());
  const std::string index = base64_encode(encode_png(images.Impression(6, 2).image)),
                    middle = base64_encode(encode_png(images.Impression(7, 2).image));
  r = check({{"fingerprints", {{{"data", index}, {"position", 2}}, {{"data", middle}, {"position", 3}}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  const json named = json::parse(r->body)["biometrics"]["candidates"][0];
  EXPECT_EQ(named["id"], "IMG67") << r->body;
  ASSERT_EQ(named["fingers"].size(), 2u) << named;
  EXPECT_EQ(named["fingers"][0]["position"], 2);
  EXPECT_EQ(named["fingers"][1]["position"], 3);
  for (const json& f : named["fingers"]) EXPECT_GT(named["score"].get<double>(), f["score"].get<double>()) << named;
  r = check({{"fingerprints", {index, middle}}});
  ASSERT_EQ(r->status, 200) << r->body;
  const json unnamed = json::parse(r->body)["biometrics"]["candidates"][0];
  EXPECT_EQ(unnamed["id"], "IMG67");
  EXPECT_LT(unnamed["score"].get<double>(), named["score"].get<double>() - 3) << unnamed;
  // A right-hand slap's image from a live-scan device (position 13): its
  // four prints found side by side, each is of the finger its place says,
  // and all four are fused.
  FingerTemplate four;
  GrayImage slap;
  slap.width = 4 * 400 + 3 * 100 + 80, slap.height = 580, slap.ppi = 500;
  slap.pixels.assign(static_cast<size_t>(slap.width) * static_cast<size_t>(slap.height), 255);
  for (int k = 0; k < 4; ++k) {
    auto view = read_biometric(encode_png(images.Impression(10 + k, 1).image));
    ASSERT_TRUE(view.ok()) << view.error();
    four.views.push_back(view->finger.views[0]);
    four.views.back().finger = static_cast<uint8_t>(2 + k);
    const GrayImage print = images.Impression(10 + k, 2).image;
    for (int y = 0; y < print.height; ++y)
      for (int x = 0; x < print.width; ++x)
        slap.pixels[static_cast<size_t>(40 + y) * static_cast<size_t>(slap.width) + static_cast<size_t>(40 + k * 500 + x)] =
            print.at(x, y);
  }
  ASSERT_TRUE((*store)->EnrolBiometrics("national", "SLAP", "", {BioTemplate{0, "", "", "", "finger", 2, write_fmr(four), ""}}).ok());
  r = check({{"fingerprints", {{{"data", base64_encode(encode_png(slap))}, {"position", 13}}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  const json slapped = json::parse(r->body)["biometrics"]["candidates"][0];
  EXPECT_EQ(slapped["id"], "SLAP") << r->body;
  EXPECT_TRUE(slapped["match"]);
  ASSERT_EQ(slapped["fingers"].size(), 4u) << slapped;
  for (int k = 0; k < 4; ++k) EXPECT_EQ(slapped["fingers"][k]["position"], 2 + k) << slapped;
  auto not_image = check({{"fingerprints", {{{"data", base64_encode(write_fmr(four))}, {"position", 13}}}}});
  EXPECT_EQ(not_image->status, 422);
  EXPECT_NE(not_image->body.find("fingerprints[0]: a slap is read from a fingerprint image"), std::string::npos)
      << not_image->body;
  // A position outside 1 to 10 (and 13 to 15), or not the template's own: refused.
  auto wrong = check({{"fingerprints", {{{"data", index}, {"position", 11}}}}});
  EXPECT_EQ(wrong->status, 422);
  EXPECT_NE(wrong->body.find("fingerprints[0].position: a finger position is 1 to 10"), std::string::npos) << wrong->body;
  FingerTemplate thumb;
  thumb.views = {gen.Impression(1, 1)};
  thumb.views[0].finger = 1;
  wrong = check({{"fingerprints", {{{"data", base64_encode(write_fmr(thumb))}, {"position", 2}}}}});
  EXPECT_EQ(wrong->status, 422);
  EXPECT_NE(wrong->body.find("fingerprints[0].position: it says finger 1, not 2"), std::string::npos) << wrong->body;
  EXPECT_EQ(check({{"fingerprints", {{{"data", index}, {"position", "2"}}}}})->status, 400);
  EXPECT_EQ(check({{"fingerprints", {{{"position", 2}}}}})->status, 400);
}

// Moved through time: what an analyst, another analyst and an approver see
// of a PNR traveller before 6 months, after (depersonalised), under an
// approved re-personalisation, after it expires, and after 5 years. Runs
// last: it ages the data of the whole suite.
TEST_F(ServerTest, ZzWhatEachReaderSeesAsRetentionAgesTheData) {
  auto store = OpenSqliteStore(db_, clock_);
  ASSERT_TRUE(store.ok()) << store.error();
  int64_t okonkwo = 0;
  for (const auto& f : *(*store)->Flights("2026-11-23", "2026-11-23")) {
    const FlightData data = *(*store)->LoadFlight(f.id);
    for (const auto& b : data.bookings)
      for (size_t i = 0; i < b.pnr.travellers.size(); ++i)
        if (b.pnr.travellers[i].person.surname == "OKONKWO") okonkwo = b.traveller_ids[i];
  }
  ASSERT_NE(okonkwo, 0);
  const std::string path = "/api/v1/travellers/pnr/" + std::to_string(okonkwo);
  auto c = Client();
  // The surname a reader sees, and whether the data is depersonalised and
  // re-personalised for them.
  auto seen = [&](const std::string& cookie) {
    auto r = c.Get(path, {{"Cookie", cookie}, {"X-Purpose", "CASE-7"}});
    if (!r) return std::string("no answer");
    if (r->status != 200) return std::to_string(r->status);
    const json j = json::parse(r->body);
    return j["person"].value("surname", "") + (j["depersonalised"] ? " masked" : "") +
           (j["repersonalisation"].is_null() ? "" : " repersonalised");
  };
  auto run = [&](int64_t at) {
    clock_->Advance(at - clock_->now());
    auto done = run_retention(store->get(), RetentionPolicy{}, *clock_);
    ASSERT_TRUE(done.ok()) << done.error();
  };

  run(kStart + 30 * 86400);
  auto [ana, ana_csrf] = SignIn("analyst1");
  EXPECT_EQ(seen(ana), "OKONKWO");

  run(kStart + 184 * 86400);
  std::tie(ana, ana_csrf) = SignIn("analyst1");
  auto [sup, sup_csrf] = SignIn("supervisor1");
  auto [judge, judge_csrf] = SignIn("approver1");
  EXPECT_EQ(seen(ana), " masked");
  auto asked = c.Post("/api/v1/repersonalisations", {{"Cookie", ana}, {"X-CSRF-Token", ana_csrf}},
                      json{{"traveller_id", okonkwo}, {"case_ref", "CASE-7"}, {"grounds", "linked to seizure 7"}}.dump(),
                      "application/json");
  ASSERT_TRUE(asked);
  ASSERT_EQ(asked->status, 201) << asked->body;
  const int64_t id = json::parse(asked->body)["id"];
  EXPECT_EQ(seen(ana), " masked") << "not before a decision";
  const std::string decide = "/api/v1/repersonalisations/" + std::to_string(id) + "/approve";
  auto by_analyst = c.Post(decide, {{"Cookie", ana}, {"X-CSRF-Token", ana_csrf}}, "{}", "application/json");
  EXPECT_EQ(by_analyst->status, 403) << "analysts do not approve";
  auto approved = c.Post(decide, {{"Cookie", judge}, {"X-CSRF-Token", judge_csrf}},
                         R"({"note":"proportionate for CASE-7"})", "application/json");
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(json::parse(approved->body)["status"], "approved");
  EXPECT_EQ(seen(ana), "OKONKWO masked repersonalised");
  EXPECT_EQ(seen(sup), " masked") << "for the requester only";
  auto dpo_cookie = SignIn("auditor1").first;
  auto dpo = json::parse(c.Get("/api/v1/reports/dpo", {{"Cookie", dpo_cookie}})->body);
  ASSERT_EQ(dpo["repersonalisations"].size(), 1u);
  EXPECT_EQ(dpo["repersonalisations"][0]["case_ref"], "CASE-7");
  EXPECT_GE(dpo["done"]["pnr_versions_depersonalised"].get<int>(), 2);
  bool logged = false;
  for (const auto& e : *(*store)->AuditEntries(50))
    logged = logged || (e.action == "read repersonalised data" && e.purpose == "CASE-7" && e.actor == "analyst1");
  EXPECT_TRUE(logged);

  clock_->Advance(73 * 3600);
  std::tie(ana, ana_csrf) = SignIn("analyst1");
  EXPECT_EQ(seen(ana), " masked") << "the approval lapsed";

  run(kStart + 1827 * 86400);
  std::tie(ana, ana_csrf) = SignIn("analyst1");
  EXPECT_EQ(seen(ana), "404");
}

}  // namespace
}  // namespace vigil
