#!/usr/bin/python3
"""PostgreSQL multi-node bench (issue 14), driven by bench/pg.sh.

1. Propagation: WRITES record set creates on node A; for each, the time from
   the API's 202 on A until node B's DNS answers the new name (UDP, polled
   every 1 ms): p50 / p99 / max.
2. Write rate: wrk (bench/writes.lua) with CLIENTS connections POSTing
   single-value record sets for DURATION seconds into a zone of PRELOAD sets,
   half on node A and half on node B (PostgreSQL), then all on node A alone,
   against one node on SQLite with ?synchronous=full (same client, same
   requests, same zone size). ROUNDS (default 1) repeats the three windows
   in turn, each into a zone of its own, and reports each round's ratios
   and their medians: on this shared machine a single SQLite window moves
   by +-20 % from run to run, so only windows taken side by side compare.
Prints one JSON object (the top-level rates are the first round's).
"""

import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import dns.message  # noqa: E402
import dns.query  # noqa: E402

from dnsplane_harness import Dnsplane, create_zone  # noqa: E402
from pg_support import PgServer  # noqa: E402

WRITES = int(os.environ.get("WRITES", "200"))
CLIENTS = int(os.environ.get("CLIENTS", "16"))
DURATION = float(os.environ.get("DURATION", "10"))
PRELOAD = int(os.environ.get("PRELOAD", "10000"))
ROUNDS = max(1, int(os.environ.get("ROUNDS", "1")))
# PG_DURABLE=1: PostgreSQL with its own defaults (fsync, synchronous_commit
# on), the fair match for SQLite's synchronous=full; 0 (default): both off,
# as in the tests.
DURABLE = os.environ.get("PG_DURABLE", "0") == "1"
QUIET = {"webhook-listen": "", "health-listen": "", "log-level": "warn"}
# Quotas are not what is measured (the zone grows by every create of a window).
NO_QUOTA = {"DNSPLANE_QUOTAS_RECORDSETS": "10000000"}


def node(tmpdir, flags):
    srv = Dnsplane(tmpdir, flags=flags)
    srv.env.update(NO_QUOTA)
    return srv


def answers(port, name):
    q = dns.message.make_query(name, "A")
    try:
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=0.5)
    except Exception:
        return False
    return bool(r.answer)


def propagation(a, b):
    s = a.session()
    zone = create_zone(s)
    while not b.query(zone["name"], "SOA").answer:
        time.sleep(0.01)
    lat = []
    for i in range(WRITES):
        name = f"p{i}.{zone['name']}"
        r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                   json={"name": name, "type": "A", "records": ["192.0.2.1"]})
        assert r.status_code == 202, r.text
        t0 = time.perf_counter()
        while not answers(b.dns_port, name):
            if time.perf_counter() - t0 > 5:
                raise SystemExit(f"{name} never reached node B")
            time.sleep(0.001)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return {"writes": WRITES, "p50_ms": round(statistics.median(lat), 2),
            "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 2), "max_ms": round(lat[-1], 2)}


def recordset_count(srv, zone_id):
    r = srv.session().get(f"/v2/zones/{zone_id}/recordsets?limit=1")
    r.raise_for_status()
    return r.json()["metadata"]["total_count"]


def preload_zone(servers, zone, count):
    """`count` single-value sets into `zone` through the API, 16 at a time,
    spread over the servers."""
    sessions = threading.local()

    def one(i):
        if not hasattr(sessions, "s"):
            sessions.s = servers[i % len(servers)].session()
        r = sessions.s.post(f"/v2/zones/{zone['id']}/recordsets",
                            json={"name": f"pre{i}.{zone['name']}", "type": "A",
                                  "records": ["192.0.2.9"]})
        assert r.status_code == 202, r.text

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(one, range(count)))


def write_rate(servers, preload):
    """CLIENTS connections of wrk (bench/writes.lua), split evenly over the
    servers, for DURATION seconds into one zone of `preload` sets. A window
    with a non-2xx, a socket error or a store count that does not match the
    acknowledged creates (plus at most one in-flight request per connection)
    is reported as not valid."""
    zone = create_zone(servers[0].session())
    preload_zone(servers, zone, preload)
    time.sleep(0.5)
    before = recordset_count(servers[0], zone["id"])
    per = max(1, CLIENTS // len(servers))
    procs = []
    for k, srv in enumerate(servers):
        procs.append(subprocess.Popen(
            ["wrk", "-t1", f"-c{per}", f"-d{int(DURATION)}s", "-s", str(REPO / "bench" / "writes.lua"),
             srv.api, "--", "designate", zone["id"], zone["name"], f"n{k}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    runs = []
    for p in procs:
        out, _ = p.communicate()
        m = re.search(r"^WRITES_JSON (.*)$", out, re.M)
        if not m:
            raise SystemExit(f"wrk printed no WRITES_JSON:\n{out[-2000:]}")
        runs.append(json.loads(m.group(1)))
    time.sleep(0.5)
    after = recordset_count(servers[-1], zone["id"])
    ok = sum(n for w in runs for st, n in w["statuses"].items() if 200 <= int(st) < 300)
    bad = sum(n for w in runs for st, n in w["statuses"].items() if not 200 <= int(st) < 300)
    sock = sum(sum(w["socket_errors"].values()) for w in runs)
    seconds = max(w["duration_us"] for w in runs) / 1e6
    grown = after - before
    valid = bad == 0 and sock == 0 and ok <= grown <= ok + per * len(servers) and ok > 0
    return {"writes_per_s": round(ok / seconds, 1), "acknowledged": ok, "non_2xx": bad,
            "socket_errors": sock, "store_grew": grown, "valid": valid,
            "connections": per * len(servers), "seconds": round(seconds, 1),
            "zone_sets_at_start": before,
            "latency_p50_ms": [round(w["latency_us"]["p50"] / 1000, 2) for w in runs],
            "latency_p99_ms": [round(w["latency_us"]["p99"] / 1000, 2) for w in runs]}


def main():
    tmp = Path(tempfile.mkdtemp(prefix="dnsplane-pgbench-"))
    pg = PgServer.start(tmp / "pg", durable=DURABLE)
    started = []
    try:
        url = pg.new_database()
        a = node(tmp / "a", {"database": url, **QUIET}).start()
        b = node(tmp / "b", {"database": url, **QUIET}).start()
        started += [a, b]
        out = {"postgres_durable": DURABLE, "propagation_a_to_b": propagation(a, b)}
        lite = node(tmp / "lite", dict(QUIET))
        lite.flags["database"] = f"sqlite://{tmp / 'lite' / 'full.db'}?synchronous=full"
        lite.start()
        started.append(lite)
        rounds = []
        for _ in range(ROUNDS):
            two = write_rate([a, b], PRELOAD)
            # The same CLIENTS connections on node A alone (node B idle): what
            # PostgreSQL costs apart from the two nodes' alternation on its lock.
            one = write_rate([a], PRELOAD)
            full = write_rate([lite], PRELOAD)
            rounds.append({"postgres_two_nodes": two["writes_per_s"],
                           "postgres_one_node": one["writes_per_s"],
                           "sqlite_full_one_node": full["writes_per_s"],
                           "valid": two["valid"] and one["valid"] and full["valid"],
                           "ratio_two_nodes": round(two["writes_per_s"] / full["writes_per_s"], 2),
                           "ratio_one_node": round(one["writes_per_s"] / full["writes_per_s"], 2)})
            if len(rounds) == 1:
                out.update({"postgres_two_nodes": two, "postgres_one_node": one,
                            "sqlite_full_one_node": full})
        out["rounds"] = rounds
        out["median_ratio_two_nodes"] = statistics.median(r["ratio_two_nodes"] for r in rounds)
        out["median_ratio_one_node"] = statistics.median(r["ratio_one_node"] for r in rounds)
        print(json.dumps(out, indent=2))
    finally:
        for s in started:
            s.cleanup()
        pg.stop()


if __name__ == "__main__":
    main()
