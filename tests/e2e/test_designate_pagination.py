"""Designate v2 API collections: limit/marker paging across page boundaries,
sorting, exact total_count, the 2013 draft's page/per_page, and the errors
of bad paging parameters."""

import urllib.parse

import pytest

from dnsplane_harness import create_recordset, create_zone

ZONES = 7


@pytest.fixture(scope="module")
def server(dnsplane_module_factory):
    """A server of its own, so that counts are exact: 7 zones in project
    "pager" (one with 25 extra record sets) and one zone elsewhere."""
    srv = dnsplane_module_factory()
    api = srv.session(project="pager")
    srv.zones = [create_zone(api, name=f"p{i}.pager.test.", ttl=3600 + i) for i in range(ZONES)]
    for i in range(25):
        create_recordset(api, srv.zones[0]["id"], f"host{i:02d}.p0.pager.test.", "A",
                         [f"192.0.2.{i + 1}"])
    create_zone(srv.session(project="someone-else"), name="other.pager.test.")
    return srv


@pytest.fixture(scope="module")
def api(server):
    return server.session(project="pager")


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(url).query))


def walk(api, path, key, params):
    """Follows links.next; returns (items, pages, bodies)."""
    items, bodies = [], []
    r = api.get(path, params=params)
    while True:
        assert r.status_code == 200, r.text
        body = r.json()
        bodies.append(body)
        items.extend(body[key])
        nxt = body["links"].get("next")
        if not nxt:
            return items, bodies
        r = api.get(nxt)


def test_default_limit_is_20(server, api):
    body = api.get(f"/v2/zones/{server.zones[0]['id']}/recordsets").json()
    assert len(body["recordsets"]) == 20
    assert body["metadata"]["total_count"] == 27  # SOA + NS + 25 A
    nxt = query_of(body["links"]["next"])
    assert nxt["limit"] == "20" and nxt["marker"] == body["recordsets"][-1]["id"]


def test_marker_paging_across_boundaries(server, api):
    items, bodies = walk(api, "/v2/zones", "zones", {"limit": 3})
    assert [len(b["zones"]) for b in bodies] == [3, 3, 1]
    assert all(b["metadata"]["total_count"] == ZONES for b in bodies)
    assert [z["id"] for z in items] == [z["id"] for z in server.zones]  # created_at order
    assert "next" not in bodies[-1]["links"]
    for b in bodies[:-1]:
        nxt = b["links"]["next"]
        assert nxt.startswith(server.api + "/v2/zones?")
        assert nxt.endswith("marker=" + b["zones"][-1]["id"])


def test_exact_page_size_has_no_dangling_next(api):
    body = api.get("/v2/zones", params={"limit": ZONES}).json()
    assert len(body["zones"]) == ZONES and "next" not in body["links"]


def test_next_link_repeats_filters_and_sort(server, api):
    params = {"name": "p*", "limit": 2, "sort_key": "ttl", "sort_dir": "desc", "colour": "x"}
    items, bodies = walk(api, "/v2/zones", "zones", params)
    assert [z["ttl"] for z in items] == sorted((z["ttl"] for z in server.zones), reverse=True)
    nxt = query_of(bodies[0]["links"]["next"])
    assert nxt["name"] == "p*" and nxt["sort_key"] == "ttl" and nxt["sort_dir"] == "desc"
    assert nxt["limit"] == "2" and "colour" not in nxt


@pytest.mark.parametrize("key", ["name", "ttl", "id", "serial", "created_at", "email",
                                 "updated_at", "version", "status", "type", "description"])
def test_zone_sort_keys(api, key):
    items, _ = walk(api, "/v2/zones", "zones", {"sort_key": key, "limit": 2})
    assert len(items) == ZONES and len({z["id"] for z in items}) == ZONES
    if key in ("name", "ttl", "id"):
        assert [z[key] for z in items] == sorted(z[key] for z in items)


def test_recordset_paging_in_both_directions(server, api):
    path = f"/v2/zones/{server.zones[0]['id']}/recordsets"
    asc, bodies = walk(api, path, "recordsets", {"limit": 10, "sort_key": "name"})
    assert [len(b["recordsets"]) for b in bodies] == [10, 10, 7]
    desc, _ = walk(api, path, "recordsets", {"limit": 4, "sort_key": "name", "sort_dir": "desc"})
    # ties (the apex SOA and NS) may break either way; the names must mirror
    assert [r["name"] for r in desc] == [r["name"] for r in asc][::-1]
    assert sorted(r["id"] for r in desc) == sorted(r["id"] for r in asc)
    filtered, fb = walk(api, path, "recordsets", {"type": "A", "limit": 10})
    assert len(filtered) == 25 and fb[0]["metadata"]["total_count"] == 25
    assert query_of(fb[0]["links"]["next"])["type"] == "A"


def test_all_recordsets_paging(api):
    items, bodies = walk(api, "/v2/recordsets", "recordsets", {"limit": 9})
    total = bodies[0]["metadata"]["total_count"]
    assert total == 25 + 2 * ZONES
    assert len(items) == total and len({r["id"] for r in items}) == total


def test_limit_rules(api):
    assert len(api.get("/v2/zones", params={"limit": 5000}).json()["zones"]) == ZONES
    for bad in ["0", "-1", "abc", "2.5"]:
        r = api.get("/v2/zones", params={"limit": bad})
        assert r.status_code == 400 and r.json()["type"] == "invalid_limit", (bad, r.text)


def test_bad_marker_sort_key_and_dir(api):
    r = api.get("/v2/zones", params={"marker": "6f1a2c2e-0000-4000-8000-000000000000"})
    assert r.status_code == 400 and r.json()["type"] == "invalid_marker", r.text
    r = api.get("/v2/zones", params={"sort_key": "colour"})
    assert r.status_code == 400 and r.json()["type"] == "invalid_sort_key"
    r = api.get("/v2/recordsets", params={"sort_key": "serial"})
    assert r.status_code == 400 and r.json()["type"] == "invalid_sort_key"
    r = api.get("/v2/zones", params={"sort_dir": "upwards"})
    assert r.status_code == 400 and r.json()["type"] == "invalid_sort_dir"


def test_page_per_page_style(server, api):
    seen = []
    page = 1
    while True:
        r = api.get("/v2/zones", params={"per_page": 3, "page": page})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["metadata"]["total_count"] == ZONES
        seen.extend(z["id"] for z in body["zones"])
        links = body["links"]
        if page > 1:
            assert query_of(links["previous"])["page"] == str(page - 1)
        else:
            assert "previous" not in links
        if "next" not in links:
            break
        assert query_of(links["next"]) == {"per_page": "3", "page": str(page + 1)}
        page += 1
    assert page == 3 and seen == [z["id"] for z in server.zones]
    beyond = api.get("/v2/zones", params={"per_page": 3, "page": 9}).json()
    assert beyond["zones"] == [] and "next" not in beyond["links"]


def test_page_style_errors(api):
    for params, type_ in [({"page": 0}, "bad_request"), ({"page": "x"}, "bad_request"),
                          ({"per_page": 0}, "invalid_limit"), ({"per_page": 1001}, "invalid_limit"),
                          ({"page": 2, "marker": "x"}, "bad_request")]:
        r = api.get("/v2/zones", params=params)
        assert r.status_code == 400 and r.json()["type"] == type_, (params, r.text)


def test_limit_marker_meaning_unchanged_by_draft_support(api):
    first = api.get("/v2/zones", params={"limit": 2}).json()
    second = api.get("/v2/zones", params={"limit": 2,
                                          "marker": first["zones"][-1]["id"]}).json()
    assert "previous" not in first["links"] and "previous" not in second["links"]
    assert len(second["zones"]) == 2
    assert second["zones"][0]["id"] not in {z["id"] for z in first["zones"]}


def test_zone_filters(server, api):
    def names(**params):
        r = api.get("/v2/zones", params=params)
        assert r.status_code == 200, r.text
        return sorted(z["name"] for z in r.json()["zones"])

    assert names(name="p3.pager.test.") == ["p3.pager.test."]
    assert names(name="P3.PAGER.TEST") == ["p3.pager.test."]
    assert names(ttl=3602) == ["p2.pager.test."]
    assert names(email="hostmaster@example.org", type="PRIMARY", status="ACTIVE") == \
        sorted(z["name"] for z in server.zones)
    assert names(email="*@example.org", name="p1*") == ["p1.pager.test."]
    assert names(name="other.pager.test.") == []  # another project's zone
    assert names(description="nothing") == []
