// libFuzzer target for WSQ decoding. Besides memory safety it checks the
// promises: a refused file says where ("at byte"); a decoded one has its
// sides within the limits and one byte per pixel, and decodes the same
// twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/wsq.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto image = vigil::decode_wsq(input);
  if (!image.ok()) {
    if (image.error().find("WSQ image: at byte ") != 0) std::abort();
    return 0;
  }
  if (image->width < 64 || image->height < 64 || image->width > 4096 || image->height > 4096) std::abort();
  if (image->pixels.size() != size_t(image->width) * size_t(image->height)) std::abort();
  auto again = vigil::decode_wsq(input);
  if (!again.ok() || again->pixels != image->pixels) std::abort();
  return 0;
}
