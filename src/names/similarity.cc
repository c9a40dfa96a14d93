#include "names/similarity.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "names/phonetic.h"
#include "names/variants.h"

namespace vigil {

namespace {

// Jaro-Winkler from the matched characters and transpositions of `a`
// (the shorter) and `b`.
double winkler(std::string_view a, std::string_view b, size_t matches, size_t transpositions) {
  if (!matches) return 0.0;
  const double m = static_cast<double>(matches);
  const double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

// For `b` of at most 64 characters: matched characters as bit sets, each
// character of `a` taking the first free equal character of `b` in its
// window in a few word operations.
double jaro_winkler_short(std::string_view a, std::string_view b) {
  const size_t la = a.size(), lb = b.size();
  const size_t window = lb / 2 > 0 ? lb / 2 - 1 : 0;
  uint64_t peq[256];  // positions of each byte in b; only bytes of a and b are set
  for (char ch : a) peq[static_cast<uint8_t>(ch)] = 0;
  for (char ch : b) peq[static_cast<uint8_t>(ch)] = 0;
  for (size_t j = 0; j < lb; ++j) peq[static_cast<uint8_t>(b[j])] |= uint64_t{1} << j;
  auto below = [](size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; };
  uint64_t ma = 0, mb = 0;
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(lb, i + window + 1);
    const uint64_t free = peq[static_cast<uint8_t>(a[i])] & below(hi) & ~below(lo) & ~mb;
    if (!free) continue;
    mb |= free & (~free + 1);
    ma |= uint64_t{1} << i;
    ++matches;
  }
  size_t transpositions = 0;
  for (uint64_t x = ma, y = mb; x; x &= x - 1, y &= y - 1)
    transpositions += a[static_cast<size_t>(std::countr_zero(x))] != b[static_cast<size_t>(std::countr_zero(y))];
  return winkler(a, b, matches, transpositions);
}

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() <= 64) return jaro_winkler_short(a, b);
  const size_t la = a.size(), lb = b.size();
  const size_t window = lb / 2 - 1;
  std::vector<uint8_t> ma(la, 0), mb(lb, 0);
  size_t matches = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(lb, i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (mb[j] || a[i] != b[j]) continue;
      ma[i] = mb[j] = 1;
      ++matches;
      break;
    }
  }
  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < la && matches; ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  return winkler(a, b, matches, transpositions);
}

namespace {

// Optimal-string-alignment distance (edits with adjacent transpositions),
// or `limit` + 1 when it is larger than `limit`. Bit-parallel over the
// longer string (Hyyro's extension of Myers' algorithm): one pass of a few
// word operations per character of the shorter one.
int edit_distance(std::string_view a, std::string_view b, int limit) {
  if (a.size() > b.size()) std::swap(a, b);
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (lb - la > limit) return limit + 1;
  if (lb > 64) return limit + 1;  // no name word is this long; not a slip
  if (la == 0) return lb;
  // Positions of each byte in b; only the bytes of b are set and cleared.
  uint64_t peq[256];
  for (char ch : a) peq[static_cast<uint8_t>(ch)] = 0;
  for (char ch : b) peq[static_cast<uint8_t>(ch)] = 0;
  for (int j = 0; j < lb; ++j) peq[static_cast<uint8_t>(b[j])] |= uint64_t{1} << j;
  const uint64_t last = uint64_t{1} << (lb - 1);
  uint64_t vp = ~uint64_t{0}, vn = 0, d0 = 0, pm_prev = 0;
  int score = lb;
  for (int i = 0; i < la; ++i) {
    const uint64_t pm = peq[static_cast<uint8_t>(a[i])];
    const uint64_t tr = (((~d0) & pm) << 1) & pm_prev;
    d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
    const uint64_t hp = vn | ~(d0 | vp);
    const uint64_t hn = d0 & vp;
    if (hp & last) ++score;
    else if (hn & last) --score;
    const uint64_t x = (hp << 1) | 1;
    vn = x & d0;
    vp = (hn << 1) | ~(x | d0);
    pm_prev = pm;
  }
  return std::min(score, limit + 1);
}

// Spelling similarity read as name evidence. One slip (insert, delete,
// substitute, swap) in a word of five letters or more is a variant; two
// slips only in long words. Beyond that Jaro-Winkler decides, falling off
// steeply below 0.94: "sato" and "santos", "john" and "jane" are different
// names.
double spelling_similarity(std::string_view a, std::string_view b, double* jw_out = nullptr) {
  const double jw = jaro_winkler(a, b);
  if (jw_out) *jw_out = jw;
  if (jw < 0.6) return 0.0;  // too far apart for one or two slips
  const size_t len = std::min(a.size(), b.size());
  const int d = edit_distance(a, b, 2);
  if (d == 0) return 1.0;
  if (d == 1) return len >= 5 ? 0.95 : len >= 4 ? 0.9 : 0.8;
  if (d == 2 && len >= 8) return 0.88;
  return std::min(0.85, std::max(0.0, jw - 4.0 * (0.94 - jw)));
}

constexpr double kSoundSimilarity = 0.92;
constexpr double kNicknameSimilarity = 0.92;
constexpr double kInitialSimilarity = 0.75;
constexpr double kShortFormSimilarity = 0.88;
constexpr double kPairFloor = 0.5;
constexpr double kScriptSoundSimilarity = 0.92;
constexpr size_t kScriptSoundKey = 2;  // consonant classes at least

}  // namespace

double token_similarity(const NameToken& a, const NameToken& b, const char** how) {
  const char* best_how = "spelling";
  if (a.text == b.text) {
    if (how) *how = "exact";
    return 1.0;
  }
  double best = 0;
  auto consider = [&](std::string_view x, std::string_view y, bool variant) {
    if (x == y) {
      if (best < 1.0) best = 1.0, best_how = variant ? "script" : "exact";
      return;
    }
    const double s = spelling_similarity(x, y);
    if (s > best) best = s, best_how = variant ? "script" : "spelling";
  };
  double jw = 0;
  best = spelling_similarity(a.text, b.text, &jw);
  for (const auto& v : a.variants) consider(v, b.text, true);
  for (const auto& v : b.variants) consider(a.text, v, true);
  for (const auto& va : a.variants)
    for (const auto& vb : b.variants) consider(va, vb, true);
  // Across scripts a rendering follows the sound more than the letters:
  // one whose consonant skeleton equals the Latin name's is a near match
  // ("frnqlyn" from Hebrew and "franklin").
  if (best < kScriptSoundSimilarity && a.native != b.native) {
    const NameToken& native = a.native ? a : b;
    const NameToken& latin = a.native ? b : a;
    if (latin.key.size() >= kScriptSoundKey) {
      bool same = native.key == latin.key;
      for (size_t i = 0; !same && i < native.variants.size(); ++i)
        same = skeleton_key(native.variants[i]) == latin.key;
      if (same) best = kScriptSoundSimilarity, best_how = "script sound";
    }
  }
  // Equal sound keys make a spelling variant only when the letters agree
  // too: "john" and "jane" share a key but are different names.
  if (best < kSoundSimilarity && a.text.size() >= 3 && b.text.size() >= 3 && !a.key.empty() &&
      a.key == b.key && jw >= 0.8)
    best = kSoundSimilarity, best_how = "sound";
  if (best < kNicknameSimilarity) {
    const auto& nicks = VariantTables::Get().nicknames(a.text);
    if (std::find(nicks.begin(), nicks.end(), b.text) != nicks.end())
      best = kNicknameSimilarity, best_how = "nickname";
  }
  // A short form that begins the full name ("clem" / "clement", "chris" /
  // "christopher"): given names are shortened this way beyond any table.
  if (best < kShortFormSimilarity) {
    const std::string& shorter = a.text.size() < b.text.size() ? a.text : b.text;
    const std::string& longer = a.text.size() < b.text.size() ? b.text : a.text;
    if (shorter.size() >= 3 && longer.size() >= shorter.size() + 2 &&
        longer.compare(0, shorter.size(), shorter) == 0)
      best = kShortFormSimilarity, best_how = "short form";
  }
  if (best < kInitialSimilarity && (a.text.size() == 1 || b.text.size() == 1) &&
      a.text[0] == b.text[0])
    best = kInitialSimilarity, best_how = "initial";
  if (how) *how = best_how;
  return best;
}

void SimilarityMemo::Reset(size_t vocabulary) {
  const size_t size = vocabulary * kQueryTokens;
  if (stamp_.size() < size) {
    stamp_.assign(size, 0);
    similarity_.resize(size);
    how_.resize(size);
    generation_ = 0;
  }
  if (++generation_ == 0) {  // wrapped: forget everything explicitly
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
}

bool SimilarityMemo::Get(int query_token, uint32_t id, double* similarity, const char** how) const {
  if (query_token >= static_cast<int>(kQueryTokens)) return false;
  const size_t i = size_t{id} * kQueryTokens + static_cast<size_t>(query_token);
  if (i >= stamp_.size() || stamp_[i] != generation_) return false;
  *similarity = similarity_[i];
  *how = how_[i];
  return true;
}

void SimilarityMemo::Put(int query_token, uint32_t id, double similarity, const char* how) {
  if (query_token >= static_cast<int>(kQueryTokens)) return;
  const size_t i = size_t{id} * kQueryTokens + static_cast<size_t>(query_token);
  if (i >= stamp_.size()) return;
  stamp_[i] = generation_;
  similarity_[i] = similarity;
  how_[i] = how;
}

double joined_similarity(std::string_view x, std::string_view y, const NameToken& other) {
  thread_local std::string joined;
  double best = 0;
  // The other word is compared in all its renderings (a Korean given name
  // written as one word against "jong un").
  auto against = [&](const std::string& o) {
    if (x.empty() || o.empty() || x.size() + y.size() + 2 < o.size() ||
        o.size() + 2 < x.size() + y.size() || x[0] != o[0])
      return;
    joined.assign(x).append(y);
    best = std::max(best, spelling_similarity(joined, o));
  };
  against(other.text);
  for (const auto& v : other.variants) against(v);
  return best;
}

NameComparison compare_names(const NormalizedName& q, const NormalizedName& c,
                             const uint32_t* candidate_ids, SimilarityMemo* memo) {
  thread_local std::vector<const NameToken*> view;
  view.clear();
  for (const auto& t : c.tokens) view.push_back(&t);
  return compare_names(q, TokenView(view.data(), view.size()), candidate_ids, memo);
}

NameComparison compare_names(const NormalizedName& q, TokenView c, const uint32_t* candidate_ids,
                             SimilarityMemo* memo) {
  NameComparison out;
  const int nq = static_cast<int>(q.tokens.size()), nc = static_cast<int>(c.size());
  if (!nq || !nc) return out;

  // Reused across calls on this thread: comparisons run by the thousand.
  thread_local std::vector<TokenMatch> pairs;
  thread_local std::vector<uint8_t> used_q, used_c;
  pairs.clear();
  for (int i = 0; i < nq; ++i)
    for (int j = 0; j < nc; ++j) {
      TokenMatch m{i, j, -1, -1, 0, ""};
      if (!memo || !candidate_ids || !memo->Get(i, candidate_ids[j], &m.similarity, &m.how)) {
        m.similarity = token_similarity(q.tokens[i], *c[j], &m.how);
        if (memo && candidate_ids) memo->Put(i, candidate_ids[j], m.similarity, m.how);
      }
      if (m.similarity >= kPairFloor) pairs.push_back(m);
    }
  // One side's word written as two words on the other ("abdulrahman" /
  // "abdul rahman").
  auto try_joined = [&](const std::string& x, const std::string& y, const NameToken& other,
                        TokenMatch m) {
    m.similarity = joined_similarity(x, y, other);
    if (m.similarity >= kJoinedFloor) pairs.push_back(m);
  };
  for (int i = 0; i + 1 < nq; ++i)
    for (int j = 0; j < nc; ++j)
      try_joined(q.tokens[i].text, q.tokens[i + 1].text, *c[j], {i, j, i + 1, -1, 0, "joined"});
  for (int j = 0; j + 1 < nc; ++j)
    for (int i = 0; i < nq; ++i)
      try_joined(c[j]->text, c[j + 1]->text, q.tokens[i], {i, j, -1, j + 1, 0, "joined"});
  std::stable_sort(pairs.begin(), pairs.end(), [](const TokenMatch& a, const TokenMatch& b) {
    return a.similarity > b.similarity;
  });

  used_q.assign(static_cast<size_t>(nq), 0);
  used_c.assign(static_cast<size_t>(nc), 0);
  double sum = 0, matched_weight = 0, weakest = 1.0;
  int strong_query_words = 0;
  for (const TokenMatch& m : pairs) {
    if (used_q[m.query] || used_c[m.candidate] || (m.query2 >= 0 && used_q[m.query2]) ||
        (m.candidate2 >= 0 && used_c[m.candidate2]))
      continue;
    used_q[m.query] = used_c[m.candidate] = 1;
    double wq = q.tokens[m.query].weight, wc = c[m.candidate]->weight;
    if (m.query2 >= 0) used_q[m.query2] = 1, wq += q.tokens[m.query2].weight;
    if (m.candidate2 >= 0) used_c[m.candidate2] = 1, wc += c[m.candidate2]->weight;
    sum += m.similarity * (wq + wc);
    matched_weight += wq + wc;
    if (!q.tokens[m.query].particle) {
      // An initial agrees with its name; it is less evidence, not doubt.
      if (std::string_view(m.how) != "initial") weakest = std::min(weakest, m.similarity);
      if (m.similarity >= 0.75) ++strong_query_words;
    }
    out.matches.push_back(m);
  }
  if (matched_weight == 0) return out;
  // Unmatched parts: a traveller's name part missing from the list entry
  // weighs more than an extra name the list holds (patronymics, aliases).
  constexpr double kUnmatchedQuery = 0.6, kUnmatchedCandidate = 0.4;
  double unmatched = 0;
  int words_q = 0, words_c = 0;
  for (int i = 0; i < nq; ++i) {
    if (!q.tokens[i].particle) ++words_q;
    if (used_q[i]) continue;
    unmatched += kUnmatchedQuery * q.tokens[i].weight;
    if (!q.tokens[i].particle) ++out.unmatched_query;
  }
  for (int j = 0; j < nc; ++j) {
    if (!c[j]->particle) ++words_c;
    if (used_c[j]) continue;
    unmatched += kUnmatchedCandidate * c[j]->weight;
    if (!c[j]->particle) ++out.unmatched_candidate;
  }
  // The mean agreement of the matched words, pulled down by the weakest
  // word: one exact word does not carry a doubtful one ("john sato" is not
  // "john santos"), while several spelling variants together still match.
  const double agreement = sum / matched_weight - (1.0 - weakest);
  const double coverage = matched_weight / (matched_weight + unmatched);
  out.score = std::max(0.0, agreement * coverage);
  // One matching word is not a name match when both names have several.
  if (words_q >= 2 && words_c >= 2 && strong_query_words < 2) out.score = std::min(out.score, 0.55);
  // A single-word name against a longer one is a partial name at best.
  if ((words_q == 1) != (words_c == 1)) out.score *= 0.8;
  return out;
}

}  // namespace vigil
