#include "formats/lists/ofac.h"

#include <exception>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formats/lists/common.h"
#include "model/countries.h"

namespace vigil {
namespace {

using lists_internal::add_name;
using lists_internal::add_unique;
using lists_internal::all_digits;
using lists_internal::clean;
using lists_internal::comma_name;
using lists_internal::CsvReader;
using lists_internal::CsvRecord;
using lists_internal::date_from_text;
using lists_internal::Findings;
using lists_internal::iequals;
using lists_internal::Positions;
using lists_internal::starts_with_ci;
using lists_internal::TextInput;
using lists_internal::trim;

constexpr size_t kSdnFields = 12;
constexpr size_t kAltFields = 5;
constexpr size_t kAddFields = 6;
constexpr size_t kCommentFields = 2;

// Identity documents in the remarks: the label OFAC writes and the document
// type Vigil records. A label that starts another must come after it.
struct DocumentLabel {
  std::string_view label;
  std::string_view type;
};

constexpr DocumentLabel kDocumentLabels[] = {
    {"Diplomatic Passport", "P"},
    {"Passport Booklet:", "P"},
    {"Passport No.", "P"},
    {"Passport", "P"},
    {"Travel Document Number", "Travel Document"},
    {"National ID No.", "I"},
    {"National ID Number", "I"},
    {"National Foreign ID Number", "I"},
    {"Tazkira National ID Card", "I"},
    {"Cedula No.", "I"},
    {"Turkish Identification Number", "I"},
    {"Identification Number", "I"},
    {"D.N.I.", "I"},
    {"Personal ID Card", "I"},
    {"Citizen's Card Number", "I"},
    {"Numero de Identidad", "I"},
    {"Kenyan ID No.", "I"},
    {"VisaNumberID", "V"},
    {"Residency Number", "Residency Number"},
    {"C.U.R.P. #", "C.U.R.P."},
    {"C.U.R.P.", "C.U.R.P."},
    {"SSN", "SSN"},
    {"Driver's License No.", "Driver's License"},
    {"Electoral Registry No.", "Electoral Registry"},
    {"Credencial electoral", "Credencial electoral"},
    {"Birth Certificate Number", "Birth Certificate"},
    {"I.F.E.", "I.F.E."},
    {"C.U.I.", "C.U.I."},
    {"LE Number", "LE Number"},
};

// A field with OFAC's empty mark "-0-" read as empty, white space cleaned.
std::string value_of(const std::string& field) {
  const std::string_view v = trim(field);
  if (v == "-0-") return {};
  return clean(v);
}

// A country as alpha-3 where known, else as written.
std::string country_or_text(std::string_view text) {
  std::string code = country_alpha3(text);
  return code.empty() ? clean(text) : code;
}

std::string year_range(const std::string& from, const std::string& to) {
  const std::string a = from.substr(0, 4), b = to.substr(0, 4);
  if (a > b) return {};
  return a == b ? a : a + "/" + b;
}

// An OFAC date of birth as a model date form; empty when unreadable.
std::string birth_date(std::string_view text) {
  text = trim(text);
  bool circa = false;
  if (starts_with_ci(text, "circa ")) {
    circa = true;
    text = trim(text.substr(6));
  }
  const size_t to = text.find(" to ");
  if (to != std::string_view::npos) {
    const std::string from = date_from_text(text.substr(0, to));
    const std::string until = date_from_text(text.substr(to + 4));
    if (from.empty() || until.empty()) return {};
    if (from == until) return circa ? from.substr(0, 4) : from;
    return year_range(from, until);
  }
  if (text.size() == 9 && text[4] == '-' && all_digits(text.substr(0, 4)) &&
      all_digits(text.substr(5))) {
    const std::string from = date_from_text(text.substr(0, 4));
    const std::string until = date_from_text(text.substr(5));
    if (from.empty() || until.empty()) return {};
    return year_range(from, until);
  }
  const std::string date = date_from_text(text);
  return (circa && !date.empty()) ? date.substr(0, 4) : date;
}

// "NUMBER (Country) issued ... expires ..." after a document label.
WatchDocument document_from(std::string_view type, std::string_view text) {
  WatchDocument doc;
  doc.type = std::string(type);
  text = trim(text);
  const size_t paren = text.find(" (");
  std::string note;
  if (paren != std::string_view::npos) {
    doc.number = clean(text.substr(0, paren));
    const size_t close = text.find(')', paren);
    const std::string_view inside = text.substr(
        paren + 2, close == std::string_view::npos ? std::string_view::npos : close - paren - 2);
    doc.country = country_alpha3(inside);
    if (doc.country.empty()) note = "(" + clean(inside) + ")";
    if (close != std::string_view::npos) {
      const std::string tail = clean(text.substr(close + 1));
      if (!tail.empty()) note += note.empty() ? tail : " " + tail;
    }
  } else {
    size_t cut = std::string_view::npos;
    for (std::string_view word : {" issued ", " expires "}) {
      const size_t at = text.find(word);
      if (at != std::string_view::npos && (cut == std::string_view::npos || at < cut)) cut = at;
    }
    doc.number = clean(text.substr(0, cut));
    if (cut != std::string_view::npos) note = clean(text.substr(cut));
  }
  doc.note = std::move(note);
  return doc;
}

std::string_view unquoted(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') s = trim(s.substr(1, s.size() - 2));
  return s;
}

// Reads the remarks of one entry into it. Returns the dates of birth that
// could not be read.
std::vector<std::string> read_remarks(std::string_view remarks, WatchEntry* entry) {
  std::vector<std::string> unreadable;
  const bool person = entry->kind == WatchEntry::Kind::kPerson;
  std::vector<std::string_view> parts = lists_internal::split(remarks, ';');
  if (!parts.empty() && !parts.back().empty() && parts.back().back() == '.')
    parts.back().remove_suffix(1);
  for (std::string_view part : parts) {
    if (starts_with_ci(part, "alt. ")) part = trim(part.substr(5));
    if (starts_with_ci(part, "DOB ")) {
      const std::string date = birth_date(part.substr(4));
      if (date.empty())
        unreadable.push_back(std::string(part));
      else
        add_unique(&entry->birth_dates, date);
    } else if (starts_with_ci(part, "POB ")) {
      add_unique(&entry->places_of_birth, clean(part.substr(4)));
    } else if (starts_with_ci(part, "nationality ") || starts_with_ci(part, "citizen ")) {
      std::string_view v = trim(part.substr(part.find(' ') + 1));
      for (std::string_view qualifier : {"possibly ", "of Registration "})
        if (starts_with_ci(v, qualifier)) v = trim(v.substr(qualifier.size()));
      add_unique(&entry->nationalities, country_or_text(v));
    } else if (starts_with_ci(part, "Gender ")) {
      const std::string_view g = trim(part.substr(7));
      if (iequals(g, "Male")) entry->sex = "M";
      if (iequals(g, "Female")) entry->sex = "F";
    } else if (starts_with_ci(part, "a.k.a. ") || starts_with_ci(part, "f.k.a. ") ||
               starts_with_ci(part, "n.k.a. ")) {
      const std::string_view alias = unquoted(part.substr(7));
      if (alias.empty()) continue;
      WatchName name = person ? comma_name(alias, false, true) : WatchName{};
      if (!person) {
        name.full = clean(alias);
        name.weak = true;
      }
      add_name(entry, std::move(name));
    } else {
      for (const DocumentLabel& d : kDocumentLabels) {
        if (!starts_with_ci(part, d.label) || part.size() <= d.label.size() ||
            part[d.label.size()] != ' ')
          continue;
        WatchDocument doc = document_from(d.type, part.substr(d.label.size()));
        if (!doc.number.empty()) entry->documents.push_back(std::move(doc));
        break;
      }
    }
  }
  return unreadable;
}

// An entry being built from sdn.csv and the files that refer to it.
struct Pending {
  WatchEntry entry;
  std::string remarks;              // OFAC's remarks, sdn_comments appended
  std::vector<std::string> prefix;  // title and vessel details
  std::vector<std::string> addresses;
  std::string vessel_flag;
  Location remarks_at;
};

class OfacReader {
 public:
  OfacReader(const std::string& list_name, ListRead* out)
      : list_name_(list_name), out_(out), findings_(&out->diags) {}

  void read(const OfacFiles& files) {
    if (!files.sdn.present()) {
      Location loc;
      loc.file = "sdn.csv";
      findings_.error(loc, "the OFAC list needs sdn.csv");
      return;
    }
    TextInput sdn, alt, add, comments;
    if (!lists_internal::prepare_text(files.sdn.bytes, files.sdn.name, "sdn.csv", true, &findings_,
                                      &sdn))
      return;
    const bool has_alt = prepare_optional(files.alt, "alt.csv", &alt);
    const bool has_add = prepare_optional(files.add, "add.csv", &add);
    const bool has_comments = prepare_optional(files.comments, "sdn_comments.csv", &comments);
    if (findings_.has_errors()) return;

    read_sdn(sdn, files.sdn.name);
    if (pending_.empty()) {
      findings_.error(Positions(sdn.text, files.sdn.name, sdn.base).start(),
                      "sdn.csv holds no readable entry");
      return;
    }
    if (has_comments)
      read_rows(comments, files.comments, "sdn_comments.csv", kCommentFields,
                &OfacReader::comment_row);
    if (has_alt) read_rows(alt, files.alt, "alt.csv", kAltFields, &OfacReader::alt_row);
    if (has_add) read_rows(add, files.add, "add.csv", kAddFields, &OfacReader::add_row);
    if (findings_.has_errors()) return;
    finish_entries();
    findings_.finish();
  }

 private:
  using RowFn = bool (OfacReader::*)(const CsvRecord&, const Positions&);

  // Prepares an optional file; false when absent or empty (a warning).
  bool prepare_optional(const OfacFile& file, std::string_view what, TextInput* out) {
    if (!file.present()) return false;
    const std::string_view body = trim(file.bytes);
    if (body.empty() || body.find_first_not_of("\x1A \t\r\n") == std::string_view::npos) {
      Location loc;
      loc.file = file.name;
      findings_.warn(loc, std::string(what) + " is empty");
      return false;
    }
    return lists_internal::prepare_text(file.bytes, file.name, what, true, &findings_, out);
  }

  // Reads every record of one file with `row`; a file with records but
  // none readable is an error.
  void read_rows(const TextInput& input, const OfacFile& file, std::string_view what, size_t fields,
                 RowFn row) {
    const Positions pos(input.text, file.name, input.base, input.latin1);
    CsvReader csv(input.text, false);
    CsvRecord record;
    std::string problem;
    size_t at = 0;
    size_t good = 0, seen = 0;
    for (;;) {
      const CsvReader::Step step = csv.next(&record, &problem, &at);
      if (step == CsvReader::Step::kEnd) break;
      ++seen;
      if (step == CsvReader::Step::kMalformed) {
        findings_.warn(pos.at(at), problem + "; row skipped");
        continue;
      }
      if (record.fields.size() != fields) {
        findings_.warn(pos.at(record.offset), "row has " + std::to_string(record.fields.size()) +
                                                  " fields; " + std::string(what) + " rows have " +
                                                  std::to_string(fields) + "; row skipped");
        continue;
      }
      if ((this->*row)(record, pos)) ++good;
    }
    if (seen > 0 && good == 0)
      findings_.error(pos.start(), std::string(what) + " holds no readable row");
  }

  // The entry an ent_num of alt.csv, add.csv or sdn_comments.csv names.
  Pending* entry_for(const CsvRecord& r, const Positions& pos) {
    const std::string ent = value_of(r.fields[0].value);
    if (!all_digits(ent) || ent.size() > 12) {
      findings_.warn(pos.at(r.fields[0].offset),
                     "ent_num '" + ent + "' is not a number; row skipped");
      return nullptr;
    }
    const auto it = by_ent_.find(ent);
    if (it == by_ent_.end()) {
      findings_.warn(pos.at(r.fields[0].offset),
                     "ent_num " + ent + " is not in sdn.csv; row skipped");
      return nullptr;
    }
    return &pending_[it->second];
  }

  void read_sdn(const TextInput& input, const std::string& file) {
    const Positions pos(input.text, file, input.base, input.latin1);
    CsvReader csv(input.text, false);
    CsvRecord r;
    std::string problem;
    size_t at = 0;
    for (;;) {
      const CsvReader::Step step = csv.next(&r, &problem, &at);
      if (step == CsvReader::Step::kEnd) break;
      if (step == CsvReader::Step::kMalformed) {
        findings_.warn(pos.at(at), problem + "; row skipped");
        continue;
      }
      if (r.fields.size() != kSdnFields) {
        findings_.warn(pos.at(r.offset), "row has " + std::to_string(r.fields.size()) +
                                             " fields; sdn.csv rows have 12; row skipped");
        continue;
      }
      sdn_row(r, pos);
    }
  }

  void sdn_row(const CsvRecord& r, const Positions& pos) {
    const std::string ent = value_of(r.fields[0].value);
    if (!all_digits(ent) || ent.size() > 12) {
      findings_.warn(pos.at(r.fields[0].offset),
                     "ent_num '" + ent + "' is not a number; row skipped");
      return;
    }
    const std::string name = value_of(r.fields[1].value);
    if (name.empty()) {
      findings_.warn(pos.at(r.fields[1].offset), "entry " + ent + " has no name; row skipped");
      return;
    }
    if (by_ent_.count(ent)) {
      findings_.warn(pos.at(r.offset), "ent_num " + ent + " appears twice; the first is kept");
      return;
    }
    Pending p;
    WatchEntry& e = p.entry;
    const std::string type = value_of(r.fields[2].value);
    if (type.empty()) {
      e.kind = WatchEntry::Kind::kEntity;
    } else if (iequals(type, "individual")) {
      e.kind = WatchEntry::Kind::kPerson;
    } else if (iequals(type, "vessel")) {
      e.kind = WatchEntry::Kind::kVessel;
    } else if (iequals(type, "aircraft")) {
      e.kind = WatchEntry::Kind::kAircraft;
    } else {
      e.kind = WatchEntry::Kind::kEntity;
      findings_.warn(pos.at(r.fields[2].offset),
                     "entry " + ent + ": unknown SDN type '" + type + "', read as an entity");
    }
    e.list = list_name_;
    e.reference = ent;
    e.category = "sanctions";
    e.severity = "high";
    std::string program = value_of(r.fields[3].value);
    for (size_t at = program.find("] ["); at != std::string::npos; at = program.find("] [", at))
      program.replace(at, 3, "; ");
    e.program = std::move(program);
    if (e.kind == WatchEntry::Kind::kPerson) {
      add_name(&e, comma_name(name, true, false));
    } else {
      WatchName n;
      n.full = name;
      n.primary = true;
      add_name(&e, std::move(n));
    }
    static constexpr std::string_view kDetail[] = {"Title", "Call Sign", "Vessel Type", "Tonnage",
                                                   "GRT",   "Flag",      "Owner"};
    for (size_t i = 0; i < 7; ++i) {
      const std::string v = value_of(r.fields[4 + i].value);
      if (!v.empty()) p.prefix.push_back(std::string(kDetail[i]) + ": " + v);
    }
    if (e.kind == WatchEntry::Kind::kVessel) {
      p.vessel_flag = value_of(r.fields[9].value);
      if (iequals(p.vessel_flag, "None Identified")) p.vessel_flag.clear();
    }
    const std::string_view raw = r.fields[11].value;
    if (trim(raw) != "-0-") p.remarks = std::string(raw);
    p.remarks_at = pos.at(r.fields[11].offset);
    by_ent_.emplace(ent, pending_.size());
    pending_.push_back(std::move(p));
  }

  bool comment_row(const CsvRecord& r, const Positions& pos) {
    Pending* p = entry_for(r, pos);
    if (!p) return false;
    if (trim(r.fields[1].value) != "-0-") p->remarks += r.fields[1].value;
    return true;
  }

  bool alt_row(const CsvRecord& r, const Positions& pos) {
    Pending* p = entry_for(r, pos);
    if (!p) return false;
    const std::string name = value_of(r.fields[3].value);
    if (name.empty()) {
      findings_.warn(pos.at(r.fields[3].offset), "alias without a name; row skipped");
      return false;
    }
    const std::string remarks = lists_internal::lower_ascii(value_of(r.fields[4].value));
    const bool weak = remarks.find("weak") != std::string::npos;
    if (p->entry.kind == WatchEntry::Kind::kPerson) {
      add_name(&p->entry, comma_name(name, false, weak));
    } else {
      WatchName n;
      n.full = name;
      n.weak = weak;
      add_name(&p->entry, std::move(n));
    }
    return true;
  }

  bool add_row(const CsvRecord& r, const Positions& pos) {
    Pending* p = entry_for(r, pos);
    if (!p) return false;
    std::string address;
    for (size_t i : {2, 3, 4}) {
      const std::string v = value_of(r.fields[i].value);
      if (v.empty()) continue;
      if (!address.empty()) address += ", ";
      address += v;
    }
    const std::string note = value_of(r.fields[5].value);
    if (!note.empty()) address += address.empty() ? note : " (" + note + ")";
    if (!address.empty()) add_unique(&p->addresses, "Address: " + address);
    return true;
  }

  void finish_entries() {
    out_->entries.reserve(pending_.size());
    for (Pending& p : pending_) {
      WatchEntry& e = p.entry;
      std::string remarks = clean(p.remarks);
      for (const std::string& bad : read_remarks(remarks, &e))
        findings_.warn(p.remarks_at,
                       "entry " + e.reference + ": date of birth not read: '" + bad + "'");
      if (!p.vessel_flag.empty()) add_unique(&e.nationalities, country_or_text(p.vessel_flag));
      if (!remarks.empty() && remarks.back() == '.') remarks.pop_back();
      std::vector<std::string> parts = std::move(p.prefix);
      if (!remarks.empty()) parts.push_back(std::move(remarks));
      for (std::string& a : p.addresses) parts.push_back(std::move(a));
      for (const std::string& part : parts) {
        if (!e.remarks.empty()) e.remarks += "; ";
        e.remarks += part;
      }
      out_->entries.push_back(std::move(e));
    }
  }

  const std::string& list_name_;
  ListRead* out_;
  Findings findings_;
  std::vector<Pending> pending_;
  std::unordered_map<std::string, size_t> by_ent_;
};

}  // namespace

ListRead read_ofac_sdn(const OfacFiles& files, const std::string& list_name) {
  ListRead out;
  try {
    OfacReader(list_name, &out).read(files);
  } catch (const std::exception& e) {
    lists_internal::fail_read(files.sdn.name,
                              std::string("could not read the OFAC list: ") + e.what(), &out);
  } catch (...) {
    lists_internal::fail_read(files.sdn.name, "could not read the OFAC list", &out);
  }
  if (out.diags.has_errors()) out.entries.clear();
  return out;
}

}  // namespace vigil
