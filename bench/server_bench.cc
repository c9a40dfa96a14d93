// Load on the HTTP API over loopback, on this machine's cores (server and
// load generator share them):
//   1. a burst of 1,000 carrier pushes (generated PAXLST messages) from 8
//      concurrent clients: every one must be answered 200 and stored;
//   2. frontline checks (POST /api/v1/check with a device token) for
//      SECONDS (default 60) driven by wrk (Debian package `wrk`) over 4
//      connections, against the real lists: requests/s and latency
//      percentiles as wrk reports them; then 16 connections to saturation.
//      Baseline in the same run: GET /healthz, which does no work.
// Usage: vigil_server_bench [SECONDS]
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/auth.h"
#include "intake/ingest.h"
#include "screening_data.h"
#include "server/server.h"
#include "store/store.h"
#include "synth/generator.h"

namespace vigil {
namespace {

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "server bench: %s\n", why.c_str());
  std::exit(1);
}

std::string Run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) Die("cannot run " + command);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

int Main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
  const std::string dir = (std::filesystem::temp_directory_path() / ("vigil-server-bench-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/bench.db";
  std::string check_token;
  {
    auto store = OpenSqliteStore(db);
    if (!store.ok()) Die(store.error());
    std::vector<WatchEntry> ofac, un;
    for (auto& e : RealLists()) (e.list == "ofac-sdn" ? ofac : un).push_back(std::move(e));
    bool unchanged = false;
    (*store)->StoreListVersion("ofac-sdn", "ofac", "bench", ofac, &unchanged);
    (*store)->StoreListVersion("un", "un", "bench", un, &unchanged);
    Authenticator auth(store->get(), SystemClock());
    check_token = *auth.CreateToken("gate", {"check"});
  }
  std::string push_token;
  {
    auto store = OpenSqliteStore(db);
    push_token = *Authenticator(store->get(), SystemClock()).CreateToken("carrier", {"push"});
  }
  ServerOptions so;
  so.db_path = db;
  so.port = 0;
  so.threads = 32;
  so.card_key_path = dir + "/card.key";
  auto server = ApiServer::Start(so);
  if (!server.ok()) Die(server.error());
  std::thread serving([&] { (*server)->Run(); });
  const int port = (*server)->port();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  // 1. Push burst.
  constexpr int kMessages = 1000, kClients = 8;
  std::vector<std::string> messages;
  TrafficGenerator gen(5);
  for (int i = 0; i < kMessages; ++i) messages.push_back(gen.Paxlst(5000 + i, 50));
  std::atomic<int> next{0}, ok{0}, failed{0};
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(60, 0);
      for (int i; (i = next++) < kMessages;) {
        auto r = client.Post("/api/v1/messages", {{"Authorization", "Bearer " + push_token}}, messages[static_cast<size_t>(i)],
                             "application/edifact");
        ++(r && r->status == 200 ? ok : failed);
      }
    });
  for (auto& t : clients) t.join();
  const double push_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int64_t stored = 0;
  {
    auto store = OpenSqliteStore(db);
    stored = (*store)->Counts()->raw_messages;
  }
  std::printf("push burst: %d messages (50 travellers each) from %d clients in %.2f s (%.0f messages/s); "
              "answered 200: %d, failed: %d, stored: %lld\n",
              kMessages, kClients, push_s, kMessages / push_s, ok.load(), failed.load(), static_cast<long long>(stored));

  // 2. Frontline checks with wrk.
  if (Run("command -v wrk").empty()) {
    std::puts("frontline check load: wrk is not installed (apt-get install wrk); skipped");
  } else {
    const std::string script = dir + "/check.lua";
    std::ofstream(script) << R"(
local names = {"OKONKWO", "SMITH", "AL-KHAYALI", "MUELLER", "GARCIA", "NGUYEN", "KIM", "HASSAN", "IVANOV", "ROSSI"}
local given = {"CHIDI", "JOHN", "YASIR", "ANNA", "MARIA", "WEI", "JIN", "OMAR", "IVAN", "LUCA"}
local i = 0
request = function()
  i = i + 1
  local body = string.format('{"surname":"%s","given_names":"%s","birth_date":"19%02d-0%d-1%d","nationality":"GBR"}',
    names[i % #names + 1], given[(i * 7) % #given + 1], 50 + i % 50, 1 + i % 9, i % 9)
  return wrk.format("POST", "/api/v1/check", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer )" + check_token + R"(", ["X-Purpose"] = "bench"}, body)
end
)";
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    auto wrk = [&](int connections, int duration, const std::string& target) {
      return Run("wrk -t2 -c" + std::to_string(connections) + " -d" + std::to_string(duration) + "s --latency " +
                 target + " 2>&1");
    };
    std::printf("baseline GET /healthz (wrk, 2 threads, 4 connections):\n%s\n",
                wrk(4, std::max(5, seconds / 6), base + "/healthz").c_str());
    std::printf("frontline check POST /api/v1/check for %d s (wrk, 2 threads, 4 connections):\n%s\n", seconds,
                wrk(4, seconds, "-s " + script + " " + base).c_str());
    std::printf("saturation: the same with 16 connections for %d s:\n%s\n", std::max(5, seconds / 6),
                wrk(16, std::max(5, seconds / 6), "-s " + script + " " + base).c_str());
  }
  (*server)->Stop();
  serving.join();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) { return vigil::Main(argc, argv); }
