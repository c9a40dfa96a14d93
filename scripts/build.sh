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
# Biometric models (models/): the npm packages of its lock file, installed
# here so that nothing is downloaded at run time.
(cd models && npm ci --no-audit --no-fund --loglevel=error)
# The officer console (web/): built with the npm packages of its lock file.
if [ -f web/package.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi
