"""ExternalDNS webhook protocol conformance against the running binary.

Re-states every server-side case of ../shared/specs/externaldns-webhook.md
(the upstream helper's tests, numbered as there) plus the rules the issue
adds: exact negotiation bytes, null bodies, 413 with --webhook-max-body,
adjustendpoints rules, propertyvaluesequal, basic auth, the refusal to
listen on a non-loopback address without it, and dry-run; and the
provider errors of cases 2, 5 and 10 caused by real store failures (an
immutable database for a commit, corrupt pages for a read): 500 with the
webhook's error body, nothing changed.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import sqlite3
import subprocess
import time

import pytest
import requests

from dnsplane_harness import Dnsplane, create_zone, free_port, run_cli, sqlite_url
from webhook_support import MEDIA, Webhook, endpoint, raw_request


@pytest.fixture(scope="module")
def srv(dnsplane_module_factory):
    return dnsplane_module_factory(start=True)


@pytest.fixture(scope="module")
def zone(srv):
    return create_zone(srv.session(), name="bar.com.", email="h@bar.com")


@pytest.fixture
def hook(srv, zone):
    return Webhook(srv.webhook)


def names(records):
    return {(e["dnsName"], e["recordType"], e.get("setIdentifier", "")): e for e in records}


# --- 11, 12: negotiation -------------------------------------------------
def test_negotiation_exact_bytes(srv, zone):
    raw = raw_request(srv.webhook_port,
                      b"GET / HTTP/1.1\r\nHost: localhost\r\nAccept: " + MEDIA.encode() +
                      b"\r\nConnection: close\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 200 OK"
    assert b"Content-Type: application/external.dns.webhook+json;version=1" in lines
    assert b"Vary: Content-Type" in lines
    doc = json.loads(body)
    assert "bar.com" in doc["include"]
    assert "exclude" not in doc and "filters" not in doc


def test_negotiation_without_accept_header_is_fine(hook):
    r = requests.get(hook.base + "/", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == MEDIA


def test_negotiation_configured_filter_exact_body(dnsplane_factory):
    srv = dnsplane_factory(flags={"webhook-domain-filter": "foo.bar.com"}, start=True)
    r = Webhook(srv.webhook).negotiate()
    assert r.status_code == 200
    assert r.headers["Content-Type"] == MEDIA
    assert r.content == b'{"include":["foo.bar.com"]}'


def test_negotiation_filters_with_control_characters_are_valid_json(dnsplane_factory):
    # 13: control characters, U+2028 and < > still give 200 and valid JSON.
    odd = ["a\x01b.com", "c\u2028d.com", "<x>.com&"]
    srv = dnsplane_factory(extra_args=sum([["--webhook-domain-filter", v] for v in odd], []),
                           start=True)
    r = Webhook(srv.webhook).negotiate()
    assert r.status_code == 200
    assert b"<" not in r.content and b">" not in r.content and b"\x01" not in r.content
    assert sorted(json.loads(r.content)["include"]) == sorted(odd)


def test_negotiation_empty_project_is_everything(dnsplane_factory):
    srv = dnsplane_factory(flags={"webhook-project": "nobody"}, start=True)
    r = Webhook(srv.webhook).negotiate()
    assert r.status_code == 200 and r.content == b"{}"


# --- 1: GET /records -------------------------------------------------------
def test_get_records_is_exactly_200_with_merged_sets(srv, zone, hook):
    s = srv.session()
    r = s.post(f"/v2/zones/{zone['id']}/recordsets",
               json={"name": "multi.bar.com.", "type": "A", "ttl": 120,
                     "records": ["192.0.2.1", "192.0.2.2"]})
    assert r.status_code == 202, r.text
    r = hook.records()
    assert r.status_code == 200
    assert r.headers["Content-Type"] == MEDIA
    got = names(r.json())
    e = got[("multi.bar.com", "A", "")]
    assert sorted(e["targets"]) == ["192.0.2.1", "192.0.2.2"]
    assert e["recordTTL"] == 120
    # Managed SOA / apex NS are not endpoints.
    assert ("bar.com", "SOA", "") not in got and ("bar.com", "NS", "") not in got


# --- 3, 4, 5, 7: POST /records --------------------------------------------
def test_post_records_empty_body_is_400(hook):
    r = hook.apply("")
    assert r.status_code == 400
    assert r.json()["error"] == "bad_request"


def test_post_records_malformed_json_is_400(hook):
    assert hook.apply("{not json").status_code == 400


def test_post_records_null_body_is_204(hook):
    r = hook.apply("null")
    assert r.status_code == 204 and r.content == b""


def test_post_records_create_without_targets_is_204(hook):
    r = hook.apply({"create": [{"dnsName": "foo.bar.com", "recordType": "A"}]})
    assert r.status_code == 204


def test_post_records_create_is_204_and_served(srv, hook):
    r = hook.apply({"create": [endpoint("new.bar.com", "A", ["192.0.2.10"], ttl=60)]})
    assert r.status_code == 204, r.text
    assert r.content == b""
    ans = srv.query("new.bar.com.", "A")
    assert [rr.to_text() for rrset in ans.answer for rr in rrset] == ["192.0.2.10"]
    assert names(hook.records().json())[("new.bar.com", "A", "")]["recordTTL"] == 60


def test_post_records_apply_error_is_500_and_changes_nothing(srv, hook):
    before = hook.records().json()
    r = hook.apply({"create": [endpoint("ok.bar.com", "A", ["192.0.2.1"]),
                               endpoint("www.not-ours.org", "A", ["192.0.2.2"])]})
    assert r.status_code == 500
    assert r.json()["error"] == "no_zone"
    r = hook.apply({"create": [endpoint("ok.bar.com", "A", ["192.0.2.1"]),
                               endpoint("bad.bar.com", "A", ["not-an-address"])]})
    assert r.status_code == 500
    assert hook.records().json() == before


def test_post_records_mixed_case_keys_decode_all_four_lists(srv, hook):
    assert hook.apply({"create": [endpoint("mc-upd.bar.com", "A", ["192.0.2.1"]),
                                  endpoint("mc-del.bar.com", "A", ["192.0.2.2"])]}
                      ).status_code == 204
    r = hook.apply({"Create": [endpoint("mc-new.bar.com", "A", ["192.0.2.3"])],
                    "UpdateOld": [endpoint("mc-upd.bar.com", "A", ["192.0.2.1"])],
                    "updateNew": [endpoint("mc-upd.bar.com", "A", ["192.0.2.4"])],
                    "Delete": [endpoint("mc-del.bar.com", "A", ["192.0.2.2"])]})
    assert r.status_code == 204, r.text
    got = names(hook.records().json())
    assert got[("mc-new.bar.com", "A", "")]["targets"] == ["192.0.2.3"]
    assert got[("mc-upd.bar.com", "A", "")]["targets"] == ["192.0.2.4"]
    assert ("mc-del.bar.com", "A", "") not in got


def test_post_records_null_lists_are_empty(hook):
    r = hook.apply({"create": None, "updateOld": None, "updateNew": None, "delete": None})
    assert r.status_code == 204


# --- 6, 8: other methods ----------------------------------------------------
def test_other_methods_are_400(hook):
    assert requests.put(hook.base + "/records", data="{}", timeout=5).status_code == 400
    assert requests.get(hook.base + "/adjustendpoints", timeout=5).status_code == 400


def test_adjust_empty_body_is_400(hook):
    r = requests.post(hook.base + "/adjustendpoints", data="", timeout=5)
    assert r.status_code == 400


# --- 9: adjustendpoints -----------------------------------------------------
def test_adjust_returns_full_normalised_list(hook):
    eps = [endpoint("App.bar.com", "CNAME", ["Target.Example.com."], set_id="s1",
                    labels={"owner": "x"}, ps=[{"name": "webhook/foo", "value": "bar"}]),
           endpoint("aaaa.bar.com", "AAAA", ["2001:DB8:0::1", "2001:db8::1"], ttl=30),
           endpoint("sshfp.bar.com", "SSHFP", ["1 1 abcd"]),
           endpoint("out.other.org", "A", ["192.0.2.1"])]
    r = hook.adjust(eps)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == MEDIA
    out = r.json()
    assert [(e["dnsName"], e["recordType"], e.get("setIdentifier", "")) for e in out] == [
        ("App.bar.com", "CNAME", "s1"), ("aaaa.bar.com", "AAAA", ""),
        ("out.other.org", "A", "")]
    assert out[0]["targets"] == ["target.example.com"]
    assert out[0]["recordTTL"] == 3600  # TTL 0 -> the zone's
    assert out[0]["labels"] == {"owner": "x"}
    assert out[0]["providerSpecific"] == [{"name": "webhook/foo", "value": "bar"}]
    assert out[1]["targets"] == ["2001:db8::1"] and out[1]["recordTTL"] == 30
    assert "recordTTL" not in out[2]


def test_adjust_null_and_empty_list(hook):
    assert hook.adjust(None).content == b"[]"
    r = hook.adjust([])
    assert r.status_code == 200 and r.content == b"[]"


def test_propertyvaluesequal(hook):
    r = requests.post(hook.base + "/propertyvaluesequal",
                      json={"name": "x", "previous": "a", "current": "a"}, timeout=5)
    assert r.status_code == 200 and r.json() == {"equals": True}
    r = requests.post(hook.base + "/propertyvaluesequal",
                      json={"name": "x", "previous": "a", "current": "b"}, timeout=5)
    assert r.json() == {"equals": False}


# --- 14: body cap -------------------------------------------------------------
@pytest.mark.parametrize("path", ["/records", "/adjustendpoints"])
def test_endless_body_is_413(dnsplane_factory, path):
    srv = dnsplane_factory(flags={"webhook-max-body": "4096"}, start=True)
    with socket.create_connection(("127.0.0.1", srv.webhook_port), timeout=5) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {MEDIA}\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"1000\r\n" + b"[" * 4096 + b"\r\n"
        buf = b""
        deadline = time.monotonic() + 5
        try:
            while time.monotonic() < deadline and b"\r\n\r\n" not in buf:
                s.sendall(chunk)
                s.settimeout(0.05)
                try:
                    buf += s.recv(4096)
                except socket.timeout:
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        s.settimeout(2)
        try:
            while b"\r\n\r\n" not in buf:
                data = s.recv(4096)
                if not data:
                    break
                buf += data
        except (socket.timeout, ConnectionResetError):
            pass
    assert buf.startswith(b"HTTP/1.1 413"), buf[:200]
    # A declared oversize body too.
    r = requests.post(srv.webhook + path, data=b"[" + b" " * 5000 + b"]",
                      headers={"Content-Type": MEDIA}, timeout=5)
    assert r.status_code == 413


# --- basic auth, loopback refusal, dry run ----------------------------------
def test_basic_auth_on_every_route(dnsplane_factory):
    srv = dnsplane_factory(flags={"webhook-auth": "ext:s3cret"}, start=True)
    create_zone(srv.session(), name="auth.test.", email="h@auth.test")
    for method, path in [("GET", "/"), ("GET", "/records"), ("POST", "/records"),
                         ("POST", "/adjustendpoints"), ("POST", "/propertyvaluesequal")]:
        r = requests.request(method, srv.webhook + path, data="null", timeout=5)
        assert r.status_code == 401, (method, path)
        r = requests.request(method, srv.webhook + path, data="null", auth=("ext", "wrong"),
                             timeout=5)
        assert r.status_code == 401, (method, path)
    ok = Webhook(srv.webhook, auth=("ext", "s3cret"))
    assert ok.negotiate().status_code == 200
    assert ok.apply({"create": [endpoint("a.auth.test", "A", ["192.0.2.1"])]}).status_code == 204
    assert ok.records().status_code == 200
    srv.stop()  # flushes the log
    assert "s3cret" not in srv.stderr_text() + srv.stdout_text()


def test_refuses_non_loopback_without_auth(tmp_path):
    r = run_cli(["serve", "--database", sqlite_url(tmp_path / "d.db"),
                 "--api-listen", f"127.0.0.1:{free_port()}",
                 "--dns-listen", f"127.0.0.1:{free_port(udp_too=True)}",
                 "--health-listen", "127.0.0.1:0",
                 "--webhook-listen", f"0.0.0.0:{free_port()}"], timeout=20)
    assert r.returncode != 0
    assert "webhook" in r.stderr and "webhook-auth" in r.stderr, r.stderr


def test_non_loopback_with_auth_starts(dnsplane_factory):
    port = free_port()
    srv = dnsplane_factory(flags={"webhook-listen": f"0.0.0.0:{port}",
                                  "webhook-auth": "u:p"}, start=True)
    srv.webhook_port = port
    r = requests.get(f"http://127.0.0.1:{port}/", auth=("u", "p"), timeout=5)
    assert r.status_code == 200


def test_dry_run_validates_and_writes_nothing(dnsplane_factory):
    srv = dnsplane_factory(flags={"webhook-dry-run": True}, start=True)
    create_zone(srv.session(), name="dry.test.", email="h@dry.test")
    hook = Webhook(srv.webhook)
    r = hook.apply({"create": [endpoint("x.dry.test", "A", ["192.0.2.1"])]})
    assert r.status_code == 204
    assert hook.records().json() == []
    assert srv.query("x.dry.test.", "A").answer == []
    # Still validated: a plan that cannot apply fails.
    r = hook.apply({"create": [endpoint("x.elsewhere.org", "A", ["192.0.2.1"])]})
    assert r.status_code == 500
    srv.stop()  # flushes the log
    assert "dry run" in srv.stderr_text() + srv.stdout_text()


def test_unknown_path_is_404_not_routed(hook):
    assert requests.get(hook.base + "/nope", timeout=5).status_code == 404


def test_create_zones_option_creates_the_parent_zone(dnsplane_factory):
    srv = dnsplane_factory(flags={"webhook-create-zones": True}, start=True)
    hook = Webhook(srv.webhook)
    r = hook.apply({"create": [endpoint("app.fresh.test", "A", ["192.0.2.1"]),
                               endpoint("a-app.fresh.test", "TXT", ['"heritage=external-dns"'])]})
    assert r.status_code == 204, r.text
    zones = srv.session().get("/v2/zones").json()["zones"]
    assert [z["name"] for z in zones] == ["fresh.test."]
    assert srv.query("app.fresh.test.", "A").answer
    assert json.loads(hook.negotiate().content) == {"include": ["fresh.test"]}
    # Without the option the same plan is the soft no_zone failure.
    plain = dnsplane_factory(start=True)
    r = Webhook(plain.webhook).apply({"create": [endpoint("app.fresh.test", "A", ["192.0.2.1"])]})
    assert r.status_code == 500 and r.json()["error"] == "no_zone"


# --- 2, 5, 10: provider errors from a real store failure -> 500 ----------------
def _chattr(flag: str, *paths) -> bool:
    return all(subprocess.run(["chattr", flag, str(p)], capture_output=True).returncode == 0
               for p in paths)


def assert_provider_error(r):
    assert r.status_code == 500, r.text
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert body["error"] in ("database_unavailable", "database_error"), body
    assert body["message"]


@pytest.fixture
def store_srv(dnsplane_factory):
    # The status probe would write every second; it stays out of the way.
    srv = dnsplane_factory(flags={"store-probe-ms": "3600000"}, start=True)
    create_zone(srv.session(), name="store.test.", email="h@store.test")
    hook = Webhook(srv.webhook)
    assert hook.apply({"create": [endpoint("keep.store.test", "A", ["192.0.2.1"])]}
                      ).status_code == 204
    return srv, hook


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
def test_apply_store_failure_is_500_and_changes_nothing(store_srv):
    # 5: the store cannot commit (the database and its WAL are immutable; the
    # -shm file stays writable: SQLite maps it, and a write fault on a mapped
    # page of an immutable file is SIGBUS, which no real read-only disk gives).
    srv, hook = store_srv
    before = hook.records().json()
    files = [srv.db_path, srv.db_path.with_name(srv.db_path.name + "-wal")]
    if not _chattr("+i", *files):
        _chattr("-i", *files)
        pytest.skip("the file system does not support the immutable attribute")
    try:
        r = hook.apply({"create": [endpoint("new.store.test", "A", ["192.0.2.2"])],
                        "delete": [endpoint("keep.store.test", "A", ["192.0.2.1"])]})
        assert_provider_error(r)
        assert hook.records().json() == before  # reads still work: nothing changed
        assert srv.query("new.store.test.", "A").answer == []
        assert "192.0.2.1" in srv.query("keep.store.test.", "A").to_text()
    finally:
        _chattr("-i", *files)
    # Once the store commits again the same plan applies; the failed one left nothing.
    srv.restart()
    assert hook.records().json() == before
    r = hook.apply({"create": [endpoint("new.store.test", "A", ["192.0.2.2"])]})
    assert r.status_code == 204, r.text
    assert "192.0.2.2" in srv.query("new.store.test.", "A").to_text()


@pytest.mark.sqlite_only  # breaks the SQLite file with sqlite3
def test_read_store_failure_is_500_on_records_and_adjustendpoints(store_srv):
    # 2 and 10: the store cannot read (its pages are corrupt). Everything is
    # checkpointed into the main file first, so the corrupt pages are read.
    srv, hook = store_srv
    before = hook.records().json()
    con = sqlite3.connect(srv.db_path, timeout=10)
    busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    con.close()
    assert busy == 0
    original = srv.db_path.read_bytes()
    page = int.from_bytes(original[16:18], "big")
    page = 65536 if page == 1 else page
    try:
        with open(srv.db_path, "r+b") as f:  # keep page 1 (header and schema)
            f.seek(page)
            f.write(b"\xff" * (len(original) - page))
        assert_provider_error(hook.records())
        assert_provider_error(hook.adjust([endpoint("keep.store.test", "A", ["192.0.2.1"])]))
        # DNS keeps answering from memory.
        assert "192.0.2.1" in srv.query("keep.store.test.", "A").to_text()
    finally:
        srv.kill()
        srv.db_path.write_bytes(original)
    srv.start()
    assert hook.records().json() == before
    r = hook.adjust([endpoint("keep.store.test", "A", ["192.0.2.1"])])
    assert r.status_code == 200 and r.json()[0]["targets"] == ["192.0.2.1"]
