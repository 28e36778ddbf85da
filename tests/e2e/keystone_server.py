"""A local Keystone for the e2e tests: Debian's python3-keystone on SQLite,
set up and served by one Python process.

    /usr/bin/python3 keystone_server.py CONFIG_FILE < spec.json

spec.json: {"admin_password": "...", "users": [[name, project, role, password], ...]}
(role: admin, member or reader; the project is created if needed).
The process binds a free loopback port, creates the schema, the Fernet key
repositories, the bootstrap admin (with this URL as the identity endpoint) and
the users, then prints "READY <port>" and serves until terminated.

Why not `keystone-manage` + `keystone-wsgi-public`: each keystone-manage run
pays Keystone's import time again (seconds on a loaded host, once per user),
and keystone-wsgi-public serves with wsgiref's single-threaded server, so a
token validation waits behind any other request. Here the set-up happens in
the serving process and requests are served by a thread each."""

import json
import os
import socketserver
import sys
import uuid
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # The default backlog (5) is short when a client opens several
    # connections at once.
    request_queue_size = 64


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        pass  # Keystone logs every request to its log_file already


def set_up(url, spec):
    from keystone.cmd import bootstrap
    from keystone.common import fernet_utils
    from keystone.common.sql import upgrades
    from keystone.credential.providers import fernet as credential_fernet
    import keystone.conf

    conf = keystone.conf.CONF
    upgrades.offline_sync_database_to_version()
    for repository, max_keys, group in [
            (conf.fernet_tokens.key_repository, conf.fernet_tokens.max_active_keys,
             "fernet_tokens"),
            (conf.fernet_receipts.key_repository, conf.fernet_receipts.max_active_keys,
             "fernet_receipts"),
            (conf.credential.key_repository, credential_fernet.MAX_ACTIVE_KEYS, "credential")]:
        keys = fernet_utils.FernetUtils(repository, max_keys, group)
        keys.create_key_directory()
        if keys.validate_key_repository(requires_write=True):
            keys.initialize_key_repository()
    # The bootstrap admin, its project, the roles admin > member > reader
    # and the identity endpoint.
    boot = bootstrap.Bootstrapper()
    boot.immutable_roles = True
    boot.service_name = "keystone"
    boot.admin_username, boot.admin_password = "admin", spec["admin_password"]
    boot.project_name, boot.admin_role_name = "admin", "admin"
    boot.admin_url = boot.public_url = boot.internal_url = url + "/v3/"
    boot.region_id = "RegionOne"
    boot.bootstrap()
    # The other users through Keystone's managers: bootstrap() itself would
    # make its role imply "member" (a reader would act as a member).
    for name, project, role, password in spec["users"]:
        add_user(name, project, role, password)


def add_user(name, project_name, role_name, password):
    from keystone import exception
    from keystone.common import driver_hints, provider_api
    import keystone.conf

    providers = provider_api.ProviderAPIs
    domain_id = keystone.conf.CONF.identity.default_domain_id
    try:
        project = providers.resource_api.get_project_by_name(project_name, domain_id)
    except exception.ProjectNotFound:
        project_id = uuid.uuid4().hex
        project = providers.resource_api.create_project(project_id, {
            "id": project_id, "name": project_name, "domain_id": domain_id,
            "enabled": True, "description": ""})
    user = providers.identity_api.create_user({
        "name": name, "domain_id": domain_id, "password": password, "enabled": True})
    hints = driver_hints.Hints()
    hints.add_filter("name", role_name)
    hints.add_filter("domain_id", None)
    role = providers.role_api.list_roles(hints)[0]
    providers.assignment_api.add_role_to_user_and_project(user["id"], project["id"], role["id"])


def warm_up(app, admin_password):
    """Issues and validates one token before serving: Keystone initialises
    its policy enforcer on first use, and two threads doing that at once get
    a spurious 403 or 500 (AttributeError in rbac_enforcer)."""
    from werkzeug.test import Client

    client = Client(app)
    r = client.post("/v3/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": admin_password}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
    assert r.status_code == 201, r.get_data(as_text=True)
    token = r.headers["X-Subject-Token"]
    r = client.get("/v3/auth/tokens", headers={"X-Auth-Token": token, "X-Subject-Token": token})
    assert r.status_code == 200, r.get_data(as_text=True)


def main():
    config_file = sys.argv[1]
    del sys.argv[1:]  # oslo.config parses the command line too
    spec = json.load(sys.stdin)
    os.environ["OS_KEYSTONE_CONFIG_FILES"] = config_file
    import keystone.server
    from keystone.server.flask import application
    from keystone.server.flask import core as flask_core

    keystone.server.configure(config_files=[config_file])
    server = make_server("127.0.0.1", 0, None, server_class=ThreadingWSGIServer,
                         handler_class=QuietHandler)
    port = server.server_address[1]
    set_up(f"http://127.0.0.1:{port}", spec)
    # What keystone.server.flask.core.initialize_application does after
    # loading the backends (the Bootstrapper above loaded them already).
    app = flask_core.setup_app_middleware(application.application_factory("public"))
    warm_up(app, spec["admin_password"])
    server.set_app(app)
    print(f"READY {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
