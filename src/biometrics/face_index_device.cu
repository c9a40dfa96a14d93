// The GPU search of face_index_device.h.
//
// One search is one CUDA graph, captured when the index is copied, so that
// a search costs one launch and one wait, and it reads every row once:
//  0. The query (and how many are wanted) is copied in from pinned memory;
//     the histogram and the count are zeroed.
//  1. Sample: the first rows (1/32 of the index, at least 65,536) are
//     scored, their scores kept and counted by their top 12 bits (of 30).
//  2. Select: the bin where the sample's `top`-th best falls. Its lower
//     edge is the threshold: at least `top` rows score that much, so no row
//     below it can be among the best.
//  3. Scan: every other row is scored and kept, with its score, only where
//     it reaches the threshold; the sample's rows are kept the same way.
//     Coalesced integer dot products (a group of lanes reads one row, 16
//     bytes a lane), the query in shared memory; nothing is written for a
//     row that falls short, which is nearly every row.
//  4. The count and the first kReturned kept rows are copied back to pinned
//     memory (the rest, rarely, after). The CPU orders them
//     (FaceIndex::Best), so the result is the CPU's to the bit.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "biometrics/cuda_check.h"
#include "biometrics/face_index_device.h"

namespace vigil {
namespace {

constexpr int kBins = 4096;         // 12 bits
constexpr int kThreads = 256;       // a block
constexpr int kRowsAtOnce = 4;      // rows in flight per lane group
constexpr size_t kMaxStride = 8192; // values a row: the query in shared memory
constexpr uint32_t kReturned = 4096;  // candidates copied back by the graph
constexpr uint64_t kMinSample = 65536;

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

// Where scored rows go. The sample (rows [0, n)) keeps every score and
// counts it in `hist`; the scan (rows [first, n)) keeps a row in `found`
// only where its key reaches *threshold.
struct Sink {
  int32_t* scores;         // sample: a score a row
  uint32_t* hist;          // sample: kBins counts
  const uint32_t* threshold;  // scan
  uint2* found;            // scan: (row, score)
  uint32_t* count;         // scan: how many are in `found`
};

// kLanes lanes per row (a power of two dividing the row's 16-byte chunks,
// up to 32); each lane sums chunks lane, lane + kLanes, ... of its row.
template <int kLanes, bool kSample>
__global__ void Score(const int4* __restrict__ rows, const int4* __restrict__ query, uint32_t chunks, uint64_t first,
                      uint64_t n, Sink sink) {
  extern __shared__ int4 q[];
  __shared__ uint32_t h[kSample ? kBins : 1];
  for (uint32_t i = threadIdx.x; i < chunks; i += blockDim.x) q[i] = query[i];
  if (kSample)
    for (int b = threadIdx.x; b < kBins; b += blockDim.x) h[b] = 0;
  uint32_t threshold = 0;
  if (!kSample) {
    threshold = *sink.threshold;
    // The sample's rows, already scored.
    for (uint64_t i = uint64_t{blockIdx.x} * blockDim.x + threadIdx.x; i < first;
         i += uint64_t{gridDim.x} * blockDim.x) {
      const int32_t s = sink.scores[i];
      if (Key(s) >= threshold)
        sink.found[atomicAdd(sink.count, 1u)] = make_uint2(static_cast<uint32_t>(i), static_cast<uint32_t>(s));
    }
  }
  __syncthreads();
  constexpr int kRowsPerWarp = 32 / kLanes;
  constexpr uint64_t kStep = static_cast<uint64_t>(kRowsPerWarp) * kRowsAtOnce;
  const int lane = threadIdx.x % kLanes;
  const int group = (threadIdx.x % 32) / kLanes;
  const uint64_t warp = (uint64_t{blockIdx.x} * blockDim.x + threadIdx.x) / 32;
  const uint64_t warps = uint64_t{gridDim.x} * blockDim.x / 32;
  // Every lane of a warp takes the same turns, so the shuffles below see
  // the whole warp.
  for (uint64_t base = first + warp * kStep; base < n; base += warps * kStep) {
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
      if (lane != 0 || row >= n) continue;
      if (kSample) {
        sink.scores[row] = s[r];
        atomicAdd(&h[Key(s[r]) >> 18], 1u);
      } else if (Key(s[r]) >= threshold) {
        sink.found[atomicAdd(sink.count, 1u)] = make_uint2(static_cast<uint32_t>(row), static_cast<uint32_t>(s[r]));
      }
    }
  }
  if (kSample) {
    __syncthreads();
    for (int b = threadIdx.x; b < kBins; b += blockDim.x)
      if (h[b]) atomicAdd(&sink.hist[b], h[b]);
  }
}

// One warp: the lower edge of the highest bin b with at least `top` keys in
// bins >= b (0 where there are fewer: everything is kept).
__global__ void Select(const uint32_t* __restrict__ hist, const uint32_t* top, uint32_t* threshold) {
  constexpr int kPerLane = kBins / 32;
  const int lane = threadIdx.x;
  const uint32_t need = *top;
  const int hi = kBins - lane * kPerLane;  // lane 0 holds the highest bins
  uint32_t mine = 0;
  for (int b = hi - kPerLane; b < hi; ++b) mine += hist[b];
  uint32_t upto = mine;  // keys in the bins of lanes 0..lane
  for (int o = 1; o < 32; o *= 2) {
    const uint32_t v = __shfl_up_sync(0xffffffffu, upto, o);
    if (lane >= o) upto += v;
  }
  const unsigned reached = __ballot_sync(0xffffffffu, upto >= need);
  if (!reached) {
    if (lane == 0) *threshold = 0;
    return;
  }
  if (lane != __ffs(reached) - 1) return;
  uint32_t above = upto - mine;
  int chosen = hi - kPerLane;
  for (int b = hi - 1; b >= hi - kPerLane; --b) {
    if (above + hist[b] >= need) {
      chosen = b;
      break;
    }
    above += hist[b];
  }
  *threshold = uint32_t(chosen) << 18;
}

constexpr const char* kTask = "face search on a GPU";

Status Failed(const char* step, cudaError_t e) { return cuda::Failed(kTask, step, e); }

// What the host sends: how many are wanted, then the query (16-byte
// aligned, as the rows).
struct Request {
  uint32_t top;
  uint32_t pad[3];
};
// What comes back: how many were found, then the first of them.
struct Reply {
  uint32_t count;
  uint32_t pad;
};

}  // namespace

struct FaceIndexDevice::Buffers {
  cudaStream_t stream = nullptr;
  cudaGraphExec_t graph = nullptr;
  int4* rows = nullptr;
  int32_t* scores = nullptr;  // the sample's
  uint32_t* state = nullptr;  // the histogram, the threshold, the Reply, then every candidate
  char* request = nullptr;       // on the GPU: Request, then the query
  char* host_request = nullptr;  // pinned
  char* host_reply = nullptr;    // pinned: Reply, then kReturned candidates
  uint64_t n = 0;
  uint64_t sample = 0;  // rows in the sample
  uint32_t chunks = 0;  // 16-byte chunks a row
  int lanes = 0;
  int scan_blocks = 0, sample_blocks = 0;

  uint32_t* hist() { return state; }
  uint32_t* threshold() { return state + kBins; }
  Reply* reply() { return reinterpret_cast<Reply*>(state + kBins + 2); }
  uint2* found() { return reinterpret_cast<uint2*>(reply() + 1); }
  static size_t state_bytes(uint64_t n) { return (kBins + 2) * sizeof(uint32_t) + sizeof(Reply) + n * sizeof(uint2); }
  size_t request_bytes() const { return sizeof(Request) + chunks * sizeof(int4); }
  size_t reply_bytes() const { return sizeof(Reply) + std::min<uint64_t>(n, kReturned) * sizeof(uint2); }

  ~Buffers() {
    if (graph) cudaGraphExecDestroy(graph);
    for (void* p : {static_cast<void*>(rows), static_cast<void*>(scores), static_cast<void*>(state),
                    static_cast<void*>(request)})
      if (p) cudaFree(p);
    if (host_request) cudaFreeHost(host_request);
    if (host_reply) cudaFreeHost(host_reply);
    if (stream) cudaStreamDestroy(stream);
  }

  template <bool kSample>
  void Launch(int blocks, uint64_t first, uint64_t last) {
    const int4* query = reinterpret_cast<const int4*>(request + sizeof(Request));
    const size_t shared = chunks * sizeof(int4);
    const Sink sink{scores, hist(), threshold(), found(), &reply()->count};
    switch (lanes) {
      case 2: Score<2, kSample><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 4: Score<4, kSample><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 8: Score<8, kSample><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 16: Score<16, kSample><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      default: Score<32, kSample><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
    }
  }

  // The search's steps on `stream`, captured once as the graph.
  void Enqueue() {
    cudaMemcpyAsync(request, host_request, request_bytes(), cudaMemcpyHostToDevice, stream);
    cudaMemsetAsync(state, 0, (kBins + 2) * sizeof(uint32_t) + sizeof(Reply), stream);
    Launch<true>(sample_blocks, 0, sample);
    Select<<<1, 32, 0, stream>>>(hist(), reinterpret_cast<const uint32_t*>(request), threshold());
    Launch<false>(scan_blocks, sample, n);
    cudaMemcpyAsync(host_reply, reply(), reply_bytes(), cudaMemcpyDeviceToHost, stream);
  }
};

FaceIndexDevice::FaceIndexDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FaceIndexDevice::~FaceIndexDevice() = default;

namespace {

template <bool kSample>
int Occupancy(int lanes, size_t shared) {
  const void* kernel = nullptr;
  switch (lanes) {
    case 2: kernel = reinterpret_cast<const void*>(&Score<2, kSample>); break;
    case 4: kernel = reinterpret_cast<const void*>(&Score<4, kSample>); break;
    case 8: kernel = reinterpret_cast<const void*>(&Score<8, kSample>); break;
    case 16: kernel = reinterpret_cast<const void*>(&Score<16, kSample>); break;
    default: kernel = reinterpret_cast<const void*>(&Score<32, kSample>); break;
  }
  int device = 0, sms = 0, per_sm = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, kThreads, shared);
  return std::max(1, sms * std::max(1, per_sm));
}

}  // namespace

Result<std::unique_ptr<FaceIndexDevice>> FaceIndexDevice::Create(const FaceIndex& index) {
  if (Status present = cuda::Present(kTask); !present.ok()) return present;
  if (index.size() == 0) return Status::Error("face search on a GPU: the index is empty");
  if (index.stride() > kMaxStride) return Status::Error("face search on a GPU: embeddings of over 8,192 values");
  auto b = std::make_unique<Buffers>();
  b->n = index.size();
  b->sample = std::min<uint64_t>(b->n, std::max<uint64_t>(kMinSample, b->n / 32));
  b->chunks = static_cast<uint32_t>(index.stride() / 8);
  b->lanes = 2;
  while (b->lanes < 32 && b->chunks % (b->lanes * 2) == 0) b->lanes *= 2;
  const size_t needed = index.bytes() + b->sample * sizeof(int32_t) + Buffers::state_bytes(b->n) + (64 << 20);
  if (Status fits = cuda::Fits(kTask, needed); !fits.ok()) return fits;
  cudaError_t e = cudaStreamCreateWithFlags(&b->stream, cudaStreamNonBlocking);
  if (e == cudaSuccess) e = cudaMalloc(&b->rows, index.bytes());
  if (e == cudaSuccess) e = cudaMalloc(&b->scores, b->sample * sizeof(int32_t));
  if (e == cudaSuccess) e = cudaMalloc(&b->state, Buffers::state_bytes(b->n));
  if (e == cudaSuccess) e = cudaMalloc(&b->request, b->request_bytes());
  if (e == cudaSuccess) e = cudaMallocHost(&b->host_request, b->request_bytes());
  if (e == cudaSuccess) e = cudaMallocHost(&b->host_reply, b->reply_bytes());
  if (e == cudaSuccess) e = cudaMemcpy(b->rows, index.rows(), index.bytes(), cudaMemcpyHostToDevice);
  if (e != cudaSuccess) return Failed("copying the index", e);
  const size_t shared = b->chunks * sizeof(int4);
  b->scan_blocks = Occupancy<false>(b->lanes, shared);
  // No more sample blocks than there are rows for each warp to score once.
  const uint64_t rows_a_block = uint64_t{kThreads} / b->lanes * kRowsAtOnce;
  b->sample_blocks = static_cast<int>(std::min<uint64_t>(Occupancy<true>(b->lanes, shared),
                                                         (b->sample + rows_a_block - 1) / rows_a_block));
  cudaGraph_t graph = nullptr;
  e = cudaStreamBeginCapture(b->stream, cudaStreamCaptureModeThreadLocal);
  if (e == cudaSuccess) {
    b->Enqueue();
    e = cudaStreamEndCapture(b->stream, &graph);
  }
  if (e == cudaSuccess) e = cudaGraphInstantiate(&b->graph, graph, 0);
  if (graph) cudaGraphDestroy(graph);
  if (e != cudaSuccess) return Failed("preparing the search", e);
  return std::unique_ptr<FaceIndexDevice>(new FaceIndexDevice(std::move(b)));
}

std::vector<FaceIndex::Hit> FaceIndexDevice::Search(const FaceIndex& index, const std::vector<float>& query,
                                                    size_t top) const {
  const std::vector<int16_t> q = index.Quantise(query);
  if (q.empty() || top == 0 || index.size() != b_->n) return index.SearchOnCpu(query, top);
  std::lock_guard<std::mutex> lock(mu_);
  Buffers& b = *b_;
  Request request{static_cast<uint32_t>(std::min<size_t>(top, b.n)), {}};
  std::memcpy(b.host_request, &request, sizeof(request));
  std::memcpy(b.host_request + sizeof(request), q.data(), q.size() * sizeof(int16_t));
  cudaError_t e = cudaGraphLaunch(b.graph, b.stream);
  if (e == cudaSuccess) e = cudaStreamSynchronize(b.stream);
  std::vector<std::pair<uint32_t, int32_t>> found;
  if (e == cudaSuccess) {
    const uint32_t count = reinterpret_cast<const Reply*>(b.host_reply)->count;
    std::vector<uint2> rest;
    if (count > kReturned) {  // many tied at the cut, or a long list asked for
      rest.resize(count - kReturned);
      e = cudaMemcpy(rest.data(), b.found() + kReturned, rest.size() * sizeof(uint2), cudaMemcpyDeviceToHost);
    }
    const uint2* first = reinterpret_cast<const uint2*>(b.host_reply + sizeof(Reply));
    found.reserve(count);
    for (uint32_t i = 0; i < std::min(count, kReturned); ++i) found.push_back({first[i].x, static_cast<int32_t>(first[i].y)});
    for (const uint2& r : rest) found.push_back({r.x, static_cast<int32_t>(r.y)});
  }
  if (e != cudaSuccess || found.size() < request.top) {
    cudaGetLastError();
    return index.SearchOnCpu(query, top);
  }
  return FaceIndex::Best(std::move(found), top);
}

}  // namespace vigil
