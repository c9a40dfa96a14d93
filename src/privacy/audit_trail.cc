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
namespace {

bool unhex(const std::string& text, unsigned char* out, size_t n) {
  if (text.size() != 2 * n) return false;
  size_t got = 0;
  return sodium_hex2bin(out, n, text.data(), text.size(), nullptr, &got, nullptr) == 0 && got == n;
}

}  // namespace

Result<AuditSigner> AuditSigner::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) return Status::Error("libsodium could not start");
  AuditSigner s;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() != s.secret_.size())
      return Status::Error("audit key file " + path + " has " + std::to_string(bytes.size()) + " bytes, expected 64");
    std::copy(bytes.begin(), bytes.end(), s.secret_.begin());
    crypto_sign_ed25519_sk_to_pk(s.public_.data(), s.secret_.data());
    return s;
  }
  crypto_sign_keypair(s.public_.data(), s.secret_.data());
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const mode_t old = umask(077);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  umask(old);
  if (!f) return Status::Error("cannot create audit key file " + path);
  const bool ok = std::fwrite(s.secret_.data(), 1, s.secret_.size(), f) == s.secret_.size();
  if (std::fclose(f) != 0 || !ok) return Status::Error("cannot write audit key file " + path);
  return s;
}

AuditCheckpoint AuditSigner::Sign(int64_t entry_id, const std::string& entry_hash, const std::string& signed_at) const {
  AuditCheckpoint c;
  c.entry_id = entry_id;
  c.entry_hash = entry_hash;
  c.signed_at = signed_at;
  const std::string message = audit_checkpoint_message(c);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  c.signature = to_hex(sig, sizeof sig);
  return c;
}

bool AuditSigner::Verify(const AuditCheckpoint& c) const {
  unsigned char sig[crypto_sign_BYTES];
  if (!unhex(c.signature, sig, sizeof sig)) return false;
  const std::string message = audit_checkpoint_message(c);
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     public_.data()) == 0;
}

std::string AuditSigner::public_key_hex() const { return to_hex(public_.data(), public_.size()); }

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
