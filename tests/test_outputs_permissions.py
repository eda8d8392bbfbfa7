"""Personal data is not for everyone on the machine: the database with its journal, rosters,
rejects, the alert log and internal maps are created owner-only (or group-readable with
`output.internal_access = "group"`) whatever the umask; public files get what the umask allows.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from cocoon.fileio import set_internal_access
from cocoon.outputs.files import write_daily, write_roster, write_sign_plan
from cocoon.store import open_engine, upgrade
from tests.support import make_app
from tests.test_daily_outputs import paper
from tests.test_roster import roster
from tests.test_sign_outputs import sheet


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The usual umask, under which `open()` makes files anyone may read."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)
        set_internal_access("owner")


def test_new_database_its_wal_and_shm_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "var" / "cocoon.sqlite"
    engine = open_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.connect() as conn:  # while a connection is open, the WAL files are there
        conn.execute(text("SELECT count(*) FROM reports")).scalar_one()
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
        assert [mode(p) for p in files] == [0o600] * 3
    engine.dispose()
    assert mode(db.parent) == 0o700


def test_group_access_makes_the_database_and_its_wal_group_readable(tmp_path: Path) -> None:
    set_internal_access("group")
    db = tmp_path / "var" / "cocoon.sqlite"
    engine = open_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM reports")).scalar_one()
        assert mode(db.with_name(db.name + "-wal")) == 0o640
    engine.dispose()
    assert (mode(db), mode(db.parent)) == (0o640, 0o750)


def test_sqlite_gives_its_rollback_journal_the_database_files_mode(tmp_path: Path) -> None:
    db = tmp_path / "cocoon.sqlite"
    open_engine(f"sqlite:///{db}").dispose()  # creates the file, owner-only
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (1)")
        journal = db.with_name(db.name + "-journal")
        assert mode(journal) == 0o600
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_an_existing_database_keeps_its_permissions(tmp_path: Path) -> None:
    db = tmp_path / "cocoon.sqlite"
    sqlite3.connect(db).close()
    os.chmod(db, 0o640)
    upgrade(open_engine(f"sqlite:///{db}"))
    assert mode(db) == 0o640


def test_roster_and_daily_list_are_internal_the_sign_plans_geojson_and_csv_public(
    tmp_path: Path,
) -> None:
    outbox = tmp_path / "outbox" / "2026-11-01-K-4711-26"
    rosters = write_roster(roster(), outbox / "roster")
    signs = write_sign_plan(sheet(), outbox / "signs")
    daily = write_daily(paper(), tmp_path / "daily")
    assert {p.name: mode(p) for p in rosters + signs} == {
        "roster.pdf": 0o600,
        "roster.csv": 0o600,
        "signs.pdf": 0o600,
        "signs.geojson": 0o644,
        "signs.csv": 0o644,
    }
    assert {mode(p) for p in daily} == {0o600} and len(daily) == 4
    assert mode(outbox) == mode(outbox.parent) == mode(tmp_path / "daily") == 0o700


def test_rejects_of_an_ingest_are_owner_only(tmp_path: Path) -> None:
    app = make_app(
        f"sqlite:///{tmp_path / 'var' / 'cocoon.sqlite'}",
        ingest={"rejects_dir": str(tmp_path / "var" / "rejects")},
    )
    path = tmp_path / "reports.csv"
    path.write_text("report_id,reported_at\nK1,32/13\n", encoding="utf-8")
    result = app.reports.ingest(path, datetime(2026, 11, 22, 9, tzinfo=UTC))
    app.engine.dispose()
    assert result.rejections and result.rejects_path is not None
    assert mode(result.rejects_path) == 0o600
    assert mode(tmp_path / "var" / "rejects") == 0o700
    assert mode(tmp_path / "var" / "cocoon.sqlite") == 0o600
