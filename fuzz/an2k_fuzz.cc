// libFuzzer target for ANSI/NIST-ITL transaction files. Besides memory
// safety it checks the promises: a refused file says so ("ANSI/NIST-ITL
// file: at byte"); a read one starts "1.001:", its templates have views
// whose minutiae are of a known type and lie within the template's width
// and height when those are given, and the matcher compares each with
// itself without fault; its images are Type-4 or Type-14, never empty, of a
// known compression, uncompressed ones hold exactly their pixels, and
// their finger boxes (14.021) lie inside them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "biometrics/an2k.h"
#include "biometrics/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto t = vigil::read_an2k(input);
  if (!t.ok()) {
    if (t.error().rfind("ANSI/NIST-ITL file: at byte ", 0) != 0) std::abort();
    return 0;
  }
  if (!vigil::is_an2k(input)) std::abort();
  for (const vigil::FingerTemplate& f : t->templates) {
    if (f.views.empty()) std::abort();
    for (const vigil::FingerView& v : f.views) {
      for (const vigil::Minutia& m : v.minutiae) {
        if (m.type > 2) std::abort();
        if (f.width > 0 && m.x >= f.width) std::abort();
        if (f.height > 0 && m.y >= f.height) std::abort();
      }
      const vigil::FingerPrint fp = vigil::FingerPrint::From(v);
      const double self = vigil::compare(fp, fp);
      if (self < 0 || self > 100.0001) std::abort();
    }
  }
  for (const vigil::An2kImage& image : t->images) {
    if (image.record_type != 4 && image.record_type != 14) std::abort();
    if (image.data.empty() || image.width == 0 || image.height == 0) std::abort();
    const std::string& c = image.compression;
    if (c != "NONE" && c != "WSQ" && c != "JPEG" && c != "JPEG-LOSSLESS" && c != "JPEG2000" && c != "PNG" && c != "OTHER")
      std::abort();
    if (c == "NONE" &&
        image.data.size() != (static_cast<uint64_t>(image.width) * image.height * image.bits_per_pixel + 7) / 8)
      std::abort();
    for (const vigil::An2kSegment& s : image.segments)
      if (s.finger > 10 || s.left > s.right || s.top > s.bottom || s.right >= image.width || s.bottom >= image.height)
        std::abort();
  }
  return 0;
}
