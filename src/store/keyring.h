// Encryption at rest: the data keys of a store, kept in a key file outside
// the database.
//
// Promises:
//  - Seal() encrypts with XChaCha20-Poly1305 (libsodium) under the current
//    key, with a fresh random nonce, bound to `context` (the table and
//    column): a value sealed for one column does not open for another, and
//    any change to the stored bytes makes Open() fail.
//  - Open() names the key it needs when that key is not in the file, and
//    never returns unauthenticated bytes.
//  - Hash() is a keyed BLAKE2b hash, for equality lookups (document
//    numbers, record locators, name keys): equal values hash equally under
//    one key file; nothing about the value can be learnt without the key.
//    The hash key never rotates, so lookups keep working across rotations.
//  - Rotation adds a key and makes it current; older keys stay to open what
//    they sealed until that has been sealed again, and only then may they
//    be retired. The file is replaced atomically (mode 0600).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil {

class Keyring {
 public:
  static constexpr size_t kKeySize = 32;
  // Bytes a sealed value adds to its plaintext: marker, key id, nonce, tag.
  static constexpr size_t kOverhead = 3 + 4 + 24 + 16;

  // Reads the key file at `path`; an error naming the file when it is
  // missing, unreadable or malformed.
  static Result<Keyring> Load(const std::string& path);
  // Creates the key file at `path` (mode 0600, its folder when missing)
  // with a fresh hash key and data key 1; an error when it exists.
  static Result<Keyring> Create(const std::string& path);

  // Adds a fresh data key to the file at `path` and makes it current.
  // Returns the new key's id.
  static Result<uint32_t> Rotate(const std::string& path);
  // Removes data key `id` from the file at `path`; the current key cannot
  // be retired.
  static Status Retire(const std::string& path, uint32_t id);

  // `plain` sealed under the current key for `context`.
  std::string Seal(std::string_view plain, std::string_view context) const;
  // The plaintext of `sealed`; an error when the key is unknown or the
  // bytes were altered or sealed for another context.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;
  // Keyed hash of `value` for `context`, 32 hex digits; empty for empty.
  std::string Hash(std::string_view value, std::string_view context) const;

  // Whether `bytes` look like a sealed value (they start with the marker).
  static bool IsSealed(std::string_view bytes);
  // The id of the key that sealed `sealed` (0 when it is not sealed).
  static uint32_t KeyOf(std::string_view sealed);

  uint32_t current() const { return keys_.back().id; }
  std::vector<uint32_t> key_ids() const;
  // A value that identifies the hash key without revealing it: stored with
  // the database so that a wrong key file is refused at start.
  std::string Fingerprint() const;

 private:
  struct Key {
    uint32_t id = 0;
    std::array<unsigned char, kKeySize> bytes{};
  };
  static Result<Keyring> Parse(const std::string& text, const std::string& path);
  std::string Serialise() const;
  static Status Write(const std::string& path, const std::string& text, bool create);

  std::array<unsigned char, kKeySize> hash_key_{};
  std::vector<Key> keys_;  // by id; the last is current
};

}  // namespace vigil
