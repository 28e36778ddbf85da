"""Several dnsplane nodes on one PostgreSQL database (issue 14).

PostgreSQL is started once for the module from Debian's binaries
(pg_support.py); each test gets a fresh database and two `serve` nodes on it.
Checked: a write on either node appears in the other's API and DNS; writers on
both nodes at once lose nothing, both nodes' AXFR end identical and neither
node rebuilds the zone (each hears the commits in commit order); kill -9 of
a node during writes loses no acknowledged write while the other keeps
serving and writing, and the killed node catches up after restart; a node
that loses the database keeps answering DNS, reports degraded/FAILED, answers
API writes with 503 and catches up when the database returns.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from dns_support import axfr_records
from dnsplane_harness import create_recordset, create_zone, free_port, list_all, \
    unique_zone_name
from hook_receiver import HookReceiver
from pg_support import PgServer, pg_bindir

pytestmark = pytest.mark.skipif(pg_bindir() is None,
                                reason="PostgreSQL server binaries missing (apt-get install "
                                       "postgresql)")


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    server = PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def nodes(pg, dnsplane_factory):
    url = pg.new_database()
    a = dnsplane_factory(flags={"database": url, "store-probe-ms": 200})
    b = dnsplane_factory(flags={"database": url, "store-probe-ms": 200})
    return a, b


def wait_for(predicate, timeout=5.0, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def a_records(srv, name):
    try:
        answer = srv.query(name, "A", timeout=1).answer
    except Exception:
        return set()
    return {rr.address for rrset in answer for rr in rrset}


def zone_updates(srv):
    """The node's dnsplane_dns_zone_updates_total by `how` (patched/rebuilt)."""
    text = requests.get(srv.health + "/metrics", timeout=5).text
    found = re.findall(r'^dnsplane_dns_zone_updates_total\{how="(\w+)"\} (\d+)$', text, re.M)
    return {how: int(n) for how, n in found}


def soa_serial(srv, zone):
    answer = srv.query(zone, "SOA", timeout=1).answer
    return answer[0][0].serial if answer else None


def test_a_write_on_either_node_appears_in_the_others_api_and_dns(nodes):
    a, b = nodes
    sa, sb = a.session(), b.session()
    zone = create_zone(sa)
    # The zone created on A is served by B's DNS and listed by B's API.
    assert wait_for(lambda: soa_serial(b, zone["name"]) == zone["serial"]), "zone not on B"
    assert sb.get(f"/v2/zones/{zone['id']}").json()["name"] == zone["name"]

    t0 = time.monotonic()
    create_recordset(sb, zone["id"], "www." + zone["name"], "A", ["192.0.2.7"])
    assert wait_for(lambda: a_records(a, "www." + zone["name"]) == {"192.0.2.7"}), \
        "B's write not in A's DNS"
    latency = time.monotonic() - t0
    assert latency < 2.0
    names = {rs["name"] for rs in list_all(sa, f"/v2/zones/{zone['id']}/recordsets",
                                           "recordsets")}
    assert "www." + zone["name"] in names
    # Serials keep increasing across nodes.
    assert wait_for(lambda: soa_serial(a, zone["name"]) == soa_serial(b, zone["name"]))
    assert soa_serial(a, zone["name"]) == zone["serial"] + 1

    # A deletion on A removes the zone from B's DNS.
    assert sa.delete(f"/v2/zones/{zone['id']}").status_code == 202
    assert wait_for(lambda: b.query(zone["name"], "SOA", timeout=1).rcode() != 0)


def test_writers_on_both_nodes_lose_nothing_and_axfr_ends_identical(nodes):
    a, b = nodes
    zone = create_zone(a.session())
    wait_for(lambda: soa_serial(b, zone["name"]) is not None)
    acked: dict[str, list] = {}
    errors = []

    def writer(srv, tag, count):
        s = srv.session()
        for i in range(count):
            name = f"{tag}{i}.{zone['name']}"
            r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                       json={"name": name, "type": "A", "records": [f"192.0.2.{i % 250 + 1}"]})
            if r.status_code == 202:
                acked[tag].append(name)
            else:
                errors.append((tag, r.status_code, r.text))

    # Two threads per node, distinct names per thread.
    threads = []
    for srv, tag in ((a, "a"), (b, "b")):
        for k in range(2):
            threads.append(threading.Thread(target=writer, args=(srv, f"{tag}{k}x", 30)))
            acked[f"{tag}{k}x"] = []
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    written = sum(len(v) for v in acked.values())
    assert written == 120
    # One serial per commit (writes of one node's group commit share one).
    final = a.session().get(f"/v2/zones/{zone['id']}").json()["serial"]
    assert zone["serial"] < final <= zone["serial"] + written
    assert wait_for(lambda: soa_serial(a, zone["name"]) == final == soa_serial(b, zone["name"])), \
        (soa_serial(a, zone["name"]), soa_serial(b, zone["name"]), final)
    xa = sorted(axfr_records(a.dns_port, zone["name"]))
    xb = sorted(axfr_records(b.dns_port, zone["name"]))
    assert xa == xb
    owners = {rr[0] for rr in xa}
    for names in acked.values():
        for n in names:
            assert n in owners


def test_two_nodes_writing_one_zone_patch_it_and_never_rebuild_it(nodes):
    # Each node must hear every commit in commit order (the other node's
    # earlier ones before its own: store::WriteTxn::commit_in_order). A
    # change heard out of turn does not apply to the served version, and the
    # node reads and rebuilds the whole zone (O(zone) per write).
    a, b = nodes
    zone = create_zone(a.session())
    assert wait_for(lambda: soa_serial(b, zone["name"]) is not None)
    errors = []

    def writer(srv, tag):
        s = srv.session()
        for i in range(40):
            r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                       json={"name": f"{tag}-{i}.{zone['name']}", "type": "A",
                             "records": ["192.0.2.1"]})
            if r.status_code != 202:
                errors.append((tag, r.status_code, r.text))

    threads = [threading.Thread(target=writer, args=(srv, f"{n}{k}"))
               for srv, n in ((a, "a"), (b, "b")) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    final = a.session().get(f"/v2/zones/{zone['id']}").json()["serial"]
    assert wait_for(lambda: soa_serial(a, zone["name"]) == final == soa_serial(b, zone["name"]))
    for srv in (a, b):
        updates = zone_updates(srv)
        assert updates.get("rebuilt") == 0, updates
        # Every commit of either node was patched in (one per batch).
        assert updates.get("patched", 0) >= final - zone["serial"], updates
    assert sorted(axfr_records(a.dns_port, zone["name"])) == \
        sorted(axfr_records(b.dns_port, zone["name"]))


def test_kill_9_during_writes_loses_no_acknowledged_write_and_the_node_catches_up(nodes):
    a, b = nodes
    zone = create_zone(a.session())
    wait_for(lambda: soa_serial(b, zone["name"]) is not None)
    acked_a, acked_b = [], []
    stop = threading.Event()

    def writer(srv, tag, acked):
        s = srv.session()
        i = 0
        while not stop.is_set():
            name = f"{tag}{i}.{zone['name']}"
            try:
                r = s.post(f"/v2/zones/{zone['id']}/recordsets",
                           json={"name": name, "type": "A", "records": ["192.0.2.1"]},
                           timeout=5)
            except requests.RequestException:
                if not srv.running():
                    return
                continue
            if r.status_code == 202:
                acked.append(name)
            i += 1

    ta = threading.Thread(target=writer, args=(a, "ka", acked_a))
    tb = threading.Thread(target=writer, args=(b, "kb", acked_b))
    ta.start()
    tb.start()
    time.sleep(1.0)
    a.kill()  # SIGKILL mid-stream
    ta.join(10)
    n_b = len(acked_b)
    time.sleep(0.5)
    assert len(acked_b) > n_b, "B stopped writing after A was killed"
    assert soa_serial(b, zone["name"]) is not None
    stop.set()
    tb.join(10)

    names = {rs["name"] for rs in list_all(b.session(), f"/v2/zones/{zone['id']}/recordsets",
                                           "recordsets")}
    for n in acked_a + acked_b:
        assert n in names, f"acknowledged write {n} lost"

    # B writes while A is down; A catches up after restart.
    late = create_recordset(b.session(), zone["id"], "late." + zone["name"], "A", ["192.0.2.99"])
    a.proc = None
    a.start()
    assert wait_for(lambda: a_records(a, "late." + zone["name"]) == {"192.0.2.99"})
    assert wait_for(lambda: soa_serial(a, zone["name"]) == soa_serial(b, zone["name"]))
    assert sorted(axfr_records(a.dns_port, zone["name"])) == \
        sorted(axfr_records(b.dns_port, zone["name"]))
    # And A's writes reach B again.
    create_recordset(a.session(), zone["id"], "after." + zone["name"], "A", ["192.0.2.100"])
    assert wait_for(lambda: a_records(b, "after." + zone["name"]) == {"192.0.2.100"})
    assert late["id"]


def test_a_node_that_loses_the_database_keeps_serving_dns_and_catches_up(pg, nodes):
    a, b = nodes
    zone = create_zone(a.session())
    create_recordset(a.session(), zone["id"], "www." + zone["name"], "A", ["192.0.2.1"])
    wait_for(lambda: a_records(b, "www." + zone["name"]) == {"192.0.2.1"})
    pg.stop_server("fast")
    try:
        # DNS answers from memory on both nodes.
        assert a_records(a, "www." + zone["name"]) == {"192.0.2.1"}
        assert a_records(b, "www." + zone["name"]) == {"192.0.2.1"}
        # Writes: 503 with a machine-readable body; status and health say so.
        r = a.session().post(f"/v2/zones/{zone['id']}/recordsets",
                             json={"name": "x." + zone["name"], "type": "A",
                                   "records": ["192.0.2.2"]})
        assert r.status_code == 503, r.text
        assert wait_for(lambda: requests.get(a.url("/v1/status"), timeout=2)
                        .json().get("status") == "FAILED" or
                        requests.get(a.url("/v1/status"), timeout=2).json()
                        .get("state") == "FAILED", timeout=5), \
            requests.get(a.url("/v1/status"), timeout=2).text
        assert wait_for(lambda: requests.get(a.health + "/healthz", timeout=2)
                        .text.startswith("degraded"), timeout=5)
    finally:
        pg.start_server()
    # Back: writes work again and each node sees the other's.
    assert wait_for(lambda: requests.get(a.health + "/healthz", timeout=2).text == "ok\n",
                    timeout=10)
    assert wait_for(lambda: b.session().post(
        f"/v2/zones/{zone['id']}/recordsets",
        json={"name": "back." + zone["name"], "type": "A", "records": ["192.0.2.3"]})
        .status_code == 202, timeout=10)
    assert wait_for(lambda: a_records(a, "back." + zone["name"]) == {"192.0.2.3"}, timeout=5)


def test_change_committed_events_of_both_nodes_reach_the_plugin_once_in_order(nodes):
    """A change_committed binding made on one node counts for every node's
    commits, and one node at a time delivers the shared outbox: no event is
    missing, none arrives twice, each zone's events in sequence order."""
    a, b = nodes
    rcv = HookReceiver(free_port()).start()
    try:
        r = a.session().post("/v1/addons/identify", json={
            "plugin": {"id": "io.example.audit", "version": "1.0"},
            "endpoint": [{"addons_point": "change_committed", "endpoint": rcv.url}]})
        assert r.status_code == 200, r.text
        zone = create_zone(b.session())  # B did not see the binding being made
        assert wait_for(lambda: soa_serial(a, zone["name"]) is not None)
        names = []
        for i in range(12):
            if i == 6:
                b.restart()  # B now loads the binding at start, as A has it
            srv = (a, b)[i % 2]
            names.append(f"h{i}.{zone['name']}")
            create_recordset(srv.session(), zone["id"], names[-1], "A", ["192.0.2.1"])

        def mine():
            return [e for e in rcv.snapshot() if e["zone"]["id"] == zone["id"]]

        assert wait_for(lambda: len(mine()) >= 13, timeout=15), len(mine())
        time.sleep(1.0)  # a second deliverer would have posted its copies by now
        events = mine()
        assert [e["sequence"] for e in events] == list(range(1, 14)), \
            [e["sequence"] for e in events]
        assert len({e["id"] for e in events}) == 13
        assert events[0]["zone_created"] is True
        assert [x["name"] for e in events[1:] for x in e["added"] if x["type"] == "A"] == names
    finally:
        rcv.stop()


# The follower's catch-up read, as pg_stat_activity shows its last query.
FOLLOWER = "query LIKE '%FROM zone_changes WHERE seq >%'"


def test_a_follower_that_cannot_reconnect_keeps_the_node_failed_until_it_catches_up(pg, nodes):
    """Only A's follower loses the database (its backend is terminated and
    new connections are refused, while the connections A already holds keep
    committing): A must say FAILED for as long as it misses B's commits, not
    only until its next successful probe commit, and catch up afterwards."""
    a, b = nodes
    zone = create_zone(b.session())
    assert wait_for(lambda: soa_serial(a, zone["name"]) is not None)
    db = wait_for(lambda: pg.psql(f"SELECT datname FROM pg_stat_activity WHERE {FOLLOWER} "
                                  "LIMIT 1"))
    assert db
    pg.psql(f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
    try:
        # A started first: its follower's backend is the older one.
        killed = pg.psql("SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM "
                         f"pg_stat_activity WHERE datname = '{db}' AND {FOLLOWER} "
                         "ORDER BY backend_start LIMIT 1) f")
        assert killed == "t"
        create_recordset(b.session(), zone["id"], "gap." + zone["name"], "A", ["192.0.2.9"])
        time.sleep(1.2)  # several probe periods of A, each committing fine
        status = requests.get(a.url("/v1/status"), timeout=2).json()
        assert status["status"] == "FAILED", status
        assert requests.get(a.health + "/healthz", timeout=2).text.startswith("degraded")
        assert a_records(a, "gap." + zone["name"]) == set()  # not followed yet
    finally:
        pg.psql(f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
    assert wait_for(lambda: a_records(a, "gap." + zone["name"]) == {"192.0.2.9"}, timeout=5)
    assert wait_for(lambda: requests.get(a.url("/v1/status"), timeout=2)
                    .json()["status"] == "ACTIVE", timeout=5)
