#!/usr/bin/env bash
# Quick start: installs what is missing, builds Vigil (Release) and runs the
# main job on the embedded default: a SQLite store under ./var/ with the
# bundled sample messages ingested, the bundled watch lists imported and the
# sample targeting rules stored, every stored flight assessed, then a summary
# of what the store holds, the alerts, and one traveller screened; finally
# the console and API on 127.0.0.1:8080 with an analyst account whose
# password is made up now and printed (VIGIL_QUICKSTART_NO_SERVE=1: stop
# before serving).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh

mkdir -p var
export VIGIL_DB="${VIGIL_DB:-var/vigil.db}"
echo "== ingesting the bundled sample messages into $VIGIL_DB"
# Exit status 1 only means some input was rejected; that is reported above.
./build/vigil ingest data/samples || [ $? -eq 1 ]
echo "== importing the bundled watch lists"
./build/vigil lists import --name ofac-sdn --format ofac data/lists/ofac-sdn
./build/vigil lists import --name un --format un data/lists/un/UN_consolidated.xml
./build/vigil lists import --name national-demo --format jsonl data/lists/national-demo.jsonl
echo "== storing the sample targeting rules (data/rules) and assessing every stored flight"
./build/vigil values set source-countries --file data/rules/source-countries.txt --author quickstart
for rule in data/rules/*.rule; do
  ./build/vigil rules add --file "$rule" --author quickstart
done
./build/vigil assess --all
echo "== alerts for review"
./build/vigil alerts list
echo "== store"
./build/vigil status
./build/vigil lists list
echo "== screening one traveller"
./build/vigil screen --query '{"id": "demo", "name": "Yaser Al Khayali", "dob": "1971-03-14", "nationality": "IQ"}'
echo "== try: ./build/vigil parse data/samples/paxlst-ba0117-passengers.edi"
if [ "${VIGIL_QUICKSTART_NO_SERVE:-0}" = "1" ]; then exit 0; fi
if ! ./build/vigil users list --json | grep -q '"name":"analyst"'; then
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')-7"
  echo "$password" | ./build/vigil users add analyst --roles analyst,supervisor
  echo "== sign in as 'analyst' with the password: $password (shown once; it is stored only as a hash)"
fi
echo "== the console: http://127.0.0.1:8080/ (sign in as 'analyst'); the API under /api/v1 (docs/openapi.yaml)"
echo "   Ctrl-C stops the server"
exec ./build/vigil serve --listen 127.0.0.1:8080
