"""Issue 13: the plug-in platform contract against the real binary —
identify/status/addons/tenant routes in noauth and token mode, the lifecycle
(slow start, SIGTERM with a request in flight, an unwritable database), and
the change_committed / validate_change extension points."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest
import requests

from dnsplane_harness import create_recordset, create_token, create_zone, free_port, \
    unique_zone_name
from hook_receiver import HookReceiver


def status_of(srv) -> dict:
    r = requests.get(srv.url("/v1/status"), timeout=5)
    body = r.json()
    assert (r.status_code == 200) == (body["status"] == "ACTIVE")
    assert (body["ret"] == 0) == (body["status"] == "ACTIVE")
    return body


def bind(session, point: str, endpoint: str, plugin: str = "io.example.audit"):
    return session.post("/v1/addons/identify", json={
        "plugin": {"id": plugin, "version": "1.0"},
        "endpoint": [{"addons_point": point, "endpoint": endpoint}]})


@pytest.fixture
def receiver():
    r = HookReceiver(free_port()).start()
    yield r
    r.stop()


# --- identify / status / addons / tenants ----------------------------------
def test_identify_reports_real_plugin_id_version_and_points(dnsplane_factory):
    srv = dnsplane_factory(flags={"plugin-id": "org.example.dns"})
    version = subprocess.run([str(srv.command()[0]), "version"], capture_output=True,
                             text=True).stdout.strip()
    for method in ("GET", "POST"):
        r = requests.request(method, srv.url("/v1/identify"), timeout=5)
        assert r.status_code == 200
        body = r.json()
        assert body["ret"] == 0 and body["msg"] == "ok"
        assert body["plugin_id"] == "org.example.dns"
        assert body["version"] and body["version"] in version
        points = {p["addons_point"]: p["desc"] for p in body["addons_points"]}
        assert set(points) == {"change_committed", "validate_change"}
        assert all(len(d) > 40 for d in points.values())
        assert body["main_plugins"] == []


def test_default_plugin_id_and_bad_plugin_id(dnsplane_factory, tmp_path):
    srv = dnsplane_factory()
    assert requests.get(srv.url("/v1/identify"), timeout=5).json()["plugin_id"] == "io.dnsplane"
    bad = dnsplane_factory(flags={"plugin-id": "no dots here"}, start=False)
    proc = bad.spawn()
    assert proc.wait(10) != 0
    assert "plugin_id" in bad.stderr_text()


def test_status_active_and_tenants_noauth(dnsplane):
    assert status_of(dnsplane)["status"] == "ACTIVE"
    s = dnsplane.session()
    r = s.post("/v1/tenant/bind", json={"tenant_id": "acme"})
    assert r.status_code == 200 and r.json() == {"ret": 0, "msg": "ok", "tenant_id": "acme",
                                                  "status": "active"}
    r = s.post("/v1/tenant/unbind", json={"tenant_id": "acme"})
    assert r.status_code == 200 and r.json()["status"] == "retired"
    r = s.post("/v1/tenant/unbind", json={"tenant_id": "acme"})
    assert r.status_code == 404 and r.json()["ret"] == -404
    r = s.post("/v1/tenant/bind", json={"tenant": "x"})
    assert r.status_code == 400 and r.json()["ret"] == -400 and "tenant_id" in r.json()["msg"]
    # a reader may not bind
    r = dnsplane.session(roles="reader").post("/v1/tenant/bind", json={"tenant_id": "b"})
    assert r.status_code == 403 and r.json()["ret"] == -403


def test_token_mode(dnsplane_factory, receiver):
    srv = dnsplane_factory(auth="token")
    admin = create_token(srv.db_url, "ops", "admin")
    member = create_token(srv.db_url, "p1", "member")
    # identify and status need no credentials
    assert requests.get(srv.url("/v1/identify"), timeout=5).status_code == 200
    assert status_of(srv)["status"] == "ACTIVE"
    anon = requests.post(srv.url("/v1/tenant/bind"), json={"tenant_id": "t"}, timeout=5)
    assert anon.status_code == 401 and anon.json()["ret"] == -401
    r = bind(srv.session(token=member), "change_committed", receiver.url)
    assert r.status_code == 403
    r = bind(srv.session(token=admin), "change_committed", receiver.url)
    assert r.status_code == 200 and r.json() == {"ret": 0, "msg": "ok"}
    r = srv.session(token=admin).post("/v1/tenant/bind", json={"tenant_id": "p1"})
    assert r.status_code == 200


@pytest.mark.sqlite_only
def test_addons_identify_rejects_unknown_point_and_unreachable_endpoint(dnsplane_factory,
                                                                        receiver):
    srv = dnsplane_factory(flags={"platform-url": f"http://127.0.0.1:{receiver.port}/"})
    s = srv.session()
    r = bind(s, "create_plugins", receiver.url)
    assert r.status_code == 400 and r.json()["ret"] < 0 and "create_plugins" in r.json()["msg"]
    dead = f"http://127.0.0.1:{free_port()}/hook"
    r = bind(s, "change_committed", dead)
    assert r.json()["ret"] < 0 and "does not answer" in r.json()["msg"]
    r = bind(s, "change_committed", "ftp://example.org/x")
    assert r.status_code == 400
    # a path is resolved against --platform-url and checked
    r = bind(s, "change_committed", "/hook")
    assert r.status_code == 200, r.text
    # nothing was bound by the rejected calls: only one receiver gets events
    zone = create_zone(s)
    events = receiver.wait_for(lambda ev: len(ev) >= 1)
    assert events[0]["zone"]["id"] == zone["id"]


# --- lifecycle -------------------------------------------------------------
def make_large_store(srv, recordsets: int) -> None:
    """Starts srv once to create the schema and one zone, stops it, then
    copies one record set `recordsets` times straight into SQLite."""
    srv.start()
    s = srv.session()
    zone = create_zone(s, name="big.example.org.")
    create_recordset(s, zone["id"], "seed.big.example.org.", "A", ["192.0.2.1"])
    srv.stop()
    db = sqlite3.connect(srv.db_path)
    rs = db.execute("SELECT * FROM recordsets WHERE name = 'seed.big.example.org.'").fetchone()
    cols = [d[0] for d in db.execute("SELECT * FROM recordsets LIMIT 0").description]
    rec = db.execute("SELECT * FROM records WHERE recordset_id = ?",
                     (rs[cols.index("id")],)).fetchone()
    rec_cols = [d[0] for d in db.execute("SELECT * FROM records LIMIT 0").description]
    rows, recs = [], []
    for i in range(recordsets):
        row = list(rs)
        row[cols.index("id")] = str(uuid.uuid4())
        row[cols.index("name")] = f"h{i}.big.example.org."
        rows.append(row)
        r = list(rec)
        r[rec_cols.index("recordset_id")] = row[cols.index("id")]
        r[rec_cols.index("id")] = str(uuid.uuid4())
        r[rec_cols.index("data")] = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
        recs.append(r)
    db.executemany(f"INSERT INTO recordsets VALUES ({','.join('?' * len(cols))})", rows)
    db.executemany(f"INSERT INTO records VALUES ({','.join('?' * len(rec_cols))})", recs)
    db.commit()
    db.close()


@pytest.mark.sqlite_only
def test_status_starting_while_a_large_store_loads(dnsplane_factory):
    srv = dnsplane_factory(start=False)
    make_large_store(srv, 300_000)
    srv.spawn()
    seen, designate_during_start = [], None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            body = status_of(srv)
        except requests.ConnectionError:
            time.sleep(0.01)
            continue
        seen.append(body["status"])
        if body["status"] == "STARTING" and designate_during_start is None:
            designate_during_start = requests.get(srv.url("/v2/zones"), timeout=5)
            assert requests.get(srv.url("/v1/identify"), timeout=5).status_code == 200
        if body["status"] == "ACTIVE":
            break
        time.sleep(0.02)
    assert seen and seen[0] == "STARTING" and seen[-1] == "ACTIVE", seen
    assert set(seen) <= {"STARTING", "ACTIVE"}
    assert designate_during_start.status_code == 503
    # ACTIVE means the zones are loaded: the DNS server answers from them
    answer = srv.query("h299999.big.example.org.", "A")
    assert "10.4.147.223" in answer.to_text()
    srv.stop()


def test_sigterm_reports_stopping_and_drains_the_request_in_flight(dnsplane_factory,
                                                                   receiver):
    srv = dnsplane_factory(flags={"hook-timeout": "5s"})
    s = srv.session()
    zone = create_zone(s)
    assert bind(s, "validate_change", receiver.url).status_code == 200
    receiver.delay = 1.5  # the write waits on its validate_change hook
    result = {}

    def slow_write():
        result["r"] = srv.session().post(f"/v2/zones/{zone['id']}/recordsets", json={
            "name": f"www.{zone['name']}", "type": "A", "records": ["192.0.2.7"]})

    t = threading.Thread(target=slow_write)
    t.start()
    time.sleep(0.5)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    assert status_of(srv)["status"] == "STOPPING"
    late = requests.get(srv.url("/v2/zones"), timeout=5)
    assert late.status_code == 503
    t.join(10)
    assert result["r"].status_code == 202, result["r"].text
    assert srv.proc.wait(10) == 0


def test_shutdown_timeout_is_a_deadline(dnsplane_factory, receiver):
    srv = dnsplane_factory(flags={"hook-timeout": "20s", "shutdown-timeout": "1s"})
    s = srv.session()
    zone = create_zone(s)
    assert bind(s, "validate_change", receiver.url).status_code == 200
    receiver.delay = 10
    def abandoned_write():
        try:
            requests.post(srv.url(f"/v2/zones/{zone['id']}/recordsets"),
                          json={"name": f"a.{zone['name']}", "type": "A",
                                "records": ["192.0.2.1"]},
                          headers={"X-Auth-Project-ID": "default", "X-Roles": "admin"},
                          timeout=30)
        except requests.ConnectionError:
            pass  # the process ended under it: expected

    t = threading.Thread(target=abandoned_write)
    t.daemon = True
    t.start()
    time.sleep(0.5)
    began = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(8) == 0
    assert time.monotonic() - began < 3
    assert "shutdown timeout" in srv.stderr_text() + srv.stdout_text()


def _chattr(flag: str, *paths) -> bool:
    return all(subprocess.run(["chattr", flag, str(p)], capture_output=True).returncode == 0
               for p in paths)


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
@pytest.mark.sqlite_only
def test_failed_while_the_database_cannot_commit(dnsplane_factory):
    srv = dnsplane_factory(flags={"store-probe-ms": "200"})
    s = srv.session()
    zone = create_zone(s)
    # The database and its WAL refuse writes. The -shm file stays writable: it
    # is shared memory SQLite has mapped, and the kernel answers a write fault
    # on a mapped page of an immutable file with SIGBUS, a failure no full or
    # read-only disk produces (it made this test crash the server at random).
    files = [srv.db_path, srv.db_path.with_name(srv.db_path.name + "-wal")]
    if not _chattr("+i", *files):
        _chattr("-i", *files)
        pytest.skip("the file system does not support the immutable attribute")
    try:
        deadline = time.monotonic() + 5
        while status_of(srv)["status"] != "FAILED" and time.monotonic() < deadline:
            time.sleep(0.05)
        body = status_of(srv)
        assert body["status"] == "FAILED" and "cannot commit" in body["msg"]
        r = s.post(f"/v2/zones/{zone['id']}/recordsets", json={
            "name": f"x.{zone['name']}", "type": "A", "records": ["192.0.2.9"]})
        assert r.status_code >= 500
    finally:
        _chattr("-i", *files)
    deadline = time.monotonic() + 5
    while status_of(srv)["status"] != "ACTIVE" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status_of(srv)["status"] == "ACTIVE"
    create_recordset(s, zone["id"], f"y.{zone['name']}", "A", ["192.0.2.10"])
    srv.stop()


@pytest.mark.sqlite_only
def test_failed_while_the_database_file_is_gone(dnsplane_factory):
    srv = dnsplane_factory(flags={"store-probe-ms": "200"})
    s = srv.session()
    zone = create_zone(s)
    moved = srv.db_path.with_name("elsewhere.db")
    srv.db_path.rename(moved)  # commits would land in a file nobody opens again
    try:
        deadline = time.monotonic() + 5
        while status_of(srv)["status"] != "FAILED" and time.monotonic() < deadline:
            time.sleep(0.05)
        body = status_of(srv)
        assert body["status"] == "FAILED" and "is gone" in body["msg"]
    finally:
        moved.rename(srv.db_path)
    deadline = time.monotonic() + 5
    while status_of(srv)["status"] != "ACTIVE" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status_of(srv)["status"] == "ACTIVE"
    create_recordset(s, zone["id"], f"back.{zone['name']}", "A", ["192.0.2.11"])
    srv.stop()


# --- change_committed ------------------------------------------------------
def assert_in_order(events, zone_id):
    mine = [e for e in events if e["zone"]["id"] == zone_id]
    seqs = [e["sequence"] for e in mine]
    assert seqs == list(range(1, len(seqs) + 1)), seqs
    for a, b in zip(mine, mine[1:]):
        assert b["previous_serial"] == a["serial"]
    return mine


def test_change_committed_sees_every_change_in_order(dnsplane_factory, receiver):
    srv = dnsplane_factory()
    s = srv.session()
    assert bind(s, "change_committed", receiver.url).status_code == 200
    zone = create_zone(s)
    names = [f"n{i}.{zone['name']}" for i in range(20)]
    for n in names:
        create_recordset(s, zone["id"], n, "A", ["192.0.2.1"])
    events = receiver.wait_for(lambda ev: len(ev) >= 21)
    mine = assert_in_order(events, zone["id"])
    assert mine[0]["zone_created"] is True
    added = [a["name"] for e in mine[1:] for a in e["added"] if a["type"] == "A"]
    assert added == names
    first = mine[1]
    assert first["addons_point"] == "change_committed" and first["zone"]["name"] == zone["name"]
    assert first["added"][0]["records"] == ["192.0.2.1"] and first["removed"] == []
    # the deletion of the zone is an event too, after every earlier one
    assert s.delete(f"/v2/zones/{zone['id']}").status_code == 202
    events = receiver.wait_for(lambda ev: len(ev) >= 22)
    mine = assert_in_order(events, zone["id"])
    assert mine[-1]["zone_deleted"] is True and mine[-1]["sequence"] == 22


def test_change_committed_survives_receiver_down_and_kill_9(dnsplane_factory, receiver):
    srv = dnsplane_factory()
    s = srv.session()
    assert bind(s, "change_committed", receiver.url).status_code == 200
    zone = create_zone(s)
    receiver.wait_for(lambda ev: len(ev) >= 1)
    receiver.stop()  # receiver down
    for i in range(5):
        create_recordset(s, zone["id"], f"d{i}.{zone['name']}", "A", ["192.0.2.2"])
    receiver.start()  # back: the backlog arrives, in order
    receiver.wait_for(lambda ev: len(ev) >= 6)
    receiver.fail_status = 500  # answering but refusing
    for i in range(5):
        create_recordset(s, zone["id"], f"k{i}.{zone['name']}", "A", ["192.0.2.3"])
    time.sleep(0.5)
    srv.kill()  # kill -9 with undelivered events
    receiver.fail_status = None
    srv.start()  # the binding and the outbox survive
    s = srv.session()
    create_recordset(s, zone["id"], f"after.{zone['name']}", "A", ["192.0.2.4"])
    events = receiver.wait_for(lambda ev: len(ev) >= 12)
    mine = assert_in_order(events, zone["id"])
    names = [a["name"] for e in mine for a in e["added"] if a["type"] == "A"]
    assert names == ([f"d{i}.{zone['name']}" for i in range(5)] +
                     [f"k{i}.{zone['name']}" for i in range(5)] + [f"after.{zone['name']}"])


def test_first_retry_within_two_seconds(dnsplane_factory, receiver):
    srv = dnsplane_factory()
    s = srv.session()
    assert bind(s, "change_committed", receiver.url).status_code == 200
    receiver.fail_status = 503
    create_zone(s)
    time.sleep(0.3)
    receiver.fail_status = None
    began = time.monotonic()
    receiver.wait_for(lambda ev: len(ev) >= 1, timeout=5)
    assert time.monotonic() - began < 2.0


# --- validate_change -------------------------------------------------------
def test_validate_change_veto_changes_nothing(dnsplane_factory, receiver):
    srv = dnsplane_factory()
    s = srv.session()
    zone = create_zone(s)
    assert bind(s, "validate_change", receiver.url).status_code == 200
    receiver.validator = lambda body: ((-1, "TXT records need a ticket")
                                       if any(a["type"] == "TXT" for a in body["added"])
                                       else (0, "ok"))
    before = s.get(f"/v2/zones/{zone['id']}").json()["serial"]
    r = s.post(f"/v2/zones/{zone['id']}/recordsets", json={
        "name": f"t.{zone['name']}", "type": "TXT", "records": ['"hello"']})
    assert r.status_code == 403 and "TXT records need a ticket" in r.json()["message"]
    assert s.get(f"/v2/zones/{zone['id']}").json()["serial"] == before
    assert s.get(f"/v2/zones/{zone['id']}/recordsets?type=TXT").json()["recordsets"] == []
    answer = srv.query(f"t.{zone['name']}", "TXT")
    assert answer.rcode() == 3  # NXDOMAIN on the wire
    seen = receiver.validations[-1]
    assert seen["zone"] == {"id": zone["id"], "name": zone["name"]}
    # an allowed change commits
    create_recordset(s, zone["id"], f"a.{zone['name']}", "A", ["192.0.2.5"])
    assert "192.0.2.5" in srv.query(f"a.{zone['name']}", "A").to_text()


def test_validate_change_timeout_fails_closed_or_open(dnsplane_factory, receiver):
    for fail_open in (False, True):
        flags = {"hook-timeout": "300ms"}
        if fail_open:
            flags["validate-fail-open"] = True
        srv = dnsplane_factory(flags=flags)
        s = srv.session()
        zone = create_zone(s)
        assert bind(s, "validate_change", receiver.url).status_code == 200
        receiver.delay = 1.0
        r = s.post(f"/v2/zones/{zone['id']}/recordsets", json={
            "name": f"slow.{zone['name']}", "type": "A", "records": ["192.0.2.6"]})
        receiver.delay = 0
        if fail_open:
            assert r.status_code == 202, r.text
        else:
            assert r.status_code == 503 and "validate_change" in r.json()["message"]
            assert srv.query(f"slow.{zone['name']}", "A").rcode() == 3
        srv.stop()


def test_slow_validator_of_one_zone_does_not_hold_back_other_writes(dnsplane_factory, receiver):
    # validate_change is asked about a request's plan before it joins a
    # group commit: a validator that takes 2 s for zone A delays only A's
    # request, not the writes of zone B committed meanwhile.
    srv = dnsplane_factory(flags={"hook-timeout": "10s"})
    s = srv.session()
    za, zb = create_zone(s), create_zone(s)
    assert bind(s, "validate_change", receiver.url).status_code == 200

    def validator(body):
        if body["zone"]["id"] == za["id"]:
            time.sleep(2.0)
        return 0, "ok"

    receiver.validator = validator
    result = {}

    def slow_write():
        began = time.monotonic()
        result["r"] = srv.session().post(f"/v2/zones/{za['id']}/recordsets", json={
            "name": f"slow.{za['name']}", "type": "A", "records": ["192.0.2.7"]})
        result["seconds"] = time.monotonic() - began

    t = threading.Thread(target=slow_write)
    t.start()
    time.sleep(0.3)  # A now waits on its validator
    latencies = []
    for i in range(8):
        began = time.monotonic()
        create_recordset(s, zb["id"], f"fast{i}.{zb['name']}", "A", [f"192.0.2.{i + 10}"])
        latencies.append(time.monotonic() - began)
        assert f"192.0.2.{i + 10}" in srv.query(f"fast{i}.{zb['name']}", "A").to_text()
    assert t.is_alive(), "A's write should still wait on its validator"
    # Well under A's 2 s validator: B's writes did not wait for it.
    assert max(latencies) < 1.0, latencies
    assert srv.query(f"slow.{za['name']}", "A").rcode() == 3  # not committed yet
    t.join(15)
    assert result["r"].status_code == 202, result["r"].text
    assert result["seconds"] >= 2.0
    assert "192.0.2.7" in srv.query(f"slow.{za['name']}", "A").to_text()
    # The validator saw A's change once, exactly as it committed.
    seen = [v for v in receiver.validations if v["zone"]["id"] == za["id"]]
    assert len(seen) == 1
    assert [(a["name"], a["type"], a["records"]) for a in seen[0]["added"]] == [
        (f"slow.{za['name']}", "A", ["192.0.2.7"])]
