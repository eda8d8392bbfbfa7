"""Validation of report rows: each bad row is named by file, row and field; good rows pass."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cocoon.config import Settings
from cocoon.core.addressing import AddressIndex
from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Address, LocatedBy, Premises
from cocoon.errors import InputError
from cocoon.sources.report_rows import IngestRules, Row, validate
from cocoon.sources.reports import read_report_file
from tests.support import KALMAR, STOCKHOLM, shared_file

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
SWEDEN = ServiceArea("Sverige", Settings().area.bbox)
STORGATAN = Address("A-1", "Storgatan", "12B", KALMAR[0], KALMAR[1], "392 31", "Kalmar")


def rules(**changes: object) -> IngestRules:
    values: dict[str, object] = {
        "tz": STOCKHOLM,
        "area": SWEDEN,
        "projection": Projection("EPSG:3006"),
        "addresses": AddressIndex([STORGATAN]),
        "now": NOW,
    }
    values.update(changes)
    return IngestRules(**values)  # type: ignore[arg-type]


def row(**values: str) -> Row:
    base = {"report_id": "K-1", "reported_at": "2026-11-20T08:00", "lat": "56.66", "lon": "16.36"}
    base.update(values)
    return Row("line 2", base)


def one(r: Row, **rule_changes: object):  # type: ignore[no-untyped-def]
    batch = validate("reports.csv", [r], rules(**rule_changes))
    return batch


def rejected_field(r: Row) -> str:
    batch = one(r)
    assert not batch.reports, "row was accepted"
    return batch.rejections[0].field


def test_good_row_becomes_a_report() -> None:
    (report, source), *_ = one(row()).reports
    assert report.report_id == "K-1"
    assert report.reported_at == datetime(2026, 11, 20, 7, tzinfo=UTC)
    assert report.premises is Premises.VILLA and report.attempt is False
    assert source == "reports.csv:line 2"


def test_rejection_names_file_row_and_field() -> None:
    rejection = one(row(reported_at="tomorrow-ish")).rejections[0]
    assert str(rejection).startswith("reports.csv, line 2, field reported_at: cannot read")


def test_missing_id_is_rejected() -> None:
    assert rejected_field(row(report_id="")) == "report_id"


def test_unparseable_time_is_rejected() -> None:
    assert rejected_field(row(occurred_from="32/13/2026")) == "occurred_from"


def test_time_in_the_future_is_rejected() -> None:
    assert rejected_field(row(reported_at="2026-11-23T08:00")) == "reported_at"


def test_clock_skew_of_a_few_minutes_is_accepted() -> None:
    assert one(row(reported_at=(NOW + timedelta(minutes=5)).isoformat())).reports


def test_offence_window_backwards_is_rejected() -> None:
    r = row(occurred_from="2026-11-19T10:00", occurred_to="2026-11-19T08:00")
    assert rejected_field(r) == "occurred_from"


def test_offence_after_the_report_is_rejected() -> None:
    assert rejected_field(row(occurred_to="2026-11-21T08:00")) == "occurred_to"


def test_coordinates_outside_the_service_area_are_rejected() -> None:
    assert rejected_field(row(lat="59.91", lon="10.75")) == "lat"  # Oslo


def test_lat_without_lon_is_rejected() -> None:
    assert rejected_field(row(lon="")) == "lon"


def test_unknown_premises_is_rejected() -> None:
    assert rejected_field(row(premises="slott")) == "premises"


@pytest.mark.parametrize(
    ("text", "premises"),
    [("villa", Premises.VILLA), ("Lägenhet", Premises.LAGENHET), ("RADHUS", Premises.RADHUS),
     ("fritidshus", Premises.FRITIDSHUS), ("", Premises.VILLA)],
)  # fmt: skip
def test_premises_values_are_read_forgivingly(text: str, premises: Premises) -> None:
    assert one(row(premises=text)).reports[0][0].premises is premises


def test_configured_premises_value_is_mapped() -> None:
    batch = one(row(premises="Villa/radhus"), premises_values={"Villa/radhus": Premises.RADHUS})
    assert batch.reports[0][0].premises is Premises.RADHUS


@pytest.mark.parametrize(
    ("text", "attempt"), [("true", True), ("ja", True), ("0", False), ("", False)]
)
def test_attempt_flag_is_read(text: str, attempt: bool) -> None:
    assert one(row(attempt=text)).reports[0][0].attempt is attempt


def test_unknown_attempt_value_is_rejected() -> None:
    assert rejected_field(row(attempt="kanske")) == "attempt"


def test_easting_northing_are_metres_in_the_metric_crs() -> None:
    sweref = Projection("EPSG:3006")
    x, y = sweref.point_to_metric(*KALMAR)
    r = row(lat="", lon="", easting=f"{x:.2f}", northing=f"{y:.2f}")
    report = one(r).reports[0][0]
    assert report.lon == pytest.approx(KALMAR[0], abs=1e-6)
    assert report.lat == pytest.approx(KALMAR[1], abs=1e-6)


def test_swapped_lat_lon_outside_the_area_is_rejected() -> None:
    assert rejected_field(row(lat="16.36", lon="56.66")) == "lat"


def test_address_is_geocoded_against_the_register() -> None:
    report = one(row(lat="", lon="", address="storg. 12 b, Kalmar")).reports[0][0]
    assert report.address_id == "A-1" and report.located_by is LocatedBy.ADDRESS
    assert (report.lon, report.lat) == KALMAR


def test_unmatched_address_is_stored_unlocated() -> None:
    batch = one(row(lat="", lon="", address="Okändavägen 3"))
    assert batch.unlocated == ["K-1"] and not batch.rejections
    assert batch.reports[0][0].located is False


def test_row_without_any_location_is_rejected() -> None:
    assert rejected_field(row(lat="", lon="")) == "lat"


def test_coordinates_and_address_keep_the_coordinates_and_link_the_address() -> None:
    report = one(row(address="Storgatan 12B")).reports[0][0]
    assert report.located_by is LocatedBy.COORDINATES and report.address_id == "A-1"


def test_duplicate_id_in_one_file_rejects_the_later_row() -> None:
    batch = validate("r.csv", [row(), Row("line 3", dict(row().values))], rules())
    assert len(batch.reports) == 1
    assert batch.rejections[0].where == "line 3" and "first at line 2" in batch.rejections[0].reason


def test_good_rows_of_a_file_with_bad_rows_are_kept() -> None:
    rows = [row(report_id=f"K-{i}") for i in range(5)] + [row(report_id="K-bad", lat="x")]
    batch = validate("r.csv", rows, rules())
    assert len(batch.reports) == 5 and len(batch.rejections) == 1


# --- readers ---------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_semicolons_bom_and_decimal_commas_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path, "r.csv", "\ufeffreport_id;reported_at;lat;lon\nK-1;2026-11-20 08:00;56,66;16,36\n"
    )
    source = read_report_file(path, Settings())
    batch = validate(path.name, source.rows, rules())
    assert batch.reports[0][0].lat == pytest.approx(56.66)


def test_csv_row_numbers_are_file_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "report_id,reported_at,lat,lon\nA,2026-11-20,56.66,16.36\nB,bad,56.66,16.36\n",
    )
    batch = validate(path.name, read_report_file(path, Settings()).rows, rules())
    assert str(batch.rejections[0]).startswith("r.csv, line 3, field reported_at")


def test_csv_row_with_too_many_fields_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, "r.csv", "report_id,reported_at,lat,lon\nA,2026-11-20,56.66,16.36,extra\n"
    )
    batch = validate(path.name, read_report_file(path, Settings()).rows, rules())
    assert batch.rejections[0].field == "columns"


def test_column_mapping_reads_another_export(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "export.csv",
        "Diarienummer;Anmäld;Brottsplats\n5000-K1-26;2026-11-20 08:00;Storgatan 12B\n",
    )
    settings = Settings.model_validate(
        {
            "ingest": {
                "columns": {
                    "report_id": "Diarienummer",
                    "reported_at": "Anmäld",
                    "address": "Brottsplats",
                }
            }
        }
    )
    batch = validate(path.name, read_report_file(path, settings).rows, rules())
    assert batch.reports[0][0].report_id == "5000-K1-26" and batch.reports[0][0].address_id == "A-1"


def test_csv_without_id_column_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no 'report_id' column"):
        read_report_file(write(tmp_path, "r.csv", "id,reported_at\n1,2026-11-20\n"), Settings())


def test_geojson_points_are_read(tmp_path: Path) -> None:
    props = {"report_id": "G-1", "reported_at": "2026-11-20T08:00", "premises": "radhus"}
    point = {"type": "Point", "coordinates": list(KALMAR)}
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": point, "properties": props}],
    }
    path = write(tmp_path, "r.geojson", json.dumps(fc))
    source = read_report_file(path, Settings())
    report = validate(path.name, source.rows, rules()).reports[0][0]
    assert (report.lon, report.lat, report.premises) == (*KALMAR, Premises.RADHUS)
    assert source.rows[0].where == "feature 1"


def test_unknown_format_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown report format"):
        read_report_file(write(tmp_path, "r.xlsx", "x"), Settings())


def test_broken_json_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"r\.json: not valid JSON"):
        read_report_file(write(tmp_path, "r.json", "{"), Settings())


# --- the police events feed --------------------------------------------------------------------


def feed_batch(path: Path):  # type: ignore[no-untyped-def]
    source = read_report_file(path, Settings())
    return source, validate(path.name, source.rows, rules(now=datetime(2026, 11, 22, tzinfo=UTC)))


def test_feed_snapshot_burglaries_are_stored_unlocated() -> None:
    source, batch = feed_batch(shared_file("polisen-events/events_snapshot_2025-06-01T0235Z.json"))
    assert source.kind == "polisen"
    assert batch.reports and not batch.rejections
    assert all(not r.located for r, _ in batch.reports)
    assert len(batch.reports) + source.skipped == 500


def test_feed_archive_every_burglary_event_is_read() -> None:
    path = shared_file("polisen-events/burglary_events_2023-2026_archive.json")
    events = json.loads(path.read_text(encoding="utf-8"))
    source, batch = feed_batch(path)
    larm = sum(e["type"] == "Larm Inbrott" for e in events)  # an alarm is not a burglary
    assert source.skipped == larm
    assert len(batch.reports) == len(events) - larm and not batch.rejections


def test_feed_event_time_comes_from_the_headline_with_its_year() -> None:
    path = shared_file("polisen-events/burglary_events_2023-2026_archive.json")
    _, batch = feed_batch(path)
    by_id = {r.report_id: r for r, _ in batch.reports}
    r = by_id["polisen-409586"]  # "20 mars 14:16, Inbrott, Stockholm", published 15:38 +01:00
    assert r.occurred_from == datetime(2023, 3, 20, 13, 16, tzinfo=UTC)
    assert r.reported_at == datetime(2023, 3, 20, 14, 38, 53, tzinfo=UTC)
    assert r.premises is Premises.LAGENHET  # "Lägenhetsinbrott i Beckomberga."


def test_feed_headline_time_after_publication_is_dropped_not_rejected() -> None:
    path = shared_file("polisen-events/burglary_events_2023-2026_archive.json")
    _, batch = feed_batch(path)
    by_id = {r.report_id: r for r, _ in batch.reports}
    # "… 22.27" in the headline, published 06:27 the same day: the headline time is a typo.
    assert by_id["polisen-625613"].occurred_from is None


def test_feed_attempt_type_is_an_attempt() -> None:
    path = shared_file("polisen-events/burglary_events_2023-2026_archive.json")
    _, batch = feed_batch(path)
    attempts = [r for r, _ in batch.reports if r.attempt]
    assert attempts
