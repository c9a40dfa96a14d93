// Exact 1:N search of face embeddings: the reference every approximate
// index is measured against.
//
// Promises:
//  - Add() keeps the embedding scaled to unit length and rounded to 16-bit
//    fixed point (each value a multiple of 2^-14), so a score is the cosine
//    similarity, off by at most 2^-14 * sqrt(dimension) (0.0007 for 128
//    values) and by about 3e-5 typically. Every embedding of an index has
//    the same dimension (an error otherwise, and for zero or non-finite
//    vectors).
//  - Search() compares the query with every stored embedding and returns
//    the `top` best, best first (ties by insertion order). Scores are sums
//    of integer products, so they do not depend on the order of the sum:
//    the same on any machine, any number of threads, and the GPU. Large
//    indexes are scanned on every core, in one pass over memory.
//  - UseDevice() copies the index to a CUDA GPU, where later searches run,
//    returning exactly what the CPU would. It fails, and the CPU goes on
//    searching, where this build has no CUDA, no GPU is present, or the
//    index does not fit in its memory. Add() lets the copy go.
//  - Immutable once built: searches may run from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"

namespace vigil {

class FaceIndexDevice;  // face_index_device.h

class FaceIndex {
 public:
  struct Hit {
    size_t id;     // the order of Add()
    float score;   // cosine similarity
  };
  // A score as the integer sum it is computed as: 2^28 is a cosine of 1.
  static constexpr int kScoreShift = 28;

  FaceIndex();
  ~FaceIndex();
  FaceIndex(FaceIndex&&) noexcept;
  FaceIndex& operator=(FaceIndex&&) noexcept;

  Status Add(const std::vector<float>& embedding);
  // Room for `embeddings` more of `dimension` values: adding them then
  // copies no rows.
  void Reserve(size_t embeddings, size_t dimension) {
    rows_.reserve(rows_.size() + embeddings * ((dimension + 15) / 16 * 16));
  }
  std::vector<Hit> Search(const std::vector<float>& query, size_t top) const;
  // The same search on the CPU, whatever UseDevice() said.
  std::vector<Hit> SearchOnCpu(const std::vector<float>& query, size_t top) const;

  Status UseDevice();
  bool on_device() const { return device_ != nullptr; }
  // How the GPU's searches went: in one scan at a guessed threshold, or
  // with a sampled one (face_index_device.cu). Zero without a GPU copy.
  struct DeviceSearches {
    uint64_t one_scan = 0, sampled = 0;
  };
  DeviceSearches device_searches() const;

  size_t size() const { return dimension_ ? rows_.size() / stride_ : 0; }
  size_t dimension() const { return dimension_; }
  // Values per stored row: the dimension rounded up to 16 (zeros after).
  size_t stride() const { return stride_; }
  const int16_t* rows() const { return rows_.data(); }
  // The bytes one search reads.
  size_t bytes() const { return rows_.size() * sizeof(int16_t); }

  // `embedding` at unit length in the fixed point rows are kept in, padded
  // to stride(); empty when it is zero, not finite or of another dimension.
  std::vector<int16_t> Quantise(const std::vector<float>& embedding) const;
  // The `top` best of `candidates` (id and integer score), best first.
  static std::vector<Hit> Best(std::vector<std::pair<uint32_t, int32_t>> candidates, size_t top);

 private:
  size_t dimension_ = 0;
  size_t stride_ = 0;
  std::vector<int16_t> rows_;  // row-major, unit rows in fixed point
  std::unique_ptr<FaceIndexDevice> device_;
};

}  // namespace vigil
