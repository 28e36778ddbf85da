"""Designate's status/action with polled nameservers (`--poll-nameserver`, as
Designate's worker polls its pool's nameservers): a change is PENDING until
every polled nameserver serves its serial, then ACTIVE; ERROR when they never
do; without polled nameservers ACTIVE as soon as the write answers (dnsplane's
own server already serves it). The polled nameserver is a stock Knot DNS fed
through the catalog zone (NOTIFY + IXFR)."""

from __future__ import annotations

import dns.rcode
import pytest

from dns_support import KnotCatalogSecondary, knotd_path, query, wait_for
from dnsplane_harness import create_recordset, create_zone, free_port, unique_zone_name


@pytest.fixture(scope="module")
def knot_port():
    return free_port(udp_too=True)


@pytest.fixture(scope="module")
def primary(dnsplane_module_factory, knot_port):
    # The poll delay keeps a GET made right after a write PENDING even when
    # Knot is quick; the short retry interval keeps the test fast.
    return dnsplane_module_factory(extra_args=[
        "--catalog-zone", "catalog.invalid",
        "--also-notify", f"127.0.0.1:{knot_port}",
        "--poll-nameserver", f"127.0.0.1:{knot_port}",
        "--pool-poll-delay", "400ms", "--pool-poll-retry-interval", "100ms"])


@pytest.fixture(scope="module")
def knot(primary, knot_port, tmp_path_factory):
    if not knotd_path():
        pytest.fail("knotd not installed (apt-get install knot)")
    secondary = KnotCatalogSecondary(tmp_path_factory.mktemp("knot-polled"), knot_port,
                                     primary.dns_port)
    secondary.start()
    yield secondary
    secondary.stop()


def status(session, path):
    r = session.get(path)
    assert r.status_code == 200, r.text
    body = r.json()
    return body["status"], body["action"]


def knot_serial(knot, name):
    r = query(knot.port, name, "SOA", timeout=0.5)
    return r.answer[0][0].serial if r.rcode() == dns.rcode.NOERROR and r.answer else None


def test_zone_and_record_set_are_pending_until_knot_serves_them(primary, knot):
    s = primary.session()
    name = unique_zone_name("polled")
    z = create_zone(s, name)
    assert (z["status"], z["action"]) == ("PENDING", "CREATE")
    assert status(s, f"/v2/zones/{z['id']}") == ("PENDING", "CREATE")
    wait_for(lambda: status(s, f"/v2/zones/{z['id']}") == ("ACTIVE", "NONE"),
             what="the new zone ACTIVE")
    ours = query(primary.dns_port, name, "SOA").answer[0][0].serial
    assert knot_serial(knot, name) == ours  # ACTIVE means the secondary serves it

    rs = create_recordset(s, z["id"], "www." + name, "A", ["192.0.2.10"])
    rs_path = f"/v2/zones/{z['id']}/recordsets/{rs['id']}"
    assert status(s, rs_path) == ("PENDING", "CREATE")
    assert status(s, f"/v2/zones/{z['id']}") == ("PENDING", "UPDATE")
    sets = s.get(f"/v2/zones/{z['id']}/recordsets").json()["recordsets"]
    by_type = {x["type"]: x["status"] for x in sets}
    assert by_type == {"SOA": "PENDING", "NS": "ACTIVE", "A": "PENDING"}, sets
    # The cross-zone list and the id-only lookup say the same.
    assert status(s, f"/v2/recordsets/{rs['id']}") == ("PENDING", "CREATE")

    wait_for(lambda: status(s, rs_path) == ("ACTIVE", "NONE"), what="the record set ACTIVE")
    r = query(knot.port, "www." + name, "A", timeout=0.5)
    assert {rd.to_text() for rrset in r.answer for rd in rrset} == {"192.0.2.10"}
    assert status(s, f"/v2/zones/{z['id']}") == ("ACTIVE", "NONE")

    r = s.put(rs_path, json={"records": ["192.0.2.11"]})
    assert r.status_code == 202 and r.json()["status"] == "PENDING", r.text
    assert status(s, rs_path) == ("PENDING", "UPDATE")
    wait_for(lambda: status(s, rs_path) == ("ACTIVE", "NONE"), what="the update ACTIVE")
    r = query(knot.port, "www." + name, "A", timeout=0.5)
    assert {rd.to_text() for rrset in r.answer for rd in rrset} == {"192.0.2.11"}


def test_a_polled_nameserver_that_never_answers_turns_the_change_error(dnsplane_factory):
    dead = free_port()
    srv = dnsplane_factory(extra_args=[
        "--poll-nameserver", f"127.0.0.1:{dead}", "--pool-poll-delay", "0ms",
        "--pool-poll-retry-interval", "50ms", "--pool-poll-max-retries", "2"])
    s = srv.session()
    z = create_zone(s, unique_zone_name("dead"))
    wait_for(lambda: status(s, f"/v2/zones/{z['id']}") == ("ERROR", "CREATE"),
             what="the zone in ERROR")
    # dnsplane itself serves it all the same.
    assert query(srv.dns_port, z["name"], "SOA").rcode() == dns.rcode.NOERROR
    # A later change is pending again (and fails again).
    rs = create_recordset(s, z["id"], "a." + z["name"], "A", ["192.0.2.1"])
    assert status(s, f"/v2/zones/{z['id']}/recordsets/{rs['id']}") == ("PENDING", "CREATE")
    wait_for(lambda: status(s, f"/v2/zones/{z['id']}/recordsets/{rs['id']}")[0] == "ERROR",
             what="the record set in ERROR")


def test_without_polled_nameservers_writes_are_active_at_once(dnsplane):
    s = dnsplane.session()
    z = create_zone(s, unique_zone_name("local"))
    assert z["status"] == "PENDING"  # the write's answer, as Designate's clients expect
    assert status(s, f"/v2/zones/{z['id']}") == ("ACTIVE", "NONE")
    rs = create_recordset(s, z["id"], "a." + z["name"], "A", ["192.0.2.1"])
    assert status(s, f"/v2/zones/{z['id']}/recordsets/{rs['id']}") == ("ACTIVE", "NONE")
