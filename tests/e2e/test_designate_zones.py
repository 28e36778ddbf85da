"""Designate v2 API: version discovery, zones, pools, input errors and If-Match,
against the real binary (--auth none)."""

import json
import re
import uuid

import dns.flags
import dns.name
import dns.rcode
import pytest
import requests

from dnsplane_harness import create_zone, unique_zone_name

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")
ZONE_FIELDS = {"id", "pool_id", "project_id", "name", "email", "ttl", "serial", "status",
               "action", "description", "masters", "type", "transferred_at", "version",
               "created_at", "updated_at", "attributes", "shared", "links"}


@pytest.fixture(scope="module")
def api(dnsplane_module):
    return dnsplane_module.session()


def assert_error(r, code, type_):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["code"] == code
    assert body["type"] == type_, body
    assert body["message"]
    assert body["request_id"].startswith("req-")
    return body


def field_errors(body):
    return {tuple(e["path"]): e for e in body["errors"]["errors"]}


# --- discovery ----------------------------------------------------------------
def test_root_version_document(dnsplane_module):
    r = requests.get(dnsplane_module.api + "/", timeout=10)  # no auth headers at all
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    versions = r.json()["versions"]
    current = [v for v in versions if v["status"] == "CURRENT"]
    assert len(current) == 1 and current[0]["id"] == "v2.1"
    assert current[0]["links"] == [{"href": dnsplane_module.api + "/v2", "rel": "self"}]
    assert {"id": "v2.0", "status": "SUPPORTED",
            "links": [{"href": dnsplane_module.api + "/v2", "rel": "self"}]} in versions


@pytest.mark.parametrize("path", ["/v2", "/v2/"])
def test_v2_version_document(dnsplane_module, path):
    r = requests.get(dnsplane_module.api + path, timeout=10)
    assert r.status_code == 200
    assert r.json()["versions"][0]["id"] == "v2.1"


def test_every_response_varies_by_accept(api):
    assert api.get("/").headers["Vary"] == "Accept"
    assert api.get("/v2/zones").headers["Vary"] == "Accept"
    assert api.get("/v2/zones/" + str(uuid.uuid4())).headers["Vary"] == "Accept"


# --- zones -----------------------------------------------------------------------
def test_create_zone_answers_202_pending(dnsplane_module, api):
    name = unique_zone_name("create")
    r = api.post("/v2/zones", json={"name": name, "email": "admin@example.org", "ttl": 600,
                                    "description": "first"})
    assert r.status_code == 202, r.text
    z = r.json()
    assert set(z) == ZONE_FIELDS
    assert z["status"] == "PENDING" and z["action"] == "CREATE"
    assert UUID_RE.match(z["id"]) and UUID_RE.match(z["pool_id"])
    assert z["name"] == name and z["email"] == "admin@example.org" and z["ttl"] == 600
    assert z["description"] == "first" and z["type"] == "PRIMARY" and z["masters"] == []
    assert z["version"] == 1 and z["updated_at"] is None and TIME_RE.match(z["created_at"])
    assert z["project_id"] == "default"
    self_url = f"{dnsplane_module.api}/v2/zones/{z['id']}"
    assert z["links"] == {"self": self_url, "recordsets": self_url + "/recordsets"}
    assert r.headers["Location"] == self_url
    assert r.headers["ETag"] == '"1"'


def test_get_zone_is_active_and_live(api):
    z = create_zone(api)
    r = api.get(f"/v2/zones/{z['id']}")
    assert r.status_code == 200
    got = r.json()
    assert got["status"] == "ACTIVE" and got["action"] == "NONE"
    assert r.headers["ETag"] == '"1"'
    # The SOA and apex NS record sets exist at once.
    types = {rs["type"] for rs in api.get(f"/v2/zones/{z['id']}/recordsets").json()["recordsets"]}
    assert {"SOA", "NS"} <= types


def test_wrapped_body_and_notes_alias(api):
    name = unique_zone_name("wrapped")
    r = api.post("/v2/zones", json={"zone": {"name": name, "email": "a@example.org",
                                             "notes": "from the draft"}})
    assert r.status_code == 202, r.text
    assert r.json()["description"] == "from the draft"


def test_name_in_id_position_is_invalid_uuid(api):
    # Designate's answer (designate-tempest-plugin checks it); openstacksdk's
    # find_zone falls back to a name lookup on it.
    z = create_zone(api)
    assert_error(api.get(f"/v2/zones/{z['name']}"), 400, "invalid_uuid")
    assert_error(api.get(f"/v2/zones/{uuid.uuid4()}"), 404, "zone_not_found")


def test_find_by_name_filter(api):
    z = create_zone(api)
    r = api.get("/v2/zones", params={"name": z["name"].rstrip(".").upper()})
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["zones"]] == [z["id"]]


def test_patch_zone(api):
    z = create_zone(api)
    r = api.patch(f"/v2/zones/{z['id']}", json={"ttl": 900, "email": "new@example.org",
                                                "description": "changed"})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "PENDING" and body["action"] == "UPDATE"
    assert body["ttl"] == 900 and body["email"] == "new@example.org"
    assert body["version"] == 2 and body["serial"] > z["serial"]
    assert r.headers["ETag"] == '"2"'
    got = api.get(f"/v2/zones/{z['id']}").json()
    assert got["ttl"] == 900 and got["description"] == "changed" and got["updated_at"]
    assert got["status"] == "ACTIVE"
    # description null clears it (openstack zone set --no-description)
    r = api.patch(f"/v2/zones/{z['id']}", json={"description": None})
    assert r.status_code == 202 and r.json()["description"] is None


@pytest.mark.parametrize("field,value", [("name", "other.example.org."), ("type", "SECONDARY"),
                                         ("serial", 5), ("id", str(uuid.uuid4()))])
def test_patch_read_only_fields_rejected(api, field, value):
    z = create_zone(api)
    body = assert_error(api.patch(f"/v2/zones/{z['id']}", json={field: value}), 400,
                        "invalid_object")
    assert (field,) in field_errors(body)


def test_delete_zone(api):
    z = create_zone(api)
    r = api.delete(f"/v2/zones/{z['id']}")
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["id"] == z["id"] and body["action"] == "DELETE" and body["status"] == "PENDING"
    assert_error(api.get(f"/v2/zones/{z['id']}"), 404, "zone_not_found")
    assert_error(api.delete(f"/v2/zones/{z['id']}"), 404, "zone_not_found")


def test_if_match(api):
    z = create_zone(api)
    url = f"/v2/zones/{z['id']}"
    assert api.patch(url, json={"ttl": 700}, headers={"If-Match": '"1"'}).status_code == 202
    assert_error(api.patch(url, json={"ttl": 701}, headers={"If-Match": '"1"'}), 412,
                 "precondition_failed")
    assert api.get(url).json()["ttl"] == 700
    assert api.patch(url, json={"ttl": 702}, headers={"If-Match": "*"}).status_code == 202
    r = api.patch(url, json={"ttl": 703}, headers={"If-Match": "3"})  # unquoted: malformed
    assert r.status_code == 400, r.text
    assert api.delete(url, headers={"If-Match": '"2"'}).status_code == 412
    assert api.delete(url, headers={"If-Match": '"3"'}).status_code == 202


def test_duplicate_zone_is_409(api):
    z = create_zone(api)
    assert_error(api.post("/v2/zones", json={"name": z["name"], "email": "a@example.org"}), 409,
                 "duplicate_zone")


# RFC 4343: names compare case-insensitively but keep the case they were given.
def test_zone_keeps_its_spelling_and_is_compared_canonically(dnsplane_module, api):
    spelled = "MiXeD-" + unique_zone_name("Case")
    z = create_zone(api, name=spelled)
    assert z["name"] == spelled
    assert api.get(f"/v2/zones/{z['id']}").json()["name"] == spelled
    listed = api.get("/v2/zones", params={"name": spelled.lower()}).json()["zones"]
    assert [(x["id"], x["name"]) for x in listed] == [(z["id"], spelled)]
    # The same zone in any other case is a duplicate.
    assert_error(api.post("/v2/zones", json={"name": spelled.swapcase(), "email": "a@example.org"}),
                 409, "duplicate_zone")
    # DNS answers for any case of the name.
    for qname in (spelled, spelled.upper(), spelled.lower()):
        answer = dnsplane_module.query(qname, "SOA")
        assert answer.rcode() == dns.rcode.NOERROR and answer.flags & dns.flags.AA, qname
        assert answer.answer[0].name == dns.name.from_text(spelled)


def test_imported_zone_keeps_the_spelling_of_its_file(api):
    spelled = "Imported-" + unique_zone_name("Case")
    text = (f"$ORIGIN {spelled}\n@ 600 IN SOA ns1.{spelled} hostmaster.{spelled} 1 2 3 4 5\n"
            f"@ IN NS ns1.{spelled}\nWWW 300 IN A 192.0.2.80\n")
    r = api.post("/v2/zones/tasks/imports", data=text.encode(),
                 headers={"Content-Type": "text/dns"})
    assert r.status_code == 202, r.text
    task = api.get(f"/v2/zones/tasks/imports/{r.json()['id']}").json()
    assert task["status"] == "COMPLETE", task
    assert api.get(f"/v2/zones/{task['zone_id']}").json()["name"] == spelled
    sets = api.get(f"/v2/zones/{task['zone_id']}/recordsets", params={"type": "A"}).json()
    assert [rs["name"] for rs in sets["recordsets"]] == ["www." + spelled.lower()]
    # Its export spells it so too ($ORIGIN and the apex); other owners are canonical.
    ex = api.post(f"/v2/zones/{task['zone_id']}/tasks/export").json()
    text = api.get(f"/v2/zones/tasks/exports/{ex['id']}/export",
                   headers={"Accept": "text/dns"}).text
    assert text.startswith(f"$ORIGIN {spelled}\n$TTL 600\n{spelled}  IN SOA "), text
    assert f"\nwww.{spelled.lower()} 300 IN A 192.0.2.80\n" in text, text


# --- input errors ----------------------------------------------------------------
def test_malformed_json(api):
    r = api.post("/v2/zones", data='{"name": "x.example.org.",',
                 headers={"Content-Type": "application/json"})
    body = assert_error(r, 400, "bad_request")
    assert body["message"].startswith("Malformed JSON body")


def test_wrong_content_type_is_415(api):
    r = api.post("/v2/zones", data=json.dumps({"name": unique_zone_name(), "email": "a@b.org"}),
                 headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")


def test_content_type_parameters_accepted(api):
    r = api.post("/v2/zones", data=json.dumps({"name": unique_zone_name(), "email": "a@b.org"}),
                 headers={"Content-Type": "application/json; charset=UTF-8"})
    assert r.status_code == 202, r.text


@pytest.mark.parametrize("payload", ["[]", '"zone"', "42", "null"])
def test_non_object_body(api, payload):
    r = api.post("/v2/zones", data=payload, headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_object")


@pytest.mark.parametrize("field,value,validator", [
    ("ttl", "3600", "type"), ("ttl", 1.5, "type"), ("email", 7, "type"),
    ("description", ["x"], "type"), ("colour", "blue", "additionalProperties"),
    ("status", "ACTIVE", "readOnly")])
def test_zone_field_errors(api, field, value, validator):
    body = {"name": unique_zone_name(), "email": "a@example.org", field: value}
    err = assert_error(api.post("/v2/zones", json=body), 400, "invalid_object")
    errors = field_errors(err)
    assert errors[(field,)]["validator"] == validator
    assert errors[(field,)]["message"]


def test_missing_name_is_required_error(api):
    err = assert_error(api.post("/v2/zones", json={"email": "a@example.org"}), 400,
                       "invalid_object")
    assert field_errors(err)[("name",)]["validator"] == "required"


@pytest.mark.parametrize("name", ["noTrailingDot.example.org", "org.", "a..example.org.",
                                  ("x" * 64) + ".example.org."])
def test_bad_zone_names(api, name):
    assert_error(api.post("/v2/zones", json={"name": name, "email": "a@example.org"}), 400,
                 "invalid_object")


def test_bad_email_and_ttl(api):
    assert_error(api.post("/v2/zones", json={"name": unique_zone_name(), "email": "nope"}), 400,
                 "invalid_object")
    assert_error(api.post("/v2/zones", json={"name": unique_zone_name(), "email": "a@b.org",
                                             "ttl": 2147483648}), 400, "invalid_object")


def test_unknown_route_and_method(api):
    assert api.get("/v2/nothing").status_code == 404
    r = api.put("/v2/zones", json={})
    assert r.status_code == 405


# --- pools -------------------------------------------------------------------------
def test_zone_version_and_etag_follow_record_set_writes(api):
    # A record set write changes the zone's serial, so the zone's version,
    # ETag and updated_at change with it and an older If-Match is stale.
    z = create_zone(api)
    url = f"/v2/zones/{z['id']}"
    before = api.get(url)
    r = api.post(f"{url}/recordsets", json={"name": "v." + z["name"], "type": "A",
                                            "records": ["192.0.2.7"]})
    assert r.status_code == 202, r.text
    after = api.get(url)
    assert after.json()["serial"] == before.json()["serial"] + 1
    assert after.json()["version"] == before.json()["version"] + 1
    assert after.headers["ETag"] != before.headers["ETag"]
    assert TIME_RE.match(after.json()["updated_at"])
    stale = api.patch(url, json={"ttl": 900}, headers={"If-Match": before.headers["ETag"]})
    assert_error(stale, 412, "precondition_failed")
    assert api.get(url).json()["ttl"] == z["ttl"]


def test_pools(dnsplane_module, api):
    r = api.get("/v2/pools")
    assert r.status_code == 200
    body = r.json()
    assert body["metadata"]["total_count"] == len(body["pools"]) == 1
    pool = body["pools"][0]
    assert {"id", "name", "description", "project_id", "attributes", "ns_records",
            "created_at", "updated_at", "links"} <= set(pool)
    assert pool["attributes"] == {}
    assert TIME_RE.match(pool["created_at"]), pool
    assert pool["ns_records"] and all({"hostname", "priority"} == set(ns)
                                      for ns in pool["ns_records"])
    one = api.get(f"/v2/pools/{pool['id']}")
    assert one.status_code == 200 and one.json()["id"] == pool["id"]
    assert one.headers.get("ETag")
    assert pool["links"]["self"] == f"{dnsplane_module.api}/v2/pools/{pool['id']}"
    # zones are placed in that pool
    assert create_zone(api)["pool_id"] == pool["id"]
    assert_error(api.get(f"/v2/pools/{uuid.uuid4()}"), 404, "pool_not_found")


def test_child_zone_takes_over_parent_record_sets(dnsplane_module, api):
    parent = create_zone(api)
    child_name = "child." + parent["name"]
    r = api.post(f"/v2/zones/{parent['id']}/recordsets",
                 json={"name": "x." + child_name, "type": "A", "records": ["192.0.2.61"]})
    assert r.status_code == 202, r.text
    moved_id = r.json()["id"]
    parent_serial = api.get(f"/v2/zones/{parent['id']}").json()["serial"]

    child = create_zone(api, name=child_name)
    in_child = api.get(f"/v2/zones/{child['id']}/recordsets?name=x.{child_name}").json()
    assert [rs["id"] for rs in in_child["recordsets"]] == [moved_id]
    in_parent = api.get(f"/v2/zones/{parent['id']}/recordsets?name=x.{child_name}").json()
    assert in_parent["recordsets"] == []
    assert api.get(f"/v2/zones/{parent['id']}").json()["serial"] == parent_serial + 1
    # DNS agrees with the API: the child zone (longest match) now holds it.
    answer = dnsplane_module.query("x." + child_name, "A")
    assert [rr.address for rr in answer.answer[0]] == ["192.0.2.61"]
