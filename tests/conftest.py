"""Shared fixtures: rules, report factories, and databases (SQLite always, PostGIS when started)."""

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
from tests.support import make_app, risk_rules


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
def pg_app(postgres_url: str, tmp_path: Path) -> Iterator[Installation]:
    instance = make_app(postgres_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    yield instance
    instance.engine.dispose()


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Installation]:
    instance = make_app(db_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    yield instance
    instance.engine.dispose()
