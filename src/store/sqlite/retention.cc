#include "store/sqlite/retention.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "model/json.h"

namespace vigil::sqlite {
namespace {

constexpr int64_t kBatch = 200;  // API travellers, alerts, quarantined messages per transaction
constexpr const char* kMasked = "(depersonalised)";
constexpr const char* kStanding = "('new', 'in_review', 'confirmed')";

// An explanation with everything it quotes masked: the detail of each
// factor, and every line of a rule's.
std::string mask_explanation(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return nlohmann::json::array().dump();
  for (auto& item : j) {
    if (item.is_object() && item.contains("detail")) item["detail"] = kMasked;
    else if (item.is_string()) item = kMasked;
  }
  return j.dump();
}

// "YYYY-MM-DDTHH:MM:SSZ" `seconds` before `now`.
std::string before(int64_t now, int64_t seconds) { return format_utc(now - seconds); }

// When the flight of an API row ended, as far as it is known: its arrival,
// else its departure, else when the message came.
constexpr const char* kApiEnd =
    "coalesce(nullif(f.arrival_local, ''), nullif(f.departure_local, ''), substr(m.received_at, 1, 16))";

}  // namespace

void Retention::Run(const char* sql, std::initializer_list<int64_t> ids) {
  Stmt& st = db_.S(sql);
  int i = 1;
  for (int64_t id : ids) st.Bind(i++, id);
  if (!st.Run()) throw std::runtime_error(std::string("retention: ") + sqlite3_errmsg(db_.handle()));
  st.Reset();
}

std::vector<int64_t> Retention::Ids(const char* sql, std::initializer_list<int64_t> ids) {
  Stmt& st = db_.S(sql);
  int i = 1;
  for (int64_t id : ids) st.Bind(i++, id);
  std::vector<int64_t> out;
  while (st.Row()) out.push_back(st.Int(0));
  st.Reset();
  return out;
}

void Retention::SetRaw(const char* sql, int64_t message_id, const std::string& now) {
  Stmt& st = db_.S(sql);
  st.Bind(1, message_id).Bind(2, now);
  if (!st.Run()) throw std::runtime_error(std::string("retention: raw message: ") + sqlite3_errmsg(db_.handle()));
  st.Reset();
}

void Retention::Log(const std::string& now, const char* action, const char* what, int64_t items) {
  if (!items) return;
  Stmt& st = db_.S("INSERT INTO retention_log(at, action, what, items) VALUES (?1, ?2, ?3, ?4)");
  st.Bind(1, now).Bind(2, action).Bind(3, what).Bind(4, items);
  if (!st.Run()) throw std::runtime_error("retention log");
  st.Reset();
}

void Retention::DeleteAlert(int64_t alert_id) {
  Run("DELETE FROM alert_reasons WHERE alert_id = ?1", {alert_id});
  Run("DELETE FROM alert_events WHERE alert_id = ?1", {alert_id});
  Run("DELETE FROM dismissed_reasons WHERE alert_id = ?1", {alert_id});
  Run("DELETE FROM alerts WHERE id = ?1", {alert_id});
}

void Retention::DeleteTraveller(TravellerKind kind, int64_t id) {
  const int64_t pnr = kind == TravellerKind::kPnr;
  for (int64_t a : Ids("SELECT id FROM alerts WHERE traveller_kind = CASE ?1 WHEN 1 THEN 'pnr' ELSE 'api' END "
                       "AND traveller_id = ?2",
                       {pnr, id}))
    DeleteAlert(a);
  Run("DELETE FROM screening_hits WHERE traveller_kind = CASE ?1 WHEN 1 THEN 'pnr' ELSE 'api' END "
      "AND traveller_id = ?2",
      {pnr, id});
  if (pnr) {
    Run("DELETE FROM traveller_links WHERE pnr_traveller_id = ?1", {id});
    Run("DELETE FROM pnr_travellers WHERE id = ?1", {id});
  } else {
    Run("DELETE FROM traveller_links WHERE api_traveller_id = ?1", {id});
    Run("DELETE FROM api_travellers WHERE id = ?1", {id});
  }
}

void Retention::DeleteVersion(int64_t version_id) {
  const auto pnr = Ids("SELECT pnr_id FROM pnr_versions WHERE id = ?1", {version_id});
  if (pnr.empty()) return;
  for (int64_t t : Ids("SELECT id FROM pnr_travellers WHERE pnr_version_id = ?1", {version_id}))
    DeleteTraveller(TravellerKind::kPnr, t);
  Run("DELETE FROM pnr_flights WHERE pnr_version_id = ?1", {version_id});
  Run("DELETE FROM sealed_pnr_versions WHERE version_id = ?1", {version_id});
  Run("DELETE FROM pnr_versions WHERE id = ?1", {version_id});
  // The PNR goes with its last version; else the latest remaining one is
  // current.
  const auto latest = Ids("SELECT id FROM pnr_versions WHERE pnr_id = ?1 ORDER BY last_changed DESC, id DESC LIMIT 1",
                          {pnr[0]});
  if (latest.empty()) {
    Run("DELETE FROM repersonalisations WHERE pnr_id = ?1", {pnr[0]});
    Run("DELETE FROM pnrs WHERE id = ?1", {pnr[0]});
  } else {
    Run("UPDATE pnrs SET current_version_id = ?2 WHERE id = ?1 AND current_version_id = ?3",
        {pnr[0], latest[0], version_id});
  }
}

void Retention::DeleteMessage(int64_t message_id) {
  for (int64_t v : Ids("SELECT id FROM pnr_versions WHERE message_id = ?1", {message_id})) DeleteVersion(v);
  for (int64_t mf : Ids("SELECT id FROM manifests WHERE message_id = ?1", {message_id})) {
    for (int64_t t : Ids("SELECT id FROM api_travellers WHERE manifest_id = ?1", {mf}))
      DeleteTraveller(TravellerKind::kApi, t);
    Run("DELETE FROM manifests WHERE id = ?1", {mf});
  }
  Run("DELETE FROM minimisation_log WHERE message_id = ?1", {message_id});
  Run("DELETE FROM sealed_raw_messages WHERE message_id = ?1", {message_id});
  Run("DELETE FROM raw_messages WHERE id = ?1", {message_id});
}

void Retention::MaskExplanations(TravellerKind kind, int64_t traveller_id) {
  const std::string kind_text = to_string(kind);
  Stmt& hits = db_.S("SELECT id, explanation FROM screening_hits WHERE traveller_kind = ?1 AND traveller_id = ?2");
  hits.Bind(1, kind_text).Bind(2, traveller_id);
  std::vector<std::pair<int64_t, std::string>> hit_rows;
  while (hits.Row()) hit_rows.emplace_back(hits.Int(0), db_.Open(hits, 1, "screening_hits.explanation"));
  hits.Reset();
  Stmt& set_hit = db_.S("UPDATE screening_hits SET explanation = ?2 WHERE id = ?1");
  for (const auto& [id, text] : hit_rows) {
    const std::string sealed = db_.Seal(mask_explanation(text), "screening_hits.explanation");
    set_hit.Bind(1, id);
    db_.BindSealed(set_hit, 2, sealed);
    if (!set_hit.Run()) throw std::runtime_error("masking hit explanations");
    set_hit.Reset();
  }
  Stmt& reasons = db_.S("SELECT r.alert_id, r.position, r.explanation FROM alert_reasons r JOIN alerts a "
                        "ON a.id = r.alert_id WHERE a.traveller_kind = ?1 AND a.traveller_id = ?2");
  reasons.Bind(1, kind_text).Bind(2, traveller_id);
  std::vector<std::tuple<int64_t, int64_t, std::string>> reason_rows;
  while (reasons.Row())
    reason_rows.emplace_back(reasons.Int(0), reasons.Int(1), db_.Open(reasons, 2, "alert_reasons.explanation"));
  reasons.Reset();
  Stmt& set_reason = db_.S("UPDATE alert_reasons SET explanation = ?3 WHERE alert_id = ?1 AND position = ?2");
  for (const auto& [alert, position, text] : reason_rows) {
    const std::string sealed = db_.Seal(mask_explanation(text), "alert_reasons.explanation");
    set_reason.Bind(1, alert).Bind(2, position);
    db_.BindSealed(set_reason, 3, sealed);
    if (!set_reason.Run()) throw std::runtime_error("masking alert explanations");
    set_reason.Reset();
  }
}

void Retention::MaskVersion(int64_t version_id, const std::string& now, const RetentionControl& control) {
  Stmt& read = db_.S("SELECT data FROM pnr_versions WHERE id = ?1 AND masked_at = ''");
  read.Bind(1, version_id);
  if (!read.Row()) {
    read.Reset();
    return;
  }
  const std::string data = db_.Open(read, 0, "pnr_versions.data");
  read.Reset();
  Pnr pnr;
  if (!from_json(nlohmann::json::parse(data, nullptr, false), &pnr))
    throw std::runtime_error("pnr version " + std::to_string(version_id) + ": stored data is unreadable");
  // The original, sealed apart: only an approved request opens it.
  Stmt& keep = db_.S("INSERT INTO sealed_pnr_versions(version_id, data) VALUES (?1, ?2)");
  const std::string original = db_.Seal(data, "sealed_pnr_versions.data");
  keep.Bind(1, version_id);
  db_.BindSealed(keep, 2, original);
  if (!keep.Run()) throw std::runtime_error("sealing the original pnr version");
  keep.Reset();
  if (control.fault) control.fault("original sealed");
  control.depersonalise(&pnr);
  const std::string masked = db_.Seal(dump_line(to_json(pnr)), "pnr_versions.data");
  Stmt& set = db_.S("UPDATE pnr_versions SET data = ?2, masked_at = ?3 WHERE id = ?1");
  set.Bind(1, version_id).Bind(3, now);
  db_.BindSealed(set, 2, masked);
  if (!set.Run()) throw std::runtime_error("masking a pnr version");
  set.Reset();
  if (control.fault) control.fault("version masked");
  // No name or document finds it any more; explanations stop quoting it.
  const std::string no_surname = db_.Seal("", "pnr_travellers.surname"),
                    no_given = db_.Seal("", "pnr_travellers.given_names");
  Stmt& names = db_.S("UPDATE pnr_travellers SET surname = ?2, given_names = ?3, birth_date = '', "
                      "document_number = '', name_key = '' WHERE id = ?1");
  for (int64_t t : Ids("SELECT id FROM pnr_travellers WHERE pnr_version_id = ?1", {version_id})) {
    names.Bind(1, t);
    db_.BindSealed(names, 2, no_surname);
    db_.BindSealed(names, 3, no_given);
    if (!names.Run()) throw std::runtime_error("masking pnr travellers");
    names.Reset();
    MaskExplanations(TravellerKind::kPnr, t);
    if (control.fault) control.fault("traveller masked");
  }
}

Result<RetentionCounts> Retention::ApplyRetention(const RetentionPolicy& policy, const std::string& now,
                                                  const RetentionControl& control) {
  int64_t at = 0;
  if (!parse_utc(now, &at)) return Status::Error("bad time " + now);
  if (!control.depersonalise) return Status::Error("retention: no depersonalisation given");
  const bool strict = policy.after_depersonalisation == "delete_unless_risk_link";
  const std::string delete_before = before(at, policy.delete_after_days * 86400LL),
                    mask_before = before(at, policy.pnr_depersonalise_after_days * 86400LL),
                    api_before = before(at, policy.api_delete_after_arrival_hours * 3600LL).substr(0, 16),
                    alerts_before = before(at, policy.closed_alerts_delete_after_days * 86400LL),
                    quarantine_before = before(at, policy.quarantine_delete_after_days * 86400LL);
  RetentionCounts done;
  // The ids of the next units of `sql` (bound to `cutoff`).
  auto next = [&](const char* sql, const std::string& cutoff, int64_t limit) {
    Stmt& st = db_.S(sql);
    st.Bind(1, cutoff).Bind(2, limit);
    std::vector<int64_t> ids;
    while (st.Row()) ids.push_back(st.Int(0));
    st.Reset();
    return ids;
  };
  auto unit = [&](auto&& body) -> Status {
    auto r = db_.InTransaction([&]() -> Result<int> {
      body();
      return 0;
    });
    return r.ok() ? Status::Ok() : r.status();
  };
  auto count = [&](const char* sql, int64_t id) {
    Stmt& st = db_.S(sql);
    st.Bind(1, id);
    const int64_t n = st.Row() ? st.Int(0) : 0;
    st.Reset();
    return n;
  };
  try {
    // 1. Everything past the deletion period, message by message.
    for (;;) {
      const auto ids = next("SELECT id FROM raw_messages WHERE received_at < ?1 ORDER BY id LIMIT ?2", delete_before, 1);
      if (ids.empty()) break;
      const int64_t m = ids[0];
      RetentionCounts u;
      if (auto s = unit([&] {
            u.pnr_versions_deleted = count("SELECT count(*) FROM pnr_versions WHERE message_id = ?1", m);
            u.api_travellers_deleted = count(
                "SELECT count(*) FROM api_travellers t JOIN manifests mf ON mf.id = t.manifest_id WHERE mf.message_id = ?1",
                m);
            u.alerts_deleted = count(
                "SELECT count(*) FROM alerts a WHERE (a.traveller_kind = 'api' AND a.traveller_id IN (SELECT t.id FROM "
                "api_travellers t JOIN manifests mf ON mf.id = t.manifest_id WHERE mf.message_id = ?1)) OR "
                "(a.traveller_kind = 'pnr' AND a.traveller_id IN (SELECT t.id FROM pnr_travellers t JOIN pnr_versions v "
                "ON v.id = t.pnr_version_id WHERE v.message_id = ?1))",
                m);
            DeleteMessage(m);
            if (control.fault) control.fault("message deleted");
            Log(now, "deleted", "raw_messages", 1);
            Log(now, "deleted", "pnr_versions", u.pnr_versions_deleted);
            Log(now, "deleted", "api_travellers", u.api_travellers_deleted);
            Log(now, "deleted", "alerts", u.alerts_deleted);
          });
          !s.ok())
        return s;
      ++done.raw_messages_deleted;
      done.pnr_versions_deleted += u.pnr_versions_deleted;
      done.api_travellers_deleted += u.api_travellers_deleted;
      done.alerts_deleted += u.alerts_deleted;
    }

    // 2. API data past its period, unless an alert stands on it; then the
    // bytes of API messages whose every flight is past it.
    const std::string api_due =
        std::string("SELECT t.id FROM api_travellers t JOIN manifests mf ON mf.id = t.manifest_id "
                    "JOIN raw_messages m ON m.id = mf.message_id LEFT JOIN flights f ON f.id = t.flight_id WHERE ") +
        kApiEnd + " < ?1 AND (" + (policy.api_keep_if_alert ? "1" : "0") +
        " = 0 OR NOT EXISTS (SELECT 1 FROM alerts a WHERE a.traveller_kind = 'api' AND a.traveller_id = t.id "
        "AND a.status IN " + kStanding + ")) ORDER BY t.id LIMIT ?2";
    for (;;) {
      const auto ids = next(api_due.c_str(), api_before, kBatch);
      if (ids.empty()) break;
      int64_t alerts = 0;
      if (auto s = unit([&] {
            alerts = 0;
            for (int64_t t : ids) {
              alerts += count("SELECT count(*) FROM alerts WHERE traveller_kind = 'api' AND traveller_id = ?1", t);
              DeleteTraveller(TravellerKind::kApi, t);
              if (control.fault) control.fault("api traveller deleted");
            }
            Log(now, "deleted", "api_travellers", static_cast<int64_t>(ids.size()));
            Log(now, "deleted", "alerts", alerts);
          });
          !s.ok())
        return s;
      done.api_travellers_deleted += static_cast<int64_t>(ids.size());
      done.alerts_deleted += alerts;
    }
    const std::string api_messages_due =
        std::string("SELECT m.id FROM raw_messages m WHERE m.erased_at = '' AND EXISTS (SELECT 1 FROM manifests mf "
                    "WHERE mf.message_id = m.id) AND NOT EXISTS (SELECT 1 FROM manifests mf LEFT JOIN flights f ON "
                    "f.id = mf.flight_id WHERE mf.message_id = m.id AND ") +
        kApiEnd + " >= ?1) ORDER BY m.id LIMIT ?2";
    for (;;) {
      const auto ids = next(api_messages_due.c_str(), api_before, kBatch);
      if (ids.empty()) break;
      if (auto s = unit([&] {
            for (int64_t m : ids) SetRaw("UPDATE raw_messages SET body = x'', erased_at = ?2 WHERE id = ?1", m, now);
            Log(now, "deleted", "raw_messages", static_cast<int64_t>(ids.size()));
          });
          !s.ok())
        return s;
      done.raw_messages_deleted += static_cast<int64_t>(ids.size());
    }

    // 3. PNR data past the first period: each message with the versions
    // read from it depersonalised (or, in the stricter regime, deleted when
    // no alert stands on them).
    for (;;) {
      const auto ids = next(
          "SELECT m.id FROM raw_messages m WHERE m.received_at < ?1 AND m.masked_at = '' AND m.erased_at = '' "
          "AND NOT EXISTS (SELECT 1 FROM manifests mf WHERE mf.message_id = m.id) ORDER BY m.id LIMIT ?2",
          mask_before, 1);
      if (ids.empty()) break;
      const int64_t m = ids[0];
      RetentionCounts u;
      if (auto s = unit([&] {
            u = RetentionCounts{};
            for (int64_t v : Ids("SELECT id FROM pnr_versions WHERE message_id = ?1 AND masked_at = ''", {m})) {
              static const std::string standing_on_pnr =
                  std::string("SELECT count(*) FROM alerts a JOIN pnr_travellers t ON a.traveller_kind = 'pnr' AND "
                              "a.traveller_id = t.id JOIN pnr_versions o ON o.id = t.pnr_version_id WHERE o.pnr_id = "
                              "(SELECT pnr_id FROM pnr_versions WHERE id = ?1) AND a.status IN ") +
                  kStanding;
              const bool linked = count(standing_on_pnr.c_str(), v) > 0;  // on any version of the PNR
              if (strict && !linked) {
                u.alerts_deleted += count("SELECT count(*) FROM alerts a JOIN pnr_travellers t ON a.traveller_kind = "
                                          "'pnr' AND a.traveller_id = t.id WHERE t.pnr_version_id = ?1",
                                          v);
                DeleteVersion(v);
                ++u.pnr_versions_deleted;
              } else {
                MaskVersion(v, now, control);
                ++u.pnr_versions_depersonalised;
              }
            }
            const bool kept = count("SELECT count(*) FROM pnr_versions WHERE message_id = ?1", m) > 0;
            if (kept || !strict) {
              Stmt& body = db_.S("SELECT body FROM raw_messages WHERE id = ?1");
              body.Bind(1, m);
              const std::string raw = body.Row() ? db_.Open(body, 0, "raw_messages.body") : std::string();
              body.Reset();
              Stmt& keep = db_.S("INSERT INTO sealed_raw_messages(message_id, body) VALUES (?1, ?2)");
              const std::string sealed = db_.Seal(raw, "sealed_raw_messages.body");
              keep.Bind(1, m);
              db_.BindSealed(keep, 2, sealed, true);
              if (!keep.Run()) throw std::runtime_error("sealing a raw message");
              keep.Reset();
              SetRaw("UPDATE raw_messages SET body = x'', masked_at = ?2 WHERE id = ?1", m, now);
              u.raw_messages_depersonalised = 1;
            } else {
              SetRaw("UPDATE raw_messages SET body = x'', erased_at = ?2 WHERE id = ?1", m, now);
              u.raw_messages_deleted = 1;
            }
            if (control.fault) control.fault("message depersonalised");
            Log(now, "depersonalised", "pnr_versions", u.pnr_versions_depersonalised);
            Log(now, "depersonalised", "raw_messages", u.raw_messages_depersonalised);
            Log(now, "deleted", "pnr_versions", u.pnr_versions_deleted);
            Log(now, "deleted", "raw_messages", u.raw_messages_deleted);
            Log(now, "deleted", "alerts", u.alerts_deleted);
          });
          !s.ok())
        return s;
      done.pnr_versions_depersonalised += u.pnr_versions_depersonalised;
      done.pnr_versions_deleted += u.pnr_versions_deleted;
      done.raw_messages_depersonalised += u.raw_messages_depersonalised;
      done.raw_messages_deleted += u.raw_messages_deleted;
      done.alerts_deleted += u.alerts_deleted;
    }

    // 4. Closed alerts and withdrawn hits past their period.
    for (;;) {
      const auto ids = next("SELECT id FROM alerts WHERE status IN ('dismissed', 'withdrawn') AND updated_at < ?1 "
                            "ORDER BY id LIMIT ?2",
                            alerts_before, kBatch);
      if (ids.empty()) break;
      if (auto s = unit([&] {
            for (int64_t a : ids) DeleteAlert(a);
            Log(now, "deleted", "alerts", static_cast<int64_t>(ids.size()));
          });
          !s.ok())
        return s;
      done.alerts_deleted += static_cast<int64_t>(ids.size());
    }
    if (auto s = unit([&] {
          Stmt& hits = db_.S("DELETE FROM screening_hits WHERE status = 'withdrawn' AND withdrawn_at < ?1");
          hits.Bind(1, alerts_before);
          if (!hits.Run()) throw std::runtime_error("deleting withdrawn hits");
          hits.Reset();
        });
        !s.ok())
      return s;

    // 5. Quarantined messages past their period.
    for (;;) {
      const auto ids = next("SELECT id FROM quarantine WHERE received_at < ?1 ORDER BY id LIMIT ?2", quarantine_before,
                            kBatch);
      if (ids.empty()) break;
      if (auto s = unit([&] {
            for (int64_t q : ids) Run("DELETE FROM quarantine WHERE id = ?1", {q});
            Log(now, "deleted", "quarantine", static_cast<int64_t>(ids.size()));
          });
          !s.ok())
        return s;
      done.quarantined_deleted += static_cast<int64_t>(ids.size());
    }

    // 6. Biometric encounters past the deletion period.
    for (;;) {
      const auto ids = next("SELECT id FROM bio_encounters WHERE at < ?1 ORDER BY id LIMIT ?2", delete_before, kBatch);
      if (ids.empty()) break;
      if (auto s = unit([&] {
            for (int64_t e : ids) Run("DELETE FROM bio_encounters WHERE id = ?1", {e});
            Log(now, "deleted", "encounters", static_cast<int64_t>(ids.size()));
          });
          !s.ok())
        return s;
      done.encounters_deleted += static_cast<int64_t>(ids.size());
    }
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
  // Deleted pages leave the write-ahead log for the file, where
  // secure_delete has overwritten them (nothing to do when nothing went).
  if (!(done == RetentionCounts{})) db_.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return done;
}

Result<RetentionCounts> Retention::Done() {
  RetentionCounts c;
  try {
    Stmt& st = db_.S("SELECT action, what, sum(items) FROM retention_log GROUP BY action, what");
    while (st.Row()) {
      const std::string action = st.Text(0), what = st.Text(1);
      const int64_t n = st.Int(2);
      if (action == "depersonalised" && what == "pnr_versions") c.pnr_versions_depersonalised = n;
      else if (action == "depersonalised" && what == "raw_messages") c.raw_messages_depersonalised = n;
      else if (what == "pnr_versions") c.pnr_versions_deleted = n;
      else if (what == "api_travellers") c.api_travellers_deleted = n;
      else if (what == "raw_messages") c.raw_messages_deleted = n;
      else if (what == "alerts") c.alerts_deleted = n;
      else if (what == "quarantine") c.quarantined_deleted = n;
      else if (what == "encounters") c.encounters_deleted = n;
    }
    st.Reset();
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
  return c;
}

namespace {

constexpr const char* kRequestColumns =
    "SELECT id, pnr_id, traveller_id, case_ref, grounds, requested_by, requested_at, status, decided_by, decided_at, "
    "decision_note, expires_at FROM repersonalisations ";

Repersonalisation read_request(Stmt& st) {
  return {st.Int(0),  st.Int(1),  st.Int(2),  st.Text(3), st.Text(4),  st.Text(5),
          st.Text(6), st.Text(7), st.Text(8), st.Text(9), st.Text(10), st.Text(11)};
}

}  // namespace

Result<Repersonalisation> Retention::RequestRepersonalisation(int64_t pnr_traveller_id, const std::string& case_ref,
                                                              const std::string& grounds, const std::string& user) {
  if (case_ref.empty() || grounds.empty()) return Status::Error("a request needs a case reference and grounds");
  return db_.InTransaction([&]() -> Result<Repersonalisation> {
    Stmt& find = db_.S("SELECT p.id, c.masked_at FROM pnr_travellers t JOIN pnr_versions v ON v.id = t.pnr_version_id "
                       "JOIN pnrs p ON p.id = v.pnr_id JOIN pnr_versions c ON c.id = p.current_version_id "
                       "WHERE t.id = ?1");
    find.Bind(1, pnr_traveller_id);
    if (!find.Row()) {
      find.Reset();
      return Status::Error("no traveller pnr:" + std::to_string(pnr_traveller_id));
    }
    const int64_t pnr = find.Int(0);
    const bool masked = !find.Text(1).empty();
    find.Reset();
    if (!masked) return Status::Error("traveller pnr:" + std::to_string(pnr_traveller_id) + " is not depersonalised");
    const std::string now = format_utc(db_.clock().now());
    Stmt& ins = db_.S("INSERT INTO repersonalisations(pnr_id, traveller_id, case_ref, grounds, requested_by, "
                      "requested_at, status, decided_by, decided_at, decision_note, expires_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'requested', '', '', '', '')");
    ins.Bind(1, pnr).Bind(2, pnr_traveller_id).Bind(3, case_ref).Bind(4, grounds).Bind(5, user).Bind(6, now);
    if (!ins.Run()) return db_.Error("repersonalisation request");
    ins.Reset();
    const int64_t id = sqlite3_last_insert_rowid(db_.handle());
    return Repersonalisation{id, pnr, pnr_traveller_id, case_ref, grounds, user, now, "requested", "", "", "", ""};
  });
}

Result<Repersonalisation> Retention::DecideRepersonalisation(int64_t id, bool approve, const std::string& user,
                                                             const std::string& note, const std::string& expires_at) {
  return db_.InTransaction([&]() -> Result<Repersonalisation> {
    static const std::string sql = std::string(kRequestColumns) + "WHERE id = ?1";
    Stmt& find = db_.S(sql.c_str());
    find.Bind(1, id);
    if (!find.Row()) {
      find.Reset();
      return Status::Error("no repersonalisation request " + std::to_string(id));
    }
    Repersonalisation r = read_request(find);
    find.Reset();
    if (r.status != "requested") return Status::Error("request " + std::to_string(id) + " is already " + r.status);
    if (r.requested_by == user)
      return Status::Error("request " + std::to_string(id) + " must be decided by someone other than its requester");
    r.status = approve ? "approved" : "refused";
    r.decided_by = user;
    r.decided_at = format_utc(db_.clock().now());
    r.decision_note = note;
    r.expires_at = approve ? expires_at : "";
    Stmt& upd = db_.S("UPDATE repersonalisations SET status = ?2, decided_by = ?3, decided_at = ?4, "
                      "decision_note = ?5, expires_at = ?6 WHERE id = ?1");
    upd.Bind(1, id).Bind(2, r.status).Bind(3, r.decided_by).Bind(4, r.decided_at).Bind(5, r.decision_note)
        .Bind(6, r.expires_at);
    if (!upd.Run()) return db_.Error("repersonalisation decision");
    upd.Reset();
    return r;
  });
}

Result<std::vector<Repersonalisation>> Retention::Repersonalisations(const std::string& status) {
  static const std::string sql = std::string(kRequestColumns) + "WHERE ?1 = '' OR status = ?1 ORDER BY id DESC";
  return rows(db_, sql, read_request, [&](Stmt& st) { st.Bind(1, status); });
}

Result<std::optional<Repersonalisation>> Retention::ActiveRepersonalisation(int64_t pnr_traveller_id,
                                                                           const std::string& user,
                                                                           const std::string& now) {
  static const std::string sql =
      std::string(kRequestColumns) +
      "WHERE pnr_id = (SELECT v.pnr_id FROM pnr_travellers t JOIN pnr_versions v ON v.id = t.pnr_version_id "
      "WHERE t.id = ?1) AND requested_by = ?2 AND status = 'approved' AND expires_at > ?3 "
      "ORDER BY expires_at DESC LIMIT 1";
  return first(rows(db_, sql, read_request, [&](Stmt& st) { st.Bind(1, pnr_traveller_id).Bind(2, user).Bind(3, now); }));
}

Result<Pnr> Retention::OriginalPnr(int64_t version_id) {
  try {
    Stmt& st = db_.S("SELECT data FROM sealed_pnr_versions WHERE version_id = ?1");
    st.Bind(1, version_id);
    if (!st.Row()) {
      st.Reset();
      return Status::Error("pnr version " + std::to_string(version_id) + " has no sealed original");
    }
    const std::string data = db_.Open(st, 0, "sealed_pnr_versions.data");
    st.Reset();
    Pnr pnr;
    if (!from_json(nlohmann::json::parse(data, nullptr, false), &pnr))
      return Status::Error("pnr version " + std::to_string(version_id) + ": sealed original is unreadable");
    return pnr;
  } catch (const std::exception& e) {
    return sqlite_error(e);
  }
}

}  // namespace vigil::sqlite
