"""Risk windows, levels and zones: the cocooning rules (README, "Zones: the rules"), kept here once.

Pure: functions of reports, an explicit instant and the rules. No clock, file or database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.geo import Projection, buffer
from cocoon.core.model import Level, Premises, Report
from cocoon.core.time import add_local_days


@dataclass(frozen=True)
class RiskRules:
    """The numbers of the method: radius, high period, further elevated period, what counts.

    No defaults here: the numbers (500 m, 14 + 42 days, the time zone) live in the settings
    model alone, and the app layer turns settings into rules (`cocoon.app.rules`).
    """

    radius_m: float
    high_risk_days: int
    elevated_risk_days: int  # counted after the high period
    counted_premises: frozenset[Premises]
    count_attempts: bool
    timezone: tzinfo

    @property
    def total_days(self) -> int:
        """Days from a report's risk start until its elevated level ends (14 + 42)."""
        return self.high_risk_days + self.elevated_risk_days

    @property
    def lookback(self) -> timedelta:
        """How far back a risk start can lie and still be live; a day's margin covers DST."""
        return timedelta(days=self.total_days + 1)


@dataclass(frozen=True)
class Window:
    """When a report's risk starts, when its high level ends and when its elevated level ends."""

    start: datetime
    high_until: datetime
    elevated_until: datetime

    def until(self, level: Level) -> datetime:
        """When `level` ends: the high level at `high_until`, the elevated at `elevated_until`."""
        return self.high_until if level is Level.HIGH else self.elevated_until


def risk_start(report: Report) -> datetime:
    """End of the offence window if known, else its start, else the time it was reported."""
    return report.occurred_to or report.occurred_from or report.reported_at


def burglary_days(report: Report, tz: tzinfo) -> tuple[date, date]:
    """First and last local calendar day the burglary may have happened (what paper shows)."""
    first = report.occurred_from or report.occurred_to or risk_start(report)
    last = report.occurred_to or first
    return first.astimezone(tz).date(), last.astimezone(tz).date()


def window(report: Report, rules: RiskRules) -> Window:
    """The report's high and elevated periods, counted in calendar days in the local zone."""
    start = risk_start(report)
    high_until = add_local_days(start, rules.high_risk_days, rules.timezone)
    elevated_until = add_local_days(start, rules.total_days, rules.timezone)
    return Window(start, high_until, elevated_until)


def level_in_window(win: Window, at: datetime) -> Level | None:
    """High in [start, high_until), elevated in [high_until, elevated_until), else none."""
    if win.start <= at < win.high_until:
        return Level.HIGH
    if win.high_until <= at < win.elevated_until:
        return Level.ELEVATED
    return None


#: Level codes of the array form, ordered as the levels rank.
NONE, ELEVATED, HIGH = 0, 1, 2


def level_codes(
    lag_days: npt.ArrayLike, known_before: npt.ArrayLike, high_days: int, elevated_days: int
) -> npt.NDArray[np.int8]:
    """`level_in_window` on arrays, for the analyses: the level codes of reports `lag_days` after
    their risk start — high in [0, high), elevated in [high, high + elevated) — where the police
    knew of them (`known_before`), else NONE."""
    lag = np.asarray(lag_days, dtype=np.float64)
    total = high_days + elevated_days
    code = np.where(lag < high_days, HIGH, np.where(lag < total, ELEVATED, NONE))
    return np.where((lag >= 0) & np.asarray(known_before, dtype=bool), code, NONE).astype(np.int8)


def counts(report: Report, rules: RiskRules) -> bool:
    """Whether the report can make a zone at all: counted premises, located, not withdrawn."""
    if report.retracted or not report.located:
        return False
    if report.premises not in rules.counted_premises:
        return False
    return rules.count_attempts or not report.attempt


def level_of(report: Report, at: datetime, rules: RiskRules) -> Level | None:
    """The level a report gives its buffer at `at`; none before the police knew of it."""
    if not counts(report, rules) or report.reported_at > at:
        return None
    return level_in_window(window(report, rules), at)


def highest(levels: Iterable[Level | None]) -> Level | None:
    """The highest of some levels: high beats elevated beats none."""
    present = [lvl for lvl in levels if lvl is not None]
    return min(present, key=list(Level).index) if present else None


@dataclass(frozen=True)
class LiveReport:
    """A report that gives a level at the instant asked, with its metric point."""

    report: Report
    level: Level
    window: Window
    x: float
    y: float

    @property
    def level_until(self) -> datetime:
        """When the report's present level ends."""
        return self.window.until(self.level)


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
class Zone:
    """Overlapping live buffers merged into one zone; `high` and `elevated` do not overlap."""

    zone_id: str
    reports: tuple[LiveReport, ...]  # oldest risk start first
    high: BaseGeometry | None
    elevated: BaseGeometry | None
    high_until: datetime | None
    elevated_until: datetime | None

    @property
    def level(self) -> Level:
        return Level.HIGH if self.high is not None else Level.ELEVATED

    @property
    def report_ids(self) -> tuple[str, ...]:
        return tuple(live.report.report_id for live in self.reports)

    @property
    def level_until(self) -> datetime:
        """When the zone's present level ends at the latest, barring new reports."""
        until = self.high_until if self.level is Level.HIGH else self.elevated_until
        return until if until is not None else self.ends

    @property
    def ends(self) -> datetime:
        """When the last of the zone's risk ends, barring new reports."""
        return max(live.window.elevated_until for live in self.reports)

    @property
    def then_elevated_until(self) -> datetime | None:
        """A high zone's elevated level after its high one ends, if it has one; else None."""
        if self.level is Level.HIGH and self.ends > self.level_until:
            return self.ends
        return None

    def parts(self) -> Iterator[ZoneShape]:
        """The zone's area per level, with when that level ends and its reports: high first.

        The elevated part excludes the high one, so each place has one level.
        """
        for level, area, until in (
            (Level.HIGH, self.high, self.high_until),
            (Level.ELEVATED, self.elevated, self.elevated_until),
        ):
            if area is not None and until is not None:
                yield ZoneShape(self.zone_id, level, area, until, self.report_ids)

    @property
    def area_m2(self) -> float:
        return float(sum(g.area for g in (self.high, self.elevated) if g is not None))


def live_reports(
    reports: Iterable[Report], at: datetime, rules: RiskRules, projection: Projection
) -> list[LiveReport]:
    """The reports that give a level at `at`, oldest first, with points in the metric CRS."""
    chosen = [(r, lvl) for r in reports if (lvl := level_of(r, at, rules)) is not None]
    if not chosen:
        return []
    lons = [r.lon for r, _ in chosen if r.lon is not None]  # counts() let only located ones in
    lats = [r.lat for r, _ in chosen if r.lat is not None]
    xs, ys = projection.to_metric(lons, lats)
    lives = [
        LiveReport(r, lvl, window(r, rules), float(x), float(y))
        for (r, lvl), x, y in zip(chosen, xs, ys, strict=True)
    ]
    lives.sort(key=lambda live: (live.window.start, live.report.report_id))
    return lives


def level_at(x: float, y: float, lives: Sequence[LiveReport], rules: RiskRules) -> Level | None:
    """The level at a metric point: the highest of every live report within the radius."""
    return highest(
        live.level for live in lives if np.hypot(live.x - x, live.y - y) <= rules.radius_m
    )


def zones_at(
    reports: Iterable[Report], at: datetime, rules: RiskRules, projection: Projection
) -> list[Zone]:
    """Merge the live buffers at `at` into zones with stable ids, oldest zone first.

    Buffers within 2 × radius of each other overlap and join one zone. A zone's id is the
    zone key of its oldest live report, so it survives merges with younger zones.
    """
    lives = live_reports(reports, at, rules, projection)
    if not lives:
        return []
    groups = _overlapping_groups(lives, rules.radius_m)
    zones = [_zone(members, rules) for members in groups]
    zones.sort(key=lambda z: (z.reports[0].window.start, z.zone_id))
    return zones


def _overlapping_groups(lives: Sequence[LiveReport], radius_m: float) -> list[list[LiveReport]]:
    points = shapely.points([live.x for live in lives], [live.y for live in lives])
    tree = shapely.STRtree(points)
    left, right = tree.query(points, predicate="dwithin", distance=2 * radius_m)
    parent = list(range(len(lives)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the older report's root wins
    groups: dict[int, list[LiveReport]] = {}
    for i, live in enumerate(lives):
        groups.setdefault(root(i), []).append(live)
    return list(groups.values())


def _zone(members: list[LiveReport], rules: RiskRules) -> Zone:
    oldest = members[0]
    if not oldest.report.zone_key:
        raise ValueError(f"report {oldest.report.report_id} has no zone key")
    high = [m for m in members if m.level is Level.HIGH]
    elevated = [m for m in members if m.level is Level.ELEVATED]
    high_area = _union(high, rules.radius_m)
    elevated_area = _union(elevated, rules.radius_m)
    if elevated_area is not None and high_area is not None:
        elevated_area = elevated_area.difference(high_area)
        if elevated_area.is_empty or elevated_area.area < 1.0:
            elevated_area = None
    return Zone(
        zone_id=oldest.report.zone_key,
        reports=tuple(members),
        high=high_area,
        elevated=elevated_area,
        high_until=max((m.window.high_until for m in high), default=None),
        elevated_until=(
            max(m.window.elevated_until for m in elevated) if elevated_area is not None else None
        ),
    )


def _union(members: Sequence[LiveReport], radius_m: float) -> BaseGeometry | None:
    if not members:
        return None
    return shapely.union_all([buffer(m.x, m.y, radius_m) for m in members])


def zone_area(zone: Zone) -> BaseGeometry:
    """Where the zone has a level: its high and elevated parts together."""
    parts = [g for g in (zone.high, zone.elevated) if g is not None]
    return shapely.union_all(parts)


def days_left(until: datetime, at: datetime) -> int:
    """Whole days until a level ends, rounded up: 'ends in 3 h' is '1 day left'."""
    return max(0, math.ceil((until - at).total_seconds() / 86400))
