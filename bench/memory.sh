#!/usr/bin/env bash
# Memory benchmark (loopback only): resident memory of dnsplane serving one
# zone of 1,000,000 records, against Knot DNS serving the same zone file.
#   1. dnsplane creates the zone and one record set per type through its API;
#      the rest is inserted straight into that SQLite file by memory_tool.py
#      bulk, after checking that its rows have the shape the API wrote
#      (loading 1M records through the API would take too long)
#   2. dnsplane restarted on the store: VmRSS/PSS once the zone's last name answers
#   3. the zone taken by AXFR from dnsplane -> Knot's zone file; knotd alone:
#      VmRSS/PSS once the same name answers
# Prints the table and writes it into the "## Memory" section of bench/RESULTS.md.
# Environment: DNSPLANE_BIN (build/dnsplane), RECORDS (1000000), RESULTS
# (bench/RESULTS.md), KEEP=1 keeps the temporary folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
records="${RECORDS:-1000000}"
results="${RESULTS:-$repo/bench/RESULTS.md}"
py=/usr/bin/python3
tool="$py $repo/bench/memory_tool.py"
dns_tool="$py $repo/bench/dns_tool.py"
zone="mem.example."
command_line="DNSPLANE_BIN=$bin bench/memory.sh"

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build or set DNSPLANE_BIN" >&2; exit 1; }
PATH="$PATH:/usr/sbin"
for t in knotd kdig; do
    command -v "$t" >/dev/null || { echo "$t missing: run scripts/install-deps" >&2; exit 1; }
done

uptime_before=$(uptime)
began=$(date +%s)
work="$(mktemp -d /tmp/dnsplane-memory.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
    done
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
stop_pid() {
    kill -TERM "$1"
    wait "$1" 2>/dev/null || true
    local keep=() p
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
}
free_port() {
    $py -c 'import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass'
}
elapsed() { echo "[$(( $(date +%s) - began ))s]"; }
# Waits until $2 answers the zone's last A name (the zone is fully loaded).
wait_last_name() {  # $1 port
    local name="host$(( records * 60 / 100 - 1 )).$zone" _
    for _ in $(seq 1 1200); do
        if [ -n "$(kdig @127.0.0.1 -p "$1" "$name" A +short +time=1 +retry=0 2>/dev/null)" ]; then
            return 0
        fi
        sleep 0.1
    done
    echo "port $1 did not answer $name" >&2; return 1
}

api_port=$(free_port)
dns_port=$(free_port)
api="http://127.0.0.1:$api_port"
cat >"$work/dnsplane.toml" <<EOF
[quotas]
recordsets = $(( records + 1000 ))
EOF
start_dnsplane() {
    "$bin" serve --config "$work/dnsplane.toml" --database "sqlite://$work/dnsplane.db" \
        --api-listen "127.0.0.1:$api_port" --dns-listen "127.0.0.1:$dns_port" \
        --log-level warn >>"$work/dnsplane.log" 2>&1 &
    dnsplane_pid=$!
    pids+=("$dnsplane_pid")
    $dns_tool wait --api "$api" --pid "$dnsplane_pid" --timeout 300 >/dev/null
}

echo "$(elapsed) == dnsplane: zone and samples through the API ($work)" >&2
start_dnsplane
$tool samples --api "$api" --zone "$zone" --records "$records" >&2
stop_pid "$dnsplane_pid"
echo "$(elapsed) == bulk: $records records into dnsplane's store" >&2
bulk=$($tool bulk --db "$work/dnsplane.db" --zone "$zone" --records "$records")
echo "   $bulk" >&2

echo "$(elapsed) == dnsplane serving the zone" >&2
t0=$(date +%s.%N)
start_dnsplane
wait_last_name "$dns_port"
dnsplane_ready=$($py -c "import time; print(round(time.time() - $t0, 2))")
sleep 1
dnsplane_mem=$($dns_tool rss --pid "$dnsplane_pid")
echo "   ready after ${dnsplane_ready}s: $dnsplane_mem" >&2
zonefile=$($tool zonefile --port "$dns_port" --zone "$zone" --out "$work/zone.txt" \
    --records "$records")
echo "   AXFR: $zonefile" >&2
stop_pid "$dnsplane_pid"

echo "$(elapsed) == knot serving the same zone" >&2
knot_port=$(free_port)
mkdir -p "$work/knot"
cat >"$work/knot/knot.conf" <<EOF
server:
    listen: 127.0.0.1@$knot_port
    rundir: $work/knot
    udp-workers: 2
    tcp-workers: 1
    background-workers: 1
database:
    storage: $work/knot
log:
  - target: stderr
    any: warning
zone:
  - domain: $zone
    file: $work/zone.txt
    storage: $work/knot
    journal-content: none
    zonefile-sync: -1
EOF
t0=$(date +%s.%N)
knotd -c "$work/knot/knot.conf" >>"$work/knot/knotd.log" 2>&1 &
knot_pid=$!
pids+=("$knot_pid")
wait_last_name "$knot_port"
knot_ready=$($py -c "import time; print(round(time.time() - $t0, 2))")
sleep 1
knot_mem=$($dns_tool rss --pid "$knot_pid")
echo "   ready after ${knot_ready}s: $knot_mem" >&2
stop_pid "$knot_pid"

uptime_after=$(uptime)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || true)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
version=$("$bin" version 2>/dev/null | awk '{print $NF}' || true)
$py - >"$work/all.json" <<EOF
import json, datetime
print(json.dumps({
    "date": datetime.date.today().isoformat(), "command": "$command_line",
    "machine": "$(nproc) cores ($cpu), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Debian $(cat /etc/debian_version)",
    "bin": "$bin", "build": "${build_type:-unknown build type}",
    "uptime_before": "$uptime_before".strip(), "uptime_after": "$uptime_after".strip(),
    "records": $records, "bulk": json.loads('$bulk'), "zonefile": json.loads('$zonefile'),
    "dnsplane_version": "$version", "knot_version": "$(knotd -V | awk '{print $NF}')",
    "dnsplane": dict(json.loads('$dnsplane_mem'), ready_s=$dnsplane_ready),
    "knot": dict(json.loads('$knot_mem'), ready_s=$knot_ready),
}))
EOF
$tool report --json "$work/all.json" --results "$results" >/dev/null
echo "$(elapsed) == done; results in $results" >&2
