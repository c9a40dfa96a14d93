// Synthetic watch lists and traveller names for benchmarks and recall
// measurement: deterministic for a seed, built from combinations of common
// given names and surnames of several languages (or drawn from a weighted
// NamePool of real name words), with the kinds of variation real screening
// meets (typos, reordering, dropped middle names, spelling conventions,
// concatenation).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/watchlist.h"

namespace vigil {

// Name words with weights (how often people carry them): names drawn from
// it have the long tail and the very common words of real populations.
class NamePool {
 public:
  // Words (upper-cased here) and their weights: a word given twice adds up,
  // weights <= 0 are dropped.
  explicit NamePool(const std::vector<std::pair<std::string, double>>& words);
  size_t size() const { return words_.size(); }
  // A word drawn in proportion to its weight; the pool must not be empty.
  const std::string& Draw(std::mt19937_64& rng) const;

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

class WatchListGenerator {
 public:
  // Names from a small built-in set of common names, or from `pool` (which
  // must outlive the generator) when given.
  explicit WatchListGenerator(uint64_t seed, const NamePool* pool = nullptr);

  // `count` person entries of list `list`, references "S1", "S2", ...; most
  // with a date of birth, a nationality and a passport; some with aliases.
  std::vector<WatchEntry> Entries(const std::string& list, size_t count);

  // A name a traveller might present for `entry`'s primary name: one of the
  // variations above, chosen at random. `how` says which.
  std::string Variant(const WatchEntry& entry, std::string* how);

  // A random full name from the same pools (usually not on a list).
  std::string RandomName();

 private:
  std::string Typo(const std::string& word);
  std::string Given();
  std::string Surname();
  std::mt19937_64 rng_;
  const NamePool* pool_;
};

}  // namespace vigil
