// Fingerprint images: decoding, and minutiae extracted from synthetic
// images whose true minutiae are known.
#include "biometrics/extractor.h"

#include <gtest/gtest.h>
#include <jpeglib.h>

#include <cmath>

#include "base/bytes.h"
#include "biometrics/image.h"
#include "biometrics/matcher.h"
#include "synth/finger_image.h"
#include "support/test_support.h"

namespace vigil {
namespace {

std::string Jpeg(const GrayImage& image, int quality) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = static_cast<JDIMENSION>(image.width);
  c.image_height = static_cast<JDIMENSION>(image.height);
  c.input_components = 1;
  c.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  c.density_unit = 1;
  c.X_density = c.Y_density = static_cast<UINT16>(image.ppi);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.pixels.data() + static_cast<size_t>(c.next_scanline) * static_cast<size_t>(image.width));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  std::string bytes(reinterpret_cast<char*>(out), size);
  jpeg_destroy_compress(&c);
  free(out);
  return bytes;
}

GrayImage Flat(int width, int height, uint8_t value) {
  GrayImage g;
  g.width = width;
  g.height = height;
  g.pixels.assign(static_cast<size_t>(width) * static_cast<size_t>(height), value);
  return g;
}

TEST(ImageTest, PngRoundTripsWithItsResolution) {
  GrayImage g = FingerImageGenerator(1).Impression(0, 1).image;
  g.ppi = 1000;
  const std::string png = encode_png(g);
  EXPECT_EQ(image_format(png), "PNG");
  auto back = decode_image(png);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->width, g.width);
  EXPECT_EQ(back->height, g.height);
  EXPECT_EQ(back->ppi, 1000);
  EXPECT_EQ(back->pixels, g.pixels);
}

// A box is cut edges included, and clipped to the image.
TEST(ImageTest, CropKeepsTheBoxClippedToTheImage) {
  GrayImage g = Flat(5, 4, 0);
  for (size_t i = 0; i < g.pixels.size(); ++i) g.pixels[i] = static_cast<uint8_t>(i);
  g.ppi = 1000;
  const GrayImage c = crop(g, 1, 2, 2, 3);
  EXPECT_EQ(c.width, 2);
  EXPECT_EQ(c.height, 2);
  EXPECT_EQ(c.ppi, 1000);
  EXPECT_EQ(c.pixels, (std::vector<uint8_t>{11, 12, 16, 17}));
  const GrayImage past = crop(g, 3, 9, -2, 0);
  EXPECT_EQ(past.width, 2);
  EXPECT_EQ(past.height, 1);
  EXPECT_EQ(past.pixels, (std::vector<uint8_t>{3, 4}));
  EXPECT_TRUE(crop(g, 7, 9, 0, 3).pixels.empty());
}

TEST(ImageTest, JpegDecodesToGreyWithItsDensity) {
  const GrayImage g = FingerImageGenerator(1).Impression(0, 1).image;
  auto back = decode_image(Jpeg(g, 95));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->width, 400);
  EXPECT_EQ(back->ppi, 500);
  double error = 0;
  for (size_t i = 0; i < g.pixels.size(); ++i) error += std::abs(int(back->pixels[i]) - int(g.pixels[i]));
  EXPECT_LT(error / double(g.pixels.size()), 6.0);  // lossy, but close
}

TEST(ImageTest, BadImagesAreRefusedWithTheReason) {
  const std::string png = encode_png(FingerImageGenerator(1).Impression(0, 1).image);
  auto truncated = decode_image(png.substr(0, png.size() / 2));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().find("PNG image"), std::string::npos) << truncated.error();
  auto jpeg = Jpeg(FingerImageGenerator(1).Impression(0, 1).image, 90);
  auto cut = decode_image(jpeg.substr(0, jpeg.size() / 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().find("JPEG image"), std::string::npos) << cut.error();
  auto tiny = decode_image(encode_png(Flat(40, 300, 200)));
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().find("too small"), std::string::npos) << tiny.error();
  auto huge = decode_image(encode_png(Flat(5000, 80, 200)));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().find("too large"), std::string::npos) << huge.error();
  auto jp2 = decode_image(std::string("\xff\x4f\xff\x51\x00\x10", 6));
  ASSERT_FALSE(jp2.ok());
  EXPECT_NE(jp2.error().find("JPEG 2000 image: the header does not read"), std::string::npos) << jp2.error();
  EXPECT_FALSE(decode_image("hello").ok());
  EXPECT_FALSE(raw_image(std::string(100, '\0'), 100, 100, 500).ok());
  EXPECT_TRUE(raw_image(std::string(100 * 100, '\0'), 100, 100, 500).ok());
}

// Of `a`'s minutiae, how many have one of `b`'s within 6 pixels.
int Near(const FingerTemplate& a, const FingerTemplate& b) {
  int near = 0;
  for (const Minutia& p : a.views.at(0).minutiae)
    for (const Minutia& q : b.views.at(0).minutiae)
      if (std::abs(p.x - q.x) <= 6 && std::abs(p.y - q.y) <= 6) {
        ++near;
        break;
      }
  return near;
}

TEST(ImageTest, Jpeg2000IsReadAsFileOrCodestreamLosslessOrNot) {
  auto png = decode_image(testing::ReadSource("tests/biometrics/data/wsq/sample.png"));
  ASSERT_TRUE(png.ok()) << png.error();
  // Lossless JP2: the source pixel for pixel.
  auto jp2 = decode_image(testing::ReadSource("tests/biometrics/data/jp2/sample.jp2"));
  ASSERT_TRUE(jp2.ok()) << jp2.error();
  EXPECT_EQ(jp2->width, 545);
  EXPECT_EQ(jp2->height, 622);
  EXPECT_EQ(jp2->ppi, 500) << "no resolution stated: the fallback";
  EXPECT_TRUE(jp2->pixels == png->pixels);
  // A lossy codestream: close, and nearly the same minutiae.
  auto j2k = decode_image(testing::ReadSource("tests/biometrics/data/jp2/sample.j2k"), 490);
  ASSERT_TRUE(j2k.ok()) << j2k.error();
  EXPECT_EQ(j2k->ppi, 490);
  ASSERT_EQ(j2k->pixels.size(), png->pixels.size());
  double diff = 0;
  for (size_t i = 0; i < png->pixels.size(); ++i) diff += std::abs(png->pixels[i] - j2k->pixels[i]);
  EXPECT_LT(diff / png->pixels.size(), 4.0);
  EXPECT_GT(diff, 0) << "lossy";
  auto from_png = extract_minutiae(*png, 1), from_j2k = extract_minutiae(*j2k, 1);
  ASSERT_TRUE(from_png.ok() && from_j2k.ok());
  EXPECT_GE(Near(*from_png, *from_j2k), static_cast<int>(from_png->views[0].minutiae.size()) * 85 / 100);
}

// A "res " box with a capture resolution of `ppi` put into the JP2
// header of `jp2`.
std::string WithResolution(std::string jp2, int ppi) {
  const size_t header = jp2.find("jp2h") - 4;
  const uint32_t length = big_endian(jp2, header, 4);
  const uint32_t per_metre = static_cast<uint32_t>(std::lround(ppi / 0.0254));
  auto be = [](uint32_t v, int n) {
    std::string out;
    for (int i = n - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
  };
  const std::string resc = be(18, 4) + "resc" + be(per_metre, 2) + be(1, 2) + be(per_metre, 2) + be(1, 2) + '\0' + '\0';
  const std::string res = be(static_cast<uint32_t>(8 + resc.size()), 4) + "res " + resc;
  jp2.insert(header + length, res);
  const std::string grown = be(static_cast<uint32_t>(length + res.size()), 4);
  jp2.replace(header, 4, grown);
  return jp2;
}

TEST(ImageTest, Jpeg2000StatesItsResolutionAndBadOnesAreRefused) {
  const std::string jp2 = testing::ReadSource("tests/biometrics/data/jp2/sample.jp2");
  auto stated = decode_image(WithResolution(jp2, 1000));
  ASSERT_TRUE(stated.ok()) << stated.error();
  EXPECT_EQ(stated->ppi, 1000);
  auto cut = decode_image(jp2.substr(0, jp2.size() / 3));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().find("JPEG 2000 image: the image data does not decode"), std::string::npos) << cut.error();
  // A codestream claiming 100,000 pixels a side is refused from its header.
  std::string huge = testing::ReadSource("tests/biometrics/data/jp2/sample.j2k");
  huge.replace(8, 4, std::string("\x00\x01\x86\xa0", 4));
  auto big = decode_image(huge);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().find("too large"), std::string::npos) << big.error();
}

TEST(ExtractorTest, FindsTheTrueMinutiaeOfACleanPrint) {
  for (int finger = 0; finger < 3; ++finger) {
    const FingerImpression imp = FingerImageGenerator(11).Impression(finger, 0);
    auto t = extract_minutiae(imp.image, 3);
    ASSERT_TRUE(t.ok()) << t.error();
    ASSERT_EQ(t->views.size(), 1u);
    EXPECT_EQ(t->views[0].finger, 3);
    EXPECT_EQ(t->width, 400);
    EXPECT_EQ(t->x_resolution, 197);
    // Those well inside the print: at its rim the ridges fade out.
    std::vector<Minutia> inside;
    for (const Minutia& m : imp.truth.minutiae)
      if (std::hypot((m.x - 200) / 170.0, (m.y - 250) / 225.0) < 0.88) inside.push_back(m);
    const MinutiaeAgreement a = agreement(inside, t->views[0].minutiae);
    EXPECT_GE(a.near, a.truth * 85 / 100) << "finger " << finger;         // most true minutiae found
    EXPECT_GE(agreement(t->views[0].minutiae, imp.truth.minutiae).near, a.found * 9 / 10) << "finger " << finger;  // few found that are not true
    EXPECT_GE(a.type_right, a.near * 9 / 10) << "finger " << finger;      // endings told from bifurcations
    EXPECT_GE(a.angle_right, a.near * 9 / 10) << "finger " << finger;     // pointing the standard way
  }
}

TEST(ExtractorTest, ImpressionsOfOneFingerMatchAndOfOthersDoNot) {
  FingerImageGenerator gen(12);
  std::vector<FingerPrint> first, second;
  for (int finger = 0; finger < 4; ++finger) {
    auto a = extract_minutiae(gen.Impression(finger, 1).image), b = extract_minutiae(gen.Impression(finger, 2).image);
    ASSERT_TRUE(a.ok() && b.ok());
    first.push_back(FingerPrint::From(a->views[0]));
    second.push_back(FingerPrint::From(b->views[0]));
  }
  for (size_t f = 0; f < first.size(); ++f) {
    const double mate = compare(second[f], first[f]);
    EXPECT_GE(mate, kDefaultThreshold) << "finger " << f;
    for (size_t g = 0; g < first.size(); ++g)
      if (g != f) {
        EXPECT_LT(compare(second[f], first[g]), mate) << f << " against " << g;
      }
  }
}

TEST(ExtractorTest, AnglesTurnWithTheImage) {
  // The image turned a quarter turn counter-clockwise: every minutia moves
  // with it and its direction grows by 64/256.
  const FingerImpression imp = FingerImageGenerator(13).Impression(1, 0);
  GrayImage turned = imp.image;
  turned.width = imp.image.height;
  turned.height = imp.image.width;
  for (int y = 0; y < imp.image.height; ++y)
    for (int x = 0; x < imp.image.width; ++x)
      turned.pixels[static_cast<size_t>(imp.image.width - 1 - x) * static_cast<size_t>(turned.width) + static_cast<size_t>(y)] = imp.image.at(x, y);
  std::vector<Minutia> moved = imp.truth.minutiae;
  for (Minutia& m : moved) {
    const uint16_t x = m.x;
    m.x = m.y;
    m.y = static_cast<uint16_t>(imp.image.width - 1 - x);
    m.angle = static_cast<uint8_t>(m.angle + 64);
  }
  auto t = extract_minutiae(turned);
  ASSERT_TRUE(t.ok()) << t.error();
  const MinutiaeAgreement a = agreement(moved, t->views[0].minutiae);
  EXPECT_GE(a.near, a.truth * 8 / 10);
  EXPECT_GE(a.angle_right, a.near * 9 / 10);
}

TEST(ExtractorTest, OtherResolutionsAreRescaledAndAnsweredInTheImagesPixels) {
  const FingerImpression imp = FingerImageGenerator(14).Impression(2, 0);
  GrayImage big;  // the same print scanned at 1000 ppi
  big.width = imp.image.width * 2;
  big.height = imp.image.height * 2;
  big.ppi = 1000;
  big.pixels.resize(static_cast<size_t>(big.width) * static_cast<size_t>(big.height));
  for (int y = 0; y < big.height; ++y)
    for (int x = 0; x < big.width; ++x) big.pixels[static_cast<size_t>(y) * static_cast<size_t>(big.width) + static_cast<size_t>(x)] = imp.image.at(x / 2, y / 2);
  auto t = extract_minutiae(big);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->width, big.width);
  EXPECT_EQ(t->x_resolution, 394);  // pixels per centimetre
  std::vector<Minutia> doubled = imp.truth.minutiae;
  for (Minutia& m : doubled) m.x = static_cast<uint16_t>(m.x * 2), m.y = static_cast<uint16_t>(m.y * 2);
  std::vector<Minutia> halved = t->views[0].minutiae;  // compare at 500 ppi, where 12 pixels is the tolerance
  for (Minutia& m : halved) m.x = static_cast<uint16_t>(m.x / 2), m.y = static_cast<uint16_t>(m.y / 2);
  const MinutiaeAgreement a = agreement(imp.truth.minutiae, halved);
  EXPECT_GE(a.near, a.truth * 8 / 10);
  EXPECT_FALSE(extract_minutiae(GrayImage{imp.image.width, imp.image.height, 100, imp.image.pixels}).ok());
}

TEST(ExtractorTest, BlankFlatOrTinyPrintsAreRefused) {
  auto blank = extract_minutiae(Flat(400, 500, 255));
  ASSERT_FALSE(blank.ok());
  EXPECT_NE(blank.error().find("blank or flat"), std::string::npos) << blank.error();
  // A small patch of ridges on an otherwise empty image.
  GrayImage speck = Flat(400, 500, 230);
  const GrayImage print = FingerImageGenerator(15).Impression(0, 0).image;
  for (int y = 230; y < 270; ++y)
    for (int x = 180; x < 220; ++x) speck.pixels[static_cast<size_t>(y) * 400 + static_cast<size_t>(x)] = print.at(x, y);
  auto small = extract_minutiae(speck);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().find("too little ridge area"), std::string::npos) << small.error();
  EXPECT_FALSE(extract_minutiae(Flat(30, 30, 0)).ok());
}

// `print` copied onto `canvas` with its top-left corner at (x0, y0).
void Paste(GrayImage& canvas, const GrayImage& print, int x0, int y0) {
  for (int y = 0; y < print.height; ++y)
    for (int x = 0; x < print.width; ++x)
      canvas.pixels[static_cast<size_t>(y0 + y) * static_cast<size_t>(canvas.width) + static_cast<size_t>(x0 + x)] = print.at(x, y);
}

// A four-finger slap: each print is read as its own view, left to right,
// and matches the same impression read alone better than its neighbours.
// All four found side by side, each is of the finger its place says: a
// right hand's index to little, a left hand's little to index.
TEST(ExtractorTest, ASlapGivesEachPrintLeftToRight) {
  FingerImageGenerator gen(17);
  GrayImage slap = Flat(4 * 400 + 3 * 100 + 80, 580, 255);
  std::vector<FingerPrint> alone;
  for (int f = 0; f < 4; ++f) {
    const GrayImage print = gen.Impression(f, 1).image;
    Paste(slap, print, 40 + f * 500, 40);
    auto t = extract_minutiae(print);
    ASSERT_TRUE(t.ok()) << t.error();
    alone.push_back(FingerPrint::From(t->views[0]));
  }
  auto left = extract_minutiae(slap, 14);
  ASSERT_TRUE(left.ok()) << left.error();
  ASSERT_EQ(left->views.size(), 4u);
  for (size_t k = 0; k < 4; ++k) EXPECT_EQ(left->views[k].finger, 10 - k) << "little to index";
  auto t = extract_minutiae(slap, 13);
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->views.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(t->views[k].finger, 2 + k) << "index to little";
    EXPECT_EQ(t->views[k].view, 0);
    const FingerPrint view = FingerPrint::From(t->views[k]);
    const double mate = compare(view, alone[k]);
    EXPECT_GE(mate, kDefaultThreshold) << "print " << k;
    for (size_t j = 0; j < 4; ++j)
      if (j != k) {
        EXPECT_LT(compare(view, alone[j]), mate) << "print " << k << " against " << j;
      }
  }
  auto stored = read_fmr(write_fmr(*t));
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_EQ(stored->views[2].finger, 4);
  // Read as one finger, the same image gives one print.
  auto one = extract_minutiae(slap, 3);
  ASSERT_TRUE(one.ok()) << one.error();
  ASSERT_EQ(one->views.size(), 1u);
  EXPECT_EQ(one->views[0].finger, 3);
  EXPECT_EQ(slap_prints(13), 4);
  EXPECT_EQ(slap_prints(15), 2);
  EXPECT_EQ(slap_prints(2), 1);
}

// A slap of three prints (a finger missing): which finger each is cannot
// be told, so each keeps the slap's position and is numbered by its
// place. Written as a minutiae record, such a print is of no known finger:
// the record has no code for it.
TEST(ExtractorTest, ASlapMissingAFingerKeepsItsPositionAndPlaces) {
  FingerImageGenerator gen(17);
  GrayImage slap = Flat(4 * 400 + 3 * 100 + 80, 580, 255);
  for (int f : {0, 2, 3}) Paste(slap, gen.Impression(f, 1).image, 40 + f * 500, 40);
  auto t = extract_minutiae(slap, 13);
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->views.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(t->views[k].finger, 13) << "which finger of the hand is not inferred";
    EXPECT_EQ(t->views[k].view, k) << "numbered left to right";
  }
  auto stored = read_fmr(write_fmr(*t));
  ASSERT_TRUE(stored.ok()) << stored.error();
  EXPECT_EQ(stored->views[2].finger, 0);
  EXPECT_EQ(stored->views[2].view, 2);
  // Both thumbs: the left one lies on the left.
  GrayImage thumbs = Flat(2 * 400 + 100 + 80, 580, 255);
  for (int f : {0, 1}) Paste(thumbs, gen.Impression(f, 1).image, 40 + f * 500, 40);
  auto two = extract_minutiae(thumbs, 15);
  ASSERT_TRUE(two.ok()) << two.error();
  ASSERT_EQ(two->views.size(), 2u);
  EXPECT_EQ(two->views[0].finger, 6);
  EXPECT_EQ(two->views[1].finger, 1);
}

// A slap taken with the fingers' lower joints below their tips, larger
// than the little finger's tip: the joints are left out, not taken for
// fingers, and the tips keep their fingers.
TEST(ExtractorTest, ASlapsLowerJointsAreLeftOut) {
  FingerImageGenerator gen(17);
  GrayImage slap = Flat(4 * 400 + 3 * 100 + 80, 900, 255);
  for (int f = 0; f < 3; ++f) Paste(slap, gen.Impression(f, 1).image, 40 + f * 500, 40);
  Paste(slap, crop(gen.Impression(3, 0).image, 100, 299, 150, 369), 1560, 150);  // a small little finger
  // Two joints: ridged areas under the index and the ring finger.
  for (int f : {0, 2}) Paste(slap, crop(gen.Impression(f + 10, 0).image, 80, 319, 150, 369), 120 + f * 500, 620);
  auto t = extract_minutiae(slap, 13);
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->views.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(t->views[k].finger, 2 + k);
    for (const Minutia& m : t->views[k].minutiae) EXPECT_LT(m.y, 560) << "a minutia of a joint in print " << k;
  }
}

// As on a ten-print card: a caption just above the print and ruled lines
// just below it, running past it on both sides, are not read as ridges.
TEST(ExtractorTest, LetteringAndLinesBesideThePrintAreNotRead) {
  const GrayImage print = FingerImageGenerator(18).Impression(2, 0).image;
  GrayImage card = Flat(640, 820, 245);
  Paste(card, print, 120, 150);
  auto dark = [&](int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) card.pixels[static_cast<size_t>(y) * 640 + static_cast<size_t>(x)] = 20;
  };
  for (int letter = 0; letter < 12; ++letter) {  // block capitals, 40 pixels high, strokes 6 wide
    const int x = 40 + letter * 48;
    dark(x, 104, x + 6, 144);
    dark(x, 104, x + 30, 110);
    if (letter % 2) dark(x + 24, 104, x + 30, 144);
    if (letter % 3) dark(x, 121, x + 30, 127);
  }
  dark(0, 656, 640, 660);  // ruled lines
  dark(30, 690, 610, 694);
  auto alone = extract_minutiae(print);
  auto t = extract_minutiae(card);
  ASSERT_TRUE(alone.ok() && t.ok());
  size_t outside = 0;
  for (const Minutia& m : t->views[0].minutiae) outside += m.x < 120 || m.x >= 520 || m.y < 150 || m.y >= 650;
  EXPECT_EQ(outside, 0u);
  EXPECT_GE(compare(FingerPrint::From(t->views[0]), FingerPrint::From(alone->views[0])), 50.0);
}

TEST(ExtractorTest, SameImageSameMinutiae) {
  const GrayImage g = FingerImageGenerator(16).Impression(3, 2).image;
  auto a = extract_minutiae(g), b = extract_minutiae(g);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->views, b->views);
}

}  // namespace
}  // namespace vigil
