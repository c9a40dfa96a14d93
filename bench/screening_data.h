// Shared by the screening benchmarks: the shipped real lists and a pool of
// name words as people carry them.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/file.h"
#include "formats/lists/ofac.h"
#include "formats/lists/un.h"
#include "names/normalize.h"
#include "synth/watchlist_generator.h"

namespace vigil {

// OFAC SDN and the UN consolidated list as shipped in data/lists (empty
// when they cannot be read).
inline std::vector<WatchEntry> RealLists(const std::string& dir = std::string(VIGIL_SOURCE_DIR) + "/data/lists/") {
  std::vector<WatchEntry> all;
  auto sdn = read_file(dir + "ofac-sdn/sdn.csv");
  auto alt = read_file(dir + "ofac-sdn/alt.csv");
  auto un = read_file(dir + "un/UN_consolidated.xml");
  if (!sdn.ok() || !alt.ok() || !un.ok()) return all;
  OfacFiles f;
  f.sdn = {*sdn, "sdn.csv"};
  f.alt = {*alt, "alt.csv"};
  for (auto& e : read_ofac_sdn(f, "ofac-sdn").entries) all.push_back(std::move(e));
  for (auto& e : read_un_consolidated(*un, "un.xml", "un").entries) all.push_back(std::move(e));
  return all;
}

// Name words as people carry them: the Latin spellings of person-name
// words observed in Wikidata (data/names/tokens.tsv, with their counts: a
// long tail and very common words such as "john" and "muhammad") and the
// words of the real lists' persons, each source given half the weight. Particles
// ("al", "de") are left out: drawn alone they would make names no one has.
inline const NamePool& Pool() {
  static const NamePool pool = [] {
    std::vector<std::pair<std::string, double>> words;
    double observed = 0, listed = 0;
    auto tsv = read_file(std::string(VIGIL_SOURCE_DIR) + "/data/names/tokens.tsv");
    if (tsv.ok()) {
      std::string_view rest = *tsv;
      while (!rest.empty()) {
        const size_t eol = std::min(rest.find('\n'), rest.size());
        std::string_view line = rest.substr(0, eol);
        rest.remove_prefix(std::min(eol + 1, rest.size()));
        const size_t tab = line.find('\t');
        if (line.empty() || line[0] == '#' || tab == std::string_view::npos) continue;
        std::string_view list = line.substr(tab + 1);
        while (!list.empty()) {
          const size_t comma = std::min(list.find(','), list.size());
          const std::string_view item = list.substr(0, comma);
          list.remove_prefix(std::min(comma + 1, list.size()));
          const size_t colon = item.rfind(':');
          if (colon == std::string_view::npos) continue;
          const double count = std::atof(std::string(item.substr(colon + 1)).c_str());
          std::string word(item.substr(0, colon));
          if (is_name_particle(word) || word.size() < 2) continue;
          words.emplace_back(std::move(word), count);
          observed += count;
        }
      }
    }
    const size_t from_tables = words.size();
    for (const auto& e : RealLists()) {
      if (e.kind != WatchEntry::Kind::kPerson) continue;  // company and vessel words are not names
      for (const auto& n : e.names) {
        const NormalizedName normalized = normalize_name(n.full);
        if (normalized.non_latin) continue;
        for (const auto& t : normalized.tokens)
          if (!t.particle && t.text.size() >= 2) words.emplace_back(t.text, 1.0), listed += 1;
      }
    }
    for (size_t i = 0; i < words.size(); ++i) words[i].second /= i < from_tables ? observed : listed;
    return NamePool(words);
  }();
  return pool;
}

}  // namespace vigil
