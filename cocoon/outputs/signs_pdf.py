"""The printed sign plan: what goes up and comes down today, then per zone a map and its signs.

For the person putting the signs up. Internal paper: it draws the zones (a zone of one report is
a circle around the burgled home) and says why signs come down; never a report id, a burgled
address or a burglary point. Invariant mode makes re-runs byte-identical.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

import shapely
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from shapely.geometry.base import BaseGeometry

from cocoon.core.risk import Zone, zone_area
from cocoon.core.signs.rules import Sign, SignPlan, TakeDownReason
from cocoon.core.time import local
from cocoon.i18n import Language, text
from cocoon.outputs import register
from cocoon.outputs.content import SignSheet
from cocoon.outputs.fonts import BOLD, REGULAR
from cocoon.outputs.map_roads import SheetRoads
from cocoon.outputs.paper import (
    TICK,
    Footer,
    FooterCanvas,
    FooterMark,
    a4_document,
    paragraph_style,
    tight,
)
from cocoon.outputs.sheet_map import (
    GREY,
    INK,
    LINE,
    ROUTE,
    SmallMap,
    Swatch,
    draw_names,
    draw_roads,
    marker_box,
)

PADDING = 6  # the frame's padding each side, in points: text and tables start there
MAP_HEIGHT = 72 * mm
MARKER = 6.5  # a sign's marker radius on the zone map, in points
DOWN = colors.HexColor("#b03a2e")
#: (fill, edge) of the zone's levels on the map: light, so roads and markers stay readable.
_LEVEL_COLOURS = {
    "high": (colors.HexColor("#f8dcd5"), colors.HexColor("#c8553d")),
    "elevated": (colors.HexColor("#fcf0d4"), colors.HexColor("#d39b2a")),
}
_ENDED_PAD_M = 150.0  # around the signs of an ended zone, which has no outline to frame


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    title_right: ParagraphStyle
    section: ParagraphStyle
    zone_right: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    head: ParagraphStyle
    head_centre: ParagraphStyle
    cell: ParagraphStyle
    small_cell: ParagraphStyle
    note: ParagraphStyle


def _styles() -> _Styles:
    style = paragraph_style
    return _Styles(
        body=style("body", 10, textColor=INK),
        title=style("title", 15, BOLD, textColor=INK),
        title_right=style("title_right", 13, BOLD, textColor=INK, alignment=TA_RIGHT),
        section=style("section", 12, BOLD, textColor=INK, spaceBefore=4, spaceAfter=4),
        zone_right=style("zone_right", 8.5, textColor=INK, alignment=TA_RIGHT),
        label=style("label", 7.5, textColor=GREY),
        value=style("value", 9.5, BOLD, textColor=INK),
        head=style("head", 7.5, BOLD, textColor=INK),
        head_centre=style("head_centre", 7, BOLD, textColor=INK, alignment=TA_CENTER),
        cell=style("cell", 8.5, textColor=INK),
        small_cell=style("small_cell", 7.5, textColor=INK),
        note=style(
            "note",
            8.5,
            BOLD,
            textColor=INK,
            backColor=_LEVEL_COLOURS["elevated"][0],
            borderPadding=3,
            leftIndent=3,
            rightIndent=3,
            spaceAfter=5,
        ),
    )


# --- which sign is where ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """A zone's section: its signs numbered as on its map; `zone` None when the zone has ended."""

    zone_id: str
    zone: Zone | None
    signs: tuple[tuple[int, Sign], ...]


@dataclass(frozen=True)
class _Layout:
    """The plan as the paper shows it: numbered zone groups and today's two lists."""

    groups: tuple[_Group, ...]
    number: dict[str, int]
    group_of: dict[str, str]
    going_up: tuple[Sign, ...]
    coming_down: tuple[tuple[Sign, TakeDownReason | None], ...]

    @property
    def down_ids(self) -> set[str]:
        return {s.sign_id for s, _ in self.coming_down}


def _layout(plan: SignPlan) -> _Layout:
    """Going up: new or put up on the day. Coming down: taken down, or ending on the day.

    A sign taken down from a zone whose id changed is shown with the zone that now covers it;
    one no zone covers gets a section of its old zone, which has ended.
    """
    new = {s.sign_id for s in plan.new}
    up_ids = {s.sign_id for s in plan.up}
    going_up = tuple(s for s in plan.up if s.put_up == plan.day or s.sign_id in new)
    coming_down: list[tuple[Sign, TakeDownReason | None]] = [
        (t.sign, t.reason) for t in plan.taken_down if t.sign.sign_id not in up_ids
    ]
    coming_down += [(s, None) for s in plan.up if s.take_down == plan.day]
    zones = {z.zone_id: z for z in plan.zones}
    areas = {z.zone_id: zone_area(z) for z in plan.zones}

    def home(sign: Sign) -> str:
        if sign.zone_id in zones:
            return sign.zone_id
        point = shapely.Point(sign.x, sign.y)
        return next((zid for zid, area in areas.items() if area.covers(point)), sign.zone_id)

    members: dict[str, list[Sign]] = {zid: [] for zid in zones}
    ended: dict[str, list[Sign]] = {}
    for sign in [*plan.up, *(s for s, _ in coming_down if s.sign_id not in up_ids)]:
        zid = home(sign)
        (members if zid in zones else ended).setdefault(zid, []).append(sign)
    members.update(sorted(ended.items()))
    groups: list[_Group] = []
    number: dict[str, int] = {}
    group_of: dict[str, str] = {}
    for zid, signs in members.items():
        numbered = []
        for sign in signs:
            number[sign.sign_id] = len(number) + 1
            group_of[sign.sign_id] = zid
            numbered.append((number[sign.sign_id], sign))
        groups.append(_Group(zid, zones.get(zid), tuple(numbered)))
    return _Layout(tuple(groups), number, group_of, going_up, tuple(coming_down))


# --- document --------------------------------------------------------------------------------


@register(SignSheet, "pdf")
def signs_pdf(content: SignSheet) -> bytes:
    """A4 portrait sign plan in the sheet's language, DejaVu Sans embedded."""
    lang, plan, styles = content.language, content.plan, _styles()
    title = f"{text('sign_title', lang)} {plan.day.isoformat()}"
    out = io.BytesIO()
    doc = a4_document(out, title, lang)
    width = doc.width - 2 * PADDING
    layout = _layout(plan)
    # internal paper: it draws the zones and says why signs come down
    footer = Footer(title, text("roster_internal", lang), lang, inset=PADDING)
    story: list[Flowable] = [FooterMark(footer), *_header(content, layout, styles, width)]
    if not plan.up and not plan.taken_down:
        story += _empty_story(content, styles)
    else:
        story += _today_story(layout, lang, styles, width)
        roads = SheetRoads.of(content.roads, content.projection)
        for group in layout.groups:
            story.append(KeepTogether(_zone_story(content, group, layout, roads, styles, width)))
    doc.build(story, canvasmaker=FooterCanvas)
    return out.getvalue()


def _header(content: SignSheet, layout: _Layout, styles: _Styles, width: float) -> list[Flowable]:
    """Title and day, then the counts: zones, signs up, to put up, to take down."""
    lang, plan = content.language, content.plan
    title = Table(
        [
            [
                Paragraph(escape(text("sign_title", lang)), styles.title),
                Paragraph(escape(plan.day.isoformat()), styles.title_right),
            ]
        ],
        colWidths=[width * 0.68, width * 0.32],
    )
    title.setStyle(tight())
    facts = [
        ("sign_zones", str(len(plan.zones))),
        ("sign_up_count", str(len(plan.up))),
        ("sign_count_up", str(len(layout.going_up))),
        ("sign_count_down", str(len(layout.coming_down))),
    ]
    table = Table(
        [
            [Paragraph(escape(text(key, lang)), styles.label) for key, _ in facts],
            [Paragraph(escape(value), styles.value) for _, value in facts],
        ],
        colWidths=[width / len(facts)] * len(facts),
    )
    table.setStyle(tight())
    return [title, Spacer(0, 1.5 * mm), table, Spacer(0, 4 * mm)]


def _empty_story(content: SignSheet, styles: _Styles) -> list[Flowable]:
    lang, plan = content.language, content.plan
    story: list[Flowable] = [
        Spacer(0, 10 * mm),
        Paragraph(escape(text("sign_empty", lang)), styles.title),
        Spacer(0, 3 * mm),
        Paragraph(escape(text("sign_empty_why", lang, day=plan.day.isoformat())), styles.body),
        Spacer(0, 3 * mm),
    ]
    for short in plan.short:
        line = text("sign_short", lang, placed=short.placed, wanted=short.wanted)
        story.append(
            Paragraph(escape(f"{text('sign_zone', lang)} {short.zone_id}: {line}"), styles.body)
        )
    return story


def _today_story(layout: _Layout, lang: Language, styles: _Styles, width: float) -> list[Flowable]:
    """'Upp i dag' and 'Ner i dag': the day's errands with a tick box each."""
    up_rows = [
        [
            str(layout.number[s.sign_id]),
            layout.group_of[s.sign_id],
            Paragraph(escape(s.description), styles.cell),
            s.put_up.isoformat(),
            TICK,
        ]
        for s in sorted(layout.going_up, key=lambda s: layout.number[s.sign_id])
    ]
    down_rows = [
        [
            str(layout.number[s.sign_id]),
            layout.group_of[s.sign_id],
            Paragraph(escape(s.description), styles.cell),
            Paragraph(escape(_reason(reason, lang)), styles.cell),
            TICK,
        ]
        for s, reason in sorted(layout.coming_down, key=lambda d: layout.number[d[0].sign_id])
    ]
    story: list[Flowable] = [Paragraph(escape(text("sign_today_up", lang)), styles.section)]
    if up_rows:
        heads = ("sign_col_number", "sign_col_zone", "sign_col_description", "sign_col_put_up")
        widths = [9 * mm, 24 * mm, 0.0, 22 * mm, 18 * mm]
        story.append(_table(heads, "sign_col_done_up", up_rows, widths, lang, styles, width))
    else:
        story.append(Paragraph(escape(text("sign_none_up", lang)), styles.body))
    story += [
        Spacer(0, 3 * mm),
        Paragraph(escape(text("sign_today_down", lang)), styles.section),
    ]
    if down_rows:
        heads = ("sign_col_number", "sign_col_zone", "sign_col_description", "sign_col_reason")
        widths = [9 * mm, 24 * mm, 0.0, 42 * mm, 20 * mm]
        story.append(_table(heads, "sign_col_done_down", down_rows, widths, lang, styles, width))
    else:
        story.append(Paragraph(escape(text("sign_none_down", lang)), styles.body))
    return [*story, Spacer(0, 5 * mm)]


def _reason(reason: TakeDownReason | None, lang: Language) -> str:
    return text(f"sign_reason_{(reason or TakeDownReason.LEVEL_ENDS).value}", lang)


# --- zone sections ---------------------------------------------------------------------------


def _zone_story(
    content: SignSheet,
    group: _Group,
    layout: _Layout,
    roads: SheetRoads,
    styles: _Styles,
    width: float,
) -> list[Flowable]:
    """Zone id and level, notes, the map, then the zone's signs; kept on one page."""
    lang, plan = content.language, content.plan
    heading = Table(
        [
            [
                Paragraph(escape(f"{text('sign_zone', lang)} {group.zone_id}"), styles.section),
                Paragraph(escape(_levels(group.zone, content)), styles.zone_right),
            ]
        ],
        colWidths=[width * 0.3, width * 0.7],
    )
    heading.setStyle(tight())
    notes = []
    if group.zone is None:
        notes.append(text("sign_zone_ended", lang))
    if group.zone_id in plan.without_roads:
        notes.append(text("sign_no_roads", lang))
    notes += [
        text("sign_short", lang, placed=s.placed, wanted=s.wanted)
        for s in plan.short
        if s.zone_id == group.zone_id
    ]
    down = layout.down_ids
    markers = [(n, s.x, s.y, s.sign_id in down) for n, s in group.signs]
    story: list[Flowable] = [Spacer(0, 2 * mm), heading, Spacer(0, 1.5 * mm)]
    story += [Paragraph(escape(note), styles.note) for note in notes]
    story.append(ZoneSignMap(group.zone, markers, roads, width, MAP_HEIGHT, lang))
    if group.signs:
        rows = [_zone_row(n, s, s.sign_id in down, lang, styles) for n, s in group.signs]
        heads = (
            "sign_col_number",
            "sign_col_description",
            "sign_col_put_up",
            "sign_col_take_down",
            "sign_col_road",
        )
        widths = [8 * mm, 0.0, 20 * mm, 20 * mm, 41 * mm, 16 * mm]
        story += [
            Spacer(0, 2.5 * mm),
            _table(heads, "sign_col_done_up", rows, widths, lang, styles, width),
        ]
    return [*story, Spacer(0, 5 * mm)]


def _zone_row(number: int, sign: Sign, down: bool, lang: Language, styles: _Styles) -> list[Any]:
    """A sign coming down today says so and has no 'put up' box: it is ticked in 'Ner i dag'."""
    road = text("sign_on_road" if sign.on_road else "sign_off_road", lang)
    return [
        str(number),
        Paragraph(escape(sign.description), styles.cell),
        sign.put_up.isoformat(),
        text("sign_today", lang) if down else sign.take_down.isoformat(),
        Paragraph(escape(road), styles.small_cell),
        "–" if down else TICK,
    ]


def _levels(zone: Zone | None, content: SignSheet) -> str:
    """'hög risk till 2026-11-15 13:00, därefter förhöjd risk till 2026-12-27 13:00' (local)."""
    if zone is None:
        return ""
    lang = content.language

    def show(moment: datetime) -> str:
        return local(moment, content.tz).strftime("%Y-%m-%d %H:%M")

    until = zone.level_until
    line = text("sign_level_until", lang, level=text(zone.level.value, lang), until=show(until))
    if zone.then_elevated_until is not None:
        line += ", " + text("sign_then_elevated", lang, until=show(zone.then_elevated_until))
    return line


def _table(
    heads: Sequence[str],
    tick_head: str,
    rows: list[list[Any]],
    widths: list[float],
    lang: Language,
    styles: _Styles,
    width: float,
) -> Table:
    """A sign table: bold numbers, a grey header that repeats, tick boxes in the last column.

    The one zero width is the description column's: what the others leave.
    """
    head: list[Any] = [Paragraph(escape(text(key, lang)), styles.head) for key in heads]
    head.append(Paragraph(escape(text(tick_head, lang)), styles.head_centre))
    widths = [w or width - sum(widths) for w in widths]
    table = Table([head, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), REGULAR, 8.5),
                ("FONT", (-1, 1), (-1, -1), REGULAR, 15),
                ("FONT", (0, 1), (0, -1), BOLD, 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("GRID", (0, 0), (-1, -1), 0.4, LINE),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ]
        )
    )
    return table


# --- the zone map ----------------------------------------------------------------------------


class ZoneSignMap(SmallMap):
    """The zone's outline, its roads and its signs as numbered markers, with scale and north.

    Gets no report: the burgled homes and the reports' points cannot be on it.
    """

    def __init__(
        self,
        zone: Zone | None,
        markers: Sequence[tuple[int, float, float, bool]],
        roads: SheetRoads,
        width: float,
        height: float,
        lang: Language,
    ) -> None:
        super().__init__(width, height, roads)
        levels = [] if zone is None else [("elevated", zone.elevated), ("high", zone.high)]
        self.areas = [(key, area) for key, area in levels if area is not None]
        self.markers, self.lang = markers, lang

    def shown_points(self) -> tuple[list[float], list[float]]:
        """The zone's box and every sign."""
        xs = [x for _, x, _, _ in self.markers]
        ys = [y for _, _, y, _ in self.markers]
        if self.areas:
            x0, y0, x1, y1 = shapely.union_all([a for _, a in self.areas]).bounds
            xs, ys = [*xs, x0, x1], [*ys, y0, y1]
        elif xs:
            pad = _ENDED_PAD_M
            xs, ys = [min(xs) - pad, max(xs) + pad], [min(ys) - pad, max(ys) + pad]
        return xs, ys

    def draw_content(self, c: Canvas, x0: float, y0: float, k: float) -> None:
        for key, area in self.areas:
            _area(c, area, x0, y0, k, *_LEVEL_COLOURS[key])
        draw_roads(c, self.roads, x0, y0, k, self.width, self.height)
        points = [((x - x0) * k, (y - y0) * k) for _, x, y, _ in self.markers]
        clear = [
            marker_box(px, py, MARKER + 1, down)
            for (_, _, _, down), (px, py) in zip(self.markers, points, strict=True)
        ]
        draw_names(c, self.street_names(x0, y0, k, clear))
        for (number, _, _, down), (px, py) in reversed(
            list(zip(self.markers, points, strict=True))
        ):
            _marker(c, px, py, number, down)  # sign 1 on top

    def legend(self) -> list[tuple[str, Swatch]]:
        entries: list[tuple[str, Swatch]] = [
            (text(key, self.lang), partial(_level_swatch, colours=_LEVEL_COLOURS[key]))
            for key, _ in self.areas
        ]
        for down, key in ((False, "sign_legend_sign"), (True, "sign_legend_down")):
            if any(shown == down for *_, shown in self.markers):
                entries.append((text(key, self.lang), partial(_sign_swatch, down=down)))
        return entries


def _level_swatch(c: Canvas, x: float, y: float, colours: tuple[Any, Any]) -> None:
    c.setFillColor(colours[0])
    c.setStrokeColor(colours[1])
    c.setLineWidth(0.8)
    c.rect(x - 4, y - 3.5, 7, 7, stroke=1, fill=1)


def _sign_swatch(c: Canvas, x: float, y: float, down: bool) -> None:
    _marker(c, x, y, None, down, radius=3.5)


def _area(
    c: Canvas, area: BaseGeometry, x0: float, y0: float, k: float, fill: Any, edge: Any
) -> None:
    """A zone level's polygons, holes left open (the elevated ring excludes the high area)."""
    c.setFillColor(fill)
    c.setStrokeColor(edge)
    c.setLineWidth(0.8)
    for polygon in shapely.get_parts(area):
        if polygon.geom_type != "Polygon":
            continue
        path = c.beginPath()
        for ring in (polygon.exterior, *polygon.interiors):
            coords = shapely.get_coordinates(ring)
            path.moveTo((coords[0, 0] - x0) * k, (coords[0, 1] - y0) * k)
            for x, y in coords[1:]:
                path.lineTo((x - x0) * k, (y - y0) * k)
            path.close()
        c.drawPath(path, stroke=1, fill=1, fillMode=FILL_EVEN_ODD)


def _marker(
    c: Canvas, x: float, y: float, number: int | None, down: bool, radius: float = MARKER
) -> None:
    """A blue disc with a white number for a sign; a white, red-edged square if it comes down."""
    c.setLineWidth(1.1 if down else 0.9)
    c.setStrokeColor(DOWN if down else INK)
    c.setFillColor(colors.white if down else ROUTE)
    if down:
        c.rect(x - radius, y - radius, 2 * radius, 2 * radius, stroke=1, fill=1)
    else:
        c.circle(x, y, radius, stroke=1, fill=1)
    if number is not None:
        size = 6.5 if number < 10 else 5.8
        c.setFillColor(DOWN if down else colors.white)
        c.setFont(BOLD, size)
        c.drawCentredString(x, y - size * 0.36, str(number))
