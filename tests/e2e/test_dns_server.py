"""The authoritative DNS server inside dnsplane, end to end: data written
through the REST API answers over UDP and TCP at once, survives a restart,
transfers by AXFR/IXFR, bumps the serial, NOTIFYs secondaries, and the
listeners shrug off malformed input."""

from __future__ import annotations

import socket
import time

import dns.flags
import dns.message
import dns.opcode
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from dns_support import (LOOPBACK, api_records, axfr_records, dig_axfr, load_zone, query,
                         serial_newer, soa_serial, tcp_frame, tcp_read_message, udp_send_raw)
from dnsplane_harness import create_recordset, create_zone, free_port, unique_zone_name

MIXED_RRSETS = [
    # owner (relative), type, records, ttl
    ("www", "A", ["192.0.2.10", "192.0.2.11"], 300),
    ("www", "AAAA", ["2001:db8::10"], None),
    ("@", "MX", ["10 mail.{z}", "20 mx.example.net."], None),
    ("mail", "A", ["192.0.2.25"], None),
    ("@", "TXT", ['"v=spf1 -all"', '"hello world"'], 600),
    ("alias", "CNAME", ["www.{z}"], None),
    ("_sip._tcp", "SRV", ["10 60 5060 sip.{z}"], None),
    ("sip", "A", ["192.0.2.60"], None),
    ("@", "CAA", ['0 issue "letsencrypt.org"'], None),
    ("4.2.0", "PTR", ["host.example.net."], None),
    ("ssh", "SSHFP", ["1 1 0123456789abcdef0123456789abcdef01234567"], None),
    ("sub", "NS", ["ns.sub.{z}"], None),
    ("ns.sub", "A", ["192.0.2.53"], None),
    ("sub", "DS", ["12345 8 2 " + "ab" * 32], None),
    ("naptr", "NAPTR", ['100 10 "U" "E2U+sip" "!^.*$!sip:info@example.net!" .'], None),
    ("*.wild", "A", ["192.0.2.99"], None),
]


def absolute(owner: str, zone: str) -> str:
    return zone if owner == "@" else f"{owner}.{zone}"


def load_mixed_zone(session, zone_name: str) -> dict:
    rrsets = [(absolute(o, zone_name), t, [r.format(z=zone_name) for r in recs], ttl)
              for o, t, recs, ttl in MIXED_RRSETS]
    return load_zone(session, zone_name, rrsets)


@pytest.fixture
def api(dnsplane):
    return dnsplane.session(project="dns-tests")


def test_record_created_through_api_answers_on_the_very_next_query(dnsplane, api):
    zone = create_zone(api, unique_zone_name("fresh"))
    # The zone itself answers as soon as the create call returned.
    assert query(dnsplane.dns_port, zone["name"], "SOA").rcode() == dns.rcode.NOERROR
    for i in range(20):
        name = f"host{i}.{zone['name']}"
        create_recordset(api, zone["id"], name, "A", [f"198.51.100.{i + 1}"])
        r = query(dnsplane.dns_port, name, "A")  # no sleep, no retry
        assert r.rcode() == dns.rcode.NOERROR
        assert r.flags & dns.flags.AA
        assert [rd.address for rd in r.answer[0]] == [f"198.51.100.{i + 1}"]


def test_axfr_equals_the_records_the_api_holds(dnsplane, api):
    zone = load_mixed_zone(api, unique_zone_name("axfr"))
    expected = api_records(api, zone)

    raw = axfr_records(dnsplane.dns_port, zone["name"])
    assert raw[0][1] == "SOA" and raw[-1][1] == "SOA"
    assert raw[0] == raw[-1]
    assert set(raw[:-1]) == expected
    assert len(raw) - 1 == len(expected), "no record twice"
    # The same through the command-line tools.
    for tool in ("dig", "kdig"):
        lines = dig_axfr(dnsplane.dns_port, zone["name"], tool)
        assert set(lines) == expected, tool


def test_answers_come_back_the_same_after_restart(dnsplane, api):
    zone = load_mixed_zone(api, unique_zone_name("restart"))
    probes = [("www", "A"), ("www", "AAAA"), ("@", "MX"), ("alias", "A"), ("x.wild", "A"),
              ("host.sub", "A"), ("nothere", "A"), ("@", "SOA")]

    def snapshot():
        out = {}
        for owner, rtype in probes:
            r = query(dnsplane.dns_port, absolute(owner, zone["name"]), rtype)
            out[(owner, rtype)] = (r.rcode(), r.flags & dns.flags.AA, sorted(map(str, r.answer)),
                                   sorted(map(str, r.authority)), sorted(map(str, r.additional)))
        return out

    before = snapshot()
    axfr_before = axfr_records(dnsplane.dns_port, zone["name"])
    dnsplane.restart()
    assert snapshot() == before
    assert axfr_records(dnsplane.dns_port, zone["name"]) == axfr_before


def test_serial_increases_on_every_change(dnsplane, api):
    zone = create_zone(api, unique_zone_name("serial"))
    s0 = soa_serial(dnsplane.dns_port, zone["name"])
    assert s0 == api.get(f"/v2/zones/{zone['id']}").json()["serial"]
    rs = create_recordset(api, zone["id"], f"a.{zone['name']}", "A", ["192.0.2.1"])
    s1 = soa_serial(dnsplane.dns_port, zone["name"])
    assert serial_newer(s1, s0)
    r = api.put(f"/v2/zones/{zone['id']}/recordsets/{rs['id']}", json={"records": ["192.0.2.2"]})
    assert r.status_code in (200, 202), r.text
    s2 = soa_serial(dnsplane.dns_port, zone["name"])
    assert serial_newer(s2, s1)
    r = api.delete(f"/v2/zones/{zone['id']}/recordsets/{rs['id']}")
    assert r.status_code in (200, 202, 204), r.text
    s3 = soa_serial(dnsplane.dns_port, zone["name"])
    assert serial_newer(s3, s2)
    assert query(dnsplane.dns_port, f"a.{zone['name']}", "A").rcode() == dns.rcode.NXDOMAIN
    assert s3 == api.get(f"/v2/zones/{zone['id']}").json()["serial"]


def test_ixfr_sends_only_the_difference(dnsplane, api):
    zone = create_zone(api, unique_zone_name("ixfr"))
    create_recordset(api, zone["id"], f"old.{zone['name']}", "A", ["192.0.2.1"])
    s0 = soa_serial(dnsplane.dns_port, zone["name"])
    create_recordset(api, zone["id"], f"new.{zone['name']}", "TXT", ['"added"'])
    s1 = soa_serial(dnsplane.dns_port, zone["name"])

    def ixfr(serial):
        rrs = []
        for msg in dns.query.xfr(LOOPBACK, zone["name"], rdtype=dns.rdatatype.IXFR,
                                 serial=serial, port=dnsplane.dns_port, timeout=5,
                                 relativize=False):
            rrs += [(rrset.name.to_text().lower(), dns.rdatatype.to_text(rrset.rdtype), rd)
                    for rrset in msg.answer for rd in rrset]
        return rrs

    rrs = ixfr(s0)
    soas = [rd.serial for _, t, rd in rrs if t == "SOA"]
    assert soas == [s1, s0, s1, s1], rrs
    others = [(n, t) for n, t, _ in rrs if t != "SOA"]
    assert others == [(f"new.{zone['name']}", "TXT")]

    # A client already at the current serial gets the SOA alone.
    assert [(t, rd.serial) for _, t, rd in ixfr(s1)] == [("SOA", s1)]


def test_axfr_outside_the_acl_is_refused(dnsplane_factory):
    srv = dnsplane_factory(config_text='axfr_allow = ["192.0.2.0/24"]\n')
    api = srv.session(project="acl")
    zone = create_zone(api, unique_zone_name("acl"))
    q = dns.message.make_query(zone["name"], "AXFR")
    r = dns.query.tcp(q, LOOPBACK, port=srv.dns_port, timeout=5)
    assert r.rcode() == dns.rcode.REFUSED
    assert not r.answer
    # Ordinary queries are unaffected.
    assert query(srv.dns_port, zone["name"], "SOA").rcode() == dns.rcode.NOERROR


def _read_notify(sock: socket.socket, timeout: float):
    sock.settimeout(timeout)
    try:
        data, peer = sock.recvfrom(65535)
    except socket.timeout:
        return None, None
    return dns.message.from_wire(data), peer


def test_notify_reaches_also_notify_targets_and_is_retried_until_answered(dnsplane_factory):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    port = free_port(udp_too=True)
    listener.bind((LOOPBACK, port))
    try:
        srv = dnsplane_factory(config_text=f'[pool]\nalso_notify = ["127.0.0.1:{port}"]\n')
        api = srv.session(project="notify")
        zone = create_zone(api, unique_zone_name("notify"))
        serial = soa_serial(srv.dns_port, zone["name"])

        first, _ = _read_notify(listener, 5)
        assert first is not None, "no NOTIFY after the zone was created"
        assert first.opcode() == dns.opcode.NOTIFY
        assert first.flags & dns.flags.AA
        assert not first.flags & dns.flags.QR
        assert first.question[0].name.to_text().lower() == zone["name"]
        assert first.question[0].rdtype == dns.rdatatype.SOA
        assert first.answer and first.answer[0][0].serial == serial

        # Not answered: it comes again (about a second later).
        began = time.monotonic()
        second, peer = _read_notify(listener, 5)
        assert second is not None, "NOTIFY was not retried"
        assert 0.5 < time.monotonic() - began < 4
        reply = dns.message.make_response(second)
        listener.sendto(reply.to_wire(), peer)
        # Answered: no more tries.
        third, _ = _read_notify(listener, 4)
        assert third is None, "NOTIFY retried after it was answered"

        # A change to the zone sends a NOTIFY with the new serial.
        create_recordset(api, zone["id"], f"n.{zone['name']}", "A", ["192.0.2.7"])
        new_serial = soa_serial(srv.dns_port, zone["name"])
        after, peer = _read_notify(listener, 5)
        assert after is not None
        assert after.answer[0][0].serial == new_serial
        listener.sendto(dns.message.make_response(after).to_wire(), peer)
    finally:
        listener.close()


MALFORMED = [
    b"",
    b"\x12",
    b"\x12\x34\x01\x00\x00\x01",                                    # header cut short
    b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01",  # pointer loop
    b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x3f" + b"a" * 20,  # label past the end
    b"\x12\x34\x01\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01",  # QDCOUNT=2
    b"\x12\x34\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",            # QDCOUNT=0
    b"\x12\x34\x79\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01",  # opcode 15
    b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x01\x00\x01\x00\x00\x29",  # cut OPT
    bytes(range(256)) * 4,
]


def test_malformed_packets_do_not_kill_the_server(dnsplane, api):
    zone = create_zone(api, unique_zone_name("malformed"))
    for payload in MALFORMED:
        reply = udp_send_raw(dnsplane.dns_port, payload, wait=0.2)
        if reply is not None and len(reply) >= 12:
            rcode = reply[3] & 0x0F
            assert rcode in (dns.rcode.FORMERR, dns.rcode.NOTIMP, dns.rcode.REFUSED,
                             dns.rcode.NOERROR, dns.rcode.NXDOMAIN), (payload, reply)
    # QDCOUNT=2 and an unknown opcode get FORMERR / NOTIMP when answered.
    reply = udp_send_raw(dnsplane.dns_port, MALFORMED[7], wait=1)
    if reply is not None:
        assert reply[3] & 0x0F == dns.rcode.NOTIMP
    for payload in MALFORMED:
        with socket.create_connection((LOOPBACK, dnsplane.dns_port), timeout=2) as s:
            s.sendall(tcp_frame(payload) if payload else b"\x00\x00")
            s.settimeout(0.5)
            try:
                s.recv(65535)
            except (socket.timeout, ConnectionError):
                pass
    # A half-sent length prefix and a message shorter than announced.
    for junk in (b"\x00", b"\x01\x00abc"):
        with socket.create_connection((LOOPBACK, dnsplane.dns_port), timeout=2) as s:
            s.sendall(junk)
    assert dnsplane.running()
    assert query(dnsplane.dns_port, zone["name"], "SOA").rcode() == dns.rcode.NOERROR
    assert query(dnsplane.dns_port, zone["name"], "SOA", tcp=True).rcode() == dns.rcode.NOERROR


def test_tcp_pipelining_answers_in_order(dnsplane, api):
    zone = load_mixed_zone(api, unique_zone_name("pipe"))
    names = [("www", "A"), ("nothere", "A"), ("@", "MX"), ("alias", "CNAME")] * 10
    queries = []
    for i, (owner, rtype) in enumerate(names):
        q = dns.message.make_query(absolute(owner, zone["name"]), rtype)
        q.id = 1000 + i
        queries.append(q)
    with socket.create_connection((LOOPBACK, dnsplane.dns_port), timeout=5) as s:
        s.sendall(b"".join(tcp_frame(q.to_wire()) for q in queries))  # one write
        for q in queries:
            r = dns.message.from_wire(tcp_read_message(s))
            assert r.id == q.id
            assert r.question[0].name == q.question[0].name
        # The connection stays open for more.
        s.sendall(tcp_frame(queries[0].to_wire()))
        assert dns.message.from_wire(tcp_read_message(s)).id == queries[0].id


def test_large_answer_sets_tc_over_udp_and_comes_whole_over_tcp(dnsplane, api):
    zone = create_zone(api, unique_zone_name("tc"))
    texts = [f'"{i:03d} ' + "x" * 200 + '"' for i in range(30)]
    create_recordset(api, zone["id"], f"big.{zone['name']}", "TXT", texts)

    udp = query(dnsplane.dns_port, f"big.{zone['name']}", "TXT", payload=1232)
    assert udp.flags & dns.flags.TC
    assert len(udp.to_wire()) <= 1232
    assert udp.edns == 0  # answered with OPT

    no_edns = query(dnsplane.dns_port, f"big.{zone['name']}", "TXT", edns=None)
    assert no_edns.flags & dns.flags.TC
    assert len(no_edns.to_wire()) <= 512

    q = dns.message.make_query(f"big.{zone['name']}", "TXT", use_edns=0, payload=1232)
    r, used_tcp = dns.query.udp_with_fallback(q, LOOPBACK, port=dnsplane.dns_port, timeout=5)
    assert used_tcp
    assert not r.flags & dns.flags.TC
    assert sorted(rd.to_text() for rd in r.answer[0]) == sorted(texts)

    # A client offering 4096 octets still gets at most the configured 1232.
    big = query(dnsplane.dns_port, f"big.{zone['name']}", "TXT", payload=4096)
    assert len(big.to_wire()) <= 1232 and big.flags & dns.flags.TC


def test_unknown_edns_version_gets_badvers(dnsplane, api):
    zone = create_zone(api, unique_zone_name("edns"))
    q = dns.message.make_query(zone["name"], "SOA")
    q.use_edns(edns=1)  # make_query's use_edns=1 would mean "EDNS on" (version 0)
    r = dns.query.udp(q, LOOPBACK, port=dnsplane.dns_port, timeout=3)
    assert r.rcode() == dns.rcode.BADVERS
