"""Door visits after a burglary: which neighbours, in what walking order, on which sheet.

Pure: works on register addresses already projected to the metric CRS and an explicit set of
addresses that other plans have taken; the store and the clock stay in the adapters.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from cocoon.core.addressing import fold, number_key, street_key
from cocoon.core.model import Address, Dwelling, Level, Report
from cocoon.core.risk import RiskRules, Zone, counts, level_of
from cocoon.core.walking import CostFn, straight_line_costs, walking_order
from cocoon.messages import Message, Text


class VisitKind(StrEnum):
    """A small house gets a knock on the door, a block of flats one notice in its stairwell."""

    DOOR = "door"
    STAIRWELL = "stairwell"


class Outcome(StrEnum):
    """What the team found at a stop; a stop without an outcome is pending."""

    VISITED = "visited"
    NOT_HOME = "not_home"  # leaflet left
    DECLINED = "declined"


@dataclass(frozen=True)
class VisitRules:
    """Who is visited and how the roster is cut; the numbers come from the `[visits]` settings."""

    radius_m: float
    cap: int  # stops per report
    sheet_size: int  # stops a team does in one round
    revisit_days: int  # an address planned or visited this recently is not listed again
    victim_match_m: float  # register points this near a burgled home are that home
    same_side_bonus_m: float
    unknown_dwelling: VisitKind


def gets_visits(level: Level) -> bool:
    """Door visits follow a fresh burglary: only a report at high risk gets a roster."""
    return level is Level.HIGH


def revisit_since(now: datetime, rules: VisitRules) -> datetime:
    """Addresses planned or visited for another report since this instant are not listed."""
    return now - timedelta(days=rules.revisit_days)


@dataclass(frozen=True)
class Neighbour:
    """A register address with its position in the metric CRS."""

    address: Address
    x: float
    y: float


@dataclass(frozen=True)
class BurgledHome:
    """Where a burglary happened: never a stop on anyone's roster."""

    x: float
    y: float
    address_id: str | None = None


@dataclass(frozen=True)
class Stop:
    """One door or stairwell to visit; `covers` are the register ids it stands for."""

    address_id: str
    label: str
    kind: VisitKind
    distance_m: int
    x: float
    y: float
    lon: float
    lat: float
    covers: tuple[str, ...]
    same_side: bool = False


@dataclass(frozen=True)
class Sheet:
    """One round for one team: stops in walking order, numbered from 1 on the paper."""

    number: int
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class VisitPlan:
    """The visits planned for one report: what the roster prints (never the burgled address)."""

    report_id: str
    zone_id: str
    burglary_from: date
    burglary_to: date
    planned_at: datetime
    sheets: tuple[Sheet, ...]

    @property
    def stops(self) -> list[Stop]:
        return [stop for sheet in self.sheets for stop in sheet.stops]


@dataclass(frozen=True)
class ZoneVisits:
    """How far the visits of one active zone have come."""

    zone: Zone
    planned_reports: int
    stops: int
    outcomes: Counter[Outcome | None]

    @property
    def pending(self) -> int:
        return self.outcomes[None]

    @property
    def done(self) -> int:
        return self.outcomes[Outcome.VISITED] + self.outcomes[Outcome.DECLINED]

    @property
    def not_home(self) -> int:
        return self.outcomes[Outcome.NOT_HOME]


def _leading_number(number: str) -> int | None:
    m = re.match(r"\d+", number.strip())
    return int(m.group()) if m else None


#: Street names and numbers repeat across a register: fold each spelling once.
_street_key = lru_cache(maxsize=1 << 16)(street_key)
_number_key = lru_cache(maxsize=1 << 16)(number_key)
_fold = lru_cache(maxsize=1 << 12)(fold)


def _door_key(a: Address) -> tuple[str, str, str]:
    """Entries of one street number are one door or one stairwell, whatever the register lists."""
    return _street_key(a.street), _number_key(a.number), _fold(a.town or "")


def select_stops(
    origin: tuple[float, float],
    victim_address_id: str | None,
    neighbours: Sequence[Neighbour],
    taken: Collection[str],
    rules: VisitRules,
    other_burgled: Sequence[BurgledHome] = (),
) -> list[Stop]:
    """Residential doors within the visit radius, best first, at most `rules.cap` of them.

    Leaves out the burgled address (by register id, or within `victim_match_m` of the report's
    point), the homes of `other_burgled` reports the same way, and every door whose address
    another plan took in the last `revisit_days`. A door on the burgled address's side of its
    street counts `same_side_bonus_m` nearer.
    """
    if not neighbours:
        return []
    ox, oy = origin
    xy = np.array([(n.x, n.y) for n in neighbours], dtype=float)
    distance = np.hypot(xy[:, 0] - ox, xy[:, 1] - oy)
    inside = np.flatnonzero(distance <= rules.radius_m)
    homes = _homes_in_reach(origin, victim_address_id, other_burgled, rules)
    at_a_home = np.zeros(len(inside), dtype=bool)
    for h in homes:
        at_a_home |= np.hypot(xy[inside, 0] - h.x, xy[inside, 1] - h.y) <= rules.victim_match_m
    burgled_ids = (victim_address_id, *(h.address_id for h in other_burgled))
    left_out = set(taken) | {i for i in burgled_ids if i}
    doors: dict[tuple[str, str, str], list[int]] = {}
    blocked: set[tuple[str, str, str]] = set()
    for i, burgled in zip(inside.tolist(), at_a_home.tolist(), strict=True):
        a = neighbours[i].address
        key = _door_key(a)
        doors.setdefault(key, []).append(i)
        if burgled or a.address_id in left_out:
            blocked.add(key)
    home = _burgled_home(neighbours, distance, inside, victim_address_id, rules.victim_match_m)
    ranked = []
    for key, members in doors.items():
        if key in blocked:
            continue
        best = min(members, key=lambda i: (distance[i], neighbours[i].address.address_id))
        same = _same_side(neighbours[best].address, home)
        metres = round(float(distance[best]))
        rank = metres - (rules.same_side_bonus_m if same else 0.0)
        ranked.append((rank, metres, neighbours[best].address.address_id, best, members, same))
    ranked.sort(key=lambda r: r[:3])
    return [
        _stop(neighbours, best, members, metres, same, rules)
        for _, metres, _, best, members, same in ranked[: rules.cap]
    ]


def _homes_in_reach(
    origin: tuple[float, float],
    victim_address_id: str | None,
    other_burgled: Sequence[BurgledHome],
    rules: VisitRules,
) -> list[BurgledHome]:
    """This report's home and the other burgled homes that could lie among its neighbours."""
    reach = rules.radius_m + rules.victim_match_m
    ox, oy = origin
    others = [h for h in other_burgled if math.hypot(h.x - ox, h.y - oy) <= reach]
    return [BurgledHome(ox, oy, victim_address_id), *others]


def _burgled_home(
    neighbours: Sequence[Neighbour],
    distance: NDArray[np.float64],
    inside: NDArray[np.intp],
    victim_address_id: str | None,
    match_m: float,
) -> Address | None:
    """The register address of the burgled home: by its id, else the nearest within match_m."""
    indices: list[int] = inside.tolist()
    for i in indices:
        if neighbours[i].address.address_id == victim_address_id:
            return neighbours[i].address
    close = [i for i in indices if distance[i] <= match_m]
    return neighbours[min(close, key=lambda i: float(distance[i]))].address if close else None


def _same_side(a: Address, home: Address | None) -> bool:
    """Same street and the same parity of number: Swedish streets keep odd and even apart."""
    if home is None or _street_key(a.street) != _street_key(home.street):
        return False
    mine, theirs = _leading_number(a.number), _leading_number(home.number)
    return mine is not None and theirs is not None and mine % 2 == theirs % 2


def _stop(
    neighbours: Sequence[Neighbour],
    best: int,
    members: list[int],
    metres: int,
    same_side: bool,
    rules: VisitRules,
) -> Stop:
    first = neighbours[best]
    a = first.address
    dwellings = {neighbours[i].address.dwelling for i in members}
    if Dwelling.FLERBOSTADSHUS in dwellings:
        kind = VisitKind.STAIRWELL
    elif Dwelling.SMAHUS in dwellings:
        kind = VisitKind.DOOR
    else:
        kind = rules.unknown_dwelling
    return Stop(
        address_id=a.address_id,
        label=a.label,
        kind=kind,
        distance_m=metres,
        x=first.x,
        y=first.y,
        lon=a.lon,
        lat=a.lat,
        covers=tuple(sorted(neighbours[i].address.address_id for i in members)),
        same_side=same_side,
    )


#: Why a report gets no visit plan, said after "report K1 …" ("anmälan K1 …").
NO_VISITS_WITHDRAWN = Text(
    "visits_withdrawn", "är återkallad; den får inga besök", "is withdrawn; it gets no visits"
)
NO_VISITS_UNLOCATED = Text(
    "visits_unlocated",
    "har ingen plats än; placera den med `cocoon locate`",
    "has no location yet; place it with `cocoon locate`",
)
NO_VISITS_NOT_COUNTED = Text(
    "visits_not_counted",
    "({premises}) ger ingen riskzon med inställningarna",
    "({premises}) does not make a zone under the settings",
)
NO_VISITS_ATTEMPT_NOT_COUNTED = Text(
    "visits_attempt_not_counted",
    "({premises}, försök) ger ingen riskzon med inställningarna",
    "({premises}, attempt) does not make a zone under the settings",
)
NO_VISITS_OVER = Text(
    "visits_over",
    "har ingen aktiv riskzon {at} UTC (dess {days} dagar har gått ut)",
    "has no live zone at {at} UTC (its {days} days are over)",
)


def why_no_visits(report: Report, at: datetime, rules: RiskRules) -> Message | None:
    """Why a report gets no visit plan at `at`, or None when it may get one."""
    if report.retracted:
        return NO_VISITS_WITHDRAWN()
    if not report.located:
        return NO_VISITS_UNLOCATED()
    if not counts(report, rules):
        text = NO_VISITS_ATTEMPT_NOT_COUNTED if report.attempt else NO_VISITS_NOT_COUNTED
        return text(premises=report.premises.value)
    if level_of(report, at, rules) is None:
        return NO_VISITS_OVER(at=f"{at:%Y-%m-%d %H:%M}", days=rules.total_days)
    return None


def awaiting_visits(zones: Sequence[Zone], planned: Collection[str]) -> list[str]:
    """Reports at high risk without a plan, oldest first: the first burglary of a street claims
    its doors. Visits follow a fresh burglary; a report already at elevated risk gets none."""
    return [
        live.report.report_id
        for zone in zones
        for live in zone.reports
        if gets_visits(live.level) and live.report.report_id not in planned
    ]


def split_sheets(route: Sequence[Stop], sheet_size: int) -> tuple[Sheet, ...]:
    """Cut a walking route into rounds of at most `sheet_size` stops, as even as possible.

    Sheets are consecutive pieces of one route, so each starts where the one before ended.
    """
    if not route:
        return ()
    count = math.ceil(len(route) / sheet_size)
    base, extra = divmod(len(route), count)
    sheets, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        sheets.append(Sheet(i + 1, tuple(route[start : start + size])))
        start += size
    return tuple(sheets)


def route_stops(
    origin: tuple[float, float], stops: Sequence[Stop], costs: CostFn = straight_line_costs
) -> list[Stop]:
    """The stops in walking order from the burgled home's street, by the given walking costs."""
    if len(stops) < 2:
        return list(stops)
    points = np.array([(s.x, s.y) for s in stops], dtype=float)
    order = walking_order(costs(origin, points))
    return [stops[i] for i in order]


def plan_visits(
    report_id: str,
    zone_id: str,
    burglary: tuple[date, date],
    planned_at: datetime,
    origin: tuple[float, float],
    victim_address_id: str | None,
    neighbours: Sequence[Neighbour],
    taken: Collection[str],
    rules: VisitRules,
    costs: CostFn = straight_line_costs,
    other_burgled: Sequence[BurgledHome] = (),
) -> VisitPlan:
    """Select the doors, order them into a walk and cut the walk into sheets."""
    stops = select_stops(origin, victim_address_id, neighbours, taken, rules, other_burgled)
    route = route_stops(origin, stops, costs)
    return VisitPlan(
        report_id=report_id,
        zone_id=zone_id,
        burglary_from=burglary[0],
        burglary_to=burglary[1],
        planned_at=planned_at,
        sheets=split_sheets(route, rules.sheet_size),
    )
