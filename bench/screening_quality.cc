// Screening quality on the shipped real lists (OFAC SDN + UN): recall of
// variants of listed persons' names (typos, reordering, dropped middle
// names, spelling conventions, joined compound surnames, initials) and the
// alert rate on travellers who are not listed, at the default threshold.
// Prints one JSON object; run from the repository root or pass the path
// of data/lists.
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "screening/screener.h"
#include "screening_data.h"
#include "synth/watchlist_generator.h"

using namespace vigil;

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : std::string(VIGIL_SOURCE_DIR) + "/data/lists/";
  std::vector<WatchEntry> entries = RealLists(dir);
  if (entries.empty()) {
    std::fprintf(stderr, "cannot read lists under %s\n", dir.c_str());
    return 2;
  }

  // Every listed name, normalised, to tell listed from unlisted travellers.
  std::set<std::string> listed;
  auto key = [](const std::string& name) {
    std::vector<std::string> t;
    for (const auto& tok : normalize_name(name).tokens) t.push_back(tok.text);
    std::sort(t.begin(), t.end());
    std::string k;
    for (const auto& s : t) k += s + " ";
    return k;
  };
  for (const auto& e : entries)
    for (const auto& n : e.names) listed.insert(key(n.full));

  const WatchIndex index(entries);
  const Screener screener(index, ScreeningConfig{});
  ScreeningScratch scratch;
  WatchListGenerator gen(2026);

  // Positives: variants of persons whose primary name has given names and a surname.
  std::map<std::string, std::pair<int, int>> by_kind;  // how -> (found, total)
  int found = 0, total = 0;
  for (uint32_t i = 0; i < index.entry_count() && total < 3000; i += 3) {
    const WatchEntry& e = index.entry(i);
    if (e.kind != WatchEntry::Kind::kPerson || e.names.empty() || e.names[0].given.empty() ||
        e.names[0].surname.empty())
      continue;
    WatchEntry upper = e;  // the generator works on upper-case words
    for (auto* s : {&upper.names[0].given, &upper.names[0].surname})
      for (char& ch : *s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string how;
    ScreeningQuery q;
    q.name = gen.Variant(upper, &how);
    bool hit = false;
    for (const auto& m : screener.Screen(q, &scratch)) hit = hit || m.entry == i;
    found += hit;
    ++total;
    by_kind[how].first += hit;
    ++by_kind[how].second;
  }
  // Negatives: travellers not on the lists, with a date of birth and
  // nationality: names of the generator's common names, and names drawn
  // from the pool of name words as people carry them (see screening_data.h).
  WatchListGenerator realistic(2027, &Pool());
  auto alert_rate = [&](WatchListGenerator& names) {
    int alerts = 0, negatives = 0;
    for (int i = 0; negatives < 20000 && i < 100000; ++i) {
      ScreeningQuery q;
      q.name = names.RandomName();
      if (listed.count(key(q.name))) continue;
      q.birth_date = std::to_string(1950 + i % 55) + "-0" + std::to_string(1 + i % 9) + "-1" +
                     std::to_string(i % 9);
      q.nationality = (i % 2) ? "GBR" : "DEU";
      alerts += !screener.Screen(q, &scratch).empty();
      ++negatives;
    }
    return static_cast<double>(alerts) / negatives;
  };
  const double common_rate = alert_rate(gen);
  const double realistic_rate = alert_rate(realistic);
  nlohmann::json kinds;
  for (const auto& [how, v] : by_kind)
    kinds[how] = {{"found", v.first}, {"total", v.second},
                  {"recall", static_cast<double>(v.first) / v.second}};
  nlohmann::json out = {{"list_entries", index.entry_count()},
                        {"list_names", index.name_count()},
                        {"threshold", ScreeningConfig{}.threshold},
                        {"variant_recall", static_cast<double>(found) / total},
                        {"variants", total},
                        {"by_variation", kinds},
                        {"unlisted_travellers", 20000},
                        {"alert_rate_unlisted_common_names", common_rate},
                        {"alert_rate_unlisted_name_pool", realistic_rate}};
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}
