// Fingerprint matching on synthetic prints (synth/finger_generator.h):
// accuracy (EER, FNMR at FMR 0.1 % and 0.01 %, the score at FMR 0.01 %)
// from genuine pairs (two impressions of a finger) and impostor pairs (first
// impressions of different fingers), the same for small probes (windows
// of the second impression, against first impressions), and
// speed in comparisons per second on
// one thread and on every core, against a baseline run in the same program:
// exhaustive alignment (every probe minutia on every candidate minutia,
// then the same pairing), the simplest correct matcher.
//
//   vigil_finger_bench [FINGERS [BASELINE_FINGERS [GALLERY [PROBES [OPEN [EVERY]]]]]]
//   (600: 600 genuine, ~180k impostor; 40; no 1:N search; 5; no open-set
//   searches; none of them also with every view compared). The 1:N
//   search runs on the CPU's every core, then on a GPU where the build has
//   CUDA and the machine a GPU.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "base/parallel.h"
#include "bench_support.h"
#include "biometrics/gallery.h"
#include "biometrics/matcher.h"
#include "biometrics/shortlist.h"
#include "error_rates.h"
#include "synth/finger_generator.h"

namespace vigil {
namespace {

// Of `n` impostor comparisons, how many reach the score of a rate: the
// rank (from 1) of that score among the highest kept, best first; 0 when
// the rate is under one comparison or deeper than the `kept`.
size_t rank_at(double rate, double n, size_t kept) {
  const auto rank = static_cast<size_t>(rate * n);
  return rank <= kept ? rank : 0;
}

int angle_gap(int a, int b) {
  const int d = (a - b) & 255;
  return d > 128 ? 256 - d : d;
}

// The baseline: try every minutia pair as the alignment.
int exhaustive_pairs(const std::vector<Minutia>& p, const std::vector<Minutia>& c) {
  int best = 0;
  std::vector<char> taken(c.size());
  for (const Minutia& a : p)
    for (const Minutia& b : c) {
      const int rotation = (int(b.angle) - a.angle) & 255;
      const double r = rotation * M_PI / 128.0, co = std::cos(r), si = std::sin(r);
      const double tx = b.x - (co * a.x - si * a.y), ty = b.y - (si * a.x + co * a.y);
      std::fill(taken.begin(), taken.end(), 0);
      int matched = 0;
      for (const Minutia& m : p) {
        const double x = co * m.x - si * m.y + tx, y = si * m.x + co * m.y + ty;
        for (size_t j = 0; j < c.size(); ++j)
          if (!taken[j] && std::hypot(c[j].x - x, c[j].y - y) <= 14 &&
              angle_gap(c[j].angle, (m.angle + rotation) & 255) <= 16) {
            taken[j] = 1, ++matched;
            break;
          }
      }
      best = std::max(best, matched);
    }
  return best;
}


}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  using namespace vigil;
  const int fingers = argc > 1 ? std::max(10, std::atoi(argv[1])) : 600;
  FingerGenerator gen(2026);
  std::vector<FingerView> first_views, second_views;
  for (int f = 0; f < fingers; ++f) first_views.push_back(gen.Impression(f, 0)), second_views.push_back(gen.Impression(f, 1));
  std::vector<FingerPrint> first, second;
  const auto t_prepare = std::chrono::steady_clock::now();
  for (int f = 0; f < fingers; ++f) {
    first.push_back(FingerPrint::From(first_views[static_cast<size_t>(f)]));
    second.push_back(FingerPrint::From(second_views[static_cast<size_t>(f)]));
  }
  const double prepare = bench::seconds_since(t_prepare) / (2.0 * fingers);
  std::vector<double> genuine, impostor;
  for (int f = 0; f < fingers; ++f) genuine.push_back(compare(second[f], first[f]));
  const auto t0 = std::chrono::steady_clock::now();
  for (int a = 0; a < fingers; ++a)
    for (int b = a + 1; b < fingers; ++b) impostor.push_back(compare(first[a], first[b]));
  const double one_thread = bench::seconds_since(t0);
  std::printf("synthetic prints: %d fingers, %zu genuine and %zu impostor comparisons\n", fingers, genuine.size(),
              impostor.size());
  std::printf("preparing a print for comparison (FingerPrint::From): %.1f us\n", 1e6 * prepare);
  bench::print_error_rates("minutiae as generated", bench::error_rates(genuine, impostor, kDefaultThreshold), kDefaultThreshold);
  // Small probes against whole prints, as a plain impression against a
  // rolled one: each second impression cut to a window near its middle,
  // from two thirds of its width to under half (220 x 280 is about a third
  // of its area and of its minutiae).
  std::vector<double> third_genuine;  // the 220 x 280 windows'
  for (const int width : {330, 270, 220, 180}) {
    const int height = width * 14 / 11;
    std::vector<FingerPrint> small;
    double minutiae = 0;
    for (int f = 0; f < fingers; ++f) {
      const FingerView v = Window(gen.Impression(f, 1), (400 - width) / 2 + (f * 37) % 41 - 20,
                                  (500 - height) / 2 + (f * 53) % 41 - 20, width, height);
      minutiae += double(v.minutiae.size()) / fingers;
      small.push_back(FingerPrint::From(v));
    }
    std::vector<double> g, i;
    for (int f = 0; f < fingers; ++f) {
      g.push_back(compare(small[f], first[f]));
      for (int o = 1; o <= 300 && o < fingers; ++o) i.push_back(compare(small[f], first[(f + o) % fingers]));
    }
    char label[160];
    std::snprintf(label, sizeof label, "small probes, %d x %d windows (%.1f minutiae; %zu genuine, %zu impostor comparisons)",
                  width, height, minutiae, g.size(), i.size());
    bench::print_error_rates(label, bench::error_rates(g, i, kDefaultThreshold), kDefaultThreshold);
    if (width == 220) third_genuine = g;
  }
  // The impostor tail these comparisons give, against the one the
  // thresholds are read from (impostor_rate).
  std::printf("impostor tail (%zu comparisons), share at or over:", impostor.size());
  for (double score : {2.3, 4.0, 6.1, 8.2, 10.1})
    std::printf(" %.1f: %.2g (tail %.2g);", score,
                double(std::count_if(impostor.begin(), impostor.end(), [&](double v) { return v >= score; })) /
                    double(impostor.size()),
                impostor_rate(score));
  std::printf("\n");
  // What a 1:N search's threshold costs (identification_threshold: about 1
  // in 1,000 searches of people not enrolled brings a candidate over it):
  // the mates of a one-finger probe it misses, whole and a third of a
  // print, before any shortlist's own misses; and those of probes of 2, 4
  // and 10 fingers, each subject's whole prints fused (subject_score),
  // the fingers taken in turn from those above.
  for (const double subjects : {1e3, 1e4, 1e5, 1e6, 1e7}) {
    const double t = identification_threshold(subjects);
    auto under = [&](const std::vector<double>& g) {
      return 100.0 * double(std::count_if(g.begin(), g.end(), [&](double v) { return v < t; })) / double(g.size());
    };
    std::printf("1:N threshold for %.0e subjects: %.1f (FMR %.1e per subject); mates under it: one finger, whole prints "
                "%.1f %%, a third of a print %.1f %%",
                subjects, t, impostor_rate(t), under(genuine), under(third_genuine));
    for (const size_t k : {2, 4, 10}) {
      std::vector<double> fused;
      for (size_t at = 0; at + k <= genuine.size(); at += k) {
        std::vector<ViewEvidence> evidence;
        for (size_t f = 0; f < k; ++f) evidence.push_back({static_cast<int>(f + 1), genuine[at + f], 1});
        fused.push_back(subject_score(evidence));
      }
      std::printf("; %zu fingers %.1f %% (of %zu)", k, under(fused), fused.size());
    }
    std::printf("\n");
  }

  // Speed: one thread (above), every core, and the baseline on one thread.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto t1 = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  std::vector<double> sink(cores);
  for (unsigned w = 0; w < cores; ++w)
    workers.emplace_back([&, w] {
      double sum = 0;
      for (int a = static_cast<int>(w); a < fingers; a += static_cast<int>(cores))
        for (int b = a + 1; b < fingers; ++b) sum += compare(first[a], first[b]);
      sink[w] = sum;
    });
  for (auto& t : workers) t.join();
  const double all_cores = bench::seconds_since(t1);
  const int sample = argc > 2 ? std::atoi(argv[2]) : std::min(fingers, 40);
  const auto t2 = std::chrono::steady_clock::now();
  long base_n = 0, checksum = 0;
  for (int a = 0; a < sample; ++a)
    for (int b = a + 1; b < sample; ++b, ++base_n)
      checksum += exhaustive_pairs(first[a].minutiae(), first[b].minutiae());
  const double base = bench::seconds_since(t2);
  const double rate1 = impostor.size() / one_thread, rate_all = impostor.size() / all_cores, rate_base = base_n / base;
  std::printf("comparisons/s: %.0f on 1 thread, %.0f on %u threads; baseline (exhaustive alignment) %.0f on 1 thread: "
              "%.0fx (checksum %ld %.0f)\n",
              rate1, rate_all, cores, rate_base, rate1 / rate_base, checksum, sink[0]);

  // The first look of a shortlist (shortlist.h): second impressions of the
  // first 300 fingers against first impressions of 5,000, every pair
  // compared in full too; of the mates compare() matches, how many the
  // first look ranks in a gallery's best 1 % and 2 %, and its cost per view
  // against compare()'s, both on one thread.
  {
    const int looked = 5000, looking = 300;
    std::vector<FingerPrint> gallery(looked), probes(looking);
    std::vector<std::vector<SketchEdge>> sketches(looked);
    in_slices(gallery.size(), cores, [&](size_t, size_t begin, size_t end) {
      for (size_t f = begin; f < end; ++f) {
        gallery[f] = FingerPrint::From(gen.Impression(static_cast<int>(f), 0));
        sketches[f] = Sketch(gallery[f]);
        if (f < probes.size()) probes[f] = FingerPrint::From(gen.Impression(static_cast<int>(f), 1));
      }
    });
    std::vector<double> full(static_cast<size_t>(looked) * looking);
    const auto t_full = std::chrono::steady_clock::now();
    in_slices(probes.size(), cores, [&](size_t, size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p)
        for (size_t g = 0; g < gallery.size(); ++g) full[p * gallery.size() + g] = compare(probes[p], gallery[g]);
    });
    const double full_per = bench::seconds_since(t_full) * cores / double(full.size());
    int matched = 0, in_half = 0, in1 = 0, glanced_half = 0;
    std::vector<size_t> ranks;
    for (size_t p = 0; p < probes.size(); ++p) {
      if (full[p * gallery.size() + p] < kDefaultThreshold) continue;
      ++matched;
      const ShortlistProbe first_look(probes[p]);
      std::vector<uint16_t> scores(gallery.size());
      for (size_t g = 0; g < gallery.size(); ++g) scores[g] = static_cast<uint16_t>(first_look.Score(sketches[g]));
      size_t rank = 0;
      for (size_t g = 0; g < gallery.size(); ++g) rank += scores[g] > scores[p] || (scores[g] == scores[p] && g < p);
      ranks.push_back(rank);
      in_half += rank < gallery.size() / 200, in1 += rank < gallery.size() / 100;
      // As a shortlisted search does: the glance's best 10 %, then the
      // first look's best 0.5 % of all among them.
      std::vector<uint16_t> glances(gallery.size());
      for (size_t g = 0; g < gallery.size(); ++g) glances[g] = static_cast<uint16_t>(first_look.Score(Glance(sketches[g])));
      std::vector<uint16_t> kept_scores;
      size_t mate_at = SIZE_MAX;
      const std::vector<size_t> kept = BestIndices(glances, gallery.size() / 10);
      for (size_t k = 0; k < kept.size(); ++k) kept_scores.push_back(scores[kept[k]]), mate_at = kept[k] == p ? k : mate_at;
      const std::vector<size_t> last = BestIndices(kept_scores, gallery.size() / 200);
      glanced_half += mate_at != SIZE_MAX && std::find(last.begin(), last.end(), mate_at) != last.end();
    }
    std::sort(ranks.begin(), ranks.end());
    std::printf("first look (shortlist.h), %d probes against %d prints: of the %d mates compare() matches, %d rank in the "
                "best 0.5 %% and %d in the best 1 %% (median rank %zu, worst %zu); after a glance at every print keeping "
                "the best 10 %%, %d in the best 0.5 %%\n",
                looking, looked, matched, in_half, in1, ranks.empty() ? 0 : ranks[ranks.size() / 2],
                ranks.empty() ? 0 : ranks.back(), glanced_half);
    // Its cost a view with each kernel, on one thread, against compare()'s.
    std::printf("first look, cost a view on one core: compare() %.1f us (with every core busy)", 1e6 * full_per);
    for (const std::string& kernel : FirstLookKernels()) {
      UseFirstLookKernel(kernel);
      std::printf("; %s", kernel.c_str());
      for (bool glance : {false, true}) {
        double best = 1e9;
        for (int round = 0; round < 3; ++round) {
          long sum = 0;
          const auto t = std::chrono::steady_clock::now();
          for (size_t p = 0; p < 20; ++p) {
            const ShortlistProbe first_look(probes[p]);
            for (const auto& sketch : sketches) sum += first_look.Score(glance ? Glance(sketch) : std::span(sketch));
          }
          best = std::min(best, bench::seconds_since(t) / (20.0 * looked));
          if (sum < 0) std::printf("?");
        }
        std::printf(" %s %.2f us (%.0fx less)", glance ? "glance" : "whole", 1e6 * best, full_per / best);
      }
    }
    UseFirstLookKernel(FirstLookKernels().front());
    std::printf("\n");
  }

  // 1:N: a gallery of `gallery_size` fingers (first impressions), searched
  // with second impressions of some of them; latency per search, whether
  // the mate comes first, and from the 1,000 best candidates of each
  // search, how often impostors reach high scores: the false-match rate
  // at the default threshold and the scores for rarer rates, measured over
  // every impostor comparison the searches made.
  const int gallery_size = argc > 3 ? std::atoi(argv[3]) : 0;
  if (gallery_size > 0) {
    FingerGallery gallery;
    const auto t_build = std::chrono::steady_clock::now();
    {
      std::vector<FingerGallery::Enrolment> enrolments(static_cast<size_t>(gallery_size));
      in_slices(enrolments.size(), cores, [&](size_t, size_t begin, size_t end) {
        for (size_t f = begin; f < end; ++f) enrolments[f] = {"bench", std::to_string(f), "", gen.Impression(static_cast<int>(f), 0)};
      });
      std::printf("1:N, gallery of %d: views made in %.1f s on %u threads\n", gallery_size, bench::seconds_since(t_build), cores);
      const auto t_add = std::chrono::steady_clock::now();
      gallery.AddAll(enrolments);
      std::printf("1:N, gallery of %d: enrolled (prepared on %u threads) in %.1f s\n", gallery_size, cores,
                  bench::seconds_since(t_add));
    }
    const int probes = argc > 4 ? std::max(1, std::atoi(argv[4])) : 5;
    // Each search twice: shortlisted (as the product searches a gallery
    // this large on the CPU) and comparing every view (the baseline).
    struct Way {
      const char* name;
      FingerGallery::Shortlisting shortlisting;
      std::vector<std::vector<BioCandidate>> answers;
      double seconds = 0;
      int first_right = 0, mate_matched = 0;
    };
    // Also shortlisted without the glance (the first look at every view),
    // which the product did before.
    const FingerGallery::Shortlisting shortlisted = gallery.shortlisting();
    FingerGallery::Shortlisting no_glance = shortlisted, none = shortlisted;
    no_glance.glance_share = 1, none.from = SIZE_MAX;
    std::vector<Way> ways = {{"every view compared", none, {}},
                             {"shortlisted without a glance", no_glance, {}},
                             {"shortlisted", shortlisted, {}}};
    std::vector<FingerView> probe_views;
    for (int p = 0; p < probes; ++p) probe_views.push_back(gen.Impression((p * 7919) % gallery_size, 1));
    for (Way& way : ways) {
      gallery.set_shortlisting(way.shortlisting);
      const auto t = std::chrono::steady_clock::now();
      for (int p = 0; p < probes; ++p) {
        const int mate = (p * 7919) % gallery_size;
        way.answers.push_back(gallery.Search({probe_views[size_t(p)]}, 1000));
        way.first_right += !way.answers.back().empty() && way.answers.back()[0].reference == std::to_string(mate);
        for (const BioCandidate& c : way.answers.back()) way.mate_matched += c.match && c.reference == std::to_string(mate);
      }
      way.seconds = bench::seconds_since(t) / probes;
      std::printf("1:N, gallery of %d, %s: %.3f s per search on %u threads (%.0f views/s); mate first in %d of %d, "
                  "matched in %d\n",
                  gallery_size, way.name, way.seconds, cores, gallery_size / way.seconds, way.first_right, probes,
                  way.mate_matched);
    }
    gallery.set_shortlisting(shortlisted);
    for (size_t w = 1; w < ways.size(); ++w) {
      int same_first = 0;
      for (int p = 0; p < probes; ++p) {
        const auto &a = ways[w].answers[size_t(p)], &b = ways[0].answers[size_t(p)];
        same_first += !a.empty() && !b.empty() && a[0].reference == b[0].reference && a[0].score == b[0].score;
      }
      std::printf("1:N, gallery of %d: %s is %.1fx faster than every view compared; the same best candidate and score in "
                  "%d of %d searches\n",
                  gallery_size, ways[w].name, ways[0].seconds / ways[w].seconds, same_first, probes);
    }
    std::printf("1:N, gallery of %d: the glance makes shortlisting %.2fx faster\n", gallery_size,
                ways[1].seconds / ways[2].seconds);
    const std::vector<std::vector<BioCandidate>>& answers = ways[0].answers;
    const double per_search = ways[0].seconds;
    int best_impostor_over = 0;
    std::vector<double> tail;  // impostor scores among each search's best 1,000
    for (int p = 0; p < probes; ++p) {
      const int mate = (p * 7919) % gallery_size;
      bool over = false;
      for (const BioCandidate& c : answers[size_t(p)])
        if (c.reference != std::to_string(mate)) tail.push_back(c.score), over = over || c.score >= kDefaultThreshold;
      best_impostor_over += over;
    }
    // (from the searches comparing every view)
    std::sort(tail.rbegin(), tail.rend());
    const double comparisons = double(probes) * (gallery_size - 1);
    const auto reached = std::count_if(tail.begin(), tail.end(), [](double v) { return v >= kDefaultThreshold; });
    std::printf("1:N impostors (%.0f comparisons): FMR at threshold %.1f: %.2g (%ld)%s; searches with an impostor at or over it: %d "
                "of %d",
                comparisons, kDefaultThreshold, double(reached) / comparisons, long(reached),
                reached >= long(tail.size()) ? " or more (all 1,000 kept were over)" : "", best_impostor_over, probes);
    for (double rate : {1e-5, 1e-6, 1e-7}) {
      if (const size_t rank = rank_at(rate, comparisons, tail.size()))
        std::printf("; score at FMR %.0e: %.1f", rate, tail[rank - 1]);
    }
    std::printf("\n");
    // Open-set searches, as most frontline checks are: second impressions
    // of fingers not enrolled, searched as the product searches (shortlisted
    // where the gallery is large) and, for the first `every` of them, with
    // every view compared too (as on a GPU). The share of searches whose
    // best candidate reaches a score is the false-positive identification
    // rate (FPIR) there; every candidate kept, pooled, gives the
    // per-comparison tail far deeper than the mated searches above can.
    const int open_searches = argc > 5 ? std::max(0, std::atoi(argv[5])) : 0;
    const int every = argc > 6 ? std::min(open_searches, std::max(0, std::atoi(argv[6]))) : 0;
    auto open_set = [&](const char* way, const FingerGallery::Shortlisting& shortlisting, int searches) {
      gallery.set_shortlisting(shortlisting);
      std::vector<double> best, pooled;
      int matched = 0;  // at the search's own threshold
      const auto t_open = std::chrono::steady_clock::now();
      for (int p = 0; p < searches; ++p) {
        const auto found = gallery.Search({gen.Impression(gallery_size + p, 1)}, 1000);
        best.push_back(found.empty() ? 0 : found[0].score);
        matched += !found.empty() && found[0].match;
        for (const BioCandidate& c : found) pooled.push_back(c.score);
      }
      gallery.set_shortlisting(shortlisted);
      std::sort(best.rbegin(), best.rend());
      std::sort(pooled.rbegin(), pooled.rend());
      const double open_comparisons = double(searches) * gallery_size;
      std::printf("1:N open set, gallery of %d, %s: %d searches of fingers not enrolled (%.3f s each); best candidate at "
                  "or over %.1f in %ld",
                  gallery_size, way, searches, bench::seconds_since(t_open) / searches, kDefaultThreshold,
                  long(std::count_if(best.begin(), best.end(), [](double v) { return v >= kDefaultThreshold; })));
      for (double fpir : {1e-1, 1e-2, 1e-3}) {
        if (const size_t rank = rank_at(fpir, searches, best.size()))
          std::printf("; score at FPIR %.0e: %.1f", fpir, best[rank - 1]);
      }
      std::printf("\n1:N open set, gallery of %d, %s: a candidate matched (at the identification threshold %.1f) in %d "
                  "searches: FPIR %.2g\n",
                  gallery_size, way, identification_threshold(gallery_size), matched, double(matched) / searches);
      std::printf("1:N open set, gallery of %d, %s: per comparison (%.3g), score at FMR", gallery_size, way,
                  open_comparisons);
      for (double rate : {1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9}) {
        if (const size_t rank = rank_at(rate, open_comparisons, pooled.size()))
          std::printf(" %.0e: %.1f (%zu over);", rate, pooled[rank - 1], rank);
      }
      std::printf(" highest %.1f\n", pooled.empty() ? 0.0 : pooled[0]);
    };
    if (open_searches > 0) open_set("as searched", shortlisted, open_searches);
    if (every > 0) open_set("every view compared", none, every);
    // The same searches on a GPU, where there is one: time, and whether
    // every candidate list is the CPU's (references and scores).
    const auto t_copy = std::chrono::steady_clock::now();
    if (auto st = gallery.UseDevice(); !st.ok()) {
      std::printf("1:N on a GPU: not run (%s)\n", st.message().c_str());
    } else {
      std::printf("1:N on a GPU: the gallery copied there in %.2f s\n", bench::seconds_since(t_copy));
      gallery.Search({gen.Impression(0, 1)}, 1000);  // warms up
      int same = 0;
      const auto t4 = std::chrono::steady_clock::now();
      for (int p = 0; p < probes; ++p) {
        const auto found = gallery.Search({probe_views[size_t(p)]}, 1000);
        bool equal = found.size() == answers[static_cast<size_t>(p)].size();
        for (size_t i = 0; equal && i < found.size(); ++i)
          equal = found[i].reference == answers[static_cast<size_t>(p)][i].reference &&
                  found[i].score == answers[static_cast<size_t>(p)][i].score;
        same += equal;
      }
      const double gpu_search = bench::seconds_since(t4) / probes;
      std::printf("1:N on a GPU, gallery of %d: %.3f s per search (%.0f comparisons/s), %.1fx the CPU's %u threads comparing "
                  "every view; its candidates and scores in %d of %d searches\n",
                  gallery_size, gpu_search, gallery_size / gpu_search, per_search / gpu_search, cores, same, probes);
    }
  }
  return 0;
}
