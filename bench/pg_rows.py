#!/usr/bin/python3
"""What PostgreSQL itself costs for a batch of record set creates (issue 14),
apart from dnsplane: pgbench, one client, against a throw-away durable
PostgreSQL (fsync and synchronous_commit on) whose schema and zone dnsplane
made (PRELOAD sets through the API, then the node is stopped).

One transaction = one batch of BATCH single-value creates, in these shapes:
  as_sent        what dnsplane sent until session 11: per create SAVEPOINT,
                 INSERT recordsets, INSERT records, RELEASE; the counts; COMMIT
  single_rows    as_sent without the savepoints
  multi_row      the same rows as two multi-row INSERTs, no savepoints (what
                 it sends now, src/store/postgres/README.md)
  no_foreign_keys  multi_row into copies of the tables without foreign keys
  keys_only      multi_row into copies with only the primary keys and the
                 (zone, name, type) key: no list indexes, no id keys, no
                 foreign keys
  commit_only    the counts UPDATE and COMMIT (WAL flush included)
Each shape runs SECONDS in turn, ROUNDS times; prints the median latency
per transaction (ms) and per create (µs) as JSON. A generator, not a test.

  /usr/bin/python3 bench/pg_rows.py      (PRELOAD, BATCH, SECONDS, ROUNDS)
"""

import json
import os
import re
import statistics
import subprocess
import tempfile
from pathlib import Path

# The multi-node bench's server helpers (it puts tests/e2e on the path).
from pg_tool import QUIET, PgServer, create_zone, node, preload_zone

PRELOAD = int(os.environ.get("PRELOAD", "10000"))
BATCH = int(os.environ.get("BATCH", "8"))
SECONDS = int(os.environ.get("SECONDS", "4"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))

RS_COLUMNS = ("id, zone_id, project_id, zone_name, name, type, ttl, description, status, "
              "action, version, created_at, updated_at, managed, provider_meta")
R_COLUMNS = "zone_id, recordset_id, position, id, data"


def scripts(zone):
    """pgbench scripts by shape; every transaction takes fresh ids from a
    sequence, so names and ids grow as dnsplane's (ordered ids) do."""
    zid, zname = zone["id"], zone["name"]

    def key(k):
        return f"lpad((:base + {k})::text, 12, '0')"

    def rs(k):
        return (f"('b-' || {key(k)}, '{zid}', 'default', '{zname}', "
                f"'b' || {key(k)} || '.{zname}', 'A', NULL, '', 'ACTIVE', 'NONE', 1, "
                f"'2026-12-03T00:00:00.000000', NULL, 0, '')")

    def rec(k):
        return f"('{zid}', 'b-' || {key(k)}, 0, 'r-' || {key(k)}, '192.0.2.7')"

    def multi(sets, records):
        return (f"INSERT INTO {sets} ({RS_COLUMNS}) VALUES "
                + ", ".join(rs(k) for k in range(BATCH)) + ";\n"
                + f"INSERT INTO {records} ({R_COLUMNS}) VALUES "
                + ", ".join(rec(k) for k in range(BATCH)) + ";\n")

    head = f"SELECT nextval('bench_rows') * {BATCH} AS base \\gset\n\\startpipeline\nBEGIN;\n"
    counts = (f"UPDATE zones SET recordset_count = recordset_count + {BATCH}, "
              f"record_count = record_count + {BATCH} WHERE id = '{zid}';\n")
    tail = counts + "COMMIT;\n\\endpipeline\n"
    as_sent = "".join(
        f"SAVEPOINT request;\nINSERT INTO recordsets ({RS_COLUMNS}) VALUES {rs(k)};\n"
        f"INSERT INTO records ({R_COLUMNS}) VALUES {rec(k)};\nRELEASE SAVEPOINT request;\n"
        for k in range(BATCH))
    single_rows = "".join(
        f"INSERT INTO recordsets ({RS_COLUMNS}) VALUES {rs(k)};\n"
        f"INSERT INTO records ({R_COLUMNS}) VALUES {rec(k)};\n" for k in range(BATCH))
    return {
        "as_sent": head + as_sent + tail,
        "single_rows": head + single_rows + tail,
        "multi_row": head + multi("recordsets", "records") + tail,
        "no_foreign_keys": head + multi("nofk_recordsets", "nofk_records") + tail,
        "keys_only": head + multi("keys_recordsets", "keys_records") + tail,
        "commit_only": "\\startpipeline\nBEGIN;\n" + tail,
    }


SCRATCH = """
CREATE SEQUENCE bench_rows;
CREATE TABLE nofk_recordsets (LIKE recordsets INCLUDING ALL);
CREATE TABLE nofk_records (LIKE records INCLUDING ALL);
CREATE TABLE keys_recordsets (LIKE recordsets INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE keys_recordsets ADD PRIMARY KEY (zone_id, id);
CREATE UNIQUE INDEX ON keys_recordsets (zone_id, name, type);
CREATE TABLE keys_records (LIKE records INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE keys_records ADD PRIMARY KEY (zone_id, recordset_id, position);
INSERT INTO nofk_recordsets SELECT * FROM recordsets;
INSERT INTO nofk_records SELECT * FROM records;
INSERT INTO keys_recordsets SELECT * FROM recordsets;
INSERT INTO keys_records SELECT * FROM records;
ANALYZE;
"""


def run_pgbench(pg, db, path):
    args = [f"{pg.bindir}/pgbench", "-n", "-M", "prepared", "-c1", f"-T{SECONDS}",
            "-h", str(pg.root), "-p", str(pg.port), "-U", "postgres", "-f", str(path), db]
    if pg.as_postgres:
        args = ["runuser", "-u", "postgres", "--", *args]
    out = subprocess.run(args, capture_output=True, text=True, timeout=SECONDS + 120)
    m = re.search(r"latency average = ([0-9.]+) ms", out.stdout)
    if out.returncode != 0 or not m:
        raise SystemExit(f"pgbench failed on {path.name}:\n{out.stdout}\n{out.stderr}")
    return float(m.group(1))


def main():
    tmp = Path(tempfile.mkdtemp(prefix="dnsplane-pgrows-"))
    pg = PgServer.start(tmp / "pg", durable=True)
    try:
        url = pg.new_database()
        db = re.search(r"///(\w+)", url).group(1)
        srv = node(tmp / "node", {"database": url, **QUIET}).start()
        try:
            zone = create_zone(srv.session())
            preload_zone([srv], zone, PRELOAD)
        finally:
            srv.cleanup()
        pg.psql(SCRATCH, db)
        pg.psql("CHECKPOINT", db)  # no flush of the preload inside a window
        files = {}
        for name, text in scripts(zone).items():
            files[name] = tmp / f"{name}.sql"
            files[name].write_text(text)
            os.chmod(files[name], 0o644)
        os.chmod(tmp, 0o755)
        seen = {name: [] for name in files}
        for _ in range(ROUNDS):
            for name, path in files.items():
                seen[name].append(run_pgbench(pg, db, path))
        out = {"preload": PRELOAD, "batch": BATCH, "seconds": SECONDS, "rounds": ROUNDS,
               "ms_per_batch": {n: round(statistics.median(v), 3) for n, v in seen.items()},
               "ms_per_batch_each_round": seen}
        out["us_per_create"] = {n: round(1000 * ms / BATCH, 1)
                                for n, ms in out["ms_per_batch"].items() if n != "commit_only"}
        print(json.dumps(out, indent=2))
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
