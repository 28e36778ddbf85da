#!/usr/bin/env bash
# Memory of a big zone, side by side: dnsplane binaries and Knot DNS serving
# the same zone of RECORDS (1,000,000) one-record A sets on loopback.
#   1. a zone is created through the API of the first binary; RECORDS record
#      sets are written straight into its SQLite store (bench/api_tool.py bulk)
#   2. each dnsplane binary starts on that store (the zone is loaded into DNS
#      at start-up); once the zone's last name answers, VmRSS is read
#   3. knotd loads the same records from a zone file; once its last name
#      answers, VmRSS is read
# Usage: bench/memory.sh [binary ...]   (default build/dnsplane)
# Environment: RECORDS (1000000), KEEP=1 keeps the temporary folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records="${RECORDS:-1000000}"
py=/usr/bin/python3
zone="mem.example."
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$repo/build/dnsplane")
PATH="$PATH:/usr/sbin"

work="$(mktemp -d /tmp/dnsplane-mem-bench.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

. "$repo/bench/lib.sh"
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# Anonymous (heap) vs file-backed resident memory (SQLite maps the store file).
rss_split() { awk '/^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {printf "anon_mib=%d file_mib=%d", a/1024, f/1024}' "/proc/$1/status"; }
# Until NAME answers with an A record on port $1 (the zone is fully loaded).
wait_name() {
    local port=$1 name=$2 i
    for i in $(seq 1 1200); do
        if kdig +short +timeout=1 +retry=0 @127.0.0.1 -p "$port" "$name" A 2>/dev/null |
            grep -q '^10\.'; then return 0; fi
        sleep 0.5
    done
    echo "port $port never answered $name" >&2
    return 1
}
last="bulk$((records - 1)).$zone"
export DNSPLANE_QUOTAS_RECORDSETS=$((records + 10))

# --- 1. the store -------------------------------------------------------------
api_port=$(free_port)
dns_port=$(free_port)
"${bins[0]}" serve --database "sqlite://$work/db.sqlite" --api-listen "127.0.0.1:$api_port" \
    --dns-listen "127.0.0.1:$dns_port" --log-level warn >>"$work/setup.log" 2>&1 &
pid=$!
pids+=("$pid")
$py "$repo/bench/api_tool.py" wait --api "http://127.0.0.1:$api_port" --pid "$pid" >/dev/null
zone_id=$(curl -sf -X POST "http://127.0.0.1:$api_port/v2/zones" \
    -H 'Content-Type: application/json' -H 'X-Auth-Project-ID: bench' -H 'X-Roles: admin' \
    -d "{\"name\": \"$zone\", \"email\": \"bench@example.org\"}" |
    $py -c 'import json, sys; print(json.load(sys.stdin)["id"])')
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pids=()
echo "== writing $records record sets into the store" >&2
$py "$repo/bench/api_tool.py" bulk --db "$work/db.sqlite" --zone-ids "$zone_id" \
    --per-zone "$records" >&2

results=()
# --- 2. dnsplane ------------------------------------------------------------------
for bin in "${bins[@]}"; do
    began=$(date +%s.%N)
    "$bin" serve --database "sqlite://$work/db.sqlite" --api-listen "127.0.0.1:$api_port" \
        --dns-listen "127.0.0.1:$dns_port" --log-level warn >>"$work/dnsplane.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_name "$dns_port" "$last"
    loaded=$($py -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$began" "$(date +%s.%N)")
    sleep 2
    results+=("$(printf '%s rss_mib=%d %s load_s=%.1f' "$bin" $(($(rss_kib "$pid") / 1024)) \
        "$(rss_split "$pid")" "$loaded")")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pids=()
done

# --- 3. Knot --------------------------------------------------------------------
$py - "$zone" "$records" >"$work/zone.txt" <<'PY'
import sys
zone, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout
out.write(f"$ORIGIN {zone}\n$TTL 3600\n")
out.write(f"@ SOA ns1.{zone} hostmaster.{zone} 1 3600 600 86400 300\n@ NS ns1.{zone}\n")
for i in range(n):
    out.write(f"bulk{i} A 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\n")
PY
knot_port=$(free_port)
mkdir -p "$work/knot"
cat >"$work/knot/knot.conf" <<CONF
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
CONF
began=$(date +%s.%N)
knotd -c "$work/knot/knot.conf" >>"$work/knot/knotd.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_name "$knot_port" "$last"
loaded=$($py -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$began" "$(date +%s.%N)")
sleep 2
results+=("$(printf 'knotd %s rss_mib=%d %s load_s=%.1f' "$(knotd -V | awk '{print $NF}')" \
    $(($(rss_kib "$pid") / 1024)) "$(rss_split "$pid")" "$loaded")")

echo "records=$records  load(1m/5m/15m)=$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${results[@]}"
