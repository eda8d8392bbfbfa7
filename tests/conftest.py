"""Shared fixtures: rules, report factories, and databases (SQLite always, PostGIS when started)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cocoon.app.installation import Cocoon
from cocoon.config import Settings
from cocoon.core.geo import Projection
from cocoon.core.model import Premises, Report
from cocoon.core.risk import RiskRules
from cocoon.store.schema import metadata

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
KALMAR = (16.3568, 56.6634)  # lon, lat of central Kalmar
SWEREF = Projection("EPSG:3006")


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, or skip the test saying where it was looked for."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"real data not found: {path} (the ../shared folder beside the project)")
    return path


@pytest.fixture
def rules() -> RiskRules:
    return RiskRules()


@pytest.fixture
def sweref() -> Projection:
    return Projection("EPSG:3006")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def report(
    report_id: str = "R1",
    at: datetime = datetime(2026, 11, 1, 12, tzinfo=UTC),
    *,
    offset_m: tuple[float, float] = (0.0, 0.0),
    projection: Projection = SWEREF,
    **fields: object,
) -> Report:
    """A located villa burglary reported at `at`, `offset_m` metres from central Kalmar."""
    x, y = projection.point_to_metric(*KALMAR)
    lon, lat = projection.point_to_wgs84(x + offset_m[0], y + offset_m[1])
    values: dict[str, object] = {
        "report_id": report_id,
        "reported_at": at,
        "premises": Premises.VILLA,
        "lon": lon,
        "lat": lat,
        "zone_key": f"Z-{report_id}",
    }
    values.update(fields)
    return Report(**values)  # type: ignore[arg-type]


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


def make_app(url: str, **sections: dict[str, object]) -> Cocoon:
    """An initialised installation on `url` with some settings changed."""
    data: dict[str, object] = {"database": {"url": url}}
    data.update(sections)
    app = Cocoon(Settings.model_validate(data))
    app.init()
    return app


@pytest.fixture
def pg_app(postgres_url: str, tmp_path: Path) -> Iterator[Cocoon]:
    instance = make_app(postgres_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    yield instance
    instance.engine.dispose()


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Cocoon]:
    instance = make_app(db_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    yield instance
    instance.engine.dispose()
