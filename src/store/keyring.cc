#include "store/keyring.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "base/file.h"
#include "base/hash.h"

namespace vigil {
namespace {

constexpr unsigned char kMarker[3] = {0xff, 'V', 'E'};
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
static_assert(Keyring::kOverhead == 3 + 4 + kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES);

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

bool from_hex(const std::string& hex, unsigned char* out, size_t n) {
  size_t len = 0;
  return hex.size() == 2 * n &&
         sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

}  // namespace

bool Keyring::IsSealed(std::string_view b) {
  return b.size() >= kOverhead && std::memcmp(b.data(), kMarker, sizeof kMarker) == 0;
}

uint32_t Keyring::KeyOf(std::string_view b) {
  if (!IsSealed(b)) return 0;
  uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id |= static_cast<uint32_t>(static_cast<unsigned char>(b[3 + i])) << (8 * i);
  return id;
}

std::string Keyring::Seal(std::string_view plain, std::string_view context) const {
  const Key& key = keys_.back();
  std::string out(kOverhead + plain.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  std::memcpy(p, kMarker, sizeof kMarker);
  for (int i = 0; i < 4; ++i) p[3 + i] = static_cast<unsigned char>(key.id >> (8 * i));
  // 16 random bytes drawn once per process and a 64-bit counter: nonces
  // never repeat under one key, without a system call per value.
  unsigned char* nonce = p + 7;
  static const auto prefix = [] {
    std::array<unsigned char, kNonce - 8> r{};
    randombytes_buf(r.data(), r.size());
    return r;
  }();
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  std::memcpy(nonce, prefix.data(), prefix.size());
  for (int i = 0; i < 8; ++i) nonce[prefix.size() + i] = static_cast<unsigned char>(n >> (8 * i));
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      p + 7 + kNonce, &written, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce, key.bytes.data());
  return out;
}

Result<std::string> Keyring::Open(std::string_view sealed, std::string_view context) const {
  if (!IsSealed(sealed)) return Status::Error(std::string(context) + ": stored value is not sealed");
  const uint32_t id = KeyOf(sealed);
  auto key = std::find_if(keys_.begin(), keys_.end(), [&](const Key& k) { return k.id == id; });
  if (key == keys_.end())
    return Status::Error(std::string(context) + ": sealed with data key " + std::to_string(id) +
                         ", which the key file does not hold");
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(sealed.size() - kOverhead, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, p + 7 + kNonce, sealed.size() - 7 - kNonce,
          reinterpret_cast<const unsigned char*>(context.data()), context.size(), p + 7, key->bytes.data()) != 0)
    return Status::Error(std::string(context) + ": stored value fails authentication (altered, or not sealed here)");
  out.resize(len);
  return out;
}

std::string Keyring::Hash(std::string_view value, std::string_view context) const {
  if (value.empty()) return {};
  crypto_generichash_state st;
  crypto_generichash_init(&st, hash_key_.data(), hash_key_.size(), 16);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(context.data()), context.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  unsigned char out[16];
  crypto_generichash_final(&st, out, sizeof out);
  return to_hex(out, sizeof out);
}

std::string Keyring::Fingerprint() const { return Hash("vigil key file", "fingerprint"); }

std::vector<uint32_t> Keyring::key_ids() const {
  std::vector<uint32_t> out;
  for (const Key& k : keys_) out.push_back(k.id);
  return out;
}

Result<Keyring> Keyring::Parse(const std::string& text, const std::string& path) {
  Keyring ring;
  bool have_hash = false;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string kind, a, b;
    words >> kind >> a >> b;
    const std::string where = path + ":" + std::to_string(n) + ": ";
    if (kind == "hash" && from_hex(a, ring.hash_key_.data(), kKeySize) && b.empty()) {
      have_hash = true;
    } else if (kind == "key") {
      Key k;
      char* end = nullptr;
      const unsigned long id = std::strtoul(a.c_str(), &end, 10);
      if (a.empty() || *end || id == 0 || id > 0xffffffffUL || !from_hex(b, k.bytes.data(), kKeySize))
        return Status::Error(where + "malformed data key line");
      k.id = static_cast<uint32_t>(id);
      if (!ring.keys_.empty() && k.id <= ring.keys_.back().id)
        return Status::Error(where + "data keys must be listed in rising order of id");
      ring.keys_.push_back(k);
    } else {
      return Status::Error(where + "expected 'hash HEX' or 'key ID HEX'");
    }
  }
  if (!have_hash) return Status::Error(path + ": no hash key");
  if (ring.keys_.empty()) return Status::Error(path + ": no data key");
  return ring;
}

std::string Keyring::Serialise() const {
  std::string out =
      "# Vigil data keys: the hash key and the data keys, current last.\n"
      "# Secret. Keep apart from the database and from its backups.\n";
  out += "hash " + to_hex(hash_key_.data(), kKeySize) + "\n";
  for (const Key& k : keys_) out += "key " + std::to_string(k.id) + " " + to_hex(k.bytes.data(), kKeySize) + "\n";
  return out;
}

Status Keyring::Write(const std::string& path, const std::string& text, bool create) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  const mode_t old = umask(077);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  umask(old);
  if (!f) return Status::Error("cannot write key file " + tmp + ": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                       fsync(fileno(f)) == 0;
  if (std::fclose(f) != 0 || !written) {
    std::remove(tmp.c_str());
    return Status::Error("cannot write key file " + tmp);
  }
  // link() refuses to replace an existing file: creation never overwrites.
  const int rc = create ? link(tmp.c_str(), path.c_str()) : std::rename(tmp.c_str(), path.c_str());
  const int err = errno;
  if (create) std::remove(tmp.c_str());
  if (rc != 0) return Status::Error("cannot install key file " + path + ": " + std::strerror(err));
  return Status::Ok();
}

Result<Keyring> Keyring::Load(const std::string& path) {
  if (!sodium_ready()) return Status::Error("libsodium failed to initialise");
  auto text = read_file(path);
  if (!text.ok()) return Status::Error("data key file: " + text.status().message());
  return Parse(*text, path);
}

Result<Keyring> Keyring::Create(const std::string& path) {
  if (!sodium_ready()) return Status::Error("libsodium failed to initialise");
  Keyring ring;
  randombytes_buf(ring.hash_key_.data(), kKeySize);
  Key k;
  k.id = 1;
  randombytes_buf(k.bytes.data(), kKeySize);
  ring.keys_.push_back(k);
  if (auto s = Write(path, ring.Serialise(), true); !s.ok()) return s;
  return ring;
}

Result<uint32_t> Keyring::Rotate(const std::string& path) {
  auto ring = Load(path);
  if (!ring.ok()) return ring.status();
  Key k;
  k.id = ring->current() + 1;
  randombytes_buf(k.bytes.data(), kKeySize);
  ring->keys_.push_back(k);
  if (auto s = Write(path, ring->Serialise(), false); !s.ok()) return s;
  return k.id;
}

Status Keyring::Retire(const std::string& path, uint32_t id) {
  auto ring = Load(path);
  if (!ring.ok()) return ring.status();
  if (id == ring->current()) return Status::Error("data key " + std::to_string(id) + " is the current key");
  auto& keys = ring->keys_;
  auto it = std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.id == id; });
  if (it == keys.end()) return Status::Error("no data key " + std::to_string(id) + " in " + path);
  keys.erase(it);
  return Write(path, ring->Serialise(), false);
}

}  // namespace vigil
