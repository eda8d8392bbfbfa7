"""What a map export shows, by profile: `internal` everything, `public` only generalised zones.

Pure: zones, burgled homes, signs and visit stops in; a Publication out. No clock, file or
database.

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
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.model import Level
from cocoon.core.risk import LiveReport, RiskRules, Zone
from cocoon.core.signs.plan import Sign
from cocoon.core.time import local_midnight
from cocoon.core.visits import Outcome, Stop

if TYPE_CHECKING:
    from cocoon.config import Settings


class Profile(StrEnum):
    """Who an export is for: the police themselves, or anyone (web site, residents' meeting)."""

    INTERNAL = "internal"
    PUBLIC = "public"


@dataclass(frozen=True)
class PublicRules:
    """How coarse the public zones are and how far their corners keep from burgled homes."""

    grid_m: float = 250.0
    clearance_m: float = 75.0

    @classmethod
    def from_settings(cls, settings: Settings) -> PublicRules:
        """The `[export]` settings section."""
        e = settings.export
        return cls(grid_m=e.public_grid_m, clearance_m=e.public_clearance_m)


@dataclass(frozen=True)
class ZoneShape:
    """One zone's area at one level, as a map draws it (metric CRS).

    `until` is when the level ends at the latest; `report_ids` is empty in public exports.
    """

    zone_id: str
    level: Level
    area: BaseGeometry
    until: datetime
    report_ids: tuple[str, ...] = ()

    def last_day(self, tz: tzinfo) -> date:
        """The local calendar day on which the level ends (the last day it holds)."""
        return (self.until - timedelta(microseconds=1)).astimezone(tz).date()


@dataclass(frozen=True)
class ReportPoint:
    """A live report on an internal map: where the burglary was, its level and zone."""

    live: LiveReport
    zone_id: str


class SignStatus(StrEnum):
    """Where a sign stands in its life on the map's day."""

    PLANNED = "planned"  # goes up on a later day
    UP = "up"
    COMING_DOWN = "coming_down"  # its take-down day has come


@dataclass(frozen=True)
class SignOnMap:
    sign: Sign
    status: SignStatus


def sign_status(sign: Sign, day: date, down_on: date | None = None) -> SignStatus:
    """Planned before its put-up day, coming down from its take-down day (or when taken down)."""
    if sign.put_up > day:
        return SignStatus.PLANNED
    if sign.take_down <= day or (down_on is not None and down_on <= day):
        return SignStatus.COMING_DOWN
    return SignStatus.UP


@dataclass(frozen=True)
class StopOnMap:
    """A planned door or stairwell visit and what the team found there (None: not yet)."""

    report_id: str
    zone_id: str
    sheet: int
    number: int
    stop: Stop
    outcome: Outcome | None = None
    visited_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class Publication:
    """What one export shows; the profile decided it, the renderers only draw it."""

    profile: Profile
    zones: tuple[ZoneShape, ...]
    reports: tuple[ReportPoint, ...] = ()
    signs: tuple[SignOnMap, ...] = ()
    stops: tuple[StopOnMap, ...] = ()
    grid_m: float | None = None  # public: the grid the zones are snapped to
    near_corners: int = 0  # public: zone corners within the clearance of a burgled home

    @property
    def shows_addresses(self) -> bool:
        """Register address points ("buildings") go under internal maps only."""
        return self.profile is Profile.INTERNAL

    def points(self) -> list[tuple[float, float]]:
        """Metric points of everything drawn as a point."""
        return [
            *((r.live.x, r.live.y) for r in self.reports),
            *((s.sign.x, s.sign.y) for s in self.signs),
            *((s.stop.x, s.stop.y) for s in self.stops),
        ]

    def frame(self, margin_m: float = 150.0) -> tuple[float, float, float, float] | None:
        """The metric box a map shows: everything published with a margin; None when empty.

        Public maps show zones only, so their frame is grid corners plus the margin.
        """
        boxes = [shapely.bounds(z.area) for z in self.zones]
        boxes += [np.array([x, y, x, y]) for x, y in self.points()]
        if not boxes:
            return None
        b = np.vstack(boxes)
        return (
            float(b[:, 0].min() - margin_m),
            float(b[:, 1].min() - margin_m),
            float(b[:, 2].max() + margin_m),
            float(b[:, 3].max() + margin_m),
        )


def publish(
    profile: Profile,
    zones: Sequence[Zone],
    homes: Sequence[tuple[float, float]],
    risk: RiskRules,
    public: PublicRules,
    signs: Sequence[SignOnMap] = (),
    stops: Sequence[StopOnMap] = (),
) -> Publication:
    """The export's content: internal keeps everything as it is; public keeps generalised
    zones only (no report, sign, stop or address), their corners kept clear of the burgled
    homes of the risk period (`homes`, metric points) where the grid allows."""
    if profile is Profile.PUBLIC:
        shapes = generalise(zones, homes, risk, public)
        near = corners_near(shapes, homes, public.clearance_m)
        return Publication(profile, shapes, grid_m=public.grid_m, near_corners=near)
    return Publication(
        profile,
        exact_zones(zones),
        reports=tuple(ReportPoint(live, z.zone_id) for z in zones for live in z.reports),
        signs=tuple(signs),
        stops=tuple(stops),
    )


def exact_zones(zones: Iterable[Zone]) -> tuple[ZoneShape, ...]:
    """Each zone's high and elevated areas as they are, with their report ids."""
    out = []
    for z in zones:
        for level, area, until in (
            (Level.HIGH, z.high, z.high_until),
            (Level.ELEVATED, z.elevated, z.elevated_until),
        ):
            if area is not None and until is not None:
                out.append(ZoneShape(z.zone_id, level, area, until, z.report_ids))
    return tuple(out)


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
