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
//  - Printed lines, lettering and writing beside the print (as on a
//    ten-print card) are left out of the print's area.
//  - A blank, flat or tiny image, or one with too little ridge area, is
//    refused with the reason, never given back with no minutiae.
//  - Deterministic: the same image gives the same minutiae.
#pragma once

#include "base/status.h"
#include "biometrics/fmr.h"
#include "biometrics/image.h"

namespace vigil {

// The minutiae of `image`, and the template's size and resolution set
// from the image. An image of one finger gives one view (position
// `finger`). A slap, an image of several fingers taken at once (`finger`
// one of the positions 13-15 that ISO/IEC 19794-2 and ANSI/NIST-ITL give
// it), gives a view for each print found in it, at most slap_prints(),
// left to right; a print under a larger one is a finger's lower joint and
// left out. Where it finds as many prints as the slap has fingers, side
// by side, each view is of the finger its place says: a right hand's
// index to little (13), a left hand's little to index (14), the left
// thumb then the right (15), as the hands lie on the scanner. Otherwise
// (a finger missing, or two prints one above the other) a missing finger
// or a stray mark could shift the order: each view keeps the slap's
// position, numbered from 0 by its place (FingerView::view), a finger of
// that hand (finger_mask()), the prints of one slap different fingers.
Result<FingerTemplate> extract_minutiae(const GrayImage& image, uint8_t finger = 0);

// The most prints an image taken at `position` holds: 4 for a four-finger
// slap (13, 14), 2 for both thumbs (15), else 1.
int slap_prints(uint8_t position);

}  // namespace vigil
