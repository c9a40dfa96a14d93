// `vigil report rules` and `vigil report fairness`: oversight of targeting.
//
// rules: per rule, the alerts it contributed to and what analysts decided
// (precision as they judged it: confirmed / (confirmed + dismissed)).
// fairness: per rule, its hit rate among travellers grouped by nationality,
// sex and age band, against its rate among all travellers of the period;
// a group whose rate passes `bound` times the overall rate flags the rule.
// Groups smaller than `min_group` are shown but never flag (too few to say).
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "privacy/dpo_report.h"
#include "risk/assess.h"

namespace vigil::cli {
namespace {

using nlohmann::json;


std::string age_band(const Number& age) {
  if (!age.known) return "unknown";
  if (age.value < 18) return "0-17";
  if (age.value < 30) return "18-29";
  if (age.value < 45) return "30-44";
  if (age.value < 60) return "45-59";
  return "60+";
}

struct Tally {
  int64_t population = 0;
  int64_t hits = 0;
};

int RulesReport(Store* store, const Options& o) {
  auto rules = store->Rules(false);
  if (!rules.ok()) return Fail("report rules", rules.error());
  auto alerts = store->Alerts("", 0);
  if (!alerts.ok()) return Fail("report rules", alerts.error());
  std::map<std::string, std::map<std::string, int64_t>> by_rule;  // rule -> status -> alerts
  for (const auto& r : *rules) by_rule[r.name];
  for (const auto& a : *alerts)
    for (const auto& reason : a.reasons)
      if (reason.kind == "rule") ++by_rule[reason.source][a.status];
  json out = json::array();
  for (const auto& [name, statuses] : by_rule) {
    auto n = [&counts = statuses](const char* s) {
      auto it = counts.find(s);
      return it == counts.end() ? int64_t{0} : it->second;
    };
    int64_t total = 0;
    for (const auto& [s, c] : statuses) total += c;
    const int64_t judged = n("confirmed") + n("dismissed");
    json j = {{"rule", name},          {"alerts", total},          {"new", n("new")},
              {"in_review", n("in_review")}, {"confirmed", n("confirmed")}, {"dismissed", n("dismissed")},
              {"withdrawn", n("withdrawn")},
              {"precision", judged ? json(static_cast<double>(n("confirmed")) / static_cast<double>(judged)) : json()}};
    out.push_back(j);
    if (!o.json())
      std::printf("%-40s %5lld alerts: %lld new, %lld in review, %lld confirmed, %lld dismissed, %lld withdrawn; "
                  "precision %s\n",
                  name.c_str(), static_cast<long long>(total), static_cast<long long>(n("new")),
                  static_cast<long long>(n("in_review")), static_cast<long long>(n("confirmed")),
                  static_cast<long long>(n("dismissed")), static_cast<long long>(n("withdrawn")),
                  judged ? (std::to_string(100 * n("confirmed") / judged) + " %").c_str() : "not yet judged");
  }
  if (o.json()) std::cout << dump_line(out) << '\n';
  else if (by_rule.empty()) std::puts("no rules");
  return 0;
}

int FairnessReport(Store* store, const Options& o, int days, double bound, int min_group) {
  const std::string command = "report fairness";
  const int32_t today = day_number(format_utc(o.clock()->now()));
  auto assessor = Assessor::Open(store, ScreeningConfig{}, today);
  if (!assessor.ok()) return Fail(command, assessor.error());
  const AssessmentSetup& setup = (*assessor)->setup();
  auto flights = store->Flights(iso_date(today - days), iso_date(today));
  if (!flights.ok()) return Fail(command, flights.error());
  // dimension -> group -> population; rule -> dimension -> group -> hits.
  std::map<std::string, std::map<std::string, int64_t>> population;
  std::map<std::string, std::map<std::string, std::map<std::string, int64_t>>> hits;
  std::map<std::string, int64_t> total_hits;
  int64_t travellers = 0;
  ScreeningScratch scratch;
  for (const auto& f : *flights) {
    auto data = store->LoadFlight(f.id);
    if (!data.ok()) return Fail(command, data.error());
    const FlightAssessment fa = assess_flight(*data, setup, &scratch);
    for (size_t i = 0; i < fa.records.size(); ++i) {
      const PersonFacts& p = fa.records[i].traveller;
      const std::map<std::string, std::string> groups = {
          {"nationality", p.nationality.empty() ? "unknown" : p.nationality},
          {"sex", p.sex.empty() ? "unknown" : p.sex},
          {"age", age_band(p.age)}};
      ++travellers;
      for (const auto& [d, g] : groups) ++population[d][g];
      for (const auto& reason : fa.updates[i].reasons) {
        if (reason.kind != "rule") continue;
        ++total_hits[reason.source];
        for (const auto& [d, g] : groups) ++hits[reason.source][d][g];
      }
    }
  }
  json out = json::array();
  for (const auto& rif : setup.rules) {
    const std::string& name = rif.rule.name();
    const int64_t all_hits = total_hits[name];
    const double overall = travellers ? static_cast<double>(all_hits) / static_cast<double>(travellers) : 0;
    json groups = json::array();
    bool flagged = false;
    std::vector<std::string> lines;
    for (const auto& [d, by_group] : population) {
      for (const auto& [g, pop] : by_group) {
        const int64_t h = hits[name][d][g];
        if (!h) continue;
        const double rate = static_cast<double>(h) / static_cast<double>(pop);
        const double ratio = overall > 0 ? rate / overall : 0;
        const bool flag = pop >= min_group && ratio >= bound;
        flagged = flagged || flag;
        groups.push_back({{"dimension", d}, {"group", g}, {"travellers", pop}, {"hits", h}, {"rate", rate},
                          {"ratio", ratio}, {"flagged", flag}});
        char buf[200];
        std::snprintf(buf, sizeof buf, "%-11s %-8s %lld of %lld (%.2f %%), %.1f x overall%s", d.c_str(), g.c_str(),
                      static_cast<long long>(h), static_cast<long long>(pop), 100 * rate, ratio,
                      flag ? "  FLAGGED" : pop < min_group ? "  (group too small to judge)" : "");
        lines.push_back(buf);
      }
    }
    out.push_back({{"rule", name}, {"travellers", travellers}, {"hits", all_hits}, {"rate", overall},
                   {"flagged", flagged}, {"groups", groups}});
    if (!o.json()) {
      std::printf("rule \"%s\": %lld hits among %lld travellers (%.2f %%)%s\n", name.c_str(),
                  static_cast<long long>(all_hits), static_cast<long long>(travellers), 100 * overall,
                  flagged ? "  DISPARITY ABOVE BOUND" : "");
      for (const auto& l : lines) std::printf("    %s\n", l.c_str());
    }
  }
  if (o.json())
    std::cout << dump_line(json{{"days", days}, {"flights", flights->size()}, {"travellers", travellers},
                                {"bound", bound}, {"min_group", min_group}, {"rules", out}})
              << '\n';
  else if (setup.rules.empty())
    std::puts("no rules in force");
  return 0;
}

}  // namespace

int ReportCommand(const Args& args) {
  const char* usage =
      "usage: vigil report rules [--json] | vigil report fairness [--days N] [--bound X] [--min-group N] [--json] | "
      "vigil report dpo [--json]";
  if (args.empty()) return Fail("report", usage);
  const std::string kind = args[0];
  Options o;
  int days = 90, min_group = 30;
  double bound = 2.0;
  o.Number("--days", &days).Number("--bound", &bound).Number("--min-group", &min_group);
  if (!o.Parse(Args(args.begin() + 1, args.end()), ("report " + kind).c_str())) return 2;
  if (!o.positional().empty() || days < 0 || bound <= 0 || min_group < 1) return Fail("report", usage);
  auto store = OpenStore("report " + kind, o);
  if (!store) return 2;
  if (kind == "rules") return RulesReport(store.get(), o);
  if (kind == "dpo") {
    const std::string now = format_utc(o.clock()->now());
    auto policy = o.retention();
    if (!policy.ok()) return Fail("report dpo", policy.error());
    auto figures = store->Dpo(now, *policy);
    if (!figures.ok()) return Fail("report dpo", figures.error());
    if (o.json()) std::cout << dump_line(dpo_report_json(*figures, now)) << '\n';
    else std::fputs(dpo_report_text(*figures, now).c_str(), stdout);
    return 0;
  }
  if (kind == "fairness") return FairnessReport(store.get(), o, days, bound, min_group);
  return Fail("report", usage);
}

}  // namespace vigil::cli
