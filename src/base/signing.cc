#include "base/signing.h"

#include <sodium.h>

#include "base/file.h"
#include "base/hash.h"

namespace vigil {
namespace {

bool unhex(const std::string& text, unsigned char* out, size_t n) {
  if (text.size() != 2 * n) return false;
  size_t got = 0;
  return sodium_hex2bin(out, n, text.data(), text.size(), nullptr, &got, nullptr) == 0 && got == n;
}

}  // namespace

Result<SigningKey> SigningKey::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) return Status::Error("libsodium could not start");
  SigningKey k;
  crypto_sign_keypair(k.public_.data(), k.secret_.data());
  auto secret = read_or_create_secret(path, std::string(k.secret_.begin(), k.secret_.end()));
  if (!secret.ok()) return Status::Error("signing " + secret.error());
  std::copy(secret->begin(), secret->end(), k.secret_.begin());
  crypto_sign_ed25519_sk_to_pk(k.public_.data(), k.secret_.data());
  return k;
}

std::string SigningKey::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return to_hex(sig, sizeof sig);
}

bool SigningKey::Verify(std::string_view message, const std::string& signature_hex) const {
  return Verify(public_key_hex(), message, signature_hex);
}

bool SigningKey::Verify(const std::string& public_key_hex, std::string_view message, const std::string& signature_hex) {
  if (sodium_init() < 0) return false;
  unsigned char sig[crypto_sign_BYTES], pub[crypto_sign_PUBLICKEYBYTES];
  if (!unhex(signature_hex, sig, sizeof sig) || !unhex(public_key_hex, pub, sizeof pub)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()), message.size(), pub) == 0;
}

std::string SigningKey::public_key_hex() const { return to_hex(public_.data(), public_.size()); }

}  // namespace vigil
