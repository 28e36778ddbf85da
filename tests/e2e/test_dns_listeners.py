"""DNS listener options through the real command line: several --dns-listen
addresses (IPv4 and IPv6) serve the same zones over UDP and TCP, and
--edns-udp-size caps how large a UDP answer may be."""

import socket

import dns.message
import dns.query
import dns.rcode
import pytest

from dnsplane_harness import create_recordset, create_zone, free_port


def ipv6_loopback_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def answer(qname, rdtype, where, port, tcp=False, payload=None):
    q = dns.message.make_query(qname, rdtype, use_edns=payload is not None,
                               payload=payload or 512)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(q, where, port=port, timeout=3)


@pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback here")
def test_several_listen_addresses_ipv4_and_ipv6(dnsplane_factory):
    second_v4 = free_port(udp_too=True)
    v6 = free_port(udp_too=True)
    srv = dnsplane_factory(extra_args=["--dns-listen", f"127.0.0.1:{second_v4}",
                                       "--dns-listen", f"[::1]:{v6}"])
    api = srv.session()
    z = create_zone(api)
    create_recordset(api, z["id"], "www." + z["name"], "A", ["192.0.2.44"])
    for where, port in (("127.0.0.1", srv.dns_port), ("127.0.0.1", second_v4), ("::1", v6)):
        for tcp in (False, True):
            r = answer("www." + z["name"], "A", where, port, tcp=tcp)
            assert r.rcode() == dns.rcode.NOERROR, (where, port, tcp)
            assert [rr.address for rr in r.answer[0]] == ["192.0.2.44"], (where, port, tcp)


def big_txt_zone(srv):
    api = srv.session()
    z = create_zone(api)
    values = [f'"{i:02d}-' + "x" * 200 + '"' for i in range(14)]  # about 3 KB on the wire
    create_recordset(api, z["id"], "big." + z["name"], "TXT", values)
    return "big." + z["name"], len(values)


def test_edns_udp_size_flag_raises_the_cap(dnsplane_factory):
    srv = dnsplane_factory(extra_args=["--edns-udp-size", "4096"])
    name, count = big_txt_zone(srv)
    r = answer(name, "TXT", "127.0.0.1", srv.dns_port, payload=4096)
    assert not r.flags & dns.flags.TC
    assert sum(len(rrset) for rrset in r.answer) == count
    assert r.payload == 4096  # the server advertises its configured size
    small = answer(name, "TXT", "127.0.0.1", srv.dns_port, payload=1400)
    assert small.flags & dns.flags.TC and not small.answer


def test_default_cap_truncates_even_when_client_offers_more(dnsplane_factory):
    srv = dnsplane_factory()
    name, count = big_txt_zone(srv)
    r = answer(name, "TXT", "127.0.0.1", srv.dns_port, payload=4096)
    assert r.flags & dns.flags.TC and r.payload == 1232
    whole = answer(name, "TXT", "127.0.0.1", srv.dns_port, tcp=True, payload=4096)
    assert sum(len(rrset) for rrset in whole.answer) == count
