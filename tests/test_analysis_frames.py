"""The analysts' frames (cocoon.analysis.frames): each analysis as a pandas DataFrame with the
columns of its CSV, the zones as a GeoDataFrame in WGS 84, and pandas loaded only when a frame is
asked for, with a one-line error naming the extra when it is not installed."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from cocoon.analysis import (
    History,
    KnoxSettings,
    Replay,
    SensitivityGrid,
    ZoneRules,
    backtest_frame,
    knox,
    knox_frame,
    sensitivity,
    sensitivity_frame,
    zones_frame,
)
from cocoon.analysis.frames import MissingExtra
from cocoon.core.risk import zones_at
from cocoon.outputs.backtest_csv import GRID_HEADER, SUMMARY_HEADER
from cocoon.outputs.knox_csv import HEADER as KNOX_HEADER
from tests.support import KALMAR, SWEREF, report, risk_rules
from tests.test_backtest_cli import chains

RULES = ZoneRules(500.0, 14, 42)
SMALL = SensitivityGrid(radii_m=(200.0, 500.0), high_days=(7, 14), elevated_days=(28, 42))


@pytest.fixture(scope="module")
def replay() -> Replay:
    x, y, days = chains()
    return Replay.of(History.of(x, y, np.array(days, dtype=np.float64)), rules=RULES)


def test_importing_the_analysis_loads_no_pandas() -> None:
    probe = (
        "import sys, cocoon.analysis; print('pandas' in sys.modules, 'geopandas' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["False", "False"]


def test_a_frame_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    x, y, days = chains()
    result = knox(x, y, np.array(days, dtype=np.float64), KnoxSettings(iterations=9))
    with pytest.raises(MissingExtra) as caught:
        knox_frame(result)
    assert str(caught.value) == (
        "pandas is not installed: frames need the extra, pip install cocoon[analysis]"
    )


def test_the_knox_frame_has_a_row_per_cell_and_the_csv_columns() -> None:
    pytest.importorskip("pandas")
    x, y, days = chains()
    result = knox(x, y, np.array(days, dtype=np.float64), KnoxSettings(iterations=19))
    frame = knox_frame(result)
    assert list(frame.columns) == [*KNOX_HEADER, "significance"]
    assert len(frame) == len(result.cells) == (5 + 2) * (4 + 1)
    assert int(frame["observed"].sum()) == len(x) * (len(x) - 1) // 2
    first = result.cells[0]
    assert frame.iloc[0]["space_to_m"] == first.space_to_m == 0
    assert set(frame["significance"]) <= {"p<=0.01", "p<=0.05", ""}


def test_the_backtest_frame_has_a_row_per_method_with_its_intervals(replay: Replay) -> None:
    pytest.importorskip("pandas")
    result = replay.backtest(RULES)
    frame = backtest_frame(result)
    assert list(frame.index) == ["zones_high", "zones_any", "promap", "hotspot", "random"]
    assert list(frame.columns) == [
        *SUMMARY_HEADER[1:], "hit_rate_low", "hit_rate_high", "pai_low", "pai_high",
    ]  # fmt: skip
    assert frame.loc["zones_any", "hit_rate"] == 1.0  # every burglary follows another
    row = result.figures("random").row
    assert frame.loc["random", "hits"] == row.hits and frame.loc["random", "pai"] == row.pai
    assert (frame["hit_rate_low"] <= frame["hit_rate"]).all()


def test_the_sensitivity_frame_has_a_row_per_combination_and_marks_two(replay: Replay) -> None:
    pytest.importorskip("pandas")
    grid = sensitivity(replay, RULES, SMALL)
    frame = sensitivity_frame(grid)
    assert len(frame) == 8
    assert list(frame.columns) == [*GRID_HEADER, "in_use", "suggested"]
    assert frame["in_use"].sum() == 1 and frame["suggested"].sum() == 1
    in_use = frame[frame["in_use"]].iloc[0]
    assert (in_use["radius_m"], in_use["high_risk_days"], in_use["elevated_risk_days"]) == (
        500.0, 14, 42,
    )  # fmt: skip
    suggested = frame[frame["suggested"]].iloc[0]
    assert suggested["radius_m"] == grid.suggestion.row.radius_m


def test_the_zones_frame_is_one_row_per_zone_and_level_in_wgs84() -> None:
    pytest.importorskip("geopandas")
    t0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
    rules = risk_rules()
    reports = [
        report("A", t0 - timedelta(days=20)),  # elevated by now
        report("B", t0 - timedelta(days=2), offset_m=(300.0, 0.0)),  # high, joins A's zone
        report("C", t0 - timedelta(days=1), offset_m=(5000.0, 0.0)),  # high, alone
    ]
    zones = zones_at(reports, t0, rules, SWEREF)
    stockholm = ZoneInfo("Europe/Stockholm")
    frame = zones_frame(zones, SWEREF, stockholm)
    assert str(frame.crs) == "EPSG:4326"
    assert list(frame.columns) == [
        "zone_id", "level", "level_until", "reports", "report_ids", "area_m2", "geometry",
    ]  # fmt: skip
    assert sorted(frame["level"]) == ["elevated", "high", "high"]
    assert len(set(frame["zone_id"])) == 2
    alone = frame[frame["report_ids"].map(lambda ids: ids == ["C"])].iloc[0]
    assert alone["area_m2"] == pytest.approx(np.pi * 500**2, rel=0.01)
    assert alone["level_until"].tzinfo is not None
    assert alone["level_until"].utcoffset() == timedelta(hours=1)  # Stockholm in November
    lon, lat = KALMAR
    min_lon, min_lat, max_lon, max_lat = frame.total_bounds
    assert min_lon < lon < max_lon and min_lat < lat < max_lat
    assert zones_frame([], SWEREF).empty
