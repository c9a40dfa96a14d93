// Minutiae extraction from fingerprint images (biometrics/extractor.h) on
// synthetic images with known minutiae (synth/finger_image.h):
//  - speed: images per second on one thread, and milliseconds per image;
//  - minutiae found against the true ones: recall, precision, type and
//    direction agreement (within 12 pixels and 22 degrees);
//  - verification accuracy (EER, FNMR at FMR 0.1 % and 0.01 %, FMR and FNMR
//    at the matcher's default threshold) with extracted templates, against
//    the baseline of the true minutiae of the same impressions compared by
//    the same matcher: what extraction costs in accuracy;
//  - slaps composed of synthetic impressions: how often each print is
//    given its finger, left as a print of the hand, or given a wrong one;
//  - on NIST's reference ten-print card (tests/biometrics/data/nist, real
//    inked prints, WSQ): decoding speed against decoding the same pixels
//    as PNG (libpng) in the same run, the minutiae found per finger, and
//    the impostor scores between its ten fingers and another person's
//    finger (extracted, and as its file's own 48 minutiae), and genuine
//    scores between each rolled finger and its plain impression on the same
//    card (a thumb alone, or one print of a four-finger slap), and the
//    impostor scores between rolled and plain prints of different fingers;
//    and the card read as one probe (its images extracted at once) against
//    its images extracted one by one.
//
//   vigil_extract_bench [FINGERS]   (default 200: 200 genuine, 19,900 impostor pairs)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "base/file.h"
#include "bench_support.h"
#include "biometrics/an2k.h"
#include "biometrics/extractor.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "biometrics/wsq.h"
#include "biometrics/matcher.h"
#include "error_rates.h"
#include "synth/finger_image.h"

namespace {

using namespace vigil;

// `print` copied onto `canvas` with its top-left corner at (x0, y0).
void Paste(GrayImage& canvas, const GrayImage& print, int x0, int y0) {
  for (int y = 0; y < print.height; ++y)
    for (int x = 0; x < print.width; ++x)
      canvas.pixels[static_cast<size_t>(y0 + y) * static_cast<size_t>(canvas.width) + static_cast<size_t>(x0 + x)] =
          print.at(x, y);
}

// Right-hand slaps composed of synthetic impressions: fingertips at a
// hand's heights (the middle highest, the little finger lowest and
// smallest) with 40 pixels' jitter, gaps of 30 to 150 pixels, half the
// fingers with a lower joint under the tip, and one slap in 5 missing a
// finger. Counts the slaps whose prints were each given the right finger,
// those left as prints of the hand, and those where any print was given a
// finger it is not (the error that would hide a mate), with the time per
// slap and how many prints given a finger match their finger's other
// impression.
void SyntheticSlaps(const FingerImageGenerator& gen, int slaps) {
  std::mt19937_64 rng(7);
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1)); };
  const int top[4] = {140, 40, 90, 260};
  int right = 0, hand = 0, wrong = 0, missing_slaps = 0, missing_right = 0, named = 0, named_matched = 0;
  double seconds = 0;
  for (int n = 0; n < slaps; ++n) {
    const bool missing = n % 5 == 4;
    const int gone = missing ? uniform(0, 3) : -1;
    GrayImage slap;
    slap.width = 80 + 4 * 400 + 3 * 150;
    slap.height = 1100;
    slap.ppi = 500;
    slap.pixels.assign(static_cast<size_t>(slap.width) * static_cast<size_t>(slap.height), 255);
    int left[4], width[4];
    for (int j = 0, x = 40; j < 4; ++j) {
      const int finger = 4 * n + j;
      GrayImage tip = gen.Impression(finger, 1).image;
      if (j == 3) tip = crop(tip, 50, 349, 60, 439);  // the little finger's smaller print
      const int y = top[j] + uniform(-40, 40);
      left[j] = x, width[j] = tip.width;
      if (j != gone) Paste(slap, tip, x, y);
      if (j != gone && uniform(0, 1)) Paste(slap, crop(gen.Impression(1000000 + finger, 0).image, 80, 319, 150, 369), x + 60, y + tip.height + 40);
      x += tip.width + uniform(30, 150);
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto t = extract_minutiae(slap, 13);
    seconds += bench::seconds_since(t0);
    if (!t.ok()) continue;
    bool all_named = true, any_wrong = false;
    for (const FingerView& v : t->views) {
      if (v.finger == 13) {
        all_named = false;
        continue;
      }
      double cx = 0;
      for (const Minutia& m : v.minutiae) cx += m.x;
      cx /= double(v.minutiae.size());
      int truth = -1;
      for (int j = 0; j < 4; ++j)
        if (cx >= left[j] && cx < left[j] + width[j]) truth = j;
      if (v.finger != 2 + truth) {
        any_wrong = true;
        continue;
      }
      auto mate = extract_minutiae(gen.Impression(4 * n + truth, 2).image);
      ++named;
      named_matched += mate.ok() && compare(FingerPrint::From(v), FingerPrint::From(mate->views[0])) >= kDefaultThreshold;
    }
    missing_slaps += missing;
    if (any_wrong) ++wrong;
    else if (all_named) right += 1, missing_right += missing;
    else ++hand;
  }
  std::printf("synthetic right-hand slaps: %d (%d missing a finger), %.1f ms each on 1 thread; every print given its finger: "
              "%d, left as prints of the hand: %d, a print given a finger it is not: %d (of those missing a finger, given "
              "fingers: %d); prints given a finger matching its other impression: %d of %d\n",
              slaps, missing_slaps, 1000 * seconds / slaps, right, hand, wrong, missing_right, named_matched, named);
}

}  // namespace

int main(int argc, char** argv) {
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

  SyntheticSlaps(gen, fingers / 2);

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
  std::map<int, std::vector<FingerPrint>> plain;  // by finger position: 11, 12 thumbs; 13, 14 four-finger slaps
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
    auto t = extract_minutiae(*image, record.finger);
    if (record.finger > 10) {
      if (t.ok())
        for (const FingerView& v : t->views) plain[record.finger].push_back(FingerPrint::From(v));
      continue;
    }
    std::printf(" %zu", t.ok() ? t->views[0].minutiae.size() : size_t{0});
    rolled.push_back(FingerPrint::From(t.ok() ? t->views[0] : FingerView{}));
  }
  std::printf("\nWSQ decoding (14 images, %.1f Mpixels): %.1f Mpixels/s, %.1f ms per image; baseline, the same pixels as PNG "
              "(libpng): %.1f Mpixels/s; WSQ takes %.1fx as long\n",
              pixels / rounds / 1e6, pixels / wsq_seconds / 1e6, 1000 * wsq_seconds / rounds / 14, pixels / png_seconds / 1e6,
              wsq_seconds / png_seconds);
  // The card read as one probe: its images extracted at once on the
  // machine's cores, against the same images decoded and extracted one by
  // one (best of 3 each).
  {
    double one_by_one = 1e9, at_once = 1e9;
    size_t views_one = 0, views_once = 0;
    for (int r = 0; r < 3; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      views_one = 0;
      for (const An2kImage& record : card_t->images) {
        auto image = decode_wsq(record.data);
        image->ppi = record.ppi;
        auto t = extract_minutiae(*image, record.finger == 11 ? 1 : record.finger == 12 ? 6 : record.finger);
        views_one += t.ok() ? t->views.size() : 0;
      }
      one_by_one = std::min(one_by_one, bench::seconds_since(t0));
      const auto t1 = std::chrono::steady_clock::now();
      auto probe = read_biometric(*card);
      at_once = std::min(at_once, bench::seconds_since(t1));
      views_once = probe.ok() ? probe->finger.views.size() : 0;
    }
    std::printf("NIST card read as one probe (14 images, %zu views): %.2f s with its images extracted at once on %u cores; "
                "baseline, one by one (%zu views): %.2f s; %.2fx as fast\n",
                views_once, at_once, std::min(8u, std::thread::hardware_concurrency()), views_one, one_by_one,
                one_by_one / at_once);
  }
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
  // Rolled against plain, the same card. The thumbs' plain impressions
  // are images of their own (positions 11 and 12); the other fingers' are
  // in four-finger slaps (13 right hand, 14 left), read as several prints.
  // Where each fingertip lies on a slap was read off the image by eye:
  // the right hand's index is leftmost, the left hand's little finger.
  struct Tip {
    int rolled, slap, x, y;
  };
  const Tip tips[] = {{1, 11, -1, -1},  {6, 12, -1, -1},  {2, 13, 269, 722}, {3, 13, 550, 264},  {4, 13, 928, 218},
                      {5, 13, 1352, 573}, {10, 14, 288, 783}, {9, 14, 587, 311}, {8, 14, 910, 173}, {7, 14, 1279, 369}};
  // The slap print nearest the fingertip (within 160 pixels), or none.
  auto print_at = [&](const Tip& tip) -> const FingerPrint* {
    const FingerPrint* nearest = nullptr;
    double best = 160;
    for (const FingerPrint& p : plain[tip.slap]) {
      double x = 0, y = 0;
      for (const Minutia& m : p.minutiae()) x += m.x, y += m.y;
      const double d = tip.x < 0 ? 0 : std::hypot(x / double(p.minutiae().size()) - tip.x, y / double(p.minutiae().size()) - tip.y);
      if (d < best || (tip.x < 0 && !nearest)) best = d, nearest = &p;
    }
    return nearest;
  };
  auto either_way = [](const FingerPrint& a, const FingerPrint& b) { return std::max(compare(a, b), compare(b, a)); };
  std::printf("real genuine pairs, each rolled finger's plain impression as the probe (and the better of either way round), "
              "fingers 1-10:");
  int matched = 0, matched_either = 0, missing = 0;
  std::vector<const FingerPrint*> mates;
  for (const Tip& tip : tips) mates.push_back(print_at(tip));
  for (int finger = 1; finger <= 10; ++finger)
    for (size_t k = 0; k < std::size(tips); ++k) {
      if (tips[k].rolled != finger) continue;
      if (!mates[k]) {
        std::printf(" -");
        ++missing;
        continue;
      }
      const double probe = compare(*mates[k], rolled[static_cast<size_t>(finger - 1)]);
      const double score = either_way(rolled[static_cast<size_t>(finger - 1)], *mates[k]);
      std::printf(" %.1f (%.1f)", probe, score);
      matched += probe >= kDefaultThreshold;
      matched_either += score >= kDefaultThreshold;
    }
  std::printf("; %d of 10 at or over %.1f (%d either way round), %d not found on the slap\n", matched, kDefaultThreshold,
              matched_either, missing);
  // Impostors: every rolled finger against every plain print not its own,
  // and the plain prints against each other.
  std::vector<double> rolled_plain, plain_plain;
  std::vector<const FingerPrint*> all_plain;
  for (const auto& [position, prints] : plain)
    for (const FingerPrint& p : prints) all_plain.push_back(&p);
  for (size_t r = 0; r < rolled.size(); ++r)
    for (const FingerPrint* p : all_plain) {
      bool mate = false;
      for (size_t k = 0; k < std::size(tips); ++k) mate = mate || (tips[k].rolled == int(r) + 1 && mates[k] == p);
      if (!mate) rolled_plain.push_back(either_way(rolled[r], *p));
    }
  for (size_t a = 0; a < all_plain.size(); ++a)
    for (size_t b = a + 1; b < all_plain.size(); ++b) plain_plain.push_back(either_way(*all_plain[a], *all_plain[b]));
  for (const auto& [what, scores] : {std::pair{"rolled against another finger's plain print", &rolled_plain},
                                     std::pair{"plain prints of different fingers against each other", &plain_plain}}) {
    const auto over = std::count_if(scores->begin(), scores->end(), [](double v) { return v >= kDefaultThreshold; });
    std::printf("real impostor pairs, %s: %zu, at or over %.1f: %ld, highest %.1f\n", what, scores->size(), kDefaultThreshold,
                long(over), scores->empty() ? 0.0 : *std::max_element(scores->begin(), scores->end()));
  }
  return 0;
}
