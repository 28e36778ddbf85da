#!/usr/bin/python3
"""Helpers for bench/writes.sh (record-set create throughput, dnsplane vs
PowerDNS). Each subcommand prints one JSON object on stdout.

  count       --api URL --zone-id ID            record sets in a dnsplane zone
                                                (metadata.total_count, incl. SOA/NS)
  rs-id       --api URL --zone-id ID --name N   id of one record set (for the GET run)
  pdns-wait   --url URL --key K --pid PID       until the PowerDNS API answers
  pdns-zone   --url URL --key K --zone NAME --count N
              creates a Native zone holding N one-record A rrsets in ONE request
              (soa_edit_api INCREASE: every PATCH bumps the serial, as dnsplane does)
  pdns-count  --db FILE --zone NAME             rrsets of the zone in PowerDNS's SQLite file
  run         --wrk FILE --before N --after N --connections C
              the WRITES_JSON line of a wrk run (bench/writes.lua) checked against
              the store: creates/s, statuses, and whether the run is a result
  get         --wrk FILE                        a plain wrk run: req/s, non-2xx, socket errors
  report      --json FILE --results MD          the "## Writes" section of MD
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sqlite3
import sys
import time
import urllib.parse

HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def call(url: str, method: str, path: str, body=None, headers=None, timeout=120):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    conn.request(method, path, body=None if body is None else json.dumps(body),
                 headers={**HEADERS, **(headers or {})})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


# --- dnsplane -------------------------------------------------------------------
def cmd_count(a) -> dict:
    status, data = call(a.api, "GET", f"/v2/zones/{a.zone_id}/recordsets?limit=1")
    if status != 200:
        raise SystemExit(f"count: HTTP {status} {data[:300]!r}")
    return {"count": json.loads(data)["metadata"]["total_count"]}


def cmd_rs_id(a) -> dict:
    q = urllib.parse.quote(a.name)
    status, data = call(a.api, "GET", f"/v2/zones/{a.zone_id}/recordsets?name={q}")
    sets = json.loads(data).get("recordsets", []) if status == 200 else []
    if not sets:
        raise SystemExit(f"rs-id: no record set {a.name} (HTTP {status})")
    return {"id": sets[0]["id"]}


# --- PowerDNS -------------------------------------------------------------------
def cmd_pdns_wait(a) -> dict:
    began = time.monotonic()
    while time.monotonic() - began < a.timeout:
        if a.pid and not os.path.exists(f"/proc/{a.pid}"):
            raise SystemExit(f"pdns_server (pid {a.pid}) exited before answering")
        try:
            status, _ = call(a.url, "GET", "/api/v1/servers/localhost",
                             headers={"X-API-Key": a.key}, timeout=1)
            if status == 200:
                return {"seconds": round(time.monotonic() - began, 3)}
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"PowerDNS API at {a.url} did not answer within {a.timeout}s")


def cmd_pdns_zone(a) -> dict:
    rrsets = [{"name": f"seed{i}.{a.zone}", "type": "A", "ttl": 3600, "changetype": "REPLACE",
               "records": [{"content": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                            "disabled": False}]}
              for i in range(a.count)]
    body = {"name": a.zone, "kind": "Native", "nameservers": ["ns1.example.net."],
            "soa_edit_api": "INCREASE", "rrsets": rrsets}
    began = time.monotonic()
    status, data = call(a.url, "POST", "/api/v1/servers/localhost/zones", body,
                        headers={"X-API-Key": a.key}, timeout=600)
    if status != 201:
        raise SystemExit(f"pdns-zone: HTTP {status} {data[:300]!r}")
    return {"count": a.count, "seconds": round(time.monotonic() - began, 2)}


def cmd_pdns_count(a) -> dict:
    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True, timeout=30)
    (n,) = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT r.name, r.type FROM records r "
        "JOIN domains d ON d.id = r.domain_id WHERE d.name = ? AND r.type IS NOT NULL)",
        (a.zone.rstrip("."),)).fetchone()
    con.close()
    return {"count": n}


# --- wrk output -----------------------------------------------------------------
def cmd_run(a) -> dict:
    """A run is a result only if every measured request got a 2xx, no socket
    error happened, and the store grew by the acknowledged creates plus at
    most one in-flight request per connection (wrk stops without reading the
    answers to the requests still in flight; the server may commit those)."""
    text = open(a.wrk).read()
    m = re.search(r"^WRITES_JSON (.*)$", text, re.M)
    if not m:
        raise SystemExit(f"run: no WRITES_JSON line in {a.wrk}:\n{text[-2000:]}")
    w = json.loads(m.group(1))
    ok = sum(n for s, n in w["statuses"].items() if 200 <= int(s) < 300)
    bad = {s: n for s, n in w["statuses"].items() if not 200 <= int(s) < 300}
    socket_errors = sum(w["socket_errors"].values())
    seconds = w["duration_us"] / 1e6
    grown = a.after - a.before
    verified = ok <= grown <= ok + a.connections
    problems = []
    if bad:
        problems.append("non-2xx " + ", ".join(f"{n} x {s}" for s, n in sorted(bad.items())))
    if socket_errors:
        problems.append("socket errors " + json.dumps(w["socket_errors"]))
    if not verified:
        problems.append(f"store grew by {grown}, {ok} creates acknowledged")
    if ok == 0:
        problems.append("no create acknowledged")
    return {"seconds": round(seconds, 3), "requests": w["requests"], "ok": ok,
            "non_2xx": sum(bad.values()), "statuses": w["statuses"],
            "socket_errors": w["socket_errors"], "before": a.before, "after": a.after,
            "grown": grown, "creates_per_s": round(ok / seconds, 1),
            "latency_ms": {k: round(v / 1000, 2) for k, v in w["latency_us"].items()},
            "valid": not problems, "problems": problems, "connections": a.connections}


def cmd_get(a) -> dict:
    text = open(a.wrk).read()

    def num(pattern, default=0.0):
        m = re.search(pattern, text, re.M)
        return float(m.group(1)) if m else default

    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = sum(int(x) for x in sock.groups()) if sock else 0
    non_2xx = int(num(r"Non-2xx or 3xx responses: (\d+)"))
    return {"rps": num(r"^Requests/sec:\s+([\d.]+)"), "requests": int(num(r"(\d+) requests in")),
            "non_2xx": non_2xx, "socket_errors": socket_errors,
            "valid": non_2xx == 0 and socket_errors == 0}


# --- report ---------------------------------------------------------------------
def fmt_rate(run: dict) -> str:
    rate = f"{run['creates_per_s']:,.0f}"
    return rate if run["valid"] else f"~~{rate}~~ (not a result)"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def cmd_report(a) -> dict:
    r = json.load(open(a.json))
    runs = r["runs"]
    by_key = {x["key"]: x for x in runs}

    def rate(key):
        x = by_key.get(key)
        return x["creates_per_s"] if x and x["valid"] else None

    def ratio(num, den):
        return num / den if num is not None and den else None

    pdns_valid = [x for x in runs if x["server"] == "pdns" and x["valid"]]
    pdns_best = max(pdns_valid, key=lambda x: x["creates_per_s"]) if pdns_valid else None
    pdns_same = [x for x in pdns_valid if x.get("synchronous") == "normal"]
    pdns_same_best = max(pdns_same, key=lambda x: x["creates_per_s"]) if pdns_same else None
    a_rate, b_rate, c_rate = rate("a"), rate("b"), rate("c")
    c_over_a = ratio(c_rate, a_rate)
    a_over_pdns = ratio(a_rate, pdns_best["creates_per_s"] if pdns_best else None)
    a_over_same = ratio(a_rate, pdns_same_best["creates_per_s"] if pdns_same_best else None)
    pdns_full = [x for x in pdns_valid if x.get("synchronous") == "full"]
    pdns_full_best = max(pdns_full, key=lambda x: x["creates_per_s"]) if pdns_full else None
    b_over_full = ratio(b_rate, pdns_full_best["creates_per_s"] if pdns_full_best else None)
    base, big = f"{r['base_sets']:,}", f"{r['big_sets']:,}"

    lines = [
        "## Writes", "",
        f"Measured {r['date']} with `{r['command']}` on {r['machine']}; binary "
        f"`{r['bin']}` ({r['build']}, log level {r['log_level']}). The machine was shared "
        "with other engineers' compilers: `uptime` before: "
        f"`{r['uptime_before']}`; after: `{r['uptime_after']}`.", "",
        f"Every run: `wrk -t1 -c<clients> -d{r['duration']}s -s bench/writes.lua` (after a "
        f"{r['warmup']} s warm-up for dnsplane), each request one single-value A record set "
        "of a new name; every response status counted, and the store's count of record sets "
        "checked before and after. A run with any non-2xx, any socket error, or a store count "
        "that does not match the acknowledged creates is struck out: it is not a result.", "",
        "| run | server, store | clients | record sets at start → end (incl. SOA, NS) "
        "| creates/s | requests "
        "| non-2xx | socket errors | latency p50 / p99 (ms) |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for x in runs:
        se = sum(x["socket_errors"].values())
        bad = ", ".join(f"{n}×{s}" for s, n in sorted(x["statuses"].items())
                        if not 200 <= int(s) < 300) or "0"
        lines.append(
            f"| {x['key']} | {x['label']} | {x['connections']} | {x['before']:,} → "
            f"{x['after']:,} | {fmt_rate(x)} | {x['requests']:,} | {bad} | {se} | "
            f"{x['latency_ms']['p50']} / {x['latency_ms']['p99']} |")
    lines.append("")
    problems = [f"- run {x['key']}: " + "; ".join(x["problems"]) for x in runs if x["problems"]]
    if problems:
        lines += ["Runs that are not results:", "", *problems, ""]

    def num(v, fmt="{:,.0f}"):
        return "n/a" if v is None else fmt.format(v)

    get, prop = r.get("get"), r.get("propagation")
    pdns_name = (f"{pdns_best['key']}, {pdns_best['connections']} client(s)"
                 if pdns_best else "no valid PowerDNS run")
    targets = [
        "| measurement | result | target | met |", "|---|---|---|---|",
        f"| a) creates/s, {base}-set zone, synchronous=normal | {num(a_rate)} | ≥ 5,000 | "
        f"{verdict(None if a_rate is None else a_rate >= 5000)} |",
        f"| b) creates/s, {base}-set zone, synchronous=full | {num(b_rate)} | ≥ 2,000 | "
        f"{verdict(None if b_rate is None else b_rate >= 2000)} |",
        f"| c / a (c: {big}-set zone, {num(c_rate)} creates/s) | {num(c_over_a, '{:.2f}')} "
        "| ≥ 0.90 | "
        f"{verdict(None if c_over_a is None else c_over_a >= 0.9)} |",
        f"| a / best valid PowerDNS run ({pdns_name}) | {num(a_over_pdns, '{:.1f}')}× | ≥ 3× | "
        f"{verdict(None if a_over_pdns is None else a_over_pdns >= 3)} |",
        f"| a / best PowerDNS run with synchronous=NORMAL (same durability as a) | "
        f"{num(a_over_same, '{:.1f}')}× | ≥ 3× | "
        f"{verdict(None if a_over_same is None else a_over_same >= 3)} |",
        f"| b / best PowerDNS run with synchronous FULL (same durability as b) | "
        f"{num(b_over_full, '{:.1f}')}× | - | - |",
    ]
    if prop:
        targets.append(
            f"| write→DNS propagation p99 (`propagation.py`, {prop['writes']} writes) | "
            f"{prop['p99_ms']} ms (p50 {prop['p50_ms']}, max {prop['max_ms']}; "
            f"{prop['first_try']}/{prop['writes']} seen by the first query) | ≤ 5 ms | "
            f"{verdict(prop['p99_ms'] <= 5)} |")
    if get:
        rps = get["rps"] if get["valid"] else None
        targets.append(
            f"| GET one record set (`wrk -t1 -c16 -d{r['duration']}s`, {get['requests']:,} "
            f"requests, {get['non_2xx']} non-2xx, {get['socket_errors']} socket errors) | "
            f"{num(rps)} req/s | ≥ 20,000 | {verdict(None if rps is None else rps >= 20000)} |")
    lines += targets + [""]
    pre = r["preload"]
    lines += [
        "Notes:", "",
        f"- Preload (outside every measured window): the {base}-set zone through the API with "
        f"{pre['workers']} parallel connections in {pre['base']['api']['seconds']} s "
        f"({pre['base']['api']['count']:,} sets"
        + (f", then {pre['base']['sqlite']:,} straight into SQLite" if pre['base']['sqlite'] else "")
        + f"); the {big}-set zone adds {pre['big']['api']['count']:,} through the API in "
        f"{pre['big']['api']['seconds']} s"
        + (f" and, the API budget of {pre['budget']} s being spent, {pre['big']['sqlite']:,} "
           "straight into SQLite (`api_tool.py bulk`, dnsplane's own schema)"
           if pre['big']['sqlite'] else "")
        + ". Each dnsplane run starts a fresh process on its own copy of the preloaded store.",
        f"- PowerDNS {r.get('pdns_version', '?')}: gsqlite3 backend on its own SQLite file "
        "(schema from `/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql`), WAL, "
        "`api=yes`, webserver on a loopback port, zone preloaded with "
        f"{r['pdns_preload']['count']:,} rrsets in one `POST /zones` "
        f"({r['pdns_preload']['seconds']} s), `soa_edit_api` INCREASE. `synchronous` is "
        "PowerDNS's default (unset: SQLite's FULL) unless the row says NORMAL. With several "
        "concurrent PATCHes its SQLite backend answers most of them with 500 "
        "(\"database is locked\"), so its 16-client run is not a result and the ratios use its "
        "best error-free run.",
        *([f"- Propagation: all {prop['writes']} writes answered the very first DNS query after "
            "their 2xx, so the delays above are UDP round trips (a loaded machine stretches "
            "them), not DNS lagging behind the API."]
          if prop and prop["first_try"] == prop["writes"] else []),
        "- The zones grow during each window by the creates it makes (see start → end): "
        f"at 5,000/s a {r['duration']} s window adds {5000 * r['duration']:,} sets. The "
        "warm-up writes into a zone of its own.",
        "",
    ]
    section = "\n".join(lines)
    md = open(a.results).read() if os.path.exists(a.results) else "# Benchmark results\n"
    # Up to the next section or the first "### " subsection (kept: history).
    pattern = re.compile(r"^## Writes\n.*?(?=^## |^### |\Z)", re.S | re.M)
    md = pattern.sub(lambda _: section + "\n", md) if pattern.search(md) else \
        md.rstrip() + "\n\n" + section
    with open(a.results, "w") as f:
        f.write(md)
    print(section, file=sys.stderr)
    return {"a": a_rate, "b": b_rate, "c_over_a": c_over_a, "a_over_pdns": a_over_pdns}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("count")
    s.add_argument("--api", required=True)
    s.add_argument("--zone-id", required=True)
    s = sub.add_parser("rs-id")
    s.add_argument("--api", required=True)
    s.add_argument("--zone-id", required=True)
    s.add_argument("--name", required=True)
    s = sub.add_parser("pdns-wait")
    s.add_argument("--url", required=True)
    s.add_argument("--key", required=True)
    s.add_argument("--pid", type=int)
    s.add_argument("--timeout", type=float, default=30)
    s = sub.add_parser("pdns-zone")
    s.add_argument("--url", required=True)
    s.add_argument("--key", required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--count", type=int, required=True)
    s = sub.add_parser("pdns-count")
    s.add_argument("--db", required=True)
    s.add_argument("--zone", required=True)
    s = sub.add_parser("run")
    s.add_argument("--wrk", required=True)
    s.add_argument("--before", type=int, required=True)
    s.add_argument("--after", type=int, required=True)
    s.add_argument("--connections", type=int, required=True)
    s = sub.add_parser("get")
    s.add_argument("--wrk", required=True)
    s = sub.add_parser("report")
    s.add_argument("--json", required=True)
    s.add_argument("--results", required=True)
    a = p.parse_args()
    handler = {"count": cmd_count, "rs-id": cmd_rs_id, "pdns-wait": cmd_pdns_wait,
               "pdns-zone": cmd_pdns_zone, "pdns-count": cmd_pdns_count, "run": cmd_run,
               "get": cmd_get, "report": cmd_report}[a.cmd]
    print(json.dumps(handler(a)))


if __name__ == "__main__":
    main()
