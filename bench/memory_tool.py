#!/usr/bin/python3
"""Helpers for bench/memory.sh (RSS of a 1,000,000-record zone, dnsplane vs
Knot DNS). Each subcommand prints one JSON object on stdout.

  samples  --api URL --zone NAME --records N
           creates the zone through the API and, for each record type of the
           plan (bench/dns_tool.py zone_plan: 60% A, 20% AAAA, 10% TXT, 5% MX,
           5% CNAME), its first record set; these are the rows the bulk step
           copies the shape of
  bulk     --db FILE --zone NAME --records N
           (server stopped) checks that the rows the API wrote for the samples
           are exactly what this generator would write for them (every column
           but ids and timestamps, and the timestamps' format), then inserts
           every other record set of the plan with dnsplane's own schema
  zonefile --port P --zone NAME --out FILE --records N
           AXFR from dnsplane (kdig) into a zone file for Knot; checks the count
  report   --json FILE --results MD          the "## Memory" section of MD
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_tool import insert_rows  # noqa: E402  (same bench folder)
from dns_tool import Api, zone_plan  # noqa: E402

SEED = 20240601


def plan_for(zone: str, records: int) -> list[tuple[str, str, str]]:
    """dns_tool's plan (the mix bench/dns.sh uses), with AAAA values that stay
    valid past 65,535 records (dns_tool writes 2001:db8::<i hex>), in the
    canonical compressed form."""
    out, n_aaaa = [], 0
    base = int(ipaddress.IPv6Address("2001:db8::"))
    for owner, rtype, data in zone_plan(zone, records, random.Random(SEED)):
        if rtype == "AAAA":
            data = ipaddress.IPv6Address(base + n_aaaa).compressed
            n_aaaa += 1
        out.append((owner, rtype, data))
    return out


def first_of_each_type(plan) -> dict[str, int]:
    first: dict[str, int] = {}
    for i, (_, rtype, _) in enumerate(plan):
        first.setdefault(rtype, i)
    return first


def cmd_samples(a) -> dict:
    api = Api(a.api)
    zone = api.call("POST", "/v2/zones", {"name": a.zone, "email": "bench@example.org"})
    plan = plan_for(a.zone, a.records)
    for rtype, i in first_of_each_type(plan).items():
        owner, _, data = plan[i]
        api.call("POST", f"/v2/zones/{zone['id']}/recordsets",
                 {"name": owner, "type": rtype, "records": [data]})
    return {"zone_id": zone["id"], "samples": len(first_of_each_type(plan))}


def rows_for(zone_id, project_id, zone_name, owner, rtype, data, now, rs_id=None,
             rec_id=None):
    rs_id = rs_id or str(uuid.uuid4())
    recordset = {"id": rs_id, "zone_id": zone_id, "project_id": project_id,
                 "zone_name": zone_name, "name": owner, "type": rtype, "ttl": None,
                 "description": "", "status": "ACTIVE", "action": "NONE", "version": 1,
                 "created_at": now, "updated_at": None, "managed": 0}
    record = {"id": rec_id or str(uuid.uuid4()), "zone_id": zone_id, "recordset_id": rs_id,
              "position": 0, "data": data}
    return recordset, record


def shape(value):
    """Timestamps compare by format only (digits masked)."""
    return re.sub(r"\d", "0", value) if isinstance(value, str) else value


def cmd_bulk(a) -> dict:
    began = time.monotonic()
    con = sqlite3.connect(a.db)
    con.row_factory = sqlite3.Row
    zone_id, project_id, zone_name = con.execute(
        "SELECT id, project_id, name FROM zones WHERE name = ? AND status <> 'DELETED'",
        (a.zone,)).fetchone()
    plan = plan_for(a.zone, a.records)
    first = first_of_each_type(plan)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")

    # 1. The API's rows for the samples against this generator's rows.
    ignore = {"id", "recordset_id"}
    stamps = {"created_at", "updated_at"}
    for rtype, i in first.items():
        owner, _, data = plan[i]
        api_rs = con.execute("SELECT * FROM recordsets WHERE zone_id = ? AND name = ? AND "
                             "type = ?", (zone_id, owner, rtype)).fetchone()
        if api_rs is None:
            raise SystemExit(f"bulk: sample {owner} {rtype} missing: run `samples` first")
        api_recs = con.execute("SELECT * FROM records WHERE zone_id = ? AND recordset_id = ?",
                               (zone_id, api_rs["id"])).fetchall()
        gen_rs, gen_rec = rows_for(zone_id, project_id, zone_name, owner, rtype, data, now)
        for table, api_row, gen_row in (("recordsets", dict(api_rs), gen_rs),
                                        ("records", dict(api_recs[0]), gen_rec)):
            if len(api_recs) != 1:
                raise SystemExit(f"bulk: sample {owner} {rtype} has {len(api_recs)} records")
            if set(api_row) != set(gen_row):
                raise SystemExit(f"bulk: {table} columns {sorted(api_row)} differ from the "
                                 f"generator's {sorted(gen_row)}: update memory_tool.py")
            for col, value in api_row.items():
                if col in ignore:
                    continue
                want, got = (shape(value), shape(gen_row[col])) if col in stamps else \
                    (value, gen_row[col])
                if col in stamps and value is None:
                    want = None
                if want != got:
                    raise SystemExit(f"bulk: {table}.{col} of {owner} {rtype}: the API wrote "
                                     f"{value!r}, the generator would write {gen_row[col]!r}")

    # 2. Everything else of the plan, in the shape just checked. The rows go
    # in sorted by (name, type) with random UUIDs handed out in sorted order,
    # so that every index of both tables grows at its end (random keys make
    # each insert a random B-tree page write: several times slower). The
    # rollback journal instead of WAL writes the new pages once; dnsplane
    # switches the file back to WAL when it opens it.
    sample_rows = set(first.values())
    con.row_factory = None
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1048576")  # the default 2 MiB re-reads index pages
    order = sorted((i for i in range(len(plan)) if i not in sample_rows),
                   key=lambda i: (plan[i][0], plan[i][1]))
    rs_ids = sorted(str(uuid.uuid4()) for _ in order)
    rec_ids = sorted(str(uuid.uuid4()) for _ in order)
    batch_rs, batch_rec, total = [], [], 0
    with con:
        for n, i in enumerate(order):
            owner, rtype, data = plan[i]
            rs, rec = rows_for(zone_id, project_id, zone_name, owner, rtype, data, now,
                               rs_ids[n], rec_ids[n])
            batch_rs.append(rs)
            batch_rec.append(rec)
            if len(batch_rs) == 50_000:
                insert_rows(con, "recordsets", batch_rs)
                insert_rows(con, "records", batch_rec)
                total += len(batch_rs)
                batch_rs, batch_rec = [], []
        if batch_rs:
            insert_rows(con, "recordsets", batch_rs)
            insert_rows(con, "records", batch_rec)
            total += len(batch_rs)
    con.close()
    return {"inserted": total, "samples_via_api": len(first),
            "seconds": round(time.monotonic() - began, 1)}


def cmd_zonefile(a) -> dict:
    """kdig AXFR (SOA first and last) -> zone file with one SOA."""
    began = time.monotonic()
    out = subprocess.run(["kdig", "@127.0.0.1", "-p", str(a.port), a.zone, "AXFR",
                          "+nostats", "+noheader"], capture_output=True, text=True,
                         timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"zonefile: kdig failed: {out.stderr[-500:]}")
    lines = [ln for ln in out.stdout.splitlines() if ln and not ln.startswith(";")]
    if len(lines) < 2 or lines[0].split()[3] != "SOA" or lines[-1].split()[3] != "SOA":
        raise SystemExit("zonefile: AXFR did not start and end with the SOA")
    lines = lines[:-1]
    types: dict[str, int] = {}
    for ln in lines:
        t = ln.split()[3]
        types[t] = types.get(t, 0) + 1
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    data_records = len(lines) - types.get("SOA", 0) - types.get("NS", 0)
    if data_records != a.records:
        raise SystemExit(f"zonefile: AXFR holds {data_records} records besides SOA/NS, "
                         f"expected {a.records}: {types}")
    return {"records": len(lines), "types": types,
            "seconds": round(time.monotonic() - began, 1)}


def cmd_report(a) -> dict:
    r = json.load(open(a.json))
    d, k = r["dnsplane"], r["knot"]
    ratio = d["rss_kib"] / k["rss_kib"] if k["rss_kib"] else None
    lines = [
        "## Memory", "",
        f"Measured {r['date']} with `{r['command']}` on {r['machine']}; binary `{r['bin']}` "
        f"({r['build']}). The machine was shared with other engineers' work: `uptime` "
        f"before: `{r['uptime_before']}`; after: `{r['uptime_after']}`.", "",
        f"One zone of {r['records']:,} records (one record per record set: 60% A, 20% AAAA, "
        "10% TXT, 5% MX, 5% CNAME; plus SOA and NS), served by each server alone; resident "
        "memory read from `/proc/<pid>/status` (VmRSS) and `smaps_rollup` (Pss) once the "
        "last name of the zone answers.", "",
        "| server | VmRSS (MiB) | PSS (MiB) | ready after start (s) |",
        "|---|---:|---:|---:|",
        f"| dnsplane {r.get('dnsplane_version', '')} | {d['rss_kib'] / 1024:,.1f} | "
        f"{d['pss_tree_kib'] / 1024:,.1f} | {d['ready_s']} |",
        f"| knot {r.get('knot_version', '')} | {k['rss_kib'] / 1024:,.1f} | "
        f"{k['pss_tree_kib'] / 1024:,.1f} | {k['ready_s']} |",
        "",
        f"**dnsplane / Knot RSS: {ratio:.2f}** (target ≤ 2)." if ratio else "no Knot RSS",
        "",
        "How the zone was made: the zone and one record set of each type were created "
        "through dnsplane's API; `memory_tool.py bulk` then checked that the rows the API "
        "wrote are column for column what the generator writes (ids and timestamps aside) "
        f"and inserted the other {r['bulk']['inserted']:,} record sets straight into that "
        f"dnsplane-created SQLite file ({r['bulk']['seconds']} s), and dnsplane was "
        "restarted on it. Knot serves the zone file taken from dnsplane by AXFR "
        f"({r['zonefile']['seconds']} s), so both hold the same records.",
        "",
    ]
    section = "\n".join(lines)
    md = open(a.results).read() if os.path.exists(a.results) else "# Benchmark results\n"
    pattern = re.compile(r"^## Memory\n.*?(?=^## |\Z)", re.S | re.M)
    md = pattern.sub(lambda _: section + "\n", md) if pattern.search(md) else \
        md.rstrip() + "\n\n" + section
    with open(a.results, "w") as f:
        f.write(md)
    print(section, file=sys.stderr)
    return {"ratio": ratio}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("samples")
    s.add_argument("--api", required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--records", type=int, required=True)
    s = sub.add_parser("bulk")
    s.add_argument("--db", required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--records", type=int, required=True)
    s = sub.add_parser("zonefile")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--zone", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--records", type=int, required=True)
    s = sub.add_parser("report")
    s.add_argument("--json", required=True)
    s.add_argument("--results", required=True)
    a = p.parse_args()
    handler = {"samples": cmd_samples, "bulk": cmd_bulk, "zonefile": cmd_zonefile,
               "report": cmd_report}[a.cmd]
    print(json.dumps(handler(a)))


if __name__ == "__main__":
    main()
