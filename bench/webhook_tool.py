#!/usr/bin/env python3
"""ExternalDNS webhook benchmark (bench/webhook.sh runs it). Starts dnsplane
twice on free loopback ports with fresh stores:
  A. POST /records with 10,000 creates in one batch (fresh zone): time to the
     204, and to the last name answering on the wire (UDP query loop);
     GET /records with 100,000 endpoints (10 batches of 10,000 creates
     seed the store): median/max of RUNS requests, body size.
  B. a store with 1,000 endpoints: steady reconcile loops with no changes
     (GET /records, POST /adjustendpoints with the 1,000 desired endpoints,
     compare as a planner does, no POST /records) for DURATION seconds.
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


def part_a(binary, runs, log_level):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        s = Server(binary, d, log_level)
        try:
            c = s.conn()
            # 10,000 creates in one batch, fresh zone.
            s.zone("post.bench.")
            body = json.dumps({"create": creates("post.bench", "p", 10000)})
            t0 = time.perf_counter()
            st, data = request(c, "POST", "/records", body, {"Content-Type": MEDIA})
            t204 = time.perf_counter() - t0
            assert st == 204, (st, data[:300])
            while not dns_answers(s.dns, "p9999.post.bench."):
                pass
            twire = time.perf_counter() - t0
            out["post_10000_ms"] = round(t204 * 1000, 1)
            out["post_10000_wire_ms"] = round(twire * 1000, 1)
            # Seed to 100,000 endpoints (9 more batches of 10,000 in 3 zones).
            for z in range(3):
                s.zone(f"z{z}.bench.")
            seeded = []
            for b in range(9):
                body = json.dumps({"create": creates(f"z{b % 3}.bench", f"b{b}-", 10000)})
                t0 = time.perf_counter()
                st, data = request(c, "POST", "/records", body, {"Content-Type": MEDIA})
                seeded.append(time.perf_counter() - t0)
                assert st == 204, (st, data[:300])
            out["post_10000_seed_batches_ms"] = [round(x * 1000) for x in seeded]
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
        finally:
            s.stop()
    return out


def part_b(binary, duration, log_level):
    with tempfile.TemporaryDirectory() as d:
        s = Server(binary, d, log_level)
        try:
            c = s.conn()
            s.zone("loop.bench.")
            desired = creates("loop.bench", "l", 1000)
            st, _ = request(c, "POST", "/records", json.dumps({"create": desired}),
                            {"Content-Type": MEDIA})
            assert st == 204
            desired_body = json.dumps(desired)
            loops, changes = 0, 0
            t0 = time.perf_counter()
            end = t0 + duration
            while time.perf_counter() < end:
                st, cur = request(c, "GET", "/records", None, {"Accept": MEDIA})
                assert st == 200
                st, adj = request(c, "POST", "/adjustendpoints", desired_body,
                                  {"Accept": MEDIA, "Content-Type": MEDIA})
                assert st == 200
                current = {(e["dnsName"], e["recordType"]): sorted(e["targets"])
                           for e in json.loads(cur)}
                for e in json.loads(adj):
                    if current.get((e["dnsName"], e["recordType"])) != sorted(e["targets"]):
                        changes += 1
                loops += 1
            took = time.perf_counter() - t0
        finally:
            s.stop()
        # Server-side time per loop from the access log (duration_ms), to
        # tell the server's share from the Python client's.
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
        return {"loop_endpoints": len(desired), "loops": loops,
                "loops_per_s": round(loops / took, 1), "planned_changes": changes,
                "server_ms_per_loop_median": server_ms,
                "server_bound_loops_per_s": round(1000 / server_ms, 1) if server_ms else None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--log-level", default="info")
    a = ap.parse_args()
    res = {"load_before": os.getloadavg()[0]}
    res.update(part_a(a.bin, a.runs, a.log_level))
    res.update(part_b(a.bin, a.duration, a.log_level))
    res["load_after"] = os.getloadavg()[0]
    print(json.dumps(res))


if __name__ == "__main__":
    sys.exit(main())
