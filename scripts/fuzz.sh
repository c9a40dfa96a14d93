#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in ./build-fuzz and
# runs one of them.
#   scripts/fuzz.sh TARGET [SECONDS]
#   TARGET: edifact_fuzz | pnrgov_xml_fuzz | mrz_fuzz | lists_fuzz | rules_fuzz | sealed_fuzz | fmr_fuzz | an2k_fuzz | image_fuzz | wsq_fuzz | lds_fuzz | sod_fuzz
# Seeds come from data/samples (rules_fuzz: the rules in fuzz/corpus-rules_fuzz/);
# the corpus grows in fuzz/corpus-TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh edifact_fuzz|pnrgov_xml_fuzz|mrz_fuzz|lists_fuzz|rules_fuzz|sealed_fuzz|fmr_fuzz|an2k_fuzz|image_fuzz|wsq_fuzz|lds_fuzz|sod_fuzz [SECONDS]}"
seconds="${2:-600}"
bash scripts/install-deps.sh
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVIGIL_BUILD_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF -DVIGIL_BUILD_BENCH=OFF
fi
cmake --build build-fuzz --target "$target"
corpus="fuzz/corpus-$target"
max_len=262144
mkdir -p "$corpus"
case "$target" in
  edifact_fuzz) cp -n data/samples/*.edi "$corpus"/ ; dict=(-dict=fuzz/edifact.dict) ;;
  pnrgov_xml_fuzz) cp -n data/samples/*.xml "$corpus"/ ; dict=() ;;
  mrz_fuzz)
    printf 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n' > "$corpus/td3"
    printf 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n' > "$corpus/td1"
    dict=() ;;
  lists_fuzz)
    cp -n data/lists/national-demo.jsonl "$corpus"/
    head -c 20000 data/lists/ofac-sdn/sdn.csv > "$corpus/sdn-head.csv"
    head -c 20000 data/lists/un/UN_consolidated.xml > "$corpus/un-head.xml"
    dict=() ;;
  rules_fuzz)
    [ -n "$(ls -A "$corpus")" ] || printf 'rule "r" severity low category c\nwhen booking.days_before_departure <= 3 and any payment.type == "CASH"\n' > "$corpus/seed"
    dict=(-dict=fuzz/rules.dict)
    max_len=512 ;;
  sealed_fuzz)
    cp -n config/retention.json "$corpus"/
    dict=()
    max_len=4096 ;;
  fmr_fuzz)
    printf 'FMR\0 20\0\0\0\0\x2a\0\0\x01\x90\x01\xf4\0\xc5\0\xc5\x01\0\x02\x10\x50\x02\x40\x64\0\x78\x40\x46\x80\xfa\x01\x2c\xc8\x5a\0\0' > "$corpus/iso2005"
    dict=()
    max_len=4096 ;;
  an2k_fuzz)
    # A Type-4 raw image, a Type-9 record with its INCITS 378 block, and a
    # Type-14 slap with finger boxes (14.021).
    cp -n fuzz/seeds/type14-seg.an2 "$corpus"/
    printf '1.001:132\x1d1.002:0400\x1d1.003:1\x1f1\x1e4\x1f01\x1d1.004:CAR\x1d1.005:20240131\x1d1.007:DAI000001\x1d1.008:ORI000001\x1d1.009:TCN-0001\x1d1.011:19.69\x1d1.012:19.69\x1c\x00\x00\x00\x1e\x01\x01\x02\xff\xff\xff\xff\xff\x00\x00\x04\x00\x03\x00abcdefghijkl' > "$corpus/type4"
    printf '1.001:132\x1d1.002:0400\x1d1.003:1\x1f1\x1e9\x1f01\x1d1.004:CAR\x1d1.005:20240131\x1d1.007:DAI000001\x1d1.008:ORI000001\x1d1.009:TCN-0001\x1d1.011:19.69\x1d1.012:19.69\x1c9.001:190\x1d9.002:01\x1d9.003:0\x1d9.004:S\x1d9.126:27\x1f513\x1f0\x1d9.127:0\x1f0\x1d9.128:400\x1d9.129:500\x1d9.130:2\x1d9.131:197\x1d9.132:197\x1d9.133:0\x1d9.134:2\x1d9.135:80\x1f255\x1f1\x1d9.136:2\x1d9.137:1\x1f100\x1f120\x1f45\x1f1\x1f70\x1e2\x1f250\x1f300\x1f179\x1f2\x1f90\x1c' > "$corpus/type9"
    dict=()
    max_len=16384 ;;
  image_fuzz)
    # A small fingerprint (PNG, and JPEG 2000 as a JP2 file), a fingerprint
    # as a JPEG 2000 codestream, the sample face (JPEG, and JPEG 2000).
    cp -n fuzz/seeds/print-160.png fuzz/seeds/print-128.jp2 data/faces/astronaut.jpg "$corpus"/
    cp -n tests/biometrics/data/jp2/sample.j2k tests/biometrics/data/jp2/face.jp2 "$corpus"/
    dict=()
    max_len=65536 ;;
  lds_fuzz)
    # A data group 2 with one small JPEG, a bare face record with two
    # images, a data group 3 with two finger records (raw pixels; WSQ), a
    # 2011 finger record and a 2011 face record.
    cp -n fuzz/seeds/dg2-small.bin fuzz/seeds/fac-two-images.bin fuzz/seeds/dg3-small.bin fuzz/seeds/fir-2011.bin fuzz/seeds/fac-2011.bin "$corpus"/
    dict=()
    max_len=4096 ;;
  sod_fuzz)
    # A security object listing three data groups under SHA-256, and a
    # CSCA master list, both signed by the openssl command-line tool; a
    # CSCA's revocation list (DER); a data group 15 (an EC public key).
    cp -n fuzz/seeds/sod-sha256.bin fuzz/seeds/csca-master-list.bin fuzz/seeds/csca-crl.der fuzz/seeds/dg15-ec.bin "$corpus"/
    dict=()
    max_len=4096 ;;
  wsq_fuzz)
    # A WSQ fingerprint.
    cp -n tests/biometrics/data/wsq/sample.wsq "$corpus"/
    dict=()
    max_len=65536 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p build-fuzz/artifacts
./build-fuzz/fuzz/"$target" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -max_len="$max_len" -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/ "$corpus"
