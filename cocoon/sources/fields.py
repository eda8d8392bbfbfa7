"""Field values as people write them in Swedish exports, read once for every input format."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cocoon.errors import RowError


def number(values: Mapping[str, str | None], name: str) -> float | None:
    """A number as written in Sweden too ('56,66', '6 283 000'); None when empty."""
    text = values.get(name)
    if not text:
        return None
    try:
        value = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise RowError(name, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise RowError(name, f"{text!r} is not a finite number")
    return value


def pair(values: Mapping[str, str | None], a: str, b: str) -> tuple[float, float] | None:
    """Two fields that go together (lat/lon, easting/northing); one alone is an error."""
    first, second = number(values, a), number(values, b)
    if first is None and second is None:
        return None
    if first is None or second is None:
        raise RowError(a if first is None else b, f"missing: {a} and {b} go together")
    return first, second


def json_kind(value: Any) -> str:
    """'an object', 'an array', 'a number' …: what a JSON value is, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else type(value).__name__
