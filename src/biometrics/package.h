// Offline gallery packages: a subset of the gallery for a handheld device
// at a crossing point without a link, signed, with an expiry, and sealed so
// that a lost device or a copied file discloses nobody on the lists.
//
// Promises:
//  - write_package() signs (Ed25519) every byte before the signature line:
//    a header (created, expires, lists, counts, signer) and the templates.
//    With a sealing key, the template lines (subjects' references and their
//    biometrics) are one XChaCha20-Poly1305 box bound to the header: only
//    the header is readable without the key.
//  - read_package() returns the templates only when the signature is the
//    trusted key's, the package has not expired at `now`, a sealed package
//    opens with `sealing_key` (and an unsealed one is refused when a key is
//    given), and every line is well formed; otherwise an error saying which.
//  - A package records the last removal logged when it was made. A
//    withdrawal notice (write_withdrawals) lists subjects removed from the
//    lists since, signed and sealed the same way, small enough to reach a
//    device over a thin link; apply_withdrawals() drops from a package
//    exactly the subjects removed after it was made, so that a device stops
//    matching them before the package expires. A notice does not expire:
//    it can only take subjects out.
#pragma once

#include <cstdint>

#include <string>
#include <string_view>
#include <vector>

#include "base/signing.h"
#include "store/store.h"

namespace vigil {

struct GalleryPackage {
  std::string created, expires;  // "YYYY-MM-DDTHH:MM:SSZ"
  std::vector<std::string> lists;
  int64_t removals_through = 0;  // the last removal logged when it was made
  std::vector<BioTemplate> templates;
};

// Subjects taken off their lists: each with the id of its removal in the
// store's log (BioRemoval::id).
struct WithdrawalNotice {
  struct Withdrawal {
    int64_t removal = 0;
    std::string list, reference;
  };
  std::string created;
  std::vector<std::string> lists;
  int64_t removals_through = 0;  // the last removal logged when it was made
  std::vector<Withdrawal> withdrawals;
};

// A key for sealing packages: 32 random bytes, as hex.
std::string new_sealing_key();
// The sealing key kept in `path` (64 hex characters), created (0600) when
// the file does not exist.
Result<std::string> load_or_create_sealing_key(const std::string& path);

// `sealing_key` (hex) empty: the templates in the clear, signed.
std::string write_package(const GalleryPackage& package, const SigningKey& key, const std::string& sealing_key = "");
Result<GalleryPackage> read_package(std::string_view text, const std::string& trusted_key_hex, const std::string& now,
                                    const std::string& sealing_key = "");

std::string write_withdrawals(const WithdrawalNotice& notice, const SigningKey& key, const std::string& sealing_key = "");
Result<WithdrawalNotice> read_withdrawals(std::string_view text, const std::string& trusted_key_hex,
                                          const std::string& sealing_key = "");
// Drops from `package` the templates of every subject of its lists that
// `notice` withdraws by a removal logged after the package was made;
// returns how many templates went.
size_t apply_withdrawals(GalleryPackage* package, const WithdrawalNotice& notice);

}  // namespace vigil
