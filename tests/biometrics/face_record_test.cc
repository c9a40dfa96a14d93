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

// A 2011 (030) record: each image (data type, bytes) with two quality
// blocks, `points` landmarks, the capture time and device, and `after`
// (3D data) after the image.
std::string FaceRecord2011(const std::vector<std::pair<int, std::string>>& images, int points = 0, const std::string& after = "",
                           char certified = 0) {
  std::string reps;
  for (const auto& [type, data] : images) {
    std::string rep = testing::BigEndian(2026, 2) + std::string("\x0b\x18\x09\x30\x00\x00\x00", 7) + '\x01' +
                      testing::BigEndian(0x0101, 2) + testing::BigEndian(7, 2) + '\x02' + std::string(10, '\x05');
    rep += testing::BigEndian(static_cast<uint32_t>(points), 2) + std::string(15, '\0');
    for (int p = 0; p < points; ++p) rep += std::string("\x01\x11", 2) + testing::BigEndian(100, 2) + testing::BigEndian(120, 2) + testing::BigEndian(0, 2);
    rep += std::string("\x01", 1) + static_cast<char>(type) + testing::BigEndian(320, 2) + testing::BigEndian(320, 2) + '\x01' +
           testing::BigEndian(0, 2) + '\0' + '\x01' + testing::BigEndian(static_cast<uint32_t>(data.size()), 4) + data + after;
    reps += testing::BigEndian(static_cast<uint32_t>(rep.size() + 4), 4) + rep;
  }
  return std::string("FAC\0", 4) + std::string("030\0", 4) + testing::BigEndian(static_cast<uint32_t>(17 + reps.size()), 4) +
         testing::BigEndian(static_cast<uint32_t>(images.size()), 2) + certified + testing::BigEndian(0, 2) + reps;
}

// The first image read is the JPEG photograph the test records hold, a
// full frontal face 320 pixels wide.
void ExpectThePhotographFirst(const std::vector<FaceRecordImage>& images, const std::string& jpeg) {
  ASSERT_GE(images.size(), 1u);
  EXPECT_EQ(images[0].format, "JPEG");
  EXPECT_EQ(images[0].face_type, 1);
  EXPECT_EQ(images[0].width, 320);
  EXPECT_TRUE(images[0].data == jpeg);
}

TEST(FaceRecordTest, ADocumentsPhotographIsReadFromItsDataGroup) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg"), jp2 = testing::ReadSource("tests/biometrics/data/jp2/face.jp2");
  for (const std::string& bytes : {Dg2(FaceRecord({{0, jpeg}}, 2)), FaceRecord({{0, jpeg}, {1, jp2}})}) {
    ASSERT_TRUE(is_face_record(bytes));
    auto images = read_face_record(bytes);
    ASSERT_TRUE(images.ok()) << images.error();
    ExpectThePhotographFirst(*images, jpeg);
  }
  auto two = read_face_record(FaceRecord({{0, jpeg}, {1, jp2}}));
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].format, "JPEG2000");
  EXPECT_TRUE((*two)[1].data == jp2);
  EXPECT_FALSE(is_face_record(jpeg));
  EXPECT_FALSE(is_face_record("u and more"));
}

void Refused(const std::string& bytes, const std::string& why) {
  auto r = read_face_record(bytes);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
}

// The 2011 version (030): its images read as the 2005 version's are, past
// quality blocks, landmarks and 3D data; JPEG 2000 lossy and lossless
// (1, 2) and PNG (3) besides JPEG (0); as a probe, the photograph's face.
TEST(FaceRecordTest, The2011VersionIsReadToo) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg"), jp2 = testing::ReadSource("tests/biometrics/data/jp2/face.jp2");
  const std::string png = testing::ReadSource("tests/biometrics/data/wsq/sample.png");
  auto images = read_face_record(Dg2(FaceRecord2011({{0, jpeg}, {1, jp2}, {2, jp2}, {3, png}}, 3, std::string(12, '\x3d'))));
  ASSERT_TRUE(images.ok()) << images.error();
  ASSERT_EQ(images->size(), 4u);
  ExpectThePhotographFirst(*images, jpeg);
  EXPECT_EQ((*images)[1].format, "JPEG2000");
  EXPECT_EQ((*images)[2].format, "JPEG2000");
  EXPECT_EQ((*images)[3].format, "PNG");
  EXPECT_TRUE((*images)[3].data == png);
  auto direct = read_biometric(jpeg);
  auto chip = read_biometric(Dg2(FaceRecord2011({{0, jpeg}}, 2)));
  ASSERT_TRUE(direct.ok() && chip.ok()) << chip.error();
  EXPECT_EQ(chip->face, direct->face);

  Refused(FaceRecord2011({{4, jpeg}}), "face record: at byte 64: facial image 1: image data type 4 is not JPEG (0), JPEG 2000 (1, 2) or PNG (3)");
  Refused(FaceRecord2011({{3, jpeg}}), "facial image 1: the image data is not PNG as the record says");
  Refused(FaceRecord2011({{0, jpeg}}, 0, "", 1), "face record: at byte 14: certified representations are not read");
  Refused(FaceRecord2011({}), "face record: at byte 12: no facial image");
  std::string points = FaceRecord2011({{0, jpeg}}, 1);
  points.replace(46, 2, testing::BigEndian(60000, 2));  // landmarks past the representation
  Refused(points, "face record: at byte 17: facial image 1: its header (quality blocks, landmarks) runs past its");
  std::string image = FaceRecord2011({{0, jpeg}});
  image.replace(74, 4, testing::BigEndian(static_cast<uint32_t>(jpeg.size() + 1), 4));
  Refused(image, "face record: at byte 74: facial image 1: its ");
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


TEST(FaceRecordTest, BadRecordsAreRefusedWithThePlaceNamed) {
  const std::string jpeg = testing::ReadSource("data/faces/astronaut.jpg"), jp2 = testing::ReadSource("tests/biometrics/data/jp2/face.jp2");
  const std::string dg2 = Dg2(FaceRecord({{0, jpeg}}));
  Refused(dg2.substr(0, dg2.size() / 2), "DG2: at byte 0: 75: ");
  Refused(dg2 + "x", "bytes after the data group");
  Refused(Dg2(FaceRecord({{0, jpeg}}), "\x7f\x2e"), "7F2E: the biometric data is enciphered");
  Refused(Dg2(FaceRecord({{0, jpeg}}), "\x5f\x2e", 2), "DG2: at byte");
  Refused(FaceRecord({{0, jpeg}}, 0, "040"), "face record: at byte 4: version \"040\" is not read");
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
  auto inner = read_face_record(Dg2(FaceRecord({{0, jpeg}}, 0, "040")));
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().rfind("face record: at byte ", 0), 0u) << inner.error();
  EXPECT_EQ(inner.error().find("at byte 4:"), std::string::npos) << "not the record's own offset: " << inner.error();
}

}  // namespace
}  // namespace vigil
