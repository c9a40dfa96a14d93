#include "risk/assess.h"

#include <nlohmann/json.hpp>

#include <deque>
#include <future>
#include <optional>
#include <set>

#include "base/hash.h"
#include "model/json.h"
#include "risk/facts.h"
#include "screening/active_lists.h"
#include "screening/json.h"

namespace vigil {
namespace {

// Who a person is for remembering dismissals and finding co-travellers.
std::string identity(const PersonFacts& p) {
  return p.surname + "/" + p.given_names + "/" + iso_date(p.birth_date);
}

ScreeningQuery query_for(const TravelRecord& r) {
  ScreeningQuery q;
  q.id = r.kind + ":" + std::to_string(r.id);
  q.surname = r.traveller.surname;
  q.given_names = r.traveller.given_names;
  q.birth_date = iso_date(r.traveller.birth_date);
  q.nationality = r.traveller.nationality;
  q.sex = r.traveller.sex;
  for (const auto& d : r.documents) {
    Document doc;
    doc.type = d.type;
    doc.number = d.number;
    doc.issuing_state = d.issuing_country;
    q.documents.push_back(std::move(doc));
  }
  return q;
}

// What a watch-list reason rests on: the traveller's data that screening
// read and the entry as listed.
std::string watchlist_fingerprint(const TravelRecord& r, const WatchEntry& e) {
  std::string basis = "watchlist\n" + e.list + "\n" + e.reference + "\n" + dump_line(to_json(e)) + "\n" +
                      identity(r.traveller) + "/" + r.traveller.nationality + "/" + r.traveller.sex;
  for (const auto& d : r.documents) basis += "/" + d.type + ":" + d.number + ":" + d.issuing_country;
  return sha256_hex(basis);
}

}  // namespace

FlightAssessment assess_flight(const FlightData& flight, const AssessmentSetup& setup,
                               ScreeningScratch* scratch) {
  FlightAssessment out;
  out.records = flight_records(flight);
  out.updates.resize(out.records.size());
  // Watch lists first: rules may ask who has an alert.
  std::set<std::string> alerted;
  for (size_t i = 0; i < out.records.size(); ++i) {
    TravelRecord& r = out.records[i];
    AlertUpdate& u = out.updates[i];
    u.flight_id = flight.flight.id;
    u.traveller_kind = r.kind == "pnr" ? TravellerKind::kPnr : TravellerKind::kApi;
    u.traveller_id = r.id;
    if (!setup.screener) continue;
    for (const ScreeningMatch& m : setup.screener->Screen(query_for(r), scratch)) {
      const WatchEntry& e = setup.index->entry(m.entry);
      AlertReason reason;
      reason.kind = "watchlist";
      reason.source = m.list;
      auto v = setup.list_versions.find(m.list);
      reason.version = v == setup.list_versions.end() ? 0 : v->second;
      reason.reference = m.reference;
      reason.severity = e.severity == "medium" || e.severity == "low" ? e.severity : "high";
      reason.category = e.category.empty() ? "watchlist" : e.category;
      reason.score = reported_score(m.score);
      reason.explanation = explanation_to_json(m.explanation).dump();
      reason.fingerprint = watchlist_fingerprint(r, e);
      u.reasons.push_back(std::move(reason));
    }
    if (!u.reasons.empty()) {
      r.traveller.has_alert = true;
      alerted.insert(identity(r.traveller));
    }
  }
  for (TravelRecord& r : out.records)
    for (PersonFacts& c : r.cotravellers) c.has_alert = alerted.count(identity(c)) > 0;
  out.undecided.assign(setup.rules.size(), 0);
  for (size_t i = 0; i < out.records.size(); ++i) {
    const TravelRecord& r = out.records[i];
    for (size_t k = 0; k < setup.rules.size(); ++k) {
      const RuleInForce& rif = setup.rules[k];
      const Rule& rule = rif.rule;
      const Rule::Outcome o = rule.Evaluate(r, setup.today);
      if (!o.decided) {
        ++out.undecided[k];
        if (out.examples.size() < FlightAssessment::kExamples)
          out.examples.push_back({rule.name(), r.kind + ":" + std::to_string(r.id), o.error()});
        continue;
      }
      if (!o.hit) continue;
      const std::vector<std::string> why = rule.Explain(r, setup.today);
      std::string basis = "rule\n" + rule.name();
      for (const auto& line : why) basis += "\n" + line;
      AlertReason reason;
      reason.kind = "rule";
      reason.source = rule.name();
      reason.version = rif.version;
      reason.severity = rule.severity();
      reason.category = rule.category();
      reason.explanation = nlohmann::json(why).dump();
      reason.fingerprint = sha256_hex(basis);
      out.updates[i].reasons.push_back(std::move(reason));
    }
  }
  return out;
}

Result<RuleTrial> try_rule(Store* store, const AssessmentSetup& setup, const Rule& rule, int version,
                           const std::string& from, const std::string& to) {
  AssessmentSetup one = setup;
  one.rules = {{rule, version}};
  auto flights = store->Flights(from, to);
  if (!flights.ok()) return flights.status();
  RuleTrial out;
  ScreeningScratch scratch;
  for (const auto& f : *flights) {
    auto data = store->LoadFlight(f.id);
    if (!data.ok()) return data.status();
    FlightAssessment fa = assess_flight(*data, one, &scratch);
    ++out.flights;
    out.travellers += static_cast<int64_t>(fa.records.size());
    for (int64_t n : fa.undecided) out.undecided += n;
    for (size_t i = 0; i < fa.records.size(); ++i)
      for (auto& reason : fa.updates[i].reasons) {
        if (reason.kind != "rule") continue;
        const TravelRecord& r = fa.records[i];
        out.hits.push_back({r.flight_number, f.departure_date, r.kind + ":" + std::to_string(r.id),
                            r.traveller.given_names + " " + r.traveller.surname, std::move(reason)});
      }
  }
  return out;
}

Result<ValueLists> value_lists(Store* store) {
  auto lists = store->ValueLists();
  if (!lists.ok()) return lists.status();
  ValueLists out;
  for (auto& l : *lists) out[l.name] = std::move(l.items);
  return out;
}

Result<std::vector<RuleInForce>> rules_in_force(Store* store, const ValueLists& lists,
                                                std::vector<std::string>* skipped) {
  auto rules = store->Rules(false);
  if (!rules.ok()) return rules.status();
  std::vector<RuleInForce> out;
  for (const StoredRule& r : *rules) {
    if (!r.enabled) continue;
    auto compiled = Rule::Compile(r.text, lists);
    if (!compiled.ok()) {
      if (skipped) skipped->push_back(r.name + ": " + compiled.error());
      continue;
    }
    out.push_back({std::move(*compiled), r.version});
  }
  return out;
}

Result<std::unique_ptr<Assessor>> Assessor::Open(Store* store, const ScreeningConfig& config, int32_t today,
                                                 std::vector<std::string>* skipped) {
  std::unique_ptr<Assessor> a(new Assessor());
  a->store_ = store;
  a->setup_.today = today;
  auto lists_in_use = load_active_lists(store);
  if (!lists_in_use.ok()) return lists_in_use.status();
  a->setup_.list_versions = std::move(lists_in_use->versions);
  if (!lists_in_use->entries.empty()) {
    a->index_ = std::make_unique<WatchIndex>(std::move(lists_in_use->entries));
    a->screener_ = std::make_unique<Screener>(*a->index_, config);
    a->setup_.index = a->index_.get();
    a->setup_.screener = a->screener_.get();
  }
  auto lists = value_lists(store);
  if (!lists.ok()) return lists.status();
  auto rules = rules_in_force(store, *lists, skipped);
  if (!rules.ok()) return rules.status();
  a->setup_.rules = std::move(*rules);
  return a;
}

Status Assessor::Assess(const std::vector<int64_t>& flights, AssessSummary* summary) {
  // A pipeline: while flights are screened and evaluated (pure, on
  // workers), this thread records the alerts of the ones done and loads
  // the next, so the store and the rules work at the same time.
  auto record = [&](FlightAssessment fa) -> Status {
    auto changes = store_->UpdateAlerts(fa.updates);
    if (!changes.ok()) return changes.status();
    ++summary->flights;
    summary->travellers += static_cast<int64_t>(fa.records.size());
    for (const AlertUpdate& u : fa.updates)
      for (const AlertReason& r : u.reasons) ++(r.kind == "rule" ? summary->rule_hits : summary->list_matches);
    for (AlertChange c : *changes) ++summary->changes[c];
    for (size_t k = 0; k < fa.undecided.size(); ++k)
      if (fa.undecided[k]) summary->failures[setup_.rules[k].rule.name()] += fa.undecided[k];
    for (auto& f : fa.examples)
      if (summary->examples.size() < 20) summary->examples.push_back(std::move(f));
    return Status::Ok();
  };
  // Flights are evaluated on two workers, each with its own scratch, and
  // recorded in order.
  ScreeningScratch* scratches[2] = {&scratch_, &second_scratch_};
  std::deque<std::future<FlightAssessment>> running;
  Status status;
  size_t started = 0;
  for (int64_t id : flights) {
    auto data = store_->LoadFlight(id);
    if (!data.ok()) {
      status = data.status();
      break;
    }
    std::optional<FlightAssessment> done;
    if (running.size() == 2) {
      done = running.front().get();
      running.pop_front();
    }
    ScreeningScratch* scratch = scratches[started++ % 2];
    running.push_back(std::async(std::launch::async, [this, scratch](FlightData d) {
      return assess_flight(d, setup_, scratch);
    }, std::move(*data)));
    if (done) {
      status = record(std::move(*done));
      if (!status.ok()) break;
    }
  }
  while (!running.empty()) {
    FlightAssessment fa = running.front().get();
    running.pop_front();
    if (status.ok()) status = record(std::move(fa));
  }
  return status;
}

}  // namespace vigil
