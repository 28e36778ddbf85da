"""The dnsplane command line: version, start-up failures with clear messages,
the loopback safety rule, configuration precedence, graceful shutdown, and
the request log (which must never carry secrets)."""

import re
import signal
import socket
import uuid

import pytest
import requests

from dnsplane_harness import create_zone, free_port, run_cli, sqlite_url

SERVE_TIMEOUT = 15  # a serve that must fail at start-up has this long to exit


def answers(port: int) -> bool:
    """Whether something answers GET / on 127.0.0.1:port."""
    try:
        return requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def access_lines(text: str) -> list[dict]:
    """The structured request log lines (`access key=value ...`) as dicts."""
    out = []
    for line in text.splitlines():
        m = re.search(r"\baccess (.*)$", line)
        if m:
            out.append(dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', m[1])))
    return out


def serve_args(tmp_path, api_listen=None, database=None, extra=()):
    return ["serve", "--database", database or sqlite_url(tmp_path / "d.db"),
            "--api-listen", api_listen or f"127.0.0.1:{free_port()}",
            "--dns-listen", f"127.0.0.1:{free_port(udp_too=True)}",
            "--webhook-listen", "127.0.0.1:0", "--health-listen", "127.0.0.1:0", *extra]


def test_version_prints_name_and_version():
    r = run_cli(["version"])
    assert r.returncode == 0, r.stderr
    assert "dnsplane" in r.stdout
    assert re.search(r"\b\d+\.\d+\.\d+\b", r.stdout), r.stdout


def test_unknown_flag_is_rejected(tmp_path):
    r = run_cli(serve_args(tmp_path, extra=["--no-such-flag"]), timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert "no-such-flag" in r.stderr + r.stdout


def test_taken_api_port_fails_with_clear_message(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        r = run_cli(serve_args(tmp_path, api_listen=f"127.0.0.1:{port}"), timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert f"127.0.0.1:{port}" in r.stderr, r.stderr
    assert re.search(r"in use", r.stderr, re.I), r.stderr


def test_taken_dns_port_fails_with_clear_message(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        r = run_cli(["serve", "--database", sqlite_url(tmp_path / "d.db"),
                     "--api-listen", f"127.0.0.1:{free_port()}",
                     "--dns-listen", f"127.0.0.1:{port}"], timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert str(port) in r.stderr, r.stderr
    assert "Address already in use" in r.stderr, r.stderr


def test_taken_dns_tcp_port_names_the_reason(tmp_path):
    # Only TCP is held: the UDP bind succeeds, the TCP bind must fail clearly.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        r = run_cli(["serve", "--database", sqlite_url(tmp_path / "d.db"),
                     "--api-listen", f"127.0.0.1:{free_port()}",
                     "--dns-listen", f"127.0.0.1:{port}"], timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert f"TCP 127.0.0.1:{port}" in r.stderr, r.stderr
    assert "Address already in use" in r.stderr, r.stderr


def test_unopenable_database_fails_with_clear_message(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a regular file where a folder is needed")
    db = blocker / "sub" / "dnsplane.db"
    r = run_cli(serve_args(tmp_path, database=sqlite_url(db)), timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert str(blocker) in r.stderr, r.stderr
    assert "terminate called" not in r.stderr  # a handled error, not a crash


def test_unsupported_database_scheme_is_rejected(tmp_path):
    r = run_cli(serve_args(tmp_path, database="mysql://localhost/dnsplane"),
                timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert "mysql" in r.stderr, r.stderr


def test_refuses_non_loopback_listen_without_auth(tmp_path):
    port = free_port()
    r = run_cli(serve_args(tmp_path, api_listen=f"0.0.0.0:{port}", extra=["--auth", "none"]),
                timeout=SERVE_TIMEOUT)
    assert r.returncode != 0
    assert "insecure" in r.stderr, r.stderr
    assert not answers(port)


def test_non_loopback_listen_allowed_with_insecure(dnsplane_factory):
    srv = dnsplane_factory(start=False)
    srv.flags.update({"api-listen": f"0.0.0.0:{srv.api_port}", "auth": "none", "insecure": True})
    srv.start()
    assert answers(srv.api_port)
    srv.stop()


def test_non_loopback_listen_allowed_with_token_auth(dnsplane_factory):
    srv = dnsplane_factory(auth="token", start=False)
    srv.flags["api-listen"] = f"0.0.0.0:{srv.api_port}"
    srv.start()
    assert answers(srv.api_port)
    srv.stop()


class TestConfigPrecedence:
    """api_listen from the TOML file < DNSPLANE_API_LISTEN < --api-listen:
    observed by which port answers."""

    def make(self, dnsplane_factory, env=None, flag_port=None):
        self.file_port, self.env_port = free_port(), free_port()
        srv = dnsplane_factory(
            config_text=f'api_listen = "127.0.0.1:{self.file_port}"\n',
            env=env(self) if env else None,
            flags={"api-listen": f"127.0.0.1:{flag_port}" if flag_port else None},
            start=False)
        return srv

    def test_file_sets_listen_address(self, dnsplane_factory):
        srv = self.make(dnsplane_factory)
        srv.api_port = self.file_port
        srv.start()
        assert answers(self.file_port)

    def test_environment_overrides_file(self, dnsplane_factory):
        srv = self.make(dnsplane_factory,
                        env=lambda t: {"DNSPLANE_API_LISTEN": f"127.0.0.1:{t.env_port}"})
        srv.api_port = self.env_port
        srv.start()
        assert answers(self.env_port)
        assert not answers(self.file_port)

    def test_flag_overrides_environment_and_file(self, dnsplane_factory):
        flag_port = free_port()
        srv = self.make(dnsplane_factory, flag_port=flag_port,
                        env=lambda t: {"DNSPLANE_API_LISTEN": f"127.0.0.1:{t.env_port}"})
        srv.api_port = flag_port
        srv.start()
        assert answers(flag_port)
        assert not answers(self.env_port)
        assert not answers(self.file_port)


def test_environment_sets_database(dnsplane_factory, tmp_path):
    db = tmp_path / "from-env.db"
    srv = dnsplane_factory(flags={"database": None}, env={"DNSPLANE_DATABASE": sqlite_url(db)})
    create_zone(srv.session())
    srv.stop()
    assert db.exists() and db.stat().st_size > 0


def test_bad_config_file_fails_with_clear_message(dnsplane_factory):
    srv = dnsplane_factory(config_text="api_listen = [unterminated\n", start=False)
    proc = srv.spawn()
    assert proc.wait(SERVE_TIMEOUT) != 0
    assert str(srv.config_path) in srv.stderr_text(), srv.stderr_text()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_cleanly_and_requests_are_logged(dnsplane, sig):
    s = dnsplane.session()
    assert s.get("/v2/zones").status_code == 200
    missing = f"/v2/zones/{uuid.uuid4()}"
    r = s.get(missing)
    assert r.status_code == 404
    request_id = r.json()["request_id"]

    dnsplane.proc.send_signal(sig)
    assert dnsplane.proc.wait(10) == 0, dnsplane.stderr_text()

    lines = access_lines(dnsplane.stderr_text())
    mine = [e for e in lines if e.get("request_id") == request_id]
    assert len(mine) == 1, dnsplane.stderr_text()
    entry = mine[0]
    assert entry["method"] == "GET"
    assert entry["path"] == missing
    assert entry["status"] == "404"
    assert float(entry["duration_ms"]) >= 0
    assert re.fullmatch(r"req-[0-9a-f-]{36}", request_id)
    listed = [e for e in lines if e.get("path") == "/v2/zones" and e.get("status") == "200"]
    assert len(listed) == 1


def test_stop_is_prompt_with_idle_keepalive_connection(dnsplane):
    s = dnsplane.session()
    assert s.get("/").status_code == 200  # leaves an idle keep-alive connection open
    dnsplane.stop(timeout=5)


def test_secrets_never_logged(dnsplane_factory):
    srv = dnsplane_factory(auth="token", start=False, extra_args=["--log-level", "debug"])
    token = srv.create_token("alpha", "member")
    srv.start()
    good = srv.session(token=token)
    zone = create_zone(good)
    assert good.get(f"/v2/zones/{zone['id']}").status_code == 200
    unknown = "bogus-" + uuid.uuid4().hex
    assert srv.session(token=unknown).get("/v2/zones").status_code == 401
    srv.stop()

    logs = srv.stderr_text() + srv.stdout_text()
    assert len(access_lines(logs)) >= 3, logs  # the requests were logged...
    assert token not in logs  # ...but never the credentials
    assert unknown not in logs
