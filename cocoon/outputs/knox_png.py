"""The Knox table as a PNG heat map for a report: space bands down, time bands across, each cell
coloured by its ratio of observed to expected pairs on a scale centred on 1 (red above, blue
below, symmetric in ratio: 2 is as red as 0.5 is blue), with the ratio, its significance marks
and the observed pairs printed in it; title, colour bar and notes below. A4 landscape at 150
dpi in DejaVu Sans (matplotlib's own), drawn with the Agg renderer, loaded only here.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING

import numpy as np

from cocoon.outputs import register
from cocoon.outputs.evidence_content import NBSP, KnoxTable

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 11.69, 8.27, 150  # A4 landscape
INK, MUTED, EMPTY = "#1a1a1a", "#555555", "#e6e6e6"
#: The colour scale reaches its ends at these ratios (beyond them, cells keep the end colour).
LEAST_SPAN = math.log2(2.0)
MOST_SPAN = math.log2(4.0)
TICKS = (0.25, 0.33, 0.5, 0.67, 1.0, 1.5, 2.0, 3.0, 4.0)
NOTE_WIDTH = 125  # characters per line of the notes under the picture
#: Cells across and down that the full-size text fits; more shrink it, down to SMALLEST of it
#: (below that the cells are left without text); the pairs are printed from PAIRS_FROM.
FITS_ACROSS, FITS_DOWN, SMALLEST, PAIRS_FROM = 5, 7, 0.4, 0.6


@register(KnoxTable, "png")
def knox_png(content: KnoxTable) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.945, content.t("title"), fontsize=21, fontweight="bold", color=INK)
    fig.text(0.05, 0.9, content.t("subtitle"), fontsize=13, color=MUTED)
    ax = fig.add_axes((0.2, 0.235, 0.64, 0.55))
    cax = fig.add_axes((0.87, 0.235, 0.018, 0.55))
    span = _span(content)
    image = _cells(ax, content, span)
    _colour_bar(fig, cax, image, content, span)
    _notes(fig, content)
    out = io.BytesIO()
    metadata = {"Title": content.t("title"), "Software": "cocoon"}
    fig.savefig(out, format="png", dpi=DPI, metadata=metadata)
    return out.getvalue()


def _log_ratios(content: KnoxTable) -> np.ndarray:
    """log2 of each cell's ratio, NaN where no permutation put a pair (no ratio)."""
    rows = content.result.rows()
    ratios = [[c.ratio if c.ratio else math.nan for c in row] for row in rows]
    with np.errstate(divide="ignore"):
        logs = np.log2(np.array(ratios, dtype=np.float64))
    return np.where(np.isfinite(logs), logs, np.nan)


def _span(content: KnoxTable) -> float:
    """Half the colour scale in log2: at least 2× (so chance cells stay pale), at most 4×."""
    logs = _log_ratios(content)
    largest = float(np.nanmax(np.abs(logs))) if np.isfinite(logs).any() else 0.0
    return min(max(largest, LEAST_SPAN), MOST_SPAN)


def _cells(ax: Axes, content: KnoxTable, span: float) -> object:
    """The coloured grid, a label in each cell, the band labels on the axes."""
    from matplotlib import colormaps

    logs = _log_ratios(content)
    cmap = colormaps["RdBu_r"].with_extremes(bad=EMPTY)
    image = ax.imshow(np.ma.masked_invalid(logs), cmap=cmap, vmin=-span, vmax=span, aspect="auto")
    rows = content.result.rows()
    across, down = len(rows[0]), len(rows)
    scale = min(1.0, FITS_ACROSS / across, FITS_DOWN / down)  # text shrinks with the cells
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if scale < SMALLEST:
                break  # too many cells to print in: the colours and the notes say it
            shade = abs(logs[r, c]) / span if np.isfinite(logs[r, c]) else 0.0
            colour = "white" if shade > 0.6 else INK
            weight = "bold" if cell.significance else "normal"
            ratio_at = r - 0.13 if scale >= PAIRS_FROM else r
            ax.text(c, ratio_at, content.ratio(cell), ha="center", va="center",
                    fontsize=18 * scale, fontweight=weight, color=colour)  # fmt: skip
            if scale >= PAIRS_FROM:
                pairs = content.t("pairs", n=content.number(cell.observed))
                ax.text(c, r + 0.25, pairs, ha="center", va="center", fontsize=11 * scale,
                        color=colour)  # fmt: skip
    labels = content.time_labels()
    if across > FITS_ACROSS:  # the unit on a line of its own leaves room for the numbers
        labels = [_two_lines(label) for label in labels]
    ax.set_xticks(range(across), labels, fontsize=13 * min(1.0, 8 / across))
    ax.set_yticks(range(down), content.space_labels(), fontsize=13 * min(1.0, 12 / down))
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(content.t("time_axis"), fontsize=13, labelpad=10, color=INK)
    ax.set_ylabel(content.t("distance_axis"), fontsize=13, labelpad=12, color=INK)
    ax.tick_params(length=0, colors=INK, pad=6)
    ax.set_xticks(np.arange(-0.5, len(rows[0])), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return image


def _two_lines(label: str) -> str:
    """A label broken at the space nearest its middle ('mer än' over '28 dagar')."""
    spaces = [i for i, ch in enumerate(label) if ch in (" ", NBSP)]
    if not spaces:
        return label
    middle = min(spaces, key=lambda i: abs(2 * i - len(label)))
    return f"{label[:middle]}\n{label[middle + 1 :]}"


def _colour_bar(fig: Figure, cax: Axes, image: object, content: KnoxTable, span: float) -> None:
    """The scale in ratios (log-spaced ticks), labelled like the cells."""
    ticks = [t for t in TICKS if abs(math.log2(t)) <= span + 1e-9]
    bar = fig.colorbar(image, cax=cax)  # type: ignore[arg-type]
    labels = [content.number(t, 2).rstrip("0").rstrip(",.") for t in ticks]
    bar.set_ticks([math.log2(t) for t in ticks], labels=labels)
    bar.ax.tick_params(labelsize=11, colors=INK)
    bar.outline.set_visible(False)
    bar.set_label(content.t("ratio"), fontsize=12, color=INK)


def _notes(fig: Figure, content: KnoxTable) -> None:
    """The marks, the convention, the data and the run, wrapped under the picture."""
    lines = [part for note in content.notes() for part in textwrap.wrap(note, NOTE_WIDTH)]
    fig.text(0.05, 0.15, "\n".join(lines), fontsize=11, color=MUTED, va="top", linespacing=1.5)
