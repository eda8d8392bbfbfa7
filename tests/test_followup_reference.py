"""The reference period's monthly counts (CSV month,count): read whole, or refused in one line
naming the file, the line and the field; and chosen for a period."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cocoon.analysis.followup import Month, PeriodError, parse_period, reference_from_file
from cocoon.errors import InputError
from cocoon.sources.reference import read_reference


def write(folder: Path, text: str, name: str = "ref.csv") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def refused(path: Path) -> tuple[str, str]:
    """The one line of a refused file, in English and in Swedish."""
    with pytest.raises(InputError) as caught:
        read_reference(path)
    english, swedish = caught.value.render("en"), caught.value.render("sv")
    assert "\n" not in english and "\n" not in swedish
    return english, swedish


def test_a_reference_file_is_read_month_by_month(tmp_path: Path) -> None:
    path = write(tmp_path, "month,count\n2015-01,21\n2015-02,0\n\n2015-03,+17\n")
    assert read_reference(path) == {Month(2015, 1): 21, Month(2015, 2): 0, Month(2015, 3): 17}


def test_excel_s_semicolons_byte_order_mark_and_capitals_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffMonth;Count\r\n2015-12;9\r\n")
    assert read_reference(path) == {Month(2015, 12): 9}


@pytest.mark.parametrize(
    ("rows", "english", "swedish"),
    [
        ("2015-13,4",
         "ref.csv, line 3, field month: '2015-13' is not a month YYYY-MM (e.g. 2015-03)",
         "ref.csv, rad 3, fält month: '2015-13' är ingen månad ÅÅÅÅ-MM (t.ex. 2015-03)"),
        ("15-01,4", "ref.csv, line 3, field month: '15-01' is not a month", "rad 3, fält month"),
        ("1850-01,4", "ref.csv, line 3, field month: '1850-01' is outside the years 1900–2999",
         "rad 3, fält month"),
        ("2015-02,-1", "ref.csv, line 3, field count: '-1' is not a number of burglaries "
         "(a whole number, 0 or more)", "fält count: '-1' är inget antal inbrott"),
        ("2015-02,4.5", "line 3, field count: '4.5' is not a number", "rad 3, fält count"),
        ("2015-02,", "line 3, field count: '' is not a number", "rad 3, fält count"),
        ("2015-01,4", "ref.csv, line 3, field month: 2015-01 is given already on line 2",
         "ref.csv, rad 3, fält month: 2015-01 finns redan på rad 2"),
        ("2015-02,4,5", "ref.csv, line 3, field count: more fields than the header: '5'",
         "rad 3, fält count: fler fält än rubrikraden"),
    ],
)  # fmt: skip
def test_a_bad_row_is_refused_naming_the_line_and_the_field(
    tmp_path: Path, rows: str, english: str, swedish: str
) -> None:
    said = refused(write(tmp_path, f"month,count\n2015-01,3\n{rows}\n"))
    assert english in said[0] and swedish in said[1]


def test_the_first_bad_row_is_named_and_the_others_counted(tmp_path: Path) -> None:
    said = refused(write(tmp_path, "month,count\n2015-01,x\n2015-02,y\n2015-03,z\n"))
    assert said[0] == (
        "ref.csv, line 2, field count: 'x' is not a number of burglaries (a whole number, 0 or "
        "more) (and 2 more row(s))"
    )


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("month;antal\n2015-01;3\n", "ref.csv: the header has no count; a reference file has "
                                     "the columns month,count"),
        ("month,count\n\n", "ref.csv: no months; a reference file has one row per month"),
        ("", "ref.csv: the header has no month, count"),
    ],
)  # fmt: skip
def test_a_file_without_its_columns_or_months_is_refused(
    tmp_path: Path, text: str, english: str
) -> None:
    assert refused(write(tmp_path, text))[0].startswith(english)


def test_a_windows_1252_file_is_read_as_excel_saved_it(tmp_path: Path) -> None:
    path = tmp_path / "ref.csv"
    path.write_bytes("month,count\n2015-01,3 # år\n".encode("cp1252"))
    with pytest.raises(InputError, match=re.escape("ref.csv, line 2, field count: '3 # år'")):
        read_reference(path)


COUNTS = {Month(2015, m): 10 + m for m in range(1, 13)}


def test_a_year_chooses_the_period_s_months_from_the_file() -> None:
    ref = reference_from_file("ref.csv", COUNTS, parse_period("2026-Q2"), parse_period("2015"))
    assert (ref.label, ref.months, ref.counts) == (
        "2015", (Month(2015, 4), Month(2015, 5), Month(2015, 6)), (14, 15, 16)
    )  # fmt: skip


def test_without_a_year_the_file_s_months_must_be_as_many_as_the_period_s() -> None:
    whole = reference_from_file("ref.csv", COUNTS, parse_period("2026"))
    assert whole.label == "2015" and whole.counts[0] == 11
    with pytest.raises(PeriodError, match=re.escape("ref.csv has 12 months, the period 2026-Q2 3")):
        reference_from_file("ref.csv", COUNTS, parse_period("2026-Q2"))


@pytest.mark.parametrize(
    ("counts", "period", "year", "message"),
    [
        ({Month(2015, 1): 3, Month(2015, 3): 4, Month(2015, 4): 1}, "2026-Q1", None,
         "ref.csv: no row for 2015-02 between 2015-01 and 2015-04"),
        (COUNTS, "2026-01-10..2026-03-31", "2015", "a reference file holds whole months"),
        (COUNTS, "2026-Q1", "2016", "ref.csv: no row for 2016-01 (reference 2016"),
        (COUNTS, "2026-Q1", "2015-Q1", "with a reference file, --reference chooses a year"),
    ],
)  # fmt: skip
def test_a_reference_file_that_does_not_fit_the_period_is_refused(
    counts: dict[Month, int], period: str, year: str | None, message: str
) -> None:
    with pytest.raises(PeriodError, match=re.escape(message)):
        reference_from_file(
            "ref.csv", counts, parse_period(period), parse_period(year) if year else None
        )
