#include "formats/lists/generic.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "formats/lists/common.h"
#include "model/countries.h"

namespace vigil {
namespace {

using lists_internal::clean;
using lists_internal::CsvReader;
using lists_internal::CsvRecord;
using lists_internal::Findings;
using lists_internal::iequals;
using lists_internal::Positions;
using lists_internal::TextInput;
using lists_internal::trim;
using Json = nlohmann::json;

constexpr size_t kMaxIdBytes = 256;
constexpr int kMaxJsonDepth = 32;

std::string shown(std::string_view s) {
  constexpr size_t kShown = 60;
  if (s.size() <= kShown) return "'" + std::string(s) + "'";
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(s.substr(0, cut)) + "...'";
}

// True when `s` holds a control character (JSON escapes such as \u0000 can
// put them into a value).
bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

// Builds one entry from the values of a line or row, checking each value.
// Problems are warnings at the location the caller gives for the value.
class EntryBuilder {
 public:
  EntryBuilder(const std::string& list_name, Findings* findings) : findings_(findings) {
    entry_.list = list_name;
  }

  void set_id(std::string id, const Location& at) {
    id = clean(id);
    if (has_control(id)) {
      findings_->warn(at, "id holds control characters");
      id_bad_ = true;
      return;
    }
    if (id.size() > kMaxIdBytes) {
      findings_->warn(at, "id is longer than " + std::to_string(kMaxIdBytes) + " bytes");
      id_bad_ = true;
      return;
    }
    entry_.reference = std::move(id);
  }
  void bad_id(const Location& at, std::string reason) {
    findings_->warn(at, std::move(reason));
    id_bad_ = true;
  }

  void add_name(WatchName name, const Location& at) {
    name.full = clean(name.full);
    name.given = clean(name.given);
    name.surname = clean(name.surname);
    if (name.full.empty()) name.full = clean(name.given + " " + name.surname);
    if (name.full.empty()) {
      findings_->warn(at, "empty name skipped");
      return;
    }
    if (has_control(name.full) || has_control(name.given) || has_control(name.surname)) {
      findings_->warn(at, "name with control characters skipped");
      return;
    }
    if (name.full.size() > kMaxListNameBytes) {
      findings_->warn(at,
                      "name longer than " + std::to_string(kMaxListNameBytes) + " bytes skipped");
      return;
    }
    name.primary = !has_primary_;
    const size_t before = entry_.names.size();
    lists_internal::add_name(&entry_, std::move(name));
    if (entry_.names.size() > before) has_primary_ = true;
  }

  void add_birth_date(std::string_view text, const Location& at) {
    const std::string_view v = trim(text);
    if (v.empty()) return;
    if (!lists_internal::is_birth_date_form(v)) {
      findings_->warn(at, "date of birth " + shown(v) +
                              " is not YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY; skipped");
      return;
    }
    lists_internal::add_unique(&entry_.birth_dates, std::string(v));
  }

  void add_place(std::string_view text) {
    lists_internal::add_unique(&entry_.places_of_birth, clean(text));
  }

  void add_nationality(std::string_view text, const Location& at) {
    const std::string v = clean(text);
    if (v.empty()) return;
    lists_internal::add_unique(&entry_.nationalities, country(v, "nationality", at));
  }

  void set_sex(std::string_view text, const Location& at) {
    const std::string_view v = trim(text);
    if (iequals(v, "M") || iequals(v, "male")) {
      entry_.sex = "M";
    } else if (iequals(v, "F") || iequals(v, "female")) {
      entry_.sex = "F";
    } else if (v.empty() || iequals(v, "X") || iequals(v, "U") || iequals(v, "unknown")) {
      entry_.sex.clear();
    } else {
      findings_->warn(at, "sex " + shown(v) + " is not M, F, X or U; ignored");
    }
  }

  void add_document(std::string_view type, std::string_view number, std::string_view country_text,
                    std::string_view note, const Location& at) {
    WatchDocument doc;
    doc.number = clean(number);
    if (doc.number.empty()) {
      findings_->warn(at, "document without a number skipped");
      return;
    }
    if (has_control(doc.number)) {
      findings_->warn(at, "document number with control characters skipped");
      return;
    }
    if (doc.number.size() > kMaxListNameBytes) {
      findings_->warn(at, "document number longer than " + std::to_string(kMaxListNameBytes) +
                              " bytes skipped");
      return;
    }
    if (!trim(type).empty()) doc.type = lists_internal::document_type(type);
    const std::string c = clean(country_text);
    if (!c.empty()) doc.country = country(c, "document country", at);
    doc.note = clean(note);
    entry_.documents.push_back(std::move(doc));
  }

  void set_kind(std::string_view text, const Location& at) {
    const std::string_view v = trim(text);
    if (v.empty()) return;
    static constexpr std::pair<std::string_view, WatchEntry::Kind> kKinds[] = {
        {"person", WatchEntry::Kind::kPerson},       {"individual", WatchEntry::Kind::kPerson},
        {"entity", WatchEntry::Kind::kEntity},       {"organisation", WatchEntry::Kind::kEntity},
        {"organization", WatchEntry::Kind::kEntity}, {"vessel", WatchEntry::Kind::kVessel},
        {"aircraft", WatchEntry::Kind::kAircraft},   {"document", WatchEntry::Kind::kDocument}};
    for (const auto& [name, kind] : kKinds) {
      if (iequals(v, name)) {
        kind_ = kind;
        has_kind_ = true;
        return;
      }
    }
    findings_->warn(
        at, "kind " + shown(v) + " is not person, entity, vessel, aircraft or document; ignored");
  }

  void set_severity(std::string_view text, const Location& at) {
    const std::string_view v = trim(text);
    if (v.empty()) return;
    for (std::string_view s : {"high", "medium", "low"}) {
      if (iequals(v, s)) {
        entry_.severity = std::string(s);
        return;
      }
    }
    findings_->warn(at, "severity " + shown(v) + " is not high, medium or low; \"medium\" used");
  }

  void set_category(std::string_view text) { entry_.category = clean(text); }
  void set_program(std::string_view text) { entry_.program = clean(text); }
  void set_remarks(std::string_view text) { entry_.remarks = std::string(trim(text)); }

  // The entry, when it has an id and a name or document; else a warning at
  // `line` and false.
  bool finish(const Location& line, WatchEntry* out) {
    if (id_bad_) {
      findings_->warn(line, "entry skipped: its id is not usable");
      return false;
    }
    if (entry_.reference.empty()) {
      findings_->warn(line, "entry without an id skipped");
      return false;
    }
    if (entry_.names.empty() && entry_.documents.empty()) {
      findings_->warn(line, "entry " + entry_.reference + " has no name and no document; skipped");
      return false;
    }
    if (has_kind_) {
      entry_.kind = kind_;
    } else {
      entry_.kind = entry_.names.empty() ? WatchEntry::Kind::kDocument : WatchEntry::Kind::kPerson;
    }
    if (entry_.category.empty())
      entry_.category =
          entry_.kind == WatchEntry::Kind::kDocument ? "lost-stolen-document" : "watch";
    if (entry_.severity.empty()) entry_.severity = "medium";
    *out = std::move(entry_);
    return true;
  }

 private:
  std::string country(const std::string& text, std::string_view what, const Location& at) {
    std::string code = country_alpha3(text);
    if (!code.empty()) return code;
    findings_->warn(at, std::string(what) + " " + shown(text) +
                            " is not a known country code; kept as written");
    return text;
  }

  Findings* findings_;
  WatchEntry entry_;
  bool has_primary_ = false;
  bool id_bad_ = false;
  bool has_kind_ = false;
  WatchEntry::Kind kind_ = WatchEntry::Kind::kPerson;
};

// Keeps the first entry of each id.
class EntrySink {
 public:
  EntrySink(ListRead* out, Findings* findings) : out_(out), findings_(findings) {}

  void add(WatchEntry entry, const Location& at) {
    if (!ids_.insert(entry.reference).second) {
      findings_->warn(
          at, "id " + shown(entry.reference) + " appears more than once; the first entry is kept");
      return;
    }
    out_->entries.push_back(std::move(entry));
  }

 private:
  ListRead* out_;
  Findings* findings_;
  std::unordered_set<std::string> ids_;
};

// ---------------------------------------------------------------------------
// JSON Lines

// Deepest nesting of arrays and objects in `line`, counted outside strings.
int json_depth(std::string_view line) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

class JsonLines {
 public:
  JsonLines(const std::string& file, const std::string& list_name, ListRead* out)
      : file_(file),
        list_name_(list_name),
        out_(out),
        findings_(&out->diags),
        sink_(out, &findings_) {}

  void read(std::string_view bytes) {
    TextInput input;
    if (!lists_internal::prepare_text(bytes, file_, "the list", false, &findings_, &input)) return;
    const Positions pos(input.text, file_, input.base);
    pos_ = &pos;
    std::string_view text = input.text;
    size_t objects = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!trim(line).empty()) objects += read_line(line, start) ? 1 : 0;
      start = end + 1;
    }
    if (objects == 0) {
      findings_.error(pos.start(), "not JSON Lines: no line holds a JSON object");
      return;
    }
    if (out_->entries.empty()) {
      findings_.error(pos.start(), "the list holds no usable entry");
      return;
    }
    findings_.finish();
  }

 private:
  // Location of the first occurrence of `needle` in the line at or after
  // `from`, else of the line's start.
  Location find_in_line(std::string_view needle, size_t from = 0) const {
    const size_t at = line_.find(needle, from);
    return pos_->at(line_start_ + (at == std::string_view::npos ? 0 : at));
  }
  Location field_at(const std::string& key) const { return find_in_line("\"" + key + "\""); }
  // Location of a string value of field `key`.
  Location value_at(const std::string& key, const Json& value) const {
    const size_t k = line_.find("\"" + key + "\"");
    if (value.is_string()) {
      const size_t v = line_.find("\"" + value.get_ref<const std::string&>() + "\"",
                                  k == std::string_view::npos ? 0 : k + key.size() + 2);
      if (v != std::string_view::npos) return pos_->at(line_start_ + v);
    }
    return pos_->at(line_start_ + (k == std::string_view::npos ? 0 : k));
  }

  // Reads one non-blank line; true when it held a JSON object.
  bool read_line(std::string_view line, size_t start) {
    line_ = line;
    line_start_ = start;
    const Location line_at = pos_->at(start);
    const size_t bad = lists_internal::invalid_utf8_at(line);
    if (bad != std::string_view::npos) {
      findings_.warn(pos_->at(start + bad), "line is not valid UTF-8; skipped");
      return false;
    }
    if (json_depth(line) > kMaxJsonDepth) {
      findings_.warn(line_at, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                  " levels; line skipped");
      return false;
    }
    Json j;
    try {
      j = Json::parse(line);
    } catch (const Json::parse_error& e) {
      std::string why = e.what();
      const size_t col = why.find("column ");
      const size_t colon = col == std::string::npos ? col : why.find(": ", col);
      if (colon != std::string::npos) why = why.substr(colon + 2);
      const size_t byte = e.byte > 0 ? e.byte - 1 : 0;
      findings_.warn(pos_->at(start + std::min(byte, line.size())),
                     "not valid JSON (" + why + "); line skipped");
      return false;
    }
    if (!j.is_object()) {
      findings_.warn(line_at, "line is not a JSON object; skipped");
      return false;
    }
    EntryBuilder b(list_name_, &findings_);
    for (const auto& [key, value] : j.items()) read_field(key, value, &b);
    WatchEntry entry;
    if (b.finish(line_at, &entry)) sink_.add(std::move(entry), line_at);
    return true;
  }

  // The values of a field that may be one value or an array of them.
  static std::vector<const Json*> values_of(const Json& v) {
    std::vector<const Json*> out;
    if (v.is_array()) {
      for (const Json& e : v) out.push_back(&e);
    } else if (!v.is_null()) {
      out.push_back(&v);
    }
    return out;
  }

  // The string in `v`, or nullptr after a warning.
  const std::string* string_of(const std::string& key, const Json& v) {
    if (v.is_string()) return &v.get_ref<const std::string&>();
    findings_.warn(field_at(key), "field \"" + key + "\" holds a " + v.type_name() +
                                      " where a string was expected; ignored");
    return nullptr;
  }

  void read_field(const std::string& key, const Json& value, EntryBuilder* b) {
    const Location at = field_at(key);
    if (key == "id") {
      if (value.is_string()) {
        b->set_id(value.get<std::string>(), at);
      } else if (value.is_number_integer()) {
        b->set_id(value.dump(), at);
      } else {
        b->bad_id(at, "id must be a string or an integer");
      }
    } else if (key == "names") {
      for (const Json* n : values_of(value)) read_name(*n, b);
    } else if (key == "dob") {
      for (const Json* d : values_of(value))
        if (const std::string* s = string_of(key, *d)) b->add_birth_date(*s, value_at(key, *d));
    } else if (key == "nationality") {
      for (const Json* d : values_of(value))
        if (const std::string* s = string_of(key, *d)) b->add_nationality(*s, value_at(key, *d));
    } else if (key == "place_of_birth") {
      for (const Json* d : values_of(value))
        if (const std::string* s = string_of(key, *d)) b->add_place(*s);
    } else if (key == "documents") {
      for (const Json* d : values_of(value)) read_document(*d, b);
    } else if (key == "sex" || key == "kind" || key == "category" || key == "severity" ||
               key == "program" || key == "remarks") {
      if (value.is_null()) return;
      const std::string* s = string_of(key, value);
      if (!s) return;
      const Location vat = value_at(key, value);
      if (key == "sex") b->set_sex(*s, vat);
      if (key == "kind") b->set_kind(*s, vat);
      if (key == "category") b->set_category(*s);
      if (key == "severity") b->set_severity(*s, vat);
      if (key == "program") b->set_program(*s);
      if (key == "remarks") b->set_remarks(*s);
    } else {
      findings_.warn(at, "unknown field \"" + key + "\" ignored");
    }
  }

  void read_name(const Json& n, EntryBuilder* b) {
    if (n.is_string()) {
      WatchName name;
      name.full = n.get<std::string>();
      b->add_name(std::move(name), value_at("names", n));
      return;
    }
    if (!n.is_object()) {
      findings_.warn(field_at("names"), "a name must be a string or an object; skipped");
      return;
    }
    WatchName name;
    for (const auto& [key, value] : n.items()) {
      if (key == "weak") {
        if (value.is_boolean())
          name.weak = value.get<bool>();
        else
          findings_.warn(field_at("weak"), "\"weak\" must be true or false; ignored");
        continue;
      }
      std::string* slot = key == "full"      ? &name.full
                          : key == "given"   ? &name.given
                          : key == "surname" ? &name.surname
                                             : nullptr;
      if (!slot) {
        findings_.warn(field_at(key), "unknown name field \"" + key + "\" ignored");
        continue;
      }
      if (const std::string* s = string_of(key, value)) *slot = *s;
    }
    b->add_name(std::move(name), field_at("names"));
  }

  void read_document(const Json& d, EntryBuilder* b) {
    const Location at = field_at("documents");
    if (!d.is_object()) {
      findings_.warn(at, "a document must be an object; skipped");
      return;
    }
    std::string type, number, country, note;
    for (const auto& [key, value] : d.items()) {
      std::string* slot = key == "type"      ? &type
                          : key == "number"  ? &number
                          : key == "country" ? &country
                          : key == "note"    ? &note
                                             : nullptr;
      if (!slot) {
        findings_.warn(field_at(key), "unknown document field \"" + key + "\" ignored");
        continue;
      }
      if (value.is_number_integer() && key == "number") {
        number = value.dump();
        continue;
      }
      if (const std::string* s = string_of(key, value)) *slot = *s;
    }
    b->add_document(type, number, country, note,
                    number.empty() ? at : find_in_line("\"" + number + "\""));
  }

  const std::string& file_;
  const std::string& list_name_;
  ListRead* out_;
  Findings findings_;
  EntrySink sink_;
  const Positions* pos_ = nullptr;
  std::string_view line_;
  size_t line_start_ = 0;
};

// ---------------------------------------------------------------------------
// CSV

enum class Column {
  kId,
  kNames,
  kDob,
  kNationality,
  kSex,
  kDocuments,
  kCategory,
  kSeverity,
  kPlaceOfBirth,
  kKind,
  kProgram,
  kRemarks,
};

constexpr std::pair<std::string_view, Column> kColumns[] = {
    {"id", Column::kId},
    {"names", Column::kNames},
    {"dob", Column::kDob},
    {"nationality", Column::kNationality},
    {"sex", Column::kSex},
    {"documents", Column::kDocuments},
    {"category", Column::kCategory},
    {"severity", Column::kSeverity},
    {"place_of_birth", Column::kPlaceOfBirth},
    {"kind", Column::kKind},
    {"program", Column::kProgram},
    {"remarks", Column::kRemarks},
};

class CsvList {
 public:
  CsvList(const std::string& file, const std::string& list_name, ListRead* out)
      : file_(file),
        list_name_(list_name),
        out_(out),
        findings_(&out->diags),
        sink_(out, &findings_) {}

  void read(std::string_view bytes) {
    TextInput input;
    if (!lists_internal::prepare_text(bytes, file_, "the list", false, &findings_, &input)) return;
    const Positions pos(input.text, file_, input.base);
    CsvReader csv(input.text, true);
    CsvRecord record;
    std::string problem;
    size_t at = 0;
    if (csv.next(&record, &problem, &at) != CsvReader::Step::kRecord) {
      findings_.error(pos.start(), "not a CSV list: the header row cannot be read");
      return;
    }
    if (!read_header(record, pos)) return;
    for (;;) {
      const CsvReader::Step step = csv.next(&record, &problem, &at);
      if (step == CsvReader::Step::kEnd) break;
      if (step == CsvReader::Step::kMalformed) {
        findings_.warn(pos.at(at), problem + "; row skipped");
        continue;
      }
      read_row(record, pos);
    }
    if (out_->entries.empty()) {
      findings_.error(pos.start(), "the list holds no usable entry");
      return;
    }
    findings_.finish();
  }

 private:
  bool read_header(const CsvRecord& header, const Positions& pos) {
    bool has_id = false, has_names = false, has_documents = false;
    std::unordered_set<int> seen;
    for (const auto& field : header.fields) {
      const std::string name = lists_internal::lower_ascii(trim(field.value));
      std::optional<Column> column;
      for (const auto& [text, c] : kColumns)
        if (name == text) column = c;
      if (!column) {
        if (lists_internal::invalid_utf8_at(name) == std::string::npos)
          findings_.warn(pos.at(field.offset), "unknown column " + shown(name) + " ignored");
        else
          findings_.warn(pos.at(field.offset), "unknown column ignored");
      } else if (!seen.insert(static_cast<int>(*column)).second) {
        findings_.warn(pos.at(field.offset), "column " + shown(name) + " repeated; ignored");
        column.reset();
      } else {
        has_id |= *column == Column::kId;
        has_names |= *column == Column::kNames;
        has_documents |= *column == Column::kDocuments;
      }
      columns_.push_back(column);
    }
    if (!has_id || (!has_names && !has_documents)) {
      findings_.error(pos.at(header.offset),
                      "not a CSV list: the header row must name the columns id and names or "
                      "documents");
      return false;
    }
    return true;
  }

  void read_row(const CsvRecord& r, const Positions& pos) {
    const Location row_at = pos.at(r.offset);
    if (r.fields.size() != columns_.size()) {
      findings_.warn(row_at, "row has " + std::to_string(r.fields.size()) +
                                 " fields; the header has " + std::to_string(columns_.size()) +
                                 "; row skipped");
      return;
    }
    for (const auto& f : r.fields) {
      const size_t bad = lists_internal::invalid_utf8_at(f.value);
      if (bad != std::string::npos) {
        findings_.warn(pos.at(f.offset), "field is not valid UTF-8; row skipped");
        return;
      }
    }
    EntryBuilder b(list_name_, &findings_);
    for (size_t i = 0; i < r.fields.size(); ++i) {
      if (!columns_[i]) continue;
      const std::string& v = r.fields[i].value;
      const Location at = pos.at(r.fields[i].offset);
      const auto each = [&](auto&& fn) {
        for (std::string_view part : lists_internal::split(v, ';'))
          if (!part.empty()) fn(part);
      };
      switch (*columns_[i]) {
        case Column::kId:
          b.set_id(v, at);
          break;
        case Column::kNames:
          each([&](std::string_view part) {
            WatchName name;
            name.full = std::string(part);
            b.add_name(std::move(name), at);
          });
          break;
        case Column::kDob:
          each([&](std::string_view part) { b.add_birth_date(part, at); });
          break;
        case Column::kNationality:
          each([&](std::string_view part) { b.add_nationality(part, at); });
          break;
        case Column::kPlaceOfBirth:
          each([&](std::string_view part) { b.add_place(part); });
          break;
        case Column::kDocuments:
          each([&](std::string_view part) { read_document(part, at, &b); });
          break;
        case Column::kSex:
          b.set_sex(v, at);
          break;
        case Column::kKind:
          b.set_kind(v, at);
          break;
        case Column::kCategory:
          b.set_category(v);
          break;
        case Column::kSeverity:
          b.set_severity(v, at);
          break;
        case Column::kProgram:
          b.set_program(v);
          break;
        case Column::kRemarks:
          b.set_remarks(v);
          break;
      }
    }
    WatchEntry entry;
    if (b.finish(row_at, &entry)) sink_.add(std::move(entry), row_at);
  }

  // "number", "type:number", "type:number:country" or
  // "type:number:country:note".
  void read_document(std::string_view text, const Location& at, EntryBuilder* b) {
    std::vector<std::string_view> parts = lists_internal::split(text, ':');
    if (parts.size() == 1) {
      b->add_document("", parts[0], "", "", at);
      return;
    }
    std::string note;
    for (size_t i = 3; i < parts.size(); ++i) {
      if (!note.empty()) note += ":";
      note += parts[i];
    }
    b->add_document(parts[0], parts[1], parts.size() > 2 ? parts[2] : std::string_view(), note, at);
  }

  const std::string& file_;
  const std::string& list_name_;
  ListRead* out_;
  Findings findings_;
  EntrySink sink_;
  std::vector<std::optional<Column>> columns_;
};

}  // namespace

ListRead read_generic_jsonl(std::string_view bytes, const std::string& file,
                            const std::string& list_name) {
  ListRead out;
  try {
    JsonLines(file, list_name, &out).read(bytes);
  } catch (const std::exception& e) {
    lists_internal::fail_read(file, std::string("could not read the list: ") + e.what(), &out);
  } catch (...) {
    lists_internal::fail_read(file, "could not read the list", &out);
  }
  if (out.diags.has_errors()) out.entries.clear();
  return out;
}

ListRead read_generic_csv(std::string_view bytes, const std::string& file,
                          const std::string& list_name) {
  ListRead out;
  try {
    CsvList(file, list_name, &out).read(bytes);
  } catch (const std::exception& e) {
    lists_internal::fail_read(file, std::string("could not read the list: ") + e.what(), &out);
  } catch (...) {
    lists_internal::fail_read(file, "could not read the list", &out);
  }
  if (out.diags.has_errors()) out.entries.clear();
  return out;
}

}  // namespace vigil
