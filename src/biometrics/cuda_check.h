// What the GPU paths (face_index_device.cu, finger_device.cu) share:
// whether a GPU is there and has room, and errors named by their task.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "base/status.h"

namespace vigil::cuda {

// `task` failed at `step` with `e`.
inline Status Failed(const std::string& task, const std::string& step, cudaError_t e) {
  return Status::Error(task + ": " + step + ": " + cudaGetErrorString(e));
}

// Ok where a CUDA GPU is present; else why not.
inline Status Present(const std::string& task) {
  int devices = 0;
  const cudaError_t e = cudaGetDeviceCount(&devices);
  if (e == cudaSuccess && devices > 0) return Status::Ok();
  cudaGetLastError();  // clear it
  return Status::Error(task + ": no CUDA GPU is present" +
                       (e != cudaSuccess ? std::string(" (") + cudaGetErrorString(e) + ")" : std::string()));
}

// Ok where `bytes` of the GPU's memory are free; else how much is needed.
inline Status Fits(const std::string& task, size_t bytes) {
  size_t free_bytes = 0, total = 0;
  if (const cudaError_t e = cudaMemGetInfo(&free_bytes, &total); e != cudaSuccess) return Failed(task, "memory", e);
  if (bytes <= free_bytes) return Status::Ok();
  return Status::Error(task + ": needs " + std::to_string(bytes >> 20) + " MiB of the GPU's memory, " +
                       std::to_string(free_bytes >> 20) + " MiB are free");
}

}  // namespace vigil::cuda
