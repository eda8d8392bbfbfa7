"""The inbox: each dropped file ingested exactly once, moved to processed/ or rejected/;
files still being written wait; a crash between ingest and move stores nothing twice."""

from __future__ import annotations

import csv
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cocoon.app.installation import Installation
from cocoon.errors import StoreError
from cocoon.sources.inbox import Seen, in_progress, settled
from cocoon.store.schema import ingested_files, report_events, reports
from tests.servicetown import NOW, drop, report_csv, service_app
from tests.support import AppSetup

DAY = NOW.date().isoformat()


@pytest.fixture
def app_setup() -> AppSetup:
    return lambda url, root: service_app(url, root, service={"settle_seconds": 10})


def inbox(app: Installation) -> Path:
    return Path(app.settings.service.inbox_dir)


def folder(app: Installation, which: str) -> Path:
    return Path(getattr(app.settings.service, f"{which}_dir")) / DAY


def count(app: Installation, table: object) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


GOOD = report_csv(
    ("R1", NOW - timedelta(hours=5), "Storgatan 1"),
    ("R2", NOW - timedelta(hours=4), "Storgatan 7"),
)


def test_names_of_files_still_being_written_are_known() -> None:
    for name in ("reports.csv.part", "reports.csv.tmp", ".~lock.reports.csv#", "reports.csv~"):
        assert in_progress(name), name
    assert not in_progress("reports.csv")


def test_file_is_taken_once_it_has_been_left_alone_for_the_settle_time() -> None:
    seen = Seen(Path("r.csv"), 10, int((NOW - timedelta(seconds=9)).timestamp() * 1e9))
    assert not settled(seen, NOW, timedelta(seconds=10))
    assert settled(seen, NOW + timedelta(seconds=1), timedelta(seconds=10))


def test_good_file_is_ingested_and_moved_to_processed(app: Installation) -> None:
    drop(inbox(app), "reports.csv", GOOD)
    taken = app.inbox.take(NOW)
    assert taken.ingested == ["reports.csv"] and taken.reports_new == 2
    assert (folder(app, "processed") / "reports.csv").read_text(encoding="utf-8") == GOOD
    assert not any(inbox(app).iterdir())
    assert count(app, reports) == 2


def test_part_file_is_left_for_a_later_round(app: Installation) -> None:
    inbox(app).mkdir(parents=True)
    (inbox(app) / "reports.csv.part").write_text(GOOD[:40], encoding="utf-8")
    taken = app.inbox.take(NOW + timedelta(days=1))
    assert taken.ingested == [] and taken.rejected == []
    assert (inbox(app) / "reports.csv.part").exists()
    assert count(app, reports) == 0


def test_file_written_moments_ago_is_left_for_a_later_round(app: Installation) -> None:
    drop(inbox(app), "reports.csv", GOOD, written=NOW - timedelta(seconds=3))
    assert app.inbox.take(NOW).ingested == []
    assert (inbox(app) / "reports.csv").exists()
    assert app.inbox.take(NOW + timedelta(seconds=8)).ingested == ["reports.csv"]


def test_file_that_grows_while_it_is_read_is_left_for_a_later_round(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop(inbox(app), "reports.csv", GOOD)
    import cocoon.app.inbox as app_inbox

    real_hash = app_inbox.file_sha256

    def hash_then_append(p: Path) -> str:
        digest = real_hash(p)
        with open(p, "a", encoding="utf-8") as fh:  # the writer goes on meanwhile
            fh.write('R3,2026-11-20T08:00:00+00:00,"Storgatan 9, Kalmar",villa\n')
        return digest

    monkeypatch.setattr(app_inbox, "file_sha256", hash_then_append)
    taken = app.inbox.take(NOW)
    assert taken.waiting == ["reports.csv"] and taken.ingested == []
    assert path.exists() and count(app, reports) == 0


def test_file_with_a_bad_row_goes_to_rejected_with_its_rejects_file_and_good_rows_stored(
    app: Installation,
) -> None:
    bad = GOOD + 'R3,not a time,"Storgatan 9, Kalmar",villa\n'
    drop(inbox(app), "mixed.csv", bad)
    taken = app.inbox.take(NOW)
    assert taken.rejected == ["mixed.csv"] and taken.reports_new == 2
    rejected = folder(app, "rejected")
    assert (rejected / "mixed.csv").read_text(encoding="utf-8") == bad
    (rejects,) = rejected.glob("mixed-*.rejects.csv")
    (row,) = csv.DictReader(rejects.open(encoding="utf-8"))
    assert row["file"] == "mixed.csv" and row["row"] == "line 4" and row["field"] == "reported_at"
    assert count(app, reports) == 2


def test_unreadable_file_goes_to_rejected_with_the_reason(app: Installation) -> None:
    drop(inbox(app), "broken.json", "{not json")
    taken = app.inbox.take(NOW)
    assert taken.rejected == ["broken.json"]
    rejected = folder(app, "rejected")
    assert (rejected / "broken.json").exists()
    (rejects,) = rejected.glob("broken-*.rejects.csv")
    (row,) = csv.DictReader(rejects.open(encoding="utf-8"))
    assert row["field"] == "file" and "not valid JSON" in row["reason"]


def test_file_that_is_not_a_report_file_goes_to_rejected(app: Installation) -> None:
    drop(inbox(app), "notes.txt", "hello")
    assert app.inbox.take(NOW).rejected == ["notes.txt"]
    (rejects,) = folder(app, "rejected").glob("notes-*.rejects.csv")
    assert "not a report file" in rejects.read_text(encoding="utf-8")


def test_same_file_dropped_again_under_another_name_is_not_ingested_twice(
    app: Installation,
) -> None:
    drop(inbox(app), "monday.csv", GOOD)
    app.inbox.take(NOW)
    drop(inbox(app), "monday-copy.csv", GOOD)
    taken = app.inbox.take(NOW + timedelta(hours=1))
    assert taken.duplicates == ["monday-copy.csv"] and taken.ingested == []
    assert (folder(app, "processed") / "monday-copy.csv").exists()
    assert count(app, report_events) == 2 and count(app, ingested_files) == 1


def test_same_name_again_next_time_is_kept_beside_the_first_not_over_it(app: Installation) -> None:
    drop(inbox(app), "export.csv", GOOD)
    app.inbox.take(NOW)
    newer = GOOD + report_csv(("R3", NOW - timedelta(hours=1), "Storgatan 9")).split("\n", 1)[1]
    drop(inbox(app), "export.csv", newer)
    assert app.inbox.take(NOW + timedelta(minutes=5)).ingested == ["export.csv"]
    processed = folder(app, "processed")
    assert (processed / "export.csv").read_text(encoding="utf-8") == GOOD
    assert (processed / "export-2.csv").read_text(encoding="utf-8") == newer
    assert count(app, reports) == 3


def test_crash_between_ingest_and_move_stores_nothing_twice(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop(inbox(app), "reports.csv", GOOD)

    def power_cut(*args: object) -> Path:
        raise KeyboardInterrupt  # the process dies after the ingest committed

    monkeypatch.setattr(type(app.inbox.inbox), "move", power_cut)
    with pytest.raises(KeyboardInterrupt):
        app.inbox.take(NOW)
    assert path.exists() and count(app, reports) == 2
    monkeypatch.undo()
    taken = app.inbox.take(NOW + timedelta(minutes=5))  # the restarted service
    assert taken.duplicates == ["reports.csv"] and taken.reports_new == 0
    assert (folder(app, "processed") / "reports.csv").exists()
    assert count(app, report_events) == 2


def test_crash_after_a_file_with_rejects_still_sends_it_to_rejected(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop(inbox(app), "mixed.csv", GOOD + 'R3,,"Storgatan 9, Kalmar",villa\n')
    monkeypatch.setattr(
        type(app.inbox.inbox), "move", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(KeyboardInterrupt):
        app.inbox.take(NOW)
    monkeypatch.undo()
    assert app.inbox.take(NOW + timedelta(minutes=5)).duplicates == ["mixed.csv"]
    assert (folder(app, "rejected") / "mixed.csv").exists()
    assert list(folder(app, "rejected").glob("mixed-*.rejects.csv"))


def test_database_failure_leaves_the_file_in_the_inbox(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop(inbox(app), "reports.csv", GOOD)

    def down(*args: object, **kwargs: object) -> None:
        raise StoreError("database is locked")

    monkeypatch.setattr(app.reports, "ingest", down)
    with pytest.raises(StoreError):
        app.inbox.take(NOW)
    assert path.exists()
    assert not folder(app, "rejected").exists()


def test_files_are_taken_oldest_first(app: Installation) -> None:
    drop(inbox(app), "b.csv", report_csv(("R2", NOW - timedelta(hours=1), "Storgatan 7")),
         written=NOW - timedelta(minutes=5))  # fmt: skip
    drop(inbox(app), "a.csv", report_csv(("R1", NOW - timedelta(hours=1), "Storgatan 1")),
         written=NOW - timedelta(minutes=1))  # fmt: skip
    assert app.inbox.take(NOW).ingested == ["b.csv", "a.csv"]


def test_a_stop_request_ends_the_round_between_files(app: Installation) -> None:
    drop(inbox(app), "a.csv", GOOD, written=NOW - timedelta(minutes=2))
    drop(inbox(app), "b.csv", GOOD.replace("R1", "R9"), written=NOW - timedelta(minutes=1))
    asked = iter([False, True])
    taken = app.inbox.take(NOW, stopping=lambda: next(asked))
    assert taken.ingested == ["a.csv"]
    assert (inbox(app) / "b.csv").exists()
    assert os.listdir(inbox(app)) == ["b.csv"]


# --- one bad file never stops the service ---------------------------------------------------


def fail_reading(monkeypatch: pytest.MonkeyPatch, name: str, exc: Exception) -> None:
    """The report reader raises `exc` on the file `name`, as a reader's bug would."""
    import cocoon.app.reports as app_reports

    real = app_reports.read_report_file

    def reader(path: Path, settings: object) -> object:
        if Path(path).name == name:
            raise exc
        return real(path, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(app_reports, "read_report_file", reader)


def the_rejects_row(app: Installation, stem: str) -> dict[str, str]:
    (rejects,) = folder(app, "rejected").glob(f"{stem}-*.rejects.csv")
    (row,) = csv.DictReader(rejects.open(encoding="utf-8"))
    return row


OTHER = GOOD.replace("R1", "B1").replace("R2", "B2")


def test_a_file_the_reader_fails_on_goes_to_rejected_with_its_reason_and_the_next_is_taken(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop(inbox(app), "a-bad.csv", OTHER, written=NOW - timedelta(minutes=3))
    drop(inbox(app), "b-good.csv", GOOD, written=NOW - timedelta(minutes=1))
    fail_reading(monkeypatch, "a-bad.csv", OverflowError("date value out of range"))
    taken = app.inbox.take(NOW)
    assert taken.rejected == ["a-bad.csv"] and taken.ingested == ["b-good.csv"]
    assert taken.failed == {"a-bad.csv": "OverflowError: date value out of range"}
    assert (folder(app, "rejected") / "a-bad.csv").read_text(encoding="utf-8") == OTHER
    row = the_rejects_row(app, "a-bad")
    assert row["field"] == "file" and row["reason"] == "OverflowError: date value out of range"
    assert count(app, reports) == 2 and not any(inbox(app).iterdir())


def test_a_file_the_service_user_cannot_read_goes_to_rejected_and_the_round_goes_on(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop(inbox(app), "a-locked.csv", OTHER, written=NOW - timedelta(minutes=3))
    drop(inbox(app), "b-good.csv", GOOD, written=NOW - timedelta(minutes=1))
    import cocoon.app.inbox as app_inbox

    real_hash = app_inbox.file_sha256

    def sha256(path: Path) -> str:  # root reads any file: the refusal is simulated
        if Path(path).name == "a-locked.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path)

    monkeypatch.setattr(app_inbox, "file_sha256", sha256)
    taken = app.inbox.take(NOW)
    assert taken.ingested == ["b-good.csv"] and taken.rejected == ["a-locked.csv"]
    assert taken.failed["a-locked.csv"].startswith("PermissionError: [Errno 13] Permission denied")
    assert "Permission denied" in the_rejects_row(app, "a-locked")["reason"]


def test_a_file_that_can_be_neither_taken_nor_moved_stays_and_the_round_goes_on(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.sources.inbox import Inbox

    drop(inbox(app), "a-bad.csv", OTHER, written=NOW - timedelta(minutes=3))
    drop(inbox(app), "b-good.csv", GOOD, written=NOW - timedelta(minutes=1))
    fail_reading(monkeypatch, "a-bad.csv", ValueError("no such month"))
    real_move = Inbox.move

    def move(self: Inbox, path: Path, rejected: bool, day: object) -> Path:
        if path.name == "a-bad.csv":
            raise PermissionError(13, "Permission denied")
        return real_move(self, path, rejected, day)  # type: ignore[arg-type]

    monkeypatch.setattr(Inbox, "move", move)
    taken = app.inbox.take(NOW)
    assert taken.ingested == ["b-good.csv"] and taken.rejected == []
    assert taken.failed["a-bad.csv"].startswith("ValueError: no such month (left in the inbox")
    assert (inbox(app) / "a-bad.csv").exists() and count(app, reports) == 2


def test_a_stored_file_that_cannot_be_moved_is_moved_on_at_the_next_round(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cocoon.sources.inbox import Inbox

    path = drop(inbox(app), "reports.csv", GOOD)

    def read_only(*args: object) -> Path:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(Inbox, "move", read_only)
    taken = app.inbox.take(NOW)
    assert taken.failed["reports.csv"].startswith("stored, but not moved out of the inbox")
    assert path.exists() and count(app, reports) == 2
    monkeypatch.undo()
    again = app.inbox.take(NOW + timedelta(minutes=5))
    assert again.duplicates == ["reports.csv"] and not again.failed
    assert (folder(app, "processed") / "reports.csv").exists()
    assert count(app, report_events) == 2


def test_a_database_error_inside_the_ingest_leaves_the_file_in_the_inbox(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import cocoon.app.reports as app_reports

    path = drop(inbox(app), "reports.csv", GOOD)

    def locked(*args: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(app_reports.report_store, "upsert_reports", locked)
    with pytest.raises(StoreError, match=r"reports\.csv: database error: database is locked"):
        app.inbox.take(NOW)
    assert path.exists() and not folder(app, "rejected").exists()
