// Searches of several fingers (synthetic prints, synth/finger_generator.h):
// a gallery of SUBJECTS subjects with FINGERS fingers each (up to 4: the
// right index finger on; more: from the right thumb), searched as the
// product searches it, with probes of all a subject's fingers fused into
// one score (matcher.h, subject_score) and, as the baseline in the same
// run, with probes of the first finger alone. With 4 fingers, also as a
// right-hand slap whose prints' fingers are not known (position 13).
//  - Mated searches: how often the mate comes first and matches at the
//    identification threshold, and the time a search takes.
//  - Open-set searches (people not enrolled): how many match (the FPIR,
//    held to 1 in 1,000), and how often impostor subjects reach the fused
//    scores of rates 1e-3 to 1e-6 against what the tail says, from every
//    search's 1,000 best.
//
//   vigil_fusion_bench [SUBJECTS [FINGERS [MATED [OPEN [EVERY]]]]]
//   (10,000; 2; 200; 1,000; the first EVERY open-set searches also with
//   every view compared, as on a GPU: 0)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "base/parallel.h"
#include "bench_support.h"
#include "biometrics/gallery.h"
#include "biometrics/matcher.h"
#include "synth/finger_generator.h"

int main(int argc, char** argv) {
  using namespace vigil;
  const int subjects = argc > 1 ? std::max(10, std::atoi(argv[1])) : 10000;
  const int fingers = argc > 2 ? std::clamp(std::atoi(argv[2]), 1, 10) : 2;
  const int mated = argc > 3 ? std::max(1, std::atoi(argv[3])) : 200;
  const int open = argc > 4 ? std::max(0, std::atoi(argv[4])) : 1000;
  const int every = argc > 5 ? std::min(open, std::max(0, std::atoi(argv[5]))) : 0;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const FingerGenerator gen(4242);
  // Subject s's finger f (from 0) is generated finger s * fingers + f, at
  // position_of(f); a slap's print f is at 13, numbered f.
  auto position_of = [&](int f) { return static_cast<uint8_t>(fingers <= 4 ? f + 2 : f + 1); };
  auto probe_of = [&](int s, int k, bool slap) {
    std::vector<FingerView> views;
    for (int f = 0; f < k; ++f) {
      views.push_back(gen.Impression(s * fingers + f, 1));
      views.back().finger = slap ? 13 : position_of(f);
      views.back().view = static_cast<uint8_t>(slap ? f : 0);
    }
    return views;
  };
  struct Kind {
    std::string name;
    int fingers;
    bool slap;
  };
  std::vector<Kind> kinds = {{"1 finger", 1, false}};
  if (fingers > 1) kinds.push_back({std::to_string(fingers) + " fingers", fingers, false});
  if (fingers == 4) kinds.push_back({"a right-hand slap of 4", 4, true});

  // The cost of fusing one subject's scores (subject_score), on one
  // thread: a search with every view compared fuses every subject.
  {
    std::printf("fusion: subject_score on one thread, per subject:");
    for (const int k : {1, 2, 4, 10}) {
      std::vector<ViewEvidence> evidence(static_cast<size_t>(k));
      double sum = 0;
      const int n = 1000000;
      const auto t = std::chrono::steady_clock::now();
      for (int i = 0; i < n; ++i) {
        for (int f = 0; f < k; ++f) evidence[size_t(f)] = {f + 1, double((i * 7 + f * 13) % 200) / 10, 1};
        sum += subject_score(evidence);
      }
      std::printf(" %d finger%s %.1f ns;", k, k == 1 ? "" : "s", bench::seconds_since(t) * 1e9 / n);
      if (sum < 0) std::printf("?");
    }
    std::printf("\n");
  }

  FingerGallery gallery;
  {
    const auto t = std::chrono::steady_clock::now();
    std::vector<FingerGallery::Enrolment> enrolments(static_cast<size_t>(subjects) * fingers);
    in_slices(enrolments.size(), cores, [&](size_t, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        const int s = static_cast<int>(i) / fingers, f = static_cast<int>(i) % fingers;
        enrolments[i] = {"bench", std::to_string(s), "", gen.Impression(s * fingers + f, 0)};
        enrolments[i].view.finger = position_of(f);
      }
    });
    gallery.AddAll(enrolments);
    std::printf("fusion: %d subjects of %d fingers (%zu views, synthetic) enrolled in %.1f s on %u threads; threshold "
                "%.1f\n",
                subjects, fingers, gallery.views(), bench::seconds_since(t), cores,
                identification_threshold(static_cast<double>(gallery.searched(probe_of(0, fingers, false)))));
  }

  // Mated: the first finger alone (baseline), then all fused.
  double one_finger = 0;
  for (const Kind& kind : kinds) {
    int first = 0, matched = 0;
    const auto t = std::chrono::steady_clock::now();
    for (int p = 0; p < mated; ++p) {
      const int mate = static_cast<int>((int64_t{p} * 7919) % subjects);
      const auto found = gallery.Search(probe_of(mate, kind.fingers, kind.slap), 10);
      first += !found.empty() && found[0].reference == std::to_string(mate);
      for (const BioCandidate& c : found) matched += c.match && c.reference == std::to_string(mate);
    }
    const double seconds = bench::seconds_since(t) / mated;
    if (kind.fingers == 1) one_finger = seconds;
    std::printf("fusion, mated, %s: mate first in %d of %d, matched in %d (%.1f %% missed); %.3f s per search (%.2fx one "
                "finger's)\n",
                kind.name.c_str(), first, mated, matched, 100.0 * (mated - matched) / mated, seconds, seconds / one_finger);
  }

  // Open set: subjects not enrolled, their fingers fused.
  auto open_set = [&](const char* way, const Kind& kind, int searches) {
    int matched = 0;
    double scored = 0;
    std::vector<double> pooled;
    const auto t = std::chrono::steady_clock::now();
    for (int p = 0; p < searches; ++p) {
      const std::vector<FingerView> probe = probe_of(subjects + p, kind.fingers, kind.slap);
      scored += static_cast<double>(gallery.searched(probe));
      const auto found = gallery.Search(probe, 1000);
      matched += !found.empty() && found[0].match;
      for (const BioCandidate& c : found) pooled.push_back(c.score);
    }
    std::printf("fusion, open set, %s: %d searches of %s (%.3f s each): a candidate matched in %d: FPIR %.2g "
                "(target %.0e); impostor subjects (%.3g) reaching the score of a rate, against the tail:",
                way, searches, kind.name.c_str(), bench::seconds_since(t) / searches, matched, double(matched) / searches,
                kDefaultFpir, scored);
    for (double rate : {1e-3, 1e-4, 1e-5, 1e-6}) {
      const auto reached = std::count_if(pooled.begin(), pooled.end(), [&](double s) { return impostor_rate(s) <= rate; });
      if (rate * scored >= 1 && rate * scored / searches <= 500)  // within each search's 1,000 best
        std::printf(" %.0e: %ld (%.0f expected);", rate, long(reached), rate * scored);
    }
    std::sort(pooled.rbegin(), pooled.rend());
    std::printf(" highest %.1f\n", pooled.empty() ? 0.0 : pooled[0]);
  };
  const FingerGallery::Shortlisting shortlisted = gallery.shortlisting();
  for (const Kind& kind : kinds) {
    if (kind.fingers == 1 && fingers > 1) continue;
    if (open > 0) open_set(gallery.views() >= shortlisted.from ? "shortlisted" : "every view compared", kind, open);
    if (every > 0 && gallery.views() >= shortlisted.from) {
      FingerGallery::Shortlisting none = shortlisted;
      none.from = SIZE_MAX;
      gallery.set_shortlisting(none);
      open_set("every view compared", kind, every);
      gallery.set_shortlisting(shortlisted);
    }
  }
  return 0;
}
