#include "model/countries.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace vigil {
namespace {

TEST(Countries, CoversEveryIsoCountryOnce) {
  std::set<std::string_view> alpha2, alpha3;
  size_t iso = 0;
  for (const Country& c : all_countries()) {
    EXPECT_EQ(c.alpha2.size(), 2u) << c.name;
    EXPECT_EQ(c.alpha3.size(), 3u) << c.name;
    EXPECT_TRUE(alpha2.insert(c.alpha2).second) << c.alpha2;
    EXPECT_TRUE(alpha3.insert(c.alpha3).second) << c.alpha3;
    if (c.iso) ++iso;
  }
  EXPECT_EQ(iso, 249u);
  EXPECT_EQ(all_countries().size(), 250u);  // and Kosovo
}

TEST(Countries, EveryCodeAndIsoNameReadsBack) {
  for (const Country& c : all_countries()) {
    EXPECT_EQ(country_alpha3(c.alpha3), c.alpha3);
    EXPECT_EQ(country_alpha3(c.alpha2), c.alpha3);
    EXPECT_EQ(country_alpha2_to_3(c.alpha2), c.alpha3);
    EXPECT_EQ(country_alpha3(c.name), c.alpha3) << c.name;
    ASSERT_NE(find_country(c.alpha3), nullptr);
    EXPECT_EQ(find_country(c.alpha3)->name, c.name);
  }
}

TEST(Countries, CodesInEitherCase) {
  EXPECT_EQ(country_alpha3("iq"), "IRQ");
  EXPECT_EQ(country_alpha3("irq"), "IRQ");
  EXPECT_EQ(country_alpha3(" DE "), "DEU");
  EXPECT_EQ(country_alpha2_to_3("gb"), "GBR");
  EXPECT_EQ(country_alpha2_to_3("XK"), "XKX");
  EXPECT_EQ(country_alpha2_to_3("ZZ"), "");
  EXPECT_EQ(country_alpha2_to_3("GBR"), "");
}

TEST(Countries, IcaoDocumentCodes) {
  EXPECT_EQ(country_alpha3("D"), "DEU");
  EXPECT_EQ(country_alpha3("GBD"), "GBR");
  EXPECT_EQ(country_alpha3("GBN"), "GBR");
  EXPECT_EQ(country_alpha3("RKS"), "XKX");
  EXPECT_EQ(country_alpha3("XXA"), "");  // stateless person: no country
}

TEST(Countries, NamesAsUnAndOfacWriteThem) {
  const std::pair<const char*, const char*> cases[] = {
      {"Iraq", "IRQ"},
      {"Iran (Islamic Republic of)", "IRN"},
      {"Iran", "IRN"},
      {"Russian Federation", "RUS"},
      {"Russia", "RUS"},
      {"Syrian Arab Republic", "SYR"},
      {"Syria", "SYR"},
      {"Democratic People's Republic of Korea", "PRK"},
      {"Korea, North", "PRK"},
      {"North Korea", "PRK"},
      {"Korea, South", "KOR"},
      {"United Kingdom of Great Britain and Northern Ireland", "GBR"},
      {"United Kingdom", "GBR"},
      {"Côte d'Ivoire", "CIV"},
      {"Cote d'Ivoire", "CIV"},
      {"Cote d Ivoire", "CIV"},
      {"Côte d’Ivoire", "CIV"},
      {"Türkiye", "TUR"},
      {"Turkey", "TUR"},
      {"Viet Nam", "VNM"},
      {"Vietnam", "VNM"},
      {"State of Palestine", "PSE"},
      {"Palestinian", "PSE"},
      {"West Bank", "PSE"},
      {"Gaza", "PSE"},
      {"Kosovo", "XKX"},
      {"Germany", "DEU"},
      {"Democratic Republic of the Congo", "COD"},
      {"Congo, Democratic Republic of the", "COD"},
      {"Congo, Republic of the", "COG"},
      {"Congo", "COG"},
      {"United Republic of Tanzania", "TZA"},
      {"United States of America", "USA"},
      {"Burma", "MMR"},
      {"Macedonia, The Former Yugoslav Republic of", "MKD"},
      {"Bahamas, The", "BHS"},
      {"The Gambia", "GMB"},
      {"Hong Kong", "HKG"},
      {"Taiwan", "TWN"},
      {"Cabo Verde", "CPV"},
      {"Virgin Islands, British", "VGB"},
      {"Saint Kitts and Nevis", "KNA"},
      {"St. Kitts and Nevis", "KNA"},
      {"Bosnia and Herzegovina", "BIH"},
      {"Trinidad and Tobago", "TTO"},
      {"Laos", "LAO"},
      {"Czech Republic", "CZE"},
      {"Eswatini", "SWZ"},
      {"Swaziland", "SWZ"},
      {"Curaçao", "CUW"},
      {"Åland Islands", "ALA"},
      {"Réunion", "REU"},
      {"Saint Barthélemy", "BLM"},
  };
  for (const auto& [text, code] : cases) EXPECT_EQ(country_alpha3(text), code) << text;
}

TEST(Countries, CaseAndPunctuationDoNotMatter) {
  EXPECT_EQ(country_alpha3("IRAN (ISLAMIC REPUBLIC OF)"), "IRN");
  EXPECT_EQ(country_alpha3("iran, islamic republic of"), "IRN");
  EXPECT_EQ(country_alpha3("  syrian   arab republic. "), "SYR");
  EXPECT_EQ(country_alpha3("TURKIYE"), "TUR");
  EXPECT_EQ(country_alpha3("bosnia & herzegovina"), "BIH");
}

TEST(Countries, NationalityAdjectives) {
  EXPECT_EQ(country_alpha3("Afghan"), "AFG");
  EXPECT_EQ(country_alpha3("Eritrean"), "ERI");
  EXPECT_EQ(country_alpha3("Iraqi"), "IRQ");
  EXPECT_EQ(country_alpha3("Saudi"), "SAU");
  EXPECT_EQ(country_alpha3("British"), "GBR");
  EXPECT_EQ(country_alpha3("Congolese"), "");  // two countries
}

TEST(Countries, UnknownIsEmpty) {
  EXPECT_EQ(country_alpha3(""), "");
  EXPECT_EQ(country_alpha3("   "), "");
  EXPECT_EQ(country_alpha3("Atlantis"), "");
  EXPECT_EQ(country_alpha3("former Soviet Union"), "");
  EXPECT_EQ(country_alpha3("محمد"), "");
  EXPECT_EQ(country_alpha3("\xff\xfe"), "");
  EXPECT_EQ(country_alpha3(std::string(1000, 'a')), "");
}

}  // namespace
}  // namespace vigil
