"""The 2013 "Designate/APIv2" draft's own examples, replayed against the real
binary in draft style (`designate_style = "draft"` in the config file).

Every request printed in the draft is sent as printed (bodies, Accept,
Content-Type), and each answer is compared with the printed one field by
field. Excepted: generated ids, times, serials and links, which are checked
for their form and for how they relate (Location equals links.self, zone_id
is the zone's id, ...). Where dnsplane knowingly differs from the printed
example, the test says so:

- `notes` appears in every zone and record set (the draft's property tables
  list it; its examples leave it out). It is null when unset.
- The SRV example gives no `port`; dnsplane stores a missing SRV port as 0
  and shows it, so the answer carries `"port": 0` beside the printed fields.
- The printed update answers keep the zone's serial; dnsplane increments the
  serial on every change (its SOA rule), so the serial grows by one.
- The printed record set list shows the two created sets; dnsplane's list
  also holds the zone's managed SOA and NS record sets.
"""

from __future__ import annotations

import re

import pytest

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")

# The ids the draft prints for the project and the pool: dnsplane is run with
# them (the pool id in the config file, the project in X-Auth-Project-ID) so
# that these fields compare exactly.
PROJECT_ID = "4335d1f0-f793-11e2-b778-0800200c9a66"
POOL_ID = "7d62d10d-3a16-4828-85dd-7b3fdc0ba989"

CONFIG = f"""
designate_style = "draft"
[pool]
id = "{POOL_ID}"
"""

READ_HEADERS = {"Accept": "application/json"}
WRITE_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
PATCH_HEADERS = {"Accept": "application/json", "Content-Type": "application/json-patch+json"}

GENERATED = {"id", "zone_id", "created_at", "updated_at", "serial", "links"}


# --- the draft's printed responses (ids, times, serials and links elided) ----
def draft_zone(name="example.org.", email="joe@example.org.", ttl=7200, version=1,
               updated=False):
    return {"id": "…", "pool_id": POOL_ID, "project_id": PROJECT_ID, "name": name,
            "email": email, "ttl": ttl, "serial": "…", "status": "ACTIVE",
            "version": version, "created_at": "...", "updated_at": "..." if updated else None,
            "links": {"self": "…"}}


A_RECORDS = [{"address": "10.1.2.3"}, {"address": "10.3.2.1"}]
A_RECORDS_PLUS_LOCALHOST = A_RECORDS + [{"address": "127.0.0.1"}]
SRV_RECORDS = [{"weight": 0, "priority": 10, "target": "xmpp1.example.org."},
               {"weight": 0, "priority": 20, "target": "xmpp2.example.org."}]


def draft_recordset(name, rtype, records, version=1, updated=False):
    rs = {"id": "…", "zone_id": "…", "name": name, "type": rtype, "ttl": 3600,
          "status": "ACTIVE", "version": version, "created_at": "...",
          "updated_at": "..." if updated else None, "links": {"self": "…"}}
    if records is not None:
        rs["records"] = records
    return rs


# --- comparison ------------------------------------------------------------------
def assert_like_draft(actual: dict, printed: dict, extra: set = frozenset({"notes"})):
    """`actual` has exactly the printed fields (plus `extra`), and each printed
    value, except the generated ones, is equal."""
    assert set(actual) == set(printed) | set(extra), sorted(set(actual) ^ set(printed))
    for key, want in printed.items():
        got = actual[key]
        if key in ("id", "zone_id"):
            assert UUID_RE.match(got), (key, got)
        elif key == "created_at":
            assert TIME_RE.match(got), got
        elif key == "updated_at":
            assert got is None if want is None else TIME_RE.match(got), (key, got)
        elif key == "serial":
            assert isinstance(got, int) and got > 0, got
        elif key == "links":
            assert set(got) == {"self"}, got
        elif key == "records":
            assert len(got) == len(want), got
            for g, w in zip(got, want):
                # Every printed field as printed; SRV adds its default port 0.
                assert {k: g[k] for k in w} == w, (g, w)
                assert set(g) - set(w) <= {"port"} and g.get("port", 0) == 0, g
        else:
            assert got == want, (key, got, want)
    if "notes" in extra:
        assert actual["notes"] is None


def assert_draft_headers(r, status, location=None):
    assert r.status_code == status, r.text
    assert r.headers["Vary"] == "Accept"
    if status == 204:
        assert r.content == b""
        return
    assert r.headers["Content-Type"].split(";")[0] == "application/json"
    if location is not None:
        assert r.headers["Location"] == location
    else:
        assert "Location" not in r.headers


@pytest.fixture(scope="module")
def server(dnsplane_module_factory):
    return dnsplane_module_factory(config_text=CONFIG)


@pytest.fixture(scope="module")
def api(server):
    s = server.session(project=PROJECT_ID, roles="admin")
    s.headers.pop("Accept", None)  # each request sends the draft's headers itself
    return s


def create_zone(server, api, name, email="joe@example.org."):
    r = api.post("/v2/zones", headers=WRITE_HEADERS,
                 json={"zone": {"name": name, "email": email, "ttl": 7200}})
    zone = r.json()["zone"]
    assert_draft_headers(r, 201, location=f"{server.api}/v2/zones/{zone['id']}")
    assert set(r.json()) == {"zone"}
    return zone


# --- zones -----------------------------------------------------------------------
def test_zone_examples(server, api):
    # Create Zone
    zone = create_zone(server, api, "example.org.")
    assert_like_draft(zone, draft_zone())
    zone_url = f"{server.api}/v2/zones/{zone['id']}"
    assert zone["links"]["self"] == zone_url

    # Get Zone
    r = api.get(f"/v2/zones/{zone['id']}", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    assert r.json() == {"zone": zone}

    # List Zones (the draft lists example.org. and example.net.)
    other = create_zone(server, api, "example.net.", email="joe@example.net.")
    r = api.get("/v2/zones", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    body = r.json()
    assert body["links"]["self"] == f"{server.api}/v2/zones"
    assert "next" not in body["links"] or body["links"]["next"] is None
    listed = {z["name"]: z for z in body["zones"]}
    assert set(listed) == {"example.org.", "example.net."}
    assert_like_draft(listed["example.org."], draft_zone())
    assert_like_draft(listed["example.net."], draft_zone("example.net.", "joe@example.net."))
    assert listed["example.org."] == zone and listed["example.net."] == other

    # Update Zone, option 1: POST with a partial object
    r = api.post(f"/v2/zones/{zone['id']}", headers=WRITE_HEADERS, json={"zone": {"ttl": 3600}})
    assert_draft_headers(r, 200)
    updated = r.json()["zone"]
    assert_like_draft(updated, draft_zone(ttl=3600, version=2, updated=True))
    assert updated["id"] == zone["id"] and updated["links"] == zone["links"]
    assert updated["serial"] == zone["serial"] + 1

    # Delete Zone
    r = api.delete(f"/v2/zones/{zone['id']}")
    assert_draft_headers(r, 204)
    assert api.get(f"/v2/zones/{zone['id']}", headers=READ_HEADERS).status_code == 404

    # Update Zone, option 2: JSON-Patch testing the version (on a zone that
    # is again at version 1, as the printed request expects)
    zone = create_zone(server, api, "example.org.")
    r = api.patch(f"/v2/zones/{zone['id']}", headers=PATCH_HEADERS,
                  data='[{"op": "test", "path": "/zone/version", "value": 1},'
                       ' {"op": "replace", "path": "/zone/ttl", "value": 3600}]')
    assert_draft_headers(r, 200)
    patched = r.json()["zone"]
    assert_like_draft(patched, draft_zone(ttl=3600, version=2, updated=True))
    assert patched["serial"] == zone["serial"] + 1

    for z in (zone, other):
        assert_draft_headers(api.delete(f"/v2/zones/{z['id']}"), 204)
    r = api.get("/v2/zones", headers=READ_HEADERS)
    assert r.json()["zones"] == []


# --- record sets -------------------------------------------------------------------
@pytest.fixture(scope="module")
def org_zone(server, api):
    zone = create_zone(server, api, "example.org.")
    yield zone
    api.delete(f"/v2/zones/{zone['id']}")


def create_recordset(server, api, zone, body):
    r = api.post(f"/v2/zones/{zone['id']}/recordsets", headers=WRITE_HEADERS,
                 json={"recordset": body})
    rs = r.json()["recordset"]
    url = f"{server.api}/v2/zones/{zone['id']}/recordsets/{rs['id']}"
    assert_draft_headers(r, 201, location=url)
    assert rs["zone_id"] == zone["id"] and rs["links"]["self"] == url
    return rs


A_CREATE = {"name": "www.example.org.", "type": "A", "ttl": 3600, "records": A_RECORDS}
SRV_CREATE = {"name": "_xmpp-server._tcp.example.org.", "type": "SRV", "ttl": 3600,
              "records": SRV_RECORDS}


def test_recordset_examples(server, api, org_zone):
    zid = org_zone["id"]
    # Create RecordSet (A)
    a = create_recordset(server, api, org_zone, A_CREATE)
    assert_like_draft(a, draft_recordset("www.example.org.", "A", A_RECORDS))

    # Create RecordSet (SRV)
    srv = create_recordset(server, api, org_zone, SRV_CREATE)
    assert_like_draft(srv, draft_recordset("_xmpp-server._tcp.example.org.", "SRV", SRV_RECORDS))
    assert [rec["port"] for rec in srv["records"]] == [0, 0]

    # Get RecordSet
    r = api.get(f"/v2/zones/{zid}/recordsets/{a['id']}", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    assert r.json() == {"recordset": a}

    # List RecordSets: no nested "records" in a collection
    r = api.get(f"/v2/zones/{zid}/recordsets", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    body = r.json()
    assert body["links"]["self"] == f"{server.api}/v2/zones/{zid}/recordsets"
    listed = {rs["id"]: rs for rs in body["recordsets"]}
    assert_like_draft(listed[a["id"]], draft_recordset("www.example.org.", "A", None))
    assert_like_draft(listed[srv["id"]],
                      draft_recordset("_xmpp-server._tcp.example.org.", "SRV", None))
    assert {rs["type"] for rs in body["recordsets"]} == {"A", "SRV", "SOA", "NS"}
    assert all("records" not in rs and rs["status"] == "ACTIVE" for rs in body["recordsets"])

    # Update RecordSet, option 1: POST with the full new records list
    r = api.post(f"/v2/zones/{zid}/recordsets/{a['id']}", headers=WRITE_HEADERS,
                 json={"recordset": {"records": A_RECORDS_PLUS_LOCALHOST}})
    assert_draft_headers(r, 200)
    assert_like_draft(r.json()["recordset"],
                      draft_recordset("www.example.org.", "A", A_RECORDS_PLUS_LOCALHOST,
                                      version=2, updated=True))

    # Delete RecordSet
    r = api.delete(f"/v2/zones/{zid}/recordsets/{a['id']}")
    assert_draft_headers(r, 204)
    assert api.get(f"/v2/zones/{zid}/recordsets/{a['id']}").status_code == 404

    # Update RecordSet, option 2: JSON-Patch appending one record (on a record
    # set that is again at version 1)
    a = create_recordset(server, api, org_zone, A_CREATE)
    r = api.patch(f"/v2/zones/{zid}/recordsets/{a['id']}", headers=PATCH_HEADERS,
                  data='[{"op": "test", "path": "/recordset/version", "value": 1},'
                       ' {"op": "add", "path": "/recordset/records/-",'
                       ' "value": {"address": "127.0.0.1"}}]')
    assert_draft_headers(r, 200)
    assert_like_draft(r.json()["recordset"],
                      draft_recordset("www.example.org.", "A", A_RECORDS_PLUS_LOCALHOST,
                                      version=2, updated=True))

    for rs in (a, srv):
        assert_draft_headers(api.delete(f"/v2/zones/{zid}/recordsets/{rs['id']}"), 204)


def test_changes_are_live_in_dns_before_the_answer(server, api, org_zone):
    """The draft calls an answer synchronous when the change is done; check it."""
    a = create_recordset(server, api, org_zone,
                         {"name": "live.example.org.", "type": "A", "records": A_RECORDS})
    answer = server.query("live.example.org.", "A")
    assert sorted(rr.address for rrset in answer.answer for rr in rrset) == \
        ["10.1.2.3", "10.3.2.1"]
    soa_before = server.query("example.org.", "SOA").answer[0][0].serial
    r = api.post(f"/v2/zones/{org_zone['id']}/recordsets/{a['id']}", headers=WRITE_HEADERS,
                 json={"recordset": {"records": [{"address": "10.9.9.9"}]}})
    assert r.status_code == 200
    answer = server.query("live.example.org.", "A")
    assert [rr.address for rrset in answer.answer for rr in rrset] == ["10.9.9.9"]
    assert server.query("example.org.", "SOA").answer[0][0].serial == soa_before + 1
    assert api.delete(f"/v2/zones/{org_zone['id']}/recordsets/{a['id']}").status_code == 204
    assert server.query("live.example.org.", "A").answer == []


# --- draft resources beyond the printed examples ---------------------------------
def test_pool_has_the_drafts_fields(server, api):
    r = api.get("/v2/pools", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    pools = r.json()["pools"]
    assert len(pools) == 1
    pool = pools[0]
    assert set(pool) == {"id", "project_id", "name", "flavor_id", "public", "nameservers",
                         "notes", "status", "version", "created_at", "updated_at", "links"}
    assert pool["id"] == POOL_ID and pool["name"] == "default"
    assert pool["public"] is True and pool["flavor_id"] is None and pool["project_id"] is None
    assert pool["nameservers"] == ["ns1.dnsplane.test."]
    assert pool["status"] == "ACTIVE" and pool["version"] == 1
    assert pool["links"] == {"self": f"{server.api}/v2/pools/{POOL_ID}"}
    r = api.get(f"/v2/pools/{POOL_ID}", headers=READ_HEADERS)
    assert_draft_headers(r, 200)
    assert r.json() == {"pool": pool}


def test_notes_and_final_style_input_are_accepted(server, api):
    """Draft style reads the final API's input too: unwrapped bodies, string
    records and `description`; it always answers in the draft's shapes."""
    r = api.post("/v2/zones", headers=WRITE_HEADERS,
                 json={"name": "notes.example.com.", "email": "hostmaster@example.com",
                       "description": "from the final API"})
    assert r.status_code == 201, r.text
    zone = r.json()["zone"]
    assert zone["notes"] == "from the final API" and "description" not in zone
    r = api.post(f"/v2/zones/{zone['id']}/recordsets", headers=WRITE_HEADERS,
                 json={"name": "mx.notes.example.com.", "type": "MX",
                       "records": ["10 mail.example.com."], "notes": "mail"})
    assert r.status_code == 201, r.text
    rs = r.json()["recordset"]
    assert rs["records"] == [{"preference": 10, "exchange": "mail.example.com."}]
    assert rs["notes"] == "mail" and rs["ttl"] is None
    r = api.put(f"/v2/zones/{zone['id']}/recordsets/{rs['id']}", headers=WRITE_HEADERS,
                json={"recordset": {"records": [{"preference": 20,
                                                 "exchange": "mail2.example.com."}]}})
    assert r.status_code == 200, r.text
    assert r.json()["recordset"]["records"] == [{"preference": 20,
                                                 "exchange": "mail2.example.com."}]
    r = api.patch(f"/v2/zones/{zone['id']}", headers=WRITE_HEADERS, json={"notes": "merged"})
    assert r.status_code == 200, r.text
    assert r.json()["zone"]["notes"] == "merged"
    assert api.delete(f"/v2/zones/{zone['id']}").status_code == 204


def test_soa_record_set_has_the_drafts_soa_fields(server, api, org_zone):
    r = api.get(f"/v2/zones/{org_zone['id']}/recordsets", headers=READ_HEADERS,
                params={"type": "SOA"})
    soa_id = r.json()["recordsets"][0]["id"]
    r = api.get(f"/v2/zones/{org_zone['id']}/recordsets/{soa_id}", headers=READ_HEADERS)
    (record,) = r.json()["recordset"]["records"]
    assert list(record) == ["mname", "rname", "serial", "refresh", "retry", "expire", "minimum"]
    assert record["mname"] == "ns1.dnsplane.test." and record["rname"] == "joe.example.org."
    assert all(isinstance(record[k], int)
               for k in ("serial", "refresh", "retry", "expire", "minimum"))
    zone = api.get(f"/v2/zones/{org_zone['id']}", headers=READ_HEADERS).json()["zone"]
    assert record["serial"] == zone["serial"]


def test_errors_keep_the_designate_body(server, api):
    r = api.get("/v2/zones/00000000-0000-4000-8000-000000000000", headers=READ_HEADERS)
    assert r.status_code == 404
    body = r.json()
    assert body["code"] == 404 and body["type"] == "zone_not_found"
    assert r.headers["Vary"] == "Accept"


def test_style_flag_and_environment(dnsplane_factory):
    """--designate-style and DNSPLANE_DESIGNATE_STYLE choose the style too;
    without either the server keeps the final style."""
    body = {"zone": {"name": "example.org.", "email": "joe@example.org.", "ttl": 7200}}
    for kwargs, status in (({"flags": {"designate-style": "draft"}}, 201),
                           ({"env": {"DNSPLANE_DESIGNATE_STYLE": "draft"}}, 201),
                           ({}, 202)):
        srv = dnsplane_factory(**kwargs)
        r = srv.session().post("/v2/zones", json=body)
        assert r.status_code == status, (kwargs, r.text)
        assert r.headers["Location"].startswith(srv.api + "/v2/zones/")
        srv.stop()


def test_unknown_style_is_refused(dnsplane_factory):
    srv = dnsplane_factory(flags={"designate-style": "async"}, start=False)
    proc = srv.spawn()
    assert proc.wait(15) != 0
    assert "designate_style" in srv.stderr_text() or "designate-style" in srv.stderr_text()
