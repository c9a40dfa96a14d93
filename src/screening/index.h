// An in-memory index over watch-list entries for fast candidate retrieval.
//
// Every name and alias is normalised once at build time. Name tokens are
// indexed by their sound key and by every key one deletion away, so that a
// query finds names that share sound-alike words, spelling slips included,
// without comparing against the whole list. Document numbers are indexed
// after folding look-alike characters. Immutable after construction and
// safe to query from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/watchlist.h"
#include "names/normalize.h"
#include "names/phonetic.h"

namespace vigil {

// A normalised name of an entry.
struct IndexedName {
  uint32_t entry = 0;
  uint32_t name = 0;  // index into the entry's names
  NormalizedName normalized;
  std::vector<uint32_t> token_ids;  // vocabulary id of each token (equal texts, equal ids)
  uint8_t words = 0;  // tokens that are not particles
};

// A name worth scoring, and how many of the query's words the index found
// in it.
struct Candidate {
  uint32_t name = 0;
  uint8_t found = 0;
};

// Per-thread working memory for queries; reuse one per thread.
struct IndexScratch {
  std::vector<uint32_t> hits;      // per name: bit mask of query tokens found
  std::vector<uint32_t> touched;   // names with a non-zero mask
  std::vector<uint64_t> keys;
};

class WatchIndex {
 public:
  explicit WatchIndex(std::vector<WatchEntry> entries);

  size_t entry_count() const { return entries_.size(); }
  size_t name_count() const { return names_.size(); }
  const WatchEntry& entry(uint32_t id) const { return entries_[id]; }
  const IndexedName& name(uint32_t id) const { return names_[id]; }

  // Names sharing enough sound-alike words with `query` to be worth
  // scoring: at least two query words, or one where either name has a
  // single word. Appends them to `out` (each once).
  void Candidates(const NormalizedName& query, IndexScratch* scratch,
                  std::vector<Candidate>* out) const;

  // The query words the index looks up: tokens of two letters or more that
  // are not particles, at most 32.
  static int QueryWords(const NormalizedName& query);

  // Entries listing a document whose folded number equals `folded`.
  const std::vector<uint32_t>* EntriesWithDocument(std::string_view folded) const;

  // Number of distinct name token texts (and variant sets).
  size_t vocabulary_size() const { return vocabulary_.size(); }

  // Approximate heap memory held by the index, in bytes.
  size_t MemoryBytes() const;

 private:
  void AddKeys(const NameToken& token, std::vector<uint64_t>* keys) const;

  std::vector<WatchEntry> entries_;
  std::vector<IndexedName> names_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> postings_;
  std::unordered_map<std::string, uint32_t> vocabulary_;
  std::unordered_map<std::string, std::vector<uint32_t>> documents_;
};

// A document number folded for comparison: upper-case letters and digits
// only, with look-alike characters mapped to one (O and Q to 0, I and L to 1,
// Z to 2, S to 5, G to 6, B to 8).
std::string fold_document_number(std::string_view number);
// Upper-case letters and digits only, nothing else changed.
std::string plain_document_number(std::string_view number);

}  // namespace vigil
