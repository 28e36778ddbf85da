"""A real Keystone for e2e tests (Debian's python3-keystone on SQLite), run by
keystone_server.py in a subprocess; one per test module.

Keystone's cache is on (in-process memory): without it Keystone recomputes a
token's role assignments from SQLite a dozen times per validation (about 500
queries, 1.5-2 s of CPU per GET /v3/auth/tokens on an idle 2-core host), which
on a loaded host outlasted the tests' 10 s request timeout (dnsplane waits 15 s
for Keystone). Revocations still take effect at once: Keystone invalidates
its own cache when a token is revoked."""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import time
from pathlib import Path

import requests

SERVER_SCRIPT = Path(__file__).resolve().parent / "keystone_server.py"
START_TIMEOUT = 180  # import + schema + bootstrap; slow on a loaded host


class Keystone:
    def __init__(self, tmp: Path, admin_password: str):
        self.tmp = Path(tmp)
        self.admin_password = admin_password
        self.url = ""
        self.proc: subprocess.Popen | None = None
        self.conf = self.tmp / "keystone.conf"
        self.log = self.tmp / "keystone.log"
        self.conf.write_text(f"""[DEFAULT]
log_file = {self.log}
[database]
connection = sqlite:///{self.tmp}/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = {self.tmp}/fernet-tokens
[fernet_receipts]
key_repository = {self.tmp}/fernet-receipts
[credential]
key_repository = {self.tmp}/credential
[cache]
enabled = true
backend = dogpile.cache.memory
[identity]
# bcrypt's minimum: test passwords need no brute-force resistance, and every
# password authentication pays this cost.
password_hash_rounds = 4
""")

    def start(self, users=()) -> "Keystone":
        """users: (name, project, role, password) tuples, created before
        Keystone serves (its user API on SQLite fails with "database is
        locked")."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", str(SERVER_SCRIPT), str(self.conf)], env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(self.tmp / "server.stderr", "wb"), text=True)
        self.proc.stdin.write(json.dumps({"admin_password": self.admin_password,
                                          "users": [list(u) for u in users]}))
        self.proc.stdin.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("READY "):
                    self.url = f"http://127.0.0.1:{int(line.split()[1])}"
                    return self
                if not line:
                    break
        self.stop()
        raise AssertionError("keystone did not start: " + self.stderr_tail())

    def stderr_tail(self) -> str:
        path = self.tmp / "server.stderr"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # --- Keystone API ------------------------------------------------------
    def token(self, user: str, password: str, project: str) -> tuple[str, dict]:
        """A project-scoped token by password: (secret, token body)."""
        return self._issue({"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
            {"project": {"name": project, "domain": {"id": "default"}}})

    def admin_token(self) -> str:
        return self.token("admin", self.admin_password, "admin")[0]

    def _issue(self, identity: dict, scope: dict | None = None) -> tuple[str, dict]:
        auth = {"identity": identity}
        if scope is not None:
            auth["scope"] = scope
        r = requests.post(self.url + "/v3/auth/tokens", json={"auth": auth}, timeout=60)
        assert r.status_code == 201, r.text
        return r.headers["X-Subject-Token"], r.json()["token"]

    def call(self, method: str, path: str, token: str, **kw) -> requests.Response:
        headers = {"X-Auth-Token": token, **kw.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=60, **kw)

    def revoke(self, token: str) -> None:
        r = self.call("DELETE", "/v3/auth/tokens", self.admin_token(),
                      headers={"X-Subject-Token": token})
        assert r.status_code == 204, r.text

    def short_lived_token(self, user: str, password: str, project: str,
                          seconds: int) -> tuple[str, dict]:
        """A token that expires in about `seconds`: Keystone caps the lifetime
        of a token issued for an application credential at the credential's
        expiry."""
        user_token, body = self.token(user, password, project)
        expires = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + seconds))
        name = f"short-{time.monotonic_ns()}"
        r = self.call("POST", f"/v3/users/{body['user']['id']}/application_credentials",
                      user_token, json={"application_credential": {
                          "name": name, "expires_at": expires}})
        assert r.status_code == 201, r.text
        cred = r.json()["application_credential"]
        return self._issue({"methods": ["application_credential"], "application_credential": {
            "id": cred["id"], "secret": cred["secret"]}})

    def register_service(self, service_type: str, name: str, url: str) -> None:
        """Adds a service with public/internal/admin endpoints at `url` to the
        catalog (what a Keystone-speaking client looks services up in)."""
        admin = self.admin_token()
        r = self.call("POST", "/v3/services", admin,
                      json={"service": {"type": service_type, "name": name}})
        assert r.status_code == 201, r.text
        service_id = r.json()["service"]["id"]
        for interface in ("public", "internal", "admin"):
            r = self.call("POST", "/v3/endpoints", admin, json={"endpoint": {
                "service_id": service_id, "interface": interface, "url": url,
                "region_id": "RegionOne"}})
            assert r.status_code == 201, r.text


def keystone_installed() -> bool:
    """python3-keystone is importable (found without importing it: that
    takes seconds)."""
    return importlib.util.find_spec("keystone") is not None
