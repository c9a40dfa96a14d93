// Content hashes and keyed hashes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// `n` bytes at `p` as 2n lowercase hex digits.
std::string to_hex(const unsigned char* p, size_t n);

// Standard base64 (RFC 4648, with padding).
std::string base64_encode(std::string_view bytes);
// The bytes of standard base64 `text`; nothing when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

// SHA-256 of `data`, as 64 lowercase hex digits. Identifies raw messages.
std::string sha256_hex(std::string_view data);

// A secret key for keyed hashes of sensitive values (card numbers). Never
// written to logs or to the repository.
class HashKey {
 public:
  static constexpr size_t kSize = 32;
  // A fresh random key.
  static HashKey Random();
  // Reads the key from `path`, creating the file (mode 0600) with a fresh
  // random key if it does not exist. Returns false with `error` set when the
  // file exists but is unreadable or of the wrong size.
  static bool LoadOrCreate(const std::string& path, HashKey* key, std::string* error);
  // A fixed key for tests and benchmarks only.
  static HashKey ForTesting();

  // Keyed BLAKE2b-256 of `data`, as 64 lowercase hex digits: equal inputs give
  // equal outputs under the same key, and nothing about the input can be
  // learnt without the key.
  std::string keyed_hex(std::string_view data) const;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace vigil
