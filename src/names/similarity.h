// Similarity of names and of name tokens, with the alignment that explains
// a score.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "names/normalize.h"

namespace vigil {

// Jaro-Winkler similarity in [0, 1] of two byte strings (prefix scale 0.1,
// up to four prefix characters).
double jaro_winkler(std::string_view a, std::string_view b);

// How one token of the query was matched to a token of the candidate.
struct TokenMatch {
  int query = -1;        // index into the query's tokens
  int candidate = -1;    // index into the candidate's tokens
  int query2 = -1;       // second query token when two were read as one word
  int candidate2 = -1;   // second candidate token when two were read as one word
  double similarity = 0; // in [0, 1]
  const char* how = "";  // "exact", "spelling", "sound", "nickname", "short form", "initial",
                         // "joined", "script"
};

struct NameComparison {
  double score = 0;                 // in [0, 1]
  std::vector<TokenMatch> matches;  // best-first
  int unmatched_query = 0;
  int unmatched_candidate = 0;
};

// Similarity of two single tokens in [0, 1] and how they match. Spelling
// distance is read through Jaro-Winkler, steeply discounted below 0.92;
// equal sound keys, nicknames, initials and cross-script renderings count
// as near matches.
double token_similarity(const NameToken& a, const NameToken& b, const char** how);

// Similarity of `x` and `y` written as one word to `other` in any of its
// renderings (spelling only, first letters equal). compare_names reads two
// words as one from kJoinedFloor on.
double joined_similarity(std::string_view x, std::string_view y, const NameToken& other);
inline constexpr double kJoinedFloor = 0.9;

// Remembers token similarities while one query is compared with many
// candidates: candidate tokens are known by an id the caller assigns (equal
// texts, equal ids), so each distinct pair is computed once. One per thread.
class SimilarityMemo {
 public:
  // Starts a new query against candidates drawn from `vocabulary` distinct
  // token ids; forgets everything remembered before.
  void Reset(size_t vocabulary);
  bool Get(int query_token, uint32_t id, double* similarity, const char** how) const;
  void Put(int query_token, uint32_t id, double similarity, const char* how);

 private:
  static constexpr size_t kQueryTokens = 16;
  std::vector<uint32_t> stamp_;
  std::vector<double> similarity_;
  std::vector<const char*> how_;
  uint32_t generation_ = 0;
};

// Aligns the tokens of two names (any order, joined or split words, missing
// middle names) and scores the pair. Token order does not matter; tokens
// that find no partner lower the score, query tokens more than candidate
// tokens only through their weight.
// With `candidate_ids` (one id per candidate token) and `memo`, token
// similarities are remembered across candidates of one query.
NameComparison compare_names(const NormalizedName& query, const NormalizedName& candidate,
                             const uint32_t* candidate_ids = nullptr,
                             SimilarityMemo* memo = nullptr);

// The tokens of a name held elsewhere (an index's vocabulary), in order.
using TokenView = std::span<const NameToken* const>;

// As above, for a candidate given as a token view.
NameComparison compare_names(const NormalizedName& query, TokenView candidate,
                             const uint32_t* candidate_ids, SimilarityMemo* memo);

}  // namespace vigil
