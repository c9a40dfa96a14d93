// Fingerprint comparison: minutiae of one view against another.
//
// Promises:
//  - FingerPrint::From() prepares a view once (its minutiae and the edges
//    to each one's nearest neighbours, sorted by length); comparing two
//    prepared views allocates nothing beyond a per-thread scratch.
//  - compare() is symmetric in what it measures (matched minutiae pairs
//    under the best rigid alignment found) and independent of the order of
//    minutiae in either view; the score is 0 for nothing in common and
//    grows with the number of pairs that agree in place and direction.
//  - Scores are calibrated on impostor comparisons (docs/biometrics.md):
//    kDefaultThreshold is the score at which about 1 in 10,000 impostor
//    comparisons matches, measured so far on synthetic prints only.
#pragma once

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

  const std::vector<Minutia>& minutiae() const { return minutiae_; }
  const std::vector<Edge>& edges() const { return edges_; }

 private:
  std::vector<Minutia> minutiae_;  // at most 255
  std::vector<Edge> edges_;        // by length
};

// The score of `probe` against `candidate`: see the promises above.
double compare(const FingerPrint& probe, const FingerPrint& candidate);

// The score at which about 1 in 10,000 impostor comparisons matches
// (synthetic prints, vigil_finger_bench: 8.2 over 179,700 impostor pairs).
inline constexpr double kDefaultThreshold = 8.5;

}  // namespace vigil
