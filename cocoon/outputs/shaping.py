"""Text in scripts reportlab cannot set alone: a font per character, and right-to-left lines.

reportlab draws the characters it is given left to right in one font. Arabic script needs joined
letters and the Unicode bidi order per line, and the Arabic and Ethiopic fonts lack Latin letters.
Joined letters are Unicode presentation forms (arabic-reshaper), so the PDF's text copies back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

import arabic_reshaper  # type: ignore[import-untyped]
from bidi.algorithm import get_display  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import Flowable  # type: ignore[import-untyped]

Run = tuple[str, str]  # text, reportlab font name
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")
_NUMBER = re.compile(r"\+?\d(?:[\d\u00a0./\-–]*\d)?")  # 112, 114 14, 010-123 45 67
_LATIN = re.compile(
    r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f .,:;@&+'/()\-–]*[\w\u00c0-\u024f)]", re.ASCII
)
_LTR, _POP = "\u202a", "\u202c"  # left-to-right embedding and its end


def keep_numbers_together(text: str) -> str:
    """'114 14' with a no-break space: one number to the bidi algorithm and to line breaking."""
    return _DIGIT_SPACE.sub("\u00a0", text)


def visual(line: str) -> str:
    """A right-to-left line in drawing order, left to right: letters joined, runs reordered.

    Numbers and runs of Latin text are embedded left to right whole: after Arabic letters the
    bidi rules would otherwise swap the parts of a phone number around its hyphen, and put the
    closing bracket of 'Kommunpolis (demo)' at the wrong end. The pure-Python bidi mirrors brackets;
    python-bidi's Rust one does not.
    """
    numbers = _NUMBER.sub(lambda m: f"{_LTR}{m[0]}{_POP}", _LATIN.sub(_embedded, line))
    display: str = get_display(arabic_reshaper.reshape(numbers), base_dir="R")
    return "".join(c for c in display if unicodedata.category(c) != "Cf")


def _embedded(m: re.Match[str]) -> str:
    """A run of Latin text (a name, an address) embedded left to right whole, with the brackets
    it opens: '(demo)' inside 'Kommunpolis (demo)' keeps its order after Arabic letters."""
    run = m[0]
    while run.endswith(")") and run.count(")") > run.count("("):
        run = run[:-1].rstrip()
    return f"{_LTR}{run}{_POP}{m[0][len(run) :]}"


def has_glyph(font: str, char: str) -> bool:
    return ord(char) in getFont(font).face.charToGlyph


def font_runs(text: str, fonts: Sequence[str]) -> list[Run]:
    """`text` in runs of one font: each character in the first of `fonts` that has it.

    Spaces stay in the run they are in, so a line is not cut into more runs than its scripts.
    """
    runs: list[Run] = []
    for char in text:
        if runs and char.isspace():
            font = runs[-1][1]
        else:
            font = next((f for f in fonts if has_glyph(f, char)), fonts[0])
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + char, font)
        else:
            runs.append((char, font))
    return runs


def markup(text: str, fonts: Sequence[str]) -> str:
    """Paragraph markup of left-to-right `text`: runs not in the style's font (fonts[0]) tagged."""
    return "".join(
        escape(part) if font == fonts[0] else f'<font name="{font}">{escape(part)}</font>'
        for part, font in font_runs(keep_numbers_together(text), fonts)
    )


def runs_width(runs: Sequence[Run], size: float) -> float:
    return sum(float(stringWidth(part, font, size)) for part, font in runs)


def break_lines(text: str, fits: Callable[[str], bool]) -> list[str]:
    """`text` broken at spaces, in logical order, into lines as long as `fits` allows."""
    lines: list[str] = []
    for word in text.split(" "):
        if not word:
            continue
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


class RightToLeft(Flowable):  # type: ignore[misc]
    """A right-to-left paragraph set flush right; its indents and bullet mirrored to the right.

    Newlines in `text` are line breaks. Lines are broken in logical order, then each is reordered.
    """

    def __init__(
        self, text: str, style: ParagraphStyle, fonts: Sequence[str], bullet: str = ""
    ) -> None:
        super().__init__()
        self.parts = [keep_numbers_together(" ".join(p.split())) for p in text.splitlines()]
        self.style = style
        self.fonts = tuple(fonts)
        self.bullet = bullet
        self.lines: list[list[Run]] = []

    def _runs(self, line: str) -> list[Run]:
        return font_runs(visual(line), self.fonts)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        style = self.style
        room: float = avail_width - style.leftIndent - style.rightIndent

        def fits(line: str) -> bool:
            return runs_width(self._runs(line), style.fontSize) <= room

        self.lines = [self._runs(line) for p in self.parts for line in break_lines(p, fits)]
        self.width, self.height = avail_width, len(self.lines) * style.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas, style, size = self.canv, self.style, self.style.fontSize
        canvas.setFillColor(style.textColor)
        top = self.height - size
        for number, runs in enumerate(self.lines):
            x = self.width - style.leftIndent - runs_width(runs, size)
            for part, font in runs:
                canvas.setFont(font, size)
                canvas.drawString(x, top - number * style.leading, part)
                x += stringWidth(part, font, size)
        if self.bullet:
            canvas.setFont(style.bulletFontName, style.bulletFontSize)
            canvas.drawRightString(self.width - style.bulletIndent, top, self.bullet)
