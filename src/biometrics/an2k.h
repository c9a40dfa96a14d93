// ANSI/NIST-ITL transaction files (ANSI/NIST-ITL 1-2000 to 1-2011 and the
// 2013 update, traditional encoding): the finger records a frontline check
// needs, read into the forms the rest of biometrics uses.
//
// Promises:
//  - read_an2k() walks every logical record the Type-1 record's content
//    field (1.003) lists, checks each record's length field against the
//    bytes present, its type and IDC against 1.003, and refuses anything
//    malformed with the byte offset, record type and field at fault
//    ("ANSI/NIST-ITL file: at byte N: Type-T record: T.NNN XYZ: why");
//    nothing is returned half-read. Type-1 must give 1.002 VER (0200 to
//    0502), 1.003 CNT, 1.004 TOT, 1.005 DAT, 1.007 DAI, 1.008 ORI and
//    1.009 TCN.
//  - Type-9 records give minutiae templates: the INCITS 378 block (fields
//    9.126-9.150) when present, else the legacy NIST standard format
//    (9.012), in the FingerTemplate convention of fmr.h (`standard` is ANSI
//    INCITS 378-2004 for both). Every minutia lies within the template's
//    width and height when those are given. Legacy minutiae (0.01 mm from
//    the bottom-left corner, direction pointing away from the ridge, in
//    degrees) are placed with the image record of the same IDC: pixels at
//    its resolution from its top-left corner, turned 180 degrees to the
//    378 convention; without such an image, at 500 ppi from the topmost
//    minutia (width and height 0), which keeps the print's shape but not
//    its offset. Their 0-63 confidence is checked, not carried (quality 0).
//  - Type-4 (fixed binary, 500 ppi or 1.011 NSR) and Type-14 (tagged, field
//    14.999) records give finger images as stored: compression, size,
//    resolution and the image bytes, not decoded; never an empty image, and
//    an uncompressed one has exactly width x height x bits per pixel. A
//    Type-14 record's 14.021 SEG, where each finger of a slap lies, is
//    read with every box inside the image.
//  - Other record types (2, 3, 5-8, 10, 13, 15, 17 ...) are skipped by their
//    length, their IDC checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "biometrics/fmr.h"

namespace vigil {

// Where one finger lies in an image of several (14.021 SEG): pixels from
// the image's top-left corner, edges included.
struct An2kSegment {
  uint8_t finger = 0;  // 1-10, or 0 unknown
  uint16_t left = 0, right = 0, top = 0, bottom = 0;
  bool operator==(const An2kSegment&) const = default;
};

// A finger image as an ANSI/NIST-ITL record carries it.
struct An2kImage {
  int record_type = 0;       // 4 or 14
  uint8_t finger = 0;        // friction ridge position: 0 unknown, 1-10 as in fmr.h; higher codes
                             // (plain thumbs, four-finger slaps ...) as the record gives them
  std::string compression;   // "NONE", "WSQ", "JPEG" (baseline), "JPEG-LOSSLESS", "JPEG2000" (either
                             // kind), "PNG" or "OTHER" (a code the standard leaves to vendors)
  uint16_t width = 0, height = 0;
  uint16_t ppi = 500;        // pixels per inch, horizontally; 0 when the record gives only an aspect ratio
  uint8_t bits_per_pixel = 8;
  std::string data;          // image bytes as stored
  std::vector<An2kSegment> segments;  // Type-14 of a slap: each finger's place, when 14.021 gives it
};

struct An2kTransaction {
  std::string transaction_type;           // 1.004, e.g. "CAR"
  std::vector<FingerTemplate> templates;  // one per Type-9 record with minutiae
  std::vector<An2kImage> images;          // one per Type-4 or Type-14 record
};

// Whether `bytes` looks like an ANSI/NIST-ITL file (starts "1.001:").
bool is_an2k(std::string_view bytes);

// Reads an ANSI/NIST-ITL transaction; see the promises above.
Result<An2kTransaction> read_an2k(std::string_view bytes);

}  // namespace vigil
