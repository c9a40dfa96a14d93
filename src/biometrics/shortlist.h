// A first look at every view of a large fingerprint gallery, so that only
// a shortlist is compared in full (matcher.h).
//
// The first look is the voting step of compare() made cheap. Once per
// search, the probe's edges are filed in a table by shape, each under every
// key within the tolerances below. Each gallery view keeps a sketch: the
// edges from each minutia to its 6 nearest. Each sketch edge looks up its
// key, and every probe edge filed there votes for the alignment the pair
// implies: the rotation by 1/16 turn, the translation by 32 pixels, on two
// grids (the second shifted by 16 pixels in x and y, so that an
// alignment near a cell's border is not split). The score is the largest
// count. Minutiae are not paired, so the score serves only to rank.
//
// A glance is the first look at half of a sketch: its first half, which
// is every other edge in the print's order (by shape), so that it samples
// every shape. A large gallery glances at every view first and looks in
// full only at the best (gallery.h).
//
// Promises:
//  - Score() depends only on the two sets of minutiae (not on the order a
//    template lists them in) and uses integers only: every kernel
//    (FirstLookKernels()) gives the same score on every machine.
//  - Score() allocates nothing beyond a per-thread scratch, and a
//    ShortlistProbe may be used from several threads at once.
//  - A probe whose table would be too large (more than 65,535 entries,
//    which no real print reaches) is not usable(): its searches compare
//    every view in full.
//  - Measured on synthetic prints (docs/biometrics.md): of the mates that
//    compare() matches at its default threshold, 97 % rank in the first
//    look's best 0.5 % of a gallery.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil {

class FingerPrint;  // matcher.h

// One edge of a view's sketch: its shape (length and the directions of its
// ends relative to it) as a table key, its direction in 1/256 of a turn
// and twice its midpoint (so that it stays an integer).
struct SketchEdge {
  uint16_t key = 0;
  uint8_t direction = 0;
  uint8_t unused = 0;
  int16_t x2 = 0, y2 = 0;
};

namespace sketch {
inline constexpr int kNeighbours = 6;     // a view's sketch joins each minutia to its 6 nearest
inline constexpr int kLengthCell = 8;     // pixels
inline constexpr int kAngleCell = 16;     // 1/256 turn
inline constexpr int kLengthTolerance = 8;  // the probe's edges are filed under every key within these
inline constexpr int kAngleTolerance = 10;
inline constexpr int kKeys = (256 / kLengthCell) * (256 / kAngleCell) * (256 / kAngleCell);
// The key of the cell (length / kLengthCell, from_angle / kAngleCell,
// to_angle / kAngleCell), and of an edge's shape: its length (0-255) and
// the angles of its start and end relative to it.
inline uint16_t CellKey(int length_cell, int from_cell, int to_cell) {
  return static_cast<uint16_t>((length_cell * (256 / kAngleCell) + from_cell) * (256 / kAngleCell) + to_cell);
}
inline uint16_t Key(int length, int from_angle, int to_angle) {
  return CellKey(length / kLengthCell, (from_angle & 255) / kAngleCell, (to_angle & 255) / kAngleCell);
}
}  // namespace sketch

// A gallery view's sketch: the edges joining each of its minutiae to its
// sketch::kNeighbours nearest (ties: the first in the print's order), one
// way round. Of the print's edges in its order (by shape), the first,
// third, fifth … come first, then the others: the first half is the
// glance.
std::vector<SketchEdge> Sketch(const FingerPrint& print);
inline std::span<const SketchEdge> Glance(std::span<const SketchEdge> sketch) {
  return sketch.first((sketch.size() + 1) / 2);
}

class ShortlistProbe {
 public:
  explicit ShortlistProbe(const FingerPrint& probe);
  bool usable() const { return usable_; }
  // The first-look score of a candidate given by its sketch (see above); 0
  // when not usable().
  int Score(std::span<const SketchEdge> sketch) const;

 private:
  bool usable_ = false;
  std::vector<uint16_t> start_;    // sketch::kKeys + 1 offsets into the entries
  std::vector<int16_t> turned_;    // per entry: twice the midpoint from the probe's centre, turned so that
                                   // the edge points along x, as (x, y, x, y)
  std::vector<uint8_t> direction_; // per entry: the edge's direction
};

// The ways this machine can compute a first look, fastest first ("avx2",
// "sse2", "portable"): each gives the same scores. UseFirstLookKernel()
// picks one for the whole process (the fastest is used unless told);
// false for a name not listed.
std::vector<std::string> FirstLookKernels();
bool UseFirstLookKernel(const std::string& name);

// Of `scores`, the indices of the `keep` best (ties: the lower index), in
// ascending order; all of them when there are no more than `keep`.
std::vector<size_t> BestIndices(const std::vector<uint16_t>& scores, size_t keep);

}  // namespace vigil
