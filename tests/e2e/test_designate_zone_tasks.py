"""Designate zone tasks (issue 16) against the real binary: zone import and
export (`text/dns`, checked by kzonecheck and named-checkzone, re-imported
to the same content), transfers between projects, zone shares, abandon;
through REST and the real `openstack` CLI (designateclient)."""

import json
import os
import shutil
import subprocess

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture(scope="module")
def api(srv):
    return srv.session(project="tasks-a", roles="member")


@pytest.fixture(scope="module")
def api_b(srv):
    return srv.session(project="tasks-b", roles="member")


@pytest.fixture(scope="module")
def admin(srv):
    return srv.session(project="ops", roles="admin", all_projects=True)


def osc(srv, *args, project="tasks-a", parse=True):
    """`openstack <args>` against the server with --os-auth-type none: the
    caller is the noauth default admin acting as `project` through the
    client's --sudo-project-id (X-Auth-Sudo-Project-ID)."""
    if shutil.which("openstack") is None:
        pytest.skip("python3-openstackclient is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = ["openstack", "--os-auth-type", "none", "--os-endpoint", srv.api + "/v2",
           *args, "--sudo-project-id", project]
    if parse:
        cmd += ["-f", "json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    if not parse:
        return done
    assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def zone_file(name, ttl=600, extra=""):
    return (f"$ORIGIN {name}\n$TTL {ttl}\n"
            f"@ {ttl} IN SOA ns1.{name} hostmaster.{name} 1 3600 600 86400 300\n"
            f"@ IN NS ns1.{name}\n"
            f"@ IN MX 10 mail\n"
            f"mail 300 IN A 192.0.2.25\n"
            f"www IN A 192.0.2.80\n" + extra)


def import_text(session, text):
    r = session.post("/v2/zones/tasks/imports", data=text.encode(),
                     headers={"Content-Type": "text/dns"})
    assert r.status_code == 202, r.text
    created = r.json()
    assert created["status"] == "PENDING"
    assert created["zone_id"] is None and "zone" not in created["links"]
    task = session.get(f"/v2/zones/tasks/imports/{created['id']}").json()
    if task["status"] == "COMPLETE":
        assert task["links"]["zone"].endswith(f"/v2/zones/{task['zone_id']}")
    return task


def content(session, zone_id):
    """The zone's DNS content: {(name, type): (effective ttl, sorted records)}."""
    zone = session.get(f"/v2/zones/{zone_id}").json()
    out = {}
    url = f"/v2/zones/{zone_id}/recordsets?limit=1000"
    while url:
        body = session.get(url).json()
        for rs in body["recordsets"]:
            if rs["type"] == "SOA":
                continue
            ttl = rs["ttl"] if rs["ttl"] is not None else zone["ttl"]
            out[(rs["name"], rs["type"])] = (ttl, sorted(rs["records"]))
        url = body["links"].get("next")
    return out


def export_text(session, zone_id):
    r = session.post(f"/v2/zones/{zone_id}/tasks/export")
    assert r.status_code == 202, r.text
    ex = r.json()
    assert ex["status"] == "PENDING" and ex["zone_id"] == zone_id
    # The creation answer has no result yet (Designate): no location, no export link.
    assert ex["location"] is None and "export" not in ex["links"]
    done = session.get(f"/v2/zones/tasks/exports/{ex['id']}").json()
    assert done["status"] == "COMPLETE" and done["location"] and done["links"]["export"]
    f = session.get(f"/v2/zones/tasks/exports/{ex['id']}/export", headers={"Accept": "text/dns"})
    assert f.status_code == 200 and f.headers["Content-Type"].startswith("text/dns"), f.text
    # Any media type, or no Accept at all, is answered with text/dns too.
    for accept in ("*/*", None):
        g = session.get(f"/v2/zones/tasks/exports/{ex['id']}/export",
                        headers={"Accept": accept})
        assert g.status_code == 200 and g.headers["Content-Type"].startswith("text/dns")
        assert g.text == f.text
    return ex, f.text


def check_with_servers(tmp_path, name, text):
    path = tmp_path / "export.zone"
    path.write_text(text)
    for tool, args in (("kzonecheck", ["kzonecheck", "-o", name, str(path)]),
                       ("named-checkzone", ["named-checkzone", name, str(path)])):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
        done = subprocess.run(args, capture_output=True, text=True)
        assert done.returncode == 0, f"{tool} refused the export:\n{done.stdout}{done.stderr}\n{text}"


# --- import --------------------------------------------------------------------
def test_import_creates_zone_and_sets(srv, api):
    name = unique_zone_name("imp")
    task = import_text(api, zone_file(name, extra="txt IN TXT \"hello\"\n"))
    assert task["status"] == "COMPLETE", task
    assert task["message"] is None and task["project_id"] == "tasks-a"
    zone = api.get(f"/v2/zones/{task['zone_id']}").json()
    assert zone["name"] == name and zone["email"] == f"hostmaster@{name[:-1]}"
    assert zone["ttl"] == 600
    got = content(api, zone["id"])
    assert got[("www." + name, "A")] == (600, ["192.0.2.80"])
    assert got[("mail." + name, "A")] == (300, ["192.0.2.25"])
    assert got[(name, "MX")] == (600, ["10 mail." + name])
    assert got[("txt." + name, "TXT")] == (600, ['"hello"'])
    assert [rr.to_text() for a in srv.query("www." + name).answer for rr in a] == ["192.0.2.80"]
    listed = api.get("/v2/zones/tasks/imports").json()
    assert task["id"] in [t["id"] for t in listed["imports"]]
    assert srv.session(project="tasks-b").get(
        f"/v2/zones/tasks/imports/{task['id']}").status_code == 404
    assert api.delete(f"/v2/zones/tasks/imports/{task['id']}").status_code == 204
    assert api.get(f"/v2/zones/tasks/imports/{task['id']}").status_code == 404
    assert api.get(f"/v2/zones/{zone['id']}").status_code == 200  # the zone stays


@pytest.mark.parametrize("body, line, words", [
    ("www IN A 999.0.0.1\n", 8, ""),
    ("www2 zahlabut IN A 192.0.2.1\n", 8, ""),
    ("x.elsewhere.test. IN A 192.0.2.1\n", 8, "not inside the zone"),
    ("_sip._tcp IN SRV 10 20 5060 www\nalias IN CNAME www\nalias IN TXT \"x\"\n", 10,
     "CNAME"),
    ("h IN HINFO \"pc\" \"linux\"\n", 8, "HINFO"),
])
def test_malformed_import_creates_nothing(srv, api, admin, body, line, words):
    name = unique_zone_name("bad")
    before = admin.get("/v2/zones?limit=1").json()["metadata"]["total_count"]
    task = import_text(api, zone_file(name, extra=body))
    assert task["status"] == "ERROR" and task["zone_id"] is None, task
    assert task["message"].startswith(f"line {line}: "), task["message"]
    assert words in task["message"]
    assert admin.get("/v2/zones?limit=1").json()["metadata"]["total_count"] == before
    assert api.get(f"/v2/zones?name={name}").json()["zones"] == []
    assert not srv.query(name, "SOA").answer


def test_import_needs_text_dns_and_rejects_garbage(api):
    r = api.post("/v2/zones/tasks/imports", data=b"x", headers={"Content-Type": "Zahlabut"})
    assert r.status_code == 415 and r.json()["type"] == "unsupported_content_type"
    task = import_text(api, "this is not a zone file at all " * 4)
    assert task["status"] == "ERROR" and task["message"]


def test_import_of_existing_zone_fails(api):
    z = create_zone(api, unique_zone_name("dup"))
    task = import_text(api, zone_file(z["name"]))
    assert task["status"] == "ERROR" and "already exists" in task["message"]


# --- export and round trip ----------------------------------------------------------
def every_type(api, name):
    z = create_zone(api, name, ttl=1800)
    sets = [
        ("www", "A", ["192.0.2.1", "192.0.2.2"], 300),
        ("www", "AAAA", ["2001:db8::1"], None),
        ("alias", "CNAME", ["www." + name], None),
        ("", "MX", ["10 mail." + name, "20 www." + name], None),
        ("mail", "A", ["192.0.2.25"], None),
        ("sub", "NS", ["ns.sub." + name], 3600),
        ("ns.sub", "A", ["192.0.2.53"], None),
        ("sub", "DS", ["12345 8 2 " + "A" * 64], None),
        ("ptr", "PTR", ["www." + name], None),
        ("", "SPF", ['"v=spf1 -all"'], None),
        ("", "TXT", ['"hello world"', '"with \\"quotes\\" and ; semicolon"'], None),
        ("_sip._tcp", "SRV", ["10 20 5060 www." + name], None),
        ("www", "SSHFP", ["1 1 " + "ab" * 20], None),
        ("", "CAA", ['0 issue "ca.example.net"', '128 iodef "mailto:sec@example.org"'], None),
        ("naptr", "NAPTR", ['100 10 "S" "SIP+D2U" "" _sip._udp.' + name], None),
    ]
    for label, rtype, records, ttl in sets:
        owner = f"{label}.{name}" if label else name
        fields = {"ttl": ttl} if ttl else {}
        create_recordset(api, z["id"], owner, rtype, records, **fields)
    return z


def test_export_is_valid_zone_file_and_reimports_to_same_content(srv, api, tmp_path):
    name = unique_zone_name("rt")
    z = every_type(api, name)
    before = content(api, z["id"])
    ex, text = export_text(api, z["id"])
    assert text.startswith(f"$ORIGIN {name}\n")
    check_with_servers(tmp_path, name, text)
    # Re-import after deleting the original: the same content.
    assert api.delete(f"/v2/zones/{z['id']}").status_code == 202
    task = import_text(api, text)
    assert task["status"] == "COMPLETE", task
    assert content(api, task["zone_id"]) == before
    zone = api.get(f"/v2/zones/{task['zone_id']}").json()
    assert zone["ttl"] == 1800 and zone["email"] == "hostmaster@example.org"
    # The old export's zone is gone: its file is 404, its task stays.
    gone = api.get(f"/v2/zones/tasks/exports/{ex['id']}/export", headers={"Accept": "text/dns"})
    assert gone.status_code == 404
    assert api.get(f"/v2/zones/tasks/exports/{ex['id']}").status_code == 200


def test_export_access_and_accept(srv, api, api_b):
    z = create_zone(api, unique_zone_name("exp"))
    assert api_b.post(f"/v2/zones/{z['id']}/tasks/export").status_code == 404
    ex, _ = export_text(api, z["id"])
    assert api_b.get(f"/v2/zones/tasks/exports/{ex['id']}").status_code == 404
    r = api.get(f"/v2/zones/tasks/exports/{ex['id']}/export", headers={"Accept": "image/jpeg"})
    assert r.status_code == 406 and r.json()["code"] == 406
    listed = api.get(f"/v2/zones/tasks/exports?zone_id={z['id']}").json()["exports"]
    assert [e["id"] for e in listed] == [ex["id"]]
    assert api.get("/v2/zones/tasks/exports?status=ZAHLABUT").json()["exports"] == []
    assert api.delete(f"/v2/zones/tasks/exports/{ex['id']}").status_code == 204
    assert api.get(f"/v2/zones/tasks/exports/{ex['id']}").status_code == 404


# --- transfers between projects -----------------------------------------------------
def test_transfer_moves_zone_to_accepting_project(srv, api, api_b, admin):
    z = create_zone(api, unique_zone_name("xfer"))
    rs = create_recordset(api, z["id"], "www." + z["name"], "A", ["192.0.2.7"])
    r = api.post(f"/v2/zones/{z['id']}/tasks/transfer_requests",
                 json={"target_project_id": "tasks-b", "description": "to b"})
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["status"] == "ACTIVE" and len(req["key"]) == 8
    seen = api_b.get(f"/v2/zones/tasks/transfer_requests/{req['id']}").json()
    assert seen["zone_id"] == z["id"] and "key" not in seen
    other = srv.session(project="tasks-c", roles="member")
    assert other.get(f"/v2/zones/tasks/transfer_requests/{req['id']}").status_code == 404
    # Admins see every request (without all-projects, without the key).
    plain_admin = srv.session(project="ops", roles="admin")
    seen = plain_admin.get(f"/v2/zones/tasks/transfer_requests/{req['id']}")
    assert seen.status_code == 200 and "key" not in seen.json()
    assert api.get("/v2/zones/tasks/transfer_requests/not-a-uuid").json()["type"] == "invalid_uuid"
    bad = api_b.post("/v2/zones/tasks/transfer_accepts",
                     json={"key": "WRONGKEY", "zone_transfer_request_id": req["id"]})
    assert bad.status_code == 403
    assert api.get(f"/v2/zones/{z['id']}").json()["project_id"] == "tasks-a"
    r = api_b.post("/v2/zones/tasks/transfer_accepts",
                   json={"key": req["key"], "zone_transfer_request_id": req["id"]})
    assert r.status_code == 201, r.text
    accept = r.json()
    assert accept["status"] == "COMPLETE" and accept["zone_id"] == z["id"]
    assert api.get(f"/v2/zones/{z['id']}").status_code == 404
    moved = api_b.get(f"/v2/zones/{z['id']}").json()
    assert moved["project_id"] == "tasks-b"
    got = api_b.get(f"/v2/zones/{z['id']}/recordsets/{rs['id']}").json()
    assert got["project_id"] == "tasks-b" and got["records"] == ["192.0.2.7"]
    assert api_b.get(f"/v2/zones/tasks/transfer_accepts/{accept['id']}").status_code == 200
    assert api.get(f"/v2/zones/tasks/transfer_requests/{req['id']}").json()["status"] == "COMPLETE"
    ids = [a["id"] for a in admin.get("/v2/zones/tasks/transfer_accepts?status=COMPLETE")
           .json()["transfer_accepts"]]
    assert accept["id"] in ids
    assert [rr.to_text() for a in srv.query("www." + z["name"]).answer for rr in a] == ["192.0.2.7"]
    # A used request cannot be accepted again (Designate: 400), not even by an admin.
    again = admin.post("/v2/zones/tasks/transfer_accepts",
                       json={"key": req["key"], "zone_transfer_request_id": req["id"]})
    assert again.status_code == 400 and again.json()["type"] == "invalid_zone_transfer_request"
    assert api_b.get(f"/v2/zones/{z['id']}").json()["project_id"] == "tasks-b"
    # Deleting the request deletes its accepts.
    assert api.delete(f"/v2/zones/tasks/transfer_requests/{req['id']}").status_code == 204
    assert api_b.get(f"/v2/zones/tasks/transfer_accepts/{accept['id']}").status_code == 404


def test_untargeted_transfer_request_is_visible_to_all(srv, api):
    z = create_zone(api, unique_zone_name("xfer-open"))
    # No body at all, or JSON null, asks for no options (Designate's empty body).
    for body in (b"", b"null"):
        r = api.post(f"/v2/zones/{z['id']}/tasks/transfer_requests", data=body,
                     headers={"Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        req = r.json()
        assert req["target_project_id"] is None and len(req["key"]) == 8
        other = srv.session(project="tasks-c", roles="member")
        seen = other.get(f"/v2/zones/tasks/transfer_requests/{req['id']}")
        assert seen.status_code == 200 and "key" not in seen.json()
        # ...but only the owner's list shows it.
        assert req["id"] not in [t["id"] for t in other.get("/v2/zones/tasks/transfer_requests")
                                 .json()["transfer_requests"]]
        assert req["id"] in [t["id"] for t in api.get("/v2/zones/tasks/transfer_requests")
                             .json()["transfer_requests"]]
        assert api.delete(f"/v2/zones/tasks/transfer_requests/{req['id']}").status_code == 204
    r = api.post(f"/v2/zones/{z['id']}/tasks/transfer_requests", data=b"[]",
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["type"] == "invalid_object"


def test_transfer_request_404s(api):
    r = api.post("/v2/zones/e35bc796-9841-11eb-898b-74e5f9e2a801/tasks/transfer_requests", json={})
    assert r.status_code == 404 and r.json()["type"] == "zone_not_found"
    r = api.get("/v2/zones/tasks/transfer_requests/e35bc796-9841-11eb-898b-74e5f9e2a801")
    assert r.status_code == 404 and r.json()["type"] == "zone_transfer_request_not_found"


# --- shares -------------------------------------------------------------------------
def test_shared_zone_recordsets(srv, api, api_b):
    z = create_zone(api, unique_zone_name("share"))
    zid = z["id"]
    r = api.post(f"/v2/zones/{zid}/shares", json={"target_project_id": "tasks-b"})
    assert r.status_code == 201, r.text
    share = r.json()
    assert api.post(f"/v2/zones/{zid}/shares",
                    json={"target_project_id": "tasks-b"}).status_code == 409
    assert api.get(f"/v2/zones/{zid}").json()["shared"] is True
    assert [s["id"] for s in api.get(f"/v2/zones/{zid}/shares").json()["shared_zones"]] == \
        [share["id"]]
    # tasks-b manages its own record sets in the shared zone, through the CLI too.
    theirs = osc(srv, "recordset", "create", zid, "b-host", "--type", "A",
                 "--record", "192.0.2.66", project="tasks-b")
    assert theirs["project_id"] == "tasks-b"
    assert [rr.to_text() for a in srv.query("b-host." + z["name"]).answer for rr in a] == \
        ["192.0.2.66"]
    # The zone is in tasks-b's zone list (CLI and REST, with its count), marked shared.
    assert zid in [row["id"] for row in osc(srv, "zone", "list", project="tasks-b")]
    listed = api_b.get("/v2/zones", params={"name": z["name"]}).json()
    assert [(x["id"], x["shared"]) for x in listed["zones"]] == [(zid, True)]
    assert listed["metadata"]["total_count"] == 1
    assert zid not in [x["id"] for x in srv.session(project="tasks-c", roles="member")
                       .get("/v2/zones").json()["zones"]]
    own = create_recordset(api, zid, "a-host." + z["name"], "A", ["192.0.2.65"])
    assert api_b.delete(f"/v2/zones/{zid}/recordsets/{own['id']}").status_code == 403
    assert api_b.patch(f"/v2/zones/{zid}", json={"ttl": 60}).status_code == 404
    # Unsharing waits until tasks-b has no record set left; deleting the zone
    # needs delete_shares.
    r = api.delete(f"/v2/zones/{zid}/shares/{share['id']}")
    assert r.status_code == 409 and r.json()["type"] == "shared_zone_has_recordsets"
    assert api.delete(f"/v2/zones/{zid}").status_code == 409
    assert api_b.delete(f"/v2/zones/{zid}/recordsets/{theirs['id']}").status_code == 202
    assert api.delete(f"/v2/zones/{zid}/shares/{share['id']}").status_code == 204
    assert api_b.get(f"/v2/zones/{zid}/recordsets").status_code == 404
    assert zid not in [x["id"] for x in api_b.get("/v2/zones").json()["zones"]]
    api.post(f"/v2/zones/{zid}/shares", json={"target_project_id": "tasks-b"})
    r = api.delete(f"/v2/zones/{zid}", headers={"X-Designate-Delete-Shares": "true"})
    assert r.status_code == 202


# --- abandon --------------------------------------------------------------------------
def test_abandon_forgets_the_zone_but_keeps_serving_it(srv, api, api_b, admin):
    z = create_zone(api, unique_zone_name("aband"))
    create_recordset(api, z["id"], "www." + z["name"], "A", ["192.0.2.9"])
    assert srv.query(z["name"], "SOA").answer
    before = len(api.get("/v2/zones").json()["zones"])
    r = api.post(f"/v2/zones/{z['id']}/tasks/abandon")
    assert r.status_code == 403 and r.json()["type"] == "forbidden"
    r = admin.post(f"/v2/zones/{z['id']}/tasks/abandon")
    assert r.status_code == 204, r.text
    # Gone from its project (and its quota), as in Designate...
    assert api.get(f"/v2/zones/{z['id']}").status_code == 404
    assert len(api.get("/v2/zones").json()["zones"]) == before - 1
    # ...while DNS keeps answering for it, as Designate's name servers do.
    assert srv.query(z["name"], "SOA").answer
    assert [rr.to_text() for a in srv.query("www." + z["name"]).answer for rr in a] == \
        ["192.0.2.9"]
    # Admins still see it (no project) and may delete it: then it stops being served.
    shown = admin.get(f"/v2/zones/{z['id']}").json()
    assert shown["project_id"] == "" and shown["name"] == z["name"]
    assert admin.delete(f"/v2/zones/{z['id']}").status_code == 202
    assert not srv.query(z["name"], "SOA").answer


# --- the openstack CLI ----------------------------------------------------------------
def test_cli_import_export_round_trip(srv, api, tmp_path):
    name = unique_zone_name("cli-imp")
    path = tmp_path / "in.zone"
    path.write_text(zone_file(name))
    created = osc(srv, "zone", "import", "create", str(path))
    task = osc(srv, "zone", "import", "show", created["id"])
    assert task["status"] == "COMPLETE" and task["zone_id"]
    assert created["id"] in [t["id"] for t in osc(srv, "zone", "import", "list")]
    ex = osc(srv, "zone", "export", "create", task["zone_id"])
    assert osc(srv, "zone", "export", "show", ex["id"])["status"] == "COMPLETE"
    assert ex["id"] in [e["id"] for e in osc(srv, "zone", "export", "list")]
    data = osc(srv, "zone", "export", "showfile", ex["id"])["data"]
    # www takes the zone's TTL: its TTL field is empty, as in Designate's exports;
    # mail has its own.
    assert f"\nwww.{name}  IN A 192.0.2.80\n" in data
    assert f"\nmail.{name} 300 IN A 192.0.2.25\n" in data
    check_with_servers(tmp_path, name, data)
    assert osc(srv, "zone", "export", "delete", ex["id"], parse=False).returncode == 0
    assert osc(srv, "zone", "import", "delete", created["id"], parse=False).returncode == 0
    assert api.get(f"/v2/zones/tasks/imports/{created['id']}").status_code == 404


def test_cli_transfer_request_and_accept(srv, api_b):
    name = unique_zone_name("cli-xfer")
    zone = osc(srv, "zone", "create", "--email", "admin@example.org", name)
    req = osc(srv, "zone", "transfer", "request", "create", zone["id"],
              "--target-project-id", "tasks-b", "--description", "from the CLI")
    assert req["status"] == "ACTIVE" and req["target_project_id"] == "tasks-b"
    assert req["id"] in [r["id"] for r in osc(srv, "zone", "transfer", "request", "list")]
    assert osc(srv, "zone", "transfer", "request", "show", req["id"])["key"] == req["key"]
    updated = osc(srv, "zone", "transfer", "request", "set", req["id"], "--description", "new")
    assert updated["description"] == "new"
    accept = osc(srv, "zone", "transfer", "accept", "request", "--transfer-id", req["id"],
                 "--key", req["key"], project="tasks-b")
    assert accept["status"] == "COMPLETE"
    assert osc(srv, "zone", "transfer", "accept", "show", accept["id"],
               project="tasks-b")["zone_id"] == zone["id"]
    assert accept["id"] in [a["id"] for a in osc(srv, "zone", "transfer", "accept", "list",
                                                 project="tasks-b")]
    assert api_b.get(f"/v2/zones/{zone['id']}").json()["project_id"] == "tasks-b"
    # A request can also be deleted before anyone accepts it.
    other = osc(srv, "zone", "create", "--email", "admin@example.org", unique_zone_name("cli-x2"))
    req2 = osc(srv, "zone", "transfer", "request", "create", other["id"])
    assert osc(srv, "zone", "transfer", "request", "delete", req2["id"],
               parse=False).returncode == 0
    assert osc(srv, "zone", "transfer", "request", "show", req2["id"],
               parse=False).returncode != 0


def test_cli_zone_abandon(srv, api):
    # The zone leaves the API, and DNS keeps serving it (as Designate leaves it on
    # its name servers).
    name = unique_zone_name("cli-ab")
    zone = osc(srv, "zone", "create", "--email", "admin@example.org", name)
    done = osc(srv, "zone", "abandon", zone["id"], parse=False)
    assert done.returncode == 0, done.stderr
    assert api.get(f"/v2/zones/{zone['id']}").status_code == 404
    assert osc(srv, "zone", "show", zone["id"], parse=False).returncode != 0
    assert srv.query(name, "SOA").answer
