"""The small map on each roster sheet: numbered stops in walking order on the named roads.

Drawn with reportlab; never shows the burgled home or the report's point, only the stops.
Its roads, street names, extent, scale bar and north arrow also serve the sign plan's zone maps.
The names of the sheet's own streets go first and near their stops, so a team can match the
table's addresses to the map.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Container, Sequence
from functools import partial

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Flowable  # type: ignore[import-untyped]

from cocoon.core.visits import Stop, VisitKind
from cocoon.i18n import Language, text
from cocoon.outputs.fonts import BOLD, REGULAR
from cocoon.outputs.map_roads import (
    PATH_CLASSES,
    SheetRoads,
    named_pieces,
    road_width,
    scale_length,
)
from cocoon.outputs.street_labels import Box, Label, Layout, place_labels, streets

INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#6b6b6b")
LINE = colors.HexColor("#b4b4b4")
ROUTE = colors.HexColor("#1f5fa8")
NAME = colors.HexColor("#3a3a3a")
MARKER_RADIUS = 6.0
#: Street names on the small maps: base size (points), white halo and repeat distance.
NAME_SIZE = 6.8
NAME_HALO = 0.9
NAME_REPEAT = 230.0
_LEGEND_SIZE = 6.5


def kind_text(kind: VisitKind, lang: Language) -> str:
    """'Dörrknackning' or 'Trapphusinformation' (English: door knock, stairwell notice)."""
    return text(
        "roster_kind_stairwell" if kind is VisitKind.STAIRWELL else "roster_kind_door", lang
    )


#: Draws a legend entry's symbol centred on (x, y).
Swatch = Callable[[Canvas, float, float], None]


class SmallMap(Flowable, ABC):  # type: ignore[misc]
    """A framed map box: its content clipped to the box, then scale bar, north arrow, legend."""

    def __init__(self, width: float, height: float, roads: SheetRoads) -> None:
        super().__init__()
        self.width, self.height, self.roads = width, height, roads

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        w, h = self.width, self.height
        xs, ys = self.shown_points()
        if xs:
            x0, y0, k = extent(xs, ys, w, h)
            c.saveState()
            clip = c.beginPath()
            clip.rect(0, 0, w, h)
            c.clipPath(clip, stroke=0, fill=0)
            self.draw_content(c, x0, y0, k)
            c.restoreState()
            scale_bar(c, k, w)
            north_arrow(c, w - 7 * mm, h - 13 * mm)
            draw_legend(c, w, self.legend())
        c.setStrokeColor(GREY)
        c.setLineWidth(0.6)
        c.rect(0, 0, w, h, stroke=1, fill=0)

    @abstractmethod
    def shown_points(self) -> tuple[list[float], list[float]]:
        """Metric x and y values the map must show."""

    @abstractmethod
    def draw_content(self, c: Canvas, x0: float, y0: float, k: float) -> None:
        """Draw in map points: metric (x, y) is at ((x - x0) * k, (y - y0) * k)."""

    @abstractmethod
    def legend(self) -> list[tuple[str, Swatch]]:
        """Label and symbol of each legend entry, left to right."""

    def street_names(
        self,
        x0: float,
        y0: float,
        k: float,
        markers: Sequence[Box] = (),
        focus: Sequence[tuple[str, float, float]] = (),
    ) -> list[Label]:
        """Where the names of the roads on the map go: clear of the markers (map points), the
        scale bar, the north arrow and the legend; streets with `focus` points first."""
        w, h = self.width, self.height
        furniture = [
            scale_bar_box(k, w),
            Box.rect(w - 12 * mm, h - 15 * mm, w - 2 * mm, h - 3 * mm),  # the north arrow
            legend_box(w, self.legend()),
        ]
        names = {name for name, _, _ in focus}
        named = streets(named_pieces(self.roads, x0, y0, k, w, h), names.__contains__, focus)
        layout = Layout(w, h, NAME_SIZE, margin=2.0, halo=NAME_HALO, repeat_gap=NAME_REPEAT)
        return place_labels(layout, named, _measure, [*furniture, *markers])


class SheetMap(SmallMap):
    """The sheet's stops as numbered markers on its roads, with the walk, a scale and north.

    Draws nothing else: the burgled home and the report's point are never on it.
    """

    def __init__(
        self,
        stops: Sequence[Stop],
        roads: SheetRoads,
        width: float,
        height: float,
        lang: Language,
    ) -> None:
        super().__init__(width, height, roads)
        self.stops, self.lang = stops, lang

    def shown_points(self) -> tuple[list[float], list[float]]:
        return [s.x for s in self.stops], [s.y for s in self.stops]

    def draw_content(self, c: Canvas, x0: float, y0: float, k: float) -> None:
        draw_roads(c, self.roads, x0, y0, k, self.width, self.height)
        points = [((s.x - x0) * k, (s.y - y0) * k) for s in self.stops]
        clear = [
            marker_box(px, py, MARKER_RADIUS + 1, s.kind is VisitKind.STAIRWELL)
            for s, (px, py) in zip(self.stops, points, strict=True)
        ]
        names = set(self.roads.names)
        focus = [
            (name, px, py)
            for s, (px, py) in zip(self.stops, points, strict=True)
            if (name := street_of(s.label, names))
        ]
        draw_names(c, self.street_names(x0, y0, k, clear, focus))  # the walk crosses over them
        if len(points) > 1:
            c.setStrokeColor(ROUTE)
            c.setLineWidth(0.9)
            c.setDash(3, 2)
            route = c.beginPath()
            route.moveTo(*points[0])
            for p in points[1:]:
                route.lineTo(*p)
            c.drawPath(route, stroke=1, fill=0)
            c.setDash()
        markers = list(enumerate(zip(self.stops, points, strict=True), start=1))
        for number, (stop, (px, py)) in reversed(markers):  # stop 1 on top
            _marker(c, px, py, number, stop.kind)

    def legend(self) -> list[tuple[str, Swatch]]:
        kinds = sorted({s.kind for s in self.stops}, key=lambda k: k is VisitKind.STAIRWELL)
        return [(kind_text(kind, self.lang), partial(_kind_swatch, kind=kind)) for kind in kinds]


def _kind_swatch(c: Canvas, x: float, y: float, kind: VisitKind) -> None:
    _marker(c, x, y, None, kind, radius=3.5)


def street_of(label: str, names: Container[str | None]) -> str | None:
    """The longest road name an address label ('Östra Vägen 1B, Kalmar') starts with."""
    words = label.split(" ")
    for end in range(len(words) - 1, 0, -1):
        name = " ".join(words[:end])
        if name in names:
            return name
    return None


def marker_box(x: float, y: float, radius: float, square: bool) -> Box:
    """What a marker covers: its disc, or its square."""
    if square:
        return Box.rect(x - radius, y - radius, x + radius, y + radius)
    return Box.around(x, y, radius)


def _measure(text: str, size: float) -> float:
    return float(stringWidth(text, REGULAR, size))


def draw_names(c: Canvas, labels: Sequence[Label]) -> None:
    """Each name along its road: dark grey on a thin white halo that keeps it readable."""
    for label in labels:
        bx, by = label.baseline()
        c.saveState()
        c.translate(bx, by)
        c.rotate(label.angle)
        c.saveState()  # the halo's stroke mode ends with its own graphics state
        c.setStrokeColor(colors.white)
        c.setLineWidth(2 * NAME_HALO)
        c.setLineJoin(1)
        halo = c.beginText(-label.width / 2, 0)
        halo.setTextRenderMode(1)
        halo.setFont(REGULAR, label.size)
        halo.textOut(label.text)
        c.drawText(halo)
        c.restoreState()
        c.setFillColor(NAME)
        c.setFont(REGULAR, label.size)
        c.drawString(-label.width / 2, 0, label.text)
        c.restoreState()


def legend_box(w: float, entries: Sequence[tuple[str, Swatch]]) -> Box:
    """Where draw_legend puts its entries."""
    if not entries:
        return Box.rect(w, 0, w, 0)
    left = w - 2 * mm - sum(stringWidth(t, REGULAR, _LEGEND_SIZE) + 18 for t, _ in entries) + 6
    return Box.rect(left - 1, 1.5 * mm, w - 2 * mm, 1.5 * mm + 10)


def scale_bar_box(k: float, w: float) -> Box:
    """Where scale_bar draws its bar and length."""
    metres = scale_length(w / 4 / k)
    label = f"{metres} m"
    x, y = 3 * mm, 3 * mm
    right = x + metres * k + 3 + stringWidth(label, REGULAR, _LEGEND_SIZE)
    return Box.rect(x - 2, y - 2, max(right, x + metres * k + 32), y + 8)


def draw_legend(c: Canvas, w: float, entries: Sequence[tuple[str, Swatch]]) -> None:
    """Legend entries on white, right-aligned along the map's bottom edge."""
    x = w - 2 * mm
    c.setFont(REGULAR, _LEGEND_SIZE)
    for label, swatch in reversed(entries):
        tw = c.stringWidth(label, REGULAR, _LEGEND_SIZE)
        c.setFillColor(colors.white)
        c.rect(x - tw - 12, 1.5 * mm, tw + 13, 10, stroke=0, fill=1)
        c.setFillColor(INK)
        c.drawString(x - tw, 1.5 * mm + 3, label)
        swatch(c, x - tw - 6, 1.5 * mm + 5)
        x -= tw + 18


def draw_roads(
    c: Canvas, roads: SheetRoads, x0: float, y0: float, k: float, w: float, h: float
) -> None:
    """Light grey lines, paths dashed: a base map that leaves the markers readable.

    (x0, y0) is the metric point at the map's lower-left corner, `k` points per metre.
    """
    x1, y1 = x0 + w / k, y0 + h / k
    c.setLineCap(1)
    for road_class, coords in roads.within(x0, y0, x1, y1):
        path_like = road_class in PATH_CLASSES
        c.setStrokeColor(colors.HexColor("#cccccc" if path_like else "#bababa"))
        c.setLineWidth(road_width(road_class))
        c.setDash(*((2, 1.5) if path_like else ()))
        path = c.beginPath()
        path.moveTo((coords[0, 0] - x0) * k, (coords[0, 1] - y0) * k)
        for x, y in coords[1:]:
            path.lineTo((x - x0) * k, (y - y0) * k)
        c.drawPath(path, stroke=1, fill=0)
    c.setDash()


def extent(
    xs: Sequence[float], ys: Sequence[float], w: float, h: float
) -> tuple[float, float, float]:
    """Lower-left corner (metric) and points per metre that fit the points with a margin."""
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    margin = max(40.0, 0.12 * span)
    half_w = (max(xs) - min(xs)) / 2 + margin
    half_h = (max(ys) - min(ys)) / 2 + margin
    k = min(w / (2 * half_w), h / (2 * half_h))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return cx - w / (2 * k), cy - h / (2 * k), k


def _marker(
    c: Canvas,
    x: float,
    y: float,
    number: int | None,
    kind: VisitKind,
    radius: float = MARKER_RADIUS,
) -> None:
    """A white disc (door) or square (stairwell) with the stop number."""
    c.setStrokeColor(INK)
    c.setFillColor(colors.white)
    c.setLineWidth(0.9)
    if kind is VisitKind.STAIRWELL:
        c.rect(x - radius, y - radius, 2 * radius, 2 * radius, stroke=1, fill=1)
    else:
        c.circle(x, y, radius, stroke=1, fill=1)
    if number is not None:
        size = 6.5 if number < 10 else 5.8
        c.setFillColor(INK)
        c.setFont(BOLD, size)
        c.drawCentredString(x, y - size * 0.36, str(number))


def scale_bar(c: Canvas, k: float, w: float) -> None:
    """A bar of a round length, at most a quarter of the map's width, bottom left."""
    metres = scale_length(w / 4 / k)
    length, x, y = metres * k, 3 * mm, 3 * mm
    c.setFillColor(colors.white)
    c.rect(x - 2, y - 2, length + 34, 10, stroke=0, fill=1)
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.line(x, y, x + length, y)
    c.line(x, y - 1.5, x, y + 3)
    c.line(x + length, y - 1.5, x + length, y + 3)
    c.setFillColor(INK)
    c.setFont(REGULAR, 6.5)
    c.drawString(x + length + 3, y - 0.5, f"{metres} m")


def north_arrow(c: Canvas, x: float, y: float) -> None:
    """Grid north is up; in SWEREF 99 TM it is within about 2° of true north in Sweden."""
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    arrow = c.beginPath()
    arrow.moveTo(x, y + 8 * mm)
    arrow.lineTo(x - 2.2 * mm, y + 2 * mm)
    arrow.lineTo(x, y + 3.2 * mm)
    arrow.lineTo(x + 2.2 * mm, y + 2 * mm)
    arrow.close()
    c.drawPath(arrow, stroke=0, fill=1)
    c.setFont(BOLD, 8)
    c.drawCentredString(x, y - 1 * mm, "N")
