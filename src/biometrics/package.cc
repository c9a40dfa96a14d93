#include "biometrics/package.h"

#include <nlohmann/json.hpp>

#include "base/hash.h"

namespace vigil {

std::string write_package(const GalleryPackage& p, const SigningKey& key) {
  std::string body = nlohmann::json{{"vigil_gallery_package", 1},
                                    {"created", p.created},
                                    {"expires", p.expires},
                                    {"lists", p.lists},
                                    {"templates", p.templates.size()},
                                    {"signer", key.public_key_hex()}}
                         .dump() +
                     "\n";
  for (const BioTemplate& t : p.templates)
    body += nlohmann::json{{"list", t.list},         {"id", t.reference}, {"category", t.category},
                           {"modality", t.modality}, {"position", t.position}, {"data", base64_encode(t.data)}}
                .dump() +
            "\n";
  return body + nlohmann::json{{"signature", key.Sign(body)}}.dump() + "\n";
}

Result<GalleryPackage> read_package(std::string_view text, const std::string& trusted_key_hex, const std::string& now) {
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
  GalleryPackage p;
  size_t at = 0, line_no = 0;
  while (at < body.size()) {
    const size_t end = body.find('\n', at);
    const auto j = nlohmann::json::parse(body.substr(at, end - at), nullptr, false);
    ++line_no;
    at = end + 1;
    const std::string where = "gallery package: line " + std::to_string(line_no) + ": ";
    if (!j.is_object()) return Status::Error(where + "not a JSON object");
    if (line_no == 1) {
      if (j.value("vigil_gallery_package", 0) != 1) return Status::Error(where + "not a version 1 package header");
      p.created = j.value("created", "");
      p.expires = j.value("expires", "");
      if (j.contains("lists") && j["lists"].is_array())
        for (const auto& l : j["lists"])
          if (l.is_string()) p.lists.push_back(l.get<std::string>());
      if (p.expires.empty() || now >= p.expires)
        return Status::Error("gallery package: expired at " + (p.expires.empty() ? std::string("?") : p.expires));
      continue;
    }
    auto data = j.contains("data") && j["data"].is_string() ? base64_decode(j["data"].get<std::string>()) : std::nullopt;
    if (!data || !j.contains("list") || !j.contains("id")) return Status::Error(where + "not a template line");
    p.templates.push_back({0, j.value("list", ""), j.value("id", ""), j.value("category", ""),
                           j.value("modality", "finger"), j.value("position", 0), std::move(*data)});
  }
  return p;
}

}  // namespace vigil
