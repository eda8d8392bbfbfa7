"""The road network's classes (how busy, whether walkable) and its lines in the metric CRS.

Pure. Door visits walk the walkable classes, sign placement favours the busier ones, the daily
list names a zone after its main streets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cocoon.core.geo import Projection
from cocoon.core.model import Road


@dataclass(frozen=True)
class RoadClass:
    """One OSM `highway` value: `busy` ranks traffic (higher is busier), `walkable` for visits."""

    name: str
    busy: int
    walkable: bool


def _classes(*names: str) -> tuple[RoadClass, ...]:
    """Classes from the busiest down; motorways and trunk roads are not walked."""
    no_walking = {"motorway", "motorway_link", "trunk", "trunk_link"}
    return tuple(
        RoadClass(name, len(names) - i, name not in no_walking) for i, name in enumerate(names)
    )


#: The road classes kept from any source, busiest first (a link ranks just below its road).
#: `road` is OSM's "a road of unknown class": kept, ranked with the minor roads. `trail` is not
#: a standard value but is mapped (Helsinki: 159 ways) for paths people walk.
ROAD_CLASSES: tuple[RoadClass, ...] = _classes(
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
    "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified", "road",
    "residential", "living_street", "pedestrian", "service", "track", "cycleway", "footway",
    "path", "trail", "steps",
)  # fmt: skip


_BY_NAME = {c.name: c for c in ROAD_CLASSES}


#: `highway` values that are no way to walk or drive now (planned, gone, inside buildings, ...).
NOT_ROADS = frozenset(
    {
        "proposed", "construction", "abandoned", "disused", "razed", "platform", "raceway",
        "bus_guideway", "corridor", "elevator",
    }
)  # fmt: skip


#: Vertices closer than this (metres) are one node, so lines that touch are connected.
GRID_M = 0.1


def normalise_road_class(value: str) -> str:
    """'Motorway Link' and 'footway;cycleway' become 'motorway_link' and 'footway'."""
    first = value.split(";")[0].strip().lower()
    return "_".join(first.replace("-", " ").split())


def road_class(name: str) -> RoadClass | None:
    """The kept class of a normalised name; None for classes the network leaves out."""
    return _BY_NAME.get(name)


def is_walkable(name: str) -> bool:
    found = _BY_NAME.get(name)
    return found is not None and found.walkable


def busyness(name: str) -> int:
    """Traffic rank of a class for sign placement: higher is busier, 0 for unknown classes."""
    found = _BY_NAME.get(name)
    return found.busy if found else 0


def project_lines(
    roads: Iterable[Road], projection: Projection
) -> list[tuple[str, NDArray[np.float64]]]:
    """(class, metric xy) of each road, projected in one call."""
    roads = list(roads)
    if not roads:
        return []
    lonlat = np.concatenate([np.asarray(r.coords, dtype=float) for r in roads])
    x, y = projection.to_metric(lonlat[:, 0], lonlat[:, 1])
    xy = np.column_stack([x, y])
    cuts = np.cumsum([len(r.coords) for r in roads])[:-1]
    return [(r.road_class, part) for r, part in zip(roads, np.split(xy, cuts), strict=True)]


@dataclass(frozen=True)
class RoadLine:
    """One road or path in the metric CRS: class (OSM `highway` value), name, vertices (n, 2)."""

    road_class: str
    name: str | None
    xy: NDArray[np.float64]


def road_lines(roads: Iterable[Road], projection: Projection) -> list[RoadLine]:
    """Stored WGS 84 roads as metric lines with their names, projected in one call."""
    roads = list(roads)
    projected = project_lines(roads, projection)
    return [RoadLine(c, r.name, xy) for r, (c, xy) in zip(roads, projected, strict=True)]


def name_parts(name: str | None) -> list[str]:
    """The names of a road: OSM writes two names of one way as 'A; B'."""
    return [part.strip() for part in (name or "").split(";") if part.strip()]
