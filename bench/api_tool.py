#!/usr/bin/python3
"""Helpers for bench/api.sh: seeding through the API, paging timings, bulk
SQLite generation for the start-up benchmark, and the results table.

Subcommands (each prints one JSON object on stdout):
  wait    --api URL [--timeout S] [--pid PID]   time until GET / answers
  seed    --api URL --zone-id ID --zone NAME --count N [--workers W] [--deadline S]
  page    --api URL --zone-id ID [--limit 1000]
  bulk    --db PATH --zone-ids ID,ID,... --per-zone N [--start I]
  startup --bin B --db PATH --api-port P --dns-port P --log FILE
  report  --json FILE --markdown FILE --command CMD
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sqlite3
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone

HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def wait_ready(api: str, timeout: float, pid: int | None) -> float:
    """Seconds from now until GET / answers 200; exits if `pid` dies first."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if pid is not None and not os.path.exists(f"/proc/{pid}"):
            raise SystemExit(f"dnsplane (pid {pid}) exited before answering")
        try:
            with urllib.request.urlopen(api + "/", timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.01)
    raise SystemExit(f"dnsplane did not answer GET / within {timeout}s")


def cmd_wait(a) -> dict:
    return {"seconds": round(wait_ready(a.api, a.timeout, a.pid), 3)}


def cmd_seed(a) -> dict:
    """Creates up to N record sets in a zone with W parallel keep-alive
    connections; with --deadline, stops starting new creates after that many
    seconds and reports how many were made."""
    host = urllib.parse.urlsplit(a.api)
    path = f"/v2/zones/{a.zone_id}/recordsets"
    next_index = iter(range(a.start, a.start + a.count))
    lock = threading.Lock()
    failures: list[str] = []
    done = [0]
    began = time.monotonic()
    deadline = began + a.deadline if a.deadline else None

    def worker():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        while True:
            with lock:
                late = deadline is not None and time.monotonic() > deadline
                i = None if late or failures else next(next_index, None)
            if i is None:
                break
            body = json.dumps({"name": f"seed{i}.{a.zone}", "type": "A",
                               "records": [f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"]})
            conn.request("POST", path, body, HEADERS)
            r = conn.getresponse()
            data = r.read()
            with lock:
                if r.status == 202:
                    done[0] += 1
                else:
                    failures.append(f"{r.status} {data[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - began
    if failures:
        raise SystemExit(f"seeding failed: {failures[0]}")
    return {"count": done[0], "seconds": round(seconds, 2),
            "per_second": round(done[0] / seconds, 1)}


def cmd_page(a) -> dict:
    """Follows links.next through a zone's record sets, timing each page."""
    host = urllib.parse.urlsplit(a.api)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    target = f"/v2/zones/{a.zone_id}/recordsets?limit={a.limit}"
    times, items = [], 0
    while target:
        began = time.monotonic()
        conn.request("GET", target, headers=HEADERS)
        r = conn.getresponse()
        body = json.loads(r.read())
        times.append((time.monotonic() - began) * 1000)
        if r.status != 200:
            raise SystemExit(f"GET {target}: {r.status} {body}")
        items += len(body["recordsets"])
        nxt = body.get("links", {}).get("next")
        target = None
        if nxt:
            parts = urllib.parse.urlsplit(nxt)
            target = parts.path + ("?" + parts.query if parts.query else "")
    times_sorted = sorted(times)
    p99 = times_sorted[min(len(times) - 1, int(len(times) * 0.99))]
    return {"pages": len(times), "items": items, "max_ms": round(max(times), 2),
            "p99_ms": round(p99, 2), "median_ms": round(statistics.median(times), 2),
            "total_s": round(sum(times) / 1000, 2)}


def insert_rows(con, table: str, rows: list[dict]) -> None:
    """Inserts dict rows into `table`, using the columns the live schema has
    (PRAGMA table_info), so the generator follows schema changes; a required
    column it does not know about is an error, not a silent default."""
    columns = con.execute(f"PRAGMA table_info({table})").fetchall()
    for _, name, _, notnull, default, pk in columns:
        if (notnull or pk) and default is None and name not in rows[0]:
            raise SystemExit(f"bulk: {table}.{name} is required and unknown to api_tool.py")
    # Columns with a default that the generator does not fill keep it.
    names = [c[1] for c in columns if c[1] in rows[0] or c[4] is None]
    sql = (f"INSERT INTO {table} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    con.executemany(sql, ([row.get(n) for n in names] for row in rows))


def cmd_bulk(a) -> dict:
    """Inserts record sets (one A record each) straight into the SQLite store
    (schema: src/store/sqlite/schema.cpp). The zones must exist, created
    through the API so that their SOA/NS and change log are real."""
    began = time.monotonic()
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    # Random UUID keys: with the default 2 MiB cache every insert into the id
    # indexes reads pages back from disk (about twice as slow overall).
    con.execute("PRAGMA cache_size=-1048576")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    total = 0
    for zone_id in a.zone_ids.split(","):
        project_id, zone_name = con.execute(
            "SELECT project_id, name FROM zones WHERE id = ?", (zone_id,)).fetchone()
        recordsets, records = [], []
        for i in range(a.per_zone):
            rs_id = str(uuid.uuid4())
            recordsets.append({
                "id": rs_id, "zone_id": zone_id, "project_id": project_id,
                "zone_name": zone_name, "name": f"bulk{a.start + i}.{zone_name}", "type": "A",
                "ttl": None, "description": "", "status": "ACTIVE", "action": "NONE",
                "version": 1, "created_at": now, "updated_at": None, "managed": 0})
            records.append({
                "id": str(uuid.uuid4()), "zone_id": zone_id, "recordset_id": rs_id,
                "position": 0, "data": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"})
        with con:
            insert_rows(con, "recordsets", recordsets)
            insert_rows(con, "records", records)
        total += len(recordsets)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"recordsets": total, "seconds": round(time.monotonic() - began, 1)}


def cmd_startup(a) -> dict:
    """Spawns `dnsplane serve` on an existing store and times process start
    until GET / answers; then reads its resident memory and stops it."""
    import signal
    import subprocess

    api = f"http://127.0.0.1:{a.api_port}"
    log = open(a.log, "ab")
    began = time.monotonic()
    proc = subprocess.Popen([a.bin, "serve", "--database", f"sqlite://{os.path.abspath(a.db)}",
                             "--api-listen", f"127.0.0.1:{a.api_port}",
                             "--dns-listen", f"127.0.0.1:{a.dns_port}"],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    try:
        wait_ready(api, a.timeout, proc.pid)
        seconds = time.monotonic() - began
        rss_kb = 0
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    return {"seconds": round(seconds, 3), "rss_mb": round(rss_kb / 1024)}


def seed_note(seed: dict) -> str:
    api = seed["api"]
    text = (f"- Seeding the paged zone: {api['count']:,} record sets through the API "
            f"({seed['workers']} parallel connections) in {api['seconds']} s "
            f"({api['per_second']:,.1f}/s)")
    if seed["sqlite"]["count"]:
        text += (f"; the API budget of {seed['budget']} s ran out, so the remaining "
                 f"{seed['sqlite']['count']:,} were written straight into SQLite "
                 f"({seed['sqlite']['seconds']} s)")
    return text + "."


def row(name, value, target, ok):
    return f"| {name} | {value} | {target} | {'yes' if ok else '**no**'} |"


def cmd_report(a) -> dict:
    r = json.load(open(a.json))
    # Only acknowledged creates count: a rejected POST is not a create.
    ok = (r["post_requests"] - r["post_errors"]) / max(1, r["post_requests"])
    r["post_rps"] = r["post_rps"] * ok
    lines = [
        "| measurement | result | target | met |",
        "|---|---|---|---|",
        row(f"GET one record set (wrk -t1 -c16 -d{r['duration']})", f"{r['get_rps']:,.0f} req/s",
            "≥ 20,000 req/s", r["get_rps"] >= 20000),
        row(f"POST record sets, each a durable commit (wrk -t1 -c16 -d{r['duration']})",
            f"{r['post_rps']:,.0f} creates/s", "≥ 2,000 creates/s", r["post_rps"] >= 2000),
        row(f"page through {r['page']['items']:,} record sets, limit=1000 "
            f"({r['page']['pages']} pages)",
            f"max {r['page']['max_ms']} ms, p99 {r['page']['p99_ms']} ms, "
            f"median {r['page']['median_ms']} ms", "≤ 20 ms per page",
            r["page"]["max_ms"] <= 20),
        row(f"start-up with {r['startup']['recordsets']:,} record sets in the store",
            f"{r['startup']['seconds']} s (RSS {r['startup']['rss_mb']} MiB)", "≤ 3 s",
            r["startup"]["seconds"] <= 3),
    ]
    notes = [
        seed_note(r["seed"]),
        f"- POST run: {r['post_requests']:,} requests, {r['post_errors']} non-2xx; "
        f"the zone then holds {r['post_verified']:,} created record sets (checked via the API).",
        f"- GET run: {r['get_requests']:,} requests, {r['get_errors']} non-2xx.",
        f"- Generating {r['startup']['recordsets']:,} record sets directly in SQLite: "
        f"{r['bulk_seconds']} s.",
    ]
    section = "\n".join([
        "## API",
        "",
        f"Measured {r['date']} on {r['machine']} with `{a.command}` "
        f"(build: {r['build']}; load average at start {r.get('load', '?')}: "
        "other work on the machine lowers every number).",
        "",
        *lines,
        "",
        *notes,
        "",
    ])
    print(section)
    update_markdown(a.markdown, section)
    return {"written": a.markdown}


def update_markdown(path: str, section: str) -> None:
    """Replaces the "## API" section of RESULTS.md (up to the next "## "
    heading), or appends it; other sections belong to other benchmarks."""
    text = open(path).read() if os.path.exists(path) else "# dnsplane benchmark results\n\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.strip() == "## API"), None)
    if start is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
                   len(lines))
        tail = "".join(lines[end:])
        text = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    with open(path, "w") as f:
        f.write(text)


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("wait")
    p.add_argument("--api", required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--pid", type=int)
    p = sub.add_parser("seed")
    p.add_argument("--api", required=True)
    p.add_argument("--zone-id", required=True)
    p.add_argument("--zone", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--start", type=int, default=0, help="first index (names seed<i>)")
    p.add_argument("--deadline", type=float, help="stop starting creates after S seconds")
    p = sub.add_parser("page")
    p.add_argument("--api", required=True)
    p.add_argument("--zone-id", required=True)
    p.add_argument("--limit", type=int, default=1000)
    p = sub.add_parser("bulk")
    p.add_argument("--db", required=True)
    p.add_argument("--zone-ids", required=True)
    p.add_argument("--per-zone", type=int, required=True)
    p.add_argument("--start", type=int, default=0, help="first index (names bulk<i>)")
    p = sub.add_parser("startup")
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--api-port", type=int, required=True)
    p.add_argument("--dns-port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=300)
    p = sub.add_parser("report")
    p.add_argument("--json", required=True)
    p.add_argument("--markdown", required=True)
    p.add_argument("--command", required=True)
    a = ap.parse_args()
    result = {"wait": cmd_wait, "seed": cmd_seed, "page": cmd_page, "bulk": cmd_bulk,
              "startup": cmd_startup, "report": cmd_report}[a.cmd](a)
    if a.cmd != "report":
        print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
