// The GPU search of face_index_device.h.
//
// One search is five kernels on one stream:
//  1. Score: every row's integer dot product with the query, read once,
//     coalesced (a group of lanes reads one row, 16 bytes a lane), the
//     query in shared memory; one int32 per row written (1/64 of what is
//     read for 128 values a row).
//  2. Histogram of the scores' top 12 bits (of 30), then Select: the bin
//     where the `top`-th best falls.
//  3. Histogram of the next 12 bits within that bin, then Select again:
//     a threshold 64 score units (2.4e-7) wide.
//  4. Compact: every (row, score) at or above the threshold, at least `top`
//     of them, copied back; the CPU orders them (FaceIndex::Best), so the
//     result is the CPU's to the bit.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "biometrics/face_index_device.h"

namespace vigil {
namespace {

constexpr int kBins = 4096;         // 12 bits a level
constexpr int kThreads = 256;       // a block
constexpr int kRowsAtOnce = 4;      // rows in flight per lane group
constexpr size_t kMaxStride = 8192; // values a row: the query in shared memory

struct Selection {
  uint32_t bin;        // the first level's bin
  uint32_t need;       // how many the second level must find in it
  uint32_t threshold;  // the lowest key kept
};

// Scores as unsigned keys in [0, 2^30), in the same order: |score| <= 2^28
// (both rows are unit vectors; rounding adds far less than 2^28).
__device__ __forceinline__ uint32_t Key(int32_t s) {
  const int64_t k = int64_t{s} + (int64_t{1} << 29);
  return static_cast<uint32_t>(k < 0 ? 0 : k >= (int64_t{1} << 30) ? (int64_t{1} << 30) - 1 : k);
}

// Two int16 in each 32-bit word, multiplied pairwise and summed.
__device__ __forceinline__ int32_t Dot8(int4 a, int4 b) {
  auto pair = [](int x, int y) {
    return ((x << 16) >> 16) * ((y << 16) >> 16) + (x >> 16) * (y >> 16);
  };
  return pair(a.x, b.x) + pair(a.y, b.y) + pair(a.z, b.z) + pair(a.w, b.w);
}

// kLanes lanes per row (a power of two dividing the row's 16-byte chunks,
// up to 32); each lane sums chunks lane, lane + kLanes, ... of its row.
template <int kLanes>
__global__ void Score(const int4* __restrict__ rows, const int4* __restrict__ query, uint32_t chunks, uint64_t n,
                      int32_t* __restrict__ scores) {
  extern __shared__ int4 q[];
  for (uint32_t i = threadIdx.x; i < chunks; i += blockDim.x) q[i] = query[i];
  __syncthreads();
  constexpr int kRowsPerWarp = 32 / kLanes;
  constexpr uint64_t kStep = static_cast<uint64_t>(kRowsPerWarp) * kRowsAtOnce;
  const int lane = threadIdx.x % kLanes;
  const int group = (threadIdx.x % 32) / kLanes;
  const uint64_t warp = (uint64_t{blockIdx.x} * blockDim.x + threadIdx.x) / 32;
  const uint64_t warps = uint64_t{gridDim.x} * blockDim.x / 32;
  // Every lane of a warp takes the same turns, so the shuffles below see
  // the whole warp.
  for (uint64_t base = warp * kStep; base < n; base += warps * kStep) {
    int32_t s[kRowsAtOnce] = {};
    for (uint32_t c = lane; c < chunks; c += kLanes) {
      const int4 w = q[c];
#pragma unroll
      for (int r = 0; r < kRowsAtOnce; ++r) {
        const uint64_t row = base + static_cast<uint64_t>(r) * kRowsPerWarp + group;
        if (row < n) s[r] += Dot8(__ldg(rows + row * chunks + c), w);
      }
    }
#pragma unroll
    for (int r = 0; r < kRowsAtOnce; ++r) {
#pragma unroll
      for (int o = kLanes / 2; o > 0; o /= 2) s[r] += __shfl_xor_sync(0xffffffffu, s[r], o);
      const uint64_t row = base + static_cast<uint64_t>(r) * kRowsPerWarp + group;
      if (lane == 0 && row < n) scores[row] = s[r];
    }
  }
}

// Counts keys by their top 12 bits (level 0), or by the next 12 among those
// in the bin the first level selected (level 1).
__global__ void Histogram(const int32_t* __restrict__ scores, uint64_t n, int level, const Selection* sel,
                          uint32_t* hist) {
  __shared__ uint32_t h[kBins];
  for (int b = threadIdx.x; b < kBins; b += blockDim.x) h[b] = 0;
  __syncthreads();
  const uint32_t bin = level ? sel->bin : 0;
  for (uint64_t i = uint64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < n; i += uint64_t{gridDim.x} * blockDim.x) {
    const uint32_t k = Key(scores[i]);
    if (level == 0)
      atomicAdd(&h[k >> 18], 1u);
    else if ((k >> 18) == bin)
      atomicAdd(&h[(k >> 6) & (kBins - 1)], 1u);
  }
  __syncthreads();
  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    if (h[b]) atomicAdd(&hist[b], h[b]);
}

// One warp: the highest bin b with at least `need` keys in bins >= b (bin 0
// where there are fewer: everything is kept).
__global__ void Select(const uint32_t* __restrict__ hist, uint32_t top, int level, Selection* sel) {
  constexpr int kPerLane = kBins / 32;
  const int lane = threadIdx.x;
  const uint32_t need = level ? sel->need : top;
  const int hi = kBins - lane * kPerLane;  // lane 0 holds the highest bins
  uint32_t mine = 0;
  for (int b = hi - kPerLane; b < hi; ++b) mine += hist[b];
  uint32_t upto = mine;  // keys in the bins of lanes 0..lane
  for (int o = 1; o < 32; o *= 2) {
    const uint32_t v = __shfl_up_sync(0xffffffffu, upto, o);
    if (lane >= o) upto += v;
  }
  const unsigned reached = __ballot_sync(0xffffffffu, upto >= need);
  const int first = reached ? __ffs(reached) - 1 : 31;
  if (lane != first) return;
  uint32_t above = upto - mine;
  int chosen = hi - kPerLane;
  for (int b = hi - 1; b >= hi - kPerLane; --b) {
    if (above + hist[b] >= need) {
      chosen = b;
      break;
    }
    above += hist[b];
  }
  if (!reached) chosen = 0;
  if (level == 0) {
    sel->bin = chosen;
    sel->need = reached ? need - above : 0xffffffffu;
  } else {
    sel->threshold = (sel->bin << 18) | (uint32_t(chosen) << 6);
  }
}

__global__ void Compact(const int32_t* __restrict__ scores, uint64_t n, const Selection* sel, uint2* out,
                        uint32_t* count) {
  const uint32_t threshold = sel->threshold;
  for (uint64_t i = uint64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < n; i += uint64_t{gridDim.x} * blockDim.x) {
    const int32_t s = scores[i];
    if (Key(s) >= threshold) out[atomicAdd(count, 1u)] = make_uint2(static_cast<uint32_t>(i), static_cast<uint32_t>(s));
  }
}

Status Failed(const char* what, cudaError_t e) {
  return Status::Error(std::string("face search on a GPU: ") + what + ": " + cudaGetErrorString(e));
}

}  // namespace

struct FaceIndexDevice::Buffers {
  cudaStream_t stream = nullptr;
  int4* rows = nullptr;
  int4* query = nullptr;
  int32_t* scores = nullptr;
  uint32_t* hist = nullptr;  // two levels
  Selection* sel = nullptr;
  uint2* found = nullptr;
  uint32_t* count = nullptr;
  uint64_t n = 0;
  uint32_t chunks = 0;  // 16-byte chunks a row
  int lanes = 0;
  int score_blocks = 0, pass_blocks = 0;

  ~Buffers() {
    for (void* p : {static_cast<void*>(rows), static_cast<void*>(query), static_cast<void*>(scores),
                    static_cast<void*>(hist), static_cast<void*>(sel), static_cast<void*>(found),
                    static_cast<void*>(count)})
      if (p) cudaFree(p);
    if (stream) cudaStreamDestroy(stream);
  }
};

FaceIndexDevice::FaceIndexDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FaceIndexDevice::~FaceIndexDevice() = default;

namespace {

template <int kLanes>
void LaunchScore(FaceIndexDevice::Buffers& b) {
  Score<kLanes><<<b.score_blocks, kThreads, b.chunks * sizeof(int4), b.stream>>>(b.rows, b.query, b.chunks, b.n,
                                                                                  b.scores);
}

int Occupancy(const void* kernel, size_t shared) {
  int device = 0, sms = 0, per_sm = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, kThreads, shared);
  return std::max(1, sms * std::max(1, per_sm));
}

const void* ScoreKernel(int lanes) {
  switch (lanes) {
    case 2: return reinterpret_cast<const void*>(&Score<2>);
    case 4: return reinterpret_cast<const void*>(&Score<4>);
    case 8: return reinterpret_cast<const void*>(&Score<8>);
    case 16: return reinterpret_cast<const void*>(&Score<16>);
    default: return reinterpret_cast<const void*>(&Score<32>);
  }
}

}  // namespace

Result<std::unique_ptr<FaceIndexDevice>> FaceIndexDevice::Create(const FaceIndex& index) {
  int devices = 0;
  if (cudaError_t e = cudaGetDeviceCount(&devices); e != cudaSuccess || devices == 0) {
    cudaGetLastError();  // clear it
    return Status::Error("face search on a GPU: no CUDA GPU is present" +
                         std::string(e != cudaSuccess ? std::string(" (") + cudaGetErrorString(e) + ")" : ""));
  }
  if (index.size() == 0) return Status::Error("face search on a GPU: the index is empty");
  if (index.stride() > kMaxStride) return Status::Error("face search on a GPU: embeddings of over 8,192 values");
  auto b = std::make_unique<Buffers>();
  b->n = index.size();
  b->chunks = static_cast<uint32_t>(index.stride() / 8);
  b->lanes = 2;
  while (b->lanes < 32 && b->chunks % (b->lanes * 2) == 0) b->lanes *= 2;
  size_t free_bytes = 0, total = 0;
  if (cudaError_t e = cudaMemGetInfo(&free_bytes, &total); e != cudaSuccess) return Failed("memory", e);
  const size_t needed = index.bytes() + b->n * (sizeof(int32_t) + sizeof(uint2)) + (64 << 20);
  if (needed > free_bytes)
    return Status::Error("face search on a GPU: the index needs " + std::to_string(needed >> 20) + " MiB, " +
                         std::to_string(free_bytes >> 20) + " MiB are free");
  cudaError_t e = cudaStreamCreateWithFlags(&b->stream, cudaStreamNonBlocking);
  if (e == cudaSuccess) e = cudaMalloc(&b->rows, index.bytes());
  if (e == cudaSuccess) e = cudaMalloc(&b->query, index.stride() * sizeof(int16_t));
  if (e == cudaSuccess) e = cudaMalloc(&b->scores, b->n * sizeof(int32_t));
  if (e == cudaSuccess) e = cudaMalloc(&b->hist, 2 * kBins * sizeof(uint32_t));
  if (e == cudaSuccess) e = cudaMalloc(&b->sel, sizeof(Selection));
  if (e == cudaSuccess) e = cudaMalloc(&b->found, b->n * sizeof(uint2));
  if (e == cudaSuccess) e = cudaMalloc(&b->count, sizeof(uint32_t));
  if (e == cudaSuccess) e = cudaMemcpy(b->rows, index.rows(), index.bytes(), cudaMemcpyHostToDevice);
  if (e != cudaSuccess) return Failed("copying the index", e);
  b->score_blocks = Occupancy(ScoreKernel(b->lanes), b->chunks * sizeof(int4));
  b->pass_blocks = Occupancy(reinterpret_cast<const void*>(&Histogram), 0);
  return std::unique_ptr<FaceIndexDevice>(new FaceIndexDevice(std::move(b)));
}

std::vector<FaceIndex::Hit> FaceIndexDevice::Search(const FaceIndex& index, const std::vector<float>& query,
                                                    size_t top) const {
  const std::vector<int16_t> q = index.Quantise(query);
  if (q.empty() || top == 0 || index.size() != b_->n) return index.SearchOnCpu(query, top);
  const uint32_t k = static_cast<uint32_t>(std::min<size_t>(top, b_->n));
  std::lock_guard<std::mutex> lock(mu_);
  Buffers& b = *b_;
  std::vector<std::pair<uint32_t, int32_t>> found;
  cudaError_t e = cudaMemcpyAsync(b.query, q.data(), q.size() * sizeof(int16_t), cudaMemcpyHostToDevice, b.stream);
  if (e == cudaSuccess) e = cudaMemsetAsync(b.hist, 0, 2 * kBins * sizeof(uint32_t), b.stream);
  if (e == cudaSuccess) e = cudaMemsetAsync(b.count, 0, sizeof(uint32_t), b.stream);
  if (e == cudaSuccess) {
    switch (b.lanes) {
      case 2: LaunchScore<2>(b); break;
      case 4: LaunchScore<4>(b); break;
      case 8: LaunchScore<8>(b); break;
      case 16: LaunchScore<16>(b); break;
      default: LaunchScore<32>(b); break;
    }
    for (int level = 0; level < 2; ++level) {
      Histogram<<<b.pass_blocks, kThreads, 0, b.stream>>>(b.scores, b.n, level, b.sel, b.hist + level * kBins);
      Select<<<1, 32, 0, b.stream>>>(b.hist + level * kBins, k, level, b.sel);
    }
    Compact<<<b.pass_blocks, kThreads, 0, b.stream>>>(b.scores, b.n, b.sel, b.found, b.count);
    e = cudaGetLastError();
  }
  uint32_t count = 0;
  if (e == cudaSuccess) e = cudaMemcpyAsync(&count, b.count, sizeof(count), cudaMemcpyDeviceToHost, b.stream);
  if (e == cudaSuccess) e = cudaStreamSynchronize(b.stream);
  if (e == cudaSuccess) {
    std::vector<uint2> raw(count);
    e = cudaMemcpyAsync(raw.data(), b.found, count * sizeof(uint2), cudaMemcpyDeviceToHost, b.stream);
    if (e == cudaSuccess) e = cudaStreamSynchronize(b.stream);
    found.reserve(count);
    for (const uint2& r : raw) found.push_back({r.x, static_cast<int32_t>(r.y)});
  }
  if (e != cudaSuccess || found.size() < k) {
    cudaGetLastError();
    return index.SearchOnCpu(query, top);
  }
  return FaceIndex::Best(std::move(found), top);
}

}  // namespace vigil
