"""Every CSV output goes through one writer: a text cell that a spreadsheet would run as a
formula ('=', '+', '-', '@', tab, carriage return first) shows as text, numbers stay numbers,
and `output.csv_format = "excel"` gives what Swedish Excel opens (BOM, ';', CRLF, decimal
comma).

The spreadsheet is Gnumeric's `ssconvert` (Debian package `gnumeric`): it converts each CSV to
Gnumeric's own XML, which says of every cell whether it is a formula, text or a number.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from cocoon.core.daily import DailyList
from cocoon.core.signs.rules import SignPlan
from cocoon.core.visits import VisitPlan
from cocoon.outputs import render
from cocoon.outputs.csv_table import FORMULA_START, CsvFormat, csv_table, spreadsheet_text
from cocoon.sources.csvfile import csv_records
from tests.test_daily_outputs import PUT_UP, paper, town_list
from tests.test_roster import roster, town_plan
from tests.test_sign_outputs import sheet
from tests.test_sign_outputs import town_plan as sign_town

#: What a spreadsheet would run: 42 if it does, the text itself if it shows it as text.
HOSTILE = ("=6*7", "-6*7", "+6*7", "@SUM(6;7)", "\t=6*7", "\r=6*7", '=HYPERLINK("http://x";"x")')
GNM = "{http://www.gnumeric.org/v10.dtd}"
#: Gnumeric's ValueType of a cell; a formula has none.
KINDS = {"40": "number", "60": "text", "20": "bool"}

Cells = dict[tuple[int, int], tuple[str, str]]


# -- the spreadsheet ----------------------------------------------------------------------------


def ssconvert() -> str:
    """Gnumeric's converter; a failure where COCOON_REQUIRE_SPREADSHEET is set, else a skip."""
    exe = shutil.which("ssconvert")
    if exe is None:
        if os.environ.get("COCOON_REQUIRE_SPREADSHEET"):
            pytest.fail("COCOON_REQUIRE_SPREADSHEET is set but ssconvert (gnumeric) is missing")
        pytest.skip("ssconvert not found: install Debian's gnumeric to open CSVs in a spreadsheet")
    return exe


def opened(raw: bytes, tmp_path: Path, name: str = "out") -> Cells:
    """The cells a spreadsheet makes of a CSV file: (row, column) -> (kind, text)."""
    exe = ssconvert()
    source, target = tmp_path / f"{name}.csv", tmp_path / f"{name}.gnumeric"
    source.write_bytes(raw)
    done = subprocess.run(
        [exe, "--import-type=Gnumeric_stf:stf_csvtab", str(source), str(target)],
        capture_output=True,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0 and target.exists(), done.stderr.decode(errors="replace")
    root = ET.fromstring(gzip.decompress(target.read_bytes()))
    return {
        (int(c.get("Row", "")), int(c.get("Col", ""))): (
            KINDS.get(c.get("ValueType", ""), "formula"),
            c.text or "",
        )
        for c in root.iter(f"{GNM}Cell")
    }


def column(cells: Cells, col: int) -> list[tuple[str, str]]:
    return [cells[(r, c)] for r, c in sorted(cells) if c == col and r > 0]


def shown_as_written(kind_text: tuple[str, str], value: str) -> bool:
    """Text, reading as the value did (a leading tab or CR may go: it is not shown anyway)."""
    kind, text = kind_text
    return kind == "text" and text.lstrip("\t\r\n") == value.lstrip("\t\r\n")


def test_the_spreadsheet_runs_a_formula_left_as_it_is(tmp_path: Path) -> None:
    """The check below can fail: an unguarded '=6*7' is a formula in this spreadsheet."""
    cells = opened(b"address\n=6*7\n", tmp_path)
    assert cells[(1, 0)] == ("formula", "=6*7")


# -- the renderers -------------------------------------------------------------------------------


def hostile_roster() -> VisitPlan:
    """The town's plan with the first stops' addresses as formulas."""
    plan = town_plan()
    first = plan.sheets[0]
    stops = [
        replace(stop, label=HOSTILE[i]) if i < len(HOSTILE) else stop
        for i, stop in enumerate(first.stops)
    ]
    return replace(plan, sheets=(replace(first, stops=tuple(stops)), *plan.sheets[1:]))


def hostile_signs() -> SignPlan:
    plan = sign_town()
    up = tuple(replace(s, description=HOSTILE[i % len(HOSTILE)]) for i, s in enumerate(plan.up))
    return replace(plan, up=up, new=tuple(s for s in up if s in plan.new or s.put_up == plan.day))


def hostile_daily() -> DailyList:
    daily = town_list(put_up=tuple(replace(s, description="=6*7") for s in PUT_UP))
    first = replace(daily.zones[0], streets=("=6*7",))
    return replace(daily, zones=(first, *daily.zones[1:]))


def test_roster_address_that_is_a_formula_shows_as_text(tmp_path: Path) -> None:
    raw = render("csv", roster(hostile_roster()))
    cells = opened(raw, tmp_path)
    addresses = column(cells, 3)
    for value, cell in zip(HOSTILE, addresses, strict=False):
        assert shown_as_written(cell, value), (value, cell)
    assert {kind for kind, _ in column(cells, 5)} == {"number"}  # distance_m
    assert {kind for kind, _ in column(cells, 0)} == {"number"}  # sheet
    unguarded = raw.replace(b"'=6*7", b"=6*7", 1)
    assert opened(unguarded, tmp_path, "unguarded")[(1, 3)] == ("formula", "=6*7")


def test_sign_description_that_is_a_formula_shows_as_text_lon_lat_stay_numbers(
    tmp_path: Path,
) -> None:
    plan = hostile_signs()
    raw = render("csv", sheet(plan))
    cells = opened(raw, tmp_path)
    for value, cell in zip([s.description for s in plan.up], column(cells, 7), strict=False):
        assert shown_as_written(cell, value), (value, cell)
    for col in (5, 6):  # lon, lat
        assert {kind for kind, _ in column(cells, col)} == {"number"}
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert all(not r["lon"].startswith("'") for r in rows)


def test_daily_streets_and_sign_descriptions_that_are_formulas_show_as_text(
    tmp_path: Path,
) -> None:
    content = paper(hostile_daily())
    zones = opened(render("csv", content), tmp_path, "zones")
    assert shown_as_written(zones[(1, 2)], "=6*7")
    assert {kind for kind, _ in column(zones, 3)} == {"number"}  # days_left
    signs = opened(render("signs.csv", content), tmp_path, "signs")
    assert [shown_as_written(c, "=6*7") for c in column(signs, 3)[:2]] == [True, True]


# -- the one writer ------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_START)
def test_a_text_cell_starting_like_a_formula_gets_a_single_quote(start: str) -> None:
    assert spreadsheet_text(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_plain_numbers_and_ordinary_text_are_left_as_they_are() -> None:
    for cell in ("-12", "+3.5", "-0.25", "Storgatan 7", "a=b", "'quoted'", "", "2026-11-24"):
        assert spreadsheet_text(cell) == cell
    for cell in ("-12e3", "-1+2", "--1", "-", "+"):
        assert spreadsheet_text(cell) == "'" + cell


def test_numbers_are_written_as_numbers_in_both_formats() -> None:
    row = (-12, -12.5, "x")
    assert csv_table(("a", "b", "c"), [row]) == b"a,b,c\n-12,-12.5,x\n"
    assert csv_table(("a", "b", "c"), [row], "excel") == "\ufeffa;b;c\r\n-12;-12,5;x\r\n".encode()


@pytest.mark.parametrize(("fmt", "delimiter"), [("standard", ","), ("excel", ";")])
def test_a_line_break_inside_a_value_stays_inside_its_cell(fmt: CsvFormat, delimiter: str) -> None:
    values = [("kom\rtillbaka", 1), ("ej\nhemma", 2), ('"x"; y, z', 3)]
    raw = csv_table(("note", "n"), values, fmt)
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert rows == [["note", "n"], ["kom\rtillbaka", "1"], ["ej\nhemma", "2"], ['"x"; y, z', "3"]]


def test_a_nul_in_a_cell_is_left_out() -> None:
    assert csv_table(("street",), [("Stor\x00gatan",)]) == b"street\nStorgatan\n"


def test_an_unknown_csv_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown CSV format 'xlsx'"):
        csv_table(("a",), [], "xlsx")  # type: ignore[arg-type]


# -- the formats -------------------------------------------------------------------------------


def every_csv(csv_format: CsvFormat) -> dict[str, bytes]:
    """Each CSV output of the test towns in one format."""
    fmt = csv_format
    return {
        "roster": render("csv", replace(roster(), csv_format=fmt)),
        "signs": render("csv", replace(sheet(), csv_format=fmt)),
        "daily": render("csv", replace(paper(), csv_format=fmt)),
        "daily signs": render("signs.csv", replace(paper(), csv_format=fmt)),
    }


def test_standard_format_is_utf8_comma_newline_without_bom() -> None:
    for name, raw in every_csv("standard").items():
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r\n" not in raw and raw.endswith(b"\n"), name
        assert csv.Sniffer().sniff(raw.decode("utf-8")).delimiter == ",", name


def test_excel_format_is_utf8_with_bom_semicolon_and_crlf_as_swedish_excel_opens() -> None:
    for name, raw in every_csv("excel").items():
        assert raw.startswith(b"\xef\xbb\xbf"), name
        text = raw.decode("utf-8-sig")
        assert text.endswith("\r\n") and text.count("\r\n") == text.count("\n"), name
        assert csv.Sniffer().sniff(text).delimiter == ";", name


def test_excel_format_reads_back_as_the_standard_one_with_decimal_commas() -> None:
    standard, excel = every_csv("standard"), every_csv("excel")
    for name in standard:
        plain = list(csv.reader(io.StringIO(standard[name].decode("utf-8"))))
        swedish = list(csv.reader(io.StringIO(excel[name].decode("utf-8-sig")), delimiter=";"))
        assert len(swedish) == len(plain) > 1, name
        decimal = [[cell.replace(",", ".") for cell in row] for row in swedish]
        assert decimal == [[cell.replace(",", ".") for cell in row] for row in plain], name
    signs = list(csv.DictReader(io.StringIO(excel["signs"].decode("utf-8-sig")), delimiter=";"))
    assert all("," in r["lon"] and "." not in r["lon"] for r in signs)


def test_daily_streets_keep_their_separator_inside_one_excel_cell() -> None:
    excel = every_csv("excel")["daily"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(excel), delimiter=";"))
    assert rows[1]["streets"] == "Storgatan; Åkervägen; Östra Vägen"


def test_an_excel_roster_reads_back_through_cocoons_own_reader() -> None:
    """`visits record` reads what Excel saves: the same stops by address_id."""
    standard, excel = every_csv("standard")["roster"], every_csv("excel")["roster"]
    _, plain = csv_records(standard.decode("utf-8"))
    header, swedish = csv_records(excel.decode("utf-8-sig"))
    assert header[:3] == ["sheet", "stop", "address_id"]
    assert [r.values for r in swedish] == [r.values for r in plain]


def test_both_formats_give_the_same_bytes_on_a_rerun() -> None:
    assert every_csv("standard") == every_csv("standard")
    assert every_csv("excel") == every_csv("excel")
