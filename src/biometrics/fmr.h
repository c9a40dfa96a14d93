// Finger minutiae records: ISO/IEC 19794-2:2005 and :2011 and ANSI INCITS
// 378-2004 and 378-2009 templates, read into one form.
//
// Promises:
//  - read_fmr() tells the standards apart by version and length fields
//    ("FMR\0" and " 20\0" start both ISO 2005 and ANSI 2004: the record
//    length field, 4 bytes in ISO and 2 or 6 in ANSI, decides; "FMR\0" and
//    "030\0" start both ISO 2011 and ANSI 2009: the one whose lengths
//    (representation lengths, or view sizes from minutiae counts and
//    extended data lengths) frame the record exactly decides, ISO if both
//    do, and if neither does the refusal says where each reading fails;
//    "035\0" is ANSI 2009 with its 2010 amendment), reads every finger
//    view, and refuses anything malformed with the byte offset and field at
//    fault; nothing is returned half-read.
//  - Minutiae come out in one convention whatever the source: pixels at
//    the record's resolution, angles in 1/256 of a turn counter-clockwise
//    (ANSI's 2-degree units converted), types 0 other, 1 ridge ending, 2
//    bifurcation. Where each view carries its own image size and
//    resolution (ISO 2011, ANSI 2009) the first view's are the template's.
//  - write_fmr() writes ISO 19794-2:2005, which read_fmr() reads back
//    unchanged where it has room: up to 255 minutiae a view, view numbers
//    and impression types up to 15 (ISO 2011 and ANSI 2009 give a byte),
//    finger positions up to 10 (a print of a slap, at the slap's code 13
//    to 15, is written as of no known finger).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace vigil {

enum class FmrStandard { kIso2005, kIso2011, kAnsi2004, kAnsi2009 };
const char* to_string(FmrStandard s);

struct Minutia {
  uint16_t x = 0, y = 0;  // pixels
  uint8_t angle = 0;      // 1/256 of a turn
  uint8_t type = 0;       // 0 other, 1 ridge ending, 2 bifurcation
  uint8_t quality = 0;    // 0-100; 0 when not given; 255 where the source marks it failed
  bool operator==(const Minutia&) const = default;
};

// One impression of one finger.
struct FingerView {
  uint8_t finger = 0;      // position code: 0 unknown, 1 right thumb ... 10 left little
  uint8_t view = 0;
  uint8_t impression = 0;  // 0 live-scan plain, 1 rolled, 2 non-live plain, ...
  uint8_t quality = 0;     // 0-100; 0 when not given
  std::vector<Minutia> minutiae;
  bool operator==(const FingerView&) const = default;
};

struct FingerTemplate {
  FmrStandard standard = FmrStandard::kIso2005;
  uint16_t width = 0, height = 0;          // of the image, pixels
  uint16_t x_resolution = 197, y_resolution = 197;  // pixels per centimetre (500 dpi), as every source records it
  std::vector<FingerView> views;
};

// A direction in radians (counter-clockwise from the x axis) in 1/256 of a
// turn, rounded, as minutiae carry it.
uint8_t angle_units(double radians);

// Reads a finger minutiae record; see the promises above.
Result<FingerTemplate> read_fmr(std::string_view bytes);

// `t` as an ISO/IEC 19794-2:2005 record.
std::string write_fmr(const FingerTemplate& t);

}  // namespace vigil
