// Exact face search (biometrics/face_index.h) against the memory-bandwidth
// floor measured in the same run: one pass summing an array of the same
// size on the same number of threads. Search cannot be faster than reading
// its embeddings once, so the ratio says how close it gets. In a CUDA build
// on a machine with a GPU, the same on the GPU, its floor measured the same
// way there, and every GPU answer compared with the CPU's.
//
// Then the photograph path on the sample face (data/faces): decoding,
// detection and alignment, and the recogniser, in milliseconds per face on
// one thread.
//
//   vigil_face_bench [N [DIMENSION [search]]]
//     default 1,000,000 x 128; "search" leaves the photograph out
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "base/file.h"
#include "base/parallel.h"
#include "bench_support.h"
#include "biometrics/face_detect.h"
#include "biometrics/face_index.h"
#include "biometrics/face_model.h"
#ifdef VIGIL_BENCH_CUDA
#include "face_floor.h"
#endif

namespace {

// Sixteen independent sums over [begin, end): as many adds in flight as
// the search keeps, so that this pass is bound by memory alone.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
double sum_range(const float* data, size_t begin, size_t end) {
  float s[16] = {};
  size_t i = begin;
  for (; i + 16 <= end; i += 16)
    for (size_t k = 0; k < 16; ++k) s[k] += data[i + k];
  double total = 0;
  for (; i < end; ++i) total += data[i];
  for (float v : s) total += v;
  return total;
}

// Sums `data` in `workers` slices, split as the search splits its scan:
// the floor of one pass over it.
double sum_all(const std::vector<float>& data, unsigned workers) {
  std::vector<double> part(workers);
  vigil::in_slices(data.size(), workers,
                   [&](size_t w, size_t begin, size_t end) { part[w] = sum_range(data.data(), begin, end); });
  double s = 0;
  for (double p : part) s += p;
  return s;
}

// Values in [-1, 1), quickly: tens of millions of embeddings are drawn.
struct Uniform {
  uint64_t state;
  float operator()() {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return static_cast<float>(static_cast<int32_t>(state >> 32)) * 0x1p-31f;
  }
};

struct Timing {
  double best = 1e9, sum = 0;
  int runs = 0;
  void Add(double t) { best = std::min(best, t), sum += t, ++runs; }
  double mean() const { return sum / runs; }
};

bool Same(const std::vector<vigil::FaceIndex::Hit>& a, const std::vector<vigil::FaceIndex::Hit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].score != b[i].score) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const size_t d = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 128;
  const bool photographs = !(argc > 3 && std::strcmp(argv[3], "search") == 0);
  Uniform draw{0x9e3779b97f4a7c15ull};
  vigil::FaceIndex index;
  index.Reserve(n, d);
  std::vector<std::vector<float>> kept;  // every tenth of the gallery's first: the probes' mates
  std::vector<size_t> kept_ids;
  std::vector<float> v(d);
  for (size_t i = 0; i < n; ++i) {
    for (float& x : v) x = draw();
    if (!index.Add(v).ok()) return 1;
    if (i % (n / 10 + 1) == 0) kept.push_back(v), kept_ids.push_back(i);
  }
  // Probes: the mates with noise as large as themselves; the mate must come first.
  std::vector<std::vector<float>> probes;
  for (int r = 0; r < 3; ++r)
    for (const auto& m : kept) {
      std::vector<float> q = m;
      for (float& x : q) x += draw();
      probes.push_back(q);
    }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const double gb = index.bytes() / 1e9;
  const int passes = std::clamp(static_cast<int>(8e9 / index.bytes()), 3, 30);

  std::vector<float> floor_data(index.bytes() / sizeof(float), 1.0f);
  Timing floor;
  for (int r = 0; r < passes; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    volatile double s = sum_all(floor_data, cores);
    (void)s;
    floor.Add(vigil::bench::seconds_since(t0));
  }
  floor_data = {};
  Timing cpu;
  std::vector<std::vector<vigil::FaceIndex::Hit>> answers(probes.size());
  int first = 0;
  for (int r = 0; r < passes; ++r) {
    const size_t p = r % probes.size();
    const auto t0 = std::chrono::steady_clock::now();
    answers[p] = index.Search(probes[p], 10);
    cpu.Add(vigil::bench::seconds_since(t0));
  }
  for (size_t p = 0; p < probes.size(); ++p) {
    if (answers[p].empty()) answers[p] = index.Search(probes[p], 10);
    first += answers[p][0].id == kept_ids[p % kept.size()];
  }
  std::printf("exact face search, %zu x %zu values in 16-bit fixed point (%.2f GB), %u threads\n", n, d, gb, cores);
  std::printf("CPU memory floor (one summing pass): best %.2f ms, %.1f GB/s\n", 1e3 * floor.best, gb / floor.best);
  std::printf("CPU search: best %.2f ms, mean %.2f ms, %.1f GB/s = %.0f %% of the floor (best against best); "
              "mate first in %d of %zu probes\n",
              1e3 * cpu.best, 1e3 * cpu.mean(), gb / cpu.best, 100 * floor.best / cpu.best, first, probes.size());

  if (auto st = index.UseDevice(); !st.ok()) {
    std::printf("GPU search: not run (%s)\n", st.message().c_str());
  } else {
#ifdef VIGIL_BENCH_CUDA
    const double device_floor = device_floor_seconds(index.bytes(), 20);
#else
    const double device_floor = -1;
#endif
    Timing gpu;
    int same = 0, runs = 0;
    for (const auto& q : probes) index.Search(q, 10);  // warms up
    for (int r = 0; r < 10; ++r)
      for (size_t p = 0; p < probes.size(); ++p) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto hits = index.Search(probes[p], 10);
        gpu.Add(vigil::bench::seconds_since(t0));
        same += Same(hits, answers[p]);
        ++runs;
      }
    if (device_floor > 0)
      std::printf("GPU memory floor (one summing pass): best %.3f ms, %.0f GB/s\n", 1e3 * device_floor,
                  gb / device_floor);
    std::printf("GPU search: best %.3f ms, mean %.3f ms, %.0f GB/s = %.0f %% of the floor (best against best); "
                "%.0fx the CPU (mean against mean); the CPU's answer in %d of %d searches\n",
                1e3 * gpu.best, 1e3 * gpu.mean(), gb / gpu.best, device_floor > 0 ? 100 * device_floor / gpu.best : 0.0,
                cpu.mean() / gpu.mean(), same, runs);
    const vigil::FaceIndex::DeviceSearches ways = index.device_searches();
    std::printf("GPU searches in one scan at a guessed threshold: %llu of %llu\n",
                static_cast<unsigned long long>(ways.one_scan),
                static_cast<unsigned long long>(ways.one_scan + ways.sampled));
  }
  if (!photographs) return 0;

  auto bytes = vigil::read_file(std::string(VIGIL_SOURCE_DIR) + "/data/faces/astronaut.jpg");
  auto model = vigil::FaceEmbedder::Load(vigil::default_face_model_dir());
  auto finder = vigil::FaceFinder::Load(vigil::default_cascade_dir());
  if (!bytes.ok() || !model.ok() || !finder.ok()) {
    std::printf("photographs: the sample, the face model or the cascades are missing\n");
    return 1;
  }
  double decode = 1e9, detect = 1e9, embed = 1e9;
  for (int r = 0; r < 10; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto photo = vigil::decode_colour_image(*bytes);
    decode = std::min(decode, vigil::bench::seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    auto crop = finder->Crop(*photo);
    detect = std::min(detect, vigil::bench::seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    volatile float first_value = model->Embed(*crop)[0];
    (void)first_value;
    embed = std::min(embed, vigil::bench::seconds_since(t0));
  }
  std::printf("photograph (320x320 JPEG), best of 10 on 1 thread: decode %.1f ms, detect and align %.1f ms, embed %.1f ms\n",
              1e3 * decode, 1e3 * detect, 1e3 * embed);
  return 0;
}
