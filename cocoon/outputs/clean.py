"""Characters no output may carry: what XML 1.0 forbids and HTML counts as an error.

A stored value (a street name, a description) may hold a NUL or a vertical tab; one such
character makes a KML that no XML parser reads. Line breaks and tabs are kept.
"""

from __future__ import annotations

import re

#: C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates;
#: the noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_NOT_CARRIED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)
#: Controls that stand between words: a space keeps the words apart.
_SPACES = frozenset("\x0b\x0c")


def printable(text: str) -> str:
    """`text` without the characters above; a vertical tab or form feed becomes a space."""
    if _NOT_CARRIED.search(text) is None:
        return text
    return _NOT_CARRIED.sub(lambda m: " " if m.group() in _SPACES else "", text)
