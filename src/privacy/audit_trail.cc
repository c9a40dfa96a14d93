#include "privacy/audit_trail.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/hash.h"

namespace vigil {
Result<AuditSigner> AuditSigner::LoadOrCreate(const std::string& path) {
  auto key = SigningKey::LoadOrCreate(path);
  if (!key.ok()) return Status::Error("audit key: " + key.error());
  return AuditSigner(std::move(*key));
}

AuditCheckpoint AuditSigner::Sign(int64_t entry_id, const std::string& entry_hash, const std::string& signed_at) const {
  AuditCheckpoint c;
  c.entry_id = entry_id;
  c.entry_hash = entry_hash;
  c.signed_at = signed_at;
  c.signature = key_.Sign(audit_checkpoint_message(c));
  return c;
}

bool AuditSigner::Verify(const AuditCheckpoint& c) const { return key_.Verify(audit_checkpoint_message(c), c.signature); }

AuditVerdict verify_audit_trail(const std::vector<AuditEntry>& chain, const std::vector<AuditCheckpoint>& checkpoints,
                                const AuditSigner& key, const std::string& pruned_before) {
  AuditVerdict v;
  v.entries = static_cast<int64_t>(chain.size());
  std::map<int64_t, const AuditEntry*> by_id;
  int64_t expected_id = 1;
  std::string expected_prev;
  // A pruned start: the chain goes on from a signed checkpoint old enough
  // for its entries to have been due for deletion.
  const AuditCheckpoint* anchor = nullptr;
  if (!chain.empty() && chain.front().id > 1 && !pruned_before.empty())
    for (const AuditCheckpoint& c : checkpoints)
      if (c.entry_id == chain.front().id - 1 && c.entry_hash == chain.front().prev_hash && c.signed_at < pruned_before &&
          key.Verify(c))
        anchor = &c;
  if (anchor) {
    expected_id = anchor->entry_id + 1;
    expected_prev = anchor->entry_hash;
  }
  for (const AuditEntry& e : chain) {
    by_id[e.id] = &e;
    if (e.id > expected_id)
      v.problems.push_back({expected_id, e.id - expected_id == 1
                                             ? "entry " + std::to_string(expected_id) + " is missing: it was deleted"
                                             : "entries " + std::to_string(expected_id) + " to " +
                                                   std::to_string(e.id - 1) + " are missing: they were deleted"});
    if (e.prev_hash != expected_prev)
      v.problems.push_back({e.id, "entry " + std::to_string(e.id) +
                                      " does not follow the entry before it: an entry was deleted, inserted or moved here"});
    if (audit_entry_hash(e, e.prev_hash) != e.hash)
      v.problems.push_back({e.id, "entry " + std::to_string(e.id) + " does not match its hash: it was edited"});
    expected_id = e.id + 1;
    expected_prev = e.hash;
  }
  for (const AuditCheckpoint& c : checkpoints) {
    ++v.checkpoints;
    if (&c == anchor) {
      v.last_checkpoint_entry = std::max(v.last_checkpoint_entry, c.entry_id);
      continue;
    }
    if (!key.Verify(c)) {
      v.problems.push_back({c.entry_id, "checkpoint " + std::to_string(c.id) +
                                            " is not signed by this installation's audit key: forged or altered"});
      continue;
    }
    auto it = by_id.find(c.entry_id);
    if (it == by_id.end())
      v.problems.push_back({c.entry_id, "checkpoint " + std::to_string(c.id) + " (signed " + c.signed_at +
                                            ") covers entry " + std::to_string(c.entry_id) +
                                            ", which is gone: entries were deleted"});
    else if (it->second->hash != c.entry_hash)
      v.problems.push_back({c.entry_id, "entry " + std::to_string(c.entry_id) + " is not what checkpoint " +
                                            std::to_string(c.id) + " signed: the trail was rewritten up to it"});
    else
      v.last_checkpoint_entry = std::max(v.last_checkpoint_entry, c.entry_id);
  }
  std::stable_sort(v.problems.begin(), v.problems.end(),
                   [](const AuditProblem& a, const AuditProblem& b) { return a.entry_id < b.entry_id; });
  return v;
}

Status checkpoint_audit_trail(Store* store, const AuditSigner& key, const Clock& clock) {
  auto last = store->AuditEntries(1);
  if (!last.ok()) return last.status();
  if (last->empty()) return Status::Ok();
  auto existing = store->AuditCheckpoints();
  if (!existing.ok()) return existing.status();
  if (!existing->empty() && existing->back().entry_id == last->front().id) return Status::Ok();
  return store->AddAuditCheckpoint(key.Sign(last->front().id, last->front().hash, format_utc(clock.now())));
}

Result<int64_t> prune_audit_trail(Store* store, const AuditSigner& key, const Clock& clock, int keep_days) {
  const std::string cutoff = format_utc(clock.now() - int64_t{keep_days} * 86400);
  auto checkpoints = store->AuditCheckpoints();
  if (!checkpoints.ok()) return checkpoints.status();
  int64_t through = 0;
  for (const AuditCheckpoint& c : *checkpoints)
    if (c.signed_at < cutoff && c.entry_id > through && key.Verify(c)) through = c.entry_id;
  if (through == 0) return int64_t{0};
  auto deleted = store->PruneAuditLog(through);
  if (!deleted.ok()) return deleted.status();
  if (*deleted > 0) {
    if (auto s = store->Audit({0, format_utc(clock.now()), "retention", "erase",
                               "access log through entry " + std::to_string(through), "audit retention", "", "", "ok",
                               "", ""});
        !s.ok())
      return s;
  }
  return deleted;
}

}  // namespace vigil
