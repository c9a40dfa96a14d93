// Screening speed against real lists (OFAC SDN + UN consolidated, shipped
// in data/lists) and a synthetic 1,000,000-entry list. Baseline in the same
// run: an exhaustive Jaro-Winkler scan of every listed name per traveller.
// Reports travellers/s (batch, all cores), single-query latency p50/p99 and
// index memory per million entries.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <chrono>
#include <memory>
#include <thread>

#include "screening_data.h"
#include "names/similarity.h"
#include "screening/screener.h"
#include "synth/watchlist_generator.h"

namespace vigil {
namespace {

struct Fixture {
  std::unique_ptr<WatchIndex> index;
  std::unique_ptr<Screener> screener;
  std::vector<ScreeningQuery> queries;
  std::vector<ScreeningQuery> earlier;  // other travellers of the same traffic, screened before
  std::vector<std::string> names;  // every listed name, normalised, for the baseline
  double build_seconds = 0;
};

// 95 % travellers not on the list, 5 % variants of listed names.
std::vector<ScreeningQuery> MakeQueries(const std::vector<WatchEntry>& entries, size_t n,
                                       uint64_t seed) {
  WatchListGenerator gen(seed, &Pool());
  std::vector<ScreeningQuery> out;
  for (size_t i = 0; i < n; ++i) {
    ScreeningQuery q;
    q.id = std::to_string(i);
    if (i % 20 == 0) {
      const WatchEntry& e = entries[(i * 7919 + seed) % entries.size()];
      q.name = e.names.empty() ? gen.RandomName() : e.names.front().full;
    } else {
      q.name = gen.RandomName();
    }
    q.birth_date = "19" + std::to_string(50 + i % 50) + "-0" + std::to_string(1 + i % 9) + "-1" +
                   std::to_string(i % 9);
    q.nationality = "GBR";
    out.push_back(std::move(q));
  }
  return out;
}

Fixture& Get(bool synthetic) {
  static std::unique_ptr<Fixture> real, synth;
  auto& f = synthetic ? synth : real;
  if (f) return *f;
  f = std::make_unique<Fixture>();
  std::vector<WatchEntry> entries =
      synthetic ? WatchListGenerator(5, &Pool()).Entries("synthetic", 1000000) : RealLists();
  f->queries = MakeQueries(entries, 20000, 99);
  f->earlier = MakeQueries(entries, 100000, 7);
  if (!synthetic)
    for (const auto& e : entries)
      for (const auto& n : e.names) {
        std::string joined;
        for (const auto& t : normalize_name(n.full).tokens) joined += (joined.empty() ? "" : " ") + t.text;
        f->names.push_back(std::move(joined));
      }
  const auto t0 = std::chrono::steady_clock::now();
  f->index = std::make_unique<WatchIndex>(std::move(entries));
  f->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f->screener = std::make_unique<Screener>(*f->index, ScreeningConfig{});
  return *f;
}

// Screens `queries` on every core, thread t with scratches[t]; returns
// travellers/s.
double Batch(const Fixture& f, const std::vector<ScreeningQuery>& queries,
             std::vector<ScreeningScratch>& scratches) {
  const size_t threads = scratches.size();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  std::atomic<size_t> matches{0};
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      size_t local = 0;
      for (size_t i = t; i < queries.size(); i += threads)
        local += f.screener->Screen(queries[i], &scratches[t]).size();
      matches += local;
    });
  for (auto& th : pool) th.join();
  benchmark::DoNotOptimize(matches.load());
  return static_cast<double>(queries.size()) /
         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

size_t Threads() { return std::max(1u, std::thread::hardware_concurrency()); }

void BM_Baseline_ExhaustiveJaroWinkler_RealLists(benchmark::State& state) {
  Fixture& f = Get(false);
  size_t done = 0;
  for (auto _ : state) {
    const ScreeningQuery& q = f.queries[done % f.queries.size()];
    std::string joined;
    for (const auto& t : normalize_name(q.name).tokens) joined += (joined.empty() ? "" : " ") + t.text;
    size_t hits = 0;
    for (const auto& n : f.names) hits += jaro_winkler(joined, n) >= 0.9;
    benchmark::DoNotOptimize(hits);
    ++done;
  }
  state.counters["travellers/s/core"] =
      benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
  state.counters["names"] = static_cast<double>(f.names.size());
}
BENCHMARK(BM_Baseline_ExhaustiveJaroWinkler_RealLists)->Unit(benchmark::kMillisecond);

// range(0): 0 real lists, 1 synthetic 1M list. range(1): 0 cold (each
// thread starts with an empty scratch: no query word seen before), 1 warm
// (each thread has first screened 100,000 other travellers of the same
// traffic, as a running service has).
void BM_ScreenBatch(benchmark::State& state) {
  Fixture& f = Get(state.range(0) != 0);
  const bool warm = state.range(1) != 0;
  double rate = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ScreeningScratch> scratches(Threads());
    if (warm) Batch(f, f.earlier, scratches);
    state.ResumeTiming();
    rate = Batch(f, f.queries, scratches);
  }
  state.counters["travellers/s"] = rate;
  state.counters["entries"] = static_cast<double>(f.index->entry_count());
  state.counters["names"] = static_cast<double>(f.index->name_count());
  state.counters["index_build_s"] = f.build_seconds;
  state.counters["index_MB"] = static_cast<double>(f.index->MemoryBytes()) / 1e6;
  state.counters["MB_per_million_entries"] =
      static_cast<double>(f.index->MemoryBytes()) / 1e6 * 1e6 / static_cast<double>(f.index->entry_count());
}
BENCHMARK(BM_ScreenBatch)->Args({0, 0})->Args({0, 1})->ArgNames({"synthetic_1M", "warm"})
    ->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_ScreenBatch)->Args({1, 0})->Args({1, 1})->ArgNames({"synthetic_1M", "warm"})
    ->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_ScreenLatency(benchmark::State& state) {
  Fixture& f = Get(state.range(0) != 0);
  std::vector<double> us;
  std::vector<ScreeningScratch> warmed(1);
  Batch(f, f.earlier, warmed);  // a running service's thread (see BM_ScreenBatch)
  ScreeningScratch& s = warmed[0];
  size_t i = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(f.screener->Screen(f.queries[i++ % f.queries.size()], &s));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  state.counters["max_us"] = us.back();
}
BENCHMARK(BM_ScreenLatency)->Arg(0)->ArgName("synthetic_1M")->Iterations(20000);
BENCHMARK(BM_ScreenLatency)->Arg(1)->ArgName("synthetic_1M")->Iterations(20000);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
