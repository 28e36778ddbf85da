"""Issue 13: ConnectorClass resources (zones, zones/{zone}/recordsets, the
auth probe) under --connector-prefix, with X-Plugin-* credentials and
Kubernetes Status error bodies, against the real binary."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from dnsplane_harness import create_recordset, create_token, create_zone, unique_zone_name

P = "/connector/v1"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def plugin_headers(secret: dict, kind: str = "kubernetes.io/basic-auth", plain_type=False,
                   base_url=None) -> dict:
    h = {"X-Plugin-Secret": b64(json.dumps({k: b64(v) for k, v in secret.items()})),
         "X-Plugin-Auth": kind if plain_type else b64(kind)}
    if base_url is not None:
        h["X-Plugin-Meta"] = b64(json.dumps({"baseURL": base_url}))
    return h


def get(srv, path, headers=None, **params):
    return requests.get(srv.url(P + path), headers=headers or {}, params=params, timeout=10)


def assert_status(r, code, reason, text=None):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["kind"] == "Status" and body["apiVersion"] == "v1"
    assert body["status"] == "Failure" and body["code"] == code and body["reason"] == reason
    assert body["metadata"] == {} and "details" in body
    if text:
        assert text in body["message"], body["message"]


@pytest.fixture(scope="module")
def token_srv(dnsplane_module_factory):
    srv = dnsplane_module_factory(auth="token")
    srv.tokens = {
        "admin": create_token(srv.db_url, "ops", "admin"),
        "p1": create_token(srv.db_url, "p1", "member"),
        "p2": create_token(srv.db_url, "p2", "member"),
    }
    s1 = srv.session(token=srv.tokens["p1"])
    srv.p1_zones = []
    for i in range(7):
        srv.p1_zones.append(create_zone(s1, name=f"c{i}-{unique_zone_name('conn')}"))
    create_zone(srv.session(token=srv.tokens["p2"]))
    z = srv.p1_zones[0]
    for i in range(5):
        create_recordset(s1, z["id"], f"r{i}.{z['name']}", "A", [f"192.0.2.{i + 1}"])
    return srv


def test_basic_auth_lists_the_projects_zones(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]},
                       base_url=token_srv.api)
    r = get(token_srv, "/zones", h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["listMeta"]["totalItems"] == 7
    names = [z["name"] for z in body["items"]]
    assert names == sorted(names) and set(names) == {z["name"] for z in token_srv.p1_zones}
    # the reference library's plain X-Plugin-Auth works too
    h2 = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]}, plain_type=True)
    assert get(token_srv, "/zones", h2).json()["listMeta"]["totalItems"] == 7


def test_opaque_token(token_srv):
    h = plugin_headers({"token": token_srv.tokens["p2"]}, kind="Opaque")
    r = get(token_srv, "/zones", h)
    assert r.status_code == 200 and r.json()["listMeta"]["totalItems"] == 1
    probe = get(token_srv, "/auth", h)
    assert probe.status_code == 200 and probe.json()["project"] == "p2"


def test_auth_probe(token_srv):
    ok = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    assert get(token_srv, "/auth", ok).status_code == 200
    wrong = plugin_headers({"username": "p1", "password": "not-a-token"})
    assert_status(get(token_srv, "/auth", wrong), 401, "Unauthorized")
    # a valid token of another project is the wrong password for p1
    other = plugin_headers({"username": "p1", "password": token_srv.tokens["p2"]})
    assert_status(get(token_srv, "/auth", other), 401, "Unauthorized", "p1")
    assert_status(get(token_srv, "/auth"), 401, "Unauthorized")


def test_malformed_credentials_are_400(token_srv):
    good = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    bad_b64 = dict(good, **{"X-Plugin-Secret": "%%%not base64%%%"})
    assert_status(get(token_srv, "/zones", bad_b64), 400, "BadRequest", "X-Plugin-Secret")
    not_json = dict(good, **{"X-Plugin-Secret": b64("username=p1")})
    assert_status(get(token_srv, "/zones", not_json), 400, "BadRequest", "JSON")
    inner_bad = dict(good, **{"X-Plugin-Secret": b64(json.dumps({"username": "p1!",
                                                                 "password": "%%"}))})
    assert_status(get(token_srv, "/zones", inner_bad), 400, "BadRequest", "not base64")
    ssh = plugin_headers({"ssh-privatekey": "x"}, kind="kubernetes.io/ssh-auth")
    assert_status(get(token_srv, "/zones", ssh), 400, "BadRequest", "kubernetes.io/ssh-auth")
    # an Opaque secret without token / basic-auth without password
    assert_status(get(token_srv, "/zones", plugin_headers({"user": "x"}, kind="Opaque")), 400,
                  "BadRequest", "token")
    assert_status(get(token_srv, "/zones", plugin_headers({"username": "p1"})), 400,
                  "BadRequest", "password")
    no_type = {"X-Plugin-Secret": good["X-Plugin-Secret"]}
    assert_status(get(token_srv, "/zones", no_type), 400, "BadRequest", "X-Plugin-Auth")


def test_foreign_base_url_is_400(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]},
                       base_url="https://github.com")
    assert_status(get(token_srv, "/zones", h), 400, "BadRequest", "github.com")
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]},
                       base_url=token_srv.api + "/connector/v1")
    assert get(token_srv, "/zones", h).status_code == 200


def test_pagination_edges(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    all_names = sorted(z["name"] for z in token_srv.p1_zones)
    r = get(token_srv, "/zones", h, page=2, itemsPerPage=3)
    body = r.json()
    assert [z["name"] for z in body["items"]] == all_names[3:6]
    assert body["listMeta"] == {"totalItems": 7, "page": 2, "itemsPerPage": 3, "totalPages": 3}
    beyond = get(token_srv, "/zones", h, page=9, itemsPerPage=3).json()
    assert beyond["items"] == [] and beyond["listMeta"]["totalItems"] == 7
    assert_status(get(token_srv, "/zones", h, page=0), 400, "BadRequest", "page")
    assert_status(get(token_srv, "/zones", h, itemsPerPage=101), 400, "BadRequest",
                  "itemsPerPage")
    assert_status(get(token_srv, "/zones", h, itemsPerPage="x"), 400, "BadRequest")
    assert get(token_srv, "/zones", h, itemsPerPage=100).status_code == 200
    desc = get(token_srv, "/zones", h, sortBy="desc,name").json()["items"]
    assert [z["name"] for z in desc] == all_names[::-1]
    assert_status(get(token_srv, "/zones", h, sortBy="up,name"), 400, "BadRequest")
    assert_status(get(token_srv, "/zones", h, sortBy="asc,colour"), 400, "BadRequest")
    search = get(token_srv, "/zones", h, searchValue="c3-").json()
    assert search["listMeta"]["totalItems"] == 1 and search["items"][0]["name"].startswith("c3-")


def test_recordsets(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    z = token_srv.p1_zones[0]
    for key in (z["id"], z["name"], z["name"].rstrip(".")):
        r = get(token_srv, f"/zones/{key}/recordsets", h, itemsPerPage=2, page=1)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["listMeta"]["totalItems"] == 7 and len(body["items"]) == 2  # SOA, NS, 5 A
        found = get(token_srv, f"/zones/{key}/recordsets", h, searchValue="r3.").json()
        assert found["listMeta"]["totalItems"] == 1
        assert found["items"][0]["records"] == ["192.0.2.4"]
    every = get(token_srv, f"/zones/{z['id']}/recordsets", h).json()
    assert {i["type"] for i in every["items"]} == {"SOA", "NS", "A"}
    # another project's credentials do not see the zone
    h2 = plugin_headers({"username": "p2", "password": token_srv.tokens["p2"]})
    assert_status(get(token_srv, f"/zones/{z['id']}/recordsets", h2), 404, "NotFound")
    assert_status(get(token_srv, "/zones/nope.example./recordsets", h), 404, "NotFound")


def test_noauth_mode_and_custom_prefix(dnsplane_factory):
    srv = dnsplane_factory(flags={"connector-prefix": "/api/dns"})
    zone = create_zone(srv.session(project="acme"))
    h = plugin_headers({"username": "acme", "password": "anything"})
    r = requests.get(srv.url("/api/dns/zones"), headers=h, timeout=5)
    assert r.status_code == 200 and r.json()["items"][0]["id"] == zone["id"]
    assert requests.get(srv.url("/api/dns/auth"), headers=h, timeout=5).status_code == 200
    assert requests.get(srv.url("/connector/v1/zones"), timeout=5).status_code == 404
    assert_status(requests.get(srv.url("/api/dns/nothing"), timeout=5), 404, "NotFound")


# --- zones/{zone}/records: Lexicon-shaped records (the /v1/domains semantics) ---
def records(srv, key, h, **params):
    return get(srv, f"/zones/{key}/records", h, **params)


def test_records_list_is_the_record_api_paged_sorted_searched(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    z = token_srv.p1_zones[0]  # SOA, apex NS, r0..r4 A
    lex = token_srv.session(token=token_srv.tokens["p1"]).get(
        f"/v1/domains/{z['name'].rstrip('.')}/records").json()
    assert len(lex) == 7
    for key in (z["id"], z["name"], z["name"].rstrip(".")):
        body = records(token_srv, key, h, itemsPerPage=100).json()
        assert body["listMeta"] == {"totalItems": 7, "page": 1, "itemsPerPage": 100,
                                    "totalPages": 1}
        assert body["items"] == lex  # same records, ids and shape as /v1/domains
    item = lex[-1]
    assert set(item) == {"id", "type", "name", "ttl", "content", "options"}
    assert not item["name"].endswith(".")

    # paging: default 20 per page, a middle page, beyond the end, the edges
    body = records(token_srv, z["id"], h, page=2, itemsPerPage=3).json()
    assert body["items"] == lex[3:6]
    assert body["listMeta"] == {"totalItems": 7, "page": 2, "itemsPerPage": 3, "totalPages": 3}
    assert records(token_srv, z["id"], h, page=3, itemsPerPage=3).json()["items"] == lex[6:]
    beyond = records(token_srv, z["id"], h, page=4, itemsPerPage=3).json()
    assert beyond["items"] == [] and beyond["listMeta"]["totalItems"] == 7
    assert_status(records(token_srv, z["id"], h, page=0), 400, "BadRequest", "page")
    assert_status(records(token_srv, z["id"], h, itemsPerPage=101), 400, "BadRequest",
                  "itemsPerPage")
    assert_status(records(token_srv, z["id"], h, itemsPerPage=0), 400, "BadRequest")

    # sortBy: name (default asc), type, content, ttl; the first pair sorts
    desc = records(token_srv, z["id"], h, sortBy="desc,name").json()["items"]
    assert [i["name"] for i in desc] == sorted((i["name"] for i in lex), reverse=True)
    by_content = records(token_srv, z["id"], h, sortBy="asc,content,desc,name").json()["items"]
    assert [i["content"] for i in by_content] == sorted(i["content"] for i in lex)
    by_type = records(token_srv, z["id"], h, sortBy="desc,type").json()["items"]
    assert [i["type"] for i in by_type] == sorted((i["type"] for i in lex), reverse=True)
    assert_status(records(token_srv, z["id"], h, sortBy="asc,createdTime"), 400, "BadRequest",
                  "name, type, content, ttl")
    assert_status(records(token_srv, z["id"], h, sortBy="asc"), 400, "BadRequest")

    # searchValue: a substring of the name or the content, any case
    found = records(token_srv, z["id"], h, searchValue="R3.").json()
    assert found["listMeta"]["totalItems"] == 1 and found["items"][0]["content"] == "192.0.2.4"
    found = records(token_srv, z["id"], h, searchValue="192.0.2.5").json()
    assert [i["name"] for i in found["items"]] == [f"r4.{z['name'].rstrip('.')}"]
    # Lexicon's filters work too, and other keys are refused
    typed = records(token_srv, z["id"], h, type="A", itemsPerPage=2).json()
    assert typed["listMeta"]["totalItems"] == 5 and len(typed["items"]) == 2
    named = records(token_srv, z["id"], h, name="r1").json()
    assert [i["content"] for i in named["items"]] == ["192.0.2.2"]
    assert_status(records(token_srv, z["id"], h, colour="blue"), 400, "BadRequest", "colour")

    # scoping: another project's credentials, an unknown zone
    h2 = plugin_headers({"username": "p2", "password": token_srv.tokens["p2"]})
    assert_status(records(token_srv, z["id"], h2), 404, "NotFound")
    assert_status(records(token_srv, "nope.example.", h), 404, "NotFound")
    assert_status(records(token_srv, z["id"], {}), 401, "Unauthorized")


def test_records_write_with_the_lexicon_rules(token_srv):
    h = plugin_headers({"username": "p1", "password": token_srv.tokens["p1"]})
    z = token_srv.p1_zones[1]
    base = token_srv.url(f"{P}/zones/{z['id']}/records")
    dname = z["name"].rstrip(".")

    r = requests.post(base, headers=h, json={"type": "TXT", "name": "_acme", "content": "tok"},
                      timeout=10)
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["name"] == f"_acme.{dname}" and rec["content"] == "tok" and rec["ttl"] == 3600
    again = requests.post(base, headers=h, json={"type": "TXT", "name": f"_acme.{dname}.",
                                                 "content": "tok"}, timeout=10)
    assert again.status_code == 200 and again.json()["id"] == rec["id"]  # a no-op
    # One semantics, several doors: the record API, DNS and Designate agree.
    lex = token_srv.session(token=token_srv.tokens["p1"]).get(
        f"/v1/domains/{dname}/records", params={"type": "TXT"}).json()
    assert [x["id"] for x in lex] == [rec["id"]]
    ans = token_srv.query(f"_acme.{z['name']}", "TXT")
    assert [b"".join(rr.strings) for rrset in ans.answer for rr in rrset] == [b"tok"]

    one = requests.get(f"{base}/{rec['id']}", headers=h, timeout=10)
    assert one.status_code == 200 and one.json() == rec
    r = requests.patch(f"{base}/{rec['id']}", headers=h, json={"content": "tok2", "ttl": 60},
                       timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == rec["id"] and r.json()["content"] == "tok2"
    assert r.json()["ttl"] == 60
    ans = token_srv.query(f"_acme.{z['name']}", "TXT")
    assert [b"".join(rr.strings) for rrset in ans.answer for rr in rrset] == [b"tok2"]

    # bad bodies: a Status with the failed fields as causes; nothing changes
    r = requests.post(base, headers=h, json={"type": "A", "name": "x", "content": "nope"},
                      timeout=10)
    assert_status(r, 400, "Invalid")
    r = requests.post(base, headers=h, json={"type": "MX", "name": "m", "content": "mx.",
                                             "options": {"mx": {}}}, timeout=10)
    assert_status(r, 400, "Invalid")
    assert r.json()["details"]["causes"][0]["field"] == "options.mx.priority"
    assert_status(requests.post(base, headers=h, data="{", timeout=10), 400, "BadRequest")
    assert requests.get(base, headers=h, params={"name": "x"}, timeout=10).json()["items"] == []

    # a reader may read but not write
    reader = create_token(token_srv.db_url, "p1", "reader")
    hr = plugin_headers({"username": "p1", "password": reader})
    assert requests.get(base, headers=hr, timeout=10).status_code == 200
    assert_status(requests.delete(f"{base}/{rec['id']}", headers=hr, timeout=10), 403,
                  "Forbidden")

    r = requests.delete(f"{base}/{rec['id']}", headers=h, timeout=10)
    assert r.status_code == 204 and r.content == b""
    assert requests.delete(f"{base}/{rec['id']}", headers=h, timeout=10).status_code == 204
    assert_status(requests.get(f"{base}/{rec['id']}", headers=h, timeout=10), 404, "NotFound")
    assert_status(requests.patch(f"{base}/{rec['id']}", headers=h, json={"content": "x"},
                                 timeout=10), 404, "NotFound")
    assert token_srv.query(f"_acme.{z['name']}", "TXT").answer == []


def test_records_in_noauth_mode(dnsplane_factory):
    srv = dnsplane_factory()
    zone = create_zone(srv.session(project="acme"))
    h = plugin_headers({"username": "acme", "password": "anything"})
    base = srv.url(f"{P}/zones/{zone['name']}/records")
    r = requests.post(base, headers=h, json={"type": "A", "name": "www", "content": "192.0.2.8"},
                      timeout=10)
    assert r.status_code == 201, r.text
    body = requests.get(base, headers=h, params={"type": "A"}, timeout=10).json()
    assert body["listMeta"]["totalItems"] == 1 and body["items"][0]["content"] == "192.0.2.8"
    # another project (noauth: the username) does not see the zone
    other = plugin_headers({"username": "someone", "password": "x"})
    assert_status(requests.get(base, headers=other, timeout=10), 404, "NotFound")
