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

#include "base/file.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"
#include "names/similarity.h"
#include "screening/screener.h"
#include "synth/watchlist_generator.h"

namespace vigil {
namespace {

std::vector<WatchEntry> RealLists() {
  std::vector<WatchEntry> all;
  const std::string dir = std::string(VIGIL_SOURCE_DIR) + "/data/lists/";
  auto sdn = read_file(dir + "ofac-sdn/sdn.csv");
  auto alt = read_file(dir + "ofac-sdn/alt.csv");
  auto un = read_file(dir + "un/UN_consolidated.xml");
  if (!sdn.ok() || !alt.ok() || !un.ok()) return all;
  OfacFiles f;
  f.sdn = {*sdn, "sdn.csv"};
  f.alt = {*alt, "alt.csv"};
  for (auto& e : read_ofac_sdn(f, "ofac-sdn").entries) all.push_back(std::move(e));
  for (auto& e : read_un_consolidated(*un, "un.xml", "un").entries) all.push_back(std::move(e));
  return all;
}

// Name words as people carry them: the Latin spellings of person-name
// words observed in Wikidata (data/names/tokens.tsv, with their counts: a
// long tail and very common words such as "john" and "muhammad") and the
// words of the real lists, each source given half the weight. Particles
// ("al", "de") are left out: drawn alone they would make names no one has.
const NamePool& Pool() {
  static const NamePool pool = [] {
    std::vector<std::pair<std::string, double>> words;
    double observed = 0, listed = 0;
    auto tsv = read_file(std::string(VIGIL_SOURCE_DIR) + "/data/names/tokens.tsv");
    if (tsv.ok()) {
      std::string_view rest = *tsv;
      while (!rest.empty()) {
        const size_t eol = std::min(rest.find('\n'), rest.size());
        std::string_view line = rest.substr(0, eol);
        rest.remove_prefix(std::min(eol + 1, rest.size()));
        const size_t tab = line.find('\t');
        if (line.empty() || line[0] == '#' || tab == std::string_view::npos) continue;
        std::string_view list = line.substr(tab + 1);
        while (!list.empty()) {
          const size_t comma = std::min(list.find(','), list.size());
          const std::string_view item = list.substr(0, comma);
          list.remove_prefix(std::min(comma + 1, list.size()));
          const size_t colon = item.rfind(':');
          if (colon == std::string_view::npos) continue;
          const double count = std::atof(std::string(item.substr(colon + 1)).c_str());
          std::string word(item.substr(0, colon));
          if (is_name_particle(word) || word.size() < 2) continue;
          words.emplace_back(std::move(word), count);
          observed += count;
        }
      }
    }
    const size_t from_tables = words.size();
    for (const auto& e : RealLists())
      for (const auto& n : e.names) {
        const NormalizedName normalized = normalize_name(n.full);
        if (normalized.non_latin) continue;
        for (const auto& t : normalized.tokens)
          if (!t.particle && t.text.size() >= 2) words.emplace_back(t.text, 1.0), listed += 1;
      }
    for (size_t i = 0; i < words.size(); ++i) words[i].second /= i < from_tables ? observed : listed;
    return NamePool(words);
  }();
  return pool;
}

struct Fixture {
  std::unique_ptr<WatchIndex> index;
  std::unique_ptr<Screener> screener;
  std::vector<ScreeningQuery> queries;
  std::vector<std::string> names;  // every listed name, normalised, for the baseline
  double build_seconds = 0;
};

// 95 % travellers not on the list, 5 % variants of listed names.
std::vector<ScreeningQuery> MakeQueries(const std::vector<WatchEntry>& entries, size_t n) {
  WatchListGenerator gen(99, &Pool());
  std::vector<ScreeningQuery> out;
  for (size_t i = 0; i < n; ++i) {
    ScreeningQuery q;
    q.id = std::to_string(i);
    if (i % 20 == 0) {
      const WatchEntry& e = entries[(i * 7919) % entries.size()];
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
  f->queries = MakeQueries(entries, 20000);
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

// Screens the fixture's queries on every core; returns travellers/s.
double Batch(const Fixture& f, size_t count) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  std::atomic<size_t> matches{0};
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      ScreeningScratch s;
      size_t local = 0;
      for (size_t i = t; i < count; i += threads)
        local += f.screener->Screen(f.queries[i % f.queries.size()], &s).size();
      matches += local;
    });
  for (auto& th : pool) th.join();
  benchmark::DoNotOptimize(matches.load());
  return static_cast<double>(count) /
         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

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

void BM_ScreenBatch(benchmark::State& state) {
  Fixture& f = Get(state.range(0) != 0);
  double rate = 0;
  for (auto _ : state) rate = Batch(f, 20000);
  state.counters["travellers/s"] = rate;
  state.counters["entries"] = static_cast<double>(f.index->entry_count());
  state.counters["names"] = static_cast<double>(f.index->name_count());
  state.counters["index_build_s"] = f.build_seconds;
  state.counters["index_MB"] = static_cast<double>(f.index->MemoryBytes()) / 1e6;
  state.counters["MB_per_million_entries"] =
      static_cast<double>(f.index->MemoryBytes()) / 1e6 * 1e6 / static_cast<double>(f.index->entry_count());
}
BENCHMARK(BM_ScreenBatch)->Arg(0)->ArgName("synthetic_1M")->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_ScreenBatch)->Arg(1)->ArgName("synthetic_1M")->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_ScreenLatency(benchmark::State& state) {
  Fixture& f = Get(state.range(0) != 0);
  std::vector<double> us;
  ScreeningScratch s;
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
