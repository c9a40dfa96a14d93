// Reader for the OFAC Specially Designated Nationals list in its legacy CSV
// form (sdn.csv, alt.csv, add.csv, sdn_comments.csv; see docs/lists.md).
//
// The files have no header row; fields are quoted as RFC 4180 says and
// "-0-" marks an empty field. Each sdn.csv row becomes one entry: persons
// ("individual"), vessels, aircraft, and entities (no type). The reader
// promises:
//   - reference = ent_num, program = the Program column ("] [" between
//     programmes becomes "; "), category "sanctions", severity "high".
//   - Names of persons are split at the first comma: "SURNAME, Given Names"
//     (suffixes such as "Jr." are kept in `full` only). Other names are kept
//     whole. alt.csv rows are aliases (aka/fka/nka), weak when their remarks
//     say "weak"; "a.k.a."/"f.k.a."/"n.k.a." in the remarks are weak aliases.
//   - sdn_comments.csv continues the remarks of its entry; the remarks are
//     then split at ';' and read for "DOB", "POB", "nationality", "citizen",
//     "Gender", "Passport", "National ID No.", "Cedula No.", "Identification
//     Number" and the other identity documents listed in ofac.cc, each also
//     after "alt.". Dates of birth: "01 Jan 1960", "Jan 1960", "1960"; "circa"
//     keeps the year only; "1958 to 1962" and "01 Jan 1961 to 31 Dec 1962"
//     are the year range "1958/1962" / "1961/1962".
//   - remarks = Title, vessel details and the full OFAC remarks, then the
//     addresses of add.csv ("Address: ..."). A vessel's flag is its
//     nationality.
//
// Findings: a missing, empty, binary or oversized sdn.csv, an optional file
// that is binary or holds no readable row, and a read with no entry are
// errors. Malformed rows (wrong field count, a quote left open, a
// non-numeric ent_num, an unknown ent_num in the other files, a duplicate
// ent_num) and unreadable dates of birth are warnings located at
// file:line:column; the row is skipped. Never throws.
#pragma once

#include <string>
#include <string_view>

#include "formats/lists/list_read.h"

namespace vigil {

// One file of an OFAC download. Absent when both fields are empty.
struct OfacFile {
  std::string_view bytes;
  std::string name;  // used in findings, e.g. "ofac/sdn.csv"
  bool present() const { return !bytes.empty() || !name.empty(); }
};

struct OfacFiles {
  OfacFile sdn;       // required
  OfacFile alt;       // aliases, optional
  OfacFile add;       // addresses, optional
  OfacFile comments;  // sdn_comments.csv, optional
};

// Reads the SDN list from its legacy CSV files; `list_name` (e.g.
// "ofac-sdn") becomes every entry's `list`.
ListRead read_ofac_sdn(const OfacFiles& files, const std::string& list_name);

}  // namespace vigil
