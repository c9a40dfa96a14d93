// The GPU's memory-bandwidth floor (face_floor_device.cu, in CUDA builds).
#pragma once

#include <cstddef>

// The best of `passes` timed passes reading `bytes` once on the GPU, in
// seconds; negative where it could not run.
double device_floor_seconds(size_t bytes, int passes);
