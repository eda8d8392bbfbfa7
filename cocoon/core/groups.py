"""Partner groups (Grannsamverkan, housing companies, other partners): which live zones reach a
group's area, what each group is owed, and the words of its message.

Pure: groups in the metric CRS, zones, the roads and register addresses around them and the
rules in; reaches, notices and texts out. A zone reaches a group when one of its live reports
lies within the zone radius of the group's area (a polygon, or the points of its addresses), by
planar distance as every membership; the group's level is the highest of those reports.

The rule kept here once: **one message per group and zone level**. A notice covers the reports
that brought its level into the group's area, and goes on covering the reports that join them
at that level while it lasts, however the zone grows, merges or is renamed. So a group hears of
high risk once per unbroken stretch of it in its area; a high message also says until when the
elevated level follows, so the turn from high to elevated is not news; when the area has fallen
back to elevated and a new burglary makes it high again, that is news. Elevated is told once,
and only to a group that has heard nothing of those reports (a late report, or groups loaded
while a zone was already elevated).

A message names streets, a level, a local date, the advice and whom to call: never a report id,
a burgled address, a time of day or a point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.daily import MAIN_STREETS, main_streets
from cocoon.core.model import Level
from cocoon.core.risk import LiveReport, RiskRules, Zone, highest, zone_area
from cocoon.core.roads import RoadLine
from cocoon.core.visits import Neighbour
from cocoon.i18n import Language, text

#: Swedish mobile numbers: 070, 072, 073, 076 and 079, then seven digits; written 07…,
#: +46 7… or 0046 7…, with or without the trunk zero in brackets, spaces and hyphens.
_MOBILE = re.compile(r"^(?:\+46|0046|0)(7[02369]\d{7})$")
_PHONE_NOISE = re.compile(r"\(0\)|[\s\-().]")
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")


class Channel(StrEnum):
    """How a contact person is reached."""

    EMAIL = "email"
    SMS = "sms"


#: The words people write for a channel.
CHANNEL_WORDS = {
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "epost": Channel.EMAIL,
    "e-post": Channel.EMAIL,
    "sms": Channel.SMS,
}


def swedish_mobile(number: str) -> str | None:
    """A Swedish mobile number in E.164 ('+46701234567'), or None when it is not one."""
    m = _MOBILE.match(_PHONE_NOISE.sub("", number))
    return f"+46{m.group(1)}" if m else None


def email_address(address: str) -> str | None:
    """The address when it looks like one ('name@domain.se'), else None."""
    address = address.strip()
    return address if _EMAIL.match(address) else None


@dataclass(frozen=True)
class Contact:
    """A contact person of a group: an e-mail address, or a mobile number in E.164 for SMS."""

    name: str
    channel: Channel
    to: str


@dataclass(frozen=True)
class Member:
    """One register address of a group given as a list of addresses, with its metric point."""

    address_id: str
    street: str
    x: float
    y: float


@dataclass(frozen=True)
class Group:
    """A partner group: its contacts and its area, a metric polygon or its addresses' points."""

    group_id: str
    name: str
    contacts: tuple[Contact, ...]
    polygon: BaseGeometry | None = None
    members: tuple[Member, ...] = ()
    language: Language | None = None  # None: the installation's language

    @cached_property
    def shape(self) -> BaseGeometry:
        """What a zone must come near: the polygon, else the points of the addresses."""
        if self.polygon is not None:
            return self.polygon
        return shapely.multipoints([(m.x, m.y) for m in self.members])

    @property
    def area_m2(self) -> float:
        """The polygon's area; 0 for a group of addresses."""
        return float(self.polygon.area) if self.polygon is not None else 0.0


@dataclass(frozen=True)
class Reach:
    """A live zone reaching a group's area, at the highest level it has there."""

    group: Group
    zone: Zone
    level: Level
    until: datetime  # when that level ends in the group's area, barring new reports
    then_elevated_until: datetime | None  # after a high level, when the elevated one ends
    reports: tuple[LiveReport, ...]  # the zone's reports that reach the group at that level

    @property
    def keys(self) -> frozenset[str]:
        """The zone keys of the reports that bring the level into the group's area."""
        return frozenset(live.report.zone_key for live in self.reports)

    @property
    def anchor(self) -> str:
        """The key of the oldest of them: two passes that judge alike name a notice alike."""
        return self.reports[0].report.zone_key


@dataclass(frozen=True)
class Told:
    """A notice a group has had: its level and the zone keys of the reports it covers."""

    notice_id: int
    group_id: str
    level: Level
    keys: frozenset[str]


@dataclass(frozen=True)
class Judgement:
    """What a pass owes (new notices) and which notices now cover more reports."""

    owed: list[Reach]
    covered: dict[int, frozenset[str]]  # notice id: all the keys it covers now


def reaches(groups: Sequence[Group], zones: Sequence[Zone], rules: RiskRules) -> list[Reach]:
    """Every (group, zone) where a live report of the zone lies within the radius of the
    group's area, with the highest level those reports give: groups in their order, then
    zones in theirs."""
    shapes = [g.shape for g in groups]
    shapely.prepare(shapes)
    out: list[Reach] = []
    for group, shape in zip(groups, shapes, strict=True):
        for zone in zones:
            reach = _reach(group, shape, zone, rules)
            if reach is not None:
                out.append(reach)
    return out


def _reach(group: Group, shape: BaseGeometry, zone: Zone, rules: RiskRules) -> Reach | None:
    points = shapely.points([(live.x, live.y) for live in zone.reports])
    near = shapely.dwithin(shape, points, rules.radius_m)
    reaching = [live for live, hit in zip(zone.reports, near.tolist(), strict=True) if hit]
    level = highest(live.level for live in reaching)
    if level is None:
        return None
    at_level = tuple(live for live in reaching if live.level is level)
    until = max(live.level_until for live in at_level)
    then = None
    if level is Level.HIGH:
        ends = max(live.window.elevated_until for live in reaching)
        then = ends if ends > until else None
    return Reach(group, zone, level, until, then, at_level)


def judge(found: Iterable[Reach], told: Iterable[Told]) -> Judgement:
    """The reaches no notice covers yet, and the notices that cover reports joining theirs.

    High is covered by a high notice sharing one of its reports; elevated by any notice
    sharing one (a high message said what follows). A covered reach extends the notices that
    cover it to its new reports, so one stretch of a level stays one notice.
    """
    past: dict[str, list[Told]] = {}
    for t in told:
        past.setdefault(t.group_id, []).append(t)
    owed: list[Reach] = []
    covered: dict[int, frozenset[str]] = {}
    for reach in found:
        notices = past.get(reach.group.group_id, [])
        if reach.level is Level.HIGH:
            notices = [t for t in notices if t.level is Level.HIGH]
        sharing = [t for t in notices if covered.get(t.notice_id, t.keys) & reach.keys]
        if not sharing:
            owed.append(reach)
        for t in sharing:
            keys = covered.get(t.notice_id, t.keys)
            if not reach.keys <= keys:
                covered[t.notice_id] = keys | reach.keys
    return Judgement(owed, covered)


def streets(
    reach: Reach,
    roads: Sequence[RoadLine],
    addresses: Sequence[Neighbour],
    rules: RiskRules,
    limit: int = MAIN_STREETS,
) -> tuple[str, ...]:
    """The streets a message names: for an area, the zone's main streets inside it at the
    level told; for a list of addresses, the streets of those within reach, most first."""
    group = reach.group
    if group.polygon is None:
        return _member_streets(reach, rules, limit)
    part = reach.zone.high if reach.level is Level.HIGH else zone_area(reach.zone)
    if part is None:
        return ()
    inside = shapely.intersection(part, group.polygon)
    if inside.is_empty:
        return ()
    return main_streets(inside, roads, addresses, limit)


def _member_streets(reach: Reach, rules: RiskRules, limit: int) -> tuple[str, ...]:
    members = reach.group.members
    if not members:
        return ()
    xy = np.array([(m.x, m.y) for m in members], dtype=float)
    near = np.zeros(len(members), dtype=bool)
    for live in reach.reports:
        near |= np.hypot(xy[:, 0] - live.x, xy[:, 1] - live.y) <= rules.radius_m
    counts = Counter(m.street.strip() for m, hit in zip(members, near.tolist(), strict=True) if hit)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(name for name, _ in ranked[:limit] if name)


@dataclass(frozen=True)
class GroupMessage:
    """The words one group gets: a subject (for e-mail) and the text (the whole SMS)."""

    subject: str
    body: str


def last_day(until: datetime, tz: tzinfo) -> date:
    """The local calendar day on which a level that ends at `until` holds for the last time."""
    return (until - timedelta(microseconds=1)).astimezone(tz).date()


def say_day(day: date, language: Language) -> str:
    """'4 december', 'December 4': a date a resident reads, without the year (it is near)."""
    month = text("group_months", language).split()[day.month - 1]
    return text("group_day", language, day=day.day, month=month)


def group_message(
    reach: Reach, named: Sequence[str], tz: tzinfo, language: Language
) -> GroupMessage:
    """The short message of a reach: where (streets), the level and its last day, what to do,
    whom to call. Nothing else: no report, address, time of day or point."""
    day = say_day(last_day(reach.until, tz), language)
    where = (
        text("group_where_streets", language, streets=", ".join(named))
        if named
        else text("group_where_area", language)
    )
    if reach.level is Level.HIGH:
        then = (
            text(
                "group_then",
                language,
                day=say_day(last_day(reach.then_elevated_until, tz), language),
            )
            if reach.then_elevated_until is not None
            else ""
        )
        head = text("group_high", language, group=reach.group.name, where=where, day=day, then=then)
    else:
        head = text("group_elevated", language, group=reach.group.name, where=where, day=day)
    body = "\n".join((head, text("group_advice", language), text("group_call", language)))
    subject = text("group_subject", language, level=text(reach.level.value, language), day=day)
    return GroupMessage(subject, body)
