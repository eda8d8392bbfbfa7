"""What every drawn map shares, whatever draws it (reportlab, matplotlib, SVG): the loaded roads
in the metric CRS with their names, their line widths by class, and the round lengths of a
scale bar."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from cocoon.core.geo import Projection
from cocoon.core.model import Road

_ROAD_WIDTH = {"motorway": 2.6, "trunk": 2.4, "primary": 2.2, "secondary": 1.9, "tertiary": 1.6}


PATH_CLASSES = {"footway", "path", "cycleway", "pedestrian", "steps", "track", "bridleway"}


def road_width(road_class: str) -> float:
    """Line width of a road class in points: main roads wide, paths thin."""
    return 0.6 if road_class in PATH_CLASSES else _ROAD_WIDTH.get(road_class, 1.2)


@dataclass(frozen=True)
class SheetRoads:
    """The roads in the metric CRS, projected once per roster; minor ones first, drawn under."""

    classes: tuple[str, ...]
    lines: NDArray[np.object_]
    bounds: NDArray[np.float64]
    names: tuple[str | None, ...] = ()

    @classmethod
    def of(cls, roads: Sequence[Road], projection: Projection) -> SheetRoads:
        drawable = (r for r in roads if len(r.coords) >= 2)
        kept = sorted(drawable, key=lambda r: road_width(r.road_class))
        if not kept:
            return cls((), np.empty(0, dtype=object), np.empty((0, 4)), ())
        lonlat = np.array([c for r in kept for c in r.coords], dtype=float)
        x, y = projection.to_metric(lonlat[:, 0], lonlat[:, 1])
        index = np.repeat(np.arange(len(kept)), [len(r.coords) for r in kept])
        lines = shapely.linestrings(np.column_stack([x, y]), indices=index)
        names = tuple(r.name for r in kept)
        return cls(tuple(r.road_class for r in kept), lines, shapely.bounds(lines), names)

    def within(
        self, x0: float, y0: float, x1: float, y1: float
    ) -> Iterator[tuple[str, NDArray[np.float64]]]:
        """(class, metric coordinates) of each road piece inside the box."""
        for _, road_class, coords in self.named_within(x0, y0, x1, y1):
            yield road_class, coords

    def named_within(
        self, x0: float, y0: float, x1: float, y1: float, named_only: bool = False
    ) -> Iterator[tuple[str | None, str, NDArray[np.float64]]]:
        """(name, class, metric coordinates) of each road piece inside the box."""
        b = self.bounds
        if not len(b):
            return
        inside = (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
        if named_only and self.names:
            inside &= np.array([bool(n) for n in self.names], dtype=bool)
        hit = np.flatnonzero(inside)
        parts, road = shapely.get_parts(
            shapely.clip_by_rect(self.lines[hit], x0, y0, x1, y1), return_index=True
        )
        coords, part = shapely.get_coordinates(parts, return_index=True)
        cuts = np.flatnonzero(np.diff(part)) + 1
        starts = np.concatenate([[0], cuts]).tolist()
        ends = np.concatenate([cuts, [len(part)]]).tolist()
        for start, end in zip(starts, ends, strict=True):
            if end - start >= 2:
                i = int(hit[road[part[start]]])
                yield (self.names[i] if self.names else None), self.classes[i], coords[start:end]


#: The round lengths (metres) a scale bar shows.
SCALE_LENGTHS = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000)


def scale_length(longest_m: float) -> int:
    """The longest round length a scale bar can show in `longest_m` metres (at least 10 m)."""
    return max((m for m in SCALE_LENGTHS if m <= longest_m), default=SCALE_LENGTHS[0])


def named_pieces(
    roads: SheetRoads, x0: float, y0: float, k: float, width: float, height: float
) -> Iterator[tuple[str, str, NDArray[np.float64]]]:
    """(name, class, map coordinates) of the named road pieces on a map `width` × `height`
    (points or pixels, y up) whose lower-left corner is metric (x0, y0), `k` units per metre."""
    box = (x0, y0, x0 + width / k, y0 + height / k)
    for name, road_class, coords in roads.named_within(*box, named_only=True):
        if name:
            yield name, road_class, (coords - (x0, y0)) * k
