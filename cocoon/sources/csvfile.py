"""Reading the CSV files people edit: UTF-8 (with or without BOM), comma, semicolon or tab."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from cocoon.errors import InputError

#: Key under which a record keeps the fields beyond the header (an unquoted delimiter, mostly).
EXTRA = "_extra"


@dataclass(frozen=True)
class CsvRecord:
    """One data row by header name, and where it stands in its file ('line 5')."""

    where: str
    values: dict[str, str]


def read_text(path: Path) -> str:
    """The file as text; InputError naming the file when it cannot be read or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def csv_records(text: str) -> tuple[list[str], list[CsvRecord]]:
    """Header and rows; the delimiter is whichever of , ; or tab the header line uses most."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    records = []
    for record in reader:
        values = {k: v for k, v in record.items() if k is not None and v is not None}
        if None in record:
            values[EXTRA] = delimiter.join(record[None])
        records.append(CsvRecord(f"line {reader.line_num}", values))
    return header, records
