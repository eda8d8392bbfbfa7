"""The printed visit roster: per sheet a header, a map and the table of doors; then the leaflet.

Internal paper for the visiting teams. It never shows the burgled address, its point or the
report id: the zone id identifies the roster. Invariant mode makes re-runs byte-identical.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import shapely
from numpy.typing import NDArray
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cocoon.i18n import Language, text
from cocoon.outputs import Roster, register
from cocoon.outputs.fonts import BOLD, REGULAR, register_fonts
from cocoon.timeutil import local, to_utc
from cocoon.visits import Sheet, Stop, VisitKind, VisitPlan

MARGIN = 12 * mm
FOOTER_Y = 7 * mm
MAP_HEIGHT = 66 * mm
ROW_HEIGHT = 7 * mm
TICK = "☐"
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#6b6b6b")
LINE = colors.HexColor("#b4b4b4")
ROUTE = colors.HexColor("#1f5fa8")
_ROAD_WIDTH = {"motorway": 2.6, "trunk": 2.4, "primary": 2.2, "secondary": 1.9, "tertiary": 1.6}
_PATHS = {"footway", "path", "cycleway", "pedestrian", "steps", "track", "bridleway"}


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    title_right: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    head: ParagraphStyle
    head_centre: ParagraphStyle
    cell: ParagraphStyle
    leaflet_title: ParagraphStyle
    leaflet_lead: ParagraphStyle
    leaflet_body: ParagraphStyle
    leaflet_bullet: ParagraphStyle


def _styles() -> _Styles:
    def style(name: str, size: float, font: str = REGULAR, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, **kw)

    return _Styles(
        body=style("body", 10, textColor=INK),
        small=style("small", 8.5, textColor=GREY),
        title=style("title", 15, BOLD, textColor=INK),
        title_right=style("title_right", 13, BOLD, textColor=INK, alignment=TA_RIGHT),
        label=style("label", 7.5, textColor=GREY),
        value=style("value", 9.5, BOLD, textColor=INK),
        head=style("head", 7.5, BOLD, textColor=INK),
        head_centre=style("head_centre", 7, BOLD, textColor=INK, alignment=TA_CENTER),
        cell=style("cell", 8.5, textColor=INK),
        leaflet_title=style("leaflet_title", 22, BOLD, textColor=INK, spaceAfter=12),
        leaflet_lead=style("leaflet_lead", 13, BOLD, textColor=INK, spaceBefore=9, spaceAfter=3),
        leaflet_body=style("leaflet_body", 12, textColor=INK, spaceBefore=8, spaceAfter=4),
        leaflet_bullet=style(
            "leaflet_bullet", 12, textColor=INK, leftIndent=15, bulletIndent=3, spaceAfter=2
        ),
    )


@register(Roster, "pdf")
def roster_pdf(content: Roster) -> bytes:
    """A4 portrait roster in the roster's language, DejaVu Sans embedded."""
    register_fonts()
    lang, plan, styles = content.language, content.plan, _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{text('roster_title', lang)} – {text('roster_zone', lang)} {plan.zone_id}",
        author="cocoon",
        creator="cocoon",
        lang="sv-SE" if lang == "sv" else "en-GB",
        initialFontName=REGULAR,
        invariant=True,
    )
    width, height = doc.width, doc.height
    roads = _Roads.of(content)
    story: list[Flowable] = []
    count = len(plan.sheets)
    for sheet in plan.sheets:
        story += _sheet_story(content, sheet, count, roads, styles, width)
    if not plan.sheets:
        story += _empty_story(content, styles, width)
    leaflet = content.leaflet.strip()
    if leaflet:
        leaflet_page = _leaflet_story(leaflet, styles)
        story += [
            PageBreak(),
            _FooterMark(None),
            KeepInFrame(width, height - 1, leaflet_page, mode="shrink"),
        ]
    doc.build(story, canvasmaker=_FooterCanvas)
    return out.getvalue()


# --- header, table and empty plan ------------------------------------------------------------


def _sheet_story(
    content: Roster,
    sheet: Sheet,
    count: int,
    roads: _Roads,
    styles: _Styles,
    width: float,
) -> list[Flowable]:
    lang = content.language
    label = text("roster_sheet", lang, number=sheet.number, count=count)
    story: list[Flowable] = [] if sheet.number == 1 else [PageBreak()]
    story += [
        _FooterMark(_footer(content, label)),
        *_header(content, label, len(sheet.stops), styles, width),
        _SheetMap(sheet.stops, roads, width, MAP_HEIGHT, lang),
        Spacer(0, 3 * mm),
        Paragraph(escape(text("roster_instructions", lang)), styles.small),
        Spacer(0, 2 * mm),
        _stop_table(sheet.stops, main_town(content.plan.stops), lang, styles, width),
    ]
    return story


def _empty_story(content: Roster, styles: _Styles, width: float) -> list[Flowable]:
    lang = content.language
    return [
        _FooterMark(_footer(content, None)),
        *_header(content, None, 0, styles, width),
        Spacer(0, 12 * mm),
        Paragraph(escape(text("roster_no_stops", lang)), styles.title),
        Spacer(0, 3 * mm),
        Paragraph(escape(text("roster_no_stops_why", lang)), styles.body),
    ]


def _footer(content: Roster, sheet_label: str | None) -> _Footer:
    lang = content.language
    left = f"{text('roster_zone', lang)} {content.plan.zone_id}"
    if sheet_label:
        left += f" · {sheet_label}"
    return _Footer(left, text("roster_internal", lang), lang)


def _header(
    content: Roster, sheet_label: str | None, stops: int, styles: _Styles, width: float
) -> list[Flowable]:
    """Title and sheet number, then zone, burglary dates, planned time and number of stops."""
    lang, plan = content.language, content.plan
    title = Table(
        [
            [
                Paragraph(escape(text("roster_title", lang)), styles.title),
                Paragraph(escape(sheet_label or ""), styles.title_right),
            ]
        ],
        colWidths=[width * 0.68, width * 0.32],
    )
    title.setStyle(_tight())
    facts = [
        ("roster_zone", plan.zone_id),
        ("roster_burglary", _burglary_dates(plan)),
        (
            "roster_planned",
            local(to_utc(plan.planned_at, content.tz), content.tz).strftime("%Y-%m-%d %H:%M"),
        ),
        ("roster_town", main_town(plan.stops) or "–"),
        ("roster_stop_count", str(stops)),
    ]
    table = Table(
        [
            [Paragraph(escape(text(key, lang)), styles.label) for key, _ in facts],
            [Paragraph(escape(value), styles.value) for _, value in facts],
        ],
        colWidths=[width * f for f in (0.18, 0.28, 0.2, 0.2, 0.14)],
    )
    table.setStyle(_tight())
    return [title, Spacer(0, 1.5 * mm), table, Spacer(0, 3 * mm)]


def main_town(stops: Sequence[Stop]) -> str | None:
    """The town most stops are in: named once in the header, left out of those rows."""
    towns = Counter(s.label.rpartition(", ")[2] for s in stops if ", " in s.label)
    return towns.most_common(1)[0][0] if towns else None


def _row_label(label: str, town: str | None) -> str:
    """'Storgatan 12, Kalmar' is 'Storgatan 12' on a sheet headed Kalmar: one line in the table."""
    return label.removesuffix(f", {town}") if town else label


def _burglary_dates(plan: VisitPlan) -> str:
    start, end = plan.burglary_from.isoformat(), plan.burglary_to.isoformat()
    return start if start == end else f"{start} – {end}"


def _tight() -> TableStyle:
    return TableStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ]
    )


def _kind_text(kind: VisitKind, lang: Language) -> str:
    return text(
        "roster_kind_stairwell" if kind is VisitKind.STAIRWELL else "roster_kind_door", lang
    )


def _stop_table(
    stops: Sequence[Stop], town: str | None, lang: Language, styles: _Styles, width: float
) -> Table:
    """Stops in walking order with three tick boxes and room for notes; the header repeats."""
    head = [
        Paragraph(escape(text(key, lang)), styles.head)
        for key in ("roster_col_stop", "roster_col_address", "roster_col_kind")
    ]
    head.append(Paragraph(escape(text("roster_col_distance", lang)), styles.head_centre))
    head += [
        Paragraph(escape(text(key, lang)), styles.head_centre)
        for key in ("roster_col_visited", "roster_col_not_home", "roster_col_declined")
    ]
    head.append(Paragraph(escape(text("roster_col_notes", lang)), styles.head))
    rows: list[list[Any]] = [head]
    for number, stop in enumerate(stops, start=1):
        rows.append(
            [
                str(number),
                Paragraph(escape(_row_label(stop.label, town)), styles.cell),
                _kind_text(stop.kind, lang),
                str(stop.distance_m),
                TICK,
                TICK,
                TICK,
                "",
            ]
        )
    fixed = [8 * mm, 47 * mm, 31 * mm, 14.5 * mm, 14 * mm, 17 * mm, 15 * mm]
    table = Table(
        rows,
        colWidths=[*fixed, width - sum(fixed)],
        rowHeights=[None] + [ROW_HEIGHT] * len(stops),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), REGULAR, 8.5),
                ("FONT", (2, 1), (2, -1), REGULAR, 7.5),
                ("FONT", (4, 1), (6, -1), REGULAR, 15),
                ("FONT", (0, 1), (0, -1), BOLD, 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("ALIGN", (3, 1), (6, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# --- the sheet map ---------------------------------------------------------------------------


def _road_width(road_class: str) -> float:
    return 0.6 if road_class in _PATHS else _ROAD_WIDTH.get(road_class, 1.2)


@dataclass(frozen=True)
class _Roads:
    """The roads in the metric CRS, projected once per roster; minor ones first, drawn under."""

    classes: tuple[str, ...]
    lines: NDArray[np.object_]
    bounds: NDArray[np.float64]

    @classmethod
    def of(cls, content: Roster) -> _Roads:
        drawable = (r for r in content.roads if len(r.coords) >= 2)
        kept = sorted(drawable, key=lambda r: _road_width(r.road_class))
        if not kept:
            return cls((), np.empty(0, dtype=object), np.empty((0, 4)))
        lonlat = np.array([c for r in kept for c in r.coords], dtype=float)
        x, y = content.projection.to_metric(lonlat[:, 0], lonlat[:, 1])
        index = np.repeat(np.arange(len(kept)), [len(r.coords) for r in kept])
        lines = shapely.linestrings(np.column_stack([x, y]), indices=index)
        return cls(tuple(r.road_class for r in kept), lines, shapely.bounds(lines))

    def within(
        self, x0: float, y0: float, x1: float, y1: float
    ) -> Iterator[tuple[str, NDArray[np.float64]]]:
        """(class, metric coordinates) of each road piece inside the box."""
        b = self.bounds
        hit = np.flatnonzero((b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1))
        clipped = shapely.clip_by_rect(self.lines[hit], x0, y0, x1, y1)
        for i, geom in zip(hit, clipped, strict=True):
            for part in shapely.get_parts(geom):
                coords = shapely.get_coordinates(part)
                if len(coords) >= 2:
                    yield self.classes[i], coords


class _SheetMap(Flowable):  # type: ignore[misc]
    """The sheet's stops as numbered markers on its roads, with the walk, a scale and north.

    Draws nothing else: the burgled home and the report's point are never on it.
    """

    def __init__(
        self,
        stops: Sequence[Stop],
        roads: _Roads,
        width: float,
        height: float,
        lang: Language,
    ) -> None:
        super().__init__()
        self.stops, self.roads, self.lang = stops, roads, lang
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if not self.stops:
            return
        c: Canvas = self.canv
        w, h = self.width, self.height
        xmin, ymin, k = _extent(self.stops, w, h)

        def at(x: float, y: float) -> tuple[float, float]:
            return (x - xmin) * k, (y - ymin) * k

        c.saveState()
        clip = c.beginPath()
        clip.rect(0, 0, w, h)
        c.clipPath(clip, stroke=0, fill=0)
        self._roads(c, xmin, ymin, k)
        points = [at(s.x, s.y) for s in self.stops]
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
        c.restoreState()
        _scale_bar(c, k, w)
        _north_arrow(c, w - 7 * mm, h - 13 * mm)
        self._legend(c, w)
        c.setStrokeColor(GREY)
        c.setLineWidth(0.6)
        c.rect(0, 0, w, h, stroke=1, fill=0)

    def _roads(self, c: Canvas, x0: float, y0: float, k: float) -> None:
        """Light grey lines, paths dashed: a base map that leaves the markers readable."""
        x1, y1 = x0 + self.width / k, y0 + self.height / k
        c.setLineCap(1)
        for road_class, coords in self.roads.within(x0, y0, x1, y1):
            path_like = road_class in _PATHS
            c.setStrokeColor(colors.HexColor("#cccccc" if path_like else "#bababa"))
            c.setLineWidth(_road_width(road_class))
            c.setDash(*((2, 1.5) if path_like else ()))
            path = c.beginPath()
            path.moveTo((coords[0, 0] - x0) * k, (coords[0, 1] - y0) * k)
            for x, y in coords[1:]:
                path.lineTo((x - x0) * k, (y - y0) * k)
            c.drawPath(path, stroke=1, fill=0)
        c.setDash()

    def _legend(self, c: Canvas, w: float) -> None:
        kinds = sorted({s.kind for s in self.stops}, key=lambda k: k is VisitKind.STAIRWELL)
        x = w - 2 * mm
        c.setFont(REGULAR, 6.5)
        for kind in reversed(kinds):
            label = _kind_text(kind, self.lang)
            tw = c.stringWidth(label, REGULAR, 6.5)
            c.setFillColor(colors.white)
            c.rect(x - tw - 12, 1.5 * mm, tw + 13, 10, stroke=0, fill=1)
            c.setFillColor(INK)
            c.drawString(x - tw, 1.5 * mm + 3, label)
            _marker(c, x - tw - 6, 1.5 * mm + 5, None, kind, radius=3.5)
            x -= tw + 18


def _extent(stops: Sequence[Stop], w: float, h: float) -> tuple[float, float, float]:
    """Lower-left corner (metric) and points per metre that fit the stops with a margin."""
    xs, ys = [s.x for s in stops], [s.y for s in stops]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    margin = max(40.0, 0.12 * span)
    half_w = (max(xs) - min(xs)) / 2 + margin
    half_h = (max(ys) - min(ys)) / 2 + margin
    k = min(w / (2 * half_w), h / (2 * half_h))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return cx - w / (2 * k), cy - h / (2 * k), k


def _marker(
    c: Canvas, x: float, y: float, number: int | None, kind: VisitKind, radius: float = 6.0
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


def _scale_bar(c: Canvas, k: float, w: float) -> None:
    """A bar of a round length, at most a quarter of the map's width, bottom left."""
    metres = max(
        (m for m in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000) if m * k <= w / 4),
        default=10,
    )
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


def _north_arrow(c: Canvas, x: float, y: float) -> None:
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


# --- leaflet ---------------------------------------------------------------------------------


def _leaflet_story(leaflet: str, styles: _Styles) -> list[Flowable]:
    """First line the heading; blank lines part paragraphs; '- ' lines are bullet items.

    A line that introduces bullet items is set bold, as their sub-heading.
    """
    heading, _, body = leaflet.partition("\n")
    story: list[Flowable] = [Paragraph(escape(heading.strip()), styles.leaflet_title)]
    for block in _blocks(body):
        lead: list[str] = []
        bullets: list[str] = []
        for line in block:
            if line.startswith("- "):
                bullets.append(line[2:].strip())
            elif bullets:
                bullets[-1] += " " + line
            else:
                lead.append(line)
        if lead:
            style = styles.leaflet_lead if bullets else styles.leaflet_body
            story.append(Paragraph("<br/>".join(escape(line) for line in lead), style))
        story += [Paragraph(escape(b), styles.leaflet_bullet, bulletText="•") for b in bullets]
    return story


def _blocks(body: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in body.splitlines():
        line = raw.strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


# --- footers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Footer:
    left: str
    middle: str
    lang: Language


class _FooterMark(Flowable):  # type: ignore[misc]
    """Sets the footer of this page and the pages after it; None for pages handed out."""

    def __init__(self, footer: _Footer | None) -> None:
        super().__init__()
        self.footer = footer

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.cocoon_footer = self.footer


class _FooterCanvas(Canvas):  # type: ignore[misc]
    """Holds the pages back until the end so each footer can say 'page 2 of 3'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cocoon_footer: _Footer | None = None
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = sum(1 for state in self._held if state["cocoon_footer"] is not None)
        page = 0
        for state in self._held:
            self.__dict__.update(state)
            if self.cocoon_footer is not None:
                page += 1
                self._draw_footer(self.cocoon_footer, page, pages)
            super().showPage()
        super().save()

    def _draw_footer(self, footer: _Footer, page: int, pages: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFillColor(GREY)
        self.setFont(REGULAR, 8)
        self.drawString(MARGIN, FOOTER_Y, footer.left)
        page_text = text("roster_page", footer.lang, page=page, pages=pages)
        self.drawRightString(width - MARGIN, FOOTER_Y, page_text)
        self.setFillColor(INK)
        self.setFont(BOLD, 8)
        self.drawCentredString(width / 2, FOOTER_Y, footer.middle)
        self.restoreState()
