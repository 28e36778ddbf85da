#!/usr/bin/python3
"""Helpers for bench/dns.sh: loading the benchmark zone through the API,
writing the zone file and the dnsperf query file, reading dnsperf output,
RSS, AXFR timing, and the results table.

Subcommands (each prints one JSON object on stdout):
  wait     --api URL [--pid PID] [--timeout S]     until GET / answers
  wait-dns --port P --zone NAME [--timeout S]      until the zone's SOA answers
  load     --api URL --zone NAME --records N --out DIR [--workers W]
           creates the zone and N one-record record sets; writes DIR/zone.txt
           (exported from the API, for Knot/NSD) and DIR/queries.txt
  qps      --file F                                dnsperf summary -> qps, latency
  latency  --file F                                dnsperf -v output -> p50/p99 (ms)
  rss      --pid PID                               VmRSS in KiB
  axfr     --port P --zone NAME [--runs R]         best `kdig AXFR` wall time
  report   --json FILE --results MD --command CMD  the table, into "## DNS" of MD
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

HEADERS = {"Content-Type": "application/json", "Accept": "application/json",
           "X-Auth-Project-ID": "bench", "X-Roles": "admin"}


# --- server readiness ------------------------------------------------------
def cmd_wait(a) -> dict:
    began = time.monotonic()
    while time.monotonic() - began < a.timeout:
        if a.pid and not os.path.exists(f"/proc/{a.pid}"):
            raise SystemExit(f"server (pid {a.pid}) exited before answering")
        try:
            with urllib.request.urlopen(a.api + "/", timeout=1):
                return {"seconds": round(time.monotonic() - began, 3)}
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{a.api} did not answer within {a.timeout}s")


def cmd_wait_dns(a) -> dict:
    import dns.message
    import dns.query
    import dns.rcode

    began = time.monotonic()
    while time.monotonic() - began < a.timeout:
        try:
            q = dns.message.make_query(a.zone, "SOA")
            r = dns.query.udp(q, "127.0.0.1", port=a.port, timeout=0.5)
            if r.rcode() == dns.rcode.NOERROR and r.answer:
                return {"seconds": round(time.monotonic() - began, 3)}
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.05)
    raise SystemExit(f"port {a.port} did not serve {a.zone} within {a.timeout}s")


# --- the zone ---------------------------------------------------------------
def zone_plan(zone: str, records: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(owner, type, rdata) one record per record set: 60% A, 20% AAAA (on
    the A names), 10% TXT, 5% MX, 5% CNAME."""
    n_a = records * 60 // 100
    n_aaaa = records * 20 // 100
    n_txt = records * 10 // 100
    n_mx = records * 5 // 100
    n_cname = records - n_a - n_aaaa - n_txt - n_mx
    plan = []
    for i in range(n_a):
        plan.append((f"host{i}.{zone}", "A", f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"))
    for i in range(n_aaaa):
        plan.append((f"host{i}.{zone}", "AAAA", f"2001:db8::{i:x}"))
    for i in range(n_txt):
        plan.append((f"txt{i}.{zone}", "TXT", f'"v=bench{i} {rng.getrandbits(64):016x}"'))
    for i in range(n_mx):
        plan.append((f"mx{i}.{zone}", "MX", f"10 host{rng.randrange(n_a)}.{zone}"))
    for i in range(n_cname):
        plan.append((f"alias{i}.{zone}", "CNAME", f"host{rng.randrange(n_a)}.{zone}"))
    return plan


def write_queries(path: str, zone: str, plan, rng: random.Random, count: int = 100_000):
    """dnsperf input: 85% existing (name, type), 5% existing name with a type
    it lacks (NODATA), 10% names that do not exist (NXDOMAIN)."""
    with open(path, "w") as f:
        for _ in range(count):
            x = rng.random()
            if x < 0.85:
                owner, rtype, _ = plan[rng.randrange(len(plan))]
            elif x < 0.90:
                owner, rtype = plan[rng.randrange(len(plan))][0], "SRV"
            else:
                owner, rtype = f"nx{rng.randrange(10**6)}.{zone}", "A"
            f.write(f"{owner} {rtype}\n")


class Api:
    """One keep-alive HTTP connection."""

    def __init__(self, base: str):
        u = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

    def call(self, method: str, path: str, body=None):
        self.conn.request(method, path, body=None if body is None else json.dumps(body),
                          headers=HEADERS)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None


def export_zone(api: Api, zone_id: str, zone_name: str, default_ttl: int) -> str:
    lines = [f"$ORIGIN {zone_name}"]
    path = f"/v2/zones/{zone_id}/recordsets?limit=1000"
    soa = []
    while path:
        page = api.call("GET", path)
        for rs in page["recordsets"]:
            ttl = rs["ttl"] if rs["ttl"] is not None else default_ttl
            for data in rs["records"]:
                line = f"{rs['name']} {ttl} IN {rs['type']} {data}"
                (soa if rs["type"] == "SOA" else lines).append(line)
        nxt = page.get("links", {}).get("next")
        path = urllib.parse.urlparse(nxt)._replace(scheme="", netloc="").geturl() if nxt else None
    return "\n".join(lines[:1] + soa + lines[1:]) + "\n"


def cmd_load(a) -> dict:
    rng = random.Random(20240601)
    api = Api(a.api)
    zone = api.call("POST", "/v2/zones", {"name": a.zone, "email": "bench@example.org"})
    plan = zone_plan(a.zone, a.records, rng)
    # Group by (owner, type): every record set holds one record here.
    began = time.monotonic()
    chunks = [plan[i::a.workers] for i in range(a.workers)]

    def worker(items):
        conn = Api(a.api)
        for owner, rtype, data in items:
            conn.call("POST", f"/v2/zones/{zone['id']}/recordsets",
                      {"name": owner, "type": rtype, "records": [data]})

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - began
    os.makedirs(a.out, exist_ok=True)
    # A fresh connection: the first one sat idle through the load.
    zone_text = export_zone(Api(a.api), zone["id"], a.zone, zone["ttl"])
    with open(os.path.join(a.out, "zone.txt"), "w") as f:
        f.write(zone_text)
    write_queries(os.path.join(a.out, "queries.txt"), a.zone, plan, rng)
    return {"zone_id": zone["id"], "records": len(plan), "seconds": round(seconds, 1),
            "zone_file_records": zone_text.count("\n") - 1}


# --- measurements ----------------------------------------------------------
def cmd_qps(a) -> dict:
    text = open(a.file).read()

    def num(pattern):
        m = re.search(pattern, text)
        return float(m.group(1)) if m else None

    return {
        "qps": num(r"Queries per second:\s+([\d.]+)"),
        "sent": num(r"Queries sent:\s+(\d+)"),
        "completed": num(r"Queries completed:\s+(\d+)"),
        "lost": num(r"Queries lost:\s+(\d+)"),
        "avg_latency_ms": (num(r"Average Latency \(s\):\s+([\d.]+)") or 0) * 1000,
    }


def cmd_latency(a) -> dict:
    """dnsperf -v prints one line per answered query ending in its latency
    in seconds, e.g. "> NOERROR host1.bench.example. A 0.000084"."""
    values = []
    with open(a.file) as f:
        for line in f:
            if line.startswith("> "):
                try:
                    values.append(float(line.rsplit(None, 1)[1]))
                except (ValueError, IndexError):
                    continue
    if not values:
        return {"samples": 0}
    values.sort()

    def pct(p):
        return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000

    return {"samples": len(values), "p50_ms": round(pct(50), 3), "p99_ms": round(pct(99), 3),
            "max_ms": round(values[-1] * 1000, 3)}


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def status_kib(pid: int, field: str, path: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{path}") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmd_rss(a) -> dict:
    """VmRSS of the server process, and the PSS of it and its children (NSD
    forks its servers, which share the zone's pages)."""
    tree = descendants(a.pid)
    return {"rss_kib": status_kib(a.pid, "VmRSS"),
            "pss_tree_kib": sum(status_kib(p, "Pss", "smaps_rollup") for p in tree),
            "processes": len(tree)}


def cmd_axfr(a) -> dict:
    times, records = [], None
    for _ in range(a.runs):
        began = time.monotonic()
        out = subprocess.run(["kdig", "@127.0.0.1", "-p", str(a.port), a.zone, "AXFR",
                              "+nostats"], capture_output=True, text=True, timeout=120)
        times.append(time.monotonic() - began)
        if out.returncode != 0 or "ERROR" in out.stdout:
            return {"error": (out.stdout + out.stderr)[-300:]}
        records = sum(1 for ln in out.stdout.splitlines() if ln and not ln.startswith(";"))
    return {"best_ms": round(min(times) * 1000, 1),
            "median_ms": round(statistics.median(times) * 1000, 1), "records": records}


# --- report ------------------------------------------------------------------
def cmd_report(a) -> dict:
    data = json.load(open(a.json))
    servers = data["servers"]
    peers = [s for s in servers if not s["name"].startswith("dnsplane") and s.get("qps")]
    ours = next(s for s in servers if s["name"] == "dnsplane")
    best = max(peers, key=lambda s: s["qps"]) if peers else None
    ratio = ours["qps"] / best["qps"] if best else None

    lines = ["## DNS", "",
             f"Measured {data['date']} on this machine ({data['cpus']} cores, loopback), "
             f"zone of {data['records']:,} records (+ SOA/NS) loaded through the API in "
             f"{data['load_seconds']} s; query file of 100,000 lines (85% existing name/type, "
             "5% NODATA, 10% NXDOMAIN). Each server alone, 2 UDP workers each."
             + (f" Load average (1/5/15 min) at the end: {data['loadavg']}." if data.get("loadavg")
                else "")
             + (" `dnsplane-base` is the comparison binary ($BASE_BIN) on the same store."
                if any(s["name"] == "dnsplane-base" for s in servers) else ""), "",
             "Command:", "", "```", a.command, "```", "",
             f"Throughput: `{data['dnsperf_qps']}`; latency: `{data['dnsperf_latency']}` "
             "(fixed rate, per-query latencies from `-v`).", "",
             "| server | qps | avg latency at max qps (ms) | p50 at fixed rate (ms) "
             "| p99 at fixed rate (ms) | lost | RSS with zone (MiB) | PSS of all its processes "
             "(MiB) | AXFR best/median (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in servers:
        ax = s.get("axfr") or {}
        axfr = f"{ax['best_ms']} / {ax['median_ms']}" if "best_ms" in ax else "n/a"
        lines.append(
            f"| {s['name']} {s.get('version', '')} | {s['qps']:,.0f} | "
            f"{s['avg_latency_ms']:.3f} | {s['latency'].get('p50_ms', 'n/a')} | "
            f"{s['latency'].get('p99_ms', 'n/a')} | {s['lost']:.0f} | "
            f"{s['rss_kib'] / 1024:.1f} | {s['pss_tree_kib'] / 1024:.1f} "
            f"({s['processes']}) | {axfr} |")
    lines += ["",
              f"**dnsplane / best peer ({best['name'] if best else 'n/a'}) qps ratio: "
              f"{ratio:.2f}** (target >= 1.0)." if ratio else "no peer measured", ""]
    prop = data.get("propagation")
    if prop:
        lines += [f"Propagation (`bench/propagation.py`, {prop['writes']} API writes into "
                  "the benchmark zone): time from the end of the HTTP response to the first "
                  f"DNS answer carrying the new record: p50 {prop['p50_ms']} ms, "
                  f"p99 {prop['p99_ms']} ms, max {prop['max_ms']} ms (target p99 <= 5 ms); "
                  f"answered by the very first query in {prop['first_try']} of "
                  f"{prop['writes']} writes. API write latency p50 {prop['write_p50_ms']} ms, "
                  f"p99 {prop['write_p99_ms']} ms.", ""]
    section = "\n".join(lines)

    md = open(a.results).read() if os.path.exists(a.results) else "# Benchmark results\n"
    pattern = re.compile(r"^## DNS\n.*?(?=^## |\Z)", re.S | re.M)
    md = pattern.sub(section + "\n", md) if pattern.search(md) else md.rstrip() + "\n\n" + section
    with open(a.results, "w") as f:
        f.write(md)
    print(section, file=sys.stderr)
    return {"ratio": ratio}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("wait")
    s.add_argument("--api", required=True)
    s.add_argument("--pid", type=int)
    s.add_argument("--timeout", type=float, default=30)
    s = sub.add_parser("wait-dns")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--timeout", type=float, default=30)
    s = sub.add_parser("load")
    s.add_argument("--api", required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--records", type=int, default=10000)
    s.add_argument("--out", required=True)
    s.add_argument("--workers", type=int, default=4)
    for name in ("qps", "latency"):
        s = sub.add_parser(name)
        s.add_argument("--file", required=True)
    s = sub.add_parser("rss")
    s.add_argument("--pid", type=int, required=True)
    s = sub.add_parser("axfr")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--runs", type=int, default=5)
    s = sub.add_parser("report")
    s.add_argument("--json", required=True)
    s.add_argument("--results", required=True)
    s.add_argument("--command", required=True)
    a = p.parse_args()
    handler = {"wait": cmd_wait, "wait-dns": cmd_wait_dns, "load": cmd_load, "qps": cmd_qps,
               "latency": cmd_latency, "rss": cmd_rss, "axfr": cmd_axfr,
               "report": cmd_report}[a.cmd]
    print(json.dumps(handler(a)))


if __name__ == "__main__":
    main()
