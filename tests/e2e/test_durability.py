"""Durability: a restart keeps everything exactly, and a SIGKILL in the middle
of a stream of writes loses no acknowledged write and leaves no half-applied
change (every commit is one transaction: record set + serial + change log)."""

import threading
import time

import pytest
import requests

from dnsplane_harness import create_recordset, create_zone, list_all, unique_zone_name

MANAGED_TYPES = {"SOA", "NS"}  # created by dnsplane with the zone


def snapshot(session):
    """Every zone and record set the default project can see, by id."""
    zones = {z["id"]: z for z in list_all(session, "/v2/zones", "zones")}
    recordsets = {}
    for zone_id in zones:
        for rs in list_all(session, f"/v2/zones/{zone_id}/recordsets", "recordsets"):
            recordsets[rs["id"]] = rs
    return zones, recordsets


def soa_serial_over_dns(srv, zone_name):
    answer = srv.query(zone_name, "SOA").answer
    assert answer, f"no SOA for {zone_name} over DNS"
    return answer[0][0].serial


def test_restart_keeps_all_data(dnsplane):
    s = dnsplane.session()
    a = create_zone(s, ttl=600, description="first zone")
    b = create_zone(s)
    www = create_recordset(s, a["id"], "www." + a["name"], "A", ["192.0.2.1", "192.0.2.2"])
    create_recordset(s, a["id"], a["name"], "MX", ["10 mx1.example.net.", "20 mx2.example.net."])
    create_recordset(s, a["id"], "txt." + a["name"], "TXT", ['"hello world"'], ttl=60)
    doomed = create_recordset(s, b["id"], "gone." + b["name"], "AAAA", ["2001:db8::1"])
    create_recordset(s, b["id"], "alias." + b["name"], "CNAME", ["www." + a["name"]])
    r = s.put(f"/v2/zones/{a['id']}/recordsets/{www['id']}",
              json={"records": ["192.0.2.3"], "description": "updated"})
    assert r.status_code == 202, r.text
    assert s.delete(f"/v2/zones/{b['id']}/recordsets/{doomed['id']}").status_code == 202
    assert s.patch(f"/v2/zones/{b['id']}", json={"email": "dns@example.org"}).status_code == 202

    zones_before, recordsets_before = snapshot(s)
    serials_before = {z["name"]: z["serial"] for z in zones_before.values()}

    dnsplane.restart()

    zones_after, recordsets_after = snapshot(dnsplane.session())
    assert zones_after == zones_before
    assert recordsets_after == recordsets_before
    assert doomed["id"] not in recordsets_after
    assert recordsets_after[www["id"]]["records"] == ["192.0.2.3"]
    # The DNS server serves the stored zones again, at the stored serials.
    for name, serial in serials_before.items():
        assert soa_serial_over_dns(dnsplane, name) == serial


class Writer(threading.Thread):
    """Creates record sets one after another until told to stop or the server
    goes away, remembering what was acknowledged (202) and what was sent."""

    def __init__(self, srv, zone, tag):
        super().__init__(daemon=True)
        self.session = srv.session()
        self.zone = zone
        self.tag = tag
        self.sent = {}  # name -> number of records sent (acknowledged or not)
        self.acked = {}  # id -> (name, number of records)
        self.stopping = threading.Event()
        self.error = None

    def run(self):
        i = 0
        while not self.stopping.is_set():
            name = f"w{self.tag}-{i}.{self.zone['name']}"
            records = [f"198.51.100.{k + 1}" for k in range(i % 5 + 1)]
            self.sent[name] = len(records)
            try:
                r = self.session.post(f"/v2/zones/{self.zone['id']}/recordsets",
                                      json={"name": name, "type": "A", "records": records},
                                      timeout=10)
            except requests.RequestException:
                return  # the server died; whatever was in flight is unacknowledged
            if r.status_code != 202:
                self.error = f"{r.status_code} {r.text}"
                return
            self.acked[r.json()["id"]] = (name, len(records))
            i += 1


# 16 writers: the service group-commits concurrent requests (several in one
# transaction, each in its own savepoint); a kill must still lose no
# acknowledged write and leave none half applied.
@pytest.mark.parametrize("writers", [1, 4, 16])
def test_sigkill_during_writes_loses_nothing_acknowledged(dnsplane, writers):
    s = dnsplane.session()
    zone = create_zone(s, name=unique_zone_name("crash"))
    initial_serial = s.get(f"/v2/zones/{zone['id']}").json()["serial"]

    threads = [Writer(dnsplane, zone, t) for t in range(writers)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    dnsplane.kill()
    for t in threads:
        t.stopping.set()
        t.join(15)
        assert not t.is_alive()
        assert t.error is None, t.error

    acked = {k: v for t in threads for k, v in t.acked.items()}
    sent = {k: v for t in threads for k, v in t.sent.items()}
    assert len(acked) >= 5, "too few writes acknowledged before the kill to mean anything"

    dnsplane.start()
    s = dnsplane.session()
    for rs_id, (name, count) in acked.items():
        r = s.get(f"/v2/zones/{zone['id']}/recordsets/{rs_id}")
        assert r.status_code == 200, f"acknowledged {name} lost: {r.status_code}"
        assert r.json()["name"] == name
        assert len(r.json()["records"]) == count

    present = [rs for rs in list_all(s, f"/v2/zones/{zone['id']}/recordsets", "recordsets")
               if rs["type"] not in MANAGED_TYPES]
    for rs in present:
        assert rs["name"] in sent, f"record set nobody sent: {rs['name']}"
        assert len(rs["records"]) == sent[rs["name"]], f"half-applied: {rs}"
    assert len(present) >= len(acked)
    assert len(present) <= len(acked) + writers  # at most one in-flight write each

    # One serial per commit: concurrent writes of one group commit share it
    # (one write alone always gets its own).
    zone_now = s.get(f"/v2/zones/{zone['id']}").json()
    if writers == 1:
        assert zone_now["serial"] == initial_serial + len(present)
    else:
        assert initial_serial < zone_now["serial"] <= initial_serial + len(present)
    assert soa_serial_over_dns(dnsplane, zone["name"]) == zone_now["serial"]
