#include "biometrics/matcher.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <tuple>

#include "biometrics/matching.h"

namespace vigil {
namespace {

using namespace matching;

const Turns kTurns;

inline uint8_t direction(double dx, double dy) { return angle_units(std::atan2(dy, dx)); }

struct Scratch {
  // Votes by (rotation / 8, tx / 16, ty / 16), open addressing.
  static constexpr int kSlots = kVoteSlots;
  std::array<uint32_t, kSlots> keys{};
  std::array<uint16_t, kSlots> votes{};
  std::array<uint16_t, kSlots> root{};  // the alignment first voted there
  std::vector<uint16_t> used;
  struct Root {
    int rotation;    // 1/256 turn, of the first vote
    int turn;        // the sum of the votes' rotations less that
    int tx2, ty2;    // the sums of the votes' translations, in half pixels
  };
  std::vector<Root> roots;  // the alignments voted for, averaged
  std::array<uint8_t, 256> taken{};
  // The smaller print's footprint: a bit per cell, 128 x 128 cells, two
  // words a row; cleared after each use.
  std::array<uint64_t, 256> footprint{};
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// 16 edges' worth of one column, compared lane by lane.
typedef uint8_t Lanes __attribute__((vector_size(16)));

inline Lanes load(const uint8_t* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// |a - b| for lengths, or the gap between two angles in 1/256 turn: both
// are the smaller of the two differences modulo 256.
inline Lanes gap(Lanes a, Lanes b) {
  const Lanes d = a - b, e = b - a;
  return d < e ? d : e;
}

const Lanes kIota = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// Calls vote(k) for each candidate edge k in [begin, end) within the
// tolerances of the probe edge (length, from_angle, to_angle).
template <typename Vote>
inline void each_counterpart(const FingerPrint::Edges& c, int begin, int end, uint8_t length, uint8_t from_angle,
                             uint8_t to_angle, Vote&& vote) {
  const Lanes l = length - Lanes{}, fa = from_angle - Lanes{}, ta = to_angle - Lanes{};
  for (int k = begin; k < end; k += 16) {
    const auto at = static_cast<size_t>(k);
    const auto ok = (gap(load(&c.length[at]), l) <= kLengthTolerance) &
                    (gap(load(&c.from_angle[at]), fa) <= kEdgeAngleTolerance) &
                    (gap(load(&c.to_angle[at]), ta) <= kEdgeAngleTolerance) &
                    (kIota < static_cast<uint8_t>(std::min(end - k, 16)));
    uint64_t words[2];
    std::memcpy(words, &ok, sizeof words);
    for (int w = 0; w < 2; ++w)
      for (uint64_t bits = words[w]; bits; bits &= bits - 1) {
        const int lane = w * 8 + __builtin_ctzll(bits) / 8;
        bits &= ~(uint64_t{0xff} << (lane % 8 * 8));
        vote(k + lane);
        if (!bits) break;
      }
  }
}

// A rigid alignment of the probe onto the candidate: a rotation by
// (co, si), then a translation by (tx, ty).
struct Placement {
  double co = 1, si = 0, tx = 0, ty = 0;
  // Where probe minutia `p` lands on the candidate, to the nearest pixel.
  std::pair<int, int> operator()(const Minutia& p) const {
    return {nearest_int(co * p.x - si * p.y + tx), nearest_int(si * p.x + co * p.y + ty)};
  }
};

// Where the prints meet (matching::Overlap), the probe placed on the
// candidate by `place`.
Overlap Meet(const std::vector<Minutia>& pm, const std::vector<Minutia>& cm, const Placement& place,
           std::array<uint64_t, 256>& footprint) {
  const bool probe_smaller = pm.size() <= cm.size();
  const std::vector<Minutia>& small = probe_smaller ? pm : cm;
  const std::vector<Minutia>& large = probe_smaller ? cm : pm;
  // Cells in candidate coordinates, counted from the smaller print's first
  // minutia: the footprint moves with the prints (its area does not depend
  // on where a print lies in its image), and every footprint fits the grid
  // (minutiae lie within 65,536 pixels; farther cells count as outside).
  auto at_place = [&](const Minutia& m, bool probe) { return probe ? place(m) : std::pair<int, int>{m.x, m.y}; };
  const std::pair<int, int> origin = at_place(small[0], probe_smaller);
  const int x0 = origin.first, y0 = origin.second;
  auto cell = [&](const Minutia& m, bool probe) {
    const auto [x, y] = at_place(m, probe);
    return std::pair{(x - x0) >> kFootprintShift, (y - y0) >> kFootprintShift};
  };
  int area = 0;
  auto at = [&](int cx, int cy) -> int {  // the bit's index, or -1 off the grid
    const int gx = cx + 64, gy = cy + 64;
    return gx < 0 || gy < 0 || gx >= 128 || gy >= 128 ? -1 : gy * 128 + gx;
  };
  for (const Minutia& m : small) {
    const auto [cx, cy] = cell(m, probe_smaller);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (const int b = at(cx + dx, cy + dy); b >= 0) {
          uint64_t& word = footprint[size_t(b) >> 6];
          const uint64_t bit = uint64_t{1} << (b & 63);
          area += !(word & bit), word |= bit;
        }
  }
  int count = 0;
  for (const Minutia& m : large) {
    const auto [cx, cy] = cell(m, !probe_smaller);
    const int b = at(cx, cy);
    count += b >= 0 && (footprint[size_t(b) >> 6] >> (b & 63) & 1);
  }
  for (const Minutia& m : small) {
    const auto [cx, cy] = cell(m, probe_smaller);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx : {-1, 1})
        if (const int b = at(cx + dx, cy + dy); b >= 0) footprint[size_t(b) >> 6] = 0;
  }
  return {area, count};
}

}  // namespace

FingerPrint FingerPrint::From(const FingerView& view) {
  FingerPrint fp;
  const size_t n = std::min<size_t>(view.minutiae.size(), 255);
  fp.minutiae_.assign(view.minutiae.begin(), view.minutiae.begin() + static_cast<long>(n));
  // Templates measure angles counter-clockwise with y up; here they are
  // measured in image coordinates (y down), like edge directions.
  for (Minutia& m : fp.minutiae_) m.angle = static_cast<uint8_t>(-m.angle & 255);
  // A canonical order, so that no result depends on the template's; x
  // first, so that pairing reads only the minutiae within reach in x.
  std::sort(fp.minutiae_.begin(), fp.minutiae_.end(), [](const Minutia& a, const Minutia& b) {
    return std::tie(a.x, a.y, a.angle, a.type, a.quality) < std::tie(b.x, b.y, b.angle, b.type, b.quality);
  });
  long sx = 0, sy = 0;
  for (const Minutia& m : fp.minutiae_) sx += m.x, sy += m.y;
  fp.centre_x_ = n ? static_cast<int>(sx / static_cast<long>(n)) : 0;
  fp.centre_y_ = n ? static_cast<int>(sy / static_cast<long>(n)) : 0;
  fp.x_starts_.resize(kXBuckets + 1);
  for (size_t b = 0, i = 0; b <= kXBuckets; ++b) {
    while (i < n && fp.minutiae_[i].x < b * kXBucket) ++i;
    fp.x_starts_[b] = static_cast<uint8_t>(i);
  }
  // Each minutia's kNeighbours nearest others (ties: the lower index), kept
  // by insertion; an edge joins them when no longer than kMaxLength. Each
  // pair once, marked in an n x n bit table, read back in order.
  std::vector<uint64_t> linked((n * n + 63) / 64);
  each_nearest<kNeighbours>(fp.minutiae_, [&](size_t i, size_t j, int64_t squared) {
    if (squared > int64_t{kMaxLength} * kMaxLength) return;
    const size_t bit = std::min(i, j) * n + std::max(i, j);
    linked[bit >> 6] |= uint64_t{1} << (bit & 63);
  });
  // Both directions of every edge, so that corresponding edges meet
  // whichever way round each print has them; placed by cell (a counting
  // sort, which keeps the order of pairs within a cell).
  struct Edge {
    int cell;
    uint8_t length, from_angle, to_angle, from, to;
  };
  std::vector<Edge> edges;
  for (size_t w = 0; w < linked.size(); ++w)
    for (uint64_t bits = linked[w]; bits; bits &= bits - 1) {
      const size_t bit = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      const auto i = static_cast<uint8_t>(bit / n), j = static_cast<uint8_t>(bit % n);
      for (const auto& [from, to] : {std::pair{i, j}, std::pair{j, i}}) {
        const Minutia &a = fp.minutiae_[from], &b = fp.minutiae_[to];
        const double dx = double(b.x) - a.x, dy = double(b.y) - a.y;
        const uint8_t dir = direction(dx, dy);
        const auto length = static_cast<uint8_t>(std::min<long>(std::lround(std::sqrt(dx * dx + dy * dy)), kMaxLength));
        const auto from_angle = static_cast<uint8_t>((dir - a.angle) & 255);
        edges.push_back({Cell(length, from_angle), length, from_angle, static_cast<uint8_t>((dir - b.angle) & 255), from, to});
      }
    }
  for (auto* column : {&fp.edges_.length, &fp.edges_.from_angle, &fp.edges_.to_angle, &fp.edges_.from, &fp.edges_.to})
    column->assign(edges.size() + 16, 0);
  fp.cells_.assign(kLengthCells * kAngleCells + 1, 0);
  for (const Edge& e : edges) ++fp.cells_[static_cast<size_t>(e.cell) + 1];
  for (size_t c = 1; c < fp.cells_.size(); ++c) fp.cells_[c] += fp.cells_[c - 1];
  std::vector<uint16_t> next(fp.cells_.begin(), fp.cells_.end() - 1);
  for (const Edge& e : edges) {
    const size_t k = next[static_cast<size_t>(e.cell)]++;
    fp.edges_.length[k] = e.length, fp.edges_.from_angle[k] = e.from_angle, fp.edges_.to_angle[k] = e.to_angle;
    fp.edges_.from[k] = e.from, fp.edges_.to[k] = e.to;
  }
  return fp;
}

double compare(const FingerPrint& probe, const FingerPrint& candidate) {
  const FingerPrint::Edges& pe = probe.edges();
  const FingerPrint::Edges& ce = candidate.edges();
  const auto& pm = probe.minutiae();
  const auto& cm = candidate.minutiae();
  if (pm.size() < 3 || cm.size() < 3) return 0;
  const int ox = probe.centre_x(), oy = probe.centre_y();
  Scratch& s = scratch();
  for (uint16_t slot : s.used) s.keys[slot] = 0, s.votes[slot] = 0;
  s.used.clear();
  s.roots.clear();
  // 1. Corresponding edges: similar length and the same directions of
  //    their ends relative to them. Each votes for the alignment it
  //    implies: the rotation from the edges' directions, the translation
  //    from their midpoints (which averages two minutiae's placement
  //    errors). The candidate has every edge both ways round, so the
  //    probe's are read one way only.
  static_assert(FingerPrint::kLengthCell >= kLengthTolerance && 256 / FingerPrint::kAngleCells >= kEdgeAngleTolerance,
                "a tolerance spans at most three cells");
  constexpr int kAngleWidth = 256 / FingerPrint::kAngleCells;
  const size_t probe_edges = probe.edge_count();
  for (size_t k = 0; k < probe_edges; ++k) {
    const int from = pe.from[k], to = pe.to[k];
    if (from > to) continue;
    const int length = pe.length[k], from_angle = pe.from_angle[k];
    const Minutia &p = pm[static_cast<size_t>(from)], &p2 = pm[static_cast<size_t>(to)];
    const int px = p.x + p2.x - 2 * ox, py = p.y + p2.y - 2 * oy;  // twice the midpoint, from the probe's centre
    const int probe_direction = from_angle + p.angle;
    auto vote = [&](int c) {
      const Minutia &q = cm[ce.from[static_cast<size_t>(c)]], &q2 = cm[ce.to[static_cast<size_t>(c)]];
      const int rotation = (ce.from_angle[static_cast<size_t>(c)] + q.angle - probe_direction) & 255;
      const int64_t co = kTurns.icos[static_cast<size_t>(rotation)], si = kTurns.isin[static_cast<size_t>(rotation)];
      const int tx2 = q.x + q2.x - static_cast<int>((co * px - si * py) >> 14);
      const int ty2 = q.y + q2.y - static_cast<int>((si * px + co * py) >> 14);
      const uint32_t key = 1u + ((static_cast<uint32_t>(rotation >> 3) << 20) ^
                                 (static_cast<uint32_t>((tx2 >> 5) & 0x3ff) << 10) ^
                                 static_cast<uint32_t>((ty2 >> 5) & 0x3ff));
      uint32_t slot = (key * 2654435761u) >> 20;
      while (s.keys[slot] && s.keys[slot] != key) slot = (slot + 1) & (Scratch::kSlots - 1);
      if (!s.keys[slot]) {
        if (s.used.size() >= Scratch::kSlots / 2) return;  // full enough: later votes are noise
        s.keys[slot] = key;
        s.root[slot] = static_cast<uint16_t>(s.roots.size());
        s.roots.push_back({rotation, 0, 0, 0});
        s.used.push_back(static_cast<uint16_t>(slot));
      }
      ++s.votes[slot];
      Scratch::Root& root = s.roots[s.root[slot]];
      root.turn += ((rotation - root.rotation + 128) & 255) - 128;
      root.tx2 += tx2, root.ty2 += ty2;
    };
    // Only the cells the tolerances reach are read: two or three lengths,
    // and in each a run of two or three angle cells, split where it wraps.
    const int l0 = std::min(std::max(0, length - kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int l1 = std::min((length + kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int a0 = ((from_angle - kEdgeAngleTolerance) & 255) / kAngleWidth;
    const int a1 = ((from_angle + kEdgeAngleTolerance) & 255) / kAngleWidth;
    for (int l = l0; l <= l1; ++l) {
      const int row = l * FingerPrint::kAngleCells;
      auto run = [&](int first, int last) {
        each_counterpart(ce, candidate.cell_start(row + first), candidate.cell_start(row + last + 1),
                         static_cast<uint8_t>(length), static_cast<uint8_t>(from_angle), pe.to_angle[k], vote);
      };
      if (a0 <= a1) {
        run(a0, a1);
      } else {
        run(a0, FingerPrint::kAngleCells - 1);
        run(0, a1);
      }
    }
  }
  if (s.used.empty()) return 0;
  // 2. The best-voted alignments, each averaged over its votes: pair
  //    aligned minutiae greedily, each candidate minutia once.
  std::partial_sort(s.used.begin(), s.used.begin() + std::min<long>(kTopAlignments, long(s.used.size())), s.used.end(),
                    [&](uint16_t a, uint16_t b) { return s.votes[a] != s.votes[b] ? s.votes[a] > s.votes[b] : a < b; });
  int best = 0;
  Placement best_place;
  for (int t = 0; t < kTopAlignments && t < int(s.used.size()); ++t) {
    const uint16_t slot = s.used[static_cast<size_t>(t)];
    const Scratch::Root& root = s.roots[s.root[slot]];
    const double votes = s.votes[slot];
    const int rotation = (root.rotation + static_cast<int>(std::lround(root.turn / votes))) & 255;
    const double co = kTurns.cos[size_t(rotation)], si = kTurns.sin[size_t(rotation)];
    // Votes turn the probe about its centre; turned about the origin, it
    // moves by the difference.
    const Placement place{co, si, 0.5 * root.tx2 / votes - (co * ox - si * oy), 0.5 * root.ty2 / votes - (si * ox + co * oy)};
    std::fill(s.taken.begin(), s.taken.begin() + static_cast<long>(cm.size()), 0);
    int matched = 0;
    for (const Minutia& p : pm) {
      const auto [x, y] = place(p);
      if (x < -kPairDistance || y < -kPairDistance) continue;
      const int angle = (p.angle + rotation) & 255;
      int found = -1, nearest = kPairDistance * kPairDistance + 1;
      const int bucket = std::min(std::max(0, x - kPairDistance) / kXBucket, kXBuckets);
      for (size_t j = candidate.x_start(bucket); j < cm.size() && cm[j].x <= x + kPairDistance; ++j) {
        const int dx = cm[j].x - x, dy = cm[j].y - y;
        if (dy > kPairDistance || dy < -kPairDistance) continue;  // out of reach (and d cannot overflow)
        const int d = dx * dx + dy * dy;
        if (d < nearest && !s.taken[j] && angle_gap(cm[j].angle, angle) <= kPairAngle) nearest = d, found = static_cast<int>(j);
      }
      if (found >= 0) s.taken[static_cast<size_t>(found)] = 1, ++matched;
    }
    if (matched > best) best = matched, best_place = place;
  }
  if (best < 3) return 0.0;
  // Pairs found, weighed by how much of the smaller print they cover, and
  // by how many of the larger print's minutiae lie where the smaller print
  // has some (so that a small print gains nothing from chance pairs with a
  // dense one).
  return score(best, static_cast<int>(std::min(pm.size(), cm.size())), Meet(pm, cm, best_place, s.footprint));
}

namespace {

// The impostor tail: scores and the share of impostor comparisons reaching
// them, shallowest first. Every impostor reaches 0. To 1 in 10^3: 1.8
// million comparisons of 600 probes with 3,000 whole prints. From 1 in
// 10^4 to 1 in 10^7: 5,000 searches of fingers not enrolled, comparing
// every view of a gallery of 20,000 (10^8 comparisons); deeper, that
// tail's last point moved up by the score a tail measured deeper adds per
// decade (10,000 such searches of a gallery of 100,000, shortlisted: 10^9
// comparisons; +2.1 to 1 in 10^8, +3.0 to 1 in 10^9).
// docs/biometrics.md, "Identification".
struct TailPoint {
  double score, log10_rate;
};
constexpr TailPoint kTail[] = {{0, 0},      {1.3, -0.05}, {2.3, -0.3}, {4.0, -1},   {6.1, -2},   {8.2, -3},
                               {10.1, -4},  {12.1, -5},   {14.2, -6},  {16.5, -7},  {18.6, -8},  {21.6, -9}};

// The tail as a line through its points, extended past its ends along its
// end segments: the log10 rate at a score (by_score), or else the score at
// minus a log10 rate (both keys grow along the tail).
double along_tail(double key, bool by_score) {
  auto key_of = [&](const TailPoint& p) { return by_score ? p.score : -p.log10_rate; };
  auto value_of = [&](const TailPoint& p) { return by_score ? p.log10_rate : p.score; };
  size_t k = 1;  // the segment [k - 1, k] that `key` lies on, or the nearest end one
  while (k + 1 < std::size(kTail) && key > key_of(kTail[k])) ++k;
  const TailPoint &a = kTail[k - 1], &b = kTail[k];
  return value_of(a) + (key - key_of(a)) * (value_of(b) - value_of(a)) / (key_of(b) - key_of(a));
}

}  // namespace

double impostor_rate(double score) { return std::min(1.0, std::pow(10.0, along_tail(score, true))); }

namespace {

// The log10 chance that `fingers` independent chances multiply to
// 10^log10_p or less: P * sum over i < fingers of (-ln P)^i / i!.
double log10_together(double log10_p, int fingers) {
  const double ln_p = log10_p * std::log(10.0);
  double term = 1, sum = 1;
  for (int i = 1; i < fingers; ++i) term *= -ln_p / i, sum += term;
  return log10_p + std::log10(sum);
}

}  // namespace

double subject_score(std::span<const ViewEvidence> evidence) {
  // Which finger a view is taken for: a known finger (1 to 10), a place in
  // a slap (above 10), or no known finger (0).
  auto finger_of = [](const ViewEvidence& e) {
    const uint16_t mask = finger_mask(e.finger);
    if (std::has_single_bit(mask)) return std::countr_zero(mask);
    return slap_position(e.finger) ? 16 * e.finger + e.print : 0;
  };
  auto log10_chance = [](const ViewEvidence& e) {
    return std::log10(static_cast<double>(e.views)) + along_tail(e.score, true);
  };
  // Each finger's chance: its best view's, times its views.
  struct Side {
    double log10_p = 0;  // the fingers' chances multiplied
    int fingers = 0;
    uint16_t mask = 0;  // the fingers they may be
    double together() const { return log10_together(log10_p, fingers); }
  } known, slaps, unknown;
  for (size_t i = 0; i < evidence.size(); ++i) {
    const ViewEvidence& e = evidence[i];
    const int finger = finger_of(e);
    if (!e.views || std::any_of(evidence.begin(), evidence.begin() + static_cast<long>(i),
                                [&](const ViewEvidence& o) { return o.views && finger_of(o) == finger; }))
      continue;  // not compared, or its finger is counted already
    double best = log10_chance(e);
    int views = 1;
    for (size_t j = i + 1; j < evidence.size(); ++j)
      if (evidence[j].views && finger_of(evidence[j]) == finger) best = std::min(best, log10_chance(evidence[j])), ++views;
    Side& side = finger == 0 ? unknown : finger <= 10 ? known : slaps;
    side.log10_p += std::min(0.0, best + std::log10(views));
    ++side.fingers;
    side.mask |= finger_mask(e.finger);
  }
  // Two sides whose fingers may be the same: twice the lesser chance of
  // each alone; else the chance of all their fingers together.
  auto either = [](const Side& a, const Side& b) {
    if (!a.fingers || !b.fingers) return a.fingers ? a : b;
    if (!(a.mask & b.mask)) return Side{a.log10_p + b.log10_p, a.fingers + b.fingers, uint16_t(a.mask | b.mask)};
    return Side{std::log10(2.0) + std::min(a.together(), b.together()), 1, uint16_t(a.mask | b.mask)};
  };
  const Side all = either(either(known, slaps), unknown);
  if (!all.fingers) return 0;
  return along_tail(-std::min(0.0, all.together()), false);
}

double identification_threshold(double comparisons, double fpir) {
  if (comparisons <= 0 || fpir <= 0) return kDefaultThreshold;
  return std::max(kDefaultThreshold, along_tail(-std::log10(fpir / comparisons), false));
}

}  // namespace vigil
