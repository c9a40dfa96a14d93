#include "biometrics/shortlist.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <span>

#include "biometrics/matcher.h"
#include "biometrics/matching.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigil {
namespace {

using namespace matching;

// Votes are counted by (rotation / 16, tx / 32 px, ty / 32 px), the
// translations wrapping every 1,024 pixels: 16 x 32 x 32 counters.
constexpr int kCounters = 16 * 32 * 32;
// Each candidate edge writes the votes of up to 4 table entries at once.
constexpr size_t kMaxVotes = 1 << 16;

// Per direction: (cos, -sin, sin, cos) scaled by 2^14, the rotation that
// turns an edge's turned midpoint back along the candidate edge.
struct Rotations {
  std::array<std::array<int16_t, 4>, 256> m;
  Rotations() {
    const Turns turns;
    for (size_t d = 0; d < 256; ++d) {
      const auto co = static_cast<int16_t>(turns.icos[d]), si = static_cast<int16_t>(turns.isin[d]);
      m[d] = {co, static_cast<int16_t>(-si), si, co};
    }
  }
};
const Rotations kRotations;

struct Scratch {
  std::vector<uint16_t> votes = std::vector<uint16_t>(kMaxVotes + 8);  // counter index per vote
  // Fewer than 65,536 votes: a count fits 16 bits. All 0 between uses.
  std::vector<uint16_t> counters = std::vector<uint16_t>(kCounters);
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

int16_t clamp16(int v) { return static_cast<int16_t>(std::clamp(v, -32768, 32767)); }

}  // namespace

ShortlistProbe::ShortlistProbe(const FingerPrint& probe) {
  const FingerPrint::Edges& e = probe.edges();
  const auto& m = probe.minutiae();
  const Turns turns;
  // Every edge, both ways round (the print keeps both), filed under each
  // key its shape may have within the tolerances.
  std::vector<std::vector<uint32_t>> filed(sketch::kKeys);
  std::vector<uint16_t> keys;
  for (size_t k = 0; k < probe.edge_count(); ++k) {
    const Minutia &a = m[e.from[k]], &b = m[e.to[k]];
    const int length = e.length[k], from_angle = e.from_angle[k], to_angle = e.to_angle[k];
    const int direction = (from_angle + a.angle) & 255;
    const int x2 = a.x + b.x - 2 * probe.centre_x(), y2 = a.y + b.y - 2 * probe.centre_y();
    const int64_t co = turns.icos[static_cast<size_t>((256 - direction) & 255)];
    const int64_t si = turns.isin[static_cast<size_t>((256 - direction) & 255)];
    const int16_t ux = clamp16(static_cast<int>((co * x2 - si * y2) >> 14));
    const int16_t uy = clamp16(static_cast<int>((si * x2 + co * y2) >> 14));
    // The cells within the tolerances: a length cell or two, and an angle
    // cell or two of each end (wrapping round the turn).
    constexpr int kAngles = 256 / sketch::kAngleCell;
    auto cell = [](int angle) { return (angle + 256) / sketch::kAngleCell - kAngles; };  // floor, for angles above -256
    keys.clear();
    for (int l = std::max(0, length - sketch::kLengthTolerance) / sketch::kLengthCell;
         l <= std::min(255, length + sketch::kLengthTolerance) / sketch::kLengthCell; ++l)
      for (int f = cell(from_angle - sketch::kAngleTolerance); f <= cell(from_angle + sketch::kAngleTolerance); ++f)
        for (int t = cell(to_angle - sketch::kAngleTolerance); t <= cell(to_angle + sketch::kAngleTolerance); ++t)
          keys.push_back(sketch::CellKey(l, (f + kAngles) % kAngles, (t + kAngles) % kAngles));
    const auto entry = static_cast<uint32_t>(direction_.size());
    for (uint16_t key : keys) filed[key].push_back(entry);
    direction_.push_back(static_cast<uint8_t>(direction));
    turned_.insert(turned_.end(), {ux, uy, ux, uy});
  }
  // Laid out by key; each key's entries copied in order.
  size_t entries = 0;
  for (const auto& f : filed) entries += f.size();
  if (entries > 65535) {
    turned_.clear(), direction_.clear();
    return;
  }
  std::vector<int16_t> turned;
  std::vector<uint8_t> direction;
  turned.reserve(4 * (entries + 4));
  direction.reserve(entries + 4);
  start_.reserve(sketch::kKeys + 1);
  for (const auto& f : filed) {
    start_.push_back(static_cast<uint16_t>(direction.size()));
    for (uint32_t i : f) {
      turned.insert(turned.end(), turned_.begin() + 4 * i, turned_.begin() + 4 * i + 4);
      direction.push_back(direction_[i]);
    }
  }
  start_.push_back(static_cast<uint16_t>(direction.size()));
  // Padding: each candidate edge reads 4 entries from its key's first.
  turned.resize(turned.size() + 16, 0);
  direction.resize(direction.size() + 4, 0);
  turned_ = std::move(turned), direction_ = std::move(direction);
  usable_ = true;
}

std::vector<SketchEdge> Sketch(const FingerPrint& print) {
  // Each minutia's nearest, kept by insertion as FingerPrint::From does,
  // marked in an n x n bit table; the print's edges then give the shapes.
  const auto& m = print.minutiae();
  const size_t n = m.size();
  std::vector<uint64_t> near((n * n + 63) / 64);
  for (size_t i = 0; i < n; ++i) {
    std::array<std::pair<int64_t, size_t>, sketch::kNeighbours> best;
    size_t kept = 0;
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const int64_t dx = int64_t{m[j].x} - m[i].x, dy = int64_t{m[j].y} - m[i].y;
      const std::pair<int64_t, size_t> d{dx * dx + dy * dy, j};
      if (kept == best.size() && !(d < best[kept - 1])) continue;
      size_t at = kept < best.size() ? kept++ : kept - 1;
      for (; at > 0 && d < best[at - 1]; --at) best[at] = best[at - 1];
      best[at] = d;
    }
    for (size_t t = 0; t < kept; ++t) {
      const size_t bit = std::min(i, best[t].second) * n + std::max(i, best[t].second);
      near[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }
  static_assert(sketch::kNeighbours <= kNeighbours, "a sketch's edges are among the print's");
  std::vector<SketchEdge> out;
  const FingerPrint::Edges& e = print.edges();
  auto twice = [](int v) { return static_cast<int16_t>(std::min(v, 32767)); };
  for (size_t k = 0; k < print.edge_count(); ++k) {
    const size_t from = e.from[k], to = e.to[k], bit = from * n + to;
    if (from > to || !(near[bit >> 6] >> (bit & 63) & 1)) continue;
    const Minutia &a = m[from], &b = m[to];
    out.push_back({sketch::Key(e.length[k], e.from_angle[k], e.to_angle[k]),
                   static_cast<uint8_t>((e.from_angle[k] + a.angle) & 255), 0, twice(a.x + b.x), twice(a.y + b.y)});
  }
  return out;
}

int ShortlistProbe::Score(const SketchEdge* sketch, size_t edges) const {
  if (!usable_) return 0;
  Scratch& s = scratch();
  uint16_t* votes = s.votes.data();
  const uint16_t* start = start_.data();
  const int16_t* turned = turned_.data();
  const uint8_t* direction = direction_.data();
  // 1. The counter index of every vote, 4 entries at a time for each
  //    candidate edge (those past its key's are overwritten by the next).
  size_t total = 0;
  for (const SketchEdge& c : std::span(sketch, edges)) {
    const unsigned first = start[c.key], count = start[c.key + 1] - first;
    if (total + count + 4 > kMaxVotes) break;  // not reached by real prints
#if defined(__SSE2__)
    // Per candidate edge: its turn, twice its midpoint and its direction
    // in every lane.
    const __m128i rot = _mm_shuffle_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(kRotations.m[c.direction].data())), 0x44);
    int32_t packed;  // x2 and y2, as in the sketch
    std::memcpy(&packed, &c.x2, 4);
    const __m128i xy = _mm_cvtsi32_si128(packed);
    const __m128i mid = _mm_shuffle_epi32(_mm_srai_epi32(_mm_unpacklo_epi16(xy, xy), 16), 0x44);
    const __m128i ours = _mm_set1_epi16(c.direction);
    unsigned j = 0;
    do {
      const __m128i mask = _mm_set1_epi32(31);
      auto bins = [&](const int16_t* u) {  // (tx / 32 px, ty / 32 px) of 2 entries
        const __m128i back = _mm_srai_epi32(_mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(u)), rot), 14);
        return _mm_and_si128(_mm_srai_epi32(_mm_sub_epi32(mid, back), 6), mask);
      };
      const size_t at = first + j;
      const __m128i place = _mm_madd_epi16(_mm_packs_epi32(bins(turned + 4 * at), bins(turned + 4 * at + 8)),
                                           _mm_set1_epi32(32 | (1 << 16)));  // tx * 32 + ty, 4 x 32 bits
      uint32_t four;
      std::memcpy(&four, direction + at, 4);
      const __m128i theirs = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(four)), _mm_setzero_si128());
      const __m128i rotation = _mm_slli_epi16(_mm_and_si128(_mm_sub_epi16(ours, theirs), _mm_set1_epi16(0xF0)), 6);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(votes + total + j), _mm_or_si128(rotation, _mm_packs_epi32(place, place)));
      j += 4;
    } while (j < count);
#else
    for (unsigned j = 0; j == 0 || j < count; j += 4) {
      const auto& rot = kRotations.m[c.direction];
      for (unsigned i = 0; i < 4; ++i) {
        const size_t at = first + j + i;
        const int ux = turned[4 * at], uy = turned[4 * at + 1];
        const int tx = c.x2 - ((rot[0] * ux + rot[1] * uy) >> 14), ty = c.y2 - ((rot[2] * ux + rot[3] * uy) >> 14);
        const int rotation = (c.direction - direction[at]) & 0xF0;
        votes[total + j + i] = static_cast<uint16_t>(rotation << 6 | ((tx >> 6) & 31) << 5 | ((ty >> 6) & 31));
      }
    }
#endif
    total += count;
  }
  // 2. Counted, then the largest count read while the counters are
  //    cleared (each counter's first reading sees its whole count).
  uint16_t* counters = s.counters.data();
  for (size_t t = 0; t < total; ++t) ++counters[votes[t]];
  uint16_t best = 0;
  for (size_t t = 0; t < total; ++t) best = std::max(best, counters[votes[t]]), counters[votes[t]] = 0;
  return best;
}

std::vector<size_t> BestIndices(const std::vector<uint16_t>& scores, size_t keep) {
  std::vector<size_t> out;
  if (keep >= scores.size()) {
    for (size_t i = 0; i < scores.size(); ++i) out.push_back(i);
    return out;
  }
  if (keep == 0) return out;
  // The lowest score kept: counted down from the highest.
  std::vector<size_t> at(65536, 0);
  for (uint16_t s : scores) ++at[s];
  size_t above = 0;
  int lowest = 65535;
  while (above + at[static_cast<size_t>(lowest)] < keep) above += at[static_cast<size_t>(lowest--)];
  size_t ties = keep - above;  // of the lowest score kept, the first ones
  out.reserve(keep);
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] > lowest || (scores[i] == lowest && ties && ties--)) out.push_back(i);
  return out;
}

}  // namespace vigil
