#!/usr/bin/env bash
# Configures and builds Vigil in ./build (Release unless BUILD_TYPE is set).
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}"
fi
cmake --build build --parallel "$(nproc)"
