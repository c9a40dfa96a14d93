#include "privacy/dpo_report.h"

#include "privacy/retention.h"

namespace vigil {

nlohmann::json repersonalisation_json(const Repersonalisation& r) {
  return {{"id", r.id},
          {"traveller_id", r.traveller_id},
          {"case_ref", r.case_ref},
          {"grounds", r.grounds},
          {"requested_by", r.requested_by},
          {"requested_at", r.requested_at},
          {"status", r.status},
          {"decided_by", r.decided_by},
          {"decided_at", r.decided_at},
          {"decision_note", r.decision_note},
          {"expires_at", r.expires_at}};
}

nlohmann::json dpo_report_json(const DpoFigures& f, const std::string& as_at) {
  nlohmann::json accesses = nlohmann::json::array();
  for (const auto& a : f.accesses)
    accesses.push_back({{"actor", a.actor}, {"purpose", a.purpose}, {"action", a.action}, {"count", a.count}});
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& r : f.repersonalisations) requests.push_back(repersonalisation_json(r));
  return {{"as_at", as_at},
          {"accesses", accesses},
          {"refused", f.refused},
          {"minimised", f.minimised},
          {"minimised_messages", f.minimised_messages},
          {"due", {{"pnr_versions_depersonalisation", f.pnr_versions_due_depersonalisation},
                   {"messages_deletion", f.messages_due_deletion},
                   {"api_travellers_deletion", f.api_travellers_due_deletion}}},
          {"done", retention_counts_json(f.done)},
          {"biometrics", {{"subjects", f.biometrics.subjects},
                          {"templates", f.biometrics.templates},
                          {"images", f.biometrics.images},
                          {"removals", f.biometrics.removals},
                          {"encounters", f.biometrics.encounters},
                          {"hits", f.biometrics.hits},
                          {"awaiting", f.biometrics.awaiting},
                          {"oldest_awaiting", f.biometrics.oldest_awaiting},
                          {"confirmed", f.biometrics.confirmed},
                          {"rejected", f.biometrics.rejected},
                          {"probes_kept", f.biometrics.probes_kept},
                          {"chips_authentic", f.biometrics.chips_authentic},
                          {"chips_not_authentic", f.biometrics.chips_not_authentic}}},
          {"repersonalisations", requests}};
}

std::string dpo_report_text(const DpoFigures& f, const std::string& as_at) {
  std::string out = "Data protection report as at " + as_at + "\n\nAccesses granted, by user, purpose and action:\n";
  for (const auto& a : f.accesses)
    out += "  " + a.actor + "  " + (a.purpose.empty() ? "(no purpose: not personal data)" : a.purpose) + "  " +
           a.action + ": " + std::to_string(a.count) + "\n";
  if (f.accesses.empty()) out += "  none\n";
  out += "Requests refused: " + std::to_string(f.refused) + "\n\nDeleted on receipt (Art. 13(4)), items by category:\n";
  for (const auto& [category, n] : f.minimised) out += "  " + category + ": " + std::to_string(n) + "\n";
  if (f.minimised.empty()) out += "  none\n";
  out += "  from " + std::to_string(f.minimised_messages) + " messages\n\nDue now by the retention rules:\n";
  out += "  PNR versions to depersonalise (older than 6 months): " + std::to_string(f.pnr_versions_due_depersonalisation) + "\n";
  out += "  messages to delete (older than 5 years): " + std::to_string(f.messages_due_deletion) + "\n";
  out += "  API travellers to delete (arrived over 24 hours ago, no standing alert): " +
         std::to_string(f.api_travellers_due_deletion) + "\n";
  const RetentionCounts& d = f.done;
  out += "\nDone by retention runs:\n";
  out += "  PNR versions depersonalised: " + std::to_string(d.pnr_versions_depersonalised) + ", deleted: " +
         std::to_string(d.pnr_versions_deleted) + "\n";
  out += "  API travellers deleted: " + std::to_string(d.api_travellers_deleted) + "\n";
  out += "  raw messages depersonalised: " + std::to_string(d.raw_messages_depersonalised) + ", deleted: " +
         std::to_string(d.raw_messages_deleted) + "\n";
  out += "  alerts deleted: " + std::to_string(d.alerts_deleted) + "\n";
  out += "  quarantined messages deleted: " + std::to_string(d.quarantined_deleted) + "\n";
  out += "  biometric encounters deleted: " + std::to_string(d.encounters_deleted) + "\n";
  const DpoFigures::Biometrics& b = f.biometrics;
  out += "\nBiometrics:\n";
  out += "  gallery: " + std::to_string(b.subjects) + " subjects, " + std::to_string(b.templates) + " templates, " +
         std::to_string(b.images) + " enrolment images kept; " + std::to_string(b.removals) +
         " subjects removed from their lists\n";
  out += "  encounters held: " + std::to_string(b.encounters) + ", of which hits: " + std::to_string(b.hits) +
         " (probes kept: " + std::to_string(b.probes_kept) + ")\n";
  out += "  hits decided by an examiner: " + std::to_string(b.confirmed) + " confirmed, " +
         std::to_string(b.rejected) + " rejected; awaiting one: " + std::to_string(b.awaiting) +
         (b.oldest_awaiting.empty() ? "" : " (the oldest since " + b.oldest_awaiting + ")") + "\n";
  out += "  chips checked: " + std::to_string(b.chips_authentic) + " authentic, " +
         std::to_string(b.chips_not_authentic) + " not authentic\n";
  out += "\nRe-personalisation requests (art. 12(3)):\n";
  for (const auto& r : f.repersonalisations)
    out += "  #" + std::to_string(r.id) + " case " + r.case_ref + " by " + r.requested_by + " at " + r.requested_at +
           ": " + r.status + (r.decided_by.empty() ? "" : " by " + r.decided_by + " at " + r.decided_at) +
           (r.expires_at.empty() ? "" : ", until " + r.expires_at) + "\n    grounds: " + r.grounds + "\n";
  if (f.repersonalisations.empty()) out += "  none\n";
  return out;
}

}  // namespace vigil
