#include "base/hash.h"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

#include "base/file.h"

namespace vigil {
namespace {

void ensure_sodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string to_hex(const unsigned char* p, size_t n) {
  std::string out(n * 2, '\0');
  sodium_bin2hex(out.data(), out.size() + 1, p, n);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  ensure_sodium();
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string sha256_hex(std::string_view data) {
  ensure_sodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(out, sizeof out);
}

HashKey HashKey::Random() {
  ensure_sodium();
  HashKey k;
  randombytes_buf(k.bytes_.data(), k.bytes_.size());
  return k;
}

HashKey HashKey::ForTesting() {
  HashKey k;
  for (size_t i = 0; i < kSize; ++i) k.bytes_[i] = static_cast<uint8_t>(i * 7 + 1);
  return k;
}

bool HashKey::LoadOrCreate(const std::string& path, HashKey* key, std::string* error) {
  const HashKey fresh = Random();
  auto bytes = read_or_create_secret(path, std::string(fresh.bytes_.begin(), fresh.bytes_.end()));
  if (!bytes.ok()) {
    *error = bytes.error();
    return false;
  }
  std::copy(bytes->begin(), bytes->end(), key->bytes_.begin());
  return true;
}

std::string HashKey::keyed_hex(std::string_view data) const {
  ensure_sodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), bytes_.data(), bytes_.size());
  return to_hex(out, sizeof out);
}

}  // namespace vigil
