"""A simulated ExternalDNS loop against the running binary (our own Python
planner, modelled on the upstream one): two owners with TXT registry
records, create -> records -> adjust -> update -> delete cycles; a second
reconcile plans nothing (no churn); `dig` sees every change; the Designate
API shows them. Plus atomicity: a batch whose last change is invalid leaves
the store and the wire unchanged."""

from __future__ import annotations

import subprocess

import pytest

from dnsplane_harness import create_zone, list_all
from webhook_support import Webhook, endpoint

ZONE = "loop.test"


def registry_value(owner: str, resource: str) -> str:
    return f'"heritage=external-dns,external-dns/owner={owner},external-dns/resource={resource}"'


def txt_name(e: dict) -> str:
    return f"{e['recordType'].lower()}-{e['dnsName']}"


class ExternalDns:
    """One ExternalDNS instance: owner id, managed types, TXT registry."""

    MANAGED = {"A", "AAAA", "CNAME", "TXT"}

    def __init__(self, hook: Webhook, owner: str):
        self.hook = hook
        self.owner = owner

    def _owned(self, records):
        owned = {}
        for e in records:
            if e["recordType"] != "TXT":
                continue
            for t in e.get("targets", []):
                if t.startswith('"heritage=external-dns,') and \
                        f"external-dns/owner={self.owner}," in t:
                    owned[e["dnsName"]] = e
        return owned

    def plan(self, desired):
        r = self.hook.records()
        assert r.status_code == 200, r.text
        current = {(e["dnsName"], e["recordType"], e.get("setIdentifier", "")): e
                   for e in r.json() if e["recordType"] in self.MANAGED}
        owned_txt = self._owned(current.values())
        a = self.hook.adjust(desired)
        assert a.status_code == 200, a.text
        want = {(e["dnsName"], e["recordType"], e.get("setIdentifier", "")): e
                for e in a.json()}
        changes = {"create": [], "updateOld": [], "updateNew": [], "delete": []}
        for key, e in want.items():
            reg = txt_name(e)
            cur = current.get(key)
            if cur is None:
                changes["create"].append(e)
                if (reg, "TXT", key[2]) not in current:
                    t = endpoint(reg, "TXT", [registry_value(self.owner, "ingress/default/" +
                                                             e["dnsName"])],
                                 set_id=key[2], labels={"ownedRecord": e["dnsName"]},
                                 ps=e.get("providerSpecific"))
                    changes["create"].append(t)
                continue
            if reg not in owned_txt:
                continue  # someone else's record: never touched
            differs = (sorted(cur.get("targets", [])) != sorted(e.get("targets", [])) or
                       (e.get("recordTTL", 0) and cur.get("recordTTL") != e["recordTTL"]) or
                       cur.get("providerSpecific", []) != e.get("providerSpecific", []))
            if differs:
                changes["updateOld"].append(cur)
                changes["updateNew"].append(e)
        for key, cur in current.items():
            is_registry = cur["recordType"] == "TXT" and any(
                t.startswith('"heritage=external-dns,') for t in cur.get("targets", []))
            if key in want or is_registry:
                continue
            reg = txt_name(cur)
            if reg in owned_txt:
                changes["delete"].append(cur)
                changes["delete"].append(owned_txt[reg])
        return {k: v for k, v in changes.items() if v}

    def reconcile(self, desired):
        changes = self.plan(desired)
        if changes:
            r = self.hook.apply(changes)
            assert r.status_code == 204, r.text
        return changes


def dig(srv, name, rtype):
    out = subprocess.run(["dig", "+short", "+norecurse", "-p", str(srv.dns_port), "@127.0.0.1",
                          name, rtype], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    return sorted(line for line in out.stdout.splitlines() if line)


def wire_txt(srv, name):
    """Each TXT record on the wire with its strings joined (dnspython)."""
    ans = srv.query(name, "TXT", tcp=True)
    return sorted(b"".join(rr.strings).decode() for rrset in ans.answer for rr in rrset)


@pytest.fixture
def world(dnsplane_factory):
    srv = dnsplane_factory(start=True)
    zone = create_zone(srv.session(), name=ZONE + ".", email="h@loop.test")
    hook = Webhook(srv.webhook)
    return srv, zone, hook


def test_two_owners_full_cycle_without_churn(world):
    srv, zone, hook = world
    alpha, beta = ExternalDns(hook, "alpha"), ExternalDns(hook, "beta")
    long_txt = "v=spf1 " + " ".join(f"include:s{i}.example.net" for i in range(30))
    assert len(long_txt) > 255
    want_a = [endpoint(f"app.{ZONE}", "A", ["192.0.2.1", "192.0.2.2"]),
              endpoint(f"www.{ZONE}", "CNAME", [f"app.{ZONE}"]),
              endpoint(f"spf.{ZONE}", "TXT", [long_txt], ttl=300)]
    want_b = [endpoint(f"api.{ZONE}", "A", ["198.51.100.7"]),
              endpoint(f"v6.{ZONE}", "AAAA", ["2001:DB8::7"])]

    # create
    ca = alpha.reconcile(want_a)
    assert len(ca["create"]) == 6  # 3 records + 3 registry TXT
    cb = beta.reconcile(want_b)
    assert len(cb["create"]) == 4
    assert dig(srv, f"app.{ZONE}", "A") == ["192.0.2.1", "192.0.2.2"]
    assert dig(srv, f"www.{ZONE}", "CNAME") == [f"app.{ZONE}."]
    assert dig(srv, f"v6.{ZONE}", "AAAA") == ["2001:db8::7"]
    assert wire_txt(srv, f"spf.{ZONE}") == [long_txt]
    assert wire_txt(srv, f"a-app.{ZONE}") == [registry_value("alpha", f"ingress/default/app.{ZONE}")]
    # The registry TXT comes back byte for byte, with its label.
    recs = {(e["dnsName"], e["recordType"]): e for e in hook.records().json()}
    reg = recs[(f"a-app.{ZONE}", "TXT")]
    assert reg["targets"] == [registry_value("alpha", f"ingress/default/app.{ZONE}")]
    assert reg["labels"] == {"ownedRecord": f"app.{ZONE}"}
    assert recs[(f"spf.{ZONE}", "TXT")]["targets"] == [long_txt]

    # second reconcile: no churn, for both owners
    assert alpha.plan(want_a) == {}
    assert beta.plan(want_b) == {}

    # beta cannot take over alpha's record
    assert beta.plan(want_b + [endpoint(f"app.{ZONE}", "A", ["203.0.113.66"])]) == {}

    # update
    want_a[0] = endpoint(f"app.{ZONE}", "A", ["192.0.2.3"], ttl=60)
    cu = alpha.reconcile(want_a)
    assert [e["dnsName"] for e in cu["updateNew"]] == [f"app.{ZONE}"]
    assert dig(srv, f"app.{ZONE}", "A") == ["192.0.2.3"]
    assert alpha.plan(want_a) == {}

    # delete
    cd = alpha.reconcile(want_a[:1] + want_a[2:])
    assert sorted(e["dnsName"] for e in cd["delete"]) == [f"cname-www.{ZONE}", f"www.{ZONE}"]
    assert dig(srv, f"www.{ZONE}", "CNAME") == []
    assert dig(srv, f"cname-www.{ZONE}", "TXT") == []
    assert alpha.plan(want_a[:1] + want_a[2:]) == {}
    # beta's records are untouched
    assert dig(srv, f"api.{ZONE}", "A") == ["198.51.100.7"]
    assert beta.plan(want_b) == {}

    # The Designate API shows the same state.
    sets = list_all(srv.session(), f"/v2/zones/{zone['id']}/recordsets", "recordsets")
    by = {(s["name"], s["type"]): s for s in sets}
    assert by[(f"app.{ZONE}.", "A")]["records"] == ["192.0.2.3"]
    assert by[(f"app.{ZONE}.", "A")]["ttl"] == 60
    assert (f"www.{ZONE}.", "CNAME") not in by
    assert (f"api.{ZONE}.", "A") in by

    # everything goes
    alpha.reconcile([])
    beta.reconcile([])
    left = [e for e in hook.records().json()]
    assert left == []
    assert dig(srv, f"app.{ZONE}", "A") == []


def test_set_identifiers_are_separate_endpoints_served_as_one_set(world):
    srv, zone, hook = world
    r = hook.apply({"create": [
        endpoint(f"w.{ZONE}", "A", ["192.0.2.1"], set_id="blue", labels={"owner": "x"},
                 ps=[{"name": "webhook/weight", "value": "10"}]),
        endpoint(f"w.{ZONE}", "A", ["192.0.2.2"], set_id="green")]})
    assert r.status_code == 204, r.text
    got = {e.get("setIdentifier"): e for e in hook.records().json() if e["dnsName"] == f"w.{ZONE}"}
    assert got["blue"]["targets"] == ["192.0.2.1"]
    assert got["blue"]["labels"] == {"owner": "x"}
    assert got["blue"]["providerSpecific"] == [{"name": "webhook/weight", "value": "10"}]
    assert got["green"]["targets"] == ["192.0.2.2"]
    assert dig(srv, f"w.{ZONE}", "A") == ["192.0.2.1", "192.0.2.2"]
    r = hook.apply({"delete": [got["green"]]})
    assert r.status_code == 204
    assert dig(srv, f"w.{ZONE}", "A") == ["192.0.2.1"]
    got = [e for e in hook.records().json() if e["dnsName"] == f"w.{ZONE}"]
    assert [e["setIdentifier"] for e in got] == ["blue"]


def test_batch_with_invalid_last_change_changes_nothing(world):
    srv, zone, hook = world
    base = [endpoint(f"keep{i}.{ZONE}", "A", [f"192.0.2.{i}"]) for i in range(1, 6)]
    assert hook.apply({"create": base}).status_code == 204
    before_records = hook.records().json()
    before_sets = list_all(srv.session(), f"/v2/zones/{zone['id']}/recordsets", "recordsets")
    before_soa = dig(srv, ZONE, "SOA")
    before_wire = {e["dnsName"]: dig(srv, e["dnsName"], "A") for e in base}

    batch = {
        "create": [endpoint(f"n{i}.{ZONE}", "A", [f"198.51.100.{i}"]) for i in range(50)] +
                  [endpoint(f"keep1.{ZONE}", "CNAME", [f"elsewhere.{ZONE}"])],  # last: invalid
        "updateOld": [base[1]],
        "updateNew": [endpoint(f"keep2.{ZONE}", "A", ["203.0.113.2"])],
        "delete": [base[2]],
    }
    r = hook.apply(batch)
    assert 500 <= r.status_code <= 503, r.text
    body = r.json()
    assert body["error"] == "invalid_object"
    assert body["message"].endswith(f"[keep1.{ZONE} CNAME]"), body
    assert hook.records().json() == before_records
    assert list_all(srv.session(), f"/v2/zones/{zone['id']}/recordsets",
                    "recordsets") == before_sets
    assert dig(srv, ZONE, "SOA") == before_soa
    assert {e["dnsName"]: dig(srv, e["dnsName"], "A") for e in base} == before_wire
    assert dig(srv, f"n0.{ZONE}", "A") == []


def test_wildcard_and_its_registry_record_full_cycle(world):
    # ExternalDNS names the registry record of "*.loop.test" "a-*.loop.test":
    # '*' inside a label is an ordinary character (RFC 4592), so the webhook
    # stores, returns and serves it; the leftmost "*" stays a real wildcard.
    srv, zone, hook = world
    alpha = ExternalDns(hook, "alpha")
    want = [endpoint(f"*.{ZONE}", "A", ["192.0.2.50"])]
    registry = registry_value("alpha", f"ingress/default/*.{ZONE}")

    c = alpha.reconcile(want)
    assert sorted(e["dnsName"] for e in c["create"]) == [f"*.{ZONE}", f"a-*.{ZONE}"]
    recs = {(e["dnsName"], e["recordType"]): e for e in hook.records().json()}
    assert recs[(f"*.{ZONE}", "A")]["targets"] == ["192.0.2.50"]
    assert recs[(f"a-*.{ZONE}", "TXT")]["targets"] == [registry]
    assert recs[(f"a-*.{ZONE}", "TXT")]["labels"] == {"ownedRecord": f"*.{ZONE}"}
    # adjustendpoints never rewrites the names
    adj = hook.adjust([recs[(f"a-*.{ZONE}", "TXT")], recs[(f"*.{ZONE}", "A")]]).json()
    assert [e["dnsName"] for e in adj] == [f"a-*.{ZONE}", f"*.{ZONE}"]
    # on the wire: the wildcard answers any name; "a-*" is one ordinary name
    assert dig(srv, f"anything.{ZONE}", "A") == ["192.0.2.50"]
    assert wire_txt(srv, f"a-*.{ZONE}") == [registry]
    assert dig(srv, f"a-x.{ZONE}", "TXT") == []
    assert alpha.plan(want) == {}  # no churn

    # update
    want = [endpoint(f"*.{ZONE}", "A", ["192.0.2.51"], ttl=120)]
    cu = alpha.reconcile(want)
    assert [e["dnsName"] for e in cu["updateNew"]] == [f"*.{ZONE}"]
    assert dig(srv, f"anything.{ZONE}", "A") == ["192.0.2.51"]
    assert alpha.plan(want) == {}

    # delete
    cd = alpha.reconcile([])
    assert sorted(e["dnsName"] for e in cd["delete"]) == [f"*.{ZONE}", f"a-*.{ZONE}"]
    assert dig(srv, f"anything.{ZONE}", "A") == []
    assert wire_txt(srv, f"a-*.{ZONE}") == []
    assert hook.records().json() == []

    # The Designate API keeps Designate's rule: '*' only as the whole first label.
    s = srv.session()
    r = s.post(f"/v2/zones/{zone['id']}/recordsets",
               json={"name": f"a-*.{ZONE}.", "type": "TXT", "records": ['"x"']})
    assert r.status_code == 400 and r.json()["type"] == "invalid_object", r.text
    r = s.post(f"/v2/zones/{zone['id']}/recordsets",
               json={"name": f"*.{ZONE}.", "type": "TXT", "records": ['"x"']})
    assert r.status_code == 202, r.text
