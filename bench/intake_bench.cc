// Intake speed: EDIFACT tokenizer throughput, travellers parsed per second,
// and travellers stored per second end to end into SQLite. Each figure has a
// baseline measured in the same run:
//   - tokenizer vs. a memchr scan for segment terminators (the floor any
//     tokenizer must at least pay);
//   - end-to-end ingest vs. bare SQLite inserts of one row per traveller.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "bench_support.h"
#include "formats/detect.h"
#include "formats/edifact/tokenizer.h"
#include "intake/ingest.h"
#include "synth/generator.h"

namespace vigil {
namespace {

constexpr int kTravellersPerManifest = 250;
constexpr int kPnrsPerPush = 150;

const std::vector<std::string>& Manifests() {
  static const std::vector<std::string> m = [] {
    TrafficGenerator gen(7);
    std::vector<std::string> out;
    for (int i = 0; i < 64; ++i) out.push_back(gen.Paxlst(100 + i, kTravellersPerManifest));
    return out;
  }();
  return m;
}

const std::vector<std::string>& Pushes() {
  static const std::vector<std::string> p = [] {
    TrafficGenerator gen(8);
    std::vector<std::string> out;
    for (int i = 0; i < 32; ++i) out.push_back(gen.Pnrgov(100 + i, kPnrsPerPush, 1));
    return out;
  }();
  return p;
}

// Every generated message: about 10 MB of EDIFACT in 96 interchanges.
const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> c = [] {
    std::vector<std::string> all = Manifests();
    all.insert(all.end(), Pushes().begin(), Pushes().end());
    return all;
  }();
  return c;
}

size_t CorpusBytes() {
  size_t n = 0;
  for (const auto& m : Corpus()) n += m.size();
  return n;
}

std::string TempDb(const char* name) {
  const auto path = std::filesystem::path(bench::TempFolder("vigil-bench")) / name;
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path.string() + suffix);
  return path.string();
}

void BM_Baseline_MemchrSegments(benchmark::State& state) {
  for (auto _ : state) {
    size_t n = 0;
    for (const auto& c : Corpus()) {
      const char* p = c.data();
      const char* end = p + c.size();
      while ((p = static_cast<const char*>(std::memchr(p, '\'', end - p)))) {
        ++n;
        ++p;
      }
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
}
BENCHMARK(BM_Baseline_MemchrSegments);

void BM_Tokenizer(benchmark::State& state) {
  size_t segments = 0;
  edifact::Segment seg;
  for (auto _ : state) {
    segments = 0;
    size_t components = 0;
    for (const auto& c : Corpus()) {
      Diagnostics d;
      edifact::Tokenizer tk(c, "bench", &d);
      while (tk.Next(&seg)) {
        ++segments;
        for (size_t e = 0; e < seg.element_count(); ++e) components += seg.component_count(e);
      }
      if (d.has_errors()) state.SkipWithError("tokenizer error");
    }
    benchmark::DoNotOptimize(components);
  }
  state.SetBytesProcessed(state.iterations() * CorpusBytes());
  state.counters["segments"] = static_cast<double>(segments);
}
BENCHMARK(BM_Tokenizer);

template <bool kPaxlst>
void BM_Parse(benchmark::State& state) {
  const auto& inputs = kPaxlst ? Manifests() : Pushes();
  const HashKey key = HashKey::ForTesting();
  ParseOptions o;
  o.card_key = &key;
  size_t travellers = 0, bytes = 0;
  for (auto _ : state) {
    for (const auto& in : inputs) {
      ParsedInput p = parse_input(in, o);
      travellers += p.traveller_count();
      bytes += in.size();
      if (!p.accepted()) state.SkipWithError("generated message rejected");
    }
  }
  state.counters["travellers/s"] =
      benchmark::Counter(static_cast<double>(travellers), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes);
}
BENCHMARK_TEMPLATE(BM_Parse, true)->Name("BM_ParsePaxlst")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Parse, false)->Name("BM_ParsePnrgov")->Unit(benchmark::kMillisecond);

// Baseline: one prepared INSERT per traveller (a name and a JSON blob of the
// same size as Vigil stores), one transaction per message, same pragmas.
void BM_Baseline_SqliteInsert(benchmark::State& state) {
  const std::string path = TempDb("baseline.db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE t(id INTEGER PRIMARY KEY, flight INTEGER, surname TEXT, data TEXT);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(flight, surname, data) VALUES (?1, ?2, ?3)", -1, &st,
                     nullptr);
  const std::string blob(420, 'x');
  size_t rows = 0;
  int flight = 0;
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int i = 0; i < kTravellersPerManifest; ++i) {
      sqlite3_bind_int(st, 1, flight);
      sqlite3_bind_text(st, 2, "SURNAME", -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
      sqlite3_step(st);
      sqlite3_reset(st);
      ++rows;
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++flight;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  state.counters["travellers/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Baseline_SqliteInsert)->Unit(benchmark::kMillisecond);

// End to end: parse, archive raw, store every traveller, link API and PNR
// (one transaction per message), on a file-backed SQLite store in WAL mode;
// personal fields and raw messages sealed (encrypted:1, as in service) or
// written plain (encrypted:0, the baseline).
void BM_IngestEndToEnd(benchmark::State& state) {
  const bool encrypted = state.range(0) != 0;
  const std::string path = TempDb(encrypted ? "ingest-sealed.db" : "ingest-plain.db");
  StoreSecurity security;
  security.plaintext = !encrypted;
  auto store = OpenSqliteStore(path, nullptr, security);
  if (!store.ok()) {
    state.SkipWithError(store.error().c_str());
    return;
  }
  const HashKey key = HashKey::ForTesting();
  IngestOptions o;
  o.card_key = &key;
  Ingestor ingestor(store->get(), o);
  TrafficGenerator gen(9);
  // Distinct messages each round (the same bytes would be duplicates).
  std::vector<std::string> inputs;
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    inputs.clear();
    for (int i = 0; i < 4; ++i) inputs.push_back(gen.Paxlst(round * 10 + i, kTravellersPerManifest));
    inputs.push_back(gen.Pnrgov(round * 10, kPnrsPerPush, round));
    ++round;
    state.ResumeTiming();
    for (const auto& in : inputs) {
      auto r = ingestor.Ingest(in, "bench");
      if (!r.ok() || !r->accepted) state.SkipWithError("ingest failed");
    }
  }
  state.counters["travellers/s"] = benchmark::Counter(
      static_cast<double>(ingestor.summary().travellers), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestEndToEnd)->Arg(0)->Arg(1)->ArgName("encrypted")->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
