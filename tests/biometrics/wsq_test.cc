// WSQ decoding against a reference decoder's output, on NIST's reference
// ten-print card, and on damaged files.
#include "biometrics/wsq.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "biometrics/an2k.h"
#include "biometrics/extractor.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "support/test_support.h"

namespace vigil {
namespace {

// tests/biometrics/data/wsq/README.md: the image as NIST's reference
// decoder (in its Java port) gives it.
TEST(WsqTest, DecodesWithinOneGreyLevelOfTheReferenceDecoder) {
  auto image = decode_wsq(testing::ReadSource("tests/biometrics/data/wsq/sample.wsq"));
  ASSERT_TRUE(image.ok()) << image.error();
  auto reference = decode_image(testing::ReadSource("tests/biometrics/data/wsq/sample.png"));
  ASSERT_TRUE(reference.ok()) << reference.error();
  ASSERT_EQ(image->width, 545);
  ASSERT_EQ(image->height, 622);
  ASSERT_EQ(reference->width, image->width);
  ASSERT_EQ(reference->height, image->height);
  size_t differ = 0;
  int most = 0;
  for (size_t i = 0; i < image->pixels.size(); ++i) {
    const int d = std::abs(int(image->pixels[i]) - int(reference->pixels[i]));
    differ += d != 0;
    most = std::max(most, d);
  }
  EXPECT_LE(most, 1);
  EXPECT_LE(differ, image->pixels.size() / 10000) << "rounding differs on at most 1 pixel in 10,000";
  // decode_image() reads WSQ too, in grey and in colour.
  auto grey = decode_image(testing::ReadSource("tests/biometrics/data/wsq/sample.wsq"));
  ASSERT_TRUE(grey.ok()) << grey.error();
  EXPECT_EQ(grey->pixels, image->pixels);
  auto colour = decode_colour_image(testing::ReadSource("tests/biometrics/data/wsq/sample.wsq"));
  ASSERT_TRUE(colour.ok()) << colour.error();
  EXPECT_EQ(to_gray(*colour).pixels, image->pixels);
}

TEST(WsqTest, NistTenPrintCardDecodesAndIsReadAsFingers) {
  const std::string card = testing::ReadSource("tests/biometrics/data/nist/type-4-tpcard.an2");
  auto t = read_an2k(card);
  ASSERT_TRUE(t.ok()) << t.error();
  std::vector<FingerView> one_by_one;
  for (const An2kImage& record : t->images) {
    auto image = decode_wsq(record.data);
    ASSERT_TRUE(image.ok()) << "finger " << int(record.finger) << ": " << image.error();
    EXPECT_EQ(image->width, record.width);
    EXPECT_EQ(image->height, record.height);
    image->ppi = record.ppi;
    auto views = extract_minutiae(*image, record.finger == 11 ? 1 : record.finger == 12 ? 6 : record.finger);
    ASSERT_TRUE(views.ok()) << views.error();
    one_by_one.insert(one_by_one.end(), views->views.begin(), views->views.end());
  }
  // Read as one probe, its images are extracted at once on several cores:
  // the views are those extracted one by one, in the card's order.
  auto probe = read_biometric(card);
  ASSERT_TRUE(probe.ok()) << probe.error();
  EXPECT_TRUE(probe->finger.views == one_by_one);
  // Minutiae from every image: ten rolled fingers, two plain thumbs, and
  // four prints from each four-finger slap.
  ASSERT_EQ(probe->finger.views.size(), 10u + 2u + 4u + 4u);
  std::map<int, size_t> by_finger;
  for (size_t k = 0; k < probe->finger.views.size(); ++k) {
    const FingerView& view = probe->finger.views[k];
    // A finger has a hundred or so minutiae; the card's printed lines,
    // writing and texture are not read as more (they once filled 255).
    if (k < 10) {
      EXPECT_LT(view.minutiae.size(), 200u) << "finger " << int(view.finger);
    }
    ++by_finger[view.finger];
  }
  // Each finger twice: rolled, and either as a plain thumb or as a slap's
  // print (all four of each slap found side by side, so each print's place
  // says its finger).
  ASSERT_EQ(by_finger.size(), 10u);
  for (const auto& [finger, views] : by_finger) EXPECT_EQ(views, 2u) << "finger " << finger;
}

// Several files read at once give, in order, what reading each gives: its
// views, or its error.
TEST(WsqTest, SeveralFilesReadAtOnceAreEachAsReadAlone) {
  const std::string wsq = testing::ReadSource("tests/biometrics/data/wsq/sample.wsq");
  const std::string png = testing::ReadSource("tests/biometrics/data/wsq/sample.png");
  const std::string junk = "neither a template nor an image";
  const std::vector<std::string_view> files = {wsq, junk, png, wsq};
  const std::vector<Result<BioProbe>> read = read_biometrics(files, BioKind::kFinger);
  ASSERT_EQ(read.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    auto alone = read_biometric(files[i], BioKind::kFinger);
    ASSERT_EQ(read[i].ok(), alone.ok()) << i;
    if (!alone.ok()) {
      EXPECT_EQ(read[i].error(), alone.error());
      continue;
    }
    EXPECT_TRUE(read[i]->finger.views == alone->finger.views) << i;
    EXPECT_FALSE(alone->finger.views.empty());
  }
}

// Each kind of damage is refused with where and why.
TEST(WsqTest, DamagedFilesAreRefusedWithTheReason) {
  const std::string good = testing::ReadSource("tests/biometrics/data/wsq/sample.wsq");
  ASSERT_GT(good.size(), 10000u);
  auto refused = [](const std::string& bytes, const std::string& why) {
    auto image = decode_wsq(bytes);
    ASSERT_FALSE(image.ok()) << why;
    EXPECT_NE(image.error().find("WSQ image: at byte "), std::string::npos) << image.error();
    EXPECT_NE(image.error().find(why), std::string::npos) << image.error();
  };
  // The file's layout: SOI; COM at 2 and 127; DTT at 139; DQT at 199;
  // SOF at 590; DHT at 609; SOB at 786, its data from 791.
  refused(good.substr(0, 5000), "the file ends before EOI");
  refused(good.substr(0, 300), "DQT: length 389 runs past the end of the file");
  refused(good.substr(0, 1), "does not start with the WSQ start-of-image marker");
  std::string filters = good;
  filters[143] = 7;
  refused(filters, "at byte 139: DTT: synthesis filters of 7 and 7 taps");
  std::string wide = good;
  wide[598] = static_cast<char>(5000 >> 8), wide[599] = static_cast<char>(5000 & 0xff);
  refused(wide, "at byte 590: SOF: WSQ image: 5000x622 pixels is too large");
  std::string table = good;
  table[790] = 5;
  refused(table, "at byte 786: SOB: Huffman table 5 is not defined");
  std::string marker = good;
  marker[139] = 0;
  refused(marker, "at byte 139: marker: not a WSQ marker");
  std::string no_frame = good;
  no_frame[591] = static_cast<char>(0xa3);  // the frame header made a block header
  refused(no_frame, "at byte 590: marker: no frame header (SOF) before the image data");
  EXPECT_FALSE(decode_wsq(good.substr(0, good.size() - 2)).ok()) << "no EOI";
}

}  // namespace
}  // namespace vigil
