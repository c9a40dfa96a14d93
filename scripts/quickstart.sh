#!/usr/bin/env bash
# Quick start: installs what is missing, builds Vigil (Release) and runs the
# main job on the embedded default: a SQLite store under ./var/ with the
# bundled sample messages ingested, then a summary of what the store holds.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh

mkdir -p var
export VIGIL_DB="${VIGIL_DB:-var/vigil.db}"
echo "== ingesting the bundled sample messages into $VIGIL_DB"
# Exit status 1 only means some input was rejected; that is reported above.
./build/vigil ingest data/samples || [ $? -eq 1 ]
echo "== store"
./build/vigil status
echo "== try: ./build/vigil parse data/samples/paxlst-ba0117-passengers.edi"
