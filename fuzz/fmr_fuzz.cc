// libFuzzer target for finger minutiae records. Besides memory safety it
// checks the promises: a refused record says where ("at byte"); a read one
// has at least one view, minutiae of a known type, and, written back as ISO
// 19794-2:2005 and read again, the same views (where that format has room
// for them); the matcher compares it with itself without fault, and the
// shortlist's first look gives one score with every kernel.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "biometrics/fmr.h"
#include "biometrics/matcher.h"
#include "biometrics/shortlist.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto t = vigil::read_fmr(input);
  if (!t.ok()) {
    if (t.error().find("finger minutiae record") == std::string::npos) std::abort();
    return 0;
  }
  if (t->views.empty()) std::abort();
  for (const auto& v : t->views)
    for (const auto& m : v.minutiae)
      if (m.type > 2) std::abort();
  // ISO 2005 has a byte for the minutiae count and 4 bits each for the
  // view number and impression type (ISO 2011 and ANSI 2009 have a byte).
  bool small = true;
  for (const auto& v : t->views) small = small && v.minutiae.size() <= 255 && v.view <= 15 && v.impression <= 15;
  if (small) {
    auto again = vigil::read_fmr(vigil::write_fmr(*t));
    if (!again.ok() || again->views != t->views) std::abort();
  }
  const vigil::FingerPrint fp = vigil::FingerPrint::From(t->views[0]);
  const double self = vigil::compare(fp, fp);
  if (self < 0 || self > 100.0001) std::abort();
  // The shortlist's first look of the print at itself: every kernel gives
  // the same score, however odd the minutiae's places.
  const vigil::ShortlistProbe first_look(fp);
  const std::vector<vigil::SketchEdge> sketch = vigil::Sketch(fp);
  int score = -1;
  for (const std::string& kernel : vigil::FirstLookKernels()) {
    if (!vigil::UseFirstLookKernel(kernel)) std::abort();
    const int s = first_look.Score(sketch);
    if (s < 0 || (score >= 0 && s != score)) std::abort();
    score = s;
  }
  return 0;
}
