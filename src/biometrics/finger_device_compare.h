// compare() of matcher.cc, step for step, as a function that a GPU thread
// and the host can both run: finger_device.cu runs it on the GPU, one
// thread per gallery print, and a test runs it on the host against
// compare() itself, so that a build without a GPU checks it too.
//
// Promises:
//  - Compare(View(probe), probe's centre, View(candidate), tables, scratch)
//    returns compare(probe, candidate) to the bit, given the tables of
//    MakeTables() and a scratch zeroed once (Compare leaves it zeroed).
//    Doubles are computed in the CPU's order; the GPU file is built with
//    -fmad=false and matcher.cc with -ffp-contract=off, so that no
//    multiply-add is fused on one side only.
//  - Prints are columns with offsets (Columns builds them on the host);
//    print i's minutiae and edges are [off[i], off[i + 1]).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "biometrics/matcher.h"
#include "biometrics/matching.h"

namespace vigil::finger_gpu {

using namespace matching;

// Prints as columns: minutiae and edges of print i in [off[i], off[i + 1]).
struct Prints {
  const uint16_t* mx;
  const uint16_t* my;
  const uint8_t* ma;
  const uint32_t* m_off;
  const uint8_t *length, *from_angle, *to_angle, *from, *to;
  const uint64_t* e_off;
  const uint16_t* cells;     // kCells a print
  const uint8_t* x_starts;   // kXStarts a print
  const uint8_t* finger;
};
constexpr int kCells = FingerPrint::kLengthCells * FingerPrint::kAngleCells + 1;
constexpr int kXStarts = kXBuckets + 1;

struct Tables {
  double cos[256], sin[256];
  int32_t icos[256], isin[256];
};

// compare()'s rotation tables (matching::Turns) as one block to copy.
inline Tables MakeTables() {
  const Turns turns;
  Tables t;
  for (int i = 0; i < 256; ++i) t.cos[i] = turns.cos[i], t.sin[i] = turns.sin[i], t.icos[i] = turns.icos[i], t.isin[i] = turns.isin[i];
  return t;
}

struct Root {
  int rotation, turn, tx2, ty2;
};

// compare()'s per-thread scratch.
struct Scratch {
  uint32_t keys[kVoteSlots];
  uint16_t votes[kVoteSlots];
  uint16_t root[kVoteSlots];
  uint16_t used[kVoteSlots / 2];
  Root roots[kVoteSlots / 2];
  uint8_t taken[256];
  uint64_t footprint[256];
};

// The gap of two bytes as compare() takes it lane by lane: the smaller of
// the two differences modulo 256.
VIGIL_HOST_DEVICE inline int ByteGap(uint8_t a, uint8_t b) {
  const uint8_t d = static_cast<uint8_t>(a - b), e = static_cast<uint8_t>(b - a);
  return d < e ? d : e;
}
VIGIL_HOST_DEVICE inline int Min(int a, int b) { return a < b ? a : b; }
VIGIL_HOST_DEVICE inline int Max(int a, int b) { return a < b ? b : a; }

struct Place {
  double co, si, tx, ty;
  VIGIL_HOST_DEVICE void operator()(int px, int py, int* x, int* y) const {
    *x = nearest_int(co * px - si * py + tx);
    *y = nearest_int(si * px + co * py + ty);
  }
};

// One print of `prints`, as compare() reads a FingerPrint.
struct View {
  const Prints* p;
  uint32_t m0, n;  // minutiae
  uint64_t e0;     // edges
  uint32_t edges;
  const uint16_t* cells;
  const uint8_t* x_starts;
  VIGIL_HOST_DEVICE View(const Prints& prints, uint64_t i)
      : p(&prints),
        m0(prints.m_off[i]),
        n(prints.m_off[i + 1] - prints.m_off[i]),
        e0(prints.e_off[i]),
        edges(static_cast<uint32_t>(prints.e_off[i + 1] - prints.e_off[i])),
        cells(prints.cells + i * kCells),
        x_starts(prints.x_starts + i * kXStarts) {}
  VIGIL_HOST_DEVICE int x(uint32_t j) const { return p->mx[m0 + j]; }
  VIGIL_HOST_DEVICE int y(uint32_t j) const { return p->my[m0 + j]; }
  VIGIL_HOST_DEVICE int angle(uint32_t j) const { return p->ma[m0 + j]; }
};

// Meet() of matcher.cc.
VIGIL_HOST_DEVICE inline Overlap Meet(const View& pv, const View& cv, const Place& place, uint64_t* footprint) {
  const bool probe_smaller = pv.n <= cv.n;
  const View& small = probe_smaller ? pv : cv;
  const View& large = probe_smaller ? cv : pv;
  int x0 = small.x(0), y0 = small.y(0);
  if (probe_smaller) place(small.x(0), small.y(0), &x0, &y0);
  auto cell = [&](const View& v, uint32_t j, bool probe, int* cx, int* cy) {
    int x = v.x(j), y = v.y(j);
    if (probe) place(v.x(j), v.y(j), &x, &y);
    *cx = (x - x0) >> kFootprintShift, *cy = (y - y0) >> kFootprintShift;
  };
  int area = 0;
  auto at = [&](int cx, int cy) -> int {
    const int gx = cx + 64, gy = cy + 64;
    return gx < 0 || gy < 0 || gx >= 128 || gy >= 128 ? -1 : gy * 128 + gx;
  };
  for (uint32_t j = 0; j < small.n; ++j) {
    int cx, cy;
    cell(small, j, probe_smaller, &cx, &cy);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        if (const int b = at(cx + dx, cy + dy); b >= 0) {
          const uint64_t bit = uint64_t{1} << (b & 63);
          area += !(footprint[b >> 6] & bit), footprint[b >> 6] |= bit;
        }
  }
  int count = 0;
  for (uint32_t j = 0; j < large.n; ++j) {
    int cx, cy;
    cell(large, j, !probe_smaller, &cx, &cy);
    const int b = at(cx, cy);
    count += b >= 0 && (footprint[b >> 6] >> (b & 63) & 1);
  }
  for (uint32_t j = 0; j < small.n; ++j) {
    int cx, cy;
    cell(small, j, probe_smaller, &cx, &cy);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; dx += 2)
        if (const int b = at(cx + dx, cy + dy); b >= 0) footprint[b >> 6] = 0;
  }
  return {area, count};
}

// compare(probe, candidate) of matcher.cc.
VIGIL_HOST_DEVICE inline double Compare(const View& pv, int ox, int oy, const View& cv, const Tables& t, Scratch& s) {
  if (pv.n < 3 || cv.n < 3) return 0;
  const Prints& P = *pv.p;
  const Prints& C = *cv.p;
  int used = 0, roots = 0;
  constexpr int kAngleWidth = 256 / FingerPrint::kAngleCells;
  for (uint32_t k = 0; k < pv.edges; ++k) {
    const uint64_t pk = pv.e0 + k;
    const int from = P.from[pk], to = P.to[pk];
    if (from > to) continue;
    const int length = P.length[pk], from_angle = P.from_angle[pk];
    const uint8_t to_angle = P.to_angle[pk];
    const int px = pv.x(from) + pv.x(to) - 2 * ox, py = pv.y(from) + pv.y(to) - 2 * oy;
    const int probe_direction = from_angle + pv.angle(from);
    const int l0 = Min(Max(0, length - kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int l1 = Min((length + kLengthTolerance) / FingerPrint::kLengthCell, FingerPrint::kLengthCells - 1);
    const int a0 = ((from_angle - kEdgeAngleTolerance) & 255) / kAngleWidth;
    const int a1 = ((from_angle + kEdgeAngleTolerance) & 255) / kAngleWidth;
    for (int l = l0; l <= l1; ++l) {
      const int row = l * FingerPrint::kAngleCells;
      for (int part = 0; part < (a0 <= a1 ? 1 : 2); ++part) {
        const int first = a0 <= a1 ? a0 : part == 0 ? a0 : 0;
        const int last = a0 <= a1 ? a1 : part == 0 ? FingerPrint::kAngleCells - 1 : a1;
        const int begin = cv.cells[row + first], end = cv.cells[row + last + 1];
        for (int c = begin; c < end; ++c) {
          const uint64_t ck = cv.e0 + static_cast<uint64_t>(c);
          if (ByteGap(C.length[ck], static_cast<uint8_t>(length)) > kLengthTolerance ||
              ByteGap(C.from_angle[ck], static_cast<uint8_t>(from_angle)) > kEdgeAngleTolerance ||
              ByteGap(C.to_angle[ck], to_angle) > kEdgeAngleTolerance)
            continue;
          const int q = C.from[ck], q2 = C.to[ck];
          const int rotation = (C.from_angle[ck] + cv.angle(q) - probe_direction) & 255;
          const int64_t co = t.icos[rotation], si = t.isin[rotation];
          const int tx2 = cv.x(q) + cv.x(q2) - static_cast<int>((co * px - si * py) >> 14);
          const int ty2 = cv.y(q) + cv.y(q2) - static_cast<int>((si * px + co * py) >> 14);
          const uint32_t key = 1u + ((static_cast<uint32_t>(rotation >> 3) << 20) ^
                                     (static_cast<uint32_t>((tx2 >> 5) & 0x3ff) << 10) ^
                                     static_cast<uint32_t>((ty2 >> 5) & 0x3ff));
          uint32_t slot = (key * 2654435761u) >> 20;
          while (s.keys[slot] && s.keys[slot] != key) slot = (slot + 1) & (kVoteSlots - 1);
          if (!s.keys[slot]) {
            if (used >= kVoteSlots / 2) continue;
            s.keys[slot] = key;
            s.root[slot] = static_cast<uint16_t>(roots);
            s.roots[roots++] = {rotation, 0, 0, 0};
            s.used[used++] = static_cast<uint16_t>(slot);
          }
          ++s.votes[slot];
          Root& r = s.roots[s.root[slot]];
          r.turn += ((rotation - r.rotation + 128) & 255) - 128;
          r.tx2 += tx2, r.ty2 += ty2;
        }
      }
    }
  }
  double score = 0;
  if (used > 0) {
    // The best-voted alignments first: most votes, then the lower slot.
    const int top = Min(kTopAlignments, used);
    for (int i = 0; i < top; ++i) {
      int best = i;
      for (int j = i + 1; j < used; ++j) {
        const uint16_t a = s.used[j], b = s.used[best];
        if (s.votes[a] != s.votes[b] ? s.votes[a] > s.votes[b] : a < b) best = j;
      }
      const uint16_t keep = s.used[i];
      s.used[i] = s.used[best], s.used[best] = keep;
    }
    int best = 0;
    Place best_place{1, 0, 0, 0};
    for (int a = 0; a < top; ++a) {
      const uint16_t slot = s.used[a];
      const Root& r = s.roots[s.root[slot]];
      const double votes = s.votes[slot];
      const int rotation = (r.rotation + static_cast<int>(lround(r.turn / votes))) & 255;
      const double co = t.cos[rotation], si = t.sin[rotation];
      const Place place{co, si, 0.5 * r.tx2 / votes - (co * ox - si * oy), 0.5 * r.ty2 / votes - (si * ox + co * oy)};
      for (uint32_t j = 0; j < cv.n; ++j) s.taken[j] = 0;
      int matched = 0;
      for (uint32_t i = 0; i < pv.n; ++i) {
        int x, y;
        place(pv.x(i), pv.y(i), &x, &y);
        if (x < -kPairDistance || y < -kPairDistance) continue;
        const int angle = (pv.angle(i) + rotation) & 255;
        int found = -1, nearest = kPairDistance * kPairDistance + 1;
        const int bucket = Min(Max(0, x - kPairDistance) / kXBucket, kXBuckets);
        for (uint32_t j = cv.x_starts[bucket]; j < cv.n && cv.x(j) <= x + kPairDistance; ++j) {
          const int dx = cv.x(j) - x, dy = cv.y(j) - y;
          if (dy > kPairDistance || dy < -kPairDistance) continue;  // out of reach (and d cannot overflow)
          const int d = dx * dx + dy * dy;
          if (d < nearest && !s.taken[j] && angle_gap(cv.angle(j), angle) <= kPairAngle) nearest = d, found = static_cast<int>(j);
        }
        if (found >= 0) s.taken[found] = 1, ++matched;
      }
      if (matched > best) best = matched, best_place = place;
    }
    if (best >= 3) {
      score = matching::score(best, static_cast<int>(pv.n < cv.n ? pv.n : cv.n), Meet(pv, cv, best_place, s.footprint));
    }
  }
  for (int i = 0; i < used; ++i) s.keys[s.used[i]] = 0, s.votes[s.used[i]] = 0;
  return score;
}

// Host copies of the columns, appended print by print.
struct Columns {
  std::vector<uint16_t> mx, my, cells;
  std::vector<uint8_t> ma, length, from_angle, to_angle, from, to, x_starts, finger;
  std::vector<uint32_t> m_off{0};
  std::vector<uint64_t> e_off{0};
  void Add(const FingerPrint& print, uint8_t f) {
    for (const Minutia& m : print.minutiae()) mx.push_back(m.x), my.push_back(m.y), ma.push_back(m.angle);
    m_off.push_back(static_cast<uint32_t>(mx.size()));
    const auto& e = print.edges();
    const size_t count = print.edge_count();
    length.insert(length.end(), e.length.begin(), e.length.begin() + static_cast<long>(count));
    from_angle.insert(from_angle.end(), e.from_angle.begin(), e.from_angle.begin() + static_cast<long>(count));
    to_angle.insert(to_angle.end(), e.to_angle.begin(), e.to_angle.begin() + static_cast<long>(count));
    from.insert(from.end(), e.from.begin(), e.from.begin() + static_cast<long>(count));
    to.insert(to.end(), e.to.begin(), e.to.begin() + static_cast<long>(count));
    e_off.push_back(length.size());
    for (int c = 0; c < kCells; ++c) cells.push_back(print.cell_start(c));
    for (int b = 0; b < kXStarts; ++b) x_starts.push_back(print.x_start(b));
    finger.push_back(f);
  }
};

// The columns as Prints, pointing into `c` (on the host).
inline Prints HostPrints(const Columns& c) {
  return {c.mx.data(),   c.my.data(), c.ma.data(),    c.m_off.data(), c.length.data(),   c.from_angle.data(), c.to_angle.data(),
          c.from.data(), c.to.data(), c.e_off.data(), c.cells.data(), c.x_starts.data(), c.finger.data()};
}

}  // namespace vigil::finger_gpu
