#!/usr/bin/env bash
# Record API (Lexicon shape) benchmark, loopback only. Starts build/dnsplane
# on a temporary SQLite database and measures:
#   1. 1,000 Lexicon-style creates into one TXT set, one POST each, 16 clients   >= 2,000 ops/s
#   2. 1,000 deletes by content of those values, one DELETE each, 16 clients     >= 2,000 ops/s
#   3. GET /v1/domains/{d}/records of a zone of 10,000 values (100 sets x 100)  <= 50 ms
# Prints JSON lines. Environment: DNSPLANE_BIN, CLIENTS (16), COUNT (1000), CLIENT (wrk|python),
# LOG_LEVEL (info), KEEP=1 keeps the temporary folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
clients="${CLIENTS:-16}"
count="${COUNT:-1000}"
log_level="${LOG_LEVEL:-info}"
py=/usr/bin/python3
tool="$py $repo/bench/records_tool.py"

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build" >&2; exit 1; }
work="$(mktemp -d /tmp/dnsplane-bench-records.XXXXXX)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"; wait "$server_pid" || true
    fi
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

. "$repo/bench/lib.sh"
api_port=$(free_port)
dns_port=$(free_port)
api="http://127.0.0.1:$api_port"

"$bin" serve --database "sqlite://$work/store.db" --api-listen "127.0.0.1:$api_port" \
    --dns-listen "127.0.0.1:$dns_port" --log-level "$log_level" >>"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "$api/" >/dev/null && break; sleep 0.1; done

mkzone() {
    curl -sf -X POST "$api/v2/zones" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1.\",\"email\":\"bench@example.org\"}" |
        $py -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
mkzone bench-acme.org >/dev/null
# Creates and deletes: wrk (bench/records.lua, one connection per client, one
# op per request, timed to the COUNT-th answer; WRK_SECONDS (10) bounds
# the window). CLIENT=python uses the
# Python client instead (records_tool.py: its GIL caps it near the target).
wrk_ops() {  # $1: create | delete
    wrk -t1 -c"$clients" -d"${WRK_SECONDS:-10}s" -s "$repo/bench/records.lua" "$api" -- "$1" bench-acme.org \
        "$count" 2>&1 | sed -n 's/^RECORDS_JSON //p' | $py -c '
import json, sys
d = json.load(sys.stdin)
ok = sum(n for s, n in d["statuses"].items() if s.startswith("2"))
if d["duration_us"] < 0:
    sys.exit("records.lua: COUNT answers not reached within WRK_SECONDS: not a result")
sec = d["duration_us"] / 1e6
print(json.dumps({"ops": ok, "seconds": round(sec, 3), "ops_per_s": round(ok / sec, 1),
                  "errors": sum(d["statuses"].values()) - ok, "statuses": d["statuses"],
                  "latency_us": d["latency_us"]}))'
}
if [ "${CLIENT:-wrk}" = python ]; then
    echo "creates: $($tool creates --api "$api" --domain bench-acme.org --count "$count" --clients "$clients")"
    echo "deletes: $($tool deletes --api "$api" --domain bench-acme.org --count "$count" --clients "$clients")"
else
    echo "creates: $(wrk_ops create)"
    echo "deletes: $(wrk_ops delete)"
fi

zid=$(mkzone bench-list.org)
$py - "$api" "$zid" <<'PY'
import json, sys, urllib.request
api, zid = sys.argv[1], sys.argv[2]
for s in range(100):
    recs = [f"10.{s // 256}.{s % 256}.{v}" for v in range(100)]
    body = json.dumps({"name": f"h{s}.bench-list.org.", "type": "A", "records": recs}).encode()
    req = urllib.request.Request(f"{api}/v2/zones/{zid}/recordsets", data=body,
                                 headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()
PY
echo "list: $($tool list --api "$api" --domain bench-list.org)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (after)"
