"""The public map's zones: generalised to a coarse grid so that no burgled home can be told.

Pure: zones and the metric points of the burgled homes of the risk period in, zone shapes out.

The public zones are built so that no burgled home can be told from them. A 500 m circle
around one report reveals its centre, so the public map never draws a report's circle:
each report is snapped to the cell of a fixed coarse grid (`grid_m`, 250 m) that holds it,
and its public zone is the set of grid cells that a circle of the risk radius around *that
cell's centre* touches. The shape therefore depends on which cell the home lies in, never
on where in the cell: every home in the same 6 ha cell gives the same map. Zones are then
dissolved per level across the whole map (each place has one level, high wins); each
connected group of cells is one zone with a part per level, named after its oldest zone.
Their "until" is rounded up to the end of the local day, so the time of day of a burglary
does not show either.

Every vertex of such a shape is a corner of the grid, which is the same for everyone and
says nothing about a home. Still, a corner that happens to lie near a burgled home of the
risk period would look like a pointer to anyone scanning the file, so the grid is shifted
through a fixed list of offsets (quarter cells) and the first offset whose corners all lie
farther than `clearance_m` from every burgled home is used. Where burglaries are so dense
that no offset clears them all, the offset with the fewest such corners is used and their
number is reported. The choice of offset tells at most a few bits about the whole map, never
a place.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.model import Level
from cocoon.core.risk import LiveReport, RiskRules, Zone, ZoneShape
from cocoon.core.time import local_midnight


@dataclass(frozen=True)
class PublicRules:
    """How coarse the public zones are and how far their corners keep from burgled homes."""

    grid_m: float
    clearance_m: float


def generalise(
    zones: Sequence[Zone],
    homes: Sequence[tuple[float, float]],
    risk: RiskRules,
    public: PublicRules,
) -> tuple[ZoneShape, ...]:
    """The zones as unions of grid cells around each report's cell (see the module notes)."""
    lives = sorted(
        ((z.zone_id, live) for z in zones for live in z.reports),
        key=lambda zl: (zl[1].window.start, zl[1].report.report_id),
    )
    if not lives:
        return ()
    stencil = _stencil(risk.radius_m, public.grid_m)
    best: tuple[int, tuple[ZoneShape, ...]] | None = None
    for offset in grid_offsets(public.grid_m):
        shapes = _cell_zones(lives, stencil, public.grid_m, offset, risk.timezone)
        near = corners_near(shapes, homes, public.clearance_m)
        if near == 0:
            return shapes
        if best is None or near < best[0]:
            best = (near, shapes)
    assert best is not None
    return best[1]


def grid_offsets(grid_m: float) -> list[tuple[float, float]]:
    """The grid origins tried in turn: the plain grid first, then quarter-cell shifts."""
    steps = [0, 2, 1, 3]
    return [(grid_m * i / 4, grid_m * j / 4) for i, j in itertools.product(steps, steps)]


def corners_near(
    shapes: Iterable[ZoneShape], homes: Sequence[tuple[float, float]], clearance_m: float
) -> int:
    """How many vertices of the shapes lie within `clearance_m` of some burgled home."""
    coords = [shapely.get_coordinates(s.area) for s in shapes]
    if not homes or not coords:
        return 0
    tree = shapely.STRtree(shapely.points(np.asarray(homes, dtype=float)))
    corners = np.unique(np.vstack(coords), axis=0)  # a ring's first corner is also its last
    hits = tree.query(shapely.points(corners), predicate="dwithin", distance=clearance_m)
    return len(np.unique(hits[0]))


Cell = tuple[int, int]


def _stencil(radius_m: float, grid_m: float) -> list[Cell]:
    """Cells, relative to a report's cell, that a radius circle around its centre touches."""
    reach = math.ceil(radius_m / grid_m + 0.5)
    r = radius_m / grid_m
    return [
        (di, dj)
        for di in range(-reach, reach + 1)
        for dj in range(-reach, reach + 1)
        if math.hypot(max(abs(di) - 0.5, 0.0), max(abs(dj) - 0.5, 0.0)) < r
    ]


def _cell_zones(
    lives: Sequence[tuple[str, LiveReport]],
    stencil: Sequence[Cell],
    g: float,
    offset: tuple[float, float],
    tz: tzinfo,
) -> tuple[ZoneShape, ...]:
    ox, oy = offset
    blocks: list[set[Cell]] = []
    for _, live in lives:
        i, j = math.floor((live.x - ox) / g), math.floor((live.y - oy) / g)
        blocks.append({(i + di, j + dj) for di, dj in stencil})
    by_level = {
        level: [k for k, (_, live) in enumerate(lives) if live.level is level] for level in Level
    }
    high: set[Cell] = set().union(*(blocks[k] for k in by_level[Level.HIGH]))
    elevated: set[Cell] = set().union(*(blocks[k] for k in by_level[Level.ELEVATED])) - high
    cells = {Level.HIGH: high, Level.ELEVATED: elevated}
    shapes: list[tuple[int, ZoneShape]] = []
    for cluster in _components(high | elevated):
        oldest = min(k for k, block in enumerate(blocks) if block & cluster)
        for level in Level:
            part = cells[level] & cluster
            if not part:
                continue
            ends = [lives[k][1].window.until(level) for k in by_level[level] if blocks[k] & part]
            shape = ZoneShape(
                zone_id=lives[oldest][0],
                level=level,
                area=_cells_area(part, g, ox, oy),
                until=_end_of_day(max(ends), tz),
            )
            shapes.append((oldest, shape))
    shapes.sort(key=lambda ks: (ks[0], list(Level).index(ks[1].level)))
    return tuple(s for _, s in shapes)


def _components(cells: set[Cell]) -> list[set[Cell]]:
    """Groups of cells joined by a side or a corner, in a fixed order."""
    left = set(cells)
    out = []
    for start in sorted(cells):
        if start not in left:
            continue
        left.discard(start)
        part, todo = {start}, [start]
        while todo:
            i, j = todo.pop()
            for n in ((i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)):
                if n in left:
                    left.discard(n)
                    part.add(n)
                    todo.append(n)
        out.append(part)
    return out


def _cells_area(cells: Iterable[Cell], g: float, ox: float, oy: float) -> BaseGeometry:
    """The union of the cells' squares: corners only, no vertex midway along a side."""
    boxes = [
        shapely.box(ox + i * g, oy + j * g, ox + (i + 1) * g, oy + (j + 1) * g) for i, j in cells
    ]
    merged = shapely.simplify(shapely.union_all(boxes), 0.0)
    return shapely.normalize(merged)


def _end_of_day(moment: datetime, tz: tzinfo) -> datetime:
    """The end of the local day `moment` falls in (itself if it is a local midnight)."""
    wall = moment.astimezone(tz)
    if wall.time() == time(0):
        return moment
    return local_midnight(wall.date() + timedelta(days=1), tz)
