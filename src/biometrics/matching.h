// The settings and tables of fingerprint comparison (matcher.cc), shared
// with its GPU form (finger_device.cu), which takes the same steps and must
// give the same bits.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

// The helpers below are compiled for the GPU too, where CUDA builds them.
#ifdef __CUDACC__
#define VIGIL_HOST_DEVICE __host__ __device__
#else
#define VIGIL_HOST_DEVICE
#endif

namespace vigil::matching {

inline constexpr int kNeighbours = 8;           // edges from each minutia to its nearest others
inline constexpr int kLengthTolerance = 10;     // pixels, between edges that may correspond
inline constexpr int kEdgeAngleTolerance = 12;  // 1/256 turn (about 17 degrees)
inline constexpr int kFootprintShift = 5;       // 32-pixel cells: a print's footprint is the cells next to its minutiae
inline constexpr int kPairDistance = 18;        // pixels, between aligned minutiae that pair
inline constexpr int kPairAngle = 16;           // 1/256 turn (about 22 degrees)
inline constexpr int kTopAlignments = 12;       // alignments tried, best voted first
inline constexpr int kXBucket = 32;             // pixels of x per FingerPrint::x_start bucket
inline constexpr int kXBuckets = 128;
// Votes by (rotation / 8, tx / 16, ty / 16) in an open-addressing table of
// kVoteSlots; once half of it is taken, new alignments are not added.
inline constexpr int kVoteSlots = 4096;

// The gap between two angles in 1/256 of a turn, 0 to 128.
VIGIL_HOST_DEVICE inline int angle_gap(int a, int b) {
  const int d = (a - b) & 255;
  return d > 128 ? 256 - d : d;
}

// Rounds to the nearest integer without a library call: truncation is a
// floor above -65536, and below that (no print's place) it is off by one.
VIGIL_HOST_DEVICE inline int nearest_int(double v) { return static_cast<int>(v + 65536.5) - 65536; }

// Where two prints meet under an alignment: the area of the smaller
// print's footprint (the cells of 1 << kFootprintShift pixels a side next
// to its minutiae, each counted once) and how many of the larger print's
// minutiae lie in it.
struct Overlap {
  int area = 0, facing = 0;
};

// The score of `pairs` minutiae paired under the best alignment, where
// `smaller` is the smaller print's count of minutiae (docs/biometrics.md,
// "Comparison"): 100 · pairs² / (smaller · max(smaller, 20, facing)),
// times (4√A / (√A + 36))² where the smaller print's footprint A is under
// 144 cells (a whole print's is about that). A small footprint can lie in
// more places on the larger print, all of it where the larger has
// minutiae, so the best of those places pairs a larger share of it by
// chance; without the factor, a third of a print's impostors would reach
// a given score some 70 times as often as a whole print's.
VIGIL_HOST_DEVICE inline double score(int pairs, int smaller, Overlap overlap) {
  const double n = smaller, side = sqrt(double(overlap.area)), small = 4.0 * side / (side + 36.0);
  return 100.0 * pairs * pairs / (n * fmax(fmax(n, 20.0), double(overlap.facing))) * fmin(1.0, small * small);
}

// For each of `points` (anything with x and y), its K nearest others,
// nearest first (ties: the lower index), kept by insertion rather than by
// sorting every distance: near(i, j, squared distance) for each. Host only.
template <size_t K, typename Points, typename Near>
void each_nearest(const Points& points, Near&& near) {
  const size_t n = points.size();
  for (size_t i = 0; i < n; ++i) {
    std::array<std::pair<int64_t, size_t>, K> best;
    size_t kept = 0;
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const int64_t dx = int64_t{points[j].x} - points[i].x, dy = int64_t{points[j].y} - points[i].y;
      const std::pair<int64_t, size_t> d{dx * dx + dy * dy, j};
      if (kept == K && !(d < best[kept - 1])) continue;
      size_t at = kept < K ? kept++ : kept - 1;
      for (; at > 0 && d < best[at - 1]; --at) best[at] = best[at - 1];
      best[at] = d;
    }
    for (size_t t = 0; t < kept; ++t) near(i, best[t].second, best[t].first);
  }
}

// cos and sin of a rotation in 1/256 of a turn, as doubles and as
// integers scaled by 2^14.
struct Turns {
  std::array<double, 256> cos, sin;
  std::array<int32_t, 256> icos, isin;
  Turns() {
    for (size_t i = 0; i < 256; ++i) {
      cos[i] = std::cos(double(i) * M_PI / 128.0), sin[i] = std::sin(double(i) * M_PI / 128.0);
      icos[i] = static_cast<int32_t>(std::lround(cos[i] * 16384)), isin[i] = static_cast<int32_t>(std::lround(sin[i] * 16384));
    }
  }
};

}  // namespace vigil::matching
