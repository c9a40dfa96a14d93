// Countries by ISO 3166-1 code and by English name.
//
// country_alpha3() reads the forms in which watch lists, travel documents and
// messages name a country: alpha-2 and alpha-3 codes, ICAO Doc 9303 document
// codes that differ from ISO ("D" for Germany, "GBD"/"GBN"/"GBO"/"GBP"/"GBS"
// for the British nationality classes, "RKS" for Kosovo), the ISO short,
// official and common names, the forms the UN and OFAC use ("Iran (Islamic
// Republic of)", "Korea, North", "Congo, Democratic Republic of the",
// "Burma", "West Bank"), former names and the usual nationality adjectives
// ("Afghan", "Iraqi"). Names are compared ignoring case, diacritics,
// punctuation, the word "the" and "St." for "Saint". Kosovo, which ISO has
// not coded, is XKX (the user-assigned code ICAO and the EU use).
//
// Everything here is pure and thread-safe; nothing throws.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vigil {

struct Country {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name;  // English short name as ISO 3166-1 writes it
  bool iso = true;        // false only for Kosovo (XK / XKX)
};

// The 249 ISO 3166-1 countries in alpha-3 order, then Kosovo.
std::span<const Country> all_countries();

// The country with this alpha-3 code (upper case), or nullptr.
const Country* find_country(std::string_view alpha3);

// The alpha-3 code for a code, name or adjective in any of the forms above;
// empty when the text names no known country.
std::string country_alpha3(std::string_view text);

// The alpha-3 code for an alpha-2 code (either case); empty when unknown.
std::string country_alpha2_to_3(std::string_view alpha2);

}  // namespace vigil
