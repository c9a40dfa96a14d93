// Intake: reads inputs, stores what is accepted, quarantines what is not.
// Nothing is lost: every input ends either in the raw archive with its
// content, or in quarantine with its reasons.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/hash.h"
#include "base/status.h"
#include "formats/detect.h"
#include "store/store.h"

namespace vigil {

struct IngestOptions {
  bool strict = false;                // warnings reject the input
  const HashKey* card_key = nullptr;  // for payment card hashes
  int reference_year = 0;             // see ParseOptions
};

// Totals over every input given to one Ingestor.
struct IngestSummary {
  uint64_t messages = 0;     // inputs read
  uint64_t travellers = 0;   // API plus PNR travellers read from stored inputs
  uint64_t flights = 0;      // distinct flights the stored inputs touched
  uint64_t pnrs = 0;         // PNRs read from stored inputs
  uint64_t duplicates = 0;   // inputs whose bytes were already stored
  uint64_t warnings = 0;     // warnings in accepted inputs
  uint64_t rejected = 0;     // inputs rejected and quarantined
  uint64_t links = 0;        // new API-PNR traveller links
  uint64_t minimised = 0;    // sensitive items deleted on receipt (privacy/minimise.h)
};

// What became of one input.
struct IngestResult {
  bool accepted = false;
  bool duplicate = false;
  std::vector<Diagnostic> diagnostics;  // warnings, and errors when rejected
};

class Ingestor {
 public:
  Ingestor(Store* store, IngestOptions options);

  // Reads `bytes` (named `source` in diagnostics) and stores or quarantines
  // it. A store failure (disk full, database locked) is returned as an error
  // and nothing of the input is kept, so the caller may retry.
  Result<IngestResult> Ingest(std::string_view bytes, const std::string& source);

  const IngestSummary& summary() const { return summary_; }
  // The flights the stored inputs touched (by id).
  const std::set<int64_t>& flights() const { return flights_; }

 private:
  Store* store_;
  IngestOptions options_;
  IngestSummary summary_;
  std::set<int64_t> flights_;
};

}  // namespace vigil
