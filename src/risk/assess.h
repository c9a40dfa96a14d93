// Assessment: every traveller of a flight screened against the active watch
// lists and evaluated against the rules in force; what is found becomes the
// traveller's alert (one per traveller per flight, see Store::UpdateAlerts).
//
// assess_flight() is pure (reads and writes nothing), so the same code
// serves alerts, rule tests on history and the fairness report. Assessor
// adds the store: it loads lists, rules and value lists once, then assesses
// flights and records their alerts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "risk/record.h"
#include "risk/rule.h"
#include "screening/screener.h"
#include "store/store.h"

namespace vigil {

// A rule in force, with its stored version.
struct RuleInForce {
  Rule rule;
  int version = 0;
};

struct AssessmentSetup {
  const WatchIndex* index = nullptr;       // null when no list is imported
  const Screener* screener = nullptr;      // over `index`
  std::map<std::string, int> list_versions;  // active version of each list
  std::vector<RuleInForce> rules;
  int32_t today = kNoDate;                 // for `today` in rules
};

// A rule that could not be decided on one traveller.
struct RuleFailure {
  std::string rule;
  std::string traveller;  // "api:12" or "pnr:40": the stored row
  std::string message;    // e.g. "booking.days_before_departure is not known"
};

struct FlightAssessment {
  std::vector<TravelRecord> records;
  // One per record, in the same order; reasons may be empty (so that an
  // alert whose evidence went away is withdrawn).
  std::vector<AlertUpdate> updates;
  // Per rule of the setup, in order: travellers it could not decide.
  std::vector<int64_t> undecided;
  // The first kExamples of those, with what was missing.
  static constexpr size_t kExamples = 5;
  std::vector<RuleFailure> examples;
};

// Screens every traveller of `flight` (names, birth date, nationality, sex,
// documents) and evaluates every rule on each; sets traveller.has_alert
// (and that of co-travellers) from the watch-list matches before the rules
// run. Watch-list reasons come first, best match first, then rule hits in
// the order of `setup.rules`.
FlightAssessment assess_flight(const FlightData& flight, const AssessmentSetup& setup,
                               ScreeningScratch* scratch);

// What an assessment run did.
struct AssessSummary {
  int64_t flights = 0;
  int64_t travellers = 0;
  int64_t list_matches = 0;
  int64_t rule_hits = 0;
  std::map<AlertChange, int64_t> changes;
  std::map<std::string, int64_t> failures;  // per rule: travellers it could not decide
  std::vector<RuleFailure> examples;        // the first few failures
};

class Assessor {
 public:
  // Loads the active lists (indexed), the value lists and the enabled rules
  // (compiled against them) from `store`. A stored rule that no longer
  // compiles is left out and named in `skipped`.
  static Result<std::unique_ptr<Assessor>> Open(Store* store, const ScreeningConfig& config, int32_t today,
                                                std::vector<std::string>* skipped = nullptr);

  const AssessmentSetup& setup() const { return setup_; }

  // Assesses each flight and stores its travellers' alerts (one
  // transaction per flight, in the order given), adding to `summary`.
  // Flights are evaluated on two worker threads while this one reads and
  // writes the store.
  Status Assess(const std::vector<int64_t>& flights, AssessSummary* summary);

 private:
  Assessor() = default;

  Store* store_ = nullptr;
  std::unique_ptr<WatchIndex> index_;
  std::unique_ptr<Screener> screener_;
  AssessmentSetup setup_;
  ScreeningScratch scratch_, second_scratch_;  // one per worker
};

// What a rule would have hit on stored flights, without creating alerts.
struct RuleTrial {
  int64_t flights = 0;
  int64_t travellers = 0;
  int64_t undecided = 0;  // travellers it could not decide for missing data
  struct Hit {
    std::string flight;          // "BA117"
    std::string departure_date;
    std::string traveller;       // "api:12"
    std::string name;            // given names and surname
    AlertReason reason;          // with its explanation
  };
  std::vector<Hit> hits;
};

// Runs `rule` (stored version `version`, 0 for an unsaved text) on every
// traveller of the flights departing from `from` to `to` (dates, inclusive)
// as assessment would, screening against `setup`'s lists included.
Result<RuleTrial> try_rule(Store* store, const AssessmentSetup& setup, const Rule& rule, int version,
                           const std::string& from, const std::string& to);

// The rules in force: the latest version of each enabled rule, compiled
// against `lists`. Rules that do not compile are named in `skipped`.
Result<std::vector<RuleInForce>> rules_in_force(Store* store, const ValueLists& lists,
                                                std::vector<std::string>* skipped);
// The latest version of every value list, as rules read them.
Result<ValueLists> value_lists(Store* store);

}  // namespace vigil
