"""Reading the CSV files people edit: comma, semicolon or tab; UTF-8 (with or without BOM), or
Windows-1252 as Excel on Windows saves it, or UTF-16 with a BOM (Excel's "Unicode text").

A file that is valid UTF-8 is read as UTF-8; one that is not, but is valid Windows-1252, is read
as Windows-1252 and the reader says so; anything else is refused in one line. A field may be up
to 128 KB (the row holding a longer one is rejected by validation, naming the field); a row that
the csv module cannot parse at all becomes a record that carries its error.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cocoon.core.addressing import fold
from cocoon.errors import InputError
from cocoon.sources.reasons import (
    CANNOT_READ,
    COLUMN_TWICE,
    EMPTY_FILE,
    HEADER_CELL_TOO_LONG,
    HEADER_UNREADABLE,
    NOT_UTF8_NOR_1252,
    NOT_UTF16,
)
from cocoon.sources.text import MAX_FIELD

#: Key under which a record keeps the fields beyond the header (an unquoted delimiter, mostly).
EXTRA = "_extra"
#: Key under which a record keeps why the csv module could not read it.
ERROR = "_error"
#: The longest field the csv module is let read. Longer fields than MAX_FIELD reach validation,
#: which names them; beyond this (an unclosed quote swallowing the file) the row is an error.
PARSE_LIMIT = 16 * 1024 * 1024
#: What the encodings are called in messages.
UTF8, WINDOWS_1252, UTF16 = "UTF-8", "Windows-1252", "UTF-16"
_CODECS = {UTF8: "utf-8-sig", WINDOWS_1252: "cp1252", UTF16: "utf-16"}
_BLOCK = 1 << 20


@dataclass(frozen=True)
class CsvRecord:
    """One data row by header name, and where it stands in its file ('line 5')."""

    where: str
    values: dict[str, str]


def codec(encoding: str) -> str:
    """The Python codec of an encoding name of this module ('UTF-8' reads a BOM too)."""
    return _CODECS[encoding]


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a file's bytes and the encoding it was read in; InputError when neither."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), UTF16
        except UnicodeDecodeError as exc:
            raise InputError(NOT_UTF16(path=path, byte=exc.start)) from exc
    try:
        return raw.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        return raw.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError:
        raise InputError(NOT_UTF8_NOR_1252(path=path, byte=utf8_error)) from None


def read_decoded(path: Path) -> tuple[str, str]:
    """The file as text and its encoding; InputError naming the file when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(CANNOT_READ(path=path, reason=exc.strerror)) from exc
    return decode(raw, path)


def read_text(path: Path) -> str:
    """The file as text (UTF-8, Windows-1252 or UTF-16 as `decode` finds)."""
    return read_decoded(path)[0]


def sniff_encoding(path: Path) -> str:
    """The encoding of a file too big to hold, found by reading it once in blocks."""
    with path.open("rb") as stream:
        first = stream.read(_BLOCK)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return UTF16
        decoder = codecs.getincrementaldecoder("utf-8")()
        block, offset = first, 0
        try:
            while block:
                decoder.decode(block)
                offset += len(block)
                block = stream.read(_BLOCK)
            decoder.decode(b"", final=True)
            return UTF8
        except UnicodeDecodeError as exc:
            utf8_error = offset + exc.start
        stream.seek(0)
        try:
            while block := stream.read(_BLOCK):
                block.decode("cp1252")  # one byte a character: blocks may be cut anywhere
        except UnicodeDecodeError:
            raise InputError(NOT_UTF8_NOR_1252(path=path, byte=utf8_error)) from None
    return WINDOWS_1252


def column_key(name: str) -> str:
    """'addr:street', 'Addr_Street' and 'addr street' are one column; 'Ändamål' is 'andamal'."""
    return fold(name).replace(" ", "_")


def twice(path: Path, header: Iterable[str], wanted: Iterable[str] | None = None) -> None:
    """InputError naming a column the header has twice (after column_key), of those `wanted`
    (column keys; default: every named column): which of the two to read would be a guess."""
    keys = None if wanted is None else set(wanted)
    seen: dict[str, tuple[int, str]] = {}
    for i, name in enumerate(header, start=1):
        key = column_key(name)
        if not key or (keys is not None and key not in keys):
            continue
        if key in seen:
            first, first_name = seen[key]
            other = "" if name == first_name else f", {name!r}"
            raise InputError(
                COLUMN_TWICE(path=path, name=first_name, first=first, second=i, other=other)
            )
        seen[key] = (i, name)


def delimiter_of(first_line: str) -> str:
    """Whichever of , ; or tab the header line uses most."""
    return max((",", ";", "\t"), key=first_line.count)


@contextmanager
def _parse_limit() -> Iterator[None]:
    """Let the csv module read fields up to PARSE_LIMIT, for as long as a file is read."""
    before = csv.field_size_limit(PARSE_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def csv_rows(
    lines: Iterable[str], delimiter: str, before: int = 1
) -> Iterator[tuple[str, list[str] | str]]:
    """('line N', cells) for each row after the header (`before` lines), or ('line N', error)
    for a row the csv module cannot read; N is the row's first line (a quoted field may hold
    line breaks). Rows with nothing in them (';;;' from Excel) are left out."""
    reader = csv.reader(lines, delimiter=delimiter)
    last = 0  # lines read up to the end of the row before; a row is named by its first line
    with _parse_limit():
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = str(exc)
                if "field larger than field limit" in reason:
                    reason = f"a field longer than {PARSE_LIMIT >> 20} MB (an unclosed quote?)"
                yield f"line {before + last + 1}", reason
                last = reader.line_num
                continue
            where, last = f"line {before + last + 1}", reader.line_num
            if any(c.strip() for c in cells):
                yield where, cells


def header_of(lines: Iterator[str], path: Path) -> tuple[list[str], str]:
    """The header cells (stripped) and the delimiter; InputError for an empty file."""
    first = next(lines, "")
    if not first.strip():
        raise InputError(EMPTY_FILE(path=path))
    delimiter = delimiter_of(first)
    with _parse_limit():
        try:
            header = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error as exc:
            raise InputError(HEADER_UNREADABLE(path=path, reason=exc)) from exc
    if any(len(h) > MAX_FIELD for h in header):
        raise InputError(HEADER_CELL_TOO_LONG(path=path))
    return [h.strip() for h in header], delimiter


#: What makes a spreadsheet read a cell as a formula (OWASP's list), and the mark cocoon's CSV
#: writer puts before such a cell so that a spreadsheet shows it as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def unmarked(cell: str) -> str:
    """A cell as it was before cocoon's CSV writer marked it as text ('=SUM… -> =SUM…)."""
    if cell.startswith(TEXT_MARK) and cell[1:2] and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def csv_records(text: str, path: Path | None = None) -> tuple[list[str], list[CsvRecord]]:
    """Header and rows by header name; a row the csv module cannot read has only ERROR.

    InputError when the header has a column twice; no header and no rows for an empty text.
    """
    if not text.strip():
        return [], []
    lines = iter(io.StringIO(text, newline=""))
    name = path or Path("CSV file")
    header, delimiter = header_of(lines, name)
    twice(name, header)
    records = []
    for where, cells in csv_rows(lines, delimiter):
        if isinstance(cells, str):
            records.append(CsvRecord(where, {ERROR: cells}))
            continue
        values = dict(zip(header, (unmarked(c) for c in cells), strict=False))
        if len(cells) > len(header):
            values[EXTRA] = delimiter.join(cells[len(header) :])
        records.append(CsvRecord(where, values))
    return header, records
