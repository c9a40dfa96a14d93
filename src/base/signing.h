// Ed25519 signatures with a key kept in a file (libsodium): what signs the
// audit trail's checkpoints and the offline gallery packages.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vigil {

class SigningKey {
 public:
  // Reads the secret key from `path`, creating it (mode 0600, and its
  // folder) when missing. An existing file of the wrong size is an error,
  // never replaced.
  static Result<SigningKey> LoadOrCreate(const std::string& path);

  // The detached signature of `message`, hex.
  std::string Sign(std::string_view message) const;
  // True when `signature_hex` is this key's signature of `message`.
  bool Verify(std::string_view message, const std::string& signature_hex) const;
  std::string public_key_hex() const;
  // True when `signature_hex` signs `message` under the public key
  // `public_key_hex`.
  static bool Verify(const std::string& public_key_hex, std::string_view message, const std::string& signature_hex);

 private:
  std::array<unsigned char, 64> secret_{};
  std::array<unsigned char, 32> public_{};
};

}  // namespace vigil
