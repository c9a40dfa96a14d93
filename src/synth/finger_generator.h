// Synthetic fingerprints as minutiae, for tests, benchmarks and the
// matcher's calibration: fingers whose minutiae follow a smooth ridge flow,
// and impressions of them rotated, shifted, elastically distorted, noisy,
// cropped, with minutiae lost and spurious ones added. Deterministic in
// (seed, finger, impression). Not a substitute for real prints: figures
// measured on them are labelled synthetic.
#pragma once

#include <cstdint>
#include <vector>

#include "biometrics/fmr.h"

namespace vigil {

// `view` with only its minutiae inside the window of `width` x `height`
// pixels from (x0, y0): a plain impression or a partial capture of it.
FingerView Window(FingerView view, int x0, int y0, int width, int height);

class FingerGenerator {
 public:
  explicit FingerGenerator(uint64_t seed) : seed_(seed) {}
  // The minutiae of finger `finger` as they are on the finger.
  std::vector<Minutia> Finger(int finger) const;
  // Impression `impression` of finger `finger`, as a 500 dpi, 400 x 500
  // pixel capture would give it.
  FingerView Impression(int finger, int impression) const;

 private:
  uint64_t seed_;
};

}  // namespace vigil
