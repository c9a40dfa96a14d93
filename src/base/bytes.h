// Fixed-width integers in binary formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil {

// The unsigned big-endian integer in the `n` bytes (at most 4) of `b` at
// `at`. The caller has checked that they lie within `b`.
inline uint32_t big_endian(std::string_view b, size_t at, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

}  // namespace vigil
