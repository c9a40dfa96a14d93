// Similarity of names and of name tokens, with the alignment that explains
// a score.
#pragma once

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
  const char* how = "";  // "exact", "spelling", "sound", "nickname", "initial", "joined", "script"
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

// Aligns the tokens of two names (any order, joined or split words, missing
// middle names) and scores the pair. Token order does not matter; tokens
// that find no partner lower the score, query tokens more than candidate
// tokens only through their weight.
NameComparison compare_names(const NormalizedName& query, const NormalizedName& candidate);

}  // namespace vigil
