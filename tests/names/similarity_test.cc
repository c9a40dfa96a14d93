#include "names/similarity.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

double Score(const char* a, const char* b) {
  return compare_names(normalize_name(a), normalize_name(b)).score;
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "abc"), 1.0);
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.84, 0.001);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(jaro_winkler("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(CompareNamesTest, SameNameAnyOrder) {
  EXPECT_DOUBLE_EQ(Score("John Smith", "SMITH, JOHN"), 1.0);
  EXPECT_DOUBLE_EQ(Score("Ali Hassan Omar", "Omar Ali Hassan"), 1.0);
}

TEST(CompareNamesTest, VariantsScoreHigh) {
  EXPECT_GE(Score("Mohammed Ali", "Muhammad Ali"), 0.85);
  EXPECT_GE(Score("Jon Smyth", "John Smith"), 0.85);
  EXPECT_GE(Score("Abdulrahman Khalid", "Abdul Rahman Khalid"), 0.85);
  EXPECT_GE(Score("John Smith", "John William Smith"), 0.85);  // missing middle name
  EXPECT_GE(Score("J Smith", "John Smith"), 0.8);               // initial
  EXPECT_GE(Score("Bob Dylan", "Robert Dylan"), 0.85);          // nickname
  EXPECT_GE(Score("Vladimir Putin", "Владимир Путин"), 0.95);  // script
  EXPECT_GE(Score("Kim Jong Un", "金正恩"), 0.8);                // Korean reading of Han
  EXPECT_GE(Score("Kim Jong Un", "김정은"), 0.8);                // Hangul
  EXPECT_GE(Score("Clem Lingens", "Clement Lingens"), 0.8);     // short form
}

// Foreign names written in Hebrew or Hangul are spelt by sound: their
// consonants agree with the Latin name where the letters do not.
TEST(CompareNamesTest, ForeignNamesInOtherScriptsMatchBySound) {
  EXPECT_GE(Score("Jesse Franklin", "ג'סי פרנקלין"), 0.8);
  EXPECT_GE(Score("Richard Hammond", "ריצ'רד האמונד"), 0.8);
  EXPECT_GE(Score("John Gibbons", "존 기븐스"), 0.8);
  EXPECT_GE(Score("Chris Colfer", "크리스 콜퍼"), 0.8);
  // One shared word and another name: not the same person.
  EXPECT_LT(Score("Jesse Franklin", "ג'סי רובינסון"), 0.8);
  EXPECT_LT(Score("John Gibbons", "존 스미스"), 0.8);
}

TEST(CompareNamesTest, DifferentPeopleScoreLow) {
  EXPECT_LT(Score("John Smith", "Jane Smith"), 0.8);
  EXPECT_LT(Score("John Smith", "John Jones"), 0.7);
  EXPECT_LT(Score("Maria Garcia", "Mario Gomez"), 0.7);
  EXPECT_LT(Score("Smith", "John Smith"), 0.8);  // one word of two
}

TEST(CompareNamesTest, ExplainsEachTokenMatch) {
  auto c = compare_names(normalize_name("Mohammed Ali"), normalize_name("Muhammad Ali"));
  ASSERT_EQ(c.matches.size(), 2u);
  EXPECT_STREQ(c.matches[0].how, "exact");
  EXPECT_STRNE(c.matches[1].how, "exact");
  EXPECT_EQ(c.unmatched_query, 0);
}

}  // namespace
}  // namespace vigil
