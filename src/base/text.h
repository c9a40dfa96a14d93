// Byte-level text helpers shared by every reader.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

// Byte offset of the first byte that is not well-formed UTF-8 (overlong
// forms, surrogates and code points past U+10FFFF included), or npos.
size_t invalid_utf8_at(std::string_view s);

// `s` without leading and trailing white space (space, tab, CR, LF, FF),
// inner runs of it collapsed to one space.
std::string collapse_spaces(std::string_view s);

// ISO-8859-1 bytes as UTF-8.
std::string latin1_to_utf8(std::string_view s);

}  // namespace vigil
