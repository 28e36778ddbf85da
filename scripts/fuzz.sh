#!/usr/bin/env bash
# Builds the libFuzzer target fuzz_query (query parser + answer builder) with
# clang in its own build directory and runs it for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60; CI uses the default)
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz), JOBS (default 2),
# FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2 -workers=2").
# The corpus grows in $FUZZ_BUILD_DIR/corpus/query; crashes are written to
# $FUZZ_BUILD_DIR/artifacts/ and make the script fail.
set -euo pipefail

seconds="${1:-60}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${FUZZ_BUILD_DIR:-$repo/build-fuzz}"
jobs="${JOBS:-2}"

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing (apt-get install clang)" >&2; exit 1; }

cmake -S "$repo" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDNSPLANE_BUILD_FUZZ=ON -DDNSPLANE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target fuzz_query -j"$jobs"

corpus="$build_dir/corpus/query"
artifacts="$build_dir/artifacts/"
mkdir -p "$corpus" "$artifacts"

# Seeds: a few well-formed queries covering the interesting answer paths.
if [ -z "$(ls -A "$corpus")" ]; then
    /usr/bin/python3 - "$corpus" <<'PY' || echo "fuzz.sh: no dnspython, starting from an empty corpus"
import sys, dns.message, dns.rdatatype
out = sys.argv[1]
names = ["example.org.", "www.example.org.", "chain1.example.org.", "loop1.example.org.",
         "foo.wild.example.org.", "x.sub.example.org.", "ent.example.org.", "nx.example.org.",
         "big.example.org.", "foo.wc.example.org.", "a.w.sub.example.org.", "example.com."]
types = ["A", "AAAA", "MX", "NS", "TXT", "ANY", "DS", "SOA", "IXFR", "AXFR", "CNAME"]
i = 0
for n in names:
    for t in types:
        for edns in (False, True):
            m = dns.message.make_query(n, t, use_edns=edns, payload=4096 if i % 2 else 512)
            open(f"{out}/seed-{i:03d}", "wb").write(m.to_wire())
            i += 1
PY
fi

log="$build_dir/fuzz_query.log"
set +e
"$build_dir/fuzz/fuzz_query" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts" ${FUZZ_ARGS:-} "$corpus" 2>&1 | tee "$log" | grep -E "^#[0-9]+.*(DONE|pulse)|^stat::|ERROR|SUMMARY"
status=${PIPESTATUS[0]}
set -e

runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
echo "fuzz.sh: ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs," \
     "artifacts: $(ls "$artifacts" | wc -l)"
exit "$status"
