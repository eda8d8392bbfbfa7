"""The back-test and the calibration for the terminal (and `-o FILE.txt`), in the output
language: the methods' table with the winner, the workload and the period; the grid's two slices
through the rules in use, the suggestion and the settings to paste."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cocoon.outputs import register
from cocoon.outputs.backtest_content import BacktestSummary, Calibration

if TYPE_CHECKING:
    from cocoon.analysis.calibrate import SensitivityRow

GAP = "  "
WIDTH = 100  # sentences are wrapped to this many characters


@register(BacktestSummary, "txt")
def summary_table(content: BacktestSummary) -> bytes:
    c = content
    header = [c.t("method"), c.t("events"), c.t("hits"), c.t("hit_rate"), c.t("area_share"),
              c.t("pai")]  # fmt: skip
    body = []
    for m in c.result.methods:
        r = m.row
        rate = f"{c.percent(r.hit_rate)} ({c.number(100 * m.hit_rate_95.low, 1)}–"
        rate += f"{c.percent(m.hit_rate_95.high)})"
        body.append([c.method(r.method), c.number(r.events), c.number(r.hits), rate,
                     c.percent(r.area_share), c.pai(r.pai, m.pai_95)])  # fmt: skip
    lines = [
        c.title(),
        *_wrap(c.t("subtitle")),
        "",
        *_table(header, body),
        "",
        *_wrap(c.verdict()),
        *_wrap(c.against()),
        *_wrap(c.workload()),
        *_wrap(c.period()),
        "",
        *(part for note in c.notes() for part in _wrap(note)),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


@register(Calibration, "txt")
def calibration_table(content: Calibration) -> bytes:
    c = content
    days, radius = c.slice_point()
    ref, best = c.result.suggestion.reference, c.result.suggestion.row
    lines = [c.t("cal_title"), *_wrap(c.subtitle()), *_wrap(c.period()), ""]
    by_radius = c.by_radius()
    if by_radius:
        lines.append(c.t("by_radius", days=c.rules(days).split(", ", 1)[1]))
        header = [c.t("radius"), c.t("plain_hit_rate"), c.t("area_share"), c.t("pai"),
                  c.t("high_hit_rate"), c.t("high_pai"), c.t("zone_days")]  # fmt: skip
        body = [
            [f"{c.number(r.radius_m)} m", c.percent(r.hit_rate), c.percent(r.area_share),
             c.pai(r.pai, r.pai_95), c.percent(r.high_hit_rate), c.pai(r.high_pai),
             c.number(r.zone_days)]
            for r in by_radius
        ]  # fmt: skip
        lines += [*_table(header, body, indent="  "), ""]
    by_days = c.by_days()
    if by_days:
        lines.append(c.t("by_days", radius=c.number(radius.radius_m)))
        highs = sorted({h for h, _ in by_days})
        elevateds = sorted({e for _, e in by_days})
        header = [c.t("high_by_elevated"), *(c.t("n_days", n=e) for e in elevateds)]
        body = [
            [c.t("n_days", n=h)] + [_cell(c, by_days.get((h, e))) for e in elevateds] for h in highs
        ]
        lines += [*_table(header, body, indent="  "), ""]
    lines += [
        *_wrap(f"{c.t('in_use')}: {c.figures(ref)}."),
        *_wrap(f"{c.t('suggested')}: {c.figures(best)}."),
        *_wrap(c.gain()),
        "",
        c.t("paste"),
        c.snippet().rstrip("\n"),
        "",
        *_wrap(c.t("rule")),
        *(part for note in c.notes() for part in _wrap(note)),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cell(c: Calibration, row: SensitivityRow | None) -> str:
    """'1,42 (78 %)': the PAI and the hit rate of one combination; '–' where it was not tried."""
    if row is None:
        return "–"
    return f"{c.pai(row.pai)} ({c.percent(row.hit_rate, 0)})"


def _table(header: Sequence[str], body: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Columns padded to their widest cell: the first to the left, the others to the right."""
    widths = [max(len(line[k]) for line in [header, *body]) for k in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return (indent + GAP.join([first, *rest])).rstrip()

    return [line(header), *(line(cells) for cells in body)]


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_on_hyphens=False) if text else []
