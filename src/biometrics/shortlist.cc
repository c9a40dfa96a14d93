#include "biometrics/shortlist.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <span>
#include <string>

#include "biometrics/matcher.h"
#include "biometrics/matching.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace vigil {
namespace {

using namespace matching;

// Votes are counted by (rotation / 16, tx / 32 px, ty / 32 px), the
// translations wrapping every 1,024 pixels: 16 x 32 x 32 counters on each
// of the two grids.
constexpr int kCounters = 2 * 16 * 32 * 32;
// Votes a comparison may cast on each grid (no real print comes near).
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
  // The counter index of each vote, on the first grid and on the second.
  std::vector<uint16_t> votes = std::vector<uint16_t>(kMaxVotes + 8);
  std::vector<uint16_t> votes2 = std::vector<uint16_t>(kMaxVotes + 8);
  // Fewer than 65,536 votes a grid: a count fits 16 bits. All 0 between uses.
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
  // Every edge, both ways round (the print keeps both), filed under each
  // key its shape may have within the tolerances.
  std::vector<std::vector<uint32_t>> filed(sketch::kKeys);
  std::vector<uint16_t> keys;
  for (size_t k = 0; k < probe.edge_count(); ++k) {
    const Minutia &a = m[e.from[k]], &b = m[e.to[k]];
    const int length = e.length[k], from_angle = e.from_angle[k], to_angle = e.to_angle[k];
    const int direction = (from_angle + a.angle) & 255;
    const int x2 = a.x + b.x - 2 * probe.centre_x(), y2 = a.y + b.y - 2 * probe.centre_y();
    const auto& back = kRotations.m[static_cast<size_t>((256 - direction) & 255)];  // the edge turned along x
    const int64_t co = back[0], si = back[2];
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
  // Each minutia's nearest, found as FingerPrint::From finds them, marked
  // in an n x n bit table; the print's edges then give the shapes.
  const auto& m = print.minutiae();
  const size_t n = m.size();
  std::vector<uint64_t> near((n * n + 63) / 64);
  each_nearest<sketch::kNeighbours>(m, [&](size_t i, size_t j, int64_t) {
    const size_t bit = std::min(i, j) * n + std::max(i, j);
    near[bit >> 6] |= uint64_t{1} << (bit & 63);
  });
  static_assert(sketch::kNeighbours <= kNeighbours, "a sketch's edges are among the print's");
  std::vector<SketchEdge> in_order;
  const FingerPrint::Edges& e = print.edges();
  auto twice = [](int v) { return static_cast<int16_t>(std::min(v, 32767)); };
  for (size_t k = 0; k < print.edge_count(); ++k) {
    const size_t from = e.from[k], to = e.to[k], bit = from * n + to;
    if (from > to || !(near[bit >> 6] >> (bit & 63) & 1)) continue;
    const Minutia &a = m[from], &b = m[to];
    in_order.push_back({sketch::Key(e.length[k], e.from_angle[k], e.to_angle[k]),
                        static_cast<uint8_t>((e.from_angle[k] + a.angle) & 255), 0, twice(a.x + b.x), twice(a.y + b.y)});
  }
  std::vector<SketchEdge> out;
  out.reserve(in_order.size());
  for (size_t first : {0, 1})
    for (size_t k = first; k < in_order.size(); k += 2) out.push_back(in_order[k]);
  return out;
}

namespace {

// Writes the counter indices of a candidate's votes, on both grids (the
// second shifted by half a cell in x and y, with bit 14 set), and returns
// how many there are. Each candidate edge writes the votes of 4 table
// entries at once (those past its key's are overwritten by the next).
struct Table {
  const uint16_t* start;
  const int16_t* turned;
  const uint8_t* direction;
};
using WriteVotes = size_t (*)(const Table&, std::span<const SketchEdge>, uint16_t*, uint16_t*);

uint16_t PortableIndex(int rotation, int tx, int ty) {
  return static_cast<uint16_t>((rotation & 0xF0) << 6 | ((tx >> 6) & 31) << 5 | ((ty >> 6) & 31));
}

size_t WriteVotesPortably(const Table& table, std::span<const SketchEdge> sketch, uint16_t* votes, uint16_t* votes2) {
  size_t total = 0;
  for (const SketchEdge& c : sketch) {
    const unsigned first = table.start[c.key], count = table.start[c.key + 1] - first;
    if (total + count + 4 > kMaxVotes) break;  // not reached by real prints
    const auto& rot = kRotations.m[c.direction];
    for (unsigned i = 0; i < count; ++i) {
      const size_t at = first + i;
      const int ux = table.turned[4 * at], uy = table.turned[4 * at + 1];
      const int tx = c.x2 - ((rot[0] * ux + rot[1] * uy) >> 14), ty = c.y2 - ((rot[2] * ux + rot[3] * uy) >> 14);
      const int rotation = c.direction - table.direction[at];
      votes[total + i] = PortableIndex(rotation, tx, ty);
      votes2[total + i] = static_cast<uint16_t>(0x4000 | PortableIndex(rotation, tx + 32, ty + 32));
    }
    total += count;
  }
  return total;
}

#if defined(__x86_64__) && defined(__GNUC__)
size_t WriteVotesSse2(const Table& table, std::span<const SketchEdge> sketch, uint16_t* votes, uint16_t* votes2) {
  const __m128i mask = _mm_set1_epi32(31), half = _mm_set1_epi32(32), place_of = _mm_set1_epi32(32 | (1 << 16));
  size_t total = 0;
  for (const SketchEdge& c : sketch) {
    const unsigned first = table.start[c.key], count = table.start[c.key + 1] - first;
    if (total + count + 4 > kMaxVotes) break;  // not reached by real prints
    // The candidate edge's turn, twice its midpoint and its direction in
    // every lane.
    const __m128i rot = _mm_shuffle_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(kRotations.m[c.direction].data())), 0x44);
    int32_t packed;  // x2 and y2
    std::memcpy(&packed, &c.x2, 4);
    const __m128i xy = _mm_cvtsi32_si128(packed);
    const __m128i mid = _mm_shuffle_epi32(_mm_srai_epi32(_mm_unpacklo_epi16(xy, xy), 16), 0x44);
    const __m128i ours = _mm_set1_epi16(c.direction);
    unsigned j = 0;
    do {
      const size_t at = first + j;
      auto moved = [&](size_t entry) {  // (tx, ty) of 2 entries, in half pixels
        const __m128i u = _mm_loadu_si128(reinterpret_cast<const __m128i*>(table.turned + 4 * entry));
        return _mm_sub_epi32(mid, _mm_srai_epi32(_mm_madd_epi16(u, rot), 14));
      };
      auto cells = [&](__m128i a, __m128i b) {  // tx * 32 + ty of 4 entries, 16 bits each, twice
        const __m128i ab = _mm_packs_epi32(_mm_and_si128(_mm_srai_epi32(a, 6), mask), _mm_and_si128(_mm_srai_epi32(b, 6), mask));
        const __m128i place = _mm_madd_epi16(ab, place_of);
        return _mm_packs_epi32(place, place);
      };
      const __m128i t01 = moved(at), t23 = moved(at + 2);
      uint32_t four;
      std::memcpy(&four, table.direction + at, 4);
      const __m128i theirs = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(four)), _mm_setzero_si128());
      const __m128i rotation = _mm_slli_epi16(_mm_and_si128(_mm_sub_epi16(ours, theirs), _mm_set1_epi16(0xF0)), 6);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(votes + total + j), _mm_or_si128(rotation, cells(t01, t23)));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(votes2 + total + j),
                       _mm_or_si128(_mm_or_si128(rotation, _mm_set1_epi16(0x4000)),
                                    cells(_mm_add_epi32(t01, half), _mm_add_epi32(t23, half))));
      j += 4;
    } while (j < count);
    total += count;
  }
  return total;
}

__attribute__((target("avx2"))) size_t WriteVotesAvx2(const Table& table, std::span<const SketchEdge> sketch,
                                                      uint16_t* votes, uint16_t* votes2) {
  const __m256i mask = _mm256_set1_epi32(31), half = _mm256_set1_epi32(32), place_of = _mm256_set1_epi32(32 | (1 << 16));
  const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
  const __m128i second = _mm_setr_epi16(0, 0, 0, 0, 0x4000, 0x4000, 0x4000, 0x4000);
  size_t total = 0;
  for (const SketchEdge& c : sketch) {
    const unsigned first = table.start[c.key], count = table.start[c.key + 1] - first;
    if (total + count + 4 > kMaxVotes) break;  // not reached by real prints
    int64_t m;
    std::memcpy(&m, kRotations.m[c.direction].data(), 8);
    const __m256i rot = _mm256_set1_epi64x(m);
    const __m256i mid = _mm256_set1_epi64x(static_cast<int64_t>(static_cast<uint32_t>(c.x2)) |
                                           static_cast<int64_t>(static_cast<uint64_t>(static_cast<uint32_t>(int32_t{c.y2})) << 32));
    const __m128i ours = _mm_set1_epi16(c.direction);
    unsigned j = 0;
    do {
      const size_t at = first + j;
      // (tx, ty) of 4 entries in half pixels, then their cells on both
      // grids as 16-bit indices: the first grid's 4, then the second's.
      const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table.turned + 4 * at));
      const __m256i moved = _mm256_sub_epi32(mid, _mm256_srai_epi32(_mm256_madd_epi16(u, rot), 14));
      const __m256i a = _mm256_and_si256(_mm256_srai_epi32(moved, 6), mask);
      const __m256i b = _mm256_and_si256(_mm256_srai_epi32(_mm256_add_epi32(moved, half), 6), mask);
      const __m256i place = _mm256_permutevar8x32_epi32(_mm256_madd_epi16(_mm256_packs_epi32(a, b), place_of), order);
      const __m128i cells = _mm_packs_epi32(_mm256_castsi256_si128(place), _mm256_extracti128_si256(place, 1));
      uint32_t four;
      std::memcpy(&four, table.direction + at, 4);
      const __m128i theirs = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(four)), _mm_setzero_si128());
      const __m128i rotation = _mm_slli_epi16(_mm_and_si128(_mm_sub_epi16(ours, theirs), _mm_set1_epi16(0xF0)), 6);
      const __m128i index = _mm_or_si128(_mm_or_si128(cells, second), _mm_unpacklo_epi64(rotation, rotation));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(votes + total + j), index);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(votes2 + total + j), _mm_unpackhi_epi64(index, index));
      j += 4;
    } while (j < count);
    total += count;
  }
  return total;
}
#endif

struct Kernel {
  const char* name;
  WriteVotes write;
};

std::vector<Kernel> Kernels() {
  std::vector<Kernel> out;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();  // may run before the constructors that would
  if (__builtin_cpu_supports("avx2")) out.push_back({"avx2", WriteVotesAvx2});
  out.push_back({"sse2", WriteVotesSse2});
#endif
  out.push_back({"portable", WriteVotesPortably});
  return out;
}

std::atomic<WriteVotes> chosen{Kernels().front().write};

}  // namespace

std::vector<std::string> FirstLookKernels() {
  std::vector<std::string> out;
  for (const Kernel& k : Kernels()) out.push_back(k.name);
  return out;
}

bool UseFirstLookKernel(const std::string& name) {
  for (const Kernel& k : Kernels())
    if (name == k.name) return chosen.store(k.write), true;
  return false;
}

int ShortlistProbe::Score(std::span<const SketchEdge> sketch) const {
  if (!usable_) return 0;
  Scratch& s = scratch();
  const size_t total = chosen.load(std::memory_order_relaxed)({start_.data(), turned_.data(), direction_.data()},
                                                              sketch, s.votes.data(), s.votes2.data());
  // Counted, the largest count kept; then the counters are cleared.
  uint16_t* counters = s.counters.data();
  const uint16_t *votes = s.votes.data(), *votes2 = s.votes2.data();
  uint16_t best = 0;
  for (size_t t = 0; t < total; ++t) best = std::max({best, ++counters[votes[t]], ++counters[votes2[t]]});
  for (size_t t = 0; t < total; ++t) counters[votes[t]] = 0, counters[votes2[t]] = 0;
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
