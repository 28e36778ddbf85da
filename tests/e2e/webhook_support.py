"""Helpers of the ExternalDNS webhook tests: a client of the webhook
listener and raw-socket requests for exact header bytes."""

from __future__ import annotations

import json
import socket
from typing import Optional

import requests

MEDIA = "application/external.dns.webhook+json;version=1"


class Webhook:
    """Calls the webhook as ExternalDNS does (headers as the client sends them)."""

    def __init__(self, base: str, auth: Optional[tuple] = None):
        self.base = base
        self.s = requests.Session()
        if auth:
            self.s.auth = auth

    def negotiate(self):
        return self.s.get(self.base + "/", headers={"Accept": MEDIA}, timeout=10)

    def records(self):
        return self.s.get(self.base + "/records", headers={"Accept": MEDIA}, timeout=30)

    def adjust(self, endpoints):
        return self.s.post(self.base + "/adjustendpoints", data=json.dumps(endpoints),
                           headers={"Accept": MEDIA, "Content-Type": MEDIA}, timeout=30)

    def apply(self, changes):
        body = changes if isinstance(changes, (str, bytes)) else json.dumps(changes)
        return self.s.post(self.base + "/records", data=body,
                           headers={"Content-Type": MEDIA}, timeout=30)


def raw_request(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Sends `data` on a fresh connection and reads until the server closes
    or a complete response head + Content-Length body arrived."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        buf = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if len(body) >= length:
                    break
        return buf


def endpoint(name, rtype, targets, ttl=0, set_id="", labels=None, ps=None):
    e = {"dnsName": name, "recordType": rtype, "targets": list(targets)}
    if ttl:
        e["recordTTL"] = ttl
    if set_id:
        e["setIdentifier"] = set_id
    if labels:
        e["labels"] = labels
    if ps:
        e["providerSpecific"] = ps
    return e
