#include "names/normalize.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "names/phonetic.h"

namespace vigil {
namespace {

std::vector<std::string> Texts(const NormalizedName& n) {
  std::vector<std::string> out;
  for (const auto& t : n.tokens) out.push_back(t.text);
  return out;
}

using V = std::vector<std::string>;

TEST(NormalizeTest, CaseDiacriticsAndPunctuation) {
  EXPECT_EQ(Texts(normalize_name("MÜLLER-LÜDENSCHEIDT, Anna-María")),
            (V{"muller", "ludenscheidt", "anna", "maria"}));
  EXPECT_EQ(Texts(normalize_name("O'Brien  Seán")), (V{"obrien", "sean"}));
  EXPECT_EQ(Texts(normalize_name("José Ñúñez")), (V{"jose", "nunez"}));
}

TEST(NormalizeTest, TitlesGoParticlesStayLight) {
  const auto n = normalize_name("Sheikh Dr. Abu Bakr al-Baghdadi");
  EXPECT_EQ(Texts(n), (V{"abu", "bakr", "al", "baghdadi"}));
  EXPECT_TRUE(n.tokens[0].particle);
  EXPECT_LT(n.tokens[0].weight, 1.0f);
  EXPECT_FALSE(n.tokens[1].particle);
  EXPECT_EQ(Texts(normalize_name("Mr")), (V{"mr"}));  // nothing else: kept
}

TEST(NormalizeTest, OtherScriptsAreTransliterated) {
  const auto cyr = normalize_name("Владимир Путин");
  EXPECT_TRUE(cyr.non_latin);
  EXPECT_EQ(Texts(cyr), (V{"vladimir", "putin"}));
  const auto greek = normalize_name("Αλέξης Τσίπρας");
  EXPECT_EQ(greek.tokens.size(), 2u);
  EXPECT_EQ(greek.tokens[1].text.substr(0, 3), "tsi");
}

TEST(NormalizeTest, EastAsianThreeSyllableNamesAreSurnameAndGivenName) {
  for (const char* name : {"金正恩", "김정은"}) {
    const auto n = normalize_name(name);
    ASSERT_EQ(n.tokens.size(), 2u) << name;
    std::vector<std::string> first = n.tokens[0].variants;
    first.push_back(n.tokens[0].text);
    EXPECT_NE(std::find(first.begin(), first.end(), "kim"), first.end()) << name;
  }
}

TEST(NormalizeTest, EastAsianWordsWrittenApartStayWhole) {
  // A foreign name in Hangul, already split into words: 기븐스 is one word
  // ("Gibbons"), not a surname and a given name.
  const auto n = normalize_name("존 기븐스");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_EQ(n.tokens[1].key, skeleton_key("gibbons"));
}

TEST(NormalizeTest, ASyllableAloneReadsAsItsSyllable) {
  const auto n = normalize_name("기무라 유");
  ASSERT_EQ(n.tokens.size(), 2u);
  EXPECT_TRUE(n.tokens[1].text == "yu" || n.tokens[1].text == "yoo") << n.tokens[1].text;
}

TEST(NormalizeTest, TokensKnowWhetherTheyWereWrittenInAnotherScript) {
  const auto n = normalize_name("Jürgens Владимир 김");
  ASSERT_EQ(n.tokens.size(), 3u);
  EXPECT_FALSE(n.tokens[0].native);  // Latin with a diacritic
  EXPECT_TRUE(n.tokens[1].native);
  EXPECT_TRUE(n.tokens[2].native);
  EXPECT_FALSE(normalize_name("John").tokens[0].native);
}

TEST(NormalizeTest, EmptyAndJunk) {
  EXPECT_TRUE(normalize_name("").tokens.empty());
  EXPECT_TRUE(normalize_name("  ,.;- ").tokens.empty());
  EXPECT_TRUE(normalize_name("\xff\xfe").tokens.empty());
}

TEST(PhoneticTest, SpellingsShareAKey) {
  EXPECT_EQ(skeleton_key("muhammad"), skeleton_key("mohammed"));
  EXPECT_EQ(skeleton_key("mohamed"), skeleton_key("mhmd"));
  EXPECT_EQ(skeleton_key("smith"), skeleton_key("smyth"));
  EXPECT_EQ(skeleton_key("philip"), skeleton_key("filip"));
  EXPECT_EQ(skeleton_key("ahmad"), skeleton_key("ahmed"));
  EXPECT_NE(skeleton_key("smith"), skeleton_key("jones"));
  EXPECT_EQ(skeleton_key(""), "");
}

}  // namespace
}  // namespace vigil
