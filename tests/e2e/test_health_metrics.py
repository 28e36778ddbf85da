"""The health/metrics listener (--health-listen): GET /healthz and GET
/metrics in the Prometheus text format, fed by every part of the process."""

from __future__ import annotations

import re

import pytest
import requests

from dnsplane_harness import create_zone
from webhook_support import Webhook, endpoint

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"'
                    r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*)?\})? (\d+)$')


def scrape(srv) -> dict:
    r = requests.get(srv.health + "/metrics", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    out = {}
    typed = set()
    for line in r.text.splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        assert m[1] in typed, f"sample before its # TYPE: {line}"
        out[m[1] + (m[2] or "")] = int(m[3])
    return out


@pytest.fixture(scope="module")
def srv(dnsplane_module_factory):
    return dnsplane_module_factory(start=True)


def test_healthz(srv):
    r = requests.get(srv.health + "/healthz", timeout=5)
    assert r.status_code == 200
    assert r.text == "ok\n"


def test_health_listener_serves_nothing_else(srv):
    assert requests.get(srv.health + "/records", timeout=5).status_code == 404
    # and the API listener does not serve /healthz under the Designate surface
    assert requests.get(srv.webhook + "/healthz", timeout=5).status_code == 404


def test_metrics_count_requests_dns_and_commits(srv):
    create_zone(srv.session(), name="metrics.test.", email="h@metrics.test")
    before = scrape(srv)
    hook = Webhook(srv.webhook)
    assert hook.apply({"create": [endpoint("m.metrics.test", "A", ["192.0.2.1"])]}
                      ).status_code == 204
    assert hook.apply("{bad").status_code == 400
    srv.query("m.metrics.test.", "A")
    srv.query("m.metrics.test.", "A", tcp=True)
    after = scrape(srv)

    def delta(key):
        return after.get(key, 0) - before.get(key, 0)

    assert delta('dnsplane_http_requests_total{listener="webhook",status="204"}') == 1
    assert delta('dnsplane_http_requests_total{listener="webhook",status="400"}') == 1
    assert after['dnsplane_http_requests_total{listener="api",status="202"}'] >= 1
    assert delta('dnsplane_dns_queries_total{transport="udp"}') == 1
    assert delta('dnsplane_dns_queries_total{transport="tcp"}') == 1
    assert delta('dnsplane_dns_responses_total{rcode="0"}') == 2
    assert delta("dnsplane_store_commits_total") >= 1
    assert delta("dnsplane_store_write_requests_total") == 1
    # The webhook's change was patched into the served zone, not rebuilt.
    assert delta('dnsplane_dns_zone_updates_total{how="patched"}') == 1
    assert delta('dnsplane_dns_zone_updates_total{how="rebuilt"}') == 0
    assert delta('dnsplane_webhook_changes_total{kind="create"}') == 1
