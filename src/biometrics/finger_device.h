// Prepared fingerprints (matcher.h) copied to a CUDA GPU and compared
// there, many at once.
//
// Promises:
//  - Create() copies the prints to the first GPU, with a scratch area for
//    each of the threads that compare them; it fails with the reason where
//    this build has no CUDA, no GPU is present, or they do not fit in its
//    free memory.
//  - CompareAll() gives, for print i, exactly compare(probe, print i): the
//    same steps in the same order with the same double-precision
//    arithmetic (no fused multiply-adds), so the same bits. A print whose
//    finger is known and differs from `finger` (both non-zero) gets -1
//    without being compared.
//  - Calls from several threads take turns on the GPU.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "biometrics/matcher.h"

namespace vigil {

class FingerPrintsDevice {
 public:
  // `prints[i]` is of finger `fingers[i]` (0 when unknown).
  static Result<std::unique_ptr<FingerPrintsDevice>> Create(const std::vector<const FingerPrint*>& prints,
                                                            const std::vector<uint8_t>& fingers);
  ~FingerPrintsDevice();

  Status CompareAll(const FingerPrint& probe, int finger, std::vector<double>* scores) const;
  size_t size() const;

  struct Buffers;  // the GPU's memory

 private:
  explicit FingerPrintsDevice(std::unique_ptr<Buffers> b);
  std::unique_ptr<Buffers> b_;
  mutable std::mutex mu_;
};

}  // namespace vigil
