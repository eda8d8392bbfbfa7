"""What a sign is and the rules it keeps: how many a zone gets, how they keep apart, when they
come down, and the plan a run leaves behind.

Pure: plain records and the rules' arithmetic; the placement itself is in `plan`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, tzinfo
from enum import StrEnum
from typing import Literal

from cocoon.core.model import Level
from cocoon.core.risk import Zone
from cocoon.core.time import local


@dataclass(frozen=True)
class SignRules:
    """How many signs a zone gets, how they keep apart, and which level's end takes them down."""

    first_signs: int  # a zone of one report
    max_signs: int  # a merged zone: one more per further report, up to this
    spacing_m: float  # between any two signs that are up
    clearance_m: float  # from every burgled home: a sign must not point at the victim
    on_road_m: float  # a sign stands within this of a road or path
    entry_inset_m: float  # how far inside the zone an entry-point sign stands
    take_down: Literal["elevated", "high"]  # which level's end takes the signs down

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


def sign_until(zone: Zone, rules: SignRules, tz: tzinfo) -> date:
    """The local day the zone's signs come down: when its elevated (or high) level ends."""
    level = Level.HIGH if rules.take_down == "high" else Level.ELEVATED
    return local(max(live.window.until(level) for live in zone.reports), tz).date()


@dataclass(frozen=True)
class SignTicks:
    """What the field app's ticks say: the local day each sign was ticked as put up (`up`) and
    as taken down (`down`), and the first day anyone ticked a sign (`since`; None on paper)."""

    up: Mapping[str, date] = field(default_factory=dict)
    down: Mapping[str, date] = field(default_factory=dict)
    since: date | None = None


def signs_due(
    signs: SignPlan | Iterable[Sign], day: date, ticks: SignTicks | None = None
) -> tuple[list[Sign], list[Sign]]:
    """The signs that go up on `day` and those that come down on it.

    With ticks, a list follows them: a sign planned since ticking began and not ticked as put
    up stays on the put-up list while it should stand; one ticked up but not taken down stays
    on the take-down list after its day. A sign ticked on `day` itself stays listed, ticked.
    """
    if isinstance(signs, SignPlan):
        signs = [*signs.up, *(t.sign for t in signs.taken_down)]
    t = ticks or SignTicks()
    listed = sorted(signs, key=lambda s: (s.zone_id, s.sign_id))

    def open_on(ticked: Mapping[str, date], s: Sign) -> bool:
        return ticked.get(s.sign_id, day) == day

    def going_up(s: Sign) -> bool:
        late = t.since is not None and t.since <= s.put_up < day < s.take_down
        return s.put_up == day or (late and open_on(t.up, s))

    def coming_down(s: Sign) -> bool:
        left = s.take_down < day and s.sign_id in t.up
        return s.take_down == day or (left and open_on(t.down, s))

    return [s for s in listed if going_up(s)], [s for s in listed if coming_down(s)]
