"""Built-in identity endpoint (/identity/v3): `dnsplane user create`, Keystone
v3 password authentication, token validation/revocation, and the real
`openstack` CLI authenticating against it (no Keystone) with --auth token."""

import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from dnsplane_harness import run_cli, unique_zone_name

PASSWORD = "s3cret-pass"


def create_user(srv, name, project, role, password=PASSWORD, project_id=None):
    args = ["user", "create", "--database", srv.db_url, "--name", name, "--password", password,
            "--project", project, "--role", role]
    if project_id:
        args += ["--project-id", project_id]
    r = run_cli(args)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def server(dnsplane_module_factory):
    srv = dnsplane_module_factory(auth="token", start=False)
    srv.user_ids = {
        "alice": create_user(srv, "alice", "acme", "member"),
        "root": create_user(srv, "root", "ops", "admin", project_id="ops-id"),
        "rita": create_user(srv, "rita", "acme", "reader"),
        "bob": create_user(srv, "bob", "beta", "member"),
    }
    srv.start()
    return srv


def password_auth(user, password=PASSWORD, scope=None, by_id=None):
    u = {"id": by_id} if by_id else {"name": user, "domain": {"name": "Default"}}
    u["password"] = password
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": u}}}}
    if scope is not None:
        body["auth"]["scope"] = scope
    return body


def issue(server, user, **kw):
    return server.session(token=None).post("/identity/v3/auth/tokens",
                                           json=password_auth(user, **kw))


def token_of(server, user, **kw):
    r = issue(server, user, **kw)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def assert_keystone_error(r, code):
    assert r.status_code == code, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["title"] and err["message"]


@pytest.mark.sqlite_only  # reads the SQLite file
def test_user_create_stores_only_a_pbkdf2_hash(server):
    db = sqlite3.connect(server.db_path)
    try:
        row = db.execute("SELECT name, project_id, project_name, role, password_hash FROM users "
                         "WHERE name = 'alice'").fetchone()
    finally:
        db.close()
    assert row[:4] == ("alice", "acme", "acme", "member")
    scheme, iterations, salt, key = row[4].split("$")
    assert scheme == "pbkdf2-sha256" and int(iterations) >= 100000
    assert PASSWORD not in row[4] and salt and key


def test_user_create_rejects_bad_input_and_duplicates(server):
    for args, why in [(["--role", "root"], "role"), (["--password", ""], "password")]:
        base = {"--name": "x-" + why, "--password": "pw", "--project": "p", "--role": "member"}
        base.update(dict(zip(args[::2], args[1::2])))
        cmd = ["user", "create", "--database", server.db_url]
        for k, v in base.items():
            cmd += [k, v]
        r = run_cli(cmd)
        assert r.returncode == 1 and why in r.stderr, r.stderr
    dup = run_cli(["user", "create", "--database", server.db_url, "--name", "alice",
                   "--password", "other", "--project", "acme", "--role", "admin"])
    assert dup.returncode == 1 and "already exists" in dup.stderr
    # The rejected duplicate changed nothing: alice keeps her password and role.
    r = issue(server, "alice")
    assert r.status_code == 201
    assert [x["name"] for x in r.json()["token"]["roles"]] == ["member", "reader"]


def test_password_file_from_stdin(server, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("from-file\n")
    r = run_cli(["user", "create", "--database", server.db_url, "--name", "filed",
                 "--password-file", str(pw), "--project", "acme", "--role", "reader"])
    assert r.returncode == 0, r.stderr
    assert issue(server, "filed", password="from-file").status_code == 201


def test_version_documents(server):
    s = server.session(token=None)
    r = s.get("/identity/v3")
    assert r.status_code == 200
    v = r.json()["version"]
    assert v["id"].startswith("v3.") and v["status"] == "stable"
    assert v["links"][0]["href"] == server.api + "/identity/v3/"
    r = s.get("/identity")
    assert r.status_code == 300
    assert r.json()["versions"]["values"][0]["id"] == v["id"]


def test_password_auth_issues_scoped_token_with_catalog(server):
    r = issue(server, "alice", scope={"project": {"name": "acme", "domain": {"id": "default"}}})
    assert r.status_code == 201, r.text
    assert len(r.headers["X-Subject-Token"]) >= 32
    t = r.json()["token"]
    assert t["methods"] == ["password"]
    assert t["user"]["name"] == "alice" and t["user"]["id"] == server.user_ids["alice"]
    assert t["project"] == {"id": "acme", "name": "acme",
                            "domain": {"id": "default", "name": "Default"}}
    assert t["expires_at"].endswith("Z") and t["expires_at"] > t["issued_at"]
    dns = [s for s in t["catalog"] if s["type"] == "dns"]
    assert len(dns) == 1
    assert sorted(e["interface"] for e in dns[0]["endpoints"]) == ["admin", "internal", "public"]
    assert all(e["url"] == server.api for e in dns[0]["endpoints"])
    # Scope by project id; no scope means the user's project.
    r = issue(server, "root", scope={"project": {"id": "ops-id"}})
    assert r.status_code == 201 and r.json()["token"]["project"]["name"] == "ops"
    assert [x["name"] for x in r.json()["token"]["roles"]] == ["admin", "member", "reader"]
    assert issue(server, "root").json()["token"]["project"]["id"] == "ops-id"
    # By user id.
    assert issue(server, None, by_id=server.user_ids["bob"]).status_code == 201


def test_bad_credentials_and_scopes_are_401(server):
    assert_keystone_error(issue(server, "alice", password="wrong"), 401)
    assert_keystone_error(issue(server, "nobody"), 401)
    assert_keystone_error(issue(server, "alice", scope={"project": {"name": "beta"}}), 401)
    assert_keystone_error(issue(server, "alice", scope={"domain": {"id": "default"}}), 401)
    r = server.session(token=None).post("/identity/v3/auth/tokens", json={"auth": {}})
    assert_keystone_error(r, 400)
    r = server.session(token=None).post("/identity/v3/auth/tokens", data="{",
                                        headers={"Content-Type": "application/json"})
    assert_keystone_error(r, 400)


def test_issued_token_acts_in_its_project_with_its_role(server):
    alice = server.session(token=token_of(server, "alice"))
    zone = alice.post("/v2/zones", json={"name": unique_zone_name("idt"),
                                         "email": "h@example.org"})
    assert zone.status_code == 202, zone.text
    assert zone.json()["project_id"] == "acme"
    rita = server.session(token=token_of(server, "rita"))
    assert rita.get(f"/v2/zones/{zone.json()['id']}").status_code == 200
    assert rita.post("/v2/zones", json={"name": unique_zone_name("idt"),
                                        "email": "h@example.org"}).status_code == 403
    bob = server.session(token=token_of(server, "bob"))
    assert bob.get(f"/v2/zones/{zone.json()['id']}").status_code == 404
    root = server.session(token=token_of(server, "root"), all_projects=True)
    ids = [z["id"] for z in root.get("/v2/zones").json()["zones"]]
    assert zone.json()["id"] in ids
    # A system-scoped token has no project: 403 on project resources.
    sys_token = token_of(server, "root", scope={"system": {"all": True}})
    r = server.session(token=sys_token).get("/v2/zones")
    assert r.status_code == 403


def test_validate_and_revoke(server):
    alice_tok = token_of(server, "alice")
    bob_tok = token_of(server, "bob")
    root_tok = token_of(server, "root")
    s = server.session(token=None)
    r = s.get("/identity/v3/auth/tokens",
              headers={"X-Auth-Token": alice_tok, "X-Subject-Token": alice_tok})
    assert r.status_code == 200 and r.json()["token"]["user"]["name"] == "alice"
    r = s.get("/identity/v3/auth/tokens?nocatalog",
              headers={"X-Auth-Token": root_tok, "X-Subject-Token": alice_tok})
    assert r.status_code == 200 and "catalog" not in r.json()["token"]
    # A member may not look at another user's token; unknown tokens are 404.
    assert_keystone_error(s.get("/identity/v3/auth/tokens",
                                headers={"X-Auth-Token": bob_tok, "X-Subject-Token": alice_tok}),
                          403)
    assert_keystone_error(s.get("/identity/v3/auth/tokens",
                                headers={"X-Auth-Token": root_tok, "X-Subject-Token": "nope"}),
                          404)
    assert_keystone_error(s.get("/identity/v3/auth/tokens",
                                headers={"X-Subject-Token": alice_tok}), 401)
    r = s.delete("/identity/v3/auth/tokens",
                 headers={"X-Auth-Token": root_tok, "X-Subject-Token": alice_tok})
    assert r.status_code == 204
    assert server.session(token=alice_tok).get("/v2/zones").status_code == 401
    # Re-scoping with the token method needs a live token.
    r = s.post("/identity/v3/auth/tokens", json={"auth": {"identity": {
        "methods": ["token"], "token": {"id": bob_tok}}}})
    assert r.status_code == 201 and r.json()["token"]["user"]["name"] == "bob"
    r = s.post("/identity/v3/auth/tokens", json={"auth": {"identity": {
        "methods": ["token"], "token": {"id": alice_tok}}}})
    assert_keystone_error(r, 401)


def test_projects_are_minted_by_admins(server):
    root = server.session(token=token_of(server, "root"))
    r = root.post("/identity/v3/projects",
                  json={"project": {"name": "boundary", "description": "for quotas"}})
    assert r.status_code == 201, r.text
    project = r.json()["project"]
    assert project["name"] == "boundary" and project["domain_id"] == "default"
    assert len(project["id"]) == 32 and int(project["id"], 16) >= 0
    assert project["enabled"] is True and project["description"] == "for quotas"
    again = root.post("/identity/v3/projects", json={"project": {"name": "boundary"}})
    assert again.json()["project"]["id"] != project["id"]
    # The new project is usable at once: an admin acts in it and sets its quotas.
    sudo = server.session(token=token_of(server, "root"))
    sudo.headers["X-Auth-Sudo-Project-ID"] = project["id"]
    zone = sudo.post("/v2/zones", json={"name": unique_zone_name("proj"),
                                        "email": "h@example.org"})
    assert zone.status_code == 202 and zone.json()["project_id"] == project["id"]
    assert root.patch(f"/v2/quotas/{project['id']}", json={"zones": 1}).status_code == 200
    over = sudo.post("/v2/zones", json={"name": unique_zone_name("proj"),
                                        "email": "h@example.org"})
    assert over.status_code == 413 and over.json()["type"] == "over_quota"
    assert root.delete(f"/identity/v3/projects/{project['id']}").status_code == 204
    # Bad bodies are 400, members 403, no token 401.
    assert_keystone_error(root.post("/identity/v3/projects", json={"project": {}}), 400)
    assert_keystone_error(root.post("/identity/v3/projects", json={"name": "x"}), 400)
    alice = server.session(token=token_of(server, "alice"))
    assert_keystone_error(alice.post("/identity/v3/projects",
                                     json={"project": {"name": "mine"}}), 403)
    assert_keystone_error(alice.delete(f"/identity/v3/projects/{project['id']}"), 403)
    assert_keystone_error(server.session(token=None).post(
        "/identity/v3/projects", json={"project": {"name": "anon"}}), 401)


@pytest.mark.sqlite_only  # edits the SQLite file
def test_expired_token_is_refused(server):
    tok = token_of(server, "bob")
    db = sqlite3.connect(server.db_path)
    try:
        import hashlib
        db.execute("UPDATE tokens SET expires_at = '2000-01-01T00:00:00.000000' WHERE hash = ?",
                   (hashlib.sha256(tok.encode()).hexdigest(),))
        db.commit()
    finally:
        db.close()
    assert server.session(token=tok).get("/v2/zones").status_code == 401


def openstack_as(server, user: str, project: str):
    """The openstack CLI's arguments and environment for `user` in `project`
    against the built-in identity endpoint (no OS_* variables leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    base = ["openstack", "--os-auth-url", server.api + "/identity/v3",
            "--os-identity-api-version", "3",
            "--os-username", user, "--os-password", PASSWORD,
            "--os-project-name", project, "--os-user-domain-name", "Default",
            "--os-project-domain-name", "Default"]
    return base, env


@pytest.mark.skipif(shutil.which("openstack") is None, reason="openstack CLI not installed")
def test_openstack_cli_authenticates_against_builtin_identity(server):
    base, env = openstack_as(server, "alice", "acme")
    name = unique_zone_name("osc-id")

    def osc(*args):
        done = subprocess.run(base + list(args) + ["-f", "json"], env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    created = osc("zone", "create", name, "--email", "h@example.org")
    assert created["project_id"] == "acme"
    listed = osc("zone", "list")
    assert name in [z["name"] for z in listed]
    assert osc("token", "issue")["project_id"] == "acme"


@pytest.mark.skipif(shutil.which("openstack") is None, reason="openstack CLI not installed")
def test_openstack_cli_project_create(server):
    base, env = openstack_as(server, "root", "ops")
    done = subprocess.run(base + ["project", "create", "cli-project", "-f", "json"], env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    project = json.loads(done.stdout)
    assert project["name"] == "cli-project" and len(project["id"]) == 32
