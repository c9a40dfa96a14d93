// Minutiae extraction from fingerprint images (biometrics/extractor.h) on
// synthetic images with known minutiae (synth/finger_image.h):
//  - speed: images per second on one thread, and milliseconds per image;
//  - minutiae found against the true ones: recall, precision, type and
//    direction agreement (within 12 pixels and 22 degrees);
//  - verification accuracy (EER, FNMR at FMR 0.1 % and 0.01 %, FMR and FNMR
//    at the matcher's default threshold) with extracted templates, against
//    the baseline of the true minutiae of the same impressions compared by
//    the same matcher: what extraction costs in accuracy;
//  - on NIST's reference ten-print card (tests/biometrics/data/nist, real
//    inked prints, WSQ): decoding speed against decoding the same pixels
//    as PNG (libpng) in the same run, the minutiae found per finger, and
//    the impostor scores between its ten fingers and another person's
//    finger (extracted, and as its file's own 48 minutiae), and genuine
//    scores between each rolled finger and its plain impression on the same
//    card (a thumb alone, or one of a four-finger slap).
//
//   vigil_extract_bench [FINGERS]   (default 200: 200 genuine, 19,900 impostor pairs)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "base/file.h"
#include "bench_support.h"
#include "biometrics/an2k.h"
#include "biometrics/extractor.h"
#include "biometrics/image.h"
#include "biometrics/wsq.h"
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

  // Real prints: NIST's reference card, and another person's finger.
  const std::string nist = std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/nist/";
  auto card = read_file(nist + "type-4-tpcard.an2");
  auto other = read_file(nist + "type-9-14-m1.an2");
  if (!card.ok() || !other.ok()) return 0;
  auto card_t = read_an2k(*card);
  auto other_t = read_an2k(*other);
  if (!card_t.ok() || !other_t.ok()) return 1;
  const int rounds = 20;
  double wsq_seconds = 0, png_seconds = 0, pixels = 0;
  std::vector<FingerPrint> rolled;
  std::map<int, FingerPrint> plain;  // by finger position: 11, 12 thumbs; 13, 14 four-finger slaps
  std::printf("NIST reference card, minutiae found per rolled finger:");
  for (const An2kImage& record : card_t->images) {
    auto image = decode_wsq(record.data);
    if (!image.ok()) return 1;
    const std::string png = encode_png(*image);
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) image = decode_wsq(record.data);
    wsq_seconds += bench::seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) image = decode_image(png);
    png_seconds += bench::seconds_since(t1);
    pixels += double(image->pixels.size()) * rounds;
    image->ppi = record.ppi;
    auto t = extract_minutiae(*image, record.finger <= 10 ? record.finger : 0);
    if (record.finger > 10) {
      plain[record.finger] = FingerPrint::From(t.ok() ? t->views[0] : FingerView{});
      continue;
    }
    std::printf(" %zu", t.ok() ? t->views[0].minutiae.size() : size_t{0});
    rolled.push_back(FingerPrint::From(t.ok() ? t->views[0] : FingerView{}));
  }
  std::printf("\nWSQ decoding (14 images, %.1f Mpixels): %.1f Mpixels/s, %.1f ms per image; baseline, the same pixels as PNG "
              "(libpng): %.1f Mpixels/s; WSQ takes %.1fx as long\n",
              pixels / rounds / 1e6, pixels / wsq_seconds / 1e6, 1000 * wsq_seconds / rounds / 14, pixels / png_seconds / 1e6,
              wsq_seconds / png_seconds);
  const An2kImage& raw = other_t->images.at(0);
  auto image = raw_image(raw.data, raw.width, raw.height, raw.ppi);
  auto extracted = extract_minutiae(*image, raw.finger);
  if (!extracted.ok()) return 1;
  const FingerPrint theirs = FingerPrint::From(extracted->views[0]), marked = FingerPrint::From(other_t->templates.at(0).views.at(0));
  std::vector<double> impostor;
  for (size_t a = 0; a < rolled.size(); ++a) {  // each way round: either may be the probe
    for (size_t b = 0; b < rolled.size(); ++b)
      if (b != a) impostor.push_back(compare(rolled[a], rolled[b]));
    for (const FingerPrint* p : {&theirs, &marked}) {
      impostor.push_back(compare(*p, rolled[a]));
      impostor.push_back(compare(rolled[a], *p));
    }
  }
  std::sort(impostor.begin(), impostor.end());
  const auto over = std::count_if(impostor.begin(), impostor.end(), [](double v) { return v >= kDefaultThreshold; });
  std::printf("real impostor pairs: %zu, at or over the default threshold %.1f: %ld, highest %.1f; the other finger's "
              "extracted minutiae (%zu) against its file's own (%zu): %.1f\n",
              impostor.size(), kDefaultThreshold, long(over), impostor.back(), extracted->views[0].minutiae.size(),
              other_t->templates[0].views[0].minutiae.size(), compare(theirs, marked));
  // Rolled against plain, the same card: 1 and 6 are the thumbs (plain 11
  // and 12), 2-5 the right hand's fingers (slap 13), 7-10 the left's (14).
  std::printf("real genuine pairs, rolled finger against its plain impression (the better of either way round):");
  int matched = 0;
  double best_other = 0;
  for (size_t r = 0; r < rolled.size(); ++r) {
    const int finger = static_cast<int>(r) + 1, mate = finger == 1 ? 11 : finger == 6 ? 12 : finger <= 5 ? 13 : 14;
    for (const auto& [position, p] : plain) {
      const double score = std::max(compare(rolled[r], p), compare(p, rolled[r]));
      if (position != mate) best_other = std::max(best_other, score);
      if (position != mate) continue;
      std::printf(" %.1f", score);
      matched += score >= kDefaultThreshold;
    }
  }
  std::printf("; %d of %zu at or over %.1f; highest against another finger's plain impression %.1f\n", matched,
              rolled.size(), kDefaultThreshold, best_other);
  return 0;
}
