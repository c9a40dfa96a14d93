#include "names/normalize.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>

#include "names/phonetic.h"
#include "names/variants.h"

namespace vigil {
namespace {

constexpr std::array<std::string_view, 40> kTitles = {
    "mr",     "mrs",    "ms",    "miss",    "mstr",   "master", "dr",     "prof",
    "sir",    "dame",   "lord",  "lady",    "rev",    "fr",     "sheikh", "shaikh",
    "shaykh", "sheik",  "haji",  "hajji",   "hadji",  "alhaj",  "alhajji", "mullah",
    "mulla",  "maulana", "maulvi", "mawlawi", "jr",   "sr",     "ii",     "iii",
    "iv",     "gen",    "col",   "capt",    "maj",    "lt",     "chd",    "inf"};

constexpr std::array<std::string_view, 34> kParticles = {
    "al",  "el",  "ul",   "ar",  "as",  "ad",  "an",   "bin", "ibn", "bint", "ben", "bn",
    "abu", "abou", "van", "von", "vander", "der", "den", "de", "da",  "das", "dos",
    "do",  "du",  "del",  "della", "di", "la",  "le",   "ter", "te", "y",  "ould"};

// One ICU transliterator per thread: ICU transliterators are not thread-safe.
icu::Transliterator* Transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) made.reset();
    return made;
  }();
  return t.get();
}

// True when `s` holds a letter of a script other than Latin.
bool has_non_latin_letter(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_SUCCESS(status) && script != USCRIPT_LATIN && script != USCRIPT_COMMON &&
        script != USCRIPT_INHERITED)
      return true;
  }
  return false;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Characters written one syllable per character, where each character is a
// name part of its own (Chinese, Japanese kanji, Korean Hangul).
bool is_syllabic_name_char(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &err);
  return script == USCRIPT_HAN || script == USCRIPT_HANGUL;
}

bool is_apostrophe(UChar32 c) {
  return c == '\'' || c == '`' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB ||
         c == 0x00B4;
}

// Splits `name` into words: separators are spaces, punctuation and symbols;
// apostrophes join; a run of Han or Hangul characters is a word of its own.
std::vector<std::string> split_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  bool current_syllabic = false;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
    current_syllabic = false;
  };
  const auto* s = reinterpret_cast<const uint8_t*>(name.data());
  const int32_t n = static_cast<int32_t>(name.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) continue;  // invalid UTF-8 byte: skipped
    if (is_apostrophe(c)) continue;
    if (u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_DIACRITIC) ||
        u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_COMBINING_SPACING_MARK) {
      const bool syllabic = c >= 0x80 && is_syllabic_name_char(c);
      if (syllabic != current_syllabic) flush();
      current_syllabic = syllabic;
      current.append(name.substr(start, i - start));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

}  // namespace

std::string fold_to_ascii(std::string_view text) {
  std::string out;
  if (is_ascii(text)) {
    out.reserve(text.size());
    for (char ch : text) {
      if (ch >= 'A' && ch <= 'Z') out.push_back(static_cast<char>(ch + 32));
      else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out.push_back(ch);
      else out.push_back(' ');
    }
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  if (icu::Transliterator* t = Transliterator()) t->transliterate(u);
  std::string utf8;
  u.toUTF8String(utf8);
  out.reserve(utf8.size());
  for (char ch : utf8) {
    if (ch >= 'A' && ch <= 'Z') out.push_back(static_cast<char>(ch + 32));
    else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out.push_back(ch);
    else if (ch == '\'') continue;
    else out.push_back(' ');
  }
  return out;
}

namespace {

// The characters of a UTF-8 string, each as its own string.
std::vector<std::string> characters(std::string_view s) {
  std::vector<std::string> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

// Latin readings of a run of Han or Hangul syllables written as one word:
// the renderings known for the whole word, then the syllables' readings
// strung together ("정은" -> "jeongeun", "jongun", "chongun" ...).
std::vector<std::string> run_readings(const std::vector<std::string>& chars, size_t from,
                                      size_t to) {
  const VariantTables& tables = VariantTables::Get();
  std::string word;
  for (size_t i = from; i < to; ++i) word += chars[i];
  std::vector<std::string> out = tables.latin_renderings(word, 4);
  // One syllable alone: its readings are surer than spellings observed for
  // it, which come from words the data aligned by chance.
  if (to - from == 1) {
    std::vector<std::string> readings = tables.syllable_readings(chars[from]);
    if (!readings.empty()) {
      for (auto& o : out)
        if (std::find(readings.begin(), readings.end(), o) == readings.end()) readings.push_back(std::move(o));
      return readings;
    }
  }
  std::vector<std::string> joined{""};
  for (size_t i = from; i < to; ++i) {
    std::vector<std::string> readings = tables.syllable_readings(chars[i]);
    if (readings.empty()) return out;
    if (readings.size() > 4) readings.resize(4);
    std::vector<std::string> next;
    for (const auto& prefix : joined)
      for (const auto& r : readings)
        if (next.size() < 16) next.push_back(prefix + r);
    joined.swap(next);
  }
  for (auto& j : joined)
    if (std::find(out.begin(), out.end(), j) == out.end()) out.push_back(std::move(j));
  return out;
}

}  // namespace

bool is_name_title(std::string_view token) {
  return std::find(kTitles.begin(), kTitles.end(), token) != kTitles.end();
}

bool is_name_particle(std::string_view token) {
  return std::find(kParticles.begin(), kParticles.end(), token) != kParticles.end();
}

NormalizedName normalize_name(std::string_view name) {
  NormalizedName out;
  const VariantTables& tables = VariantTables::Get();
  const std::vector<std::string> words = split_words(name);
  for (const std::string& word : words) {
    const std::vector<std::string> chars = characters(word);
    if (!chars.empty() && !is_ascii(word)) {
      UChar32 first;
      int32_t off = 0;
      U8_NEXT(reinterpret_cast<const uint8_t*>(word.data()), off, static_cast<int32_t>(word.size()), first);
      if (first >= 0 && is_syllabic_name_char(first)) {
        // East Asian names: a whole name of three syllables is a surname
        // and a given name (金正恩, 김정은); other runs, and the words of a
        // name already written apart (존 기븐스), stay one word.
        std::vector<std::pair<size_t, size_t>> parts;
        if (chars.size() == 3 && words.size() == 1) parts = {{0, 1}, {1, 3}};
        else parts = {{0, chars.size()}};
        for (const auto& [from, to] : parts) {
          std::vector<std::string> readings = run_readings(chars, from, to);
          if (readings.empty()) continue;
          NameToken token;
          token.text = readings.front();
          token.variants.assign(readings.begin() + 1, readings.end());
          token.key = skeleton_key(token.text);
          token.native = true;
          out.tokens.push_back(std::move(token));
        }
        out.non_latin = true;
        continue;
      }
    }
    NameToken token;
    if (is_ascii(word)) {
      token.text = fold_to_ascii(word);
    } else {
      out.non_latin = true;
      token.native = has_non_latin_letter(word);
      std::string folded = fold_to_ascii(word);
      folded.erase(std::remove(folded.begin(), folded.end(), ' '), folded.end());
      token.text = std::move(folded);
      for (std::string& v : tables.latin_renderings(word, 4))
        if (v != token.text &&
            std::find(token.variants.begin(), token.variants.end(), v) == token.variants.end())
          token.variants.push_back(std::move(v));
      if (token.text.empty() && !token.variants.empty()) {
        token.text = token.variants.front();
        token.variants.erase(token.variants.begin());
      }
    }
    if (token.text.empty()) continue;
    token.key = skeleton_key(token.text);
    if (is_name_particle(token.text)) {
      token.particle = true;
      token.weight = 0.3f;
    }
    out.tokens.push_back(std::move(token));
  }
  // Titles go, unless nothing else is left.
  const bool all_titles = std::all_of(out.tokens.begin(), out.tokens.end(),
                                      [](const NameToken& t) { return is_name_title(t.text); });
  if (!all_titles)
    out.tokens.erase(std::remove_if(out.tokens.begin(), out.tokens.end(),
                                    [](const NameToken& t) { return is_name_title(t.text); }),
                     out.tokens.end());
  return out;
}

}  // namespace vigil
