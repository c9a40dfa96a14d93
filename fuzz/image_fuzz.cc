// libFuzzer target for images: PNG, JPEG and JPEG 2000 decoding (our
// wrappers around libpng, libjpeg-turbo and OpenJPEG, the pHYs and JP2
// resolution readers) and the minutiae extractor on
// whatever decodes. Besides memory safety it checks the promises: a refused
// image says why; a decoded one has the stated size within the limits; the
// extractor (as for one finger or a slap) either refuses or gives at most
// as many views as the position holds, minutiae inside the image, of a
// known type, the same twice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/extractor.h"
#include "biometrics/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto image = vigil::decode_image(input);
  auto colour = vigil::decode_colour_image(input);
  if (image.ok() != colour.ok()) std::abort();
  if (!image.ok()) {
    if (image.error().empty()) std::abort();
    return 0;
  }
  if (image->width < 64 || image->height < 64 || image->width > 4096 || image->height > 4096) std::abort();
  if (image->pixels.size() != size_t(image->width) * size_t(image->height)) std::abort();
  if (colour->rgb.size() != image->pixels.size() * 3) std::abort();
  if (image->width > 512 || image->height > 512) return 0;  // keep runs fast
  // Read as one finger or, by the input's last byte, as a four-finger slap.
  const uint8_t position = data[size - 1] & 1 ? 13 : 0;
  auto a = vigil::extract_minutiae(*image, position);
  if (!a.ok()) return 0;
  if (a->views.empty() || a->views.size() > size_t(vigil::slap_prints(position))) std::abort();
  for (const auto& view : a->views)
    for (const auto& m : view.minutiae)
      if (m.x >= image->width || m.y >= image->height || m.type < 1 || m.type > 2) std::abort();
  auto b = vigil::extract_minutiae(*image, position);
  if (!b.ok() || b->views != a->views) std::abort();
  return 0;
}
