// Settings shared by every message reader.
#pragma once

#include <string>

#include "base/hash.h"

namespace vigil {

struct ParseOptions {
  // Name of the input, used in every Diagnostic's location.
  std::string file;
  // Warnings become errors: the message is rejected on any irregularity.
  bool strict = false;
  // Key for hashing payment card numbers. Required by the PNR readers.
  const HashKey* card_key = nullptr;
  // Year used to pick the century of two-digit years (birth dates are never
  // in the future). Zero means the current year by the system clock.
  int reference_year = 0;
};

}  // namespace vigil
