"""A map export as a PNG: a static A4-landscape map for a report or an e-mail.

The loaded roads are the base map (with the OpenStreetMap attribution), then the zones and,
on internal maps, the register addresses, visit stops, signs and reported burglaries; a
title with the date, the profile's note, a legend, a scale bar and a north arrow (grid north,
within about 2° of true north in SWEREF 99 TM). Drawn with matplotlib's Agg renderer, which
is loaded only when a PNG is written.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from cocoon.outputs import register
from cocoon.outputs.map_roads import PATH_CLASSES, SheetRoads, road_width, scale_length
from cocoon.outputs.maps import ATTRIBUTION, COLOURS, FILL_OPACITY, ExportMap, LegendEntry

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_PX, HEIGHT_PX, DPI = 1754, 1240, 150  # A4 landscape at 150 dpi
WIDTH_IN, HEIGHT_IN = WIDTH_PX / DPI, HEIGHT_PX / DPI
#: Marker of each point style: matplotlib marker, size (points²), edge colour.
_MARKERS = {
    "sign": ("^", 110.0, "#ffffff"),
    "report": ("X", 140.0, "#ffffff"),
}
_STOP_MARKER = ("o", 38.0, COLOURS["ink"])


@register(ExportMap, "png")
def export_png(content: ExportMap) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    frame = content.frame
    if frame is None:
        ax.text(
            0.5,
            0.5,
            content.t("no_zones"),
            ha="center",
            va="center",
            fontsize=16,
            transform=ax.transAxes,
        )
    else:
        x0, y0, x1, y1 = fit(frame, WIDTH_IN / HEIGHT_IN)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        drew_roads = _roads(ax, content, (x0, y0, x1, y1))
        _addresses(ax, content)
        _zones(ax, content)
        _points(ax, content)
        _legend(ax, content.legend())
        _scale_bar(ax, x0, y0, x1, y1)
        _north_arrow(ax)
        if drew_roads:
            ax.text(
                0.996,
                0.006,
                ATTRIBUTION,
                ha="right",
                va="bottom",
                fontsize=7,
                color=COLOURS["ink"],
                transform=ax.transAxes,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2},
            )
    _title(ax, content)
    out = io.BytesIO()
    metadata = {"Title": content.title, "Description": content.note, "Software": "cocoon"}
    if frame is not None and content.roads:
        metadata["Copyright"] = ATTRIBUTION
    fig.savefig(out, format="png", dpi=DPI, metadata=metadata)
    return out.getvalue()


def fit(
    frame: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """The frame widened or heightened about its centre to a width/height ratio."""
    x0, y0, x1, y1 = frame
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _roads(ax: Axes, content: ExportMap, box: tuple[float, float, float, float]) -> bool:
    """Light grey roads, paths dashed, clipped to the map; whether any were drawn."""
    from matplotlib.collections import LineCollection

    pieces: dict[str, list[Any]] = defaultdict(list)
    for road_class, coords in SheetRoads.of(content.roads, content.projection).within(*box):
        pieces[road_class].append(coords)
    for road_class, lines in sorted(pieces.items(), key=lambda kv: road_width(kv[0])):
        path = road_class in PATH_CLASSES
        ax.add_collection(
            LineCollection(
                lines,
                colors=COLOURS["path" if path else "road"],
                linewidths=road_width(road_class) * 1.2,
                linestyles="--" if path else "-",
                capstyle="round",
                zorder=1,
            )
        )
    return bool(pieces)


def _addresses(ax: Axes, content: ExportMap) -> None:
    if not content.addresses:
        return
    lons = [a.lon for a in content.addresses]
    lats = [a.lat for a in content.addresses]
    xs, ys = content.projection.to_metric(lons, lats)
    ax.scatter(xs, ys, s=3, c=COLOURS["address"], linewidths=0, zorder=2)


def _zones(ax: Axes, content: ExportMap) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    for feature in content.layers[0].features:  # zones are always the first layer
        colour = COLOURS[feature.style]
        rings = [
            Path(np.asarray(shapely.get_coordinates(ring)), closed=True)
            for polygon in shapely.get_parts(feature.geometry)
            for ring in (polygon.exterior, *polygon.interiors)
        ]
        ax.add_patch(
            PathPatch(
                Path.make_compound_path(*rings),
                facecolor=(*_rgb(colour), FILL_OPACITY),
                edgecolor=colour,
                linewidth=1.6,
                zorder=3,
            )
        )


def _points(ax: Axes, content: ExportMap) -> None:
    for layer in content.layers[1:]:
        by_style: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for feature in layer.features:
            by_style[feature.style].append((feature.geometry.x, feature.geometry.y))
        for style, points in by_style.items():
            marker, size, edge = _MARKERS.get(style, _STOP_MARKER)
            xy = np.asarray(points)
            ax.scatter(
                xy[:, 0],
                xy[:, 1],
                marker=marker,
                s=size,
                c=COLOURS[style],
                edgecolors=edge,
                linewidths=0.9,
                zorder=5 if style == "report" else 4,
            )


def _legend(ax: Axes, entries: list[LegendEntry]) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for e in entries:
        colour = COLOURS[e.style]
        if e.shape == "area":
            handles.append(
                Patch(facecolor=(*_rgb(colour), FILL_OPACITY), edgecolor=colour, label=e.label)
            )
        elif e.shape == "line":
            handles.append(Line2D([], [], color=colour, linewidth=2, label=e.label))
        else:
            marker, _, edge = _MARKERS.get(e.style, _STOP_MARKER)
            if e.shape == "dot":
                marker, edge = "o", colour
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="",
                    marker=marker,
                    markersize=8,
                    markerfacecolor=colour,
                    markeredgecolor=edge,
                    label=e.label,
                )
            )
    if handles:
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(0.996, 0.035),
            fontsize=9,
            framealpha=0.92,
            edgecolor="#6b6b6b",
        )


def _scale_bar(ax: Axes, x0: float, y0: float, x1: float, y1: float) -> None:
    """A bar of a round length, at most a quarter of the map's width, bottom left."""
    metres = scale_length((x1 - x0) / 4)
    left, base = x0 + 0.02 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    tick = 0.008 * (y1 - y0)
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres} m"
    ink = COLOURS["ink"]
    ax.plot(
        [left, left + metres],
        [base, base],
        color=ink,
        linewidth=2.2,
        zorder=6,
        solid_capstyle="butt",
    )
    for x in (left, left + metres):
        ax.plot([x, x], [base - tick, base + tick], color=ink, linewidth=1.4, zorder=6)
    ax.text(
        left + metres / 2,
        base + 1.6 * tick,
        label,
        ha="center",
        va="bottom",
        fontsize=9,
        color=ink,
        zorder=6,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def _north_arrow(ax: Axes) -> None:
    ink = COLOURS["ink"]
    ax.annotate(
        "",
        xy=(0.965, 0.955),
        xytext=(0.965, 0.885),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": ink, "linewidth": 2.2, "mutation_scale": 22},
    )
    ax.text(
        0.965,
        0.875,
        "N",
        ha="center",
        va="top",
        fontsize=13,
        fontweight="bold",
        color=ink,
        transform=ax.transAxes,
    )


def _title(ax: Axes, content: ExportMap) -> None:
    box = {"facecolor": "white", "edgecolor": "#6b6b6b", "alpha": 0.92, "pad": 5}
    ax.text(
        0.012,
        0.985,
        content.title,
        ha="left",
        va="top",
        fontsize=15,
        fontweight="bold",
        color=COLOURS["ink"],
        transform=ax.transAxes,
        bbox=box,
        zorder=7,
    )
    ax.text(
        0.012,
        0.925,
        content.note,
        ha="left",
        va="top",
        fontsize=10,
        color=COLOURS["high"] if content.public else COLOURS["ink"],
        transform=ax.transAxes,
        bbox=box,
        zorder=7,
    )


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b
