"""Sign placement: where "Inbrott har skett i detta område" signs stand, from when, until when.

Pure: zones, metric road lines, the signs up from earlier runs and an explicit day in, a plan
out. A sign that is up stays where it is while its zone lives, so runs repeat each other; a
zone that grows gets more signs, one that shrinks or ends gets take-downs.

A run passes the zones at its instant (`cocoon.risk.zones_at`), the roads around them as
metric lines (`cocoon.sign_places.road_lines`), the signs the store holds as up, the points of
other recent burglaries, the local day and an id source; it stores `up` as the signs now up
and records `taken_down`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from cocoon.core.risk import LiveReport, Zone
from cocoon.core.signs.choice import ZonePlacer, nearest
from cocoon.core.signs.places import RoadLine, SignNetwork
from cocoon.core.time import local
from cocoon.core.visits import Neighbour
from cocoon.i18n import Language

if TYPE_CHECKING:
    from cocoon.config import Settings


@dataclass(frozen=True)
class SignRules:
    """How many signs a zone gets, how they keep apart, and which level's end takes them down."""

    first_signs: int = 2  # a zone of one report
    max_signs: int = 5  # a merged zone: one more per further report, up to this
    spacing_m: float = 150.0  # between any two signs that are up
    clearance_m: float = 100.0  # from every burgled home: a sign must not point at the victim
    on_road_m: float = 5.0  # a sign stands within this of a road or path
    entry_inset_m: float = 15.0  # how far inside the zone an entry-point sign stands
    take_down: Literal["elevated", "high"] = "elevated"

    @classmethod
    def from_settings(cls, settings: Settings) -> SignRules:
        """The `[signs]` settings section."""
        s = settings.signs
        return cls(
            first_signs=s.first_signs,
            max_signs=s.max_signs,
            spacing_m=s.spacing_m,
            clearance_m=s.clearance_m,
            on_road_m=s.on_road_m,
            entry_inset_m=s.entry_inset_m,
            take_down=s.take_down,
        )

    def count(self, reports: int) -> int:
        """Signs a zone of this many live reports gets."""
        return max(0, min(self.max_signs, self.first_signs + max(reports, 1) - 1))


@dataclass(frozen=True)
class Sign:
    """One sign: metric point, when it goes up and comes down, where a person finds it.

    `report_ids` are the reports of its zone at the last plan: the lineage that keeps the sign
    with its zone when the zone's id changes.
    """

    sign_id: str
    zone_id: str
    x: float
    y: float
    put_up: date
    take_down: date
    description: str
    on_road: bool
    report_ids: tuple[str, ...]


class TakeDownReason(StrEnum):
    """Why a sign comes down: the person taking it down, and the follow-up, want to know."""

    LEVEL_ENDS = "level_ends"  # the zone's level (elevated, or high by setting) ends
    ZONE_ENDED = "zone_ended"  # no live zone holds the sign any more
    OUTSIDE_ZONE = "outside_zone"  # its zone shrank away from it
    NEAR_BURGLARY = "near_burglary"  # a burglary happened within clearance_m of it
    ZONE_SHRANK = "zone_shrank"  # fewer live reports: more signs than the zone's count


@dataclass(frozen=True)
class TakeDown:
    """A sign that comes down on the plan's day (its `take_down`), and why."""

    sign: Sign
    reason: TakeDownReason


@dataclass(frozen=True)
class Shortfall:
    """A zone that got fewer signs than its count: no place left that keeps every rule."""

    zone_id: str
    wanted: int
    placed: int


@dataclass(frozen=True)
class SignPlan:
    """The signs after a run: up (kept and new) and those that come down on `day`.

    A sign whose level ends on `day` is among `taken_down`, so `up` holds the signs that still
    stand tomorrow; `without_roads` are the zones whose new signs stand on their inner ring.
    """

    day: date
    zones: tuple[Zone, ...]
    up: tuple[Sign, ...]
    new: tuple[Sign, ...]
    taken_down: tuple[TakeDown, ...]
    short: tuple[Shortfall, ...] = ()
    without_roads: tuple[str, ...] = ()


def zone_area(zone: Zone) -> BaseGeometry:
    """Where the zone has a level: its high and elevated parts together."""
    parts = [g for g in (zone.high, zone.elevated) if g is not None]
    return shapely.union_all(parts)


def sign_until(zone: Zone, rules: SignRules, tz: tzinfo) -> date:
    """The local day the zone's signs come down: when its elevated (or high) level ends."""
    if rules.take_down == "high":
        end = max(live.window.high_until for live in zone.reports)
    else:
        end = max(live.window.elevated_until for live in zone.reports)
    return local(end, tz).date()


def signs_due(signs: SignPlan | Iterable[Sign], day: date) -> tuple[list[Sign], list[Sign]]:
    """The signs that go up on `day` and those that come down on it."""
    if isinstance(signs, SignPlan):
        signs = [*signs.up, *(t.sign for t in signs.taken_down)]
    listed = sorted(signs, key=lambda s: (s.zone_id, s.sign_id))
    return [s for s in listed if s.put_up == day], [s for s in listed if s.take_down == day]


def plan_signs(
    zones: Sequence[Zone],
    roads: Sequence[RoadLine] | SignNetwork,
    existing: Sequence[Sign],
    burgled: Sequence[tuple[float, float]],
    today: date,
    tz: tzinfo,
    rules: SignRules,
    new_id: Callable[[], str],
    language: Language = "sv",
    addresses: Sequence[Neighbour] = (),
) -> SignPlan:
    """Keep the signs that are up where they still fit, take down the rest, place what is missing.

    `existing` are the signs up from earlier runs; `burgled` the metric points of burglaries
    besides those of the zones (late reports, other premises); `addresses` the register points
    used only where no road runs through a zone.
    """
    network = roads if isinstance(roads, SignNetwork) else SignNetwork(roads)
    areas = {z.zone_id: zone_area(z) for z in zones}
    for area in areas.values():
        shapely.prepare(area)
    homes = np.array(
        [*burgled, *((live.x, live.y) for z in zones for live in z.reports)], dtype=float
    ).reshape(-1, 2)
    kept, taken = _keep(existing, zones, areas, homes, rules, today, tz)
    standing = [(s.x, s.y) for signs in kept.values() for s in signs]
    new: list[Sign] = []
    short, bare = [], []
    for zone in zones:
        slots = _slots(zone, rules)[len(kept[zone.zone_id]) :]
        if not slots:
            continue
        placer = ZonePlacer(zone, areas[zone.zone_id], network, homes, rules, language)
        if not placer.on_road:
            placer.use_ring([(n.address.label, n.x, n.y) for n in addresses])
            bare.append(zone.zone_id)
        until = sign_until(zone, rules, tz)
        placed = 0
        for live in slots:
            put_up = max(today, local(live.report.reported_at, tz).date() + timedelta(days=1))
            found = placer.place(live, standing) if put_up < until else None
            if found is None:
                continue
            x, y, text = found
            sign = Sign(
                new_id(), zone.zone_id, x, y, put_up, until, text, placer.on_road, zone.report_ids
            )
            new.append(sign)
            standing.append((x, y))
            placed += 1
        if placed < len(slots):
            wanted = len(slots) + len(kept[zone.zone_id])
            short.append(Shortfall(zone.zone_id, wanted, wanted - len(slots) + placed))
    order = {z.zone_id: i for i, z in enumerate(zones)}
    up = sorted(
        [*(s for signs in kept.values() for s in signs), *new],
        key=lambda s: (order[s.zone_id], s.put_up, s.sign_id),
    )
    return SignPlan(
        today, tuple(zones), tuple(up), tuple(new), tuple(taken), tuple(short), tuple(bare)
    )


def _slots(zone: Zone, rules: SignRules) -> list[LiveReport]:
    """The report each of the zone's signs is for: the first report's signs, then one each."""
    first, *later = zone.reports
    return ([first] * rules.first_signs + later)[: rules.count(len(zone.reports))]


def _keep(
    existing: Sequence[Sign],
    zones: Sequence[Zone],
    areas: dict[str, BaseGeometry],
    homes: NDArray[np.float64],
    rules: SignRules,
    today: date,
    tz: tzinfo,
) -> tuple[dict[str, list[Sign]], list[TakeDown]]:
    """Which signs that are up stay (moved to their zone's current id and end), which come down.

    Of a zone with more signs than its count now, those nearest its live reports stay.
    """
    kept: dict[str, list[Sign]] = {z.zone_id: [] for z in zones}
    taken: list[TakeDown] = []

    def down(signs: Iterable[Sign], reason: TakeDownReason) -> None:
        taken.extend(TakeDown(replace(s, take_down=today), reason) for s in signs)

    for sign in existing:
        home = _lineage(sign, zones, areas)
        if isinstance(home, TakeDownReason):
            down([sign], home)
        elif nearest(sign.x, sign.y, homes) < rules.clearance_m:
            down([sign], TakeDownReason.NEAR_BURGLARY)
        else:
            kept[home.zone_id].append(sign)
    for zone in zones:
        signs = kept[zone.zone_id]
        until = sign_until(zone, rules, tz)
        if until <= today:
            down(signs, TakeDownReason.LEVEL_ENDS)
            signs.clear()
            continue
        reports = np.array([(live.x, live.y) for live in zone.reports])
        signs.sort(key=lambda s: (nearest(s.x, s.y, reports), s.sign_id))
        count = rules.count(len(zone.reports))
        down(signs[count:], TakeDownReason.ZONE_SHRANK)
        signs[:] = sorted(
            (
                replace(s, zone_id=zone.zone_id, report_ids=zone.report_ids, take_down=until)
                for s in signs[:count]
            ),
            key=lambda s: (s.put_up, s.sign_id),
        )
    return kept, taken


def _lineage(
    sign: Sign, zones: Sequence[Zone], areas: dict[str, BaseGeometry]
) -> Zone | TakeDownReason:
    """The zone a sign belongs to now: the one sharing most of its reports that covers it,
    else any zone it stands in; else why it comes down (its zone shrank away, or ended)."""
    ids = set(sign.report_ids)
    point = shapely.Point(sign.x, sign.y)
    covering = [z for z in zones if areas[z.zone_id].covers(point)]
    shared = sorted(
        (z for z in zones if ids & set(z.report_ids)), key=lambda z: -len(ids & set(z.report_ids))
    )
    inside = {z.zone_id for z in covering}
    for zone in shared:
        if zone.zone_id in inside:
            return zone
    if covering:
        return covering[0]
    return TakeDownReason.OUTSIDE_ZONE if shared else TakeDownReason.ZONE_ENDED
