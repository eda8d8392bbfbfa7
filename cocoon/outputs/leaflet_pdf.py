"""The advice leaflet on one A4 page, in any built-in language, to hand out on door visits.

It looks like the roster's leaflet page. Right-to-left scripts are set flush right with joined
letters; a machine-made text says so in small Swedish print, for the police officer handing it out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepInFrame,
    Paragraph,
    SimpleDocTemplate,
)

from cocoon.errors import NotFoundError
from cocoon.outputs import register
from cocoon.outputs.content import Leaflet
from cocoon.outputs.fonts import BOLD, REGULAR, register_fonts, register_script_fonts
from cocoon.outputs.paper import MARGIN, paragraph_style
from cocoon.outputs.reasons import NO_LEAFLET
from cocoon.outputs.shaping import RightToLeft, markup
from cocoon.outputs.sheet_map import GREY, INK, LINE
from cocoon.texts import (
    LeafletInfo,
    fill_contact,
    leaflet_infos,
    split_contact,
)

UNREVIEWED = "Maskinöversatt text, ännu inte granskad av en människa."


@dataclass(frozen=True)
class _Type:
    """The styles and font chains (the script's font first, DejaVu Sans for the rest) of a page."""

    regular: tuple[str, ...]
    bold: tuple[str, ...]
    rtl: bool

    def style(self, name: str, size: float, bold: bool = False, **kw: object) -> ParagraphStyle:
        font = (self.bold if bold else self.regular)[0]
        leading = size * (1.5 if self.rtl else 1.25)  # Arabic script reaches further up and down
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, textColor=INK, **kw
        )

    def para(self, text: str, style: ParagraphStyle, bullet: str = "") -> Flowable:
        fonts = self.bold if style.fontName == self.bold[0] else self.regular
        if self.rtl:
            return RightToLeft(text, style, fonts, bullet)
        lines = "<br/>".join(markup(line, fonts) for line in text.splitlines())
        return Paragraph(lines, style, bulletText=bullet or None)


def leaflet_story(leaflet: Leaflet) -> list[Flowable]:
    """The leaflet's page as flowables, in its script's fonts: this PDF's and the roster's."""
    info = _info(leaflet.language)
    regular, bold = register_script_fonts(info.script)
    register_fonts()
    face = _Type((regular, REGULAR), (bold, BOLD), info.direction == "rtl")
    return _story(leaflet, face)


@register(Leaflet, "pdf")
def leaflet_pdf(leaflet: Leaflet) -> bytes:
    """One A4 page, shrunk to fit if need be; invariant, so a re-run gives the same bytes."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=leaflet.text.strip().partition("\n")[0],
        author="cocoon",
        creator="cocoon",
        lang=leaflet.language,
        initialFontName=REGULAR,
        invariant=True,
    )
    story = leaflet_story(leaflet)
    doc.build([KeepInFrame(doc.width, doc.height - 1, story, mode="shrink")])
    return out.getvalue()


def _info(language: str) -> LeafletInfo:
    info = leaflet_infos().get(language)
    if info is None:
        known = ", ".join(leaflet_infos())
        raise NotFoundError(NO_LEAFLET(language=language, known=known))
    return info


def _story(leaflet: Leaflet, face: _Type) -> list[Flowable]:
    """Heading; paragraphs, a bold line over each list of '- ' bullets; the contact; the note."""
    body, contact = split_contact(leaflet.text)
    heading, _, rest = body.strip().partition("\n")
    story = [face.para(heading, face.style("title", 22, True, spaceAfter=12))]
    lead = face.style("lead", 13, True, spaceBefore=9, spaceAfter=3)
    plain = face.style("body", 12, spaceBefore=8, spaceAfter=4)
    item = face.style(
        "item", 12, leftIndent=15, bulletIndent=3, spaceAfter=2, bulletFontName=REGULAR
    )
    for block in re.split(r"\n\s*\n", rest.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        bullets = [line[2:] for line in lines if line.startswith("- ")]
        intro = "\n".join(line for line in lines if not line.startswith("- "))
        if intro:
            story.append(face.para(intro, lead if bullets else plain))
        story += [face.para(b, item, "•") for b in bullets]
    filled = fill_contact(
        contact, leaflet.contact_name, leaflet.contact_phone, leaflet.contact_email
    )
    if filled:
        story.append(_contact_box(filled, face))
    if not leaflet.reviewed:
        note = paragraph_style("note", 8.5, REGULAR, textColor=GREY, spaceBefore=10)
        story.append(Paragraph(escape(UNREVIEWED), note))
    return story


def _contact_box(lines: list[str], face: _Type) -> Flowable:
    """The local contact in a framed box: who to call or write to about this leaflet."""
    head = face.style("contact_head", 13, True, spaceAfter=3)
    line = face.style("contact", 12, spaceAfter=2)
    return _Box([face.para(lines[0], head), *(face.para(text, line) for text in lines[1:])])


class _Box(Flowable):  # type: ignore[misc]
    """Flowables in a thin frame, laid out anew on every wrap: KeepInFrame shrinks by re-wrapping,
    which a Table, sized once, does not follow."""

    PAD = 8.0

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self.spaceBefore = 12
        self.sizes: list[tuple[float, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = avail_width - 2 * self.PAD
        self.sizes = [f.wrap(inner, avail_height) for f in self.content]
        gaps = sum(f.getSpaceAfter() for f in self.content[:-1])
        self.width = avail_width
        self.height = sum(h for _, h in self.sizes) + gaps + 2 * self.PAD
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(LINE)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.width, self.height)
        y = self.height - self.PAD
        for flowable, (_, height) in zip(self.content, self.sizes, strict=True):
            y -= height
            flowable.drawOn(self.canv, self.PAD, y)
            y -= flowable.getSpaceAfter()
