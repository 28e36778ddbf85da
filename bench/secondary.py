#!/usr/bin/python3
"""Write -> answering on a Knot DNS secondary (issue 14): dnsplane with
--catalog-zone and --also-notify, knotd interpreting the catalog (no member
zone in its configuration). For each of --writes writes: POST one new A
record set through the API, then query knotd over UDP for that name until it
answers; the delay covers NOTIFY, knotd's SOA check, the IXFR and knotd's
own publication. Also reports how long a newly created zone takes to be
served by knotd (catalog NOTIFY + AXFR of the catalog + AXFR of the zone).

  bench/secondary.py [--writes 200] [--bin build/dnsplane]

Prints one JSON object (milliseconds).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import requests

ROOT = Path(__file__).resolve().parent.parent
CATALOG = "catalog.invalid."


def free_port() -> int:
    while True:
        with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            try:
                u.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def answered(port, name, rdtype="A"):
    q = dns.message.make_query(name, rdtype)
    try:
        r = dns.query.udp(q, "127.0.0.1", port=port, timeout=0.2)
    except Exception:  # noqa: BLE001 - timeout: not yet
        return False
    return r.rcode() == dns.rcode.NOERROR and bool(r.answer)


def wait_answer(port, name, rdtype="A", timeout=30.0):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if answered(port, name, rdtype):
            return time.monotonic() - start
        time.sleep(0.002)
    raise SystemExit(f"knotd never answered {name} {rdtype}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--writes", type=int, default=200)
    p.add_argument("--zones", type=int, default=20)
    p.add_argument("--bin", default=os.environ.get("DNSPLANE_BIN", str(ROOT / "build/dnsplane")))
    a = p.parse_args()
    knotd = shutil.which("knotd") or "/usr/sbin/knotd"
    work = Path(tempfile.mkdtemp(prefix="dnsplane-secondary-bench-"))
    api, dns_port, knot_port = free_port(), free_port(), free_port()
    procs = []
    try:
        procs.append(subprocess.Popen(
            [a.bin, "serve", "--database", f"sqlite://{work}/db.sqlite",
             "--api-listen", f"127.0.0.1:{api}", "--dns-listen", f"127.0.0.1:{dns_port}",
             "--webhook-listen", "", "--health-listen", "", "--log-level", "warn",
             "--catalog-zone", CATALOG, "--also-notify", f"127.0.0.1:{knot_port}"],
            stdout=subprocess.DEVNULL, stderr=open(work / "dnsplane.log", "wb")))
        base = f"http://127.0.0.1:{api}"
        s = requests.Session()
        s.headers.update({"X-Auth-Project-Id": "bench", "X-Roles": "admin"})
        for _ in range(200):
            try:
                s.get(base + "/v2/zones", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        (work / "knot.conf").write_text(
            f"server:\n    listen: 127.0.0.1@{knot_port}\n    rundir: {work}\n"
            f"database:\n    storage: {work}\nlog:\n  - target: stderr\n    any: info\n"
            f"remote:\n  - id: p\n    address: 127.0.0.1@{dns_port}\n"
            "acl:\n  - id: n\n    address: 127.0.0.1\n    action: notify\n"
            f"template:\n  - id: default\n    storage: {work}\n    zonefile-sync: -1\n"
            "    zonefile-load: none\n    journal-content: all\n"
            "  - id: member\n    master: p\n    acl: n\n    zonefile-sync: -1\n"
            "    zonefile-load: none\n    journal-content: all\n"
            f"zone:\n  - domain: {CATALOG}\n    master: p\n    acl: n\n"
            "    catalog-role: interpret\n    catalog-template: member\n")
        procs.append(subprocess.Popen([knotd, "-c", str(work / "knot.conf")],
                                      stdout=subprocess.DEVNULL,
                                      stderr=open(work / "knotd.log", "wb")))
        zone_delays = []
        zone = None
        for i in range(a.zones):
            name = f"z{i}-{uuid.uuid4().hex[:8]}.bench.test."
            t0 = time.monotonic()
            r = s.post(base + "/v2/zones", json={"name": name, "email": "h@bench.test"})
            r.raise_for_status()
            zone = r.json()
            wait_answer(knot_port, name, "SOA")
            zone_delays.append((time.monotonic() - t0) * 1000)
        delays, api_ms = [], []
        for i in range(a.writes):
            name = f"w{i}.{zone['name']}"
            t0 = time.monotonic()
            r = s.post(f"{base}/v2/zones/{zone['id']}/recordsets",
                       json={"name": name, "type": "A", "records": ["192.0.2.1"]})
            r.raise_for_status()
            t1 = time.monotonic()
            wait_answer(knot_port, name)
            api_ms.append((t1 - t0) * 1000)
            delays.append((time.monotonic() - t0) * 1000)
        ixfr = (work / "knotd.log").read_text(errors="replace").count("IXFR, incoming")
        print(json.dumps({
            "writes": a.writes,
            "write_to_secondary_ms": {"p50": round(percentile(delays, 50), 2),
                                      "p99": round(percentile(delays, 99), 2),
                                      "max": round(max(delays), 2)},
            "api_write_ms_p50": round(percentile(api_ms, 50), 2),
            "new_zone_to_secondary_ms": {"p50": round(percentile(zone_delays, 50), 2),
                                         "max": round(max(zone_delays), 2)},
            "knot_incoming_ixfr": ixfr,
            "load_average": os.getloadavg(),
        }))
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
