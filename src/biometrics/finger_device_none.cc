// The build without CUDA: no GPU copy; galleries compare on the CPU.
#include "biometrics/finger_device.h"

namespace vigil {

struct FingerPrintsDevice::Buffers {};

FingerPrintsDevice::FingerPrintsDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FingerPrintsDevice::~FingerPrintsDevice() = default;
size_t FingerPrintsDevice::size() const { return 0; }

Result<std::unique_ptr<FingerPrintsDevice>> FingerPrintsDevice::Create(const std::vector<const FingerPrint*>&,
                                                                       const std::vector<uint8_t>&) {
  return Status::Error("fingerprint comparison on a GPU: this build has no CUDA (nvcc was not found, or VIGIL_CUDA was off, when it was configured)");
}

Status FingerPrintsDevice::CompareAll(const FingerPrint&, int, std::vector<double>*) const {
  return Status::Error("fingerprint comparison on a GPU: this build has no CUDA");
}

}  // namespace vigil
