// Watch-list entries as every list importer produces them: sanctions lists
// (OFAC SDN, UN consolidated), national lists and police notices, and
// lost/stolen/invalid document lists. No I/O here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// One name or alias of an entry, as the list writes it (any script).
struct WatchName {
  std::string full;      // the whole name, e.g. "KIM Jong Un" or "محمد علي"
  std::string given;     // given names, when the list separates them
  std::string surname;   // family name, when the list separates them
  bool primary = false;  // the entry's main name (not an alias)
  bool weak = false;     // a low-quality alias (OFAC "weak a.k.a.", UN quality "Low")
};

// A document an entry is known to hold, or a listed lost/stolen document.
struct WatchDocument {
  std::string type;     // "P" passport, "I" national identity card, "V" visa, or as written
  std::string number;   // as written
  std::string country;  // ISO 3166 alpha-3 where known, else as written
  std::string note;
};

struct WatchEntry {
  enum class Kind { kPerson, kEntity, kVessel, kAircraft, kDocument };
  Kind kind = Kind::kPerson;
  std::string list;       // the list's name in Vigil (e.g. "ofac-sdn")
  std::string reference;  // the list's own reference: OFAC ent_num, UN REFERENCE_NUMBER, id
  std::vector<WatchName> names;
  // Dates of birth: "YYYY-MM-DD", "YYYY-MM" or "YYYY"; a range of years is
  // "YYYY/YYYY" (from/to, inclusive).
  std::vector<std::string> birth_dates;
  std::vector<std::string> places_of_birth;
  std::vector<std::string> nationalities;  // ISO 3166 alpha-3 where known
  std::string sex;                          // "M", "F" or empty
  std::vector<WatchDocument> documents;
  std::string category;  // e.g. "sanctions", "terrorism", "wanted", "lost-stolen-document"
  std::string severity;  // "high", "medium" or "low"
  std::string program;   // sanctions programme(s) or notice type, as written
  std::string remarks;   // free text kept for analysts
};

const char* to_string(WatchEntry::Kind kind);

// A date of birth as lists and travel documents give it, possibly partial.
struct PartialDate {
  int year = 0, month = 0, day = 0;  // 0: not given
  int year_to = 0;                   // ranges: last year, inclusive
};

// Reads "YYYY", "YYYY-MM", "YYYY-MM-DD" or a range "YYYY/YYYY"; year 0 when
// unreadable.
PartialDate parse_partial_date(std::string_view text);

}  // namespace vigil
