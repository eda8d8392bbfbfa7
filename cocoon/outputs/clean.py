"""Characters no output may carry: what XML 1.0 forbids and HTML counts as an error.

A stored value (a street name, a description) may hold a NUL or a vertical tab; one such
character makes a KML that no XML parser reads. Line breaks and tabs are kept.
"""

from __future__ import annotations

import re

#: C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates;
#: the noncharacters (U+FDD0-U+FDEF and the last two code points of every plane). Planes 1 to 16
#: are matched from U+1FFFE as one range, which is quicker than listing their noncharacters;
#: `_drop` keeps what else that range holds.
_NOT_CARRIED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)
#: Controls that stand between words: a space keeps the words apart.
_SPACES = frozenset("\x0b\x0c")


def printable(text: str) -> str:
    """`text` without the characters above; a vertical tab or form feed becomes a space."""
    if _NOT_CARRIED.search(text) is None:
        return text
    return _NOT_CARRIED.sub(_drop, text)


def _drop(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SPACES:
        return " "
    if ord(char) > 0xFFFF and ord(char) & 0xFFFE != 0xFFFE:
        return char  # a character of planes 2 to 16 (CJK, mostly): kept
    return ""
