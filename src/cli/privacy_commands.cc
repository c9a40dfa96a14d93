// Data protection on the command line: the data keys of encryption at rest,
// retention runs and re-personalisation requests.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/json.h"
#include "auth/auth.h"
#include "privacy/audit_trail.h"
#include "privacy/retention.h"
#include "store/keyring.h"

namespace vigil::cli {
namespace {

using nlohmann::json;

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
    LogAccess(store.get(), "", "rotate data key", "key:" + std::to_string(*id), "", "ok");
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
    LogAccess(store.get(), "", "reseal data", "values:" + std::to_string(total), "", "ok");
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
    LogAccess(store.get(), "", "retire data key", "key:" + rest[0], "", "ok");
    std::printf("data key %lu retired\n", id);
    return 0;
  }
  return Fail("keys", usage);
}

int RetentionCommand(const Args& args) {
  const std::string usage = "usage: vigil retention run|show [--retention FILE] [--now TIME] [--json]";
  if (args.empty()) return Fail("retention", usage);
  const std::string verb = args[0], command = "retention " + verb;
  Options o;
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  if (!o.positional().empty() || (verb != "run" && verb != "show")) return Fail("retention", usage);
  auto policy = o.retention();
  if (!policy.ok()) return Fail(command, policy.error());
  auto store = OpenStore(command, o);
  if (!store) return 2;
  if (verb == "show") {
    std::cout << retention_policy_json(*policy) << '\n';
    return 0;
  }
  auto done = run_retention(store.get(), *policy, *o.clock());
  if (!done.ok()) return Fail(command, done.error() + " (what was done so far stays done; run again to go on)", 1);
  const RetentionCounts& c = *done;
  // The access log, as far as a checkpoint signed with this installation's
  // key (none yet: nothing to prune to).
  int64_t audit_pruned = 0;
  if (std::filesystem::exists(o.audit_key_path())) {
    auto key = AuditSigner::LoadOrCreate(o.audit_key_path());
    if (!key.ok()) return Fail(command, key.error());
    auto pruned = prune_audit_trail(store.get(), *key, *o.clock(), policy->audit_keep_days);
    if (!pruned.ok()) return Fail(command, pruned.error(), 1);
    audit_pruned = *pruned;
  }
  if (o.json()) {
    json out = retention_counts_json(c);
    out["audit_entries_deleted"] = audit_pruned;
    std::cout << dump_line(out) << '\n';
    return 0;
  }
  std::printf("retention (%s) as at %s:\n", policy->regime.c_str(), format_utc(o.clock()->now()).c_str());
  std::printf("  PNR versions depersonalised %lld, deleted %lld\n", static_cast<long long>(c.pnr_versions_depersonalised),
              static_cast<long long>(c.pnr_versions_deleted));
  std::printf("  API travellers deleted %lld\n", static_cast<long long>(c.api_travellers_deleted));
  std::printf("  raw messages depersonalised %lld, deleted %lld\n", static_cast<long long>(c.raw_messages_depersonalised),
              static_cast<long long>(c.raw_messages_deleted));
  std::printf("  alerts deleted %lld; quarantined messages deleted %lld\n", static_cast<long long>(c.alerts_deleted),
              static_cast<long long>(c.quarantined_deleted));
  std::printf("  access log entries deleted %lld\n", static_cast<long long>(audit_pruned));
  return 0;
}

int RepersonaliseCommand(const Args& args) {
  const std::string usage =
      "usage: vigil repersonalise request TRAVELLER_ID --case REF --grounds TEXT [--user NAME] | "
      "vigil repersonalise approve|refuse ID [--note TEXT] [--user NAME] | vigil repersonalise list [--status S] [--json]";
  if (args.empty()) return Fail("repersonalise", usage);
  const std::string verb = args[0], command = "repersonalise " + verb;
  Options o;
  std::string case_ref, grounds, note, user, status;
  o.Value("--case", &case_ref).Value("--grounds", &grounds).Value("--note", &note).Value("--user", &user)
      .Value("--status", &status);
  if (!o.Parse(Args(args.begin() + 1, args.end()), command.c_str())) return 2;
  const auto& rest = o.positional();
  auto policy = o.retention();
  if (!policy.ok()) return Fail(command, policy.error());
  auto store = OpenStore(command, o);
  if (!store) return 2;
  const std::string who = Who(user);
  auto print = [&](const Repersonalisation& r) {
    std::printf("#%lld traveller pnr:%lld case %s: %s (requested by %s at %s%s%s)\n", static_cast<long long>(r.id),
                static_cast<long long>(r.traveller_id), r.case_ref.c_str(), r.status.c_str(), r.requested_by.c_str(),
                r.requested_at.c_str(), r.decided_by.empty() ? "" : (", decided by " + r.decided_by).c_str(),
                r.expires_at.empty() ? "" : (", until " + r.expires_at).c_str());
  };
  if (verb == "list") {
    if (!rest.empty()) return Fail("repersonalise", usage);
    auto all = store->Repersonalisations(status);
    if (!all.ok()) return Fail(command, all.error());
    LogAccess(store.get(), user, "read repersonalisations", "repersonalisations", "", "ok");
    for (const auto& r : *all) print(r);
    return 0;
  }
  const int64_t id = SingleId(rest);
  if (!id) return Fail("repersonalise", usage);
  if (who.empty()) return Fail(command, "who is acting? give --user");
  if (verb == "request") {
    auto r = store->RequestRepersonalisation(id, case_ref, grounds, who);
    LogAccess(store.get(), user, "request repersonalisation", "traveller:pnr:" + std::to_string(id), case_ref,
        r.ok() ? "ok" : "failed");
    if (!r.ok()) return Fail(command, r.error());
    print(*r);
    std::puts("the data-protection officer sees it in `vigil report dpo`; an approver decides it");
    return 0;
  }
  if (verb == "approve" || verb == "refuse") {
    // Decided by a person holding the approver role, never the requester.
    auto account = store->FindUser(who);
    if (!account.ok()) return Fail(command, account.error());
    if (!*account || (*account)->disabled || !roles_allow((*account)->roles, Permission::kApproveRepersonalisation)) {
      LogAccess(store.get(), user, verb + " repersonalisation", "repersonalisation:" + std::to_string(id), "", "denied");
      return Fail(command, who + " does not hold the approver role", 1);
    }
    const std::string expires =
        format_utc(o.clock()->now() + int64_t{policy->repersonalisation_grant_hours} * 3600);
    auto r = store->DecideRepersonalisation(id, verb == "approve", who, note, expires);
    LogAccess(store.get(), user, verb + " repersonalisation", "repersonalisation:" + std::to_string(id), "",
        r.ok() ? "ok" : "failed");
    if (!r.ok()) return Fail(command, r.error());
    print(*r);
    return 0;
  }
  return Fail("repersonalise", usage);
}

}  // namespace vigil::cli
