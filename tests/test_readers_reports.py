"""Report files that once crashed a reader: each bad row is rejected naming its line and field,
the good rows of the same file are kept, and a file that is wrong as a whole is one line."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.config import Settings
from cocoon.core.addressing import AddressIndex
from cocoon.core.geo import Projection, ServiceArea
from cocoon.errors import InputError
from cocoon.sources.report_rows import Batch, IngestRules, validate
from cocoon.sources.reports import read_report_file
from tests.support import STOCKHOLM

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
SWEDEN = ServiceArea("Sverige", Settings().area.bbox)
KALMAR_AREA = ServiceArea("Kalmar", (16.2, 56.6, 16.5, 56.75))
SWEREF = Projection("EPSG:3006")
HEADER = "report_id,reported_at,occurred_from,occurred_to,lat,lon,address,premises\n"


def rules(area: ServiceArea = SWEDEN) -> IngestRules:
    return IngestRules(STOCKHOLM, area, SWEREF, AddressIndex([]), NOW)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def ingest(path: Path, area: ServiceArea = SWEDEN) -> Batch:
    source = read_report_file(path, Settings())
    return validate(path.name, source.rows, rules(area), skipped=source.skipped)


def stored(batch: Batch) -> list[str]:
    return [report.report_id for report, _ in batch.reports]


def messages(batch: Batch) -> list[str]:
    return [str(r) for r in batch.rejections]


def good(report_id: str) -> str:
    return f"{report_id},2026-11-20T08:00,,,56.66,16.36,,villa\n"


# --- 1. a field over 128 KB ----------------------------------------------------------------------


def test_a_field_over_128_kb_rejects_its_row_naming_line_and_field(tmp_path: Path) -> None:
    huge = "Storgatan " + "x" * 140_000
    text = HEADER + good("A") + f'B,2026-11-20T08:00,,,56.66,16.36,"{huge}",villa\n' + good("C")
    batch = ingest(write(tmp_path, "r.csv", text))
    assert stored(batch) == ["A", "C"]
    assert messages(batch) == [
        "r.csv, line 3, field address: longer than 128 KB (140,010 characters)"
    ]


def test_an_unclosed_quote_swallowing_the_file_is_a_row_error_not_a_crash(tmp_path: Path) -> None:
    text = HEADER + good("A") + 'B,2026-11-20T08:00,,,56.66,16.36,"' + "y" * (17 << 20) + "\n"
    batch = ingest(write(tmp_path, "r.csv", text))
    assert stored(batch) == ["A"]
    assert batch.rejections[0].field == "columns" and "unclosed quote" in batch.rejections[0].reason


# --- 2. times Python cannot shift to UTC ---------------------------------------------------------


@pytest.mark.parametrize("column", ["reported_at", "occurred_from", "occurred_to"])
@pytest.mark.parametrize(
    ("text", "reason"),
    [("0001-01-01", "'0001-01-01' is before 1900"), ("9999-12-31T23:59", "is after 2100")],
)
def test_a_csv_time_in_year_1_or_9999_is_rejected_naming_the_field(
    tmp_path: Path, column: str, text: str, reason: str
) -> None:
    values = {"report_id": "B", "reported_at": "2026-11-20T08:00", "lat": "56.66", "lon": "16.36"}
    values[column] = text
    row = ",".join(values.get(c, "") for c in HEADER.strip().split(","))
    batch = ingest(write(tmp_path, "r.csv", HEADER + good("A") + row + "\n"))
    assert stored(batch) == ["A"]
    (rejection,) = batch.rejections
    assert rejection.field == column and reason in rejection.reason


@pytest.mark.parametrize("column", ["reported_at", "occurred_from", "occurred_to"])
def test_a_geojson_time_in_year_1_is_rejected_naming_the_field(tmp_path: Path, column: str) -> None:
    props = {"report_id": "G-2", "reported_at": "2026-11-20T08:00", column: "0001-01-01T00:00"}
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [16.36, 56.66]},
         "properties": p}
        for p in ({"report_id": "G-1", "reported_at": "2026-11-20T08:00"}, props)
    ]  # fmt: skip
    path = write(
        tmp_path, "r.geojson", json.dumps({"type": "FeatureCollection", "features": features})
    )
    batch = ingest(path)
    assert stored(batch) == ["G-1"]
    assert messages(batch) == [
        f"r.geojson, feature 2, field {column}: '0001-01-01T00:00' is before 1900"
    ]


def test_a_police_event_dated_year_1_is_rejected_and_the_others_kept(tmp_path: Path) -> None:
    events = [_event(1, "2026-11-20 08:00:00 +01:00"), _event(2, "0001-01-01 00:00:00 +01:00")]
    batch = ingest(write(tmp_path, "feed.json", json.dumps(events)))
    assert stored(batch) == ["polisen-1"]
    assert messages(batch) == [
        "feed.json, event 2 (id 2), field reported_at: '0001-01-01 00:00:00 +01:00' is before 1900"
    ]


# --- 3. GeoJSON nested 100,000 levels deep -------------------------------------------------------


def test_geojson_nested_100000_levels_deep_is_one_line_file_error(tmp_path: Path) -> None:
    deep = '{"type": "FeatureCollection", "features": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(InputError) as caught:
        read_report_file(write(tmp_path, "deep.geojson", deep), Settings())
    assert (
        str(caught.value)
        == f"{tmp_path / 'deep.geojson'}: JSON nested too deeply to be a report file"
    )


# --- 4. the police feed --------------------------------------------------------------------------


def _event(event_id: object, when: str) -> dict[str, object]:
    return {
        "id": event_id,
        "datetime": when,
        "name": "20 november 06.29, Inbrott, Kalmar",
        "summary": "Inbrott i villa.",
        "type": "Inbrott",
        "location": {"name": "Kalmar", "gps": "56.66,16.36"},
    }


def test_a_feed_element_that_is_not_an_object_is_rejected_naming_its_index(
    tmp_path: Path,
) -> None:
    events = [_event(1, "2026-11-20 08:00:00 +01:00"), 5, _event(3, "2026-11-20 09:00:00 +01:00")]
    batch = ingest(write(tmp_path, "feed.json", json.dumps(events)))
    assert stored(batch) == ["polisen-1", "polisen-3"]
    assert messages(batch) == [
        "feed.json, event 2, field event: array element 2 is a number, not an object"
    ]


def test_a_feed_whose_first_elements_are_not_objects_is_still_a_feed(tmp_path: Path) -> None:
    events = ["x", None, [], True, 7, _event(6, "2026-11-20 08:00:00 +01:00")]
    batch = ingest(write(tmp_path, "feed.json", json.dumps(events)))
    assert stored(batch) == ["polisen-6"] and len(batch.rejections) == 5


def test_an_empty_feed_is_valid_and_gives_no_reports(tmp_path: Path) -> None:
    source = read_report_file(write(tmp_path, "feed.json", "[]"), Settings())
    assert source.kind == "polisen" and source.rows == []


def test_a_feed_event_id_given_as_an_object_is_rejected(tmp_path: Path) -> None:
    batch = ingest(write(tmp_path, "feed.json", json.dumps([_event({"a": 1}, "2026-11-20 08:00")])))
    assert messages(batch) == [
        "feed.json, event 1, field id: is an object: id must be a string or a number"
    ]


def test_a_json_array_of_other_things_is_not_taken_for_a_feed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither a GeoJSON FeatureCollection nor a police feed"):
        read_report_file(write(tmp_path, "list.json", '[{"a": 1}, 2]'), Settings())


# --- 5. a column twice ---------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["lat", "LAT", " Lat "])
def test_a_header_with_a_column_twice_is_refused_naming_it(tmp_path: Path, second: str) -> None:
    text = f"report_id,reported_at,lat,lon,{second}\nA,2026-11-20T08:00,56.66,16.36,60.66\n"
    with pytest.raises(InputError) as caught:
        read_report_file(write(tmp_path, "r.csv", text), Settings())
    assert f"the header has the column {second.strip()!r} twice" in str(caught.value)


def test_a_mapped_column_twice_is_refused_after_the_mapping(tmp_path: Path) -> None:
    settings = Settings.model_validate({"ingest": {"columns": {"report_id": "Diarienummer"}}})
    text = "Diarienummer,reported_at,lat,lon,DIARIENUMMER\nA,2026-11-20,56.66,16.36,B\n"
    with pytest.raises(InputError, match="'DIARIENUMMER' twice"):
        read_report_file(write(tmp_path, "r.csv", text), settings)


def test_an_unused_column_twice_is_no_matter(tmp_path: Path) -> None:
    text = "report_id,reported_at,lat,lon,note,note\nA,2026-11-20T08:00,56.66,16.36,x,y\n"
    assert stored(ingest(write(tmp_path, "r.csv", text))) == ["A"]


def test_column_names_are_matched_without_case(tmp_path: Path) -> None:
    text = "Report_ID,Reported_At,LAT,Lon\nA,2026-11-20T08:00,56.66,16.36\n"
    ((report, _),) = ingest(write(tmp_path, "r.csv", text)).reports
    assert (report.report_id, report.lat) == ("A", 56.66)


def test_a_geojson_property_given_twice_in_different_case_rejects_the_row(tmp_path: Path) -> None:
    props = {"report_id": "G-1", "reported_at": "2026-11-20T08:00", "lat": "56.66", "LAT": "60.1",
             "lon": "16.36"}  # fmt: skip
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props,
                                                      "geometry": None}]}  # fmt: skip
    batch = ingest(write(tmp_path, "r.geojson", json.dumps(fc)))
    assert messages(batch) == [
        "r.geojson, feature 1, field LAT: given twice (compared without case and accents)"
    ]


# --- 6. control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("report_id", "K-1\\nLARM K-9", "U+000A"), ("report_id", "K\\x00-1", "U+0000"),
     ("address", "Storgatan\\r 1", "U+000D"), ("address", "Storgatan\\x0b1", "U+000B"),
     ("premises", "villa\\x1b[31m", "U+001B"), ("report_id", "K-\\u202e1", "U+202E")],
)  # fmt: skip
def test_a_control_character_in_a_text_field_rejects_the_row_naming_the_field(
    tmp_path: Path, column: str, value: str, code: str
) -> None:
    value = value.encode().decode("unicode_escape")
    values = {"report_id": "B", "reported_at": "2026-11-20T08:00", "lat": "56.66", "lon": "16.36"}
    values[column] = value
    row = ",".join(f'"{values.get(c, "")}"' for c in HEADER.strip().split(","))
    batch = ingest(write(tmp_path, "r.csv", HEADER + good("A") + row + "\n"))
    assert stored(batch) == ["A"]
    assert messages(batch) == [
        f"r.csv, line 3, field {column}: contains the control character {code}; remove it"
    ]


def test_swedish_letters_and_spaces_inside_names_are_ordinary_text(tmp_path: Path) -> None:
    row = 'Ö-1,2026-11-20T08:00,,,56.66,16.36,"Östra Långgatan 12\u00a0B, Kalmar",lägenhet\n'
    ((report, _),) = ingest(write(tmp_path, "r.csv", HEADER + row)).reports
    assert report.report_id == "Ö-1" and report.address == "Östra Långgatan 12\u00a0B, Kalmar"


def test_a_lone_surrogate_in_json_is_rejected_not_written_to_a_file(tmp_path: Path) -> None:
    text = '[{"id": "\\ud800", "datetime": "2026-11-20 08:00:00 +01:00", "type": "Inbrott"}]'
    batch = ingest(write(tmp_path, "feed.json", text))
    assert messages(batch) == [
        "feed.json, event 1, field report_id: contains the control character U+D800; remove it"
    ]


# --- 7. a GeoJSON Feature id ---------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", [{"a": 1}, [1, 2]])
def test_a_feature_id_given_as_an_object_or_array_rejects_the_row(
    tmp_path: Path, bad_id: object
) -> None:
    features = [
        {"type": "Feature", "id": i, "properties": {"reported_at": "2026-11-20T08:00"},
         "geometry": {"type": "Point", "coordinates": [16.36, 56.66]}}
        for i in ("G-1", bad_id, 3)
    ]  # fmt: skip
    batch = ingest(
        write(
            tmp_path, "r.geojson", json.dumps({"type": "FeatureCollection", "features": features})
        )
    )
    assert stored(batch) == ["G-1", "3"]
    (rejection,) = batch.rejections
    assert (rejection.where, rejection.field) == ("feature 2", "id")
    assert "id must be a string or a number" in rejection.reason


def test_a_property_given_as_an_object_rejects_the_row(tmp_path: Path) -> None:
    props = {"report_id": "G-1", "reported_at": {"when": "today"}}
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props,
          "geometry": {"type": "Point", "coordinates": [16.36, 56.66]}}]}  # fmt: skip
    assert messages(ingest(write(tmp_path, "r.geojson", json.dumps(fc)))) == [
        "r.geojson, feature 1, field reported_at: is an object; it must be a string or a number"
    ]


# --- 8. every located row outside the area -------------------------------------------------------


def test_a_report_file_with_lat_and_lon_swapped_is_refused_saying_so(tmp_path: Path) -> None:
    rows = "".join(f"R{i},2026-11-20T08:00,,,16.3{i},56.6{i},,villa\n" for i in range(5))
    with pytest.raises(InputError) as caught:
        ingest(write(tmp_path, "r.csv", HEADER + rows))
    assert str(caught.value) == (
        "r.csv: none of 5 located rows lies in the service area Sverige; with the two coordinate "
        "columns swapped 5 would: are lat and lon (or easting and northing) swapped?"
    )


def test_a_report_file_in_rt90_is_refused_saying_so(tmp_path: Path) -> None:
    text = "report_id,reported_at,easting,northing\n" + "".join(
        f"R{i},2026-11-20T08:00,{1_533_000 + 100 * i},{6_282_000 + 100 * i}\n" for i in range(3)
    )  # central Kalmar in RT90 2.5 gon V
    with pytest.raises(InputError, match=r"look like RT90 \(EPSG:3021"):
        ingest(write(tmp_path, "r.csv", text), KALMAR_AREA)


def test_one_report_outside_the_area_is_a_row_rejection_not_a_file_error(tmp_path: Path) -> None:
    batch = ingest(write(tmp_path, "r.csv", HEADER + "R,2026-11-20T08:00,,,59.91,10.75,,villa\n"))
    assert [r.field for r in batch.rejections] == ["lat"]


def test_a_file_with_some_rows_inside_keeps_them_and_rejects_the_rest(tmp_path: Path) -> None:
    text = HEADER + good("A") + "B,2026-11-20T08:00,,,16.36,56.66,,villa\n"
    batch = ingest(write(tmp_path, "r.csv", text))
    assert stored(batch) == ["A"] and [r.field for r in batch.rejections] == ["lat"]


# --- 9. Windows files ----------------------------------------------------------------------------


def test_a_windows_1252_csv_is_read_with_its_swedish_letters_and_says_so(tmp_path: Path) -> None:
    text = (
        "report_id;reported_at;lat;lon;address;premises\n"
        "Å-1;2026-11-20 08:00;56,66;16,36;Östra Långgatan 4;lägenhet\n"
    )
    source = read_report_file(write(tmp_path, "r.csv", text.encode("cp1252")), Settings())
    assert source.kind == "csv, read as Windows-1252" and source.encoding == "Windows-1252"
    ((report, _),) = validate("r.csv", source.rows, rules()).reports
    assert (report.report_id, report.address) == ("Å-1", "Östra Långgatan 4")


def test_a_utf8_csv_with_a_bom_is_read_as_utf8(tmp_path: Path) -> None:
    text = "report_id;reported_at;lat;lon;address\nÄ-1;2026-11-20 08:00;56,66;16,36;Åsgatan 1\n"
    source = read_report_file(write(tmp_path, "r.csv", text.encode("utf-8-sig")), Settings())
    assert source.kind == "csv" and source.rows[0].values["report_id"] == "Ä-1"


def test_a_utf16_csv_from_excel_is_read(tmp_path: Path) -> None:
    text = "report_id\treported_at\tlat\tlon\nÖ-1\t2026-11-20 08:00\t56.66\t16.36\n"
    source = read_report_file(write(tmp_path, "r.csv", text.encode("utf-16")), Settings())
    assert source.kind == "csv, read as UTF-16" and source.rows[0].values["report_id"] == "Ö-1"


def test_a_file_neither_utf8_nor_windows_1252_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"r.csv: neither UTF-8 \(byte 30\) nor Windows-1252"):
        read_report_file(
            write(tmp_path, "r.csv", b"report_id,reported_at,lat,lon\n\x81\x8d\n"), Settings()
        )


# --- 10. the rejects file reads back -------------------------------------------------------------


def test_rejects_file_round_trip_fix_it_and_ingest_it_and_every_row_is_stored(
    app: Installation, tmp_path: Path
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    at = (now - timedelta(days=1)).isoformat()
    text = (
        "report_id;reported_at;lat;lon;premises\n"
        f"A;{at};56,66;16,36;villa\nB;igår;56,67;16,37;radhus\n"
        f"C;{at};56,68;16,38;slott\nD;{at};56,69;16,39;villa;?\n"
    )
    first = app.reports.ingest(write(tmp_path, "v47.csv", text.encode("cp1252")), now)
    assert first.created == 1 and len(first.rejections) == 3 and first.rejects_path is not None
    with first.rejects_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["report_id"], r["row"], r["field"]) for r in rows] == [
        ("B", "line 3", "reported_at"), ("C", "line 4", "premises"), ("D", "line 5", "columns")
    ]  # fmt: skip
    fixes = {"B": {"reported_at": at}, "C": {"premises": "villa"}, "D": {}}
    for row in rows:
        row.update(fixes[row["report_id"]])
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = app.reports.ingest(fixed, now)
    assert (second.created, second.rejections) == (3, [])
    assert app.reports.ingest(first.rejects_path.parent / "../v47.csv", now).unchanged == 1


def test_a_rejects_file_reads_back_under_a_column_mapping(tmp_path: Path) -> None:
    from cocoon.outputs.rejects import rejects_csv

    settings = Settings.model_validate(
        {"ingest": {"columns": {"report_id": "Diarienummer", "reported_at": "Anmäld"}}}
    )
    path = write(tmp_path, "export.csv", "Diarienummer;Anmäld;lat;lon\nK-1;igår;56,66;16,36\n")
    batch = validate(path.name, read_report_file(path, settings).rows, rules())
    rejects = write(tmp_path, "export.rejects.csv", rejects_csv(batch.rejections, "excel"))
    fixed = rejects.read_text(encoding="utf-8-sig").replace("igår", "2026-11-20 08:00")
    rejects.write_text(fixed, encoding="utf-8-sig")
    again = validate(rejects.name, read_report_file(rejects, settings).rows, rules())
    assert stored(again) == ["K-1"] and again.rejections == []


def test_a_whole_file_rejection_row_reads_back_as_nothing(tmp_path: Path) -> None:
    from cocoon.outputs.rejects import rejects_csv
    from cocoon.sources.report_rows import Rejection

    text = rejects_csv([Rejection("broken.json", "whole file", "file", "not valid JSON", {})])
    assert read_report_file(write(tmp_path, "broken.rejects.csv", text), Settings()).rows == []
