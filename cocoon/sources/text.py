"""What text a field may hold: printable Unicode of any script, no control characters.

Ids, names and addresses end up in log lines, mail headers, CSV and PDF files: a newline in a
report id would forge a line of the alert log. Allowed: letters of any script (å, ä, ö),
digits, punctuation, symbols and spaces (also the no-break space) inside a value. Refused:
control characters (NUL, tab, newline, carriage return, vertical tab, escape, DEL and the C1
range), line and paragraph separators (U+2028, U+2029), the bidirectional controls that can make
text read otherwise than it is stored (U+202A-U+202E, U+2066-U+2069) and lone surrogates. A field
is at most 128 KB.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from cocoon.errors import RowError
from cocoon.sources.reasons import CONTROL_CHARACTER, LONGER_THAN_FIELD

#: The longest field cocoon reads, in characters (Python's csv default field_size_limit).
MAX_FIELD = 128 * 1024
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
#: Line breaks and tabs a free-text note may have (a cell written over several lines in Excel).
_SPACING = str.maketrans({c: " " for c in "\t\n\v\f\r\x85\u2028\u2029"})


def refused_character(text: str) -> str | None:
    """'U+000A' for the first character a field may not hold, else None."""
    if text.isprintable():  # the common case, in C: every refused character is non-printable
        return None
    for char in text:
        if unicodedata.category(char) in _REFUSED_CATEGORIES or char in _BIDI_CONTROLS:
            return f"U+{ord(char):04X}"
    return None


def check_text(name: str, text: str | None) -> None:
    """RowError naming the field when its text is too long or holds a refused character."""
    if not text:
        return
    if len(text) > MAX_FIELD:
        raise RowError(name, LONGER_THAN_FIELD(length=len(text)))
    code = refused_character(text)
    if code is not None:
        raise RowError(name, CONTROL_CHARACTER(code=code))


def check_fields(values: Mapping[str, str | None], names: Iterable[str] | None = None) -> None:
    """check_text on each field of `names` (default: every field), in order."""
    for name in values if names is None else names:
        value = values.get(name)
        if isinstance(value, str):
            check_text(name, value)


def one_line_note(text: str) -> str:
    """A free-text note on one line: line breaks and tabs become spaces, runs of spaces one."""
    return " ".join(text.translate(_SPACING).split())
