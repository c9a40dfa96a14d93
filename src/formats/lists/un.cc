#include "formats/lists/un.h"

#include <exception>
#include <pugixml.hpp>
#include <unordered_set>
#include <utility>
#include <vector>

#include "formats/lists/common.h"
#include "model/countries.h"

namespace vigil {
namespace {

using lists_internal::add_name;
using lists_internal::add_unique;
using lists_internal::alias_variants;
using lists_internal::clean;
using lists_internal::comma_name;
using lists_internal::date_from_text;
using lists_internal::Findings;
using lists_internal::iequals;
using lists_internal::Positions;
using lists_internal::starts_with_ci;
using lists_internal::TextInput;
using lists_internal::trim;

// Character data directly inside `n`, white space cleaned.
std::string text_of(pugi::xml_node n) {
  std::string raw;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) raw += c.value();
  return clean(raw);
}

std::string child_text(pugi::xml_node n, const char* name) { return text_of(n.child(name)); }

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string country_or_text(const std::string& text) {
  std::string code = country_alpha3(text);
  return code.empty() ? text : code;
}

// The primary name of an individual from its name parts (see un.h).
WatchName individual_name(const std::vector<std::string>& parts, bool family_first) {
  WatchName name;
  name.full = join(parts, " ");
  name.primary = true;
  if (parts.size() < 2) return name;
  if (family_first) {
    name.surname = parts.front();
    name.given = join(std::vector<std::string>(parts.begin() + 1, parts.end()), " ");
  } else {
    name.surname = parts.back();
    name.given = join(std::vector<std::string>(parts.begin(), parts.end() - 1), " ");
  }
  return name;
}

// A document number without a repetition of its type in front
// ("national identification number 55252" gives "55252").
std::string number_without_type(const std::string& number, const std::string& type) {
  if (type.size() < 4 || number.size() <= type.size() + 1 || !starts_with_ci(number, type))
    return number;
  return clean(std::string_view(number).substr(type.size()));
}

class UnReader {
 public:
  UnReader(std::string_view file, const std::string& list_name, ListRead* out)
      : file_(file), list_name_(list_name), out_(out), findings_(&out->diags) {}

  void read(std::string_view xml) {
    TextInput input;
    const std::string file(file_);
    if (!lists_internal::prepare_text(xml, file, "the UN list", false, &findings_, &input)) return;
    const Positions pos(input.text, file, input.base);
    pos_ = &pos;
    const size_t bad = lists_internal::invalid_utf8_at(input.text);
    if (bad != std::string_view::npos) {
      findings_.error(pos.at(bad), "the UN list is not UTF-8");
      return;
    }
    pugi::xml_document doc;
    const pugi::xml_parse_result result =
        doc.load_buffer(input.text.data(), input.text.size(),
                        pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
    if (!result) {
      std::string reason = std::string("not well-formed XML: ") + result.description();
      if (result.status == pugi::status_no_document_element) reason = "not XML: no root element";
      findings_.error(pos.at(static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0))),
                      std::move(reason));
      return;
    }
    for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_doctype) {
        const size_t at = input.text.find("<!DOCTYPE");
        findings_.error(pos.at(at == std::string_view::npos ? 0 : at, "DOCTYPE"),
                        "DOCTYPE declarations are not accepted in a list");
        return;
      }
    }
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "CONSOLIDATED_LIST") {
      findings_.error(at(root), "root element <" + std::string(root.name()) +
                                    "> is not a UN consolidated list (CONSOLIDATED_LIST)");
      return;
    }
    const pugi::xml_node individuals = root.child("INDIVIDUALS");
    const pugi::xml_node entities = root.child("ENTITIES");
    if (!individuals && !entities) {
      findings_.error(at(root), "the list has neither INDIVIDUALS nor ENTITIES");
      return;
    }
    for (pugi::xml_node n : individuals.children("INDIVIDUAL")) read_entry(n, true);
    for (pugi::xml_node n : entities.children("ENTITY")) read_entry(n, false);
    if (out_->entries.empty()) {
      findings_.error(at(root), "the list holds no readable entry");
      return;
    }
    findings_.finish();
  }

 private:
  Location at(pugi::xml_node n) const {
    return pos_->at(static_cast<size_t>(std::max<ptrdiff_t>(n.offset_debug(), 0)), n.name());
  }

  void read_entry(pugi::xml_node n, bool individual) {
    WatchEntry e;
    e.kind = individual ? WatchEntry::Kind::kPerson : WatchEntry::Kind::kEntity;
    e.list = list_name_;
    e.category = "sanctions";
    e.severity = "high";
    e.reference = child_text(n, "REFERENCE_NUMBER");
    if (e.reference.empty()) e.reference = child_text(n, "DATAID");
    if (e.reference.empty()) {
      findings_.warn(at(n), "entry without REFERENCE_NUMBER or DATAID; skipped");
      return;
    }
    e.program = child_text(n, "UN_LIST_TYPE");

    std::vector<std::string> parts;
    for (const char* tag : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
      std::string p = child_text(n, tag);
      if (!p.empty()) parts.push_back(std::move(p));
    }
    if (individual) {
      add_name(&e, individual_name(parts, e.program == "DPRK"));
    } else {
      WatchName name;
      name.full = join(parts, " ");
      name.primary = true;
      add_name(&e, std::move(name));
    }
    for (pugi::xml_node original : n.children("NAME_ORIGINAL_SCRIPT")) {
      WatchName name;
      name.full = text_of(original);
      add_name(&e, std::move(name));
    }
    for (pugi::xml_node alias : n.children(individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS"))
      read_alias(alias, individual, &e);
    if (e.names.empty()) {
      findings_.warn(at(n), "entry " + e.reference + " has no name; skipped");
      return;
    }
    if (!references_.insert(e.reference).second) {
      findings_.warn(at(n), "reference " + e.reference + " appears twice; the first is kept");
      return;
    }

    if (individual) {
      for (pugi::xml_node d : n.children("INDIVIDUAL_DATE_OF_BIRTH")) read_birth_date(d, &e);
      for (pugi::xml_node p : n.children("INDIVIDUAL_PLACE_OF_BIRTH")) {
        std::vector<std::string> place;
        for (const char* tag : {"STREET", "CITY", "STATE_PROVINCE", "COUNTRY"})
          place.push_back(child_text(p, tag));
        add_unique(&e.places_of_birth, join(place, ", "));
      }
      for (pugi::xml_node nat : n.children("NATIONALITY")) {
        for (pugi::xml_node v : nat.children("VALUE")) {
          const std::string value = text_of(v);
          if (value.empty() || iequals(value, "na") || iequals(value, "n/a")) continue;
          add_unique(&e.nationalities, country_or_text(value));
        }
      }
      const std::string gender = child_text(n, "GENDER");
      if (iequals(gender, "Male")) e.sex = "M";
      if (iequals(gender, "Female")) e.sex = "F";
      for (pugi::xml_node d : n.children("INDIVIDUAL_DOCUMENT")) read_document(d, &e);
    }

    std::vector<std::string> remarks;
    for (const char* tag : {"TITLE", "DESIGNATION"}) {
      std::vector<std::string> values;
      for (pugi::xml_node v : n.child(tag).children("VALUE")) values.push_back(text_of(v));
      const std::string joined = join(values, ", ");
      if (!joined.empty())
        remarks.push_back(std::string(tag[0] == 'T' ? "Title: " : "Designation: ") + joined);
    }
    remarks.push_back(child_text(n, "COMMENTS1"));
    e.remarks = join(remarks, "; ");
    out_->entries.push_back(std::move(e));
  }

  void read_alias(pugi::xml_node alias, bool individual, WatchEntry* e) {
    const bool weak = iequals(child_text(alias, "QUALITY"), "Low");
    for (const std::string& variant : alias_variants(child_text(alias, "ALIAS_NAME"))) {
      if (variant.empty()) continue;
      WatchName name;
      if (individual && !lists_internal::has_non_latin_letter(variant)) {
        name = comma_name(variant, false, weak);
      } else {
        name.full = variant;
        name.weak = weak;
      }
      add_name(e, std::move(name));
    }
    const std::string dob = child_text(alias, "DATE_OF_BIRTH");
    if (!dob.empty()) {
      const std::string date = date_from_text(dob.substr(0, dob.find('T')));
      if (date.empty())
        findings_.warn(at(alias.child("DATE_OF_BIRTH")),
                       "entry " + e->reference + ": date of birth not read: '" + dob + "'");
      add_unique(&e->birth_dates, date);
    }
    add_unique(
        &e->places_of_birth,
        join({child_text(alias, "CITY_OF_BIRTH"), child_text(alias, "COUNTRY_OF_BIRTH")}, ", "));
  }

  void read_birth_date(pugi::xml_node d, WatchEntry* e) {
    const std::string type = child_text(d, "TYPE_OF_DATE");
    const bool approximate = iequals(type, "APPROXIMATELY");
    const std::string date = child_text(d, "DATE");
    const std::string year = child_text(d, "YEAR");
    const std::string from = child_text(d, "FROM_YEAR");
    const std::string to = child_text(d, "TO_YEAR");
    const std::string note = child_text(d, "NOTE");
    std::string value, written;
    if (!date.empty()) {
      written = date;
      value = date_from_text(std::string_view(date).substr(0, date.find('T')));
    } else if (!from.empty() || !to.empty()) {
      written = from + " to " + to;
      const std::string a = date_from_text(from), b = date_from_text(to);
      if (a.size() == 4 && b.size() == 4 && a <= b) value = a == b ? a : a + "/" + b;
    } else if (!year.empty()) {
      written = year;
      value = date_from_text(year);
      if (value.size() != 4) value.clear();
    } else if (!note.empty()) {
      written = note;
      value = date_from_text(note);
    } else {
      return;
    }
    if (value.empty()) {
      findings_.warn(at(d),
                     "entry " + e->reference + ": date of birth not read: '" + written + "'");
      return;
    }
    if (approximate) value = value.substr(0, value.find('/') == 4 ? 9 : 4);
    add_unique(&e->birth_dates, std::move(value));
  }

  void read_document(pugi::xml_node d, WatchEntry* e) {
    const std::string number = child_text(d, "NUMBER");
    if (number.empty()) return;
    const std::string written = child_text(d, "TYPE_OF_DOCUMENT");
    const std::string second = child_text(d, "TYPE_OF_DOCUMENT2");
    WatchDocument doc;
    doc.type = lists_internal::document_type(written.empty() ? second : written);
    doc.number = number_without_type(number, written);
    std::string country = child_text(d, "ISSUING_COUNTRY");
    if (country.empty()) country = child_text(d, "COUNTRY_OF_ISSUE");
    if (!country.empty()) doc.country = country_or_text(country);
    const std::string issued = child_text(d, "DATE_OF_ISSUE");
    const std::string city = child_text(d, "CITY_OF_ISSUE");
    doc.note = join({written.empty() ? std::string() : second,
                     issued.empty() ? std::string() : "issued " + issued,
                     city.empty() ? std::string() : "in " + city, child_text(d, "NOTE")},
                    "; ");
    e->documents.push_back(std::move(doc));
  }

  std::string_view file_;
  const std::string& list_name_;
  ListRead* out_;
  Findings findings_;
  const Positions* pos_ = nullptr;
  std::unordered_set<std::string> references_;
};

}  // namespace

ListRead read_un_consolidated(std::string_view xml, const std::string& file,
                              const std::string& list_name) {
  ListRead out;
  try {
    UnReader(file, list_name, &out).read(xml);
  } catch (const std::exception& e) {
    lists_internal::fail_read(file, std::string("could not read the UN list: ") + e.what(), &out);
  } catch (...) {
    lists_internal::fail_read(file, "could not read the UN list", &out);
  }
  if (out.diags.has_errors()) out.entries.clear();
  return out;
}

}  // namespace vigil
