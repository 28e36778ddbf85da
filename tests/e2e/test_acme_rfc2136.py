"""A real ACME DNS-01 issuance against dnsplane: Debian's `pebble` (ACME test
CA) validates through dnsplane's DNS port, and `certbot certonly
--dns-rfc2136` publishes and removes the `_acme-challenge` TXT record with
TSIG-signed RFC 2136 UPDATEs (and signed SOA lookups). One pebble and one
certbot run per module."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from dnsplane_harness import create_zone, free_port
from update_support import create_tsigkey, dig, pool_id

pytestmark = pytest.mark.skipif(
    not (shutil.which("pebble") and shutil.which("certbot")),
    reason="pebble and certbot (python3-certbot-dns-rfc2136) are needed")


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture(scope="module")
def pebble(tmp_path_factory, dnsplane_module):
    d = tmp_path_factory.mktemp("pebble")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"),
                    "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    port, mgmt = free_port(), free_port()
    (d / "config.json").write_text(json.dumps({"pebble": {
        "listenAddress": f"127.0.0.1:{port}", "managementListenAddress": f"127.0.0.1:{mgmt}",
        "certificate": str(d / "cert.pem"), "privateKey": str(d / "key.pem"),
        "httpPort": free_port(), "tlsPort": free_port(), "ocspResponderURL": "",
        "externalAccountBindingRequired": False}}))
    env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0")
    log = open(d / "pebble.log", "wb")
    proc = subprocess.Popen(["pebble", "-config", str(d / "config.json"), "-dnsserver",
                             f"127.0.0.1:{dnsplane_module.dns_port}", "-strict", "false"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=d)
    try:
        wait_port(port)
        yield {"url": f"https://127.0.0.1:{port}/dir", "ca": d / "cert.pem", "dir": d}
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_certbot_dns_rfc2136_issues_a_certificate(dnsplane_module, pebble, tmp_path):
    srv = dnsplane_module
    admin = srv.session()
    zone = create_zone(admin, f"acme{os.urandom(4).hex()}.example.org.")
    key = create_tsigkey(admin, "certbot-key.", "ZONE", zone["id"], algorithm="hmac-sha512")
    domain = "www." + zone["name"].rstrip(".")
    creds = tmp_path / "rfc2136.ini"
    creds.write_text(f"dns_rfc2136_server = 127.0.0.1\ndns_rfc2136_port = {srv.dns_port}\n"
                     f"dns_rfc2136_name = {key['name']}\ndns_rfc2136_secret = {key['secret']}\n"
                     "dns_rfc2136_algorithm = HMAC-SHA512\n")
    creds.chmod(0o600)
    env = dict(os.environ, REQUESTS_CA_BUNDLE=str(pebble["ca"]))
    p = subprocess.run(
        ["certbot", "certonly", "--non-interactive", "--agree-tos", "-m", "admin@example.org",
         "--server", pebble["url"], "--dns-rfc2136", "--dns-rfc2136-credentials", str(creds),
         "--dns-rfc2136-propagation-seconds", "1", "-d", domain,
         "--config-dir", str(tmp_path / "config"), "--work-dir", str(tmp_path / "work"),
         "--logs-dir", str(tmp_path / "logs")],
        capture_output=True, text=True, env=env, timeout=180)
    logs = (tmp_path / "logs" / "letsencrypt.log")
    detail = p.stdout + p.stderr + (logs.read_text()[-4000:] if logs.exists() else "")
    assert p.returncode == 0, detail
    cert = tmp_path / "config" / "live" / domain / "fullchain.pem"
    assert cert.exists(), detail
    text = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"],
                          capture_output=True, text=True, check=True).stdout
    assert f"DNS:{domain}" in text
    # The challenge record is gone again, in DNS and in the API.
    assert dig(srv.dns_port, f"_acme-challenge.{domain}.", "TXT") == []
    sets = admin.get(f"/v2/zones/{zone['id']}/recordsets?type=TXT").json()["recordsets"]
    assert not [s for s in sets if s["name"].startswith("_acme-challenge")]
    # dnsplane logged the two UPDATEs (add, delete) under the key's name.
    out = srv.stdout_text() + srv.stderr_text()
    updates = [ln for ln in out.splitlines() if "dns update" in ln and zone["name"] in ln]
    assert len([ln for ln in updates if "key=certbot-key." in ln and "NOERROR" in ln]) >= 2
    assert key["secret"] not in out
