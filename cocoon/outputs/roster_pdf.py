"""The printed visit roster: per sheet a header, a map and the table of doors; then the leaflets.

Internal paper for the visiting teams. It never shows the burgled address, its point or the
report id: the zone id identifies the roster. Invariant mode makes re-runs byte-identical.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER, TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cocoon.core.time import local, to_utc
from cocoon.core.visits import Sheet, Stop, VisitPlan
from cocoon.i18n import Language, text
from cocoon.outputs import register
from cocoon.outputs.content import Roster
from cocoon.outputs.fonts import BOLD, REGULAR
from cocoon.outputs.leaflet_pdf import leaflet_story
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
from cocoon.outputs.sheet_map import GREY, INK, LINE, SheetMap, kind_text

MAP_HEIGHT = 66 * mm
ROW_HEIGHT = 7 * mm


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


def _styles() -> _Styles:
    style = paragraph_style
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
    )


@register(Roster, "pdf")
def roster_pdf(content: Roster) -> bytes:
    """A4 portrait roster in the roster's language, DejaVu Sans embedded."""
    lang, plan, styles = content.language, content.plan, _styles()
    out = io.BytesIO()
    title = f"{text('roster_title', lang)} – {text('roster_zone', lang)} {plan.zone_id}"
    doc = a4_document(out, title, lang)
    width, height = doc.width, doc.height
    roads = SheetRoads.of(content.roads, content.projection)
    story: list[Flowable] = []
    count = len(plan.sheets)
    for sheet in plan.sheets:
        story += _sheet_story(content, sheet, count, roads, styles, width)
    if not plan.sheets:
        story += _empty_story(content, styles, width)
    for leaflet in content.leaflets:
        story += [
            PageBreak(),
            FooterMark(None),
            KeepInFrame(width, height - 1, leaflet_story(leaflet), mode="shrink"),
        ]
    doc.build(story, canvasmaker=FooterCanvas)
    return out.getvalue()


# --- header, table and empty plan ------------------------------------------------------------


def _sheet_story(
    content: Roster,
    sheet: Sheet,
    count: int,
    roads: SheetRoads,
    styles: _Styles,
    width: float,
) -> list[Flowable]:
    lang = content.language
    label = text("roster_sheet", lang, number=sheet.number, count=count)
    story: list[Flowable] = [] if sheet.number == 1 else [PageBreak()]
    story += [
        FooterMark(_footer(content, label)),
        *_header(content, label, len(sheet.stops), styles, width),
        SheetMap(sheet.stops, roads, width, MAP_HEIGHT, lang),
        Spacer(0, 3 * mm),
        Paragraph(escape(text("roster_instructions", lang)), styles.small),
        Spacer(0, 2 * mm),
        _stop_table(sheet.stops, main_town(content.plan.stops), lang, styles, width),
    ]
    return story


def _empty_story(content: Roster, styles: _Styles, width: float) -> list[Flowable]:
    lang = content.language
    return [
        FooterMark(_footer(content, None)),
        *_header(content, None, 0, styles, width),
        Spacer(0, 12 * mm),
        Paragraph(escape(text("roster_no_stops", lang)), styles.title),
        Spacer(0, 3 * mm),
        Paragraph(escape(text("roster_no_stops_why", lang)), styles.body),
    ]


def _footer(content: Roster, sheet_label: str | None) -> Footer:
    lang = content.language
    left = f"{text('roster_zone', lang)} {content.plan.zone_id}"
    if sheet_label:
        left += f" · {sheet_label}"
    return Footer(left, text("roster_internal", lang), lang)


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
    title.setStyle(tight())
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
    table.setStyle(tight())
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
                kind_text(stop.kind, lang),
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
