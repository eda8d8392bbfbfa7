"""The reference period's monthly burglary counts, for a reference from before cocoon was
installed (Kalmar's "46 % fewer than the reference year 2015"): a small CSV `month,count`.

    month,count
    2015-01,21
    2015-02,17

`month` is YYYY-MM, `count` a whole number of burglaries (0 or more); `,` `;` or tab; a blank line
is skipped. A reference must be whole, so the first bad row stops the reading with one line
naming the file, the line and the field.
"""

from __future__ import annotations

import re
from pathlib import Path

from cocoon.analysis.followup import YEARS, Month
from cocoon.errors import InputError
from cocoon.messages import Message, Text, place, rejection
from cocoon.sources.csvfile import EXTRA, csv_records, read_text

COLUMNS = ("month", "count")

NO_COLUMNS = Text(
    "reference_no_columns",
    "{file}: rubrikraden saknar {missing}; en referensfil har kolumnerna month,count",
    "{file}: the header has no {missing}; a reference file has the columns month,count",
)
NO_ROWS = Text(
    "reference_no_rows",
    "{file}: inga månader; en referensfil har en rad per månad (month,count)",
    "{file}: no months; a reference file has one row per month (month,count)",
)
NOT_A_MONTH = Text(
    "reference_not_a_month",
    "{text!r} är ingen månad ÅÅÅÅ-MM (t.ex. 2015-03)",
    "{text!r} is not a month YYYY-MM (e.g. 2015-03)",
)
MONTH_OUTSIDE = Text(
    "reference_month_outside",
    "{text!r} ligger utanför åren {first}–{last}",
    "{text!r} is outside the years {first}–{last}",
)
TWICE = Text(
    "reference_twice",
    "{month} finns redan på {where}",
    "{month} is given already on {where}",
)
NOT_A_COUNT = Text(
    "reference_not_a_count",
    "{text!r} är inget antal inbrott (ett heltal, 0 eller fler)",
    "{text!r} is not a number of burglaries (a whole number, 0 or more)",
)
EXTRA_FIELDS = Text(
    "reference_extra_fields",
    "fler fält än rubrikraden: {text!r}",
    "more fields than the header: {text!r}",
)
MORE_BAD = Text(
    "reference_more_bad", "{first} (och {more} rad(er) till)", "{first} (and {more} more row(s))"
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_COUNT = re.compile(r"^\+?\d+$")


def read_reference(path: str | Path) -> dict[Month, int]:
    """The counts by month; InputError naming file, line and field on the first bad row (and how
    many more are bad)."""
    path = Path(path)
    header, records = csv_records(read_text(path))
    columns = [h.lower() for h in header]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise InputError(NO_COLUMNS(file=path.name, missing=", ".join(missing)))
    month_col, count_col = (header[columns.index(c)] for c in COLUMNS)
    out: dict[Month, int] = {}
    seen: dict[Month, str] = {}
    bad = []
    for record in records:
        values = record.values
        if not any((v or "").strip() for k, v in values.items() if k != EXTRA):
            continue  # a blank line
        try:
            month, count = _row(values, month_col, count_col, seen, record.where)
        except _Bad as exc:
            bad.append(rejection(path.name, record.where, exc.field, exc.reason))
            continue
        out[month], seen[month] = count, record.where
    if bad:
        first = bad[0] if len(bad) == 1 else MORE_BAD(first=bad[0], more=len(bad) - 1)
        raise InputError(first)
    if not out:
        raise InputError(NO_ROWS(file=path.name))
    return out


class _Bad(Exception):
    def __init__(self, field: str, reason: Message) -> None:
        super().__init__(field)
        self.field, self.reason = field, reason


def _row(
    values: dict[str, str], month_col: str, count_col: str, seen: dict[Month, str], where: str
) -> tuple[Month, int]:
    if EXTRA in values:
        raise _Bad(count_col, EXTRA_FIELDS(text=values[EXTRA]))
    text = (values.get(month_col) or "").strip()
    m = _MONTH.match(text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise _Bad(month_col, NOT_A_MONTH(text=text))
    if not YEARS[0] <= int(m[1]) <= YEARS[1]:
        raise _Bad(month_col, MONTH_OUTSIDE(text=text, first=YEARS[0], last=YEARS[1]))
    month = Month(int(m[1]), int(m[2]))
    if month in seen:
        raise _Bad(month_col, TWICE(month=month.label, where=place(seen[month])))
    raw = (values.get(count_col) or "").strip()
    if not _COUNT.match(raw):
        raise _Bad(count_col, NOT_A_COUNT(text=raw))
    return month, int(raw)
