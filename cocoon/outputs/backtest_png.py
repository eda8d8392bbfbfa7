"""The back-test and the calibration as PNG pictures a kommunpolis can paste into a report: A4
landscape at 150 dpi, DejaVu Sans, the Agg renderer (matplotlib loads only here), in the output
language.

- The back-test: per method, its hit rate (with the 95 % interval) beside the share of the ground
  it covered, and its PAI above them; the winner, the workload and the data below.
- The calibration: a heat map of the PAI per radius (down) and elevated days (across), one panel
  per high-risk days, each cell with its PAI and hit rate; the rules in use framed thin, the
  suggestion thick; the gain and the data below.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

import numpy as np

from cocoon.outputs import register
from cocoon.outputs.backtest_content import BacktestSummary, Calibration

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

WIDTH_IN, HEIGHT_IN, DPI = 11.69, 8.27, 150  # A4 landscape
INK, MUTED, HITS, AREA, EMPTY = "#1a1a1a", "#555555", "#1f4e79", "#c9ced6", "#e6e6e6"
NOTE_WIDTH = 140  # characters per line of the notes under the picture
#: Cells across and down a panel that the full-size text fits; more shrink it, and below
#: SMALLEST of it the cells are left without text (the colours and the CSV say it).
FITS_ACROSS, FITS_DOWN, SMALLEST = 5, 8, 0.45


@register(BacktestSummary, "png")
def summary_png(content: BacktestSummary) -> bytes:
    fig = _page(content.title(), content.t("chart_subtitle"))
    ax = fig.add_axes((0.08, 0.36, 0.86, 0.47))
    methods = content.result.methods
    at = np.arange(len(methods), dtype=np.float64)
    rates = np.array([m.row.hit_rate for m in methods])
    low = np.array([m.hit_rate_95.low for m in methods])
    high = np.array([m.hit_rate_95.high for m in methods])
    shares = np.array([m.row.area_share for m in methods])
    errors = np.vstack((np.clip(rates - low, 0, None), np.clip(high - rates, 0, None)))
    ax.bar(at - 0.2, rates, 0.38, color=HITS, label=content.t("bar_hits"),
           yerr=np.nan_to_num(errors), capsize=5, error_kw={"ecolor": INK, "lw": 1.2})  # fmt: skip
    ax.bar(at + 0.2, shares, 0.38, color=AREA, label=content.t("bar_area"))
    for x, m in zip(at, methods, strict=True):
        top = max(float(np.nan_to_num(m.hit_rate_95.high, nan=m.row.hit_rate)), m.row.area_share)
        ax.text(x, top + 0.03, f"PAI {content.pai(m.row.pai)}", ha="center", va="bottom",
                fontsize=13, fontweight="bold", color=INK)  # fmt: skip
        ax.text(x - 0.2, m.row.hit_rate / 2, content.percent(m.row.hit_rate, 0), ha="center",
                va="center", fontsize=10, color="white")  # fmt: skip
        ax.text(x + 0.2, m.row.area_share / 2, content.percent(m.row.area_share, 0),
                ha="center", va="center", fontsize=10, color=INK)  # fmt: skip
    labels = [content.method(m.row.method).replace(", ", ",\n") for m in methods]
    ax.set_xticks(at, labels, fontsize=12, color=INK)
    ticks = np.linspace(0, 1, 6)
    ax.set_yticks(ticks, [content.percent(t, 0) for t in ticks], fontsize=11, color=INK)
    ax.set_ylim(0, 1.12)
    ax.tick_params(length=0)
    ax.grid(axis="y", color=EMPTY, linewidth=1)
    ax.set_axisbelow(True)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.legend(loc="upper right", frameon=False, fontsize=11, ncols=2)
    _notes(fig, [content.verdict(), content.workload(), content.period(), *content.notes()])
    return _png(fig, content.title())


@register(Calibration, "png")
def calibration_png(content: Calibration) -> bytes:
    from matplotlib import colormaps

    fig = _page(content.t("heat_title"), content.t("heat_subtitle"))
    g = content.grid
    radii, highs, elevateds = sorted(g.radii_m), sorted(g.high_days), sorted(g.elevated_days)
    rows = {(r.radius_m, r.high_risk_days, r.elevated_risk_days): r for r in content.result.rows}
    pai = np.full((len(highs), len(radii), len(elevateds)), np.nan)
    for (radius, high, elevated), row in rows.items():
        if row.pai is not None:
            pai[highs.index(high), radii.index(radius), elevateds.index(elevated)] = row.pai
    finite = pai[np.isfinite(pai)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    vmax = vmax if vmax > vmin else vmin + 1e-9
    cmap = colormaps["YlGnBu"].with_extremes(bad=EMPTY)
    left, right, gap = 0.08, 0.88, 0.015
    width = (right - left - gap * (len(highs) - 1)) / len(highs)
    scale = min(1.0, FITS_ACROSS / len(elevateds), FITS_DOWN / len(radii), 4 / len(highs))
    image = None
    suggestion = content.result.suggestion
    marked = {suggestion.reference.rules: 1.2, suggestion.row.rules: 3.5}
    for k, high in enumerate(highs):
        ax = fig.add_axes((left + k * (width + gap), 0.3, width, 0.53))
        image = ax.imshow(np.ma.masked_invalid(pai[k]), cmap=cmap, vmin=vmin, vmax=vmax,
                          aspect="auto")  # fmt: skip
        for i, radius in enumerate(radii):
            for j, elevated in enumerate(elevateds):
                cell = rows.get((radius, high, elevated))
                if cell is None:
                    continue
                if cell.rules in marked:
                    ax.add_patch(_frame(j, i, marked[cell.rules]))
                if scale < SMALLEST:
                    continue
                shade = (pai[k, i, j] - vmin) / (vmax - vmin) if cell.pai is not None else 0.0
                colour = "white" if shade > 0.6 else INK
                ax.text(j, i - 0.14, content.pai(cell.pai), ha="center", va="center",
                        fontsize=10.5 * scale, fontweight="bold", color=colour)  # fmt: skip
                ax.text(j, i + 0.24, content.percent(cell.hit_rate, 0), ha="center",
                        va="center", fontsize=8 * scale, color=colour)  # fmt: skip
        ax.set_title(content.t("panel", n=high), fontsize=12, color=INK, pad=8)
        ax.set_xticks(range(len(elevateds)), [str(e) for e in elevateds], fontsize=10 * max(
            scale, 0.8))  # fmt: skip
        ax.set_xlabel(content.t("elevated_axis"), fontsize=10, color=MUTED)
        ax.set_yticks(range(len(radii)), [content.number(r) for r in radii] if k == 0 else [],
                      fontsize=10 * max(scale, 0.8))  # fmt: skip
        if k == 0:
            ax.set_ylabel(content.t("radius_axis"), fontsize=11, color=INK)
        ax.tick_params(length=0, colors=INK)
        for side in ax.spines.values():
            side.set_visible(False)
    if image is not None:
        cax = fig.add_axes((0.9, 0.3, 0.015, 0.53))
        bar = fig.colorbar(image, cax=cax)
        bar.outline.set_visible(False)
        bar.ax.tick_params(labelsize=10, colors=INK)
        bar.ax.yaxis.set_major_formatter(lambda v, _: content.number(v, 2))
        bar.set_label("PAI", fontsize=11, color=INK)
    ref, best = suggestion.reference, suggestion.row
    _notes(
        fig,
        [
            f"{content.t('in_use')}: {content.figures(ref)}.",
            f"{content.t('suggested')}: {content.figures(best)}.",
            content.gain(),
            content.period(),
            content.data.line(content.language),
        ],
    )
    return _png(fig, content.t("heat_title"))


def _page(title: str, subtitle: str) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.945, title, fontsize=20, fontweight="bold", color=INK)
    fig.text(0.05, 0.905, textwrap.fill(subtitle, 130), fontsize=12, color=MUTED, va="top")
    return fig


def _frame(x: float, y: float, width: float) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.47, y - 0.47), 0.94, 0.94, fill=False, edgecolor=INK, linewidth=width)


def _notes(fig: Figure, notes: list[str]) -> None:
    lines = [part for note in notes if note for part in textwrap.wrap(note, NOTE_WIDTH)]
    fig.text(0.05, 0.2, "\n".join(lines), fontsize=10, color=MUTED, va="top", linespacing=1.5)


def _png(fig: Figure, title: str) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Title": title, "Software": "cocoon"})
    return out.getvalue()
