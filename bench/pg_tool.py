#!/usr/bin/python3
"""PostgreSQL multi-node bench (issue 14), driven by bench/pg.sh.

1. Propagation: WRITES record set creates on node A; for each, the time from
   the API's 202 on A until node B's DNS answers the new name (UDP, polled
   every 1 ms): p50 / p99 / max.
2. Write rate: CLIENTS threads POSTing single-value record sets for DURATION
   seconds, half on node A and half on node B (PostgreSQL), against one node
   on SQLite with ?synchronous=full (same client, same requests).
Prints one JSON object.
"""

import json
import os
import statistics
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
QUIET = {"webhook-listen": "", "health-listen": "", "log-level": "warn"}


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


def write_rate(servers):
    zone = create_zone(servers[0].session())
    time.sleep(0.5)
    counts = [0] * CLIENTS
    errors = [0] * CLIENTS
    stop = time.monotonic() + DURATION

    def client(k):
        srv = servers[k % len(servers)]
        s = srv.session()
        i = 0
        while time.monotonic() < stop:
            r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                       json={"name": f"c{k}-{i}.{zone['name']}", "type": "A",
                             "records": ["192.0.2.1"]})
            if r.status_code == 202:
                counts[k] += 1
            else:
                errors[k] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    return {"writes_per_s": round(sum(counts) / elapsed, 1), "errors": sum(errors),
            "clients": CLIENTS, "seconds": round(elapsed, 1)}


def main():
    tmp = Path(tempfile.mkdtemp(prefix="dnsplane-pgbench-"))
    pg = PgServer.start(tmp / "pg")
    started = []
    try:
        url = pg.new_database()
        a = Dnsplane(tmp / "a", flags={"database": url, **QUIET}).start()
        b = Dnsplane(tmp / "b", flags={"database": url, **QUIET}).start()
        started += [a, b]
        out = {"propagation_a_to_b": propagation(a, b)}
        out["postgres_two_nodes"] = write_rate([a, b])
        lite = Dnsplane(tmp / "lite", flags=QUIET)
        lite.flags["database"] = f"sqlite://{tmp / 'lite' / 'full.db'}?synchronous=full"
        lite.start()
        started.append(lite)
        out["sqlite_full_one_node"] = write_rate([lite])
        print(json.dumps(out, indent=2))
    finally:
        for s in started:
            s.cleanup()
        pg.stop()


if __name__ == "__main__":
    main()
