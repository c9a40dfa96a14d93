// libFuzzer target for what encryption at rest reads back from a database
// file that may have been altered outside Vigil, and for the retention
// policy file. Besides memory safety it checks the promises:
//  - Keyring::Open of bytes that were not sealed by this key file fails
//    (authentication cannot be forged), with a message naming the context;
//  - a value sealed and then altered anywhere past the marker fails too;
//  - parse_retention_policy either fails with a message naming the file or
//    gives periods within their bounds, depersonalisation first.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <string>

#include "privacy/retention.h"
#include "store/keyring.h"

namespace {

const vigil::Keyring& Ring() {
  static const vigil::Keyring ring = [] {
    const std::string path =
        (std::filesystem::temp_directory_path() / ("vigil-fuzz-" + std::to_string(getpid()) + ".keys")).string();
    std::filesystem::remove(path);
    auto r = vigil::Keyring::Create(path);
    if (!r.ok()) std::abort();
    std::filesystem::remove(path);
    return *r;
  }();
  return ring;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const vigil::Keyring& ring = Ring();
  // Arbitrary stored bytes never open.
  auto opened = ring.Open(input, "api_travellers.data");
  if (opened.ok()) std::abort();
  if (opened.error().find("api_travellers.data") == std::string::npos) std::abort();
  // A genuine value altered at one byte chosen by the input never opens.
  if (size > 0) {
    std::string sealed = ring.Seal(input, "c");
    const size_t at = 7 + data[0] % (sealed.size() - 7);
    sealed[at] = static_cast<char>(sealed[at] ^ (1 | data[size - 1]));
    if (ring.Open(sealed, "c").ok()) std::abort();
    if (*ring.Open(ring.Seal(input, "c"), "c") != input) std::abort();
  }
  // The policy file.
  auto policy = vigil::parse_retention_policy(input, "p.json");
  if (!policy.ok()) {
    if (policy.error().rfind("p.json", 0) != 0) std::abort();
  } else if (policy->pnr_depersonalise_after_days < 1 ||
             policy->pnr_depersonalise_after_days > policy->delete_after_days ||
             policy->api_delete_after_arrival_hours < 1) {
    std::abort();
  }
  return 0;
}
