// Text handling shared by the watch-list readers and used by nothing else:
// positions in an input, a bounded list of findings, checks that bytes are
// text, an RFC 4180 CSV reader, and the date, name and document forms the
// lists write. Nothing here throws except std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/text.h"
#include "formats/lists/list_read.h"
#include "model/watchlist.h"

namespace vigil::lists_internal {

// Line, column (in characters) and byte offset of positions in one input.
class Positions {
 public:
  // `text` is what the reader works on; it starts `base` bytes into the file
  // (after a byte order mark). When `latin1` the file was ISO-8859-1 and
  // `text` its UTF-8 form: offsets are then reported in the file's bytes.
  Positions(std::string_view text, std::string file, size_t base = 0, bool latin1 = false);

  // The location of byte `offset` of `text`.
  Location at(size_t offset, std::string segment = {}) const;
  // The location of the start of the input (line 1, column 1).
  Location start() const { return at(0); }

 private:
  std::string_view text_;
  std::string file_;
  size_t base_;
  bool latin1_;
  std::vector<size_t> line_starts_;
  std::vector<uint64_t> line_chars_;  // characters before each line, when latin1
};

// Findings of one read: errors, and at most kMaxListWarnings warnings.
class Findings {
 public:
  explicit Findings(Diagnostics* out) : out_(out) {}
  void warn(Location where, std::string reason);
  void error(Location where, std::string reason);
  bool has_errors() const { return out_->has_errors(); }
  // Adds one warning saying how many were left out, if any were.
  void finish();

 private:
  Diagnostics* out_;
  size_t warnings_ = 0;
  size_t dropped_ = 0;
};

using ::vigil::invalid_utf8_at;
using ::vigil::latin1_to_utf8;

// True for bytes that are not text: a NUL byte, or more than 1 in 20 of the
// first 4 KiB being control characters other than tab, CR, LF, FF and the
// DOS end-of-file mark (0x1A).
bool looks_binary(std::string_view s);

// An input checked to be text, ready to read.
struct TextInput {
  std::string_view text;  // UTF-8, byte order mark removed
  std::string storage;    // owns `text` when the input was converted
  size_t base = 0;        // bytes removed at the start (BOM)
  bool latin1 = false;    // the input was read as ISO-8859-1
};

// Checks that `bytes` can be a text input named `what` (e.g. "OFAC sdn.csv")
// and prepares it. Too large, binary, UTF-16/32 and empty inputs are errors
// located at `file`. Input that is not UTF-8 is read as ISO-8859-1 (with a
// warning) when `allow_latin1`, else left as it is for the caller to check.
// Returns false after an error.
bool prepare_text(std::string_view bytes, const std::string& file, std::string_view what,
                  bool allow_latin1, Findings* findings, TextInput* out);

// One field of a CSV record.
struct CsvField {
  std::string value;  // quotes removed, doubled quotes undone
  size_t offset = 0;  // where the field starts
};

struct CsvRecord {
  std::vector<CsvField> fields;
  size_t offset = 0;  // where the record starts
};

// Reads comma-separated records (RFC 4180). Lines that are empty or hold
// only white space and DOS end-of-file marks are skipped. A malformed record
// (a quote left open, text after a closing quote) is reported and skipped:
// reading goes on at the next line.
class CsvReader {
 public:
  // With `quoted_newlines` a quoted field may span lines (RFC 4180); without
  // it a quote still open at the end of a line is malformed.
  CsvReader(std::string_view text, bool quoted_newlines);

  enum class Step { kRecord, kMalformed, kEnd };
  // kRecord fills `record`; kMalformed fills `problem` and `problem_offset`.
  Step next(CsvRecord* record, std::string* problem, size_t* problem_offset);

 private:
  void skip_to_next_line();

  std::string_view text_;
  bool quoted_newlines_;
  size_t pos_ = 0;
};

// Leading and trailing white space removed.
std::string_view trim(std::string_view s);
// Trimmed, with every run of white space made one space.
inline std::string clean(std::string_view s) { return collapse_spaces(s); }
std::string lower_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool all_digits(std::string_view s);
// Parts between `sep`, each trimmed; empty parts are kept.
std::vector<std::string_view> split(std::string_view s, char sep);

// English date forms as lists write them, as "YYYY-MM-DD", "YYYY-MM" or
// "YYYY": "01 Jan 1960", "1 Jan. 1960", "1 January 1960", "Jan 1960",
// "Nov. 1973", "1960", "1960-01-01", "1960-01". Empty when unreadable or
// not a real date; years before 1800 or after 2100 are not read.
std::string date_from_text(std::string_view s);

// True for the birth date forms of the model: "YYYY-MM-DD" (a real date),
// "YYYY-MM", "YYYY" and "YYYY/YYYY" (first <= second), years 1800 to 2100.
bool is_birth_date_form(std::string_view s);

// A name written "SURNAME, Given Names": surname before the first comma,
// given names after it; further parts are given names too, except suffixes
// (Jr., Sr., II, III, IV) which stay in `full` only. Only `full` is set when
// there is no comma, no given name, or a digit in the text (a note, not a
// name). `full` is the name as written with white space cleaned.
WatchName comma_name(std::string_view text, bool primary, bool weak);

// True when `s` holds a letter outside the Latin script.
bool has_non_latin_letter(std::string_view s);

// The names one alias string holds: "Jin Tiesan (金铁三)" and
// "Abubakar (original script: Абубакар)" are two names; "حسن غول (Hassan
// Ghul; Hasan Gul)" is three. Any other text is one name.
std::vector<std::string> alias_variants(std::string_view s);

// "P" for passports, "I" for national identity cards and numbers, "V" for
// visas; any other type as written (cleaned).
std::string document_type(std::string_view written);

// Appends `value` unless empty or already present.
void add_unique(std::vector<std::string>* values, std::string value);

// Appends `name` unless its full form is empty or already present; a strong
// name replaces the weak flag of an equal one.
void add_name(WatchEntry* entry, WatchName name);

// Empties `read` and records an error at `file`: what a reader does when it
// had to stop (std::bad_alloc, say). Never throws.
void fail_read(const std::string& file, std::string_view reason, ListRead* read) noexcept;

}  // namespace vigil::lists_internal
