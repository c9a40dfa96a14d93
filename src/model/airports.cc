#include "model/airports.h"

#include <algorithm>
#include <array>
#include <vector>

#include "model/countries.h"

// The embedded table (airport_data.cc), followed by a NUL.
extern "C" __attribute__((visibility("hidden"))) const char vigil_model_airports_begin[];
extern "C" __attribute__((visibility("hidden"))) const char vigil_model_airports_end[];

namespace vigil {
namespace {

using Code = std::array<char, 3>;

struct Airport {
  Code iata;     // upper case
  Code country;  // ISO 3166-1 alpha-3
};

bool upper_code(std::string_view s, Code* out) {
  if (s.size() != 3) return false;
  for (size_t i = 0; i < 3; ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return false;
    (*out)[i] = c;
  }
  return true;
}

// Lines "IATA<TAB>alpha-2"; '#' lines are comments. A line that is not of
// that shape, or whose country has no alpha-3 code, is skipped; a code seen
// twice keeps its first line.
std::vector<Airport> parse(std::string_view text) {
  std::vector<Airport> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    Airport a;
    if (!upper_code(line.substr(0, tab), &a.iata)) continue;
    const std::string alpha3 = country_alpha2_to_3(line.substr(tab + 1));
    if (alpha3.size() != 3) continue;
    std::copy(alpha3.begin(), alpha3.end(), a.country.begin());
    out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Airport& x, const Airport& y) { return x.iata < y.iata; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Airport& x, const Airport& y) { return x.iata == y.iata; }),
            out.end());
  return out;
}

const std::vector<Airport>& table() {
  static const std::vector<Airport> t = parse(std::string_view(
      vigil_model_airports_begin,
      static_cast<size_t>(vigil_model_airports_end - vigil_model_airports_begin)));
  return t;
}

}  // namespace

std::string airport_country(std::string_view iata) {
  Code code;
  if (!upper_code(iata, &code)) return {};
  const auto& t = table();
  const auto it = std::lower_bound(t.begin(), t.end(), code,
                                   [](const Airport& a, const Code& c) { return a.iata < c; });
  if (it == t.end() || it->iata != code) return {};
  return std::string(it->country.data(), it->country.size());
}

size_t airport_count() { return table().size(); }

}  // namespace vigil
