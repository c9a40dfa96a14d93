// The first look of a shortlist: its score is the one its definition gives
// (checked against a plain count, whatever instructions the library
// uses), it ranks mates high, and the best indices are chosen as promised.
#include "biometrics/shortlist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "biometrics/matcher.h"
#include "biometrics/matching.h"
#include "synth/finger_generator.h"

namespace vigil {
namespace {

// The first look as shortlist.h defines it, one edge pair at a time: a
// candidate sketch edge and a probe edge (either way round) vote when the
// candidate's cell lies within the probe edge's tolerances, for the
// rotation between them (by 16ths of a turn) and the translation that
// brings the probe's midpoint, turned about its centre, onto the
// candidate's (by 32 pixels, wrapping every 1,024), on two grids, the
// second shifted by 16 pixels in x and y.
int PlainScore(const FingerPrint& probe, const FingerPrint& candidate) {
  const matching::Turns turns;
  const FingerPrint::Edges& e = probe.edges();
  const auto& m = probe.minutiae();
  auto floor_cell = [](int v, int cell) { return v >= 0 ? v / cell : -((-v + cell - 1) / cell); };
  std::map<std::tuple<int, int, int, int>, int> votes;
  int best = 0;
  for (const SketchEdge& c : Sketch(candidate)) {
    const int length_cell = c.key / 256, from_cell = c.key / 16 % 16, to_cell = c.key % 16;
    for (size_t k = 0; k < probe.edge_count(); ++k) {
      const int length = e.length[k], from_angle = e.from_angle[k], to_angle = e.to_angle[k];
      if (length_cell < std::max(0, length - sketch::kLengthTolerance) / 8 ||
          length_cell > std::min(255, length + sketch::kLengthTolerance) / 8)
        continue;
      auto within = [&](int angle, int cell) {
        for (int a = floor_cell(angle - sketch::kAngleTolerance, 16); a <= floor_cell(angle + sketch::kAngleTolerance, 16); ++a)
          if (((a % 16) + 16) % 16 == cell) return true;
        return false;
      };
      if (!within(from_angle, from_cell) || !within(to_angle, to_cell)) continue;
      const Minutia &a = m[e.from[k]], &b = m[e.to[k]];
      const int direction = (from_angle + a.angle) & 255;
      const int64_t x2 = a.x + b.x - 2 * probe.centre_x(), y2 = a.y + b.y - 2 * probe.centre_y();
      const int64_t co = turns.icos[size_t(-direction & 255)], si = turns.isin[size_t(-direction & 255)];
      const int64_t ux = (co * x2 - si * y2) >> 14, uy = (si * x2 + co * y2) >> 14;
      const int64_t cc = turns.icos[c.direction], cs = turns.isin[c.direction];
      const int64_t tx = c.x2 - ((cc * ux - cs * uy) >> 14), ty = c.y2 - ((cs * ux + cc * uy) >> 14);
      for (int shift : {0, 32}) {
        const auto key = std::tuple{shift, ((c.direction - direction) & 255) / 16, int((tx + shift) >> 6) & 31,
                                    int((ty + shift) >> 6) & 31};
        best = std::max(best, ++votes[key]);
      }
    }
  }
  return best;
}

TEST(ShortlistTest, ScoresAreTheDefinitionsCountWithEveryKernel) {
  const FingerGenerator gen(5);
  const std::vector<std::string> kernels = FirstLookKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.back(), "portable");
  for (const std::string& kernel : kernels) {
    ASSERT_TRUE(UseFirstLookKernel(kernel));
    int nonzero = 0;
    for (int f = 0; f < 12; ++f) {
      const FingerPrint probe = FingerPrint::From(gen.Impression(f, 1));
      const ShortlistProbe first_look(probe);
      ASSERT_TRUE(first_look.usable());
      for (int g : {f, f + 1, f + 7}) {
        const FingerPrint candidate = FingerPrint::From(gen.Impression(g, 0));
        const int score = first_look.Score(Sketch(candidate));
        EXPECT_EQ(score, PlainScore(probe, candidate)) << kernel << ": " << f << " against " << g;
        nonzero += score > 0;
      }
    }
    EXPECT_EQ(nonzero, 36) << kernel;
  }
  EXPECT_FALSE(UseFirstLookKernel("none such"));
  ASSERT_TRUE(UseFirstLookKernel(kernels.front()));
}

TEST(ShortlistTest, TheOrderOfMinutiaeDoesNotMatter) {
  const FingerGenerator gen(6);
  FingerView probe = gen.Impression(3, 1), candidate = gen.Impression(3, 0);
  const int before = ShortlistProbe(FingerPrint::From(probe)).Score(Sketch(FingerPrint::From(candidate)));
  std::mt19937 rng(1);
  std::shuffle(probe.minutiae.begin(), probe.minutiae.end(), rng);
  std::shuffle(candidate.minutiae.begin(), candidate.minutiae.end(), rng);
  EXPECT_EQ(ShortlistProbe(FingerPrint::From(probe)).Score(Sketch(FingerPrint::From(candidate))), before);
  EXPECT_GT(before, 0);
}

TEST(ShortlistTest, AGlanceIsHalfASketchOfEveryShape) {
  // The first half of a sketch is every other edge in order of shape, not
  // its shorter half: the glance's edges are as long as the others.
  const FingerGenerator gen(8);
  for (int f = 0; f < 10; ++f) {
    const std::vector<SketchEdge> sketch = Sketch(FingerPrint::From(gen.Impression(f, 0)));
    const std::span<const SketchEdge> glance = Glance(sketch);
    ASSERT_EQ(glance.size(), (sketch.size() + 1) / 2);
    ASSERT_EQ(glance.data(), sketch.data());
    auto mean_length_cell = [](std::span<const SketchEdge> edges) {
      double sum = 0;
      for (const SketchEdge& e : edges) sum += e.key / 256;
      return sum / double(edges.size());
    };
    EXPECT_NEAR(mean_length_cell(glance), mean_length_cell(std::span(sketch).subspan(glance.size())), 0.5) << f;
  }
}

TEST(ShortlistTest, MatesRankInTheBestFew) {
  // 40 probes against 1,000 first impressions: a mate compare() matches
  // ranks among the best 2 % nearly always, and by a glance among the
  // best 10 % in at least 9 cases of 10.
  const FingerGenerator gen(7);
  std::vector<FingerPrint> gallery;
  std::vector<std::vector<SketchEdge>> sketches;
  for (int f = 0; f < 1000; ++f) gallery.push_back(FingerPrint::From(gen.Impression(f, 0))), sketches.push_back(Sketch(gallery.back()));
  int matched = 0, high = 0, glanced = 0;
  for (int f = 0; f < 40; ++f) {
    const FingerPrint probe = FingerPrint::From(gen.Impression(f, 1));
    if (compare(probe, gallery[size_t(f)]) < kDefaultThreshold) continue;
    ++matched;
    const ShortlistProbe first_look(probe);
    std::vector<uint16_t> scores;
    for (const auto& g : sketches) scores.push_back(static_cast<uint16_t>(first_look.Score(g)));
    const auto best = BestIndices(scores, 20);
    high += std::find(best.begin(), best.end(), size_t(f)) != best.end();
    scores.clear();
    for (const auto& g : sketches) scores.push_back(static_cast<uint16_t>(first_look.Score(Glance(g))));
    const auto best_glanced = BestIndices(scores, 100);
    glanced += std::find(best_glanced.begin(), best_glanced.end(), size_t(f)) != best_glanced.end();
  }
  EXPECT_GE(matched, 30);
  EXPECT_GE(high, matched - 2);
  EXPECT_GE(glanced * 10, matched * 9);
}

TEST(ShortlistTest, BestIndicesKeepTheHighestAndTheFirstOfTies) {
  EXPECT_EQ(BestIndices({5, 9, 1, 9, 5, 5, 0}, 4), (std::vector<size_t>{0, 1, 3, 4}));
  EXPECT_EQ(BestIndices({5, 9, 1}, 1), (std::vector<size_t>{1}));
  EXPECT_EQ(BestIndices({5, 9, 1}, 3), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(BestIndices({5, 9, 1}, 10), (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(BestIndices({5, 9, 1}, 0).empty());
  EXPECT_EQ(BestIndices({0, 0, 65535, 0}, 2), (std::vector<size_t>{0, 2}));
}

}  // namespace
}  // namespace vigil
