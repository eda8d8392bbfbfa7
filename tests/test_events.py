"""Event files for the analyses: the three file forms and report files read into metres and local
days, bad rows named by file, line and field, lat/lon projected to sensible metres anywhere."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from cocoon.app.evidence import EvidenceCases
from cocoon.core.geo import Projection
from cocoon.errors import InputError
from cocoon.sources.csvfile import read_text
from cocoon.sources.events import Events, read_event_file
from tests.support import KALMAR, STOCKHOLM, SWEREF, make_app, shared_file, utc

SWEDEN = (10.9, 55.3, 24.2, 69.1)
CHICAGO = "burglary-chicago-nearrepeat/chicago_be_2016.csv"
JAN_1_2016 = float((date(2016, 1, 1) - date(1970, 1, 1)).days)


def read(tmp_path: Path, text: str, name: str = "events.csv") -> Events:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_event_file(path, read_text(path), STOCKHOLM, SWEREF, SWEDEN)


def messages(events: Events) -> list[str]:
    return [str(r) for r in events.rejections]


def test_an_x_y_date_file_gives_metres_and_local_days(tmp_path: Path) -> None:
    events = read(tmp_path, "x,y,date\n100.5,200,2016-01-01\n300,400.25,2016-01-08\n")
    assert events.form == "x,y,date" and events.crs == ""
    assert events.x.tolist() == [100.5, 300.0] and events.y.tolist() == [200.0, 400.25]
    assert events.t.tolist() == [JAN_1_2016, JAN_1_2016 + 7]
    assert events.whole_days and events.known is None
    assert events.days() == (date(2016, 1, 1), date(2016, 1, 8))


def test_column_names_match_whatever_their_case_and_x_y_win_over_lat_lon(tmp_path: Path) -> None:
    events = read(
        tmp_path, "X,Y,Date,LAT,Lon\n1,2,2016-01-01,41.8,-87.7\n3,4,2016-01-02,41.9,-87.6\n"
    )
    assert events.form == "x,y,date"
    assert events.x.tolist() == [1.0, 3.0] and events.y.tolist() == [2.0, 4.0]


def test_a_time_column_called_as_police_exports_call_it_is_the_date(tmp_path: Path) -> None:
    events = read(
        tmp_path, "TYPE,X,Y,occurred_local\nB&E,1,2,2016-01-01T12:00\nB&E,3,4,2016-01-08T06:00\n"
    )
    assert events.form == "x,y,date" and not events.whole_days
    assert events.t.tolist() == [JAN_1_2016 + 0.5, JAN_1_2016 + 7.25]


def test_a_file_without_a_header_is_the_near_repeat_calculators_x_y_date(tmp_path: Path) -> None:
    events = read(tmp_path, "350353.39,578924.25,2015-12-31\n355691.34,586715.56,2016-01-01\n")
    assert events.form == "X,Y,date" and len(events) == 2
    assert events.t.tolist() == [JAN_1_2016 - 1, JAN_1_2016]


def test_semicolons_and_decimal_commas_are_read(tmp_path: Path) -> None:
    events = read(
        tmp_path, "x;y;datum\n6283000,5;583000,25;2026-03-01\n6283100;583000;2026-03-02\n"
    )
    assert events.x.tolist() == [6283000.5, 6283100.0]
    assert events.y.tolist() == [583000.25, 583000.0]


def test_lat_lon_in_the_service_area_are_in_its_metric_crs(tmp_path: Path) -> None:
    lon, lat = KALMAR
    events = read(
        tmp_path, f"lat,lon,date\n{lat},{lon},2026-03-01\n{lat + 0.01},{lon},2026-03-02\n"
    )
    assert events.form == "lat,lon,date" and events.crs == "EPSG:3006"
    x, y = SWEREF.point_to_metric(lon, lat)
    assert (events.x[0], events.y[0]) == pytest.approx((x, y), abs=1e-6)


def test_lat_lon_elsewhere_get_true_distances_in_a_local_transverse_mercator(
    tmp_path: Path,
) -> None:
    """Chicago's lat/lon in SWEREF 99 TM would be metres of a map 7,000 km from its centre; the
    local projection keeps each distance to the geodesic one within a centimetre per 500 m."""
    geod = Geod(ellps="WGS84")
    lon0, lat0 = -87.7, 41.85
    rng = np.random.default_rng(5)
    azimuths, lengths = rng.uniform(0, 360, 40), rng.uniform(50, 500, 40)
    starts = rng.uniform(-0.2, 0.2, (40, 2)) + np.array([lon0, lat0])  # a city 30 km across
    ends = [
        geod.fwd(a[0], a[1], az, d)[:2] for a, az, d in zip(starts, azimuths, lengths, strict=True)
    ]
    rows = [
        f"{s[1]:.9f},{s[0]:.9f},2016-01-01\n{e[1]:.9f},{e[0]:.9f},2016-01-02\n"
        for s, e in zip(starts, ends, strict=True)
    ]
    events = read(tmp_path, "lat,lon,date\n" + "".join(rows))
    assert events.crs.startswith("+proj=tmerc") and len(events) == 80
    measured = np.hypot(events.x[1::2] - events.x[::2], events.y[1::2] - events.y[::2])
    assert measured == pytest.approx(lengths, abs=0.01)


@pytest.mark.shared_data
def test_chicagos_lat_lon_give_the_distances_of_its_x_y(tmp_path: Path) -> None:
    """chicago_be_2016.csv has both: NAD83 / Illinois East metres and lat/lon to 6 decimals."""
    with shared_file(CHICAGO).open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["date"]][:3000]
    latlon = read(
        tmp_path, "lat,lon,date\n" + "".join(f"{r['lat']},{r['lon']},{r['date']}\n" for r in rows)
    )
    x, y = np.array([float(r["X"]) for r in rows]), np.array([float(r["Y"]) for r in rows])
    i, j = np.triu_indices(len(rows), 1)
    true = np.hypot(x[i] - x[j], y[i] - y[j])
    close = true <= 500
    ours = np.hypot(latlon.x[i] - latlon.x[j], latlon.y[i] - latlon.y[j])
    assert close.sum() > 1000
    assert np.abs(ours[close] - true[close]).max() < 0.3  # lat/lon are rounded to about 0.1 m


def test_a_row_without_a_date_is_rejected_naming_file_line_and_field(tmp_path: Path) -> None:
    events = read(tmp_path, "X,Y,date\n1,2,2016-01-01\n3,4,\n5,6,2016-01-03\n")
    assert len(events) == 2
    assert messages(events) == ["events.csv, line 3, field date: missing"]
    assert events.rejections[0].values == {"X": "3", "Y": "4", "date": ""}


def test_a_row_dated_year_1_is_rejected_naming_the_field(tmp_path: Path) -> None:
    events = read(tmp_path, "x,y,date\n1,2,0001-01-01\n3,4,2016-01-03\n5,6,2016-01-04\n")
    assert messages(events) == [
        "events.csv, line 2, field date: '0001-01-01': the year 1 is not 1900–2100"
    ]


def test_unreadable_values_are_rejected_naming_their_field(tmp_path: Path) -> None:
    events = read(
        tmp_path,
        "x,y,date\nabc,2,2016-01-01\n1,,2016-01-01\n1,2,31/01/2016\n1,2,2016-01-01\n1,2,2016-01-02\n",
    )
    assert messages(events) == [
        "events.csv, line 2, field x: 'abc' is not a number",
        "events.csv, line 3, field y: missing",
        "events.csv, line 4, field date: cannot read '31/01/2016' as an ISO 8601 date or time",
    ]
    assert len(events) == 2


def test_lat_lon_that_are_not_degrees_are_rejected(tmp_path: Path) -> None:
    events = read(tmp_path, "lat,lon,date\n156.6,16.3,2026-03-01\n56.6,16.3,2026-03-01\n")
    assert messages(events) == [
        "events.csv, line 2, field lat: 156.6, 16.3 are not WGS 84 degrees (lat, lon)"
    ]


def test_times_of_day_are_fractions_of_local_days_and_offsets_go_to_local_time(
    tmp_path: Path,
) -> None:
    events = read(
        tmp_path,
        "x,y,date\n0,0,2026-03-01T12:00\n0,0,2026-03-01 06:00\n0,0,2026-03-01T11:00+00:00\n",
    )
    day = float((date(2026, 3, 1) - date(1970, 1, 1)).days)
    assert events.t.tolist() == [day + 0.5, day + 0.25, day + 0.5]  # 11:00 UTC is 12:00 in Sweden
    assert not events.whole_days


def test_rows_read_at_once_and_one_by_one_agree_and_keep_file_order(tmp_path: Path) -> None:
    """Plain rows are read by numpy, the others one by one: the same values, in file order."""
    rows = [(100.25 * k, 7.5 * k, f"2016-01-{1 + k % 28:02d}") for k in range(40)]
    plain = read(tmp_path, "x,y,date\n" + "".join(f"{a},{b},{d}\n" for a, b, d in rows))
    mixed_rows = [
        f"{a},{b},{d}T00:00" if k % 3 == 0 else f"{a},{b},{d}" for k, (a, b, d) in enumerate(rows)
    ]  # a date-time every third row: those go one by one
    mixed = read(tmp_path, "x,y,date\n" + "\n".join(mixed_rows) + "\n", "mixed.csv")
    commas = "".join(f"{a};{b};{d}\n".replace(".", ",") for a, b, d in rows)
    swedish = read(tmp_path, "x;y;date\n" + commas, "swedish.csv")  # numpy reads none of it
    for other in (mixed, swedish):
        assert other.x.tolist() == plain.x.tolist() and other.y.tolist() == plain.y.tolist()
        assert other.t.tolist() == plain.t.tolist()


def test_midnight_counts_as_a_whole_day(tmp_path: Path) -> None:
    assert read(tmp_path, "x,y,date\n0,0,2026-03-01T00:00\n1,1,2026-03-02\n").whole_days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x,y,when\n1,2,2016-01-01\n", "no 'date' column in the header (x, y, when)"),
        ("a,b,c\n1,2,3\n", "the header (a, b, c) names neither x, y, date nor lat, lon, date"),
        ("", "no rows"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_one_line_error(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'events.csv'}: {message}")
    assert "\n" not in str(caught.value)


@pytest.mark.shared_data
def test_chicago_2016_reads_11700_events_and_names_the_undated_row(tmp_path: Path) -> None:
    path = shared_file(CHICAGO)
    events = read_event_file(path, read_text(path), STOCKHOLM, SWEREF, SWEDEN)
    assert len(events) == 11_700 and events.form == "x,y,date"
    assert messages(events) == ["chicago_be_2016.csv, line 2364, field date: missing"]
    assert events.days() == (date(2015, 12, 31), date(2016, 12, 31))


# --- report files, through the use case ----------------------------------------------------------


def test_a_report_file_gives_risk_starts_reported_times_and_its_rejections(tmp_path: Path) -> None:
    lon, lat = KALMAR
    path = tmp_path / "reports.csv"
    path.write_text(
        "report_id,reported_at,occurred_from,occurred_to,lat,lon,address\n"
        f"A,2026-03-02T08:00,2026-03-01T10:00,2026-03-01T18:00,{lat},{lon},\n"
        f"B,2026-03-03T12:00,,,{lat + 0.001},{lon},\n"
        "C,2026-03-04T12:00,,,,,Okändgatan 1\n"
        "D,not a time,,,56.6,16.3,\n",
        encoding="utf-8",
    )
    app = make_app(f"sqlite:///{tmp_path / 'c.sqlite'}")
    events = EvidenceCases(app.context).file_events(path, now=utc(2026, 3, 10))
    day = float((date(2026, 3, 1) - date(1970, 1, 1)).days)
    assert events.form == "reports" and events.crs == "EPSG:3006"
    assert events.t.tolist() == [day + 18 / 24, day + 2 + 12 / 24]  # the risk start
    assert events.known is not None and events.known.tolist() == [day + 1 + 8 / 24, day + 2.5]
    x, y = Projection("EPSG:3006").point_to_metric(lon, lat)
    assert (events.x[0], events.y[0]) == pytest.approx((x, y))
    assert messages(events) == [
        "reports.csv, line 4, field address: not found in the address register: no point to test",
        "reports.csv, line 5, field reported_at: cannot read 'not a time' as an ISO 8601 time",
    ]
    app.engine.dispose()
