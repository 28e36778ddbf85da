#!/usr/bin/env bash
# Builds one libFuzzer target with clang in its own build directory and runs
# it for a bounded time.
# Usage: scripts/fuzz.sh [TARGET] [SECONDS]   (TARGET default query, SECONDS 60)
#   TARGET is the name of fuzz/<TARGET>_fuzzer.cpp (CMake target fuzz_<TARGET>):
#   query         the DNS query parser + answer builder
#   http_request  the HTTP request parser + framing decision + routing
#   scripts/fuzz.sh 60 (a number first) is scripts/fuzz.sh query 60.
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz), JOBS (default 2),
# FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2 -workers=2").
# The corpus grows in $FUZZ_BUILD_DIR/corpus/<TARGET>; crashes are written to
# $FUZZ_BUILD_DIR/artifacts/<TARGET>/ and make the script fail.
set -euo pipefail

target=query
if [ $# -gt 0 ] && ! [[ "$1" =~ ^[0-9]+$ ]]; then
    target="$1"
    shift
fi
seconds="${1:-60}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${FUZZ_BUILD_DIR:-$repo/build-fuzz}"
jobs="${JOBS:-2}"

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing (apt-get install clang)" >&2; exit 1; }

cmake -S "$repo" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDNSPLANE_BUILD_FUZZ=ON -DDNSPLANE_BUILD_TESTS=OFF >/dev/null
[ -f "$repo/fuzz/${target}_fuzzer.cpp" ] || { echo "fuzz.sh: no fuzz/${target}_fuzzer.cpp" >&2; exit 2; }
cmake --build "$build_dir" --target "fuzz_$target" -j"$jobs"

corpus="$build_dir/corpus/$target"
artifacts="$build_dir/artifacts/$target/"
mkdir -p "$corpus" "$artifacts"
max_len=4096

# Seeds: a few well-formed inputs covering the interesting paths.
if [ "$target" = http_request ]; then
    max_len=8192
    if [ -z "$(ls -A "$corpus")" ]; then
        /usr/bin/python3 - "$corpus" <<'PY'
import sys
out = sys.argv[1]
body = b'{"name": "www.example.org.", "type": "A", "records": ["192.0.2.1"]}'
seeds = [
    b"GET /v2/zones?limit=2&name=example.org. HTTP/1.1\r\nHost: api:9001\r\n\r\n",
    b"GET /v2/zones/0b4d1fd4-3c1a-4f4e-9a4e-8f1b7f3c2a10%2Frecordsets HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v2/zones/z1/recordsets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: %d\r\n\r\n" % len(body) + body,
    b"POST /v2/zones/z1/recordsets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n",
    b"POST /v2/zones HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST /hooks/v1/events/e%2F1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}",
    b"GET http://api.example:8080/v2/zones/tasks HTTP/1.1\r\nHost: y\r\nX-A: a\r\n b\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: [::1]:9001\r\n\r\n",
    b"PATCH /v2/zones/a%00b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    b"DELETE /v2/%7Bzone_id%7D/ HTTP/1.1\r\nHost: x\r\nHost: y\r\nX-Deny: 1\r\n\r\n",
]
for i, s in enumerate(seeds):
    open(f"{out}/seed-{i:03d}", "wb").write(s)
PY
    fi
elif [ "$target" = json_patch ] && [ -z "$(ls -A "$corpus")" ]; then
    /usr/bin/python3 - "$corpus" <<'PY'
import json, sys
out = sys.argv[1]
rec = "/recordset/records"
seeds = [
    [{"op": "add", "path": rec + "/-", "value": "\"x\""}],
    [{"op": "copy", "from": rec, "path": rec + "/-"}] * 4,
    [{"op": "test", "path": "/recordset/version", "value": 3},
     {"op": "replace", "path": "/recordset/ttl", "value": 60}],
    [{"op": "move", "from": rec + "/0", "path": rec + "/1"},
     {"op": "remove", "path": "/recordset/description"}],
    [{"a": [1, {"b": "~1"}]}, [{"op": "add", "path": "/a/1/c~0", "value": [True, None]}]],
]
for i, s in enumerate(seeds):
    open(f"{out}/seed-{i:03d}", "w").write(json.dumps(s))
PY
elif [ "$target" = query ] && [ -z "$(ls -A "$corpus")" ]; then
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

log="$build_dir/fuzz_$target.log"
set +e
"$build_dir/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$artifacts" ${FUZZ_ARGS:-} "$corpus" 2>&1 | tee "$log" | grep -E "^#[0-9]+.*(DONE|pulse)|^stat::|ERROR|SUMMARY"
status=${PIPESTATUS[0]}
set -e

runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
echo "fuzz.sh: $target: ${runs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs," \
     "artifacts: $(ls "$artifacts" | wc -l)"
exit "$status"
