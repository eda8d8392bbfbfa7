"""What the printed documents share: the A4 page, type, tight tables and 'Sida 2 av 3' footers.

Rosters and the sign plan are read on paper in the field; one look for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    SimpleDocTemplate,
    TableStyle,
)

from cocoon.i18n import Language, text
from cocoon.outputs.fonts import BOLD, REGULAR, register_fonts
from cocoon.outputs.sheet_map import GREY, INK

MARGIN = 12 * mm
FOOTER_Y = 7 * mm
TICK = "☐"


def a4_document(out: IO[bytes], title: str, lang: Language) -> SimpleDocTemplate:
    """An A4 portrait document with DejaVu Sans; invariant, so a re-run gives the same bytes."""
    register_fonts()
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author="cocoon",
        creator="cocoon",
        lang="sv-SE" if lang == "sv" else "en-GB",
        initialFontName=REGULAR,
        invariant=True,
    )


def paragraph_style(name: str, size: float, font: str = REGULAR, **kw: Any) -> ParagraphStyle:
    """A paragraph style in the documents' type, leading 1.25 times the size."""
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, **kw)


def tight() -> TableStyle:
    """A layout table without padding: header facts set in columns."""
    return TableStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ]
    )


@dataclass(frozen=True)
class Footer:
    """The footer line of a page: left text, a bold middle (e.g. 'Internt'), the page count."""

    left: str
    middle: str
    lang: Language
    inset: float = 0.0  # points in from the margins, to line up with the frame's padding


class FooterMark(Flowable):  # type: ignore[misc]
    """Sets the footer of this page and the pages after it; None for pages handed out."""

    def __init__(self, footer: Footer | None) -> None:
        super().__init__()
        self.footer = footer

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.cocoon_footer = self.footer


class FooterCanvas(Canvas):  # type: ignore[misc]
    """Holds the pages back until the end so each footer can say 'page 2 of 3'.

    Pages without a footer (a leaflet to hand out) are not counted.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cocoon_footer: Footer | None = None
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

    def _draw_footer(self, footer: Footer, page: int, pages: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFillColor(GREY)
        self.setFont(REGULAR, 8)
        self.drawString(MARGIN + footer.inset, FOOTER_Y, footer.left)
        page_text = text("page", footer.lang, page=page, pages=pages)
        self.drawRightString(width - MARGIN - footer.inset, FOOTER_Y, page_text)
        self.setFillColor(INK)
        self.setFont(BOLD, 8)
        self.drawCentredString(width / 2, FOOTER_Y, footer.middle)
        self.restoreState()
