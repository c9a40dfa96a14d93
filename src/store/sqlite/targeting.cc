#include "store/sqlite/targeting.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace vigil {

const char* to_string(AlertChange change) {
  switch (change) {
    case AlertChange::kNone: return "unchanged";
    case AlertChange::kCreated: return "created";
    case AlertChange::kUpdated: return "updated";
    case AlertChange::kReopened: return "reopened";
    case AlertChange::kWithdrawn: return "withdrawn";
    case AlertChange::kSuppressed: return "suppressed";
  }
  return "unchanged";
}

namespace sqlite {
namespace {

int severity_rank(const std::string& s) { return s == "high" ? 3 : s == "medium" ? 2 : s == "low" ? 1 : 0; }

// The reason that gives an alert its severity and category.
const AlertReason& most_severe(const std::vector<AlertReason>& reasons) {
  return *std::max_element(reasons.begin(), reasons.end(), [](const AlertReason& a, const AlertReason& b) {
    return severity_rank(a.severity) < severity_rank(b.severity);
  });
}

bool same_reason(const AlertReason& a, const AlertReason& b) {
  return a.kind == b.kind && a.source == b.source && a.version == b.version && a.reference == b.reference &&
         a.severity == b.severity && a.category == b.category && a.score == b.score &&
         a.explanation == b.explanation && a.fingerprint == b.fingerprint;
}

// What makes a reason new to someone who reviewed the alert.
std::string identity(const AlertReason& r) {
  return r.kind + "\x1f" + r.source + "\x1f" + r.reference + "\x1f" + r.fingerprint;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

StoredRule read_rule(Stmt& st) {
  StoredRule r;
  r.name = st.Text(0);
  r.version = static_cast<int>(st.Int(1));
  r.text = st.Text(2);
  r.severity = st.Text(3);
  r.category = st.Text(4);
  r.author = st.Text(5);
  r.created_at = st.Text(6);
  r.enabled = st.Int(7) != 0;
  return r;
}

ValueList read_value_list(Stmt& st) {
  ValueList l;
  l.name = st.Text(0);
  l.version = static_cast<int>(st.Int(1));
  const auto items = nlohmann::json::parse(st.Text(2), nullptr, false);
  if (items.is_array())
    for (const auto& i : items)
      if (i.is_string()) l.items.push_back(i.get<std::string>());
  l.author = st.Text(3);
  l.created_at = st.Text(4);
  return l;
}

constexpr const char* kAlertColumns =
    "SELECT a.id, a.flight_id, a.traveller_kind, a.traveller_id, a.status, a.severity, a.category, "
    "a.created_at, a.updated_at, f.carrier || f.flight_number, f.departure_date, "
    "CASE a.traveller_kind WHEN 'api' THEN (SELECT given_names FROM api_travellers WHERE id = a.traveller_id) "
    "ELSE (SELECT given_names FROM pnr_travellers WHERE id = a.traveller_id) END, "
    "CASE a.traveller_kind WHEN 'api' THEN (SELECT surname FROM api_travellers WHERE id = a.traveller_id) "
    "ELSE (SELECT surname FROM pnr_travellers WHERE id = a.traveller_id) END "
    "FROM alerts a JOIN flights f ON f.id = a.flight_id ";

constexpr const char* kReasonExplanation = "alert_reasons.explanation";

Alert read_alert(Database& db, Stmt& st) {
  Alert a;
  a.id = st.Int(0);
  a.flight_id = st.Int(1);
  a.traveller_kind = st.Text(2) == "pnr" ? TravellerKind::kPnr : TravellerKind::kApi;
  a.traveller_id = st.Int(3);
  a.status = st.Text(4);
  a.severity = st.Text(5);
  a.category = st.Text(6);
  a.created_at = st.Text(7);
  a.updated_at = st.Text(8);
  a.flight = st.Text(9);
  a.departure_date = st.Text(10);
  const bool api = a.traveller_kind == TravellerKind::kApi;
  const std::string given = db.Open(st, 11, api ? "api_travellers.given_names" : "pnr_travellers.given_names");
  const std::string surname = db.Open(st, 12, api ? "api_travellers.surname" : "pnr_travellers.surname");
  a.traveller_name = given.empty() ? surname : surname.empty() ? given : given + " " + surname;
  return a;
}

}  // namespace

Result<StoredRule> Targeting::StoreRule(const StoredRule& rule, bool* unchanged) {
  *unchanged = false;
  return db_.InTransaction([&]() -> Result<StoredRule> {
    const std::string now = format_utc(db_.clock().now());
    Stmt& latest = db_.S("SELECT r.name, r.version, r.text, r.severity, r.category, r.author, r.created_at, 1 "
                         "FROM rules r WHERE r.name = ?1 ORDER BY r.version DESC LIMIT 1");
    latest.Bind(1, rule.name);
    StoredRule stored;
    if (latest.Row()) stored = read_rule(latest);
    latest.Reset();
    StoredRule out = rule;
    if (stored.version > 0 && stored.text == rule.text) {
      *unchanged = true;
      out = stored;
    } else {
      const int version = stored.version;
      out.version = version + 1;
      out.created_at = now;
      Stmt& ins = db_.S("INSERT INTO rules(name, version, text, severity, category, author, created_at) "
                        "VALUES (?1,?2,?3,?4,?5,?6,?7)");
      ins.Bind(1, out.name).Bind(2, int64_t{out.version}).Bind(3, out.text).Bind(4, out.severity)
          .Bind(5, out.category).Bind(6, out.author).Bind(7, now);
      if (!ins.Run()) return db_.Error("rule insert");
      ins.Reset();
    }
    Stmt& state = db_.S("INSERT INTO rule_state(name, enabled, changed_at) VALUES (?1, 1, ?2) "
                        "ON CONFLICT(name) DO UPDATE SET enabled = 1, changed_at = ?2 WHERE enabled = 0");
    state.Bind(1, out.name).Bind(2, now);
    if (!state.Run()) return db_.Error("rule state");
    state.Reset();
    out.enabled = true;
    return out;
  });
}

Result<std::vector<StoredRule>> Targeting::Rules(bool all_versions) {
  return rows(db_,
              "SELECT r.name, r.version, r.text, r.severity, r.category, r.author, r.created_at, "
              "coalesce(s.enabled, 1) FROM rules r LEFT JOIN rule_state s ON s.name = r.name "
              "WHERE ?1 OR r.version = (SELECT max(version) FROM rules x WHERE x.name = r.name) "
              "ORDER BY r.name, r.version",
              read_rule, [&](Stmt& st) { st.Bind(1, int64_t{all_versions}); });
}

Status Targeting::SetRuleEnabled(const std::string& name, bool enabled) {
  auto r = db_.InTransaction([&]() -> Result<bool> {
    Stmt& known = db_.S("SELECT 1 FROM rules WHERE name = ?1 LIMIT 1");
    known.Bind(1, name);
    const bool exists = known.Row();
    known.Reset();
    if (!exists) return Status::Error("no rule named \"" + name + "\"");
    const std::string now = format_utc(db_.clock().now());
    Stmt& st = db_.S("INSERT INTO rule_state(name, enabled, changed_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT(name) DO UPDATE SET enabled = ?2, changed_at = ?3");
    st.Bind(1, name).Bind(2, int64_t{enabled}).Bind(3, now);
    if (!st.Run()) return db_.Error("rule state");
    st.Reset();
    return true;
  });
  return r.status();
}

Result<ValueList> Targeting::StoreValueList(const ValueList& list, bool* unchanged) {
  *unchanged = false;
  ValueList out = list;
  out.items.clear();
  std::set<std::string> seen;
  for (const auto& i : list.items)
    if (!i.empty() && seen.insert(i).second) out.items.push_back(i);
  const std::string items = nlohmann::json(out.items).dump();
  return db_.InTransaction([&]() -> Result<ValueList> {
    Stmt& latest = db_.S("SELECT version, items FROM value_lists WHERE name = ?1 ORDER BY version DESC LIMIT 1");
    latest.Bind(1, list.name);
    int version = 0;
    std::string stored;
    if (latest.Row()) {
      version = static_cast<int>(latest.Int(0));
      stored = latest.Text(1);
    }
    latest.Reset();
    if (version > 0 && stored == items) {
      *unchanged = true;
      out.version = version;
      return out;
    }
    out.version = version + 1;
    out.created_at = format_utc(db_.clock().now());
    Stmt& ins = db_.S("INSERT INTO value_lists(name, version, items, author, created_at) VALUES (?1,?2,?3,?4,?5)");
    ins.Bind(1, out.name).Bind(2, int64_t{out.version}).Bind(3, items).Bind(4, out.author).Bind(5, out.created_at);
    if (!ins.Run()) return db_.Error("value list insert");
    ins.Reset();
    return out;
  });
}

Result<std::vector<ValueList>> Targeting::ValueLists() {
  return rows(db_,
              "SELECT name, version, items, author, created_at FROM value_lists v "
              "WHERE version = (SELECT max(version) FROM value_lists x WHERE x.name = v.name) ORDER BY name",
              read_value_list, no_binding);
}

std::vector<AlertReason> Targeting::Reasons(int64_t alert_id) {
  std::vector<AlertReason> out;
  Stmt& st = db_.S("SELECT kind, source, version, reference, severity, category, score, explanation, "
                   "fingerprint FROM alert_reasons WHERE alert_id = ?1 ORDER BY position");
  st.Bind(1, alert_id);
  while (st.Row()) {
    AlertReason r;
    r.kind = st.Text(0);
    r.source = st.Text(1);
    r.version = static_cast<int>(st.Int(2));
    r.reference = st.Text(3);
    r.severity = st.Text(4);
    r.category = st.Text(5);
    r.score = st.Real(6);
    r.explanation = db_.Open(st, 7, kReasonExplanation);
    r.fingerprint = st.Text(8);
    out.push_back(std::move(r));
  }
  st.Reset();
  return out;
}

void Targeting::Event(int64_t alert_id, const std::string& user, const std::string& from, const std::string& to,
                      const std::string& reason) {
  const std::string now = format_utc(db_.clock().now());
  Stmt& st = db_.S("INSERT INTO alert_events(alert_id, at, user, from_status, to_status, reason) "
                   "VALUES (?1,?2,?3,?4,?5,?6)");
  st.Bind(1, alert_id).Bind(2, now).Bind(3, user).Bind(4, from).Bind(5, to).Bind(6, reason);
  if (!st.Run()) throw std::runtime_error("alert event insert failed");
  st.Reset();
}

Result<std::vector<AlertChange>> Targeting::UpdateAlerts(const std::vector<AlertUpdate>& updates) {
  return db_.InTransaction([&]() -> Result<std::vector<AlertChange>> {
    std::vector<AlertChange> out;
    out.reserve(updates.size());
    for (const AlertUpdate& u : updates) out.push_back(UpdateAlert(u));
    return out;
  });
}

AlertChange Targeting::UpdateAlert(const AlertUpdate& update) {
  const int64_t flight_id = update.flight_id, traveller_id = update.traveller_id;
  const TravellerKind kind = update.traveller_kind;
  // Fingerprints rest on traveller data: kept as keyed hashes.
  std::vector<AlertReason> reasons = update.reasons;
  for (AlertReason& r : reasons) r.fingerprint = db_.Hash(r.fingerprint, "alert_reasons.fingerprint");
  {
    const std::string now = format_utc(db_.clock().now());
    const std::string kind_text = to_string(kind);
    Stmt& find = db_.S("SELECT id, status FROM alerts WHERE flight_id = ?1 AND traveller_kind = ?2 AND traveller_id = ?3");
    find.Bind(1, flight_id).Bind(2, kind_text).Bind(3, traveller_id);
    int64_t id = 0;
    std::string status;
    if (find.Row()) {
      id = find.Int(0);
      status = find.Text(1);
    }
    find.Reset();
    const std::vector<AlertReason> stored = id ? Reasons(id) : std::vector<AlertReason>();
    std::set<std::string> present;
    for (const AlertReason& r : stored) present.insert(r.fingerprint);
    // Watch-list reasons a person dismissed, on the same data, stay quiet,
    // unless they are already this alert's (which keeps what was decided).
    std::vector<AlertReason> kept;
    Stmt& dismissed = db_.S("SELECT 1 FROM dismissed_reasons WHERE fingerprint = ?1");
    for (const AlertReason& r : reasons) {
      bool quiet = false;
      if (r.kind == "watchlist" && !present.count(r.fingerprint)) {
        dismissed.Bind(1, r.fingerprint);
        quiet = dismissed.Row();
        dismissed.Reset();
      }
      if (!quiet) kept.push_back(r);
    }
    auto write_reasons = [&] {
      Stmt& del = db_.S("DELETE FROM alert_reasons WHERE alert_id = ?1");
      del.Bind(1, id);
      if (!del.Run()) throw std::runtime_error(std::string("alert reasons") + ": " + sqlite3_errmsg(db_.handle()));
      del.Reset();
      Stmt& ins = db_.S("INSERT INTO alert_reasons(alert_id, position, kind, source, version, reference, severity, "
                        "category, score, explanation, fingerprint) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
      for (size_t i = 0; i < kept.size(); ++i) {
        const AlertReason& r = kept[i];
        ins.Bind(1, id).Bind(2, static_cast<int64_t>(i)).Bind(3, r.kind).Bind(4, r.source)
            .Bind(5, int64_t{r.version}).Bind(6, r.reference).Bind(7, r.severity).Bind(8, r.category)
            .Bind(9, r.score).Bind(11, r.fingerprint);
        const std::string explanation = db_.Seal(r.explanation, kReasonExplanation);
        db_.BindSealed(ins, 10, explanation);
        if (!ins.Run()) throw std::runtime_error(std::string("alert reason insert") + ": " + sqlite3_errmsg(db_.handle()));
        ins.Reset();
      }
    };
    auto summary = [&]() {
      std::string out;
      for (const AlertReason& r : kept)
        out += (out.empty() ? "" : ", ") + r.source + (r.reference.empty() ? "" : " " + r.reference);
      return out;
    };
    if (!id) {
      if (kept.empty()) return kept.size() == reasons.size() ? AlertChange::kNone : AlertChange::kSuppressed;
      const AlertReason& top = most_severe(kept);
      Stmt& ins = db_.S("INSERT INTO alerts(flight_id, traveller_kind, traveller_id, status, severity, category, "
                        "created_at, updated_at) VALUES (?1,?2,?3,'new',?4,?5,?6,?6)");
      ins.Bind(1, flight_id).Bind(2, kind_text).Bind(3, traveller_id).Bind(4, top.severity).Bind(5, top.category)
          .Bind(6, now);
      if (!ins.Run()) throw std::runtime_error(std::string("alert insert") + ": " + sqlite3_errmsg(db_.handle()));
      ins.Reset();
      id = sqlite3_last_insert_rowid(db_.handle());
      write_reasons();
      Event(id, "vigil", "", "new", "raised by " + summary());
      return AlertChange::kCreated;
    }
    if (stored.size() == kept.size() && std::equal(stored.begin(), stored.end(), kept.begin(), same_reason))
      return AlertChange::kNone;
    std::set<std::string> before;
    for (const AlertReason& r : stored) before.insert(identity(r));
    bool added = false;
    for (const AlertReason& r : kept) added = added || !before.count(identity(r));
    write_reasons();
    std::string next = status;
    AlertChange change = AlertChange::kUpdated;
    std::string why = kept.empty() ? "evidence withdrawn" : "evidence changed: " + summary();
    if (kept.empty() && status == "new") {
      next = "withdrawn", change = AlertChange::kWithdrawn;
    } else if (!kept.empty() && (status == "withdrawn" || ((status == "confirmed" || status == "dismissed") && added))) {
      next = "new", change = AlertChange::kReopened, why = "new evidence: " + summary();
    }
    const AlertReason* top = kept.empty() ? nullptr : &most_severe(kept);
    Stmt& upd = db_.S("UPDATE alerts SET status = ?2, severity = coalesce(?3, severity), "
                      "category = coalesce(?4, category), updated_at = ?5 WHERE id = ?1");
    upd.Bind(1, id).Bind(2, next).Bind(5, now);
    if (top) upd.Bind(3, top->severity).Bind(4, top->category);
    if (!upd.Run()) throw std::runtime_error(std::string("alert update") + ": " + sqlite3_errmsg(db_.handle()));
    upd.Reset();
    Event(id, "vigil", status, next, why);
    return change;
  }
}

Result<std::vector<Alert>> Targeting::Alerts(const std::string& status, int64_t flight_id) {
  std::vector<Alert> out;
  try {
    static const std::string sql = std::string(kAlertColumns) +
                                   "WHERE (?1 = '' OR a.status = ?1) AND (?2 = 0 OR a.flight_id = ?2) "
                                   "ORDER BY a.id DESC";
    Stmt& st = db_.S(sql.c_str());
    st.Bind(1, status).Bind(2, flight_id);
    while (st.Row()) out.push_back(read_alert(db_, st));
    st.Reset();
    for (Alert& a : out) a.reasons = Reasons(a.id);
  } catch (const std::exception& e) {
    return Status::Error(std::string("sqlite: ") + e.what());
  }
  return out;
}

Result<std::vector<Alert>> Targeting::AlertsOf(const std::vector<int64_t>& api_rows,
                                                const std::vector<int64_t>& pnr_rows, bool standing_only) {
  std::vector<Alert> out;
  try {
    static const std::string sql = std::string(kAlertColumns) +
                                   "WHERE a.traveller_kind = ?1 AND a.traveller_id = ?2 "
                                   "AND (?3 = 0 OR a.status IN ('new', 'in_review', 'confirmed'))";
    Stmt& st = db_.S(sql.c_str());
    for (const auto* rows : {&api_rows, &pnr_rows}) {
      const char* kind = rows == &api_rows ? "api" : "pnr";
      for (int64_t row : *rows) {
        st.Bind(1, kind).Bind(2, row).Bind(3, int64_t{standing_only});
        while (st.Row()) out.push_back(read_alert(db_, st));
        st.Reset();
      }
    }
    for (Alert& a : out) a.reasons = Reasons(a.id);
  } catch (const std::exception& e) {
    return Status::Error(std::string("sqlite: ") + e.what());
  }
  std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) { return a.id > b.id; });
  return out;
}

Result<Alert> Targeting::GetAlert(int64_t id) {
  try {
    static const std::string sql = std::string(kAlertColumns) + "WHERE a.id = ?1";
    Stmt& st = db_.S(sql.c_str());
    st.Bind(1, id);
    if (!st.Row()) {
      st.Reset();
      return Status::Error("no alert " + std::to_string(id));
    }
    Alert a = read_alert(db_, st);
    st.Reset();
    a.reasons = Reasons(id);
    Stmt& ev = db_.S("SELECT at, user, from_status, to_status, reason FROM alert_events WHERE alert_id = ?1 ORDER BY id");
    ev.Bind(1, id);
    while (ev.Row()) a.events.push_back({ev.Text(0), ev.Text(1), ev.Text(2), ev.Text(3), ev.Text(4)});
    ev.Reset();
    return a;
  } catch (const std::exception& e) {
    return Status::Error(std::string("sqlite: ") + e.what());
  }
}

Result<Alert> Targeting::ReviewAlert(int64_t id, const std::string& to, const std::string& user,
                                     const std::string& reason) {
  const std::string why = trim(reason);
  if (why.empty()) return Status::Error("a reason is required for every review decision");
  if (trim(user).empty()) return Status::Error("the reviewer must be named");
  static const std::set<std::string> kStatuses = {"in_review", "confirmed", "dismissed"};
  if (!kStatuses.count(to)) return Status::Error("cannot move an alert to \"" + to + "\": use in_review, confirmed or dismissed");
  auto done = db_.InTransaction([&]() -> Result<bool> {
    Stmt& find = db_.S("SELECT status FROM alerts WHERE id = ?1");
    find.Bind(1, id);
    if (!find.Row()) {
      find.Reset();
      return Status::Error("no alert " + std::to_string(id));
    }
    const std::string from = find.Text(0);
    find.Reset();
    const bool allowed = (from == "new" && to == "in_review") ||
                         (from == "in_review" && (to == "confirmed" || to == "dismissed")) ||
                         ((from == "confirmed" || from == "dismissed") && to == "in_review");
    if (!allowed) {
      const std::string next = from == "new" ? "in_review"
                               : from == "in_review" ? "confirmed or dismissed"
                               : from == "withdrawn" ? "nothing (its evidence was withdrawn)"
                                                     : "in_review";
      return Status::Error("alert " + std::to_string(id) + " is " + from + "; it can go to " + next);
    }
    const std::string now = format_utc(db_.clock().now());
    if (to == "dismissed") {
      Stmt& remember = db_.S("INSERT OR IGNORE INTO dismissed_reasons(fingerprint, alert_id, dismissed_at) "
                             "SELECT fingerprint, alert_id, ?2 FROM alert_reasons WHERE alert_id = ?1 AND kind = 'watchlist'");
      remember.Bind(1, id).Bind(2, now);
      if (!remember.Run()) return db_.Error("dismissal memory");
      remember.Reset();
    } else if (from == "dismissed") {
      Stmt& forget = db_.S("DELETE FROM dismissed_reasons WHERE alert_id = ?1");
      forget.Bind(1, id);
      if (!forget.Run()) return db_.Error("dismissal memory");
      forget.Reset();
    }
    Stmt& upd = db_.S("UPDATE alerts SET status = ?2, updated_at = ?3 WHERE id = ?1");
    upd.Bind(1, id).Bind(2, to).Bind(3, now);
    if (!upd.Run()) return db_.Error("alert review");
    upd.Reset();
    Event(id, user, from, to, why);
    return true;
  });
  if (!done.ok()) return done.status();
  return GetAlert(id);
}

}  // namespace sqlite
}  // namespace vigil
