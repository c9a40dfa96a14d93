// An in-memory index over watch-list entries for fast candidate retrieval.
//
// Every name and alias is normalised once at build time into tokens of a
// shared vocabulary (equal tokens, one id). The vocabulary is keyed by each
// token's sound key, its letters and every spelling one letter shorter, so
// that a query word finds the listed words it could be a spelling,
// transliteration, slip or nickname of; each such word is then scored once
// per query. Names are found through the words they contain, rarest query
// words first: a name must hold two of the query's words (one when either
// name has a single word), so the commonest word's long posting list is
// never read. Document numbers are indexed after folding look-alike
// characters. Immutable after construction and safe to query from many
// threads, each with its own IndexScratch.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/watchlist.h"
#include "names/normalize.h"
#include "names/similarity.h"

namespace vigil {

// A normalised name of an entry: its tokens are `token_count` vocabulary ids
// from `first_token` on; the first kInline of them are also held here, so
// that retrieval reads one cache line per name. The entry's other evidence
// is summarised here too, so that a name can be ruled out before its entry
// is read.
struct alignas(32) IndexedName {
  static constexpr int kInline = 4;
  static constexpr int kOpenSpan = 255;  // in birth_years: any later year too
  uint32_t entry = 0;
  uint32_t first_token = 0;
  uint16_t name = 0;  // index into the entry's names
  uint8_t token_count = 0;
  uint8_t words = 0;  // tokens that are not particles
  uint16_t birth_year = 0;   // earliest year of the entry's readable dates of birth; 0: none
  uint8_t birth_years = 0;   // latest such year (or range end) minus the earliest, or kOpenSpan
  uint8_t person : 1 = 0;    // the entry is a person
  uint8_t nationality : 7 = 0;  // nationality_tag of the entry's one nationality; 0: none or several
  uint32_t tokens[kInline] = {};
};
static_assert(sizeof(IndexedName) == 32);

// A tag in 1..127 for a nationality code: different tags mean different
// codes (equal tags need not mean equal codes).
uint8_t nationality_tag(std::string_view code);

// A name worth scoring, how many of the query's words the index found in
// it, and at most how many of its words those are.
struct Candidate {
  uint32_t name = 0;
  uint8_t found = 0;
  uint8_t covered = UINT8_MAX;
};

// A listed word a query word led to: near it (with its similarity), or a
// part of it written apart: its head, its tail, or what follows a leading
// particle ("laden" of "binladen").
struct WordHit {
  enum Kind : uint8_t { kNear, kHead, kTail, kRest };
  uint32_t vocabulary_id = 0;
  Kind kind = kNear;
  double similarity = 0;  // for kNear: as token_similarity gave it
  const char* how = "";
};

// Per-thread working memory for queries; reuse one per thread. It
// remembers what recent query words led to, so that the names travellers
// share are looked up once per thread, not once per traveller.
struct IndexScratch {
  uint64_t index_instance = 0;          // the index `seen` belongs to
  std::unordered_map<std::string, std::vector<WordHit>> seen;  // query word -> hits
  std::vector<uint64_t> vocab_bits;     // per vocabulary id (and one more, always 0): query words it answers (see index.cc)
  std::vector<uint32_t> vocab_touched;  // ids with non-zero bits
};

class WatchIndex {
 public:
  explicit WatchIndex(std::vector<WatchEntry> entries);

  size_t entry_count() const { return entries_.size(); }
  size_t name_count() const { return names_.size(); }
  const WatchEntry& entry(uint32_t id) const { return entries_[id]; }
  const IndexedName& name(uint32_t id) const { return names_[id]; }
  // The vocabulary ids of name `id`'s tokens, in order.
  std::span<const uint32_t> name_tokens(uint32_t id) const {
    return {token_ids_.data() + names_[id].first_token, names_[id].token_count};
  }
  const NameToken& token(uint32_t vocabulary_id) const { return vocabulary_[vocabulary_id]; }
  size_t vocabulary_size() const { return vocabulary_.size(); }

  // Names worth scoring against `query`: those holding words near at least
  // two query words, or one where either name has a single word. A listed
  // word is near a query word when token_similarity rates them at least
  // kNearSimilarity, or when it is one half of the query word written apart
  // ("bin laden" for "binladen") or two query words written together.
  // Similarities computed on the way are left in `memo` (reset by the
  // caller for this query). Appends each name once to `out`.
  void Candidates(const NormalizedName& query, SimilarityMemo* memo, IndexScratch* scratch,
                  std::vector<Candidate>* out) const;

  // The lowest token similarity the index retrieves on. compare_names caps
  // names with fewer than two such words at 0.55, so the index finds every
  // name that can score above 0.55 on its name and above 0.70 with every
  // other piece of evidence in its favour.
  static constexpr double kNearSimilarity = 0.75;

  // The query words the index looks up: tokens of two letters or more that
  // are not particles, among the first 16 tokens.
  static int QueryWords(const NormalizedName& query);

  // How many query words a thread remembers before it starts afresh.
  static constexpr size_t kRememberedWords = 50000;

  // Entries listing a document whose folded number equals `folded`.
  const std::vector<uint32_t>* EntriesWithDocument(std::string_view folded) const;

  // Approximate heap memory held by the index and its entries, in bytes.
  size_t MemoryBytes() const;

 private:
  // A multimap from 64-bit keys to ids: open addressing over slots that
  // hold the key and where its ids are, so that a look-up reads one slot
  // (at most half the slots are used) and then the ids.
  struct KeyTable {
    struct Slot {
      uint64_t key = 0;
      uint32_t begin = 0;
      uint32_t count = 0;  // 0: empty
    };
    std::vector<Slot> slots;
    std::vector<uint32_t> ids;
    void Build(std::vector<std::pair<uint64_t, uint32_t>> pairs);
    std::span<const uint32_t> Find(uint64_t key) const;
    size_t MemoryBytes() const;
  };
  // A name holding a word, with the name's other words (particles aside; a
  // repeat of the word itself counts as another) when they fit, so that a
  // posting list is weighed reading it in order.
  struct Posting {
    static constexpr uint32_t kMore = 0x80000000u;  // in `name`: other words did not fit
    static constexpr int kOthers = 3;
    uint32_t name = 0;
    uint32_t others[kOthers] = {};  // vocabulary ids; unused slots hold vocabulary_size()
  };
  // Per vocabulary id, the names holding it.
  template <typename T>
  struct Postings {
    std::vector<uint32_t> offsets;
    std::vector<T> items;
    std::span<const T> of(uint32_t v) const {
      return {items.data() + offsets[v], offsets[v + 1] - offsets[v]};
    }
  };

  // The hits of one query word (see Candidates), without words written together.
  void WordHits(const NameToken& token, std::vector<WordHit>* out) const;

  uint64_t instance_;  // distinguishes indexes for the scratch's memory
  std::vector<WatchEntry> entries_;
  std::vector<IndexedName> names_;
  std::vector<uint32_t> token_ids_;
  std::vector<NameToken> vocabulary_;
  KeyTable keys_;       // token keys -> vocabulary ids
  Postings<Posting> multi_;    // names of two words or more
  Postings<uint32_t> single_;  // names of one word or repeating a word: always read
  std::unordered_map<std::string, std::vector<uint32_t>> documents_;
};

// A document number folded for comparison: upper-case letters and digits
// only, with look-alike characters mapped to one (O and Q to 0, I and L to 1,
// Z to 2, S to 5, G to 6, B to 8).
std::string fold_document_number(std::string_view number);
// Upper-case letters and digits only, nothing else changed.
std::string plain_document_number(std::string_view number);

}  // namespace vigil
