// The stored gallery kept current in parts: searched together they answer
// what the whole gallery answers, only what was enrolled since is read,
// parts stay few, and the whole gallery is loaded again in the background.
#include "biometrics/live_gallery.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "biometrics/fmr.h"
#include "biometrics/matcher.h"
#include "support/test_support.h"
#include "synth/finger_generator.h"

namespace vigil {
namespace {

class LiveGalleryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/vigil.db";
    auto opened = OpenSqliteStore(path_);
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(*opened);
  }

  // Subject `s`: a face (random, so unrelated to the others) and a print
  // of finger `s`, enrolled as one or two templates.
  void Enrol(int s, bool finger = true) {
    std::vector<BioTemplate> t;
    t.push_back({0, "", "", "", "face", 0, encode_embedding(Face(s)), ""});
    if (finger) {
      FingerTemplate fmr;
      fmr.views = {gen_.Impression(s, 0)};
      t.push_back({0, "", "", "", "finger", 0, write_fmr(fmr), ""});
    }
    ASSERT_TRUE(store_->EnrolBiometrics("national", "S" + std::to_string(s), "", t).ok());
  }
  static std::vector<float> Face(int s) {
    std::mt19937 rng(static_cast<unsigned>(s) + 1);
    std::normal_distribution<float> n;
    std::vector<float> v(128);
    for (float& x : v) x = n(rng);
    return v;
  }
  BioProbe Probe(int s) {
    BioProbe p;
    p.finger.views = {gen_.Impression(s, 1)};
    p.face = Face(s);
    for (float& x : p.face) x += 0.3f;  // near, not equal
    return p;
  }
  // What one gallery of every stored template answers.
  std::vector<BioCandidate> Whole(const BioProbe& p, size_t top) {
    auto g = load_gallery(store_.get());
    EXPECT_TRUE(g.ok());
    return search_gallery({&*g}, p, top);
  }

  std::string path_;
  std::unique_ptr<Store> store_;
  FingerGenerator gen_{17};
};

std::string FirstFace(const std::vector<BioCandidate>& found) {
  for (const auto& c : found)
    if (c.modality == std::string("face")) return c.reference;
  return "";
}

void ExpectSame(const std::vector<BioCandidate>& a, const std::vector<BioCandidate>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].reference, b[i].reference) << i;
    EXPECT_EQ(a[i].score, b[i].score) << i;
    EXPECT_EQ(a[i].match, b[i].match) << i;
    EXPECT_STREQ(a[i].modality, b[i].modality) << i;
  }
}

TEST_F(LiveGalleryTest, PartsSearchedTogetherAnswerWhatTheWholeGalleryAnswers) {
  std::vector<std::pair<int64_t, bool>> loads;  // templates, whole
  LiveGallery::Options o;
  o.max_small_parts = 3;
  o.loaded = [&](const Gallery& g, bool whole) {
    loads.push_back({static_cast<int64_t>(g.faces.size() + g.fingers.views()), whole});
  };
  LiveGallery live(o);
  for (int s = 0; s < 20; ++s) Enrol(s);
  auto first = live.Current(store_.get());
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ(loads.size(), 1u);
  EXPECT_EQ(loads[0], std::make_pair(int64_t{40}, true));

  // Enrolments one at a time: each read alone, as a small part.
  for (int s = 20; s < 26; ++s) {
    Enrol(s, s % 2 == 0);
    auto now = live.Current(store_.get());
    ASSERT_TRUE(now.ok());
    EXPECT_FALSE(loads.back().second);
    EXPECT_LE((*now)->parts.size(), 1 + o.max_small_parts) << "small parts merge past the bound";
    for (int probe : {3, s, 20}) {
      const BioProbe p = Probe(probe);
      const auto found = search_gallery((*now)->view(), p, 5);
      ExpectSame(found, Whole(p, 5));
      EXPECT_EQ(FirstFace(found), "S" + std::to_string(probe)) << "the mate first";
    }
  }
  // 2 templates, then 1: the first small parts read just those...
  EXPECT_EQ(loads[1].first, 2);
  EXPECT_EQ(loads[2].first, 1);
  // ...and when there were three, the fourth read them again with it.
  EXPECT_EQ(loads[4].first, 2 + 1 + 2 + 1);

  // Nothing new: nothing read, the same snapshot.
  const size_t before = loads.size();
  auto again = live.Current(store_.get());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(loads.size(), before);

  // A subject enrolled again later (another finger) is one candidate, at
  // its best score over the parts; each part scores it on the views it
  // holds: here the later one alone, of the probe's finger. One gallery
  // of all the templates scores it on both its views (of no known finger,
  // so either could be the probe's): a little lower.
  FingerTemplate extra;
  extra.views = {gen_.Impression(100, 0)};
  ASSERT_TRUE(store_->EnrolBiometrics("national", "S4", "", {{0, "", "", "", "finger", 0, write_fmr(extra), ""}}).ok());
  auto now = live.Current(store_.get());
  ASSERT_TRUE(now.ok());
  BioProbe p;
  p.finger.views = {gen_.Impression(100, 1)};
  const auto found = search_gallery((*now)->view(), p, 30), whole = Whole(p, 30);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].reference, "S4");
  EXPECT_NEAR(found[0].score, compare(FingerPrint::From(p.finger.views[0]), FingerPrint::From(extra.views[0])), 1e-9);
  ASSERT_EQ(whole[0].reference, "S4");
  EXPECT_LT(whole[0].score, found[0].score);
  EXPECT_GT(whole[0].score, found[0].score - 1);
  int s4 = 0;
  for (const auto& c : found) s4 += c.reference == "S4";
  EXPECT_EQ(s4, 1);
  ExpectSame(std::vector<BioCandidate>(found.begin() + 1, found.end()), std::vector<BioCandidate>(whole.begin() + 1, whole.end()));

  // A snapshot held goes on answering as it was.
  const auto old_first = search_gallery((*first)->view(), Probe(25), 3);
  EXPECT_NE(old_first.empty() ? "" : old_first[0].reference, "S25");
}

TEST_F(LiveGalleryTest, ChecksSeeingTheSameChangeShareOneLoad) {
  std::atomic<int> loads{0};
  LiveGallery::Options o;
  o.loaded = [&](const Gallery&, bool) { ++loads; };
  LiveGallery live(o);
  for (int s = 0; s < 5; ++s) Enrol(s);
  std::vector<std::thread> checks;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t)
    checks.emplace_back([&] {
      auto store = OpenSqliteStore(path_);
      if (!store.ok()) return;
      auto now = live.Current(store->get());
      ok += now.ok() && (*now)->last > 0 && (*now)->parts.size() == 1;
    });
  for (auto& t : checks) t.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(loads.load(), 1);
}

TEST_F(LiveGalleryTest, TheWholeGalleryIsLoadedAgainInTheBackground) {
  std::atomic<int> whole_loads{0};
  LiveGallery::Options o;
  o.rebuild_at_least = 6;
  o.rebuild_share = 0.25;
  o.max_small_parts = 100;
  o.open_store = [&] { return OpenSqliteStore(path_); };
  o.loaded = [&](const Gallery&, bool whole) { whole_loads += whole; };
  LiveGallery live(o);
  for (int s = 0; s < 10; ++s) Enrol(s, false);
  ASSERT_TRUE(live.Current(store_.get()).ok());
  EXPECT_EQ(whole_loads.load(), 1);
  // Six templates in small parts: more than a quarter of ten, and enough.
  for (int s = 10; s < 16; ++s) {
    Enrol(s, false);
    ASSERT_TRUE(live.Current(store_.get()).ok());
  }
  // In service once loaded: one part of all sixteen.
  std::shared_ptr<const LiveGallery::Snapshot> now;
  for (int i = 0; i < 500; ++i) {
    auto current = live.Current(store_.get());
    ASSERT_TRUE(current.ok());
    now = *current;
    if (now->parts.size() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(now->parts.size(), 1u);
  EXPECT_EQ(now->parts[0].templates, 16);
  EXPECT_EQ(now->parts[0].up_to, now->last);
  EXPECT_EQ(whole_loads.load(), 2);
  const BioProbe p = Probe(12);
  ExpectSame(search_gallery(now->view(), p, 5), Whole(p, 5));
}

// Enrolments made while the whole gallery is loaded again are kept on top
// of it when it comes into service.
TEST_F(LiveGalleryTest, EnrolmentsDuringTheBackgroundLoadAreKept) {
  std::atomic<bool> release{false};
  LiveGallery::Options o;
  o.rebuild_at_least = 2;
  o.rebuild_share = 0;
  o.max_small_parts = 2;
  o.open_store = [&]() -> Result<std::unique_ptr<Store>> {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return OpenSqliteStore(path_);
  };
  LiveGallery live(o);
  for (int s = 0; s < 4; ++s) Enrol(s, false);
  ASSERT_TRUE(live.Current(store_.get()).ok());
  for (int s = 4; s < 6; ++s) {
    Enrol(s, false);
    ASSERT_TRUE(live.Current(store_.get()).ok());
  }
  // The background load has begun (held at its store); five more, one at a
  // time: the parts it will not cover merge among themselves only.
  for (int s = 6; s < 11; ++s) {
    Enrol(s, false);
    auto now = live.Current(store_.get());
    ASSERT_TRUE(now.ok());
    EXPECT_LE((*now)->parts.size(), 1u + 2 + 2);
    const BioProbe p = Probe(s);
    ExpectSame(search_gallery((*now)->view(), p, 3), Whole(p, 3));
  }
  release = true;
  std::shared_ptr<const LiveGallery::Snapshot> now;
  for (int i = 0; i < 500; ++i) {
    now = *live.Current(store_.get());
    if (now->parts[0].templates == 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(now->parts[0].templates, 6) << "the whole load covers what was there when it began";
  int64_t all = 0;
  for (const auto& part : now->parts) all += part.templates;
  EXPECT_EQ(all, 11);
  for (int s : {2, 5, 7, 10}) {
    const BioProbe p = Probe(s);
    const auto found = search_gallery(now->view(), p, 3);
    ExpectSame(found, Whole(p, 3));
    EXPECT_EQ(FirstFace(found), "S" + std::to_string(s));
  }
}

// A subject taken off its list is not found from the next check on, by
// the parts loaded before; the whole gallery is loaded again without it;
// enrolled again later, it is found again.
TEST_F(LiveGalleryTest, RemovedSubjectsAreNotFoundFromTheNextCheckOn) {
  std::atomic<int> whole_loads{0};
  LiveGallery::Options o;
  o.open_store = [&] { return OpenSqliteStore(path_); };
  o.loaded = [&](const Gallery&, bool whole) { whole_loads += whole; };
  LiveGallery live(o);
  for (int s = 0; s < 12; ++s) Enrol(s);
  ASSERT_TRUE(live.Current(store_.get()).ok());
  Enrol(12);
  ASSERT_TRUE(live.Current(store_.get()).ok());  // a small part
  auto found = [&](const std::shared_ptr<const LiveGallery::Snapshot>& now, int s) {
    const auto c = search_gallery(now->view(), Probe(s), 20);
    return std::count_if(c.begin(), c.end(), [&](const BioCandidate& x) { return x.reference == "S" + std::to_string(s); });
  };

  ASSERT_TRUE(store_->RemoveBioSubject("national", "S3").ok());
  ASSERT_TRUE(store_->RemoveBioSubject("national", "S12").ok());
  auto now = live.Current(store_.get());
  ASSERT_TRUE(now.ok()) << now.error();
  EXPECT_EQ((*now)->last_removal, 2);
  for (int s : {3, 12}) EXPECT_EQ(found(*now, s), 0) << s;
  EXPECT_EQ(found(*now, 4), 2) << "others still found, by finger and face";
  for (int s : {3, 4, 12}) ExpectSame(search_gallery((*now)->view(), Probe(s), 5), Whole(Probe(s), 5));

  // Loaded again whole in the background, without them.
  for (int i = 0; i < 500 && (*now)->parts[0].removals < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    now = live.Current(store_.get());
  }
  ASSERT_EQ((*now)->parts[0].removals, 2);
  EXPECT_EQ((*now)->parts.size(), 1u);
  EXPECT_EQ((*now)->parts[0].templates, 2 * 11);
  EXPECT_EQ((*now)->parts[0].removed, nullptr);
  EXPECT_TRUE((*now)->removals.empty());
  EXPECT_EQ(whole_loads.load(), 2);
  EXPECT_EQ(found(*now, 3), 0);

  // Enrolled again: found again.
  Enrol(3);
  now = live.Current(store_.get());
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(found(*now, 3), 2);
  ExpectSame(search_gallery((*now)->view(), Probe(3), 5), Whole(Probe(3), 5));
}

// Without a store of its own for loading again, removed subjects stay left
// out of the parts loaded before, however many parts come after.
TEST_F(LiveGalleryTest, RemovalsHoldAcrossLaterParts) {
  LiveGallery::Options o;
  o.max_small_parts = 2;
  LiveGallery live(o);
  for (int s = 0; s < 6; ++s) Enrol(s);
  ASSERT_TRUE(live.Current(store_.get()).ok());
  ASSERT_TRUE(store_->RemoveBioSubject("national", "S1").ok());
  for (int s = 6; s < 12; ++s) {
    Enrol(s);
    auto now = live.Current(store_.get());
    ASSERT_TRUE(now.ok());
    ASSERT_NE((*now)->parts[0].removed, nullptr);
    EXPECT_TRUE((*now)->parts[0].removed->count(subject_key("national", "S1")));
    for (size_t i = 1; i < (*now)->parts.size(); ++i) EXPECT_EQ((*now)->parts[i].removed, nullptr) << "loaded after";
    for (int probe : {1, 2, s}) ExpectSame(search_gallery((*now)->view(), Probe(probe), 4), Whole(Probe(probe), 4));
  }
}

}  // namespace
}  // namespace vigil
