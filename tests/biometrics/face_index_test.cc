// Exact face search: the same answer as a plain double-precision scan, to
// within the fixed point the rows are kept in, on one thread or many and on
// the GPU (where there is one); bad embeddings refused.
#include "biometrics/face_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

namespace vigil {
namespace {

std::vector<float> Random(std::mt19937& rng, size_t d) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> v(d);
  for (float& x : v) x = g(rng);
  return v;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
  return ab / std::sqrt(aa * bb);
}

// The reference: the `top` best cosines in double precision, best first.
std::vector<double> Reference(const std::vector<std::vector<float>>& all, const std::vector<float>& q, size_t top) {
  std::vector<double> s;
  for (const auto& v : all) s.push_back(Cosine(v, q));
  std::sort(s.begin(), s.end(), std::greater<>());
  s.resize(top);
  return s;
}

TEST(FaceIndexTest, ExactToTheFixedPointOnOneThreadAndOnMany) {
  std::mt19937 rng(3);
  for (size_t n : {1000u, 70000u}) {  // the second is scanned on every core
    FaceIndex index;
    std::vector<std::vector<float>> all;
    for (size_t i = 0; i < n; ++i) {
      all.push_back(Random(rng, 64));
      ASSERT_TRUE(index.Add(all.back()).ok());
    }
    for (int k = 0; k < 5; ++k) {
      std::vector<float> q = all[static_cast<size_t>(k) * 97];
      std::normal_distribution<float> noise(0, 0.5f);
      for (float& x : q) x += noise(rng);
      const auto hits = index.Search(q, 10);
      ASSERT_EQ(hits.size(), 10u);
      const std::vector<double> best = Reference(all, q, 10);
      for (size_t i = 0; i < hits.size(); ++i) {
        // Each score is its cosine, and each place holds one as good as the
        // reference's: a swap only between cosines closer than rounding.
        EXPECT_NEAR(hits[i].score, Cosine(all[hits[i].id], q), 1e-4) << n << " " << i;
        EXPECT_NEAR(Cosine(all[hits[i].id], q), best[i], 2e-4) << n << " " << i;
        if (i > 0) {
          EXPECT_TRUE(hits[i - 1].score > hits[i].score ||
                      (hits[i - 1].score == hits[i].score && hits[i - 1].id < hits[i].id));
        }
      }
      EXPECT_EQ(hits[0].id, static_cast<size_t>(k) * 97) << "the mate first";
    }
  }
}

// The GPU's answer is the CPU's, to the bit: ids, scores, order and ties,
// for dimensions read with 2, 8, 16 and 32 lanes a row, for any `top`, and
// where many rows share the score at which the list is cut.
TEST(FaceIndexTest, TheGpuFindsWhatTheCpuFinds) {
  std::mt19937 rng(5);
  bool ran = false;
  for (size_t d : {10u, 64u, 128u, 512u}) {
    FaceIndex index;
    const size_t n = d == 512 ? 40000 : 150000;
    std::vector<float> twin = Random(rng, d);
    for (size_t i = 0; i < n; ++i) ASSERT_TRUE(index.Add(i % 7 == 3 ? twin : Random(rng, d)).ok());
    const Status device = index.UseDevice();
    std::vector<std::vector<float>> queries = {twin, Random(rng, d)};
    for (int k = 0; k < 3; ++k) {
      std::vector<float> q = Random(rng, d);
      for (size_t i = 0; i < d; ++i) q[i] += 2 * index.rows()[(k * 1001 + 1) * index.stride() + i];
      queries.push_back(q);
    }
    for (const auto& q : queries)
      for (size_t top : {size_t{1}, size_t{10}, size_t{1000}, n + 3}) {
        const auto gpu = index.Search(q, top);
        const auto cpu = index.SearchOnCpu(q, top);
        ASSERT_EQ(gpu.size(), cpu.size()) << d << " " << top;
        for (size_t i = 0; i < cpu.size(); ++i) {
          ASSERT_EQ(gpu[i].id, cpu[i].id) << d << " " << top << " " << i;
          ASSERT_EQ(gpu[i].score, cpu[i].score) << d << " " << top << " " << i;
        }
      }
    // Like queries one after another, as at a gate: the GPU scans once at
    // the threshold the last search suggests.
    for (int k = 0; k < 20; ++k) {
      const std::vector<float> q = Random(rng, d);
      const auto gpu = index.Search(q, 10);
      const auto cpu = index.SearchOnCpu(q, 10);
      ASSERT_EQ(gpu.size(), cpu.size()) << d << " " << k;
      for (size_t i = 0; i < cpu.size(); ++i) {
        ASSERT_EQ(gpu[i].id, cpu[i].id) << d << " " << k << " " << i;
        ASSERT_EQ(gpu[i].score, cpu[i].score) << d << " " << k << " " << i;
      }
    }
    // The twins tie: the earliest first.
    const auto twins = index.Search(twin, 3);
    ASSERT_EQ(twins.size(), 3u);
    EXPECT_EQ(twins[0].id, 3u);
    EXPECT_EQ(twins[2].id, 17u);
    if (!device.ok()) {
      EXPECT_FALSE(index.on_device());
      std::printf("no GPU: %s\n", device.message().c_str());
      continue;
    }
    ran = true;
    EXPECT_TRUE(index.on_device());
    // Both ways were taken and checked above: one scan at a guessed
    // threshold, and the sampled search (first, and where a guess failed).
    const FaceIndex::DeviceSearches searches = index.device_searches();
    EXPECT_GT(searches.one_scan, 0u) << d;
    EXPECT_GT(searches.sampled, 1u) << d;
    ASSERT_TRUE(index.Add(twin).ok());
    EXPECT_FALSE(index.on_device()) << "adding lets the GPU's copy go";
  }
  if (!ran) GTEST_SKIP() << "the CPU answered; the GPU's search needs a CUDA build on a machine with a GPU";
}

TEST(FaceIndexTest, EqualScoresKeepInsertionOrderAndBadEmbeddingsAreRefused) {
  FaceIndex index;
  ASSERT_TRUE(index.Add({1, 0, 0}).ok());
  ASSERT_TRUE(index.Add({2, 0, 0}).ok());  // the same direction
  ASSERT_TRUE(index.Add({0, 1, 0}).ok());
  const auto hits = index.Search({3, 0, 0}, 3);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 0u);
  EXPECT_EQ(hits[1].id, 1u);
  EXPECT_EQ(hits[0].score, 1.0f);
  EXPECT_EQ(hits[2].score, 0.0f);
  EXPECT_FALSE(index.Add({1, 2}).ok()) << "another dimension";
  EXPECT_FALSE(index.Add({0, 0, 0}).ok());
  EXPECT_FALSE(index.Add({NAN, 1, 0}).ok());
  EXPECT_FALSE(index.Add({}).ok());
  EXPECT_TRUE(index.Search({1, 2}, 3).empty()) << "a query of another dimension finds nothing";
  EXPECT_EQ(index.size(), 3u);
}

}  // namespace
}  // namespace vigil
