#!/usr/bin/env bash
# DNS benchmark (loopback only): dnsplane, Knot DNS and NSD, one at a time,
# on the same 10,000-record zone and the same dnsperf query file.
#   1. the zone is created in dnsplane through the REST API, then exported
#      from the API as a zone file for knotd and nsd (same records, same SOA)
#   2. for each server alone: dnsperf throughput (-c 2 -l 10, unlimited
#      rate), dnsperf latency at a fixed rate (-Q, per-query latencies from
#      -v -> p50/p99), RSS/PSS with the zone loaded, AXFR time (kdig, best of 5)
#   3. propagation: bench/propagation.py, 200 API writes, time from the HTTP
#      response to the first DNS answer showing the record
# Prints the table and writes it into the "## DNS" section of bench/RESULTS.md.
# Builds nothing: expects build/dnsplane (scripts/build) or $DNSPLANE_BIN.
# Environment: DNSPLANE_BIN, BASE_BIN (a second dnsplane binary benchmarked in the
# same run on the same store, e.g. the main branch's), RECORDS (10000), DURATION (10, seconds), CLIENTS
# (2), LATENCY_QPS (20000), WRITES (200), RESULTS (bench/RESULTS.md), KEEP=1
# keeps the temporary folder (logs, zone file, dnsperf output).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
records="${RECORDS:-10000}"
duration="${DURATION:-10}"
clients="${CLIENTS:-2}"
latency_qps="${LATENCY_QPS:-20000}"
writes="${WRITES:-200}"
results="${RESULTS:-$repo/bench/RESULTS.md}"
py=/usr/bin/python3
tool="$py $repo/bench/dns_tool.py"
zone="bench.example."

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build or set DNSPLANE_BIN" >&2; exit 1; }
for t in dnsperf knotd nsd kdig; do
    command -v "$t" >/dev/null || PATH="$PATH:/usr/sbin"
    command -v "$t" >/dev/null || {
        echo "$t missing: apt-get install -y dnsperf knot nsd knot-dnsutils" >&2; exit 1; }
done

work="$(mktemp -d /tmp/dnsplane-dns-bench.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
    done
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

. "$repo/bench/lib.sh"
stop_pid() {
    kill -TERM "$1"
    wait "$1" 2>/dev/null || true
    local keep=() p
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]}")
}

api_port=$(free_port)
dns_port=$(free_port)
api="http://127.0.0.1:$api_port"
export DNSPLANE_QUOTAS_RECORDSETS=1000000  # quotas are not what is measured

start_dnsplane() {
    "$bin" serve --database "sqlite://$work/dnsplane.db" --api-listen "127.0.0.1:$api_port" \
        --dns-listen "127.0.0.1:$dns_port" --log-level warn >>"$work/dnsplane.log" 2>&1 &
    dnsplane_pid=$!
    pids+=("$dnsplane_pid")
    $tool wait --api "$api" --pid "$dnsplane_pid" >/dev/null
}

# One server, already serving $zone on $2: throughput, latency, memory, AXFR.
bench_server() {  # $1 name, $2 port, $3 pid, $4 version
    local name=$1 port=$2 pid=$3 version=$4
    $tool wait-dns --port "$port" --zone "$zone" >/dev/null
    echo "== $name: warm-up, throughput ${duration}s, latency at ${latency_qps} qps" >&2
    dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c "$clients" -l 2 >/dev/null 2>&1
    dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c "$clients" -l "$duration" \
        >"$work/$name.qps.txt" 2>&1
    dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -c "$clients" -l 5 \
        -Q "$latency_qps" -v >"$work/$name.latency.txt" 2>&1
    local qps latency memory axfr
    qps=$($tool qps --file "$work/$name.qps.txt")
    latency=$($tool latency --file "$work/$name.latency.txt")
    memory=$($tool rss --pid "$pid")
    axfr=$($tool axfr --port "$port" --zone "$zone")
    $py - "$name" "$version" "$qps" "$latency" "$memory" "$axfr" >"$work/$name.json" <<'EOF'
import json, sys
name, version, qps, latency, memory, axfr = sys.argv[1:]
out = {"name": name, "version": version, **json.loads(qps), "latency": json.loads(latency),
       **json.loads(memory), "axfr": json.loads(axfr)}
print(json.dumps(out))
EOF
    cat "$work/$name.json" >&2
}

# --- 1. the zone, through the API -------------------------------------------
start_dnsplane
echo "== loading $records records into dnsplane through the API" >&2
load=$($tool load --api "$api" --zone "$zone" --records "$records" --out "$work")
echo "$load" >&2
# Restart so that the measured process holds the zone as loaded at start-up.
stop_pid "$dnsplane_pid"
start_dnsplane

# --- 2. each server alone -----------------------------------------------------
dnsplane_version=$("$bin" version 2>/dev/null | awk '{print $NF}' || true)
bench_server dnsplane "$dns_port" "$dnsplane_pid" "$dnsplane_version"

echo "== propagation: $writes API writes" >&2
$py "$repo/bench/propagation.py" --api "$api" --dns-port "$dns_port" --zone "$zone" \
    --writes "$writes" >"$work/propagation.json"
cat "$work/propagation.json" >&2
stop_pid "$dnsplane_pid"

# An older/other dnsplane binary on the same store, in the same run.
if [ -n "${BASE_BIN:-}" ]; then
    bin="$BASE_BIN" start_dnsplane  # the assignment holds for the call only
    bench_server dnsplane-base "$dns_port" "$dnsplane_pid" \
        "$("$BASE_BIN" version 2>/dev/null | awk '{print $NF}' || true)"
    stop_pid "$dnsplane_pid"
fi

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
acl:
  - id: local
    address: 127.0.0.0/8
    action: transfer
zone:
  - domain: $zone
    file: $work/zone.txt
    storage: $work/knot
    journal-content: none
    zonefile-sync: -1
    acl: local
EOF
knotd -c "$work/knot/knot.conf" >>"$work/knot/knotd.log" 2>&1 &
knot_pid=$!
pids+=("$knot_pid")
bench_server knot "$knot_port" "$knot_pid" "$(knotd -V | awk '{print $NF}')"
stop_pid "$knot_pid"

nsd_port=$(free_port)
mkdir -p "$work/nsd"
cat >"$work/nsd/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$nsd_port
    server-count: 2
    username: ""
    chroot: ""
    zonesdir: "$work/nsd"
    pidfile: "$work/nsd/nsd.pid"
    xfrdfile: "$work/nsd/xfrd.state"
    zonelistfile: "$work/nsd/zone.list"
    database: ""
    logfile: "$work/nsd/nsd.log"
    verbosity: 0
    # Debian's NSD has response rate limiting on (200 qps per /24): off, as
    # in Knot's default, or it drops most of the benchmark's queries.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: $zone
    zonefile: "$work/zone.txt"
    provide-xfr: 127.0.0.1 NOKEY
EOF
nsd -d -c "$work/nsd/nsd.conf" >>"$work/nsd/nsd.out" 2>&1 &
nsd_pid=$!
pids+=("$nsd_pid")
bench_server nsd "$nsd_port" "$nsd_pid" "$(nsd -v 2>&1 | head -1 | awk '{print $NF}')"
stop_pid "$nsd_pid"

# --- 3. report ----------------------------------------------------------------
$py - "$work" "$load" >"$work/all.json" <<EOF
import json, os, sys, datetime
work, load = sys.argv[1], json.loads(sys.argv[2])
print(json.dumps({
    "date": datetime.date.today().isoformat(),
    "cpus": os.cpu_count(),
    "records": load["records"],
    "load_seconds": load["seconds"],
    "dnsperf_qps": "dnsperf -s 127.0.0.1 -p PORT -d queries.txt -c $clients -l $duration",
    "dnsperf_latency": "dnsperf -s 127.0.0.1 -p PORT -d queries.txt -c $clients -l 5 -Q $latency_qps -v",
    "loadavg": " ".join(open("/proc/loadavg").read().split()[:3]),
    "servers": [json.load(open(f"{work}/{n}.json"))
                for n in ("dnsplane", "dnsplane-base", "knot", "nsd")
                if os.path.exists(f"{work}/{n}.json")],
    "propagation": json.load(open(f"{work}/propagation.json")),
}))
EOF
command_line="bench/dns.sh  # RECORDS=$records DURATION=$duration CLIENTS=$clients LATENCY_QPS=$latency_qps WRITES=$writes DNSPLANE_BIN=${DNSPLANE_BIN:-build/dnsplane}"
$tool report --json "$work/all.json" --results "$results" --command "$command_line"
