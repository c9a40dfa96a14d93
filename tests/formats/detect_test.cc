#include "formats/detect.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.h"

namespace vigil {
namespace {

ParsedInput Parse(std::string_view input) {
  ParseOptions o;
  o.file = "in";
  return parse_input(input, o);
}

TEST(DetectTest, RejectsWhatIsNotATravelMessage) {
  for (std::string_view bad : {std::string_view(""), std::string_view("hello world"),
                               std::string_view("\x89PNG\r\n\x1a\n\0\0\0", 11),
                               std::string_view("{\"json\": true}")}) {
    auto p = Parse(bad);
    EXPECT_FALSE(p.accepted());
    ASSERT_EQ(p.diags.error_count(), 1u);
    EXPECT_EQ(p.diags.all()[0].where.file, "in");
  }
}

TEST(DetectTest, BinaryIsNamedAsSuch) {
  auto p = Parse(std::string_view("\x01\x02\0\0garbage", 11));
  EXPECT_NE(p.diags.all()[0].reason.find("binary"), std::string::npos);
}

TEST(DetectTest, EnormousInputIsRejectedUnread) {
  std::string big(kMaxInputBytes + 1, 'A');
  auto p = Parse(big);
  EXPECT_FALSE(p.accepted());
  EXPECT_NE(p.diags.all()[0].reason.find("over the limit"), std::string::npos);
}

TEST(DetectTest, RejectedInputHandsOnNothing) {
  auto p = Parse("UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++DOE'UNT+4+1'UNH+2+PAXLST:D:05B'NAD");
  EXPECT_FALSE(p.accepted());
  EXPECT_TRUE(p.manifests.empty());
}

TEST(DetectTest, CountsTravellersOfBothKinds) {
  auto p = Parse(
      "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+XX1'NAD+FL+++A'NAD+FL+++B'UNT+6+1'"
      "UNH+2+PNRGOV:11:1:IA'SRC'RCI+XX:L1'TIF+C+D'UNT+5+2'");
  ASSERT_TRUE(p.accepted()) << p.diags.all().front().to_string();
  EXPECT_EQ(p.traveller_count(), 3u);
}

TEST(DetectTest, EveryBundledSampleReadsCleanly) {
  const HashKey key = HashKey::ForTesting();
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(VIGIL_SOURCE_DIR) + "/data/samples")) {
    const std::string name = entry.path().filename().string();
    ParseOptions o;
    o.file = name;
    o.card_key = &key;
    o.strict = true;
    auto p = parse_input(testing::ReadSample(name), o);
    EXPECT_TRUE(p.accepted()) << (p.diags.all().empty() ? name : p.diags.all()[0].to_string());
    EXPECT_GT(p.traveller_count(), 0u) << name;
    ++files;
  }
  EXPECT_GE(files, 8);
}

}  // namespace
}  // namespace vigil
