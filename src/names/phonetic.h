// A coarse sound key for finding candidate names across spellings and
// transliterations: "muhammad", "mohammed", "mhmd" (from Arabic script) and
// "mouhamed" share one key. Keys are for retrieval, not for deciding: two
// names with one key may still differ.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// The key of one lower-case ASCII token: its first sound class, then its
// consonant classes without vowels and without repeats. Empty for empty
// input.
std::string skeleton_key(std::string_view token);

}  // namespace vigil
