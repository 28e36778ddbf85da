"""Helpers for the DNS end-to-end tests: loading zones through the REST API,
querying with dnspython, reading zones back from the API, running Knot DNS as
a reference server, and comparing DNS responses section by section."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterable, Optional

import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsigkeyring

from dnsplane_harness import create_recordset, create_zone, free_port, list_all

LOOPBACK = "127.0.0.1"


# --- API side ------------------------------------------------------------
def load_zone(session, zone_name: str, rrsets: Iterable[tuple], email: str = None) -> dict:
    """Creates `zone_name` and its record sets through the API.
    `rrsets`: (owner, type, [records], ttl or None). Returns the zone body."""
    zone = create_zone(session, zone_name, email=email or f"hostmaster@{zone_name.rstrip('.')}")
    for owner, rtype, records, ttl in rrsets:
        fields = {} if ttl is None else {"ttl": ttl}
        create_recordset(session, zone["id"], owner, rtype, list(records), **fields)
    return zone


def api_records(session, zone: dict) -> set[tuple]:
    """Every record of the zone as the API reports it:
    {(owner, type, ttl, rdata text in dnspython's canonical form)}."""
    current = session.get(f"/v2/zones/{zone['id']}").json()
    out = set()
    for rs in list_all(session, f"/v2/zones/{zone['id']}/recordsets", "recordsets"):
        ttl = rs["ttl"] if rs["ttl"] is not None else current["ttl"]
        for data in rs["records"]:
            out.add((rs["name"].lower(), rs["type"], ttl, canonical_rdata(rs["type"], data)))
    return out


def canonical_rdata(rtype: str, text: str) -> str:
    rd = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), text,
                             origin=dns.name.root, relativize=False)
    return rd.to_text(origin=None, relativize=False)


def zone_file_from_api(session, zone: dict) -> str:
    """A zone file with exactly the records the API holds (for Knot)."""
    lines = [f"$ORIGIN {zone['name']}"]
    records = sorted(api_records(session, zone), key=lambda r: (r[1] != "SOA", r))
    for owner, rtype, ttl, data in records:
        lines.append(f"{owner} {ttl} IN {rtype} {data}")
    return "\n".join(lines) + "\n"


# --- queries ---------------------------------------------------------------
def query(port: int, qname: str, rdtype, tcp: bool = False, edns: Optional[int] = 0,
          payload: int = 1232, timeout: float = 3.0, want_dnssec: bool = False):
    """One query to 127.0.0.1:port; `edns` None sends no OPT."""
    q = dns.message.make_query(qname, rdtype, use_edns=edns, payload=payload,
                               want_dnssec=want_dnssec)
    q.flags &= ~dns.flags.RD
    send = dns.query.tcp if tcp else dns.query.udp
    return send(q, LOOPBACK, port=port, timeout=timeout)


def axfr_records(port: int, zone_name: str, tsig: Optional[tuple] = None) -> list[tuple]:
    """AXFR with dnspython's raw transfer: every RR in order, as
    (owner, type, ttl, rdata text). `tsig`: (key name, secret), hmac-sha256."""
    out = []
    signed = {}
    if tsig:
        signed = {"keyring": dns.tsigkeyring.from_text({tsig[0]: tsig[1]}), "keyname": tsig[0],
                  "keyalgorithm": "hmac-sha256"}
    for msg in dns.query.xfr(LOOPBACK, zone_name, port=port, timeout=10, lifetime=30,
                             relativize=False, **signed):
        for rrset in msg.answer:
            for rd in rrset:
                out.append((rrset.name.to_text().lower(), dns.rdatatype.to_text(rrset.rdtype),
                            rrset.ttl, rd.to_text(origin=None, relativize=False)))
    return out


def dig_axfr(port: int, zone_name: str, tool: str = "dig") -> list[tuple]:
    """AXFR through the dig or kdig command line; parsed RR lines."""
    if tool == "dig":
        cmd = ["dig", f"@{LOOPBACK}", "-p", str(port), zone_name, "AXFR", "+nocmd", "+nostats"]
    else:
        cmd = ["kdig", f"@{LOOPBACK}", "-p", str(port), zone_name, "AXFR"]
    text = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        rr = dns.rrset.from_text(*_split_rr_line(line))
        for rd in rr:
            out.append((rr.name.to_text().lower(), dns.rdatatype.to_text(rr.rdtype), rr.ttl,
                        rd.to_text(origin=None, relativize=False)))
    return out


def _split_rr_line(line: str):
    owner, ttl, rclass, rtype, data = line.split(None, 4)
    return owner, int(ttl), rclass, rtype, data


def soa_serial(port: int, zone_name: str) -> int:
    r = query(port, zone_name, "SOA")
    assert r.rcode() == dns.rcode.NOERROR, dns.rcode.to_text(r.rcode())
    return r.answer[0][0].serial


def serial_newer(a: int, b: int) -> bool:
    """RFC 1982: a is newer than b."""
    return a != b and ((a - b) % 2**32) < 2**31


# --- comparing responses -------------------------------------------------
def section_set(section) -> frozenset:
    """An order-insensitive view of a section: owner (lower case), type,
    class, TTL and the set of rdata texts per RRset."""
    return frozenset(
        (rrset.name.to_text().lower(), rrset.rdtype, rrset.rdclass, rrset.ttl,
         frozenset(rd.to_text(origin=None, relativize=False) for rd in rrset))
        for rrset in section if rrset.rdtype != dns.rdatatype.OPT)


def response_view(msg) -> dict:
    """What the differential test compares."""
    return {
        "rcode": dns.rcode.to_text(msg.rcode()),
        "aa": bool(msg.flags & dns.flags.AA),
        "tc": bool(msg.flags & dns.flags.TC),
        "edns": msg.edns,
        "answer": section_set(msg.answer),
        "authority": section_set(msg.authority),
        "additional": section_set(msg.additional),
    }


def describe_difference(a: dict, b: dict) -> str:
    lines = []
    for key in a:
        if a[key] != b[key]:
            if isinstance(a[key], frozenset):
                only_a = sorted(map(_fmt_rrset, a[key] - b[key]))
                only_b = sorted(map(_fmt_rrset, b[key] - a[key]))
                lines.append(f"  {key}: dnsplane only {only_a}; knot only {only_b}")
            else:
                lines.append(f"  {key}: dnsplane {a[key]!r}; knot {b[key]!r}")
    return "\n".join(lines)


def _fmt_rrset(t) -> str:
    name, rdtype, _cls, ttl, rdatas = t
    return f"{name} {ttl} {dns.rdatatype.to_text(rdtype)} {' | '.join(sorted(rdatas))}"


# --- Knot DNS as the reference server --------------------------------------
def knotd_path() -> Optional[str]:
    return shutil.which("knotd") or (
        "/usr/sbin/knotd" if Path("/usr/sbin/knotd").exists() else None)


class KnotServer:
    """knotd on a loopback port serving zone files, as a child process."""

    def __init__(self, workdir: Path, zones: dict[str, str], port: Optional[int] = None,
                 udp_workers: Optional[int] = None, update_key: Optional[dict] = None):
        """`update_key` ({"name", "algorithm", "secret"}): accept RFC 2136
        UPDATE signed with it (journal kept, zone file never rewritten)."""
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port(udp_too=True)
        self.zones = zones
        self.proc: Optional[subprocess.Popen] = None
        zone_entries = []
        for name, text in zones.items():
            path = self.workdir / f"{name.rstrip('.') or 'root'}.zone"
            path.write_text(text)
            zone_entries.append(
                f"  - domain: {name}\n    file: {path}\n    storage: {self.workdir}\n"
                f"    journal-content: {'changes' if update_key else 'none'}\n"
                f"    zonefile-sync: -1\n"
                f"    semantic-checks: off\n")
        workers = f"    udp-workers: {udp_workers}\n    tcp-workers: 1\n" if udp_workers else ""
        self.config = self.workdir / "knot.conf"
        self.config.write_text(
            "server:\n"
            f"    listen: {LOOPBACK}@{self.port}\n"
            f"    rundir: {self.workdir}\n"
            f"{workers}"
            "database:\n"
            f"    storage: {self.workdir}\n"
            "log:\n  - target: stderr\n    any: warning\n"
            + (f"key:\n  - id: {update_key['name']}\n    algorithm: {update_key['algorithm']}\n"
               f"    secret: {update_key['secret']}\n" if update_key else "")
            + "acl:\n  - id: local\n    address: 127.0.0.0/8\n    action: transfer\n"
            + (f"  - id: update\n    key: {update_key['name']}\n    action: update\n"
               if update_key else "")
            + "template:\n  - id: default\n    acl: "
            + ("[local, update]\n" if update_key else "local\n")
            +
            "zone:\n" + "".join(zone_entries))
        self.log = self.workdir / "knotd.log"

    def start(self, timeout: float = 15.0) -> "KnotServer":
        binary = knotd_path()
        assert binary, "knotd not installed (apt-get install knot)"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([binary, "-c", str(self.config)], stdout=log,
                                         stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        first_zone = next(iter(self.zones))
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"knotd exited: {self.log.read_text()}")
            try:
                r = query(self.port, first_zone, "SOA", timeout=0.5)
                if r.rcode() == dns.rcode.NOERROR and r.answer:
                    return self
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"knotd did not serve {first_zone}: {self.log.read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- raw sockets -----------------------------------------------------------
def udp_send_raw(port: int, payload: bytes, wait: float = 0.3) -> Optional[bytes]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(wait)
        s.sendto(payload, (LOOPBACK, port))
        try:
            return s.recv(65535)
        except socket.timeout:
            return None


def tcp_frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(2, "big") + payload


def tcp_read_message(sock: socket.socket) -> bytes:
    def exact(n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("closed by peer")
            buf += chunk
        return buf

    return exact(int.from_bytes(exact(2), "big"))


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
