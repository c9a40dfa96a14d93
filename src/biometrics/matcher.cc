#include "biometrics/matcher.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil {
namespace {

constexpr int kNeighbours = 8;        // edges from each minutia to its nearest others
constexpr int kLengthTolerance = 10;  // pixels, between edges that may correspond
constexpr int kEdgeAngleTolerance = 12;  // 1/256 turn (about 17 degrees)
constexpr int kPairDistance = 18;     // pixels, between aligned minutiae that pair
constexpr int kPairAngle = 16;        // 1/256 turn (about 22 degrees)
constexpr int kTopAlignments = 8;     // alignments tried, best voted first

inline int angle_gap(int a, int b) {
  const int d = (a - b) & 255;
  return d > 128 ? 256 - d : d;
}

// cos and sin of a rotation in 1/256 of a turn.
struct Turns {
  std::array<double, 256> cos, sin;
  Turns() {
    for (int i = 0; i < 256; ++i) cos[size_t(i)] = std::cos(i * M_PI / 128.0), sin[size_t(i)] = std::sin(i * M_PI / 128.0);
  }
};
const Turns kTurns;

inline uint8_t direction(double dx, double dy) { return angle_units(std::atan2(dy, dx)); }

// A rigid alignment of the probe onto the candidate, and its votes.
struct Alignment {
  int rotation;  // 1/256 turn
  double cos, sin, tx, ty;
  int votes;
};

struct Scratch {
  // Votes by (rotation / 8, tx / 16, ty / 16), open addressing.
  static constexpr int kSlots = 4096;
  std::array<uint32_t, kSlots> keys{};
  std::array<uint16_t, kSlots> votes{};
  std::array<uint16_t, kSlots> root{};  // the first root pair that voted there
  std::vector<uint16_t> used;
  std::vector<std::pair<uint8_t, uint8_t>> roots;  // (probe minutia, candidate minutia)
  std::vector<int> rotations;
  std::array<uint8_t, 256> taken{};
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

FingerPrint FingerPrint::From(const FingerView& view) {
  FingerPrint fp;
  const size_t n = std::min<size_t>(view.minutiae.size(), 255);
  fp.minutiae_.assign(view.minutiae.begin(), view.minutiae.begin() + static_cast<long>(n));
  // Templates measure angles counter-clockwise with y up; here they are
  // measured in image coordinates (y down), like edge directions.
  for (Minutia& m : fp.minutiae_) m.angle = static_cast<uint8_t>(-m.angle & 255);
  std::vector<std::pair<double, size_t>> near;
  std::vector<std::pair<uint8_t, uint8_t>> pairs;
  for (size_t i = 0; i < n; ++i) {
    near.clear();
    const Minutia& a = fp.minutiae_[i];
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dx = fp.minutiae_[j].x - a.x, dy = fp.minutiae_[j].y - a.y;
      near.emplace_back(dx * dx + dy * dy, j);
    }
    const size_t k = std::min<size_t>(kNeighbours, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<long>(k), near.end());
    for (size_t t = 0; t < k; ++t) {
      const auto j = static_cast<uint8_t>(near[t].second);
      pairs.emplace_back(static_cast<uint8_t>(std::min<size_t>(i, j)), static_cast<uint8_t>(std::max<size_t>(i, j)));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  // Both directions of every edge, so that corresponding edges meet
  // whichever way round each template lists them.
  for (const auto& [i, j] : pairs) {
    for (const auto& [from, to] : {std::pair{i, j}, std::pair{j, i}}) {
      const Minutia &a = fp.minutiae_[from], &b = fp.minutiae_[to];
      const double dx = double(b.x) - a.x, dy = double(b.y) - a.y;
      const uint8_t dir = direction(dx, dy);
      fp.edges_.push_back({static_cast<uint16_t>(std::lround(std::sqrt(dx * dx + dy * dy))),
                           static_cast<uint8_t>((dir - a.angle) & 255), static_cast<uint8_t>((dir - b.angle) & 255),
                           from, to});
    }
  }
  std::stable_sort(fp.edges_.begin(), fp.edges_.end(), [](const Edge& x, const Edge& y) {
    return Cell(x.length, x.from_angle) < Cell(y.length, y.from_angle);
  });
  fp.cells_.assign(kLengthCells * kAngleCells + 1, 0);
  for (const Edge& e : fp.edges_) ++fp.cells_[static_cast<size_t>(Cell(e.length, e.from_angle)) + 1];
  for (size_t c = 1; c < fp.cells_.size(); ++c) fp.cells_[c] += fp.cells_[c - 1];
  return fp;
}

double compare(const FingerPrint& probe, const FingerPrint& candidate) {
  const auto& pe = probe.edges();
  const auto& ce = candidate.edges();
  const auto& pm = probe.minutiae();
  const auto& cm = candidate.minutiae();
  if (pm.size() < 3 || cm.size() < 3) return 0;
  Scratch& s = scratch();
  for (uint16_t slot : s.used) s.keys[slot] = 0, s.votes[slot] = 0;
  s.used.clear();
  s.roots.clear();
  s.rotations.clear();
  // 1. Corresponding edges: similar length and the same directions of
  //    their ends relative to them. Each votes for the alignment it implies.
  static_assert(FingerPrint::kLengthCell >= kLengthTolerance && 256 / FingerPrint::kAngleCells >= kEdgeAngleTolerance,
                "a tolerance spans at most three cells");
  constexpr int kAngleWidth = 256 / FingerPrint::kAngleCells;
  for (const auto& e : pe) {
    // Only the cells the tolerances reach are read (two or three each way).
    const int l0 = std::min(std::max(0, e.length - kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int l1 = std::min((e.length + kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int a0 = ((e.from_angle - kEdgeAngleTolerance) & 255) / kAngleWidth;
    const int a1 = ((e.from_angle + kEdgeAngleTolerance) & 255) / kAngleWidth;
    const int angle_cells = ((a1 - a0 + FingerPrint::kAngleCells) % FingerPrint::kAngleCells) + 1;
    for (int l = l0; l <= l1; ++l)
      for (int i = 0; i < angle_cells; ++i) {
        const int cell = l * FingerPrint::kAngleCells + (a0 + i) % FingerPrint::kAngleCells;
        const int end = candidate.cell_start(cell + 1);
        for (int k = candidate.cell_start(cell); k < end; ++k) {
      const auto& c = ce[static_cast<size_t>(k)];
      if (std::abs(int(c.length) - int(e.length)) > kLengthTolerance ||
          angle_gap(e.from_angle, c.from_angle) > kEdgeAngleTolerance ||
          angle_gap(e.to_angle, c.to_angle) > kEdgeAngleTolerance)
        continue;
      const Minutia &p = pm[e.from], &q = cm[c.from];
      const int rotation = (int(c.from_angle) + q.angle - int(e.from_angle) - p.angle) & 255;
      const double co = kTurns.cos[size_t(rotation)], si = kTurns.sin[size_t(rotation)];
      const double tx = q.x - (co * p.x - si * p.y), ty = q.y - (si * p.x + co * p.y);
      const uint32_t key = 1u + ((static_cast<uint32_t>(rotation >> 3) << 20) ^
                                 (static_cast<uint32_t>(static_cast<int>(std::floor(tx / 16)) & 0x3ff) << 10) ^
                                 static_cast<uint32_t>(static_cast<int>(std::floor(ty / 16)) & 0x3ff));
      uint32_t slot = (key * 2654435761u) >> 20;
      while (s.keys[slot] && s.keys[slot] != key) slot = (slot + 1) & (Scratch::kSlots - 1);
      if (!s.keys[slot]) {
        if (s.used.size() >= Scratch::kSlots / 2) continue;  // full enough: later votes are noise
        s.keys[slot] = key;
        s.root[slot] = static_cast<uint16_t>(s.roots.size());
        s.roots.emplace_back(e.from, c.from);
        s.rotations.push_back(rotation);
        s.used.push_back(static_cast<uint16_t>(slot));
      }
      ++s.votes[slot];
        }
      }
  }
  if (s.used.empty()) return 0;
  // 2. The best-voted alignments: pair aligned minutiae greedily, each
  //    candidate minutia once.
  std::partial_sort(s.used.begin(), s.used.begin() + std::min<long>(kTopAlignments, long(s.used.size())), s.used.end(),
                    [&](uint16_t a, uint16_t b) { return s.votes[a] > s.votes[b]; });
  int best = 0;
  for (int t = 0; t < kTopAlignments && t < int(s.used.size()); ++t) {
    const uint16_t slot = s.used[static_cast<size_t>(t)];
    if (s.votes[slot] < 2) break;
    const auto [pi, ci] = s.roots[s.root[slot]];
    const int rotation = s.rotations[s.root[slot]];
    const double co = kTurns.cos[size_t(rotation)], si = kTurns.sin[size_t(rotation)];
    const double tx = cm[ci].x - (co * pm[pi].x - si * pm[pi].y), ty = cm[ci].y - (si * pm[pi].x + co * pm[pi].y);
    std::fill(s.taken.begin(), s.taken.begin() + static_cast<long>(cm.size()), 0);
    int matched = 0;
    for (const Minutia& p : pm) {
      const double x = co * p.x - si * p.y + tx, y = si * p.x + co * p.y + ty;
      const int angle = (p.angle + rotation) & 255;
      int found = -1;
      double nearest = kPairDistance * kPairDistance + 1.0;
      for (size_t j = 0; j < cm.size(); ++j) {
        if (s.taken[j]) continue;
        const double dx = cm[j].x - x, dy = cm[j].y - y, d = dx * dx + dy * dy;
        if (d < nearest && angle_gap(cm[j].angle, angle) <= kPairAngle) nearest = d, found = static_cast<int>(j);
      }
      if (found >= 0) s.taken[static_cast<size_t>(found)] = 1, ++matched;
    }
    best = std::max(best, matched);
  }
  // Pairs found, weighed by how much of the smaller print they cover.
  const double smaller = static_cast<double>(std::min(pm.size(), cm.size()));
  return best < 3 ? 0.0 : 100.0 * best * best / (smaller * std::max<double>(smaller, 20.0)) ;
}

}  // namespace vigil
