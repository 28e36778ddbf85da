"""The record API (/v1/domains) over HTTP: shapes and statuses, auth and
project scoping, the error body, TTL rules Lexicon's CLI cannot express,
three views agreeing (record API, DNS, Designate record sets) and record ids
surviving a restart."""
from __future__ import annotations

import pytest

from dnsplane_harness import create_zone, list_all
from lexicon_support import lexicon_domain


@pytest.fixture
def srv(dnsplane):
    return dnsplane


@pytest.fixture
def zone(srv):
    name = lexicon_domain()
    return create_zone(srv.session(), name + ".")


def base(zone):
    return f"/v1/domains/{zone['name'].rstrip('.')}"


def error_shape(r, status, type_):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == status and body["type"] == type_
    assert body["message"] and "request_id" in body
    return body


def dns_values(srv, name, rtype):
    answer = srv.query(name, rtype)
    return sorted(rr.to_text() for rrset in answer.answer for rr in rrset if
                  rrset.rdtype == __import__("dns.rdatatype").rdatatype.from_text(rtype))


def designate_values(s, zone, name, rtype):
    sets = list_all(s, f"/v2/zones/{zone['id']}/recordsets?name={name}&type={rtype}",
                    "recordsets")
    return sorted(v for rs in sets for v in rs["records"])


def three_views(srv, s, zone, rel, rtype):
    """Record API list, DNS answer, Designate sets: as canonical value text."""
    fqdn = f"{rel}.{zone['name']}"
    api = s.get(base(zone) + "/records", params={"type": rtype, "name": rel}).json()
    if rtype == "TXT":
        api_vals = sorted(f'"{r["content"]}"' for r in api)
    else:
        api_vals = sorted(r["content"] for r in api)
    return api_vals, dns_values(srv, fqdn, rtype), designate_values(s, zone, fqdn, rtype)


def assert_views_agree(srv, s, zone, rel, rtype, expected):
    api, dns_, des = three_views(srv, s, zone, rel, rtype)
    assert api == dns_ == des == sorted(expected)


def test_domain_shape_and_statuses(srv, zone):
    s = srv.session()
    r = s.get(base(zone))
    assert r.status_code == 200
    assert r.json() == {"id": zone["id"], "name": zone["name"].rstrip("."), "ttl": 3600}
    assert s.get("/v1/domains/" + zone["name"].upper()).json()["id"] == zone["id"]
    error_shape(s.get("/v1/domains/unknown-domain.org"), 404, "zone_not_found")
    # another project's domain looks absent
    error_shape(srv.session(project="other").get(base(zone)), 404, "zone_not_found")
    error_shape(srv.session(project="other").get(base(zone) + "/records"), 404, "zone_not_found")


def test_create_list_update_delete_shapes(srv, zone):
    s = srv.session()
    r = s.post(base(zone) + "/records", json={"type": "TXT", "name": "_acme", "content": "v1"})
    assert r.status_code == 201, r.text
    rec = r.json()
    assert set(rec) == {"id", "type", "name", "ttl", "content", "options"}
    assert rec["type"] == "TXT" and rec["name"] == "_acme." + zone["name"].rstrip(".")
    assert rec["ttl"] == 3600 and rec["content"] == "v1"
    again = s.post(base(zone) + "/records",
                   json={"type": "txt", "name": "_ACME." + zone["name"], "content": "v1"})
    assert again.status_code == 200 and again.json()["id"] == rec["id"]
    got = s.get(base(zone) + f"/records/{rec['id']}")
    assert got.status_code == 200 and got.json() == rec
    s.post(base(zone) + "/records", json={"type": "TXT", "name": "_acme", "content": "v2"})
    listed = s.get(base(zone) + "/records", params={"type": "TXT", "name": "_acme"})
    assert listed.status_code == 200 and isinstance(listed.json(), list)
    assert sorted(x["content"] for x in listed.json()) == ["v1", "v2"]
    assert_views_agree(srv, s, zone, "_acme", "TXT", ['"v1"', '"v2"'])

    # update by filter: several values without content -> 409, nothing changed
    body = error_shape(s.patch(base(zone) + "/records", params={"type": "TXT", "name": "_acme"},
                               json={"content": "x"}), 409, "ambiguous_filter")
    assert "2" in body["message"]
    u = s.patch(base(zone) + "/records", params={"type": "TXT", "name": "_acme", "content": "v2"},
                json={"content": "v3"})
    assert u.status_code == 200 and u.json()["content"] == "v3"
    assert_views_agree(srv, s, zone, "_acme", "TXT", ['"v1"', '"v3"'])
    error_shape(s.patch(base(zone) + "/records", params={"type": "TXT", "name": "nope"},
                        json={"content": "x"}), 404, "record_not_found")
    error_shape(s.patch(base(zone) + "/records/does-not-exist", json={"content": "x"}), 404,
                "record_not_found")
    u = s.patch(base(zone) + f"/records/{rec['id']}", json={"content": "v1b"})
    assert u.status_code == 200 and u.json()["id"] == rec["id"]
    assert_views_agree(srv, s, zone, "_acme", "TXT", ['"v1b"', '"v3"'])

    d = s.delete(base(zone) + "/records", params={"type": "TXT", "name": "_acme", "content": "v3"})
    assert d.status_code == 204 and d.content == b""
    assert_views_agree(srv, s, zone, "_acme", "TXT", ['"v1b"'])
    assert s.delete(base(zone) + f"/records/{rec['id']}").status_code == 204
    assert_views_agree(srv, s, zone, "_acme", "TXT", [])
    error_shape(s.get(base(zone) + f"/records/{rec['id']}"), 404, "record_not_found")
    # nothing matched: still 204
    assert s.delete(base(zone) + f"/records/{rec['id']}").status_code == 204
    assert s.delete(base(zone) + "/records", params={"type": "TXT", "name": "_acme"}).status_code == 204


def test_rejected_requests_change_nothing(srv, zone):
    s = srv.session()
    s.post(base(zone) + "/records", json={"type": "A", "name": "a", "content": "192.0.2.1"})
    serial = s.get(f"/v2/zones/{zone['id']}").json()["serial"]
    body = error_shape(s.post(base(zone) + "/records", json={"type": "A", "name": "a"}), 400,
                       "invalid_object")
    assert body["errors"]["errors"][0]["path"] == ["content"]
    error_shape(s.post(base(zone) + "/records",
                       json={"type": "A", "name": "a", "content": "not-an-ip"}), 400,
                "invalid_object")
    error_shape(s.post(base(zone) + "/records",
                       json={"type": "A", "name": "a", "content": "192.0.2.9", "ttl": -1}), 400,
                "invalid_object")
    error_shape(s.post(base(zone) + "/records", data="{", headers={"Content-Type": "application/json"}),
                400, "bad_request")
    error_shape(s.get(base(zone) + "/records", params={"bogus": "1"}), 400, "invalid_filter")
    error_shape(s.delete(base(zone) + "/records", params={"name": "a"}), 400, "invalid_object")
    error_shape(srv.session(roles="reader").post(
        base(zone) + "/records", json={"type": "A", "name": "b", "content": "192.0.2.2"}),
        403, "forbidden")
    assert s.get(f"/v2/zones/{zone['id']}").json()["serial"] == serial
    assert_views_agree(srv, s, zone, "a", "A", ["192.0.2.1"])


def test_ttl_zero_is_default_and_absent_keeps_on_update(srv, zone):
    s = srv.session()
    r = s.post(base(zone) + "/records",
               json={"type": "A", "name": "t", "content": "192.0.2.1", "ttl": 300}).json()
    assert r["ttl"] == 300
    u = s.patch(base(zone) + f"/records/{r['id']}", json={"content": "192.0.2.2"}).json()
    assert u["ttl"] == 300  # absent: kept
    assert srv.query(f"t.{zone['name']}", "A").answer[0].ttl == 300
    u = s.patch(base(zone) + f"/records/{r['id']}", json={"ttl": 0}).json()
    assert u["ttl"] == 3600  # 0: the zone's default
    rs = list_all(s, f"/v2/zones/{zone['id']}/recordsets?name=t.{zone['name']}&type=A",
                  "recordsets")
    assert rs[0]["ttl"] is None
    c = s.post(base(zone) + "/records",
               json={"type": "A", "name": "t0", "content": "192.0.2.3", "ttl": 0}).json()
    assert c["ttl"] == 3600
    c = s.post(base(zone) + "/records",
               json={"type": "A", "name": "tn", "content": "192.0.2.4", "ttl": None}).json()
    assert c["ttl"] == 3600


def test_mx_priority_over_http(srv, zone):
    s = srv.session()
    r = s.post(base(zone) + "/records", json={"type": "MX", "name": "@", "content": "mx1.example.net",
                                              "options": {"mx": {"priority": 10}}})
    assert r.status_code == 201 and r.json()["options"] == {"mx": {"priority": 10}}
    assert r.json()["content"] == "mx1.example.net"
    u = s.patch(base(zone) + f"/records/{r.json()['id']}", json={"options": {"mx": {"priority": 5}}})
    assert u.json()["options"] == {"mx": {"priority": 5}} and u.json()["id"] == r.json()["id"]
    assert designate_values(s, zone, zone["name"], "MX") == ["5 mx1.example.net."]
    assert dns_values(srv, zone["name"], "MX") == ["5 mx1.example.net."]


def test_token_auth_401_and_project_scoping(dnsplane_factory):
    srv = dnsplane_factory(auth="token")
    token = srv.create_token("p1", "member")
    other = srv.create_token("p2", "member")
    s = srv.session(token=token)
    zone = create_zone(s, lexicon_domain() + ".")
    anon = srv.session(token=None)
    anon.headers.pop("X-Auth-Project-ID")
    anon.headers.pop("X-Roles")
    error_shape(anon.get(base(zone)), 401, "unauthorized")
    error_shape(srv.session(token="bogus").get(base(zone) + "/records"), 401, "unauthorized")
    error_shape(srv.session(token=other).get(base(zone)), 404, "zone_not_found")
    error_shape(srv.session(token=other).delete(base(zone) + "/records",
                                                params={"type": "NS", "name": "@"}),
                404, "zone_not_found")
    assert s.get(base(zone)).status_code == 200


def test_ids_survive_restart_and_unrelated_changes(srv, zone):
    s = srv.session()
    a = s.post(base(zone) + "/records", json={"type": "A", "name": "k", "content": "192.0.2.1"}).json()
    b = s.post(base(zone) + "/records", json={"type": "A", "name": "k", "content": "192.0.2.2"}).json()
    s.post(base(zone) + "/records", json={"type": "TXT", "name": "other", "content": "x"})
    s.delete(base(zone) + "/records", params={"type": "A", "name": "k", "content": "192.0.2.2"})
    before = s.get(base(zone) + "/records").json()
    srv.restart()
    s = srv.session()
    after = s.get(base(zone) + "/records").json()
    assert after == before
    assert [r["id"] for r in after if r["name"].startswith("k.")] == [a["id"]]
    assert b["id"] not in {r["id"] for r in after}
    assert_views_agree(srv, s, zone, "k", "A", ["192.0.2.1"])
