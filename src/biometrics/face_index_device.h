// A FaceIndex (face_index.h) copied to a CUDA GPU.
//
// Promises:
//  - Create() copies the index's rows to the first GPU and keeps them there;
//    it fails with the reason where this build has no CUDA, no GPU is
//    present, or the rows and the search's buffers do not fit in its free
//    memory.
//  - Search() returns exactly what FaceIndex::SearchOnCpu() returns for the
//    same index, query and `top`: the same integer scores (sums of the same
//    products), the same order, the same ties. It reads each row once.
//    Where the GPU fails mid-search, the CPU answers.
//  - Searches from several threads take turns on the GPU.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "biometrics/face_index.h"

namespace vigil {

class FaceIndexDevice {
 public:
  static Result<std::unique_ptr<FaceIndexDevice>> Create(const FaceIndex& index);
  ~FaceIndexDevice();

  std::vector<FaceIndex::Hit> Search(const FaceIndex& index, const std::vector<float>& query, size_t top) const;
  FaceIndex::DeviceSearches searches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return searches_;
  }

  struct Buffers;  // the GPU's memory and stream

 private:
  explicit FaceIndexDevice(std::unique_ptr<Buffers> b);
  std::unique_ptr<Buffers> b_;
  mutable std::mutex mu_;
  mutable FaceIndex::DeviceSearches searches_;  // under mu_
};

}  // namespace vigil
