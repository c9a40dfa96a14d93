#include "privacy/dpo_report.h"

namespace vigil {

nlohmann::json dpo_report_json(const DpoFigures& f, const std::string& as_at) {
  nlohmann::json accesses = nlohmann::json::array();
  for (const auto& a : f.accesses)
    accesses.push_back({{"actor", a.actor}, {"purpose", a.purpose}, {"action", a.action}, {"count", a.count}});
  return {{"as_at", as_at},
          {"accesses", accesses},
          {"refused", f.refused},
          {"minimised", f.minimised},
          {"minimised_messages", f.minimised_messages},
          {"due", {{"pnr_versions_depersonalisation", f.pnr_versions_due_depersonalisation},
                   {"messages_deletion", f.messages_due_deletion},
                   {"api_travellers_deletion", f.api_travellers_due_deletion}}},
          {"done", {{"depersonalisations", 0}, {"deletions", 0}, {"re_personalisations", 0}}}};
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
  out += "Done: no retention run has depersonalised, deleted or re-personalised anything yet.\n";
  return out;
}

}  // namespace vigil
