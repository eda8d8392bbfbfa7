"""The TrueType fonts the PDFs embed: DejaVu Sans from the matplotlib wheel, Noto for other scripts.

reportlab's built-in Helvetica has å, ä and ö but no tick box (☐); DejaVu Sans has all three.
Leaflets in Arabic script or Ethiopic (Tigrinya) need Debian's Noto fonts (fonts-noto-core).
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from cocoon.errors import ConfigError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
NOTO_DIR = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core
_NOTO = {"Arab": "NotoSansArabic", "Ethi": "NotoSansEthiopic"}  # by ISO 15924 script code


def font_dir() -> Path:
    """matplotlib's TrueType folder, found without importing matplotlib (slow, and not needed)."""
    spec = importlib.util.find_spec("matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ConfigError(
            "the PDF font DejaVu Sans comes with matplotlib, which is not installed "
            "(pip install matplotlib)"
        )
    return Path(locations[0]) / "mpl-data" / "fonts" / "ttf"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab once; their reportlab names."""
    folder = font_dir()
    for name, file in _FILES.items():
        path = folder / file
        if not path.is_file():
            raise ConfigError(f"PDF font {file} not found in {folder} (reinstall matplotlib)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return REGULAR, BOLD


@cache
def register_script_fonts(script: str) -> tuple[str, str]:
    """Register the fonts for `script` (ISO 15924: Latn, Arab, Ethi) once; their reportlab names.

    Latin is DejaVu Sans; Arabic script and Ethiopic are Noto Sans, which DejaVu Sans lacks or
    sets poorly.
    """
    if script == "Latn":
        return register_fonts()
    family = _NOTO.get(script)
    if family is None:
        raise ConfigError(f"no PDF font for script {script!r}; known: Latn, {', '.join(_NOTO)}")
    names = (f"{family}-Regular", f"{family}-Bold")
    for name in names:
        path = NOTO_DIR / f"{name}.ttf"
        if not path.is_file():
            raise ConfigError(f"PDF font {path} not found (apt-get install fonts-noto-core)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return names
