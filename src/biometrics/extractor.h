// Minutiae from a fingerprint image.
//
// The image is normalised block by block, the ridge orientation and
// frequency estimated per block, the print segmented from the background,
// ridges enhanced with oriented Gabor filters, binarised and thinned to
// one-pixel skeletons; endings and bifurcations are read off the skeleton
// by crossing number, and spurious ones (near the print's edge, in short
// spurs, bridges and breaks) removed.
//
// Promises:
//  - extract_minutiae() works at 500 ppi; other resolutions are rescaled
//    first and the minutiae given back in the image's own pixels.
//  - Angles follow fmr.h: 1/256 of a turn counter-clockwise, along the
//    ridge away from an ending, and for a bifurcation along the valley
//    that ends in it.
//  - A blank, flat or tiny image, or one with too little ridge area, is
//    refused with the reason, never given back with no minutiae.
//  - Deterministic: the same image gives the same minutiae.
#pragma once

#include "base/status.h"
#include "biometrics/fmr.h"
#include "biometrics/image.h"

namespace vigil {

// The minutiae of `image` as one finger view (position `finger`), and the
// template's size and resolution set from the image.
Result<FingerTemplate> extract_minutiae(const GrayImage& image, uint8_t finger = 0);

}  // namespace vigil
