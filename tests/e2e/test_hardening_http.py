"""Issue 17, HTTP layer: regression tests against the running binary.

Defect 3 (RFC 9112 framing), defect 4 (%2F decoded before routing) and
defect 8 (non-UTF-8 bytes in the access log). Requests are raw bytes over a
socket so nothing between the test and the server normalises them.
"""

from __future__ import annotations

import socket
import time

import pytest

from dnsplane_harness import create_recordset, create_zone, unique_zone_name


def raw_exchange(srv, data: bytes, timeout: float = 5.0):
    """Sends `data`, reads one response. Returns (status, headers, body, sock)."""
    sock = socket.create_connection(("127.0.0.1", srv.api_port), timeout=timeout)
    sock.sendall(data)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response; got {buf!r}"
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk
        rest += chunk
    return status, headers, rest[:length], sock


def closed_by_server(sock, timeout: float = 5.0) -> bool:
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        sock.close()


def expect_400_and_close(srv, data: bytes, message_part: str | None = None) -> dict:
    import json

    status, headers, body, sock = raw_exchange(srv, data)
    assert status == 400, body
    if b"HTTP/1.1\r\n" in data.split(b"\n", 1)[0] + b"\n":
        assert headers.get("connection", "").lower() == "close"  # (implied on HTTP/1.0)
    doc = json.loads(body)
    # The Designate error body (designate::render_error).
    assert doc["code"] == 400 and doc["type"] == "bad_request"
    assert doc["request_id"] == headers["x-openstack-request-id"]
    if message_part:
        assert message_part in doc["message"]
    assert closed_by_server(sock)
    return doc


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture(scope="module")
def zone(srv):
    return create_zone(srv.session(), unique_zone_name("http"))


def recordset_names(srv, zone_id):
    r = srv.session().get(f"/v2/zones/{zone_id}/recordsets")
    assert r.status_code == 200
    return {rs["name"] for rs in r.json()["recordsets"]}


# --- defect 3: framing -------------------------------------------------------

def test_chunked_on_http10_is_400_close_and_creates_nothing(srv, zone):
    name = "te10." + zone["name"]
    body = ('{"name": "%s", "type": "A", "records": ["192.0.2.1"]}' % name).encode()
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    data = (f"POST /v2/zones/{zone['id']}/recordsets HTTP/1.0\r\n"
            f"Host: 127.0.0.1:{srv.api_port}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode() + chunked
    expect_400_and_close(srv, data, "HTTP/1.0")
    assert name not in recordset_names(srv, zone["id"])


def test_http11_without_host_is_400(srv):
    expect_400_and_close(srv, b"GET /v2/zones HTTP/1.1\r\nAccept: application/json\r\n\r\n",
                         "Missing Host")


def test_http11_with_two_hosts_is_400(srv):
    expect_400_and_close(
        srv, b"GET /v2/zones HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n",
        "More than one Host")


@pytest.mark.parametrize("head, why", [
    (b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", None),
    (b"Transfer-Encoding: gzip\r\nContent-Length: 2\r\n", "Content-Length and Transfer"),
    (b"Transfer-Encoding: chunked, gzip\r\n", "final transfer coding"),
    (b"Transfer-Encoding: gzip, chunked\r\n", "Unsupported transfer coding"),
    (b"Content-Length: 2\r\nContent-Length: 3\r\n", None),
    (b"Content-Length: 2, 3\r\n", None),
    (b"Content-Length: x\r\n", None),
    (b"X-Folded: a\r\n b\r\nContent-Length: 2\r\n", "line folding"),
], ids=["cl_te", "te_not_chunked_with_cl", "te_final_gzip", "te_unknown_coding",
        "cl_differ", "cl_list_differ", "cl_invalid", "obs_fold"])
def test_faulty_framing_is_400_and_close(srv, zone, head, why):
    data = (f"POST /v2/zones/{zone['id']}/recordsets HTTP/1.1\r\nHost: x\r\n".encode() + head +
            b"\r\n{}")
    expect_400_and_close(srv, data, why)


@pytest.mark.parametrize("target", [b"example.org:443", b"*", b"ftp://x/v2/zones"])
def test_request_target_forms_refused(srv, target):
    expect_400_and_close(srv, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n")


def test_absolute_form_is_served_with_its_authority_as_host(srv):
    import json

    status, headers, body, sock = raw_exchange(
        srv, b"GET http://api.example:8080/v2/zones?limit=1 HTTP/1.1\r\nHost: other\r\n"
             b"Connection: close\r\n\r\n")
    sock.close()
    assert status == 200
    doc = json.loads(body)
    assert doc["links"]["self"].startswith("http://api.example:8080/v2/zones")


def test_options_asterisk_is_answered(srv):
    status, _, _, sock = raw_exchange(srv, b"OPTIONS * HTTP/1.1\r\nHost: x\r\n"
                                           b"Connection: close\r\n\r\n")
    sock.close()
    assert status == 204


# --- defect 4: routing on the raw path ---------------------------------------

def test_encoded_slash_does_not_reach_the_recordsets_route(srv, zone):
    import json

    create_recordset(srv.session(), zone["id"], "www." + zone["name"], "A", ["192.0.2.7"])
    ok = srv.session().get(f"/v2/zones/{zone['id']}/recordsets")
    assert ok.status_code == 200 and ok.json()["recordsets"]
    for path in (f"/v2/zones/{zone['id']}%2Frecordsets", f"/v2/zones/{zone['id']}%2frecordsets",
                 f"/v2%2Fzones/{zone['id']}", f"/v2/zones/{zone['id']}%00"):
        status, headers, body, sock = raw_exchange(
            srv, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        sock.close()
        assert status == 404, (path, body)
        doc = json.loads(body)
        assert doc["code"] == 404 and "recordsets" not in doc


def test_percent_encoded_ids_and_queries_still_work(srv, zone):
    # An escaped character inside an id segment decodes to the same id.
    zid = zone["id"]
    escaped = zid[:-1] + "%%%02X" % ord(zid[-1])
    r = srv.session().get(f"/v2/zones/{escaped}")
    assert r.status_code == 200 and r.json()["id"] == zid
    r = srv.session().get("/v2/zones", params={"name": zone["name"]})
    assert r.status_code == 200 and [z["id"] for z in r.json()["zones"]] == [zid]


# --- defect 8: the access log stays valid UTF-8 ------------------------------

def test_access_log_escapes_bytes_that_are_not_utf8(srv):
    marker = "utf8probe" + str(time.time_ns())
    # Raw 0xff/0xfe bytes and a C1 control (U+0085 as UTF-8) in the target
    # (the server answers 400), then a percent-encoded one (a valid target,
    # logged as sent).
    raw = b"GET /v2/" + marker.encode() + b"/\xff\xfe\xc2\x85\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n"
    status, _, _, sock = raw_exchange(srv, raw)
    sock.close()
    assert status == 400
    status, _, _, sock = raw_exchange(
        srv, b"GET /v2/" + marker.encode() + b"-pct/%FF HTTP/1.1\r\nHost: x\r\n"
             b"Connection: close\r\n\r\n")
    sock.close()
    assert status == 404
    deadline = time.time() + 5
    while time.time() < deadline:
        log = srv.stderr_path.read_bytes()
        if log.count(marker.encode()) >= 2:
            break
        time.sleep(0.05)
    log.decode("utf-8")  # the whole log is valid UTF-8 (raises otherwise)
    lines = [line for line in log.decode("utf-8").splitlines() if marker in line]
    assert len(lines) == 2, lines
    assert f'path="/v2/{marker}/\\xff\\xfe\\xc2\\x85\u00e9"' in lines[0]
    assert "status=400" in lines[0]
    assert f"path=/v2/{marker}-pct/%FF" in lines[1]
