#include "synth/watchlist_generator.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace vigil {
namespace {

constexpr const char* kGiven[] = {
    "JOHN", "MARIA", "AHMED", "FATIMA", "WEI", "YUKI", "IVAN", "OLGA", "PEDRO", "ANA",
    "MOHAMMED", "AISHA", "JEAN", "MARIE", "HANS", "ANNA", "KWAME", "AMARA", "RAJ", "PRIYA",
    "OMAR", "LEILA", "HASSAN", "NOOR", "DMITRI", "SVETLANA", "LUCA", "GIULIA", "CHEN", "MEI",
    "SAMUEL", "GRACE", "DAVID", "SARAH", "YUSUF", "ZEINAB", "CARLOS", "LUCIA", "TARIQ", "SAMIRA",
    "ALEXANDER", "ELENA", "ABDULLAH", "MARYAM", "HIROSHI", "AKIKO", "OLUWASEUN", "CHIDI",
    "KHALID", "NADIA", "SERGEI", "TATIANA", "PIOTR", "AGNIESZKA", "MEHMET", "AYSE", "ARJUN",
    "SUNITA", "EMEKA", "NGOZI"};
constexpr const char* kSurnames[] = {
    "SMITH", "GARCIA", "HASSAN", "IVANOV", "WANG", "TANAKA", "MUELLER", "ROSSI", "NGUYEN",
    "KOWALSKI", "OKAFOR", "PATEL", "KHAN", "SILVA", "DUBOIS", "JOHANSSON", "PETROV", "YILMAZ",
    "ABDULLAH", "RAHMAN", "HUSSEIN", "MENSAH", "OKONKWO", "SANTOS", "FERNANDEZ", "LOPEZ",
    "MARTIN", "BERNARD", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "NOVAK", "HORVATH",
    "KIM", "LEE", "PARK", "CHOI", "SATO", "SUZUKI", "TAKAHASHI", "ALI", "AHMED", "MAHMOUD",
    "IBRAHIM", "YOUSSEF", "MOHAMMADI", "HOSSEINI", "KARIMI", "SHARMA", "SINGH", "GUPTA",
    "ADEYEMI", "BALOGUN", "MWANGI", "OTIENO", "KOVALENKO", "SHEVCHENKO", "POPESCU", "GEORGIOU"};
constexpr const char* kCountries[] = {"GBR", "USA", "DEU", "FRA", "NGA", "IND", "CHN", "BRA",
                                      "JPN", "TUR", "POL", "ESP", "ITA", "RUS", "IRQ", "SYR",
                                      "PAK", "EGY", "KEN", "UKR"};
// Spelling conventions seen across transliterations.
constexpr std::pair<const char*, const char*> kSpellings[] = {
    {"MOHAMMED", "MUHAMMAD"}, {"AHMED", "AHMAD"},     {"HASSAN", "HASAN"},
    {"HUSSEIN", "HUSAYN"},    {"YUSUF", "YOUSSEF"},   {"OMAR", "UMAR"},
    {"IVANOV", "IWANOW"},     {"DMITRI", "DMITRIY"},  {"SERGEI", "SERGEY"},
    {"MUELLER", "MULLER"},    {"KHALID", "KHALED"},   {"ABDULLAH", "ABDALLAH"},
    {"AISHA", "AYSHA"},       {"TATIANA", "TATYANA"}, {"CHEN", "CHAN"},
    {"SCHMIDT", "SCHMIT"},    {"PETROV", "PETROFF"},  {"MAHMOUD", "MAHMUD"}};

template <typename T, size_t N>
const T& pick(std::mt19937_64& rng, const T (&a)[N]) {
  return a[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t sp = s.find(' ', start);
    if (sp == std::string::npos) sp = s.size();
    if (sp > start) out.push_back(s.substr(start, sp - start));
    start = sp + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

NamePool::NamePool(const std::vector<std::pair<std::string, double>>& words) {
  std::map<std::string, double> sum;
  for (const auto& [word, weight] : words) {
    if (weight <= 0 || word.empty()) continue;
    std::string upper = word;
    for (char& c : upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    sum[upper] += weight;
  }
  double total = 0;
  for (auto& [word, weight] : sum) {
    words_.push_back(word);
    cumulative_.push_back(total += weight);
  }
}

const std::string& NamePool::Draw(std::mt19937_64& rng) const {
  const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
  const size_t i = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
                                       cumulative_.begin());
  return words_[std::min(i, words_.size() - 1)];
}

WatchListGenerator::WatchListGenerator(uint64_t seed, const NamePool* pool)
    : rng_(seed), pool_(pool && pool->size() ? pool : nullptr) {}

std::string WatchListGenerator::Given() { return pool_ ? pool_->Draw(rng_) : pick(rng_, kGiven); }
std::string WatchListGenerator::Surname() { return pool_ ? pool_->Draw(rng_) : pick(rng_, kSurnames); }

std::string WatchListGenerator::RandomName() {
  std::string name = Given();
  if (rng_() % 3 == 0) name += " " + Given();
  return name + " " + Surname();
}

std::vector<WatchEntry> WatchListGenerator::Entries(const std::string& list, size_t count) {
  std::vector<WatchEntry> out;
  out.reserve(count);
  char buf[64];
  for (size_t i = 0; i < count; ++i) {
    WatchEntry e;
    e.list = list;
    e.reference = "S" + std::to_string(i + 1);
    e.category = "sanctions";
    e.severity = "high";
    WatchName n;
    n.given = Given();
    if (rng_() % 2 == 0) n.given += " " + Given();
    n.surname = Surname();
    if (rng_() % 4 == 0) n.surname += " " + Surname();
    n.full = n.given + " " + n.surname;
    n.primary = true;
    e.names.push_back(n);
    if (rng_() % 4 == 0) {
      WatchName alias;
      alias.full = RandomName();
      alias.weak = rng_() % 2 == 0;
      e.names.push_back(alias);
    }
    if (rng_() % 10 < 8) {
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(1940 + rng_() % 65),
                    static_cast<int>(1 + rng_() % 12), static_cast<int>(1 + rng_() % 28));
      e.birth_dates.push_back(rng_() % 5 == 0 ? std::string(buf, 4) : std::string(buf));
    }
    if (rng_() % 10 < 7) e.nationalities.push_back(pick(rng_, kCountries));
    e.sex = rng_() % 2 ? "M" : "F";
    if (rng_() % 2 == 0) {
      std::snprintf(buf, sizeof buf, "%c%08d", static_cast<char>('A' + rng_() % 26),
                    static_cast<int>(rng_() % 100000000));
      e.documents.push_back({"P", buf, e.nationalities.empty() ? "" : e.nationalities[0], ""});
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string WatchListGenerator::Typo(const std::string& word) {
  if (word.size() < 4) return word;
  std::string w = word;
  const size_t i = 1 + rng_() % (w.size() - 2);
  switch (rng_() % 4) {
    case 0: w.erase(i, 1); break;                                   // deletion
    case 1: w.insert(i, 1, static_cast<char>('A' + rng_() % 26)); break;  // insertion
    case 2: w[i] = static_cast<char>('A' + rng_() % 26); break;    // substitution
    default: std::swap(w[i], w[i + 1 < w.size() ? i + 1 : i - 1]); break;  // transposition
  }
  return w;
}

std::string WatchListGenerator::Variant(const WatchEntry& entry, std::string* how) {
  const WatchName& n = entry.names.front();
  std::vector<std::string> given = split(n.given), surname = split(n.surname);
  switch (rng_() % 6) {
    case 0: {
      *how = "typo";
      auto& words = rng_() % 2 ? given : surname;
      auto& w = words[rng_() % words.size()];
      w = Typo(w);
      break;
    }
    case 1:
      *how = "reordered";
      return join(surname) + " " + join(given);
    case 2:
      *how = given.size() > 1 ? "middle name dropped" : "exact";
      if (given.size() > 1) given.pop_back();
      break;
    case 3: {
      *how = "spelling convention";
      bool changed = false;
      for (auto* words : {&given, &surname})
        for (auto& w : *words)
          for (const auto& [a, b] : kSpellings) {
            if (w == a) w = b, changed = true;
            else if (w == b) w = a, changed = true;
          }
      if (!changed) {
        *how = "typo";
        surname.back() = Typo(surname.back());
      }
      break;
    }
    case 4:
      *how = surname.size() > 1 ? "compound surname joined" : "exact";
      if (surname.size() > 1) surname = {surname[0] + surname[1]};
      break;
    default:
      *how = "initial for a given name";
      if (given.size() > 1) given.back() = given.back().substr(0, 1);
      else *how = "exact";
      break;
  }
  return join(given) + " " + join(surname);
}

}  // namespace vigil
