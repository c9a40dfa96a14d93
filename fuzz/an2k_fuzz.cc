#include <cstddef>
#include <cstdint>
#include <string>

#include "biometrics/an2k.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)vigil::read_an2k(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
