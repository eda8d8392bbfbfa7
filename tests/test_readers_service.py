"""The hardened readers where users meet them: the service's inbox and the command line. A row
dated year 1 is rejected, not a poll stopped; a time option out of range is a usage error."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from tests.servicetown import NOW, drop, report_csv, service_app
from tests.support import AppSetup
from tests.test_cli import cocoon


@pytest.fixture
def app_setup() -> AppSetup:
    return lambda url, root: service_app(url, root, service={"settle_seconds": 10})


def test_an_inbox_file_with_a_row_dated_year_1_rejects_that_row_and_polls_go_on(
    app: Installation,
) -> None:
    inbox = Path(app.settings.service.inbox_dir)
    good = report_csv(("R1", NOW - timedelta(hours=5), "Storgatan 1"))
    drop(inbox, "old.csv", good + 'R2,0001-01-01,"Storgatan 7, Kalmar",villa\n')
    first = app.inbox.take(NOW)
    assert first.rejected == ["old.csv"] and first.reports_new == 1
    (rejects,) = (Path(app.settings.service.rejected_dir) / NOW.date().isoformat()).glob(
        "old-*.rejects.csv"
    )
    (row,) = csv.DictReader(rejects.open(encoding="utf-8"))
    assert (row["report_id"], row["field"]) == ("R2", "reported_at")
    assert row["reason"] == "'0001-01-01' är före år 1900"  # output.language: sv by default
    drop(inbox, "next.csv", report_csv(("R3", NOW - timedelta(hours=1), "Storgatan 9")))
    assert app.inbox.take(NOW).ingested == ["next.csv"]


def test_an_empty_police_feed_in_the_inbox_is_ingested_as_nothing(app: Installation) -> None:
    drop(Path(app.settings.service.inbox_dir), "events.json", "[]")
    taken = app.inbox.take(NOW)
    assert taken.ingested == ["events.json"] and taken.reports_new == 0


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31T23:59:59"])
def test_at_options_out_of_range_are_a_usage_error_not_a_traceback(
    tmp_path: Path, text: str
) -> None:
    assert cocoon(tmp_path, "init").returncode == 0
    for args in (
        ["zones", "--at", text],
        ["visits", "record", "--address-id", "A-1", "--outcome", "besökt", "--visited-at", text],
    ):
        result = cocoon(tmp_path, *args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert "is outside the years 1900–2100" in result.stderr


def test_cli_ingest_of_deep_geojson_and_bad_feed_elements_needs_no_traceback(
    tmp_path: Path,
) -> None:
    assert cocoon(tmp_path, "init").returncode == 0
    deep = tmp_path / "deep.geojson"
    deep.write_text('{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000)
    feed = tmp_path / "feed.json"
    feed.write_text('[{"id": 1, "datetime": "2026-11-20 08:00:00 +01:00", "type": "Inbrott"}, 7]')
    result = cocoon(tmp_path, "ingest", str(deep), str(feed))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{deep}: JSON nested too deeply to be a report file" in result.stderr
    assert "feed.json, event 2, field event: array element 2 is a number" in result.stderr
    assert "feed.json (polisen): 1 new" in result.stdout
