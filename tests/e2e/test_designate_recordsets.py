"""Designate v2 API: record sets (zone-scoped and across zones), records as
strings or the 2013 draft's dicts, validation errors, If-Match, and that a
2xx means the DNS server already answers with the new data."""

import uuid

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name

RS_FIELDS = {"id", "project_id", "zone_id", "zone_name", "name", "type", "records", "ttl",
             "description", "status", "action", "version", "created_at", "updated_at", "links"}


@pytest.fixture(scope="module")
def api(dnsplane_module):
    return dnsplane_module.session()


@pytest.fixture
def zone(api):
    return create_zone(api, name=unique_zone_name("rs"))


def assert_error(r, code, type_):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["code"] == code and body["type"] == type_, body
    assert body["message"] and body["request_id"].startswith("req-")
    return body


def rs_url(zone, rs=None):
    base = f"/v2/zones/{zone['id']}/recordsets"
    return base if rs is None else f"{base}/{rs['id']}"


def test_create_recordset_202_pending(dnsplane_module, api, zone):
    name = "www." + zone["name"]
    r = api.post(rs_url(zone), json={"name": name, "type": "A", "ttl": 300,
                                     "records": ["192.0.2.1", "192.0.2.2"],
                                     "description": "web"})
    assert r.status_code == 202, r.text
    rs = r.json()
    assert set(rs) == RS_FIELDS
    assert rs["status"] == "PENDING" and rs["action"] == "CREATE"
    assert rs["zone_id"] == zone["id"] and rs["zone_name"] == zone["name"]
    assert rs["name"] == name and rs["type"] == "A" and rs["ttl"] == 300
    assert sorted(rs["records"]) == ["192.0.2.1", "192.0.2.2"]
    assert rs["description"] == "web" and rs["version"] == 1 and rs["updated_at"] is None
    self_url = f"{dnsplane_module.api}{rs_url(zone, rs)}"
    assert rs["links"] == {"self": self_url}
    assert r.headers["Location"] == self_url and r.headers["ETag"] == '"1"'

    got = api.get(rs_url(zone, rs))
    assert got.status_code == 200 and got.headers["ETag"] == '"1"'
    assert got.json()["status"] == "ACTIVE" and got.json()["action"] == "NONE"
    # committed and live before the 202 was sent
    answer = dnsplane_module.query(name, "A")
    assert sorted(rr.to_text() for rrset in answer.answer for rr in rrset) == \
        ["192.0.2.1", "192.0.2.2"]


def test_wrapped_body_and_dict_records(api, zone):
    r = api.post(rs_url(zone), json={"recordset": {
        "name": zone["name"], "type": "MX",
        "records": [{"preference": 10, "exchange": "Mail." + zone["name"].upper()},
                    "20 mail2." + zone["name"]]}})
    assert r.status_code == 202, r.text
    assert sorted(r.json()["records"]) == [f"10 mail.{zone['name']}", f"20 mail2.{zone['name']}"]
    srv = create_recordset(api, zone["id"], "_sip._tcp." + zone["name"], "SRV",
                           [{"priority": 10, "weight": 5, "port": 5060,
                             "target": "sip." + zone["name"]}])
    assert srv["records"] == [f"10 5 5060 sip.{zone['name']}"]
    txt = create_recordset(api, zone["id"], "t." + zone["name"], "TXT",
                           [{"text": "hello world"}], notes="via notes")
    assert txt["records"] == ['"hello world"'] and txt["description"] == "via notes"


def test_records_come_back_canonical(api, zone):
    rs = create_recordset(api, zone["id"], "six." + zone["name"], "AAAA",
                          ["2001:DB8:0:0:0:0:0:1"])
    assert rs["records"] == ["2001:db8::1"]
    rs = create_recordset(api, zone["id"], "alias." + zone["name"], "CNAME",
                          ["Target.Example.NET."])
    assert rs["records"] == ["target.example.net."]


def test_list_zone_recordsets_and_filters(api, zone):
    for i in range(3):
        create_recordset(api, zone["id"], f"h{i}.{zone['name']}", "A", [f"192.0.2.{i + 10}"])
    create_recordset(api, zone["id"], f"h0.{zone['name']}", "TXT", ['"x"'], ttl=60)
    body = api.get(rs_url(zone)).json()
    assert body["metadata"]["total_count"] == 6  # SOA, NS, 3 A, 1 TXT
    assert len(body["recordsets"]) == 6
    assert "next" not in body["links"]

    def names(params):
        r = api.get(rs_url(zone), params=params)
        assert r.status_code == 200, r.text
        return sorted((x["name"], x["type"]) for x in r.json()["recordsets"])

    assert names({"type": "A"}) == [(f"h{i}.{zone['name']}", "A") for i in range(3)]
    assert names({"type": "a", "name": f"H1.{zone['name']}".rstrip(".")}) == \
        [(f"h1.{zone['name']}", "A")]
    assert names({"name": f"h0.{zone['name']}"}) == [(f"h0.{zone['name']}", "A"),
                                                    (f"h0.{zone['name']}", "TXT")]
    assert names({"data": "192.0.2.11"}) == [(f"h1.{zone['name']}", "A")]
    assert names({"data": "192.0.2.1*"}) == [(f"h{i}.{zone['name']}", "A") for i in range(3)]
    assert names({"ttl": "60"}) == [(f"h0.{zone['name']}", "TXT")]
    assert names({"name": f"h*.{zone['name']}", "type": "TXT"}) == [(f"h0.{zone['name']}", "TXT")]
    assert names({"status": "active", "colour": "blue", "type": "SOA"}) == [(zone["name"], "SOA")]


def test_recordsets_across_zones(api):
    z1 = create_zone(api, name=unique_zone_name("across"))
    z2 = create_zone(api, name=unique_zone_name("across"))
    a = create_recordset(api, z1["id"], "x." + z1["name"], "A", ["198.51.100.1"])
    b = create_recordset(api, z2["id"], "x." + z2["name"], "A", ["198.51.100.1"])
    r = api.get("/v2/recordsets", params={"data": "198.51.100.1"})
    assert r.status_code == 200, r.text
    ids = {x["id"] for x in r.json()["recordsets"]}
    assert {a["id"], b["id"]} <= ids
    only = api.get("/v2/recordsets", params={"zone_id": z2["id"], "type": "A"}).json()
    assert [x["id"] for x in only["recordsets"]] == [b["id"]]
    assert only["metadata"]["total_count"] == 1


def test_unscoped_recordset_url_redirects(dnsplane_module, api, zone):
    rs = create_recordset(api, zone["id"], "r." + zone["name"], "A", ["192.0.2.5"])
    r = api.get(f"/v2/recordsets/{rs['id']}", allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"] == f"{dnsplane_module.api}{rs_url(zone, rs)}"
    # The redirect carries the record set too, for clients that do not follow it.
    assert r.json()["id"] == rs["id"] and r.json()["records"] == ["192.0.2.5"]
    followed = api.get(f"/v2/recordsets/{rs['id']}")
    assert followed.status_code == 200 and followed.json()["id"] == rs["id"]
    assert_error(api.get(f"/v2/recordsets/{uuid.uuid4()}", allow_redirects=False), 404,
                 "recordset_not_found")


def test_update_recordset(dnsplane_module, api, zone):
    rs = create_recordset(api, zone["id"], "u." + zone["name"], "A", ["192.0.2.1"], ttl=300)
    r = api.put(rs_url(zone, rs), json={"records": ["192.0.2.9", "192.0.2.8"],
                                        "description": "moved"})
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] == "PENDING" and body["action"] == "UPDATE"
    assert sorted(body["records"]) == ["192.0.2.8", "192.0.2.9"]
    assert body["version"] == 2 and r.headers["ETag"] == '"2"' and body["ttl"] == 300
    answer = dnsplane_module.query("u." + zone["name"], "A")
    assert sorted(rr.to_text() for rrset in answer.answer for rr in rrset) == \
        ["192.0.2.8", "192.0.2.9"]
    # ttl null resets to the zone's TTL
    r = api.put(rs_url(zone, rs), json={"recordset": {"ttl": None}})
    assert r.status_code == 202, r.text
    assert r.json()["ttl"] is None
    answer = dnsplane_module.query("u." + zone["name"], "A")
    assert answer.answer[0].ttl == zone["ttl"]
    got = api.get(rs_url(zone, rs)).json()
    assert got["status"] == "ACTIVE" and got["description"] == "moved" and got["updated_at"]


@pytest.mark.parametrize("field,value", [("name", "other.example.org."), ("type", "AAAA"),
                                         ("zone_id", str(uuid.uuid4())), ("bogus", 1)])
def test_update_rejects_immutable_and_unknown_fields(api, zone, field, value):
    rs = create_recordset(api, zone["id"], "i." + zone["name"], "A", ["192.0.2.1"])
    body = assert_error(api.put(rs_url(zone, rs), json={field: value}), 400, "invalid_object")
    assert [field] in [e["path"] for e in body["errors"]["errors"]]


def test_recordset_if_match(api, zone):
    rs = create_recordset(api, zone["id"], "m." + zone["name"], "TXT", ['"one"'])
    url = rs_url(zone, rs)
    r = api.put(url, json={"records": ['"two"']}, headers={"If-Match": '"1"'})
    assert r.status_code == 202, r.text
    # a second writer holding the old version loses instead of overwriting
    r = api.put(url, json={"records": ['"three"']}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")
    assert api.get(url).json()["records"] == ['"two"']
    assert api.put(url, json={"ttl": 5}, headers={"If-Match": "W/\"2\""}).status_code == 400
    assert api.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert api.delete(url, headers={"If-Match": '"2"'}).status_code == 202


def test_delete_recordset(dnsplane_module, api, zone):
    rs = create_recordset(api, zone["id"], "d." + zone["name"], "A", ["192.0.2.1"])
    r = api.delete(rs_url(zone, rs))
    assert r.status_code == 202, r.text
    assert r.json()["action"] == "DELETE" and r.json()["status"] == "PENDING"
    assert_error(api.get(rs_url(zone, rs)), 404, "recordset_not_found")
    answer = dnsplane_module.query("d." + zone["name"], "A")
    assert answer.rcode() == 3  # NXDOMAIN


def test_ids_and_zones_not_found(api, zone):
    assert_error(api.get(f"/v2/zones/{uuid.uuid4()}/recordsets"), 404, "zone_not_found")
    assert_error(api.get(f"/v2/zones/not-an-id/recordsets"), 400, "invalid_uuid")
    assert_error(api.get(rs_url(zone) + "/www"), 400, "invalid_uuid")
    assert_error(api.get(rs_url(zone) + f"/{uuid.uuid4()}"), 404, "recordset_not_found")
    assert_error(api.post(f"/v2/zones/{uuid.uuid4()}/recordsets",
                          json={"name": "a.example.org.", "type": "A",
                                "records": ["192.0.2.1"]}), 404, "zone_not_found")


@pytest.mark.parametrize("payload,path", [
    ({"type": "A", "records": ["192.0.2.1"]}, ["name"]),
    ({"name": "@", "records": ["192.0.2.1"]}, ["type"]),
    ({"name": "@", "type": "A"}, ["records"]),
    ({"name": "@", "type": "A", "records": "192.0.2.1"}, ["records"]),
    ({"name": "@", "type": "A", "records": ["192.0.2.1", 5]}, ["records", 1]),
    ({"name": "@", "type": "A", "records": [{"address": None}]}, ["records", 0, "address"]),
    ({"name": "@", "type": "A", "ttl": "300", "records": ["192.0.2.1"]}, ["ttl"]),
    ({"name": "@", "type": "A", "records": ["192.0.2.1"], "status": "ACTIVE"}, ["status"]),
])
def test_schema_errors(api, zone, payload, path):
    if payload.get("name") == "@":
        payload["name"] = "s." + zone["name"]
    body = assert_error(api.post(rs_url(zone), json=payload), 400, "invalid_object")
    paths = [e["path"] for e in body["errors"]["errors"]]
    assert path in paths, paths
    assert all(e["message"] and e["validator"] for e in body["errors"]["errors"])


@pytest.mark.parametrize("rtype,records", [
    ("A", ["192.0.2.256"]), ("A", ["not-an-ip"]), ("AAAA", ["2001:db8::g"]),
    ("A", []), ("MX", ["70000 mx.example.org."]),
    ("CNAME", ["a.example.org.", "b.example.org."]), ("TXT", ['"' + "x" * 256 + '"']),
    ("SSHFP", ["1 1 abc"]), ("CAA", ["0 bad-tag \"x\""]), ("TYPE65534", ["\\# 0"])])
def test_bad_records_are_400(api, zone, rtype, records):
    r = api.post(rs_url(zone), json={"name": "bad." + zone["name"], "type": rtype,
                                     "records": records})
    assert_error(r, 400, "invalid_object")


def test_repeated_values_are_merged(dnsplane_module, api, zone):
    # One record per value (RFC 2181 5): repeats collapse, as in Designate.
    rs = create_recordset(api, zone["id"], "rep." + zone["name"], "AAAA",
                          ["2001:db8::1", "2001:db8::1", "2001:DB8::"])
    assert api.get(rs_url(zone, rs)).json()["records"] == ["2001:db8::1", "2001:db8::"]
    answer = sorted(rr.to_text() for a in dnsplane_module.query("rep." + zone["name"], "AAAA").answer
                    for rr in a)
    assert answer == ["2001:db8::", "2001:db8::1"]


def test_names_must_lie_inside_the_zone(api, zone):
    for name in ["www", "www.elsewhere.example.", "www." + zone["name"].rstrip(".")]:
        r = api.post(rs_url(zone), json={"name": name, "type": "A", "records": ["192.0.2.1"]})
        assert_error(r, 400, "invalid_object")


def test_duplicates_and_cname_rules(api, zone):
    create_recordset(api, zone["id"], "dup." + zone["name"], "A", ["192.0.2.1"])
    assert_error(api.post(rs_url(zone), json={"name": "dup." + zone["name"], "type": "A",
                                              "records": ["192.0.2.2"]}), 409,
                 "duplicate_recordset")
    r = api.post(rs_url(zone), json={"name": "dup." + zone["name"], "type": "CNAME",
                                     "records": ["x.example.org."]})
    assert_error(r, 400, "invalid_object")
    r = api.post(rs_url(zone), json={"name": zone["name"], "type": "CNAME",
                                     "records": ["x.example.org."]})
    assert r.status_code == 400, r.text


def test_managed_records_are_protected(api, zone):
    sets = api.get(rs_url(zone), params={"type": "SOA"}).json()["recordsets"]
    soa = sets[0]
    r = api.put(rs_url(zone, soa), json={"records": ["x"]})
    assert r.status_code in (400, 403), r.text
    assert api.delete(rs_url(zone, soa)).status_code in (400, 403)
    r = api.post(rs_url(zone), json={"name": zone["name"], "type": "SOA",
                                     "records": ["a. b. 1 2 3 4 5"]})
    assert r.status_code in (400, 403), r.text
