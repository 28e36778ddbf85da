"""NOTIFY signed with a configured TSIG key (issue 15, RFC 8945 + RFC 1996):
`--notify-tsig-key NAME` names a /v2/tsigkeys key; every NOTIFY to the
also-notify targets carries a TSIG RR of that key, only answers signed with
it count as acknowledgements, and a key that does not exist sends nothing.
Checked against Knot DNS, whose notify ACL demands the key, and against a
listener that verifies each NOTIFY itself."""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.tsigkeyring
import pytest

from dns_support import LOOPBACK, knotd_path, query, soa_serial
from dnsplane_harness import create_recordset, create_zone, free_port, unique_zone_name
from update_support import create_tsigkey, new_secret, pool_id

KEY = "notify-key."


class NotifyListener:
    """A UDP socket that records every NOTIFY (verified against `ring`) and
    answers it signed, unsigned or not at all."""

    def __init__(self, ring, answer: str = "signed"):
        self.ring = ring
        self.answer = answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[tuple[str, bool]] = []  # (zone, had_tsig)
        self.errors: list[str] = []
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                wire, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            try:
                msg = dns.message.from_wire(wire, keyring=self.ring)
            except Exception as exc:  # noqa: BLE001 - recorded for the test
                self.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if msg.opcode() != dns.opcode.NOTIFY:
                continue
            self.received.append((msg.question[0].name.to_text(), msg.had_tsig))
            if self.answer == "none":
                continue
            if self.answer == "signed":
                reply = dns.message.make_response(msg)  # signed with the request's key
            else:
                reply = dns.message.Message(id=msg.id)
                reply.flags = dns.flags.QR | dns.flags.AA
                reply.set_opcode(dns.opcode.NOTIFY)
                reply.question = list(msg.question)
            self.sock.sendto(reply.to_wire(), peer)

    def count(self, zone: str) -> int:
        return sum(1 for z, _ in self.received if z == zone)

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def wait_until(pred, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def start_with_key(factory, targets: list[int], secret: str, create_key: bool = True):
    srv = factory(config_text="[pool]\nalso_notify = [" +
                  ", ".join(f'"127.0.0.1:{p}"' for p in targets) + "]\n",
                  flags={"notify-tsig-key": KEY})
    admin = srv.session()
    if create_key:
        create_tsigkey(admin, KEY, "POOL", pool_id(admin), secret=secret)
    return srv, admin


@pytest.mark.parametrize("answer", ["signed", "unsigned"])
def test_notify_is_signed_and_only_a_signed_answer_acknowledges_it(dnsplane_factory, answer):
    secret = new_secret()
    ring = dns.tsigkeyring.from_text({KEY: secret})
    listener = NotifyListener(ring, answer)
    try:
        srv, admin = start_with_key(dnsplane_factory, [listener.port], secret)
        zone = create_zone(admin, unique_zone_name("sn"))
        create_recordset(admin, zone["id"], "www." + zone["name"], "A", ["192.0.2.1"])
        assert wait_until(lambda: listener.count(zone["name"]) >= 1), listener.errors
        assert not listener.errors, listener.errors
        assert all(had for _, had in listener.received), listener.received
        # dnsplane retries after 1 s, 2 s, ... until an answer verifies.
        time.sleep(2.5)
        n = listener.count(zone["name"])
        if answer == "signed":
            # One NOTIFY per commit (zone create, record set create), none repeated.
            assert n <= 2, listener.received
        else:
            assert n >= 3, listener.received
        assert secret not in srv.stderr_text() + srv.stdout_text()
    finally:
        listener.close()


def test_a_missing_notify_key_sends_nothing_and_says_which_key(dnsplane_factory):
    listener = NotifyListener(dns.tsigkeyring.from_text({KEY: new_secret()}))
    try:
        srv, admin = start_with_key(dnsplane_factory, [listener.port], "", create_key=False)
        zone = create_zone(admin, unique_zone_name("snk"))
        assert wait_until(lambda: "notify-key." in srv.stderr_text() + srv.stdout_text())
        time.sleep(0.5)
        assert listener.count(zone["name"]) == 0, listener.received
        # Answers on the wire are unaffected.
        assert soa_serial(srv.dns_port, zone["name"]) == zone["serial"]
    finally:
        listener.close()


@pytest.mark.skipif(knotd_path() is None, reason="knotd not installed (Debian: knot)")
def test_knot_accepts_only_the_signed_notify_and_follows_the_change(dnsplane_factory,
                                                                     tmp_path):
    secret = new_secret()
    knot_port = free_port(udp_too=True)
    srv, admin = start_with_key(dnsplane_factory, [knot_port], secret)
    zone = create_zone(admin, unique_zone_name("snknot"))
    z = zone["name"]
    conf = tmp_path / "knot.conf"
    # Notify accepted only with the key; the SOA refresh (3500 s) is far
    # beyond the test, so a change reaches Knot only through that NOTIFY.
    conf.write_text(
        "server:\n"
        f"    listen: {LOOPBACK}@{knot_port}\n"
        f"    rundir: {tmp_path}\n"
        "database:\n"
        f"    storage: {tmp_path}\n"
        "log:\n  - target: stderr\n    any: info\n"
        "key:\n"
        f"  - id: {KEY}\n    algorithm: hmac-sha256\n    secret: {secret}\n"
        "remote:\n"
        f"  - id: primary\n    address: {LOOPBACK}@{srv.dns_port}\n"
        "acl:\n"
        f"  - id: signed_notify\n    address: 127.0.0.0/8\n    key: {KEY}\n    action: notify\n"
        "zone:\n"
        f"  - domain: {z}\n    master: primary\n    acl: signed_notify\n"
        f"    storage: {tmp_path}\n    zonefile-sync: -1\n")
    log_path = tmp_path / "knotd.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([knotd_path(), "-c", str(conf)], stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    try:
        serial = soa_serial(srv.dns_port, z)

        def knot_serial():
            try:
                return soa_serial(knot_port, z)
            except Exception:  # noqa: BLE001 - not loaded yet
                return None

        assert wait_until(lambda: knot_serial() == serial, 20), log_path.read_text()
        create_recordset(admin, zone["id"], "new." + z, "A", ["192.0.2.55"])
        assert wait_until(lambda: knot_serial() == serial + 1, 20), log_path.read_text()
        r = query(knot_port, "new." + z, "A")
        assert [rd.to_text() for rrset in r.answer for rd in rrset] == ["192.0.2.55"]
        text = log_path.read_text()
        assert "denied" not in text, text
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
