// Screening thresholds and evidence weights. Defaults are documented in
// docs/screening.md; a JSON file may override any of them.
#pragma once

#include <string>

#include "base/status.h"

namespace vigil {

struct ScreeningConfig {
  // A match at or above this score is reported (and alerts).
  double threshold = 0.80;
  // At most this many matches per traveller, best first.
  int top_k = 5;
  // Name candidates scoring below this are not evaluated further.
  double name_floor = 0.60;

  // Date of birth: added to the name score.
  double dob_exact = 0.10;      // same full date
  double dob_swapped = 0.06;    // day and month swapped
  double dob_month = 0.06;      // same year and month, one side has no day
  double dob_year = 0.04;       // same year (or within the list's range), one side year only
  double dob_near = 0.0;        // one year apart
  double dob_mismatch = -0.25;  // both known and further apart

  double nationality_match = 0.05;
  double nationality_mismatch = -0.10;
  double sex_mismatch = -0.20;
  double weak_alias = -0.05;    // the name matched a low-quality alias

  // Travellers are people: names are matched against person entries only,
  // unless this is set (then also entities, vessels and aircraft).
  // Document entries and documents listed for any entry always match.
  bool match_organisations = false;

  // A travel document number on the list: the score is at least this.
  double document_exact = 0.99;      // same characters
  double document_confusable = 0.95; // same after O/0, I/1, S/5 ... folding
  double document_country_mismatch = -0.10;  // issuing countries differ

  // Reads overrides from a JSON object with the field names above. Unknown
  // keys and values of the wrong type are errors naming the key.
  static Result<ScreeningConfig> FromJson(const std::string& text);
  static Result<ScreeningConfig> FromFile(const std::string& path);
  std::string ToJson() const;
};

}  // namespace vigil
