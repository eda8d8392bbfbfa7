"""Ingests that meet trouble: two of the same file at once store it once and the second says so;
a full disk during an ingest stores nothing, leaves no rejects file and is one line naming the
file. On SQLite and PostgreSQL, in threads and in real `cocoon ingest` processes."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from cocoon.app import reports as reports_module
from cocoon.app.installation import Installation
from cocoon.app.reports import IngestResult
from cocoon.errors import StoreError
from cocoon.store import files as file_store
from cocoon.store.schema import ingested_files, report_events, reports

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
KALMAR = "56.6634,16.3568"


def count(app: Installation, table: object) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def report_file(folder: Path, rows: int, bad: int = 0, now: datetime = NOW) -> Path:
    """Villa burglaries in Kalmar, the last `bad` of them with an unreadable time."""
    lines = ["report_id,reported_at,lat,lon,premises"]
    for i in range(rows):
        at = (now - timedelta(hours=1, seconds=i)).isoformat()
        lines.append(f"R{i},{'not a time' if i >= rows - bad else at},{KALMAR},villa")
    path = folder / "reports.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- two ingests of one file at once --------------------------------------------------------


def test_two_ingests_of_the_same_file_at_once_store_it_once_and_the_second_says_so(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = report_file(tmp_path, 3)
    first_stored, second_waits = threading.Event(), threading.Event()
    real_turn, real_record = reports_module.take_turn, file_store.record_file

    def turn(conn: object, job: str) -> None:
        if threading.current_thread().name == "second":
            second_waits.set()
        real_turn(conn, job)  # type: ignore[arg-type]

    def record(conn: object, file: file_store.IngestedFile) -> None:
        real_record(conn, file)  # type: ignore[arg-type]
        if threading.current_thread().name == "first":  # hold the transaction open
            first_stored.set()
            assert second_waits.wait(60)
            time.sleep(0.3)  # the second is at its turn now (or reaches it after the commit)

    monkeypatch.setattr(reports_module, "take_turn", turn)
    monkeypatch.setattr(file_store, "record_file", record)
    results: dict[str, IngestResult | BaseException] = {}

    def ingest(name: str) -> None:
        try:
            results[name] = app.reports.ingest(path, NOW)
        except BaseException as exc:
            results[name] = exc

    first = threading.Thread(target=ingest, args=("first",), name="first")
    second = threading.Thread(target=ingest, args=("second",), name="second")
    first.start()
    assert first_stored.wait(60)
    second.start()
    first.join(120)
    second.join(120)
    one, two = results["first"], results["second"]
    assert isinstance(one, IngestResult) and isinstance(two, IngestResult), results
    assert one.created == 3 and one.ingested_meanwhile is None
    assert two.created == two.updated == 0 and two.unchanged == 3
    assert two.ingested_meanwhile is not None and two.ingested_meanwhile.created == 3
    assert two.note == (
        f"{path}: already ingested by another run at 10:00:00; nothing stored twice"
    )
    assert count(app, reports) == 3 and count(app, report_events) == 3
    assert count(app, ingested_files) == 1


def test_the_same_file_ingested_again_later_is_an_ordinary_reingest(
    app: Installation, tmp_path: Path
) -> None:
    path = report_file(tmp_path, 2)
    app.reports.ingest(path, NOW)
    again = app.reports.ingest(path, NOW + timedelta(minutes=5))
    assert again.ingested_meanwhile is None and again.note is None
    assert again.unchanged == 2 and count(app, report_events) == 2


#: Runs `cocoon` with the ingest paused at a point: the first run, once it has stored the file
#: and before it commits, waits until the second has come to take its turn.
PAUSED_INGEST = """
import sys, time
from pathlib import Path
import cocoon.app.reports as reports
import cocoon.store.files as files
role, marks = sys.argv[1], Path(sys.argv[2])
real_turn, real_record = reports.take_turn, files.record_file
def turn(conn, job):
    if role == "second":
        (marks / "second-waits").touch()
    real_turn(conn, job)
def record(conn, file):
    real_record(conn, file)
    if role == "first":
        (marks / "first-stored").touch()
        deadline = time.monotonic() + 60
        while not (marks / "second-waits").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
reports.take_turn, files.record_file = turn, record
from cocoon.cli.main import main
sys.argv = ["cocoon", *sys.argv[3:]]
main()
"""


def cocoon_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} did not appear"
        time.sleep(0.02)


def test_two_cocoon_ingest_processes_of_the_same_file_at_once_both_end_well(
    app: Installation, db_url: str, tmp_path: Path
) -> None:
    path = report_file(tmp_path, 200)
    marks = tmp_path / "marks"
    marks.mkdir()

    def start(role: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", PAUSED_INGEST, role, str(marks),
             "--db", db_url, "ingest", str(path)],
            cwd=tmp_path, env=cocoon_env(), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    first = start("first")
    wait_for(marks / "first-stored", first)
    second = start("second")
    out_1, err_1 = first.communicate(timeout=120)
    out_2, err_2 = second.communicate(timeout=120)
    assert first.returncode == 0, err_1
    assert second.returncode == 0, err_2
    assert "Traceback" not in err_1 + err_2 and "IntegrityError" not in err_1 + err_2
    assert "200 new" in out_1 and "0 new, 0 updated, 200 unchanged" in out_2
    assert count(app, reports) == 200 and count(app, report_events) == 200


# --- a full disk during an ingest -----------------------------------------------------------


def no_space(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def files_under(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_full_disk_while_writing_the_rejects_file_stores_nothing_and_leaves_none_of_it(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = report_file(tmp_path, 3, bad=1)
    rejects = tmp_path / "rejects"
    monkeypatch.setattr(os, "fsync", no_space)  # the rejects file's bytes do not reach the disk
    with pytest.raises(StoreError) as failed:
        app.reports.ingest(path, NOW, rejects_dir=rejects)
    message = str(failed.value)
    assert message == (
        f"{path}: No space left on device (writing its rejects file); nothing was stored"
    )
    assert files_under(rejects) == []  # not the file, not its temporary part
    assert count(app, reports) == 0 and count(app, ingested_files) == 0


@pytest.mark.parametrize(
    "failure",
    [
        no_space,
        lambda *a: (_ for _ in ()).throw(
            OperationalError("INSERT", {}, Exception("database or disk is full"))
        ),
    ],
    ids=["ENOSPC", "database-full"],
)
def test_a_full_disk_after_the_rejects_file_rolls_back_and_removes_the_rejects_file(
    app: Installation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[..., None],
) -> None:
    path = report_file(tmp_path, 3, bad=1)
    rejects = tmp_path / "rejects"
    monkeypatch.setattr(file_store, "record_file", failure)  # in the transaction, after the rows
    with pytest.raises(
        StoreError, match=r"reports\.csv: .*(full|No space).*; nothing was stored"
    ) as failed:
        app.reports.ingest(path, NOW, rejects_dir=rejects)
    assert len(str(failed.value).splitlines()) == 1
    assert files_under(rejects) == []
    assert count(app, reports) == 0 and count(app, report_events) == 0
    monkeypatch.undo()
    assert app.reports.ingest(path, NOW, rejects_dir=rejects).created == 2  # once space is free
    assert len(files_under(rejects)) == 1


FULL_DISK_INGEST = """
import errno, os, sys
def full(fd):
    raise OSError(errno.ENOSPC, "No space left on device")
os.fsync = full
from cocoon.cli.main import main
sys.argv = ["cocoon", *sys.argv[1:]]
main()
"""


def test_cocoon_ingest_on_a_full_disk_says_so_in_one_line_naming_the_file(
    tmp_path: Path,
) -> None:
    from tests.support import plain_app

    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    plain_app(db, tmp_path).engine.dispose()
    report_file(tmp_path, 3, bad=1, now=datetime.now(UTC))
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_INGEST, "--db", db, "ingest", "reports.csv"],
        cwd=tmp_path, env={**cocoon_env(), "COCOON_OUTPUT__LANGUAGE": "en"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("cocoon:")]
    assert errors[0] == (
        "cocoon: error: reports.csv: No space left on device (writing its rejects file); "
        "nothing was stored"
    )
    assert "Traceback" not in result.stderr
    assert files_under(tmp_path / "var" / "rejects") == []
