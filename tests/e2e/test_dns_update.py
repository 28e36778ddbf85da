"""RFC 2136 UPDATE with TSIG, end to end: nsupdate (-y and -k, UDP and TCP)
adds and deletes records, prerequisites hold or fail with their RCODE, every
TSIG failure answers as RFC 8945 says, and each change is visible at once in
DNS (dig) and through the Designate API with the serial bumped by one.
Also /v2/tsigkeys itself (admin CRUD, validation, secrets hidden from
non-admins and never logged)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from unittest import mock

import dns.message
import dns.query
import dns.rcode
import dns.tsig
import dns.tsigkeyring
import dns.update
import pytest

from dns_support import soa_serial
from dnsplane_harness import create_recordset, create_zone, unique_zone_name
from update_support import (create_tsigkey, dig, new_secret, nsupdate, pool_id, update_result,
                            write_keyfile)


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture(scope="module")
def admin(srv):
    return srv.session()


@pytest.fixture(scope="module")
def pool_key(admin):
    return create_tsigkey(admin, "pool-key.", "POOL", pool_id(admin))


@pytest.fixture
def zone(admin):
    z = create_zone(admin, unique_zone_name("upd"))
    create_recordset(admin, z["id"], "www." + z["name"], "A", ["192.0.2.1"], ttl=300)
    return z


def api_sets(admin, zone) -> dict:
    r = admin.get(f"/v2/zones/{zone['id']}/recordsets?limit=1000")
    assert r.status_code == 200, r.text
    return {(rs["name"], rs["type"]): sorted(rs["records"]) for rs in r.json()["recordsets"]}


# --- updates -----------------------------------------------------------------
@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_add_is_visible_in_dns_and_api_with_serial_plus_one(srv, admin, pool_key, zone, tcp):
    z = zone["name"]
    before = soa_serial(srv.dns_port, z)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add new.{z} 600 A 192.0.2.7",
                                      f"update add new.{z} 600 A 192.0.2.8",
                                      f'update add txt.{z} 60 TXT "hello world"'],
                       key=pool_key, tcp=tcp)
    assert rc == 0 and update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"new.{z}") == ["192.0.2.7", "192.0.2.8"]
    assert dig(srv.dns_port, f"txt.{z}", "TXT") == ['"hello world"']
    assert soa_serial(srv.dns_port, z) == before + 1  # one change set, one bump
    sets = api_sets(admin, zone)
    assert sets[(f"new.{z}", "A")] == ["192.0.2.7", "192.0.2.8"]
    r = admin.get(f"/v2/zones/{zone['id']}/recordsets?name=new.{z}").json()["recordsets"][0]
    assert r["ttl"] == 600 and r["status"] == "ACTIVE"


def test_delete_one_rr_an_rrset_and_a_name(srv, admin, pool_key, zone):
    z = zone["name"]
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add www.{z} 300 A 192.0.2.2",
                                      f"update add www.{z} 300 AAAA 2001:db8::1",
                                      f"update add mx.{z} 300 MX 10 mail.{z}",
                                      f"update add mx.{z} 300 TXT x"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"www.{z}") == ["192.0.2.1", "192.0.2.2"]
    # delete one RR
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update delete www.{z} A 192.0.2.1"],
                       key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"www.{z}") == ["192.0.2.2"]
    assert api_sets(admin, zone)[(f"www.{z}", "A")] == ["192.0.2.2"]
    # delete an RRset
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update delete www.{z} A"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"www.{z}") == []
    assert dig(srv.dns_port, f"www.{z}", "AAAA") == ["2001:db8::1"]
    # delete every RRset at a name
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update delete mx.{z}"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    sets = api_sets(admin, zone)
    assert (f"mx.{z}", "MX") not in sets and (f"mx.{z}", "TXT") not in sets
    assert (f"www.{z}", "AAAA") in sets


def test_delete_all_at_apex_keeps_soa_and_ns_and_managed_updates_are_ignored(
        srv, admin, pool_key, zone):
    z = zone["name"]
    ns_before = dig(srv.dns_port, z, "NS")
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add {z} 300 TXT apex",
                                      f"update add {z} 300 NS ns.evil.example.",
                                      f"update add {z} 300 SOA a. b. 1 2 3 4 5"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, z, "NS") == ns_before
    assert dig(srv.dns_port, z, "TXT") == ['"apex"']
    serial = soa_serial(srv.dns_port, z)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update delete {z}"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, z, "TXT") == []
    assert dig(srv.dns_port, z, "NS") == ns_before
    assert soa_serial(srv.dns_port, z) == serial + 1
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update delete {z} NS",
                                      f"update delete {z} SOA"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, z, "NS") == ns_before
    assert soa_serial(srv.dns_port, z) == serial + 1  # nothing changed, no bump


# --- prerequisites -------------------------------------------------------------
@pytest.mark.parametrize("prereq,holds,rcode", [
    ("prereq yxdomain www.{z}", True, None),
    ("prereq yxdomain nope.{z}", False, "NXDOMAIN"),
    ("prereq nxdomain nope.{z}", True, None),
    ("prereq nxdomain www.{z}", False, "YXDOMAIN"),
    ("prereq yxrrset www.{z} A", True, None),
    ("prereq yxrrset www.{z} TXT", False, "NXRRSET"),
    ("prereq nxrrset www.{z} TXT", True, None),
    ("prereq nxrrset www.{z} A", False, "YXRRSET"),
    ("prereq yxrrset www.{z} A 192.0.2.1", True, None),
    ("prereq yxrrset www.{z} A 192.0.2.99", False, "NXRRSET"),
])
def test_prerequisites(srv, admin, pool_key, zone, prereq, holds, rcode):
    z = zone["name"]
    serial = soa_serial(srv.dns_port, z)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", prereq.format(z=z),
                                      f"update add p.{z} 300 A 192.0.2.50"], key=pool_key)
    if holds:
        assert update_result(out) == "NOERROR", out
        assert dig(srv.dns_port, f"p.{z}") == ["192.0.2.50"]
        assert soa_serial(srv.dns_port, z) == serial + 1
    else:
        assert update_result(out) == rcode, out
        assert dig(srv.dns_port, f"p.{z}") == []
        assert soa_serial(srv.dns_port, z) == serial
        assert (f"p.{z}", "A") not in api_sets(admin, zone)


def test_value_dependent_prerequisite_needs_the_whole_rrset(srv, admin, pool_key, zone):
    z = zone["name"]
    nsupdate(srv.dns_port, [f"zone {z}", f"update add www.{z} 300 A 192.0.2.2"], key=pool_key)
    # Only one of the two values: the RRset differs (RFC 2136 3.2.3).
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"prereq yxrrset www.{z} A 192.0.2.1",
                                      f"update add q.{z} 300 A 192.0.2.9"], key=pool_key)
    assert update_result(out) == "NXRRSET", out
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"prereq yxrrset www.{z} A 192.0.2.1",
                                      f"prereq yxrrset www.{z} A 192.0.2.2",
                                      f"update add q.{z} 300 A 192.0.2.9"], key=pool_key)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"q.{z}") == ["192.0.2.9"]


# --- the REST API's rules ----------------------------------------------------
def test_cname_exclusivity_refuses_and_changes_nothing(srv, admin, pool_key, zone):
    z = zone["name"]
    serial = soa_serial(srv.dns_port, z)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add ok.{z} 300 A 192.0.2.3",
                                      f"update add www.{z} 300 CNAME other.{z}"], key=pool_key)
    assert update_result(out) == "REFUSED", out
    assert dig(srv.dns_port, f"ok.{z}") == []
    assert soa_serial(srv.dns_port, z) == serial
    assert (f"ok.{z}", "A") not in api_sets(admin, zone)


def test_ttl_over_the_limit_and_bad_names_are_refused(srv, pool_key, zone):
    z = zone["name"]
    ring = dns.tsigkeyring.from_text({pool_key["name"]: pool_key["secret"]})
    for name, ttl in ((f"big.{z}", 2**31), (f"bad_label!.{z}", 300)):
        msg = dns.update.UpdateMessage(z, keyring=ring, keyname=pool_key["name"],
                                       keyalgorithm="hmac-sha256")
        msg.add(name, ttl, "A", "192.0.2.3")
        msg.add(f"ok.{z}", 300, "A", "192.0.2.4")
        resp = dns.query.udp(msg, "127.0.0.1", port=srv.dns_port, timeout=5)
        assert resp.rcode() == dns.rcode.REFUSED, (name, ttl)
    assert dig(srv.dns_port, f"big.{z}") == [] and dig(srv.dns_port, f"ok.{z}") == []


def test_name_outside_the_zone_is_notzone(srv, pool_key, zone):
    z = zone["name"]
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", "update add www.elsewhere.example. 300 A "
                                                   "192.0.2.1"], key=pool_key)
    assert update_result(out) == "NOTZONE", out


# --- TSIG ----------------------------------------------------------------------
def test_unsigned_update_is_refused(srv, zone):
    z = zone["name"]
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add u.{z} 300 A 192.0.2.1"])
    assert update_result(out) == "REFUSED", out
    assert dig(srv.dns_port, f"u.{z}") == []


def test_unknown_key_is_notauth_badkey(srv, zone):
    z = zone["name"]
    key = {"algorithm": "hmac-sha256", "name": "nobody.", "secret": new_secret()}
    msg = dns.update.UpdateMessage(z, keyring=dns.tsigkeyring.from_text(
        {key["name"]: key["secret"]}), keyname=key["name"], keyalgorithm="hmac-sha256")
    msg.add(f"u.{z}", 300, "A", "192.0.2.1")
    with pytest.raises(dns.tsig.PeerBadKey):
        dns.query.udp(msg, "127.0.0.1", port=srv.dns_port, timeout=5)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add u.{z} 300 A 192.0.2.1"],
                       key=key)
    assert rc != 0 and "NOTAUTH" in out or "BADKEY" in out or "tsig" in out.lower(), out
    assert dig(srv.dns_port, f"u.{z}") == []


def test_non_base64_secret_is_kept_but_never_verifies(srv, admin, zone):
    # Designate takes any secret text; such a key cannot key an HMAC, so the
    # DNS server skips it and a message signed with its name is BADKEY.
    key = create_tsigkey(admin, "text-secret-key.", "ZONE", zone["id"], secret="SomeSecretKey")
    assert admin.get(f"/v2/tsigkeys/{key['id']}").json()["secret"] == "SomeSecretKey"
    z = zone["name"]
    msg = dns.update.UpdateMessage(z, keyring=dns.tsigkeyring.from_text(
        {key["name"]: new_secret()}), keyname=key["name"], keyalgorithm="hmac-sha256")
    msg.add(f"t.{z}", 300, "A", "192.0.2.1")
    with pytest.raises(dns.tsig.PeerBadKey):
        dns.query.udp(msg, "127.0.0.1", port=srv.dns_port, timeout=5)
    assert dig(srv.dns_port, f"t.{z}") == []
    assert admin.delete(f"/v2/tsigkeys/{key['id']}").status_code == 204


def test_bad_mac_is_notauth_badsig(srv, pool_key, zone):
    z = zone["name"]
    forged = dict(pool_key, secret=new_secret())
    msg = dns.update.UpdateMessage(z, keyring=dns.tsigkeyring.from_text(
        {forged["name"]: forged["secret"]}), keyname=forged["name"], keyalgorithm="hmac-sha256")
    msg.add(f"u.{z}", 300, "A", "192.0.2.1")
    with pytest.raises(dns.tsig.PeerBadSignature):
        dns.query.udp(msg, "127.0.0.1", port=srv.dns_port, timeout=5)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add u.{z} 300 A 192.0.2.1"],
                       key=forged)
    assert rc != 0, out
    assert dig(srv.dns_port, f"u.{z}") == []


def test_time_outside_fudge_is_notauth_badtime_signed(srv, pool_key, zone):
    z = zone["name"]
    ring = dns.tsigkeyring.from_text({pool_key["name"]: pool_key["secret"]})
    msg = dns.update.UpdateMessage(z, keyring=ring, keyname=pool_key["name"],
                                   keyalgorithm="hmac-sha256")
    msg.add(f"u.{z}", 300, "A", "192.0.2.1")
    with mock.patch("time.time", return_value=time.time() - 3600):
        wire = msg.to_wire()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(wire, ("127.0.0.1", srv.dns_port))
        data, _ = s.recvfrom(65535)
    # The reply is signed with the key (BADTIME replies are, RFC 8945 5.2.3).
    with pytest.raises(dns.tsig.PeerBadTime):
        dns.message.from_wire(data, keyring=ring, request_mac=msg.mac)
    assert data[3] & 0x0F == dns.rcode.NOTAUTH
    assert dig(srv.dns_port, f"u.{z}") == []


def test_answers_are_signed_and_verify(srv, pool_key, zone):
    z = zone["name"]
    ring = dns.tsigkeyring.from_text({pool_key["name"]: pool_key["secret"]})
    for send in (dns.query.udp, dns.query.tcp):
        msg = dns.update.UpdateMessage(z, keyring=ring, keyname=pool_key["name"],
                                       keyalgorithm="hmac-sha256")
        msg.add(f"s.{z}", 300, "A", "192.0.2.1")
        resp = send(msg, "127.0.0.1", port=srv.dns_port, timeout=5)  # verifies the MAC
        assert resp.rcode() == dns.rcode.NOERROR
        assert resp.had_tsig


@pytest.mark.parametrize("algorithm", ["hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256",
                                       "hmac-sha384", "hmac-sha512"])
def test_every_algorithm_with_a_keyfile(srv, admin, zone, tmp_path, algorithm):
    z = zone["name"]
    key = create_tsigkey(admin, f"{algorithm}-{zone['id'][:8]}.", "ZONE", zone["id"],
                         algorithm=algorithm)
    keyfile = write_keyfile(tmp_path / "key.conf", key)
    rc, out = nsupdate(srv.dns_port, [f"zone {z}", f"update add k.{z} 300 A 192.0.2.4"],
                       keyfile=keyfile)
    assert update_result(out) == "NOERROR", out
    assert dig(srv.dns_port, f"k.{z}") == ["192.0.2.4"]


def test_zone_key_covers_only_its_zone(srv, admin, zone):
    other = create_zone(admin, unique_zone_name("other"))
    key = create_tsigkey(admin, f"zk-{zone['id'][:8]}.", "ZONE", zone["id"])
    rc, out = nsupdate(srv.dns_port, [f"zone {other['name']}",
                                      f"update add x.{other['name']} 300 A 192.0.2.1"], key=key)
    assert rc != 0, out
    assert dig(srv.dns_port, f"x.{other['name']}") == []
    rc, out = nsupdate(srv.dns_port, [f"zone {zone['name']}",
                                      f"update add x.{zone['name']} 300 A 192.0.2.1"], key=key)
    assert update_result(out) == "NOERROR", out


def test_zone_we_do_not_have_is_notauth(srv, pool_key):
    rc, out = nsupdate(srv.dns_port, ["zone not-here.example.",
                                      "update add a.not-here.example. 300 A 192.0.2.1"],
                       key=pool_key)
    assert update_result(out) == "NOTAUTH", out


def test_deleted_key_stops_working(srv, admin, zone):
    key = create_tsigkey(admin, f"gone-{zone['id'][:8]}.", "ZONE", zone["id"])
    assert admin.delete(f"/v2/tsigkeys/{key['id']}").status_code == 204
    rc, out = nsupdate(srv.dns_port, [f"zone {zone['name']}",
                                      f"update add g.{zone['name']} 300 A 192.0.2.1"], key=key)
    assert rc != 0, out
    assert dig(srv.dns_port, f"g.{zone['name']}") == []


def test_access_log_names_key_zone_result_and_never_the_secret(srv, pool_key, zone):
    z = zone["name"]
    nsupdate(srv.dns_port, [f"zone {z}", f"update add log.{z} 300 A 192.0.2.1"], key=pool_key)
    deadline = time.monotonic() + 5  # the log is flushed every second
    while True:
        logs = srv.stdout_text() + srv.stderr_text()
        lines = [ln for ln in logs.splitlines() if "dns update" in ln and z in ln]
        if lines or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert any("key=pool-key." in ln and "result=NOERROR" in ln for ln in lines), lines
    assert pool_key["secret"] not in logs


# --- /v2/tsigkeys ----------------------------------------------------------------
def test_tsigkey_crud_and_validation(srv, admin, zone):
    secret = new_secret()
    key = create_tsigkey(admin, "crud-key", "ZONE", zone["id"], algorithm="hmac-sha512",
                         secret=secret)
    assert key["secret"] == secret and key["scope"] == "ZONE"
    assert key["links"]["self"].endswith(f"/v2/tsigkeys/{key['id']}")
    got = admin.get(f"/v2/tsigkeys/{key['id']}")
    assert got.status_code == 200 and got.json()["name"] == "crud-key"
    listed = admin.get("/v2/tsigkeys?name=crud-key").json()
    assert [k["id"] for k in listed["tsigkeys"]] == [key["id"]]
    assert listed["metadata"]["total_count"] == 1
    r = admin.patch(f"/v2/tsigkeys/{key['id']}", json={"name": "crud-key-2"})
    assert r.status_code == 200 and r.json()["name"] == "crud-key-2" and r.json()["updated_at"]
    # duplicate names (case-insensitive), bad fields
    r = admin.post("/v2/tsigkeys", json={"name": "CRUD-KEY-2", "algorithm": "hmac-sha256",
                                         "secret": secret, "scope": "ZONE",
                                         "resource_id": zone["id"]})
    assert r.status_code == 409 and r.json()["type"] == "duplicate_tsigkey"
    for bad in ({"algorithm": "hmac-sha3"}, {"secret": ""}, {"scope": "PROJECT"},
                {"resource_id": "not-a-uuid"}, {"name": "n" * 256}, {"extra": 1}):
        body = {"name": "bad-key", "algorithm": "hmac-sha256", "secret": secret,
                "scope": "ZONE", "resource_id": zone["id"], **bad}
        r = admin.post("/v2/tsigkeys", json=body)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["type"] == "invalid_object", r.text
    r = admin.post("/v2/tsigkeys", json={"name": "no-secret", "scope": "POOL",
                                         "resource_id": pool_id(admin)})
    assert r.status_code == 400
    assert admin.get("/v2/tsigkeys?name=bad-key").json()["tsigkeys"] == []
    assert admin.delete(f"/v2/tsigkeys/{key['id']}").status_code == 204
    assert admin.get(f"/v2/tsigkeys/{key['id']}").status_code == 404
    assert admin.delete(f"/v2/tsigkeys/{key['id']}").status_code == 404


def test_tsigkey_secrets_only_for_admins(srv, admin):
    member = srv.session(project="someone", roles="member")
    key = create_tsigkey(admin, "shown-key.", "POOL", pool_id(admin))
    r = member.post("/v2/tsigkeys", json={"name": "m", "algorithm": "hmac-sha256",
                                          "secret": new_secret(), "scope": "POOL",
                                          "resource_id": pool_id(admin)})
    assert r.status_code == 403
    assert member.delete(f"/v2/tsigkeys/{key['id']}").status_code == 403
    assert member.patch(f"/v2/tsigkeys/{key['id']}", json={"name": "x"}).status_code == 403
    # Reads are admins' only too (Designate's policy).
    assert member.get("/v2/tsigkeys").status_code == 403
    assert member.get(f"/v2/tsigkeys/{key['id']}").status_code == 403
    assert admin.get(f"/v2/tsigkeys/{key['id']}").json()["secret"] == key["secret"]
    # As in Designate, any name text and any pool/zone UUID are taken: such a
    # key covers no zone; admins list, filter and sort keys like other collections.
    odd = create_tsigkey(admin, "Patch tsigkey", "POOL", "4b626094-bb89-43a7-9690-aa99a962a250")
    assert odd["name"] == "Patch tsigkey"
    names = [k["name"] for k in admin.get("/v2/tsigkeys?sort_key=name&sort_dir=desc")
             .json()["tsigkeys"]]
    assert names == sorted(names, reverse=True) and "Patch tsigkey" in names
    page = admin.get("/v2/tsigkeys?limit=1").json()
    assert len(page["tsigkeys"]) == 1 and "marker=" in page["links"]["next"]
    assert [k["id"] for k in admin.get(f"/v2/tsigkeys?scope=POOL&resource_id={odd['resource_id']}")
            .json()["tsigkeys"]] == [odd["id"]]
    assert [k["id"] for k in admin.get("/v2/tsigkeys?name=Patch*").json()["tsigkeys"]] == \
        [odd["id"]]
    assert admin.delete(f"/v2/tsigkeys/{odd['id']}").status_code == 204
    logs = srv.stdout_text() + srv.stderr_text()
    assert key["secret"] not in logs


def osc(srv, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = ["openstack", "--os-auth-type", "none", "--os-endpoint", srv.api + "/v2", *args]
    done = subprocess.run(cmd + ["-f", "json"] if args[1] != "delete" else cmd, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_openstack_tsigkey_commands(srv, admin, zone):
    secret = new_secret()
    created = osc(srv, "tsigkey", "create", "--name", "osc-key", "--algorithm", "hmac-sha256",
                  "--secret", secret, "--scope", "ZONE", "--resource-id", zone["id"])
    assert created["name"] == "osc-key" and created["secret"] == secret
    listed = osc(srv, "tsigkey", "list")
    assert any(k["id"] == created["id"] for k in listed)
    shown = osc(srv, "tsigkey", "show", created["id"])
    assert shown["scope"] == "ZONE" and shown["resource_id"] == zone["id"]
    changed = osc(srv, "tsigkey", "set", created["id"], "--name", "osc-key-2")
    assert changed["name"] == "osc-key-2"
    # the renamed key signs updates
    key = {"name": "osc-key-2", "algorithm": "hmac-sha256", "secret": secret}
    rc, out = nsupdate(srv.dns_port, [f"zone {zone['name']}",
                                      f"update add osc.{zone['name']} 300 A 192.0.2.5"], key=key)
    assert update_result(out) == "NOERROR", out
    osc(srv, "tsigkey", "delete", created["id"])
    assert admin.get(f"/v2/tsigkeys/{created['id']}").status_code == 404
