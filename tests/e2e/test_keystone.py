"""--auth keystone against a real Keystone (Debian's python3-keystone on
SQLite, keystone_support.py): dnsplane validates every X-Auth-Token with
GET /v3/auth/tokens using its service credentials, caches answers briefly,
maps the Keystone roles admin/member/reader, honours the admin headers, and
answers 401 in Designate's error shape for invalid, expired and revoked
tokens. The real `openstack` CLI authenticates at Keystone and finds dnsplane
in Keystone's catalog. One Keystone and one dnsplane serve the module."""

import json
import os
import shutil
import subprocess
import time
from datetime import datetime, timezone

import pytest

from dnsplane_harness import assert_designate_error, free_port, unique_zone_name
from keystone_support import Keystone, keystone_installed

pytestmark = pytest.mark.skipif(not keystone_installed(),
                                reason="python3-keystone is not installed")

ADMIN_PW = "keystone-admin-pw"
PW = "user-pw"
CACHE_SECONDS = 2


@pytest.fixture(scope="module")
def keystone(tmp_path_factory):
    ks = Keystone(tmp_path_factory.mktemp("keystone"), ADMIN_PW)
    try:
        ks.start(users=[("dnsplane-svc", "service", "admin", PW), ("alice", "acme", "member", PW),
                        ("rita", "acme", "reader", PW), ("bob", "beta", "member", PW)])
        yield ks
    finally:
        ks.stop()


def keystone_flags(keystone, cache_seconds=CACHE_SECONDS):
    return {"keystone-url": keystone.url, "keystone-user": "dnsplane-svc",
            "keystone-project": "service", "keystone-cache-seconds": str(cache_seconds)}


@pytest.fixture(scope="module")
def server(keystone, dnsplane_module_factory):
    srv = dnsplane_module_factory(auth="keystone", flags=keystone_flags(keystone),
                                  env={"DNSPLANE_KEYSTONE_PASSWORD": PW})
    # What an operator does so that Keystone-speaking clients find dnsplane.
    keystone.register_service("dns", "dnsplane", srv.api)
    return srv


def as_(server, keystone, user, project, password=PW, **kw):
    token, body = keystone.token(user, password, project)
    return server.session(token=token, **kw), body


def new_zone(session):
    r = session.post("/v2/zones", json={"name": unique_zone_name("ks"), "email": "h@example.org"})
    assert r.status_code == 202, r.text
    return r.json()


def test_member_token_acts_in_its_keystone_project(server, keystone):
    alice, body = as_(server, keystone, "alice", "acme")
    zone = new_zone(alice)
    assert zone["project_id"] == body["project"]["id"]
    bob, _ = as_(server, keystone, "bob", "beta")
    assert bob.get(f"/v2/zones/{zone['id']}").status_code == 404
    assert zone["id"] not in [z["id"] for z in bob.get("/v2/zones").json()["zones"]]


def test_keystone_roles_map_to_reader_member_admin(server, keystone):
    alice, _ = as_(server, keystone, "alice", "acme")
    zone = new_zone(alice)
    rita, _ = as_(server, keystone, "rita", "acme")
    assert rita.get(f"/v2/zones/{zone['id']}").status_code == 200
    assert_designate_error(rita.delete(f"/v2/zones/{zone['id']}"), 403, "forbidden")
    assert_designate_error(rita.post("/v2/zones", json={"name": unique_zone_name("ks"),
                                                        "email": "h@example.org"}),
                           403, "forbidden")
    assert_designate_error(alice.get("/v2/blacklists"), 403, "forbidden")
    admin, _ = as_(server, keystone, "admin", "admin", password=ADMIN_PW)
    assert admin.get("/v2/blacklists").status_code == 200
    assert alice.delete(f"/v2/zones/{zone['id']}").status_code == 202


def test_admin_all_projects_and_sudo(server, keystone):
    alice, body = as_(server, keystone, "alice", "acme")
    zone = new_zone(alice)
    admin_token, _ = keystone.token("admin", ADMIN_PW, "admin")
    everything = server.session(token=admin_token, all_projects=True)
    assert zone["id"] in [z["id"] for z in everything.get("/v2/zones?limit=1000").json()["zones"]]
    own = server.session(token=admin_token)
    assert own.get(f"/v2/zones/{zone['id']}").status_code == 404
    sudo = server.session(token=admin_token)
    sudo.headers["X-Auth-Sudo-Project-ID"] = body["project"]["id"]
    assert sudo.get(f"/v2/zones/{zone['id']}").status_code == 200
    # A member may use neither header.
    alice.headers["X-Auth-All-Projects"] = "true"
    assert_designate_error(alice.get("/v2/zones"), 403, "forbidden")
    del alice.headers["X-Auth-All-Projects"]
    alice.headers["X-Auth-Sudo-Project-ID"] = "someone-else"
    assert_designate_error(alice.get("/v2/zones"), 403, "forbidden")


def test_unknown_or_missing_token_is_401(server):
    assert_designate_error(server.session(token="not-a-keystone-token").get("/v2/zones"),
                           401, "unauthorized")
    assert_designate_error(server.session(token="").get("/v2/zones"), 401, "unauthorized")
    anonymous = server.session(token=None)
    del anonymous.headers["X-Auth-Project-ID"], anonymous.headers["X-Roles"]
    assert_designate_error(anonymous.get("/v2/zones"), 401, "unauthorized")


def test_revoked_token_stops_working_after_the_cache(server, keystone):
    alice, _ = as_(server, keystone, "alice", "acme")
    assert alice.get("/v2/zones").status_code == 200
    keystone.revoke(alice.headers["X-Auth-Token"])
    time.sleep(CACHE_SECONDS + 0.5)
    assert_designate_error(alice.get("/v2/zones"), 401, "unauthorized")


def test_expired_token_is_401_even_within_the_cache_time(keystone, dnsplane_factory):
    # A long cache: only the token's own expiry can end the cached answer.
    srv = dnsplane_factory(auth="keystone", flags=keystone_flags(keystone, cache_seconds=3600),
                           env={"DNSPLANE_KEYSTONE_PASSWORD": PW})
    token, body = keystone.short_lived_token("alice", PW, "acme", seconds=5)
    alice = srv.session(token=token)
    assert alice.get("/v2/zones").status_code == 200
    expires = datetime.fromisoformat(body["expires_at"].rstrip("Z")).replace(tzinfo=timezone.utc)
    time.sleep(max(0.0, (expires - datetime.now(timezone.utc)).total_seconds()) + 0.5)
    assert_designate_error(alice.get("/v2/zones"), 401, "unauthorized")


def test_unreachable_keystone_is_503(keystone, dnsplane_factory):
    srv = dnsplane_factory(auth="keystone", flags={
        **keystone_flags(keystone), "keystone-url": f"http://127.0.0.1:{free_port()}"},
        env={"DNSPLANE_KEYSTONE_PASSWORD": PW})
    token, _ = keystone.token("alice", PW, "acme")
    assert_designate_error(srv.session(token=token).get("/v2/zones"), 503, "service_unavailable")


@pytest.mark.skipif(shutil.which("openstack") is None, reason="openstack CLI not installed")
def test_openstack_cli_through_keystone(server, keystone):
    def osc(user, password, project, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        cmd = ["openstack", "--os-auth-url", keystone.url + "/v3",
               "--os-identity-api-version", "3", "--os-username", user,
               "--os-password", password, "--os-project-name", project,
               "--os-user-domain-name", "Default", "--os-project-domain-name", "Default",
               *args, "-f", "json"]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    name = unique_zone_name("osc-ks")
    created = osc("alice", PW, "acme", "zone", "create", name, "--email", "h@example.org")
    _, alice = keystone.token("alice", PW, "acme")
    assert created["name"] == name and created["project_id"] == alice["project"]["id"]
    assert name in [z["name"] for z in osc("alice", PW, "acme", "zone", "list")]
    every = osc("admin", ADMIN_PW, "admin", "zone", "list", "--all-projects")
    assert name in [z["name"] for z in every]
