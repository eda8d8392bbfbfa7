"""The daily zone list patrols read each morning: every active zone, and today's signs.

Pure: zones, metric roads, register addresses, the signs due and an explicit instant in; a
list out. It goes on paper and phones, so it holds no report id, burgled address or burglary
point: zones are named by the streets they cover, signs lose the report ids they carry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.model import Level
from cocoon.core.risk import Zone, days_left, zone_area
from cocoon.core.roads import RoadLine, busyness, is_walkable, name_parts
from cocoon.core.signs.rules import Sign
from cocoon.core.visits import Neighbour

#: A report counts as new on the list when it was reported within this time before the run.
NEW_WITHIN = timedelta(hours=24)
#: How many street names say where a zone is: more do not fit a line on paper or a phone.
MAIN_STREETS = 3


class _Streets:
    """Named roads and register addresses indexed once, to name every zone of a list.

    Motorways and trunk roads are left out (`is_walkable`): nobody lives on them, and as the
    busiest classes they would name every zone they cross.
    """

    def __init__(self, roads: Sequence[RoadLine], addresses: Sequence[Neighbour]) -> None:
        named = [
            (r, parts)
            for r in roads
            if (parts := name_parts(r.name))
            and is_walkable(r.road_class)
            and len(np.asarray(r.xy)) >= 2
        ]
        self.names = [parts for _, parts in named]
        self.weights = [busyness(r.road_class) for r, _ in named]
        self.lines = np.array(
            [shapely.linestrings(np.asarray(r.xy, dtype=float)[:, :2]) for r, _ in named],
            dtype=object,
        )
        self.tree = shapely.STRtree(self.lines)
        self.addresses = addresses
        self.xy = np.array([(n.x, n.y) for n in addresses], dtype=float).reshape(-1, 2)

    def main(self, area: BaseGeometry, limit: int) -> tuple[str, ...]:
        """The area's main streets: by roads if any named road runs inside it, else by homes."""
        return self._by_roads(area, limit) or self._by_addresses(area, limit)

    def _by_roads(self, area: BaseGeometry, limit: int) -> tuple[str, ...]:
        """Length inside the area times the class's traffic rank, summed over a name's ways."""
        hits = self.tree.query(area, predicate="intersects")
        if not len(hits):
            return ()
        lengths = shapely.length(shapely.intersection(self.lines[hits], area))
        score: dict[str, float] = {}
        for i, length in zip(hits.tolist(), lengths.tolist(), strict=True):
            for name in self.names[i]:
                score[name] = score.get(name, 0.0) + length * self.weights[i]
        # rounded so that float noise in clipping does not decide between equal streets
        ranked = sorted(
            ((round(s, 1), name) for name, s in score.items() if s > 0),
            key=lambda item: (-item[0], item[1]),
        )
        return tuple(name for _, name in ranked[:limit])

    def _by_addresses(self, area: BaseGeometry, limit: int) -> tuple[str, ...]:
        """The streets with most register addresses inside the area."""
        if not len(self.xy):
            return ()
        inside = shapely.intersects_xy(area, self.xy[:, 0], self.xy[:, 1])
        counts = Counter(
            street
            for n, hit in zip(self.addresses, inside.tolist(), strict=True)
            if hit and (street := n.address.street.strip())
        )
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return tuple(name for name, _ in ranked[:limit])


def main_streets(
    area: BaseGeometry,
    roads: Sequence[RoadLine],
    addresses: Sequence[Neighbour],
    limit: int = MAIN_STREETS,
) -> tuple[str, ...]:
    """The names of the main streets an area covers: how a patrol knows where a zone is.

    Named roads inside the area rank by their length inside it times their class's traffic
    rank, one entry per name; with no named road inside, the streets of the register addresses
    inside rank by their number of addresses. Ties go by name; empty when nothing is known.
    """
    return _Streets(roads, addresses).main(area, limit)


@dataclass(frozen=True)
class DailyZone:
    """One active zone as the daily list shows it: where, how high, how long, how busy."""

    zone_id: str
    level: Level
    streets: tuple[str, ...]
    level_until: datetime
    days_left: int
    reports: int
    new_reports: int  # reported in the 24 h before the list's instant
    then_elevated_until: datetime | None  # a high zone's elevated level after it, if any
    area_m2: float


@dataclass(frozen=True)
class DailyList:
    """The morning's list: active zones, most urgent first, and the signs due today.

    The signs carry no report ids: the list goes on paper and phones.
    """

    day: date
    at: datetime
    zones: tuple[DailyZone, ...]
    put_up: tuple[Sign, ...]
    take_down: tuple[Sign, ...]

    @property
    def high(self) -> int:
        return sum(z.level is Level.HIGH for z in self.zones)

    @property
    def elevated(self) -> int:
        return sum(z.level is Level.ELEVATED for z in self.zones)

    @property
    def with_new_reports(self) -> int:
        return sum(z.new_reports > 0 for z in self.zones)


def daily_zone(zone: Zone, at: datetime, streets: tuple[str, ...]) -> DailyZone:
    """A zone's line on the list; a report counts as new in (at − 24 h, at]."""
    until = zone.level_until
    new = sum(at - NEW_WITHIN < live.report.reported_at <= at for live in zone.reports)
    return DailyZone(
        zone_id=zone.zone_id,
        level=zone.level,
        streets=streets,
        level_until=until,
        days_left=days_left(until, at),
        reports=len(zone.reports),
        new_reports=new,
        then_elevated_until=zone.then_elevated_until,
        area_m2=float(zone_area(zone).area),
    )


def _urgency(zone: DailyZone) -> tuple[bool, int, int, str]:
    """New reports first, then high before elevated, then the level that ends soonest."""
    return (zone.new_reports == 0, list(Level).index(zone.level), zone.days_left, zone.zone_id)


def daily_list(
    day: date,
    at: datetime,
    zones: Sequence[Zone],
    roads: Sequence[RoadLine],
    addresses: Sequence[Neighbour],
    put_up: Sequence[Sign],
    take_down: Sequence[Sign],
) -> DailyList:
    """The list for local `day`, made at `at`: zones most urgent first, signs by zone in order.

    `put_up` and `take_down` are the signs due on `day` (`cocoon.core.signs.rules.signs_due`);
    they are listed in the order of their zones, signs of zones no longer active last.
    """
    streets = _Streets(roads, addresses)
    lines = sorted(
        (daily_zone(z, at, streets.main(zone_area(z), MAIN_STREETS)) for z in zones), key=_urgency
    )
    order = {z.zone_id: i for i, z in enumerate(lines)}

    def listed(signs: Sequence[Sign]) -> tuple[Sign, ...]:
        ranked = sorted(
            signs,
            key=lambda s: (order.get(s.zone_id, len(order)), s.zone_id, s.put_up, s.sign_id),
        )
        return tuple(replace(s, report_ids=()) for s in ranked)

    return DailyList(day, at, tuple(lines), listed(put_up), listed(take_down))
