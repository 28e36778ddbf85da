#!/usr/bin/env bash
# ExternalDNS webhook benchmark (issue 11, "How fast"), loopback only:
#   GET /records with 100,000 endpoints (target <= 150 ms, <= 30 MiB body),
#   POST /records with 10,000 creates in one batch (target <= 300 ms to the
#   204 and visible on the wire), a steady no-change reconcile loop of 1,000
#   endpoints (target >= 200 loops/s). See bench/webhook_tool.py.
# Builds nothing: expects build/dnsplane (scripts/build) or $DNSPLANE_BIN.
# Environment: DNSPLANE_BIN, RUNS (7 GET requests), DURATION (10 s of loops),
# LOG_LEVEL (info), CLIENTS (2: the loop is also run by that many client
# processes at once).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${DNSPLANE_BIN:-$repo/build/dnsplane}"
[ -x "$bin" ] || { echo "no binary at $bin: run scripts/build or set DNSPLANE_BIN" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$repo/bench/webhook_tool.py" --bin "$bin" --runs "${RUNS:-7}" \
    --duration "${DURATION:-10}" --log-level "${LOG_LEVEL:-info}" --clients "${CLIENTS:-2}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
