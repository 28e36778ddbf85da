"""A throw-away PostgreSQL server for end-to-end tests, from Debian's
`postgresql` package (/usr/lib/postgresql/<version>/bin: initdb, pg_ctl), in a
temporary folder, listening on a unix socket and on a free loopback TCP port.
As root the server runs as the `postgres` user (PostgreSQL refuses root).

    pg = PgServer.start(tmp_dir)     # once per module or session
    url = pg.new_database()          # fresh empty database, socket-form URL
    pg.stop()
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from dnsplane_harness import free_port


def pg_bindir() -> Optional[str]:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    for d in reversed(dirs):
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    return None


class PgServer:
    def __init__(self, root: Path, bindir: str):
        self.root = root
        self.bindir = bindir
        self.data = root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self._count = 0

    def _run(self, args, check=True):
        if self.as_postgres:
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, check=check, capture_output=True, text=True, timeout=120)

    @classmethod
    def start(cls, root: Optional[Path] = None, durable: bool = False) -> "PgServer":
        """durable: PostgreSQL's own defaults (fsync, synchronous_commit);
        otherwise both off, as tests need no crash safety of the server."""
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found under "
                               "/usr/lib/postgresql/*/bin (apt-get install postgresql)")
        root = Path(root or tempfile.mkdtemp(prefix="dnsplane-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        srv = cls(root, bindir)
        srv.durable = durable
        if srv.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(root, pw.pw_uid, pw.pw_gid)
            # The server must be able to reach its folder through the parents.
            p = root
            while p != p.parent:
                p = p.parent
                try:
                    os.chmod(p, os.stat(p).st_mode | 0o011)
                except OSError:
                    pass
        srv._run([f"{bindir}/initdb", "-D", str(srv.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        srv.start_server()
        return srv

    def _options(self) -> str:
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c max_connections=400"
        if not getattr(self, "durable", False):
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return opts

    def url(self, db: str) -> str:
        return f"postgresql:///{db}?host={self.root}&port={self.port}&user=postgres"

    def tcp_url(self, db: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres") -> str:
        r = self._run([f"{self.bindir}/psql", "-X", "-q", "-A", "-t",
                       "-h", str(self.root), "-p", str(self.port), "-U", "postgres", "-d", db,
                       "-c", sql])
        return r.stdout.strip()

    def new_database(self) -> str:
        self._count += 1
        name = f"e2e_{os.getpid()}_{self._count}"
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop_server(self, mode: str = "fast"):
        self._run([f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"],
                  check=False)

    def start_server(self):
        self._run([f"{self.bindir}/pg_ctl", "-D", str(self.data), "-l",
                   str(self.root / "server.log"), "-w", "-t", "60", "-o", self._options(),
                   "start"])

    def stop(self):
        self.stop_server("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
