// Synthetic watch lists and traveller names for benchmarks and recall
// measurement: deterministic for a seed, built from combinations of common
// given names and surnames of several languages, with the kinds of variation
// real screening meets (typos, reordering, dropped middle names, spelling
// conventions, concatenation).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/watchlist.h"

namespace vigil {

class WatchListGenerator {
 public:
  explicit WatchListGenerator(uint64_t seed);

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
  std::mt19937_64 rng_;
};

}  // namespace vigil
