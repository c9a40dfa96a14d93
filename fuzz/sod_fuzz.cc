// libFuzzer target for travel documents' security objects (EF.SOD,
// document_security.h): a CMS structure read by OpenSSL around an LDS
// security object read here; and the same bytes as a file of CSCA
// certificates and CRLs (PEM, DER, or an ICAO master list, whose content
// is read here too). Besides memory safety it checks the promises: a
// refused object says where and why; a read one lists data groups 1 to
// 16, each hash as long as its algorithm gives; certificates and CRLs
// read are at least one, and a refusal names the file; read as a chip's
// data group 15 and answer, active authentication refuses with a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/document_security.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto trusted = vigil::CscaList::Count(input, "F");
  if (trusted.ok() ? *trusted == 0 : trusted.error().find(" F") == std::string::npos) std::abort();
  // The same bytes as a data group 15 and the chip's answer: refused with
  // a reason (a signature over this challenge cannot be forged by chance).
  const auto active = vigil::verify_active_authentication(input, "challng!", std::string_view(input).substr(size / 2));
  if (active.passed || active.reason.empty()) std::abort();
  auto object = vigil::read_security_object(input);
  if (!object.ok()) {
    const std::string& e = object.error();
    if (e.rfind("EF.SOD: at byte ", 0) != 0 && e.rfind("EF.SOD security object: at byte ", 0) != 0) std::abort();
    return 0;
  }
  const size_t length = object->hash_algorithm == "SHA1"     ? 20
                        : object->hash_algorithm == "SHA224" ? 28
                        : object->hash_algorithm == "SHA256" ? 32
                        : object->hash_algorithm == "SHA384" ? 48
                        : object->hash_algorithm == "SHA512" ? 64
                                                             : 0;
  if (length == 0 || object->hashes.empty()) std::abort();
  for (const auto& [n, hash] : object->hashes)
    if (n < 1 || n > 16 || hash.size() != length) std::abort();
  return 0;
}
