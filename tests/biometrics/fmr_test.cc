// Finger minutiae records in each standard, their bad forms, and the matcher
// on synthetic prints.
#include "biometrics/fmr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "biometrics/matcher.h"
#include "biometrics/matching.h"
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

// Sample()'s first two minutiae as ANSI writes them (angles in 2-degree
// units), with their count and no extended data.
void PutAnsiMinutiae(std::string* body) {
  Put(body, 2, 1);
  Put(body, 1u << 14 | 100, 2);
  Put(body, 120, 2);
  Put(body, 45, 1);   // 90 degrees
  Put(body, 70, 1);
  Put(body, 2u << 14 | 250, 2);
  Put(body, 300, 2);
  Put(body, 179, 1);  // 358 degrees
  Put(body, 90, 1);
  Put(body, 0, 2);
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
  PutAnsiMinutiae(&body);
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

// One representation of one minutia in ISO 19794-2:2011.
std::string Iso2011() {
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
  return out;
}

// The same minutiae in ANSI 378-2009: a 4-byte length, product identifier,
// equipment, then each view with its own quality algorithm, image size and
// resolution. Offsets: view at 21, minutiae at 38 and 44, extended at 50.
std::string Ansi2009(const char* version = "030") {
  std::string body;
  Put(&body, 0x0033, 2);  // CBEFF product owner (not 0, so not an ISO reading)
  Put(&body, 0x0001, 2);  // product type
  Put(&body, 0x80, 1);    // certified equipment
  Put(&body, 7, 2);       // capture device
  Put(&body, 1, 1);       // views
  Put(&body, 0, 1);
  Put(&body, 2, 1);       // finger
  Put(&body, 1, 1);       // view 1
  Put(&body, 0, 1);       // impression
  Put(&body, 80, 1);
  Put(&body, 0x0101, 2);  // quality algorithm owner
  Put(&body, 0x0002, 2);  // and identifier
  Put(&body, 400, 2);
  Put(&body, 500, 2);
  Put(&body, 197, 2);
  Put(&body, 197, 2);
  PutAnsiMinutiae(&body);
  std::string out = std::string("FMR\0", 4) + version + std::string(1, '\0');
  Put(&out, static_cast<uint32_t>(12 + body.size()), 4);
  return out + body;
}

TEST(FmrTest, Ansi2009ReadsTheSameMinutiaeAsAnsi2004AndIso2005) {
  auto old = read_fmr(Ansi2004(false));
  ASSERT_TRUE(old.ok()) << old.error();
  auto iso = read_fmr(write_fmr(*old));
  ASSERT_TRUE(iso.ok()) << iso.error();
  for (const char* version : {"030", "035"}) {
    SCOPED_TRACE(version);
    auto t = read_fmr(Ansi2009(version));
    ASSERT_TRUE(t.ok()) << t.error();
    EXPECT_EQ(t->standard, FmrStandard::kAnsi2009);
    EXPECT_STREQ(to_string(t->standard), "ANSI INCITS 378-2009");
    EXPECT_EQ(t->views, old->views);
    EXPECT_EQ(t->views, iso->views);
    EXPECT_EQ(t->width, 400);
    EXPECT_EQ(t->height, 500);
    EXPECT_EQ(t->x_resolution, 197);
    EXPECT_EQ(t->y_resolution, 197);
  }
}

TEST(FmrTest, Ansi2009QualitiesNotReportedReadAsZero) {
  std::string bytes = Ansi2009();
  bytes[24] = static_cast<char>(254);  // finger quality not reported
  bytes[49] = static_cast<char>(254);  // minutia quality not reported
  auto t = read_fmr(bytes);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->views.at(0).quality, 0);
  EXPECT_EQ(t->views[0].minutiae.at(1).quality, 0);
}

// ISO 2011 and ANSI 2009 share "FMR\0" "030\0" and the 4-byte length; the
// lengths inside tell them apart, and neither is read as the other.
TEST(FmrTest, Ansi2009AndIso2011AreToldApartByTheirLengths) {
  auto ansi = read_fmr(Ansi2009());
  ASSERT_TRUE(ansi.ok()) << ansi.error();
  EXPECT_EQ(ansi->standard, FmrStandard::kAnsi2009);
  std::string one_owner = Ansi2009();
  one_owner[12] = 0;
  one_owner[13] = 1;  // read as ISO, one representation of a nonsense length
  auto t = read_fmr(one_owner);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->standard, FmrStandard::kAnsi2009);
  std::string zero_owner = Ansi2009();
  zero_owner[12] = zero_owner[13] = 0;  // read as ISO, no representations
  t = read_fmr(zero_owner);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->standard, FmrStandard::kAnsi2009);
  // A "035" record is ANSI even when its lengths read as ISO would do.
  std::string iso = Iso2011();
  iso[6] = '5';
  auto amended = read_fmr(iso);
  ASSERT_FALSE(amended.ok());
  EXPECT_NE(amended.error().find("finger minutiae record: at byte"), std::string::npos) << amended.error();
}

TEST(FmrTest, Iso2011IsRead) {
  const std::string out = Iso2011();
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

TEST(FmrTest, BadAnsi2009RecordsAreRefusedWithWhereAndWhy) {
  const std::string good = Ansi2009();
  auto fails = [](std::string bytes, const std::string& expected, bool fix_length = false) {
    if (fix_length)
      for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<char>((bytes.size() >> (8 * (3 - i))) & 0xff);
    auto r = read_fmr(bytes);
    ASSERT_FALSE(r.ok()) << expected;
    SCOPED_TRACE(r.error());
    EXPECT_EQ(r.error().rfind("finger minutiae record: ", 0), 0u) << r.error();
    EXPECT_NE(r.error().find(expected), std::string::npos) << r.error();
  };
  auto with = [&](size_t at, int value) {
    std::string b = good;
    b[at] = static_cast<char>(value);
    return b;
  };
  fails(good.substr(0, 30), "at byte 8: record length");
  fails(good + "x", "at byte 8: record length: 52 but the record has 53 bytes");
  // Content faults in a record its lengths frame as ANSI 2009.
  fails(with(21, 11), "at byte 21: finger position: 11 is over 10");
  fails(with(22, 16), "at byte 22: view number: 16 is over 15");
  fails(with(24, 101), "at byte 24: finger quality: over 100");
  fails(with(38, 0xC0), "at byte 38: minutia type: 3 is reserved");
  fails(with(42, 180), "at byte 42: minutia angle: 180 is over 179");
  fails(with(43, 101), "at byte 43: minutia quality: over 100");
  // Lengths that frame it as neither: both readings say where they fail.
  fails(with(37, 3), "(at byte 50: minutia: the record ends early)");
  fails(with(37, 3), "neither ISO 19794-2:2011 (at byte 15: representation length");
  fails(with(51, 9), "ANSI INCITS 378-2009 (at byte 52: extended data: the record ends early)");
  fails(with(19, 2), "ANSI INCITS 378-2009 (at byte 52: finger view header: the record ends early)");
  fails(good.substr(0, 30), "ANSI INCITS 378-2009 (at byte 21: finger view header: the record ends early)", true);
  fails(good + "x", "ANSI INCITS 378-2009 (at byte 52: record: 1 bytes after the last finger view)", true);
  // An amended ("035") record is only ever ANSI.
  std::string amended = with(37, 3);
  amended[6] = '5';
  fails(amended, "finger minutiae record: at byte 50: minutia: the record ends early");
  // ISO 2011 keeps its own reading beside ANSI 2009.
  fails(Iso2011() + "x", "neither ISO 19794-2:2011 (at byte 59: record: 1 bytes after the last representation)", true);
  std::string rep = Iso2011();
  rep[18] = static_cast<char>(rep[18] + 1);  // representation length one too many
  fails(rep, "neither ISO 19794-2:2011 (at byte 15: representation length: 45 does not fit the record)");
  std::string finger = Iso2011();
  finger[39] = 11;
  fails(finger, "finger minutiae record: at byte 39: finger position: 11 is over 10");
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
    // Every minutia pairs; a print whose footprint is a little smaller
    // than a whole print's scores a little under 100.
    EXPECT_GE(compare(a[f], a[f]), 75) << "itself";
    EXPECT_GT(compare(a[f], a[f]), compare(b[f], a[f])) << "itself, above its other impression";
    genuine_over += compare(b[f], a[f]) >= kDefaultThreshold;
    for (int g = 0; g < 40; ++g)
      if (g != f) impostor_over += compare(a[g], a[f]) >= kDefaultThreshold;
  }
  EXPECT_GE(genuine_over, 30) << "most genuine pairs match at the default threshold";
  // About 0.16 expected at 1 in 10,000; a pair that matches may count
  // twice, once each way round.
  EXPECT_LE(impostor_over, 2) << "of 1,560 impostor pairs";
  FingerView shuffled = gen.Impression(3, 1);
  std::mt19937 rng(1);
  std::shuffle(shuffled.minutiae.begin(), shuffled.minutiae.end(), rng);
  EXPECT_EQ(compare(FingerPrint::From(shuffled), a[3]), compare(b[3], a[3]));
  FingerView candidate = gen.Impression(3, 0);
  std::reverse(candidate.minutiae.begin(), candidate.minutiae.end());
  EXPECT_EQ(compare(b[3], FingerPrint::From(candidate)), compare(b[3], a[3]));
  EXPECT_EQ(compare(FingerPrint::From(FingerView{}), a[3]), 0) << "nothing in common";
}

// A third of a print (a plain impression's window) is weaker evidence than
// a whole one: its impostors reach the default threshold about as rarely as
// whole prints' do. Scored without regard to its footprint, 61 of these
// 5,940 impostor pairs reached the threshold then calibrated (11.2).
TEST(MatcherTest, SmallProbesKeepTheDefaultThresholdsRate) {
  FingerGenerator gen(11);
  std::vector<FingerPrint> whole;
  for (int f = 0; f < 100; ++f) whole.push_back(FingerPrint::From(gen.Impression(f, 0)));
  int genuine_over = 0, impostor_over = 0;
  for (int f = 0; f < 60; ++f) {
    const FingerPrint probe =
        FingerPrint::From(Window(gen.Impression(f, 1), 90 + (f * 37) % 41 - 20, 110 + (f * 53) % 41 - 20, 220, 280));
    genuine_over += compare(probe, whole[size_t(f)]) >= kDefaultThreshold;
    for (int g = 0; g < 100; ++g)
      if (g != f) impostor_over += compare(probe, whole[size_t(g)]) >= kDefaultThreshold;
  }
  EXPECT_LE(impostor_over, 3) << "of 5,940 impostor pairs";
  EXPECT_GE(genuine_over, 20) << "of 60 genuine pairs";
}

// The score's factors: pairs relative to the smaller print and to the
// larger print's minutiae facing it, and a footprint under a whole print's
// (144 cells) weighs less, more so the smaller it is.
TEST(MatcherTest, ScoreWeighsTheSmallerPrintsFootprint) {
  using matching::score;
  EXPECT_DOUBLE_EQ(score(20, 40, {144, 30}), 100.0 * 20 * 20 / (40 * 40));
  EXPECT_DOUBLE_EQ(score(20, 40, {200, 50}), 100.0 * 20 * 20 / (40 * 50));
  EXPECT_DOUBLE_EQ(score(6, 10, {300, 5}), 100.0 * 6 * 6 / (10 * 20));
  EXPECT_DOUBLE_EQ(score(10, 20, {36, 20}), 100.0 * 10 * 10 / (20 * 20) * (24.0 / 42) * (24.0 / 42));
  double last = 0;
  for (int area = 9; area <= 144; ++area) {
    const double s = score(10, 20, {area, 20});
    EXPECT_GT(s, last) << area;
    last = s;
  }
  EXPECT_EQ(score(10, 20, {144, 20}), score(10, 20, {1000, 20}));
}

// A search making more comparisons needs a higher score for its best
// impostor to stay as rare; the tail read agrees with the 1:1 calibration,
// and the threshold is never below the 1:1 one.
TEST(MatcherTest, TheIdentificationThresholdRisesWithTheComparisonsMade) {
  EXPECT_EQ(identification_threshold(0), kDefaultThreshold);
  EXPECT_EQ(identification_threshold(1), kDefaultThreshold);
  EXPECT_NEAR(std::log10(impostor_rate(kDefaultThreshold)), -4, 0.5);
  double last = kDefaultThreshold;
  for (double n = 10; n <= 1e9; n *= std::sqrt(10.0)) {
    const double t = identification_threshold(n);
    EXPECT_GE(t, last) << n;
    if (t > kDefaultThreshold) {
      EXPECT_NEAR(impostor_rate(t) * n / kDefaultFpir, 1, 1e-9) << n;
      EXPECT_GT(identification_threshold(n, kDefaultFpir / 10), t) << n;
    }
    last = t;
  }
  EXPECT_GT(identification_threshold(1e6), identification_threshold(1e5) + 1);
  for (double s = 5; s < 40; s += 0.5) EXPECT_LT(impostor_rate(s + 0.5), impostor_rate(s)) << s;
}

// A subject's score over several fingers stays on compare()'s scale: one
// finger against one view keeps its score; the best of many views is
// worth less; fingers agreeing together are worth more than either, by
// the chance of independent impostor fingers doing so; views of one
// position are one finger.
TEST(MatcherTest, ASubjectsFingersAreFusedIntoOneCalibratedScore) {
  EXPECT_EQ(subject_score({}), 0);
  EXPECT_EQ(subject_score(std::vector<ViewEvidence>{{3, 15, 0}}), 0) << "nothing compared";
  for (double s = 0; s <= 30; s += 0.7) EXPECT_NEAR(subject_score(std::vector<ViewEvidence>{{3, s, 1}}), s, 1e-9) << s;
  // The best of 10 views: 10 times as many impostors reach it.
  const double of_ten = subject_score(std::vector<ViewEvidence>{{0, 16, 10}});
  EXPECT_LT(of_ten, 16);
  EXPECT_NEAR(impostor_rate(of_ten) / impostor_rate(16), 10, 1e-6);
  // Two fingers at 12: p^2 (1 - ln p^2) for p = impostor_rate(12).
  const double p = impostor_rate(12);
  const double two = subject_score(std::vector<ViewEvidence>{{1, 12, 1}, {2, 12, 1}});
  EXPECT_GT(two, 18);
  EXPECT_NEAR(impostor_rate(two) / (p * p * (1 - std::log(p * p))), 1, 1e-6);
  // Ten fingers at the 1:1 threshold each: beyond any gallery's threshold.
  std::vector<ViewEvidence> ten;
  for (int f = 1; f <= 10; ++f) ten.push_back({f, kDefaultThreshold, 1});
  EXPECT_GT(subject_score(ten), identification_threshold(1e10));
  // A finger that disagrees costs what two fingers' wider tail costs:
  // about 2 points here.
  const double with_weak = subject_score(std::vector<ViewEvidence>{{1, 12, 1}, {2, 1.0, 1}});
  const double weak_p = p * impostor_rate(1.0);
  EXPECT_NEAR(impostor_rate(with_weak) / (weak_p * (1 - std::log(weak_p))), 1, 1e-6);
  EXPECT_GT(with_weak, 12 - 2.5);
  // Two views of one position, or of no known position, are one finger:
  // the best of two, not two fingers.
  EXPECT_NEAR(subject_score(std::vector<ViewEvidence>{{4, 12, 1}, {4, 11, 1}}),
              subject_score(std::vector<ViewEvidence>{{4, 12, 2}}), 1e-12);
  EXPECT_NEAR(subject_score(std::vector<ViewEvidence>{{0, 11, 1}, {0, 12, 1}}),
              subject_score(std::vector<ViewEvidence>{{0, 12, 2}}), 1e-12);
  EXPECT_EQ(subject_score(std::vector<ViewEvidence>{{4, 12, 1}, {5, 12, 0}}), subject_score(std::vector<ViewEvidence>{{4, 12, 1}}));
  // A view of no known position may be a known finger taken again: not
  // fused with it. The better of the two ways, twice as likely.
  const double again = subject_score(std::vector<ViewEvidence>{{2, 12, 1}, {0, 12, 1}});
  EXPECT_NEAR(impostor_rate(again) / (2 * p), 1, 1e-6);
  const double known_two = subject_score(std::vector<ViewEvidence>{{1, 12, 1}, {2, 12, 1}});
  const double with_unknown = subject_score(std::vector<ViewEvidence>{{1, 12, 1}, {2, 12, 1}, {0, 16, 3}});
  EXPECT_NEAR(impostor_rate(with_unknown) / (2 * impostor_rate(known_two)), 1, 1e-6);
  EXPECT_NEAR(impostor_rate(subject_score(std::vector<ViewEvidence>{{1, 12, 1}, {0, 25, 1}})) / (2 * impostor_rate(25)), 1,
              1e-6);
  // A slap's prints are different fingers of its hand, each compared with
  // the subject's four: two prints at 12 fuse like two fingers at the
  // best of 4. The same place in a slap taken twice is one finger.
  const double q = 4 * p;
  const double slap = subject_score(std::vector<ViewEvidence>{{13, 12, 4, 0}, {13, 12, 4, 1}});
  EXPECT_NEAR(impostor_rate(slap) / (q * q * (1 - std::log(q * q))), 1, 1e-6);
  EXPECT_NEAR(subject_score(std::vector<ViewEvidence>{{13, 12, 4, 0}, {13, 11, 4, 0}}),
              subject_score(std::vector<ViewEvidence>{{13, 12, 8, 0}}), 1e-12);
  // With a finger of the other hand: fused; with one of its own hand,
  // which a print may repeat: the better side, twice as likely.
  EXPECT_NEAR(impostor_rate(subject_score(std::vector<ViewEvidence>{{13, 12, 4, 0}, {7, 12, 1}})) /
                  (q * p * (1 - std::log(q * p))), 1, 1e-6);
  EXPECT_NEAR(impostor_rate(subject_score(std::vector<ViewEvidence>{{13, 12, 4, 0}, {13, 12, 4, 1}, {2, 12, 1}})) /
                  (2 * impostor_rate(slap)), 1, 1e-6);
  EXPECT_EQ(finger_mask(11), finger_mask(1));
  EXPECT_EQ(finger_mask(13) & finger_mask(14), 0);
  EXPECT_EQ(finger_mask(0), finger_mask(200));
}

// Minutiae anywhere a template can place them (16-bit coordinates) are
// compared like any others, and a print moved that far still matches.
TEST(MatcherTest, FarCoordinatesCompareLikeNearOnes) {
  FingerGenerator gen(7);
  FingerView near = gen.Impression(5, 0), far = near;
  for (Minutia& m : far.minutiae) m.x = static_cast<uint16_t>(m.x + 65000), m.y = static_cast<uint16_t>(m.y + 64000);
  const FingerPrint n = FingerPrint::From(near), f = FingerPrint::From(far);
  EXPECT_GE(compare(f, f), 90);
  EXPECT_EQ(compare(f, f), compare(n, n));
  EXPECT_EQ(compare(n, f), compare(n, n)) << "alignment moves a print anywhere";
}

}  // namespace
}  // namespace vigil
