"""A map export as a PNG: a static A4-landscape map for a report or an e-mail.

The loaded roads are the base map (with the OpenStreetMap attribution), then the zones and,
on internal maps, the register addresses, visit stops, signs and reported burglaries; the
street names over the zones, clear of every marker and of the map's furniture; a title with
the date, the profile's note, a legend, a scale bar and a north arrow (grid north, within
about 2° of true north in SWEREF 99 TM). Drawn with matplotlib's Agg renderer, which is
loaded only when a PNG is written.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from cocoon.outputs import register
from cocoon.outputs.map_roads import (
    PATH_CLASSES,
    SheetRoads,
    named_pieces,
    road_width,
    scale_length,
)
from cocoon.outputs.maps import ATTRIBUTION, COLOURS, FILL_OPACITY, ExportMap, LegendEntry
from cocoon.outputs.street_labels import Box, Label, Layout, place_labels, streets

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

WIDTH_PX, HEIGHT_PX, DPI = 1754, 1240, 150  # A4 landscape at 150 dpi
WIDTH_IN, HEIGHT_IN = WIDTH_PX / DPI, HEIGHT_PX / DPI
WIDTH_PT, HEIGHT_PT = WIDTH_IN * 72, HEIGHT_IN * 72
#: Street names: base size and white halo (points), and how far apart a name may come again.
NAME_SIZE, NAME_HALO, NAME_REPEAT = 7.5, 1.0, 280.0
#: Marker of each point style: matplotlib marker, size (points²), edge colour.
_MARKERS = {
    "sign": ("^", 110.0, "#ffffff"),
    "report": ("X", 140.0, "#ffffff"),
}
_STOP_MARKER = ("o", 38.0, COLOURS["ink"])


@register(ExportMap, "png")
def export_png(content: ExportMap) -> bytes:
    fig, _ = drawn(content)
    out = io.BytesIO()
    metadata = {"Title": content.title, "Description": content.note, "Software": "cocoon"}
    if content.frame is not None and content.roads:
        metadata["Copyright"] = ATTRIBUTION
    fig.savefig(out, format="png", dpi=DPI, metadata=metadata)
    return out.getvalue()


def drawn(content: ExportMap) -> tuple[Figure, list[Label]]:
    """The map as a matplotlib figure, and the street names it sets (points on the page)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels: list[Label] = []
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
        _title(ax, content)
    else:
        x0, y0, x1, y1 = fit(frame, WIDTH_IN / HEIGHT_IN)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        roads = SheetRoads.of(content.roads, content.projection)
        drew_roads = _roads(ax, roads, (x0, y0, x1, y1))
        _addresses(ax, content)
        _zones(ax, content)
        markers = _points(ax, content, (x0, y0, x1, y1))
        furniture: list[Artist | None] = [_legend(ax, content.legend())]
        furniture += [*_scale_bar(ax, x0, y0, x1, y1), *_north_arrow(ax)]
        if drew_roads:
            furniture.append(
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
            )
        furniture += _title(ax, content)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        clear = [*markers, *(_extent(a, renderer) for a in furniture if a is not None)]
        labels = street_labels(roads, (x0, y0, x1, y1), clear)
        _names(ax, labels, (x0, y0, x1, y1))
    return fig, labels


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


def street_labels(
    roads: SheetRoads, box: tuple[float, float, float, float], clear: list[Box]
) -> list[Label]:
    """Where the street names go on the page (points from its lower-left corner)."""
    x0, y0, x1, _ = box
    k = WIDTH_PT / (x1 - x0)
    named = streets(named_pieces(roads, x0, y0, k, WIDTH_PT, HEIGHT_PT))
    layout = Layout(WIDTH_PT, HEIGHT_PT, NAME_SIZE, 3.0, NAME_HALO, NAME_REPEAT)
    return place_labels(layout, named, text_width, clear)


def text_width(text: str, size: float) -> float:
    """The width of a text in DejaVu Sans, in points, as matplotlib sets it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(family="DejaVu Sans", size=size)
    return float(text_to_path.get_text_width_height_descent(text, font, ismath=False)[0])


def _names(ax: Axes, labels: list[Label], box: tuple[float, float, float, float]) -> None:
    """Each name along its road, over the zones and under the markers, on a white halo."""
    from matplotlib.patheffects import withStroke

    x0, y0, x1, _ = box
    k = WIDTH_PT / (x1 - x0)
    halo = [withStroke(linewidth=2 * NAME_HALO, foreground="white")]
    for label in labels:
        bx, by = label.baseline()
        ax.text(
            x0 + bx / k,
            y0 + by / k,
            label.text,
            rotation=label.angle,
            rotation_mode="anchor",
            ha="center",
            va="baseline",
            fontsize=label.size,
            fontfamily="DejaVu Sans",
            color=COLOURS["name"],
            parse_math=False,  # a '$' in a street's name is a dollar sign, not TeX
            path_effects=halo,
            zorder=3.5,
        )


def _extent(artist: Artist, renderer: RendererBase) -> Box:
    """What an artist covers on the page, in points from its lower-left corner, with the
    padding of a text's box around it."""
    e = artist.get_window_extent(renderer)
    scale, pad = 72 / DPI, 6.0
    return Box.rect(e.x0 * scale - pad, e.y0 * scale - pad, e.x1 * scale + pad, e.y1 * scale + pad)


def _roads(ax: Axes, roads: SheetRoads, box: tuple[float, float, float, float]) -> bool:
    """Light grey roads, paths dashed, clipped to the map; whether any were drawn."""
    from matplotlib.collections import LineCollection

    pieces: dict[str, list[Any]] = defaultdict(list)
    for road_class, coords in roads.within(*box):
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


def _points(ax: Axes, content: ExportMap, box: tuple[float, float, float, float]) -> list[Box]:
    """The internal map's markers; what each covers on the page, in points."""
    x0, y0, x1, _ = box
    k = WIDTH_PT / (x1 - x0)
    covered = []
    for layer in content.layers[1:]:
        by_style: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for feature in layer.features:
            by_style[feature.style].append((feature.geometry.x, feature.geometry.y))
        for style, points in by_style.items():
            marker, size, edge = _MARKERS.get(style, _STOP_MARKER)
            xy = np.asarray(points)
            radius = np.sqrt(size) / 2 + 1.5  # a marker of s points² is √s points across
            covered += [Box.around((x - x0) * k, (y - y0) * k, radius) for x, y in points]
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
    return covered


def _legend(ax: Axes, entries: list[LegendEntry]) -> Artist | None:
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
    if not handles:
        return None
    return ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(0.996, 0.035),
        fontsize=9,
        framealpha=0.92,
        edgecolor="#6b6b6b",
    )


def _scale_bar(ax: Axes, x0: float, y0: float, x1: float, y1: float) -> list[Artist]:
    """A bar of a round length, at most a quarter of the map's width, bottom left."""
    metres = scale_length((x1 - x0) / 4)
    left, base = x0 + 0.02 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    tick = 0.008 * (y1 - y0)
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres} m"
    ink = COLOURS["ink"]
    drawn: list[Artist] = []
    drawn += ax.plot(
        [left, left + metres],
        [base, base],
        color=ink,
        linewidth=2.2,
        zorder=6,
        solid_capstyle="butt",
    )
    for x in (left, left + metres):
        drawn += ax.plot([x, x], [base - tick, base + tick], color=ink, linewidth=1.4, zorder=6)
    drawn.append(
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
    )
    return drawn


def _north_arrow(ax: Axes) -> list[Artist]:
    ink = COLOURS["ink"]
    arrow = ax.annotate(
        "",
        xy=(0.965, 0.955),
        xytext=(0.965, 0.885),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": ink, "linewidth": 2.2, "mutation_scale": 22},
    )
    letter = ax.text(
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
    return [arrow.arrow_patch, letter] if arrow.arrow_patch else [letter]


def _title(ax: Axes, content: ExportMap) -> list[Artist]:
    box = {"facecolor": "white", "edgecolor": "#6b6b6b", "alpha": 0.92, "pad": 5}
    title = ax.text(
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
    note = ax.text(
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
    return [title, note]


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b
