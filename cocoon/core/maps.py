"""What a map shows, by profile: `internal` everything, `public` only generalised zones.

Pure: zones, burgled homes, signs and visit stops in; the map's content out. The public
zones are made in `cocoon.core.public_map`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import numpy as np
import shapely

from cocoon.core.profile import Profile
from cocoon.core.public_map import PublicRules, corners_near, generalise
from cocoon.core.risk import LiveReport, RiskRules, Zone, ZoneShape
from cocoon.core.signs.rules import Sign
from cocoon.core.visits import Outcome, Stop


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
class MapContent:
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


def map_content(
    profile: Profile,
    zones: Sequence[Zone],
    homes: Sequence[tuple[float, float]],
    risk: RiskRules,
    public: PublicRules,
    signs: Sequence[SignOnMap] = (),
    stops: Sequence[StopOnMap] = (),
) -> MapContent:
    """The export's content: internal keeps everything as it is; public keeps generalised
    zones only (no report, sign, stop or address), their corners kept clear of the burgled
    homes of the risk period (`homes`, metric points) where the grid allows."""
    if profile is Profile.PUBLIC:
        shapes = generalise(zones, homes, risk, public)
        near = corners_near(shapes, homes, public.clearance_m)
        return MapContent(profile, shapes, grid_m=public.grid_m, near_corners=near)
    return MapContent(
        profile,
        exact_zones(zones),
        reports=tuple(ReportPoint(live, z.zone_id) for z in zones for live in z.reports),
        signs=tuple(signs),
        stops=tuple(stops),
    )


def exact_zones(zones: Iterable[Zone]) -> tuple[ZoneShape, ...]:
    """Each zone's high and elevated areas as they are, with their report ids."""
    return tuple(part for z in zones for part in z.parts())
