#include "privacy/retention.h"

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace vigil {

Result<RetentionPolicy> parse_retention_policy(const std::string& text, const std::string& where) {
  auto j = nlohmann::json::parse(text, nullptr, false, true);
  if (!j.is_object()) return Status::Error(where + ": not a JSON object");
  RetentionPolicy p;
  struct Days {
    const char* key;
    int* field;
    int max;
  };
  const Days numbers[] = {
      {"pnr_depersonalise_after_days", &p.pnr_depersonalise_after_days, 1826},
      {"delete_after_days", &p.delete_after_days, 3653},
      {"api_delete_after_arrival_hours", &p.api_delete_after_arrival_hours, 24 * 3653},
      {"closed_alerts_delete_after_days", &p.closed_alerts_delete_after_days, 3653},
      {"quarantine_delete_after_days", &p.quarantine_delete_after_days, 3653},
      {"repersonalisation_grant_hours", &p.repersonalisation_grant_hours, 24 * 90},
      {"audit_keep_days", &p.audit_keep_days, 36530},
  };
  for (const auto& [key, value] : j.items()) {
    const std::string at = where + ": " + key + ": ";
    if (key == "regime") {
      if (!value.is_string()) return Status::Error(at + "expected a string");
      p.regime = value.get<std::string>();
      continue;
    }
    if (key == "after_depersonalisation") {
      if (!value.is_string() || (value != "keep" && value != "delete_unless_risk_link"))
        return Status::Error(at + "expected \"keep\" or \"delete_unless_risk_link\"");
      p.after_depersonalisation = value.get<std::string>();
      continue;
    }
    if (key == "api_keep_if_alert") {
      if (!value.is_boolean()) return Status::Error(at + "expected true or false");
      p.api_keep_if_alert = value.get<bool>();
      continue;
    }
    if (key == "_comment") continue;
    bool known = false;
    for (const Days& d : numbers) {
      if (key != d.key) continue;
      known = true;
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > d.max)
        return Status::Error(at + "expected a whole number from 1 to " + std::to_string(d.max));
      *d.field = value.get<int>();
    }
    if (!known) return Status::Error(at + "unknown setting");
  }
  if (p.pnr_depersonalise_after_days > p.delete_after_days)
    return Status::Error(where + ": pnr_depersonalise_after_days exceeds delete_after_days");
  return p;
}

Result<RetentionPolicy> load_retention_policy(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_retention_policy(*text, path);
}

std::string retention_policy_json(const RetentionPolicy& p) {
  return nlohmann::json{{"regime", p.regime},
                        {"pnr_depersonalise_after_days", p.pnr_depersonalise_after_days},
                        {"delete_after_days", p.delete_after_days},
                        {"after_depersonalisation", p.after_depersonalisation},
                        {"api_delete_after_arrival_hours", p.api_delete_after_arrival_hours},
                        {"api_keep_if_alert", p.api_keep_if_alert},
                        {"closed_alerts_delete_after_days", p.closed_alerts_delete_after_days},
                        {"quarantine_delete_after_days", p.quarantine_delete_after_days},
                        {"repersonalisation_grant_hours", p.repersonalisation_grant_hours},
                        {"audit_keep_days", p.audit_keep_days}}
      .dump();
}

nlohmann::json retention_counts_json(const RetentionCounts& c) {
  return {{"pnr_versions_depersonalised", c.pnr_versions_depersonalised},
          {"pnr_versions_deleted", c.pnr_versions_deleted},
          {"api_travellers_deleted", c.api_travellers_deleted},
          {"raw_messages_depersonalised", c.raw_messages_depersonalised},
          {"raw_messages_deleted", c.raw_messages_deleted},
          {"alerts_deleted", c.alerts_deleted},
          {"quarantined_deleted", c.quarantined_deleted},
          {"encounters_deleted", c.encounters_deleted}};
}

void depersonalise(Pnr* pnr) {
  for (PnrTraveller& t : pnr->travellers) {
    Traveller masked;
    masked.role = t.person.role;
    masked.embarkation = t.person.embarkation;
    masked.debarkation = t.person.debarkation;
    masked.transit = t.person.transit;
    masked.seat = t.person.seat;
    masked.bags = t.person.bags;
    t.person = std::move(masked);
    t.frequent_flyers.clear();
    for (ServiceRequest& r : t.ssrs) r.text.clear();
  }
  pnr->contacts.clear();
  pnr->addresses.clear();
  for (Payment& p : pnr->payments) p = Payment{p.type, "", "", "", "", p.amount, p.currency};
  for (ServiceRequest& r : pnr->ssrs) r.text.clear();
  pnr->remarks.clear();
}

Result<RetentionCounts> run_retention(Store* store, const RetentionPolicy& policy, const Clock& clock,
                                      std::function<void(const char*)> fault) {
  RetentionControl control;
  control.depersonalise = depersonalise;
  control.fault = std::move(fault);
  const std::string now = format_utc(clock.now());
  auto done = store->ApplyRetention(policy, now, control);
  const RetentionCounts c = done.ok() ? *done : RetentionCounts{};
  const std::string what = retention_counts_json(c).dump();
  // Erasure is logged (art. 13(6)): counts, never content; a run that
  // erased nothing leaves no entry (the service runs one every hour).
  if (done.ok() && c == RetentionCounts{}) return done;
  if (auto s = store->Audit({0, now, "retention", "erase", what, policy.regime, "", "", done.ok() ? "ok" : "failed",
                             "", ""});
      !s.ok() && done.ok())
    return s;
  return done;
}

}  // namespace vigil
