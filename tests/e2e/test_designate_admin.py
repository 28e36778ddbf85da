"""Designate v2 admin resources (issue 16) on the real binary: /v2/tlds,
/v2/blacklists, /v2/quotas, /v2/limits, /v2/service_statuses, pool CRUD,
/v2/zones/{id}/nameservers; the zone-creation rules they impose; and the
real `openstack` CLI (designateclient) for tld, zone blacklist, dns quota
and dns service. Shapes, statuses and errors as designate-tempest-plugin
0.14.0 expects them."""

import json
import os
import shutil
import subprocess
import time
import uuid

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name

POOL_ID = "794ccc2c-d751-44fe-b57f-8894c9f5c842"  # the configured default pool


@pytest.fixture(scope="module")
def srv(dnsplane_module_factory):
    # Its own server: a TLD changes what every zone creation may do.
    return dnsplane_module_factory(flags={"store-probe-ms": "200"})


@pytest.fixture(scope="module")
def api(srv):
    return srv.session()


@pytest.fixture(scope="module")
def member(srv):
    return srv.session(project="p-member", roles="member")


def assert_error(r, code, type_):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["code"] == code and body["type"] == type_, body
    assert body["message"] and body["request_id"].startswith("req-")
    return body


def zone_count(api):
    r = api.get("/v2/zones?limit=1", headers={"X-Auth-All-Projects": "true"})
    return r.json()["metadata"]["total_count"]


# --- /v2/tlds -----------------------------------------------------------------
def test_tld_crud(api, member):
    name = f"t16-{uuid.uuid4().hex[:8]}.tldtest"
    r = api.post("/v2/tlds", json={"name": name, "description": "sample tld"})
    assert r.status_code == 201, r.text
    tld = r.json()
    assert tld["name"] == name and tld["description"] == "sample tld"
    assert set(tld) == {"id", "name", "description", "created_at", "updated_at", "links"}
    assert tld["updated_at"] is None
    assert tld["links"]["self"].endswith(f"/v2/tlds/{tld['id']}")
    try:
        assert_error(api.post("/v2/tlds", json={"name": name}), 409, "duplicate_tld")
        got = api.get(f"/v2/tlds/{tld['id']}")
        assert got.status_code == 200 and got.json() == tld
        listed = api.get("/v2/tlds", params={"limit": 1000}).json()
        assert tld["id"] in [t["id"] for t in listed["tlds"]]
        assert listed["metadata"]["total_count"] == len(listed["tlds"])
        by_name = api.get("/v2/tlds", params={"name": name}).json()["tlds"]
        assert [t["id"] for t in by_name] == [tld["id"]]

        renamed = f"t16-{uuid.uuid4().hex[:8]}.tldtest"
        r = api.patch(f"/v2/tlds/{tld['id']}",
                      json={"name": renamed, "description": "Updated description"})
        assert r.status_code == 200, r.text
        assert r.json()["name"] == renamed and r.json()["description"] == "Updated description"
        assert r.json()["updated_at"] is not None

        # Only admins, reads included.
        for call in (lambda s: s.get("/v2/tlds"), lambda s: s.get(f"/v2/tlds/{tld['id']}"),
                     lambda s: s.post("/v2/tlds", json={"name": "org"}),
                     lambda s: s.patch(f"/v2/tlds/{tld['id']}", json={"name": "org"}),
                     lambda s: s.delete(f"/v2/tlds/{tld['id']}")):
            assert_error(call(member), 403, "forbidden")
    finally:
        r = api.delete(f"/v2/tlds/{tld['id']}")
    assert r.status_code == 204 and r.content == b""
    assert_error(api.get(f"/v2/tlds/{tld['id']}"), 404, "tld_not_found")
    assert api.get(f"/v2/tlds/{tld['id']}").json()["message"] == "Could not find Tld"


def test_tld_input_errors(api):
    before = api.get("/v2/tlds").json()["metadata"]["total_count"]
    for bad in ["   ", "fff.", "^&$", "t" * 1000, "@p%", "", "-a.b"]:
        assert_error(api.post("/v2/tlds", json={"name": bad}), 400, "invalid_object")
    assert_error(api.post("/v2/tlds", json={"name": "org", "description": "x" * 1000}), 400,
                 "invalid_object")
    assert_error(api.post("/v2/tlds", json={"name": "org", "bogus": 1}), 400, "invalid_object")
    assert api.get("/v2/tlds").json()["metadata"]["total_count"] == before
    for method in ("get", "patch", "delete"):
        body = assert_error(getattr(api, method)("/v2/tlds/foo", json={}), 400, "invalid_uuid")
        assert body["message"] == "Invalid UUID tld_id: foo"
    missing = str(uuid.uuid4())
    assert_error(api.patch(f"/v2/tlds/{missing}", json={"name": "x"}), 404, "tld_not_found")
    assert_error(api.delete(f"/v2/tlds/{missing}"), 404, "tld_not_found")
    assert api.get("/v2/tlds.json").status_code == 404


def test_zone_must_sit_under_a_tld_once_one_exists(api, member):
    free = create_zone(api, unique_zone_name("before-tld"))  # no TLD yet: anything goes
    tld = api.post("/v2/tlds", json={"name": "tld16.test"}).json()
    try:
        count = zone_count(api)
        body = assert_error(api.post("/v2/zones", json={
            "name": unique_zone_name("outside"), "email": "a@example.org"}), 400,
            "invalid_zone_name")
        assert "not below any TLD" in body["message"]
        body = assert_error(api.post("/v2/zones", json={
            "name": "tld16.test.", "email": "a@example.org"}), 400, "invalid_zone_name")
        assert "is a TLD" in body["message"]
        assert zone_count(api) == count  # refused requests created nothing
        inside = create_zone(member, f"z-{uuid.uuid4().hex[:8]}.tld16.test.")
        assert inside["name"].endswith(".tld16.test.")
        # Case does not matter; "xtld16.test." is not below "tld16.test".
        create_zone(api, f"Z-{uuid.uuid4().hex[:8]}.TLD16.Test.")
        assert_error(api.post("/v2/zones", json={"name": "a.xtld16.test.",
                                                 "email": "a@example.org"}), 400,
                     "invalid_zone_name")
    finally:
        assert api.delete(f"/v2/tlds/{tld['id']}").status_code == 204
    create_zone(api, unique_zone_name("after-tld"))
    assert api.get(f"/v2/zones/{free['id']}").status_code == 200


# --- /v2/blacklists -------------------------------------------------------------
def test_blacklist_crud(api, member):
    pattern = f"^bl-{uuid.uuid4().hex[:8]}\\."
    r = api.post("/v2/blacklists", json={"pattern": pattern, "description": "no"})
    assert r.status_code == 201, r.text
    bl = r.json()
    assert bl["pattern"] == pattern and bl["description"] == "no"
    assert set(bl) == {"id", "pattern", "description", "created_at", "updated_at", "links"}
    try:
        assert api.get(f"/v2/blacklists/{bl['id']}").json() == bl
        assert bl["id"] in [b["id"] for b in api.get("/v2/blacklists").json()["blacklists"]]
        assert_error(api.post("/v2/blacklists", json={"pattern": pattern}), 409,
                     "duplicate_blacklist")
        r = api.patch(f"/v2/blacklists/{bl['id']}",
                      json={"pattern": pattern + "x", "description": "changed"})
        assert r.status_code == 200
        assert r.json()["pattern"] == pattern + "x" and r.json()["description"] == "changed"
        assert_error(member.get("/v2/blacklists"), 403, "forbidden")
        assert_error(member.post("/v2/blacklists", json={"pattern": "x"}), 403, "forbidden")
    finally:
        r = api.delete(f"/v2/blacklists/{bl['id']}")
    assert r.status_code == 204 and r.content == b""
    body = assert_error(api.get(f"/v2/blacklists/{bl['id']}"), 404, "blacklist_not_found")
    assert body["message"] == "Could not find Blacklist"
    body = assert_error(api.delete("/v2/blacklists/foo"), 400, "invalid_uuid")
    assert body["message"] == "Invalid UUID blacklist_id: foo"


def test_blacklist_input_errors(api):
    before = api.get("/v2/blacklists").json()["metadata"]["total_count"]
    for bad in ["", "#(*&^%$%$#@$", "a" * 1000, "[unclosed"]:
        assert_error(api.post("/v2/blacklists", json={"pattern": bad}), 400, "invalid_object")
    assert_error(api.post("/v2/blacklists", json={"pattern": "ok", "description": "a" * 1000}),
                 400, "invalid_object")
    assert api.get("/v2/blacklists").json()["metadata"]["total_count"] == before


def test_blacklisted_zone_refused_for_members_admins_override(api, member):
    bl = api.post("/v2/blacklists", json={"pattern": "^evil[0-9]*\\."}).json()
    try:
        name = f"evil{uuid.uuid4().int % 10**6}.example.org."
        count = zone_count(api)
        body = assert_error(member.post("/v2/zones", json={"name": name, "email": "a@b.org"}),
                            400, "invalid_zone_name")
        assert "blacklisted" in body["message"]
        assert zone_count(api) == count
        # Pattern search, not a full match: "notevil." does not start with evil.
        create_zone(member, f"notevil-{uuid.uuid4().hex[:6]}.example.org.")
        # Admins may create a blacklisted name (Designate's use_blacklisted_zone).
        assert create_zone(api, name)["name"] == name
    finally:
        api.delete(f"/v2/blacklists/{bl['id']}")
    create_zone(member, f"evil{uuid.uuid4().int % 10**6}x.example.org.")


# --- /v2/quotas and /v2/limits --------------------------------------------------
QUOTA_KEYS = {"zones", "zone_recordsets", "zone_records", "recordset_records",
              "api_export_size"}


def test_quotas_show_set_reset(srv, api):
    project = f"q-{uuid.uuid4().hex[:8]}"
    own = srv.session(project=project, roles="member")
    defaults = own.get("/v2/quotas").json()
    assert set(defaults) == QUOTA_KEYS and all(isinstance(v, int) for v in defaults.values())
    assert defaults["zones"] == 1000 and defaults["zone_recordsets"] == 10000
    assert defaults["recordset_records"] == 1000
    assert own.get(f"/v2/quotas/{project}").json() == defaults
    assert api.get(f"/v2/quotas/{project}").json() == defaults
    assert_error(own.get("/v2/quotas/someone-else"), 403, "forbidden")

    new = {"zones": 2, "zone_recordsets": 4, "recordset_records": 2}
    r = api.patch(f"/v2/quotas/{project}", json=new,
                  headers={"X-Auth-All-Projects": "true"})
    assert r.status_code == 200, r.text
    assert r.json() == {**defaults, **new}
    assert own.get("/v2/quotas").json() == {**defaults, **new}
    assert_error(own.patch(f"/v2/quotas/{project}", json={"zones": 9}), 403, "forbidden")
    assert_error(own.delete(f"/v2/quotas/{project}"), 403, "forbidden")
    # Sudo as the project works too.
    r = api.patch(f"/v2/quotas/{project}", json={"zones": 2},
                  headers={"X-Auth-Sudo-Project-ID": project})
    assert r.status_code == 200 and r.json()["zones"] == 2

    # Enforced: zones per project, record sets per zone, records per set.
    z1 = create_zone(own, unique_zone_name("q1"))
    create_zone(own, unique_zone_name("q2"))
    assert_error(own.post("/v2/zones", json={"name": unique_zone_name("q3"),
                                             "email": "a@b.org"}), 413, "over_quota")
    create_zone(api, unique_zone_name("other-project"))  # another project is not limited
    url = f"/v2/zones/{z1['id']}/recordsets"
    assert_error(own.post(url, json={"name": "a." + z1["name"], "type": "A",
                                     "records": ["192.0.2.1", "192.0.2.2", "192.0.2.3"]}),
                 413, "over_quota")
    create_recordset(own, z1["id"], "a." + z1["name"], "A", ["192.0.2.1", "192.0.2.2"])
    create_recordset(own, z1["id"], "b." + z1["name"], "A", ["192.0.2.1"])
    # SOA + NS + a + b = 4 sets: a fifth is over the zone_recordsets quota.
    assert_error(own.post(url, json={"name": "c." + z1["name"], "type": "A",
                                     "records": ["192.0.2.1"]}), 413, "over_quota")
    limits = own.get("/v2/limits").json()
    assert limits["max_zones"] == 2 and limits["max_zone_recordsets"] == 4
    assert limits["max_recordset_records"] == 2

    # Reset: the configured defaults again, and the limits lift.
    r = api.delete(f"/v2/quotas/{project}", headers={"X-Auth-All-Projects": "true"})
    assert r.status_code == 204 and r.content == b""
    assert own.get("/v2/quotas").json() == defaults
    create_zone(own, unique_zone_name("q3"))
    create_recordset(own, z1["id"], "c." + z1["name"], "A", ["192.0.2.1", "192.0.2.2",
                                                             "192.0.2.3"])


def test_zone_records_quota_counts_every_value(srv, api):
    project = f"qr-{uuid.uuid4().hex[:8]}"
    own = srv.session(project=project, roles="member")
    z = create_zone(own, unique_zone_name("qr"))
    url = f"/v2/zones/{z['id']}/recordsets"
    a = create_recordset(own, z["id"], "a." + z["name"], "A", ["192.0.2.1", "192.0.2.2"])
    # Every value counts, the managed SOA and apex NS included: room for one more.
    values = sum(len(rs["records"]) for rs in own.get(url).json()["recordsets"])
    assert values >= 4
    r = api.patch(f"/v2/quotas/{project}", json={"zone_records": values + 1},
                  headers={"X-Auth-All-Projects": "true"})
    assert r.status_code == 200 and r.json()["zone_records"] == values + 1
    before = own.get(url).json()["metadata"]["total_count"]
    assert_error(own.post(url, json={"name": "b." + z["name"], "type": "A",
                                     "records": ["192.0.2.1", "192.0.2.2"]}), 413, "over_quota")
    # Growing a set counts too; a rejected write changes nothing.
    assert_error(own.put(f"{url}/{a['id']}",
                         json={"records": ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]}),
                 413, "over_quota")
    assert own.get(f"{url}/{a['id']}").json()["records"] == ["192.0.2.1", "192.0.2.2"]
    assert own.get(url).json()["metadata"]["total_count"] == before
    # Exactly at the limit is allowed; shrinking and replacing within it too.
    create_recordset(own, z["id"], "b." + z["name"], "A", ["192.0.2.9"])
    r = own.put(f"{url}/{a['id']}", json={"records": ["192.0.2.7"]})
    assert r.status_code == 202, r.text
    assert srv.query("a." + z["name"]).answer
    api.delete(f"/v2/quotas/{project}", headers={"X-Auth-All-Projects": "true"})


def test_quota_input_errors(api):
    project = f"q-{uuid.uuid4().hex[:8]}"
    before = api.get(f"/v2/quotas/{project}").json()
    for body in ({"zones": "many"}, {"zones": 1.5}, {"zones": -1}, {"zones": True},
                 {"bogus_quota": 777}, {"zones": 3, "nope": 1}):
        assert_error(api.patch(f"/v2/quotas/{project}", json=body), 400, "invalid_object")
    assert api.get(f"/v2/quotas/{project}").json() == before


def test_limits(srv, api):
    limits = srv.session(project="lim", roles="reader").get("/v2/limits")
    assert limits.status_code == 200
    body = limits.json()
    assert set(body) == {"max_page_limit", "max_recordset_name_length",
                         "max_recordset_records", "max_zone_name_length", "max_zone_records",
                         "max_zone_recordsets", "max_zones", "min_ttl"}
    assert body["max_page_limit"] == 1000 and body["max_zone_name_length"] == 255
    sudo = api.get("/v2/limits", headers={"X-Auth-Sudo-Project-ID": "lim"}).json()
    assert sudo == body
    assert_error(srv.session(project="alt", roles="member").get(
        "/v2/limits", headers={"X-Auth-Sudo-Project-ID": "lim"}), 403, "forbidden")


# --- /v2/service_statuses -------------------------------------------------------
def wait_statuses(api, predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        items = api.get("/v2/service_statuses").json()["service_statuses"]
        if predicate(items) or time.monotonic() > deadline:
            return items
        time.sleep(0.1)


def test_service_statuses(api, member):
    items = wait_statuses(api, lambda xs: all(x["status"] == "UP" for x in xs) and xs)
    names = {x["service_name"] for x in items}
    assert {"api", "central", "mdns", "worker", "producer"} <= names
    assert {x["status"] for x in items} == {"UP"}, items
    fields = {"id", "hostname", "service_name", "status", "stats", "capabilities",
              "heartbeated_at", "created_at", "updated_at", "links"}
    for x in items:
        assert set(x) == fields
        assert x["heartbeated_at"] and x["capabilities"]["component"]
        one = api.get(f"/v2/service_statuses/{x['id']}")
        assert one.status_code == 200 and set(one.json()) == fields
    by_name = {x["service_name"]: x for x in items}
    assert "probe_commit_us" in by_name["central"]["stats"]
    # Heartbeats move with the probe (every 200 ms here).
    later = wait_statuses(api, lambda xs: all(
        x["heartbeated_at"] > by_name[x["service_name"]]["heartbeated_at"] for x in xs))
    assert all(x["heartbeated_at"] > by_name[x["service_name"]]["heartbeated_at"]
               for x in later)
    assert_error(member.get("/v2/service_statuses"), 403, "forbidden")
    assert_error(member.get("/v2/service_statuses", headers={"X-Auth-All-Projects": "true"}),
                 403, "forbidden")
    assert_error(api.get(f"/v2/service_statuses/{uuid.uuid4()}"), 404,
                 "service_status_not_found")


@pytest.mark.sqlite_only  # moves the SQLite database file away
def test_service_status_central_down_while_the_database_is_gone(dnsplane_factory):
    srv = dnsplane_factory(flags={"store-probe-ms": "100"})
    api = srv.session()
    wait_statuses(api, lambda xs: all(x["status"] == "UP" for x in xs))
    moved = srv.db_path.with_name("elsewhere.db")
    srv.db_path.rename(moved)
    try:
        items = wait_statuses(api, lambda xs: any(
            x["service_name"] == "central" and x["status"] == "DOWN" for x in xs))
        central = next(x for x in items if x["service_name"] == "central")
        assert central["status"] == "DOWN"
        assert central["capabilities"]["detail"] != "ok"
        others = {x["service_name"]: x["status"] for x in items}
        assert others["mdns"] == "UP" and others["producer"] == "UP"
    finally:
        moved.rename(srv.db_path)
    items = wait_statuses(api, lambda xs: all(x["status"] == "UP" for x in xs))
    assert {x["status"] for x in items} == {"UP"}
    srv.stop()


# --- pools and zone name servers ------------------------------------------------
def test_pool_crud(api, member):
    body = {"name": f"pool-{uuid.uuid4().hex[:8]}", "project_id": "1",
            "description": "second pool", "attributes": {"tier": "gold"},
            "ns_records": [{"hostname": "ns1.example.org.", "priority": 1},
                           {"hostname": "NS2.example.org.", "priority": 2}]}
    r = api.post("/v2/pools", json=body)
    assert r.status_code == 201, r.text
    pool = r.json()
    assert pool["name"] == body["name"] and pool["project_id"] == "1"
    assert pool["attributes"] == {"tier": "gold"}
    assert pool["ns_records"] == [{"hostname": "ns1.example.org.", "priority": 1},
                                  {"hostname": "ns2.example.org.", "priority": 2}]
    try:
        assert api.get(f"/v2/pools/{pool['id']}").json() == pool
        ids = [p["id"] for p in api.get("/v2/pools").json()["pools"]]
        assert POOL_ID in ids and pool["id"] in ids
        r = api.patch(f"/v2/pools/{pool['id']}", json={"name": "foo"})
        assert r.status_code == 202 and r.json()["name"] == "foo"
        assert r.json()["ns_records"] == pool["ns_records"]
        for bad in ({"ns_records": [{"hostname": "ns1_example_org_", "priority": 1}]},
                    {"ns_records": [{"hostname": "ns1.example.org.", "priority": -1}]},
                    {"name": "Huge_size_name" * 10000}):
            assert_error(api.patch(f"/v2/pools/{pool['id']}", json=bad), 400,
                         "invalid_object")
        assert api.get(f"/v2/pools/{pool['id']}").json()["name"] == "foo"
        assert_error(member.get("/v2/pools"), 403, "forbidden")
        assert_error(member.get(f"/v2/pools/{pool['id']}"), 403, "forbidden")
        assert_error(member.delete(f"/v2/pools/{pool['id']}"), 403, "forbidden")
    finally:
        r = api.delete(f"/v2/pools/{pool['id']}")
    assert r.status_code == 204
    assert_error(api.get(f"/v2/pools/{pool['id']}"), 404, "pool_not_found")
    for method in ("get", "patch", "delete"):
        body = assert_error(getattr(api, method)("/v2/pools/foo", json={}), 400, "invalid_uuid")
        assert body["message"] == "Invalid UUID pool_id: foo"
    assert_error(api.patch(f"/v2/pools/{POOL_ID}", json={"name": "x"}), 409, "default_pool")
    assert_error(api.delete(f"/v2/pools/{POOL_ID}"), 409, "default_pool")
    for bad in ({"ns_records": [{"hostname": "ns1_example_org_", "priority": 1}]},
                {"ns_records": [{"hostname": "ns1.example.org.", "priority": -1}]},
                {"name": "Huge_size_name" * 10000}):
        assert_error(api.post("/v2/pools", json={"name": "p", **bad}), 400, "invalid_object")


def test_zone_nameservers(api, member):
    zone = create_zone(member)
    r = member.get(f"/v2/zones/{zone['id']}/nameservers")
    assert r.status_code == 200
    ns = r.json()["nameservers"]
    pool = api.get(f"/v2/pools/{zone['pool_id']}").json()
    assert ns and sorted(ns, key=lambda n: n["priority"]) == \
        sorted(pool["ns_records"], key=lambda n: n["priority"])
    stranger = create_zone(api)  # project "default": invisible to the member
    assert_error(member.get(f"/v2/zones/{stranger['id']}/nameservers"), 404, "zone_not_found")


# --- the real openstack CLI -----------------------------------------------------
needs_cli = pytest.mark.skipif(shutil.which("openstack") is None,
                               reason="python3-openstackclient is not installed")


def osc(srv, *args, parse=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = ["openstack", "--os-auth-type", "none", "--os-endpoint", srv.api + "/v2", *args]
    if parse:
        cmd += ["-f", "json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    if not parse:
        return done
    assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


@needs_cli
def test_cli_tld(srv, api):
    name = f"cli{uuid.uuid4().hex[:6]}"
    created = osc(srv, "tld", "create", "--name", name, "--description", "via cli")
    assert created["name"] == name and created["description"] == "via cli"
    try:
        assert name in [t["name"] for t in osc(srv, "tld", "list")]
        shown = osc(srv, "tld", "show", name)  # by name
        assert shown["id"] == created["id"]
        updated = osc(srv, "tld", "set", created["id"], "--description", "changed")
        assert updated["description"] == "changed"
        assert api.get(f"/v2/tlds/{created['id']}").json()["description"] == "changed"
        refused = osc(srv, "zone", "create", "--email", "a@example.org",
                      unique_zone_name("cli-no-tld"), parse=False)
        assert refused.returncode != 0 and "TLD" in refused.stderr, refused.stderr
        inside = osc(srv, "zone", "create", "--email", "a@example.org", f"z.{name}.")
        assert inside["name"] == f"z.{name}."
    finally:
        done = osc(srv, "tld", "delete", name, parse=False)
    assert done.returncode == 0, done.stderr
    assert api.get(f"/v2/tlds/{created['id']}").status_code == 404


def osc_token(srv, token, *args, parse=True):
    """`openstack` with a dnsplane token (keystoneauth's admin_token plugin
    sends it as X-Auth-Token): the CLI acts with that token's role."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = ["openstack", "--os-auth-type", "admin_token", "--os-token", token,
           "--os-endpoint", srv.api + "/v2", *args]
    if parse:
        cmd += ["-f", "json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    if not parse:
        return done
    assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


@needs_cli
def test_cli_zone_blacklist(dnsplane_factory):
    srv = dnsplane_factory(auth="token")
    admin = srv.create_token("ops", "admin")
    member = srv.create_token("cli-member", "member")
    pattern = f"^cliblack{uuid.uuid4().hex[:6]}\\."
    created = osc_token(srv, admin, "zone", "blacklist", "create", "--pattern", pattern,
                        "--description", "no")
    assert created["pattern"] == pattern and created["description"] == "no"
    assert created["id"] in [b["id"] for b in osc_token(srv, admin, "zone", "blacklist", "list")]
    assert osc_token(srv, admin, "zone", "blacklist", "show", created["id"])["pattern"] == pattern
    updated = osc_token(srv, admin, "zone", "blacklist", "set", created["id"],
                        "--description", "still no")
    assert updated["description"] == "still no" and updated["pattern"] == pattern

    name = pattern[1:].replace("\\.", ".") + "example.org."
    refused = osc_token(srv, member, "zone", "create", "--email", "a@example.org", name,
                        parse=False)
    assert refused.returncode != 0 and "blacklisted" in refused.stderr, refused.stderr
    assert osc_token(srv, member, "zone", "list") == []
    # The member may not touch blacklists; an admin may create the name.
    denied = osc_token(srv, member, "zone", "blacklist", "list", parse=False)
    assert denied.returncode != 0
    assert osc_token(srv, admin, "zone", "create", "--email", "a@example.org", name)["name"] == name

    done = osc_token(srv, admin, "zone", "blacklist", "delete", created["id"], parse=False)
    assert done.returncode == 0, done.stderr
    assert osc_token(srv, admin, "zone", "blacklist", "list") == []
    other = "x" + name
    assert osc_token(srv, member, "zone", "create", "--email", "a@example.org",
                     other)["name"] == other
    srv.stop()


@needs_cli
def test_cli_dns_quota(srv, api):
    project = f"cliq-{uuid.uuid4().hex[:6]}"
    shown = osc(srv, "dns", "quota", "list", "--project-id", project)
    assert shown["zones"] == 1000 and set(shown) == QUOTA_KEYS
    updated = osc(srv, "dns", "quota", "set", "--project-id", project, "--zones", "7",
                  "--recordset-records", "5")
    assert updated["zones"] == 7 and updated["recordset_records"] == 5
    assert api.get(f"/v2/quotas/{project}").json()["zones"] == 7
    done = osc(srv, "dns", "quota", "reset", "--project-id", project, parse=False)
    assert done.returncode == 0, done.stderr
    assert api.get(f"/v2/quotas/{project}").json()["zones"] == 1000


@needs_cli
def test_cli_dns_service(srv):
    listed = wait_for_cli_up(srv)
    assert {"api", "central", "mdns", "worker", "producer"} <= {s["service_name"] for s in listed}
    assert {s["status"] for s in listed} == {"UP"}
    one = osc(srv, "dns", "service", "show", listed[0]["id"])
    assert one["id"] == listed[0]["id"] and one["heartbeated_at"]


def wait_for_cli_up(srv, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        listed = osc(srv, "dns", "service", "list")
        if all(s["status"] == "UP" for s in listed) or time.monotonic() > deadline:
            return listed
        time.sleep(0.2)
