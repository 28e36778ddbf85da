"""Issue 13: POST /v1/tenant/unbind retires a project, and every door
enforces it against the real binary: the project's tokens can neither read
nor write through the Designate API, the record API, the connector or the
webhook (each answers in its own error shape); its zones keep being served
in DNS but cannot be changed by anyone (not even an all-projects admin);
the retirement survives a restart; bind reactivates everything."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from dnsplane_harness import create_token, create_zone
from webhook_support import Webhook, endpoint


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def plugin_headers(project: str, token: str) -> dict:
    return {"X-Plugin-Secret": b64(json.dumps({"username": b64(project),
                                               "password": b64(token)})),
            "X-Plugin-Auth": "kubernetes.io/basic-auth"}


@pytest.fixture
def world(dnsplane_factory):
    srv = dnsplane_factory(auth="token", flags={"webhook-project": "acme"}, start=False)
    ops = create_token(srv.db_url, "ops", "admin")
    acme = create_token(srv.db_url, "acme", "member")
    srv.start()
    admin = srv.session(token=ops)
    member = srv.session(token=acme)
    zone = create_zone(member, name="acme.test.", email="h@acme.test")
    r = member.post(f"/v2/zones/{zone['id']}/recordsets",
                    json={"name": "www.acme.test.", "type": "A", "records": ["192.0.2.1"]})
    assert r.status_code == 202, r.text
    assert admin.post("/v1/tenant/bind", json={"tenant_id": "acme"}).status_code == 200
    return srv, admin, member, acme, zone


def doors(srv, member, acme, zone):
    """One read and one write through every door, as the project's caller."""
    hook = Webhook(srv.webhook)
    conn = srv.url(f"/connector/v1/zones/{zone['id']}/records")
    h = plugin_headers("acme", acme)
    return {
        "designate_read": member.get(f"/v2/zones/{zone['id']}/recordsets"),
        "designate_write": member.post(f"/v2/zones/{zone['id']}/recordsets", json={
            "name": "d.acme.test.", "type": "A", "records": ["192.0.2.2"]}),
        "records_read": member.get("/v1/domains/acme.test/records"),
        "records_write": member.post("/v1/domains/acme.test/records", json={
            "type": "A", "name": "r", "content": "192.0.2.3"}),
        "connector_read": requests.get(conn, headers=h, timeout=10),
        "connector_write": requests.post(conn, headers=h, json={
            "type": "A", "name": "c", "content": "192.0.2.4"}, timeout=10),
        "webhook_read": hook.records(),
        "webhook_write": hook.apply({"create": [endpoint("w.acme.test", "A", ["192.0.2.5"])]}),
    }


def assert_refused(answers):
    for door, r in answers.items():
        kind = door.split("_")[0]
        if kind in ("designate", "records"):
            assert r.status_code == 403, (door, r.text)
            assert r.json()["type"] == "project_retired", door
            assert r.json()["code"] == 403
        elif kind == "connector":
            assert r.status_code == 403, (door, r.text)
            body = r.json()
            assert body["kind"] == "Status" and body["reason"] == "Forbidden", door
            assert "retired" in body["message"]
        else:  # the webhook: a provider failure (5xx, soft for ExternalDNS), never a 4xx
            assert r.status_code == 500, (door, r.text)
            assert r.json()["error"] == "project_retired", door
        assert "acme" in r.text and "retired" in r.text


def served(srv, name):
    return sorted(rr.to_text() for rrset in srv.query(name, "A").answer for rr in rrset)


def test_unbind_closes_every_door_and_bind_reopens_them(world):
    srv, admin, member, acme, zone = world
    r = admin.post("/v1/tenant/unbind", json={"tenant_id": "acme"})
    assert r.status_code == 200 and r.json()["status"] == "retired"
    assert_refused(doors(srv, member, acme, zone))
    # The zone keeps being served; nothing of the refused writes is there.
    assert served(srv, "www.acme.test.") == ["192.0.2.1"]
    for name in ("d", "r", "c", "w"):
        assert served(srv, f"{name}.acme.test.") == []
    # An admin of another project still sees the zone but cannot change it.
    everyone = srv.session(token=admin.headers["X-Auth-Token"], all_projects=True)
    assert everyone.get(f"/v2/zones/{zone['id']}").status_code == 200
    r = everyone.post(f"/v2/zones/{zone['id']}/recordsets", json={
        "name": "x.acme.test.", "type": "A", "records": ["192.0.2.9"]})
    assert r.status_code == 403 and r.json()["type"] == "project_retired", r.text
    r = everyone.patch(f"/v2/zones/{zone['id']}", json={"ttl": 600})
    assert r.status_code == 403 and r.json()["type"] == "project_retired", r.text
    assert everyone.delete(f"/v2/zones/{zone['id']}").status_code == 403
    assert served(srv, "www.acme.test.") == ["192.0.2.1"]
    # Another project is not affected.
    other = srv.session(token=create_token(srv.db_url, "beta", "member"))
    assert other.get("/v2/zones").status_code == 200

    # The retirement is stored: it survives a restart.
    srv.restart()
    assert_refused({"designate_read": member.get("/v2/zones"),
                    "webhook_read": Webhook(srv.webhook).records()})
    assert served(srv, "www.acme.test.") == ["192.0.2.1"]

    # Bind again: every door works again.
    assert admin.post("/v1/tenant/bind", json={"tenant_id": "acme"}).status_code == 200
    answers = doors(srv, member, acme, zone)
    for door, r in answers.items():
        assert r.status_code < 300, (door, r.status_code, r.text)
    for name, value in (("d", "192.0.2.2"), ("r", "192.0.2.3"), ("c", "192.0.2.4"),
                        ("w", "192.0.2.5")):
        assert served(srv, f"{name}.acme.test.") == [value]


def test_unbind_in_noauth_mode(dnsplane_factory):
    srv = dnsplane_factory()
    s = srv.session(project="acme")
    zone = create_zone(s, name="noauth-acme.test.", email="h@noauth-acme.test")
    root = srv.session()
    assert root.post("/v1/tenant/bind", json={"tenant_id": "acme"}).status_code == 200
    assert root.post("/v1/tenant/unbind", json={"tenant_id": "acme"}).status_code == 200
    r = s.get("/v2/zones")
    assert r.status_code == 403 and r.json()["type"] == "project_retired"
    r = s.get("/v1/domains/noauth-acme.test/records")
    assert r.status_code == 403 and r.json()["type"] == "project_retired"
    # the platform routes stay open to the admin (so the project can be bound again)
    assert root.post("/v1/tenant/bind", json={"tenant_id": "acme"}).status_code == 200
    assert s.get(f"/v2/zones/{zone['id']}").status_code == 200
