"""Runs the real dnsplane binary for end-to-end tests.

A `Dnsplane` is one server process on free loopback ports with its own
temporary directory (database, config file, stdout/stderr logs). The pytest
fixtures in conftest.py create them; tests may also use the helpers below
(`run_cli`, `create_token`, `free_port`, ...) directly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Iterable, Mapping, Optional

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 15.0  # seconds until GET / must answer
STOP_TIMEOUT = 10.0  # seconds a SIGTERM'd server may take to exit


def binary_path() -> Path:
    """The dnsplane binary under test: $DNSPLANE_BIN or <repo>/build/dnsplane."""
    return Path(os.environ.get("DNSPLANE_BIN") or REPO_ROOT / "build" / "dnsplane")


# Ports handed out by this process; never handed out twice, so that two
# servers started by one test cannot pick the same port before binding it.
_handed_out: set[int] = set()


def free_port(udp_too: bool = False) -> int:
    """A loopback port that is free now (TCP, and UDP too when asked)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port in _handed_out:
            continue
        if udp_too:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free loopback port found")


# DNSPLANE_TEST_DATABASE=postgres (conftest.py): a function returning a fresh
# PostgreSQL database URL, used as every server's default database.
database_url_factory = None


def sqlite_url(path: Path) -> str:
    return f"sqlite://{Path(path).resolve()}"  # sqlite:///abs/path.db


def run_cli(args: Iterable[str], env: Optional[Mapping[str, str]] = None,
            timeout: float = 30, cwd: Optional[Path] = None) -> subprocess.CompletedProcess:
    """Runs `dnsplane <args>` to completion and returns the CompletedProcess
    (text stdout/stderr). DNSPLANE_* variables of the test runner's own
    environment are dropped so they cannot leak into the test."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DNSPLANE_")}
    full_env.update(env or {})
    return subprocess.run([str(binary_path()), *args], env=full_env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def create_token(database_url: str, project: str, role: str) -> str:
    """`dnsplane token create`; returns the secret (the last stdout line)."""
    r = run_cli(["token", "create", "--database", database_url,
                 "--project", project, "--role", role])
    assert r.returncode == 0, f"token create failed ({r.returncode}): {r.stderr}"
    lines = [ln.strip() for ln in r.stdout.splitlines() if ln.strip()]
    assert lines, f"token create printed nothing; stderr: {r.stderr}"
    return lines[-1]


class ApiSession(requests.Session):
    """A requests.Session that prefixes paths starting with "/" with the
    server's base URL and applies a default timeout."""

    def __init__(self, base_url: str, timeout: float = 10.0):
        super().__init__()
        self.base_url = base_url
        self.default_timeout = timeout

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, *args, **kwargs)


class StartError(AssertionError):
    """The server did not come up; the message carries its stderr."""


class Dnsplane:
    """One dnsplane server process.

    `flags` are the `serve` flags (name without the leading "--" -> value);
    the defaults are a SQLite file in `tmpdir` and free loopback API/DNS
    ports. A flag set to None is left out (so that a config file or the
    environment decides it); a value of True is a bare flag (`--insecure`).
    """

    def __init__(self, tmpdir: Path, auth: Optional[str] = None,
                 config_text: Optional[str] = None,
                 extra_args: Iterable[str] = (), env: Optional[Mapping[str, str]] = None,
                 flags: Optional[Mapping[str, object]] = None):
        self.tmpdir = Path(tmpdir)
        self.tmpdir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.tmpdir / "dnsplane.db"
        self.db_url = (database_url_factory() if database_url_factory is not None
                       else sqlite_url(self.db_path))
        self.api_port = free_port()
        self.dns_port = free_port(udp_too=True)
        self.api_host = "127.0.0.1"
        self.webhook_port = free_port()
        self.health_port = free_port()
        self.config_path: Optional[Path] = None
        if config_text is not None:
            self.config_path = self.tmpdir / "dnsplane.toml"
            self.config_path.write_text(config_text)
        self.flags: dict[str, object] = {
            "database": self.db_url,
            "api-listen": f"127.0.0.1:{self.api_port}",
            "dns-listen": f"127.0.0.1:{self.dns_port}",
            "webhook-listen": f"127.0.0.1:{self.webhook_port}",
            "health-listen": f"127.0.0.1:{self.health_port}",
        }
        if auth is not None:
            self.flags["auth"] = auth
        if self.config_path is not None:
            self.flags["config"] = str(self.config_path)
        self.flags.update(flags or {})
        self.extra_args = list(extra_args)
        self.env = dict(env or {})
        self.stdout_path = self.tmpdir / "stdout.log"
        self.stderr_path = self.tmpdir / "stderr.log"
        self.proc: Optional[subprocess.Popen] = None
        self.last_start_seconds: Optional[float] = None

    # --- addresses -------------------------------------------------------
    @property
    def api(self) -> str:
        """Base URL of the API, e.g. "http://127.0.0.1:40123"."""
        return f"http://{self.api_host}:{self.api_port}"

    def url(self, path: str) -> str:
        return self.api + path

    @property
    def webhook(self) -> str:
        """Base URL of the ExternalDNS webhook listener."""
        return f"http://127.0.0.1:{self.webhook_port}"

    @property
    def health(self) -> str:
        """Base URL of the /healthz and /metrics listener."""
        return f"http://127.0.0.1:{self.health_port}"

    # --- process control -------------------------------------------------
    def command(self, extra_args: Iterable[str] = ()) -> list[str]:
        cmd = [str(binary_path()), "serve"]
        for name, value in self.flags.items():
            if value is None or value is False:
                continue
            cmd.append(f"--{name}")
            if value is not True:
                cmd.append(str(value))
        return cmd + self.extra_args + list(extra_args)

    def spawn(self, extra_args: Iterable[str] = ()) -> subprocess.Popen:
        """Starts the process without waiting for it to answer."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DNSPLANE_")}
        env.update(self.env)
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            self.proc = subprocess.Popen(self.command(extra_args), stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=env, cwd=self.tmpdir)
        return self.proc

    def start(self, extra_args: Iterable[str] = (), timeout: float = START_TIMEOUT) -> "Dnsplane":
        """Starts the server and waits until GET / answers."""
        began = time.monotonic()
        self.spawn(extra_args)
        self.wait_ready(timeout)
        self.last_start_seconds = time.monotonic() - began
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise StartError(f"dnsplane exited with {code} before answering; "
                                 f"command: {' '.join(self.command())}\n"
                                 f"stderr:\n{self.stderr_text()}")
            try:
                # 503: the listener is up but zones are still loading (STARTING).
                if requests.get(self.api + "/", timeout=1).status_code != 503:
                    return
                last_error = "503 while starting"
            except requests.RequestException as e:
                last_error = str(e)
            time.sleep(0.05)
        self.kill()
        raise StartError(f"dnsplane did not answer GET / within {timeout}s ({last_error}); "
                         f"stderr:\n{self.stderr_text()}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT, expect_code: Optional[int] = 0) -> int:
        """SIGTERM, wait, and (by default) assert a clean exit code 0."""
        assert self.proc is not None, "never started"
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(f"dnsplane did not exit within {timeout}s of SIGTERM; "
                                     f"stderr:\n{self.stderr_text()}")
        code = self.proc.returncode
        if expect_code is not None:
            assert code == expect_code, (f"dnsplane exited with {code}, expected {expect_code};"
                                         f" stderr:\n{self.stderr_text()}")
        return code

    def kill(self) -> None:
        """SIGKILL (a crash): no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def restart(self, extra_args: Iterable[str] = ()) -> "Dnsplane":
        """Graceful stop (asserting exit 0) and start on the same ports and database."""
        self.stop()
        return self.start(extra_args)

    def cleanup(self) -> None:
        """Teardown: ends a leftover process, politely first."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    # --- output ----------------------------------------------------------
    def stderr_text(self) -> str:
        """Everything the process wrote to stderr, over all of its runs."""
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def stdout_text(self) -> str:
        return self.stdout_path.read_text(errors="replace") if self.stdout_path.exists() else ""

    # --- clients ---------------------------------------------------------
    def session(self, project: str = "default", roles: str = "admin",
                token: Optional[str] = None, all_projects: bool = False) -> ApiSession:
        """An HTTP session against this server. Without a token it sends the
        --auth none headers (X-Auth-Project-ID, X-Roles); with one it sends
        only X-Auth-Token."""
        s = ApiSession(self.api)
        s.headers["Accept"] = "application/json"
        if token is not None:
            s.headers["X-Auth-Token"] = token
        else:
            s.headers["X-Auth-Project-ID"] = project
            s.headers["X-Roles"] = roles
        if all_projects:
            s.headers["X-Auth-All-Projects"] = "true"
        return s

    def create_token(self, project: str, role: str) -> str:
        """A token for this server's database (works whether or not it runs)."""
        return create_token(self.db_url, project, role)

    def query(self, qname: str, rdtype: str = "A", tcp: bool = False, timeout: float = 3.0):
        """One DNS query to this server's DNS port (dnspython message)."""
        import dns.message
        import dns.query

        q = dns.message.make_query(qname, rdtype)
        send = dns.query.tcp if tcp else dns.query.udp
        return send(q, "127.0.0.1", port=self.dns_port, timeout=timeout)


# --- small API helpers shared by tests -------------------------------------
def unique_zone_name(prefix: str = "z") -> str:
    """A zone name no other test uses: "<prefix>-<random>.example.org."."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}.example.org."


def create_zone(session: requests.Session, name: Optional[str] = None,
                email: str = "hostmaster@example.org", **fields) -> dict:
    """POST /v2/zones and return the body (asserting 202)."""
    body = {"name": name or unique_zone_name(), "email": email, **fields}
    r = session.post("/v2/zones", json=body)
    assert r.status_code == 202, f"create zone: {r.status_code} {r.text}"
    return r.json()


def create_recordset(session: requests.Session, zone_id: str, name: str, rtype: str,
                     records: list, **fields) -> dict:
    """POST /v2/zones/{id}/recordsets and return the body (asserting 202)."""
    body = {"name": name, "type": rtype, "records": records, **fields}
    r = session.post(f"/v2/zones/{zone_id}/recordsets", json=body)
    assert r.status_code == 202, f"create recordset: {r.status_code} {r.text}"
    return r.json()


def list_all(session: requests.Session, path: str, key: str, limit: int = 1000) -> list:
    """Every item of a collection, following links.next."""
    items = []
    url = f"{path}{'&' if '?' in path else '?'}limit={limit}"
    while url:
        r = session.get(url)
        assert r.status_code == 200, f"GET {url}: {r.status_code} {r.text}"
        body = r.json()
        items.extend(body[key])
        url = body.get("links", {}).get("next")
    return items


def assert_designate_error(r: requests.Response, code: int, type_: Optional[str] = None) -> dict:
    """r is an error in Designate's shape ({code, type, message, request_id});
    returns the body."""
    assert r.status_code == code, f"expected {code}, got {r.status_code}: {r.text}"
    body = r.json()
    assert body["code"] == code
    assert isinstance(body["type"], str) and body["type"]
    if type_ is not None:
        assert body["type"] == type_, body
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"].startswith("req-")
    return body
