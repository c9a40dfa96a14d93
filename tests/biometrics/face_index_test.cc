// Exact face search: the same answer as a plain double-precision scan, on
// one thread or many, and bad embeddings refused.
#include "biometrics/face_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace vigil {
namespace {

std::vector<float> Random(std::mt19937& rng, size_t d) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> v(d);
  for (float& x : v) x = g(rng);
  return v;
}

// The reference: cosine in double precision, best first, ties by id.
std::vector<size_t> Reference(const std::vector<std::vector<float>>& all, const std::vector<float>& q, size_t top) {
  auto cosine = [](const std::vector<float>& a, const std::vector<float>& b) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
    return ab / std::sqrt(aa * bb);
  };
  std::vector<size_t> ids(all.size());
  std::iota(ids.begin(), ids.end(), 0);
  std::vector<double> s(all.size());
  for (size_t i = 0; i < all.size(); ++i) s[i] = cosine(all[i], q);
  std::stable_sort(ids.begin(), ids.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
  ids.resize(top);
  return ids;
}

TEST(FaceIndexTest, ExactOnOneThreadAndOnMany) {
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
      std::vector<size_t> got;
      for (const auto& h : hits) got.push_back(h.id);
      EXPECT_EQ(got, Reference(all, q, 10)) << n;
      EXPECT_EQ(hits[0].id, static_cast<size_t>(k) * 97) << "the mate first";
      for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
    }
  }
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
  EXPECT_NEAR(hits[0].score, 1.0f, 1e-6);
  EXPECT_NEAR(hits[2].score, 0.0f, 1e-6);
  EXPECT_FALSE(index.Add({1, 2}).ok()) << "another dimension";
  EXPECT_FALSE(index.Add({0, 0, 0}).ok());
  EXPECT_FALSE(index.Add({NAN, 1, 0}).ok());
  EXPECT_FALSE(index.Add({}).ok());
  EXPECT_TRUE(index.Search({1, 2}, 3).empty()) << "a query of another dimension finds nothing";
  EXPECT_EQ(index.size(), 3u);
}

}  // namespace
}  // namespace vigil
