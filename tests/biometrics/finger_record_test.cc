// Finger image records (ISO/IEC 19794-4) and travel documents' data group
// 3: images read back, read as a fingerprint probe with the minutiae of the
// image itself, and bad records refused with the place named.
#include "biometrics/finger_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "biometrics/extractor.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "travel_document.h"
#include "support/test_support.h"

namespace vigil {
namespace {

struct Image {
  int position, width, height;
  std::string data;
};

// A 2005 (010) record: every image in `compression` at `resolution` per
// inch (scale 1) or per centimetre (scale 2).
std::string Record(const std::vector<Image>& images, int compression, int resolution = 500, int scale = 1,
                   const std::string& version = "010", int depth = 8) {
  std::string blocks;
  for (const Image& i : images)
    blocks += testing::BigEndian(14 + i.data.size(), 4) + static_cast<char>(i.position) + std::string("\x01\x01\x50\x00", 4) + testing::BigEndian(i.width, 2) +
              testing::BigEndian(i.height, 2) + '\0' + i.data;
  return std::string("FIR\0", 4) + version + '\0' + testing::BigEndian(32 + blocks.size(), 6) + testing::BigEndian(0, 2) + testing::BigEndian(31, 2) +
         static_cast<char>(images.size()) + static_cast<char>(scale) + testing::BigEndian(resolution, 2) + testing::BigEndian(resolution, 2) +
         testing::BigEndian(resolution, 2) + testing::BigEndian(resolution, 2) + static_cast<char>(depth) + static_cast<char>(compression) + testing::BigEndian(0, 2) + blocks;
}

// A 2011 (020) record: each image's representation with two quality
// blocks, certification blocks where `certified` (one each), the capture
// time and device, and `extended` data (a comment block) after the image.
std::string Record2011(const std::vector<Image>& images, int compression, int resolution = 500, bool certified = true,
                       const std::string& extended = "") {
  std::string reps;
  for (const Image& i : images) {
    std::string rep = testing::BigEndian(2026, 2) + std::string("\x0b\x18\x09\x30\x00\x00\x00", 7) + '\x01' +
                      testing::BigEndian(0x0101, 2) + testing::BigEndian(7, 2) + '\x02' + std::string(10, '\x05');
    if (certified) rep += '\x01' + std::string("\x00\x1b\x01", 3);
    rep += static_cast<char>(i.position) + std::string("\x00\x01", 2) + testing::BigEndian(resolution, 2) + testing::BigEndian(resolution, 2) +
           testing::BigEndian(resolution, 2) + testing::BigEndian(resolution, 2) + '\x08' + static_cast<char>(compression) + '\x01' +
           testing::BigEndian(i.width, 2) + testing::BigEndian(i.height, 2) + testing::BigEndian(i.data.size(), 4) + i.data + extended;
    reps += testing::BigEndian(4 + rep.size(), 4) + rep;
  }
  return std::string("FIR\0", 4) + std::string("020\0", 4) + testing::BigEndian(16 + reps.size(), 4) +
         testing::BigEndian(images.size(), 2) + static_cast<char>(certified) + static_cast<char>(images.size()) + reps;
}

// Data group 3 with one instance per record.
std::string Dg3(const std::vector<std::string>& records, const std::string& data_tag = "\x5f\x2e") {
  return testing::DataGroup('\x63', records, data_tag);
}

TEST(FingerRecordTest, ATravelDocumentsFingersAreTheirImagesMinutiae) {
  const std::string wsq = testing::ReadSource("tests/biometrics/data/wsq/sample.wsq");
  auto pixels = decode_image(testing::ReadSource("tests/biometrics/data/wsq/sample.png"));
  ASSERT_TRUE(pixels.ok());
  const std::string raw(pixels->pixels.begin(), pixels->pixels.end());
  // Two instances: the WSQ image as a right index (per inch), the raw
  // pixels as a left index (197 per centimetre: 500 per inch).
  const std::string dg3 = Dg3({Record({{2, 545, 622, wsq}}, 2), Record({{7, 545, 622, raw}}, 0, 197, 2)});
  ASSERT_TRUE(is_finger_record(dg3));
  auto images = read_finger_record(dg3);
  ASSERT_TRUE(images.ok()) << images.error();
  ASSERT_EQ(images->size(), 2u);
  EXPECT_EQ((*images)[0].position, 2);
  EXPECT_EQ((*images)[0].compression, "WSQ");
  EXPECT_EQ((*images)[0].ppi, 500);
  EXPECT_TRUE((*images)[0].data == wsq);
  EXPECT_EQ((*images)[1].compression, "NONE");
  EXPECT_EQ((*images)[1].ppi, 500);

  auto probe = read_biometric(dg3);
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->finger.views.size(), 2u);
  auto from_wsq = extract_minutiae(*decode_image(wsq), 2);
  auto from_png = extract_minutiae(*pixels, 7);
  ASSERT_TRUE(from_wsq.ok() && from_png.ok());
  EXPECT_EQ(probe->finger.views[0], from_wsq->views[0]);
  EXPECT_EQ(probe->finger.views[1], from_png->views[0]);
  EXPECT_TRUE(probe->face.empty());
  auto as_face = read_biometric(dg3, BioKind::kFace);
  ASSERT_FALSE(as_face.ok());
  EXPECT_EQ(as_face.error(), "a finger image record holds no face");
  EXPECT_FALSE(is_finger_record(wsq));
}

void Refused(const std::string& bytes, const std::string& why) {
  auto r = read_finger_record(bytes);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
}

TEST(FingerRecordTest, BadRecordsAreRefusedWithThePlaceNamed) {
  const std::string wsq = testing::ReadSource("tests/biometrics/data/wsq/sample.wsq");
  const std::string good = Record({{2, 545, 622, wsq}}, 2);
  ASSERT_TRUE(read_finger_record(good).ok());
  Refused(Record({{2, 545, 622, wsq}}, 2, 500, 1, "030"), "finger record: at byte 4: version \"030\" is not read");
  Refused(Record({{2, 545, 622, wsq}}, 1), "finger record: at byte 29: bit-packed images are not read");
  Refused(Record({{2, 545, 622, wsq}}, 9), "compression 9 is not one of 0-5");
  Refused(Record({{2, 10, 10, std::string(99, 'x')}}, 0), "finger image 1: 99 bytes of pixels, 10x10 declared");
  Refused(Record({{2, 10, 10, std::string(100, 'x')}}, 0, 500, 1, "010", 4), "uncompressed images of 4 bits are not read");
  Refused(Record({{2, 545, 622, wsq}}, 3), "finger image 1: the image data is not JPEG as the record says");
  Refused(Record({{2, 545, 622, wsq}}, 2, 500, 3), "scale units 3");
  Refused(Record({}, 2), "finger record: at byte 18: no finger image");
  Refused(good.substr(0, good.size() - 1), "finger record: at byte 8: the record says");
  Refused(Dg3({good}, "\x7f\x2e"), "DG3: at byte");
  Refused(Dg3({good}, "\x7f\x2e"), "7F2E: the biometric data is enciphered");
  const std::string dg3 = Dg3({good});
  Refused(dg3.substr(0, 100), "DG3: at byte 0: 63: ");
  // Inside a data group, the record's place is counted from the group's start.
  auto inner = read_finger_record(Dg3({Record({}, 2)}));
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().find("at byte 18:"), std::string::npos) << inner.error();
  EXPECT_EQ(inner.error().rfind("finger record: at byte ", 0), 0u) << inner.error();
}

// The 2011 version (020): its images read as the 2005 version's are, past
// quality and certification blocks and the extended data after each image.
TEST(FingerRecordTest, The2011VersionIsReadToo) {
  const std::string wsq = testing::ReadSource("tests/biometrics/data/wsq/sample.wsq");
  const std::string png = testing::ReadSource("tests/biometrics/data/wsq/sample.png");
  const std::string comment = testing::BigEndian(3, 2) + testing::BigEndian(9, 2) + "signed";
  for (const bool certified : {true, false}) {
    const std::string dg3 = Dg3({Record2011({{2, 545, 622, wsq}, {7, 545, 622, png}}, 2, 500, certified, comment)});
    auto images = read_finger_record(Record2011({{2, 545, 622, wsq}}, 2, 500, certified, comment));
    ASSERT_TRUE(images.ok()) << images.error();
    ASSERT_EQ(images->size(), 1u);
    EXPECT_EQ((*images)[0].position, 2);
    EXPECT_EQ((*images)[0].impression, 1);
    EXPECT_EQ((*images)[0].width, 545);
    EXPECT_EQ((*images)[0].height, 622);
    EXPECT_EQ((*images)[0].ppi, 500);
    EXPECT_EQ((*images)[0].compression, "WSQ");
    EXPECT_TRUE((*images)[0].data == wsq);
  }
  // Code 6 is PNG, 4 and 5 JPEG 2000 (lossy, lossless); a probe from a
  // 2011 data group 3 is the image's minutiae.
  auto as_png = read_finger_record(Record2011({{7, 545, 622, png}}, 6, 197 * 254 / 100));
  ASSERT_TRUE(as_png.ok()) << as_png.error();
  EXPECT_EQ((*as_png)[0].compression, "PNG");
  auto probe = read_biometric(Dg3({Record2011({{2, 545, 622, wsq}}, 2)}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  auto from_wsq = extract_minutiae(*decode_image(wsq), 2);
  ASSERT_TRUE(from_wsq.ok());
  ASSERT_EQ(probe->finger.views.size(), 1u);
  EXPECT_EQ(probe->finger.views[0], from_wsq->views[0]);

  const std::string good = Record2011({{2, 545, 622, wsq}}, 2);
  Refused(Record2011({{2, 545, 622, wsq}}, 5), "finger image 1: the image data is not JPEG2000 as the record says");
  Refused(Record2011({{2, 545, 622, wsq}}, 7), "finger record: at byte 61: finger image 1: compression 7 is not one of 0-6");
  Refused(Record2011({{2, 545, 622, wsq}}, 1), "bit-packed images are not read");
  Refused(Record2011({}, 2), "finger record: at byte 12: no finger image");
  Refused(good.substr(0, good.size() - 1), "finger record: at byte 8: the record says");
  std::string overrun = good;  // the image's length past the representation
  overrun[69] = '\x7f';
  Refused(overrun, "finger record: at byte 67: finger image 1: its 32677 bytes of image run past it");
  const std::string small = Record2011({{2, 2, 5, std::string(10, 'x')}}, 0);
  ASSERT_TRUE(read_finger_record(small).ok());
  std::string blocks = small;  // 255 quality blocks
  blocks[34] = '\xff';
  Refused(blocks, "finger record: at byte 16: finger image 1: its header runs past its");
}

}  // namespace
}  // namespace vigil
