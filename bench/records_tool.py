#!/usr/bin/env python3
"""Client side of bench/records.sh: Lexicon-style record API load with N
clients (one persistent HTTP connection each), and list timing."""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse


def conn_for(api: str) -> http.client.HTTPConnection:
    u = urllib.parse.urlparse(api)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def run_ops(api: str, requests_: list[tuple[str, str, bytes | None]], clients: int,
            ok: set[int]) -> dict:
    lock = threading.Lock()
    idx = [0]
    bad = []

    def worker():
        c = conn_for(api)
        while True:
            with lock:
                if idx[0] >= len(requests_):
                    return
                method, path, body = requests_[idx[0]]
                idx[0] += 1
            headers = {"Content-Type": "application/json"} if body else {}
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            if r.status not in ok:
                bad.append(r.status)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dt = time.perf_counter() - t0
    return {"ops": len(requests_), "seconds": round(dt, 3),
            "ops_per_s": round(len(requests_) / dt, 1), "errors": len(bad)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["creates", "deletes", "list"])
    ap.add_argument("--api", required=True)
    ap.add_argument("--domain", required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--spread", action="store_true",
                    help="one name per op (small sets: the per-request baseline)")
    a = ap.parse_args()
    base = f"/v1/domains/{a.domain}/records"
    if a.cmd == "creates":
        reqs = [("POST", base, json.dumps({"type": "TXT", "name": f"_acme-challenge{'.n%d' % i if a.spread else ''}",
                                           "content": f"token-{i:05d}"}).encode())
                for i in range(a.count)]
        out = run_ops(a.api, reqs, a.clients, {201})
    elif a.cmd == "deletes":
        reqs = [("DELETE", base + "?" + urllib.parse.urlencode(
            {"type": "TXT", "name": "_acme-challenge", "content": f"token-{i:05d}"}), None)
            for i in range(a.count)]
        out = run_ops(a.api, reqs, a.clients, {204})
    else:
        c = conn_for(a.api)
        times, n = [], 0
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            c.request("GET", base)
            r = c.getresponse()
            body = r.read()
            times.append((time.perf_counter() - t0) * 1000)  # request + whole body read
            if not n:
                n = len(json.loads(body))
        out = {"records": n, "median_ms": round(statistics.median(times), 2),
               "max_ms": round(max(times), 2), "min_ms": round(min(times), 2)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
