#include "formats/lists/common.h"

#include <algorithm>
#include <utility>

#include "formats/dates.h"
#include "formats/lists/list_read.h"

namespace vigil::lists_internal {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Decodes the UTF-8 sequence at `s[*i]` and advances past it. Bytes that do
// not start a well-formed sequence are returned one at a time as U+FFFD.
uint32_t decode(std::string_view s, size_t* i) {
  const size_t at = *i;
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[at + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  size_t len = 0;
  uint32_t cp = 0, min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    ++*i;
    return 0xFFFD;
  }
  if (at + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  for (size_t k = 1; k < len; ++k) {
    if (!is_continuation(b(k))) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return 0xFFFD;
  }
  *i += len;
  return cp;
}

int month_number(std::string_view word) {
  static constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
  const std::string w = lower_ascii(word);
  if (w.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    const std::string_view full = kMonths[m];
    if (w == full || w == full.substr(0, 3) || (m == 8 && w == "sept")) return m + 1;
  }
  return 0;
}

int year_of(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return 0;
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  return (y >= 1800 && y <= 2100) ? y : 0;
}

std::string two_digits(int v) {
  return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

// True for "Jr.", "III" and the like, also with a note: "III (third)".
bool is_suffix(std::string_view part) {
  part = trim(part.substr(0, part.find('(')));
  static constexpr std::string_view kSuffixes[] = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"};
  for (std::string_view s : kSuffixes)
    if (iequals(part, s)) return true;
  return false;
}

// Position of the '(' that opens the group closing at the last character of
// `s`, or npos.
size_t opening_of_last_group(std::string_view s) {
  if (s.empty() || s.back() != ')') return std::string_view::npos;
  int depth = 0;
  for (size_t i = s.size(); i-- > 0;) {
    if (s[i] == ')') ++depth;
    if (s[i] == '(' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

std::string without_script_note(std::string_view s) {
  s = trim(s);
  constexpr std::string_view kNote = "(original script)";
  if (s.size() >= kNote.size() && iequals(s.substr(s.size() - kNote.size()), kNote))
    s = trim(s.substr(0, s.size() - kNote.size()));
  return clean(s);
}

}  // namespace

// ---------------------------------------------------------------------------
// Positions and findings

Positions::Positions(std::string_view text, std::string file, size_t base, bool latin1)
    : text_(text), file_(std::move(file)), base_(base), latin1_(latin1) {
  line_starts_.push_back(0);
  if (latin1_) line_chars_.push_back(0);
  uint64_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) ++chars;
    if (text[i] != '\n') continue;
    line_starts_.push_back(i + 1);
    if (latin1_) line_chars_.push_back(chars);
  }
}

Location Positions::at(size_t offset, std::string segment) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());
  const size_t start = line_starts_[line - 1];
  uint32_t column = 1;
  for (size_t i = start; i < offset; ++i)
    if (!is_continuation(static_cast<unsigned char>(text_[i]))) ++column;
  Location loc;
  loc.file = file_;
  loc.line = static_cast<uint32_t>(line);
  loc.column = column;
  if (latin1_) {
    // Every character of the UTF-8 form was one byte of the file.
    loc.offset = base_ + line_chars_[line - 1] + (column - 1);
  } else {
    loc.offset = base_ + offset;
  }
  loc.segment = std::move(segment);
  return loc;
}

void Findings::warn(Location where, std::string reason) {
  if (warnings_ >= kMaxListWarnings) {
    ++dropped_;
    return;
  }
  ++warnings_;
  out_->warn(std::move(where), std::move(reason));
}

void Findings::error(Location where, std::string reason) {
  out_->error(std::move(where), std::move(reason));
}

void Findings::finish() {
  if (dropped_ == 0) return;
  out_->warn(Location{}, std::to_string(dropped_) + " further warnings not shown");
  dropped_ = 0;
}

// ---------------------------------------------------------------------------
// Bytes as text

bool looks_binary(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) return true;
  const std::string_view head = s.substr(0, 4096);
  size_t controls = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A) || c == 0x7F)
      ++controls;
  }
  return controls * 20 > head.size();
}

bool prepare_text(std::string_view bytes, const std::string& file, std::string_view what,
                  bool allow_latin1, Findings* findings, TextInput* out) {
  Location start;
  start.file = file;
  start.line = 1;
  start.column = 1;
  const std::string name(what);
  if (bytes.size() > kMaxListInputBytes) {
    findings->error(start, name + " is larger than 64 MiB; not read");
    return false;
  }
  if (bytes.substr(0, 2) == "\xFE\xFF" || bytes.substr(0, 2) == "\xFF\xFE") {
    findings->error(start, name + " is UTF-16 or UTF-32; lists are read as UTF-8");
    return false;
  }
  size_t base = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") base = 3;
  std::string_view text = bytes.substr(base);
  if (looks_binary(text)) {
    findings->error(start, name + " holds binary data, not text");
    return false;
  }
  if (std::all_of(text.begin(), text.end(), [](char c) { return is_space(c) || c == 0x1A; })) {
    findings->error(start, name + " is empty");
    return false;
  }
  out->base = base;
  out->latin1 = false;
  out->text = text;
  if (allow_latin1 && invalid_utf8_at(text) != std::string_view::npos) {
    out->storage = latin1_to_utf8(text);
    out->text = out->storage;
    out->latin1 = true;
    findings->warn(start, name + " is not UTF-8; read as ISO-8859-1");
  }
  return true;
}

// ---------------------------------------------------------------------------
// CSV

CsvReader::CsvReader(std::string_view text, bool quoted_newlines)
    : text_(text), quoted_newlines_(quoted_newlines) {}

void CsvReader::skip_to_next_line() {
  const size_t nl = text_.find('\n', pos_);
  pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
}

CsvReader::Step CsvReader::next(CsvRecord* record, std::string* problem, size_t* problem_offset) {
  // Blank lines (and DOS end-of-file marks) between records.
  for (;;) {
    if (pos_ >= text_.size()) return Step::kEnd;
    size_t i = pos_;
    while (i < text_.size() && text_[i] != '\n' && (is_space(text_[i]) || text_[i] == 0x1A)) ++i;
    if (i >= text_.size()) {
      pos_ = i;
      return Step::kEnd;
    }
    if (text_[i] != '\n') break;
    pos_ = i + 1;
  }

  record->fields.clear();
  record->offset = pos_;
  const auto fail = [&](std::string why, size_t at) {
    *problem = std::move(why);
    *problem_offset = at;
    skip_to_next_line();
    return Step::kMalformed;
  };
  const auto at_line_end = [&](size_t i) {
    return i >= text_.size() || text_[i] == '\n' || text_[i] == '\r';
  };
  const auto finish_line = [&](size_t i) {
    if (i < text_.size() && text_[i] == '\r') ++i;
    if (i < text_.size() && text_[i] == '\n') ++i;
    pos_ = i;
  };

  for (;;) {
    CsvField field;
    field.offset = pos_;
    size_t i = pos_;
    size_t lead = i;
    while (lead < text_.size() && (text_[lead] == ' ' || text_[lead] == '\t')) ++lead;
    if (lead < text_.size() && text_[lead] == '"') {
      const size_t open = lead;
      i = lead + 1;
      bool closed = false;
      while (i < text_.size()) {
        const char c = text_[i];
        if (c == '"') {
          if (i + 1 < text_.size() && text_[i + 1] == '"') {
            field.value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if ((c == '\n' || c == '\r') && !quoted_newlines_) break;
        field.value.push_back(c);
        ++i;
      }
      if (!closed) {
        pos_ = open;
        return fail("quoted field is not closed", open);
      }
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
      if (!at_line_end(i) && text_[i] != ',') {
        pos_ = i;
        return fail("text after the closing quote of a field", i);
      }
    } else {
      while (!at_line_end(i) && text_[i] != ',') field.value.push_back(text_[i++]);
    }
    record->fields.push_back(std::move(field));
    if (i < text_.size() && text_[i] == ',') {
      pos_ = i + 1;
      continue;
    }
    finish_line(i);
    return Step::kRecord;
  }
}

// ---------------------------------------------------------------------------
// Strings

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}


std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = s.find(sep);
    parts.push_back(trim(s.substr(0, at)));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

// ---------------------------------------------------------------------------
// Dates

std::string date_from_text(std::string_view s) {
  s = trim(s);
  if (s.size() == 10 && s[4] == '-' && s[7] == '-')
    return (year_of(s.substr(0, 4)) && is_valid_iso_date(s)) ? std::string(s) : std::string();
  if (s.size() == 7 && s[4] == '-') {
    const std::string_view mm = s.substr(5, 2);
    if (!year_of(s.substr(0, 4)) || !all_digits(mm)) return {};
    const int m = (mm[0] - '0') * 10 + (mm[1] - '0');
    return (m >= 1 && m <= 12) ? std::string(s) : std::string();
  }
  std::string spaced(s);
  for (char& c : spaced)
    if (c == '.' || c == ',') c = ' ';
  std::vector<std::string_view> words;
  for (std::string_view w : split(spaced, ' '))
    if (!w.empty()) words.push_back(w);
  if (words.empty() || words.size() > 3) return {};
  const int year = year_of(words.back());
  if (!year) return {};
  const std::string yyyy(words.back());
  if (words.size() == 1) return yyyy;
  const int month = month_number(words[words.size() - 2]);
  if (!month) return {};
  if (words.size() == 2) return yyyy + "-" + two_digits(month);
  const std::string_view dd = words[0];
  if (dd.size() > 2 || !all_digits(dd)) return {};
  const int day = dd.size() == 1 ? dd[0] - '0' : (dd[0] - '0') * 10 + (dd[1] - '0');
  const std::string iso = yyyy + "-" + two_digits(month) + "-" + two_digits(day);
  return is_valid_iso_date(iso) ? iso : std::string();
}

bool is_birth_date_form(std::string_view s) {
  if (s.size() == 9 && s[4] == '/') {
    const int from = year_of(s.substr(0, 4)), to = year_of(s.substr(5, 4));
    return from && to && from <= to;
  }
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  return date_from_text(s) == s;
}

// ---------------------------------------------------------------------------
// Names

WatchName comma_name(std::string_view text, bool primary, bool weak) {
  WatchName name;
  name.full = clean(text);
  name.primary = primary;
  name.weak = weak;
  const std::vector<std::string_view> parts = split(name.full, ',');
  if (parts.size() < 2 || parts[0].empty()) return name;
  const auto has_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (std::any_of(name.full.begin(), name.full.end(), has_digit)) return name;
  std::string given;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || is_suffix(parts[i])) continue;
    if (!given.empty()) given.push_back(' ');
    given += parts[i];
  }
  if (given.empty()) return name;
  name.surname = std::string(parts[0]);
  name.given = std::move(given);
  return name;
}

bool has_non_latin_letter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const uint32_t cp = decode(s, &i);
    if (cp < 0x370 || cp == 0xFFFD) continue;
    if (cp >= 0x1E00 && cp <= 0x1EFF) continue;  // Latin Extended Additional
    if (cp >= 0x2000 && cp <= 0x2BFF) continue;  // punctuation and symbols
    if (cp >= 0xFE00 && cp <= 0xFE0F) continue;  // variation selectors
    if (cp == 0xFEFF) continue;
    return true;
  }
  return false;
}

std::vector<std::string> alias_variants(std::string_view s) {
  std::string whole = clean(s);
  while (!whole.empty() && (whole.back() == ',' || whole.back() == ';')) whole.pop_back();
  whole = clean(whole);
  const size_t open = opening_of_last_group(whole);
  if (open == std::string_view::npos || open == 0) return {whole};
  const std::string outer = clean(std::string_view(whole).substr(0, open));
  const std::string_view inner =
      trim(std::string_view(whole).substr(open + 1, whole.size() - open - 2));
  if (outer.empty() || inner.empty()) return {whole};
  constexpr std::string_view kScript = "original script:";
  if (starts_with_ci(inner, kScript)) {
    const std::string native = clean(inner.substr(kScript.size()));
    if (native.empty()) return {outer};
    return {outer, native};
  }
  if (has_non_latin_letter(outer) != has_non_latin_letter(inner)) {
    std::vector<std::string> names = {outer};
    for (std::string_view part : split(inner, ';')) {
      std::string v = without_script_note(part);
      if (!v.empty() && std::find(names.begin(), names.end(), v) == names.end())
        names.push_back(std::move(v));
    }
    return names;
  }
  return {whole, outer};
}

// ---------------------------------------------------------------------------
// Documents and entries

std::string document_type(std::string_view written) {
  const std::string w = lower_ascii(clean(written));
  if (w == "p" || w == "i" || w == "v") return std::string(1, static_cast<char>(w[0] - 'a' + 'A'));
  static constexpr std::string_view kPassport[] = {"passport", "pasaporte", "passeport"};
  static constexpr std::string_view kIdentity[] = {
      "national id", "identity card",   "identification", "id card", "national card",
      "cedula",      "d.n.i",           "citizen's card", "tazkira", "numero de identidad",
      "personal id", "identity number", "identite"};
  for (std::string_view k : kPassport)
    if (w.find(k) != std::string::npos) return "P";
  if (w.find("visa") != std::string::npos) return "V";
  for (std::string_view k : kIdentity)
    if (w.find(k) != std::string::npos) return "I";
  if (w == "id") return "I";
  return clean(written);
}

void add_unique(std::vector<std::string>* values, std::string value) {
  if (value.empty()) return;
  if (std::find(values->begin(), values->end(), value) == values->end())
    values->push_back(std::move(value));
}

void add_name(WatchEntry* entry, WatchName name) {
  if (name.full.empty()) return;
  for (WatchName& have : entry->names) {
    if (have.full != name.full) continue;
    if (!name.weak) have.weak = false;
    if (have.surname.empty() && have.given.empty()) {
      have.surname = std::move(name.surname);
      have.given = std::move(name.given);
    }
    return;
  }
  entry->names.push_back(std::move(name));
}

void fail_read(const std::string& file, std::string_view reason, ListRead* read) noexcept {
  read->entries.clear();
  read->entries.shrink_to_fit();
  try {
    Location loc;
    loc.file = file;
    read->diags.error(std::move(loc), std::string(reason));
  } catch (...) {
    // Out of memory even for the message: the empty read is still refused
    // by its callers, who need entries.
  }
}

}  // namespace vigil::lists_internal
