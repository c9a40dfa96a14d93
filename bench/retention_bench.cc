// Retention speed: a store of synthetic traffic (API manifests and PNR
// pushes) aged past each period, and one run applying the policy, in
// records per second. The baseline, in the same run on a copy of the same
// store, is a bare SQL pass over the same PNR versions (read each one's
// data, write it back): the floor any depersonalisation must pay.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "base/hash.h"
#include "bench_support.h"
#include "intake/ingest.h"
#include "privacy/retention.h"
#include "synth/generator.h"

namespace vigil {
namespace {

constexpr int64_t kStart = 1795000000;  // 2026-11-18
constexpr int kFlights = 40, kTravellers = 250, kPnrs = 150;

std::string Dir() { return bench::TempFolder("vigil-retention-bench"); }

// A store of kFlights flights: one manifest and one push each.
std::string Populated() {
  static const std::string path = [] {
    const std::string p = Dir() + "/aged.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);
    auto store = OpenSqliteStore(p, FixedClock(kStart));
    if (!store.ok()) return std::string();
    const HashKey key = HashKey::ForTesting();
    IngestOptions o;
    o.card_key = &key;
    Ingestor ingestor(store->get(), o);
    TrafficGenerator gen(11);
    for (int f = 0; f < kFlights; ++f) {
      ingestor.Ingest(gen.Paxlst(f, kTravellers), "bench");
      ingestor.Ingest(gen.Pnrgov(f, kPnrs, 1), "bench");
    }
    return p;
  }();
  return path;
}

// A fresh copy of the populated store (and its key file).
std::string Copy(const std::string& name) {
  const std::string from = Populated(), to = Dir() + "/" + name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(to + suffix);
  std::filesystem::copy_file(from, to);
  return to;
}

void BM_Baseline_ReadWriteEveryVersion(benchmark::State& state) {
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = Copy("baseline.db");
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    state.ResumeTiming();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* read = nullptr;
    sqlite3_stmt* write = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, data FROM pnr_versions", -1, &read, nullptr);
    sqlite3_prepare_v2(db, "UPDATE pnr_versions SET data = ?2, masked_at = 'x' WHERE id = ?1", -1, &write, nullptr);
    while (sqlite3_step(read) == SQLITE_ROW) {
      sqlite3_bind_int64(write, 1, sqlite3_column_int64(read, 0));
      sqlite3_bind_blob(write, 2, sqlite3_column_blob(read, 1), sqlite3_column_bytes(read, 1), SQLITE_TRANSIENT);
      sqlite3_step(write);
      sqlite3_reset(write);
      ++rows;
    }
    sqlite3_finalize(read);
    sqlite3_finalize(write);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  state.counters["pnr_versions/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Baseline_ReadWriteEveryVersion)->Unit(benchmark::kMillisecond)->Iterations(3);

// One retention run at `age` days after intake: 7 = API data due (a day
// after arrival), 200 = PNR data depersonalised too, 2000 = everything
// deleted. "records" counts API travellers, PNR versions and messages.
void BM_RetentionRun(benchmark::State& state) {
  const int64_t age = state.range(0);
  RetentionCounts total;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = Copy("run.db");
    auto store = OpenSqliteStore(path, FixedClock(kStart));
    if (!store.ok()) {
      state.SkipWithError(store.error().c_str());
      return;
    }
    auto clock = FixedClock(kStart + age * 86400);
    state.ResumeTiming();
    auto done = run_retention(store->get(), RetentionPolicy{}, *clock);
    if (!done.ok()) {
      state.SkipWithError(done.error().c_str());
      return;
    }
    total.api_travellers_deleted += done->api_travellers_deleted;
    total.pnr_versions_depersonalised += done->pnr_versions_depersonalised;
    total.raw_messages_deleted += done->raw_messages_deleted;
    total.pnr_versions_deleted += done->pnr_versions_deleted;
  }
  const double records = static_cast<double>(total.api_travellers_deleted + total.pnr_versions_depersonalised +
                                              total.pnr_versions_deleted + total.raw_messages_deleted);
  state.counters["records/s"] = benchmark::Counter(records, benchmark::Counter::kIsRate);
  const double runs = static_cast<double>(state.iterations());
  state.counters["api_deleted"] = static_cast<double>(total.api_travellers_deleted) / runs;
  state.counters["versions_masked"] = static_cast<double>(total.pnr_versions_depersonalised) / runs;
  state.counters["messages_deleted"] = static_cast<double>(total.raw_messages_deleted) / runs;
}
BENCHMARK(BM_RetentionRun)->Arg(7)->Arg(200)->Arg(2000)->ArgName("age_days")->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
