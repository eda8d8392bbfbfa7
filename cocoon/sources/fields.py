"""Field values as people write them in Swedish exports, read once for every input format."""

from __future__ import annotations

import math
from collections.abc import Mapping

from cocoon.errors import RowError
from cocoon.sources.reasons import NOT_A_NUMBER, NOT_FINITE, PAIR_MISSING


def number(values: Mapping[str, str | None], name: str) -> float | None:
    """A number as written in Sweden too ('56,66', '6 283 000'); None when empty."""
    text = values.get(name)
    if not text:
        return None
    try:
        value = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise RowError(name, NOT_A_NUMBER(text=text)) from None
    if not math.isfinite(value):
        raise RowError(name, NOT_FINITE(text=text))
    return value


def pair(values: Mapping[str, str | None], a: str, b: str) -> tuple[float, float] | None:
    """Two fields that go together (lat/lon, easting/northing); one alone is an error."""
    first, second = number(values, a), number(values, b)
    if first is None and second is None:
        return None
    if first is None or second is None:
        raise RowError(a if first is None else b, PAIR_MISSING(a=a, b=b))
    return first, second
