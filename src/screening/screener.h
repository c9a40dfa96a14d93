// Screening of one traveller against a watch-list index: candidate names
// from the index, a name score from token alignment, evidence from date of
// birth, nationality, sex and documents, and a written explanation of every
// contribution. Thread-safe: one Screener serves many threads, each with its
// own ScreeningScratch.
#pragma once

#include <string>
#include <vector>

#include "model/travel.h"
#include "screening/config.h"
#include "names/similarity.h"
#include "screening/index.h"

namespace vigil {

// Who is screened: any of name (full), given names and surname, birth date
// ("YYYY-MM-DD", "YYYY-MM" or "YYYY"), nationality (ISO alpha-3 or alpha-2),
// sex, documents.
struct ScreeningQuery {
  std::string id;
  std::string name;
  std::string given_names;
  std::string surname;
  std::string birth_date;
  std::string nationality;
  std::string sex;
  std::vector<Document> documents;
};

// The query that screens a traveller as a message gives them: names, birth
// date, nationality, sex and documents.
ScreeningQuery screening_query(const Traveller& person, std::string id = {});

// One piece of evidence and what it did to the score.
struct Evidence {
  std::string factor;  // "name", "date_of_birth", "nationality", "sex", "document", "alias"
  std::string detail;  // readable: what was compared with what
  double effect = 0;   // added to the score (for "name" and "document": the score it set)
};

struct ScreeningMatch {
  uint32_t entry = 0;    // index id of the entry
  std::string list;
  std::string reference;
  double score = 0;
  std::vector<Evidence> explanation;
};

struct ScreeningScratch {
  IndexScratch index;
  std::vector<Candidate> candidates;
  SimilarityMemo memo;
  std::vector<uint32_t> slot_of_entry;  // per entry: 1 + index into `best`, this query only
  std::vector<uint32_t> touched_entries;
  std::vector<const NameToken*> view;  // tokens of the name being compared
};

class Screener {
 public:
  Screener(const WatchIndex& index, ScreeningConfig config);

  // Matches scoring at least `threshold`, best first, at most `top_k`.
  std::vector<ScreeningMatch> Screen(const ScreeningQuery& query, double threshold, int top_k,
                                     ScreeningScratch* scratch) const;
  // With the configured threshold and top_k.
  std::vector<ScreeningMatch> Screen(const ScreeningQuery& query, ScreeningScratch* scratch) const {
    return Screen(query, config_.threshold, config_.top_k, scratch);
  }

  // Scores `query` against every name of every entry, without the index:
  // the reference that the index's recall is measured against.
  std::vector<ScreeningMatch> ScreenExhaustive(const ScreeningQuery& query, double threshold,
                                               int top_k) const;

  const ScreeningConfig& config() const { return config_; }

 private:
  std::vector<ScreeningMatch> Finish(const ScreeningQuery& query, const NormalizedName& name,
                                     std::vector<Candidate>& candidates, double threshold,
                                     int top_k, ScreeningScratch* scratch) const;
  // The tokens of indexed name `name_id`, through `scratch`'s view.
  TokenView CandidateView(uint32_t name_id, ScreeningScratch* scratch) const;
  // What of the query the entry summaries in the index are checked against.
  struct QueryFacts {
    int birth_year = 0;       // 0: not given
    uint8_t nationality = 0;  // nationality_tag; 0: not given
  };
  // At least the non-name evidence AddEvidence can find for an entry whose
  // names carry `n`'s summary.
  double EvidenceBound(const QueryFacts& q, const IndexedName& n) const;
  // The non-name evidence of `e` for `q` (whose nationality, as alpha-3
  // where known, is `nationality`): its total effect, each piece added to
  // `out` with its explanation when `out` is given.
  double AddEvidence(const ScreeningQuery& q, const std::string& nationality, const WatchEntry& e,
                     std::vector<Evidence>* out) const;

  const WatchIndex& index_;
  ScreeningConfig config_;
};

}  // namespace vigil
