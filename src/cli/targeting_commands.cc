// `vigil rules`, `vigil values`, `vigil assess`, `vigil alerts` and
// `vigil report`: targeting rules, the value lists they use, assessment,
// the alert review workflow and oversight reports.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "risk/alert_json.h"
#include "risk/assess.h"
#include "risk/facts.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

using nlohmann::json;



int32_t Today(const Options& o) { return day_number(format_utc(o.clock()->now())); }

// The rule text of `--file F` or of the single positional argument.
Result<std::string> RuleText(const std::string& file, const std::vector<std::string>& rest) {
  if (!file.empty()) return read_file(file);
  if (rest.size() == 1) return rest[0];
  return Status::Error("give the rule with --file FILE or as one quoted argument");
}

json RuleJson(const StoredRule& r) {
  return {{"name", r.name},         {"version", r.version},   {"severity", r.severity},
          {"category", r.category}, {"enabled", r.enabled},   {"author", r.author},
          {"created_at", r.created_at}, {"text", r.text}};
}

// One line per reason: "rule NAME v2: why; why" or "list NAME v3 REF 0.912: ...".
std::string ReasonLine(const AlertReason& r) {
  std::string out;
  const json e = json::parse(r.explanation, nullptr, false);
  if (r.kind == "rule") {
    out = "rule \"" + r.source + "\"" + (r.version ? " v" + std::to_string(r.version) : "") + " (" + r.severity +
          ", " + r.category + "): ";
    if (e.is_array())
      for (size_t i = 0; i < e.size(); ++i) out += (i ? "; " : "") + e[i].get<std::string>();
  } else {
    char score[16];
    std::snprintf(score, sizeof score, "%.3f", r.score);
    out = "list " + r.source + " v" + std::to_string(r.version) + " entry " + r.reference + " score " + score + ": ";
    if (e.is_array())
      for (size_t i = 0; i < e.size(); ++i)
        out += (i ? "; " : "") + e[i].value("detail", std::string());
  }
  return out;
}

int RulesUsage() {
  std::fputs(
      "vigil rules: usage:\n"
      "  vigil rules add|check [--file FILE | RULE] [--author NAME]\n"
      "  vigil rules list [--all] [--json]\n"
      "  vigil rules show NAME [--json]\n"
      "  vigil rules enable|disable NAME\n"
      "  vigil rules test (NAME | --file FILE | RULE) [--days N] [--json]\n"
      "  vigil rules fields\n",
      stderr);
  return 2;
}

}  // namespace

json AssessmentJson(const AssessSummary& s) {
  json changes = json::object();
  for (const auto& [c, n] : s.changes) changes[to_string(c)] = n;
  json failures = json::object();
  for (const auto& [rule, n] : s.failures) failures[rule] = n;
  json examples = json::array();
  for (const auto& f : s.examples)
    examples.push_back({{"rule", f.rule}, {"traveller", f.traveller}, {"message", f.message}});
  return {{"flights", s.flights},       {"travellers", s.travellers}, {"list_matches", s.list_matches},
          {"rule_hits", s.rule_hits},   {"alerts", changes},          {"undecided", failures},
          {"undecided_examples", examples}};
}

void PrintAssessment(const AssessSummary& s) {
  auto n = [&](AlertChange c) {
    auto it = s.changes.find(c);
    return static_cast<long long>(it == s.changes.end() ? 0 : it->second);
  };
  std::printf("assessed %lld travellers on %lld flights: %lld list matches, %lld rule hits; alerts %lld new, "
              "%lld updated, %lld reopened, %lld withdrawn, %lld kept quiet (dismissed before)\n",
              static_cast<long long>(s.travellers), static_cast<long long>(s.flights),
              static_cast<long long>(s.list_matches), static_cast<long long>(s.rule_hits), n(AlertChange::kCreated),
              n(AlertChange::kUpdated), n(AlertChange::kReopened), n(AlertChange::kWithdrawn),
              n(AlertChange::kSuppressed));
  for (const auto& [rule, count] : s.failures)
    std::printf("  rule \"%s\" could not be decided for %lld travellers\n", rule.c_str(), static_cast<long long>(count));
  for (size_t i = 0; i < s.examples.size() && i < 5; ++i)
    std::printf("    e.g. %s: %s: %s\n", s.examples[i].traveller.c_str(), s.examples[i].rule.c_str(),
                s.examples[i].message.c_str());
}

std::vector<int64_t> UpcomingFlightIds(Store* store, const Options& o) {
  std::vector<int64_t> out;
  auto flights = store->Flights(iso_date(Today(o)), "");
  if (flights.ok())
    for (const auto& f : *flights) out.push_back(f.id);
  return out;
}

bool AssessFlights(const std::string& command, Store* store, const Options& o, const std::vector<int64_t>& flights,
                   AssessSummary* summary) {
  ScreeningConfig config;
  std::vector<std::string> skipped;
  auto assessor = Assessor::Open(store, config, Today(o), &skipped);
  if (!assessor.ok()) {
    Fail(command, assessor.error());
    return false;
  }
  for (const auto& s : skipped) std::fprintf(stderr, "vigil %s: rule skipped: %s\n", command.c_str(), s.c_str());
  if (auto s = (*assessor)->Assess(flights, summary); !s.ok()) {
    Fail(command, s.message());
    return false;
  }
  return true;
}

int RulesCommand(const Args& args) {
  if (args.empty()) return RulesUsage();
  const std::string verb = args[0];
  const std::string command = "rules " + verb;
  Options o;
  std::string file, author;
  bool all = false;
  int days = 30;
  o.Value("--file", &file).Value("--author", &author).Flag("--all", &all).Number("--days", &days);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& rest = o.positional();

  if (verb == "fields") {
    for (const auto& f : rule_fields())
      std::printf("%-32s %-7s %s\n", std::string(f.path).c_str(), std::string(f.type).c_str(),
                  std::string(f.meaning).c_str());
    return 0;
  }
  auto store = OpenStore(command, o);
  if (!store) return 2;
  auto lists = value_lists(store.get());
  if (!lists.ok()) return Fail(command, lists.error());

  if (verb == "add" || verb == "check") {
    auto text = RuleText(file, rest);
    if (!text.ok()) return Fail(command, text.error());
    auto rule = Rule::Compile(*text, *lists);
    if (!rule.ok()) return Fail(command, "the rule is not valid, nothing stored\n" + rule.error(), 1);
    if (verb == "check") {
      std::printf("rule \"%s\" is valid (severity %s, category %s)\n", rule->name().c_str(),
                  rule->severity().c_str(), rule->category().c_str());
      return 0;
    }
    StoredRule r;
    r.name = rule->name();
    r.text = *text;
    r.severity = rule->severity();
    r.category = rule->category();
    r.author = Who(author);
    if (r.author.empty()) return Fail(command, "name the author with --author (or set VIGIL_USER)");
    bool unchanged = false;
    auto stored = store->StoreRule(r, &unchanged);
    if (!stored.ok()) return Fail(command, stored.error());
    AssessSummary summary;
    if (!AssessFlights(command, store.get(), o, UpcomingFlightIds(store.get(), o), &summary)) return 2;
    if (o.json()) {
      json j = RuleJson(*stored);
      j["unchanged"] = unchanged;
      j["assessment"] = AssessmentJson(summary);
      std::cout << dump_line(j) << '\n';
    } else {
      std::printf("rule \"%s\" %s version %d\n", stored->name.c_str(), unchanged ? "unchanged at" : "stored as",
                  stored->version);
      PrintAssessment(summary);
    }
    return 0;
  }
  if (verb == "list" || verb == "show") {
    if (verb == "show" && rest.size() != 1) return RulesUsage();
    auto rules = store->Rules(all || verb == "show");
    if (!rules.ok()) return Fail(command, rules.error());
    std::vector<StoredRule> shown;
    for (const auto& r : *rules)
      if (verb == "list" || r.name == rest[0]) shown.push_back(r);
    if (verb == "show" && shown.empty()) return Fail(command, "no rule named \"" + rest[0] + "\"");
    if (o.json()) {
      json arr = json::array();
      for (const auto& r : shown) arr.push_back(RuleJson(r));
      std::cout << dump_line(arr) << '\n';
      return 0;
    }
    for (const auto& r : shown) {
      if (verb == "list") {
        std::printf("%-40s v%-3d %-6s %-14s %s\n", r.name.c_str(), r.version, r.severity.c_str(), r.category.c_str(),
                    r.enabled ? "enabled" : "disabled");
      } else {
        std::printf("version %d by %s at %s (%s)\n%s\n\n", r.version, r.author.c_str(), r.created_at.c_str(),
                    r.enabled ? "enabled" : "disabled", r.text.c_str());
      }
    }
    if (shown.empty()) std::puts("no rules");
    return 0;
  }
  if (verb == "enable" || verb == "disable") {
    if (rest.size() != 1) return RulesUsage();
    if (auto s = store->SetRuleEnabled(rest[0], verb == "enable"); !s.ok()) return Fail(command, s.message());
    AssessSummary summary;
    if (!AssessFlights(command, store.get(), o, UpcomingFlightIds(store.get(), o), &summary)) return 2;
    if (o.json()) {
      std::cout << dump_line(json{{"rule", rest[0]}, {"enabled", verb == "enable"}, {"assessment", AssessmentJson(summary)}})
                << '\n';
    } else {
      std::printf("rule \"%s\" %sd\n", rest[0].c_str(), verb.c_str());
      PrintAssessment(summary);
    }
    return 0;
  }
  if (verb == "test") {
    // The rule: a stored one by name (latest version), or a text.
    std::string text;
    int version = 0;
    const bool written = !rest.empty() && rest[0].find_first_not_of(" \t\r\n") != std::string::npos &&
                         rest[0].compare(rest[0].find_first_not_of(" \t\r\n"), 4, "rule") == 0;
    if (file.empty() && rest.size() == 1 && !written) {
      auto rules = store->Rules(false);
      if (!rules.ok()) return Fail(command, rules.error());
      for (const auto& r : *rules)
        if (r.name == rest[0]) text = r.text, version = r.version;
      if (text.empty()) return Fail(command, "no rule named \"" + rest[0] + "\"");
    } else {
      auto t = RuleText(file, rest);
      if (!t.ok()) return Fail(command, t.error());
      text = *t;
    }
    auto rule = Rule::Compile(text, *lists);
    if (!rule.ok()) return Fail(command, "the rule is not valid\n" + rule.error(), 1);
    auto assessor = Assessor::Open(store.get(), ScreeningConfig{}, Today(o));
    if (!assessor.ok()) return Fail(command, assessor.error());
    const int32_t today = Today(o);
    auto trial = try_rule(store.get(), (*assessor)->setup(), *rule, version, iso_date(today - days), iso_date(today));
    if (!trial.ok()) return Fail(command, trial.error());
    if (o.json()) {
      json hits = json::array();
      for (const auto& h : trial->hits)
        hits.push_back({{"flight", h.flight}, {"departure_date", h.departure_date}, {"traveller", h.traveller},
                        {"name", h.name}, {"why", json::parse(h.reason.explanation)}});
      std::cout << dump_line(json{{"rule", rule->name()}, {"days", days}, {"flights", trial->flights},
                                  {"travellers", trial->travellers}, {"hits", hits}, {"undecided", trial->undecided}})
                << '\n';
      return 0;
    }
    std::vector<std::string> lines;
    for (const auto& h : trial->hits)
      lines.push_back(h.flight + " " + h.departure_date + "  " + h.traveller + "  " + h.name + "\n      " +
                      ReasonLine(h.reason));
    std::printf("rule \"%s\" would have hit %zu of %lld travellers on %lld flights in the last %d days "
                "(%lld not decided for missing data); no alert was created\n",
                rule->name().c_str(), trial->hits.size(), static_cast<long long>(trial->travellers),
                static_cast<long long>(trial->flights), days, static_cast<long long>(trial->undecided));
    for (const auto& l : lines) std::printf("  %s\n", l.c_str());
    return 0;
  }
  return RulesUsage();
}

int ValuesCommand(const Args& args) {
  const std::string usage =
      "usage: vigil values set NAME [--file FILE] [ITEM...] [--author NAME] | vigil values list [--json] | "
      "vigil values show NAME [--json]";
  if (args.empty()) return Fail("values", usage);
  const std::string verb = args[0];
  const std::string command = "values " + verb;
  Options o;
  std::string file, author;
  o.Value("--file", &file).Value("--author", &author);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& rest = o.positional();
  auto store = OpenStore(command, o);
  if (!store) return 2;
  if (verb == "set") {
    if (rest.empty()) return Fail(command, usage);
    ValueList list;
    list.name = rest[0];
    list.items.assign(rest.begin() + 1, rest.end());
    if (!file.empty()) {
      auto text = read_file(file);
      if (!text.ok()) return Fail(command, text.error());
      size_t start = 0;
      while (start < text->size()) {
        size_t end = text->find('\n', start);
        if (end == std::string::npos) end = text->size();
        std::string line = text->substr(start, end - start);
        start = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        const size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        list.items.push_back(line.substr(first));
      }
    }
    if (list.items.empty()) return Fail(command, "the list has no items (give them as arguments or with --file)");
    list.author = Who(author);
    if (list.author.empty()) return Fail(command, "name the author with --author (or set VIGIL_USER)");
    bool unchanged = false;
    auto stored = store->StoreValueList(list, &unchanged);
    if (!stored.ok()) return Fail(command, stored.error());
    AssessSummary summary;
    if (!unchanged && !AssessFlights(command, store.get(), o, UpcomingFlightIds(store.get(), o), &summary)) return 2;
    if (o.json()) {
      std::cout << dump_line(json{{"name", stored->name}, {"version", stored->version},
                                  {"items", stored->items.size()}, {"unchanged", unchanged},
                                  {"assessment", AssessmentJson(summary)}})
                << '\n';
    } else {
      std::printf("value list \"%s\" %s version %d (%zu items)\n", stored->name.c_str(),
                  unchanged ? "unchanged at" : "stored as", stored->version, stored->items.size());
      if (!unchanged) PrintAssessment(summary);
    }
    return 0;
  }
  if (verb == "list" || verb == "show") {
    auto lists = store->ValueLists();
    if (!lists.ok()) return Fail(command, lists.error());
    json arr = json::array();
    bool found = false;
    for (const auto& l : *lists) {
      if (verb == "show" && (rest.empty() || l.name != rest[0])) continue;
      found = true;
      if (o.json()) {
        json j = {{"name", l.name}, {"version", l.version}, {"author", l.author}, {"created_at", l.created_at}};
        if (verb == "show") j["items"] = l.items;
        else j["items"] = l.items.size();
        arr.push_back(j);
      } else if (verb == "list") {
        std::printf("%-30s v%-3d %zu items, by %s at %s\n", l.name.c_str(), l.version, l.items.size(),
                    l.author.c_str(), l.created_at.c_str());
      } else {
        for (const auto& item : l.items) std::printf("%s\n", item.c_str());
      }
    }
    if (verb == "show" && !found) return Fail(command, "no value list named \"" + (rest.empty() ? "" : rest[0]) + "\"");
    if (o.json()) std::cout << dump_line(verb == "show" ? arr[0] : arr) << '\n';
    else if (!found) std::puts("no value lists");
    return 0;
  }
  return Fail("values", usage);
}

int AssessCommand(const Args& args) {
  Options o;
  int flight = 0;
  bool every = false;
  o.Number("--flight", &flight).Flag("--all", &every);
  if (!o.Parse(args, "assess")) return 2;
  if (!o.positional().empty() || (flight && every))
    return Fail("assess", "usage: vigil assess [--flight ID | --all] [--json]");
  auto store = OpenStore("assess", o);
  if (!store) return 2;
  std::vector<int64_t> flights;
  if (flight > 0) {
    if (auto data = store->LoadFlight(flight); !data.ok()) return Fail("assess", data.error());
    flights.push_back(flight);
  } else if (every) {
    auto all = store->Flights("", "");
    if (!all.ok()) return Fail("assess", all.error());
    for (const auto& f : *all) flights.push_back(f.id);
  } else {
    flights = UpcomingFlightIds(store.get(), o);
  }
  AssessSummary summary;
  if (!AssessFlights("assess", store.get(), o, flights, &summary)) return 2;
  if (o.json()) std::cout << dump_line(AssessmentJson(summary)) << '\n';
  else PrintAssessment(summary);
  return 0;
}

int AlertsCommand(const Args& args) {
  const std::string usage =
      "usage: vigil alerts list [--status S] [--flight ID] [--purpose P] [--json] | vigil alerts show ID [--purpose P] [--json] | "
      "vigil alerts review ID --to in_review|confirmed|dismissed --reason TEXT [--user NAME]";
  if (args.empty()) return Fail("alerts", usage);
  const std::string verb = args[0];
  const std::string command = "alerts " + verb;
  Options o;
  std::string status, to, reason, user, purpose;
  int flight = 0;
  o.Value("--status", &status).Value("--to", &to).Value("--reason", &reason).Value("--user", &user)
      .Number("--flight", &flight).Value("--purpose", &purpose);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& rest = o.positional();
  auto store = OpenStore(command, o);
  if (!store) return 2;
  // What the command line shows or changes is in the access log too, as
  // the server's answers are.
  auto log = [&](const std::string& action, const std::string& object, const std::string& outcome) {
    LogAccess(store.get(), user, action, object, purpose, outcome);
  };
  if (verb == "list") {
    auto alerts = store->Alerts(status == "all" ? "" : status, flight);
    if (!alerts.ok()) return Fail(command, alerts.error());
    log("read alerts", "alerts", "ok");
    if (o.json()) {
      json arr = json::array();
      for (const auto& a : *alerts) arr.push_back(to_json(a));
      std::cout << dump_line(arr) << '\n';
      return 0;
    }
    for (const auto& a : *alerts) {
      std::printf("%-6lld %-10s %-6s %-12s %-8s %s  %s:%lld %s\n", static_cast<long long>(a.id), a.status.c_str(),
                  a.severity.c_str(), a.category.c_str(), a.flight.c_str(), a.departure_date.c_str(),
                  to_string(a.traveller_kind), static_cast<long long>(a.traveller_id), a.traveller_name.c_str());
      for (const auto& r : a.reasons) std::printf("         %s\n", ReasonLine(r).c_str());
    }
    if (alerts->empty()) std::puts("no alerts");
    return 0;
  }
  if (verb == "show" || verb == "review") {
    const int64_t id = SingleId(rest);
    if (!id) return Fail(command, usage);
    Result<Alert> alert = verb == "show" ? store->GetAlert(id) : store->ReviewAlert(id, to, Who(user), reason);
    log(verb == "show" ? "read alerts" : "review alerts", "alert:" + std::to_string(id), alert.ok() ? "ok" : "failed");
    if (!alert.ok()) return Fail(command, alert.error(), 1);
    if (o.json()) {
      std::cout << dump_line(to_json(*alert)) << '\n';
      return 0;
    }
    const Alert& a = *alert;
    std::printf("alert %lld: %s, %s %s, %s %s, %s:%lld %s\n", static_cast<long long>(a.id), a.status.c_str(),
                a.severity.c_str(), a.category.c_str(), a.flight.c_str(), a.departure_date.c_str(),
                to_string(a.traveller_kind), static_cast<long long>(a.traveller_id), a.traveller_name.c_str());
    for (const auto& r : a.reasons) std::printf("  %s\n", ReasonLine(r).c_str());
    for (const auto& e : a.events)
      std::printf("  %s %s: %s -> %s: %s\n", e.at.c_str(), e.user.c_str(), e.from.empty() ? "-" : e.from.c_str(),
                  e.to.c_str(), e.reason.c_str());
    return 0;
  }
  return Fail("alerts", usage);
}

}  // namespace vigil::cli
