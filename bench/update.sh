#!/usr/bin/env bash
# RFC 2136 UPDATE benchmark (loopback only): TSIG-signed (hmac-sha256)
# single-RR UPDATEs over UDP from CLIENTS (16) concurrent clients
# (bench/update_tool.py), the same stream against dnsplane, Knot DNS and BIND
# 9.18 in one run, plus dnsplane's REST create rate (wrk + bench/writes.lua,
# same client count) in the same run for comparison.
# Prints a table and the machine load; RESULTS=path appends it under
# "## RFC 2136 UPDATE" there. Environment: DNSPLANE_BIN (build/dnsplane),
# DURATION (10 s per window), CLIENTS (16), KEEP=1 keeps the temp folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
duration="${DURATION:-10}"
clients="${CLIENTS:-16}"
py=/usr/bin/python3
tool="$py $repo/bench/update_tool.py"
zone="bench.example."
key="bench-key."
secret="$(head -c 32 /dev/urandom | base64)"
PATH="$PATH:/usr/sbin"

[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build" >&2; exit 1; }
. "$repo/bench/lib.sh"
uptime_before=$(uptime)
work="$(mktemp -d /tmp/dnsplane-update.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    [ "${KEEP:-0}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
json_field() { $py -c "import json,sys; print(json.load(sys.stdin)$1)"; }
wait_dns() {  # port
    for _ in $(seq 200); do
        dig +time=1 +tries=1 @127.0.0.1 -p "$1" "$zone" SOA +short 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    echo "no DNS on $1" >&2; return 1
}
zone_file() {
    cat <<ZF
\$ORIGIN $zone
\$TTL 3600
@ IN SOA ns1.$zone hostmaster.$zone 1 3600 600 86400 3600
@ IN NS ns1.$zone
ns1 IN A 192.0.2.53
ZF
}
declare -A rate

# --- dnsplane -----------------------------------------------------------------
api_port=$(free_port); dns_port=$(free_port)
cat >"$work/dnsplane.toml" <<EOF2
[quotas]
recordsets = 10000000
EOF2
"$bin" serve --config "$work/dnsplane.toml" --database "sqlite://$work/dnsplane.db" \
    --api-listen "127.0.0.1:$api_port" --dns-listen "127.0.0.1:$dns_port" --log-level warn \
    >"$work/dnsplane.log" 2>&1 &
pids+=($!)
api="http://127.0.0.1:$api_port"
for _ in $(seq 100); do curl -sf "$api/" >/dev/null && break; sleep 0.1; done
zone_id=$(curl -sf -X POST "$api/v2/zones" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$zone\", \"email\": \"hostmaster@bench.example\"}" | json_field '["id"]')
pool_id=$(curl -sf "$api/v2/pools" | json_field '["pools"][0]["id"]')
curl -sf -X POST "$api/v2/tsigkeys" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$key\", \"algorithm\": \"hmac-sha256\", \"secret\": \"$secret\", \"scope\": \"POOL\", \"resource_id\": \"$pool_id\"}" >/dev/null
wait_dns "$dns_port"
$tool --port "$dns_port" --zone "$zone" --key-name "$key" --secret "$secret" \
    --clients "$clients" --duration 1 --tag warm >/dev/null
rate[dnsplane]=$($tool --port "$dns_port" --zone "$zone" --key-name "$key" --secret "$secret" \
    --clients "$clients" --duration "$duration" --tag d)
# REST creates on the same server, same client count.
wrk -t1 -c"$clients" -d"${duration}s" --timeout 10s -s "$repo/bench/writes.lua" \
    "$api" -- designate "$zone_id" "$zone" rest >"$work/rest.wrk.txt" 2>&1 || true
rest=$(grep -o 'Requests/sec: *[0-9.]*' "$work/rest.wrk.txt" | awk '{print $2}')
rest_non2xx=$(grep -o '"non2xx": *[0-9]*' "$work/rest.wrk.txt" | awk '{print $2}' || true)

# --- Knot DNS -----------------------------------------------------------------
if command -v knotd >/dev/null; then
    kport=$(free_port); mkdir -p "$work/knot"; zone_file >"$work/knot/bench.zone"
    cat >"$work/knot/knot.conf" <<EOF2
server:
    listen: 127.0.0.1@$kport
    rundir: $work/knot
database:
    storage: $work/knot
log:
  - target: stderr
    any: warning
key:
  - id: $key
    algorithm: hmac-sha256
    secret: $secret
acl:
  - id: upd
    key: $key
    action: update
zone:
  - domain: $zone
    file: $work/knot/bench.zone
    storage: $work/knot
    acl: upd
    zonefile-sync: -1
    journal-content: changes
EOF2
    knotd -c "$work/knot/knot.conf" >"$work/knot/knotd.log" 2>&1 &
    pids+=($!)
    wait_dns "$kport"
    rate[knot]=$($tool --port "$kport" --zone "$zone" --key-name "$key" --secret "$secret" \
        --clients "$clients" --duration "$duration" --tag k)
fi

# --- BIND 9.18 ------------------------------------------------------------------
if command -v named >/dev/null; then
    bport=$(free_port); mkdir -p "$work/bind"; zone_file >"$work/bind/bench.zone"
    cat >"$work/bind/named.conf" <<EOF2
options {
    directory "$work/bind";
    listen-on port $bport { 127.0.0.1; };
    listen-on-v6 { none; };
    pid-file "$work/bind/named.pid";
    recursion no;
    dnssec-validation no;
};
key "$key" { algorithm hmac-sha256; secret "$secret"; };
controls { };
zone "$zone" { type primary; file "$work/bind/bench.zone"; allow-update { key "$key"; }; };
EOF2
    named -g -c "$work/bind/named.conf" -n 2 >"$work/bind/named.log" 2>&1 &
    pids+=($!)
    wait_dns "$bport"
    rate[bind]=$($tool --port "$bport" --zone "$zone" --key-name "$key" --secret "$secret" \
        --clients "$clients" --duration "$duration" --tag b)
fi

uptime_after=$(uptime)
{
    echo "Command: \`bench/update.sh\` (DURATION=$duration, CLIENTS=$clients), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Load before: \`$uptime_before\`; after: \`$uptime_after\`"
    echo
    echo "| server | signed UPDATEs/s (NOERROR) | rcodes | errors | p50 / p99 ms |"
    echo "|---|---|---|---|---|"
    for s in dnsplane knot bind; do
        [ -n "${rate[$s]:-}" ] || { echo "| $s | not run | | | |"; continue; }
        echo "${rate[$s]}" | $py -c "import json,sys; r=json.load(sys.stdin); print(f\"| $s | {r['ok_per_s']} | {r['rcodes']} | {r['errors']} | {r['p50_ms']} / {r['p99_ms']} |\")"
    done
    echo "| dnsplane REST POST /v2/zones/{id}/recordsets (wrk, same clients) | ${rest:-?} | non-2xx: ${rest_non2xx:-?} | | |"
} | tee "$work/table.md"
if [ -n "${RESULTS:-}" ]; then
    { echo; echo "## RFC 2136 UPDATE"; echo; cat "$work/table.md"; } >>"$RESULTS"
fi
