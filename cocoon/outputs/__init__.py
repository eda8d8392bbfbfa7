"""Renderers: one per output format, registered by what they show and the format's name.

Each renderer takes one content record (zones at an instant, a visit roster, …) and returns
the file's bytes; the adapters write those bytes atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from cocoon.core.geo import Projection
from cocoon.core.model import Road
from cocoon.core.risk import Zone
from cocoon.core.visits import VisitPlan
from cocoon.errors import InputError
from cocoon.i18n import Language

if TYPE_CHECKING:
    from cocoon.core.daily import DailyList
    from cocoon.core.signs.plan import SignPlan


@dataclass(frozen=True)
class ZoneMap:
    """What a zone output shows: the zones at one instant, and how to present them."""

    zones: list[Zone]
    at: datetime
    projection: Projection
    tz: tzinfo
    language: Language = "sv"


@dataclass(frozen=True)
class Roster:
    """What a visit roster shows: one report's plan, the leaflet, and roads for the sheet maps.

    The leaflet's first line is its heading; paragraphs are separated by blank lines.
    """

    plan: VisitPlan
    projection: Projection
    tz: tzinfo
    leaflet: str
    language: Language = "sv"
    roads: tuple[Road, ...] = ()


@dataclass(frozen=True)
class SignSheet:
    """What a sign plan shows: the signs up on a day, what goes up and what comes down.

    Public paper: signs carry no report id, no burgled address and no burglary point.
    """

    plan: SignPlan
    projection: Projection
    tz: tzinfo
    language: Language = "sv"
    roads: tuple[Road, ...] = ()


@dataclass(frozen=True)
class DailyPaper:
    """What the daily zone list shows: the morning's list for patrols, on paper and phones.

    `area_name` is the service area's name for the heading. No report id, burgled address or
    burglary point is in the list.
    """

    daily: DailyList
    projection: Projection
    tz: tzinfo
    language: Language = "sv"
    area_name: str = ""


C = TypeVar("C")
_RENDERERS: dict[tuple[type, str], Callable[[Any], bytes]] = {}


def register(content: type[C], fmt: str) -> Callable[[Callable[[C], bytes]], Callable[[C], bytes]]:
    """Register a renderer of `content` records as format `fmt`."""

    def add(fn: Callable[[C], bytes]) -> Callable[[C], bytes]:
        _RENDERERS[(content, fmt)] = fn
        return fn

    return add


def render(fmt: str, content: object) -> bytes:
    """The file `fmt` makes of `content`; an unknown format is the user's error."""
    renderer = _RENDERERS.get((type(content), fmt))
    if renderer is None:
        known = ", ".join(formats(type(content)))
        raise InputError(f"unknown output format {fmt!r}; known: {known}")
    return renderer(content)


def formats(content: type) -> list[str]:
    return sorted(fmt for kind, fmt in _RENDERERS if kind is content)


from cocoon.outputs import (  # noqa: E402,F401  (register themselves)
    daily_csv,
    daily_html,
    daily_pdf,
    export_geojson,
    export_gpkg,
    export_html,
    export_kml,
    export_png,
    roster_csv,
    roster_pdf,
    signs_csv,
    signs_geojson,
    signs_pdf,
)
from cocoon.outputs import geojson as _geojson  # noqa: E402,F401  (registers itself)
