// Fingerprint comparison: minutiae of one view against another.
//
// Promises:
//  - FingerPrint::From() prepares a view once: its minutiae in a canonical
//    order, and the edges to each one's nearest neighbours, grouped by
//    length and direction. Comparing two prepared views allocates nothing
//    beyond a per-thread scratch.
//  - compare() depends only on the two sets of minutiae, never on the order
//    a template lists them in. The score is 0 for nothing in common and
//    grows with the number of minutiae pairs that agree in place and
//    direction under the best rigid alignment found, relative to the
//    smaller print's minutiae and to the larger print's lying where the
//    smaller has some, and weighed down where the smaller print covers less
//    than a whole print (matching::score). It is not symmetric: which print
//    is the probe changes the alignments tried.
//  - Scores are calibrated on impostor comparisons (docs/biometrics.md):
//    kDefaultThreshold is the score at which about 1 in 10,000 impostor
//    comparisons matches, for whole prints and for small probes alike,
//    measured so far on synthetic prints only.
//  - A 1:N search's best impostor is the best of every comparison it
//    makes: at 1 in 10,000 per comparison, most searches of a gallery of
//    100,000 views would bring one over kDefaultThreshold.
//    identification_threshold() is the score an impostor reaches in about
//    `fpir` of the searches that make `comparisons` comparisons (the
//    false-positive identification rate), and never less than
//    kDefaultThreshold; it is read from the impostor tail measured by
//    open-set searches (docs/biometrics.md) and rises with the gallery.
//  - A subject compared on several fingers gets one score on the same
//    scale (subject_score()): the score one comparison would need for an
//    impostor to reach it as rarely as an impostor subject reaches all
//    those fingers' scores together. One finger's score compared with one
//    view is its own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "biometrics/fmr.h"

namespace vigil {

class FingerPrint {
 public:
  static FingerPrint From(const FingerView& view);

  // Edges are grouped in cells by length and by the direction of their
  // start relative to them, each cell at least as wide as the tolerances
  // of compare(), so an edge's counterparts lie in its cell or the next.
  // Edges longer than kMaxLength are not kept.
  static constexpr int kLengthCell = 12;   // pixels
  static constexpr int kLengthCells = 16;  // the last holds every longer edge
  static constexpr int kAngleCells = 16;   // of 16/256 of a turn
  static constexpr int kMaxLength = 255;   // pixels
  static int Cell(int length, int angle) {
    return std::min(length / kLengthCell, kLengthCells - 1) * kAngleCells + angle / (256 / kAngleCells);
  }

  // The minutiae in order of x, then y; angles in 1/256 of a turn
  // clockwise in image coordinates (templates count them anticlockwise).
  const std::vector<Minutia>& minutiae() const { return minutiae_; }

  // The edges, both ways round, as columns ordered by cell: edge k runs
  // from minutia from[k] to to[k]; its length in pixels, and the direction
  // of the edge less the direction of each end. Each column has 16 bytes of
  // padding past its last edge, so that 16 edges can be read at once.
  struct Edges {
    std::vector<uint8_t> length, from_angle, to_angle, from, to;
  };
  const Edges& edges() const { return edges_; }
  size_t edge_count() const { return cells_.back(); }
  // The edges of cell `cell`: [cell_start(cell), cell_start(cell + 1)).
  uint16_t cell_start(int cell) const { return cells_[static_cast<size_t>(cell)]; }
  // The first minutia with x at or past 32 * `bucket` (bucket < 129).
  uint8_t x_start(int bucket) const { return x_starts_[static_cast<size_t>(bucket)]; }
  // The mean of the minutiae's places, about which a probe is turned when
  // alignments are voted for: turned about a far origin, small errors of
  // rotation would scatter the votes of one alignment over many
  // translations.
  int centre_x() const { return centre_x_; }
  int centre_y() const { return centre_y_; }

 private:
  std::vector<Minutia> minutiae_;  // at most 255
  Edges edges_;
  std::vector<uint16_t> cells_;    // kLengthCells * kAngleCells + 1 offsets
  std::vector<uint8_t> x_starts_;  // 129 indices into minutiae_
  int centre_x_ = 0, centre_y_ = 0;
};

// The score of `probe` against `candidate`: see the promises above.
double compare(const FingerPrint& probe, const FingerPrint& candidate);

// The score at which about 1 in 10,000 impostor comparisons matches
// (synthetic prints, vigil_finger_bench 600: the lowest score, to a tenth,
// that 18 or fewer of 179,700 impostor pairs reach).
inline constexpr double kDefaultThreshold = 10.6;

// The false-positive identification rate a 1:N search is held to by
// default: 1 search in 1,000 of people not enrolled brings a candidate
// over the threshold.
inline constexpr double kDefaultFpir = 1e-3;

// The measured share of impostor comparisons scoring `score` or more
// (the tail the thresholds below are read from; log-linear between its
// points, and past its deepest point along its last slope).
double impostor_rate(double score);

// See the promises above: the lowest score with impostor_rate(score) *
// comparisons <= fpir, never below kDefaultThreshold. A search whose
// subjects are scored by subject_score() makes one such comparison per
// subject it scores.
double identification_threshold(double comparisons, double fpir = kDefaultFpir);

// The fingers a view at position code `position` may be of, as bits 1 to
// 10 (ISO/IEC 19794-2 and ANSI/NIST-ITL: 1 right thumb to 10 left little):
// the finger itself; a plain thumb (11, 12) its thumb; a print of a
// four-finger slap (13, 14) one of that hand's four; of both thumbs (15)
// either; 0 (unknown) and any other code, any of the ten. Views are
// compared where their masks meet.
inline uint16_t finger_mask(int position) {
  if (position >= 1 && position <= 10) return static_cast<uint16_t>(1u << position);
  switch (position) {
    case 11: return 1u << 1;
    case 12: return 1u << 6;
    case 13: return 0b111100;
    case 14: return 0b11110000000;
    case 15: return 1u << 1 | 1u << 6;
    default: return 0b11111111110;
  }
}

// Whether `position` is a slap's (13 to 15): a view there is one of its
// prints, numbered left to right by FingerView::view.
inline bool slap_position(int64_t position) { return position >= 13 && position <= 15; }

// One probe view against one subject: the best score of the `views` of the
// subject's views it was compared with (none: no evidence), the probe
// view's finger position code (0 when unknown) and, for a print of a slap
// (13 to 15), its place in the slap (FingerView::view).
struct ViewEvidence {
  int finger = 0;
  double score = 0;
  size_t views = 0;
  int print = 0;
};
// The subject's score (see the promises above). A view's chance is
// impostor_rate() of its score times the views it was compared with (the
// best of n impostors scores that high about n times as often). The views
// of one finger (finger_mask() names one), of one place in a slap (the
// same code and print), and of no known finger are each taken for one
// finger: their best chance times their number. Different fingers of an
// impostor are taken to score independently: k chances whose product is
// P are reached together with probability P * sum over i < k of
// (-ln P)^i / i!. Slap prints may be of a known finger of their hand
// again, and views of no known finger of any: where they may, the
// probability is twice the lesser of each side's alone (known fingers
// with slap prints, then those with the unknown views). The subject's
// score is the one impostor_rate() gives that probability. 0 without
// evidence.
double subject_score(std::span<const ViewEvidence> evidence);

}  // namespace vigil
