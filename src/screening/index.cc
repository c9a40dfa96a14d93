#include "screening/index.h"

#include <algorithm>

namespace vigil {
namespace {

// A 64-bit key for the letters of `s` (without the one at `skip`) in a key
// family. Keys are hashes: two strings sharing a hash only cost a wasted
// candidate, since every candidate is scored in full.
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

// Keys of one token: its sound key (spellings and transliterations of one
// name meet there: "muhammad", "mohammed", "mhmd"), its letters, and for
// words of four letters or more every spelling one letter shorter (any
// one-letter slip, an insertion, deletion, substitution or swap on either
// side, leaves a shared key).
void token_keys(std::string_view text, std::string_view key, std::vector<uint64_t>* out) {
  if (text.size() < 2) return;
  if (key.size() >= 2) out->push_back(key_of('s', key));
  out->push_back(key_of('t', text));
  if (text.size() >= 4 && text.size() <= 14)
    for (size_t i = 0; i < text.size(); ++i) out->push_back(key_of('t', text, i));
}

}  // namespace

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

void WatchIndex::AddKeys(const NameToken& token, std::vector<uint64_t>* keys) const {
  if (token.particle) return;
  token_keys(token.text, token.key, keys);
  for (const auto& v : token.variants) token_keys(v, skeleton_key(v), keys);
}

WatchIndex::WatchIndex(std::vector<WatchEntry> entries) : entries_(std::move(entries)) {
  std::vector<uint64_t> keys;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    const WatchEntry& entry = entries_[e];
    for (uint32_t n = 0; n < entry.names.size(); ++n) {
      IndexedName in;
      in.entry = e;
      in.name = n;
      in.normalized = normalize_name(entry.names[n].full);
      if (in.normalized.tokens.empty()) continue;
      for (const auto& t : in.normalized.tokens) {
        in.words += t.particle ? 0 : 1;
        // Tokens with the same text and variants compare alike: one id.
        std::string signature = t.text;
        for (const auto& v : t.variants) signature += "|" + v;
        auto [it, fresh] = vocabulary_.emplace(std::move(signature), static_cast<uint32_t>(vocabulary_.size()));
        in.token_ids.push_back(it->second);
      }
      const uint32_t id = static_cast<uint32_t>(names_.size());
      keys.clear();
      for (const auto& t : in.normalized.tokens) AddKeys(t, &keys);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& k : keys) postings_[k].push_back(id);
      names_.push_back(std::move(in));
    }
    for (const auto& d : entry.documents) {
      const std::string folded = fold_document_number(d.number);
      if (folded.size() < 4) continue;
      auto& list = documents_[folded];
      if (list.empty() || list.back() != e) list.push_back(e);
    }
  }
}

int WatchIndex::QueryWords(const NormalizedName& query) {
  int n = 0;
  for (const auto& token : query.tokens)
    if (!token.particle && token.text.size() >= 2 && n < 32) ++n;
  return n;
}

void WatchIndex::Candidates(const NormalizedName& query, IndexScratch* s,
                            std::vector<Candidate>* out) const {
  if (s->hits.size() < names_.size()) s->hits.assign(names_.size(), 0);
  auto look_up = [&](uint32_t mask) {
    for (const auto& k : s->keys) {
      auto it = postings_.find(k);
      if (it == postings_.end()) continue;
      for (uint32_t id : it->second) {
        if (!s->hits[id]) s->touched.push_back(id);
        s->hits[id] |= mask;
      }
    }
  };
  // Words of the query (particles aside), at most 32.
  std::vector<const NameToken*> words;
  for (const auto& token : query.tokens)
    if (!token.particle && token.text.size() >= 2 && words.size() < 32) words.push_back(&token);
  for (size_t i = 0; i < words.size(); ++i) {
    const NameToken& token = *words[i];
    s->keys.clear();
    AddKeys(token, &s->keys);
    // A query word that the list writes as two words ("binladen",
    // "smithgarcia"): its leading and trailing parts, by letters and by
    // sound.
    const std::string_view text = token.text, key = token.key;
    for (size_t n = 2; n + 2 <= text.size() && text.size() >= 6; ++n) {
      s->keys.push_back(key_of('t', text.substr(0, n)));
      s->keys.push_back(key_of('t', text.substr(n)));
    }
    for (size_t n = 3; n + 3 <= key.size(); ++n) {
      s->keys.push_back(key_of('s', key.substr(0, n)));
      s->keys.push_back(key_of('s', key.substr(n)));
    }
    look_up(1u << i);
    // Two query words that the list writes as one ("abdul rahman").
    if (i + 1 < words.size()) {
      const std::string joined = token.text + words[i + 1]->text;
      s->keys.assign(1, key_of('s', skeleton_key(joined)));
      s->keys.push_back(key_of('t', joined));
      look_up((1u << i) | (1u << (i + 1)));
    }
  }
  const int query_words = static_cast<int>(words.size());
  for (uint32_t id : s->touched) {
    const int found = __builtin_popcount(s->hits[id]);
    if (found >= 2 || (found >= 1 && (query_words == 1 || names_[id].words == 1)))
      out->push_back({id, static_cast<uint8_t>(found)});
    s->hits[id] = 0;
  }
  s->touched.clear();
}

const std::vector<uint32_t>* WatchIndex::EntriesWithDocument(std::string_view folded) const {
  auto it = documents_.find(std::string(folded));
  return it == documents_.end() ? nullptr : &it->second;
}

size_t WatchIndex::MemoryBytes() const {
  size_t bytes = entries_.capacity() * sizeof(WatchEntry) + names_.capacity() * sizeof(IndexedName);
  for (const auto& n : names_)
    for (const auto& t : n.normalized.tokens)
      bytes += sizeof(NameToken) + (t.text.size() > 15 ? t.text.size() : 0) +
               (t.key.size() > 15 ? t.key.size() : 0) + t.variants.size() * 32;
  for (const auto& [k, v] : postings_) bytes += 48 + v.capacity() * sizeof(uint32_t);
  for (const auto& [k, v] : documents_) bytes += 64 + k.size() + v.capacity() * sizeof(uint32_t);
  for (const auto& e : entries_) {
    for (const auto& n : e.names) bytes += sizeof(WatchName) + n.full.size() + n.given.size() + n.surname.size();
    bytes += e.remarks.size() + e.documents.size() * sizeof(WatchDocument);
  }
  return bytes;
}

}  // namespace vigil
