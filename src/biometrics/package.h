// Offline gallery packages: a subset of the gallery for a handheld device
// at a crossing point without a link, signed, with an expiry.
//
// Promises:
//  - write_package() signs (Ed25519) every byte before the signature line:
//    a header (created, expires, lists, counts, signer) and one line per
//    template.
//  - read_package() returns the templates only when the signature is the
//    trusted key's, the package has not expired at `now`, and every line is
//    well formed; otherwise an error saying which.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/signing.h"
#include "store/store.h"

namespace vigil {

struct GalleryPackage {
  std::string created, expires;  // "YYYY-MM-DDTHH:MM:SSZ"
  std::vector<std::string> lists;
  std::vector<BioTemplate> templates;
};

std::string write_package(const GalleryPackage& package, const SigningKey& key);
Result<GalleryPackage> read_package(std::string_view text, const std::string& trusted_key_hex, const std::string& now);

}  // namespace vigil
