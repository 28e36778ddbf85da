"""JSON Patch (RFC 6902) on zones and record sets, the 2013 draft's mechanism
against concurrent modification, and the draft's POST update, against the real
binary in the default (final) style: every operation, pointer escaping,
appending with "-", all-or-nothing application, version tests and racing
writers."""

from __future__ import annotations

import threading

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name

PATCH = {"Content-Type": "application/json-patch+json"}


@pytest.fixture(scope="module")
def api(dnsplane_module):
    return dnsplane_module.session()


@pytest.fixture
def zone(api):
    return create_zone(api, name=unique_zone_name("patch"), ttl=3600)


def zone_url(zone):
    return f"/v2/zones/{zone['id']}"


def rs_url(zone, rs):
    return f"/v2/zones/{zone['id']}/recordsets/{rs['id']}"


def patch(api, url, ops, **headers):
    return api.patch(url, json=ops, headers={**PATCH, **headers})


def assert_error(r, code, type_):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["code"] == code and body["type"] == type_, body
    assert body["message"] and body["request_id"].startswith("req-")
    return body


def soa_serial(server, zone):
    return server.query(zone["name"], "SOA").answer[0][0].serial


# --- the draft's example and each operation ----------------------------------------
def test_drafts_zone_patch_in_final_style(dnsplane_module, api, zone):
    serial = soa_serial(dnsplane_module, zone)
    r = patch(api, zone_url(zone), [{"op": "test", "path": "/zone/version", "value": 1},
                                    {"op": "replace", "path": "/zone/ttl", "value": 7200}])
    # Final style answers writes as Designate does: 202, PENDING, UPDATE.
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["ttl"] == 7200 and body["version"] == 2
    assert body["status"] == "PENDING" and body["action"] == "UPDATE"
    assert r.headers["ETag"] == '"2"' and r.headers["Vary"] == "Accept"
    got = api.get(zone_url(zone)).json()
    assert got["ttl"] == 7200 and got["version"] == 2 and got["serial"] == zone["serial"] + 1
    assert soa_serial(dnsplane_module, zone) == serial + 1


def test_add_replace_remove(api, zone):
    r = patch(api, zone_url(zone), [{"op": "add", "path": "/zone/description", "value": "a"}])
    assert r.status_code == 202 and r.json()["description"] == "a"
    r = patch(api, zone_url(zone), [{"op": "replace", "path": "/zone/description",
                                     "value": "b"}])
    assert r.status_code == 202 and r.json()["description"] == "b"
    r = patch(api, zone_url(zone), [{"op": "remove", "path": "/zone/description"}])
    assert r.status_code == 202 and r.json()["description"] is None
    # the draft's name for the description works in a patch too
    r = patch(api, zone_url(zone), [{"op": "add", "path": "/zone/notes", "value": "n"}])
    assert r.status_code == 202 and r.json()["description"] == "n"
    assert api.get(zone_url(zone)).json()["version"] == 5


def test_move_and_copy(api, zone):
    r = patch(api, zone_url(zone), [
        {"op": "add", "path": "/zone/description", "value": "ops@example.net"},
        {"op": "move", "from": "/zone/description", "path": "/zone/email"}])
    assert r.status_code == 202, r.text
    assert r.json()["email"] == "ops@example.net" and r.json()["description"] is None
    r = patch(api, zone_url(zone), [{"op": "copy", "from": "/zone/name",
                                     "path": "/zone/description"}])
    assert r.status_code == 202, r.text
    assert r.json()["description"] == zone["name"]


def test_test_only_patch_changes_nothing(api, zone):
    r = patch(api, zone_url(zone), [{"op": "test", "path": "/zone/name", "value": zone["name"]}])
    assert r.status_code == 202, r.text
    assert r.json()["version"] == 1
    assert api.get(zone_url(zone)).json()["updated_at"] is None


def test_append_to_records_with_dash(dnsplane_module, api, zone):
    rs = create_recordset(api, zone["id"], "txt." + zone["name"], "TXT", ['"first"'])
    r = patch(api, rs_url(zone, rs), [
        {"op": "test", "path": "/recordset/version", "value": 1},
        {"op": "add", "path": "/recordset/records/-", "value": '"second"'},
        {"op": "add", "path": "/recordset/records/-", "value": {"text": "third"}}])
    assert r.status_code == 202, r.text
    assert sorted(r.json()["records"]) == ['"first"', '"second"', '"third"']
    assert r.json()["version"] == 2
    answer = dnsplane_module.query("txt." + zone["name"], "TXT")
    assert sorted(rr.to_text() for rrset in answer.answer for rr in rrset) == \
        ['"first"', '"second"', '"third"']


def test_recordset_ttl_and_records_by_index(api, zone):
    rs = create_recordset(api, zone["id"], "www." + zone["name"], "A",
                          ["192.0.2.1", "192.0.2.2"], ttl=300)
    r = patch(api, rs_url(zone, rs), [{"op": "remove", "path": "/recordset/ttl"},
                                      {"op": "remove", "path": "/recordset/records/0"}])
    assert r.status_code == 202, r.text
    assert r.json()["ttl"] is None and len(r.json()["records"]) == 1


# --- errors ------------------------------------------------------------------------
@pytest.mark.parametrize("ops,validator", [
    ([{"op": "replace", "path": "/zone/id", "value": "x"}], "readOnly"),
    ([{"op": "replace", "path": "/zone/name", "value": "other.org."}], "readOnly"),
    ([{"op": "replace", "path": "/zone/serial", "value": 1}], "readOnly"),
    ([{"op": "replace", "path": "/zone/version", "value": 9}], "readOnly"),
    ([{"op": "remove", "path": "/zone/created_at"}], "readOnly"),
    ([{"op": "add", "path": "/zone/colour", "value": "blue"}], "additionalProperties"),
    ([{"op": "add", "path": "/zone/t~1tl", "value": 1}], "additionalProperties"),
    ([{"op": "replace", "path": "/recordset/ttl", "value": 1}], "additionalProperties"),
    ([{"op": "test", "path": "/zone/nothing", "value": 1}], "json_pointer"),
    ([{"op": "frobnicate", "path": "/zone/ttl"}], "json_patch"),
    ([{"op": "replace", "path": "/zone/ttl"}], "json_patch"),
    ([{"op": "replace", "path": "zone/ttl", "value": 1}], "json_patch"),
    ({"op": "replace", "path": "/zone/ttl", "value": 1}, "json_patch"),
])
def test_bad_patches_are_400_and_change_nothing(api, zone, ops, validator):
    body = assert_error(patch(api, zone_url(zone), ops), 400, "invalid_object")
    assert body["errors"]["errors"][0]["validator"] == validator
    assert api.get(zone_url(zone)).json()["version"] == 1


def test_escaped_pointer_names_the_unescaped_member(api, zone):
    body = assert_error(patch(api, zone_url(zone),
                              [{"op": "add", "path": "/zone/a~1b~0c", "value": 1}]),
                        400, "invalid_object")
    assert "'a/b~c'" in body["message"]
    assert body["errors"]["errors"][0]["path"] == [0, "path"]


def test_a_result_that_fails_validation_is_the_usual_400(api, zone):
    body = assert_error(patch(api, zone_url(zone),
                              [{"op": "replace", "path": "/zone/ttl", "value": "soon"}]),
                        400, "invalid_object")
    assert body["errors"]["errors"][0]["path"] == ["ttl"]
    assert_error(patch(api, zone_url(zone), [{"op": "replace", "path": "/zone/email",
                                              "value": "not-an-address"}]),
                 400, "invalid_object")
    rs = create_recordset(api, zone["id"], "v." + zone["name"], "A", ["192.0.2.1"])
    assert_error(patch(api, rs_url(zone, rs), [{"op": "add", "path": "/recordset/records/-",
                                                "value": "999.0.0.1"}]), 400, "invalid_object")
    assert api.get(rs_url(zone, rs)).json()["version"] == 1
    # A value repeated by the patch is one value (Designate merges repeats).
    r = patch(api, rs_url(zone, rs), [{"op": "copy", "from": "/recordset/records/0",
                                       "path": "/recordset/records/-"}])
    assert r.status_code == 202, r.text
    assert api.get(rs_url(zone, rs)).json()["records"] == ["192.0.2.1"]


def test_malformed_json_is_bad_request(api, zone):
    r = api.patch(zone_url(zone), data="[{", headers=PATCH)
    assert_error(r, 400, "bad_request")


def test_failing_half_way_changes_nothing(dnsplane_module, api, zone):
    serial = soa_serial(dnsplane_module, zone)
    before = api.get(zone_url(zone)).json()
    r = patch(api, zone_url(zone), [
        {"op": "replace", "path": "/zone/ttl", "value": 60},
        {"op": "add", "path": "/zone/description", "value": "half"},
        {"op": "test", "path": "/zone/email", "value": "someone@else.org"}])
    assert_error(r, 409, "patch_test_failed")
    r = patch(api, zone_url(zone), [
        {"op": "replace", "path": "/zone/ttl", "value": 60},
        {"op": "remove", "path": "/zone/email/x"}])
    assert_error(r, 400, "invalid_object")
    assert api.get(zone_url(zone)).json() == before
    assert soa_serial(dnsplane_module, zone) == serial


# --- versions and concurrency -------------------------------------------------------
def test_stale_version_test_is_409_fresh_one_succeeds(api, zone):
    assert patch(api, zone_url(zone), [{"op": "replace", "path": "/zone/ttl",
                                        "value": 600}]).status_code == 202
    stale = [{"op": "test", "path": "/zone/version", "value": 1},
             {"op": "replace", "path": "/zone/ttl", "value": 900}]
    body = assert_error(patch(api, zone_url(zone), stale), 409, "patch_test_failed")
    assert "/zone/version" in body["message"]
    assert api.get(zone_url(zone)).json()["ttl"] == 600
    fresh = [{"op": "test", "path": "/zone/version", "value": 2},
             {"op": "replace", "path": "/zone/ttl", "value": 900}]
    r = patch(api, zone_url(zone), fresh)
    assert r.status_code == 202 and r.json()["ttl"] == 900 and r.json()["version"] == 3


def test_if_match_header_also_applies(api, zone):
    ops = [{"op": "replace", "path": "/zone/ttl", "value": 900}]
    assert_error(patch(api, zone_url(zone), ops, **{"If-Match": '"7"'}), 412,
                 "precondition_failed")
    assert patch(api, zone_url(zone), ops, **{"If-Match": '"1"'}).status_code == 202


def race(n, fn):
    """Runs fn(i) for i in range(n) at the same moment; returns the results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_racing_writers_with_version_tests_exactly_one_wins(dnsplane_module, zone):
    sessions = [dnsplane_module.session() for _ in range(2)]
    url = zone_url(zone)
    for round_ in range(10):
        version = sessions[0].get(url).json()["version"]

        def write(i):
            return patch(sessions[i], url, [
                {"op": "test", "path": "/zone/version", "value": version},
                {"op": "replace", "path": "/zone/description", "value": f"writer {i}/{round_}"}])

        results = race(2, write)
        codes = sorted(r.status_code for r in results)
        assert codes == [202, 409], [r.text for r in results]
        winner = next(i for i, r in enumerate(results) if r.status_code == 202)
        assert results[1 - winner].json()["type"] == "patch_test_failed"
        got = sessions[0].get(url).json()
        assert got["description"] == f"writer {winner}/{round_}"
        assert got["version"] == version + 1


def test_racing_appends_without_tests_both_land(dnsplane_module, zone):
    """A patch without a version test is applied to whatever is current, so
    two clients appending TXT values at once (ACME) both keep theirs."""
    api = dnsplane_module.session()
    rs = create_recordset(api, zone["id"], "_acme-challenge." + zone["name"], "TXT", ['"seed"'])
    sessions = [dnsplane_module.session() for _ in range(4)]
    results = race(4, lambda i: patch(sessions[i], rs_url(zone, rs), [
        {"op": "add", "path": "/recordset/records/-", "value": f'"token-{i}"'}]))
    assert [r.status_code for r in results] == [202] * 4, [r.text for r in results]
    got = api.get(rs_url(zone, rs)).json()
    assert sorted(got["records"]) == sorted(['"seed"'] + [f'"token-{i}"' for i in range(4)])
    assert got["version"] == 5


def test_reader_cannot_patch(dnsplane_module, zone):
    reader = dnsplane_module.session(roles="reader")
    r = patch(reader, zone_url(zone), [{"op": "test", "path": "/zone/version", "value": 1}])
    assert r.status_code == 403, r.text


def test_managed_soa_cannot_be_patched(api, zone):
    soa = api.get(f"/v2/zones/{zone['id']}/recordsets", params={"type": "SOA"}).json()
    soa = soa["recordsets"][0]
    r = patch(api, rs_url(zone, soa), [{"op": "replace", "path": "/recordset/ttl",
                                        "value": 60}])
    # Designate: any change of the SOA set is 400 bad_request, admins included.
    assert_error(r, 400, "bad_request")
    assert api.get(rs_url(zone, soa)).json()["ttl"] == soa["ttl"]


# --- the draft's POST update and plain PATCH in final style -------------------------
def test_post_updates_like_patch_and_put(dnsplane_module, api, zone):
    r = api.post(zone_url(zone), json={"zone": {"ttl": 1800}})
    assert r.status_code == 202, r.text
    assert r.json()["ttl"] == 1800 and r.json()["action"] == "UPDATE"
    r = api.post(zone_url(zone), json={"description": "unwrapped"})
    assert r.status_code == 202 and r.json()["description"] == "unwrapped"
    rs = create_recordset(api, zone["id"], "p." + zone["name"], "A", ["192.0.2.1"])
    r = api.post(rs_url(zone, rs), json={"recordset": {"records": [{"address": "192.0.2.9"}]}})
    assert r.status_code == 202, r.text
    assert r.json()["records"] == ["192.0.2.9"] and r.json()["version"] == 2
    r = api.patch(rs_url(zone, rs), json={"ttl": 120})  # plain JSON: merge, like PUT
    assert r.status_code == 202 and r.json()["ttl"] == 120 and r.json()["version"] == 3
    assert api.post(zone_url(zone), json={"name": "x.org."}).status_code == 400


def test_json_patch_is_only_for_patch(api, zone):
    r = api.post(zone_url(zone), data="[]", headers=PATCH)
    assert_error(r, 415, "unsupported_media_type")


def test_final_style_location_and_vary(dnsplane_module, api):
    r = api.post("/v2/zones", json={"name": unique_zone_name("loc"), "email": "a@example.org"})
    assert r.status_code == 202
    zone = r.json()
    assert r.headers["Location"] == f"{dnsplane_module.api}/v2/zones/{zone['id']}"
    assert r.headers["Vary"] == "Accept"
    r = api.post(f"/v2/zones/{zone['id']}/recordsets",
                 json={"name": "l." + zone["name"], "type": "A", "records": ["192.0.2.1"]})
    assert r.status_code == 202
    assert r.headers["Location"] == \
        f"{dnsplane_module.api}/v2/zones/{zone['id']}/recordsets/{r.json()['id']}"
    for resp in (api.get("/v2/pools"), api.get(zone_url(zone)),
                 api.delete(zone_url(zone)), api.get(zone_url(zone)),
                 patch(api, zone_url(zone), [])):
        assert resp.headers["Vary"] == "Accept", resp.request.method
