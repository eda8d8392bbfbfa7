"""The poll never stops: a file that cannot be taken goes to rejected/ and is named on the run's
record (outcome "partial"), while every other file and every alert goes on."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.service.scheduler import Service
from tests.servicetown import NOW, drop, report_csv, service_app
from tests.support import AppSetup

DAY = NOW.date().isoformat()


@pytest.fixture
def app_setup() -> AppSetup:
    return service_app


def inbox(app: Installation) -> Path:
    return Path(app.settings.service.inbox_dir)


def rejected(app: Installation) -> Path:
    return Path(app.settings.service.rejected_dir) / DAY


def by_hand(app: Installation, root: Path) -> None:
    """A report ingested with `cocoon ingest`, not through the inbox: it is owed an alert too."""
    path = root / "by-hand.csv"
    path.write_text(report_csv(("H1", NOW - timedelta(hours=2), "Storgatan 20")), encoding="utf-8")
    app.reports.ingest(path, NOW)


YEAR_1 = "report_id,reported_at,address,premises\n" + 'Y1,0001-01-01T00:00:00,"Storgatan 3",villa\n'


def test_a_row_dated_year_1_stops_neither_the_other_files_nor_the_alerts(
    app: Installation, tmp_path: Path
) -> None:
    by_hand(app, tmp_path)
    drop(inbox(app), "a-year-1.csv", YEAR_1, written=NOW - timedelta(minutes=3))
    drop(inbox(app), "b-good.csv", report_csv(("R1", NOW - timedelta(hours=1), "Storgatan 1")))
    service = Service(app, clock=lambda: NOW)
    service.poll(NOW)
    (run,) = app.runs.last(1)
    assert run.counts["files_ingested"] == 1 and run.counts["alerts"] == 2  # H1 and R1
    assert (rejected(app) / "a-year-1.csv").exists() and not any(inbox(app).iterdir())
    service.poll(NOW + timedelta(minutes=5))  # and the next poll is a quiet one
    assert app.runs.last(1)[0].outcome == "idle"


def fail_reading(monkeypatch: pytest.MonkeyPatch, name: str, exc: Exception) -> None:
    import cocoon.app.reports as app_reports

    real = app_reports.read_report_file

    def reader(path: Path, settings: object) -> object:
        if Path(path).name == name:
            raise exc
        return real(path, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(app_reports, "read_report_file", reader)


def test_the_poll_names_the_file_it_could_not_take_and_why_and_alerts_all_the_same(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_hand(app, tmp_path)
    drop(inbox(app), "bad.csv", report_csv(("B1", NOW - timedelta(hours=1), "Storgatan 5")))
    fail_reading(monkeypatch, "bad.csv", OverflowError("date value out of range"))
    Service(app, clock=lambda: NOW).poll(NOW)
    (run,) = app.runs.last(1)
    assert run.outcome == "partial"
    assert run.error == "bad.csv: OverflowError: date value out of range"
    assert run.counts["alerts"] == 1 and run.counts["files_failed"] == 1
    log = Path(app.settings.service.alert_log).read_text(encoding="utf-8")
    assert " H1 " in log


def test_an_inbox_folder_that_cannot_be_read_does_not_hold_up_the_alerts(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.sources.inbox import Inbox

    by_hand(app, tmp_path)

    def unreadable(self: Inbox, now: object) -> list[object]:
        raise PermissionError(13, "Permission denied", str(self.inbox))

    monkeypatch.setattr(Inbox, "ready", unreadable)
    Service(app, clock=lambda: NOW).poll(NOW)
    (run,) = app.runs.last(1)
    assert run.outcome == "partial" and run.counts["alerts"] == 1
    assert run.error is not None and run.error.startswith("inbox: PermissionError: [Errno 13]")


def test_cocoon_status_names_the_file_the_last_poll_could_not_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = service_app(f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path)
    drop(inbox(app), "bad.csv", report_csv(("B1", NOW - timedelta(hours=1), "Storgatan 5")))
    fail_reading(monkeypatch, "bad.csv", OverflowError("date value out of range"))
    Service(app, clock=lambda: NOW).poll(NOW)
    app.engine.dispose()
    status = subprocess.run(
        [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
         "status"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert status.returncode == 0, status.stderr
    assert "poll (schedule)  partial" in status.stdout
    assert "error: bad.csv: OverflowError: date value out of range" in status.stdout
