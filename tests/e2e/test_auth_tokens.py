"""--auth token: `dnsplane token create`, 401/403/404 rules, project isolation,
admin all-projects and sudo, and tokens stored only as hashes."""

import hashlib
import sqlite3
import uuid

import pytest

from dnsplane_harness import create_zone, list_all, run_cli, sqlite_url, unique_zone_name


@pytest.fixture(scope="module")
def server(dnsplane_module_factory):
    """One token-mode server with tokens for two projects and every role."""
    srv = dnsplane_module_factory(auth="token", start=False)
    srv.tokens = {
        "admin": srv.create_token("ops", "admin"),
        "alpha_member": srv.create_token("alpha", "member"),
        "alpha_reader": srv.create_token("alpha", "reader"),
        "beta_member": srv.create_token("beta", "member"),
    }
    srv.start()
    return srv


def as_(server, who, **kw):
    return server.session(token=server.tokens[who], **kw)


def assert_error_body(r, code):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["code"] == code
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"].startswith("req-")


def test_token_create_prints_secret_as_last_line(tmp_path):
    db = sqlite_url(tmp_path / "t.db")
    r = run_cli(["token", "create", "--database", db, "--project", "p1", "--role", "member"])
    assert r.returncode == 0, r.stderr
    secret = r.stdout.strip().splitlines()[-1].strip()
    assert len(secret) >= 20 and " " not in secret
    again = run_cli(["token", "create", "--database", db, "--project", "p1", "--role", "member"])
    assert again.stdout.strip().splitlines()[-1].strip() != secret


def test_token_create_rejects_unknown_role(tmp_path):
    r = run_cli(["token", "create", "--database", sqlite_url(tmp_path / "t.db"),
                 "--project", "p1", "--role", "superuser"])
    assert r.returncode != 0
    assert "superuser" in r.stderr or "role" in r.stderr, r.stderr


def test_version_document_needs_no_token(server):
    r = server.session(token="x").get("/")
    assert r.status_code == 200
    r = server.session().get("/")  # no X-Auth-Token at all
    assert r.status_code == 200
    assert any(v["status"] == "CURRENT" for v in r.json()["versions"])


def test_missing_token_is_401(server):
    s = server.session()
    del s.headers["X-Auth-Project-ID"], s.headers["X-Roles"]
    assert_error_body(s.get("/v2/zones"), 401)


def test_noauth_headers_are_not_credentials(server):
    # In token mode the --auth none headers must not authenticate anyone.
    assert_error_body(server.session(project="alpha", roles="admin").get("/v2/zones"), 401)


def test_unknown_token_is_401(server):
    assert_error_body(server.session(token=uuid.uuid4().hex).get("/v2/zones"), 401)
    assert_error_body(server.session(token=uuid.uuid4().hex).post(
        "/v2/zones", json={"name": unique_zone_name(), "email": "a@example.org"}), 401)


def test_reader_can_list_but_not_write(server):
    assert as_(server, "alpha_reader").get("/v2/zones").status_code == 200
    r = as_(server, "alpha_reader").post(
        "/v2/zones", json={"name": unique_zone_name(), "email": "a@example.org"})
    assert_error_body(r, 403)


def test_member_creates_in_its_project_and_reader_sees_it(server):
    zone = create_zone(as_(server, "alpha_member"))
    assert zone["project_id"] == "alpha"
    names = [z["name"] for z in list_all(as_(server, "alpha_reader"), "/v2/zones", "zones")]
    assert zone["name"] in names
    r = as_(server, "alpha_reader").delete(f"/v2/zones/{zone['id']}")
    assert_error_body(r, 403)


def test_other_project_gets_404(server):
    zone = create_zone(as_(server, "alpha_member"))
    beta = as_(server, "beta_member")
    assert_error_body(beta.get(f"/v2/zones/{zone['id']}"), 404)
    assert_error_body(beta.delete(f"/v2/zones/{zone['id']}"), 404)
    assert_error_body(beta.get(f"/v2/zones/{zone['id']}/recordsets"), 404)
    assert zone["id"] not in [z["id"] for z in list_all(beta, "/v2/zones", "zones")]
    # The zone is untouched.
    assert as_(server, "alpha_member").get(f"/v2/zones/{zone['id']}").status_code == 200


def test_member_cannot_escape_its_project_with_headers(server):
    zone = create_zone(as_(server, "alpha_member"))
    beta = as_(server, "beta_member")
    beta.headers.update({"X-Auth-Project-ID": "alpha", "X-Roles": "admin"})
    assert_error_body(beta.get(f"/v2/zones/{zone['id']}"), 404)


def test_admin_all_projects_sees_every_project(server):
    a = create_zone(as_(server, "alpha_member"))
    b = create_zone(as_(server, "beta_member"))
    own = {z["id"] for z in list_all(as_(server, "admin"), "/v2/zones", "zones")}
    assert a["id"] not in own and b["id"] not in own
    every = list_all(as_(server, "admin", all_projects=True), "/v2/zones", "zones")
    ids = {z["id"]: z["project_id"] for z in every}
    assert ids.get(a["id"]) == "alpha" and ids.get(b["id"]) == "beta"


def test_non_admin_all_projects_is_403(server):
    assert_error_body(as_(server, "alpha_member", all_projects=True).get("/v2/zones"), 403)
    assert_error_body(as_(server, "alpha_reader", all_projects=True).get("/v2/zones"), 403)


def test_admin_sudo_acts_as_project(server):
    zone = create_zone(as_(server, "alpha_member"))
    admin = as_(server, "admin")
    admin.headers["X-Auth-Sudo-Project-ID"] = "alpha"
    r = admin.get(f"/v2/zones/{zone['id']}")
    assert r.status_code == 200, r.text
    member = as_(server, "beta_member")
    member.headers["X-Auth-Sudo-Project-ID"] = "alpha"
    assert_error_body(member.get(f"/v2/zones/{zone['id']}"), 403)


@pytest.mark.sqlite_only
def test_token_store_holds_only_hashes(server):
    secrets = list(server.tokens.values())
    # Every text cell of every table, read through SQLite (WAL included).
    con = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        cells = []
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in con.execute(f'SELECT * FROM "{table}"'):
                cells.extend(str(c) for c in row if c is not None)
    finally:
        con.close()
    blob = "\n".join(cells)
    for secret in secrets:
        assert secret not in blob
        assert hashlib.sha256(secret.encode()).hexdigest() in blob
    # And not in the raw files either (journal / WAL pages).
    for f in server.db_path.parent.glob(server.db_path.name + "*"):
        raw = f.read_bytes()
        for secret in secrets:
            assert secret.encode() not in raw, f"secret found in {f}"
