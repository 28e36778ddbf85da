"""Fixtures for the end-to-end tests: each starts the real dnsplane binary on
free loopback ports with a temporary SQLite database (see dnsplane_harness.py).

- `dnsplane`: a running server for one test (--auth none).
- `dnsplane_module`: one running server shared by a test module (faster; tests
  must then use unique zone names, e.g. harness.unique_zone_name()).
- `dnsplane_module_factory`: dnsplane_factory with module lifetime.
- DNSPLANE_TEST_DATABASE=postgres: every server's default database is a fresh
  PostgreSQL database (one server per session, pg_support.py); tests marked
  `sqlite_only` (they read or break the SQLite file) are skipped.
- `dnsplane_factory`: starts servers with options:
      srv = dnsplane_factory(auth="token", config_text="...", extra_args=[...],
                             env={...}, flags={"api-listen": None}, start=True)
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dnsplane_harness  # noqa: E402
from dnsplane_harness import Dnsplane, binary_path  # noqa: E402

TEST_DATABASE = os.environ.get("DNSPLANE_TEST_DATABASE", "sqlite")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: reads or breaks the SQLite file; skipped with "
        "DNSPLANE_TEST_DATABASE=postgres")
    if TEST_DATABASE not in ("sqlite", "postgres"):
        raise pytest.UsageError("DNSPLANE_TEST_DATABASE must be sqlite or postgres")
    # Fail fast and clearly when the binary was not built.
    if not binary_path().exists():
        raise pytest.UsageError(
            f"dnsplane binary not found at {binary_path()}: build it with scripts/build "
            "or set DNSPLANE_BIN")


def _make_factory(tmp_dir_for):
    """A function starting Dnsplane instances; returns (factory, started list)."""
    started: list[Dnsplane] = []
    counter = itertools.count()

    def factory(auth=None, config_text=None, extra_args=(), env=None, flags=None,
                start=True) -> Dnsplane:
        srv = Dnsplane(tmp_dir_for(next(counter)), auth=auth, config_text=config_text,
                       extra_args=extra_args, env=env, flags=flags)
        started.append(srv)
        if start:
            srv.start()
        return srv

    return factory, started


@pytest.fixture
def dnsplane_factory(tmp_path):
    factory, started = _make_factory(lambda i: tmp_path / f"dnsplane-{i}")
    yield factory
    for srv in started:
        srv.cleanup()


@pytest.fixture
def dnsplane(dnsplane_factory) -> Dnsplane:
    return dnsplane_factory()


@pytest.fixture(scope="module")
def dnsplane_module_factory(tmp_path_factory):
    """Like dnsplane_factory, but its servers live for the whole test module."""
    factory, started = _make_factory(lambda i: tmp_path_factory.mktemp(f"dnsplane-module-{i}"))
    yield factory
    for srv in started:
        srv.cleanup()


@pytest.fixture(scope="module")
def dnsplane_module(dnsplane_module_factory) -> Dnsplane:
    return dnsplane_module_factory()


def pytest_collection_modifyitems(config, items):
    if TEST_DATABASE != "postgres":
        return
    skip = pytest.mark.skip(reason="SQLite file test (DNSPLANE_TEST_DATABASE=postgres)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _test_database():
    """With DNSPLANE_TEST_DATABASE=postgres: one PostgreSQL server for the
    session and a fresh database for every dnsplane started."""
    if TEST_DATABASE != "postgres":
        yield None
        return
    from pg_support import PgServer
    pg = PgServer.start()
    dnsplane_harness.database_url_factory = pg.new_database
    try:
        yield pg
    finally:
        dnsplane_harness.database_url_factory = None
        pg.stop()
