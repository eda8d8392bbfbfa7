"""The rejects file: every row that was not stored, with its values, and why.

It is a report file itself: the contract columns first (the values as read), then `file`,
`row`, `field`, `reason` (and `extra`: the fields beyond the header of a row with an unquoted
delimiter), which the report reader ignores as it ignores any column outside the contract. Fix
the rows in place and ingest the file: the rows are stored. A whole file that could not be read is
one row with its reason and no values; a row with no values is skipped when read back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cocoon.config import REPORT_COLUMNS
from cocoon.messages import Language
from cocoon.outputs.csv_table import CsvFormat, csv_table
from cocoon.sources.report_rows import Rejection

#: The columns after the values, named so that no reader takes them for data.
REASON_COLUMNS = ("file", "row", "field", "reason")
EXTRA_COLUMN = "extra"
_SURROGATE = re.compile("[\ud800-\udfff]")


def rejects_csv(
    rejections: Sequence[Rejection], fmt: CsvFormat = "standard", language: Language = "en"
) -> bytes:
    """The rejects file in the CSV format of `output.csv_format`, through the one CSV writer (a
    value that starts like a formula is marked as text; the readers drop the mark again). The
    reasons are said in `language`, as on the command line; file, row and field are data.

    Value columns beyond the report contract (a roster's, say) follow the contract's.
    """
    names = list(REPORT_COLUMNS)
    for r in rejections:
        names += [
            k
            for k in r.values
            if k not in names and not k.startswith("_") and k not in REASON_COLUMNS
        ]
    extra = any(r.values.get("_extra") for r in rejections)
    header = [*names, *REASON_COLUMNS, *([EXTRA_COLUMN] if extra else [])]
    rows = []
    for r in rejections:
        values = [r.values.get(name) or "" for name in names]
        reasons = [r.file, r.where, r.field, r.said(language)]
        row = [*values, *reasons, *([r.values.get("_extra") or ""] if extra else [])]
        rows.append([_encodable(cell) for cell in row])
    return csv_table(header, rows, fmt)


def _encodable(text: str) -> str:
    """The text with lone surrogates (from JSON '\\ud800') as U+FFFD, so that it can be written."""
    return _SURROGATE.sub("\ufffd", text)
