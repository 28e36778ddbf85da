"""Helpers for the RFC 2136 UPDATE tests: TSIG keys through the Designate
API, nsupdate runs (-y and -k), and dig answers."""

from __future__ import annotations

import base64
import os
import re
import subprocess
from pathlib import Path
from typing import Optional

LOOPBACK = "127.0.0.1"


def new_secret(size: int = 32) -> str:
    return base64.b64encode(os.urandom(size)).decode()


def pool_id(session) -> str:
    r = session.get("/v2/pools")
    assert r.status_code == 200, r.text
    return r.json()["pools"][0]["id"]


def create_tsigkey(session, name: str, scope: str, resource_id: str,
                   algorithm: str = "hmac-sha256", secret: Optional[str] = None) -> dict:
    body = {"name": name, "algorithm": algorithm, "secret": secret or new_secret(),
            "scope": scope, "resource_id": resource_id}
    r = session.post("/v2/tsigkeys", json=body)
    assert r.status_code == 201, f"create tsigkey: {r.status_code} {r.text}"
    return r.json()


def nsupdate(port: int, commands: list[str], key: Optional[dict] = None,
             keyfile: Optional[Path] = None, tcp: bool = False, timeout: float = 20):
    """Runs nsupdate against 127.0.0.1:port with `commands` (a `send` is
    appended). `key`: a tsigkey body for -y; `keyfile`: a BIND key file for
    -k. Returns (returncode, combined output)."""
    args = ["nsupdate", "-t", "5", "-r", "0"]
    if tcp:
        args.append("-v")
    if key is not None:
        args += ["-y", f"{key['algorithm']}:{key['name']}:{key['secret']}"]
    if keyfile is not None:
        args += ["-k", str(keyfile)]
    script = "\n".join([f"server {LOOPBACK} {port}", *commands, "send", ""])
    p = subprocess.run(args, input=script, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def update_result(output: str) -> str:
    """The RCODE nsupdate reports: NOERROR when it printed no failure."""
    m = re.search(r"update failed: ([A-Z]+)", output)
    if m:
        return m.group(1)
    if "TSIG error" in output or "tsig" in output.lower() and "error" in output.lower():
        return "TSIGERROR"
    return "NOERROR"


def write_keyfile(path: Path, key: dict) -> Path:
    path.write_text(f'key "{key["name"]}" {{\n  algorithm {key["algorithm"]};\n'
                    f'  secret "{key["secret"]}";\n}};\n')
    return path


def dig(port: int, name: str, rtype: str = "A", tcp: bool = False) -> list[str]:
    """The answer's rdata (dig +short)."""
    args = ["dig", f"@{LOOPBACK}", "-p", str(port), name, rtype, "+short", "+norec",
            "+time=3", "+tries=1"]
    if tcp:
        args.append("+tcp")
    p = subprocess.run(args, capture_output=True, text=True, timeout=15)
    return sorted(line for line in p.stdout.splitlines() if line.strip())
