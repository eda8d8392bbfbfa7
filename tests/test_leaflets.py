"""Leaflets in the residents' languages: each text has metadata, prints every character in a font
that has it, keeps right-to-left word order, flags machine-made texts and shows the contact."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from bidi import get_base_level
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from cocoon.errors import ConfigError, NotFoundError
from cocoon.outputs import fonts, leaflet_pdf
from cocoon.outputs.content import Leaflet
from cocoon.outputs.leaflet_pdf import UNREVIEWED
from cocoon.outputs.shaping import keep_numbers_together, visual
from cocoon.texts import (
    fill_contact,
    leaflet_codes,
    leaflet_infos,
    leaflet_template,
    split_contact,
)

NAME, PHONE, EMAIL = "Anna Svensson", "010-123 45 67", "anna.svensson@polisen.se"
KEPT = ("Märk-DNA", "Grannsamverkan", "112", "114 14", "polisen.se")
SENTENCES = {  # one sentence per right-to-left text, in logical (reading) order
    "ar": "اتصلوا بالرقم 112 إذا كان شيء يحدث الآن",
    "fa": "اگر همین حالا اتفاقی در حال رخ دادن است، با 112 تماس بگیرید",
}
CODES = leaflet_codes()
SCRIPT_LETTERS = {"Latn": r"[A-Za-z]", "Arab": r"[\u0600-\u06ff]", "Ethi": r"[\u1200-\u137f]"}


def pdf_text(pdf: bytes, folder: Path) -> str:
    """The PDF's text in reading order (pdftotext); fails if pdftotext cannot open it."""
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("COCOON_REQUIRE_PDFTOTEXT"):
            pytest.fail("COCOON_REQUIRE_PDFTOTEXT is set but pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext not found: install poppler-utils (scripts/test.sh does)")
    path = folder / "leaflet.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([exe, str(path), "-"], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


def squash(text: str) -> str:
    """Letters as read: presentation forms undone (NFKC), no white space, no bidi marks."""
    return "".join(
        c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and c.isprintable()
    )


def flat(text: str) -> str:
    """Runs of white space made one space, bidi marks left out."""
    return " ".join("".join(c for c in text if c.isspace() or c.isprintable()).split())


def printed(code: str, reviewed: bool | None = None) -> Leaflet:
    leaflet = Leaflet.builtin(code, NAME, PHONE, EMAIL)
    return leaflet if reviewed is None else replace(leaflet, reviewed=reviewed)


def expected_text(code: str) -> str:
    """What the page must show: the text without bullet dashes, the contact filled in."""
    body, contact = split_contact(leaflet_template(code))
    lines = [line.removeprefix("- ") for line in body.splitlines()]
    return "\n".join([*lines, *fill_contact(contact, NAME, PHONE, EMAIL)])


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("leaflets")
    return {code: pdf_text(leaflet_pdf.leaflet_pdf(printed(code)), folder) for code in CODES}


def test_every_leaflet_text_has_metadata_and_every_metadata_a_text() -> None:
    assert set(CODES) == set(leaflet_infos())
    assert {"sv", "en", "ar", "so", "fa", "ti", "pl", "fi", "bs"} <= set(CODES)


def test_a_reviewed_leaflet_names_who_reviewed_it_and_when() -> None:
    for info in leaflet_infos().values():
        assert bool(info.reviewed_by) == info.reviewed
    assert leaflet_infos()["sv"].reviewed  # the team's original


@pytest.mark.parametrize("code", CODES)
def test_metadata_direction_and_script_match_the_text(code: str) -> None:
    info, text = leaflet_infos()[code], leaflet_template(code)
    assert get_base_level(text) == (1 if info.direction == "rtl" else 0)
    heading = text.partition("\n")[0]
    assert re.search(SCRIPT_LETTERS[info.script], heading)


@pytest.mark.parametrize("code", CODES)
def test_every_leaflet_follows_the_swedish_structure_and_keeps_the_names_to_look_up(
    code: str,
) -> None:
    def shape(text: str) -> list[int]:  # bullets per paragraph
        return [b.count("\n- ") for b in re.split(r"\n\s*\n", text.strip())]

    text = leaflet_template(code)
    assert shape(text) == shape(leaflet_template("sv"))
    for kept in (*KEPT, "{name}", "{phone}", "{email}"):
        assert kept in text, kept


@pytest.mark.parametrize("code", CODES)
def test_every_leaflet_prints_every_character(code: str, texts: dict[str, str]) -> None:
    """A character without a glyph in its font is printed as glyph 0 and does not read back."""
    missing = Counter(squash(expected_text(code))) - Counter(squash(texts[code]))
    assert not missing, f"{code}: not printed {dict(missing)}"


def test_a_font_without_the_script_fails_the_glyph_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(leaflet_pdf, "register_script_fonts", lambda script: fonts.register_fonts())
    text = pdf_text(leaflet_pdf.leaflet_pdf(printed("ti")), tmp_path)
    assert Counter(squash(expected_text("ti"))) - Counter(squash(text))


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_right_to_left_leaflet_keeps_word_order(code: str, texts: dict[str, str]) -> None:
    assert SENTENCES[code] in leaflet_template(code)
    assert squash(SENTENCES[code]) in squash(texts[code])


def test_arabic_leaflet_keeps_numbers_readable(texts: dict[str, str]) -> None:
    text = flat(texts["ar"])
    assert "114 14" in text
    assert PHONE in text
    assert "Märk-DNA" in text


def test_right_to_left_lines_mirror_brackets_and_keep_numbers_whole() -> None:
    def shown(line: str) -> str:  # drawn left to right, joined forms undone
        return unicodedata.normalize("NFKC", visual(keep_numbers_together(line)))

    assert shown("Grannsamverkan (تعاون)") == f"({'تعاون'[::-1]}) Grannsamverkan"
    assert shown(f"الهاتف: {PHONE}") == f"{PHONE} :{'الهاتف'[::-1]}"
    assert shown("بالرقم 114 14") == f"114 14 {'بالرقم'[::-1]}"


def test_a_latin_name_with_brackets_keeps_its_order_in_a_right_to_left_line() -> None:
    def shown(line: str) -> str:
        return unicodedata.normalize("NFKC", visual(line))

    assert shown("الهاتف: Kommunpolis (demo)") == f"Kommunpolis (demo) :{'الهاتف'[::-1]}"
    assert shown("(Kommunpolis Kalmar) الهاتف") == f"{'الهاتف'[::-1]} (Kommunpolis Kalmar)"
    assert shown("البريد: anna.andersson@polisen.se") == (
        f"anna.andersson@polisen.se :{'البريد'[::-1]}"
    )


def test_arabic_set_left_to_right_unjoined_fails_the_word_order_check(tmp_path: Path) -> None:
    """The old leaflet page: Arabic in DejaVu Sans, drawn in logical order, reads back reversed."""
    regular, _ = fonts.register_fonts()
    out = io.BytesIO()
    style = ParagraphStyle("old", fontName=regular, fontSize=12, leading=15)
    SimpleDocTemplate(out, invariant=True).build([Paragraph(SENTENCES["ar"], style)])
    assert squash(SENTENCES["ar"]) not in squash(pdf_text(out.getvalue(), tmp_path))


@pytest.mark.parametrize("code", CODES)
def test_machine_made_leaflet_says_so_in_swedish(code: str, texts: dict[str, str]) -> None:
    assert (UNREVIEWED in flat(texts[code])) == (not leaflet_infos()[code].reviewed)


def test_reviewed_leaflet_has_no_machine_note(tmp_path: Path) -> None:
    text = pdf_text(leaflet_pdf.leaflet_pdf(printed("ar", reviewed=True)), tmp_path)
    assert UNREVIEWED not in flat(text)
    text = pdf_text(leaflet_pdf.leaflet_pdf(printed("sv", reviewed=False)), tmp_path)
    assert UNREVIEWED in flat(text)


@pytest.mark.parametrize("code", CODES)
def test_leaflet_ends_with_the_local_contact(code: str, texts: dict[str, str]) -> None:
    text = flat(texts[code])
    for value in (NAME, PHONE, EMAIL):
        assert value in text
    assert text.rindex(EMAIL) > text.index("polisen.se")


def test_contact_lines_without_a_value_are_left_out(tmp_path: Path) -> None:
    _, contact = split_contact(leaflet_template("sv"))
    assert fill_contact(contact, NAME, "", "") == [
        "Din kontakt hos polisen",
        f"Kommunpolis: {NAME}",
    ]
    assert fill_contact(contact, "", "", "") == []
    text = pdf_text(leaflet_pdf.leaflet_pdf(Leaflet.builtin("sv")), tmp_path)
    assert "Din kontakt" not in text
    assert "{" not in text


def test_unknown_leaflet_language_is_named() -> None:
    with pytest.raises(NotFoundError, match="'xx'; known: sv, en"):
        leaflet_pdf.leaflet_pdf(Leaflet("xx", "Heading\n\nText"))


def test_leaflet_pdf_is_the_same_on_a_rerun() -> None:
    leaflet = printed("fa")
    assert leaflet_pdf.leaflet_pdf(leaflet) == leaflet_pdf.leaflet_pdf(leaflet)


def test_missing_noto_font_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "NOTO_DIR", tmp_path)
    fonts.register_script_fonts.cache_clear()
    try:
        with pytest.raises(ConfigError, match="fonts-noto-core"):
            fonts.register_script_fonts("Arab")
    finally:
        fonts.register_script_fonts.cache_clear()
