"""The daily zone list on A4: every active zone in one table, then today's signs.

For the patrol's morning briefing. A normal day (up to 30 zones) fits one page; a longer list
flows on with the table's header repeated. Invariant mode makes re-runs byte-identical.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cocoon.core.daily import DailyZone
from cocoon.core.signs.rules import Sign
from cocoon.i18n import text
from cocoon.outputs import register
from cocoon.outputs.content import DailyPaper
from cocoon.outputs.daily_common import LEVEL_COLOURS, heading, local_day
from cocoon.outputs.fonts import BOLD, REGULAR
from cocoon.outputs.paper import (
    Footer,
    FooterCanvas,
    FooterMark,
    a4_document,
    paragraph_style,
    tight,
)
from cocoon.outputs.sheet_map import GREY, INK, LINE

PADDING = 6  # the frame's padding each side, in points: text and tables start there
HEAD_FILL = colors.HexColor("#e6e6e6")
NEW_FILL = colors.HexColor("#fff3c4")  # the row of a zone with a report in the last 24 h
#: Least widths (mm) of the zone table's columns: new, zone, level, streets (what is left),
#: days, then, reports, new.
ZONE_WIDTHS = (7.0, 20.0, 19.0, 0.0, 28.0, 17.0, 18.0, 13.0)
CELL_PT = 7.5  # type size of the tables' cells
CELL_PAD = 2.0  # points of padding left and right in a cell
#: Least widths (mm) of the sign tables' columns: sign, zone, description (what is left), date.
SIGN_WIDTHS = (21.0, 21.0, 0.0, 19.0)


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    area: ParagraphStyle
    made: ParagraphStyle
    summary: ParagraphStyle
    section: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    body: ParagraphStyle


def _styles() -> _Styles:
    style = paragraph_style
    return _Styles(
        title=style("title", 15, BOLD, textColor=INK),
        area=style("area", 12, BOLD, textColor=INK, alignment=TA_RIGHT),
        made=style("made", 8.5, textColor=GREY, alignment=TA_RIGHT),
        summary=style("summary", 10, textColor=INK),
        section=style("section", 11, BOLD, textColor=INK, spaceBefore=2, spaceAfter=3),
        head=style("head", 6.5, BOLD, textColor=INK),
        cell=style("cell", CELL_PT, textColor=INK),
        body=style("body", 9, textColor=INK),
    )


@register(DailyPaper, "pdf")
def daily_pdf(content: DailyPaper) -> bytes:
    """A4 portrait daily list in the paper's language, DejaVu Sans embedded."""
    lang, daily, styles = content.language, content.daily, _styles()
    top = heading(content)
    out = io.BytesIO()
    doc = a4_document(out, top.title, lang)
    width = doc.width - 2 * PADDING
    # internal paper: a police working list, though it names no report and no home
    footer = Footer(top.title, text("roster_internal", lang), lang, inset=PADDING)
    title = Table(
        [
            [
                Paragraph(escape(top.title), styles.title),
                [
                    Paragraph(escape(top.area), styles.area),
                    Paragraph(escape(top.made), styles.made),
                ],
            ]
        ],
        colWidths=[width * 0.62, width * 0.38],
    )
    title.setStyle(tight())
    story: list[Flowable] = [
        FooterMark(footer),
        title,
        Spacer(0, 2 * mm),
        Paragraph(escape(top.summary), styles.summary),
        Spacer(0, 2.5 * mm),
    ]
    if daily.zones:
        story += [_zone_table(daily.zones, content, styles, width), Spacer(0, 4 * mm)]
    for key, signs in (("daily_put_up", daily.put_up), ("daily_take_down", daily.take_down)):
        story.append(Paragraph(escape(text(key, lang)), styles.section))
        if signs:
            story.append(_sign_table(signs, content, styles, width))
        else:
            story.append(Paragraph(escape(text("daily_none", lang)), styles.body))
        story.append(Spacer(0, 3 * mm))
    doc.build(story, canvasmaker=FooterCanvas)
    return out.getvalue()


def _zone_table(
    zones: Sequence[DailyZone], content: DailyPaper, styles: _Styles, width: float
) -> Table:
    """One row per zone in the list's order; the level cell in its colour, new rows tinted."""
    lang, tz = content.language, content.tz
    heads = (
        "daily_col_new", "daily_col_zone", "daily_col_level", "daily_col_streets",
        "daily_col_days_left", "daily_col_then", "daily_col_reports", "daily_col_new_reports",
    )  # fmt: skip
    marker = text("daily_new", lang).upper()
    cells: list[list[Any]] = [
        [
            marker if zone.new_reports else "",
            zone.zone_id,
            text(zone.level.value, lang),
            "",  # the streets: a paragraph in what the other columns leave
            text(
                "daily_days_until", lang, days=zone.days_left, until=local_day(zone.level_until, tz)
            ),
            "–" if zone.then_elevated_until is None else local_day(zone.then_elevated_until, tz),
            str(zone.reports),
            str(zone.new_reports),
        ]
        for zone in zones
    ]
    widths = _widths(ZONE_WIDTHS, cells, width)
    room = widths[3] - 2 * CELL_PAD
    for cell_row, zone in zip(cells, zones, strict=True):
        cell_row[3] = Paragraph(escape(_streets_in(zone.streets, room)), styles.cell)
    rows: list[list[Any]] = [[Paragraph(escape(text(k, lang)), styles.head) for k in heads]]
    rows += cells
    level_styles: list[tuple[Any, ...]] = []
    for row, zone in enumerate(zones, start=1):
        fill, ink = (colors.HexColor(c) for c in LEVEL_COLOURS[zone.level])
        level_styles += [
            ("BACKGROUND", (2, row), (2, row), fill),
            ("TEXTCOLOR", (2, row), (2, row), ink),
        ]
        if zone.new_reports:
            level_styles += [
                ("BACKGROUND", (0, row), (1, row), NEW_FILL),
                ("BACKGROUND", (3, row), (-1, row), NEW_FILL),
            ]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        _grid(
            ("FONT", (0, 1), (0, -1), BOLD, CELL_PT),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (6, 1), (-1, -1), "RIGHT"),
            ("FONT", (-1, 1), (-1, -1), BOLD, CELL_PT),
            *level_styles,
        )
    )
    return table


def _streets_in(streets: Sequence[str], room: float) -> str:
    """As many of the main streets as fit one line, at least the first: a row a line keeps a
    normal day on one page. The CSV and the phone page list them all."""
    shown = ", ".join(streets[:1])
    for count in range(2, len(streets) + 1):
        more = ", ".join(streets[:count])
        if stringWidth(more, REGULAR, CELL_PT) > room:
            break
        shown = more
    return shown or "–"


def _sign_table(signs: Sequence[Sign], content: DailyPaper, styles: _Styles, width: float) -> Table:
    """Sign id, its zone, where it stands, and the day it comes down."""
    lang = content.language
    heads = ("daily_col_sign", "daily_col_zone", "daily_col_description", "daily_col_take_down")
    cells: list[list[Any]] = [
        [sign.sign_id, sign.zone_id, "", sign.take_down.isoformat()] for sign in signs
    ]
    widths = _widths(SIGN_WIDTHS, cells, width)
    for cell_row, sign in zip(cells, signs, strict=True):
        cell_row[2] = Paragraph(escape(sign.description), styles.cell)
    head = [Paragraph(escape(text(k, lang)), styles.head) for k in heads]
    table = Table([head, *cells], colWidths=widths, repeatRows=1)
    table.setStyle(_grid())
    return table


def _widths(least_mm: Sequence[float], cells: Sequence[Sequence[Any]], width: float) -> list[float]:
    """Column widths in points: at least `least_mm`, wide enough for every text cell (ids are
    random and some letters are wide); the one zero column gets what the others leave."""
    widths = []
    for col, least in enumerate(least_mm):
        if not least:
            widths.append(0.0)
            continue
        texts = [row[col] for row in cells if isinstance(row[col], str)]
        fit = max((stringWidth(t, BOLD, CELL_PT) for t in texts), default=0.0)
        widths.append(max(least * mm, fit + 2 * CELL_PAD + 1))
    rest = width - sum(widths)
    return [w or rest for w in widths]


def _grid(*extra: tuple[Any, ...]) -> TableStyle:
    """A compact ruled table with a grey header that repeats on every page."""
    return TableStyle(
        [
            ("FONT", (0, 1), (-1, -1), REGULAR, CELL_PT),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("GRID", (0, 0), (-1, -1), 0.4, LINE),
            ("BOX", (0, 0), (-1, -1), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *extra,
        ]
    )
