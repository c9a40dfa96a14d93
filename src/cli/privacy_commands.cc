// Data protection on the command line: the data keys of encryption at rest,
// retention runs and re-personalisation requests.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "store/keyring.h"

namespace vigil::cli {
namespace {

using nlohmann::json;

// Logs what a command-line user did, as the server logs its answers.
void Log(Store* store, const std::string& user, const std::string& action, const std::string& object,
         const std::string& purpose, const std::string& outcome) {
  store->Audit({0, "", Who(user).empty() ? "command line" : Who(user), action, object, purpose, "", "command line",
                outcome, "", ""});
}

}  // namespace

int KeysCommand(const Args& args) {
  const std::string usage =
      "usage: vigil keys status [--json] | vigil keys rotate | vigil keys reseal [--batch N] | vigil keys retire ID";
  if (args.empty()) return Fail("keys", usage);
  const std::string verb = args[0], command = "keys " + verb;
  Options o;
  int batch = 500;
  o.Number("--batch", &batch);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& rest = o.positional();
  const bool takes_id = verb == "retire";
  if (rest.size() != (takes_id ? 1u : 0u) || batch <= 0) return Fail("keys", usage);
  // Opening checks that the key file is this database's.
  auto store = OpenStore(command, o);
  if (!store) return 2;
  const std::string path = o.security().key_file;
  if (verb == "status") {
    auto ring = Keyring::Load(path);
    auto counts = store->SealedValues();
    if (!ring.ok() || !counts.ok()) return Fail(command, ring.ok() ? counts.error() : ring.error());
    if (o.json()) {
      json keys = json::array();
      for (uint32_t id : ring->key_ids()) keys.push_back({{"id", id}, {"values", (*counts)[id]}});
      std::cout << dump_line({{"current", ring->current()}, {"keys", keys}, {"unsealed", (*counts)[0]}}) << '\n';
      return 0;
    }
    std::printf("data key file %s: current key %u\n", path.c_str(), ring->current());
    for (uint32_t id : ring->key_ids())
      std::printf("  key %u: %lld sealed values\n", id, static_cast<long long>((*counts)[id]));
    if ((*counts)[0]) std::printf("  not sealed: %lld values\n", static_cast<long long>((*counts)[0]));
    return 0;
  }
  if (verb == "rotate") {
    auto id = Keyring::Rotate(path);
    if (!id.ok()) return Fail(command, id.error());
    Log(store.get(), "", "rotate data key", "key:" + std::to_string(*id), "", "ok");
    std::printf("data key %u is current; new values are sealed with it. Run `vigil keys reseal` to seal older "
                "values again, then `vigil keys retire` the old key.\n",
                *id);
    return 0;
  }
  if (verb == "reseal") {
    int64_t total = 0;
    for (;;) {
      auto n = store->Reseal(batch);
      if (!n.ok()) return Fail(command, n.error());
      if (*n == 0) break;
      total += *n;
    }
    Log(store.get(), "", "reseal data", "values:" + std::to_string(total), "", "ok");
    std::printf("%lld values sealed again under the current key\n", static_cast<long long>(total));
    return 0;
  }
  if (verb == "retire") {
    char* end = nullptr;
    const unsigned long id = std::strtoul(rest[0].c_str(), &end, 10);
    if (!end || *end || id == 0) return Fail(command, "bad key id " + rest[0]);
    auto counts = store->SealedValues();
    if (!counts.ok()) return Fail(command, counts.error());
    if (const int64_t left = (*counts)[static_cast<uint32_t>(id)])
      return Fail(command, std::to_string(left) + " values are still sealed with key " + rest[0] +
                               " (run `vigil keys reseal` first)");
    if (auto s = Keyring::Retire(path, static_cast<uint32_t>(id)); !s.ok()) return Fail(command, s.message());
    Log(store.get(), "", "retire data key", "key:" + rest[0], "", "ok");
    std::printf("data key %lu retired\n", id);
    return 0;
  }
  return Fail("keys", usage);
}

}  // namespace vigil::cli
