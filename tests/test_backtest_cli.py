"""`cocoon backtest` and `cocoon calibrate` as a user runs them: the summary CSV of DESIGN.md
(section 4, "Back-test summary"), burglaries that each follow another caught through the command,
the file forms and the stored reports, rows left out by name, the settings' numbers as defaults,
Swedish and English, the grid CSV, the settings snippet that parses as TOML, the PNG charts, and
the real Vancouver data."""

from __future__ import annotations

import csv
import re
import struct
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

from cocoon.analysis.calibrate import SensitivityGrid
from cocoon.app.installation import Installation
from cocoon.cli.common import State
from cocoon.cli.evidence import backtest, calibrate
from cocoon.config import Settings
from cocoon.errors import InputError
from cocoon.outputs.backtest_csv import GRID_HEADER
from tests.support import KALMAR, SWEREF, make_app, shared_file, utc

SUMMARY = ["method", "events", "hits", "hit_rate", "area_share", "pai"]
METHODS = ["zones_high", "zones_any", "promap", "hotspot", "random"]
START = date(2025, 1, 1)
VANCOUVER = "burglary-vancouver-vpd/vancouver_residential_break_and_enter_2020_2026.csv"
SMALL_GRID = ("--radii", "200,500", "--high-days", "7,14", "--elevated-days", "28,42")


def run(folder: Path, command: object, *args: str, db: str | None = None) -> Result:
    state = State(db or f"sqlite:///{folder / 'c.sqlite'}", None)
    return CliRunner().invoke(command, list(args), obj=state)  # type: ignore[arg-type]


def chains(seed: int = 5, n: int = 6, days: int = 250) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Burglaries around Kalmar (SWEREF 99 TM metres) in `n` chains 2 km apart, each burglary
    1-7 days after the one before it in its chain and at most 150 m from it."""
    rng = np.random.default_rng(seed)
    x0, y0 = SWEREF.point_to_metric(*KALMAR)
    xs, ys, ds = [], [], []
    for c in range(n):
        x, y, d = x0 + 2000.0 * (c % 3), y0 + 2000.0 * (c // 3), int(rng.integers(0, 5))
        while d < days:
            xs.append(x)
            ys.append(y)
            ds.append(d)
            step, angle = rng.uniform(0, 150), rng.uniform(0, 2 * np.pi)
            x, y, d = (
                x + step * np.cos(angle),
                y + step * np.sin(angle),
                d + int(rng.integers(1, 8)),
            )
    order = np.argsort(ds, kind="stable")
    return np.array(xs)[order], np.array(ys)[order], [ds[k] for k in order]


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def write_events(path: Path, form: str, seed: int = 5) -> Path:
    x, y, days = chains(seed)
    rows = zip(x.tolist(), y.tolist(), days, strict=True)
    if form == "x,y,date":
        lines = ["x,y,date", *(f"{a!r},{b!r},{day(d)}" for a, b, d in rows)]
    elif form == "nrc":
        lines = [f"{a!r},{b!r},{day(d)}" for a, b, d in rows]
    else:
        lon, lat = SWEREF.to_wgs84(x, y)
        pairs = zip(lat.tolist(), lon.tolist(), days, strict=True)
        lines = ["lat,lon,date", *(f"{a!r},{b!r},{day(d)}" for a, b, d in pairs)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_reports(path: Path, late: bool = True) -> Path:
    """The chains as a report file (burgled at noon, reported an hour later) and, 5 km away, a
    pair 100 m apart: the first reported 15 days late, after the second had happened."""
    x, y, days = chains()
    x0, y0 = SWEREF.point_to_metric(*KALMAR)
    pair = [(x0 - 5000.0, y0, 200, 215 if late else 200), (x0 - 5000.0, y0 + 100.0, 205, 205)]
    lines = ["report_id,reported_at,occurred_to,lat,lon"]
    rows = [(a, b, d, d) for a, b, d in zip(x.tolist(), y.tolist(), days, strict=True)] + pair
    for k, (a, b, burgled, reported) in enumerate(rows):
        lon, lat = SWEREF.point_to_wgs84(a, b)
        lines.append(f"K-{k},{day(reported)}T13:00,{day(burgled)}T12:00,{lat!r},{lon!r}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def by_method(path: Path) -> dict[str, dict[str, str]]:
    return {row["method"]: row for row in read_csv(path)}


def flat(text: str) -> str:
    """Terminal text with its wrapped lines joined."""
    return re.sub(r" *\n *", " ", text)


def snippet(text: str) -> str:
    """The [risk] settings the calibration printed."""
    found = re.search(r"^\[risk\]\n(?:.*\n)*?elevated_risk_days = \d+\n", text, re.MULTILINE)
    assert found, text
    return found.group(0)


# --- the summary CSV ------------------------------------------------------------------------------


def test_the_summary_has_the_contracts_columns_and_one_row_per_method(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, backtest, str(data), "-o", str(tmp_path / "summary.csv"))
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "summary.csv").read_bytes()
    assert raw.startswith(b"method,events,hits,hit_rate,area_share,pai\n") and b"\r" not in raw
    rows = read_csv(tmp_path / "summary.csv")
    assert list(rows[0]) == SUMMARY
    assert [r["method"] for r in rows] == METHODS
    events = {int(r["events"]) for r in rows}
    assert len(events) == 1 and events.pop() > 100
    for r in rows:
        assert 0 <= int(r["hits"]) <= int(r["events"])
        assert float(r["hit_rate"]) == pytest.approx(int(r["hits"]) / int(r["events"]), abs=1e-6)
        assert 0 < float(r["area_share"]) <= 1
        assert float(r["pai"]) == pytest.approx(
            float(r["hit_rate"]) / float(r["area_share"]), rel=1e-4
        )
    # the baselines are given the zones' area (all levels) each day
    shares = {r["method"]: r["area_share"] for r in rows}
    assert shares["promap"] == shares["hotspot"] == shares["random"] == shares["zones_any"]
    assert float(shares["zones_high"]) < float(shares["zones_any"])
    assert "written: " in result.output


def test_burglaries_that_each_follow_another_within_200_m_and_7_days_are_all_caught(
    tmp_path: Path,
) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, backtest, str(data), "-o", str(tmp_path / "summary.csv"))
    assert result.exit_code == 0, result.output
    rows = by_method(tmp_path / "summary.csv")
    assert rows["zones_any"]["hit_rate"] == "1"
    assert rows["zones_any"]["hits"] == rows["zones_any"]["events"]
    assert rows["zones_high"]["hit_rate"] == "1"  # 7 days is within the 14 of high risk
    assert float(rows["random"]["hit_rate"]) < 1


def test_the_same_file_gives_the_same_bytes(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    for name in ("a.csv", "b.csv"):
        assert run(tmp_path, backtest, str(data), "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


# --- the file forms -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["lat,lon,date", "nrc"])
def test_the_three_file_forms_give_the_same_summary(tmp_path: Path, form: str) -> None:
    xy = write_events(tmp_path / "xy.csv", "x,y,date")
    other = write_events(tmp_path / "other.csv", form)
    for data, out in ((xy, "xy-out.csv"), (other, "other-out.csv")):
        result = run(tmp_path, backtest, str(data), "-o", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    assert read_csv(tmp_path / "xy-out.csv") == read_csv(tmp_path / "other-out.csv")


def test_a_report_file_counts_a_burglary_only_once_the_police_knew_of_the_one_before(
    tmp_path: Path,
) -> None:
    late = write_reports(tmp_path / "late.csv", late=True)
    prompt = write_reports(tmp_path / "prompt.csv", late=False)
    for data, out in ((late, "late-out.csv"), (prompt, "prompt-out.csv")):
        result = run(tmp_path, backtest, str(data), "-o", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    late_rows, prompt_rows = (
        by_method(tmp_path / "late-out.csv"),
        by_method(tmp_path / "prompt-out.csv"),
    )
    events = int(prompt_rows["zones_any"]["events"])
    # the chains are all caught; the pair's first is alone; its second is caught only when the
    # first was reported before it happened
    assert int(prompt_rows["zones_any"]["hits"]) == events - 1
    assert int(late_rows["zones_any"]["hits"]) == events - 2
    assert not (tmp_path / "c.sqlite").exists()  # a file never makes a database


def test_bad_rows_are_named_by_line_and_field_and_the_others_are_tested(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    lines = data.read_text().splitlines()
    total = len(lines) - 1
    lines[2] = lines[2].rsplit(",", 1)[0] + ",2025-02-30"  # line 3: no such day
    lines[5] = "abc," + lines[5].split(",", 1)[1]  # line 6: x is not a number
    data.write_text("\n".join(lines) + "\n")
    result = run(tmp_path, backtest, str(data))
    assert result.exit_code == 0, result.output
    assert "rejected: events.csv, line 3, field date: cannot read '2025-02-30'" in result.stderr
    assert "rejected: events.csv, line 6, field x: 'abc' is not a number" in result.stderr
    data_line = flat(result.stdout)
    assert f"Data: events.csv, {total - 2} händelser" in data_line
    assert "2 rader utan giltig plats eller tid utelämnade" in data_line


def test_a_history_shorter_than_the_warm_up_is_a_one_line_error(tmp_path: Path) -> None:
    data = tmp_path / "events.csv"
    data.write_text("x,y,date\n0,0,2025-01-01\n10,0,2025-01-03\n20,0,2025-02-01\n")
    result = run(tmp_path, backtest, str(data))
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == (
        "events.csv: 3 event(s) with a place and a time: the history spans 32 days: a back-test "
        "needs more than the warm-up of 112 days (the longest high + elevated period tried)"
    )


def test_wrong_options_are_refused_before_any_work(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    assert run(tmp_path, backtest, str(data), "-o", str(tmp_path / "s.xlsx")).exit_code == 2
    stored = run(tmp_path, backtest, str(data), "--from", "2025-03-01")
    assert stored.exit_code == 2 and "--from: only without FILE" in stored.output
    zone = run(tmp_path, backtest, str(data), "--tz", "Mars/Olympus")
    assert zone.exit_code == 2 and "unknown time zone 'Mars/Olympus'" in zone.output
    assert run(tmp_path, backtest, "--tz", "Europe/Oslo").exit_code == 2
    radius = run(tmp_path, backtest, str(data), "--radius", "0")
    assert isinstance(radius.exception, InputError)
    assert str(radius.exception).startswith("back-test: radius_m = 0.0: Input should be greater")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    into_a_file = run(tmp_path, backtest, str(data), "-o", str(blocked / "s.csv"))
    assert into_a_file.exit_code == 1 and not (tmp_path / "c.sqlite").exists()
    grid = run(tmp_path, calibrate, str(data), "--high-days", "7,x")
    assert grid.exit_code == 2 and "not a list of whole numbers" in grid.output


# --- the settings' numbers, the time zone ---------------------------------------------------------


def test_radius_and_days_default_to_the_settings_and_the_options_change_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = run(tmp_path, backtest, str(data)).stdout
    assert out.startswith("Utvärdering av riskzonerna: 500\u00a0m, 14 + 42 dagar\n")
    monkeypatch.setenv("COCOON_RISK__RADIUS_M", "300")
    monkeypatch.setenv("COCOON_RISK__HIGH_RISK_DAYS", "7")
    out = run(tmp_path, backtest, str(data)).stdout
    assert out.startswith("Utvärdering av riskzonerna: 300\u00a0m, 7 + 42 dagar\n")
    given = ("--radius", "250", "--high-days", "10", "--elevated-days", "20")
    out = run(tmp_path, backtest, str(data), *given).stdout
    assert out.startswith("Utvärdering av riskzonerna: 250\u00a0m, 10 + 20 dagar\n")
    text = " ".join(CliRunner().invoke(backtest, ["--help"], terminal_width=200).output.split())
    for setting in ("risk.radius_m", "risk.high_risk_days", "risk.elevated_risk_days"):
        assert f"[default: the settings' {setting}]" in text


def test_tz_is_the_zone_a_files_times_are_counted_in(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    lines = data.read_text().splitlines()
    lines.insert(1, "0,0,2024-12-30T23:30:00+00:00")  # 00:30 on the 31st in Stockholm
    data.write_text("\n".join(lines) + "\n")
    stockholm = flat(run(tmp_path, backtest, str(data)).stdout)
    london = flat(run(tmp_path, backtest, str(data), "--tz", "Europe/London").stdout)
    assert "händelser 2024-12-31 – " in stockholm
    assert "händelser 2024-12-30 – " in london


# --- Swedish and English --------------------------------------------------------------------------


def test_the_summary_is_swedish_by_default(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = run(tmp_path, backtest, str(data)).stdout
    header = next(line for line in out.splitlines() if line.startswith("Metod"))
    assert re.split(" {2,}", header) == [
        "Metod", "Inbrott", "Träffar", "Träffandel (95 %)", "Ytandel", "PAI (95 %)",
    ]  # fmt: skip
    lines = out.splitlines()
    labels = [re.split(" {2,}", line)[0] for line in lines[lines.index(header) + 1 :][:5]]
    assert labels == ["riskzoner, hög risk", "riskzoner, alla nivåer", "ProMap, samma yta",
                      "hot spot, samma yta", "slumpvis, samma yta"]  # fmt: skip
    text = flat(out)
    assert "100,0\u00a0%" in text  # every burglary caught, with a decimal comma
    # every burglary follows another: ProMap and the hot spots, given the same ground, catch
    # them all too
    assert (
        "Bäst på samma yta: riskzonerna, ProMap och hot spot-kartan, med lika många träffar."
        in text
    )
    assert re.search(r"Arbetsbörda: [\d\u00a0]+ zondagar", text)
    assert "dörrar: inget adressregister för dessa platser" in text  # x,y: no CRS to match
    assert re.search(
        r"Period: 2025-04-2\d – 2025-0\d-\d\d \([\d\u00a0]+ dagar, efter 112 dagars", text
    )


def test_the_summary_is_english_with_language_en(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCOON_OUTPUT__LANGUAGE", "en")
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = run(tmp_path, backtest, str(data)).stdout
    assert out.startswith("Back-test of the risk zones: 500\u00a0m, 14 + 42 days\n")
    text = flat(out)
    assert "Method" in text and "zones, all levels" in text and "100.0%" in text
    assert (
        "Best at the same area: the zones, ProMap and the hot-spot map, with as many hits." in text
    )
    assert "Workload: " in text and "zone-days" in text and "Period: 2025-04-" in text
    calibration = flat(run(tmp_path, calibrate, str(data), *SMALL_GRID).stdout)
    assert calibration.startswith("Calibration of radius and days")
    assert "To paste into the settings" in calibration and "# cocoon calibrate" in calibration


# --- the calibration ------------------------------------------------------------------------------


def test_the_grid_csv_has_a_row_per_radius_and_days_in_order(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = tmp_path / "grid.csv"
    result = run(tmp_path, calibrate, str(data), *SMALL_GRID, "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert list(rows[0]) == list(GRID_HEADER)
    assert [(r["radius_m"], r["high_risk_days"], r["elevated_risk_days"]) for r in rows] == [
        (radius, high, elevated)
        for radius in ("200", "500") for high in ("7", "14") for elevated in ("28", "42")
    ]  # fmt: skip
    for r in rows:
        assert int(r["zone_days"]) > 0 and r["rosters"] == r["doors"] == ""  # no register
        assert float(r["pai_low"]) <= float(r["pai"]) <= float(r["pai_high"])
        assert int(r["high_hits"]) <= int(r["hits"]) <= int(r["events"])
    assert "4 kombinationer" not in result.stdout and "8 kombinationer" in result.stdout


def test_the_snippet_parses_as_toml_and_as_the_settings(tmp_path: Path) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    result = run(tmp_path, calibrate, str(data), *SMALL_GRID)
    assert result.exit_code == 0, result.output
    text = snippet(result.stdout)
    parsed = tomllib.loads(text)
    risk = parsed["risk"]
    assert set(risk) == {"radius_m", "high_risk_days", "elevated_risk_days"}
    assert risk["radius_m"] in (200, 500) and risk["high_risk_days"] in (7, 14)
    settings = Settings.model_validate(parsed)
    assert settings.risk.elevated_risk_days == risk["elevated_risk_days"]
    comment = text.splitlines()[1]
    assert comment.startswith("# cocoon calibrate 2025-04-") and "inbrott" in comment
    assert "\u00a0" not in text and "\u2212" not in text  # plain text to paste


def test_the_help_shows_the_grids_defaults() -> None:
    text = " ".join(CliRunner().invoke(calibrate, ["--help"], terminal_width=200).output.split())
    grid = SensitivityGrid()
    for option, values in [
        ("--radii LIST", ",".join(f"{r:g}" for r in grid.radii_m)),
        ("--high-days LIST", ",".join(str(d) for d in grid.high_days)),
        ("--elevated-days LIST", ",".join(str(d) for d in grid.elevated_days)),
    ]:
        shown = re.search(re.escape(option) + r" .*?\[default: ([^\]]+)\]", text)
        assert shown is not None and shown.group(1) == values, option


# --- the pictures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [backtest, calibrate])
def test_the_png_is_an_a4_landscape_picture(tmp_path: Path, command: object) -> None:
    data = write_events(tmp_path / "events.csv", "x,y,date")
    out = tmp_path / "chart.png"
    result = run(tmp_path, command, str(data), *SMALL_GRID[: 6 if command is calibrate else 0],
                 "-o", str(out), "-o", str(tmp_path / "table.txt"))  # fmt: skip
    assert result.exit_code == 0, result.output
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert 1700 <= width <= 2400 and width / height == pytest.approx(2**0.5, rel=0.01)
    assert 50_000 < len(png) < 2_000_000
    assert (tmp_path / "table.txt").read_text(encoding="utf-8") in result.stdout


# --- the stored reports ---------------------------------------------------------------------------


@pytest.fixture
def stored(db_url: str, tmp_path: Path) -> Iterator[Installation]:
    """The chains and the late pair as stored reports, and an address register around them."""
    app = make_app(db_url, ingest={"rejects_dir": str(tmp_path / "rejects")})
    reports = write_reports(tmp_path / "anmalningar.csv")
    assert not app.reports.ingest(reports, utc(2026, 6, 1)).rejections
    x0, y0 = SWEREF.point_to_metric(*KALMAR)
    lines = ["street,number,lat,lon,dwelling"]
    for k, (dx, dy) in enumerate((dx, dy) for dx in range(-300, 4400, 150)
                                 for dy in range(-300, 2400, 150)):  # fmt: skip
        lon, lat = SWEREF.point_to_wgs84(x0 + dx, y0 + dy)
        lines.append(f"Testgatan,{k + 1},{lat!r},{lon!r},smahus")
    register = tmp_path / "adresser.csv"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app.register.load_addresses(register, utc(2026, 6, 1))
    yield app
    app.engine.dispose()


def test_the_stored_reports_are_replayed_as_the_police_knew_them(
    stored: Installation, tmp_path: Path
) -> None:
    db = stored.settings.database.url
    out = tmp_path / "stored.csv"
    result = run(tmp_path, backtest, "-o", str(out), db=db)
    assert result.exit_code == 0, result.output
    rows = by_method(out)
    events = int(rows["zones_any"]["events"])
    assert int(rows["zones_any"]["hits"]) == events - 2  # as the report file with the late pair
    text = flat(result.stdout)
    assert "Data: lagrade anmälningar (villa, radhus, lägenhet)" in text
    # ProMap and the hot-spot map catch the same burglaries here: a tie is said as one
    assert "Bäst på samma yta: ProMap och hot spot-kartan, med lika många träffar." in text
    found = re.search(r"([\d\u00a0]+) besöksplaner med omkring ([\d\u00a0]+) dörrar", text)
    assert found is not None and int(found.group(2).replace("\u00a0", "")) > 0
    assert "K-" not in result.stdout and "K-" not in out.read_text()  # no report id
    calibration = run(tmp_path, calibrate, *SMALL_GRID, "-o", str(tmp_path / "g.csv"), db=db)
    assert calibration.exit_code == 0, calibration.output
    assert all(int(r["doors"]) > 0 for r in read_csv(tmp_path / "g.csv"))


def test_the_stored_reports_by_period(stored: Installation, tmp_path: Path) -> None:
    db = stored.settings.database.url
    out = tmp_path / "spring.csv"
    result = run(tmp_path, backtest, "--from", "2025-01-01", "--to", "2025-06-30", "-o", str(out),
                 db=db)  # fmt: skip
    assert result.exit_code == 0, result.output
    spring = int(by_method(out)["zones_any"]["events"])
    everything = run(tmp_path, backtest, "-o", str(tmp_path / "all.csv"), db=db)
    assert everything.exit_code == 0
    assert 0 < spring < int(by_method(tmp_path / "all.csv")["zones_any"]["events"])
    assert "2025-01-0" in flat(result.stdout) and "2025-06-" in flat(result.stdout)


def test_a_report_file_counts_doors_against_the_installations_register(
    stored: Installation, tmp_path: Path
) -> None:
    db = stored.settings.database.url
    data = write_reports(tmp_path / "fil.csv")
    result = run(tmp_path, backtest, str(data), db=db)
    assert result.exit_code == 0, result.output
    assert re.search(r"besöksplaner med omkring [\d\u00a0]+ dörrar", flat(result.stdout))
    xy = run(tmp_path, backtest, str(write_events(tmp_path / "xy.csv", "x,y,date")), db=db)
    assert "inget adressregister" in flat(xy.stdout)  # a file's own metres: no register


# --- real data ------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_on_vancouver_the_zones_beat_random_cells_and_the_calibration_runs(tmp_path: Path) -> None:
    source = shared_file(VANCOUVER)
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    data = tmp_path / "vancouver.csv"
    data.write_text(
        "x,y,date\n" + "".join(f"{r['X']},{r['Y']},{r['occurred_local']}\n" for r in rows),
        encoding="utf-8",
    )
    out = tmp_path / "vancouver-summary.csv"
    result = run(tmp_path, backtest, str(data), "--tz", "America/Vancouver", "-o", str(out))
    assert result.exit_code == 0, result.output
    summary = by_method(out)
    assert summary["zones_any"]["events"] == "7224"  # after the warm-up of 112 days
    zones, chance = (float(summary[m]["hit_rate"]) for m in ("zones_any", "random"))
    assert zones > chance + 0.1 and float(summary["zones_any"]["pai"]) > 1.2
    text = flat(result.stdout)
    assert "Period: 2020-04-22 – 2026-02-05" in text
    assert re.search(r"Bäst på samma yta: riskzonerna, [\d,]+ procentenheter fler träffar än", text)
    grid = tmp_path / "vancouver-grid.csv"
    small = ("--radii", "300,500", "--high-days", "14", "--elevated-days", "42")
    calibration = run(tmp_path, calibrate, str(data), *small, "-o", str(grid))
    assert calibration.exit_code == 0, calibration.output
    by_radius = {r["radius_m"]: r for r in read_csv(grid)}
    assert by_radius["500"]["hits"] == summary["zones_any"]["hits"]  # the same replay
    assert float(by_radius["300"]["pai"]) > float(by_radius["500"]["pai"])  # less ground
    assert tomllib.loads(snippet(calibration.stdout))["risk"]["radius_m"] in (300, 500)
