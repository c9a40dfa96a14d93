#include "screening/index.h"

#include <algorithm>
#include <atomic>
#include <bit>

#include "names/phonetic.h"
#include "names/variants.h"

namespace vigil {
namespace {

// A 64-bit key for the letters of `s` (without the one at `skip`) in a key
// family. Keys are hashes: two strings sharing a hash only cost a wasted
// look, since every retrieved word is scored.
uint64_t key_of(char family, std::string_view s, size_t skip = std::string_view::npos) {
  uint64_t h = 1469598103934665603ull ^ static_cast<uint8_t>(family);
  h *= 1099511628211ull;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == skip) continue;
    h ^= static_cast<uint8_t>(s[i]);
    h *= 1099511628211ull;
  }
  return h;
}

// Keys of one spelling: its sound key (spellings and transliterations of
// one name meet there: "muhammad", "mohammed", "mhmd"), its letters, and
// for words of four letters or more every spelling one letter shorter (any
// one-letter slip, an insertion, deletion, substitution or swap on either
// side, leaves a shared key).
void spelling_keys(std::string_view text, std::string_view key, std::vector<uint64_t>* out) {
  if (text.size() < 2) return;
  if (key.size() >= 2) out->push_back(key_of('s', key));
  out->push_back(key_of('t', text));
  if (text.size() >= 4 && text.size() <= 14)
    for (size_t i = 0; i < text.size(); ++i) out->push_back(key_of('t', text, i));
}

// Keys of a token in all its renderings.
void token_keys(const NameToken& token, std::vector<uint64_t>* out) {
  if (token.particle) return;
  spelling_keys(token.text, token.key, out);
  for (const auto& v : token.variants) spelling_keys(v, skeleton_key(v), out);
}

// The bits a vocabulary id carries for one query: bit b says it is near
// query word b; bit 16 + b that it is the first part of word b written
// apart, bit 32 + b the last part; kJoined that it is two adjacent query
// words written as one.
constexpr int kPrefixShift = 16, kSuffixShift = 32;
constexpr uint64_t kWordBits = 0xFFFF;
constexpr uint64_t kJoined = uint64_t{1} << 48;

// Query words a vocabulary id's bits touch in any way.
uint32_t words_of(uint64_t bits) {
  return static_cast<uint32_t>((bits | (bits >> kPrefixShift) | (bits >> kSuffixShift)) & kWordBits);
}

// The query words a name's tokens answer. One token answers one word (two
// when it is two words written as one), however many words it is near:
// "muhammad mohammed" is not found in "mohammed ali".
struct Tally {
  uint64_t bits = 0;
  int tokens = 0;       // query words the tokens can answer
  int name_words = 0;   // tokens answering any
  void add(uint64_t b) {
    bits |= b;
    tokens += (b & kJoined) ? 2 : (b != 0);
    name_words += b != 0;
  }
  int found() const {
    const int words =
        std::popcount(static_cast<uint32_t>((bits | ((bits >> kPrefixShift) & (bits >> kSuffixShift))) & kWordBits));
    return std::min(words, tokens);
  }
};

// What makes two tokens compare alike: their text and their variants.
void signature_of(const NameToken& t, std::string* out) {
  out->assign(t.text);
  for (const auto& v : t.variants) out->append("|").append(v);
}

// Writes the indexes of the query tokens the index looks up (tokens of two
// letters or more that are not particles, among the first 16) to `words`;
// returns how many.
int looked_up_words(const NormalizedName& query, int words[16]) {
  int n = 0;
  for (int i = 0; i < static_cast<int>(query.tokens.size()) && i < 16; ++i)
    if (!query.tokens[i].particle && query.tokens[i].text.size() >= 2) words[n++] = i;
  return n;
}

// The evidence summary every name of `entry` carries (see IndexedName).
IndexedName summarise(const WatchEntry& entry) {
  IndexedName out;
  int first = 0, last = 0;
  for (const auto& text : entry.birth_dates) {
    const PartialDate d = parse_partial_date(text);
    if (!d.year) continue;
    const int to = std::max(d.year, d.year_to);
    first = first ? std::min(first, d.year) : d.year;
    last = std::max(last, to);
  }
  if (first > 0 && first <= UINT16_MAX) {
    out.birth_year = static_cast<uint16_t>(first);
    out.birth_years = static_cast<uint8_t>(std::min(last - first, IndexedName::kOpenSpan));
  }
  out.person = entry.kind == WatchEntry::Kind::kPerson;
  if (entry.nationalities.size() == 1) out.nationality = nationality_tag(entry.nationalities[0]) & 0x7F;
  return out;
}

size_t string_heap(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }

}  // namespace

uint8_t nationality_tag(std::string_view code) {
  return static_cast<uint8_t>(1 + key_of('n', code) % 127);
}

std::string plain_document_number(std::string_view number) {
  std::string out;
  for (char ch : number) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
    if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) out.push_back(ch);
  }
  return out;
}

std::string fold_document_number(std::string_view number) {
  std::string out = plain_document_number(number);
  for (char& ch : out) {
    switch (ch) {
      case 'O': case 'Q': ch = '0'; break;
      case 'I': case 'L': ch = '1'; break;
      case 'Z': ch = '2'; break;
      case 'S': ch = '5'; break;
      case 'G': ch = '6'; break;
      case 'B': ch = '8'; break;
      default: break;
    }
  }
  return out;
}

void WatchIndex::KeyTable::Build(std::vector<std::pair<uint64_t, uint32_t>> pairs) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  size_t distinct = 0;
  for (size_t i = 0; i < pairs.size(); ++i) distinct += i == 0 || pairs[i].first != pairs[i - 1].first;
  size_t size = 16;
  while (size < 2 * distinct) size *= 2;
  slots.assign(size, Slot{});
  ids.clear();
  ids.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    const uint64_t key = pairs[i].first;
    if (i == 0 || key != pairs[i - 1].first) {
      size_t s = (key ^ (key >> 29)) & (size - 1);
      while (slots[s].count) s = (s + 1) & (size - 1);
      slots[s] = {key, static_cast<uint32_t>(ids.size()), 0};
      for (size_t j = i; j < pairs.size() && pairs[j].first == key; ++j) ++slots[s].count;
    }
    ids.push_back(pairs[i].second);
  }
}

std::span<const uint32_t> WatchIndex::KeyTable::Find(uint64_t key) const {
  const size_t mask = slots.size() - 1;
  for (size_t s = (key ^ (key >> 29)) & mask; slots[s].count; s = (s + 1) & mask)
    if (slots[s].key == key) return {ids.data() + slots[s].begin, slots[s].count};
  return {};
}

size_t WatchIndex::KeyTable::MemoryBytes() const {
  return slots.capacity() * sizeof(Slot) + ids.capacity() * 4;
}

WatchIndex::WatchIndex(std::vector<WatchEntry> entries) : entries_(std::move(entries)) {
  static std::atomic<uint64_t> instances{0};
  instance_ = ++instances;
  std::unordered_map<std::string, uint32_t> ids;  // token signature -> vocabulary id
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    const WatchEntry& entry = entries_[e];
    const IndexedName facts = summarise(entry);
    for (size_t n = 0; n < entry.names.size() && n <= UINT16_MAX; ++n) {
      NormalizedName normalized = normalize_name(entry.names[n].full);
      if (normalized.tokens.empty()) continue;
      if (normalized.tokens.size() > UINT8_MAX) normalized.tokens.resize(UINT8_MAX);
      IndexedName in = facts;
      in.entry = e;
      in.name = static_cast<uint16_t>(n);
      in.first_token = static_cast<uint32_t>(token_ids_.size());
      in.token_count = static_cast<uint8_t>(normalized.tokens.size());
      for (auto& t : normalized.tokens) {
        if (!t.particle && in.words < UINT8_MAX) ++in.words;
        // Tokens with the same text and variants compare alike: one id.
        std::string signature;
        signature_of(t, &signature);
        auto [it, fresh] = ids.emplace(std::move(signature), static_cast<uint32_t>(vocabulary_.size()));
        if (fresh) vocabulary_.push_back(std::move(t));
        if (token_ids_.size() - in.first_token < IndexedName::kInline)
          in.tokens[token_ids_.size() - in.first_token] = it->second;
        token_ids_.push_back(it->second);
      }
      names_.push_back(in);
    }
    for (const auto& d : entry.documents) {
      const std::string folded = fold_document_number(d.number);
      if (folded.size() < 4) continue;
      auto& list = documents_[folded];
      if (list.empty() || list.back() != e) list.push_back(e);
    }
  }
  // Keys of every listed word.
  std::vector<std::pair<uint64_t, uint32_t>> pairs;
  std::vector<uint64_t> keys;
  for (uint32_t v = 0; v < vocabulary_.size(); ++v) {
    keys.clear();
    token_keys(vocabulary_[v], &keys);
    for (uint64_t k : keys) pairs.emplace_back(k, v);
  }
  keys_.Build(std::move(pairs));
  // Posting lists: each name once under each of its distinct words.
  const uint32_t none = static_cast<uint32_t>(vocabulary_.size());
  multi_.offsets.assign(vocabulary_.size() + 1, 0);
  single_.offsets.assign(vocabulary_.size() + 1, 0);
  std::vector<uint32_t> distinct;
  auto distinct_words = [&](uint32_t id) {
    const auto tokens = name_tokens(id);
    distinct.clear();
    for (uint32_t v : tokens)
      if (!vocabulary_[v].particle) distinct.push_back(v);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  };
  // Names of one word, and names repeating a word ("mohammed mohammed
  // ali"), are read under every word they hold: skipping a word's postings
  // (see Candidates) relies on a name holding two different words.
  auto always_read = [&](uint32_t id) { return names_[id].words < 2 || distinct.size() < names_[id].words; };
  for (uint32_t id = 0; id < names_.size(); ++id) {
    distinct_words(id);
    auto& offsets = always_read(id) ? single_.offsets : multi_.offsets;
    for (uint32_t v : distinct) ++offsets[v + 1];
  }
  for (size_t v = 0; v < vocabulary_.size(); ++v) {
    multi_.offsets[v + 1] += multi_.offsets[v];
    single_.offsets[v + 1] += single_.offsets[v];
  }
  multi_.items.resize(multi_.offsets.back());
  single_.items.resize(single_.offsets.back());
  std::vector<uint32_t> fill_multi(multi_.offsets.begin(), multi_.offsets.end() - 1);
  std::vector<uint32_t> fill_single(single_.offsets.begin(), single_.offsets.end() - 1);
  for (uint32_t id = 0; id < names_.size(); ++id) {
    distinct_words(id);
    for (uint32_t v : distinct) {
      if (always_read(id)) {
        single_.items[fill_single[v]++] = id;
        continue;
      }
      Posting& p = multi_.items[fill_multi[v]++];
      p.name = id;
      int k = 0;
      bool self = false;  // one occurrence of v is the posting's own; a repeat is another word
      for (uint32_t other : name_tokens(id)) {
        if (vocabulary_[other].particle) continue;
        if (other == v && !self) {
          self = true;
          continue;
        }
        if (k == Posting::kOthers) {
          p.name |= Posting::kMore;
          break;
        }
        p.others[k++] = other;
      }
      for (; k < Posting::kOthers; ++k) p.others[k] = none;
    }
  }
}

int WatchIndex::QueryWords(const NormalizedName& query) {
  int words[16];
  return looked_up_words(query, words);
}

void WatchIndex::WordHits(const NameToken& token, std::vector<WordHit>* out) const {
  // Listed words that may be spellings, renderings or nicknames of this
  // one, each scored once; the near ones are kept.
  std::vector<uint64_t> keys;
  token_keys(token, &keys);
  for (const auto& nick : VariantTables::Get().nicknames(token.text)) keys.push_back(key_of('t', nick));
  std::vector<uint32_t> scored;
  for (uint64_t key : keys)
    for (uint32_t v : keys_.Find(key))
      if (std::find(scored.begin(), scored.end(), v) == scored.end()) {
        scored.push_back(v);
        __builtin_prefetch(&vocabulary_[v]);
      }
  for (uint32_t v : scored) {
    const char* how;
    const double similarity = token_similarity(token, vocabulary_[v], &how);
    if (similarity >= kNearSimilarity) out->push_back({v, WordHit::kNear, similarity, how});
  }
  // The word written apart on the list ("bin laden", "smith garcia"): its
  // leading and trailing parts, by letters and by sound. A leading particle
  // needs no partner.
  auto parts = [&](uint64_t key, WordHit::Kind kind) {
    for (uint32_t v : keys_.Find(key)) out->push_back({v, kind, 1.0, "joined"});
  };
  const std::string_view text = token.text, key = token.key;
  if (text.size() >= 6)
    for (size_t n = 2; n + 2 <= text.size(); ++n) {
      const std::string_view head = text.substr(0, n);
      if (is_name_particle(head)) {
        parts(key_of('t', text.substr(n)), WordHit::kRest);
      } else {
        parts(key_of('t', head), WordHit::kHead);
        parts(key_of('t', text.substr(n)), WordHit::kTail);
      }
    }
  for (size_t n = 3; n + 3 <= key.size(); ++n) {
    parts(key_of('s', key.substr(0, n)), WordHit::kHead);
    parts(key_of('s', key.substr(n)), WordHit::kTail);
  }
}

void WatchIndex::Candidates(const NormalizedName& query, SimilarityMemo* memo, IndexScratch* s,
                            std::vector<Candidate>* out) const {
  if (s->vocab_bits.size() < vocabulary_.size() + 1) s->vocab_bits.assign(vocabulary_.size() + 1, 0);
  auto mark = [&](uint32_t v, uint64_t bits) {
    if (!s->vocab_bits[v]) s->vocab_touched.push_back(v);
    s->vocab_bits[v] |= bits;
  };
  int words[16];  // token indexes of the query words
  const int word_count = looked_up_words(query, words);

  if (s->index_instance != instance_ || s->seen.size() > kRememberedWords) {
    s->seen.clear();
    s->index_instance = instance_;
  }
  std::string signature;
  for (int b = 0; b < word_count; ++b) {
    const int ti = words[b];
    const NameToken& token = query.tokens[ti];
    signature_of(token, &signature);
    auto [it, fresh] = s->seen.try_emplace(signature);
    if (fresh) WordHits(token, &it->second);
    for (const WordHit& hit : it->second) {
      switch (hit.kind) {
        case WordHit::kNear:
          memo->Put(ti, hit.vocabulary_id, hit.similarity, hit.how);
          mark(hit.vocabulary_id, uint64_t{1} << b);
          break;
        case WordHit::kRest: mark(hit.vocabulary_id, uint64_t{1} << b); break;
        case WordHit::kHead: mark(hit.vocabulary_id, uint64_t{1} << (kPrefixShift + b)); break;
        case WordHit::kTail: mark(hit.vocabulary_id, uint64_t{1} << (kSuffixShift + b)); break;
      }
    }
    // This word and the next written as one on the list ("abdul rahman").
    if (b + 1 < word_count) {
      const std::string& next = query.tokens[words[b + 1]].text;
      const std::string joined = token.text + next;
      const uint64_t both = (uint64_t{1} << b) | (uint64_t{1} << (b + 1)) | kJoined;
      for (uint64_t key : {key_of('s', skeleton_key(joined)), key_of('t', joined)})
        for (uint32_t v : keys_.Find(key))
          if (joined_similarity(token.text, next, vocabulary_[v]) >= kJoinedFloor) mark(v, both);
    }
  }

  // A name of several words must answer two query words with two of its
  // tokens, so some posting lists need not be read, only checked against:
  // either those of the listed words answering nothing but the query word
  // with the most postings, or the single longest list (of a word not
  // standing for two). Whichever leaves less to read.
  const uint64_t* vb = s->vocab_bits.data();
  uint32_t skip_word = 0;
  uint32_t skip_vocab = UINT32_MAX;
  if (word_count >= 2) {
    size_t volume[16] = {}, total = 0, longest = 0;
    for (uint32_t v : s->vocab_touched) {
      const size_t n = multi_.of(v).size();
      total += n;
      const uint32_t w = words_of(vb[v]);
      if (std::popcount(w) == 1) volume[std::countr_zero(w)] += n;
      if (!(vb[v] & kJoined) && n > longest) longest = n, skip_vocab = v;
    }
    const size_t heaviest = static_cast<size_t>(std::max_element(volume, volume + word_count) - volume);
    if (volume[heaviest] >= longest) {
      skip_word = 1u << heaviest;
      skip_vocab = UINT32_MAX;
    }
  }
  // A name may be reached through several of its words: duplicates are
  // dropped at the end, which is cheaper than remembering every name seen.
  const size_t first_out = out->size();
  auto accept = [&](uint32_t id, const Tally& t, bool single_word) {
    const int needed = word_count == 1 || single_word ? 1 : 2;
    if (t.tokens < needed) return;  // most postings: the name answers one query word
    const int found = t.found();
    if (found >= needed)
      out->push_back({id, static_cast<uint8_t>(found), static_cast<uint8_t>(std::min(t.name_words, 255))});
  };
  auto name_tally = [&](uint32_t id) {
    const IndexedName& n = names_[id];
    Tally t;
    const int inline_count = std::min<int>(n.token_count, IndexedName::kInline);
    for (int k = 0; k < inline_count; ++k) t.add(vb[n.tokens[k]]);
    for (int k = IndexedName::kInline; k < n.token_count; ++k) t.add(vb[token_ids_[n.first_token + k]]);
    return t;
  };
  for (uint32_t v : s->vocab_touched) {
    for (uint32_t id : single_.of(v)) accept(id, name_tally(id), names_[id].words < 2);
    const uint64_t bits = vb[v];
    if (v == skip_vocab || (skip_word && !(words_of(bits) & ~skip_word))) continue;
    for (const Posting& p : multi_.of(v)) {
      if (p.name & Posting::kMore) {
        const uint32_t id = p.name & ~Posting::kMore;
        accept(id, name_tally(id), false);
      } else {
        // Particles carry no bits, so the name's words are all there is.
        Tally t;
        t.add(bits);
        for (uint32_t other : p.others) t.add(vb[other]);
        accept(p.name, t, false);
      }
    }
  }
  for (uint32_t v : s->vocab_touched) s->vocab_bits[v] = 0;
  s->vocab_touched.clear();
  std::sort(out->begin() + static_cast<ptrdiff_t>(first_out), out->end(),
            [](const Candidate& a, const Candidate& b) { return a.name < b.name; });
  out->erase(std::unique(out->begin() + static_cast<ptrdiff_t>(first_out), out->end(),
                         [](const Candidate& a, const Candidate& b) { return a.name == b.name; }),
             out->end());
}

const std::vector<uint32_t>* WatchIndex::EntriesWithDocument(std::string_view folded) const {
  auto it = documents_.find(std::string(folded));
  return it == documents_.end() ? nullptr : &it->second;
}

size_t WatchIndex::MemoryBytes() const {
  size_t bytes = entries_.capacity() * sizeof(WatchEntry) + names_.capacity() * sizeof(IndexedName) +
                 token_ids_.capacity() * 4 + vocabulary_.capacity() * sizeof(NameToken) +
                 keys_.MemoryBytes();
  bytes += (multi_.offsets.capacity() + single_.offsets.capacity() + single_.items.capacity()) * 4 +
           multi_.items.capacity() * sizeof(Posting);
  for (const auto& t : vocabulary_) {
    bytes += string_heap(t.text) + string_heap(t.key) + t.variants.capacity() * sizeof(std::string);
    for (const auto& v : t.variants) bytes += string_heap(v);
  }
  for (const auto& [k, v] : documents_) bytes += 64 + string_heap(k) + v.capacity() * sizeof(uint32_t);
  for (const auto& e : entries_) {
    bytes += e.names.capacity() * sizeof(WatchName) + e.documents.capacity() * sizeof(WatchDocument) +
             (e.birth_dates.capacity() + e.places_of_birth.capacity() + e.nationalities.capacity()) *
                 sizeof(std::string);
    for (const auto& n : e.names) bytes += string_heap(n.full) + string_heap(n.given) + string_heap(n.surname);
    for (const auto& d : e.documents) bytes += string_heap(d.number) + string_heap(d.type) + string_heap(d.note);
    for (const auto* v : {&e.birth_dates, &e.places_of_birth, &e.nationalities})
      for (const auto& s : *v) bytes += string_heap(s);
    for (const auto* s : {&e.list, &e.reference, &e.sex, &e.category, &e.severity, &e.program, &e.remarks})
      bytes += string_heap(*s);
  }
  return bytes;
}

}  // namespace vigil
