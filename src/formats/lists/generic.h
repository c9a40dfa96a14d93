// Readers for Vigil's own list formats, in which a national list, a police
// notice list or a lost/stolen document list is handed to Vigil: JSON Lines
// and CSV. docs/lists.md defines both; in short:
//
// Fields (JSONL keys; CSV header names, in any order and case):
//   id (required)       the list's reference of the entry, unique in the input
//   names               the first is the primary name; any script
//   documents           type, number (required), country, note
//   dob                 "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYY/YYYY"
//   nationality         ISO 3166-1 alpha-3 or alpha-2 codes (or names)
//   sex                 M/F (male/female); X, U or empty for unknown
//   place_of_birth, kind (person|entity|vessel|aircraft|document),
//   category, severity (high|medium|low), program, remarks
// An entry needs names or documents. An entry with documents and no names
// is a listed document (kind "document"). Defaults: category "watch" for
// persons and entities, "lost-stolen-document" for documents; severity
// "medium"; kind "person", or "document" when there are no names.
//
// JSONL: one object per line; names, dob, nationality, place_of_birth and
// documents are arrays or single values; a name is a string or an object
// {"full", "given", "surname", "weak"}; a document is an object.
// CSV: a header row; repeated values separated by ';'; a document written
// "type:number:country".
//
// Findings: input that is binary, UTF-16/32, empty, not the declared
// format (no line is a JSON object; no CSV header with "id" and "names" or
// "documents") or that yields no entry is an error. Each problem in a line
// or row is a warning located at file:line:column and the value, or the
// whole line when it cannot make an entry (not an object, invalid UTF-8,
// missing id, no name or document, a duplicate id: the first is kept), is
// skipped: invalid dates, an unknown sex, kind or severity, an unknown
// nationality or document country (kept as written), names longer than 512
// bytes, names and numbers holding control characters, documents without a
// number, unknown fields. Never throws.
#pragma once

#include <string>
#include <string_view>

#include "formats/lists/list_read.h"

namespace vigil {

// Names longer than this (in bytes) are skipped with a warning.
inline constexpr size_t kMaxListNameBytes = 512;

// Reads a list in JSON Lines form; `file` names it in findings and
// `list_name` becomes every entry's `list`.
ListRead read_generic_jsonl(std::string_view bytes, const std::string& file,
                            const std::string& list_name);

// Reads a list in CSV form (header row required), as read_generic_jsonl.
ListRead read_generic_csv(std::string_view bytes, const std::string& file,
                          const std::string& list_name);

}  // namespace vigil
