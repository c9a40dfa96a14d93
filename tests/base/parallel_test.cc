// Work split over cores: every part done once, results in order.
#include "base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace vigil {
namespace {

// in_slices covers [0, n) with consecutive ranges, each called once.
TEST(ParallelTest, SlicesCoverTheRangeOnce) {
  for (size_t n : {0u, 1u, 7u, 100u})
    for (size_t slices : {1u, 3u, 8u}) {
      std::vector<std::atomic<int>> seen(n);
      in_slices(n, slices, [&](size_t, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) ++seen[i];
      });
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << n << " in " << slices << ": " << i;
    }
}

// each_at_once gives work(i) in order of i, each computed once, however
// uneven the parts, on more than one thread where the machine has cores.
TEST(ParallelTest, EachAtOnceKeepsTheOrder) {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  const auto out = each_at_once(40, 8, [&](size_t i) {
    ++calls;
    if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // uneven parts
    std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
    return std::to_string(i * i);
  });
  ASSERT_EQ(out.size(), 40u);
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], std::to_string(i * i));
  EXPECT_EQ(calls, 40);
  if (std::thread::hardware_concurrency() > 1) {
    EXPECT_GT(threads.size(), 1u);
  }
  EXPECT_TRUE(each_at_once(0, 8, [](size_t i) { return i; }).empty());
  EXPECT_EQ(each_at_once(3, 1, [](size_t i) { return i + 1; }), (std::vector<size_t>{1, 2, 3}));
}

// Calls made within another's work share one budget of threads: while
// the outer call holds every spare core, each inner call works alone, on
// its caller's thread; afterwards the budget is whole again.
TEST(ParallelTest, CallsTogetherShareTheCores) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::mutex mu;
  size_t alone = 0;
  const auto sums = each_at_once(cores, cores, [&](size_t i) {
    std::set<std::thread::id> inner;
    const auto parts = each_at_once(16, 8, [&](size_t k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // time for any other thread to take parts
      std::lock_guard lock(mu);
      inner.insert(std::this_thread::get_id());
      return k + i;
    });
    std::lock_guard lock(mu);
    alone += inner.size() == 1 && *inner.begin() == std::this_thread::get_id();
    size_t sum = 0;
    for (size_t p : parts) sum += p;
    return sum;
  });
  for (size_t i = 0; i < cores; ++i) EXPECT_EQ(sums[i], 120 + 16 * i);
  EXPECT_EQ(alone, cores) << "every inner call worked on its caller's thread alone";
  EXPECT_EQ(spare_threads().load(), cores - 1);
}

}  // namespace
}  // namespace vigil
