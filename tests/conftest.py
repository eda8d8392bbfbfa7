"""Shared fixtures: rules, databases (SQLite always, PostGIS when started), the installation on
them, and the export town. What is not a fixture is in tests/support.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from cocoon.app.installation import Installation
from cocoon.core.geo import Projection
from cocoon.core.risk import RiskRules
from cocoon.store.schema import metadata
from tests import exporttown
from tests.support import AppSetup, plain_app, risk_rules


@pytest.fixture
def rules() -> RiskRules:
    return risk_rules()


@pytest.fixture
def sweref() -> Projection:
    return Projection("EPSG:3006")


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cocoon.sqlite'}"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    tables = [t.name for t in reversed(metadata.sorted_tables)]  # every table cocoon makes
    with engine.begin() as conn:
        for table in [*tables, "alembic_version"]:
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: SQLite always; PostgreSQL + PostGIS when scripts/test.sh started one."""
    if request.param == "sqlite":
        return _sqlite_url(tmp_path)
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The empty PostGIS database of scripts/test.sh; a failure, not a skip, where it must run."""
    url = os.environ.get("COCOON_TEST_PG_URL")
    if not url:
        if os.environ.get("COCOON_REQUIRE_PG"):
            pytest.fail("COCOON_REQUIRE_PG is set but COCOON_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL: run the tests through scripts/test.sh, which starts one")
    _reset_postgres(url)
    yield url
    _reset_postgres(url)


@pytest.fixture
def app_setup() -> AppSetup:
    """How a test module's installation is set up; a module that needs another overrides it."""
    return plain_app


@pytest.fixture
def app(db_url: str, tmp_path: Path, app_setup: AppSetup) -> Iterator[Installation]:
    """An initialised installation on each database, set up by the module's `app_setup`."""
    instance = app_setup(db_url, tmp_path)
    yield instance
    instance.engine.dispose()


@pytest.fixture
def pg_app(postgres_url: str, tmp_path: Path, app_setup: AppSetup) -> Iterator[Installation]:
    """The same on PostgreSQL + PostGIS only."""
    instance = app_setup(postgres_url, tmp_path)
    yield instance
    instance.engine.dispose()


@pytest.fixture(scope="module")
def export_town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[exporttown.Town]:
    """The export tests' town near Kalmar, built once per module with every export written."""
    built = exporttown.rendered(tmp_path_factory.mktemp("export-town"))
    yield built
    built.app.engine.dispose()
