"""Catalog zones (RFC 9432 v2, issue 14): dnsplane serves a catalog of every
zone; a stock Knot DNS configured with `catalog-role: interpret` and nothing
else about our zones provisions, updates and drops them by itself (NOTIFY to
`--also-notify`, AXFR/IXFR from dnsplane)."""

from __future__ import annotations

import subprocess
import time

import dns.rcode
import dns.rdatatype
import pytest

from dns_support import axfr_records, knotd_path, query
from dnsplane_harness import create_recordset, create_zone, free_port, unique_zone_name

CATALOG = "catalog.invalid."


def wait_for(predicate, timeout=15.0, step=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - not there yet
            last = exc
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def answers(port, name, rdtype):
    r = query(port, name, rdtype, timeout=0.5)
    if r.rcode() != dns.rcode.NOERROR:
        return set()
    return {rd.to_text() for rrset in r.answer for rd in rrset}


class KnotCatalogSecondary:
    """knotd whose only configured zone is dnsplane's catalog (interpreted)."""

    def __init__(self, workdir, port, primary_port):
        self.workdir = workdir
        self.port = port
        self.log = workdir / "knotd.log"
        self.config = workdir / "knot.conf"
        self.config.write_text(
            "server:\n"
            f"    listen: 127.0.0.1@{self.port}\n"
            f"    rundir: {workdir}\n"
            "database:\n"
            f"    storage: {workdir}\n"
            "log:\n  - target: stderr\n    any: info\n"
            "remote:\n"
            f"  - id: dnsplane\n    address: 127.0.0.1@{primary_port}\n"
            "acl:\n"
            "  - id: from_dnsplane\n    address: 127.0.0.0/8\n    action: notify\n"
            "template:\n"
            "  - id: default\n"
            f"    storage: {workdir}\n"
            "    zonefile-sync: -1\n"
            "    zonefile-load: none\n"
            "    journal-content: all\n"
            "  - id: member\n"
            "    master: dnsplane\n"
            "    acl: from_dnsplane\n"
            f"    storage: {workdir}\n"
            "    zonefile-sync: -1\n"
            "    zonefile-load: none\n"
            "    journal-content: all\n"
            "zone:\n"
            f"  - domain: {CATALOG}\n"
            "    master: dnsplane\n"
            "    acl: from_dnsplane\n"
            "    catalog-role: interpret\n"
            "    catalog-template: member\n")
        self.proc = None

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([knotd_path(), "-c", str(self.config)], stdout=log,
                                         stderr=log, stdin=subprocess.DEVNULL)
        # Knot interprets the catalog rather than serving it: ready once it
        # has transferred it.
        wait_for(lambda: f"[{CATALOG}] refresh" in self.log_text() and "zone updated" in
                 self.log_text(), what="knotd transferring the catalog")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log_text(self):
        return self.log.read_text(errors="replace")


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
