#!/usr/bin/env bash
# API benchmark (wrk + Python, loopback only). Starts build/dnsplane on a
# temporary SQLite database and measures:
#   1. GET of one record set           wrk -t1 -c16 -d10s   target >= 20,000 req/s
#   2. POST of record sets (durable)   wrk -t1 -c16 -d10s   target >= 2,000 creates/s
#   3. paging 100,000 record sets with limit=1000 via links.next: max/p99 per page <= 20 ms
#   4. start-up with 1,000,000 record sets in the store, until GET / answers: <= 3 s
# Prints a table and writes it into the "## API" section of bench/RESULTS.md.
# Environment: DNSPLANE_BIN, SEED_RECORDSETS (100000), SEED_API_BUDGET (180 s of
# API seeding, the rest straight into SQLite), STARTUP_RECORDSETS
# (1000000), DURATION (10s), LOG_LEVEL (info: every request is logged, as in
# production), RESULTS (bench/RESULTS.md), KEEP=1 keeps the temporary folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
seed_count="${SEED_RECORDSETS:-100000}"
seed_budget="${SEED_API_BUDGET:-180}"
startup_count="${STARTUP_RECORDSETS:-1000000}"
duration="${DURATION:-10s}"
log_level="${LOG_LEVEL:-info}"
results="${RESULTS:-$repo/bench/RESULTS.md}"
tool="/usr/bin/python3 $repo/bench/api_tool.py"
py=/usr/bin/python3

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build" >&2; exit 1; }
command -v wrk >/dev/null || bash "$repo/scripts/install-deps"

work="$(mktemp -d /tmp/dnsplane-bench.XXXXXX)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"; wait "$server_pid" || true
    fi
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

. "$repo/bench/lib.sh"
json_field() { $py -c "import json,sys; print(json.load(sys.stdin)$1)"; }

api_port=$(free_port)
dns_port=$(free_port)
api="http://127.0.0.1:$api_port"
# Room for the seeded zone and the POST run; quotas are not what is measured.
export DNSPLANE_QUOTAS_RECORDSETS=10000000

start_server() {  # $1: database file
    "$bin" serve --database "sqlite://$1" --api-listen "127.0.0.1:$api_port" \
        --dns-listen "127.0.0.1:$dns_port" --log-level "$log_level" \
        >>"$work/server.log" 2>&1 &
    server_pid=$!
    $tool wait --api "$api" --pid "$server_pid" >/dev/null
}
stop_server() {
    kill -TERM "$server_pid"; wait "$server_pid"; server_pid=""
}
create_zone() {  # $1: name; prints the id
    curl -sf -X POST "$api/v2/zones" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"email\":\"bench@example.org\"}" | json_field '["id"]'
}
wrk_field() {  # $1: wrk output file, $2: what
    case "$2" in
    rps) awk '/^Requests\/sec:/ {print $2}' "$1" ;;
    requests) awk '/requests in/ {print $1}' "$1" ;;
    errors) awk '/Non-2xx or 3xx responses:/ {print $5} END {}' "$1" | grep . || echo 0 ;;
    esac
}

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== seeding ($work)"
start_server "$work/bench.db"
get_zone=$(create_zone bench.example.org.)
get_rs=$(curl -sf -X POST "$api/v2/zones/$get_zone/recordsets" -H 'Content-Type: application/json' \
    -d '{"name":"www.bench.example.org.","type":"A","records":["192.0.2.1","192.0.2.2"]}' |
    json_field '["id"]')
big_zone=$(create_zone big.example.org.)
seed_workers=8
# Through the API for at most SEED_API_BUDGET seconds; whatever is left then is
# written straight into SQLite (server stopped), so the run stays bounded.
seed_api_json=$($tool seed --api "$api" --zone-id "$big_zone" --zone big.example.org. \
    --count "$seed_count" --workers "$seed_workers" --deadline "$seed_budget")
echo "seeded through the API: $seed_api_json"
seed_rest=$((seed_count - $(echo "$seed_api_json" | json_field '["count"]')))
seed_sql_json='{"count": 0, "seconds": 0}'
if [ "$seed_rest" -gt 0 ]; then
    stop_server
    seed_sql_json=$($tool bulk --db "$work/bench.db" --zone-ids "$big_zone" --per-zone "$seed_rest" |
        $py -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"count": d["recordsets"], "seconds": d["seconds"]}))')
    echo "seeded directly in SQLite: $seed_sql_json"
    start_server "$work/bench.db"
fi

echo "== GET one record set"
wrk -t1 -c16 -d"$duration" --latency "$api/v2/zones/$get_zone/recordsets/$get_rs" | tee "$work/get.txt"

echo "== POST record sets"
post_zone=$(create_zone post.example.org.)
wrk -t1 -c16 -d"$duration" --latency -s "$repo/bench/post_recordsets.lua" \
    "$api/v2/zones/$post_zone/recordsets" -- "$post_zone" post.example.org. "$(date +%s)" |
    tee "$work/post.txt"
post_total=$(curl -sf "$api/v2/zones/$post_zone/recordsets?limit=1" | json_field '["metadata"]["total_count"]')
post_verified=$((post_total - 2))  # minus the managed SOA and NS

echo "== paging $seed_count record sets"
page_json=$($tool page --api "$api" --zone-id "$big_zone" --limit 1000)
echo "paged: $page_json"
stop_server

echo "== start-up with $startup_count record sets"
start_server "$work/startup.db"
zones=()
for i in $(seq 1 10); do zones+=("$(create_zone "startup$i.example.org.")"); done
stop_server
bulk_json=$($tool bulk --db "$work/startup.db" --zone-ids "$(IFS=,; echo "${zones[*]}")" \
    --per-zone $((startup_count / 10)))
echo "generated: $bulk_json"
startup_json=$($tool startup --bin "$bin" --db "$work/startup.db" --api-port "$api_port" \
    --dns-port "$dns_port" --log "$work/server.log")
echo "start-up: $startup_json"

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || true)
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
$py - "$work/results.json" <<PYEOF
import json, sys
json.dump({
    "date": "$(date -u +%Y-%m-%d)",
    "machine": "$(nproc) cores ($cpu), Debian $(cat /etc/debian_version)",
    "build": "${build_type:-unknown}, log level $log_level",
    "duration": "$duration",
    "load": "$load_at_start",
    "get_rps": float("$(wrk_field "$work/get.txt" rps)"),
    "get_requests": int("$(wrk_field "$work/get.txt" requests)"),
    "get_errors": int("$(wrk_field "$work/get.txt" errors)"),
    "post_rps": float("$(wrk_field "$work/post.txt" rps)"),
    "post_requests": int("$(wrk_field "$work/post.txt" requests)"),
    "post_errors": int("$(wrk_field "$work/post.txt" errors)"),
    "post_verified": $post_verified,
    "seed": {"api": json.loads('$seed_api_json'), "sqlite": json.loads('$seed_sql_json'),
             "workers": $seed_workers, "budget": $seed_budget},
    "page": json.loads('$page_json'),
    "bulk_seconds": json.loads('$bulk_json')["seconds"],
    "startup": dict(json.loads('$startup_json'), recordsets=$startup_count),
}, open(sys.argv[1], "w"), indent=1)
PYEOF
echo
$tool report --json "$work/results.json" --markdown "$results" \
    --command "bench/api.sh"
