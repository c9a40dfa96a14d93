// Galleries searched 1:N: the mate first, fingers kept apart by position,
// and on a GPU (where there is one) exactly the CPU's answer.
#include "biometrics/gallery.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "biometrics/an2k.h"
#include "biometrics/extractor.h"
#include "biometrics/frontline.h"
#include "biometrics/image.h"
#include "support/test_support.h"
#include "synth/finger_generator.h"

namespace vigil {
namespace {

// 3,000 subjects, one print each, at positions 0 (unknown) to 10.
FingerGallery Enrolled(const FingerGenerator& gen) {
  FingerGallery gallery;
  for (int f = 0; f < 3000; ++f) {
    FingerView view = gen.Impression(f, 0);
    view.finger = static_cast<uint8_t>(f % 11);
    gallery.Add("list", std::to_string(f), "", view);
  }
  return gallery;
}

std::vector<FingerView> Probe(const FingerGenerator& gen, int f, int finger) {
  FingerView view = gen.Impression(f, 1);
  view.finger = static_cast<uint8_t>(finger);
  return {view};
}

TEST(FingerGalleryTest, TheMateComesFirstAndOtherFingersAreNotCompared) {
  const FingerGenerator gen(31);
  const FingerGallery gallery = Enrolled(gen);
  int matched = 0;
  for (int f : {4, 100, 2211}) {
    const auto found = gallery.Search(Probe(gen, f, f % 11), 5);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].reference, std::to_string(f));
    EXPECT_EQ(found[0].threshold, identification_threshold(gallery.searched(Probe(gen, f, f % 11))));
    EXPECT_EQ(found[0].match, found[0].score >= found[0].threshold);
    matched += found[0].match;
  }
  EXPECT_GE(matched, 2);
  // Enrolled as finger 3 (subject 212): a probe of finger 4 never meets it.
  for (const auto& c : gallery.Search(Probe(gen, 212, 4), 3000)) EXPECT_NE(c.reference, "212");
}

TEST(FingerGalleryTest, EnrollingAllAtOnceIsEnrollingOneByOne) {
  const FingerGenerator gen(31);
  const FingerGallery one_by_one = Enrolled(gen);
  std::vector<FingerGallery::Enrolment> all;
  for (int f = 0; f < 3000; ++f) {
    FingerView view = gen.Impression(f, 0);
    view.finger = static_cast<uint8_t>(f % 11);
    all.push_back({"list", std::to_string(f), "", view});
  }
  all.push_back({"list", "7", "", gen.Impression(9000, 0)});  // a second view of subject 7
  FingerGallery at_once;
  at_once.AddAll(all);
  EXPECT_EQ(at_once.views(), 3001u);
  EXPECT_EQ(at_once.subjects(), 3000u);
  for (int f : {7, 1234}) {
    const auto a = one_by_one.Search(Probe(gen, f, f % 11), 20), b = at_once.Search(Probe(gen, f, f % 11), 20);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].reference, b[i].reference);
      EXPECT_EQ(a[i].score, b[i].score);
    }
  }
}

TEST(FingerGalleryTest, AShortlistedSearchComparesTheFirstLooksBestWithTheSameScores) {
  const FingerGenerator gen(31);
  const FingerGallery every = Enrolled(gen);
  FingerGallery shortlisted = Enrolled(gen);
  EXPECT_EQ(shortlisted.shortlisting().from, 16384u);
  shortlisted.set_shortlisting({.from = 0});
  for (int f : {4, 100, 2211}) {
    // Of no known finger, so that all 3,000 views are compatible: 1,000
    // (the least a shortlist keeps) are compared.
    const auto all = every.Search(Probe(gen, f, 0), 3000), some = shortlisted.Search(Probe(gen, f, 0), 3000);
    EXPECT_EQ(all.size(), 3000u);
    ASSERT_EQ(some.size(), 1000u);
    EXPECT_EQ(some[0].reference, std::to_string(f));
    EXPECT_EQ(some[0].match, all[0].match);
    EXPECT_EQ(some[0].threshold, all[0].threshold);
    // Each candidate has the score a full comparison gives it.
    std::map<std::string, double> full;
    for (const auto& c : all) full[c.reference] = c.score;
    for (const auto& c : some) EXPECT_EQ(c.score, full.at(c.reference)) << c.reference;
  }
  // Fingers are still kept apart, and a probe of a known finger has
  // fewer compatible views than a shortlist keeps: all are compared.
  const auto a = every.Search(Probe(gen, 100, 100 % 11), 3000), b = shortlisted.Search(Probe(gen, 100, 100 % 11), 3000);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].reference, b[i].reference);
}

TEST(FingerGalleryTest, AGlanceFirstKeepsItsBestForTheFirstLook) {
  // The glance keeps 600 of 3,000 views, the first look 100 of those; each
  // is compared in full. The 100 are those the two looks pick (shortlist.h),
  // not always the first look's best 100 of all.
  const FingerGenerator gen(31);
  const FingerGallery every = Enrolled(gen);
  FingerGallery shortlisted = Enrolled(gen);
  shortlisted.set_shortlisting({.from = 0, .least = 100, .share = 200, .glance_share = 5});
  std::vector<std::vector<SketchEdge>> sketches;
  for (int f = 0; f < 3000; ++f) sketches.push_back(Sketch(FingerPrint::From(gen.Impression(f, 0))));
  int glance_mattered = 0;
  for (int f : {4, 100, 2211}) {
    const auto all = every.Search(Probe(gen, f, 0), 3000), some = shortlisted.Search(Probe(gen, f, 0), 3000);
    ASSERT_EQ(some.size(), 100u);
    EXPECT_EQ(some[0].reference, std::to_string(f));
    std::map<std::string, double> full;
    for (const auto& c : all) full[c.reference] = c.score;
    for (const auto& c : some) EXPECT_EQ(c.score, full.at(c.reference)) << c.reference;
    // The same two steps, from their definitions.
    const ShortlistProbe first_look(FingerPrint::From(Probe(gen, f, 0)[0]));
    std::vector<uint16_t> glances, looks;
    for (const auto& sketch : sketches)
      glances.push_back(static_cast<uint16_t>(first_look.Score(Glance(sketch)))),
          looks.push_back(static_cast<uint16_t>(first_look.Score(sketch)));
    const std::vector<size_t> glanced = BestIndices(glances, 600);
    std::vector<uint16_t> glanced_looks;
    for (size_t i : glanced) glanced_looks.push_back(looks[i]);
    std::set<std::string> expected, found, looked_only;
    for (size_t k : BestIndices(glanced_looks, 100)) expected.insert(std::to_string(glanced[k]));
    for (size_t i : BestIndices(looks, 100)) looked_only.insert(std::to_string(i));
    for (const auto& c : some) found.insert(c.reference);
    EXPECT_EQ(found, expected) << f;
    glance_mattered += expected != looked_only;
  }
  EXPECT_GT(glance_mattered, 0);
}

// Most frontline checks are of people not enrolled. Each enrolled view is
// a chance for an impostor to match, so the threshold rises with the
// comparisons a search makes (identification_threshold): searches of
// people not enrolled rarely match, where at the 1:1 threshold many would.
TEST(FingerGalleryTest, SearchesOfPeopleNotEnrolledRarelyMatch) {
  const FingerGenerator gen(31);
  const FingerGallery gallery = Enrolled(gen);
  int matched = 0, over_one_to_one = 0;
  for (int p = 0; p < 100; ++p) {
    // Of no known finger: compared with all 3,000 views.
    const auto found = gallery.Search(Probe(gen, 10000 + p, 0), 1);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].threshold, identification_threshold(3000));
    EXPECT_EQ(found[0].match, found[0].score >= found[0].threshold);
    matched += found[0].match;
    over_one_to_one += found[0].score >= kDefaultThreshold;
  }
  EXPECT_LE(matched, 1) << "of 100 searches";
  EXPECT_GE(over_one_to_one, 5) << "of 100 searches";
  // A probe of a known finger is compared with that finger's views and
  // those of no known finger: fewer subjects scored, a lower threshold.
  const std::vector<FingerView> thumb = Probe(gen, 10000, 1);
  EXPECT_EQ(gallery.searched(thumb), 546u);  // 273 thumbs and 273 of no known finger
  EXPECT_EQ(gallery.Search(thumb, 1)[0].threshold, identification_threshold(gallery.searched(thumb)));
  EXPECT_LT(identification_threshold(gallery.searched(thumb)), identification_threshold(3000));
  EXPECT_EQ(gallery.searched({thumb[0], Probe(gen, 10001, 2)[0]}), 819u);  // and 273 index fingers
  EXPECT_EQ(gallery.searched({thumb[0], Probe(gen, 10001, 0)[0]}), 3000u);
}

// 600 subjects, each with two fingers (positions 1 and 2).
FingerGallery TwoFingered(const FingerGenerator& gen) {
  FingerGallery gallery;
  for (int s = 0; s < 600; ++s)
    for (int f : {1, 2}) {
      FingerView view = gen.Impression(2 * s + f - 1, 0);
      view.finger = static_cast<uint8_t>(f);
      gallery.Add("list", std::to_string(s), "", view);
    }
  return gallery;
}

std::vector<FingerView> BothFingers(const FingerGenerator& gen, int s) {
  return {Probe(gen, 2 * s, 1)[0], Probe(gen, 2 * s + 1, 2)[0]};
}

// A probe of two fingers is scored on both: mates one finger leaves under
// the threshold match on two, while people not enrolled match no more
// often than with one, their fused scores as rare as the tail says.
TEST(FingerGalleryTest, TwoFingersFindMatesOneMissesAndStayCalibrated) {
  const FingerGenerator gen(31);
  const FingerGallery gallery = TwoFingered(gen);
  EXPECT_EQ(gallery.searched(BothFingers(gen, 0)), 600u);
  int both = 0, weaker = 0;
  for (int s = 0; s < 40; ++s) {
    const auto found = gallery.Search(BothFingers(gen, s), 3);
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found[0].reference, std::to_string(s));
    EXPECT_EQ(found[0].threshold, identification_threshold(600));
    const auto first = gallery.Search({BothFingers(gen, s)[0]}, 1), second = gallery.Search({BothFingers(gen, s)[1]}, 1);
    const double one = std::min(first[0].reference == found[0].reference ? first[0].score : 0.0,
                                second[0].reference == found[0].reference ? second[0].score : 0.0);
    // The candidate says what its score fuses: each finger's compare().
    ASSERT_EQ(found[0].fingers.size(), 2u);
    EXPECT_EQ(subject_score(found[0].fingers), found[0].score);
    for (int f = 0; f < 2; ++f) {
      const FingerView view = gen.Impression(2 * s + f, 0);
      EXPECT_EQ(found[0].fingers[f].finger, f + 1);
      EXPECT_EQ(found[0].fingers[f].views, 1u);
      EXPECT_EQ(found[0].fingers[f].score, compare(FingerPrint::From(BothFingers(gen, s)[f]), FingerPrint::From(view)));
    }
    both += found[0].match;
    weaker += one >= found[0].threshold;
  }
  EXPECT_EQ(both, 40) << "of 40 mates";
  EXPECT_LE(weaker, 32) << "of 40 mates";  // 27 today
  int matched = 0;
  std::map<double, int> reached;  // rate -> impostor subjects scoring as rarely
  for (int p = 0; p < 100; ++p) {
    const auto found = gallery.Search(BothFingers(gen, 5000 + p), 600);
    ASSERT_EQ(found.size(), 600u);
    matched += found[0].match;
    for (const auto& c : found)
      for (double rate : {1e-2, 1e-3}) reached[rate] += impostor_rate(c.score) <= rate;
  }
  EXPECT_LE(matched, 1) << "of 100 searches";
  // Of 60,000 impostor subjects, about 600 and 60 expected (547 and 48 today).
  EXPECT_GT(reached[1e-2], 400);
  EXPECT_LT(reached[1e-2], 900);
  EXPECT_GT(reached[1e-3], 30);
  EXPECT_LT(reached[1e-3], 120);
}

// A subject one probe finger's shortlist finds is compared on all its
// fingers: its score is that of every view compared.
TEST(FingerGalleryTest, AShortlistedSearchScoresASubjectOnAllItsFingers) {
  const FingerGenerator gen(31);
  const FingerGallery every = TwoFingered(gen);
  FingerGallery shortlisted = TwoFingered(gen);
  shortlisted.set_shortlisting({.from = 0, .least = 50, .share = 200, .glance_share = 10});
  for (int s : {3, 333}) {
    const auto all = every.Search(BothFingers(gen, s), 600), some = shortlisted.Search(BothFingers(gen, s), 600);
    EXPECT_GT(some.size(), 50u) << "two shortlists";
    EXPECT_LE(some.size(), 100u);
    EXPECT_EQ(some[0].reference, std::to_string(s));
    std::map<std::string, double> full;
    for (const auto& c : all) full[c.reference] = c.score;
    for (const auto& c : some) EXPECT_EQ(c.score, full.at(c.reference)) << c.reference;
  }
}

// NIST's ten-print card: its rolled fingers enrolled among the 3,000
// synthetic subjects, its right-hand slap searched. All four prints found
// side by side, each is of the finger its place says and compared with
// that finger alone. Read only as prints of the right hand, each is
// compared with the hand's four and fused as different fingers: less
// sure, yet far surer than the same prints of no known finger, which
// might all be one finger.
TEST(FingerGalleryTest, ASlapsPrintsAreFusedAsFingersOfItsHand) {
  auto card = read_an2k(testing::ReadSource("tests/biometrics/data/nist/type-4-tpcard.an2"));
  ASSERT_TRUE(card.ok()) << card.error();
  const FingerGenerator gen(31);
  FingerGallery gallery = Enrolled(gen);
  std::vector<FingerView> slap;
  for (const An2kImage& image : card->images) {
    if (image.finger != 13 && (image.finger < 2 || image.finger > 10)) continue;
    auto pixels = decode_image(image.data, image.ppi);
    ASSERT_TRUE(pixels.ok()) << pixels.error();
    pixels->ppi = image.ppi;
    auto t = extract_minutiae(*pixels, image.finger);
    ASSERT_TRUE(t.ok()) << t.error();
    for (const FingerView& v : t->views) {
      if (image.finger == 13) slap.push_back(v);
      else gallery.Add("nist", "card", "", v);
    }
  }
  ASSERT_EQ(slap.size(), 4u);
  const auto found = gallery.Search(slap, 3);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].reference, "card");
  EXPECT_TRUE(found[0].match);
  ASSERT_EQ(found[0].fingers.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(found[0].fingers[k].finger, 2 + k) << "the right index to little finger, left to right";
    EXPECT_EQ(found[0].fingers[k].views, 1u);
  }
  EXPECT_FALSE(found[1].match) << "no synthetic subject reaches the threshold";

  std::vector<FingerView> of_the_hand = slap, unplaced = slap;
  for (int k = 0; k < 4; ++k) of_the_hand[k].finger = 13, of_the_hand[k].view = static_cast<uint8_t>(k), unplaced[k].finger = 0;
  const auto by_hand = gallery.Search(of_the_hand, 3);
  ASSERT_FALSE(by_hand.empty());
  EXPECT_EQ(by_hand[0].reference, "card");
  ASSERT_EQ(by_hand[0].fingers.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(by_hand[0].fingers[k].finger, 13);
    EXPECT_EQ(by_hand[0].fingers[k].print, k);
    EXPECT_EQ(by_hand[0].fingers[k].views, 4u) << "the rolled right index to little finger";
  }
  const nlohmann::json listed = candidates_json(by_hand)[0]["fingers"];
  EXPECT_EQ(listed[1]["position"], 13);
  EXPECT_EQ(listed[1]["print"], 2) << "from 1 at the left";
  const auto as_one = gallery.Search(unplaced, 3);
  ASSERT_FALSE(as_one.empty());
  EXPECT_EQ(as_one[0].reference, "card");
  // 42.5, 35.8 and 19.3 today (the prints score 5.5, 24.0, 12.1 and 9.5
  // against their own fingers).
  EXPECT_GT(found[0].score, by_hand[0].score + 2);
  EXPECT_GT(by_hand[0].score, as_one[0].score + 10);
}

TEST(FingerGalleryTest, TheGpuFindsWhatTheCpuFinds) {
  const FingerGenerator gen(31);
  const FingerGallery cpu = Enrolled(gen);
  FingerGallery gpu = Enrolled(gen);
  const Status device = gpu.UseDevice();
  if (!device.ok()) GTEST_SKIP() << device.message();
  ASSERT_TRUE(gpu.on_device());
  std::vector<std::vector<FingerView>> probes;
  for (int f : {0, 7, 500, 1234, 2999}) probes.push_back(Probe(gen, f, f % 11));
  probes.push_back(Probe(gen, 42, 0));                                       // of no known finger
  probes.push_back({Probe(gen, 77, 0)[0], Probe(gen, 1500, 1500 % 11)[0]});  // two views
  probes.push_back({Probe(gen, 3, 13)[0], Probe(gen, 4, 13)[0]});            // prints of a right-hand slap
  probes.back()[1].view = 1;
  for (const auto& probe : probes) {
    const auto a = cpu.Search(probe, 200), b = gpu.Search(probe, 200);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].reference, b[i].reference) << i;
      EXPECT_EQ(a[i].score, b[i].score) << i;  // to the bit
    }
  }
  gpu.Add("list", "new", "", gen.Impression(3000, 0));
  EXPECT_FALSE(gpu.on_device()) << "adding lets the GPU's copy go";
}

}  // namespace
}  // namespace vigil
