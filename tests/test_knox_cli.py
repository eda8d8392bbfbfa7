"""`cocoon knox` as a user runs it: the CSV contract of DESIGN.md, NRC's counts through the
command, the file forms, rows left out by name, the stored reports and their filters, the table
in Swedish and English, and a PNG for a report."""

from __future__ import annotations

import csv
import json
import re
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from cocoon.analysis.knox import KnoxSettings
from cocoon.app.evidence import EvidenceCases, ReportFilter
from cocoon.app.installation import Installation
from cocoon.cli.common import State
from cocoon.cli.evidence import knox
from cocoon.core.model import Premises
from cocoon.errors import InputError
from tests.support import KALMAR, SWEREF, make_app, shared_file, utc
from tests.test_knox import JANUARY, NRC_JANUARY

HEADER = [
    "space_from_m",
    "space_to_m",
    "time_from_days",
    "time_to_days",
    "observed",
    "expected",
    "ratio",
    "p",
]
START = date(2026, 3, 1)


def run(folder: Path, *args: str, db: str | None = None) -> Result:
    state = State(db or f"sqlite:///{folder / 'c.sqlite'}", None)
    return CliRunner().invoke(knox, list(args), obj=state)


def town_events(seed: int = 3, n: int = 80) -> tuple[np.ndarray, np.ndarray, list[date]]:
    """Burglaries around central Kalmar (SWEREF 99 TM metres) over two months, some repeats."""
    rng = np.random.default_rng(seed)
    x0, y0 = SWEREF.point_to_metric(*KALMAR)
    x, y = x0 + rng.uniform(0, 1500, n), y0 + rng.uniform(0, 1500, n)
    again = np.arange(n // 2, n, 4)
    x[again], y[again] = x[: len(again)], y[: len(again)]  # a few at the same place
    days = [date.fromordinal(START.toordinal() + int(d)) for d in rng.integers(0, 60, n)]
    return x, y, days


def write_events(path: Path, form: str, seed: int = 3) -> Path:
    x, y, days = town_events(seed)
    lines = []
    if form == "x,y,date":
        lines = [
            "x,y,date",
            *(f"{a!r},{b!r},{d}" for a, b, d in zip(x.tolist(), y.tolist(), days, strict=True)),
        ]
    elif form == "nrc":
        lines = [f"{a!r},{b!r},{d}" for a, b, d in zip(x.tolist(), y.tolist(), days, strict=True)]
    else:
        lon, lat = SWEREF.to_wgs84(x, y)
        lines = [
            "lat,lon,date",
            *(f"{a!r},{b!r},{d}" for a, b, d in zip(lat.tolist(), lon.tolist(), days, strict=True)),
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def flat(text: str) -> str:
    """Terminal text with its wrapped lines joined (non-breaking spaces kept)."""
    return re.sub(r" *\n *", " ", text)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- the CSV contract ----------------------------------------------------------------------------


def test_knox_writes_one_row_per_cell_in_the_columns_of_the_contract(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, str(data), "--iterations", "99", "-o", str(tmp_path / "knox.csv"))
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "knox.csv").read_bytes()
    assert raw.startswith(b"space_from_m,") and b"\r" not in raw
    rows = read_csv(tmp_path / "knox.csv")
    assert list(rows[0]) == HEADER
    assert len(rows) == (5 + 2) * (4 + 1)  # same location, 5 bands, beyond; 4 bands, beyond
    same = rows[:5]
    assert {(r["space_from_m"], r["space_to_m"]) for r in same} == {("0", "0")}
    assert [(r["space_from_m"], r["space_to_m"]) for r in rows[5::5]] == [
        ("0", "100"), ("100", "200"), ("200", "300"), ("300", "400"), ("400", "500"), ("500", ""),
    ]  # fmt: skip
    assert [(r["time_from_days"], r["time_to_days"]) for r in rows[:5]] == [
        ("0", "7"), ("7", "14"), ("14", "21"), ("21", "28"), ("28", ""),
    ]  # fmt: skip
    assert sum(int(r["observed"]) for r in rows) == 80 * 79 // 2
    assert int(same[0]["observed"]) > 0  # the repeats at one place
    for r in rows:
        assert 0 < float(r["p"]) <= 1 and float(r["expected"]) >= 0
        if r["ratio"]:
            assert float(r["ratio"]) == pytest.approx(
                int(r["observed"]) / float(r["expected"]), rel=1e-5
            )
    assert "written: " in result.output


def test_the_same_file_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    for name in ("a.csv", "b.csv"):
        assert (
            run(tmp_path, str(data), "--iterations", "49", "-o", str(tmp_path / name)).exit_code
            == 0
        )
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


@pytest.mark.shared_data
def test_nrc_convention_through_the_command_gives_nrc_13s_counts(tmp_path: Path) -> None:
    out = tmp_path / "january.csv"
    result = run(
        tmp_path,
        str(shared_file(JANUARY)),
        *("--space-bands", "3", "--time-bands", "3", "--distance", "manhattan"),
        *("--convention", "nrc", "--iterations", "19", "-o", str(out)),
    )
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    observed = [[int(r["observed"]) for r in rows[k : k + 4]] for k in range(0, len(rows), 4)]
    assert observed == NRC_JANUARY
    # NRC's bands, labelled by the days they hold: its "0 to 7" is 0-6 days
    assert "0–6\u00a0dagar" in result.stdout and "mer än 20\u00a0dagar" in result.stdout
    assert "300\u00a0m eller mer" in result.stdout
    assert "Near Repeat Calculator 1.3" in flat(result.stdout)


@pytest.mark.parametrize("form", ["lat,lon,date", "nrc"])
def test_the_three_file_forms_give_the_same_table(tmp_path: Path, form: str) -> None:
    xy = write_events(tmp_path / "xy.csv", "x,y,date")
    other = write_events(tmp_path / "other.csv", form)
    for data, out in ((xy, "xy-knox.csv"), (other, "other-knox.csv")):
        result = run(tmp_path, str(data), "--iterations", "49", "-o", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    assert read_csv(tmp_path / "xy-knox.csv") == read_csv(tmp_path / "other-knox.csv")


def test_a_report_file_is_tested_at_the_risk_starts(tmp_path: Path) -> None:
    x, y, days = town_events()
    lon, lat = SWEREF.to_wgs84(x, y)
    path = tmp_path / "anmalningar.csv"
    lines = ["report_id,reported_at,occurred_to,lat,lon"]
    for k, (a, b, d) in enumerate(zip(lat.tolist(), lon.tolist(), days, strict=True)):
        lines.append(f"R{k},{d}T23:00,{d}T02:00,{a!r},{b!r}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    xy = write_events(tmp_path / "xy.csv", "x,y,date")
    for data, out in ((xy, "xy.out.csv"), (path, "reports.out.csv")):
        args = ("--resolution", "date", "--iterations", "49", "-o", str(tmp_path / out))
        assert run(tmp_path, str(data), *args).exit_code == 0
    assert read_csv(tmp_path / "xy.out.csv") == read_csv(tmp_path / "reports.out.csv")


# --- rows left out, errors -----------------------------------------------------------------------


def test_bad_rows_are_named_by_line_and_field_and_the_others_are_tested(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    lines = data.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ","  # line 3: no date
    lines[5] = "abc," + lines[5].split(",", 1)[1]  # line 6: x is not a number
    data.write_text("\n".join(lines) + "\n")
    result = run(tmp_path, str(data), "--iterations", "19")
    assert result.exit_code == 0, result.output
    assert "rejected: events.csv, line 3, field date: missing" in result.stderr
    assert "rejected: events.csv, line 6, field x: 'abc' is not a number" in result.stderr
    assert "78 händelser" in result.stdout
    assert "2 rader utan giltig plats eller tid" in flat(result.stdout)


def test_fewer_than_two_events_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "events.csv"
    data.write_text("x,y,date\n1,2,2026-03-01\n3,4,\n")
    result = run(tmp_path, str(data))
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == (
        "events.csv: 1 event(s) with a place and a time; the Knox test needs at least 2"
    )


def test_an_unreadable_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = run(tmp_path, str(tmp_path / "missing.csv"))
    assert isinstance(result.exception, InputError)
    assert str(result.exception).startswith(f"{tmp_path / 'missing.csv'}: cannot read")


def test_unknown_suffixes_bad_settings_and_stored_options_with_a_file_are_refused(
    tmp_path: Path,
) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    assert run(tmp_path, str(data), "-o", str(tmp_path / "k.xlsx")).exit_code == 2
    refused = run(tmp_path, str(data), "--from", "2026-03-01")
    assert refused.exit_code == 2 and "--from: only without FILE" in refused.output
    bad = run(tmp_path, str(data), "--space-bands", "0")
    assert isinstance(bad.exception, InputError) and "1 to 250 space bands" in str(bad.exception)


def test_the_help_shows_the_analysis_defaults() -> None:
    text = " ".join(CliRunner().invoke(knox, ["--help"], terminal_width=200).output.split())
    defaults = KnoxSettings()
    for option, value in [
        ("--space-band M", defaults.space_band_m),
        ("--space-bands N", defaults.space_bands),
        ("--time-band D", defaults.time_band_days),
        ("--time-bands N", defaults.time_bands),
        ("--iterations N", defaults.iterations),
        ("--seed S", defaults.seed),
        ("--distance [euclidean|manhattan]", defaults.distance),
        ("--convention [inclusive|nrc]", defaults.convention),
    ]:
        shown = re.search(re.escape(option) + r" .*?\[default: ([^\]]+)\]", text)
        assert shown is not None, option
        assert shown.group(1) == (f"{value:g}" if isinstance(value, float) else str(value))


# --- the table in Swedish and English, the PNG ---------------------------------------------------


def test_the_table_is_swedish_by_default(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = run(tmp_path, str(data), "--iterations", "19").stdout
    assert out.startswith("Knox-test: nära upprepade inbrott\n")
    header = next(line for line in out.splitlines() if line.startswith("Avstånd \\ Tid"))
    assert re.split(" {2,}", header)[1:] == ["0–7\u00a0dagar", "8–14\u00a0dagar",
        "15–21\u00a0dagar", "22–28\u00a0dagar", "mer än 28\u00a0dagar"]  # fmt: skip
    lines = out.splitlines()
    first = lines.index(header) + 1
    rows = [line.split("  ")[0] for line in lines[first : first + 7]]
    assert rows == ["samma plats", "0–100\u00a0m", "100–200\u00a0m", "200–300\u00a0m",
                    "300–400\u00a0m", "400–500\u00a0m", "mer än 500\u00a0m"]  # fmt: skip
    assert "** p ≤ 0,01, * p ≤ 0,05" in out and "Ett band omfattar sin övre gräns" in flat(out)
    assert re.search(r"\d,\d\d\**? \(\d+\)", out)  # a ratio with a decimal comma, its pairs


def test_the_table_is_english_with_language_en(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = run(tmp_path, str(data), "--iterations", "19", "--convention", "nrc").stdout
    assert out.startswith("Knox test: near-repeat burglaries\n")
    assert "Distance \\ Time" in out and "same location" in out and "500\u00a0m or more" in out
    assert "0–6\u00a0days" in out and "more than 27\u00a0days" in out
    assert "** p ≤ 0.01, * p ≤ 0.05" in out and "Near Repeat Calculator 1.3" in flat(out)
    assert "Data: events.csv, 80 events 2026-03-01 – " in out


def test_times_of_day_are_tested_to_the_second_and_labelled_as_spans(tmp_path: Path) -> None:
    data = tmp_path / "events.csv"
    rows = [
        f"{100 * k % 700},{37 * k % 500},2026-03-{1 + k % 28:02d}T{k % 24:02d}:30"
        for k in range(60)
    ]
    data.write_text("x,y,date\n" + "\n".join(rows) + "\n")
    out = run(tmp_path, str(data), "--iterations", "19").stdout
    assert "0–7\u00a0dagar" in out and "7–14\u00a0dagar" in out
    assert "tid med klockslag" in flat(out)


def test_the_table_can_be_written_to_a_text_file(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, str(data), "--iterations", "19", "-o", str(tmp_path / "knox.txt"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "knox.txt").read_text(encoding="utf-8")
    assert text.startswith("Knox-test: nära upprepade inbrott\n") and text in result.stdout


def test_the_png_is_an_a4_landscape_picture(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, str(data), "--iterations", "19", "-o", str(tmp_path / "knox.png"))
    assert result.exit_code == 0, result.output
    png = (tmp_path / "knox.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert 1700 <= width <= 2400 and width / height == pytest.approx(2**0.5, rel=0.01)
    assert 50_000 < len(png) < 2_000_000


# --- the stored reports --------------------------------------------------------------------------


@pytest.fixture
def stored(db_url: str, tmp_path: Path) -> Iterator[Installation]:
    """Reports around Kalmar in March 2026: 80 villas and flats, 10 fritidshus, one withdrawn."""
    app = make_app(db_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    x, y, days = town_events(seed=9, n=90)
    lon, lat = SWEREF.to_wgs84(x, y)
    lines = ["report_id,reported_at,occurred_to,lat,lon,premises"]
    for k, (a, b, d) in enumerate(zip(lat.tolist(), lon.tolist(), days, strict=True)):
        premises = "fritidshus" if k % 9 == 0 else ("villa", "lagenhet", "radhus")[k % 3]
        lines.append(f"K-{k},{d}T20:00,{d}T08:00,{a!r},{b!r},{premises}")
    path = tmp_path / "anmalningar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not app.reports.ingest(path, utc(2026, 6, 1)).rejections
    app.reports.retract("K-1", "ej bostadsinbrott", utc(2026, 6, 1))
    yield app
    app.engine.dispose()


def test_the_stored_reports_count_the_zones_premises_by_default(stored: Installation) -> None:
    cases = EvidenceCases(stored.context)
    everything = cases.stored_events(ReportFilter())
    assert len(everything) == 90 - 10 - 1  # fritidshus left out, as the zones leave them out
    assert everything.form == "stored" and everything.crs == "EPSG:3006"
    assert everything.known is not None and (everything.known - everything.t == 0.5).all()
    assert everything.whole_days is False  # 08:00 is a third of a day
    with_holiday_homes = ReportFilter(premises=(Premises.VILLA, Premises.FRITIDSHUS))
    assert len(cases.stored_events(with_holiday_homes)) == 20 + 10


def test_the_stored_reports_by_period_and_area(stored: Installation, tmp_path: Path) -> None:
    cases = EvidenceCases(stored.context)
    everything = cases.stored_events(ReportFilter())
    march = cases.stored_events(ReportFilter(date(2026, 3, 10), date(2026, 3, 20)))
    first, after = (
        float((d - date(1970, 1, 1)).days) for d in (date(2026, 3, 10), date(2026, 3, 21))
    )
    expected = ((everything.t >= first) & (everything.t < after)).sum()
    assert len(march) == int(expected) and 0 < len(march) < len(everything)
    x0, y0 = SWEREF.point_to_metric(*KALMAR)
    west = [SWEREF.point_to_wgs84(x0 + dx, y0 + dy) for dx, dy in
            [(-10, -10), (750, -10), (750, 1510), (-10, 1510), (-10, -10)]]  # fmt: skip
    area = tmp_path / "vaster.geojson"
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {}, "geometry": {"type": "Polygon", "coordinates": [west]}}]}))  # fmt: skip
    inside = cases.stored_events(ReportFilter(area=str(area)))
    assert len(inside) == int((everything.x < x0 + 750).sum()) and 0 < len(inside) < len(everything)


def test_knox_on_the_stored_reports_with_filters(stored: Installation, tmp_path: Path) -> None:
    db = stored.settings.database.url
    result = run(
        tmp_path,
        *("--from", "2026-03-05", "--to", "2026-04-30", "--premises", "Villa,lägenhet"),
        *("--iterations", "19", "-o", str(tmp_path / "stored.csv")),
        db=db,
    )
    assert result.exit_code == 0, result.output
    cases = EvidenceCases(stored.context)
    chosen = ReportFilter(date(2026, 3, 5), date(2026, 4, 30), (Premises.VILLA, Premises.LAGENHET))
    n = len(cases.stored_events(chosen))
    assert f"Data: lagrade anmälningar (villa, lägenhet), {n} händelser 2026-03-" in result.stdout
    assert "tid med klockslag" in flat(result.stdout)  # risk starts at 08:00: times of day
    rows = read_csv(tmp_path / "stored.csv")
    assert sum(int(r["observed"]) for r in rows) == n * (n - 1) // 2
    # no report id or place reaches the outputs
    assert "K-" not in result.stdout and "K-" not in (tmp_path / "stored.csv").read_text()


def test_unknown_premises_and_bad_dates_are_refused(stored: Installation, tmp_path: Path) -> None:
    db = stored.settings.database.url
    assert run(tmp_path, "--premises", "slott", db=db).exit_code == 2
    assert run(tmp_path, "--from", "1 mars", db=db).exit_code == 2
    backwards = run(tmp_path, "--from", "2026-03-20", "--to", "2026-03-10", db=db)
    assert isinstance(backwards.exception, InputError) and "ends before it starts" in str(
        backwards.exception
    )


def test_an_empty_database_has_too_few_events(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url)
    result = run(tmp_path, "--iterations", "19", db=db_url)
    app.engine.dispose()
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == (
        "the stored reports: 0 event(s) with a place and a time; the Knox test needs at least 2"
    )


def test_the_stored_reports_need_an_initialised_database(tmp_path: Path) -> None:
    result = run(tmp_path, "--iterations", "19")
    assert "cocoon init" in str(result.exception)
