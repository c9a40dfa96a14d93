#include "server/server.h"

#include <httplib.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "auth/auth.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "biometrics/live_gallery.h"
#include "base/hash.h"
#include "formats/lists/read_list.h"
#include "formats/mrz/mrz.h"
#include "intake/ingest.h"
#include "privacy/audit_trail.h"
#include "privacy/dpo_report.h"
#include "privacy/retention.h"
#include "model/json.h"
#include "risk/alert_json.h"
#include "risk/assess.h"
#include "risk/rule.h"
#include "screening/active_lists.h"
#include "screening/json.h"
#include "screening/rescreen.h"
#include "store/store.h"

namespace vigil {

using nlohmann::json;

namespace {

// Request counts and latencies per route and status, for /metrics.
class Metrics {
 public:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

  void Observe(const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_[{route, status}];
    Histogram& h = latency_[route];
    for (size_t i = 0; i < kBuckets.size(); ++i) h.buckets[i] += seconds <= kBuckets[i];
    ++h.count;
    h.sum += seconds;
  }
  void Count(const std::string& name, const std::string& label, int64_t n = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    counters_[{name, label}] += n;
  }
  std::string Text() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out = "# TYPE vigil_http_requests_total counter\n";
    for (const auto& [k, n] : requests_)
      out += "vigil_http_requests_total{route=\"" + k.first + "\",status=\"" + std::to_string(k.second) + "\"} " +
             std::to_string(n) + "\n";
    out += "# TYPE vigil_http_request_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += "vigil_http_request_seconds_bucket{route=\"" + route + "\",le=\"" + Number(kBuckets[i]) + "\"} " +
               std::to_string(h.buckets[i]) + "\n";
      out += "vigil_http_request_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
      out += "vigil_http_request_seconds_sum{route=\"" + route + "\"} " + Number(h.sum) + "\n";
      out += "vigil_http_request_seconds_count{route=\"" + route + "\"} " + std::to_string(h.count) + "\n";
    }
    std::string last;
    for (const auto& [k, n] : counters_) {
      if (k.first != last) out += "# TYPE " + k.first + " counter\n", last = k.first;
      out += k.first + "{kind=\"" + k.second + "\"} " + std::to_string(n) + "\n";
    }
    return out;
  }

 private:
  static std::string Number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  struct Histogram {
    std::array<int64_t, kBuckets.size()> buckets{};
    int64_t count = 0;
    double sum = 0;
  };
  std::mutex mu_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::pair<std::string, std::string>, int64_t> counters_;
};

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void Refuse(httplib::Response& res, int status, const std::string& why) { Reply(res, status, json{{"error", why}}); }

std::string Cookie(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t at = 0;
  while (at < header.size()) {
    const size_t end = std::min(header.find(';', at), header.size());
    std::string part = header.substr(at, end - at);
    at = end + 1;
    const size_t first = part.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    part = part.substr(first);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
  }
  return {};
}

constexpr const char* kSessionCookie = "vigil_session";

}  // namespace

struct ApiServer::Impl {
  ServerOptions options;
  std::shared_ptr<const Clock> clock;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  HashKey card_key;
  // Trusted for the chips of documents checked: the CSCAs and their CRLs
  // at options.csca_path, read again when its files change (looked at
  // every csca_recheck_s at most); a check keeps the list it started with.
  std::mutex csca_mu;
  std::shared_ptr<const CscaList> csca = std::make_shared<const CscaList>();  // under csca_mu
  std::string csca_stamp;                                                   // under csca_mu
  std::chrono::steady_clock::time_point csca_looked;                        // under csca_mu
  // Challenges issued for chips' active authentication, each answerable
  // once until it expires.
  static constexpr auto kChallengeLife = std::chrono::minutes(5);
  static constexpr size_t kChallengesOpen = 100000;
  std::mutex challenge_mu;
  std::map<std::string, std::chrono::steady_clock::time_point> challenges;  // under challenge_mu: until when

  // A fresh 8-byte challenge, remembered; "" where too many are open.
  std::string IssueChallenge() {
    std::string c(8, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(c.data()), 8) != 1) return "";
    std::lock_guard lock(challenge_mu);
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(challenges, [&](const auto& open) { return open.second < now; });
    if (challenges.size() >= kChallengesOpen) return "";
    challenges[c] = now + kChallengeLife;
    return c;
  }
  // Whether `c` was issued here, unanswered and unexpired; it is used up.
  bool TakeChallenge(const std::string& c) {
    std::lock_guard lock(challenge_mu);
    auto open = challenges.find(c);
    if (open == challenges.end()) return false;
    const bool fresh = open->second >= std::chrono::steady_clock::now();
    challenges.erase(open);
    return fresh;
  }
  // The active watch lists, indexed; replaced whole when a list changes,
  // while requests still screening against the old one keep it alive.
  struct Lists {
    std::unique_ptr<WatchIndex> index;
    std::unique_ptr<Screener> screener;
    std::map<std::string, int> versions;
  };
  std::unique_ptr<AuditSigner> audit_signer;  // checkpoints at start and stop
  std::mutex stop_mu;                  // the retention thread waits on stop_cv
  std::condition_variable stop_cv;
  bool stopping = false;               // under stop_mu
  std::mutex setup_mu;
  std::shared_ptr<const Lists> lists;  // under setup_mu
  std::vector<RuleInForce> rules;      // under setup_mu: rules change while serving
  Metrics metrics;
  // Kept current as templates are enrolled; after `metrics`, which its
  // loads in the background count in until it is gone.
  std::unique_ptr<LiveGallery> gallery;

  // What a request assesses and screens with: the setup as it is now, with
  // today's date, and the lists it points into, held.
  struct Current {
    AssessmentSetup setup;
    std::shared_ptr<const Lists> hold;
  };
  // The lists in service now (held while a request screens against them).
  std::shared_ptr<const Lists> CurrentLists() {
    std::lock_guard<std::mutex> lock(setup_mu);
    return lists;
  }
  Current Setup() {
    std::lock_guard<std::mutex> lock(setup_mu);
    Current now;
    now.hold = lists;
    now.setup.rules = rules;
    now.setup.list_versions = lists->versions;
    now.setup.index = lists->index.get();
    now.setup.screener = lists->screener.get();
    now.setup.today = day_number(format_utc(clock->now()));
    return now;
  }
  // Indexes the active lists of `store` and puts them in service.
  Status LoadLists(Store* store) {
    auto active = load_active_lists(store);
    if (!active.ok()) return active.status();
    auto next = std::make_shared<Lists>();
    next->versions = std::move(active->versions);
    if (!active->entries.empty()) {
      next->index = std::make_unique<WatchIndex>(std::move(active->entries));
      next->screener = std::make_unique<Screener>(*next->index, options.screening);
    }
    std::lock_guard<std::mutex> lock(setup_mu);
    lists = std::move(next);
    return Status::Ok();
  }
  // Assesses `flights` with the current setup and records their alerts;
  // adds the alerts raised or reopened to `raised` when given.
  Status AssessFlights(Store* store, const std::vector<int64_t>& flights, int64_t* raised = nullptr) {
    const Current now = Setup();
    thread_local ScreeningScratch scratch;
    for (int64_t id : flights) {
      auto data = store->LoadFlight(id);
      if (!data.ok()) return data.status();
      auto changes = store->UpdateAlerts(assess_flight(*data, now.setup, &scratch).updates);
      if (!changes.ok()) return changes.status();
      for (AlertChange c : *changes) {
        if (raised) *raised += c == AlertChange::kCreated || c == AlertChange::kReopened;
        if (c != AlertChange::kNone) metrics.Count("vigil_alert_changes_total", to_string(c));
      }
    }
    return Status::Ok();
  }
  // The trusted CSCAs now: read again first where the files changed since;
  // a list that no longer reads keeps the last good one (counted in
  // /metrics as a failed load).
  std::shared_ptr<const CscaList> Csca() {
    std::lock_guard lock(csca_mu);
    const auto now = std::chrono::steady_clock::now();
    if (options.csca_path.empty() || now - csca_looked < std::chrono::seconds(options.csca_recheck_s)) return csca;
    csca_looked = now;
    std::string stamp = CscaList::Stamp(options.csca_path);
    if (stamp == csca_stamp) return csca;
    auto read = CscaList::Load(options.csca_path);
    metrics.Count("vigil_csca_loads_total", read.ok() ? "ok" : "failed");
    if (read.ok()) csca = std::make_shared<const CscaList>(std::move(*read)), csca_stamp = std::move(stamp);
    return csca;
  }

  // The biometric gallery: its parts loaded whole or since (for the
  // metrics), and a connection of their own for loads in the background.
  void KeepGallery() {
    LiveGallery::Options o;
    o.open_store = [this] { return OpenSqliteStore(options.db_path, clock, options.security); };
    o.loaded = [this](const Gallery& part, bool whole) {
      metrics.Count("vigil_gallery_loads_total", whole ? "whole" : "since");
      metrics.Count("vigil_face_gallery_loads_total", part.faces.on_device() ? "gpu" : "cpu");
      metrics.Count("vigil_finger_gallery_loads_total", part.fingers.on_device() ? "gpu" : "cpu");
    };
    gallery = std::make_unique<LiveGallery>(std::move(o));
  }

  // Reads the rules in force again (after a rule or value list changed)
  // and re-assesses upcoming flights.
  Status RulesChanged(Store* store) {
    auto values = value_lists(store);
    if (!values.ok()) return values.status();
    auto in_force = rules_in_force(store, *values, nullptr);
    if (!in_force.ok()) return in_force.status();
    {
      std::lock_guard<std::mutex> lock(setup_mu);
      rules = std::move(*in_force);
    }
    auto flights = store->Flights(iso_date(day_number(format_utc(clock->now()))), "");
    if (!flights.ok()) return flights.status();
    std::vector<int64_t> ids;
    for (const auto& f : *flights) ids.push_back(f.id);
    return AssessFlights(store, ids);
  }

  // Each serving thread has its own connection (SQLite in WAL mode lets
  // them read at once; writes take turns).
  Store* ThreadStore() {
    thread_local std::map<const Impl*, std::unique_ptr<Store>> stores;
    auto& store = stores[this];
    if (!store) {
      auto opened = OpenSqliteStore(options.db_path, clock, options.security);
      if (!opened.ok()) return nullptr;
      store = std::move(*opened);
    }
    return store.get();
  }

  // Who the request acts as, or an answer refusing it. `personal`: the
  // endpoint reads personal data and needs a purpose; `change`: a session
  // must show its CSRF token.
  std::optional<Principal> Authorize(const httplib::Request& req, httplib::Response& res, Store* store,
                                     Permission permission, const std::string& object, bool personal, bool change,
                                     std::string* purpose) {
    Authenticator auth(store, clock);
    Result<Principal> who = Status::Error("sign in, or present a token (Authorization: Bearer)");
    const std::string bearer = req.get_header_value("Authorization");
    const std::string cookie = Cookie(req, kSessionCookie);
    if (bearer.rfind("Bearer ", 0) == 0) who = auth.Token(bearer.substr(7));
    else if (!cookie.empty()) who = auth.Session(cookie);
    if (!who.ok()) {
      Refuse(res, 401, who.error());
      return std::nullopt;
    }
    const std::string why = req.get_header_value("X-Purpose");
    auto log = [&](const std::string& outcome) {
      // Partner views disclose data: the partner is its recipient.
      const std::string recipient = permission == Permission::kPartnerView ? who->name : "";
      store->Audit({0, "", who->name, to_string(permission), object, why, recipient, req.remote_addr, outcome, "", ""});
    };
    if (!who->allows(permission)) {
      log("denied");
      Refuse(res, 403, std::string("not allowed to ") + to_string(permission));
      return std::nullopt;
    }
    if (change && who->person && req.get_header_value("X-CSRF-Token") != who->csrf) {
      log("denied");
      Refuse(res, 403, "missing or wrong X-CSRF-Token for a change in this session");
      return std::nullopt;
    }
    if (personal && why.find_first_not_of(" \t") == std::string::npos) {
      log("denied");
      Refuse(res, 400, "reading personal data needs a purpose or case reference (X-Purpose header)");
      return std::nullopt;
    }
    if (purpose) *purpose = why;
    log("ok");
    return *who;
  }

  // The JSON object of the body, with only `allowed` keys; or an answer
  // refusing it.
  std::optional<json> Body(const httplib::Request& req, httplib::Response& res, const std::set<std::string>& allowed) {
    if (req.body.size() > options.max_json_bytes) {
      Refuse(res, 413, "the body is larger than " + std::to_string(options.max_json_bytes) + " bytes");
      return std::nullopt;
    }
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      Refuse(res, 415, "send the body as application/json");
      return std::nullopt;
    }
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      Refuse(res, 400, "the body is not a JSON object");
      return std::nullopt;
    }
    for (const auto& item : j.items())
      if (!allowed.count(item.key())) {
        Refuse(res, 400, "unknown field \"" + item.key() + "\"");
        return std::nullopt;
      }
    return j;
  }

  // Registers `handler` for `method` and `pattern`, counted under `route`.
  template <typename Handler>
  void Route(const char* method, const std::string& pattern, const std::string& route, Handler handler) {
    auto wrapped = [this, route, handler](const httplib::Request& req, httplib::Response& res) {
      const auto t0 = std::chrono::steady_clock::now();
      Store* store = ThreadStore();
      if (!store) {
        Refuse(res, 503, "the store cannot be opened");
      } else {
        try {
          handler(req, res, store);
        } catch (const std::exception&) {
          Refuse(res, 500, "internal error");
        }
      }
      metrics.Observe(route, res.status,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    };
    const std::string m = method;
    if (m == "GET") http->Get(pattern, wrapped);
    else if (m == "POST") http->Post(pattern, wrapped);
    else if (m == "DELETE") http->Delete(pattern, wrapped);
  }

  void Routes();
};

void ApiServer::Impl::Routes() {
  http->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { Reply(res, 200, {{"status", "ok"}}); });

  Route("GET", "/metrics", "metrics", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadMetrics, "metrics", false, false, nullptr)) return;
    res.set_content(metrics.Text(), "text/plain; version=0.0.4");
  });

  Route("POST", "/api/v1/session", "session", [this](const auto& req, auto& res, Store* store) {
    auto body = Body(req, res, {"name", "password"});
    if (!body) return;
    if (!(*body)["name"].is_string() || !(*body)["password"].is_string())
      return Refuse(res, 400, "give \"name\" and \"password\" as texts");
    const std::string name = (*body)["name"];
    Authenticator auth(store, clock);
    auto in = auth.Login(name, (*body)["password"], req.remote_addr);
    store->Audit({0, "", name, "sign in", "session", "", "", req.remote_addr, in.ok() ? "ok" : "failed", "", ""});
    if (!in.ok()) return Refuse(res, in.error().find("locked") != std::string::npos ? 423 : 401, in.error());
    std::string cookie = std::string(kSessionCookie) + "=" + in->token + "; Path=/; HttpOnly; SameSite=Strict";
    if (!options.tls_cert.empty()) cookie += "; Secure";
    res.set_header("Set-Cookie", cookie);
    Reply(res, 200, {{"name", in->principal.name}, {"roles", in->principal.roles}, {"csrf", in->principal.csrf}});
  });

  Route("DELETE", "/api/v1/session", "session", [this](const auto& req, auto& res, Store* store) {
    const std::string cookie = Cookie(req, kSessionCookie);
    Authenticator auth(store, clock);
    auto who = auth.Session(cookie);
    if (!who.ok()) return Refuse(res, 401, who.error());
    if (req.get_header_value("X-CSRF-Token") != who->csrf) return Refuse(res, 403, "missing or wrong X-CSRF-Token");
    auth.Logout(cookie);
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Reply(res, 200, {{"signed_out", true}});
  });

  Route("GET", "/api/v1/flights", "flights", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadFlights, "flights", false, false, nullptr)) return;
    const std::string from = req.get_param_value("from"), to = req.get_param_value("to");
    for (const auto* d : {&from, &to})
      if (!d->empty() && day_number(*d) == kNoDate) return Refuse(res, 400, "from and to are dates YYYY-MM-DD");
    auto flights = store->Flights(from, to);
    auto alerts = store->Alerts("", 0);
    if (!flights.ok() || !alerts.ok()) return Refuse(res, 500, "the store failed");
    std::map<int64_t, std::map<std::string, int>> open;  // flight -> severity -> standing alerts
    for (const auto& a : *alerts)
      if (a.status == "new" || a.status == "in_review" || a.status == "confirmed") ++open[a.flight_id][a.severity];
    json out = json::array();
    for (const auto& f : *flights)
      out.push_back({{"id", f.id}, {"flight", f.carrier + f.flight_number}, {"from", f.departure_airport},
                     {"to", f.arrival_airport}, {"departure", f.departure_local}, {"arrival", f.arrival_local},
                     {"alerts", {{"high", open[f.id]["high"]}, {"medium", open[f.id]["medium"]}, {"low", open[f.id]["low"]}}}});
    Reply(res, 200, out);
  });

  Route("GET", "/api/v1/alerts", "alerts", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadAlerts, "alerts", true, false, nullptr)) return;
    const std::string status = req.get_param_value("status");
    static const std::set<std::string> kStatuses = {"", "new", "in_review", "confirmed", "dismissed", "withdrawn"};
    if (!kStatuses.count(status)) return Refuse(res, 400, "status is new, in_review, confirmed, dismissed or withdrawn");
    const std::string flight = req.get_param_value("flight");
    if (flight.find_first_not_of("0123456789") != std::string::npos || flight.size() > 12)
      return Refuse(res, 400, "flight is a flight id (digits)");
    auto alerts = store->Alerts(status, flight.empty() ? 0 : std::stoll(flight));
    if (!alerts.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& a : *alerts) out.push_back(to_json(a));
    Reply(res, 200, out);
  });

  Route("GET", R"(/api/v1/alerts/(\d{1,12}))", "alert", [this](const auto& req, auto& res, Store* store) {
    const std::string id = req.matches[1];
    if (!Authorize(req, res, store, Permission::kReadAlerts, "alert:" + id, true, false, nullptr)) return;
    auto alert = store->GetAlert(std::stoll(id));
    if (!alert.ok()) return Refuse(res, 404, "no alert " + id);
    Reply(res, 200, to_json(*alert));
  });

  Route("POST", R"(/api/v1/alerts/(\d{1,12})/review)", "review", [this](const auto& req, auto& res, Store* store) {
    const std::string id = req.matches[1];
    auto who = Authorize(req, res, store, Permission::kReviewAlerts, "alert:" + id, false, true, nullptr);
    if (!who) return;
    auto body = Body(req, res, {"to", "reason"});
    if (!body) return;
    if (!(*body)["to"].is_string() || !(*body)["reason"].is_string())
      return Refuse(res, 400, "give \"to\" and \"reason\" as texts");
    auto alert = store->ReviewAlert(std::stoll(id), (*body)["to"], who->name, (*body)["reason"]);
    if (!alert.ok()) return Refuse(res, alert.error().rfind("no alert", 0) == 0 ? 404 : 409, alert.error());
    Reply(res, 200, to_json(*alert));
  });

  // A challenge for a chip to sign (active authentication), answered in
  // the check that follows.
  Route("POST", "/api/v1/chip-challenge", "chip challenge", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kCheck, "chip challenge", false, false, nullptr)) return;
    const std::string c = IssueChallenge();
    if (c.empty()) return Refuse(res, 503, "too many challenges are open; try again");
    Reply(res, 200, json{{"challenge", base64_encode(c)},
                         {"expires_in", std::chrono::duration_cast<std::chrono::seconds>(kChallengeLife).count()}});
  });

  Route("POST", "/api/v1/check", "check", [this](const auto& req, auto& res, Store* store) {
    std::string purpose;
    auto who = Authorize(req, res, store, Permission::kCheck, "check", true, false, &purpose);
    if (!who) return;
    auto body = Body(req, res, {"mrz", "surname", "given_names", "birth_date", "nationality", "sex", "documents",
                                "fingerprints", "face_embedding", "face_image", "location",
                                "document_security_object", "active_authentication"});
    if (!body) return;
    // Fingerprints (minutiae templates, base64) and a face embedding.
    BioProbe probe;
    std::vector<std::string> groups;  // those that are a chip's data groups
    if (body->contains("face_embedding")) {
      auto face = face_embedding_from_json((*body)["face_embedding"]);
      if (!face.ok()) return Refuse(res, 400, "face_embedding: " + face.error());
      probe.face = std::move(*face);
    }
    if (body->contains("face_image")) {
      if (probe.face.size()) return Refuse(res, 400, "give face_image or face_embedding, not both");
      const json& photo = (*body)["face_image"];
      auto bytes = photo.is_string() ? base64_decode(photo.get<std::string>()) : std::nullopt;
      if (!bytes) return Refuse(res, 400, "face_image is a base64 photograph (PNG, JPEG or JPEG 2000) or a travel document's DG2");
      auto face = read_biometric(*bytes, BioKind::kFace);
      if (!face.ok()) return Refuse(res, 422, "face_image: " + face.error());
      if (data_group_number(*bytes)) groups.push_back(*bytes);
      probe.face = std::move(face->face);
      probe.image = std::move(face->image);
    }
    if (body->contains("fingerprints")) {
      const json& list = (*body)["fingerprints"];
      if (!list.is_array() || list.empty() || list.size() > 10)
        return Refuse(res, 400, "fingerprints is an array of one to ten base64 finger minutiae templates or fingerprint images");
      // Each a text, or {"data": text, "position": 1 to 10, or 13 to 15 for
      // a slap's image}; all read at once (read_biometrics), then taken in
      // order.
      std::vector<std::string> files;
      std::vector<json> positions;
      std::vector<int64_t> slaps;
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string at = "fingerprints[" + std::to_string(i) + "]";
        const json& item = list[i].is_object() ? list[i].value("data", json()) : list[i];
        positions.push_back(list[i].is_object() ? list[i].value("position", json()) : json());
        if (!item.is_string())
          return Refuse(res, 400, at + " is a base64 text, or {\"data\": base64, \"position\": 1 to 10, or 13 to 15}");
        if (!positions.back().is_null() && !positions.back().is_number_integer())
          return Refuse(res, 400, at + ".position is a finger position, 1 to 10, or 13 to 15 for a slap's image");
        auto bytes = base64_decode(item.get<std::string>());
        if (!bytes) return Refuse(res, 400, at + " is not base64");
        files.push_back(std::move(*bytes));
        const int64_t p = positions.back().is_null() ? 0 : positions.back().get<int64_t>();
        slaps.push_back(slap_position(p) ? p : 0);
      }
      std::vector<Result<BioProbe>> read = read_biometrics({files.begin(), files.end()}, BioKind::kFinger, slaps);
      for (size_t i = 0; i < files.size(); ++i) {
        const std::string at = "fingerprints[" + std::to_string(i) + "]";
        Result<BioProbe>& t = read[i];
        if (!t.ok() || t->finger.views.empty())
          return Refuse(res, 422, at + ": " + (t.ok() ? std::string("not a finger minutiae template or fingerprint image") : t.error()));
        if (!positions[i].is_null() && !slaps[i])
          if (const Status named = set_finger_position(&t->finger, positions[i].get<int64_t>()); !named.ok())
            return Refuse(res, 422, at + ".position: " + named.message());
        if (data_group_number(files[i])) groups.push_back(files[i]);
        (void)add_to_probe(&probe, std::move(*t));  // fingers only: nothing to refuse
      }
    }
    // The chip's answer to a challenge issued here: its data group 15,
    // checked with the other data groups below, and the signature.
    std::optional<ActiveVerdict> active;
    if (body->contains("active_authentication")) {
      const json& aa = (*body)["active_authentication"];
      auto field = [&](const char* name) {
        const json v = aa.is_object() ? aa.value(name, json()) : json();
        return v.is_string() ? base64_decode(v.get<std::string>()) : std::nullopt;
      };
      const auto dg15 = field("data_group_15"), challenge = field("challenge"), signature = field("signature");
      if (!dg15 || !challenge || !signature)
        return Refuse(res, 400, "active_authentication is {\"data_group_15\", \"challenge\", \"signature\"}, each base64");
      if (!body->contains("document_security_object"))
        return Refuse(res, 400, "active_authentication needs document_security_object: the key in data group 15 counts "
                                "only where the issuer signed it");
      if (!TakeChallenge(*challenge)) {
        active = ActiveVerdict{false, "", "the challenge was not issued here (POST /api/v1/chip-challenge), or was answered "
                                          "already, or expired"};
      } else {
        active = verify_active_authentication(*dg15, *challenge, *signature);
      }
      groups.push_back(*dg15);
    }
    // The chip the data groups were read from: passive authentication.
    json chip;
    if (body->contains("document_security_object")) {
      const json& sod = (*body)["document_security_object"];
      auto bytes = sod.is_string() ? base64_decode(sod.get<std::string>()) : std::nullopt;
      if (!bytes) return Refuse(res, 400, "document_security_object is a chip's EF.SOD, base64");
      ChipVerdict verdict = authenticate_chip(*bytes, std::vector<std::string_view>(groups.begin(), groups.end()), *Csca());
      verdict.active = active;
      chip = chip_json(verdict);
      probe.chip = chip_summary(verdict);
    }
    if (body->contains("location") && !(*body)["location"].is_string()) return Refuse(res, 400, "location is a text");
    const std::string location = body->value("location", req.remote_addr);
    const bool biometric = !probe.finger.views.empty() || !probe.face.empty();
    const bool biometric_only = biometric && !body->contains("mrz") && !body->contains("surname") &&
                                !body->contains("documents");
    Traveller person;
    if (biometric_only) {
      // Only the prints: no name or document to screen.
    } else if (body->contains("mrz")) {
      const json& lines = (*body)["mrz"];
      if (!lines.is_array() || lines.size() < 2 || lines.size() > 3)
        return Refuse(res, 400, "mrz is an array of two or three lines");
      std::vector<std::string> text;
      for (const auto& l : lines) {
        if (!l.is_string()) return Refuse(res, 400, "mrz lines are texts");
        text.push_back(l);
      }
      auto mrz = parse_mrz(text);
      if (!mrz.ok()) return Refuse(res, 422, "the MRZ is not readable: " + mrz.error());
      person.surname = mrz->surname;
      person.given_names = mrz->given_names;
      person.birth_date = mrz->birth_date;
      person.nationality = mrz->nationality;
      person.sex = mrz->sex;
      person.documents.push_back({mrz->document_code, mrz->document_number, mrz->issuing_state, mrz->expiry_date, "", "", ""});
    } else {
      for (const char* key : {"surname", "given_names", "birth_date", "nationality", "sex"})
        if (body->contains(key) && !(*body)[key].is_string()) return Refuse(res, 400, std::string(key) + " is a text");
      person.surname = body->value("surname", "");
      person.given_names = body->value("given_names", "");
      person.birth_date = body->value("birth_date", "");
      person.nationality = body->value("nationality", "");
      person.sex = body->value("sex", "");
      if (body->contains("documents")) {
        const json& docs = (*body)["documents"];
        if (!docs.is_array()) return Refuse(res, 400, "documents is an array");
        for (const auto& d : docs) {
          if (!d.is_object()) return Refuse(res, 400, "each document is an object {type, number, country}");
          for (const auto& item : d.items())
            if (item.key() != "type" && item.key() != "number" && item.key() != "country")
              return Refuse(res, 400, "unknown field \"documents." + item.key() + "\"");
          if (!d.value("number", json("")).is_string()) return Refuse(res, 400, "documents.number is a text");
          person.documents.push_back({d.value("type", ""), d.value("number", ""), d.value("country", ""), "", "", "", ""});
        }
      }
      if (person.surname.empty() && person.documents.empty())
        return Refuse(res, 400, "give an mrz, or a surname (with given names and birth date) or a document");
      if (!person.birth_date.empty() && day_number(person.birth_date) == kNoDate)
        return Refuse(res, 400, "birth_date is a date YYYY-MM-DD");
    }
    json biometrics;
    if (biometric) {
      auto current = gallery->Current(store);
      if (!current.ok()) return Refuse(res, 500, "the gallery cannot be read");
      auto found = search_and_record(store, (*current)->view(), probe, 10, who->name, location, purpose, options.fpir);
      if (!found.ok()) return Refuse(res, 500, "the store failed");
      biometrics = {{"candidates", candidates_json(found->candidates)}, {"encounter", found->encounter}};
    }
    json matches = json::array();
    const std::shared_ptr<const Lists> in_service = CurrentLists();
    if (in_service->screener && !biometric_only) {
      thread_local ScreeningScratch scratch;
      for (const auto& m : in_service->screener->Screen(screening_query(person), &scratch))
        matches.push_back({{"list", m.list}, {"entry", m.reference}, {"score", reported_score(m.score)},
                           {"explanation", explanation_to_json(m.explanation)}});
    }
    json standing = json::array();
    if (!biometric_only) {
      auto alerts = store->StandingAlertsFor(person);
      if (!alerts.ok()) return Refuse(res, 500, "the store failed");
      for (const auto& a : *alerts) standing.push_back(to_json(a));
    }
    bool bio_hit = false;
    if (!biometrics.is_null())
      for (const auto& c : biometrics["candidates"]) bio_hit = bio_hit || c["match"].get<bool>();
    metrics.Count("vigil_checks_total", matches.empty() && standing.empty() && !bio_hit ? "clear" : "hit");
    json out = {{"matches", matches}, {"alerts", standing}};
    if (!biometrics.is_null()) out["biometrics"] = biometrics;
    if (!chip.is_null()) out["chip"] = chip;
    Reply(res, 200, out);
  });

  // Biometric hits for an examiner to confirm or reject: no decision by
  // automation alone.
  Route("GET", "/api/v1/encounters", "encounters", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kExamineEncounters, "encounters", true, false, nullptr)) return;
    const std::string status = req.has_param("status") ? req.get_param_value("status") : "awaiting";
    auto found = store->BioEncounters(200, status == "all" ? "" : status);
    if (!found.ok()) return Refuse(res, 400, found.error() + " (or all)");
    json out = json::array();
    for (const auto& e : *found) out.push_back(encounter_json(e));
    Reply(res, 200, out);
  });

  // What the examiner compares: the probe kept with the hit, and the
  // images the best candidate was enrolled from.
  Route("GET", R"(/api/v1/encounters/(\d{1,12})/images)", "encounter images",
        [this](const auto& req, auto& res, Store* store) {
    const std::string id = req.matches[1];
    if (!Authorize(req, res, store, Permission::kExamineEncounters, "encounter images:" + id, true, false, nullptr))
      return;
    auto images = store->BioEncounterImages(std::stoll(id));
    if (!images.ok()) return Refuse(res, images.error().rfind("no encounter", 0) == 0 ? 404 : 500, images.error());
    auto image = [](const std::string& bytes) -> json {
      if (bytes.empty()) return nullptr;
      const std::string format = image_format(bytes);
      return {{"format", format.empty() ? "template" : format}, {"data", base64_encode(bytes)}};
    };
    json references = json::array();
    for (const auto& r : images->references) {
      json one = image(r.image);
      one["modality"] = r.modality;
      one["position"] = r.position;
      references.push_back(std::move(one));
    }
    Reply(res, 200, {{"probe", image(images->probe)}, {"references", references}});
  });

  Route("POST", R"(/api/v1/encounters/(\d{1,12})/decision)", "encounter decision",
        [this](const auto& req, auto& res, Store* store) {
    const std::string id = req.matches[1];
    auto who = Authorize(req, res, store, Permission::kExamineEncounters, "encounter:" + id, false, true, nullptr);
    if (!who) return;
    auto body = Body(req, res, {"decision", "reason"});
    if (!body) return;
    if (!(*body)["decision"].is_string() || !(*body)["reason"].is_string())
      return Refuse(res, 400, "give \"decision\" (confirmed or rejected) and \"reason\" as texts");
    auto e = store->DecideEncounter(std::stoll(id), (*body)["decision"], who->name, (*body)["reason"]);
    if (!e.ok()) {
      const std::string& why = e.error();
      const int status = why.rfind("no encounter", 0) == 0 ? 404
                         : why.find(" was ") != std::string::npos || why.find("found no match") != std::string::npos
                             ? 409
                             : 400;
      return Refuse(res, status, why);
    }
    Reply(res, 200, encounter_json(*e));
  });

  Route("POST", "/api/v1/messages", "messages", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kPushMessages, "messages", false, true, nullptr)) return;
    static const std::set<std::string> kTypes = {"application/edifact", "text/plain", "application/xml", "text/xml",
                                                 "application/octet-stream"};
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    if (!kTypes.count(type)) return Refuse(res, 415, "send the message as application/edifact, text/plain or application/xml");
    if (req.body.empty()) return Refuse(res, 400, "the message is empty");
    IngestOptions o;
    o.card_key = &card_key;
    Ingestor ingestor(store, o);
    auto r = ingestor.Ingest(req.body, "push");
    if (!r.ok()) return Refuse(res, 503, "not stored, try again: the store failed");
    json problems = json::array();
    for (const auto& d : r->diagnostics) problems.push_back(d.to_string());
    if (!r->accepted) {
      metrics.Count("vigil_messages_total", "rejected");
      return Reply(res, 422, {{"stored", false}, {"error", "the message was rejected and quarantined"}, {"reasons", problems}});
    }
    metrics.Count("vigil_messages_total", r->duplicate ? "duplicate" : "stored");
    // What was stored is assessed at once.
    int64_t alerts = 0;
    AssessFlights(store, std::vector<int64_t>(ingestor.flights().begin(), ingestor.flights().end()), &alerts);
    const IngestSummary& s = ingestor.summary();
    Reply(res, 200, {{"stored", !r->duplicate}, {"duplicate", r->duplicate}, {"travellers", s.travellers},
                     {"flights", s.flights}, {"warnings", problems}, {"new_alerts", alerts}});
  });

  Route("GET", R"(/api/v1/travellers/(api|pnr)/(\d{1,12}))", "traveller", [this](const auto& req, auto& res, Store* store) {
    const std::string kind = req.matches[1], id = req.matches[2];
    auto who = Authorize(req, res, store, Permission::kReadAlerts, "traveller:" + kind + ":" + id, true, false, nullptr);
    if (!who) return;
    auto t = store->LoadTraveller(kind == "pnr" ? TravellerKind::kPnr : TravellerKind::kApi, std::stoll(id));
    if (!t.ok()) return Refuse(res, 404, "no traveller " + kind + ":" + id);
    // Depersonalised data is shown whole only to the requester of an
    // approved, unexpired re-personalisation, and that reading is logged
    // under its case.
    json repersonalised;
    if (t->depersonalised && t->kind == TravellerKind::kPnr) {
      auto grant = store->ActiveRepersonalisation(t->id, who->name, format_utc(clock->now()));
      if (grant.ok() && *grant) {
        auto original = store->OriginalPnr(t->booking_version_id);
        if (!original.ok() || t->position < 0 || t->position >= static_cast<int>(original->travellers.size()))
          return Refuse(res, 500, "the sealed original cannot be read");
        t->person = original->travellers[static_cast<size_t>(t->position)].person;
        t->booking = std::move(*original);
        const Repersonalisation& g = **grant;
        repersonalised = {{"id", g.id}, {"case_ref", g.case_ref}, {"expires_at", g.expires_at}};
        store->Audit({0, "", who->name, "read repersonalised data", "traveller:pnr:" + id, g.case_ref, "",
                      req.remote_addr, "ok", "", ""});
      }
    }
    json flights = json::array(), versions = json::array(), alerts = json::array();
    for (const auto& f : t->flights)
      flights.push_back({{"id", f.id}, {"flight", f.carrier + f.flight_number}, {"from", f.departure_airport},
                         {"to", f.arrival_airport}, {"departure", f.departure_local}, {"arrival", f.arrival_local}});
    for (const auto& v : t->versions)
      versions.push_back({{"version", v.version_no}, {"last_changed", v.last_changed}, {"current", v.current}});
    for (const auto& a : t->alerts) alerts.push_back(to_json(a));
    Reply(res, 200, {{"kind", kind}, {"id", t->id}, {"person", to_json(t->person)},
                     {"booking", t->booking ? to_json(*t->booking) : json()}, {"versions", versions},
                     {"flights", flights}, {"alerts", alerts}, {"depersonalised", t->depersonalised},
                     {"repersonalisation", repersonalised}});
  });

  // Re-personalisation (EU PNR Directive art. 12(3)): an analyst asks, for
  // a case and on grounds; someone else holding the approver role decides;
  // the data-protection officer sees every request in the DPO report.
  Route("POST", "/api/v1/repersonalisations", "repersonalisation request", [this](const auto& req, auto& res, Store* store) {
    auto who = Authorize(req, res, store, Permission::kRequestRepersonalisation, "repersonalisations", false, true,
                         nullptr);
    if (!who) return;
    auto body = Body(req, res, {"traveller_id", "case_ref", "grounds"});
    if (!body) return;
    const json& b = *body;
    if (!b["traveller_id"].is_number_integer() || !b["case_ref"].is_string() || !b["grounds"].is_string())
      return Refuse(res, 400, "give \"traveller_id\" (a PNR traveller), \"case_ref\" and \"grounds\"");
    auto r = store->RequestRepersonalisation(b["traveller_id"].get<int64_t>(), b["case_ref"], b["grounds"], who->name);
    if (!r.ok()) return Refuse(res, r.error().rfind("no traveller", 0) == 0 ? 404 : 409, r.error());
    store->Audit({0, "", who->name, "request repersonalisation", "repersonalisation:" + std::to_string(r->id),
                  r->case_ref, "", req.remote_addr, "ok", "", ""});
    Reply(res, 201, repersonalisation_json(*r));
  });

  Route("GET", "/api/v1/repersonalisations", "repersonalisations", [this](const auto& req, auto& res, Store* store) {
    // Approvers see every request (?status= to filter); requesters their own.
    const bool all = req.get_param_value("view") == "all";
    auto who = Authorize(req, res, store,
                         all ? Permission::kApproveRepersonalisation : Permission::kRequestRepersonalisation,
                         "repersonalisations", false, false, nullptr);
    if (!who) return;
    auto requests = store->Repersonalisations(req.get_param_value("status"));
    if (!requests.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& r : *requests)
      if (all || r.requested_by == who->name) out.push_back(repersonalisation_json(r));
    Reply(res, 200, out);
  });

  Route("POST", R"(/api/v1/repersonalisations/(\d{1,12})/(approve|refuse))", "repersonalisation decision",
        [this](const auto& req, auto& res, Store* store) {
          const std::string id = req.matches[1], verb = req.matches[2];
          auto who = Authorize(req, res, store, Permission::kApproveRepersonalisation, "repersonalisation:" + id,
                               false, true, nullptr);
          if (!who) return;
          auto body = Body(req, res, {"note"});
          if (!body) return;
          if (body->contains("note") && !(*body)["note"].is_string()) return Refuse(res, 400, "\"note\" is a text");
          const std::string note = body->value("note", "");
          const std::string expires =
              format_utc(clock->now() + int64_t{options.retention.repersonalisation_grant_hours} * 3600);
          auto r = store->DecideRepersonalisation(std::stoll(id), verb == "approve", who->name, note, expires);
          if (!r.ok()) return Refuse(res, r.error().rfind("no ", 0) == 0 ? 404 : 409, r.error());
          store->Audit({0, "", who->name, verb + " repersonalisation", "repersonalisation:" + id, r->case_ref, "",
                        req.remote_addr, "ok", "", ""});
          Reply(res, 200, repersonalisation_json(*r));
        });

  Route("GET", "/api/v1/rules", "rules", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadRules, "rules", false, false, nullptr)) return;
    auto rules = store->Rules(req.get_param_value("all") == "true");
    if (!rules.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& r : *rules)
      out.push_back({{"name", r.name}, {"version", r.version}, {"severity", r.severity}, {"category", r.category},
                     {"enabled", r.enabled}, {"author", r.author}, {"created_at", r.created_at}, {"text", r.text}});
    Reply(res, 200, out);
  });

  // A rule's text checked against the current value lists: the rule, or an
  // answer with the located error.
  auto compile = [](Store* store, const std::string& text, httplib::Response& res) -> std::optional<Rule> {
    auto lists = value_lists(store);
    if (!lists.ok()) {
      Refuse(res, 500, "the store failed");
      return std::nullopt;
    }
    RuleError error;
    auto rule = Rule::Compile(text, *lists, &error);
    if (!rule.ok()) {
      Reply(res, 422, {{"error", error.message}, {"line", error.line}, {"column", error.column}, {"hint", error.hint},
                       {"shown", rule.error()}});
      return std::nullopt;
    }
    return *rule;
  };

  Route("POST", "/api/v1/rules/check", "rules check", [this, compile](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadRules, "rules", false, false, nullptr)) return;
    auto body = Body(req, res, {"text"});
    if (!body) return;
    if (!(*body)["text"].is_string()) return Refuse(res, 400, "give the rule as \"text\"");
    auto rule = compile(store, (*body)["text"], res);
    if (!rule) return;
    Reply(res, 200, {{"valid", true}, {"name", rule->name()}, {"severity", rule->severity()}, {"category", rule->category()}});
  });

  Route("POST", "/api/v1/rules", "rules add", [this, compile](const auto& req, auto& res, Store* store) {
    auto who = Authorize(req, res, store, Permission::kManageRules, "rules", false, true, nullptr);
    if (!who) return;
    auto body = Body(req, res, {"text"});
    if (!body) return;
    if (!(*body)["text"].is_string()) return Refuse(res, 400, "give the rule as \"text\"");
    auto rule = compile(store, (*body)["text"], res);
    if (!rule) return;
    StoredRule r{rule->name(), 0, (*body)["text"], rule->severity(), rule->category(), true, who->name, ""};
    bool unchanged = false;
    auto stored = store->StoreRule(r, &unchanged);
    if (!stored.ok()) return Refuse(res, 500, "the store failed");
    if (auto s = RulesChanged(store); !s.ok()) return Refuse(res, 500, "stored, but re-assessment failed");
    Reply(res, 200, {{"name", stored->name}, {"version", stored->version}, {"unchanged", unchanged}});
  });

  Route("POST", R"(/api/v1/rules/test)", "rules test", [this, compile](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadRules, "rules test", true, false, nullptr)) return;
    auto body = Body(req, res, {"text", "days"});
    if (!body) return;
    if (!(*body)["text"].is_string()) return Refuse(res, 400, "give the rule as \"text\"");
    const json days = body->value("days", json(30));
    if (!days.is_number_integer() || days.get<int>() < 0 || days.get<int>() > 3650)
      return Refuse(res, 400, "days is a whole number from 0 to 3650");
    auto rule = compile(store, (*body)["text"], res);
    if (!rule) return;
    const Current now = Setup();
    auto trial = try_rule(store, now.setup, *rule, 0, iso_date(now.setup.today - days.get<int>()), iso_date(now.setup.today));
    if (!trial.ok()) return Refuse(res, 500, "the store failed");
    json hits = json::array();
    for (const auto& h : trial->hits)
      hits.push_back({{"flight", h.flight}, {"departure_date", h.departure_date}, {"traveller", h.traveller},
                      {"name", h.name}, {"why", json::parse(h.reason.explanation)}});
    Reply(res, 200, {{"rule", rule->name()}, {"flights", trial->flights}, {"travellers", trial->travellers},
                     {"undecided", trial->undecided}, {"hits", hits}});
  });

  Route("POST", R"(/api/v1/rules/([^/]{1,200})/(enable|disable))", "rules state", [this](const auto& req, auto& res, Store* store) {
    const std::string name = req.matches[1], verb = req.matches[2];
    if (!Authorize(req, res, store, Permission::kManageRules, "rule:" + name, false, true, nullptr)) return;
    if (auto s = store->SetRuleEnabled(name, verb == "enable"); !s.ok()) return Refuse(res, 404, s.message());
    if (auto s = RulesChanged(store); !s.ok()) return Refuse(res, 500, "changed, but re-assessment failed");
    Reply(res, 200, {{"name", name}, {"enabled", verb == "enable"}});
  });

  Route("GET", "/api/v1/lists", "lists", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadLists, "lists", false, false, nullptr)) return;
    auto versions = store->ListVersions("");
    if (!versions.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& v : *versions)
      out.push_back({{"name", v.name}, {"version", v.version}, {"imported_at", v.imported_at}, {"format", v.format},
                     {"entries", v.entries}, {"active", v.active}});
    Reply(res, 200, out);
  });

  Route("GET", R"(/api/v1/lists/([A-Za-z0-9_.-]{1,64})/entries)", "list entries", [this](const auto& req, auto& res, Store* store) {
    const std::string name = req.matches[1];
    if (!Authorize(req, res, store, Permission::kReadLists, "list:" + name, true, false, nullptr)) return;
    auto number = [&](const char* key, int fallback, int max) -> std::optional<int> {
      const std::string v = req.get_param_value(key);
      if (v.empty()) return fallback;
      if (v.size() > 7 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      return std::min(std::stoi(v), max);
    };
    const auto offset = number("offset", 0, 10000000), limit = number("limit", 50, 500);
    if (!offset || !limit) return Refuse(res, 400, "offset and limit are numbers");
    auto entries = store->ListEntries(name, 0);
    if (!entries.ok()) return Refuse(res, 404, "no list named " + name);
    json out = json::array();
    for (size_t i = static_cast<size_t>(*offset); i < entries->size() && out.size() < static_cast<size_t>(*limit); ++i)
      out.push_back(to_json((*entries)[i]));
    Reply(res, 200, {{"list", name}, {"total", entries->size()}, {"offset", *offset}, {"entries", out}});
  });

  Route("GET", R"(/api/v1/lists/([A-Za-z0-9_.-]{1,64})/entries/([^/]{1,128}))", "list entry", [this](const auto& req, auto& res, Store* store) {
    const std::string name = req.matches[1], reference = req.matches[2];
    if (!Authorize(req, res, store, Permission::kReadAlerts, "list:" + name + ":" + reference, true, false, nullptr)) return;
    auto entries = store->ListEntries(name, 0);
    if (!entries.ok()) return Refuse(res, 404, "no list named " + name);
    for (const auto& e : *entries)
      if (e.reference == reference) return Reply(res, 200, to_json(e));
    Refuse(res, 404, "no entry " + reference + " in the active version of " + name);
  });

  Route("POST", R"(/api/v1/lists/([A-Za-z0-9_.-]{1,64}))", "list import", [this](const auto& req, auto& res, Store* store) {
    const std::string name = req.matches[1];
    if (!Authorize(req, res, store, Permission::kManageLists, "list:" + name, false, true, nullptr)) return;
    const std::string format = req.get_param_value("format");
    if (format != "jsonl" && format != "csv" && format != "un")
      return Refuse(res, 400, "format is jsonl, csv or un (OFAC's four files are imported with vigil lists import)");
    if (req.body.empty()) return Refuse(res, 400, "the list is empty");
    ListRead read = read_list(format, {{name + "." + format, req.body}}, name);
    json problems = json::array();
    for (const auto& d : read.diags.all())
      if (problems.size() < 50) problems.push_back(d.to_string());
    if (!read.ok() || read.entries.empty())
      return Reply(res, 422, {{"error", "the list was not imported; the active version is unchanged"}, {"problems", problems}});
    auto update = update_list(store, name, format, sha256_hex(req.body), read.entries, options.screening);
    if (!update.ok()) return Refuse(res, 500, update.error());
    if (!update->unchanged) {
      if (auto s = LoadLists(store); !s.ok()) return Refuse(res, 500, "imported, but the lists could not be reloaded");
      if (auto s = AssessFlights(store, update->affected_flights); !s.ok())
        return Refuse(res, 500, "imported, but re-assessment failed");
    }
    Reply(res, 200, {{"list", name}, {"version", update->version.version}, {"entries", update->version.entries},
                     {"unchanged", update->unchanged}, {"added", update->diff.added.size()},
                     {"removed", update->diff.removed.size()}, {"changed", update->diff.changed.size()},
                     {"warnings", problems}, {"new_hits", update->outcome.new_hits},
                     {"withdrawn_hits", update->outcome.withdrawn}});
  });

  // What partner agencies see: confirmed alerts, the flight and what they
  // matched, without the traveller's name or the evidence.
  Route("GET", "/api/v1/partner/alerts", "partner", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kPartnerView, "partner alerts", true, false, nullptr)) return;
    auto alerts = store->Alerts("confirmed", 0);
    if (!alerts.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& a : *alerts) {
      json reasons = json::array();
      for (const auto& r : a.reasons)
        reasons.push_back(r.kind == "watchlist" ? json{{"kind", r.kind}, {"list", r.source}, {"entry", r.reference}}
                                                : json{{"kind", r.kind}, {"category", r.category}});
      out.push_back({{"id", a.id}, {"flight", a.flight}, {"departure_date", a.departure_date},
                     {"severity", a.severity}, {"category", a.category}, {"reasons", reasons}});
    }
    Reply(res, 200, out);
  });

  Route("GET", "/api/v1/reports/dpo", "dpo report", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadAudit, "dpo report", false, false, nullptr)) return;
    const std::string now = format_utc(clock->now());
    auto figures = store->Dpo(now, options.retention);
    if (!figures.ok()) return Refuse(res, 500, "the store failed");
    Reply(res, 200, dpo_report_json(*figures, now));
  });

  Route("GET", "/api/v1/audit", "audit", [this](const auto& req, auto& res, Store* store) {
    if (!Authorize(req, res, store, Permission::kReadAudit, "audit", false, false, nullptr)) return;
    const std::string limit = req.get_param_value("limit");
    if (limit.find_first_not_of("0123456789") != std::string::npos || limit.size() > 6)
      return Refuse(res, 400, "limit is a number");
    auto entries = store->AuditEntries(limit.empty() ? 100 : std::max(1, std::stoi(limit)));
    if (!entries.ok()) return Refuse(res, 500, "the store failed");
    json out = json::array();
    for (const auto& e : *entries)
      out.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"object", e.object},
                     {"purpose", e.purpose}, {"recipient", e.recipient}, {"remote", e.remote}, {"outcome", e.outcome}});
    Reply(res, 200, out);
  });

  http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const char* why = res.status == 404 ? "no such endpoint" : res.status == 413 ? "the body is too large" : "bad request";
      Refuse(res, res.status, why);
    }
  });
}

Result<std::unique_ptr<ApiServer>> ApiServer::Start(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->clock = options.clock ? options.clock : SystemClock();
  impl->KeepGallery();
  if (!options.csca_path.empty()) {
    // Refused at start where it does not read; later, the last good list.
    impl->csca_stamp = CscaList::Stamp(options.csca_path);
    auto csca = CscaList::Load(options.csca_path);
    if (!csca.ok()) return csca.status();
    impl->csca = std::make_shared<const CscaList>(std::move(*csca));
    impl->csca_looked = std::chrono::steady_clock::now();
  }
  if (!options.card_key_path.empty()) {
    std::string error;
    if (!HashKey::LoadOrCreate(options.card_key_path, &impl->card_key, &error)) return Status::Error(error);
  } else {
    impl->card_key = HashKey::Random();
  }
  auto store = OpenSqliteStore(options.db_path, impl->clock, options.security);
  if (!store.ok()) return store.status();
  if (!options.audit_key_path.empty()) {
    auto signer = AuditSigner::LoadOrCreate(options.audit_key_path);
    if (!signer.ok()) return signer.status();
    impl->audit_signer = std::make_unique<AuditSigner>(*signer);
    if (auto s = checkpoint_audit_trail(store->get(), *impl->audit_signer, *impl->clock); !s.ok()) return s;
  }
  // What pushed messages are assessed with: the active lists and the rules
  // in force (both re-read when they change through the API).
  if (auto s = impl->LoadLists(store->get()); !s.ok()) return s;
  auto values = value_lists(store->get());
  if (!values.ok()) return values.status();
  auto rules = rules_in_force(store->get(), *values, nullptr);
  if (!rules.ok()) return rules.status();
  impl->rules = std::move(*rules);
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty()) return Status::Error("give both --tls-cert and --tls-key");
    auto tls = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!tls->is_valid()) return Status::Error("cannot use the TLS certificate or key");
    impl->http = std::move(tls);
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  const int threads = std::max(1, options.threads);
  impl->http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  impl->http->set_payload_max_length(std::max(options.max_json_bytes, options.max_message_bytes));
  // Answers go out at once (no Nagle delay), and a client keeps its
  // connection (each open connection holds a serving thread).
  impl->http->set_tcp_nodelay(true);
  impl->http->set_keep_alive_max_count(10000);
  impl->http->set_read_timeout(10, 0);
  impl->http->set_write_timeout(10, 0);
  // The console's pages may load nothing from elsewhere and never be framed.
  impl->http->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                   {"X-Frame-Options", "DENY"},
                                   {"Referrer-Policy", "no-referrer"},
                                   {"Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"},
                                   {"Cache-Control", "no-store"}});
  if (!options.web_dir.empty() && !impl->http->set_mount_point("/", options.web_dir))
    return Status::Error("no console at " + options.web_dir + " (build it: npm --prefix web run build)");
  impl->Routes();
  if (options.port == 0) {
    impl->port = impl->http->bind_to_any_port(options.host);
    if (impl->port <= 0) return Status::Error("cannot listen on " + options.host);
  } else {
    if (!impl->http->bind_to_port(options.host, options.port))
      return Status::Error("cannot listen on " + options.host + ":" + std::to_string(options.port));
    impl->port = options.port;
  }
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiServer::~ApiServer() { Stop(); }
int ApiServer::port() const { return impl_->port; }
void ApiServer::Run() {
  std::thread retention;
  if (impl_->options.retention_every_s > 0) {
    retention = std::thread([impl = impl_.get()] {
      auto store = OpenSqliteStore(impl->options.db_path, impl->clock, impl->options.security);
      std::unique_lock<std::mutex> lock(impl->stop_mu);
      while (!impl->stopping) {
        lock.unlock();
        if (store.ok()) {
          bool ok = run_retention(store->get(), impl->options.retention, *impl->clock).ok();
          if (ok && impl->audit_signer)
            ok = prune_audit_trail(store->get(), *impl->audit_signer, *impl->clock,
                                   impl->options.retention.audit_keep_days)
                     .ok();
          impl->metrics.Count("vigil_retention_runs_total", ok ? "ok" : "failed");
        }
        lock.lock();
        impl->stop_cv.wait_for(lock, std::chrono::seconds(impl->options.retention_every_s),
                               [impl] { return impl->stopping; });
      }
    });
  }
  // The gallery loaded before the first check needs it.
  std::thread warm([impl = impl_.get()] {
    if (auto store = OpenSqliteStore(impl->options.db_path, impl->clock, impl->options.security); store.ok())
      (void)impl->gallery->Current(store->get());
  });
  impl_->http->listen_after_bind();
  warm.join();
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  if (retention.joinable()) retention.join();
  // Served: the trail's end is signed.
  if (impl_->audit_signer) {
    auto store = OpenSqliteStore(impl_->options.db_path, impl_->clock, impl_->options.security);
    if (store.ok()) checkpoint_audit_trail(store->get(), *impl_->audit_signer, *impl_->clock);
  }
}
void ApiServer::Stop() {
  if (impl_ && impl_->http) impl_->http->stop();
}

}  // namespace vigil
