"""The printed roster and the visit list: every door in walking order, never the burgled home."""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cocoon.core.model import Address, Dwelling, Road
from cocoon.core.visits import Neighbour, VisitKind, VisitPlan, plan_visits
from cocoon.errors import ConfigError
from cocoon.i18n import Language
from cocoon.outputs import fonts as fonts_module
from cocoon.outputs import formats, render
from cocoon.outputs.content import Leaflet, Roster
from cocoon.texts import leaflet_template
from tests.support import KALMAR, STOCKHOLM, SWEREF, visit_rules

REPORT_ID = "K-4711-26"
BURGLED_ID = "Storgatan-7"
BURGLED = "Storgatan 7, Kalmar"
ORIGIN = SWEREF.point_to_metric(*KALMAR)


def _neighbour(street: str, number: str, dx: float, dy: float, dwelling: Dwelling) -> Neighbour:
    x, y = ORIGIN[0] + dx, ORIGIN[1] + dy
    lon, lat = SWEREF.point_to_wgs84(x, y)
    address_id = f"{street}-{number}".replace(" ", "_")
    return Neighbour(
        Address(address_id, street, number, lon, lat, town="Kalmar", dwelling=dwelling), x, y
    )


def _town() -> list[Neighbour]:
    """Villas on Storgatan (the burgled no. 7 among them) and Åkervägen, flats on Östra Vägen."""
    villa, flats = Dwelling.SMAHUS, Dwelling.FLERBOSTADSHUS
    town = [
        _neighbour("Storgatan", str(i), -240 + 20 * i, 12 if i % 2 else -12, villa)
        for i in range(1, 25)
    ]
    town += [
        _neighbour("Åkervägen", str(i), 110 if i % 2 else 130, 25 * i, villa) for i in range(1, 15)
    ]
    town += [_neighbour("Östra Vägen", f"{i}B", 150 + 30 * i, 160, flats) for i in range(1, 9)]
    return town


def _road(road_class: str, name: str | None, *points: tuple[float, float]) -> Road:
    coords = tuple(SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in points)
    return Road(road_class, coords, name)


ROADS = (
    _road("secondary", "Storgatan", (-400, 0), (400, 0)),
    _road("residential", "Åkervägen", (120, -50), (120, 400)),
    _road("residential", "Östra Vägen", (120, 150), (500, 150)),
    _road("footway", None, (-100, 0), (-100, 200), (50, 300)),
)


def town_plan(sheet_size: int = 15, burglary: tuple[date, date] | None = None) -> VisitPlan:
    """The visits after a burglary at Storgatan 7: 44 doors, three sheets of at most 15."""
    return plan_visits(
        REPORT_ID,
        "Z-0042",
        burglary or (date(2026, 10, 30), date(2026, 10, 31)),
        datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
        (ORIGIN[0] - 100, ORIGIN[1] + 12),
        BURGLED_ID,
        _town(),
        set(),
        visit_rules(sheet_size=sheet_size),
    )


def roster(
    plan: VisitPlan | None = None, language: Language = "sv", leaflet: str | None = None
) -> Roster:
    """The town's roster with the built-in leaflet, another text, or none ("")."""
    leaflets = (Leaflet.builtin(language),) if leaflet is None else (Leaflet(language, leaflet),)
    return Roster(
        plan=plan or town_plan(),
        projection=SWEREF,
        tz=STOCKHOLM,
        leaflets=leaflets if leaflet != "" else (),
        language=language,
        roads=ROADS,
    )


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text page by page (pdftotext -layout); fails if pdftotext cannot open it."""
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("COCOON_REQUIRE_PDFTOTEXT"):
            pytest.fail("COCOON_REQUIRE_PDFTOTEXT is set but pdftotext (poppler-utils) is missing")
        pytest.skip(
            "pdftotext not found: install poppler-utils (scripts/test.sh does) to read PDFs"
        )
    path = tmp_path / "roster.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8").split("\f")[:-1]


def flat(pages: list[str]) -> str:
    """All pages' text with runs of white space made one space."""
    return " ".join(" ".join(pages).split())


@pytest.fixture(scope="module")
def plan() -> VisitPlan:
    return town_plan()


@pytest.fixture(scope="module")
def swedish_pdf(plan: VisitPlan) -> bytes:
    return render("pdf", roster(plan))


@pytest.fixture
def swedish(swedish_pdf: bytes, tmp_path: Path) -> list[str]:
    return pdf_pages(swedish_pdf, tmp_path)


def test_town_needs_three_sheets_with_both_kinds_of_visit(plan: VisitPlan) -> None:
    assert len(plan.sheets) == 3
    assert {s.kind for s in plan.stops} == {VisitKind.DOOR, VisitKind.STAIRWELL}
    assert BURGLED not in {s.label for s in plan.stops}


def test_roster_renders_as_pdf_and_csv() -> None:
    assert {"csv", "pdf"} <= set(formats(Roster))


def test_roster_pdf_opens(swedish_pdf: bytes, swedish: list[str]) -> None:
    assert swedish_pdf.startswith(b"%PDF")
    assert swedish


def test_roster_lists_every_stop_in_walking_order(plan: VisitPlan, swedish: list[str]) -> None:
    text, at = flat(swedish), 0
    for stop in plan.stops:
        street_number = stop.label.removesuffix(", Kalmar")
        found = text.find(f" {street_number} ", at)
        assert found >= 0, f"{stop.label} missing or out of walking order"
        at = found + len(street_number)


def test_roster_names_the_town_once_in_the_header(swedish: list[str]) -> None:
    for page in swedish[:-1]:
        assert "Ort" in page and page.count("Kalmar") == 1


def test_roster_prints_swedish_letters(swedish: list[str]) -> None:
    text = flat(swedish)
    assert "Åkervägen 1 " in text
    assert "Östra Vägen 1B " in text
    assert "Grannbesök efter inbrott" in text


def test_roster_never_prints_the_burgled_address(swedish_pdf: bytes, swedish: list[str]) -> None:
    assert not re.search(r"Storgatan 7(?![\w-])", flat(swedish))
    assert b"Storgatan 7" not in swedish_pdf


def test_roster_never_prints_the_report_id(swedish_pdf: bytes, swedish: list[str]) -> None:
    assert REPORT_ID not in flat(swedish)
    assert REPORT_ID.encode() not in swedish_pdf


def test_roster_has_three_tick_boxes_per_stop_and_a_notes_column(
    plan: VisitPlan, swedish: list[str]
) -> None:
    text = flat(swedish)
    for heading in ("Besökt", "Ej hemma", "lämnad", "Avböjde", "Anteckningar"):
        assert heading in text
    assert text.count("☐") == 3 * len(plan.stops)


def test_roster_names_the_kind_of_visit(swedish: list[str]) -> None:
    text = flat(swedish)
    assert "Storgatan 5 Dörrknackning" in text
    assert "Östra Vägen 1B Trapphusinformation" in text


def test_roster_numbers_its_sheets(swedish: list[str]) -> None:
    sheet_pages, leaflet = swedish[:-1], swedish[-1]
    assert len(sheet_pages) == 3
    for number, page in enumerate(sheet_pages, start=1):
        assert f"Lista {number} av 3" in page
        assert f"Sida {number} av 3" in page
        assert "Internt – lämna inte ut" in page
        assert "Zon Z-0042" in " ".join(page.split())
    assert "Lista 4" not in flat(swedish)
    assert "Internt" not in leaflet


def test_roster_header_shows_burglary_dates_and_local_planned_time(swedish: list[str]) -> None:
    page = " ".join(swedish[0].split())
    assert "2026-10-30 – 2026-10-31" in page
    assert "2026-11-01 08:30" in page  # 07:30 UTC is 08:30 in Stockholm in November


def test_roster_shows_one_date_when_the_burglary_was_on_one_day(tmp_path: Path) -> None:
    plan = town_plan(burglary=(date(2026, 10, 31), date(2026, 10, 31)))
    page = " ".join(pdf_pages(render("pdf", roster(plan)), tmp_path)[0].split())
    assert "2026-10-31" in page
    assert "2026-10-31 – " not in page


def test_roster_ends_with_the_leaflet_on_one_page(swedish: list[str]) -> None:
    leaflet = swedish[-1]
    heading = leaflet_template("sv").splitlines()[0]
    assert heading in leaflet
    assert "114 14" in leaflet
    assert "polisen.se" in leaflet
    assert "{" not in leaflet  # a contact not set in the settings leaves no placeholder behind


def test_roster_in_english_has_english_headings_and_leaflet(
    plan: VisitPlan, tmp_path: Path
) -> None:
    pages = pdf_pages(render("pdf", roster(plan, "en")), tmp_path)
    text = flat(pages)
    for words in (
        "Neighbour visits after a burglary",
        "Sheet 1 of 3",
        "Visited",
        "Declined",
        "Notes",
        "Door knock",
        "Stairwell notice",
        "Internal – do not hand out",
        "Page 3 of 3",
    ):
        assert words in text
    assert leaflet_template("en").splitlines()[0] in pages[-1]
    for swedish_word in ("Besökt", "Avböjde", "Dörrknackning", "Lista 1"):
        assert swedish_word not in text


def test_roster_pdf_is_byte_identical_on_rerun(plan: VisitPlan, swedish_pdf: bytes) -> None:
    assert render("pdf", roster(plan)) == swedish_pdf


def test_roster_table_repeats_its_header_on_the_next_page(tmp_path: Path) -> None:
    plan = town_plan(sheet_size=60)
    pages = pdf_pages(render("pdf", roster(plan)), tmp_path)
    assert len(plan.sheets) == 1
    assert len(pages) == 3  # the one sheet flows onto a second page, then the leaflet
    for page in pages[:2]:
        assert "Besökt" in page
        assert "Lista 1 av 1" in page
    assert "Sida 2 av 2" in pages[1]


def test_empty_plan_renders_a_page_saying_there_are_no_doors(tmp_path: Path) -> None:
    empty = replace(town_plan(), sheets=())
    pdf = render("pdf", roster(empty))
    pages = pdf_pages(pdf, tmp_path)
    assert pdf.startswith(b"%PDF")
    assert len(pages) == 2
    assert "Det finns inga dörrar att besöka." in pages[0]
    assert "Zon Z-0042" in " ".join(pages[0].split())
    assert "Internt – lämna inte ut" in pages[0]
    assert leaflet_template("sv").splitlines()[0] in pages[1]


def test_roster_prints_a_custom_leaflet_as_written(plan: VisitPlan, tmp_path: Path) -> None:
    leaflet = "Råd & tips <från polisen>\n\nLås dörren.\n\nKom ihåg:\n- Tänd lampan\n- Ring 112"
    pages = pdf_pages(render("pdf", roster(plan, leaflet=leaflet)), tmp_path)
    last = pages[-1]
    for words in (
        "Råd & tips <från polisen>",
        "Lås dörren.",
        "Kom ihåg:",
        "• Tänd lampan",
        "• Ring 112",
    ):
        assert words in last


def test_roster_without_leaflet_has_only_the_sheets(plan: VisitPlan, tmp_path: Path) -> None:
    assert len(pdf_pages(render("pdf", roster(plan, leaflet="")), tmp_path)) == 3


# --- the visit list (CSV) ----------------------------------------------------------------------


def csv_rows(plan: VisitPlan) -> list[list[str]]:
    data = render("csv", roster(plan)).decode("utf-8")
    return list(csv.reader(io.StringIO(data)))


def test_visit_list_has_the_contract_columns(plan: VisitPlan) -> None:
    assert csv_rows(plan)[0] == [
        "sheet",
        "stop",
        "address_id",
        "address",
        "visit_kind",
        "distance_m",
    ]


def test_visit_list_has_one_row_per_stop_in_walking_order(plan: VisitPlan) -> None:
    rows = csv_rows(plan)[1:]
    assert [(r[2], r[3]) for r in rows] == [(s.address_id, s.label) for s in plan.stops]


def test_visit_list_numbers_stops_from_one_on_each_sheet(plan: VisitPlan) -> None:
    rows = csv_rows(plan)[1:]
    expected = [(str(sh.number), str(i)) for sh in plan.sheets for i in range(1, len(sh.stops) + 1)]
    assert [(r[0], r[1]) for r in rows] == expected


def test_visit_list_kinds_and_whole_metres(plan: VisitPlan) -> None:
    rows = csv_rows(plan)[1:]
    assert [r[4] for r in rows] == [s.kind.value for s in plan.stops]
    assert {r[4] for r in rows} == {"door", "stairwell"}
    assert [r[5] for r in rows] == [str(s.distance_m) for s in plan.stops]
    assert all(r[5].isdigit() for r in rows)


def test_visit_list_is_utf8_with_newline_endings_and_no_burgled_address(plan: VisitPlan) -> None:
    data = render("csv", roster(plan))
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    assert "Åkervägen 1, Kalmar".encode() in data
    assert BURGLED.encode() not in data
    assert REPORT_ID.encode() not in data


def test_empty_plan_gives_a_visit_list_with_only_the_header() -> None:
    empty = replace(town_plan(), sheets=())
    assert render("csv", roster(empty)) == b"sheet,stop,address_id,address,visit_kind,distance_m\n"


# --- leaflets and fonts ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_default_leaflet_tells_people_whom_to_call(language: Language) -> None:
    leaflet = leaflet_template(language)
    assert leaflet.splitlines()[0].strip()
    for words in ("112", "114 14", "polisen.se", "Märk-DNA", "Grannsamverkan"):
        assert words in leaflet


def test_missing_font_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts_module, "font_dir", lambda: tmp_path)
    with pytest.raises(ConfigError, match=r"DejaVuSans\.ttf"):
        fonts_module.register_fonts.__wrapped__()


def test_missing_matplotlib_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="matplotlib"):
        fonts_module.font_dir()
