#include "intake/ingest.h"

#include "privacy/minimise.h"

namespace vigil {

Ingestor::Ingestor(Store* store, IngestOptions options) : store_(store), options_(options) {}

Result<IngestResult> Ingestor::Ingest(std::string_view bytes, const std::string& source) {
  ParseOptions popts;
  popts.file = source;
  popts.strict = options_.strict;
  popts.card_key = options_.card_key;
  popts.reference_year = options_.reference_year;
  ParsedInput parsed = parse_input(bytes, popts);
  // Data revealing religion, health, sex life, political opinions or union
  // membership is deleted on receipt: from what was read, and from the raw
  // bytes kept (PNR messages; API data carries no such field).
  std::string redacted;
  Dropped dropped;
  const bool pnr = !parsed.pushes.empty() || parsed.format == InputFormat::kPnrgovXml ||
                   bytes.find("PNRGOV") != std::string_view::npos;
  if (pnr) {
    for (auto& push : parsed.pushes) minimise(&push, &dropped);
    redacted = redact_raw(bytes);
    bytes = redacted;
  }

  IngestResult result;
  result.diagnostics = parsed.diags.all();
  ++summary_.messages;
  if (!parsed.accepted()) {
    std::string reason;
    for (const auto& d : parsed.diags.all()) {
      if (d.severity != Severity::kError) continue;
      if (!reason.empty()) reason += "\n";
      reason += d.to_string();
    }
    bool fresh = false;
    auto q = store_->Quarantine(bytes, source, reason, &fresh);
    if (!q.ok()) return q.status();
    ++summary_.rejected;
    return result;
  }

  IncomingMessage msg;
  msg.raw = bytes;
  msg.source = source;
  msg.format = parsed.format == InputFormat::kPnrgovXml ? "pnrgov-xml" : "edifact";
  msg.manifests = &parsed.manifests;
  msg.pushes = &parsed.pushes;
  msg.warnings = static_cast<uint32_t>(parsed.diags.warning_count());
  msg.minimised = &dropped;
  auto stored = store_->StoreMessage(msg);
  if (!stored.ok()) return stored.status();

  result.accepted = true;
  result.duplicate = stored->duplicate;
  if (stored->duplicate) {
    ++summary_.duplicates;
    return result;
  }
  summary_.warnings += parsed.diags.warning_count();
  for (const auto& [category, n] : dropped) summary_.minimised += static_cast<uint64_t>(n);
  summary_.travellers += parsed.traveller_count();
  for (const auto& p : parsed.pushes) summary_.pnrs += p.pnrs.size();
  summary_.links += stored->links_added;
  flights_.insert(stored->flight_ids.begin(), stored->flight_ids.end());
  summary_.flights = flights_.size();
  return result;
}

}  // namespace vigil
