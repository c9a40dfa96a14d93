// Targeting rules: a small language in which analysts say what they know,
// checked before it is stored and evaluated on TravelRecords.
//
//   rule "Late cash one-way via source country"
//   severity high category narcotics
//   when booking.days_before_departure <= 3 and any payment.type == "CASH"
//    and itinerary.one_way and any segment.origin_country in list("source-countries")
//
// The whole language is described in docs/rules.md. In short: fields of the
// traveller, flight, booking and itinerary; collections (segment, document,
// cotraveller, payment, contact, route) read with any / all / count; the
// comparisons == != < <= > >=, in / not in (a named value list or [..]),
// matches (RE2), contains, starts_with; date arithmetic in days; and, or,
// not; present(..) for data that may be missing. A comparison that names a
// collection outside any / all / count holds when it holds for any item.
//
// Logic is three-valued: a comparison with missing data is unknown, and a
// rule whose condition ends unknown neither hits nor is silently passed:
// its evaluation reports what was missing.
//
// Compile() never throws; a Rule is immutable and safe to evaluate from
// many threads.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "risk/record.h"

namespace vigil {

// Named value lists rules may refer to with list("name"): name -> items.
using ValueLists = std::map<std::string, std::vector<std::string>, std::less<>>;

// A located problem in a rule's text.
struct RuleError {
  int line = 0, column = 0;  // from 1
  std::string message;
  std::string hint;          // how to fix it; may be empty
  // "line L, column C: message", the offending line with a caret under the
  // column, and "hint: ..." when there is one.
  std::string Format(std::string_view text) const;
};

struct Program;

class Rule {
 public:
  // Parses and checks `text` (every field known, types that agree, every
  // named list present in `lists`, every pattern valid); the lists' items
  // are bound into the rule.
  static Result<Rule> Compile(std::string_view text, const ValueLists& lists, RuleError* error = nullptr);

  const std::string& name() const;
  const std::string& severity() const;  // "high", "medium" or "low"
  const std::string& category() const;
  const std::string& text() const;
  // The value lists the rule refers to, by name.
  const std::set<std::string>& lists() const;

  struct Outcome {
    bool hit = false;
    bool decided = true;  // false: the record lacks what the condition needs
    // When not decided: the first value it needed that the record lacks
    // ("booking.days_before_departure", or "booking" for a booking's
    // collections); empty when no single value is to blame.
    std::string_view missing;
    // "" when decided, else "booking.days_before_departure is not known"
    // (or "the condition could not be decided").
    std::string error() const;
  };
  // `today` is the assessment's date (a day number), for the word `today`.
  Outcome Evaluate(const TravelRecord& record, int32_t today) const;
  // Why the rule hits `record`: each condition that made it hold, with the
  // record's values ("booking.days_before_departure is 2 (<= 3)"). Empty
  // when it does not hit.
  std::vector<std::string> Explain(const TravelRecord& record, int32_t today) const;

 private:
  std::shared_ptr<const Program> program_;
};

// Every field path rules may name, with its type ("number", "text",
// "date", "yes/no") and what it means, for documentation and hints.
struct FieldInfo {
  std::string_view path;
  std::string_view type;
  std::string_view meaning;
};
const std::vector<FieldInfo>& rule_fields();

}  // namespace vigil
