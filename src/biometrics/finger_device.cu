// The GPU comparison of finger_device.h: compare() (matcher.cc), step for
// step, one thread per gallery print (the function itself is
// finger_device_compare.h, which a test also runs on the host).
//
// Each thread keeps the scratch compare() keeps per CPU thread (the vote
// table, the alignments, the footprint) in its own slice of GPU memory.
// The prints are flattened into columns with offsets. This file is built
// with -fmad=false, so no multiply-add is fused where the CPU rounds twice.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "biometrics/cuda_check.h"
#include "biometrics/finger_device.h"
#include "biometrics/finger_device_compare.h"
#include "biometrics/matching.h"

namespace vigil {
namespace {

using namespace finger_gpu;

constexpr int kThreads = 128;  // a block

#ifdef __CUDACC__
__global__ void CompareAllKernel(Prints gallery, uint64_t n, Prints probe, int ox, int oy, int finger,
                                 const Tables* tables, Scratch* scratch, double* scores) {
  const uint64_t thread = uint64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  const uint64_t threads = uint64_t{gridDim.x} * blockDim.x;
  Scratch& s = scratch[thread];
  const View pv(probe, 0);
  for (uint64_t i = thread; i < n; i += threads) {
    const int f = gallery.finger[i];
    scores[i] = finger && f && f != finger ? -1.0 : Compare(pv, ox, oy, View(gallery, i), *tables, s);
  }
}
#endif

constexpr const char* kTask = "fingerprint comparison on a GPU";

Status Failed(const char* step, cudaError_t e) { return cuda::Failed(kTask, step, e); }

}  // namespace

struct FingerPrintsDevice::Buffers {
  std::vector<void*> allocations;
  Prints gallery{}, probe{};
  uint64_t n = 0;
  Tables* tables = nullptr;
  Scratch* scratch = nullptr;
  double* scores = nullptr;
  int blocks = 0;

  ~Buffers() {
    for (void* p : allocations) cudaFree(p);
  }
  template <typename T>
  cudaError_t Alloc(T** out, size_t count) {
    void* p = nullptr;
    const cudaError_t e = cudaMalloc(&p, std::max<size_t>(count, 1) * sizeof(T));
    if (e == cudaSuccess) allocations.push_back(p), *out = static_cast<T*>(p);
    return e;
  }
  // `v` copied to *to on the GPU, allocated there first (for `room`
  // values, or v's if more) when *to is null.
  template <typename T>
  cudaError_t Put(const T** to, const std::vector<T>& v, size_t room) {
    cudaError_t e = cudaSuccess;
    if (!*to) {
      T* p = nullptr;
      e = Alloc(&p, std::max(room, v.size()));
      *to = p;
    }
    if (e == cudaSuccess && !v.empty()) e = cudaMemcpy(const_cast<T*>(*to), v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice);
    return e;
  }
  // Columns `c` put at `out`. With `any_print`, room is made for any one
  // print (255 minutiae, 8 edges each both ways), so that the probe's
  // columns are allocated once and filled at each search.
  cudaError_t Upload(const Columns& c, Prints* out, bool any_print) {
    const size_t minutiae = any_print ? 255 : 0, edges = any_print ? 2 * kNeighbours * 255 : 0;
    cudaError_t e = Put(&out->mx, c.mx, minutiae);
    if (e == cudaSuccess) e = Put(&out->my, c.my, minutiae);
    if (e == cudaSuccess) e = Put(&out->ma, c.ma, minutiae);
    if (e == cudaSuccess) e = Put(&out->m_off, c.m_off, 0);
    if (e == cudaSuccess) e = Put(&out->length, c.length, edges);
    if (e == cudaSuccess) e = Put(&out->from_angle, c.from_angle, edges);
    if (e == cudaSuccess) e = Put(&out->to_angle, c.to_angle, edges);
    if (e == cudaSuccess) e = Put(&out->from, c.from, edges);
    if (e == cudaSuccess) e = Put(&out->to, c.to, edges);
    if (e == cudaSuccess) e = Put(&out->e_off, c.e_off, 0);
    if (e == cudaSuccess) e = Put(&out->cells, c.cells, 0);
    if (e == cudaSuccess) e = Put(&out->x_starts, c.x_starts, 0);
    if (e == cudaSuccess) e = Put(&out->finger, c.finger, 0);
    return e;
  }
};

FingerPrintsDevice::FingerPrintsDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FingerPrintsDevice::~FingerPrintsDevice() = default;
size_t FingerPrintsDevice::size() const { return b_->n; }

Result<std::unique_ptr<FingerPrintsDevice>> FingerPrintsDevice::Create(const std::vector<const FingerPrint*>& prints,
                                                                       const std::vector<uint8_t>& fingers) {
  if (Status present = cuda::Present(kTask); !present.ok()) return present;
  if (prints.empty() || prints.size() != fingers.size())
    return Status::Error("fingerprint comparison on a GPU: no prints, or not one finger for each");
  Columns columns;
  for (size_t i = 0; i < prints.size(); ++i) columns.Add(*prints[i], fingers[i]);
  int sms = 0;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  auto b = std::make_unique<Buffers>();
  b->n = prints.size();
  b->blocks = std::max(1, std::min<int>(sms * 4, static_cast<int>((b->n + kThreads - 1) / kThreads)));
  const size_t gallery_bytes = columns.mx.size() * 5 + columns.length.size() * 5 + b->n * (kCells * 2 + kXStarts + 21);
  const size_t needed = gallery_bytes + size_t(b->blocks) * kThreads * sizeof(Scratch) + b->n * sizeof(double) + (64 << 20);
  if (Status fits = cuda::Fits(kTask, needed); !fits.ok()) return fits;
  cudaError_t e = b->Upload(columns, &b->gallery, false);
  const Tables tables = MakeTables();
  if (e == cudaSuccess) e = b->Alloc(&b->tables, 1);
  if (e == cudaSuccess) e = cudaMemcpy(b->tables, &tables, sizeof tables, cudaMemcpyHostToDevice);
  if (e == cudaSuccess) e = b->Alloc(&b->scratch, size_t(b->blocks) * kThreads);
  if (e == cudaSuccess) e = cudaMemset(b->scratch, 0, size_t(b->blocks) * kThreads * sizeof(Scratch));
  if (e == cudaSuccess) e = b->Alloc(&b->scores, b->n);
  if (e != cudaSuccess) return Failed("copying the prints", e);
  return std::unique_ptr<FingerPrintsDevice>(new FingerPrintsDevice(std::move(b)));
}

Status FingerPrintsDevice::CompareAll(const FingerPrint& probe, int finger, std::vector<double>* scores) const {
  std::lock_guard<std::mutex> lock(mu_);
  Buffers& b = *b_;
  Columns one;
  one.Add(probe, static_cast<uint8_t>(finger));
  cudaError_t e = b.Upload(one, &b.probe, true);
  if (e == cudaSuccess) {
    CompareAllKernel<<<b.blocks, kThreads>>>(b.gallery, b.n, b.probe, probe.centre_x(), probe.centre_y(), finger, b.tables,
                                        b.scratch, b.scores);
    e = cudaGetLastError();
  }
  scores->resize(b.n);
  if (e == cudaSuccess) e = cudaMemcpy(scores->data(), b.scores, b.n * sizeof(double), cudaMemcpyDeviceToHost);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return Failed("comparing", e);
  }
  return Status::Ok();
}

}  // namespace vigil
