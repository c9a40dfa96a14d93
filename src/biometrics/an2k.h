// ANSI/NIST-ITL transaction files (ANSI/NIST-ITL 1-2000 to 1-2011 and the
// 2013 update, traditional encoding): the finger records a frontline check
// needs, read into the forms the rest of biometrics uses.
//
// Promises:
//  - read_an2k() walks every logical record the Type-1 record's content
//    field (1.003) lists, checks each record's length field against the
//    bytes present, and refuses anything malformed with the byte offset,
//    record type and field at fault; nothing is returned half-read.
//  - Type-9 records give minutiae templates: the INCITS 378 block (fields
//    9.126-9.150) when present, else the legacy NIST standard format
//    (9.012), in the FingerTemplate convention of fmr.h.
//  - Type-4 (fixed binary, 500 ppi) and Type-14 (tagged, field 14.999)
//    records give finger images as stored: compression, size, resolution and
//    the image bytes, not decoded.
//  - Other record types (2, 10, 13, 15, 17 ...) are skipped by their length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "biometrics/fmr.h"

namespace vigil {

// A finger image as an ANSI/NIST-ITL record carries it.
struct An2kImage {
  int record_type = 0;       // 4 or 14
  uint8_t finger = 0;        // finger position code, as in fmr.h
  std::string compression;   // "NONE", "WSQ", "JPEG", "JPEG2000", "PNG" or "OTHER"
  uint16_t width = 0, height = 0;
  uint16_t ppi = 500;        // pixels per inch
  uint8_t bits_per_pixel = 8;
  std::string data;          // image bytes as stored
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
