"""Renderers: one per output format, registered by name, each returning the file's bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from cocoon.errors import InputError
from cocoon.geo import Projection
from cocoon.i18n import Language
from cocoon.risk import Zone


@dataclass(frozen=True)
class ZoneMap:
    """What a zone output shows: the zones at one instant, and how to present them."""

    zones: list[Zone]
    at: datetime
    projection: Projection
    tz: tzinfo
    language: Language = "sv"


Renderer = Callable[[ZoneMap], bytes]
_RENDERERS: dict[str, Renderer] = {}


def register(fmt: str) -> Callable[[Renderer], Renderer]:
    def add(fn: Renderer) -> Renderer:
        _RENDERERS[fmt] = fn
        return fn

    return add


def render(fmt: str, content: ZoneMap) -> bytes:
    if fmt not in _RENDERERS:
        raise InputError(f"unknown output format {fmt!r}; known: {', '.join(sorted(_RENDERERS))}")
    return _RENDERERS[fmt](content)


def formats() -> list[str]:
    return sorted(_RENDERERS)


from cocoon.outputs import geojson as _geojson  # noqa: E402,F401  (registers itself)
