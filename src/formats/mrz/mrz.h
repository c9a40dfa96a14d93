// Machine readable zones of travel documents (ICAO Doc 9303): TD1 identity
// cards (3 lines of 30), TD2 cards (2 x 36), TD3 passports (2 x 44) and the
// MRV-A (2 x 44) and MRV-B (2 x 36) visas.
//
// parse_mrz() reads every field and verifies every check digit the format
// defines. It rejects an input only when it cannot be an MRZ at all (line
// count, line lengths, characters); a zone that is well formed but fails a
// check digit, holds an impossible date or an unreadable code is returned
// with valid == false and a reason for each failure. Nothing here throws.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace vigil {

// One check digit of the zone.
struct MrzCheck {
  // "document_number", "birth_date", "expiry_date", "optional_data" (TD3
  // personal number) or "composite".
  std::string name;
  char expected = '0';  // the digit computed from the zone
  char found = '<';     // the character the zone holds in its place
  bool ok = false;
};

// The fields of one zone. Text fields hold upper-case MRZ characters with the
// fillers ('<') described below removed; an empty string means absent or
// unreadable (a reason for the latter is in `problems`).
struct Mrz {
  std::string format;  // "TD1", "TD2", "TD3", "MRV-A" or "MRV-B"
  // True when every check digit matches and every field is readable, i.e.
  // when `problems` is empty.
  bool valid = false;
  std::string document_code;  // trailing fillers removed: "P", "I", "AC", "V"
  std::string issuing_state;  // trailing fillers removed: "D<<" gives "D"
  // The full number, also when it is longer than nine characters and
  // continues in the optional data (TD1, TD2, MRV-B).
  std::string document_number;
  std::string surname;      // single fillers become spaces
  std::string given_names;  // parts separated by single spaces
  std::string nationality;  // as issuing_state
  // "YYYY-MM-DD", never after the reference year. Empty when the zone holds
  // fillers only (date unknown) or an impossible date (then a problem).
  std::string birth_date;
  std::string sex;  // "M", "F" or "X" ('<' and 'X' both give "X")
  // "YYYY-MM-DD", 20 years before to 80 years after the reference year.
  // Empty for an impossible date, which is a problem.
  std::string expiry_date;
  // Leading and trailing fillers removed. TD1: line 1 after the document
  // number; TD2, MRV-A, MRV-B: line 2 after the expiry date; TD3: the
  // personal number. Characters that continue a long document number (and
  // its check digit) are not part of it.
  std::string optional_data;
  std::string optional_data2;  // TD1 line 2 positions 19-29; else empty
  // Every check digit the format defines, in the order of the zone.
  std::vector<MrzCheck> checks;
  // One human-readable reason per failed check or unreadable field.
  std::vector<std::string> problems;
};

// Parses and validates a zone given as its lines. Surrounding whitespace of
// each line, and blank lines before the first and after the last line, are
// ignored. The format follows from the line count and length and, for two-line
// zones, from the document code ('V' marks a visa). Returns an error when the
// line count or lengths fit no format or a line holds a character other than
// A-Z, 0-9 and '<' (lower-case letters included); otherwise returns the
// fields, valid or not. `reference_year` picks the century of two-digit years;
// zero or less means the current year by the system clock, and years after
// 9899 count as 9899.
Result<Mrz> parse_mrz(const std::vector<std::string>& lines, int reference_year = 0);

// {"format", "valid", "document_code", "issuing_state", "document_number",
//  "surname", "given_names", "nationality", "birth_date", "sex",
//  "expiry_date", "optional_data", "optional_data2",
//  "checks": [{"name", "expected", "found", "ok"}], "problems": [...]}.
// Every key is present; "expected" and "found" are one-character strings.
nlohmann::json to_json(const Mrz& mrz);

}  // namespace vigil
