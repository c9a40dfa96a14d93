// Name-variant knowledge for watch-list screening: how a name written in
// Arabic, Hebrew, Cyrillic, Hangul, kana or Han script is likely to be spelt
// in Latin letters, and which English given names are nicknames of each
// other.
//
// What this module promises:
// - The tables (data/names/*.tsv, see data/names/README.md) are compiled
//   into the binary; nothing is read from disk at run time.
// - They are parsed once, on first use of Get(), safely from any thread;
//   afterwards every method is const, lock-free and thread-safe.
// - Renderings are lower-case ASCII letters (a-z), with single spaces only
//   between the words of a multi-word input. Results are deterministic.
// - Invalid UTF-8 bytes are ignored; Latin text, digits and unsupported
//   scripts give empty results. No exception escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class VariantTables {
 public:
  // The built-in tables. The first call parses them (tens of milliseconds);
  // concurrent first calls wait for the same single parse.
  static const VariantTables& Get();

  VariantTables(const VariantTables&) = delete;
  VariantTables& operator=(const VariantTables&) = delete;
  ~VariantTables();

  // Latin renderings of a name token in a supported native script, most
  // likely first, at most `limit`, without duplicates. Spellings observed in
  // the training data come first (most frequent first), then, for tokens
  // the data does not cover, renderings from the learned grapheme model,
  // the Hangul romanisation rules and the CJK reading table. Input is
  // normalised first (NFC composition of Hangul, kana and common Arabic and
  // Cyrillic letters; Arabic vowel signs, tatweel and letter variants and
  // Hebrew points folded; Cyrillic lower-cased). Input with several words
  // (separated by spaces, hyphens, middle dots ...) is rendered word by
  // word: the i-th result joins the i-th rendering of every word with
  // single spaces. Empty for empty, Latin-only or unsupported input.
  // Renderings of a multi-syllable CJK word are written without spaces
  // ("kimjongun"): compare them with the Latin name with its spaces and
  // hyphens removed.
  std::vector<std::string> latin_renderings(std::string_view native_token,
                                            size_t limit = 4) const;

  // Lower-case given names equivalent to `name` by nickname, in both
  // directions (bob -> robert, robert -> bob), sorted, not including `name`
  // itself. Matching ignores ASCII case; the result is empty for unknown or
  // non-ASCII names. The reference stays valid for the program's lifetime.
  const std::vector<std::string>& nicknames(std::string_view name) const;

  // All romanisations the hand-compiled tables know for one Han character
  // (Mandarin pinyin and Wade-Giles, Korean, Cantonese, Vietnamese,
  // Japanese readings, in that order) or one Hangul syllable (common
  // spelling(s), Revised Romanisation, McCune-Reischauer). Empty for
  // anything else, including strings of more than one character.
  std::vector<std::string> syllable_readings(std::string_view character) const;

  // The script family a token's letters belong to, as used to choose the
  // learned model: "ar", "he", "ru" (Cyrillic), "el" (Greek, no model),
  // "ko", "kana", "ja" (kana mixed with Han), "zh" (Han only), or "" when
  // the token has no letters of a supported script (Latin, digits, empty).
  static std::string_view ScriptOf(std::string_view token);

  // What was loaded, for logs and monitoring.
  struct Stats {
    size_t token_entries = 0;     // native tokens with observed renderings
    size_t graphones = 0;         // learned units, all scripts
    size_t graphone_bigrams = 0;
    size_t cjk_characters = 0;
    size_t hangul_syllables = 0;
    size_t nickname_names = 0;    // names with at least one nickname
    size_t embedded_bytes = 0;    // size of the embedded tables
  };
  Stats stats() const;

 private:
  struct Impl;
  VariantTables();
  Impl* impl_;
};

}  // namespace vigil
