#!/usr/bin/python3
"""Propagation delay: time from the end of an API write's HTTP response to
the first DNS answer that shows the written record.

For each of --writes writes: POST one new A record set into --zone through
the API (keep-alive connection), and as soon as the response has been read,
query the DNS port over UDP for that name, again and again until an answer
(NOERROR with a non-empty answer section) arrives. The query bytes are built
before the write, so the measured time is socket round trips plus whatever
the server still had to do. Prints one JSON object: p50/p99/max in ms, how
many writes were visible to the very first query, and the API write latency.

  propagation.py --api http://127.0.0.1:9001 --dns-port 5353 --zone bench.example. \
      [--writes 200] [--project bench]
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import time
import urllib.parse
import uuid

import dns.message


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--api", required=True)
    p.add_argument("--dns-port", type=int, required=True)
    p.add_argument("--zone", required=True)
    p.add_argument("--writes", type=int, default=200)
    p.add_argument("--project", default="bench")
    p.add_argument("--timeout", type=float, default=5.0, help="give up on one write after S")
    a = p.parse_args()

    u = urllib.parse.urlparse(a.api)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               "X-Auth-Project-ID": a.project, "X-Roles": "admin"}
    conn.request("GET", f"/v2/zones?name={urllib.parse.quote(a.zone)}", headers=headers)
    zones = json.loads(conn.getresponse().read())["zones"]
    if not zones:
        raise SystemExit(f"zone {a.zone} not found for project {a.project}")
    zone_id = zones[0]["id"]

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect(("127.0.0.1", a.dns_port))
    sock.settimeout(1.0)
    run = uuid.uuid4().hex[:8]
    delays, write_times, first_try = [], [], 0
    for i in range(a.writes):
        name = f"prop-{run}-{i}.{a.zone}"
        query = dns.message.make_query(name, "A")
        query.id = i & 0xFFFF
        wire = query.to_wire()
        body = json.dumps({"name": name, "type": "A", "records": [f"192.0.2.{i % 250 + 1}"]})

        began = time.perf_counter()
        conn.request("POST", f"/v2/zones/{zone_id}/recordsets", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        written = time.perf_counter()
        if resp.status != 202:
            raise SystemExit(f"write {i}: HTTP {resp.status}")
        write_times.append(written - began)

        tries = 0
        while True:
            tries += 1
            sock.send(wire)
            try:
                reply = sock.recv(4096)
            except socket.timeout:
                continue
            now = time.perf_counter()
            rcode = reply[3] & 0x0F
            ancount = int.from_bytes(reply[6:8], "big")
            if int.from_bytes(reply[0:2], "big") == query.id and rcode == 0 and ancount > 0:
                delays.append(now - written)
                first_try += tries == 1
                break
            if now - written > a.timeout:
                raise SystemExit(f"write {i}: {name} not visible after {a.timeout}s")

    ms = [d * 1000 for d in delays]
    wms = [w * 1000 for w in write_times]
    print(json.dumps({
        "writes": a.writes,
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3),
        "first_try": first_try,
        "write_p50_ms": round(percentile(wms, 50), 2),
        "write_p99_ms": round(percentile(wms, 99), 2),
    }))


if __name__ == "__main__":
    main()
