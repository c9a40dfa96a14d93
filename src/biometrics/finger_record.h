// Finger images as travel documents and biometric exchanges hold them: the
// ISO/IEC 19794-4 finger image record of 2005 (version 010) or 2011 (020),
// bare or inside a chip's data group 3 (lds.h, tag 63), as a chip reader
// gives it.
//
// Promises:
//  - read_finger_record() returns every image of the record, in order: its
//    finger position (0 unknown, 1-10 the fingers, 13-15 slaps, 20 and up
//    palms), impression type, declared size, resolution in pixels per inch
//    (from the record's image resolution and scale; 0 where it gives none),
//    compression ("NONE", "WSQ", "JPEG", "JPEG2000" or "PNG") and data.
//    A 2011 record's capture time, device, quality and certification
//    blocks and extended data (segmentation, annotation, comments) are
//    passed over.
//  - Errors are located: "DG3: at byte N: TAG: why" in the data group,
//    "finger record: at byte N: why" in the record (N from the start of
//    what was given). Refused: versions other than 010 and 020, bit-packed images,
//    uncompressed ones of other than 8 bits or of a size other than
//    declared, image bytes not of the compression the record names,
//    lengths that overrun or disagree, and records with no image.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil {

struct FingerRecordImage {
  int position = 0;
  int impression = 0;  // 0 live-scan plain, 1 live-scan rolled, 2 and 3 inked, 8 swipe, ...
  int width = 0, height = 0;
  int ppi = 0;
  std::string compression;
  std::string data;
};

// Whether `bytes` begin like a data group 3 or a finger image record
// ("FIR\0").
bool is_finger_record(std::string_view bytes);

Result<std::vector<FingerRecordImage>> read_finger_record(std::string_view bytes);

}  // namespace vigil
