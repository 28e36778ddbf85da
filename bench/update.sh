#!/usr/bin/env bash
# RFC 2136 UPDATE benchmark (loopback only): TSIG-signed (hmac-sha256)
# single-RR UPDATEs (one new A record at a unique name each) over UDP with
# dnsperf -u, CLIENTS (16) clients and 16 outstanding, the same stream
# against dnsplane, Knot DNS and BIND 9.18 in one run (dnsplane's replies
# also checked with bench/update_tool.py, which verifies every reply's MAC),
# plus dnsplane's REST create rate (wrk + bench/writes.lua,
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
# The UPDATE stream: 200,000 messages, each adding one A record at a new name.
$py - "$zone" >"$work/updates.txt" <<'PY'
import sys
zone = sys.argv[1]
out = []
for i in range(200000):
    out.append(f"{zone}\nadd u{i}.{zone} 300 A 192.0.2.{i % 250 + 1}\nsend\n")
sys.stdout.write("".join(out))
PY
perf() {  # port -> one JSON line (NOERROR/s, rcodes)
    dnsperf -u -s 127.0.0.1 -p "$1" -d "$work/updates.txt" -y "hmac-sha256:$key:$secret" \
        -c "$clients" -q "$clients" -l "$duration" -t 5 >"$work/dnsperf.$1.txt" 2>&1 || true
    $py - "$work/dnsperf.$1.txt" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
codes = re.search(r"Response codes:\s+(.*)", t)
rc = dict((m.group(1), int(m.group(2)))
          for m in re.finditer(r"([A-Z]+) (\d+) \(", codes.group(1) if codes else ""))
secs = float(re.search(r"Run time \(s\):\s+([\d.]+)", t).group(1))
lost = int(re.search(r"(?:Queries|Updates) lost:\s+(\d+)", t).group(1))
lat = re.search(r"Average Latency \(s\):\s+([\d.]+)", t)
print(json.dumps({"ok_per_s": round(rc.get("NOERROR", 0) / secs, 1), "rcodes": rc,
                  "errors": lost, "p50_ms": round(float(lat.group(1)) * 1000, 2) if lat else None,
                  "p99_ms": "-"}))
PY
}

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
# Signed replies verified by a client that checks every MAC (short window).
check=$($tool --port "$dns_port" --zone "$zone" --key-name "$key" --secret "$secret" \
    --clients "$clients" --duration 2 --tag check)
rate[dnsplane]=$(perf "$dns_port")
# REST creates on the same server, same client count.
wrk -t1 -c"$clients" -d"${duration}s" --timeout 10s -s "$repo/bench/writes.lua" \
    "$api" -- designate "$zone_id" "$zone" rest >"$work/rest.wrk.txt" 2>&1 || true
rest=$(grep -o 'Requests/sec: *[0-9.]*' "$work/rest.wrk.txt" | awk '{print $2}')

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
    rate[knot]=$(perf "$kport")
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
    rate[bind]=$(perf "$bport")
fi

uptime_after=$(uptime)
{
    echo "Command: \`bench/update.sh\` (DURATION=$duration, CLIENTS=$clients), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Load before: \`$uptime_before\`; after: \`$uptime_after\`"
    echo
    echo "| server | signed UPDATEs/s (NOERROR, dnsperf -u) | rcodes | lost | avg latency ms |"
    echo "|---|---|---|---|---|"
    for s in dnsplane knot bind; do
        [ -n "${rate[$s]:-}" ] || { echo "| $s | not run | | | |"; continue; }
        echo "${rate[$s]}" | $py -c "import json,sys; r=json.load(sys.stdin); print(f\"| $s | {r['ok_per_s']} | {r['rcodes']} | {r['errors']} | {r['p50_ms']} |\")"
    done
    echo "| dnsplane REST POST /v2/zones/{id}/recordsets (wrk, same clients) | ${rest:-?} | | | |"
    echo
    echo "MAC-verifying client (bench/update_tool.py, 2 s, same server): $check"
} | tee "$work/table.md"
if [ -n "${RESULTS:-}" ]; then
    { echo; echo "## RFC 2136 UPDATE"; echo; cat "$work/table.md"; } >>"$RESULTS"
fi
