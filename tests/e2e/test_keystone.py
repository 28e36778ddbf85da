"""--auth keystone against a real Keystone (Debian's python3-keystone on SQLite,
served by its keystone-wsgi-public script under wsgiref): one Keystone per
module; dnsplane validates every X-Auth-Token with GET /v3/auth/tokens."""

import os
import shutil
import subprocess
import sys
import time

import pytest
import requests

from dnsplane_harness import free_port, unique_zone_name

pytestmark = [
    # Unfinished (issue 16 part 2): on the shared CI host Keystone under
    # wsgiref answered too slowly (validation timed out); opt in with
    # DNSPLANE_KEYSTONE_E2E=1 until that is understood.
    pytest.mark.skipif(os.environ.get("DNSPLANE_KEYSTONE_E2E") != "1",
                       reason="set DNSPLANE_KEYSTONE_E2E=1 to run the Keystone e2e"),
    pytest.mark.skipif(shutil.which("keystone-manage") is None or
                       shutil.which("keystone-wsgi-public") is None,
                       reason="python3-keystone is not installed"),
    # Setting Keystone up (db_sync, keys, one bootstrap per user) takes
    # minutes on a loaded machine; it happens once per module.
    pytest.mark.timeout(900),
]

ADMIN_PW = "keystone-admin-pw"
PW = "user-pw"


class Keystone:
    def __init__(self, tmp):
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.conf = tmp / "keystone.conf"
        (tmp / "fernet").mkdir()
        (tmp / "credential").mkdir()
        self.conf.write_text(f"""[DEFAULT]
log_file = {tmp}/keystone.log
[database]
connection = sqlite:///{tmp}/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = {tmp}/fernet
[credential]
key_repository = {tmp}/credential
[cache]
enabled = false
""")
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("OS_")},
                    "OS_KEYSTONE_CONFIG_FILES": str(self.conf)}
        self.proc = None

    def manage(self, *args):
        r = subprocess.run(["keystone-manage", "--config-file", str(self.conf), *args],
                           env=self.env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"keystone-manage {args[0]}: {r.stderr[-2000:]}"

    def start(self, users=()):
        self.manage("db_sync")
        user = os.environ.get("USER", "root")
        self.manage("fernet_setup", "--keystone-user", user, "--keystone-group", user)
        self.manage("credential_setup", "--keystone-user", user, "--keystone-group", user)
        self.manage("bootstrap", "--bootstrap-password", ADMIN_PW,
                    "--bootstrap-admin-url", self.url + "/v3/",
                    "--bootstrap-public-url", self.url + "/v3/",
                    "--bootstrap-internal-url", self.url + "/v3/",
                    "--bootstrap-region-id", "RegionOne")
        # Users are made by bootstrap too, before the server runs: Keystone's
        # user API on SQLite fails with "database is locked" (nested sessions).
        for name, project, role in users:
            self.manage("bootstrap", "--bootstrap-username", name, "--bootstrap-password", PW,
                        "--bootstrap-project-name", project, "--bootstrap-role-name", role)
        log = open(self.tmp / "wsgi.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, shutil.which("keystone-wsgi-public"), "--host", "127.0.0.1",
             "--port", str(self.port)], env=self.env, stdout=log, stderr=log,
            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v3", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert self.proc.poll() is None, (self.tmp / "wsgi.log").read_text()[-2000:]
            time.sleep(0.3)
        raise AssertionError("keystone did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def token(self, user, password, project):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
        r = requests.post(self.url + "/v3/auth/tokens", json=body, timeout=30)
        assert r.status_code == 201, r.text
        return r.headers["X-Subject-Token"], r.json()["token"]


@pytest.fixture(scope="module")
def keystone(tmp_path_factory):
    ks = Keystone(tmp_path_factory.mktemp("keystone"))
    try:
        ks.start(users=[("dnsplane-svc", "service", "admin"), ("alice", "acme", "member"),
                        ("rita", "acme", "reader"), ("bob", "beta", "member")])
        yield ks
    finally:
        ks.stop()


@pytest.fixture(scope="module")
def server(keystone, dnsplane_module_factory):
    return dnsplane_module_factory(
        auth="keystone", flags={"keystone-url": keystone.url, "keystone-user": "dnsplane-svc",
                                "keystone-project": "service", "keystone-cache-seconds": "2"},
        env={"DNSPLANE_KEYSTONE_PASSWORD": PW})


def as_(server, keystone, user, project, **kw):
    token, body = keystone.token(user, PW, project)
    s = server.session(token=token, **kw)
    return s, body


def test_member_token_acts_in_its_keystone_project(server, keystone):
    alice, body = as_(server, keystone, "alice", "acme")
    r = alice.post("/v2/zones", json={"name": unique_zone_name("ks"), "email": "h@example.org"})
    assert r.status_code == 202, r.text
    assert r.json()["project_id"] == body["project"]["id"]
    zone_id = r.json()["id"]
    rita, _ = as_(server, keystone, "rita", "acme")
    assert rita.get(f"/v2/zones/{zone_id}").status_code == 200
    assert rita.delete(f"/v2/zones/{zone_id}").status_code == 403
    bob, _ = as_(server, keystone, "bob", "beta")
    assert bob.get(f"/v2/zones/{zone_id}").status_code == 404


def test_unknown_or_missing_token_is_401(server):
    assert server.session(token="not-a-keystone-token").get("/v2/zones").status_code == 401
    assert server.session(token=None).get("/v2/zones").status_code in (401,)


def test_admin_all_projects_and_sudo(server, keystone):
    alice, body = as_(server, keystone, "alice", "acme")
    r = alice.post("/v2/zones", json={"name": unique_zone_name("ks"), "email": "h@example.org"})
    zone_id = r.json()["id"]
    # The bootstrap admin's password differs from the test users'.
    token, _ = keystone.token("admin", ADMIN_PW, "admin")
    admin = server.session(token=token, all_projects=True)
    assert zone_id in [z["id"] for z in admin.get("/v2/zones?limit=1000").json()["zones"]]
    sudo = server.session(token=token)
    sudo.headers["X-Auth-Sudo-Project-ID"] = body["project"]["id"]
    assert sudo.get(f"/v2/zones/{zone_id}").status_code == 200
    # A member may not use the admin headers.
    alice.headers["X-Auth-All-Projects"] = "true"
    assert alice.get("/v2/zones").status_code == 403


def test_revoked_token_stops_working_after_the_cache(server, keystone):
    alice, _ = as_(server, keystone, "alice", "acme")
    token = alice.headers["X-Auth-Token"]
    assert alice.get("/v2/zones").status_code == 200
    admin_tok = keystone.token("admin", ADMIN_PW, "admin")[0]
    r = requests.delete(keystone.url + "/v3/auth/tokens",
                        headers={"X-Auth-Token": admin_tok, "X-Subject-Token": token}, timeout=30)
    assert r.status_code == 204
    time.sleep(2.5)  # --keystone-cache-seconds 2
    assert alice.get("/v2/zones").status_code == 401
