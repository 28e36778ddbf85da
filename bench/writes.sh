#!/usr/bin/env bash
# Write benchmark (loopback only): single-value record-set creates with 16
# concurrent clients, dnsplane and PowerDNS side by side in one run.
#   a) dnsplane, default SQLite (synchronous=normal), zone preloaded with 10,000 sets
#   b) the same store with ?synchronous=full in the database URL
#   c) dnsplane, zone of 100,000 sets ([quotas] recordsets raised in a TOML config)
#   d) PowerDNS 4.7 HTTP API (pdns-server + pdns-backend-sqlite3), zone of 10,000
#      rrsets, each request a PATCH of one rrset "changetype": "REPLACE" of a new
#      name: 16 clients (d), 1 client (d1), 1 client with synchronous=NORMAL (d1n)
# plus, on server a after its window: GET of one record set (wrk) and write->DNS
# propagation (bench/propagation.py).
# Every measured request's status is counted (bench/writes.lua) and the store's
# count checked before/after; runs with errors are reported as "not a result".
# Prints the table and writes it into the "## Writes" section of bench/RESULTS.md.
# Environment: DNSPLANE_BIN (build/dnsplane), DURATION (10, seconds per window),
# WARMUP (1), CLIENTS (16), BASE_SETS (10000), BIG_SETS (100000),
# PRELOAD_WORKERS (16), PRELOAD_API_BUDGET (45 s per zone; what the API has not
# created by then is written straight into SQLite), WRITES (200, propagation),
# LOG_LEVEL (info), RESULTS (bench/RESULTS.md), KEEP=1 keeps the temporary folder.
set -euo pipefail
shopt -s inherit_errexit  # a failing step inside $(...) stops the run too

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
duration="${DURATION:-10}"
warmup="${WARMUP:-1}"
clients="${CLIENTS:-16}"
base_sets="${BASE_SETS:-10000}"
big_sets="${BIG_SETS:-100000}"
preload_workers="${PRELOAD_WORKERS:-16}"
budget="${PRELOAD_API_BUDGET:-45}"
writes="${WRITES:-200}"
log_level="${LOG_LEVEL:-info}"
results="${RESULTS:-$repo/bench/RESULTS.md}"
py=/usr/bin/python3
tool="$py $repo/bench/writes_tool.py"
api_tool="$py $repo/bench/api_tool.py"
zone="bench.example."
pdns_key="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
command_line="DNSPLANE_BIN=$bin bench/writes.sh"

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build or set DNSPLANE_BIN" >&2; exit 1; }
PATH="$PATH:/usr/sbin"
for t in wrk pdns_server sqlite3; do
    command -v "$t" >/dev/null || { echo "$t missing: run scripts/install-deps" >&2; exit 1; }
done
schema=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
[ -r "$schema" ] || { echo "$schema missing: run scripts/install-deps" >&2; exit 1; }

uptime_before=$(uptime)
began=$(date +%s)
work="$(mktemp -d /tmp/dnsplane-writes.XXXXXX)"
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
. "$repo/bench/lib.sh"
json_field() { $py -c "import json,sys; print(json.load(sys.stdin)$1)"; }
elapsed() { echo "[$(( $(date +%s) - began ))s]"; }

api_port=$(free_port)
dns_port=$(free_port)
api="http://127.0.0.1:$api_port"
# The 100,000-set zone (and the creates of every window) exceed the default
# per-zone quota of 10,000 record sets.
cat >"$work/dnsplane.toml" <<EOF
[quotas]
recordsets = 10000000
EOF

start_dnsplane() {  # $1: database URL
    "$bin" serve --config "$work/dnsplane.toml" --database "$1" \
        --api-listen "127.0.0.1:$api_port" --dns-listen "127.0.0.1:$dns_port" \
        --log-level "$log_level" >>"$work/dnsplane.log" 2>&1 &
    dnsplane_pid=$!
    pids+=("$dnsplane_pid")
    $api_tool wait --api "$api" --pid "$dnsplane_pid" >/dev/null
}
count_sets() { $tool count --api "$api" --zone-id "$zone_id" | json_field '["count"]'; }
create_zone() {  # $1 name; prints the id
    curl -sf -X POST "$api/v2/zones" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"email\":\"bench@example.org\"}" | json_field '["id"]'
}

# Preload: through the API with PRELOAD_WORKERS connections for at most
# PRELOAD_API_BUDGET seconds, the rest (if any) straight into SQLite with the
# server stopped. Prints {"api": {...}, "sqlite": N}.
preload() {  # $1 db file, $2 first index, $3 count
    local api_json made rest
    start_dnsplane "sqlite://$1"
    api_json=$($api_tool seed --api "$api" --zone-id "$zone_id" --zone "$zone" \
        --start "$2" --count "$3" --workers "$preload_workers" --deadline "$budget")
    stop_pid "$dnsplane_pid"
    made=$(echo "$api_json" | json_field '["count"]')
    rest=$(( $3 - made ))
    if [ "$rest" -gt 0 ]; then  # names bulk<i> continue the indexes of seed<i>
        $api_tool bulk --db "$1" --zone-ids "$zone_id" --per-zone "$rest" \
            --start $(( $2 + made )) >/dev/null
    fi
    echo "{\"api\": $api_json, \"sqlite\": $rest}"
}

# One measured window: $1 key, $2 label, $3 connections, then the wrk URL
# and the writes.lua arguments.
measure() {
    local key=$1 label=$2 conns=$3 url=$4
    shift 4
    echo "$(elapsed) == $key: $label, $conns client(s), ${duration}s" >&2
    wrk -t1 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$repo/bench/writes.lua" \
        "$url" -- "$@" >"$work/$key.wrk.txt" 2>&1
}
record_run() {  # $1 key, $2 label, $3 conns, $4 server, $5 before, $6 after, $7 extra JSON
    $tool run --wrk "$work/$1.wrk.txt" --before "$5" --after "$6" --connections "$3" |
        $py -c "import json,sys; d=json.load(sys.stdin); d.update(key='$1', label='$2', server='$4', **json.loads('$7')); print(json.dumps(d))" \
        >"$work/$1.run.json"
    echo "   $(cat "$work/$1.run.json")" >&2
}

dnsplane_window() {  # $1 key, $2 label, $3 database URL, $4 synchronous, $5 preloaded sets
    local key=$1 before after
    start_dnsplane "$3"
    if [ "$warmup" != 0 ]; then
        wrk -t1 -c"$clients" -d"${warmup}s" -s "$repo/bench/writes.lua" \
            "$api/v2/zones/$warm_zone_id/recordsets" -- designate "$warm_zone_id" \
            "$warm_zone" "$key$began" >/dev/null 2>&1
    fi
    before=$(count_sets)
    if [ "$before" != $(( $5 + 2 )) ]; then  # + the managed SOA and NS sets
        echo "run $key: the zone holds $before record sets, expected $5 + SOA + NS" >&2
        exit 1
    fi
    measure "$key" "$2" "$clients" "$api/v2/zones/$zone_id/recordsets" \
        designate "$zone_id" "$zone" "$key$began"
    after=$(count_sets)
    record_run "$key" "$2" "$clients" dnsplane "$before" "$after" "{\"synchronous\": \"$4\"}"
}

# --- preload ------------------------------------------------------------------
echo "$(elapsed) == preload: $base_sets record sets ($work)" >&2
start_dnsplane "sqlite://$work/base.db"
zone_id=$(create_zone "$zone")
# The warm-up before each window writes into a zone of its own, so that every
# measured window starts on exactly the preloaded zone.
warm_zone="warm.example."
warm_zone_id=$(create_zone "$warm_zone")
stop_pid "$dnsplane_pid"
base_preload=$(preload "$work/base.db" 0 "$base_sets")
echo "   $base_preload" >&2
for db in a b c; do sqlite3 "$work/base.db" ".backup '$work/$db.db'"; done
echo "$(elapsed) == preload: $((big_sets - base_sets)) more record sets for c" >&2
big_preload=$(preload "$work/c.db" "$base_sets" $((big_sets - base_sets)))
echo "   $big_preload" >&2

# --- dnsplane ------------------------------------------------------------------
dnsplane_window a "dnsplane, SQLite synchronous=normal (default)" "sqlite://$work/a.db" normal \
    "$base_sets"
echo "$(elapsed) == GET one record set (server a)" >&2
rs_id=$($tool rs-id --api "$api" --zone-id "$zone_id" --name "seed0.$zone" | json_field '["id"]')
wrk -t1 -c16 -d"${duration}s" --latency "$api/v2/zones/$zone_id/recordsets/$rs_id" \
    >"$work/get.wrk.txt" 2>&1
$tool get --wrk "$work/get.wrk.txt" >"$work/get.json"
echo "   $(cat "$work/get.json")" >&2
echo "$(elapsed) == propagation: $writes writes (server a)" >&2
$py "$repo/bench/propagation.py" --api "$api" --dns-port "$dns_port" --zone "$zone" \
    --project default --writes "$writes" >"$work/propagation.json"
echo "   $(cat "$work/propagation.json")" >&2
stop_pid "$dnsplane_pid"

dnsplane_window b "dnsplane, SQLite ?synchronous=full" "sqlite://$work/b.db?synchronous=full" full \
    "$base_sets"
stop_pid "$dnsplane_pid"
dnsplane_window c "dnsplane, bigger zone, synchronous=normal" "sqlite://$work/c.db" normal \
    "$big_sets"
stop_pid "$dnsplane_pid"

# --- PowerDNS ------------------------------------------------------------------
pdns_dir="$work/pdns"
mkdir -p "$pdns_dir"
sqlite3 "$pdns_dir/pdns.sqlite3" <"$schema"
pdns_dns_port=$(free_port)
pdns_http_port=$(free_port)
pdns_url="http://127.0.0.1:$pdns_http_port"
start_pdns() {  # $1: value of gsqlite3-pragma-synchronous ("" = PowerDNS's default)
    cat >"$pdns_dir/pdns.conf" <<EOF
launch=gsqlite3
gsqlite3-database=$pdns_dir/pdns.sqlite3
gsqlite3-pragma-synchronous=$1
local-address=127.0.0.1
local-port=$pdns_dns_port
api=yes
api-key=$pdns_key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$pdns_http_port
webserver-allow-from=127.0.0.0/8
webserver-max-bodysize=64
webserver-loglevel=none
socket-dir=$pdns_dir
guardian=no
daemon=no
disable-syslog=yes
security-poll-suffix=
loglevel=4
EOF
    pdns_server --config-dir="$pdns_dir" >>"$pdns_dir/pdns.log" 2>&1 &
    pdns_pid=$!
    pids+=("$pdns_pid")
    $tool pdns-wait --url "$pdns_url" --key "$pdns_key" --pid "$pdns_pid" >/dev/null
}
pdns_count() { $tool pdns-count --db "$pdns_dir/pdns.sqlite3" --zone "$zone" | json_field '["count"]'; }
pdns_window() {  # $1 key, $2 label, $3 connections, $4 synchronous
    local before after
    before=$(pdns_count)
    measure "$1" "$2" "$3" "$pdns_url/api/v1/servers/localhost/zones/$zone" \
        pdns "$zone" "$1$began" "$pdns_key"
    after=$(pdns_count)
    record_run "$1" "$2" "$3" pdns "$before" "$after" "{\"synchronous\": \"$4\"}"
}

echo "$(elapsed) == PowerDNS: zone of $base_sets rrsets in one POST" >&2
start_pdns ""
pdns_preload=$($tool pdns-zone --url "$pdns_url" --key "$pdns_key" --zone "$zone" \
    --count "$base_sets")
echo "   $pdns_preload" >&2
pdns_version=$( (pdns_server --version 2>&1 || true) |
    sed -n 's/.*PowerDNS Authoritative Server \([^ ]*\).*/\1/p' | head -1)
pdns_window d "PowerDNS, SQLite synchronous default (FULL)" "$clients" full
pdns_window d1 "PowerDNS, SQLite synchronous default (FULL)" 1 full
stop_pid "$pdns_pid"
start_pdns NORMAL
pdns_window d1n "PowerDNS, SQLite synchronous=NORMAL" 1 normal
stop_pid "$pdns_pid"

# --- report ----------------------------------------------------------------------
uptime_after=$(uptime)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || true)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
version=$("$bin" version 2>/dev/null | awk '{print $NF}' || true)
$py - "$work" >"$work/all.json" <<EOF
import json, sys, datetime
work = sys.argv[1]
print(json.dumps({
    "date": datetime.date.today().isoformat(),
    "command": "$command_line",
    "machine": "$(nproc) cores ($cpu), Debian $(cat /etc/debian_version), loopback",
    "bin": "$bin", "build": "dnsplane $version, ${build_type:-unknown build type}",
    "log_level": "$log_level", "duration": $duration, "warmup": $warmup,
    "base_sets": $base_sets, "big_sets": $big_sets,
    "uptime_before": "$uptime_before".strip(), "uptime_after": "$uptime_after".strip(),
    "preload": {"workers": $preload_workers, "budget": $budget,
                "base": json.loads('$base_preload'), "big": json.loads('$big_preload')},
    "pdns_version": "$pdns_version", "pdns_preload": json.loads('$pdns_preload'),
    "runs": [json.load(open(f"{work}/{k}.run.json")) for k in ("a", "b", "c", "d", "d1", "d1n")],
    "get": json.load(open(f"{work}/get.json")),
    "propagation": json.load(open(f"{work}/propagation.json")),
}))
EOF
$tool report --json "$work/all.json" --results "$results" >/dev/null
echo "$(elapsed) == done; results in $results" >&2
