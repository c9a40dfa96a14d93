#!/usr/bin/env bash
# Installs the Debian 12 packages Vigil needs to build, test, fuzz and benchmark.
# Installs only what is missing; safe to run again. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3
  nlohmann-json3-dev
  libpugixml-dev
  libicu-dev
  libsodium-dev
  libpng-dev libjpeg-dev libopenjp2-7-dev
  opencv-data
  libre2-dev
  libcpp-httplib-dev openssl libssl-dev
  wrk
  chromium
  libgtest-dev libgmock-dev
  libbenchmark-dev
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The console is built with Node.js 20 or later and npm: the machine's own
# when it has them, else Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
