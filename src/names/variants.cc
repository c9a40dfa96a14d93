#include "names/variants.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <utility>

// The embedded tables (variant_data.cc). Each range is followed by a NUL.
#define VIGIL_DECLARE_TABLE(name)                                              \
  extern "C" __attribute__((visibility("hidden"))) const char                  \
      vigil_names_##name##_begin[];                                            \
  extern "C" __attribute__((visibility("hidden"))) const char                  \
      vigil_names_##name##_end[];
VIGIL_DECLARE_TABLE(tokens)
VIGIL_DECLARE_TABLE(charmodel)
VIGIL_DECLARE_TABLE(cjk)
VIGIL_DECLARE_TABLE(hangul)
VIGIL_DECLARE_TABLE(nicknames)
VIGIL_DECLARE_TABLE(nfc)
#undef VIGIL_DECLARE_TABLE

namespace vigil {
namespace {

#define VIGIL_TABLE(name)                               \
  std::string_view(vigil_names_##name##_begin,          \
                   static_cast<size_t>(vigil_names_##name##_end - \
                                       vigil_names_##name##_begin))

// The constants below must stay equal to those of
// tools/names/build_tables.py, which evaluates the same procedure.
constexpr size_t kMaxCandidates = 12;  // graphones tried per native unit
constexpr double kUnknownCost = 10.0;  // skipping a character no unit covers
constexpr size_t kBeam = 24;           // hypotheses kept per position
constexpr double kUnigramAdd = 0.1;    // additive smoothing of unigrams
constexpr size_t kModelCandidates = 6;
constexpr size_t kMaxWordChars = 64;

// ---------------------------------------------------------------------------
// Text helpers.

// Calls `fn(line)` for every non-empty line that is not a comment.
template <typename Fn>
void ForEachLine(std::string_view data, Fn&& fn) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') fn(line);
    pos = end + 1;
  }
}

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t end = s.find(sep, pos);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(pos));
      return out;
    }
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
}

// Non-empty items of a comma-separated list.
std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view item : Split(s, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

uint32_t ParseUint(std::string_view s, int base = 10) {
  uint32_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value, base);
  return value;
}

// Decodes UTF-8; invalid or truncated sequences become U+FFFD, one byte at
// a time.
std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (ok && (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0xFFFD);
      ++i;
    }
  }
  return out;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size() * 3);
  for (char32_t cp : cps) AppendUtf8(&out, cp);
  return out;
}

void AppendUnique(std::vector<std::string>* out, std::string_view s) {
  if (s.empty()) return;
  if (std::find(out->begin(), out->end(), s) == out->end()) out->emplace_back(s);
}

// ---------------------------------------------------------------------------
// Scripts and the canonical form of a native token. Mirrors script_of_cp()
// and native_key() in tools/names/build_tables.py: the tables are keyed by
// this form.

enum class Script { kNone, kArabic, kHebrew, kCyrillic, kGreek, kHangul, kKana, kHan };

Script ScriptOfCp(char32_t cp) {
  if ((cp >= 0x0620 && cp <= 0x063F) || (cp >= 0x0641 && cp <= 0x064A) ||
      (cp >= 0x066E && cp <= 0x066F) || (cp >= 0x0671 && cp <= 0x06D3) || cp == 0x06D5)
    return Script::kArabic;
  if ((cp >= 0x05D0 && cp <= 0x05EA) || (cp >= 0x05EF && cp <= 0x05F2))
    return Script::kHebrew;
  if ((cp >= 0x0400 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x052F))
    return Script::kCyrillic;
  if (cp >= 0x0386 && cp <= 0x03FF && cp != 0x0387) return Script::kGreek;
  if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
      (cp >= 0x3131 && cp <= 0x318E))
    return Script::kHangul;
  if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309D && cp <= 0x309F) ||
      (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x30FC && cp <= 0x30FF) ||
      (cp >= 0x31F0 && cp <= 0x31FF))
    return Script::kKana;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
      cp == 0x3005 || cp == 0x3007)
    return Script::kHan;
  return Script::kNone;
}

char32_t FoldArabic(char32_t cp) {
  switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
      return 0x0627;
    case 0x0649: case 0x06CC: case 0x06D2:
      return 0x064A;
    case 0x06A9: case 0x06AA:
      return 0x0643;
    case 0x06C1: case 0x06BE:
      return 0x0647;
    default:
      return cp;
  }
}

bool IsApostrophe(char32_t cp) {
  return cp == 0x0027 || cp == 0x05F3 || cp == 0x2019 || cp == 0x0060 ||
         cp == 0x00B4 || cp == 0x02BC;
}

bool IsSeparator(char32_t cp) {
  switch (cp) {
    case ' ': case '\t': case '\n': case '\r': case ',': case '.': case '_':
    case '-': case '/': case 0x00B7: case 0x30FB: case 0x2010: case 0x2011:
    case 0x2012: case 0x2013: case 0x2014: case 0x05BE: case 0x060C:
    case 0x3000: case 0x200B: case 0xFF0C: case 0xFF65:
      return true;
    default:
      return false;
  }
}

// Canonical decomposition data the C++ side needs (nfc.tsv).
struct Composition {
  std::unordered_map<uint64_t, char32_t> pairs;         // (first << 21 | second)
  std::unordered_map<char32_t, std::u32string> mapped;  // NFC of one character

  char32_t Compose(char32_t a, char32_t b) const {
    if (a >= 0x1100 && a <= 0x1112 && b >= 0x1161 && b <= 0x1175)
      return 0xAC00 + ((a - 0x1100) * 21 + (b - 0x1161)) * 28;
    if (a >= 0xAC00 && a <= 0xD7A3 && (a - 0xAC00) % 28 == 0 && b >= 0x11A8 &&
        b <= 0x11C2)
      return a + (b - 0x11A7);
    auto it = pairs.find(static_cast<uint64_t>(a) << 21 | b);
    return it == pairs.end() ? 0 : it->second;
  }
};

std::u32string CanonicalKey(std::u32string_view word, const Composition& nfc) {
  std::u32string composed;
  composed.reserve(word.size());
  auto push = [&](char32_t cp) {
    if (!composed.empty()) {
      if (char32_t c = nfc.Compose(composed.back(), cp)) {
        composed.back() = c;
        return;
      }
    }
    composed.push_back(cp);
  };
  for (char32_t cp : word) {
    auto it = nfc.mapped.find(cp);
    if (it == nfc.mapped.end()) {
      push(cp);
    } else {
      for (char32_t m : it->second) push(m);
    }
  }
  std::u32string out;
  out.reserve(composed.size());
  bool prev_hebrew = false;
  for (char32_t cp : composed) {
    if (IsApostrophe(cp)) {
      if (prev_hebrew) out.push_back('\'');
      continue;
    }
    if (cp == 0x05F0 || cp == 0x05F1 || cp == 0x05F2) {
      out.push_back(cp == 0x05F2 ? 0x05D9 : 0x05D5);
      out.push_back(cp == 0x05F0 ? 0x05D5 : 0x05D9);
      prev_hebrew = true;
      continue;
    }
    const Script script = ScriptOfCp(cp);
    if (script == Script::kNone) continue;
    prev_hebrew = script == Script::kHebrew;
    cp = FoldArabic(cp);
    if (cp >= 0x0410 && cp <= 0x042F) {
      cp += 0x20;
    } else if (cp >= 0x0400 && cp <= 0x040F) {
      cp += 0x50;
    } else if ((cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x052F)) {
      cp |= 1;
    } else if (cp >= 0x0391 && cp <= 0x03A9) {
      cp += 0x20;
    } else if ((cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309D && cp <= 0x309E)) {
      cp += 0x60;
    }
    out.push_back(cp);
  }
  return out;
}

// Mirrors token_script(): the most frequent script of the key (the first
// to occur on ties); Han with kana is Japanese.
std::string_view ScriptName(std::u32string_view key) {
  std::array<size_t, 8> counts{};
  std::array<size_t, 8> first{};
  first.fill(SIZE_MAX);
  for (size_t i = 0; i < key.size(); ++i) {
    const auto s = static_cast<size_t>(ScriptOfCp(key[i]));
    if (s == 0) continue;
    ++counts[s];
    first[s] = std::min(first[s], i);
  }
  if (counts[static_cast<size_t>(Script::kHan)] && counts[static_cast<size_t>(Script::kKana)])
    return "ja";
  size_t best = 0;
  for (size_t s = 1; s < counts.size(); ++s) {
    if (!counts[s]) continue;
    if (!best || counts[s] > counts[best] || (counts[s] == counts[best] && first[s] < first[best]))
      best = s;
  }
  switch (static_cast<Script>(best)) {
    case Script::kArabic: return "ar";
    case Script::kHebrew: return "he";
    case Script::kCyrillic: return "ru";
    case Script::kGreek: return "el";
    case Script::kHangul: return "ko";
    case Script::kKana: return "kana";
    case Script::kHan: return "zh";
    case Script::kNone: break;
  }
  return "";
}

std::u32string HangulToJamo(std::u32string_view key) {
  std::u32string out;
  out.reserve(key.size() * 3);
  for (char32_t cp : key) {
    if (cp >= 0xAC00 && cp <= 0xD7A3) {
      const char32_t index = cp - 0xAC00;
      out.push_back(0x1100 + index / 588);
      out.push_back(0x1161 + (index % 588) / 28);
      if (index % 28) out.push_back(0x11A7 + index % 28);
    } else {
      out.push_back(cp);
    }
  }
  return out;
}

bool IsHangulSyllable(char32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

// After no final, n, l, m or ng an MR initial is voiced.
bool EndsVoiced(char32_t syllable) {
  const char32_t coda = (syllable - 0xAC00) % 28;
  return coda == 0 || coda == 4 || coda == 8 || coda == 16 || coda == 21;
}

// ---------------------------------------------------------------------------
// Learned graphone bigram model of one script. Mirrors GraphoneModel in
// tools/names/build_tables.py.

class GraphoneModel {
 public:
  void AddGraphone(std::string_view native, std::string_view latin, uint32_t count,
                   uint32_t total, uint32_t types) {
    native_.push_back(native);
    latin_.push_back(latin);
    count_.push_back(count);
    total_.push_back(total);
    types_.push_back(types);
  }

  void AddBigram(uint32_t prev, uint32_t next, uint32_t count) {
    pending_.push_back({prev, next, count});
  }

  void Finish() {
    uint64_t sum = 0;
    for (size_t i = 1; i < count_.size(); ++i) sum += count_[i];
    denominator_ = static_cast<double>(sum) + kUnigramAdd * static_cast<double>(count_.size());
    std::unordered_map<std::string_view, std::vector<uint32_t>> units;
    for (uint32_t i = 2; i < count_.size(); ++i) units[native_[i]].push_back(i);
    for (auto& [unit, ids] : units) {
      std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
        if (count_[a] != count_[b]) return count_[a] > count_[b];
        if (latin_[a] != latin_[b]) return latin_[a] < latin_[b];
        return a < b;
      });
      if (ids.size() > kMaxCandidates) ids.resize(kMaxCandidates);
      max_unit_ = std::max(max_unit_, DecodeUtf8(unit).size());
      by_unit_.emplace(unit, std::move(ids));
    }
    std::sort(pending_.begin(), pending_.end(), [](const Bigram& a, const Bigram& b) {
      return a.prev != b.prev ? a.prev < b.prev : a.next < b.next;
    });
    first_bigram_.assign(count_.size() + 1, 0);
    for (const Bigram& b : pending_)
      if (b.prev < count_.size() && b.next < count_.size()) ++first_bigram_[b.prev + 1];
    for (size_t i = 1; i < first_bigram_.size(); ++i) first_bigram_[i] += first_bigram_[i - 1];
    next_.resize(first_bigram_.back());
    bigram_count_.resize(first_bigram_.back());
    std::vector<uint32_t> fill(first_bigram_.begin(), first_bigram_.end() - 1);
    for (const Bigram& b : pending_) {
      if (b.prev >= count_.size() || b.next >= count_.size()) continue;
      next_[fill[b.prev]] = b.next;
      bigram_count_[fill[b.prev]++] = b.count;
    }
    pending_.clear();
    pending_.shrink_to_fit();
  }

  // The most frequent non-empty rendering of a native unit, or "".
  std::string_view TopLatin(std::string_view unit) const {
    auto it = by_unit_.find(unit);
    if (it == by_unit_.end()) return {};
    for (uint32_t g : it->second)
      if (!latin_[g].empty()) return latin_[g];
    return {};
  }

  size_t graphones() const { return count_.size(); }
  size_t bigrams() const { return next_.size(); }

  // Top-k Latin strings for a model input (code points), best first.
  std::vector<std::string> Decode(std::u32string_view text, size_t k) const {
    const size_t n = text.size();
    if (n == 0 || count_.size() < 2) return {};
    std::vector<size_t> offsets;  // byte offset of each code point
    const std::string utf8 = EncodeUtf8(text);
    offsets.reserve(n + 1);
    {
      size_t pos = 0;
      for (char32_t cp : text) {
        offsets.push_back(pos);
        pos += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      }
      offsets.push_back(pos);
    }
    std::vector<Position> beams(n + 1);
    beams[0].Offer("", 0, 0.0);
    std::vector<const Hyp*> items;
    std::string latin;
    for (size_t i = 0; i < n; ++i) {
      const std::deque<Hyp>& reached = beams[i].hyps;
      if (reached.empty()) continue;
      items.clear();
      for (const Hyp& h : reached) items.push_back(&h);
      const size_t keep = std::min(kBeam, items.size());
      std::partial_sort(items.begin(), items.begin() + keep, items.end(),
                        [](const Hyp* a, const Hyp* b) {
                          if (a->cost != b->cost) return a->cost < b->cost;
                          if (a->latin != b->latin) return a->latin < b->latin;
                          return a->last < b->last;
                        });
      items.resize(keep);
      bool extended = false;
      for (size_t a = 1; a <= max_unit_ && i + a <= n; ++a) {
        const std::string_view unit(utf8.data() + offsets[i], offsets[i + a] - offsets[i]);
        auto it = by_unit_.find(unit);
        if (it == by_unit_.end()) continue;
        extended = true;
        const bool last = i + a == n;
        for (const Hyp* h : items) {
          for (uint32_t g : it->second) {
            double cost = h->cost + Cost(h->last, g);
            if (last) cost += Cost(g, 1);
            latin.assign(h->latin).append(latin_[g]);
            beams[i + a].Offer(latin, g, cost);
          }
        }
      }
      if (!extended) {
        const bool last = i + 1 == n;
        for (const Hyp* h : items) {
          double cost = h->cost + kUnknownCost;
          if (last) cost += Cost(h->last, 1);
          beams[i + 1].Offer(h->latin, h->last, cost);
        }
      }
    }
    std::unordered_map<std::string_view, double> best;
    for (const Hyp& h : beams[n].hyps) {
      if (h.latin.empty()) continue;
      auto [it, inserted] = best.emplace(h.latin, h.cost);
      if (!inserted && h.cost < it->second) it->second = h.cost;
    }
    std::vector<std::pair<double, std::string_view>> ranked;
    ranked.reserve(best.size());
    for (const auto& [latin, cost] : best) ranked.emplace_back(cost, latin);
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> out;
    for (size_t i = 0; i < ranked.size() && i < k; ++i) out.emplace_back(ranked[i].second);
    return out;
  }

 private:
  struct Bigram {
    uint32_t prev, next, count;
  };

  struct Hyp {
    std::string latin;
    uint32_t last;  // graphone
    double cost;
  };

  struct StateKey {
    std::string_view latin;
    uint32_t last;
    bool operator==(const StateKey& o) const { return last == o.last && latin == o.latin; }
  };

  struct StateHash {
    size_t operator()(const StateKey& k) const {
      return std::hash<std::string_view>()(k.latin) * 31 + k.last;
    }
  };

  // The hypotheses reaching one position of the input, one per state (Latin
  // string so far, last graphone), each with its cheapest cost.
  struct Position {
    std::deque<Hyp> hyps;  // stable addresses: `index` views their strings
    std::unordered_map<StateKey, size_t, StateHash> index;

    void Offer(std::string_view latin, uint32_t last, double cost) {
      auto it = index.find(StateKey{latin, last});
      if (it != index.end()) {
        if (cost < hyps[it->second].cost) hyps[it->second].cost = cost;
        return;
      }
      hyps.push_back({std::string(latin), last, cost});
      index.emplace(StateKey{hyps.back().latin, last}, hyps.size() - 1);
    }
  };

  double Cost(uint32_t h, uint32_t g) const {
    const double pu = (static_cast<double>(count_[g]) + kUnigramAdd) / denominator_;
    const uint32_t c = total_[h];
    if (c == 0) return -std::log(pu);
    const uint32_t t = types_[h];
    uint32_t seen = 0;
    const auto begin = next_.begin() + first_bigram_[h];
    const auto end = next_.begin() + first_bigram_[h + 1];
    const auto it = std::lower_bound(begin, end, g);
    if (it != end && *it == g) seen = bigram_count_[it - next_.begin()];
    return -std::log((static_cast<double>(seen) + static_cast<double>(t) * pu) /
                     static_cast<double>(static_cast<uint64_t>(c) + t));
  }

  std::vector<std::string_view> native_, latin_;
  std::vector<uint32_t> count_, total_, types_;
  std::vector<uint32_t> first_bigram_, next_, bigram_count_;  // CSR by previous
  std::vector<Bigram> pending_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_unit_;
  size_t max_unit_ = 1;
  double denominator_ = 1.0;
};

struct CjkEntry {
  std::vector<std::string_view> pinyin, wade_giles, cantonese, vietnamese, japanese;
  std::u32string hangul;
  bool surname = false;
};

struct HangulEntry {
  std::string_view rr, mr, mr_voiced;
  std::vector<std::string_view> common;
};

template <typename T>
std::vector<T> Interleave(const std::vector<std::vector<T>>& streams) {
  std::vector<T> out;
  size_t longest = 0;
  for (const auto& s : streams) longest = std::max(longest, s.size());
  for (size_t i = 0; i < longest; ++i)
    for (const auto& s : streams)
      if (i < s.size()) out.push_back(s[i]);
  return out;
}

std::vector<std::string> Dedupe(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& s : items) AppendUnique(&out, s);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

struct VariantTables::Impl {
  std::vector<std::string_view> token_keys;    // sorted
  std::vector<std::string_view> token_values;  // parallel to token_keys
  std::unordered_map<std::string, GraphoneModel> models;
  std::unordered_map<char32_t, CjkEntry> cjk;
  std::vector<HangulEntry> hangul;  // indexed by syllable - U+AC00
  std::unordered_set<char32_t> korean_surnames;  // Hangul readings of surnames
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Keyed by lower-case name; looked up without copying the name.
  std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> nicknames;
  Composition nfc;
  size_t embedded_bytes = 0;

  void Load();
  std::vector<std::string_view> SeenRenderings(std::string_view key) const;
  std::vector<std::string> Model(const std::string& name, std::u32string_view key) const;
  // (common, MR, RR, second common) spellings, or false for non-Hangul.
  bool HangulParts(std::u32string_view key, std::array<std::string, 4>* parts) const;
  std::vector<std::string> HangulSystems(std::u32string_view key) const;
  // Renderings of a Han word in each reading system; `complete` tells
  // whether the hand table knew every character.
  std::vector<std::string> HanSystems(std::u32string_view key, bool* complete) const;
  std::vector<std::string> WordRenderings(std::u32string_view key, size_t limit) const;
};

void VariantTables::Impl::Load() {
  ForEachLine(VIGIL_TABLE(nfc), [&](std::string_view line) {
    const auto f = Split(line, '\t');
    if (f.size() == 4 && f[0] == "c") {
      nfc.pairs[static_cast<uint64_t>(ParseUint(f[1], 16)) << 21 | ParseUint(f[2], 16)] =
          ParseUint(f[3], 16);
    } else if (f.size() == 3 && f[0] == "m") {
      std::u32string mapped;
      for (std::string_view cp : Split(f[2], ' ')) mapped.push_back(ParseUint(cp, 16));
      nfc.mapped[ParseUint(f[1], 16)] = std::move(mapped);
    }
  });

  ForEachLine(VIGIL_TABLE(tokens), [&](std::string_view line) {
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) return;
    token_keys.push_back(line.substr(0, tab));
    token_values.push_back(line.substr(tab + 1));
  });
  if (!std::is_sorted(token_keys.begin(), token_keys.end())) {
    std::vector<size_t> order(token_keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return token_keys[a] < token_keys[b]; });
    std::vector<std::string_view> keys, values;
    keys.reserve(order.size());
    values.reserve(order.size());
    for (size_t i : order) {
      keys.push_back(token_keys[i]);
      values.push_back(token_values[i]);
    }
    token_keys.swap(keys);
    token_values.swap(values);
  }

  GraphoneModel* model = nullptr;
  bool bigram_section = false;
  ForEachLine(VIGIL_TABLE(charmodel), [&](std::string_view line) {
    const auto f = Split(line, '\t');
    if (line.front() == '@') {
      if (f.size() < 2) return;
      model = &models[std::string(f[1])];
      bigram_section = f[0] == "@bigrams";
      return;
    }
    if (!model) return;
    if (!bigram_section && f.size() == 5) {
      model->AddGraphone(f[0], f[1], ParseUint(f[2]), ParseUint(f[3]), ParseUint(f[4]));
    } else if (bigram_section && f.size() == 2) {
      const uint32_t prev = ParseUint(f[0]);
      for (std::string_view item : Split(f[1], ',')) {
        const size_t colon = item.find(':');
        if (colon == std::string_view::npos) continue;
        model->AddBigram(prev, ParseUint(item.substr(0, colon)), ParseUint(item.substr(colon + 1)));
      }
    }
  });
  for (auto& [name, m] : models) m.Finish();

  ForEachLine(VIGIL_TABLE(cjk), [&](std::string_view line) {
    const auto f = Split(line, '\t');
    if (f.size() != 8) return;
    const std::u32string han = DecodeUtf8(f[0]);
    if (han.size() != 1) return;
    CjkEntry e;
    e.pinyin = SplitList(f[1]);
    e.wade_giles = SplitList(f[2]);
    for (std::string_view h : SplitList(f[3])) e.hangul += DecodeUtf8(h);
    e.cantonese = SplitList(f[4]);
    e.vietnamese = SplitList(f[5]);
    e.japanese = SplitList(f[6]);
    e.surname = f[7] == "s" || f[7] == "b";
    if (e.surname)
      for (char32_t h : e.hangul) korean_surnames.insert(h);
    cjk[han[0]] = std::move(e);
  });

  hangul.resize(0xD7A3 - 0xAC00 + 1);
  ForEachLine(VIGIL_TABLE(hangul), [&](std::string_view line) {
    const auto f = Split(line, '\t');
    if (f.size() != 5) return;
    const std::u32string s = DecodeUtf8(f[0]);
    if (s.size() != 1 || !IsHangulSyllable(s[0])) return;
    HangulEntry& e = hangul[s[0] - 0xAC00];
    e.rr = f[1];
    e.mr = f[2];
    e.mr_voiced = f[3];
    e.common = SplitList(f[4]);
    if (e.common.empty()) e.common.push_back(e.rr);
  });

  ForEachLine(VIGIL_TABLE(nicknames), [&](std::string_view line) {
    const auto f = Split(line, '\t');
    if (f.size() != 2 || f[0].empty() || f[1].empty() || f[0] == f[1]) return;
    nicknames[std::string(f[0])].emplace_back(f[1]);
    nicknames[std::string(f[1])].emplace_back(f[0]);
  });
  for (auto& [name, list] : nicknames) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }

  embedded_bytes = VIGIL_TABLE(tokens).size() + VIGIL_TABLE(charmodel).size() +
                   VIGIL_TABLE(cjk).size() + VIGIL_TABLE(hangul).size() +
                   VIGIL_TABLE(nicknames).size() + VIGIL_TABLE(nfc).size();
}

std::vector<std::string_view> VariantTables::Impl::SeenRenderings(std::string_view key) const {
  std::vector<std::string_view> out;
  auto it = std::lower_bound(token_keys.begin(), token_keys.end(), key);
  if (it == token_keys.end() || *it != key) return out;
  for (std::string_view item : SplitList(token_values[it - token_keys.begin()])) {
    const size_t colon = item.find(':');
    out.push_back(item.substr(0, colon));
  }
  return out;
}

std::vector<std::string> VariantTables::Impl::Model(const std::string& name,
                                                    std::u32string_view key) const {
  auto it = models.find(name);
  if (it == models.end()) return {};
  if (name == "ko") return it->second.Decode(HangulToJamo(key), kModelCandidates);
  return it->second.Decode(key, kModelCandidates);
}

bool VariantTables::Impl::HangulParts(std::u32string_view key,
                                      std::array<std::string, 4>* parts) const {
  if (key.empty()) return false;
  for (char32_t cp : key)
    if (!IsHangulSyllable(cp)) return false;
  for (std::string& p : *parts) p.clear();
  for (size_t i = 0; i < key.size(); ++i) {
    const HangulEntry& e = hangul[key[i] - 0xAC00];
    if (e.common.empty()) return false;
    (*parts)[0].append(e.common[0]);
    (*parts)[1].append(i > 0 && EndsVoiced(key[i - 1]) ? e.mr_voiced : e.mr);
    (*parts)[2].append(e.rr);
    (*parts)[3].append(e.common.size() > 1 ? e.common[1] : e.common[0]);
  }
  return true;
}

std::vector<std::string> VariantTables::Impl::HangulSystems(std::u32string_view key) const {
  std::array<std::string, 4> parts;
  if (!HangulParts(key, &parts)) return {};
  return Dedupe({parts.begin(), parts.end()});
}

std::vector<std::string> VariantTables::Impl::HanSystems(std::u32string_view key,
                                                         bool* complete) const {
  // A character the hand table lacks is read, in every system but Korean,
  // as the learned Chinese model's most frequent rendering of it, or left
  // out when the model has none.
  *complete = true;
  size_t known = 0;
  std::vector<CjkEntry> guessed;
  guessed.reserve(key.size());
  std::vector<const CjkEntry*> entries;
  auto zh = models.find("zh");
  for (char32_t cp : key) {
    auto it = cjk.find(cp);
    if (it != cjk.end()) {
      entries.push_back(&it->second);
      if (!it->second.pinyin.empty() && !it->second.pinyin[0].empty()) ++known;
      continue;
    }
    *complete = false;
    std::string utf8;
    AppendUtf8(&utf8, cp);
    const std::string_view guess =
        zh == models.end() ? std::string_view() : zh->second.TopLatin(utf8);
    if (!guess.empty()) ++known;
    CjkEntry e;
    e.pinyin = e.wade_giles = e.cantonese = e.vietnamese = e.japanese = {guess};
    guessed.push_back(std::move(e));
    entries.push_back(&guessed.back());
  }
  if (known == 0) return {};
  using Column = std::vector<std::string_view> CjkEntry::*;
  auto join = [&](Column column, size_t index) {
    std::string out;
    for (size_t pos = 0; pos < entries.size(); ++pos) {
      const CjkEntry* e = entries[pos];
      std::vector<std::string_view> values = e->*column;
      if (values.empty() && column == &CjkEntry::wade_giles) values = e->pinyin;
      if (column == &CjkEntry::japanese) {
        // "fuji-" only starts a name, "-to" only follows its start.
        std::vector<std::string_view> allowed;
        for (std::string_view v : values) {
          if (pos == 0 && !v.empty() && v.front() == '-') continue;
          if (pos > 0 && !v.empty() && v.back() == '-') continue;
          while (!v.empty() && v.front() == '-') v.remove_prefix(1);
          while (!v.empty() && v.back() == '-') v.remove_suffix(1);
          allowed.push_back(v);
        }
        values.swap(allowed);
      }
      if (values.empty()) return std::string();
      out.append(values[std::min(index, values.size() - 1)]);
    }
    return out;
  };
  std::array<std::string, 4> ko;
  bool have_ko = true;
  std::u32string korean;
  for (const CjkEntry* e : entries) {
    if (e->hangul.empty()) {
      have_ko = false;
      break;
    }
    korean.push_back(e->hangul[0]);
  }
  if (!have_ko || !HangulParts(korean, &ko)) ko = {};
  return Dedupe({join(&CjkEntry::pinyin, 0), ko[1], ko[0], join(&CjkEntry::cantonese, 0),
                 join(&CjkEntry::wade_giles, 0), ko[2], join(&CjkEntry::vietnamese, 0),
                 join(&CjkEntry::japanese, 0), join(&CjkEntry::cantonese, 1)});
}

std::vector<std::string> VariantTables::Impl::WordRenderings(std::u32string_view key,
                                                             size_t limit) const {
  const std::string_view script = ScriptName(key);
  if (script.empty()) return {};
  std::vector<std::string> out;
  for (std::string_view s : SeenRenderings(EncodeUtf8(key))) AppendUnique(&out, s);
  if (out.size() >= limit || key.size() > kMaxWordChars) {
    if (out.size() > limit) out.resize(limit);
    return out;
  }
  std::vector<std::string> rest;
  if (script == "zh") {
    bool complete = false;
    const std::vector<std::string> systems = HanSystems(key, &complete);
    const std::vector<std::string> learned = Interleave<std::string>({Model("zh", key), Model("ja", key)});
    if (complete) {
      // Every character is in the hand table: most likely a Chinese,
      // Korean or Japanese name rather than a transcribed foreign one.
      const size_t head = std::min<size_t>(2, systems.size());
      rest.assign(systems.begin(), systems.begin() + head);
      const std::vector<std::string> tail(systems.begin() + head, systems.end());
      for (std::string& s : Interleave<std::string>({tail, learned})) rest.push_back(std::move(s));
    } else {
      rest = Interleave<std::string>({systems, learned});
    }
  } else if (script == "ja" || script == "kana") {
    rest = Model("ja", key);
  } else if (script == "ko") {
    std::vector<std::string> rules = HangulSystems(key);
    std::vector<std::string> learned = Model("ko", key);
    const bool korean_name = key.size() >= 2 && key.size() <= 4 && korean_surnames.count(key[0]);
    rest = korean_name ? Interleave<std::string>({rules, learned})
                       : Interleave<std::string>({learned, rules});
  } else {
    rest = Model(std::string(script), key);
  }
  for (const std::string& s : rest) AppendUnique(&out, s);
  if (out.size() > limit) out.resize(limit);
  return out;
}

// ---------------------------------------------------------------------------

VariantTables::VariantTables() : impl_(new Impl) { impl_->Load(); }

VariantTables::~VariantTables() { delete impl_; }

const VariantTables& VariantTables::Get() {
  static const VariantTables* const tables = new VariantTables();
  return *tables;
}

std::vector<std::string> VariantTables::latin_renderings(std::string_view native_token,
                                                         size_t limit) const {
  if (limit == 0) return {};
  const std::u32string text = DecodeUtf8(native_token);
  std::vector<std::vector<std::string>> per_word;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !IsSeparator(text[i])) continue;
    if (i > start) {
      const std::u32string key =
          CanonicalKey(std::u32string_view(text).substr(start, i - start), impl_->nfc);
      if (!key.empty()) {
        std::vector<std::string> words = impl_->WordRenderings(key, limit);
        if (!words.empty()) per_word.push_back(std::move(words));
      }
    }
    start = i + 1;
  }
  if (per_word.empty()) return {};
  if (per_word.size() == 1) return std::move(per_word[0]);
  std::vector<std::string> out;
  for (size_t i = 0; i < limit; ++i) {
    std::string joined;
    for (const auto& words : per_word) {
      if (!joined.empty()) joined.push_back(' ');
      joined.append(words[std::min(i, words.size() - 1)]);
    }
    AppendUnique(&out, joined);
  }
  return out;
}

const std::vector<std::string>& VariantTables::nicknames(std::string_view name) const {
  static const std::vector<std::string> kNone;
  std::string lower;
  if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    lower.assign(name);
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    name = lower;
  }
  auto it = impl_->nicknames.find(name);
  return it == impl_->nicknames.end() ? kNone : it->second;
}

std::vector<std::string> VariantTables::syllable_readings(std::string_view character) const {
  const std::u32string key = CanonicalKey(DecodeUtf8(character), impl_->nfc);
  std::vector<std::string> out;
  if (key.size() != 1) return out;
  auto add_hangul = [&](char32_t syllable) {
    const HangulEntry& e = impl_->hangul[syllable - 0xAC00];
    for (std::string_view s : e.common) AppendUnique(&out, s);
    AppendUnique(&out, e.rr);
    AppendUnique(&out, e.mr);
    AppendUnique(&out, e.mr_voiced);
  };
  if (IsHangulSyllable(key[0])) {
    add_hangul(key[0]);
    return out;
  }
  auto it = impl_->cjk.find(key[0]);
  if (it == impl_->cjk.end()) return out;
  const CjkEntry& e = it->second;
  for (std::string_view s : e.pinyin) AppendUnique(&out, s);
  for (std::string_view s : e.wade_giles) AppendUnique(&out, s);
  for (char32_t h : e.hangul)
    if (IsHangulSyllable(h)) add_hangul(h);
  for (std::string_view s : e.cantonese) AppendUnique(&out, s);
  for (std::string_view s : e.vietnamese) AppendUnique(&out, s);
  for (std::string_view s : e.japanese) {
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    while (!s.empty() && s.back() == '-') s.remove_suffix(1);
    AppendUnique(&out, s);
  }
  return out;
}

std::string_view VariantTables::ScriptOf(std::string_view token) {
  const std::u32string key = CanonicalKey(DecodeUtf8(token), Get().impl_->nfc);
  return ScriptName(key);
}

VariantTables::Stats VariantTables::stats() const {
  Stats s;
  s.token_entries = impl_->token_keys.size();
  for (const auto& [name, m] : impl_->models) {
    s.graphones += m.graphones();
    s.graphone_bigrams += m.bigrams();
  }
  s.cjk_characters = impl_->cjk.size();
  for (const HangulEntry& e : impl_->hangul)
    if (!e.rr.empty() || !e.common.empty()) ++s.hangul_syllables;
  s.nickname_names = impl_->nicknames.size();
  s.embedded_bytes = impl_->embedded_bytes;
  return s;
}

}  // namespace vigil
