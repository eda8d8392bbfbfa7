"""The one CSV writer of every CSV output: safe to open in a spreadsheet, in either format.

A text cell that begins with '=', '+', '-', '@', a tab or a carriage return gets a leading
single quote (OWASP, "CSV Injection"), so that Excel, LibreOffice or Gnumeric show it as text
and never run it as a formula; a cell that is a plain number ('-12', '+3.5') is left as it is,
and so are numbers. Formats (`output.csv_format`):

- "standard": UTF-8 without a byte-order mark, comma, "\\n" line endings, for scripts;
- "excel": for Swedish Excel: UTF-8 with a byte-order mark, semicolon, "\\r\\n", decimal comma.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from cocoon.outputs.clean import printable
from cocoon.sources.csvfile import FORMULA_START, TEXT_MARK  # the readers drop the mark again

CsvFormat = Literal["standard", "excel"]

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
#: What makes a cell need quotes, by delimiter.
_QUOTED = {d: re.compile(f'[{d}"\r\n]') for d in (",", ";")}


def spreadsheet_text(cell: str) -> str:
    """A text cell as a spreadsheet must show it: as text, never as a formula."""
    cell = printable(cell)
    if cell.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return TEXT_MARK + cell
    return cell


def csv_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], fmt: CsvFormat = "standard"
) -> bytes:
    """The header and the rows as one CSV file's bytes in format `fmt`."""
    if fmt not in ("standard", "excel"):
        raise ValueError(f"unknown CSV format {fmt!r}: use 'standard' or 'excel'")
    excel = fmt == "excel"
    delimiter, newline = (";", "\r\n") if excel else (",", "\n")
    lines = [_line([spreadsheet_text(h) for h in header], delimiter)]
    lines += [_line([_cell(value, excel) for value in row], delimiter) for row in rows]
    text = "".join(line + newline for line in lines)
    return (("\ufeff" + text) if excel else text).encode("utf-8")


def _cell(value: object, excel: bool) -> str:
    if isinstance(value, str):
        return spreadsheet_text(value)
    if value is None:
        return ""
    if excel and isinstance(value, float):
        return repr(value).replace(".", ",")  # Swedish Excel reads 57,1234 as a number
    return str(value)


def _line(cells: Sequence[str], delimiter: str) -> str:
    """One row, a cell quoted where it holds the delimiter, a quote or any line break (the csv
    module leaves a lone carriage return bare, and a reader then splits the row there)."""
    if len(cells) == 1 and not cells[0]:
        return '""'  # a row of one empty cell is not an empty line
    quoted = _QUOTED[delimiter]
    return delimiter.join(
        '"' + cell.replace('"', '""') + '"' if quoted.search(cell) else cell for cell in cells
    )
