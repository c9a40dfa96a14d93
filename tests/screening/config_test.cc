#include "screening/config.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ScreeningConfigTest, OverridesOnlyWhatIsGiven) {
  auto c = ScreeningConfig::FromJson(R"({"threshold": 0.7, "top_k": 3, "match_organisations": true})");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_DOUBLE_EQ(c->threshold, 0.7);
  EXPECT_EQ(c->top_k, 3);
  EXPECT_TRUE(c->match_organisations);
  EXPECT_DOUBLE_EQ(c->dob_mismatch, ScreeningConfig{}.dob_mismatch);
}

TEST(ScreeningConfigTest, RefusesUnknownKeysWrongTypesAndRanges) {
  EXPECT_NE(ScreeningConfig::FromJson(R"({"treshold": 0.7})").error().find("treshold"), std::string::npos);
  EXPECT_NE(ScreeningConfig::FromJson(R"({"threshold": "high"})").error().find("threshold"), std::string::npos);
  EXPECT_NE(ScreeningConfig::FromJson(R"({"match_organisations": 1})").error().find("true or false"),
            std::string::npos);
  EXPECT_FALSE(ScreeningConfig::FromJson(R"({"threshold": 1.5})").ok());
  EXPECT_FALSE(ScreeningConfig::FromJson(R"({"top_k": 0})").ok());
  EXPECT_FALSE(ScreeningConfig::FromJson("[1]").ok());
}

TEST(ScreeningConfigTest, WritesWhatItReads) {
  ScreeningConfig c;
  c.threshold = 0.75;
  c.match_organisations = true;
  auto back = ScreeningConfig::FromJson(c.ToJson());
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_DOUBLE_EQ(back->threshold, 0.75);
  EXPECT_TRUE(back->match_organisations);
}

}  // namespace
}  // namespace vigil
