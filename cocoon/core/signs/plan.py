"""Sign placement: where "Inbrott har skett i detta område" signs stand, from when, until when.

Pure: zones, metric road lines, the signs up from earlier runs and an explicit day in, a plan
out. A sign that is up stays where it is while its zone lives, so runs repeat each other; a
zone that grows gets more signs, one that shrinks or ends gets take-downs.

A run passes the zones at its instant (`cocoon.core.risk.zones_at`), the roads around them as
metric lines (`cocoon.core.roads.road_lines`), the signs the store holds as up, the points of
other recent burglaries, the local day and an id source; it stores `up` as the signs now up
and records `taken_down`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta, tzinfo

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from cocoon.core.risk import LiveReport, Zone, zone_area
from cocoon.core.roads import RoadLine
from cocoon.core.signs.choice import ZonePlacer, nearest
from cocoon.core.signs.places import SignNetwork
from cocoon.core.signs.rules import (
    Shortfall,
    Sign,
    SignPlan,
    SignRules,
    TakeDown,
    TakeDownReason,
    sign_until,
)
from cocoon.core.time import local
from cocoon.core.visits import Neighbour
from cocoon.i18n import Language


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
