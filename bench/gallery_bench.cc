// Keeping the stored gallery current while checks go on
// (biometrics/live_gallery.h): what the first check after an enrolment
// waits for when only the new templates are read, against reading the
// whole gallery again (what every change cost before), in the same run on
// the same SQLite file. Then what searching a gallery kept in parts costs
// against searching it whole.
//
//   vigil_gallery_bench [SUBJECTS]
//     default 100,000, each enrolled with one print and one face embedding
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_support.h"
#include "biometrics/fmr.h"
#include "biometrics/frontline.h"
#include "biometrics/live_gallery.h"
#include "synth/finger_generator.h"

namespace {

std::vector<float> Face(std::mt19937& rng) {
  std::normal_distribution<float> n;
  std::vector<float> v(128);
  for (float& x : v) x = n(rng);
  return v;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int subjects = argc > 1 ? std::atoi(argv[1]) : 100000;
  const std::string path = vigil::bench::TempFolder("vigil-gallery-bench") + "/vigil.db";
  auto opened = vigil::OpenSqliteStore(path);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.error().c_str());
    return 1;
  }
  vigil::Store* store = opened->get();
  const vigil::FingerGenerator gen(3);
  std::mt19937 rng(1);
  auto enrol = [&](int s) {
    vigil::FingerTemplate t;
    t.views = {gen.Impression(s, 0)};
    return store
        ->EnrolBiometrics("national", "S" + std::to_string(s), "",
                          {{0, "", "", "", "finger", 0, vigil::write_fmr(t), ""},
                           {0, "", "", "", "face", 0, vigil::encode_embedding(Face(rng)), ""}})
        .ok();
  };
  auto t0 = std::chrono::steady_clock::now();
  for (int s = 0; s < subjects; ++s)
    if (!enrol(s)) return 1;
  std::printf("enrolled %d subjects (a print and a face each) in %.1f s\n", subjects,
              vigil::bench::seconds_since(t0));

  // Before: the whole gallery read again after each change.
  double whole = 1e9;
  for (int r = 0; r < 3; ++r) {
    t0 = std::chrono::steady_clock::now();
    auto g = vigil::load_gallery(store);
    if (!g.ok()) return 1;
    whole = std::min(whole, vigil::bench::seconds_since(t0));
  }

  vigil::LiveGallery live({});
  t0 = std::chrono::steady_clock::now();
  if (!live.Current(store).ok()) return 1;
  const double first = vigil::bench::seconds_since(t0);
  std::vector<double> since, unchanged;
  for (int e = 0; e < 30; ++e) {
    if (!enrol(subjects + e)) return 1;
    t0 = std::chrono::steady_clock::now();
    if (!live.Current(store).ok()) return 1;
    since.push_back(vigil::bench::seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    if (!live.Current(store).ok()) return 1;
    unchanged.push_back(vigil::bench::seconds_since(t0));
  }
  std::printf("the whole gallery read again (before): best of 3 %.3f s\n", whole);
  std::printf("first load, whole: %.3f s\n", first);
  std::printf("a check after one enrolment (only it read): median %.2f ms, best %.2f ms = %.0fx faster than reading "
              "the whole gallery again\n",
              1e3 * Median(since), 1e3 * *std::min_element(since.begin(), since.end()), whole / Median(since));
  std::printf("a check with nothing new: median %.3f ms\n", 1e3 * Median(unchanged));

  // Searching in parts against searching the same templates whole.
  auto current = live.Current(store);
  auto all = vigil::load_gallery(store);
  if (!current.ok() || !all.ok()) return 1;
  vigil::BioProbe face;
  face.face = Face(rng);
  vigil::BioProbe finger;
  finger.finger.views = {gen.Impression(17, 1)};
  const vigil::GalleryParts parts = (*current)->view(), one = {&*all};
  for (const auto& [name, probe, runs] : {std::tuple{"face", &face, 50}, std::tuple{"finger", &finger, 2}}) {
    double in_parts = 1e9, in_one = 1e9;
    for (int r = 0; r < runs; ++r) {
      t0 = std::chrono::steady_clock::now();
      vigil::search_gallery(parts, *probe, 10);
      in_parts = std::min(in_parts, vigil::bench::seconds_since(t0));
      t0 = std::chrono::steady_clock::now();
      vigil::search_gallery(one, *probe, 10);
      in_one = std::min(in_one, vigil::bench::seconds_since(t0));
    }
    std::printf("%s search, best: %zu parts %.3f ms, whole %.3f ms (%.2fx)\n", name, parts.size(), 1e3 * in_parts,
                1e3 * in_one, in_parts / in_one);
  }
  return 0;
}
