#!/usr/bin/env bash
# Installs what is missing, builds Vigil and its tests, and runs the whole
# test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
