// Face records (ISO/IEC 19794-5) and travel documents' data group 2: the
// photograph read back, read as a face probe, and bad records refused
// with the place named.
#include "biometrics/face_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "biometrics/frontline.h"
#include "travel_document.h"
#include "support/test_support.h"

namespace vigil {
namespace {

using testing::FaceRecord;

// Data group 2 holding `record`, declaring `instances`.
std::string Dg2(const std::string& record, const std::string& data_tag = "\x5f\x2e", int instances = 1) {
  return testing::DataGroup('\x75', {record}, data_tag, instances);
}

TEST(FaceRecordTest, ADocumentsPhotographIsReadFromItsDataGroup) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg"), jp2 = testing::ReadSource("tests/biometrics/data/jp2/face.jp2");
  for (const std::string& bytes : {Dg2(FaceRecord({{0, jpeg}}, 2)), FaceRecord({{0, jpeg}, {1, jp2}})}) {
    ASSERT_TRUE(is_face_record(bytes));
    auto images = read_face_record(bytes);
    ASSERT_TRUE(images.ok()) << images.error();
    ASSERT_GE(images->size(), 1u);
    EXPECT_EQ((*images)[0].format, "JPEG");
    EXPECT_EQ((*images)[0].face_type, 1);
    EXPECT_EQ((*images)[0].width, 320);
    EXPECT_TRUE((*images)[0].data == jpeg);
  }
  auto two = read_face_record(FaceRecord({{0, jpeg}, {1, jp2}}));
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].format, "JPEG2000");
  EXPECT_TRUE((*two)[1].data == jp2);
  EXPECT_FALSE(is_face_record(jpeg));
  EXPECT_FALSE(is_face_record("u and more"));
}

TEST(FaceRecordTest, AsAProbeItIsThePhotographsFace) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg");
  auto direct = read_biometric(jpeg);
  auto chip = read_biometric(Dg2(FaceRecord({{0, jpeg}})));
  ASSERT_TRUE(direct.ok() && chip.ok()) << chip.error();
  EXPECT_EQ(chip->face, direct->face);
  EXPECT_TRUE(chip->image == jpeg) << "the photograph is what is kept on a hit";
  EXPECT_TRUE(chip->finger.views.empty());
  auto as_finger = read_biometric(Dg2(FaceRecord({{0, jpeg}})), BioKind::kFinger);
  ASSERT_FALSE(as_finger.ok());
  EXPECT_EQ(as_finger.error(), "a face record holds no fingerprint");
}

void Refused(const std::string& bytes, const std::string& why) {
  auto r = read_face_record(bytes);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
}

TEST(FaceRecordTest, BadRecordsAreRefusedWithThePlaceNamed) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg"), jp2 = testing::ReadSource("tests/biometrics/data/jp2/face.jp2");
  const std::string dg2 = Dg2(FaceRecord({{0, jpeg}}));
  Refused(dg2.substr(0, dg2.size() / 2), "DG2: at byte 0: 75: ");
  Refused(dg2 + "x", "bytes after the data group");
  Refused(Dg2(FaceRecord({{0, jpeg}}), "\x7f\x2e"), "7F2E: the biometric data is enciphered");
  Refused(Dg2(FaceRecord({{0, jpeg}}), "\x5f\x2e", 2), "DG2: at byte");
  Refused(FaceRecord({{0, jpeg}}, 0, "030"), "face record: at byte 4: version \"030\" is not read");
  Refused(FaceRecord({{2, jpeg}}), "image data type 2 is not JPEG (0) or JPEG 2000 (1)");
  Refused(FaceRecord({{0, jp2}}), "the image data is not JPEG as the record says");
  Refused(FaceRecord({{1, jpeg}}), "the image data is not JPEG 2000 as the record says");
  Refused(FaceRecord({}), "face record: at byte 12: no facial image");
  std::string long_by_one = FaceRecord({{0, jpeg}});
  long_by_one.replace(8, 4, testing::BigEndian(static_cast<uint32_t>(long_by_one.size() + 1), 4));
  Refused(long_by_one, "face record: at byte 8: the record says");
  std::string overrun = FaceRecord({{0, jpeg}}, 1);
  overrun.replace(18, 2, testing::BigEndian(5000, 2));  // feature points past the block
  Refused(overrun, "face record: at byte 14: facial image 1: its");
  // Inside a data group, the record's place is counted from the group's start.
  auto inner = read_face_record(Dg2(FaceRecord({{0, jpeg}}, 0, "030")));
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().rfind("face record: at byte ", 0), 0u) << inner.error();
  EXPECT_EQ(inner.error().find("at byte 4:"), std::string::npos) << "not the record's own offset: " << inner.error();
}

}  // namespace
}  // namespace vigil
