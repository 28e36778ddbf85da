#!/usr/bin/env bash
# PostgreSQL multi-node bench (issue 14): write on node A -> answering in node
# B's DNS (p50/p99), and the write rate of two nodes on one PostgreSQL against
# one node on SQLite with synchronous=full (the same wrk client and zone size for both),
# and of one node alone on PostgreSQL.
# Environment: DNSPLANE_BIN (build/dnsplane), WRITES (200), CLIENTS (16),
# DURATION (10 s per rate window), PRELOAD (10000 sets in the zone), PG_DURABLE
# (1: PostgreSQL with fsync and synchronous_commit on; default 0: both off),
# ROUNDS (1: the three rate windows taken in turn this many times, with each
# round's ratios and their medians). Prints JSON; paste into bench/RESULTS.md
# with `uptime`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DNSPLANE_BIN="${DNSPLANE_BIN:-$repo/build/dnsplane}"
uptime
exec /usr/bin/python3 "$repo/bench/pg_tool.py"
