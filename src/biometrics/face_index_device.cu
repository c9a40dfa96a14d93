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
//
// Searches after the first first try a shorter graph: the query in, then
// one scan keeping the rows that reach a threshold guessed from the last
// search (the score it found at rank 8·top + 64), written straight to
// mapped host memory, the last block to finish saying how many. Every row
// at or above the guess is kept, so where at least `top` were (and no more
// than kGuessed), the best `top` are among them, ties included, and the
// answer is exact; otherwise the search above runs.
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
// Scoring blocks resident on a multiprocessor: as many as its threads
// allow (2,048 from compute capability 8.0, 1,024 before), registers
// limited to fit. Memory-bound scans gain from every warp in flight: at
// 43 registers a thread, 5 blocks fitted and a scan of 10M x 128 took
// 6 % longer.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
constexpr int kBlocksPerSm = 1024 / kThreads;
#else
constexpr int kBlocksPerSm = 2048 / kThreads;
#endif

// Scores as unsigned keys in [0, 2^30), in the same order: |score| <= 2^28
// (both rows are unit vectors; rounding adds far less than 2^28). The host
// guesses thresholds in the same keys.
__host__ __device__ __forceinline__ uint32_t Key(int32_t s) {
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

// What the host sends: how many are wanted, the threshold to keep rows at
// when it guesses one, the search's number; then the query (16-byte
// aligned, as the rows).
struct Request {
  uint32_t top;
  uint32_t guess;
  uint32_t epoch;
  uint32_t pad;
};
// What comes back: how many were found (and, from a guess, for which
// search), then the first of them.
struct Reply {
  uint32_t count;
  uint32_t epoch;
};

// What a scoring kernel does with the rows it scores:
//  kSample: keeps every score (rows [0, n)) and counts it in `hist`;
//  kScan: keeps a row (rows [first, n)) in `found` only where its key
//    reaches *threshold, and the sample's rows the same way;
//  kGuess: keeps a row (all rows) in host memory where its key reaches the
//    request's guess, and the last block to finish says how many there
//    were. The count is one of two, by the search's parity, and the block
//    that starts first zeroes the other for the next search.
enum class Mode { kSample, kScan, kGuess };
constexpr uint32_t kGuessed = 16384;  // rows a guess may keep

struct Sink {
  int32_t* scores;            // sample: a score a row
  uint32_t* hist;             // sample: kBins counts
  const uint32_t* threshold;  // scan
  uint2* found;               // scan: (row, score)
  uint32_t* count;            // scan: how many are in `found`
  const Request* request;     // guess
  uint32_t* counters;         // guess: two counts, then two counts of blocks done
  uint2* guessed;             // guess: in host memory, kGuessed
  Reply* reply;               // guess: in host memory
};

// kLanes lanes per row (a power of two dividing the row's 16-byte chunks,
// up to 32); each lane sums chunks lane, lane + kLanes, ... of its row.
template <int kLanes, Mode kMode>
__global__ void __launch_bounds__(kThreads, kBlocksPerSm) Score(const int4* __restrict__ rows, const int4* __restrict__ query, uint32_t chunks, uint64_t first,
                      uint64_t n, Sink sink) {
  constexpr bool kSample = kMode == Mode::kSample, kGuess = kMode == Mode::kGuess;
  extern __shared__ int4 q[];
  __shared__ uint32_t h[kSample ? kBins : 1];
  for (uint32_t i = threadIdx.x; i < chunks; i += blockDim.x) q[i] = query[i];
  if (kSample)
    for (int b = threadIdx.x; b < kBins; b += blockDim.x) h[b] = 0;
  uint32_t threshold = 0;
  uint32_t* count = sink.count;
  uint32_t slot = 0;
  if (kGuess) {
    threshold = sink.request->guess;
    slot = sink.request->epoch & 1;
    count = sink.counters + slot;
    if (blockIdx.x == 0 && threadIdx.x == 0) sink.counters[slot ^ 1] = 0, sink.counters[2 + (slot ^ 1)] = 0;
  }
  if (kMode == Mode::kScan) {
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
        const uint32_t at = atomicAdd(count, 1u);
        const uint2 kept = make_uint2(static_cast<uint32_t>(row), static_cast<uint32_t>(s[r]));
        if (!kGuess) sink.found[at] = kept;
        else if (at < kGuessed) sink.guessed[at] = kept;
      }
    }
  }
  if (kGuess) {
    __syncthreads();
    if (threadIdx.x == 0) {
      __threadfence();
      if (atomicAdd(sink.counters + 2 + slot, 1u) == gridDim.x - 1) {
        __threadfence();
        sink.reply->count = atomicAdd(count, 0u);
        sink.reply->epoch = sink.request->epoch;
        __threadfence_system();
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
  // A search with a guessed threshold: its own graph, the counters on the
  // GPU, and what it keeps written straight to pinned, mapped memory.
  cudaGraphExec_t guess_graph = nullptr;
  uint32_t* counters = nullptr;
  char* mapped = nullptr;  // Reply, then kGuessed candidates
  char* mapped_on_device = nullptr;
  uint32_t guess = 0;  // 0: none yet
  uint32_t epoch = 0;
  bool guessing = true;  // until a guessed search fails
  uint64_t n = 0;
  uint64_t sample = 0;  // rows in the sample
  uint32_t chunks = 0;  // 16-byte chunks a row
  int lanes = 0;
  int scan_blocks = 0, sample_blocks = 0, guess_blocks = 0;  // each as many as fit at once

  uint32_t* hist() { return state; }
  uint32_t* threshold() { return state + kBins; }
  Reply* reply() { return reinterpret_cast<Reply*>(state + kBins + 2); }
  uint2* found() { return reinterpret_cast<uint2*>(reply() + 1); }
  static size_t state_bytes(uint64_t n) { return (kBins + 2) * sizeof(uint32_t) + sizeof(Reply) + n * sizeof(uint2); }
  size_t request_bytes() const { return sizeof(Request) + chunks * sizeof(int4); }
  size_t reply_bytes() const { return sizeof(Reply) + std::min<uint64_t>(n, kReturned) * sizeof(uint2); }

  static constexpr size_t kMappedBytes = sizeof(Reply) + kGuessed * sizeof(uint2);

  ~Buffers() {
    if (graph) cudaGraphExecDestroy(graph);
    if (guess_graph) cudaGraphExecDestroy(guess_graph);
    for (void* p : {static_cast<void*>(rows), static_cast<void*>(scores), static_cast<void*>(state),
                    static_cast<void*>(request), static_cast<void*>(counters)})
      if (p) cudaFree(p);
    if (host_request) cudaFreeHost(host_request);
    if (host_reply) cudaFreeHost(host_reply);
    if (mapped) cudaFreeHost(mapped);
    if (stream) cudaStreamDestroy(stream);
  }

  template <Mode kMode>
  void Launch(int blocks, uint64_t first, uint64_t last) {
    const int4* query = reinterpret_cast<const int4*>(request + sizeof(Request));
    const size_t shared = chunks * sizeof(int4);
    const Sink sink{scores,
                    hist(),
                    threshold(),
                    found(),
                    &reply()->count,
                    reinterpret_cast<const Request*>(request),
                    counters,
                    reinterpret_cast<uint2*>(mapped_on_device + sizeof(Reply)),
                    reinterpret_cast<Reply*>(mapped_on_device)};
    switch (lanes) {
      case 2: Score<2, kMode><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 4: Score<4, kMode><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 8: Score<8, kMode><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      case 16: Score<16, kMode><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
      default: Score<32, kMode><<<blocks, kThreads, shared, stream>>>(rows, query, chunks, first, last, sink); break;
    }
  }

  // The search's steps on `stream`, captured once as the graph.
  void Enqueue() {
    cudaMemcpyAsync(request, host_request, request_bytes(), cudaMemcpyHostToDevice, stream);
    cudaMemsetAsync(state, 0, (kBins + 2) * sizeof(uint32_t) + sizeof(Reply), stream);
    Launch<Mode::kSample>(sample_blocks, 0, sample);
    Select<<<1, 32, 0, stream>>>(hist(), reinterpret_cast<const uint32_t*>(request), threshold());
    Launch<Mode::kScan>(scan_blocks, sample, n);
    cudaMemcpyAsync(host_reply, reply(), reply_bytes(), cudaMemcpyDeviceToHost, stream);
  }
  // A search with a threshold guessed from the last one: the query in,
  // one scan, the rows kept written straight back.
  void EnqueueGuess() {
    cudaMemcpyAsync(request, host_request, request_bytes(), cudaMemcpyHostToDevice, stream);
    Launch<Mode::kGuess>(guess_blocks, 0, n);
  }
  // Sends `request` and the query `q`, runs `exec` and waits for it.
  cudaError_t Run(cudaGraphExec_t exec, const Request& request, const std::vector<int16_t>& q) {
    std::memcpy(host_request, &request, sizeof(request));
    std::memcpy(host_request + sizeof(request), q.data(), q.size() * sizeof(int16_t));
    cudaError_t e = cudaGraphLaunch(exec, stream);
    return e == cudaSuccess ? cudaStreamSynchronize(stream) : e;
  }
  // Captures `enqueue` as a graph.
  cudaError_t Capture(void (Buffers::*enqueue)(), cudaGraphExec_t* exec) {
    cudaGraph_t graph = nullptr;
    cudaError_t e = cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal);
    if (e == cudaSuccess) {
      (this->*enqueue)();
      e = cudaStreamEndCapture(stream, &graph);
    }
    if (e == cudaSuccess) e = cudaGraphInstantiate(exec, graph, 0);
    if (graph) cudaGraphDestroy(graph);
    return e;
  }
  // The next guess: the score at rank 8·top + 64 of what this search kept,
  // so that a like query keeps about that many rows. Where fewer were kept,
  // the lowest, less a coarse bin.
  void Guess(std::vector<std::pair<uint32_t, int32_t>> found, size_t top) {
    const size_t rank = 8 * top + 64;
    if (found.empty()) return;
    const size_t at = std::min(rank, found.size()) - 1;
    std::nth_element(found.begin(), found.begin() + static_cast<long>(at), found.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const uint32_t key = Key(found[at].second);
    guess = found.size() >= rank ? key : key > (1u << 18) ? key - (1u << 18) : 1;
  }
};

FaceIndexDevice::FaceIndexDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FaceIndexDevice::~FaceIndexDevice() = default;

namespace {

template <Mode kMode>
int Occupancy(int lanes, size_t shared) {
  const void* kernel = nullptr;
  switch (lanes) {
    case 2: kernel = reinterpret_cast<const void*>(&Score<2, kMode>); break;
    case 4: kernel = reinterpret_cast<const void*>(&Score<4, kMode>); break;
    case 8: kernel = reinterpret_cast<const void*>(&Score<8, kMode>); break;
    case 16: kernel = reinterpret_cast<const void*>(&Score<16, kMode>); break;
    default: kernel = reinterpret_cast<const void*>(&Score<32, kMode>); break;
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
  if (e == cudaSuccess) e = cudaMalloc(&b->counters, 4 * sizeof(uint32_t));
  if (e == cudaSuccess) e = cudaMemset(b->counters, 0, 4 * sizeof(uint32_t));
  if (e == cudaSuccess) e = cudaHostAlloc(&b->mapped, Buffers::kMappedBytes, cudaHostAllocMapped);
  if (e == cudaSuccess) e = cudaHostGetDevicePointer(reinterpret_cast<void**>(&b->mapped_on_device), b->mapped, 0);
  if (e == cudaSuccess) e = cudaMemcpy(b->rows, index.rows(), index.bytes(), cudaMemcpyHostToDevice);
  if (e != cudaSuccess) return Failed("copying the index", e);
  const size_t shared = b->chunks * sizeof(int4);
  b->scan_blocks = Occupancy<Mode::kScan>(b->lanes, shared);
  b->guess_blocks = Occupancy<Mode::kGuess>(b->lanes, shared);
  // No more sample blocks than there are rows for each warp to score once.
  const uint64_t rows_a_block = uint64_t{kThreads} / b->lanes * kRowsAtOnce;
  b->sample_blocks = static_cast<int>(std::min<uint64_t>(Occupancy<Mode::kSample>(b->lanes, shared),
                                                         (b->sample + rows_a_block - 1) / rows_a_block));
  e = b->Capture(&Buffers::Enqueue, &b->graph);
  if (e == cudaSuccess) e = b->Capture(&Buffers::EnqueueGuess, &b->guess_graph);
  if (e != cudaSuccess) return Failed("preparing the search", e);
  return std::unique_ptr<FaceIndexDevice>(new FaceIndexDevice(std::move(b)));
}

std::vector<FaceIndex::Hit> FaceIndexDevice::Search(const FaceIndex& index, const std::vector<float>& query,
                                                    size_t top) const {
  const std::vector<int16_t> q = index.Quantise(query);
  if (q.empty() || top == 0 || index.size() != b_->n) return index.SearchOnCpu(query, top);
  std::lock_guard<std::mutex> lock(mu_);
  Buffers& b = *b_;
  const auto wanted = static_cast<uint32_t>(std::min<size_t>(top, b.n));
  std::vector<std::pair<uint32_t, int32_t>> found;
  auto take = [&found](const uint2* kept, size_t n) {
    for (size_t i = 0; i < n; ++i) found.push_back({kept[i].x, static_cast<int32_t>(kept[i].y)});
  };
  // First with the threshold the last search suggests: one scan. Every row
  // at or above it is kept, so where at least `top` are (and no more than
  // were kept), the best `top` are among them, ties included.
  if (b.guessing && b.guess && wanted <= kGuessed / 4) {
    const Request request{wanted, b.guess, ++b.epoch, 0};
    const cudaError_t e = b.Run(b.guess_graph, request, q);
    const auto* reply = reinterpret_cast<const volatile Reply*>(b.mapped);
    const uint32_t count = reply->count;
    if (e == cudaSuccess && reply->epoch == request.epoch && count >= wanted && count <= kGuessed) {
      take(reinterpret_cast<const uint2*>(b.mapped + sizeof(Reply)), count);
    } else if (e != cudaSuccess) {
      // Its counters may not have been reset: no more guesses.
      cudaGetLastError();
      b.guessing = false;
    }
  }
  const bool guessed = !found.empty();
  if (!guessed) {  // no guess yet, or it kept too few or too many
    cudaError_t e = b.Run(b.graph, Request{wanted, 0, 0, 0}, q);
    if (e == cudaSuccess) {
      const uint32_t count = reinterpret_cast<const Reply*>(b.host_reply)->count;
      std::vector<uint2> rest;
      if (count > kReturned) {  // many tied at the cut, or a long list asked for
        rest.resize(count - kReturned);
        e = cudaMemcpy(rest.data(), b.found() + kReturned, rest.size() * sizeof(uint2), cudaMemcpyDeviceToHost);
      }
      found.reserve(count);
      take(reinterpret_cast<const uint2*>(b.host_reply + sizeof(Reply)), std::min(count, kReturned));
      take(rest.data(), rest.size());
    }
    if (e != cudaSuccess || found.size() < wanted) {
      cudaGetLastError();
      found.clear();
    }
  }
  if (found.empty()) return index.SearchOnCpu(query, top);
  ++(guessed ? searches_.one_scan : searches_.sampled);
  b.Guess(found, wanted);
  return FaceIndex::Best(std::move(found), top);
}

}  // namespace vigil
