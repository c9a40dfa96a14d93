// Minutiae extraction from fingerprint images (biometrics/extractor.h) on
// synthetic images with known minutiae (synth/finger_image.h):
//  - speed: images per second on one thread, and milliseconds per image;
//  - minutiae found against the true ones: recall, precision, type and
//    direction agreement (within 12 pixels and 22 degrees);
//  - verification accuracy (EER, FNMR at FMR 0.1 % and 0.01 %, FMR and FNMR
//    at the matcher's default threshold) with extracted templates, against
//    the baseline of the true minutiae of the same impressions compared by
//    the same matcher: what extraction costs in accuracy.
//
//   vigil_extract_bench [FINGERS]   (default 200: 200 genuine, 19,900 impostor pairs)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench_support.h"
#include "biometrics/extractor.h"
#include "biometrics/matcher.h"
#include "error_rates.h"
#include "synth/finger_image.h"

int main(int argc, char** argv) {
  using namespace vigil;
  const int fingers = argc > 1 ? std::max(10, std::atoi(argv[1])) : 200;
  FingerImageGenerator gen(2026);
  std::vector<FingerPrint> found[2], truth[2];
  double extract_seconds = 0;
  long images = 0, refused = 0, true_total = 0, found_total = 0, recalled = 0, type_right = 0, angle_right = 0;
  for (int f = 0; f < fingers; ++f)
    for (int i = 0; i < 2; ++i) {
      const FingerImpression imp = gen.Impression(f, i + 1);
      const auto t0 = std::chrono::steady_clock::now();
      auto t = extract_minutiae(imp.image);
      extract_seconds += bench::seconds_since(t0);
      ++images;
      FingerView view;
      if (t.ok()) view = t->views[0];
      else ++refused;
      found[i].push_back(FingerPrint::From(view));
      truth[i].push_back(FingerPrint::From(imp.truth));
      const MinutiaeAgreement a = agreement(imp.truth.minutiae, view.minutiae);
      true_total += static_cast<long>(a.truth);
      found_total += static_cast<long>(a.found);
      recalled += static_cast<long>(a.near);
      type_right += static_cast<long>(a.type_right);
      angle_right += static_cast<long>(a.angle_right);
    }
  std::printf("synthetic images: %d fingers, 2 impressions each, 400x500 at 500 ppi\n", fingers);
  std::printf("extraction: %.1f ms per image, %.0f images/s on 1 thread; %ld of %ld refused\n",
              1000 * extract_seconds / double(images), double(images) / extract_seconds, refused, images);
  std::printf("minutiae: recall %.1f %% (%ld of %ld true), precision %.1f %% (of %ld found); of those recalled, type right "
              "%.1f %%, direction within 22 degrees %.1f %%\n",
              100.0 * double(recalled) / double(true_total), recalled, true_total, 100.0 * double(recalled) / double(found_total),
              found_total, 100.0 * double(type_right) / double(recalled), 100.0 * double(angle_right) / double(recalled));
  for (int source = 0; source < 2; ++source) {
    const auto& set = source ? truth : found;
    std::vector<double> genuine, impostor;
    for (int f = 0; f < fingers; ++f) genuine.push_back(compare(set[1][static_cast<size_t>(f)], set[0][static_cast<size_t>(f)]));
    for (int a = 0; a < fingers; ++a)
      for (int b = a + 1; b < fingers; ++b) impostor.push_back(compare(set[0][static_cast<size_t>(a)], set[0][static_cast<size_t>(b)]));
    bench::print_error_rates(source ? "baseline, true minutiae" : "extracted minutiae",
                             bench::error_rates(genuine, impostor, kDefaultThreshold), kDefaultThreshold);
  }
  return 0;
}
