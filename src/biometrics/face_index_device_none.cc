// The build without CUDA: no GPU copy; FaceIndex searches on the CPU.
#include "biometrics/face_index_device.h"

namespace vigil {

struct FaceIndexDevice::Buffers {};

FaceIndexDevice::FaceIndexDevice(std::unique_ptr<Buffers> b) : b_(std::move(b)) {}
FaceIndexDevice::~FaceIndexDevice() = default;

Result<std::unique_ptr<FaceIndexDevice>> FaceIndexDevice::Create(const FaceIndex&) {
  return Status::Error("face search on a GPU: this build has no CUDA (nvcc was not found, or VIGIL_CUDA was off, when it was configured)");
}

std::vector<FaceIndex::Hit> FaceIndexDevice::Search(const FaceIndex& index, const std::vector<float>& query,
                                                    size_t top) const {
  return index.SearchOnCpu(query, top);
}

}  // namespace vigil
