"""The real OpenStack clients from Debian, unmodified, against dnsplane:
python-openstackclient + designateclient (`openstack zone ...`,
`openstack recordset ...` with --os-auth-type none) and openstacksdk
(`openstack.connect(auth_type='none', dns_endpoint_override=...)`).
Every change is read back through the REST API (and DNS where it matters)."""

import json
import os
import shutil
import subprocess

import pytest

from dnsplane_harness import create_zone, unique_zone_name

pytestmark = pytest.mark.skipif(shutil.which("openstack") is None,
                                reason="python3-openstackclient is not installed")


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture(scope="module")
def api(srv):
    return srv.session()


def osc(srv, *args, parse=True):
    """Runs `openstack <args>` against the server (no keystone); returns the
    parsed -f json output, or the CompletedProcess when parse is False."""
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


def answers(srv, name, rdtype="A"):
    msg = srv.query(name, rdtype)
    return sorted(rr.to_text() for rrset in msg.answer for rr in rrset)


# --- python-openstackclient / designateclient -----------------------------------
def test_cli_zone_lifecycle(srv, api):
    name = unique_zone_name("cli")
    created = osc(srv, "zone", "create", "--email", "admin@example.org", "--ttl", "3000",
                  "--description", "made by the CLI", name)
    assert created["name"] == name and created["status"] == "PENDING"
    assert created["action"] == "CREATE" and created["ttl"] == 3000
    zone_id = created["id"]

    listed = osc(srv, "zone", "list")
    assert {"id": zone_id, "name": name} in [{"id": z["id"], "name": z["name"]} for z in listed]
    listed = osc(srv, "zone", "list", "--name", name)
    assert [z["id"] for z in listed] == [zone_id]

    shown = osc(srv, "zone", "show", name)  # by name: resolved with ?name=
    assert shown["id"] == zone_id and shown["status"] == "ACTIVE"
    assert shown["email"] == "admin@example.org" and shown["description"] == "made by the CLI"

    updated = osc(srv, "zone", "set", "--ttl", "7200", "--email", "ops@example.org", zone_id)
    assert updated["ttl"] == 7200 and updated["action"] == "UPDATE"
    updated = osc(srv, "zone", "set", "--no-description", name)
    assert updated["description"] in (None, "", "None")
    got = api.get(f"/v2/zones/{zone_id}").json()
    assert got["ttl"] == 7200 and got["email"] == "ops@example.org"
    assert got["description"] is None and got["version"] == 3
    assert answers(srv, name, "SOA")  # live in DNS

    deleted = osc(srv, "zone", "delete", name)
    assert deleted["id"] == zone_id and deleted["action"] == "DELETE"
    assert api.get(f"/v2/zones/{zone_id}").status_code == 404
    missing = osc(srv, "zone", "show", zone_id, parse=False)
    assert missing.returncode != 0


def test_cli_recordset_lifecycle(srv, api):
    zone = create_zone(api, name=unique_zone_name("clirs"))
    zname = zone["name"]
    created = osc(srv, "recordset", "create", "--type", "A", "--record", "192.0.2.1", zname,
                  "www")
    assert created["name"] == "www." + zname and created["type"] == "A"
    assert created["records"] == "192.0.2.1" and created["status"] == "PENDING"
    rs_id = created["id"]
    assert answers(srv, "www." + zname) == ["192.0.2.1"]

    listed = osc(srv, "recordset", "list", zname)
    assert {(r["name"], r["type"]) for r in listed} == \
        {(zname, "SOA"), (zname, "NS"), ("www." + zname, "A")}
    listed = osc(srv, "recordset", "list", zname, "--type", "A")
    assert [r["id"] for r in listed] == [rs_id]

    shown = osc(srv, "recordset", "show", zname, "www." + zname)
    assert shown["id"] == rs_id and shown["status"] == "ACTIVE"

    updated = osc(srv, "recordset", "set", "--record", "192.0.2.2", "--record", "192.0.2.3",
                  "--ttl", "600", zname, rs_id)
    assert sorted(updated["records"].split("\n")) == ["192.0.2.2", "192.0.2.3"]
    assert updated["ttl"] == 600 and updated["action"] == "UPDATE"
    assert answers(srv, "www." + zname) == ["192.0.2.2", "192.0.2.3"]
    updated = osc(srv, "recordset", "set", "--no-ttl", zone["id"], rs_id)
    assert updated["ttl"] in (None, "None")
    got = api.get(f"/v2/zones/{zone['id']}/recordsets/{rs_id}").json()
    assert got["ttl"] is None and sorted(got["records"]) == ["192.0.2.2", "192.0.2.3"]

    mx = osc(srv, "recordset", "create", "--type", "MX", "--record", "10 mail." + zname,
             zone["id"], zname)
    assert mx["records"] == f"10 mail.{zname}"
    everywhere = osc(srv, "recordset", "list", "all", "--type", "MX")
    assert mx["id"] in [r["id"] for r in everywhere]

    deleted = osc(srv, "recordset", "delete", zname, rs_id)
    assert deleted["id"] == rs_id and deleted["action"] == "DELETE"
    assert api.get(f"/v2/zones/{zone['id']}/recordsets/{rs_id}").status_code == 404
    assert srv.query("www." + zname, "A").rcode() == 3  # NXDOMAIN


def test_cli_reports_errors(srv, api):
    zone = create_zone(api, name=unique_zone_name("clierr"))
    dup = osc(srv, "zone", "create", "--email", "a@example.org", zone["name"], parse=False)
    assert dup.returncode != 0 and "already exists" in dup.stderr
    bad = osc(srv, "recordset", "create", "--type", "A", "--record", "300.1.1.1", zone["name"],
              "bad", parse=False)
    assert bad.returncode != 0


# --- openstacksdk -------------------------------------------------------------------
@pytest.fixture(scope="module")
def conn(srv):
    openstack = pytest.importorskip("openstack")
    return openstack.connect(auth_type="none", dns_endpoint_override=srv.api + "/",
                             load_yaml_config=False, load_envvars=False)


def test_sdk_zone_and_recordset_lifecycle(srv, api, conn):
    name = unique_zone_name("sdk")
    zone = conn.dns.create_zone(name=name, email="sdk@example.org", ttl=1800,
                                description="from openstacksdk")
    assert zone.id and zone.name == name and zone.status == "PENDING"

    found = conn.dns.find_zone(name)  # GET /v2/zones/<name> -> 404, then ?name=
    assert found is not None and found.id == zone.id and found.status == "ACTIVE"
    assert conn.dns.find_zone(unique_zone_name("absent")) is None
    assert conn.dns.get_zone(zone.id).ttl == 1800

    rs = conn.dns.create_recordset(zone, name="api." + name, type="A",
                                   records=["192.0.2.10", "192.0.2.11"], ttl=120)
    assert rs.id and rs.status == "PENDING"
    assert answers(srv, "api." + name) == ["192.0.2.10", "192.0.2.11"]

    sets = list(conn.dns.recordsets(zone))
    assert {(r.name, r.type) for r in sets} == {(name, "SOA"), (name, "NS"), ("api." + name, "A")}
    got = conn.dns.get_recordset(rs, zone)
    assert sorted(got.records) == ["192.0.2.10", "192.0.2.11"] and got.ttl == 120

    conn.dns.update_recordset(got, records=["192.0.2.12"])
    assert api.get(f"/v2/zones/{zone.id}/recordsets/{rs.id}").json()["records"] == ["192.0.2.12"]
    conn.dns.update_zone(zone, ttl=900)
    assert api.get(f"/v2/zones/{zone.id}").json()["ttl"] == 900

    conn.dns.delete_recordset(rs, zone)
    assert api.get(f"/v2/zones/{zone.id}/recordsets/{rs.id}").status_code == 404
    conn.dns.delete_zone(zone)
    assert api.get(f"/v2/zones/{zone.id}").status_code == 404


def test_sdk_lists_every_zone_across_pages(srv, conn):
    """More zones than one default page (20): the sdk follows links.next and
    stops at metadata.total_count."""
    project = "sdk-paging"
    s = srv.session(project=project)
    made = {create_zone(s, name=unique_zone_name("page"))["id"] for _ in range(23)}
    openstack = pytest.importorskip("openstack")
    paged = openstack.connect(auth_type="none", dns_endpoint_override=srv.api + "/",
                              load_yaml_config=False, load_envvars=False)
    # --auth none takes the project from X-Auth-Project-ID; keystoneauth adds
    # a session's additional headers to every request.
    paged.session.additional_headers = {"X-Auth-Project-ID": project}
    ids = {z.id for z in paged.dns.zones()}
    assert ids == made
    limited = [z.id for z in paged.dns.zones(limit=5)]
    assert set(limited) == made and len(limited) == 23
