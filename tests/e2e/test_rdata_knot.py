"""Record data: what dnsplane's API accepts against what Knot DNS's zone
parser (`kzonecheck`, libzscanner) accepts (issue 16). Each case is judged
live by kzonecheck in a one-record zone file and by POSTing the same value as
a record set; the verdicts must agree, except for the differences listed in
KNOWN (each with its reason). Every value the API accepted is then served by
AXFR and the whole transferred zone must pass kzonecheck."""

import shutil
import subprocess
import uuid

import pytest

from dnsplane_harness import create_zone

pytestmark = pytest.mark.skipif(shutil.which("kzonecheck") is None,
                                reason="kzonecheck (knot-dnssecutils) is not installed")

H40 = "2bb183af5f22588179a53b0a98631fad1a292118"
CASES = [
    ("A", "192.0.2.1"), ("A", "192.0.2"), ("A", "192.000.002.001"), ("A", "1.2.3.4.5"),
    ("AAAA", "2001:db8::1"), ("AAAA", "::ffff:192.0.2.1"), ("AAAA", "2001:DB8::1"),
    ("AAAA", "2001:db8:::1"),
    ("MX", "10 mx.example.net."), ("MX", "65536 mx.example.net."), ("MX", "10 ."),
    ("MX", "10 _mx.example.net."), ("MX", "10 *.example.net."), ("MX", "-1 mx.example.net."),
    ("MX", "10 -mx.example.net."), ("MX", "10 a!b.example.net."),
    ("NS", "ns_1.example.net."), ("NS", "-ns.example.net."), ("NS", "*.example.net."),
    ("PTR", "host.example.net."), ("PTR", "."), ("CNAME", "."), ("CNAME", "_foo.example.net."),
    ("CNAME", "a\\032b.example.net."), ("CNAME", "a..b."),
    ("SRV", "0 0 0 ."), ("SRV", "10 20 5060 sip.example.net."),
    ("SRV", "10 20 65536 sip.example.net."), ("SRV", "10 20 80 *.example.net."),
    ("SSHFP", "1 1 " + H40), ("SSHFP", "1 1 12345"), ("SSHFP", "0 0 00"),
    ("SSHFP", "255 255 ab"), ("SSHFP", "256 1 ab"), ("SSHFP", "1 2 ab"), ("SSHFP", "9 9 abcd"),
    ("SSHFP", "1 1 ab cd"), ("SSHFP", "rsa 1 ab"),
    ("TXT", '"hello"'), ("TXT", "hello world"), ("TXT", '""'), ("TXT", '"a" "b"'),
    ("TXT", '"\\255"'), ("TXT", '"\\256"'), ("TXT", '"abc\\"'), ("TXT", '"abc\\\\"'),
    ("TXT", '"a\\"b"'), ("TXT", '"a;b"'), ("SPF", '"v=spf1 -all"'),
    ("NAPTR", '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.org!" .'),
    ("NAPTR", '100 10 "" "" "" .'), ("NAPTR", '100 10 "U-" "E2U+sip" "" .'),
    ("NAPTR", '65536 10 "" "" "" .'),
    ("CAA", '0 issue "letsencrypt.org"'), ("CAA", '128 issue "x"'), ("CAA", '1 issue "x"'),
    ("CAA", '0 foo "bar"'), ("CAA", '0 Foo1 "bar"'), ("CAA", '0 abcdefghijklmno "x"'),
    ("CAA", '0 "issue" "x"'), ("CAA", '0 issue "bad domain!"'), ("CAA", '0 iodef "ftp://x"'),
    ("CAA", '0 tbs ""'), ("CAA", "0 issue"), ("CAA", '0 issue "a" "b"'),
    ("CAA", '256 issue "x"'), ("CAA", '0 abcdefghijklmnop "x"'), ("CAA", '0 a-b "x"'),
]

# Where dnsplane deliberately differs from Knot's parser, and why.
KNOWN = {
    # RFC 8659 4.1: tags are 1-15 letters and digits (SHOULD); Knot takes more.
    ("CAA", '0 abcdefghijklmnop "x"'): "RFC 8659 tag length",
    ("CAA", '0 a-b "x"'): "RFC 8659 tag characters",
}


def knot_accepts(tmp_path, rtype, rdata):
    zone = tmp_path / f"k-{uuid.uuid4().hex[:8]}.zone"
    zone.write_text("$ORIGIN example.org.\n$TTL 300\n"
                    "@ SOA ns1.example.org. h.example.org. 1 3600 600 86400 300\n"
                    "@ NS ns1.example.org.\nns1 A 192.0.2.1\n"
                    f"t {rtype} {rdata}\n")
    done = subprocess.run(["kzonecheck", "-o", "example.org.", str(zone)],
                          capture_output=True, text=True, timeout=30)
    return done.returncode == 0


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


def test_api_accepts_what_knot_accepts(srv, tmp_path):
    api = srv.session()
    zone = create_zone(api, f"kz-{uuid.uuid4().hex[:8]}.example.org.")
    disagreements, accepted = [], []
    for i, (rtype, rdata) in enumerate(CASES):
        knot = knot_accepts(tmp_path, rtype, rdata)
        owner = f"_s{i}._tcp.{zone['name']}" if rtype == "SRV" else f"t{i}.{zone['name']}"
        r = api.post(f"/v2/zones/{zone['id']}/recordsets", json={
            "name": owner, "type": rtype, "records": [rdata]})
        assert r.status_code in (202, 400), r.text
        ours = r.status_code == 202
        if ours:
            accepted.append((rtype, rdata))
        if ours != knot and (rtype, rdata) not in KNOWN:
            disagreements.append(f"{rtype} {rdata!r}: knot={'ok' if knot else 'refused'} "
                                 f"dnsplane={'ok' if ours else r.json()['message']}")
        if (rtype, rdata) in KNOWN:
            assert not ours, f"{rtype} {rdata!r} is listed as refused on purpose"
    assert not disagreements, "\n".join(disagreements)
    assert len(accepted) > 40

    # Everything accepted is served, and the transferred zone passes kzonecheck.
    import dns.query
    import dns.zone
    xfr = dns.zone.from_xfr(dns.query.xfr("127.0.0.1", zone["name"], port=srv.dns_port,
                                          timeout=10))
    text = xfr.to_text(relativize=False)
    path = tmp_path / "axfr.zone"
    path.write_text(text)
    done = subprocess.run(["kzonecheck", "-o", zone["name"], str(path)],
                          capture_output=True, text=True, timeout=30)
    # Delegations (NS below the apex) without glue are semantic warnings for
    # in-zone targets only; every target here is outside the zone.
    assert done.returncode == 0, done.stdout + done.stderr
