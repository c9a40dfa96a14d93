// Assessment speed: a 500-traveller flight against 200 rules and the real
// lists (OFAC SDN + UN), and re-assessing 1,000,000 stored travellers
// against the same. The flight is also measured with rules only and with
// lists only in the same run, so the cost of each side shows.
//
// The stored traffic is synthetic (src/synth): 2,000 flights, each with 250
// API travellers and about 250 PNR travellers, kept in a SQLite file in the
// build folder between runs.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "intake/ingest.h"
#include "risk/assess.h"
#include "screening_data.h"
#include "store/store.h"
#include "synth/generator.h"

namespace vigil {
namespace {

constexpr int kFlights = 2000;
constexpr int kApiPerFlight = 250;
constexpr int kPnrsPerFlight = 125;  // one to three travellers each: about 250
constexpr int kRules = 200;

// 200 rules of the shapes analysts write, with varied constants, each
// narrow enough to hit a small share of travellers (as rules in service do).
std::vector<std::string> RuleTexts() {
  static const char* kShapes[] = {
      "booking.days_before_departure <= %d and any payment.type == \"CASH\"",
      "traveller.age == %d and traveller.sex == \"M\" and traveller.nationality in list(\"nationalities-of-interest\")",
      "any route.country in list(\"source-countries\") and itinerary.one_way and booking.party_size == 1 and "
      "traveller.age == %d and traveller.nationality == \"NGA\"",
      "traveller.nationality in list(\"nationalities-of-interest\") and booking.days_before_departure < %d",
      "any document.expiry < flight.departure + %d",
      "booking.agency matches \"^9%02d\"",
      "count(cotraveller where cotraveller.age < 18) >= 2 and traveller.age > %d",
      "flight.destination in list(\"airports-of-interest\") and traveller.age > %d and traveller.sex == \"F\" and "
      "booking.party_size == 3",
      "traveller.has_alert or any cotraveller.has_alert or traveller.age == %d and traveller.nationality == \"SYR\"",
      "traveller.surname matches \"^K[A-Z]{%d}$\" and traveller.given_names starts_with \"O\" and "
      "not present(booking.created)",
  };
  std::vector<std::string> out;
  char cond[512], text[768];
  for (int i = 0; i < kRules; ++i) {
    std::snprintf(cond, sizeof cond, kShapes[i % 10], i % 10 == 9 ? 2 + i % 3 : 20 + i % 70);
    std::snprintf(text, sizeof text, "rule \"R%03d\" severity %s category bench when %s", i,
                  i % 3 == 0 ? "high" : i % 3 == 1 ? "medium" : "low", cond);
    out.push_back(text);
  }
  return out;
}

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "risk bench setup: %s\n", why.c_str());
  std::exit(1);
}
void Check(const Status& s) {
  if (!s.ok()) Die(s.message());
}

struct Fixture {
  std::unique_ptr<Store> store;
  std::vector<FlightInfo> flights;
  double ingest_seconds = 0;
};

// The store with the traffic, the value lists, the rules and the real
// lists; built once and reused from the build folder.
Fixture& Get() {
  static std::unique_ptr<Fixture> f;
  if (f) return *f;
  f = std::make_unique<Fixture>();
  const std::string path = "risk-bench-v1.db";
  auto store = OpenSqliteStore(path, FixedClock(1795000000));  // 2026-11-17, before the flights
  if (!store.ok()) Die(store.error());
  f->store = std::move(*store);
  // Each part is built when missing, so an interrupted build resumes.
  if (f->store->Flights("", "")->size() < static_cast<size_t>(kFlights)) {
    const auto t0 = std::chrono::steady_clock::now();
    TrafficGenerator gen(11);
    const HashKey key = HashKey::Random();
    IngestOptions o;
    o.card_key = &key;
    Ingestor ingestor(f->store.get(), o);
    for (int i = 1; i <= kFlights; ++i) {
      Check(ingestor.Ingest(gen.Paxlst(i, kApiPerFlight), "bench").status());
      Check(ingestor.Ingest(gen.Pnrgov(i, kPnrsPerFlight, 1), "bench").status());
    }
    f->ingest_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  bool unchanged = false;
  Check(f->store->StoreValueList({"source-countries", 0, {"COL", "JAM", "BOL", "PER", "VEN", "NGA", "GHA", "PAK"}, "bench", ""}, &unchanged).status());
  Check(f->store->StoreValueList({"nationalities-of-interest", 0, {"SYR", "IRQ", "AFG", "LBY", "YEM"}, "bench", ""}, &unchanged).status());
  Check(f->store->StoreValueList({"airports-of-interest", 0, {"LHR", "CDG", "FRA", "AMS"}, "bench", ""}, &unchanged).status());
  auto stored_lists = value_lists(f->store.get());
  if (!stored_lists.ok()) Die(stored_lists.error());
  const ValueLists& lists = *stored_lists;
  for (const auto& text : RuleTexts()) {
    auto rule = Rule::Compile(text, lists);
    if (!rule.ok()) Die(rule.error());
    StoredRule r{rule->name(), 0, text, rule->severity(), rule->category(), true, "bench", ""};
    Check(f->store->StoreRule(r, &unchanged).status());
  }
  if (f->store->ListVersions("")->empty()) {
    std::vector<WatchEntry> ofac, un;
    for (auto& e : RealLists()) (e.list == "ofac-sdn" ? ofac : un).push_back(std::move(e));
    Check(f->store->StoreListVersion("ofac-sdn", "ofac", "bench", ofac, &unchanged).status());
    Check(f->store->StoreListVersion("un", "un", "bench", un, &unchanged).status());
  }
  f->flights = *f->store->Flights("", "");
  return *f;
}

// range(0): 1 screen against the lists; range(1): 1 evaluate the rules.
void BM_AssessFlight(benchmark::State& state) {
  Fixture& f = Get();
  auto assessor = Assessor::Open(f.store.get(), ScreeningConfig{}, day_number("2026-11-18"));
  if (!assessor.ok()) Die(assessor.error());
  AssessmentSetup setup = (*assessor)->setup();
  if (!state.range(0)) setup.screener = nullptr;
  if (!state.range(1)) setup.rules.clear();
  ScreeningScratch scratch;  // cold: a new thread's first flight
  size_t i = 0, travellers = 0, reasons = 0;
  for (auto _ : state) {
    const int64_t id = f.flights[i++ % f.flights.size()].id;
    auto data = f.store->LoadFlight(id);
    FlightAssessment fa = assess_flight(*data, setup, &scratch);
    auto changes = f.store->UpdateAlerts(fa.updates);
    benchmark::DoNotOptimize(changes);
    travellers += fa.records.size();
    for (const auto& u : fa.updates) reasons += u.reasons.size();
  }
  state.counters["travellers/flight"] = static_cast<double>(travellers) / static_cast<double>(i);
  state.counters["reasons/flight"] = static_cast<double>(reasons) / static_cast<double>(i);
  state.counters["rules"] = static_cast<double>(setup.rules.size());
  state.counters["list_entries"] = setup.screener ? static_cast<double>(setup.index->entry_count()) : 0;
}
BENCHMARK(BM_AssessFlight)->Args({1, 1})->Args({0, 1})->Args({1, 0})->ArgNames({"lists", "rules"})
    ->Unit(benchmark::kMillisecond)->Iterations(40);

// Every stored traveller against the 200 rules and the lists, alerts
// recorded, as `vigil assess --all` does.
void BM_Reassess1M(benchmark::State& state) {
  Fixture& f = Get();
  double seconds = 0;
  AssessSummary summary;
  for (auto _ : state) {
    auto assessor = Assessor::Open(f.store.get(), ScreeningConfig{}, day_number("2026-11-18"));
    if (!assessor.ok()) Die(assessor.error());
    std::vector<int64_t> ids;
    for (const auto& fl : f.flights) ids.push_back(fl.id);
    const auto t0 = std::chrono::steady_clock::now();
    summary = AssessSummary{};
    Check((*assessor)->Assess(ids, &summary));
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["travellers"] = static_cast<double>(summary.travellers);
  state.counters["seconds"] = seconds;
  state.counters["travellers/s"] = static_cast<double>(summary.travellers) / seconds;
  state.counters["rule_hits"] = static_cast<double>(summary.rule_hits);
  state.counters["list_matches"] = static_cast<double>(summary.list_matches);
  state.counters["ingest_s"] = f.ingest_seconds;
}
BENCHMARK(BM_Reassess1M)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
