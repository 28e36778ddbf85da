"""Designate v2 API tenancy in --auth none mode: X-Auth-Project-ID isolates
projects (404 across them, never 403), X-Auth-All-Projects lets an admin see
every project, and X-Roles reader cannot write."""

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture(scope="module")
def alpha(srv):
    return srv.session(project="alpha", roles="member")


@pytest.fixture(scope="module")
def beta(srv):
    return srv.session(project="beta", roles="member")


@pytest.fixture(scope="module")
def alpha_zone(alpha):
    z = create_zone(alpha, name=unique_zone_name("alpha"))
    z["www"] = create_recordset(alpha, z["id"], "www." + z["name"], "A", ["192.0.2.1"])
    return z


def test_zone_carries_project(alpha_zone):
    assert alpha_zone["project_id"] == "alpha"
    assert alpha_zone["www"]["project_id"] == "alpha"


def test_other_project_sees_404(beta, alpha_zone):
    zid, rid = alpha_zone["id"], alpha_zone["www"]["id"]
    for method, path in [("GET", f"/v2/zones/{zid}"), ("PATCH", f"/v2/zones/{zid}"),
                         ("DELETE", f"/v2/zones/{zid}"), ("GET", f"/v2/zones/{zid}/recordsets"),
                         ("POST", f"/v2/zones/{zid}/recordsets"),
                         ("GET", f"/v2/zones/{zid}/recordsets/{rid}"),
                         ("PUT", f"/v2/zones/{zid}/recordsets/{rid}"),
                         ("DELETE", f"/v2/zones/{zid}/recordsets/{rid}"),
                         ("GET", f"/v2/recordsets/{rid}")]:
        kwargs = {"json": {"ttl": 60}} if method in ("PATCH", "PUT") else {}
        if method == "POST":
            kwargs = {"json": {"name": "x." + alpha_zone["name"], "type": "A",
                               "records": ["192.0.2.9"]}}
        r = beta.request(method, path, allow_redirects=False, **kwargs)
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["type"] in ("zone_not_found", "recordset_not_found")


def test_other_project_lists_exclude_it(beta, alpha_zone):
    zones = beta.get("/v2/zones").json()
    assert alpha_zone["id"] not in [z["id"] for z in zones["zones"]]
    assert beta.get("/v2/zones", params={"name": alpha_zone["name"]}).json()["zones"] == []
    sets = beta.get("/v2/recordsets", params={"name": "www." + alpha_zone["name"]}).json()
    assert sets["recordsets"] == [] and sets["metadata"]["total_count"] == 0


def test_same_name_in_other_project_is_conflict_not_leak(beta, alpha_zone):
    r = beta.post("/v2/zones", json={"name": alpha_zone["name"], "email": "b@example.org"})
    assert r.status_code == 409, r.text


def test_admin_all_projects(srv, alpha_zone):
    admin = srv.session(project="ops", roles="admin")
    assert admin.get(f"/v2/zones/{alpha_zone['id']}").status_code == 404
    everyone = srv.session(project="ops", roles="admin", all_projects=True)
    r = everyone.get(f"/v2/zones/{alpha_zone['id']}")
    assert r.status_code == 200 and r.json()["project_id"] == "alpha"
    names = [z["name"] for z in everyone.get("/v2/zones", params={"limit": 1000}).json()["zones"]]
    assert alpha_zone["name"] in names


def test_all_projects_needs_admin(srv):
    r = srv.session(project="alpha", roles="member", all_projects=True).get("/v2/zones")
    assert r.status_code == 403, r.text
    assert r.json()["type"] == "forbidden"


def test_reader_cannot_write(srv, alpha_zone):
    reader = srv.session(project="alpha", roles="reader")
    zid, rid = alpha_zone["id"], alpha_zone["www"]["id"]
    before = reader.get(f"/v2/zones/{zid}")
    assert before.status_code == 200
    assert reader.get(f"/v2/zones/{zid}/recordsets/{rid}").status_code == 200
    writes = [("POST", "/v2/zones", {"name": unique_zone_name(), "email": "r@example.org"}),
              ("PATCH", f"/v2/zones/{zid}", {"ttl": 60}),
              ("POST", f"/v2/zones/{zid}/recordsets",
               {"name": "r." + alpha_zone["name"], "type": "A", "records": ["192.0.2.3"]}),
              ("PUT", f"/v2/zones/{zid}/recordsets/{rid}", {"ttl": 60}),
              ("DELETE", f"/v2/zones/{zid}/recordsets/{rid}", None),
              ("DELETE", f"/v2/zones/{zid}", None)]
    for method, path, body in writes:
        r = reader.request(method, path, json=body)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["type"] == "forbidden"
    after = reader.get(f"/v2/zones/{zid}").json()
    assert (after["version"], after["serial"]) == (before.json()["version"], before.json()["serial"])


def test_project_header_any_case(srv, alpha_zone):
    s = srv.session(project="ignored")
    del s.headers["X-Auth-Project-ID"]
    s.headers["x-auth-project-id"] = "alpha"
    assert s.get(f"/v2/zones/{alpha_zone['id']}").status_code == 200


def test_managed_apex_ns_and_soa_cannot_be_replaced(srv):
    admin = srv.session(project="gamma", roles="admin")
    z = create_zone(admin, name=unique_zone_name("gamma"))
    sets = admin.get(f"/v2/zones/{z['id']}/recordsets?type=NS").json()["recordsets"]
    apex_ns = next(s for s in sets if s["name"] == z["name"])
    url = f"/v2/zones/{z['id']}/recordsets/{apex_ns['id']}"
    body = {"records": ["ns1.dnsplane.test.", "ns2.example.net."]}

    r = admin.put(url, json=body)
    assert r.status_code == 403 and r.json()["type"] == "forbidden", r.text
    member = srv.session(project="gamma", roles="member")
    member.headers["X-Designate-Edit-Managed-Records"] = "true"
    assert member.put(url, json=body).status_code == 403
    assert admin.get(url).json()["records"] == apex_ns["records"]

    # Even an admin asking to edit managed record sets cannot replace them, as
    # in Designate: the apex NS come from the pool, the SOA from the zone.
    admin.headers["X-Designate-Edit-Managed-Records"] = "true"
    r = admin.put(url, json=body)
    assert r.status_code == 400 and r.json()["type"] == "bad_request", r.text
    # The set is refused before its body is read (Designate): a malformed body too.
    r = admin.put(url, json=[{"hostname": "ns1.example.net.", "priority": 1}])
    assert r.status_code == 400 and r.json()["type"] == "bad_request", r.text
    assert admin.get(url).json()["records"] == apex_ns["records"]
    www = create_recordset(admin, z["id"], "www." + z["name"], "A", ["192.0.2.1"])
    r = admin.put(f"/v2/zones/{z['id']}/recordsets/{www['id']}", json=["192.0.2.2"])
    assert r.status_code == 400 and r.json()["type"] == "invalid_object", r.text
    soa = admin.get(f"/v2/zones/{z['id']}/recordsets?type=SOA").json()["recordsets"][0]
    soa_url = f"/v2/zones/{z['id']}/recordsets/{soa['id']}"
    r = admin.put(soa_url, json={"records": ["ns1.example.net. h.example.net. 1 2 3 4 5"]})
    assert r.status_code == 400 and r.json()["type"] == "bad_request", r.text
    plain_member = srv.session(project="gamma", roles="member")
    r = plain_member.put(soa_url, json={"ttl": 60})
    assert r.status_code == 400 and r.json()["type"] == "bad_request", r.text
    assert admin.get(soa_url).json()["records"] == soa["records"]
