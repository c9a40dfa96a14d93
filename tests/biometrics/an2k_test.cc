// ANSI/NIST-ITL transaction files built field by field: images, minutiae in
// both Type-9 forms, skipped records, and each kind of bad file.
#include "biometrics/an2k.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/file.h"
#include "biometrics/extractor.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "biometrics/matcher.h"
#include "synth/finger_image.h"

namespace vigil {
namespace {

const std::string GS = "\x1D", RS = "\x1E", US = "\x1F", FS = "\x1C";

// What the reader gives of an image record.
void ExpectImage(const An2kImage& image, int record_type, int finger, const std::string& compression, int width,
                 int height, int ppi) {
  EXPECT_EQ(image.record_type, record_type);
  EXPECT_EQ(image.finger, finger);
  EXPECT_EQ(image.compression, compression);
  EXPECT_EQ(image.width, width);
  EXPECT_EQ(image.height, height);
  EXPECT_EQ(image.ppi, ppi);
}

using Fields = std::vector<std::pair<int, std::string>>;

std::string Two(int idc) { return (idc < 10 ? "0" : "") + std::to_string(idc); }

std::string Tag(int type, int number) {
  std::string n = std::to_string(number);
  return std::to_string(type) + "." + std::string(3 - std::min<size_t>(3, n.size()), '0') + n + ":";
}

// A tagged record: "T.001:" and its length, then `fields`, then FS. `len`
// replaces the length it would give.
std::string Tagged(int type, const Fields& fields, long len = -1) {
  std::string rest;
  for (const auto& [number, value] : fields) rest += GS + Tag(type, number) + value;
  rest += FS;
  const std::string head = Tag(type, 1);
  size_t total = head.size() + 1 + rest.size();
  while (head.size() + std::to_string(total).size() + rest.size() != total)
    total = head.size() + std::to_string(total).size() + rest.size();
  return head + std::to_string(len >= 0 ? static_cast<size_t>(len) : total) + rest;
}

Fields With(Fields fields, int number, const std::string& value) {
  for (auto& f : fields)
    if (f.first == number) {
      f.second = value;
      return fields;
    }
  // In order of number, so that 999 (binary data to the record's end) stays last.
  auto at = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first > number; });
  fields.emplace(at, number, value);
  return fields;
}

Fields Without(Fields fields, int number) {
  std::erase_if(fields, [&](const auto& f) { return f.first == number; });
  return fields;
}

void Put(std::string* s, uint32_t v, int n) {
  for (int i = n - 1; i >= 0; --i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

struct Record {
  int type = 0;
  int idc = 0;
  std::string bytes;
};

// The Type-1 fields for `records`: 1.003 lists them in order.
Fields Header(const std::vector<Record>& records) {
  std::string cnt = "1" + US + std::to_string(records.size());
  for (const Record& r : records) cnt += RS + std::to_string(r.type) + US + Two(r.idc);
  return {{2, "0400"}, {3, cnt},          {4, "CAR"},       {5, "20240131"},
          {7, "DAI000001"}, {8, "ORI000001"}, {9, "TCN-0001"}, {11, "19.69"}, {12, "19.69"}};
}

std::string File(const std::vector<Record>& records, const Fields& header) {
  std::string out = Tagged(1, header);
  for (const Record& r : records) out += r.bytes;
  return out;
}

std::string File(const std::vector<Record>& records) { return File(records, Header(records)); }

// A Type-4 record: 18 header bytes (LEN, IDC, IMP, FGP x6, ISR, HLL, VLL,
// GCA), then the image.
std::string Type4(int idc, int finger, int width, int height, int gca, const std::string& data, int isr = 0) {
  std::string r;
  Put(&r, static_cast<uint32_t>(18 + data.size()), 4);
  Put(&r, idc, 1);
  Put(&r, 1, 1);  // rolled
  Put(&r, finger, 1);
  r.append(5, '\xff');
  Put(&r, isr, 1);
  Put(&r, width, 2);
  Put(&r, height, 2);
  Put(&r, gca, 1);
  return r + data;
}

Fields Type14(int idc, const std::string& data) {
  return {{2, Two(idc)}, {3, "1"}, {4, "ORI000001"}, {5, "20240131"}, {6, "4"},  {7, "3"},  {8, "1"},
          {9, "500"},    {10, "500"}, {11, "PNG"},    {12, "8"},       {13, "2"}, {999, data}};
}

// The same two minutiae as fmr_test's ANSI records: (100,120) ridge ending
// at 90 degrees, quality 70; (250,300) bifurcation at 358 degrees, 90.
Fields Type9Block(int idc) {
  return {{2, Two(idc)},
          {3, "0"},
          {4, "S"},
          {126, "27" + US + "513" + US + "0"},
          {127, "0" + US + "0"},
          {128, "400"},
          {129, "500"},
          {130, "2"},
          {131, "197"},
          {132, "197"},
          {133, "0"},
          {134, "2"},
          {135, "80" + US + "255" + US + "1"},
          {136, "2"},
          {137, "1" + US + "100" + US + "120" + US + "45" + US + "1" + US + "70" + RS + "2" + US + "250" + US + "300" +
                   US + "179" + US + "2" + US + "90"}};
}

// The same minutiae in the legacy form: 0.01 mm from the bottom-left of a
// 400x500 image at 500 ppi, pointing the other way, with ridge counts.
Fields Type9Legacy(int idc) {
  return {{2, Two(idc)},
          {3, "0"},
          {4, "S"},
          {5, "U"},
          {6, "2"},
          {10, "2"},
          {11, "1"},
          {12, "001" + US + "05081930270" + US + "10" + US + "A" + US + "002,5" + RS + "002" + US + "12701016178" + US +
                   "20" + US + "B" + US + "001,5"}};
}

const std::vector<Minutia> kMinutiae = {{100, 120, 64, 1, 70}, {250, 300, 255, 2, 90}};

TEST(An2kTest, TellsItsFilesApart) {
  EXPECT_TRUE(is_an2k(File({})));
  EXPECT_FALSE(is_an2k(std::string("FMR\0 20\0", 8)));
  EXPECT_FALSE(is_an2k(""));
}

TEST(An2kTest, Type4RawImageIsCarried) {
  const std::string pixels = "abcdefghijkl";  // 4 x 3, 8 bits
  auto t = read_an2k(File({{4, 1, Type4(1, 2, 4, 3, 0, pixels)}}));
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->transaction_type, "CAR");
  EXPECT_TRUE(t->templates.empty());
  ASSERT_EQ(t->images.size(), 1u);
  const An2kImage& image = t->images[0];
  ExpectImage(image, 4, 2, "NONE", 4, 3, 500);
  EXPECT_EQ(image.bits_per_pixel, 8);
  EXPECT_EQ(image.data, pixels);
}

TEST(An2kTest, Type4NativeResolutionAndCompressionCodes) {
  const std::vector<Record> records = {{4, 1, Type4(1, 7, 4, 3, 1, "WSQ-bytes", 1)},
                                       {4, 2, Type4(2, 8, 4, 3, 6, "png-bytes")},
                                       {4, 3, Type4(3, 9, 4, 3, 3, "jpegl")},
                                       {4, 4, Type4(4, 10, 4, 3, 200, "vendor")}};
  auto t = read_an2k(File(records, With(Header(records), 11, "39.37")));
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->images.size(), 4u);
  EXPECT_EQ(t->images[0].compression, "WSQ");
  EXPECT_EQ(t->images[0].ppi, 1000) << "1.011 NSR of 39.37 pixels per millimetre";
  EXPECT_EQ(t->images[1].compression, "PNG");
  EXPECT_EQ(t->images[1].ppi, 500);
  EXPECT_EQ(t->images[2].compression, "JPEG-LOSSLESS");
  EXPECT_EQ(t->images[3].compression, "OTHER");
  EXPECT_EQ(t->images[3].finger, 10);
}

TEST(An2kTest, Type14PngIsCarriedWithItsSeparatorBytes) {
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + GS + FS + RS + US + "IDAT";
  auto t = read_an2k(File({{14, 1, Tagged(14, Type14(1, png))}}));
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->images.size(), 1u);
  const An2kImage& image = t->images[0];
  ExpectImage(image, 14, 2, "PNG", 4, 3, 500);
  EXPECT_EQ(image.data, png);

  auto ppcm = read_an2k(File({{14, 1, Tagged(14, With(With(Type14(1, png), 8, "2"), 9, "394"))}}));
  ASSERT_TRUE(ppcm.ok()) << ppcm.error();
  EXPECT_EQ(ppcm->images.at(0).ppi, 1001) << "394 pixels per centimetre";
  auto raw = read_an2k(File({{14, 1, Tagged(14, With(With(Type14(1, "123456"), 11, "NONE"), 12, "4"))}}));
  ASSERT_TRUE(raw.ok()) << raw.error();
  EXPECT_EQ(raw->images.at(0).bits_per_pixel, 4);
  EXPECT_EQ(raw->images.at(0).compression, "NONE");
  auto wsq = read_an2k(File({{14, 1, Tagged(14, With(Type14(1, png), 11, "WSQ20"))}}));
  ASSERT_TRUE(wsq.ok()) << wsq.error();
  EXPECT_EQ(wsq->images.at(0).compression, "WSQ");
}

TEST(An2kTest, Type9With378BlockReadsLikeTheFingerMinutiaeRecord) {
  auto t = read_an2k(File({{9, 1, Tagged(9, Type9Block(1))}}));
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->templates.size(), 1u);
  const FingerTemplate& f = t->templates[0];
  EXPECT_EQ(f.width, 400);
  EXPECT_EQ(f.height, 500);
  EXPECT_EQ(f.x_resolution, 197);
  ASSERT_EQ(f.views.size(), 1u);
  EXPECT_EQ(f.views[0].finger, 2);
  EXPECT_EQ(f.views[0].quality, 80);
  EXPECT_EQ(f.views[0].minutiae, kMinutiae);

  auto ppi = read_an2k(File({{9, 1, Tagged(9, With(With(With(Type9Block(1), 130, "1"), 131, "1000"), 132, "1000"))}}));
  ASSERT_TRUE(ppi.ok()) << ppi.error();
  EXPECT_EQ(ppi->templates.at(0).x_resolution, 394) << "1000 ppi in pixels per centimetre";
}

TEST(An2kTest, LegacyType9IsPlacedInItsImageFromTheTopLeft) {
  auto t = read_an2k(File({{4, 1, Type4(1, 2, 400, 500, 1, "wsq")}, {9, 1, Tagged(9, Type9Legacy(1))}}));
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->templates.size(), 1u);
  const FingerTemplate& f = t->templates[0];
  EXPECT_EQ(f.width, 400);
  EXPECT_EQ(f.height, 500);
  EXPECT_EQ(f.x_resolution, 197);
  ASSERT_EQ(f.views.size(), 1u);
  EXPECT_EQ(f.views[0].finger, 2);
  ASSERT_EQ(f.views[0].minutiae.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    Minutia expected = kMinutiae[i];
    expected.quality = 0;  // the legacy confidence is not carried
    EXPECT_EQ(f.views[0].minutiae[i], expected) << i;
  }
  // The image may follow the minutiae.
  auto after = read_an2k(File({{9, 1, Tagged(9, Type9Legacy(1))}, {4, 1, Type4(1, 2, 400, 500, 1, "wsq")}}));
  ASSERT_TRUE(after.ok()) << after.error();
  EXPECT_EQ(after->templates.at(0).views.at(0).minutiae, t->templates[0].views[0].minutiae);
}

TEST(An2kTest, LegacyType9WithoutAnImageKeepsTheShape) {
  auto t = read_an2k(File({{9, 3, Tagged(9, Type9Legacy(3))}, {4, 1, Type4(1, 2, 400, 500, 1, "wsq")}}));
  ASSERT_TRUE(t.ok()) << t.error();
  const FingerTemplate& f = t->templates.at(0);
  EXPECT_EQ(f.width, 0);
  EXPECT_EQ(f.height, 0);
  const auto& m = f.views.at(0).minutiae;
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].y, 0) << "the topmost minutia";
  EXPECT_EQ(m[1].y - m[0].y, 180);
  EXPECT_EQ(m[0].x, 100);
  EXPECT_EQ(m[1].x, 250);
  EXPECT_EQ(m[0].angle, 64);
}

TEST(An2kTest, OtherRecordsAreSkippedByTheirLength) {
  const std::string binary_junk = "abc" + FS + GS + "999:" + FS;
  const std::vector<Record> records = {
      {2, 0, Tagged(2, {{2, "00"}, {18, "DOE" + US + "JOHN"}})},
      {10, 5, Tagged(10, {{2, "05"}, {3, "FACE"}, {999, binary_junk}})},
      {7, 6, [] {
         std::string r;
         Put(&r, 9, 4);
         Put(&r, 6, 1);
         return r + "user";
       }()},
      {14, 1, Tagged(14, Type14(1, "png"))},
  };
  auto t = read_an2k(File(records));
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_TRUE(t->templates.empty());
  ASSERT_EQ(t->images.size(), 1u);
  EXPECT_EQ(t->images[0].data, "png");
}

// Each bad file is refused with the byte offset, record type and field.
class An2kRefusalTest : public ::testing::Test {
 protected:
  void Refused(const std::string& file, const std::string& expected) {
    auto r = read_an2k(file);
    ASSERT_FALSE(r.ok()) << expected;
    SCOPED_TRACE(r.error());
    EXPECT_EQ(r.error().rfind("ANSI/NIST-ITL file: at byte ", 0), 0u) << r.error();
    EXPECT_NE(r.error().find(expected), std::string::npos) << r.error();
  }
};

TEST_F(An2kRefusalTest, Type1) {
  const std::vector<Record> none;
  const std::string good = File(none);
  Refused("", "at byte 0: Type-1 record: the file is empty");
  Refused("FMR", "at byte 0: Type-1 record: does not start \"1.001:\" (not an ANSI/NIST-ITL file)");
  Refused("01.001:12" + GS, "at byte 0: Type-1 record: does not start \"1.001:\"");
  Refused("1.001:x" + GS, "Type-1 record: 1.001 LEN: \"x\" is not a number");
  Refused(Tagged(1, Header(none), 5000), "at byte 6: Type-1 record: 1.001 LEN: 5000 but the file has");
  Refused(Tagged(1, Header(none), 20), "1.001 LEN: 20 but byte 19 is not the record separator (FS)");
  Refused(Tagged(1, Header(none), 3), "1.001 LEN: 3 is shorter than the field itself");
  Refused(File(none, Without(Header(none), 4)), "at byte 0: Type-1 record: 1.004 TOT: missing");
  Refused(File(none, Without(Header(none), 3)), "Type-1 record: 1.003 CNT: missing");
  Refused(File(none, Without(Header(none), 9)), "Type-1 record: 1.009 TCN: missing");
  Refused(File(none, With(Header(none), 2, "0999")), "Type-1 record: 1.002 VER: \"0999\" is not a version");
  Refused(File(none, With(Header(none), 5, "2024-1-1")), "Type-1 record: 1.005 DAT: \"2024-1-1\" is not a date");
  Refused(File(none, With(Header(none), 11, "19.x")), "Type-1 record: 1.011 NSR: \"x\" is not a number");
  Refused(File(none, With(Header(none), 3, "1" + US + "2" + RS + "4" + US + "01")),
          "1.003 CNT: 2 records but 1 are listed");
  Refused(File(none, With(Header(none), 3, "1" + US + "1" + RS + "4" + US + "01")),
          "Type-4 record: the file ends before this record, number 2 of the 2 1.003 CNT lists");
  Refused(File(none, With(Header(none), 3, "1" + US + "1" + RS + "4" + US + "xx")), "1.003 CNT: \"xx\" is not a number");
  Refused(File(none, With(Header(none), 3, "1" + US + "1" + RS + "1" + US + "00")),
          "1.003 CNT: record type 1 after the Type-1 record");
  Fields twice = Header(none);
  twice.emplace_back(4, "ARR");
  Refused(File(none, twice), "Type-1 record: 1.004 TOT: appears twice");
  Refused(good + "junk", "at byte " + std::to_string(good.size()) + ": after the last record: 4 bytes");
  std::string bad_tag = good;
  bad_tag.replace(bad_tag.find(GS + "1.004:"), 7, GS + "1x004:");
  Refused(bad_tag, "Type-1 record: field tag: \"1x004:CAR");
  std::string other_type = good;
  other_type.replace(other_type.find(GS + "1.004:"), 7, GS + "2.004:");
  Refused(other_type, "Type-1 record: field tag: field 2.4 belongs to a Type-2 record");
}

TEST_F(An2kRefusalTest, RecordsThatDoNotMatchTheirListing) {
  const std::string t9 = Tagged(9, Type9Block(1));
  // 1.003 says Type-14, the bytes are a Type-9 record.
  const std::vector<Record> listed = {{14, 1, t9}};
  const size_t at = Tagged(1, Header(listed)).size();
  Refused(File(listed), "at byte " + std::to_string(at) + ": Type-14 record: does not start \"14.001:\"");
  Refused(File({{9, 2, t9}}), "Type-9 record: 9.002 IDC: 1 but 1.003 CNT gives this record IDC 2");
  const std::vector<Record> binary = {{4, 2, Type4(1, 2, 4, 3, 0, "abcdefghijkl")}};
  Refused(File(binary), "at byte " + std::to_string(Tagged(1, Header(binary)).size() + 4) +
                            ": Type-4 record: 4.002 IDC: 1 but 1.003 CNT gives this record IDC 2");
  Refused(File({{2, 1, Tagged(2, {{3, "x"}})}}), "Type-2 record: 2.002 IDC: missing as the second field");
  // A record whose length runs into the next one meets its FS early.
  const std::string t2 = Tagged(2, {{2, "00"}, {18, "DOE"}});
  const std::vector<Record> two = {{9, 1, Tagged(9, Type9Block(1), static_cast<long>(t9.size() + t2.size()))},
                                   {2, 0, t2}};
  Refused(File(two), "Type-9 record: 9.137 FMD: a record separator (FS) before the record's end");
}

TEST_F(An2kRefusalTest, Type4) {
  const std::string pixels = "abcdefghijkl";
  auto file = [](const std::string& record) { return File({{4, 1, record}}); };
  const size_t at = Tagged(1, Header({{4, 1, ""}})).size();
  std::string long_len = Type4(1, 2, 4, 3, 0, pixels);
  long_len[3] = 100;
  Refused(file(long_len), "at byte " + std::to_string(at) + ": Type-4 record: 4.001 LEN: 100 but the file has 30");
  std::string short_len = Type4(1, 2, 4, 3, 0, pixels);
  short_len[3] = 18;
  Refused(file(short_len), "4.001 LEN: 18 leaves no room for the 18-byte header and an image");
  Refused(file(Type4(1, 2, 4, 3, 0, pixels).substr(0, 10)), "Type-4 record: header: the file ends 10 bytes into");
  Refused(file(Type4(1, 2, 4, 3, 0, "abc")), "at byte " + std::to_string(at + 18) +
                                                 ": Type-4 record: 4.009 DATA: 3 bytes but an uncompressed 4x3 image takes 12");
  Refused(file(Type4(1, 2, 0, 3, 1, "wsq")), "Type-4 record: 4.006 HLL: 0 pixels");
  Refused(file(Type4(1, 2, 4, 0, 1, "wsq")), "Type-4 record: 4.007 VLL: 0 pixels");
  Refused(file(Type4(1, 20, 4, 3, 1, "wsq")), "at byte " + std::to_string(at + 6) + ": Type-4 record: 4.004 FGP: 20");
  Refused(file(Type4(1, 2, 4, 3, 1, "wsq", 2)), "Type-4 record: 4.005 ISR: 2 is not 0");
  Refused(File({{4, 1, Type4(1, 2, 4, 3, 1, "wsq", 1)}}, Without(Header({{4, 1, ""}}), 11)),
          "4.005 ISR: 1 (native resolution) but 1.011 NSR is missing");
}

TEST_F(An2kRefusalTest, Type14) {
  auto file = [](const Fields& fields) { return File({{14, 1, Tagged(14, fields)}}); };
  const Fields good = Type14(1, "png");
  Refused(file(Without(good, 6)), "Type-14 record: 14.006 HLL: missing");
  Refused(file(With(good, 7, "3x")), "Type-14 record: 14.007 VLL: \"3x\" is not a number");
  Refused(file(With(good, 7, "70000")), "14.007 VLL: \"70000\" is over 65535");
  Refused(file(With(good, 8, "3")), "14.008 SLC: 3 is not 0, 1 (ppi) or 2 (ppcm)");
  Refused(file(Without(good, 9)), "14.009 THPS: missing");
  Refused(file(Without(good, 11)), "14.011 CGA: missing");
  Refused(file(With(good, 12, "0")), "14.012 BPX: 0 bits per pixel");
  Refused(file(Without(good, 13)), "14.013 FGP: missing");
  Refused(file(With(good, 13, "x")), "14.013 FGP: \"x\" is not a number");
  Refused(file(Without(good, 999)), "14.999 DATA: missing");
  Refused(file(With(good, 999, "")), "14.999 DATA: an empty image");
  Refused(file(With(With(good, 11, "NONE"), 999, "abc")),
          "14.999 DATA: 3 bytes but an uncompressed 4x3 image of 8 bits per pixel takes 12");
  // 14.021 SEG: finger, left, right, top, bottom, each box inside the 4x3 image.
  Refused(file(With(good, 21, "2" + US + "0" + US + "1" + US + "0")), "14.021 SEG: a segment has 5 items");
  Refused(file(With(good, 21, "11" + US + "0" + US + "1" + US + "0" + US + "2")), "14.021 SEG: \"11\" is over 10");
  Refused(file(With(good, 21, "2" + US + "0" + US + "4" + US + "0" + US + "2")), "14.021 SEG: \"4\" is over 3");
  Refused(file(With(good, 21, "2" + US + "0" + US + "1" + US + "0" + US + "3")), "14.021 SEG: \"3\" is over 2");
  Refused(file(With(good, 21, "2" + US + "2" + US + "1" + US + "0" + US + "2")),
          "14.021 SEG: a segment's left or top edge is past its right or bottom");
  auto read = read_an2k(file(With(good, 21, "2" + US + "0" + US + "1" + US + "0" + US + "2" + RS + "3" + US + "2" + US + "3" +
                                                 US + "1" + US + "2")));
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read->images.at(0).segments, (std::vector<An2kSegment>{{2, 0, 1, 0, 2}, {3, 2, 3, 1, 2}}));
  EXPECT_TRUE(read_an2k(file(good))->images.at(0).segments.empty());
}

TEST_F(An2kRefusalTest, Type9) {
  auto file = [](const Fields& fields) { return File({{9, 1, Tagged(9, fields)}}); };
  const Fields block = Type9Block(1);
  const std::string one = "1" + US + "100" + US + "120" + US + "45" + US + "1" + US + "70";
  Refused(file(Without(block, 4)), "Type-9 record: 9.004 FMT: missing");
  Refused(file(With(block, 4, "X")), "9.004 FMT: \"X\" is not S or U");
  Refused(file(Without(block, 128)), "Type-9 record: 9.128 HLL: missing");
  Refused(file(With(block, 130, "0")), "9.130 SLC: 0 is not 1 (ppi) or 2 (ppcm)");
  Refused(file(With(block, 134, "11")), "9.134 FGP: \"11\" is over 10");
  Refused(file(With(block, 133, "16")), "9.133 FVW: \"16\" is over 15");
  Refused(file(With(block, 136, "3")), "9.137 FMD: 2 minutiae but 9.136 NOM says 3");
  Refused(file(Without(block, 137)), "9.137 FMD: missing with 2 minutiae");
  Refused(file(With(With(block, 136, "1"), 137, "1" + US + "100")), "9.137 FMD: a minutia has 6 items");
  Refused(file(With(With(block, 136, "1"), 137, "1" + US + "400" + US + "120" + US + "45" + US + "1" + US + "70")),
          "9.137 FMD: \"400\" is over 399");
  Refused(file(With(With(block, 136, "1"), 137, "1" + US + "100" + US + "500" + US + "45" + US + "1" + US + "70")),
          "9.137 FMD: \"500\" is over 499");
  Refused(file(With(With(block, 136, "1"), 137, "1" + US + "100" + US + "120" + US + "180" + US + "1" + US + "70")),
          "9.137 FMD: \"180\" is over 179");
  Refused(file(With(With(block, 136, "1"), 137, "1" + US + "100" + US + "120" + US + "45" + US + "3" + US + "70")),
          "9.137 FMD: \"3\" is over 2");
  Refused(file(With(block, 135, "101" + US + "0" + US + "0")), "9.135 FQD: 101 is over 100");

  const Fields legacy = Type9Legacy(1);
  auto minutia = [&](const std::string& xyt, const std::string& quality, const std::string& type) {
    return With(With(legacy, 10, "1"), 12, "001" + US + xyt + US + quality + US + type);
  };
  Refused(file(Without(legacy, 10)), "9.010 MIN: missing");
  Refused(file(With(legacy, 10, "3")), "9.012 MRC: 2 minutiae but 9.010 MIN says 3");
  Refused(file(minutia("0508193027", "10", "A")), "9.012 MRC: \"0508193027\" is not XXXXYYYYTTT");
  Refused(file(minutia("05081930360", "10", "A")), "9.012 MRC: \"360\" is over 359");
  Refused(file(minutia("0508x930270", "10", "A")), "9.012 MRC: \"x930\" is not a number");
  Refused(file(minutia("05081930270", "64", "A")), "9.012 MRC: \"64\" is over 63");
  Refused(file(minutia("05081930270", "10", "E")), "9.012 MRC: \"E\" is not a minutia type (A, B, C or D)");
  Refused(file(With(With(legacy, 10, "1"), 12, "001" + US + "05081930270")), "9.012 MRC: a minutia has at least 4 items");
  Refused(file(With(legacy, 6, "13")), "9.006 FGP: 13 is not a single finger (0-10)");
  // Outside the 400x500 image of the same IDC: x 2032 is 400 pixels.
  Refused(File({{4, 1, Type4(1, 2, 400, 500, 1, "wsq")}, {9, 1, Tagged(9, minutia("20321930270", "10", "A"))}}),
          "Type-9 record: 9.012 MRC: minutia at 2032,1930 (0.01 mm) lies outside the 400x500 image of IDC 1");
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// A frontline probe from a transaction: minutiae from its Type-9 record, or
// extracted from its finger images when it has none.
TEST(An2kProbeTest, TransactionsAreReadAsFingerprints) {
  const Record minutiae{9, 1, Tagged(9, Type9Block(1))};
  auto probe = read_biometric(File({minutiae}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->finger.views.size(), 1u);
  EXPECT_EQ(probe->finger.views[0].minutiae.size(), 2u);

  FingerImageGenerator gen(21);
  const FingerImpression first = gen.Impression(2, 1), second = gen.Impression(2, 2);
  const std::string raw(first.image.pixels.begin(), first.image.pixels.end());
  const Record image{4, 1, Type4(1, 3, first.image.width, first.image.height, 0, raw)};
  auto from_image = read_biometric(File({image}));
  ASSERT_TRUE(from_image.ok()) << from_image.error();
  ASSERT_EQ(from_image->finger.views.size(), 1u);
  EXPECT_EQ(from_image->finger.views[0].finger, 3);
  auto other = extract_minutiae(second.image);
  ASSERT_TRUE(other.ok());
  EXPECT_GE(compare(FingerPrint::From(other->views[0]), FingerPrint::From(from_image->finger.views[0])), kDefaultThreshold);

  const Record wsq{4, 1, Type4(1, 3, 400, 500, 1, "\xff\xa0\xff\xa8")};  // a broken WSQ image
  auto refused = read_biometric(File({wsq}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("Type-4 image of finger 3: WSQ image: at byte 2: COM:"), std::string::npos) << refused.error();
  EXPECT_FALSE(read_biometric(File({minutiae}), BioKind::kFace).ok());
}

// A Type-14 image in JPEG 2000 (14.011 "JP2L", as INTERPOL's profile
// allows) gives the minutiae of the image it holds.
TEST(An2kProbeTest, AJpeg2000FingerImageIsRead) {
  auto jp2 = read_file(std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/jp2/sample.jp2");
  auto png = read_file(std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/wsq/sample.png");
  ASSERT_TRUE(jp2.ok() && png.ok());
  const Fields fields = With(With(With(Type14(1, *jp2), 6, "545"), 7, "622"), 11, "JP2L");
  auto probe = read_biometric(File({{14, 1, Tagged(14, fields)}}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->finger.views.size(), 1u);
  EXPECT_EQ(probe->finger.views[0].finger, 2);
  auto image = decode_image(*png);
  ASSERT_TRUE(image.ok());
  auto direct = extract_minutiae(*image, 2);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(probe->finger.views[0].minutiae, direct->views[0].minutiae) << "lossless: the same pixels";
  // A damaged one is refused with the record named.
  auto damaged = read_biometric(File({{14, 1, Tagged(14, With(fields, 999, jp2->substr(0, 4000)))}}));
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().find("Type-14 image of finger 2: JPEG 2000 image:"), std::string::npos) << damaged.error();
}

// A slap whose record says where each finger lies (14.021) is read finger
// by finger, each view at its position and in the slap's pixels.
TEST(An2kProbeTest, ASlapWithSegmentsIsReadFingerByFinger) {
  FingerImageGenerator gen(22);
  GrayImage slap;
  slap.width = 4 * 400 + 3 * 100 + 80;
  slap.height = 580;
  slap.pixels.assign(static_cast<size_t>(slap.width) * static_cast<size_t>(slap.height), 255);
  std::vector<FingerPrint> alone;
  std::string seg;
  for (int f = 0; f < 4; ++f) {
    const GrayImage print = gen.Impression(f, 1).image;
    const int x0 = 40 + f * 500;
    for (int y = 0; y < print.height; ++y)
      for (int x = 0; x < print.width; ++x)
        slap.pixels[static_cast<size_t>(40 + y) * static_cast<size_t>(slap.width) + static_cast<size_t>(x0 + x)] = print.at(x, y);
    auto t = extract_minutiae(print);
    ASSERT_TRUE(t.ok()) << t.error();
    alone.push_back(FingerPrint::From(t->views[0]));
    seg += (f ? RS : "") + std::to_string(2 + f) + US + std::to_string(x0 - 20) + US + std::to_string(x0 + 420) + US + "20" + US +
           "560";
  }
  Fields fields = Type14(1, encode_png(slap));
  fields = With(With(With(fields, 6, std::to_string(slap.width)), 7, std::to_string(slap.height)), 13, "13");
  auto probe = read_biometric(File({{14, 1, Tagged(14, With(fields, 21, seg))}}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  ASSERT_EQ(probe->finger.views.size(), 4u);
  for (size_t k = 0; k < 4; ++k) {
    const FingerView& view = probe->finger.views[k];
    EXPECT_EQ(view.finger, 2 + k);
    for (const Minutia& m : view.minutiae) {
      EXPECT_GE(m.x, 40 + 500 * k);
      EXPECT_LT(m.x, 440 + 500 * k);
    }
    const double mate = compare(FingerPrint::From(view), alone[k]);
    EXPECT_GE(mate, kDefaultThreshold) << "finger " << 2 + k;
    for (size_t j = 0; j < 4; ++j)
      if (j != k) {
        EXPECT_LT(compare(FingerPrint::From(view), alone[j]), mate) << k << " against " << j;
      }
  }
  // A box too small to hold a print is refused, with the finger named.
  auto refused = read_biometric(File({{14, 1, Tagged(14, With(fields, 21, "4" + US + "0" + US + "40" + US + "0" + US + "40"))}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("Type-14 image of finger 13: finger 4 (14.021): fingerprint image: too small"), std::string::npos)
      << refused.error();
}

// NIST's reference transactions (tests/biometrics/data/nist/README.md):
// files written by others, read as the standard means them.
std::string Nist(const std::string& name) {
  auto bytes = read_file(std::string(VIGIL_SOURCE_DIR) + "/tests/biometrics/data/nist/" + name);
  return bytes.ok() ? *bytes : "";
}

TEST(An2kNistTest, BothType9FormsOfOneFingerAgree) {
  auto legacy = read_an2k(Nist("type-9-14-std.an2"));
  auto block = read_an2k(Nist("type-9-14-m1.an2"));
  ASSERT_TRUE(legacy.ok()) << legacy.error();  // 1.011 NSR "00.00": no native resolution
  ASSERT_TRUE(block.ok()) << block.error();
  ASSERT_EQ(legacy->templates.size(), 1u);
  ASSERT_EQ(block->templates.size(), 1u);
  const FingerView& a = legacy->templates[0].views.at(0);
  const FingerView& b = block->templates[0].views.at(0);
  EXPECT_EQ(a.finger, 8);
  EXPECT_EQ(b.finger, 8);
  ASSERT_EQ(a.minutiae.size(), 48u);
  ASSERT_EQ(b.minutiae.size(), 48u);
  // The legacy form (0.01 mm from the bottom left, pointing away from the
  // ridge) lands where the INCITS 378 form puts each minutia, to rounding.
  for (size_t i = 0; i < a.minutiae.size(); ++i) {
    EXPECT_NEAR(a.minutiae[i].x, b.minutiae[i].x, 1) << i;
    EXPECT_NEAR(a.minutiae[i].y, b.minutiae[i].y, 1) << i;
    const int turn = (a.minutiae[i].angle - b.minutiae[i].angle) & 255;
    EXPECT_LE(std::min(turn, 256 - turn), 1) << i;
  }
  ASSERT_EQ(block->images.size(), 1u);
  const An2kImage& image = block->images[0];
  ExpectImage(image, 14, 8, "NONE", 800, 768, 500);
  // Minutiae extracted from the image (an inked print on a card) match the
  // ones the file gives for it.
  auto pixels = raw_image(image.data, image.width, image.height, image.ppi);
  ASSERT_TRUE(pixels.ok()) << pixels.error();
  auto extracted = extract_minutiae(*pixels, image.finger);
  ASSERT_TRUE(extracted.ok()) << extracted.error();
  EXPECT_GE(compare(FingerPrint::From(extracted->views[0]), FingerPrint::From(b)), kDefaultThreshold);
}

TEST(An2kNistTest, TenPrintCardHasFourteenWsqImages) {
  auto card = read_an2k(Nist("type-4-tpcard.an2"));
  ASSERT_TRUE(card.ok()) << card.error();
  ASSERT_EQ(card->images.size(), 14u);
  for (const An2kImage& image : card->images) {
    EXPECT_EQ(image.record_type, 4);
    EXPECT_EQ(image.compression, "WSQ");
    EXPECT_EQ(image.ppi, 500);
  }
  EXPECT_EQ(card->images[0].finger, 1);
  EXPECT_EQ(card->images[0].width, 804);
  EXPECT_EQ(card->images[0].height, 752);
}

// On NIST's card, plain prints (a thumb's own image, or one print of a
// four-finger slap) taken as probes match their rolled fingers, each slap
// print is given the finger it is of, and slap
// prints, which have few minutiae, rarely match the other hand's rolled
// fingers, which have many: 1 of 160 comparisons does today (a slap print
// of 22 minutiae); without the larger print's density in the score, 20 do.
TEST(An2kNistTest, CardFingersMatchTheirPlainPrintsAndNotTheOtherHands) {
  auto card = read_an2k(Nist("type-4-tpcard.an2"));
  ASSERT_TRUE(card.ok()) << card.error();
  std::map<int, std::vector<FingerPrint>> prints;  // by the image's position
  std::map<int, std::vector<int>> fingers;         // the fingers of its views
  for (const An2kImage& image : card->images) {
    auto pixels = decode_image(image.data, image.ppi);
    ASSERT_TRUE(pixels.ok()) << pixels.error();
    pixels->ppi = image.ppi;  // the record's resolution, not the WSQ comment's
    auto t = extract_minutiae(*pixels, image.finger);
    ASSERT_TRUE(t.ok()) << t.error();
    for (const FingerView& v : t->views) prints[image.finger].push_back(FingerPrint::From(v)), fingers[image.finger].push_back(v.finger);
  }
  ASSERT_EQ(prints[13].size(), 4u);
  ASSERT_EQ(prints[14].size(), 4u);
  // The slap print nearest a fingertip, placed on the image by eye.
  auto at = [&](int slap, int x, int y) {
    const FingerPrint* nearest = nullptr;
    double best = 1e9;
    for (const FingerPrint& p : prints[slap]) {
      double cx = 0, cy = 0;
      for (const Minutia& m : p.minutiae()) cx += m.x, cy += m.y;
      const double d = std::hypot(cx / double(p.minutiae().size()) - x, cy / double(p.minutiae().size()) - y);
      if (d < best) best = d, nearest = &p;
    }
    EXPECT_LT(best, 160) << "no print near the fingertip at " << x << ", " << y;
    return nearest;
  };
  const std::pair<int, const FingerPrint*> mates[] = {
      {1, &prints[11][0]}, {3, at(13, 550, 264)}, {7, at(14, 1279, 369)}, {8, at(14, 910, 173)}};
  for (const auto& [finger, plain] : mates) {
    EXPECT_GE(compare(*plain, prints[finger][0]), kDefaultThreshold) << "finger " << finger;
  }
  // Each slap's four prints were found side by side, so each is of the
  // finger its place says, and scores highest against that rolled finger
  // of the four of its hand.
  for (int slap : {13, 14})
    for (size_t k = 0; k < 4; ++k) {
      const int finger = slap == 13 ? 2 + int(k) : 10 - int(k);
      EXPECT_EQ(fingers[slap][k], finger) << "slap " << slap << " print " << k;
      const double own = compare(prints[slap][k], prints[finger][0]);
      for (int other = slap == 13 ? 2 : 7; other <= (slap == 13 ? 5 : 10); ++other)
        if (other != finger) {
          EXPECT_GT(own, compare(prints[slap][k], prints[other][0])) << "slap " << slap << " print " << k << " against " << other;
        }
    }
  int over = 0;
  for (int finger = 1; finger <= 10; ++finger)
    for (const FingerPrint& plain : prints[finger <= 5 ? 14 : 13])
      over += (compare(plain, prints[finger][0]) >= kDefaultThreshold) + (compare(prints[finger][0], plain) >= kDefaultThreshold);
  EXPECT_LE(over, 1);
}

}  // namespace
}  // namespace vigil
