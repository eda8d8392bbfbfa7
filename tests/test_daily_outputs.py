"""The daily zone list as PDF, CSV and a phone page: every zone, today's signs, no report."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_daily import home
from test_roster import flat, pdf_pages

from cocoon.core.daily import DailyList, DailyZone, daily_list
from cocoon.core.model import Level
from cocoon.core.risk import zones_at
from cocoon.core.signs.rules import Sign
from cocoon.i18n import Language
from cocoon.outputs import formats, render
from cocoon.outputs.content import DailyPaper
from tests.signtown import ORIGIN, line
from tests.support import STOCKHOLM, SWEREF, report, risk_rules

DAY = date(2026, 11, 2)
AT = datetime(2026, 11, 2, 5, tzinfo=UTC)  # 06:00 local
OLD, NEW, LATE = "Z-7Q4K-A2B3", "Z-M2P9-X8Y7", "Z-0LD1-Q3R4"
REPORT_IDS = ("K-4711-26", "K-4790-26", "K-4802-26")
REPORTS = (
    report(REPORT_IDS[0], AT - timedelta(days=10), zone_key=OLD),  # high, 5 days left
    report(REPORT_IDS[1], AT - timedelta(hours=6), offset_m=(5000, 0), zone_key=NEW),  # new
    report(REPORT_IDS[2], AT - timedelta(days=30), offset_m=(10000, 0), zone_key=LATE),
)
ROADS = (
    line("secondary", "Storgatan", (-600, 0), (600, 0)),
    line("residential", "Åkervägen", (0, -400), (0, 400)),
    line("residential", "Östra Vägen", (200, 100), (450, 100)),
    line("residential", "Lövängsvägen", (4500, 0), (5500, 0)),
)
HOMES = tuple(home("Björkvägen", i, 10000 + 20 * i, 30) for i in range(1, 5))


def sign(sign_id: str, zone_id: str, put_up: date, take_down: date, where: str, rid: str) -> Sign:
    return Sign(sign_id, zone_id, *ORIGIN, put_up, take_down, where, True, (rid,))


UNTIL = date(2026, 12, 27)
PUT_UP = (
    sign("S-AQ2M-7T4P", NEW, DAY, UNTIL, "korsningen Lövängsvägen/Kyrkvägen", REPORT_IDS[1]),
    sign("S-HX3N-8W2R", NEW, DAY, UNTIL, "Lövängsvägen, vid infarten från öster", REPORT_IDS[1]),
)
GONE = "Lövängsvägen vid busshållplatsen"
TAKE_DOWN = (sign("S-PL9D-3V6C", "Z-GONE-0000", date(2026, 9, 7), DAY, GONE, "K-4000-26"),)
ZONES_HEADER = (
    "zone_id,level,streets,days_left,level_until,then_elevated_until,reports,new_reports_24h"
)
SIGNS_HEADER = "action,sign_id,zone_id,description,put_up,take_down"


def town_list(
    put_up: tuple[Sign, ...] = PUT_UP, take_down: tuple[Sign, ...] = TAKE_DOWN
) -> DailyList:
    zones = zones_at(REPORTS, AT, risk_rules(), SWEREF)
    return daily_list(DAY, AT, zones, ROADS, HOMES, put_up, take_down)


def paper(
    daily: DailyList | None = None, language: Language = "sv", area: str = "Kalmar"
) -> DailyPaper:
    return DailyPaper(daily or town_list(), SWEREF, STOCKHOLM, language, area)


def many_zones(count: int) -> DailyList:
    """A busy day: `count` zones with three long street names each, and a few signs each way."""
    streets = ("Drottning Kristinas väg", "Karlskronavägen", "Södra Långgatan")
    zones = tuple(
        DailyZone(
            zone_id=f"Z-{i:04d}-ABCD",
            level=Level.HIGH if i % 3 else Level.ELEVATED,
            streets=streets,
            level_until=AT + timedelta(days=1 + i % 14, hours=3),
            days_left=2 + i % 14,
            reports=1 + i % 4,
            new_reports=1 if i % 7 == 0 else 0,
            then_elevated_until=AT + timedelta(days=50) if i % 3 else None,
            area_m2=784137.0,
        )
        for i in range(count)
    )
    signs = tuple(
        replace(
            PUT_UP[0], sign_id=f"S-{i:04d}-WXYZ", zone_id=zones[i % count].zone_id, report_ids=()
        )
        for i in range(6)
    )
    return DailyList(DAY, AT, zones, signs, signs[:4])


# --- the list the tests read -------------------------------------------------------------------


def test_town_list_has_a_new_zone_first_then_high_then_elevated_each_named() -> None:
    daily = town_list()
    assert [(z.zone_id, z.level, z.new_reports) for z in daily.zones] == [
        (NEW, Level.HIGH, 1),
        (OLD, Level.HIGH, 0),
        (LATE, Level.ELEVATED, 0),
    ]
    assert [z.streets for z in daily.zones] == [
        ("Lövängsvägen",),
        ("Storgatan", "Åkervägen", "Östra Vägen"),
        ("Björkvägen",),
    ]


def test_daily_list_renders_as_pdf_csv_signs_csv_and_html() -> None:
    assert {"pdf", "csv", "signs.csv", "html"} <= set(formats(DailyPaper))


# --- PDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swedish_pdf() -> bytes:
    return render("pdf", paper())


@pytest.fixture
def swedish(swedish_pdf: bytes, tmp_path: Path) -> list[str]:
    return pdf_pages(swedish_pdf, tmp_path)


def row_of(pages: list[str], zone_id: str) -> str:
    """The zone table's row of a zone: the first line naming it (the sign tables follow)."""
    row = next(ln for page in pages for ln in page.splitlines() if zone_id in ln)
    return " ".join(row.split())


def test_pdf_heading_names_the_day_the_area_and_when_it_was_made(swedish: list[str]) -> None:
    top = flat([swedish[0][: swedish[0].index("3 zoner")]])  # pdftotext sets Kalmar first
    for words in ("Dagslista riskzoner 2026-11-02", "Kalmar", "skapad 2026-11-02 06:00"):
        assert words in top
    assert (
        "3 zoner: 2 med hög risk, 1 med förhöjd risk; 1 med nya anmälningar senaste 24 h."
        in flat(swedish)
    )


def test_pdf_lists_every_zone_in_the_lists_order_on_one_page(swedish: list[str]) -> None:
    assert len(swedish) == 1
    text = flat(swedish)
    assert text.index(NEW) < text.index(OLD) < text.index(LATE)
    for words in ("Ny", "Zon", "Nivå", "Gator", "Dagar kvar (till)", "Anmälningar", "Nya 24 h"):
        assert words in text


def test_pdf_zone_rows_show_marker_level_streets_days_and_reports(swedish: list[str]) -> None:
    assert (
        row_of(swedish, NEW)
        == f"NY {NEW} hög risk Lövängsvägen 14 (till 2026-11-16) 2026-12-28 1 1"
    )
    assert row_of(swedish, OLD) == (
        f"{OLD} hög risk Storgatan, Åkervägen, Östra Vägen 5 (till 2026-11-06) 2026-12-18 1 0"
    )
    assert row_of(swedish, LATE) == f"{LATE} förhöjd risk Björkvägen 27 (till 2026-11-28) – 1 0"


def test_pdf_lists_the_signs_to_put_up_and_take_down_today(swedish: list[str]) -> None:
    text = flat(swedish)
    up_at = text.index("Skyltar att sätta upp i dag")
    down_at = text.index("Skyltar att ta ner i dag")
    assert text.index(LATE) < up_at < down_at
    going_up, coming_down = text[up_at:down_at], text[down_at:]
    for sign in PUT_UP:
        assert sign.sign_id in going_up and sign.description in going_up
        assert sign.sign_id not in coming_down
    (gone,) = TAKE_DOWN
    assert f"{gone.sign_id} Z-GONE-0000 {gone.description} 2026-11-02" in coming_down
    assert f"{PUT_UP[0].sign_id} {NEW} {PUT_UP[0].description} 2026-12-27" in going_up


def test_pdf_says_none_where_no_sign_goes_up_or_comes_down(tmp_path: Path) -> None:
    text = flat(pdf_pages(render("pdf", paper(town_list((), ()))), tmp_path))
    up = text[text.index("Skyltar att sätta upp i dag") : text.index("Skyltar att ta ner i dag")]
    assert up.split() == ["Skyltar", "att", "sätta", "upp", "i", "dag", "Inga"]
    assert text[text.index("Skyltar att ta ner i dag") :].startswith(
        "Skyltar att ta ner i dag Inga"
    )


def test_pdf_of_a_day_without_zones_says_so(tmp_path: Path) -> None:
    empty = DailyList(DAY, AT, (), (), ())
    pages = pdf_pages(render("pdf", paper(empty)), tmp_path)
    assert len(pages) == 1 and "Inga aktiva riskzoner." in flat(pages)
    assert "Gator" not in flat(pages)


def test_a_normal_day_of_30_zones_fits_one_page(tmp_path: Path) -> None:
    daily = many_zones(30)
    pages = pdf_pages(render("pdf", paper(daily)), tmp_path)
    assert len(pages) == 1
    text = flat(pages)
    assert all(z.zone_id in text for z in daily.zones)
    assert all(s.sign_id in text for s in daily.put_up)


def test_a_long_list_flows_on_with_the_table_header_repeated(tmp_path: Path) -> None:
    daily = many_zones(70)
    pages = pdf_pages(render("pdf", paper(daily)), tmp_path)
    assert len(pages) >= 2
    assert all(z.zone_id in flat(pages) for z in daily.zones)
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
    second = flat(pages[1:2])
    assert second.index("Dagar kvar (till)") < second.index("Z-")


def test_pdf_in_english_has_english_words(tmp_path: Path) -> None:
    text = flat(pdf_pages(render("pdf", paper(language="en")), tmp_path))
    for words in (
        "Daily risk-zone list 2026-11-02", "made 2026-11-02 06:00",
        "3 zones: 2 high, 1 elevated; 1 with new reports in the last 24 h.",
        "Signs to put up today", "Signs to take down today", "high risk", "elevated risk",
        "14 (until 2026-11-16)", "Days left (until)", "Reports", "Page 1 of 1",
    ):  # fmt: skip
        assert words in text, words
    for words in ("Dagslista", "Skyltar", "hög risk", "skapad", "Sida"):
        assert words not in text


def test_pdf_is_byte_identical_on_rerun(swedish_pdf: bytes) -> None:
    assert swedish_pdf.startswith(b"%PDF")
    assert render("pdf", paper()) == swedish_pdf


# --- CSV ---------------------------------------------------------------------------------------


def rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def test_csv_has_one_row_per_zone_in_the_lists_order() -> None:
    raw = render("csv", paper())
    assert raw.decode("utf-8").split("\n")[0] == ZONES_HEADER
    assert b"\r\n" not in raw and not raw.startswith("\ufeff".encode())  # as the other CSVs
    assert rows(raw) == [
        {
            "zone_id": NEW, "level": "high", "streets": "Lövängsvägen", "days_left": "14",
            "level_until": "2026-11-16", "then_elevated_until": "2026-12-28", "reports": "1",
            "new_reports_24h": "1",
        },
        {
            "zone_id": OLD, "level": "high", "streets": "Storgatan; Åkervägen; Östra Vägen",
            "days_left": "5", "level_until": "2026-11-06", "then_elevated_until": "2026-12-18",
            "reports": "1", "new_reports_24h": "0",
        },
        {
            "zone_id": LATE, "level": "elevated", "streets": "Björkvägen", "days_left": "27",
            "level_until": "2026-11-28", "then_elevated_until": "", "reports": "1",
            "new_reports_24h": "0",
        },
    ]  # fmt: skip


def test_csv_dates_are_local_dates() -> None:
    late_evening = AT.replace(hour=23, minute=30)  # 00:30 local the next day
    zone = replace(many_zones(1).zones[0], level_until=late_evening, then_elevated_until=None)
    daily = DailyList(DAY, AT, (zone,), (), ())
    (row,) = rows(render("csv", paper(daily)))
    assert row["level_until"] == "2026-11-03"


def test_signs_csv_lists_todays_signs_to_put_up_then_to_take_down() -> None:
    raw = render("signs.csv", paper())
    assert raw.decode("utf-8").split("\n")[0] == SIGNS_HEADER
    assert b"\r\n" not in raw and not raw.startswith("\ufeff".encode())
    listed = rows(raw)
    assert [(r["action"], r["sign_id"], r["zone_id"]) for r in listed] == [
        ("put_up", PUT_UP[0].sign_id, NEW),
        ("put_up", PUT_UP[1].sign_id, NEW),
        ("take_down", TAKE_DOWN[0].sign_id, "Z-GONE-0000"),
    ]
    assert listed[2] == {
        "action": "take_down",
        "sign_id": TAKE_DOWN[0].sign_id,
        "zone_id": "Z-GONE-0000",
        "description": "Lövängsvägen vid busshållplatsen",
        "put_up": "2026-09-07",
        "take_down": "2026-11-02",
    }


def test_csvs_of_an_empty_day_are_their_headers() -> None:
    empty = paper(DailyList(DAY, AT, (), (), ()))
    assert render("csv", empty) == (ZONES_HEADER + "\n").encode()
    assert render("signs.csv", empty) == (SIGNS_HEADER + "\n").encode()


# --- HTML --------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What a browser would see: every tag with its attributes, the text, the style sheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        (self.styles if self._in and self._in[-1] == "style" else self.texts).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def with_class(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if cls in (a.get("class") or "").split()]


def page(raw: bytes) -> Page:
    parsed = Page()
    parsed.feed(raw.decode("utf-8"))
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def swedish_html() -> bytes:
    return render("html", paper())


def test_html_is_one_file_that_fetches_nothing(swedish_html: bytes) -> None:
    parsed = page(swedish_html)
    for tag, attrs in parsed.tags:
        assert not {"src", "href", "srcset", "action", "poster", "data"} & set(attrs), tag
        assert tag not in {"script", "link", "img", "iframe", "object", "embed", "base"}
    css = " ".join(parsed.styles)
    assert css and "url(" not in css and "@import" not in css and "@font-face" not in css
    assert all(s.get("style") is None for _, s in parsed.tags)  # styles only in <style>
    (policy,) = [m for m in parsed.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert (policy["content"] or "").startswith("default-src 'none';")
    assert b"http://" not in swedish_html and b"https://" not in swedish_html


def test_html_is_made_for_a_phone_in_the_lists_language(swedish_html: bytes) -> None:
    parsed = page(swedish_html)
    assert parsed.all("html") == [{"lang": "sv"}]
    assert {"charset": "utf-8"} in parsed.all("meta")
    viewport = [m for m in parsed.all("meta") if m.get("name") == "viewport"]
    assert viewport == [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]
    css = " ".join(parsed.styles)
    assert all(int(px) < 360 for px in re.findall(r"(\d+)px", css))  # nothing wider than a phone
    assert not parsed.all("table")


def test_html_has_a_card_per_zone_titled_by_its_streets(swedish_html: bytes) -> None:
    parsed = page(swedish_html)
    daily = town_list()
    cards = parsed.with_class("zone")
    assert [c["class"] for c in cards] == ["zone high", "zone high", "zone elevated"]
    text = parsed.text
    assert text.index(NEW) < text.index(OLD) < text.index(LATE)
    for zone in daily.zones:
        assert ", ".join(zone.streets) in text
    assert (
        "Storgatan, Åkervägen, Östra Vägen Dagar kvar: 5 (till 2026-11-06), därefter förhöjd "
        f"risk till 2026-12-18 Anmälningar: 1, varav nya senaste 24 h: 0 Zon {OLD}"
    ) in text
    assert "Björkvägen Dagar kvar: 27 (till 2026-11-28) Anmälningar" in text


def test_html_marks_zones_with_new_reports_with_a_badge(swedish_html: bytes) -> None:
    parsed = page(swedish_html)
    assert len(parsed.with_class("badge")) == 1
    assert "hög risk Lövängsvägen ny Dagar kvar: 14" in parsed.text


def test_html_lists_todays_signs_to_put_up_and_take_down(swedish_html: bytes) -> None:
    text = page(swedish_html).text
    up_at = text.index("Skyltar att sätta upp i dag")
    down_at = text.index("Skyltar att ta ner i dag")
    going_up, coming_down = text[up_at:down_at], text[down_at:]
    for sign in PUT_UP:
        assert sign.description in going_up and sign.sign_id in going_up
    assert (
        f"Lövängsvägen vid busshållplatsen Zon Z-GONE-0000 · skylt {TAKE_DOWN[0].sign_id} · "
        "tas ner 2026-11-02"
    ) in coming_down
    empty = page(render("html", paper(town_list((), ())))).text
    assert "Skyltar att sätta upp i dag Inga Skyltar att ta ner i dag Inga" in empty


def test_html_escapes_every_text() -> None:
    hostile = '<script>alert("x")</script> & <b>'
    zone = replace(many_zones(1).zones[0], streets=(hostile,), zone_id="Z-<i>")
    signs = (replace(PUT_UP[0], description=hostile, sign_id='S-"1"', zone_id="Z-<i>"),)
    raw = render("html", paper(DailyList(DAY, AT, (zone,), signs, ()), area=hostile))
    parsed = page(raw)
    assert {tag for tag, _ in parsed.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "main",
        "section", "h2", "article", "div", "h3", "span", "ul", "li", "strong", "br",
    }  # fmt: skip
    assert parsed.text.count(hostile) == 3  # area, card, sign
    assert b"<script>" not in raw


def test_html_in_english_has_english_words() -> None:
    parsed = page(render("html", paper(language="en")))
    assert parsed.all("html") == [{"lang": "en"}]
    for words in (
        "Daily risk-zone list 2026-11-02", "Kalmar · made 2026-11-02 06:00", "Active risk zones",
        "Days left: 14 (until 2026-11-16)", "then elevated risk until 2026-12-28",
        "Reports: 1, new in the last 24 h: 1", "Signs to put up today", "new",
    ):  # fmt: skip
        assert words in parsed.text, words
    assert "Dagslista" not in parsed.text and "Skyltar" not in parsed.text


def test_html_is_byte_identical_on_rerun(swedish_html: bytes) -> None:
    assert render("html", paper()) == swedish_html


# --- privacy -----------------------------------------------------------------------------------


def test_no_format_prints_a_report_id(swedish: list[str]) -> None:
    outputs = {fmt: render(fmt, paper()).decode("utf-8") for fmt in ("csv", "signs.csv", "html")}
    outputs["pdf"] = flat(swedish)
    for fmt, shown in outputs.items():
        for report_id in (*REPORT_IDS, "K-4000-26"):
            assert report_id not in shown, (fmt, report_id)


def test_wide_ids_and_english_days_get_room_in_their_columns(tmp_path: Path) -> None:
    wide = replace(many_zones(1).zones[0], zone_id="Z-WWWW-MMMM", level=Level.ELEVATED)
    signs = (replace(PUT_UP[0], sign_id="S-MWMW-WMWM", zone_id=wide.zone_id),)
    daily = DailyList(DAY, AT, (wide,), signs, ())
    for language, start, days in (
        ("sv", "NY Z-WWWW-MMMM förhöjd risk Drottning", "2 (till 2026-11-03) –"),
        ("en", "NEW Z-WWWW-MMMM elevated risk Drottning", "2 (until 2026-11-03) –"),
    ):
        pages = pdf_pages(render("pdf", paper(daily, language)), tmp_path)
        row = row_of(pages, wide.zone_id)
        assert row.startswith(start) and days in row  # no cell runs into the next
        assert "S-MWMW-WMWM Z-WWWW-MMMM korsningen" in flat(pages)


def test_paper_shows_as_many_main_streets_as_fit_a_line_the_csv_all(tmp_path: Path) -> None:
    daily = many_zones(1)
    pages = pdf_pages(render("pdf", paper(daily)), tmp_path)
    row = row_of(pages, daily.zones[0].zone_id)
    assert "Drottning Kristinas väg, Karlskronavägen 2 (till" in row  # a third does not fit
    (listed,) = rows(render("csv", paper(daily)))
    assert listed["streets"] == "Drottning Kristinas väg; Karlskronavägen; Södra Långgatan"
    html = page(render("html", paper(daily))).text
    assert "Drottning Kristinas väg, Karlskronavägen, Södra Långgatan" in html
