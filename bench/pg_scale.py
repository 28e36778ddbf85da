#!/usr/bin/python3
"""Simulated scale on PostgreSQL (issue 14): a generator, not a test.

Fills one PostgreSQL database with ZONES zones of SETS record sets x VALUES
values each (default 100,000 zones x 25 x 4 = 10,000,000 records, plus each
zone's SOA and NS), then measures one dnsplane node on it:
  - start-up time (to /healthz ready and DNS answering), first start (which
    also writes the RFC 9432 catalog: one PTR per zone) and a restart;
  - GET /v2/zones?limit=100: the first page and the last page (by marker),
    median of 20 each, and their ratio;
  - the catalog zone: records, AXFR bytes and time;
  - the node's resident memory.
How the rows are made: a template zone is created through the real API, and
PostgreSQL copies it ZONES times with generate_series (new ids, names and
reversed names), so every row has exactly the form dnsplane writes.
Environment: DNSPLANE_BIN, ZONES (100000), SETS (25), VALUES (4), CHUNK
(5000 zones per INSERT). Prints one JSON object; bench/pg_scale.sh runs it.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import dns.message  # noqa: E402
import dns.query  # noqa: E402

from dnsplane_harness import Dnsplane, create_zone  # noqa: E402
from pg_support import PgServer  # noqa: E402

ZONES = int(os.environ.get("ZONES", "100000"))
SETS = int(os.environ.get("SETS", "25"))
VALUES = int(os.environ.get("VALUES", "4"))
CHUNK = int(os.environ.get("CHUNK", "5000"))
CATALOG = "catalog.scale.invalid."
TEMPLATE = "t0.scale.test."
FLAGS = {"webhook-listen": "", "log-level": "warn", "catalog-zone": CATALOG}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return None


def node(tmp, db_url):
    return Dnsplane(tmp, flags={**FLAGS, "database": db_url})


def make_template(pg, tmp, db_url):
    srv = node(tmp / "template", db_url).start()
    try:
        s = srv.session()
        zone = create_zone(s, TEMPLATE)
        for i in range(SETS):
            r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                       json={"name": f"h{i}.{TEMPLATE}", "type": "A",
                             "records": [f"192.0.2.{v + 1}" for v in range(VALUES)]})
            assert r.status_code == 202, r.text
    finally:
        srv.stop()


def psql_long(pg, sql, db):
    """psql without pg_support's 120 s limit (a chunk into 10 M rows of
    random-UUID indexes takes minutes on a busy 2-core machine)."""
    args = [f"{pg.bindir}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", str(pg.root), "-p", str(pg.port), "-U", "postgres", "-d", db, "-c", sql]
    if pg.as_postgres:
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, capture_output=True, text=True)


def copy_zones(pg, db):
    """Copies the template zone ZONES times, CHUNK zones per statement."""
    q = lambda sql: psql_long(pg, sql, db)  # noqa: E731
    new_name = "'z' || g || '.scale.test.'"
    new_zone = "md5('zone' || g)::uuid::text"
    for start in range(1, ZONES + 1, CHUNK):
        end = min(ZONES, start + CHUNK - 1)
        series = f"generate_series({start}, {end}) g"
        q(f"""
INSERT INTO zones (id, pool_id, project_id, name, rname, email, ttl, serial, status, action,
                   description, type, masters, transferred_at, version, created_at, updated_at,
                   refresh, retry, expire, minimum, recordset_count, record_count)
SELECT {new_zone}, pool_id, project_id, {new_name}, reverse({new_name}), email, ttl, serial,
       status, action, description, type, masters, transferred_at, version, created_at,
       updated_at, refresh, retry, expire, minimum, recordset_count, record_count
FROM zones t, {series} WHERE t.name = '{TEMPLATE}';
INSERT INTO recordsets (zone_id, id, project_id, zone_name, name, type, ttl, description, status,
                        action, version, created_at, updated_at, managed, provider_meta)
SELECT {new_zone}, md5(r.id || g)::uuid::text, r.project_id, {new_name},
       replace(r.name, '{TEMPLATE}', {new_name}), r.type, r.ttl, r.description, r.status,
       r.action, r.version, r.created_at, r.updated_at, r.managed, r.provider_meta
FROM recordsets r JOIN zones t ON t.id = r.zone_id AND t.name = '{TEMPLATE}', {series};
INSERT INTO records (zone_id, recordset_id, position, id, data)
SELECT {new_zone}, md5(d.recordset_id || g)::uuid::text, d.position, md5(d.id || g)::uuid::text,
       replace(d.data, '{TEMPLATE}', {new_name})
FROM records d JOIN zones t ON t.id = d.zone_id AND t.name = '{TEMPLATE}', {series};
""")
        log(f"  zones {end}/{ZONES}")
    q("ANALYZE")


def dns_ready(port, name):
    try:
        r = dns.query.udp(dns.message.make_query(name, "SOA"), "127.0.0.1", port=port, timeout=1)
        return bool(r.answer)
    except Exception:  # noqa: BLE001 - not up yet
        return False


def timed_start(srv):
    t0 = time.perf_counter()
    srv.start(timeout=1800)
    while not dns_ready(srv.dns_port, f"z{ZONES}.scale.test."):
        time.sleep(0.05)
    return time.perf_counter() - t0


def page_costs(srv):
    s = srv.session()
    first, last = [], []
    # The marker of the last page: the id of the zone just before it (the
    # default sort is created_at, id; every copy shares created_at).
    r = s.get("/v2/zones", params={"limit": 1, "sort_key": "id", "sort_dir": "desc"})
    ids = [z["id"] for z in r.json()["zones"]]
    r = s.get("/v2/zones", params={"limit": 101, "sort_key": "id", "sort_dir": "desc"})
    marker = r.json()["zones"][-1]["id"]
    for _ in range(20):
        t0 = time.perf_counter()
        r = s.get("/v2/zones", params={"limit": 100, "sort_key": "id"})
        first.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200 and len(r.json()["zones"]) == 100, r.text[:200]
        t0 = time.perf_counter()
        r = s.get("/v2/zones", params={"limit": 100, "sort_key": "id", "marker": marker})
        last.append((time.perf_counter() - t0) * 1000)
        got = r.json()["zones"]
        assert r.status_code == 200 and len(got) == 100 and got[-1]["id"] == ids[0], r.text[:200]
    f, la = statistics.median(first), statistics.median(last)
    return {"first_page_ms": round(f, 2), "last_page_ms": round(la, 2),
            "last_over_first": round(la / f, 2)}


def catalog_transfer(srv):
    t0 = time.perf_counter()
    size = records = 0
    for msg in dns.query.xfr("127.0.0.1", CATALOG, port=srv.dns_port, timeout=600):
        size += len(msg.to_wire())
        records += sum(len(rrset) for rrset in msg.answer)
    return {"catalog_records": records, "catalog_axfr_bytes": size,
            "catalog_axfr_s": round(time.perf_counter() - t0, 2)}


def main():
    pg = PgServer.start()
    tmp = pg.root / "work"
    tmp.mkdir()
    out = {"zones": ZONES + 1, "records_per_zone": SETS * VALUES,
           "records": (ZONES + 1) * SETS * VALUES, "load_before": os.getloadavg()[0]}
    try:
        # The default 128 MB of shared buffers makes every index insert a
        # read at this size.
        pg.psql("ALTER SYSTEM SET shared_buffers = '4GB'")
        pg.psql("ALTER SYSTEM SET max_wal_size = '8GB'")
        pg.stop_server()
        pg.start_server()
        pg.psql("CREATE DATABASE scale")
        db_url = pg.url("scale")
        log("template zone through the API")
        make_template(pg, tmp, db_url)
        log(f"copying it {ZONES} times")
        t0 = time.perf_counter()
        copy_zones(pg, "scale")
        out["generate_s"] = round(time.perf_counter() - t0, 1)
        out["database_bytes"] = int(pg.psql("SELECT pg_database_size('scale')"))
        srv = node(tmp / "node", db_url)
        log("first start (writes the catalog)")
        out["first_start_s"] = round(timed_start(srv), 2)
        out["rss_mib"] = rss_mib(srv.proc.pid)
        out.update(catalog_transfer(srv))
        srv.stop(timeout=120)
        log("restart")
        out["restart_s"] = round(timed_start(srv), 2)
        out.update(page_costs(srv))
        srv.stop(timeout=120)
    finally:
        pg.stop()
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
