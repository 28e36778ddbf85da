"""Differential test: the same zone served by dnsplane (loaded through the
REST API) and by Knot DNS (loaded from a zone file written from what the API
holds), the same few thousand queries sent to both with dnspython, and the
responses compared: rcode, AA/TC flags, EDNS version, and the answer,
authority and additional sections as sets of RRsets (TTLs included).

The zone covers the semantics where authoritative servers differ most:
wildcards (incl. under empty non-terminals and the RFC 4592 blocking rules),
empty non-terminals, delegations with, without and with sibling glue, DS at a
cut, CNAME chains (in zone, out of zone, to wildcards, into delegations, to
missing names, loops), long TXT, and MX/SRV/NS additional-section processing.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdataclass
import pytest

from dns_support import (KnotServer, axfr_records, describe_difference, knotd_path, load_zone,
                         query, response_view, zone_file_from_api)
from dnsplane_harness import unique_zone_name

pytestmark = pytest.mark.skipif(knotd_path() is None, reason="knotd not installed (Debian: knot)")

SEED = int(os.environ.get("DNS_DIFF_SEED", "4242"))
QTYPES = ["A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP", "TXT", "CAA",
          "NAPTR", "DS", "ANY", "TYPE65000"]


def zone_rrsets(z: str, rng: random.Random) -> list[tuple]:
    """(relative owner, type, [records], ttl or None); {z} is the zone name."""
    long_txt = " ".join(f'"{c * 255}"' for c in "abc")
    sets = [
        ("@", "MX", ["10 mail.{z}", "20 mx.example.net."], None),
        ("@", "TXT", ['"v=spf1 -all"'], 300),
        ("@", "CAA", ['0 issue "ca.example.net"'], None),
        ("@", "A", ["192.0.2.1"], None),
        ("@", "AAAA", ["2001:db8::1"], None),
        ("mail", "A", ["192.0.2.25"], 60),
        ("mail", "AAAA", ["2001:db8::25"], 60),
        ("www", "A", ["192.0.2.80", "192.0.2.81"], None),
        ("www", "AAAA", ["2001:db8::80"], None),
        ("www2", "CNAME", ["www.{z}"], None),
        # CNAME chains
        ("c1", "CNAME", ["c2.{z}"], None),
        ("c2", "CNAME", ["c3.{z}"], 120),
        ("c3", "CNAME", ["www.{z}"], None),
        ("cext", "CNAME", ["www.example.net."], None),
        ("cwild", "CNAME", ["foo.wild.{z}"], None),
        ("cnx", "CNAME", ["missing.{z}"], None),
        ("cent", "CNAME", ["b.c.{z}"], None),
        ("cdeleg", "CNAME", ["host.sub1.{z}"], None),
        ("cloop1", "CNAME", ["cloop2.{z}"], None),
        ("cloop2", "CNAME", ["cloop1.{z}"], None),
        ("cmx", "CNAME", ["mail.{z}"], None),
        # wildcards
        ("*.wild", "A", ["192.0.2.200"], None),
        ("*.wild", "TXT", ['"wild text"'], None),
        ("sub.wild", "MX", ["10 mail.{z}"], None),
        ("*.cw", "CNAME", ["www.{z}"], None),
        ("*.mxw", "MX", ["5 mail.{z}", "7 sip.{z}"], None),
        # empty non-terminals
        ("a.b.c", "A", ["192.0.2.3"], None),
        ("*.ent", "A", ["192.0.2.4"], None),
        ("x.y.ent", "TXT", ['"below an ENT"'], None),
        # delegations
        ("sub1", "NS", ["ns.sub1.{z}", "ns2.sub1.{z}"], None),
        ("ns.sub1", "A", ["192.0.2.53"], None),
        ("ns2.sub1", "AAAA", ["2001:db8::53"], None),
        ("sub1", "DS", ["12345 8 2 " + "ab" * 32], None),
        ("sub2", "NS", ["ns.example.net.", "ns2.example.net."], None),
        ("sub3", "NS", ["ns.sub1.{z}", "mail.{z}"], None),
        # additional-section processing
        ("_sip._tcp", "SRV", ["10 60 5060 sip.{z}", "20 0 5061 sip.example.net."], None),
        ("sip", "A", ["192.0.2.60"], None),
        ("sip", "AAAA", ["2001:db8::60"], None),
        ("_x._udp", "SRV", ["0 0 1 www2.{z}"], None),
        ("mxcname", "MX", ["10 www2.{z}"], None),
        # other types, long data
        ("long", "TXT", [long_txt], None),
        ("bigtxt", "TXT", [f'"{i:02d} ' + "t" * 200 + '"' for i in range(30)], None),
        ("1.rev", "PTR", ["host.example.net."], None),
        ("ssh", "SSHFP", ["1 1 " + "0a" * 20, "4 2 " + "1b" * 32], None),
        ("naptr", "NAPTR", ['100 10 "U" "E2U+sip" "!^.*$!sip:info@example.net!" .'], None),
        ("spf", "SPF", ['"v=spf1 a -all"'], None),
        ("caa", "CAA", ['0 issuewild ";"', '128 iodef "mailto:caa@example.net"'], None),
    ]
    for i in range(60):
        owner = f"h{i}" if i % 3 else f"h{i}.grp{i % 5}"
        rtype = rng.choice(["A", "AAAA", "TXT", "MX"])
        data = {
            "A": lambda: [f"198.51.100.{rng.randint(1, 254)}"],
            "AAAA": lambda: [f"2001:db8:1::{rng.randint(1, 9999):x}"],
            "TXT": lambda: [f'"r{rng.randint(0, 10**6)}"'],
            "MX": lambda: [f"{rng.randint(0, 50)} mail.{{z}}"],
        }[rtype]()
        sets.append((owner, rtype, data, rng.choice([None, 30, 86400])))
    return sets


def absolute(owner: str, zone: str) -> str:
    return zone if owner == "@" else f"{owner}.{zone}"


def query_names(zone: str, owners: list[str], rng: random.Random) -> list[str]:
    names = {absolute(o, zone) for o in owners}
    names |= {absolute(o, zone) for o in [
        "b.c", "c", "y.ent", "ent", "grp0", "grp1", "cw", "wild", "mxw",  # ENTs and parents
        "foo.wild", "a.b.wild", "x.sub.wild", "any.cw", "q.mxw", "z.ent", "q.y.ent",
        "deep.q.ent", "host.sub1", "ns.sub1", "a.b.sub2", "sub2", "x.sub3", "rev",
        "missing", "nope", "_tcp", "_udp", "x.www", "*.wild", "*.ent",
    ]}
    for _ in range(40):
        label = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-")
                        for _ in range(rng.randint(1, 12))).strip("-") or "q"
        names.add(f"{label}.{zone}")
    names |= {"example.net.", f"x.{zone[zone.index('.') + 1:]}"}  # not ours: REFUSED
    return sorted(names)


def random_case(name: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c for c in name)


@pytest.fixture(scope="module")
def servers(dnsplane_module, tmp_path_factory):
    rng = random.Random(SEED)
    api = dnsplane_module.session(project="differential")
    zone_name = unique_zone_name("diff")
    rrsets = zone_rrsets(zone_name, rng)
    zone = load_zone(api, zone_name, [
        (absolute(o, zone_name), t, [r.replace("{z}", zone_name) for r in recs], ttl)
        for o, t, recs, ttl in rrsets])
    zone_text = zone_file_from_api(api, zone)
    knot = KnotServer(tmp_path_factory.mktemp("knot"), {zone_name: zone_text}).start()
    yield dnsplane_module, knot, zone_name, [o for o, *_ in rrsets], rng
    knot.stop()


def test_dnsplane_answers_like_knot(servers):
    dnsplane, knot, zone, owners, rng = servers
    names = query_names(zone, owners, rng)
    cases = []
    for name in names:
        for qtype in QTYPES:
            variant = rng.random()
            if variant < 0.70:
                transport = dict(tcp=False, edns=0, payload=1232)
            elif variant < 0.85:
                transport = dict(tcp=False, edns=None)
            else:
                transport = dict(tcp=True, edns=0, payload=1232)
            cases.append((random_case(name, rng), qtype, transport))
    # The big TXT set both ways, where truncation decides.
    for tcp in (False, True):
        cases.append((f"bigtxt.{zone}", "TXT", dict(tcp=tcp, edns=0, payload=1232)))
        cases.append((f"bigtxt.{zone}", "TXT", dict(tcp=tcp, edns=None)))

    mismatches = []
    for qname, qtype, transport in cases:
        ours = query(dnsplane.dns_port, qname, qtype, **transport)
        theirs = query(knot.port, qname, qtype, **transport)
        # The question comes back exactly as asked (case included).
        assert ours.question[0].name.to_text() == qname, (qname, ours.question[0].name)
        a, b = response_view(ours), response_view(theirs)
        if a != b:
            mismatches.append((qname, qtype, transport, describe_difference(a, b)))

    assert len(cases) >= 2000
    if mismatches:
        report = Path(os.environ.get("DNS_DIFF_REPORT", "/tmp/dns_differential_mismatches.json"))
        report.write_text(json.dumps(
            [{"qname": q, "qtype": t, "transport": tr, "diff": d} for q, t, tr, d in mismatches],
            indent=1))
        shown = "\n".join(f"{q} {t} {tr}:\n{d}" for q, t, tr, d in mismatches[:25])
        pytest.fail(f"{len(mismatches)} of {len(cases)} responses differ from Knot "
                    f"(all in {report}):\n{shown}")


VARIANTS = ["do", "rd", "cd", "cookie", "chaos", "no-edns", "tcp"]
META_TYPES = ["A", "MX", "DS", "ANY", "RRSIG", "DNSKEY", "NSEC", "TYPE0", "AXFR", "IXFR"]


def variant_query(qname: str, qtype: str, variant: str):
    """A query with one header/EDNS twist (sent over UDP unless "tcp")."""
    q = dns.message.make_query(qname, qtype, use_edns=0, want_dnssec=variant == "do")
    if variant != "rd":
        q.flags &= ~dns.flags.RD
    if variant == "cd":
        q.flags |= dns.flags.CD
    if variant == "no-edns":
        q.use_edns(False)
    if variant == "cookie":  # a client cookie alone (RFC 7873)
        q.use_edns(0, options=[dns.edns.GenericOption(10, b"\x01\x02\x03\x04\x05\x06\x07\x08")])
    if variant == "chaos":
        q.question[0].rdclass = dns.rdataclass.CH
    return q


def test_flags_classes_and_meta_types_like_knot(servers):
    """DO/RD/CD bits, a client cookie, CHAOS class, no EDNS, TCP, and meta or
    DNSSEC types (incl. AXFR/IXFR over UDP): same rcode, flags, EDNS flags
    and sections. No NSID is asked for: Knot answers it with its host name by
    default, dnsplane does not implement NSID (RFC 5001, optional)."""
    dnsplane, knot, zone, owners, rng = servers
    names = rng.sample(query_names(zone, owners, rng), 40)
    mismatches = []
    for name in names:
        for qtype in META_TYPES:
            for variant in VARIANTS:
                if qtype in ("AXFR", "IXFR") and variant == "tcp":
                    continue  # transfers over TCP: test_dns_server.py
                q = variant_query(random_case(name, rng), qtype, variant)
                send = dns.query.tcp if variant == "tcp" else dns.query.udp
                ours = send(q, "127.0.0.1", port=dnsplane.dns_port, timeout=3)
                theirs = send(q, "127.0.0.1", port=knot.port, timeout=3)
                a, b = response_view(ours), response_view(theirs)
                for view, msg in ((a, ours), (b, theirs)):
                    view["rd"] = bool(msg.flags & dns.flags.RD)
                    view["cd"] = bool(msg.flags & dns.flags.CD)
                    view["ednsflags"] = msg.ednsflags
                    view["options"] = sorted(o.otype for o in msg.options)
                if a != b:
                    mismatches.append(f"{name} {qtype} {variant}:\n{describe_difference(a, b)}")
    assert not mismatches, f"{len(mismatches)} differ:\n" + "\n".join(mismatches[:25])


def test_axfr_matches_knot(servers):
    dnsplane, knot, zone, _owners, _rng = servers
    ours = axfr_records(dnsplane.dns_port, zone)
    theirs = axfr_records(knot.port, zone)
    assert ours[0] == ours[-1] and ours[0][1] == "SOA"
    assert sorted(ours) == sorted(theirs)


# --- RFC 2136 UPDATE against Knot ---------------------------------------------
# The same UPDATE sequence, signed with the same TSIG key, sent to Knot (zone
# file from the API, journal on) and to dnsplane: every message must get the
# same RCODE and the zones must end with identical AXFRs (serial included:
# both bump it once per message that changes something). Left out on purpose,
# where dnsplane keeps the REST API's rules instead of RFC 2136's "ignore":
# a CNAME next to other data (dnsplane: REFUSED, Knot: ignored), apex NS and
# SOA updates (dnsplane: ignored, Knot: applied).
def update_sequence(z: str) -> list:
    import dns.update

    def msg(*steps):
        return steps

    return [
        msg(("add", f"new1.{z}", 300, "A", "192.0.2.101")),
        msg(("add", f"multi.{z}", 300, "A", "192.0.2.102"), ("add", f"multi.{z}", 300, "A",
                                                               "192.0.2.103"),
            ("add", f"multi.{z}", 600, "TXT", '"two words"')),
        msg(("present", f"www.{z}"), ("add", f"p1.{z}", 300, "A", "192.0.2.104")),
        msg(("absent", f"www.{z}"), ("add", f"p2.{z}", 300, "A", "192.0.2.105")),
        msg(("present", f"www.{z}", "A"), ("add", f"p3.{z}", 300, "A", "192.0.2.106")),
        msg(("absent", f"www.{z}", "A"), ("add", f"p4.{z}", 300, "A", "192.0.2.107")),
        msg(("absent", f"nothing.{z}"), ("add", f"p5.{z}", 300, "A", "192.0.2.108")),
        msg(("present", f"nothing.{z}"), ("add", f"p6.{z}", 300, "A", "192.0.2.109")),
        msg(("absent", f"www.{z}", "TXT"), ("add", f"p7.{z}", 300, "A", "192.0.2.110")),
        msg(("equals", f"www.{z}", "A", ["192.0.2.80", "192.0.2.81"]),
            ("add", f"p8.{z}", 300, "A", "192.0.2.111")),
        msg(("equals", f"www.{z}", "A", ["192.0.2.80"]), ("add", f"p9.{z}", 300, "A",
                                                           "192.0.2.112")),
        msg(("delete_rr", f"multi.{z}", "A", "192.0.2.102")),
        msg(("delete_rrset", f"multi.{z}", "TXT")),
        msg(("delete_name", f"new1.{z}")),
        msg(("delete_rrset", f"never.{z}", "A")),
        msg(("add", f"www2.{z}", 300, "CNAME", f"mail.{z}")),
        msg(("add", f"mx.{z}", 300, "MX", f"10 mail.{z}"),
            ("add", f"_sip._tcp.{z}", 300, "SRV", f"10 60 5060 mail.{z}")),
        msg(("add", f"out.example.net.", 300, "A", "192.0.2.1")),
        msg(("delete_name", z)),
        msg(("add", f"sub9.{z}", 300, "NS", "ns.example.net.")),
    ]


def build_update(z: str, steps, key: dict):
    import dns.name
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype
    import dns.tsigkeyring
    import dns.update

    ring = dns.tsigkeyring.from_text({key["name"]: key["secret"]})
    u = dns.update.UpdateMessage(z, keyring=ring, keyname=key["name"],
                                 keyalgorithm=key["algorithm"])
    for step in steps:
        kind, name, *rest = step
        if kind == "add":
            ttl, rtype, data = rest
            u.add(dns.name.from_text(name), ttl, rtype, data)
        elif kind == "present":
            u.present(dns.name.from_text(name), *rest)
        elif kind == "absent":
            u.absent(dns.name.from_text(name), *rest)
        elif kind == "equals":
            rtype, values = rest
            rds = [dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), v)
                   for v in values]
            u.present(dns.name.from_text(name), *rds)
        elif kind == "delete_rr":
            rtype, value = rest
            u.delete(dns.name.from_text(name), rtype, value)
        elif kind == "delete_rrset":
            u.delete(dns.name.from_text(name), rest[0])
        elif kind == "delete_name":
            u.delete(dns.name.from_text(name))
    return u


@pytest.fixture(scope="module")
def update_servers(dnsplane_module, tmp_path_factory):
    import base64

    rng = random.Random(SEED + 1)
    api = dnsplane_module.session()
    zone_name = unique_zone_name("diffupd")
    rrsets = zone_rrsets(zone_name, rng)
    zone = load_zone(api, zone_name, [
        (absolute(o, zone_name), t, [r.replace("{z}", zone_name) for r in recs], ttl)
        for o, t, recs, ttl in rrsets])
    pool = api.get("/v2/pools").json()["pools"][0]["id"]
    key = {"name": "diff-update-key.", "algorithm": "hmac-sha256",
           "secret": base64.b64encode(os.urandom(32)).decode()}
    r = api.post("/v2/tsigkeys", json={**key, "scope": "POOL", "resource_id": pool})
    assert r.status_code == 201, r.text
    knot = KnotServer(tmp_path_factory.mktemp("knot-update"),
                      {zone_name: zone_file_from_api(api, zone)}, update_key=key).start()
    yield dnsplane_module, knot, zone_name, key
    knot.stop()


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_update_sequence_like_knot(update_servers, tcp):
    dnsplane, knot, zone, key = update_servers
    # The tcp run continues on the zones the udp run left (other addresses).
    send = dns.query.tcp if tcp else dns.query.udp
    mismatches = []
    for i, steps in enumerate(update_sequence(zone)):
        steps = [tuple(s.replace("192.0.2.", "198.51.100.") if tcp and isinstance(s, str)
                       else s for s in step) for step in steps]
        ours = send(build_update(zone, steps, key), "127.0.0.1", port=dnsplane.dns_port,
                    timeout=5)
        theirs = send(build_update(zone, steps, key), "127.0.0.1", port=knot.port, timeout=5)
        if ours.rcode() != theirs.rcode():
            mismatches.append(f"message {i} {steps}: dnsplane {dns.rcode.to_text(ours.rcode())}"
                              f", Knot {dns.rcode.to_text(theirs.rcode())}")
    assert not mismatches, "\n".join(mismatches)
    assert sorted(axfr_records(dnsplane.dns_port, zone)) == sorted(axfr_records(knot.port, zone))
