// Finger minutiae records in each standard, their bad forms, and the matcher
// on synthetic prints.
#include "biometrics/fmr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "biometrics/matcher.h"
#include "synth/finger_generator.h"

namespace vigil {
namespace {

FingerTemplate Sample() {
  FingerTemplate t;
  t.width = 400;
  t.height = 500;
  FingerView v;
  v.finger = 2;
  v.view = 1;
  v.impression = 0;
  v.quality = 80;
  v.minutiae = {{100, 120, 64, 1, 70}, {250, 300, 200, 2, 90}, {16383, 5, 0, 0, 0}};
  t.views = {v};
  return t;
}

void Put(std::string* s, uint32_t v, int n) {
  for (int i = n - 1; i >= 0; --i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

TEST(FmrTest, Iso2005RoundTrips) {
  const FingerTemplate t = Sample();
  const std::string bytes = write_fmr(t);
  EXPECT_EQ(bytes.size(), 24u + 4 + 3 * 6 + 2);
  auto back = read_fmr(bytes);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->standard, FmrStandard::kIso2005);
  EXPECT_EQ(back->width, 400);
  EXPECT_EQ(back->x_resolution, 197);
  ASSERT_EQ(back->views.size(), 1u);
  EXPECT_EQ(back->views[0], t.views[0]);
}

// The same minutiae in ANSI 378-2004: a 2-byte length (or 0 and 4 bytes),
// a product identifier, angles in 2-degree units.
std::string Ansi2004(bool large) {
  std::string body;
  Put(&body, 0, 4);    // CBEFF product identifier
  Put(&body, 0, 2);    // capture equipment
  Put(&body, 400, 2);
  Put(&body, 500, 2);
  Put(&body, 197, 2);
  Put(&body, 197, 2);
  Put(&body, 1, 1);    // views
  Put(&body, 0, 1);
  Put(&body, 2, 1);    // finger
  Put(&body, 0x10, 1); // view 1, impression 0
  Put(&body, 80, 1);
  Put(&body, 2, 1);    // minutiae
  Put(&body, 1u << 14 | 100, 2);
  Put(&body, 120, 2);
  Put(&body, 45, 1);   // 90 degrees
  Put(&body, 70, 1);
  Put(&body, 2u << 14 | 250, 2);
  Put(&body, 300, 2);
  Put(&body, 179, 1);  // 358 degrees
  Put(&body, 90, 1);
  Put(&body, 0, 2);    // no extended data
  std::string out("FMR\0 20\0", 8);
  const size_t total = 8 + (large ? 6 : 2) + body.size();
  if (large) {
    Put(&out, 0, 2);
    Put(&out, static_cast<uint32_t>(total), 4);
  } else {
    Put(&out, static_cast<uint32_t>(total), 2);
  }
  return out + body;
}

// Found by fmr_fuzz: a view without minutiae makes a record shorter than
// the cursor's position plus a header, which once failed to read back.
TEST(FmrTest, AViewWithoutMinutiaeReadsBack) {
  FingerTemplate t = Sample();
  t.views[0].minutiae.clear();
  auto back = read_fmr(write_fmr(t));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->views, t.views);
}

TEST(FmrTest, AnsiIsToldFromIsoByItsLengthFieldAndItsAnglesConverted) {
  for (bool large : {false, true}) {
    auto t = read_fmr(Ansi2004(large));
    ASSERT_TRUE(t.ok()) << t.error();
    EXPECT_EQ(t->standard, FmrStandard::kAnsi2004);
    ASSERT_EQ(t->views.at(0).minutiae.size(), 2u);
    EXPECT_EQ(t->views[0].minutiae[0].angle, 64) << "90 degrees is a quarter turn";
    EXPECT_EQ(t->views[0].minutiae[1].angle, 255);
    EXPECT_EQ(t->views[0].view, 1);
    EXPECT_EQ(t->width, 400);
  }
}

TEST(FmrTest, Iso2011IsRead) {
  std::string rep;
  Put(&rep, 0, 4);          // length, set below
  rep.append(9, '\0');      // capture date and time
  Put(&rep, 0, 1);
  Put(&rep, 0, 2);
  Put(&rep, 0, 2);
  Put(&rep, 1, 1);          // one quality block
  Put(&rep, 77, 1);
  Put(&rep, 0, 4);
  Put(&rep, 3, 1);          // finger
  Put(&rep, 0, 1);          // representation number
  Put(&rep, 197, 2);
  Put(&rep, 197, 2);
  Put(&rep, 0, 1);          // impression
  Put(&rep, 400, 2);
  Put(&rep, 500, 2);
  Put(&rep, 0x51, 1);       // 5-byte minutiae, ridge ending type 1
  Put(&rep, 1, 1);
  Put(&rep, 1u << 14 | 10, 2);
  Put(&rep, 20, 2);
  Put(&rep, 128, 1);
  Put(&rep, 0, 2);          // no extended data
  for (int i = 0; i < 4; ++i) rep[i] = static_cast<char>((rep.size() >> (8 * (3 - i))) & 0xff);
  std::string out("FMR\0" "030\0", 8);
  Put(&out, static_cast<uint32_t>(15 + rep.size()), 4);
  Put(&out, 1, 2);
  Put(&out, 0, 1);
  out += rep;
  auto t = read_fmr(out);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->standard, FmrStandard::kIso2011);
  ASSERT_EQ(t->views.size(), 1u);
  EXPECT_EQ(t->views[0].finger, 3);
  EXPECT_EQ(t->views[0].quality, 77);
  EXPECT_EQ(t->views[0].minutiae.at(0), (Minutia{10, 20, 128, 1, 0}));
}

TEST(FmrTest, BadRecordsAreRefusedWithWhereAndWhy) {
  const std::string good = write_fmr(Sample());
  auto fails = [](const std::string& bytes, const std::string& expected) {
    auto r = read_fmr(bytes);
    ASSERT_FALSE(r.ok()) << expected;
    SCOPED_TRACE(r.error());
    EXPECT_NE(r.error().find(expected), std::string::npos) << r.error();
  };
  fails("", "the record ends early");
  fails("JPEG" + good.substr(4), "at byte 0: format identifier");
  fails(good.substr(0, 4) + "999" + std::string(1, '\0') + good.substr(8), "at byte 4: version");
  fails(good.substr(0, good.size() - 3), "at byte 8: record length");
  std::string finger = good;
  finger[24] = 11;
  fails(finger, "at byte 24: finger position: 11 is over 10");
  std::string type = good;
  type[28] = static_cast<char>(0xC0);
  fails(type, "at byte 28: minutia type: 3 is reserved");
  std::string count = good;
  count[27] = 40;  // more minutiae than there are
  fails(count, "the record ends early");
  std::string ansi = Ansi2004(false);
  ansi[ansi.size() - 4] = static_cast<char>(200);  // an ANSI angle over 179
  fails(ansi, "minutia angle: 200 is over 179");
}

// On synthetic prints: a finger matches itself and its other impression
// far above impostors, whatever order its minutiae come in.
TEST(MatcherTest, GenuinePairsScoreAboveImpostorsAndOrderDoesNotMatter) {
  FingerGenerator gen(7);
  std::vector<FingerPrint> a, b;
  for (int f = 0; f < 40; ++f) {
    a.push_back(FingerPrint::From(gen.Impression(f, 0)));
    b.push_back(FingerPrint::From(gen.Impression(f, 1)));
  }
  int genuine_over = 0, impostor_over = 0;
  for (int f = 0; f < 40; ++f) {
    EXPECT_GE(compare(a[f], a[f]), 90) << "itself";
    genuine_over += compare(b[f], a[f]) >= kDefaultThreshold;
    for (int g = 0; g < 40; ++g)
      if (g != f) impostor_over += compare(a[g], a[f]) >= kDefaultThreshold;
  }
  EXPECT_GE(genuine_over, 30) << "most genuine pairs match at the default threshold";
  EXPECT_LE(impostor_over, 1) << "of 1,560 impostor pairs";
  FingerView shuffled = gen.Impression(3, 1);
  std::mt19937 rng(1);
  std::shuffle(shuffled.minutiae.begin(), shuffled.minutiae.end(), rng);
  EXPECT_NEAR(compare(FingerPrint::From(shuffled), a[3]), compare(b[3], a[3]), 1e-9);
  EXPECT_EQ(compare(FingerPrint::From(FingerView{}), a[3]), 0) << "nothing in common";
}

}  // namespace
}  // namespace vigil
