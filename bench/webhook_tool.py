#!/usr/bin/env python3
"""ExternalDNS webhook benchmark (bench/webhook.sh runs it). Starts dnsplane
twice on free loopback ports with fresh stores:
  A. POST /records with 10,000 creates in one batch: time to the 204, and to
     the last name answering on the wire (UDP query loop), into an empty
     store, then (after 8 more batches seed 90,000 sets in 3 zones) into a
     fresh zone; GET /records with the 100,000 endpoints: median/min/max of
     RUNS requests, body size; then 10,000 creates into a zone of 30,000.
  B. a store with 1,000 endpoints: steady reconcile loops with no changes
     (GET /records, POST /adjustendpoints with the 1,000 desired endpoints,
     compare as a planner does, no POST /records) for DURATION seconds, one
     client process (one ExternalDNS), then CLIENTS processes at once.
Prints one JSON object with the numbers."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

MEDIA = "application/external.dns.webhook+json;version=1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, workdir, log_level):
        self.api, self.dns, self.hook, self.health = (free_port() for _ in range(4))
        self.proc = subprocess.Popen(
            [binary, "serve", "--database", f"sqlite://{workdir}/db.sqlite",
             "--api-listen", f"127.0.0.1:{self.api}", "--dns-listen", f"127.0.0.1:{self.dns}",
             "--webhook-listen", f"127.0.0.1:{self.hook}",
             "--health-listen", f"127.0.0.1:{self.health}",
             "--log-level", log_level],
            env={**os.environ, "DNSPLANE_QUOTAS_RECORDSETS": "1000000"},
            stdout=open(f"{workdir}/out.log", "wb"), stderr=open(f"{workdir}/err.log", "wb"))
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.hook), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", self.api), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("dnsplane did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)

    def conn(self, port=None):
        return http.client.HTTPConnection("127.0.0.1", port or self.hook, timeout=60)

    def zone(self, name):
        c = self.conn(self.api)
        c.request("POST", "/v2/zones", json.dumps({"name": name, "email": "h@" + name.rstrip(".")}),
                  {"Content-Type": "application/json", "X-Auth-Project-ID": "default",
                   "X-Roles": "admin"})
        r = c.getresponse()
        r.read()
        assert r.status == 202, r.status


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body, headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def creates(zone, prefix, n):
    return [{"dnsName": f"{prefix}{i}.{zone}", "recordType": "A",
             "targets": [f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"]} for i in range(n)]


def dns_answers(port, name):
    import dns.message
    import dns.query
    q = dns.message.make_query(name, "A")
    try:
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=1)
    except Exception:
        return False
    return bool(r.answer)


def post_batch(s, c, zone, prefix, n):
    """POST /records with n creates into `zone`: ms to the 204 and to the last
    name answering over UDP."""
    body = json.dumps({"create": creates(zone, prefix, n)})
    last = f"{prefix}{n - 1}.{zone}."
    t0 = time.perf_counter()
    st, data = request(c, "POST", "/records", body, {"Content-Type": MEDIA})
    t204 = time.perf_counter() - t0
    assert st == 204, (st, data[:300])
    while not dns_answers(s.dns, last):
        pass
    twire = time.perf_counter() - t0
    return round(t204 * 1000, 1), round(twire * 1000, 1)


def part_a(binary, runs, log_level):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        s = Server(binary, d, log_level)
        try:
            c = s.conn()
            # 10,000 creates in one batch into an empty store.
            s.zone("first.bench.")
            out["post_10000_empty_store_ms"], out["post_10000_empty_store_wire_ms"] = \
                post_batch(s, c, "first.bench", "p", 10000)
            # Seed to 90,000 endpoints (9 batches of 10,000 in 3 zones).
            for z in range(3):
                s.zone(f"z{z}.bench.")
            seeded = []
            for b in range(8):
                seeded.append(post_batch(s, c, f"z{b % 3}.bench", f"b{b}-", 10000)[0])
            out["post_10000_seed_batches_ms"] = seeded
            # The measured batch: a fresh zone in a store of 90,000 sets.
            s.zone("post.bench.")
            out["post_10000_ms"], out["post_10000_wire_ms"] = \
                post_batch(s, c, "post.bench", "p", 10000)
            times, size, count = [], 0, 0
            for i in range(runs):
                t0 = time.perf_counter()
                st, data = request(c, "GET", "/records", None, {"Accept": MEDIA})
                times.append(time.perf_counter() - t0)
                assert st == 200
                size = len(data)
                if i == 0:
                    count = len(json.loads(data))
            out["get_endpoints"] = count
            out["get_body_mib"] = round(size / 1048576, 2)
            out["get_median_ms"] = round(statistics.median(times) * 1000, 1)
            out["get_min_ms"] = round(min(times) * 1000, 1)
            out["get_max_ms"] = round(max(times) * 1000, 1)
            # The same batch into a zone already holding 30,000 sets (z2).
            out["post_10000_big_zone_ms"], out["post_10000_big_zone_wire_ms"] = \
                post_batch(s, c, "z2.bench", "b9-", 10000)
        finally:
            s.stop()
    return out


try:  # the leaner client: orjson parses the bodies several times faster (Debian python3-orjson)
    import orjson

    loads = orjson.loads
    JSON_LIB = "orjson"
except ImportError:  # pragma: no cover
    loads = json.loads
    JSON_LIB = "json"


def reconcile_loops(port, desired_body, duration, start_at, out):
    """One ExternalDNS instance's steady loop, as fast as it goes: GET /records,
    POST /adjustendpoints with the desired endpoints, then the planner's
    compare (key dnsName/recordType/setIdentifier; targets as a set and TTL);
    no POST /records while nothing differs. Puts (loops, changes, seconds)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.time() < start_at:
        time.sleep(0.001)
    loops = changes = 0
    t0 = time.perf_counter()
    end = t0 + duration
    while time.perf_counter() < end:
        st, cur = request(c, "GET", "/records", None, {"Accept": MEDIA})
        assert st == 200
        st, adj = request(c, "POST", "/adjustendpoints", desired_body,
                          {"Accept": MEDIA, "Content-Type": MEDIA})
        assert st == 200
        current = {(e["dnsName"], e["recordType"], e.get("setIdentifier", "")):
                   (set(e.get("targets", ())), e.get("recordTTL", 0)) for e in loads(cur)}
        for e in loads(adj):
            have = current.get((e["dnsName"], e["recordType"], e.get("setIdentifier", "")))
            if have is None or have[0] != set(e.get("targets", ())) or (
                    e.get("recordTTL", 0) and have[1] != e["recordTTL"]):
                changes += 1
        loops += 1
    out.put((loops, changes, time.perf_counter() - t0))


def part_b(binary, duration, log_level, clients):
    import multiprocessing as mp
    with tempfile.TemporaryDirectory() as d:
        s = Server(binary, d, log_level)
        results = {}
        try:
            c = s.conn()
            s.zone("loop.bench.")
            desired = creates("loop.bench", "l", 1000)
            st, _ = request(c, "POST", "/records", json.dumps({"create": desired}),
                            {"Content-Type": MEDIA})
            assert st == 204
            desired_body = json.dumps(desired)
            ctx = mp.get_context("fork")
            for n in sorted(set([1] + clients)):
                q = ctx.Queue()
                start_at = time.time() + 0.3
                procs = [ctx.Process(target=reconcile_loops,
                                     args=(s.hook, desired_body, duration, start_at, q))
                         for _ in range(n)]
                for p in procs:
                    p.start()
                got = [q.get() for _ in procs]
                for p in procs:
                    p.join()
                loops = sum(g[0] for g in got)
                took = max(g[2] for g in got)
                results[n] = {"loops": loops, "loops_per_s": round(loops / took, 1),
                              "planned_changes": sum(g[1] for g in got)}
        finally:
            s.stop()
        # Server-side time per loop from the access log (duration_ms), to
        # tell the server's share from the client's.
        import re
        per = {"/records": [], "/adjustendpoints": []}
        for line in open(f"{d}/err.log", errors="replace"):
            m = re.search(r"method=(GET|POST) path=(\S+) status=200 duration_ms=([0-9.]+)", line)
            if m and m[2] in per and (m[1] == "GET") == (m[2] == "/records"):
                per[m[2]].append(float(m[3]))
        server_ms = None
        if per["/records"] and per["/adjustendpoints"]:
            server_ms = round(statistics.median(per["/records"]) +
                              statistics.median(per["/adjustendpoints"]), 2)
        out = {"loop_endpoints": len(desired), "loop_client_json": JSON_LIB,
               "loops": results[1]["loops"], "loops_per_s": results[1]["loops_per_s"],
               "planned_changes": sum(r["planned_changes"] for r in results.values()),
               "server_ms_per_loop_median": server_ms,
               "server_bound_loops_per_s": round(1000 / server_ms, 1) if server_ms else None}
        for n, r in results.items():
            if n != 1:
                out[f"loops_per_s_{n}_clients"] = r["loops_per_s"]
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--clients", default="2",
                    help="comma list: also run the loop with this many client processes at once")
    a = ap.parse_args()
    res = {"load_before": os.getloadavg()[0]}
    res.update(part_a(a.bin, a.runs, a.log_level))
    res.update(part_b(a.bin, a.duration, a.log_level,
                      [int(x) for x in a.clients.split(",") if x.strip()]))
    res["load_after"] = os.getloadavg()[0]
    print(json.dumps(res))


if __name__ == "__main__":
    sys.exit(main())
