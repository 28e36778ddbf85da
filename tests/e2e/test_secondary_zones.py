"""SECONDARY zones fed by a real primary (issue 16): Knot DNS (`knotd`, Debian's
knot) serves zones from zone files; dnsplane is given SECONDARY zones with
Knot as their master, through the REST API and through `openstack zone create
--type SECONDARY --masters ...`. dnsplane transfers them itself (AXFR, then
IXFR), serves the master's records and serial, follows a change on the master
when Knot NOTIFYs it (or when `openstack zone axfr` asks), refuses record set
writes through the API without changing anything, and, with its master down,
keeps serving the zone until the SOA expire interval has passed (then
SERVFAIL) and recovers when the master is back."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import dns.flags
import dns.message
import dns.opcode
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsigkeyring
import dns.update
import pytest

from dns_support import LOOPBACK, KnotServer, axfr_records, knotd_path, query
from dnsplane_harness import free_port, unique_zone_name

pytestmark = pytest.mark.skipif(knotd_path() is None, reason="knotd not installed (Debian: knot)")

KEY_NAME = "master-update."
KEY_SECRET = base64.b64encode(os.urandom(32)).decode()


def zone_text(name: str, serial: int, refresh: int = 7200, retry: int = 900,
              expire: int = 1209600) -> str:
    return (f"$ORIGIN {name}\n$TTL 300\n"
            f"@ SOA ns1.{name} admin.{name} {serial} {refresh} {retry} {expire} 300\n"
            f"@ NS ns1.{name}\n"
            f"@ 3600 MX 10 mail.{name}\n"
            f"ns1 A 192.0.2.53\n"
            f"www 60 A 192.0.2.1\n"
            f"www 60 A 192.0.2.2\n"
            f"txt TXT \"hello world\" \"second string\"\n"
            f"_sip._tcp SRV 10 5 5060 sip.{name}\n"
            f"alias CNAME www.{name}\n"
            f"v6 AAAA 2001:db8::1\n")


class KnotMaster:
    """knotd as the primary: zone files, a journal (so it answers IXFR),
    UPDATE signed with KEY_NAME, NOTIFY to dnsplane for `notify_zones`.
    With `xfr_key` ((name, secret), hmac-sha256) it serves transfers only to
    requests signed with that key and signs its NOTIFYs with it."""

    def __init__(self, work: Path, zones: dict[str, str], notify_port: int,
                 notify_zones: set[str], xfr_key: tuple[str, str] | None = None):
        self.work, self.port = work, free_port(udp_too=True)
        entries = []
        for name, text in zones.items():
            path = work / f"{name.rstrip('.')}.zone"
            path.write_text(text)
            notify = "    notify: dnsplane\n" if name in notify_zones else ""
            entries.append(f"  - domain: {name}\n    file: {path}\n    storage: {work}\n"
                           f"    journal-content: changes\n    zonefile-sync: -1\n"
                           f"    acl: [xfr, upd]\n{notify}")
        key, signed_by = "", ""
        if xfr_key:
            key = (f"  - id: {xfr_key[0]}\n    algorithm: hmac-sha256\n"
                   f"    secret: {xfr_key[1]}\n")
            signed_by = f"    key: {xfr_key[0]}\n"
        self.conf = work / "knot.conf"
        self.conf.write_text(
            "server:\n"
            f"    listen: {LOOPBACK}@{self.port}\n    rundir: {work}\n"
            f"database:\n    storage: {work}\n"
            "log:\n  - target: stderr\n    any: info\n"
            f"key:\n  - id: {KEY_NAME}\n    algorithm: hmac-sha256\n    secret: {KEY_SECRET}\n"
            f"{key}"
            f"remote:\n  - id: dnsplane\n    address: {LOOPBACK}@{notify_port}\n{signed_by}"
            f"acl:\n  - id: xfr\n    address: 127.0.0.0/8\n{signed_by}    action: transfer\n"
            f"  - id: upd\n    key: {KEY_NAME}\n    action: update\n"
            "zone:\n" + "".join(entries))
        self.log = work / "knotd.log"
        self.proc = None
        self.first = next(iter(zones))

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([knotd_path(), "-c", str(self.conf)], stdout=log,
                                         stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if query(self.port, self.first, "SOA", timeout=0.5).answer:
                    return self
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.05)
        raise AssertionError(f"knotd did not start: {self.log.read_text()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def update(self, zone: str, add: list[tuple] = (), delete: list[tuple] = ()):
        keyring = dns.tsigkeyring.from_text({KEY_NAME: KEY_SECRET})
        msg = dns.update.UpdateMessage(zone, keyring=keyring, keyname=KEY_NAME,
                                       keyalgorithm="hmac-sha256")
        for name, ttl, rtype, data in add:
            msg.add(name, ttl, rtype, data)
        for name, rtype, data in delete:
            msg.delete(name, rtype, data)
        r = dns.query.tcp(msg, LOOPBACK, port=self.port, timeout=5)
        assert r.rcode() == dns.rcode.NOERROR, dns.rcode.to_text(r.rcode())


def serial_at(port: int, zone: str):
    try:
        r = query(port, zone, "SOA", timeout=1)
    except Exception:  # noqa: BLE001
        return None
    if r.rcode() != dns.rcode.NOERROR or not r.answer:
        return dns.rcode.to_text(r.rcode())
    return r.answer[0][0].serial


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def same_serial(srv, master, zone):
    want = serial_at(master.port, zone)
    return wait_for(lambda: serial_at(srv.dns_port, zone) == want, what=f"{zone} serial {want}")


def content(port: int, zone: str) -> set:
    return set(axfr_records(port, zone))


def osc(srv, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    cmd = ["openstack", "--os-auth-type", "none", "--os-endpoint", srv.api + "/v2", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def setup(dnsplane_module_factory, tmp_path_factory):
    srv = dnsplane_module_factory()
    rest_zone = unique_zone_name("sec-rest")
    cli_zone = unique_zone_name("sec-cli")
    master = KnotMaster(tmp_path_factory.mktemp("knot-master"),
                        {rest_zone: zone_text(rest_zone, 2024010101),
                         cli_zone: zone_text(cli_zone, 7)},
                        notify_port=srv.dns_port, notify_zones={rest_zone}).start()
    api = srv.session()
    r = api.post("/v2/zones", json={"name": rest_zone, "type": "SECONDARY",
                                    "masters": [f"127.0.0.1:{master.port}"]})
    assert r.status_code == 202, r.text
    try:
        yield srv, api, master, r.json(), cli_zone
    finally:
        master.stop()


def test_rest_secondary_zone_serves_the_masters_records_and_serial(setup):
    srv, api, master, zone, _ = setup
    assert zone["type"] == "SECONDARY"
    assert zone["masters"] == [f"127.0.0.1:{master.port}"]
    name = zone["name"]
    same_serial(srv, master, name)
    assert serial_at(srv.dns_port, name) == 2024010101  # the master's, not ours
    assert content(srv.dns_port, name) == content(master.port, name)
    shown = api.get(f"/v2/zones/{zone['id']}").json()
    assert shown["serial"] == 2024010101
    assert shown["transferred_at"]
    sets = api.get(f"/v2/zones/{zone['id']}/recordsets?type=A&name=www.{name}").json()
    assert sorted(sets["recordsets"][0]["records"]) == ["192.0.2.1", "192.0.2.2"]


def test_notify_from_the_master_brings_its_change_by_ixfr(setup):
    srv, api, master, zone, _ = setup
    name = zone["name"]
    same_serial(srv, master, name)
    master.update(name, add=[(f"new.{name}", 120, "A", "192.0.2.99")],
                  delete=[(f"www.{name}", "A", "192.0.2.2")])
    same_serial(srv, master, name)  # Knot NOTIFYs dnsplane, which transfers
    assert content(srv.dns_port, name) == content(master.port, name)
    r = query(srv.dns_port, f"new.{name}", "A")
    assert [rr.to_text() for rrset in r.answer for rr in rrset] == ["192.0.2.99"]
    # The log is written asynchronously: wait for the line.
    wait_for(lambda: f"{name} IXFR from 127.0.0.1:{master.port}" in srv.stderr_text(),
             timeout=5, what="the IXFR log line")
    log = master.log.read_text()
    assert "IXFR" in log and "notify" in log.lower(), log


def test_openstack_cli_creates_a_secondary_zone_and_axfr_triggers_a_refresh(setup):
    if shutil.which("openstack") is None:
        pytest.skip("python3-openstackclient is not installed")
    srv, api, master, _, cli_zone = setup
    # (--masters takes every argument up to the next option: the name first)
    done = osc(srv, "zone", "create", cli_zone, "--type", "SECONDARY", "--masters",
               f"127.0.0.1:{master.port}", "-f", "json")
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)
    assert created["type"] == "SECONDARY"
    same_serial(srv, master, cli_zone)
    assert serial_at(srv.dns_port, cli_zone) == 7
    # Knot does not NOTIFY for this zone and its refresh is two hours away:
    # only `openstack zone axfr` makes dnsplane look.
    master.update(cli_zone, add=[(f"cli.{cli_zone}", 60, "TXT", '"from the master"')])
    time.sleep(1.0)
    assert serial_at(srv.dns_port, cli_zone) == 7
    done = osc(srv, "zone", "axfr", created["id"])
    assert done.returncode == 0, done.stderr
    same_serial(srv, master, cli_zone)
    assert content(srv.dns_port, cli_zone) == content(master.port, cli_zone)


def test_record_set_writes_are_refused_and_change_nothing(setup):
    srv, api, master, zone, _ = setup
    name = zone["name"]
    same_serial(srv, master, name)
    before = content(srv.dns_port, name)
    before_zone = api.get(f"/v2/zones/{zone['id']}").json()
    www = api.get(f"/v2/zones/{zone['id']}/recordsets?name=www.{name}&type=A").json()
    www_id = www["recordsets"][0]["id"]
    attempts = [
        api.post(f"/v2/zones/{zone['id']}/recordsets",
                 json={"name": f"x.{name}", "type": "A", "records": ["192.0.2.5"]}),
        api.put(f"/v2/zones/{zone['id']}/recordsets/{www_id}", json={"records": ["192.0.2.6"]}),
        api.delete(f"/v2/zones/{zone['id']}/recordsets/{www_id}"),
        api.patch(f"/v2/zones/{zone['id']}", json={"email": "other@example.org"}),
    ]
    for r in attempts:
        assert r.status_code == 400, r.text
        body = r.json()
        assert body["code"] == 400 and body["type"] in ("bad_request", "invalid_object"), body
    assert attempts[0].json()["type"] == "bad_request"
    assert "SECONDARY" in attempts[0].json()["message"]
    assert content(srv.dns_port, name) == before
    after_zone = api.get(f"/v2/zones/{zone['id']}").json()
    assert after_zone["serial"] == before_zone["serial"]
    assert after_zone["version"] == before_zone["version"]


def test_xfr_of_a_primary_zone_is_a_bad_request(setup):
    srv, api, *_ = setup
    r = api.post("/v2/zones", json={"name": unique_zone_name("prim"),
                                    "email": "hostmaster@example.org"})
    assert r.status_code == 202
    x = api.post(f"/v2/zones/{r.json()['id']}/tasks/xfr")
    assert x.status_code == 400 and x.json()["type"] == "bad_request", x.text
    missing = api.post("/v2/zones/5c2e8d8a-1d2f-4d5e-9a6b-0a1b2c3d4e5f/tasks/xfr")
    assert missing.status_code == 404, missing.text


def test_invalid_secondary_zones_are_refused(setup):
    srv, api, *_ = setup
    for body in ({"name": unique_zone_name("bad"), "type": "SECONDARY"},
                 {"name": unique_zone_name("bad"), "type": "SECONDARY", "masters": []},
                 {"name": unique_zone_name("bad"), "type": "SECONDARY",
                  "masters": ["127.0.0.1:99999"]},
                 {"name": unique_zone_name("bad"), "type": "SECONDARY", "masters": "127.0.0.1"},
                 {"name": unique_zone_name("bad"), "email": "a@example.org",
                  "masters": ["127.0.0.1"]}):
        r = api.post("/v2/zones", json=body)
        assert r.status_code == 400, (body, r.text)
        assert api.get(f"/v2/zones?name={body['name']}").json()["zones"] == []


def test_notify_from_elsewhere_is_refused_and_unknown_zones_are_notauth(setup):
    srv, api, master, zone, _ = setup
    other = unique_zone_name("sec-elsewhere")
    r = api.post("/v2/zones", json={"name": other, "type": "SECONDARY",
                                    "masters": [f"127.0.0.2:{free_port()}"]})
    assert r.status_code == 202
    # Never transferred: not served.
    assert wait_for(lambda: serial_at(srv.dns_port, other) == "SERVFAIL", what="SERVFAIL")

    def notify(zone_name):
        msg = dns.message.make_query(zone_name, "SOA")
        msg.set_opcode(dns.opcode.NOTIFY)
        msg.flags |= dns.flags.AA
        return dns.query.udp(msg, LOOPBACK, port=srv.dns_port, timeout=3)

    refused = notify(other)  # we are 127.0.0.1, its master is 127.0.0.2
    assert refused.rcode() == dns.rcode.REFUSED
    assert refused.opcode() == dns.opcode.NOTIFY and refused.flags & dns.flags.QR
    assert notify(unique_zone_name("nowhere")).rcode() == dns.rcode.NOTAUTH
    ok = notify(zone["name"])  # from the master's address
    assert ok.rcode() == dns.rcode.NOERROR


def test_master_down_keeps_serving_until_expire(dnsplane_factory, tmp_path):
    srv = dnsplane_factory()
    name = unique_zone_name("sec-expire")
    # refresh 1 s, retry 1 s, expire 6 s
    knot = KnotServer(tmp_path / "knot", {name: zone_text(name, 42, 1, 1, 6)}).start()
    api = srv.session()
    r = api.post("/v2/zones", json={"name": name, "type": "SECONDARY",
                                    "masters": [f"127.0.0.1:{knot.port}"]})
    assert r.status_code == 202, r.text
    try:
        wait_for(lambda: serial_at(srv.dns_port, name) == 42, what="first transfer")
        knot.stop()
        down = time.monotonic()
        # Within the expire interval the zone is still answered...
        time.sleep(2.0)
        assert serial_at(srv.dns_port, name) == 42
        assert query(srv.dns_port, f"www.{name}", "A").rcode() == dns.rcode.NOERROR
        # ... and after it, SERVFAIL, as a secondary whose master is gone.
        wait_for(lambda: serial_at(srv.dns_port, name) == "SERVFAIL", timeout=15,
                 what="SERVFAIL after expire")
        assert time.monotonic() - down >= 4.0
        wait_for(lambda: "expired" in srv.stderr_text(), timeout=5, what="expired log line")
        # The master is back: served again at the next retry.
        knot.start()
        wait_for(lambda: serial_at(srv.dns_port, name) == 42, timeout=15,
                 what="served again")
    finally:
        knot.stop()


def test_new_masters_feed_the_zone_at_once(dnsplane_factory, tmp_path):
    """PATCH masters (and `openstack zone set --masters`): the zone is transferred
    from the new master at once, its copy replacing ours; PRIMARY zones have
    no masters to set."""
    srv = dnsplane_factory()
    api = srv.session()
    name = unique_zone_name("sec-move")
    old = KnotServer(tmp_path / "old", {name: zone_text(name, 100)}).start()
    new = KnotServer(tmp_path / "new", {name: zone_text(name, 300) + "moved A 192.0.2.77\n"}
                     ).start()
    third = KnotServer(tmp_path / "third",
                       {name: zone_text(name, 400) + "third A 192.0.2.78\n"}).start()
    try:
        r = api.post("/v2/zones", json={"name": name, "type": "SECONDARY",
                                        "masters": [f"127.0.0.1:{old.port}"]})
        assert r.status_code == 202, r.text
        zid = r.json()["id"]
        wait_for(lambda: serial_at(srv.dns_port, name) == 100, what="first transfer")
        # Refresh is two hours away and nobody NOTIFYs: only the change of
        # masters makes dnsplane look, and at the new master.
        r = api.patch(f"/v2/zones/{zid}", json={"masters": [f"127.0.0.1:{new.port}"]})
        assert r.status_code == 202, r.text
        assert r.json()["masters"] == [f"127.0.0.1:{new.port}"]
        wait_for(lambda: serial_at(srv.dns_port, name) == 300, what="transfer from new master")
        assert content(srv.dns_port, name) == content(new.port, name)
        wait_for(lambda: f"{name} AXFR from 127.0.0.1:{new.port}" in srv.stderr_text(),
                 timeout=5, what="the AXFR log line")
        # Invalid masters are refused as on create, and change nothing.
        for bad in ([], ["127.0.0.1:99999"], "127.0.0.1"):
            r = api.patch(f"/v2/zones/{zid}", json={"masters": bad})
            assert r.status_code == 400 and r.json()["type"] == "invalid_object", r.text
        assert api.get(f"/v2/zones/{zid}").json()["masters"] == [f"127.0.0.1:{new.port}"]
        # The CLI sets masters too.
        if shutil.which("openstack") is not None:
            done = osc(srv, "zone", "set", zid, "--masters", f"127.0.0.1:{third.port}",
                       "-f", "json")
            assert done.returncode == 0, done.stderr
            # (the CLI prints a list joined with ", ")
            assert json.loads(done.stdout)["masters"] == f"127.0.0.1:{third.port}"
            wait_for(lambda: serial_at(srv.dns_port, name) == 400, what="transfer after CLI")
            assert query(srv.dns_port, f"third.{name}", "A").answer
        # A PRIMARY zone answers 400 invalid_object naming masters.
        p = api.post("/v2/zones", json={"name": unique_zone_name("prim-masters"),
                                        "email": "hostmaster@example.org"})
        r = api.patch(f"/v2/zones/{p.json()['id']}", json={"masters": ["127.0.0.1"]})
        assert r.status_code == 400, r.text
        body = r.json()
        assert body["type"] == "invalid_object"
        assert [e["path"] for e in body["errors"]["errors"]] == [["masters"]], body
    finally:
        for knot in (old, new, third):
            knot.stop()


def test_tsig_key_of_the_zone_signs_transfers_and_notify(dnsplane_factory, tmp_path):
    """A Knot master whose ACL demands a TSIG key: without a key bound to the
    zone nothing is transferred (SERVFAIL, a log line); with the Designate
    tsigkey (scope ZONE, resource_id the zone) the SOA query and transfers are
    signed and verified, Knot's signed NOTIFY is accepted and an unsigned one
    is not; a wrong secret fails again. The secret is never logged."""
    srv = dnsplane_factory()
    api = srv.session()
    name = unique_zone_name("sec-tsig")
    key_name, secret = "xfr-key.", base64.b64encode(os.urandom(32)).decode()
    (tmp_path / "knot").mkdir()
    master = KnotMaster(tmp_path / "knot", {name: zone_text(name, 11)},
                        notify_port=srv.dns_port, notify_zones={name},
                        xfr_key=(key_name, secret)).start()
    try:
        r = api.post("/v2/zones", json={"name": name, "type": "SECONDARY",
                                        "masters": [f"127.0.0.1:{master.port}"]})
        assert r.status_code == 202, r.text
        zid = r.json()["id"]
        # Without the key: refused by the master, never served.
        wait_for(lambda: f"{name}: transfer from 127.0.0.1:{master.port} failed"
                 in srv.stderr_text(), what="the failed transfer log line")
        assert serial_at(srv.dns_port, name) == "SERVFAIL"
        # The key bound to the zone (the CLI when there is one), then tasks/xfr.
        body = {"name": key_name, "algorithm": "hmac-sha256", "secret": secret,
                "scope": "ZONE", "resource_id": zid}
        if shutil.which("openstack") is not None:
            done = osc(srv, "tsigkey", "create", "--name", key_name, "--algorithm",
                       "hmac-sha256", "--secret", secret, "--scope", "ZONE",
                       "--resource-id", zid, "-f", "json")
            assert done.returncode == 0, done.stderr
            key_id = json.loads(done.stdout)["id"]
        else:
            r = api.post("/v2/tsigkeys", json=body)
            assert r.status_code == 201, r.text
            key_id = r.json()["id"]
        assert api.post(f"/v2/zones/{zid}/tasks/xfr").status_code == 202
        wait_for(lambda: serial_at(srv.dns_port, name) == 11, what="signed AXFR")
        assert content(srv.dns_port, name) == \
            set(axfr_records(master.port, name, tsig=(key_name, secret)))
        # Knot's NOTIFY is signed with the key: accepted, the IXFR is signed too.
        master.update(name, add=[(f"signed.{name}", 60, "A", "192.0.2.44")])
        wait_for(lambda: serial_at(srv.dns_port, name) == 12, what="NOTIFY-driven IXFR")
        wait_for(lambda: f"NOTIFY for {name} from 127.0.0.1 (TSIG {key_name}" in
                 srv.stderr_text(), timeout=5, what="the signed NOTIFY log line")
        wait_for(lambda: f"{name} IXFR from 127.0.0.1:{master.port}" in srv.stderr_text(),
                 timeout=5, what="the IXFR log line")
        # An unsigned NOTIFY for the zone is not accepted any more.
        msg = dns.message.make_query(name, "SOA")
        msg.set_opcode(dns.opcode.NOTIFY)
        msg.flags |= dns.flags.AA
        assert dns.query.udp(msg, LOOPBACK, port=srv.dns_port, timeout=3).rcode() == \
            dns.rcode.NOTAUTH
        # A wrong secret: the master's answers do not verify; nothing changes.
        wrong = base64.b64encode(os.urandom(32)).decode()
        r = api.patch(f"/v2/tsigkeys/{key_id}", json={"secret": wrong})
        assert r.status_code == 200, r.text
        master.update(name, add=[(f"later.{name}", 60, "A", "192.0.2.45")])
        assert api.post(f"/v2/zones/{zid}/tasks/xfr").status_code == 202
        wait_for(lambda: f"does not verify with TSIG key {key_name}" in srv.stderr_text(),
                 what="the TSIG failure log line")
        time.sleep(0.5)
        assert serial_at(srv.dns_port, name) == 12
        log = srv.stderr_text()
        assert secret not in log and wrong not in log
    finally:
        master.stop()

