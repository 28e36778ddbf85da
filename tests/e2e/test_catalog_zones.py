"""Catalog zones (RFC 9432 v2, issue 14): dnsplane serves a catalog of every
zone; a stock Knot DNS configured with `catalog-role: interpret` and nothing
else about our zones provisions, updates and drops them by itself (NOTIFY to
`--also-notify`, AXFR/IXFR from dnsplane)."""

from __future__ import annotations

import subprocess

import dns.rcode
import dns.rdatatype
import pytest

from dns_support import CATALOG, KnotCatalogSecondary, axfr_records, knotd_path, query, wait_for
from dnsplane_harness import create_recordset, create_zone, free_port, unique_zone_name


def answers(port, name, rdtype):
    r = query(port, name, rdtype, timeout=0.5)
    if r.rcode() != dns.rcode.NOERROR:
        return set()
    return {rd.to_text() for rrset in r.answer for rd in rrset}


@pytest.fixture(scope="module")
def knot_port_holder():
    # The secondary's port must be known before dnsplane starts (--also-notify).
    return {"port": free_port(udp_too=True)}


@pytest.fixture(scope="module")
def primary(dnsplane_module_factory, knot_port_holder):
    return dnsplane_module_factory(extra_args=[
        "--catalog-zone", "catalog.invalid",
        "--also-notify", f"127.0.0.1:{knot_port_holder['port']}"])


@pytest.fixture(scope="module")
def secondary(primary, knot_port_holder, tmp_path_factory):
    if not knotd_path():
        pytest.fail("knotd not installed (apt-get install knot)")
    knot = KnotCatalogSecondary(tmp_path_factory.mktemp("knot-catalog"),
                                knot_port_holder["port"], primary.dns_port)
    knot.start()
    yield knot
    knot.stop()


def catalog_members(port):
    members = {}
    version = None
    for name, rtype, ttl, data in axfr_records(port, CATALOG):
        if rtype == "PTR" and name.endswith(".zones." + CATALOG):
            members[name] = data
        if rtype == "TXT" and name == "version." + CATALOG:
            version = data
    return version, members


def test_catalog_lists_every_zone_with_stable_labels(primary):
    s = primary.session()
    z = create_zone(s, unique_zone_name("cat"))
    version, members = catalog_members(primary.dns_port)
    assert version == '"2"'
    owner = z["id"].replace("-", "") + ".zones." + CATALOG
    assert members.get(owner) == z["name"]
    # The catalog is not a tenant zone: creating a zone inside it is refused.
    r = s.post(primary.url("/v2/zones"), json={"name": "x.zones." + CATALOG,
                                              "email": "a@example.org"})
    assert r.status_code in (400, 403, 409), r.text
    _, after = catalog_members(primary.dns_port)
    assert after == members


def test_catalog_serial_moves_with_creates_and_deletes_and_ixfr_answers(primary):
    s = primary.session()
    before = query(primary.dns_port, CATALOG, "SOA").answer[0][0].serial
    z = create_zone(s, unique_zone_name("cat"))
    mid = query(primary.dns_port, CATALOG, "SOA").answer[0][0].serial
    assert mid == before + 1
    assert s.delete(primary.url(f"/v2/zones/{z['id']}")).status_code == 202
    after = query(primary.dns_port, CATALOG, "SOA").answer[0][0].serial
    assert after == before + 2
    _, members = catalog_members(primary.dns_port)
    assert z["name"] not in members.values()
    # IXFR from `before`: two differences, not a whole-zone transfer.
    out = subprocess.run(["kdig", "-p", str(primary.dns_port), "@127.0.0.1", CATALOG,
                          f"IXFR={before}", "+noall", "+answer"],
                         capture_output=True, text=True, timeout=10)
    soas = [ln for ln in out.stdout.splitlines() if "\tSOA\t" in ln or " SOA " in ln]
    assert len(soas) == 6, out.stdout  # new, (old, new) x 2 ... new
    assert z["id"].replace("-", "") in out.stdout


def test_knot_provisions_updates_and_drops_zones_from_the_catalog(primary, secondary):
    s = primary.session()
    name = unique_zone_name("knot")
    z = create_zone(s, name)
    # Knot learns of the zone from the catalog alone and transfers it.
    wait_for(lambda: answers(secondary.port, name, "SOA"), what=f"knot serving {name}")
    create_recordset(s, z["id"], "www." + name, "A", ["192.0.2.10"])
    wait_for(lambda: answers(secondary.port, "www." + name, "A") == {"192.0.2.10"},
             what="the record on the secondary")
    serial = query(primary.dns_port, name, "SOA").answer[0][0].serial
    assert query(secondary.port, name, "SOA").answer[0][0].serial == serial
    # The record change travelled as an incremental transfer.
    assert wait_for(lambda: "IXFR" in secondary.log_text() and name.rstrip(".") in
                    secondary.log_text(), what="an IXFR in knot's log")
    assert s.delete(primary.url(f"/v2/zones/{z['id']}")).status_code == 202
    wait_for(lambda: query(secondary.port, name, "SOA", timeout=0.5).rcode() !=
             dns.rcode.NOERROR, what=f"knot dropping {name}")
