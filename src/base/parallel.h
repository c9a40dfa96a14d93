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
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
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

}  // namespace vigil
