// Work split over the machine's cores, for scans whose parts are
// independent.
//
// Promises:
//  - slices_for(n, minimum) is 1 when n < minimum (one thread does it
//    sooner than several start), else one slice per core, at most 64.
//  - in_slices(n, slices, work) calls work(slice, begin, end) once for each
//    of `slices` consecutive ranges that together cover [0, n) (the last
//    ones may be empty): the first on the calling thread, the others on
//    threads of their own; it returns when every call has.
//  - each_at_once(n, most, work) gives work(i) for each i in [0, n), in
//    order of i, computed on up to `most` threads at once (never more than
//    the cores, nor than n), each taking the next i not yet taken: parts
//    of uneven cost keep every thread busy. The threads it starts besides
//    the caller's come from one budget for the whole process, a core less
//    than the machine has: calls made together (a server's requests, a
//    call within another's work) share the cores rather than each taking
//    them all, and one that finds the budget spent works alone.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace vigil {

inline size_t slices_for(size_t n, size_t minimum) {
  return n < minimum ? 1 : std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 64));
}

template <typename Work>
void in_slices(size_t n, size_t slices, Work&& work) {
  const size_t slice = (n + slices - 1) / std::max<size_t>(slices, 1);
  std::vector<std::thread> threads;
  for (size_t s = 1; s < slices; ++s)
    threads.emplace_back([&, s] { work(s, std::min(n, s * slice), std::min(n, (s + 1) * slice)); });
  work(size_t{0}, size_t{0}, std::min(n, slice));
  for (auto& t : threads) t.join();
}

// The threads each_at_once() may still start, process-wide.
inline std::atomic<size_t>& spare_threads() {
  static std::atomic<size_t> spare{std::max<size_t>(1, std::thread::hardware_concurrency()) - 1};
  return spare;
}

template <typename Work>
auto each_at_once(size_t n, size_t most, Work&& work) -> std::vector<decltype(work(size_t{}))> {
  std::vector<std::optional<decltype(work(size_t{}))>> done(n);
  std::atomic<size_t> next{0};
  const size_t wanted = std::min({n, std::max<size_t>(1, std::thread::hardware_concurrency()), std::max<size_t>(most, 1)});
  size_t extra = 0, spare = spare_threads().load();
  do extra = std::min(spare, wanted > 0 ? wanted - 1 : 0);
  while (!spare_threads().compare_exchange_weak(spare, spare - extra));
  in_slices(extra + 1, extra + 1, [&](size_t, size_t, size_t) {
    for (size_t i; (i = next++) < n;) done[i].emplace(work(i));
  });
  spare_threads() += extra;
  std::vector<decltype(work(size_t{}))> out;
  out.reserve(n);
  for (auto& d : done) out.push_back(std::move(*d));
  return out;
}

}  // namespace vigil
