// A frontline biometric check against the stored gallery: what `vigil bio
// search` and POST /api/v1/check share.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "biometrics/gallery.h"
#include "store/store.h"

namespace vigil {

// The finger views of a template (ISO/IEC 19794-2, ANSI INCITS 378);
// fingerprint images are refused with a clear reason until they are read.
Result<FingerTemplate> read_finger_template(std::string_view bytes);

// The finger gallery as stored; a template that does not read is an error
// naming it.
Result<FingerGallery> load_finger_gallery(Store* store);

struct BioSearch {
  std::vector<BioCandidate> candidates;  // best first
  int64_t encounter = 0;                 // the encounter recorded
};

// Searches `probe` against `gallery` and records the encounter: who,
// where, the result and the best candidate, the probe kept (sealed) only on
// a hit, and an access-log entry with `purpose`.
Result<BioSearch> search_and_record(Store* store, const FingerGallery& gallery, const FingerTemplate& probe,
                                    size_t top, const std::string& officer, const std::string& location,
                                    const std::string& purpose);

// {"list", "id", "score", "match"} per candidate, best first.
nlohmann::json candidates_json(const std::vector<BioCandidate>& candidates);

}  // namespace vigil
