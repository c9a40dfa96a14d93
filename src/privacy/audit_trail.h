// The tamper-evident audit trail: the access log's hash chain (each entry's
// hash covers the one before it, see audit_entry_hash) and checkpoints
// signed with an Ed25519 key kept in a file outside the database.
//
// verify_audit_trail() finds any entry edited, deleted, inserted or moved,
// and says where; entries deleted from the end, or a chain rewritten from
// some entry on, are found against the last signed checkpoint that covers
// them. So checkpoints are signed often: by `vigil audit checkpoint`, and
// when `vigil serve` starts and stops.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/signing.h"
#include "base/status.h"
#include "store/store.h"

namespace vigil {

class AuditSigner {
 public:
  // Reads the key from `path`, creating it (mode 0600, and its folder) when
  // missing. An existing file of the wrong size is an error, never
  // replaced.
  static Result<AuditSigner> LoadOrCreate(const std::string& path);

  // A checkpoint of the chain ending with `entry_id` of hash `entry_hash`.
  AuditCheckpoint Sign(int64_t entry_id, const std::string& entry_hash, const std::string& signed_at) const;
  // True when `c` was signed with this key and not altered since.
  bool Verify(const AuditCheckpoint& c) const;
  std::string public_key_hex() const { return key_.public_key_hex(); }

 private:
  explicit AuditSigner(SigningKey key) : key_(std::move(key)) {}
  SigningKey key_;
};

struct AuditProblem {
  int64_t entry_id = 0;  // where the trail breaks
  std::string what;
};

struct AuditVerdict {
  int64_t entries = 0;
  int64_t checkpoints = 0;
  int64_t last_checkpoint_entry = 0;  // the last entry a valid checkpoint covers
  std::vector<AuditProblem> problems;  // in order along the trail
  bool ok() const { return problems.empty(); }
};

// Checks `chain` (oldest first, as Store::AuditChain gives it) and
// `checkpoints` against `key`. A chain whose start was pruned verifies from
// the signed checkpoint of the last pruned entry, when that checkpoint was
// signed before `pruned_before` (the retention cutoff; empty: no pruning is
// lawful, so a missing start is a deletion).
AuditVerdict verify_audit_trail(const std::vector<AuditEntry>& chain, const std::vector<AuditCheckpoint>& checkpoints,
                                const AuditSigner& key, const std::string& pruned_before = "");

// Deletes the access log's entries older than `keep_days` as far as the
// latest checkpoint signed before that cutoff (so the rest still verifies),
// and logs the erasure. Returns how many entries went.
Result<int64_t> prune_audit_trail(Store* store, const AuditSigner& key, const Clock& clock, int keep_days);

// Signs and stores a checkpoint of the trail's last entry (nothing when the
// trail is empty or its end is already signed).
Status checkpoint_audit_trail(Store* store, const AuditSigner& key, const Clock& clock);

}  // namespace vigil
