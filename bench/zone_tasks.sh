#!/usr/bin/env bash
# Zone import/export speed (issue 16): a generated zone file of RECORDS
# records (default 100,000: one A set per name) imported with
# POST /v2/zones/tasks/imports (one change set), then exported
# (POST .../tasks/export + GET /v2/zones/tasks/exports/{id}/export); the
# export is checked with kzonecheck and by re-import into a fresh server.
# Usage: bench/zone_tasks.sh [path/to/dnsplane]   (env RECORDS=N)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
bin="${1:-$here/../build/dnsplane}"
records="${RECORDS:-100000}"
work="$(mktemp -d /tmp/dnsplane-zone-tasks-XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

echo "machine: $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
/usr/bin/python3 "$here/zone_tasks_tool.py" "$bin" "$records" "$work"
