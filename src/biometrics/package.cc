#include "biometrics/package.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <optional>
#include <set>
#include <utility>

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

// The body's lines (from line 2 of the file), one JSON value each, handed
// to `take`, which returns false for a line that is not a `kind` line; the
// first such line, or one unterminated, is an error naming its line.
template <typename Take>
Status ReadLines(std::string_view lines, const std::string& what, const char* kind, Take&& take) {
  size_t at = 0, line_no = 2;
  for (; at < lines.size(); ++line_no) {
    const size_t end = lines.find('\n', at);
    const std::string where = what + ": line " + std::to_string(line_no) + ": ";
    if (end == std::string_view::npos) return Status::Error(where + "unterminated");
    if (!take(nlohmann::json::parse(lines.substr(at, end - at), nullptr, false)))
      return Status::Error(where + "not a " + kind + " line");
    at = end + 1;
  }
  return Status::Ok();
}

// The signed files' common form: a JSON header line, then the body's lines
// in the clear or as one sealed box whose associated data is the header,
// then a signature over everything before it.
std::string Envelope(nlohmann::json header, const std::string& lines, const SigningKey& key, const std::string& sealing_key) {
  const auto seal = KeyBytes(sealing_key);
  header["sealed"] = seal.has_value();
  header["signer"] = key.public_key_hex();
  const std::string head = header.dump() + "\n";
  std::string body = head;
  if (!seal) {
    body += lines;
  } else {
    std::string box(kNonce + lines.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    auto* b = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(b, kNonce);
    unsigned long long n = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(b + kNonce, &n, reinterpret_cast<const unsigned char*>(lines.data()), lines.size(),
                                               reinterpret_cast<const unsigned char*>(head.data()), head.size(), nullptr, b,
                                               reinterpret_cast<const unsigned char*>(seal->data()));
    box.resize(kNonce + n);
    body += nlohmann::json{{"sealed", base64_encode(box)}}.dump() + "\n";
  }
  return body + nlohmann::json{{"signature", key.Sign(body)}}.dump() + "\n";
}

// A file whose signature is the trusted key's: its header, parsed, and the
// lines after it as they stand (perhaps sealed).
struct Signed {
  std::string_view head, rest;
  nlohmann::json header;
};

// `what` names the file in errors; `kind` is the header's version field.
Result<Signed> Verify(std::string_view text, const std::string& what, const char* kind, const std::string& trusted_key_hex) {
  // The signature line is the last; everything before it is signed.
  if (text.empty() || text.back() != '\n') return Status::Error(what + ": truncated (no final line)");
  const size_t last = text.rfind('\n', text.size() - 2);
  if (last == std::string_view::npos) return Status::Error(what + ": no signature line");
  const std::string_view body = text.substr(0, last + 1);
  const auto sig = nlohmann::json::parse(text.substr(last + 1), nullptr, false);
  if (!sig.is_object() || !sig.contains("signature") || !sig["signature"].is_string())
    return Status::Error(what + ": the last line is not its signature");
  if (!SigningKey::Verify(trusted_key_hex, body, sig["signature"].get<std::string>()))
    return Status::Error(what + ": the signature is not the trusted key's (altered, or signed elsewhere)");
  const size_t header_end = body.find('\n') + 1;
  Signed out{body.substr(0, header_end), body.substr(header_end), nlohmann::json::parse(body.substr(0, header_end), nullptr, false)};
  if (!out.header.is_object() || out.header.value(kind, 0) != 1)
    return Status::Error(what + ": line 1: not a version 1 " + what + " header");
  return out;
}

// The lines after the header: as they stand, or opened with `sealing_key`.
Result<std::string> Lines(const Signed& f, const std::string& what, const std::string& sealing_key) {
  if (!f.header.value("sealed", false)) {
    if (!sealing_key.empty()) return Status::Error(what + ": not sealed, but a sealing key was given");
    return std::string(f.rest);
  }
  const auto seal = KeyBytes(sealing_key);
  if (!seal) return Status::Error(what + ": sealed; give its sealing key (64 hex digits)");
  const auto line = nlohmann::json::parse(f.rest, nullptr, false);
  auto box = line.is_object() && line.contains("sealed") && line["sealed"].is_string() ? base64_decode(line["sealed"].get<std::string>())
                                                                                        : std::nullopt;
  if (!box || box->size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) return Status::Error(what + ": line 2: not a sealed box");
  std::string lines(box->size() - kNonce, '\0');
  unsigned long long n = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(box->data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(lines.data()), &n, nullptr, b + kNonce,
                                                 box->size() - kNonce, reinterpret_cast<const unsigned char*>(f.head.data()),
                                                 f.head.size(), b, reinterpret_cast<const unsigned char*>(seal->data())) != 0)
    return Status::Error(what + ": the sealing key does not open it");
  lines.resize(n);
  return lines;
}

std::vector<std::string> Strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

int64_t Id(const nlohmann::json& h, const char* field) {
  return h.contains(field) && h[field].is_number_integer() ? h[field].get<int64_t>() : 0;
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
  return Envelope({{"vigil_gallery_package", 1},
                   {"created", p.created},
                   {"expires", p.expires},
                   {"lists", p.lists},
                   {"removals_through", p.removals_through},
                   {"templates", p.templates.size()}},
                  TemplateLines(p.templates), key, sealing_key);
}

Result<GalleryPackage> read_package(std::string_view text, const std::string& trusted_key_hex, const std::string& now,
                                    const std::string& sealing_key) {
  const std::string what = "gallery package";
  auto f = Verify(text, what, "vigil_gallery_package", trusted_key_hex);
  if (!f.ok()) return f.status();
  GalleryPackage p;
  p.created = f->header.value("created", "");
  p.expires = f->header.value("expires", "");
  p.lists = Strings(f->header.value("lists", nlohmann::json::array()));
  p.removals_through = Id(f->header, "removals_through");
  if (p.expires.empty() || now >= p.expires)
    return Status::Error(what + ": expired at " + (p.expires.empty() ? std::string("?") : p.expires));
  auto lines = Lines(*f, what, sealing_key);
  if (!lines.ok()) return lines.status();
  Status read = ReadLines(*lines, what, "template", [&](const nlohmann::json& j) {
    auto data = j.is_object() && j.contains("data") && j["data"].is_string() ? base64_decode(j["data"].get<std::string>()) : std::nullopt;
    if (!data || !j.contains("list") || !j.contains("id")) return false;
    p.templates.push_back({0, j.value("list", ""), j.value("id", ""), j.value("category", ""), j.value("modality", "finger"),
                           j.value("position", 0), std::move(*data), ""});
    return true;
  });
  if (!read.ok()) return read;
  return p;
}

std::string write_withdrawals(const WithdrawalNotice& n, const SigningKey& key, const std::string& sealing_key) {
  std::string lines;
  for (const auto& w : n.withdrawals)
    lines += nlohmann::json{{"removal", w.removal}, {"list", w.list}, {"id", w.reference}}.dump() + "\n";
  return Envelope({{"vigil_withdrawals", 1},
                   {"created", n.created},
                   {"lists", n.lists},
                   {"removals_through", n.removals_through},
                   {"withdrawals", n.withdrawals.size()}},
                  lines, key, sealing_key);
}

Result<WithdrawalNotice> read_withdrawals(std::string_view text, const std::string& trusted_key_hex, const std::string& sealing_key) {
  const std::string what = "withdrawal notice";
  auto f = Verify(text, what, "vigil_withdrawals", trusted_key_hex);
  if (!f.ok()) return f.status();
  WithdrawalNotice n;
  n.created = f->header.value("created", "");
  n.lists = Strings(f->header.value("lists", nlohmann::json::array()));
  n.removals_through = Id(f->header, "removals_through");
  auto lines = Lines(*f, what, sealing_key);
  if (!lines.ok()) return lines.status();
  Status read = ReadLines(*lines, what, "withdrawal", [&](const nlohmann::json& j) {
    const int64_t removal = j.is_object() ? Id(j, "removal") : 0;
    if (removal <= 0 || !j.contains("list") || !j["list"].is_string() || !j.contains("id") || !j["id"].is_string()) return false;
    n.withdrawals.push_back({removal, j["list"].get<std::string>(), j["id"].get<std::string>()});
    return true;
  });
  if (!read.ok()) return read;
  return n;
}

size_t apply_withdrawals(GalleryPackage* package, const WithdrawalNotice& notice) {
  std::set<std::pair<std::string, std::string>> gone;
  for (const auto& w : notice.withdrawals)
    if (w.removal > package->removals_through) gone.emplace(w.list, w.reference);
  return std::erase_if(package->templates, [&](const BioTemplate& t) { return gone.contains({t.list, t.reference}); });
}

}  // namespace vigil
