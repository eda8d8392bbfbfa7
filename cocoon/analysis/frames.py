"""The analyses as pandas and geopandas frames, for analysts who go on in a notebook:

    from cocoon.analysis.frames import knox_frame, backtest_frame, sensitivity_frame, zones_frame
    knox_frame(knox(x, y, t))                    # one row per cell, the CSV contract's columns
    backtest_frame(replay.backtest(rules))       # one row per method, with the 95 % intervals
    sensitivity_frame(sensitivity(replay, rules))  # one row per radius and days
    zones_frame(app.zones(at), app.projection)   # GeoDataFrame of the zones at an instant, WGS 84

pandas and geopandas are not dependencies of cocoon: they are the optional extra `analysis`
(`pip install cocoon[analysis]`), imported here only when a frame is asked for, so that
`import cocoon.analysis` and every command stay without them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import tzinfo
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cocoon.analysis.backtest import Backtest
    from cocoon.analysis.calibrate import Sensitivity
    from cocoon.analysis.knox import KnoxResult
    from cocoon.core.geo import Projection
    from cocoon.core.risk import Zone

EXTRA = "analysis"


class MissingExtra(ImportError):
    """pandas or geopandas is not installed: the message names the extra that brings them."""


def knox_frame(result: KnoxResult) -> Any:
    """The Knox table as a DataFrame: one row per cell (space band, then time band), the columns
    of the Knox CSV (None where a band is open-ended or no ratio) and `significance`."""
    pd = _pandas()
    rows = [asdict(cell) | {"significance": cell.significance} for cell in result.cells]
    return pd.DataFrame(rows, columns=[*KNOX_COLUMNS, "significance"])


def backtest_frame(result: Backtest) -> Any:
    """The back-test summary as a DataFrame: one row per method (the CSV contract's columns),
    with the 95 % intervals of the hit rate and the PAI, indexed by method."""
    pd = _pandas()
    rows = [
        asdict(m.row)
        | {
            "hit_rate_low": m.hit_rate_95.low,
            "hit_rate_high": m.hit_rate_95.high,
            "pai_low": None if m.pai_95 is None else m.pai_95.low,
            "pai_high": None if m.pai_95 is None else m.pai_95.high,
        }
        for m in result.methods
    ]
    return pd.DataFrame(rows).set_index("method")


def sensitivity_frame(grid: Sensitivity) -> Any:
    """The calibration grid as a DataFrame: one row per radius and days (the columns of the
    grid CSV of `cocoon calibrate`), then `in_use` and `suggested` marking the rules in use and
    the suggestion."""
    pd = _pandas()
    reference, suggested = grid.reference.rules, grid.suggestion.row.rules
    rows = []
    for row in grid.rows:
        values = asdict(row)
        interval = values.pop("pai_95")
        values["pai_low"] = None if interval is None else interval["low"]
        values["pai_high"] = None if interval is None else interval["high"]
        values["in_use"] = row.rules == reference
        values["suggested"] = row.rules == suggested
        rows.append(values)
    return pd.DataFrame(rows, columns=[*GRID_COLUMNS, "in_use", "suggested"])


def zones_frame(zones: Sequence[Zone], projection: Projection, tz: tzinfo | None = None) -> Any:
    """The zones (e.g. an installation's `zones(at)`) as a GeoDataFrame in WGS 84: one row per
    zone and level, as the zones GeoJSON has them (`zone_id`, `level`, `level_until` in `tz`,
    default UTC, the internal `report_ids`), with `reports` and the metric `area_m2`."""
    pd, gpd = _pandas(), _geopandas()
    rows, shapes = [], []
    for zone in zones:
        for part in zone.parts():
            until = part.until.astimezone(tz) if tz else part.until
            rows.append(
                {
                    "zone_id": part.zone_id,
                    "level": part.level.value,
                    "level_until": pd.Timestamp(until),
                    "reports": len(part.report_ids),
                    "report_ids": list(part.report_ids),
                    "area_m2": float(part.area.area),
                }
            )
            shapes.append(projection.geometry_to_wgs84(part.area))
    columns = ["zone_id", "level", "level_until", "reports", "report_ids", "area_m2"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=shapes, crs="EPSG:4326")


GRID_COLUMNS = (
    "radius_m",
    "high_risk_days",
    "elevated_risk_days",
    "events",
    "hits",
    "hit_rate",
    "area_share",
    "pai",
    "pai_low",
    "pai_high",
    "high_hits",
    "high_hit_rate",
    "high_area_share",
    "high_pai",
    "zone_days",
    "rosters",
    "doors",
)
KNOX_COLUMNS = (
    "space_from_m",
    "space_to_m",
    "time_from_days",
    "time_to_days",
    "observed",
    "expected",
    "ratio",
    "p",
)


def _pandas() -> Any:
    return _extra("pandas")


def _geopandas() -> Any:
    return _extra("geopandas")


def _extra(package: str) -> Any:
    """The package, imported now (by name: mypy needs no stubs of what is not a dependency)."""
    try:
        return import_module(package)
    except ImportError:
        raise MissingExtra(_missing(package)) from None


def _missing(package: str) -> str:
    return f"{package} is not installed: frames need the extra, pip install cocoon[{EXTRA}]"
