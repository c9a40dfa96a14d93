// WSQ: the FBI's Wavelet Scalar Quantization of greyscale fingerprint
// images (IAFIS-IC-0110 v3), as ANSI/NIST-ITL Type-4 and Type-14 records
// most often carry them.
//
// Promises:
//  - decode_wsq() gives 8-bit pixels within 1 grey level of the reference
//    decoder's, and the resolution the file's NISTCOM comment states (PPI),
//    else `fallback_ppi`.
//  - A bad file is refused with the byte offset and the reason: a missing
//    or unexpected marker, a truncated segment or entropy-coded block, a
//    table used before it is defined, a filter bank other than the 9/7
//    taps the specification fixes, Huffman codes that are not in their
//    table, coefficients that overrun the image or stop short of it, and
//    sides outside decode_image()'s limits (checked before any pixel
//    memory is taken).
#pragma once

#include <string_view>

#include "base/status.h"
#include "biometrics/image.h"

namespace vigil {

Result<GrayImage> decode_wsq(std::string_view bytes, int fallback_ppi = 500);

}  // namespace vigil
