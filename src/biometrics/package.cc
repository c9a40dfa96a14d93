#include "biometrics/package.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <optional>

#include "base/file.h"
#include "base/hash.h"

namespace vigil {

namespace {

constexpr size_t kKey = crypto_aead_xchacha20poly1305_ietf_KEYBYTES, kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

// The 32 bytes of a hex sealing key, or nothing.
std::optional<std::string> KeyBytes(const std::string& hex) {
  if (hex.size() != 2 * kKey) return std::nullopt;
  std::string out(kKey, '\0');
  size_t used = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), kKey, hex.data(), hex.size(), nullptr, &used, nullptr) != 0 ||
      used != kKey)
    return std::nullopt;
  return out;
}

// One template per line.
std::string TemplateLines(const std::vector<BioTemplate>& templates) {
  std::string out;
  for (const BioTemplate& t : templates)
    out += nlohmann::json{{"list", t.list},         {"id", t.reference}, {"category", t.category},
                          {"modality", t.modality}, {"position", t.position}, {"data", base64_encode(t.data)}}
               .dump() +
           "\n";
  return out;
}

Status ReadTemplateLines(std::string_view lines, size_t first_line, std::vector<BioTemplate>* out) {
  size_t at = 0, line_no = first_line;
  while (at < lines.size()) {
    const size_t end = lines.find('\n', at);
    if (end == std::string_view::npos) return Status::Error("gallery package: line " + std::to_string(line_no) + ": unterminated");
    const auto j = nlohmann::json::parse(lines.substr(at, end - at), nullptr, false);
    const std::string where = "gallery package: line " + std::to_string(line_no) + ": ";
    at = end + 1;
    ++line_no;
    auto data = j.is_object() && j.contains("data") && j["data"].is_string() ? base64_decode(j["data"].get<std::string>()) : std::nullopt;
    if (!data || !j.contains("list") || !j.contains("id")) return Status::Error(where + "not a template line");
    out->push_back({0, j.value("list", ""), j.value("id", ""), j.value("category", ""), j.value("modality", "finger"),
                    j.value("position", 0), std::move(*data), ""});
  }
  return Status::Ok();
}

}  // namespace

std::string new_sealing_key() {
  if (sodium_init() < 0) return "";
  unsigned char key[kKey];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  return to_hex(key, kKey);
}

Result<std::string> load_or_create_sealing_key(const std::string& path) {
  auto hex = read_or_create_secret(path, new_sealing_key());
  if (!hex.ok()) return Status::Error("package sealing " + hex.error());
  if (!KeyBytes(*hex)) return Status::Error("package sealing key file " + path + " is not 64 hex digits");
  return hex;
}

std::string write_package(const GalleryPackage& p, const SigningKey& key, const std::string& sealing_key) {
  const auto seal = KeyBytes(sealing_key);
  const std::string header = nlohmann::json{{"vigil_gallery_package", 1},
                                            {"created", p.created},
                                            {"expires", p.expires},
                                            {"lists", p.lists},
                                            {"templates", p.templates.size()},
                                            {"sealed", seal.has_value()},
                                            {"signer", key.public_key_hex()}}
                                 .dump() +
                             "\n";
  std::string body = header;
  if (!seal) {
    body += TemplateLines(p.templates);
  } else {
    // Sealed, then signed: the header is the box's associated data.
    const std::string lines = TemplateLines(p.templates);
    std::string box(kNonce + lines.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    auto* b = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(b, kNonce);
    unsigned long long n = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(b + kNonce, &n, reinterpret_cast<const unsigned char*>(lines.data()), lines.size(),
                                               reinterpret_cast<const unsigned char*>(header.data()), header.size(), nullptr, b,
                                               reinterpret_cast<const unsigned char*>(seal->data()));
    box.resize(kNonce + n);
    body += nlohmann::json{{"sealed", base64_encode(box)}}.dump() + "\n";
  }
  return body + nlohmann::json{{"signature", key.Sign(body)}}.dump() + "\n";
}

Result<GalleryPackage> read_package(std::string_view text, const std::string& trusted_key_hex, const std::string& now,
                                    const std::string& sealing_key) {
  // The signature line is the last; everything before it is signed.
  if (text.empty() || text.back() != '\n') return Status::Error("gallery package: truncated (no final line)");
  const size_t last = text.rfind('\n', text.size() - 2);
  if (last == std::string_view::npos) return Status::Error("gallery package: no signature line");
  const std::string_view body = text.substr(0, last + 1);
  const auto sig = nlohmann::json::parse(text.substr(last + 1), nullptr, false);
  if (!sig.is_object() || !sig.contains("signature") || !sig["signature"].is_string())
    return Status::Error("gallery package: the last line is not its signature");
  if (!SigningKey::Verify(trusted_key_hex, body, sig["signature"].get<std::string>()))
    return Status::Error("gallery package: the signature is not the trusted key's (altered, or signed elsewhere)");
  const size_t header_end = body.find('\n') + 1;
  const std::string_view header = body.substr(0, header_end);
  const auto h = nlohmann::json::parse(header, nullptr, false);
  if (!h.is_object() || h.value("vigil_gallery_package", 0) != 1)
    return Status::Error("gallery package: line 1: not a version 1 package header");
  GalleryPackage p;
  p.created = h.value("created", "");
  p.expires = h.value("expires", "");
  if (h.contains("lists") && h["lists"].is_array())
    for (const auto& l : h["lists"])
      if (l.is_string()) p.lists.push_back(l.get<std::string>());
  if (p.expires.empty() || now >= p.expires)
    return Status::Error("gallery package: expired at " + (p.expires.empty() ? std::string("?") : p.expires));
  const std::string_view rest = body.substr(header_end);
  if (!h.value("sealed", false)) {
    if (!sealing_key.empty()) return Status::Error("gallery package: not sealed, but a sealing key was given");
    if (auto s = ReadTemplateLines(rest, 2, &p.templates); !s.ok()) return s;
    return p;
  }
  const auto seal = KeyBytes(sealing_key);
  if (!seal) return Status::Error("gallery package: sealed; give its sealing key (64 hex digits)");
  const auto line = nlohmann::json::parse(rest, nullptr, false);
  auto box = line.is_object() && line.contains("sealed") && line["sealed"].is_string() ? base64_decode(line["sealed"].get<std::string>())
                                                                                        : std::nullopt;
  if (!box || box->size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return Status::Error("gallery package: line 2: not a sealed box");
  std::string lines(box->size() - kNonce, '\0');
  unsigned long long n = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(box->data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(lines.data()), &n, nullptr, b + kNonce,
                                                 box->size() - kNonce, reinterpret_cast<const unsigned char*>(header.data()),
                                                 header.size(), b, reinterpret_cast<const unsigned char*>(seal->data())) != 0)
    return Status::Error("gallery package: the sealing key does not open it");
  lines.resize(n);
  if (auto s = ReadTemplateLines(lines, 2, &p.templates); !s.ok()) return s;
  return p;
}

}  // namespace vigil
