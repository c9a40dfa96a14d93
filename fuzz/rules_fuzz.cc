// libFuzzer target for the targeting-rule language: the input is compiled as
// a rule against fixed value lists. Besides memory safety it checks the
// promises the language makes:
//  - a rule that does not compile has an error with a line and a column from
//    1 that lie in the text, a message, and a Format() that is the Result's
//    error;
//  - a rule that compiles has a name, a severity, a category and only lists
//    that exist; on a few fixed records its explanation is non-empty exactly
//    when it hits, a hit carries no error, and its condition negated,
//    "not (CONDITION)", also compiles and hits exactly when the rule is decided
//    and does not hit; when neither hits the outcome is unknown and both
//    report what was missing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "risk/record.h"
#include "risk/rule.h"

namespace {

using vigil::Rule;

const vigil::ValueLists& Lists() {
  static const vigil::ValueLists lists = {
      {"source-countries", {"COL", "jam", "BOL"}},
      {"watch-airports", {"KIN", "BOG"}},
      {"empty", {}},
  };
  return lists;
}

vigil::PersonFacts Person(const char* surname, const char* given, const char* sex, const char* birth, double age,
                          const char* nationality, bool alert) {
  vigil::PersonFacts p;
  p.surname = surname;
  p.given_names = given;
  p.sex = sex;
  p.birth_date = vigil::day_number(birth);
  p.age = vigil::Number::Of(age);
  p.nationality = nationality;
  p.residence = nationality;
  p.has_alert = alert;
  return p;
}

// A traveller on a one-way cash booking with every collection filled.
vigil::TravelRecord Full() {
  vigil::TravelRecord r;
  r.kind = "pnr";
  r.id = 7;
  r.flight_id = 3;
  r.traveller = Person("DOE", "JOHN", "M", "1990-05-01", 36, "GBR", false);
  r.role = "PASSENGER";
  r.flight_carrier = "BA";
  r.flight_number = "BA2262";
  r.flight_origin = "KIN";
  r.flight_destination = "LGW";
  r.flight_origin_country = "JAM";
  r.flight_destination_country = "GBR";
  r.flight_departure = vigil::day_number("2026-11-20");
  r.has_booking = true;
  r.record_locator = "ABC123";
  r.booking_created = vigil::day_number("2026-11-18");
  r.days_before_departure = vigil::Number::Of(2);
  r.agency = "TRAVELCO";
  r.party_size = vigil::Number::Of(2);
  r.third_party = true;
  r.one_way = true;
  r.length_of_stay = vigil::Number::Of(12);
  r.return_date = vigil::day_number("2026-12-02");
  r.route_countries = {"JAM", "GBR", "SGP"};
  r.segments.push_back({"BA", "BA2262", "KIN", "LGW", "JAM", "GBR", vigil::day_number("2026-11-20"), vigil::day_number("2026-11-21")});
  r.segments.push_back({"BA", "BA15", "LGW", "SIN", "GBR", "SGP", vigil::day_number("2026-11-22"), vigil::kNoDate});
  r.documents.push_back({"P", "X123", "GBR", vigil::day_number("2027-01-01")});
  r.documents.push_back({"V", "", "SGP", vigil::kNoDate});
  r.cotravellers.push_back(Person("DOE", "JANE", "F", "1992-02-29", 34, "JAM", true));
  r.cotravellers.push_back({});
  r.payments.push_back({"CASH", ""});
  r.payments.push_back({"CARD", "VI"});
  r.contacts.push_back({"PHONE", "+44 20 7946 0000"});
  r.contacts.push_back({"EMAIL", "JOHN.DOE@EXAMPLE.COM"});
  return r;
}

// Advance passenger data only: the booking and its collections are unknown.
vigil::TravelRecord WithoutBooking() {
  vigil::TravelRecord r = Full();
  r.kind = "api";
  r.has_booking = false;
  return r;
}

const std::vector<vigil::TravelRecord>& Records() {
  static const std::vector<vigil::TravelRecord> records = {vigil::TravelRecord{}, Full(), WithoutBooking()};
  return records;
}

// The text after the word `when` of a rule that compiled: its header is only
// words and texts in quotes, with blanks and comments between them.
std::string_view Condition(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) ++i;
      ++i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      const size_t start = i;
      while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
                                 (text[i] >= '0' && text[i] <= '9') || text[i] == '_'))
        ++i;
      if (text.substr(start, i - start) == "when") return text.substr(i);
    } else {
      ++i;
    }
  }
  __builtin_trap();  // a rule that compiled has `when`
}

void CheckError(std::string_view text, const vigil::RuleError& e, const std::string& shown) {
  if (e.line < 1 || e.column < 1 || e.message.empty()) __builtin_trap();
  // The line exists and the column is in it or just past its end.
  size_t start = 0;
  for (int l = 1; l < e.line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) __builtin_trap();
    ++start;
  }
  const size_t stop = std::min(text.find('\n', start), text.size());
  if (static_cast<size_t>(e.column) > stop - start + 1) __builtin_trap();
  if (e.Format(text) != shown) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const int32_t today = vigil::day_number("2026-11-19");

  vigil::RuleError error;
  const vigil::Result<Rule> compiled = Rule::Compile(text, Lists(), &error);
  if (!compiled.ok()) {
    CheckError(text, error, compiled.error());
    return 0;
  }
  const Rule& rule = *compiled;
  if (rule.name().empty() || rule.category().empty() || rule.text() != text) __builtin_trap();
  if (rule.severity() != "high" && rule.severity() != "medium" && rule.severity() != "low") __builtin_trap();
  for (const std::string& l : rule.lists())
    if (Lists().find(l) == Lists().end()) __builtin_trap();

  const std::string negated_text =
      "rule \"negated\" severity low category c when not (" + std::string(Condition(text)) + "\n)";
  vigil::RuleError negated_error;
  const vigil::Result<Rule> negated = Rule::Compile(negated_text, Lists(), &negated_error);
  if (!negated.ok()) __builtin_trap();

  for (const vigil::TravelRecord& record : Records()) {
    for (const Rule* r : {&rule, &*negated}) {
      const Rule::Outcome o = r->Evaluate(record, today);
      const std::vector<std::string> why = r->Explain(record, today);
      if (why.empty() == o.hit) __builtin_trap();
      if (o.hit && !o.error().empty()) __builtin_trap();
      for (const std::string& line : why)
        if (line.empty()) __builtin_trap();
    }
    const Rule::Outcome yes = rule.Evaluate(record, today);
    const Rule::Outcome no = negated->Evaluate(record, today);
    if (yes.hit && no.hit) __builtin_trap();
    // Decided: exactly one hits and neither has an error. Unknown: neither
    // hits and both say why.
    if (yes.hit != no.hit) {
      if (!yes.error().empty() || !no.error().empty()) __builtin_trap();
    } else if (yes.error().empty() || no.error().empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
