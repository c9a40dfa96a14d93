#include "base/signing.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

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
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() != k.secret_.size())
      return Status::Error("signing key file " + path + " has " + std::to_string(bytes.size()) + " bytes, expected 64");
    std::copy(bytes.begin(), bytes.end(), k.secret_.begin());
    crypto_sign_ed25519_sk_to_pk(k.public_.data(), k.secret_.data());
    return k;
  }
  crypto_sign_keypair(k.public_.data(), k.secret_.data());
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const mode_t old = umask(077);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  umask(old);
  if (!f) return Status::Error("cannot create signing key file " + path);
  const bool ok = std::fwrite(k.secret_.data(), 1, k.secret_.size(), f) == k.secret_.size();
  if (std::fclose(f) != 0 || !ok) return Status::Error("cannot write signing key file " + path);
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
