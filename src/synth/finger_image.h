// Synthetic fingerprint images with known minutiae, for the extractor's
// tests and evaluation.
//
// A finger is a ridge pattern cos(psi): psi is a smooth phase field (ridges
// sweeping in arcs with a period of 8.5-10.5 pixels at 500 ppi) plus one
// spiral term +-atan2 around each minutia, which makes exactly one ridge end
// (or split) there. Each minutia is placed so that its ridge (ending) or
// valley (bifurcation) arrives along the direction it is given, so its type
// and angle are known, not guessed. Impressions are rendered from the phase
// field rotated, shifted, stretched, cropped, with uneven pressure, blur
// and noise; their true minutiae are the finger's moved the same way.
//
// Deterministic in (seed, finger, impression). Figures measured on these
// images are labelled synthetic: real prints have cores, deltas, scars,
// pores and sensor artefacts these do not.
#pragma once

#include <cstdint>
#include <vector>

#include "biometrics/fmr.h"
#include "biometrics/image.h"

namespace vigil {

struct FingerImpression {
  GrayImage image;   // 400 x 500 pixels, 500 ppi, dark ridges on white
  FingerView truth;  // the minutiae inside the captured area, fmr.h convention
};

// How minutiae found in an image agree with the true ones: how many true
// minutiae have a found one within 12 pixels, and of those (the nearest
// each time) how many have the true type and a direction within 16/256 of
// a turn.
struct MinutiaeAgreement {
  size_t truth = 0, found = 0, near = 0, type_right = 0, angle_right = 0;
};
MinutiaeAgreement agreement(const std::vector<Minutia>& truth, const std::vector<Minutia>& found);

class FingerImageGenerator {
 public:
  explicit FingerImageGenerator(uint64_t seed) : seed_(seed) {}
  // Impression `impression` of finger `finger`; impression 0 is a clean,
  // centred capture.
  FingerImpression Impression(int finger, int impression) const;

 private:
  uint64_t seed_;
};

}  // namespace vigil
