// Fingerprint comparison: minutiae of one view against another.
//
// Promises:
//  - FingerPrint::From() prepares a view once (its minutiae and the edges
//    to each one's nearest neighbours, grouped by length and direction);
//    comparing two
//    prepared views allocates nothing beyond a per-thread scratch.
//  - compare() is symmetric in what it measures (matched minutiae pairs
//    under the best rigid alignment found) and independent of the order of
//    minutiae in either view; the score is 0 for nothing in common and
//    grows with the number of pairs that agree in place and direction.
//  - Scores are calibrated on impostor comparisons (docs/biometrics.md):
//    kDefaultThreshold is the score at which about 1 in 10,000 impostor
//    comparisons matches, measured so far on synthetic prints only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "biometrics/fmr.h"

namespace vigil {

class FingerPrint {
 public:
  // An edge from minutia `from` to `to`: its length and the directions of
  // both minutiae relative to it (rotation-invariant).
  struct Edge {
    uint16_t length;      // pixels
    uint8_t from_angle;   // 1/256 turn: edge direction minus `from`'s direction
    uint8_t to_angle;     // edge direction minus `to`'s direction
    uint8_t from, to;     // minutiae indices
  };
  static FingerPrint From(const FingerView& view);

  // Edges are grouped in cells by length and by the direction of their
  // start relative to them, each cell at least as wide as the tolerances
  // of compare(), so an edge's counterparts lie in its cell or the next.
  static constexpr int kLengthCell = 12;   // pixels
  static constexpr int kLengthCells = 16;  // the last holds every longer edge
  static constexpr int kAngleCells = 16;   // of 16/256 of a turn
  static int Cell(int length, int angle) {
    return std::min(length / kLengthCell, kLengthCells - 1) * kAngleCells + angle / (256 / kAngleCells);
  }

  const std::vector<Minutia>& minutiae() const { return minutiae_; }
  const std::vector<Edge>& edges() const { return edges_; }
  // The edges of cell `cell`: edges()[cell_start(cell) .. cell_start(cell + 1)).
  uint16_t cell_start(int cell) const { return cells_[static_cast<size_t>(cell)]; }

 private:
  std::vector<Minutia> minutiae_;  // at most 255
  std::vector<Edge> edges_;        // by cell
  std::vector<uint16_t> cells_;    // kLengthCells * kAngleCells + 1 offsets
};

// The score of `probe` against `candidate`: see the promises above.
double compare(const FingerPrint& probe, const FingerPrint& candidate);

// The score at which about 1 in 10,000 impostor comparisons matches
// (synthetic prints, vigil_finger_bench 600: 12.5 over 179,700 impostor
// pairs).
inline constexpr double kDefaultThreshold = 12.5;

}  // namespace vigil
