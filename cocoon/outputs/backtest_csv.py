"""The back-test's files for other tools: the summary (DESIGN.md section 4, "Back-test summary":
one row per method, the columns `method,events,hits,hit_rate,area_share,pai`, fixed) and the
calibration grid (one row per radius and days, the rules in use among them when the grid has
them). Comma-separated, a point for decimals, "\\n" line endings, UTF-8 without a byte-order
mark, whatever the language; rates as shares (0.784, not 78.4 %); a PAI the method could not
have (it covered nothing) and a count without a register are left empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from cocoon.analysis.frames import GRID_COLUMNS
from cocoon.outputs import register
from cocoon.outputs.backtest_content import BacktestSummary, Calibration

SUMMARY_HEADER = ("method", "events", "hits", "hit_rate", "area_share", "pai")
GRID_HEADER = GRID_COLUMNS  # the frames and the file have the same columns


@register(BacktestSummary, "csv")
def summary_csv(content: BacktestSummary) -> bytes:
    rows = (
        (r.method, r.events, r.hits, r.hit_rate, r.area_share, r.pai) for r in content.result.rows()
    )
    return _csv(SUMMARY_HEADER, rows)


@register(Calibration, "csv")
def grid_csv(content: Calibration) -> bytes:
    rows = (
        (
            r.radius_m,
            r.high_risk_days,
            r.elevated_risk_days,
            r.events,
            r.hits,
            r.hit_rate,
            r.area_share,
            r.pai,
            None if r.pai_95 is None else r.pai_95.low,
            None if r.pai_95 is None else r.pai_95.high,
            r.high_hits,
            r.high_hit_rate,
            r.high_area_share,
            r.high_pai,
            r.zone_days,
            r.rosters,
            r.doors,
        )
        for r in content.result.rows
    )
    return _csv(GRID_HEADER, rows)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    """Empty for None (and NaN); whole numbers without decimals; others to 6 decimals, trailing
    zeros off."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    if number != number:
        return ""
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")
