"""What the register readers share: column names people write, cell values, layer choice."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pyogrio import list_layers

from cocoon.core.addressing import fold
from cocoon.errors import InputError
from cocoon.sources.csvfile import column_key
from cocoon.sources.reasons import NO_LAYERS, NO_SUCH_LAYER

__all__ = ["cell_text", "column_key", "column_map", "one_line", "pick_layer"]


def column_map(
    header: Iterable[str], candidates: Mapping[str, Sequence[str]]
) -> dict[str, list[int]]:
    """Field -> positions of the columns that may hold it, best first (names as column_key)."""
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(column_key(name), i)
    found = {
        key: [positions[c] for c in names if c in positions] for key, names in candidates.items()
    }
    return {key: where for key, where in found.items() if where}


def cell_text(value: Any) -> str | None:
    """A field value as text; None for empty and NaN, '12' (not '12.0') for whole floats."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).strip()
    return text or None


def pick_layer(path: Path, layer: str | None, words: Sequence[str], geometry: str) -> str:
    """The named layer, else the only one, one whose name has one of `words`, or the first
    layer of the `geometry` kind ('point', 'line')."""
    layers = [(str(n), str(g)) for n, g in list_layers(str(path))]
    names = [n for n, _ in layers]
    if not layers:
        raise InputError(NO_LAYERS(path=path))
    if layer is not None:
        if layer not in names:
            raise InputError(NO_SUCH_LAYER(path=path, layer=layer, names=", ".join(names)))
        return layer
    if len(layers) == 1:
        return names[0]
    for name in names:
        if any(word in fold(name) for word in words):
            return name
    of_kind = [n for n, g in layers if geometry in g.lower()]
    return of_kind[0] if of_kind else names[0]


def one_line(exc: BaseException) -> str:
    """The first line of an error from GDAL or the file system, for a one-line message."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
