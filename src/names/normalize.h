// Name normalisation: any script in, comparable Latin tokens out.
//
// A name becomes a list of tokens in lower-case ASCII: diacritics folded,
// punctuation dropped, other scripts transliterated (ICU), titles and
// honorifics removed, name particles (al, bin, van, de ...) kept but marked
// light, and, for scripts that transliteration alone cannot bridge (Arabic,
// Chinese, Korean, Japanese, Hebrew), other known Latin renderings attached
// to each token. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct NameToken {
  std::string text;                   // main Latin rendering, lower-case ASCII
  std::string key;                    // skeleton_key(text)
  std::vector<std::string> variants;  // other Latin renderings (cross-script knowledge)
  float weight = 1.0f;                // particles weigh less than name words
  bool particle = false;
  bool native = false;                // written in a non-Latin script (text and variants are renderings)
};

struct NormalizedName {
  std::vector<NameToken> tokens;
  bool non_latin = false;  // the input was (partly) in a non-Latin script
};

// Tokens of `name` as described above. A name made only of titles keeps
// them; an empty or unreadable name gives no tokens.
NormalizedName normalize_name(std::string_view name);

// Lower-case ASCII transliteration of `text` (any script), with every
// character that is not a letter or digit turned into a space.
std::string fold_to_ascii(std::string_view text);

// True for name particles such as "al", "bin", "van", "de".
bool is_name_particle(std::string_view token);

// True for titles and honorifics such as "mr", "dr", "sheikh", "haji".
bool is_name_title(std::string_view token);

}  // namespace vigil
