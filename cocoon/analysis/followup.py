"""The medborgarlöfte follow-up: burglaries per month against a reference period, the work done
(zones, rosters, door visits, signs) and the near-repeats, from plain records.

    from cocoon.analysis.followup import parse_period, follow_up
    figures = follow_up(parse_period("2026"), reports, plans, stops, signs, rules, projection)
    figures.burglaries.to_frame()          # pandas, when installed

Counting follows the zones: a burglary counts when `cocoon.core.risk.counts` says it makes a zone
(counted premises, attempts as set, located, not withdrawn), in the local month its risk started
(the end of the offence window, else its start, else the report: the month it happened). Zones
opened are the core's `zones_at` where a report became live; a near-repeat is a burglary within
the radius of a report the police knew of strictly before it, at its high or elevated level
(cocoon.analysis.replay's arrays of the core's rule). Pure: no database, file or clock.
"""

from __future__ import annotations

import importlib
import re
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from cocoon.analysis.replay import History, levels, local_days, nearest_lags
from cocoon.core.geo import Projection
from cocoon.core.model import Level, Report
from cocoon.core.risk import (
    HIGH,
    NONE,
    RiskRules,
    counts,
    live_reports,
    risk_start,
    window,
    zones_at,
)
from cocoon.core.time import local, local_midnight
from cocoon.core.visits import Outcome, VisitKind
from cocoon.errors import InputError
from cocoon.messages import Text

PeriodKind = Literal["year", "tertial", "quarter", "month", "dates"]

#: The years a period may name: as the command line's dates (cocoon.cli.common.YEARS).
YEARS = (1900, 2999)
#: Public tables show a count below this as "< 5" (see `public_measures`).
SMALL = 5
#: The steps of a roster's timing that the follow-up reports, in hours after the report.
WITHIN_HOURS = (24, 48)

# --- periods -----------------------------------------------------------------------------------

NOT_A_PERIOD = Text(
    "followup_not_a_period",
    "{text!r} är ingen period: ange 2026 (år), 2026-T1…T3 (tertial), 2026-Q1…Q4 (kvartal), "
    "2026-03 (månad) eller 2026-01-01..2026-06-30 (datum)",
    "{text!r} is not a period: give 2026 (year), 2026-T1…T3 (tertial), 2026-Q1…Q4 (quarter), "
    "2026-03 (month) or 2026-01-01..2026-06-30 (dates)",
)
NOT_A_DAY = Text(
    "followup_not_a_day", "{text!r}: {day!r} är inget datum", "{text!r}: {day!r} is not a date"
)
ENDS_BEFORE_START = Text(
    "followup_ends_before_start",
    "{text!r}: perioden slutar före den börjar",
    "{text!r}: the period ends before it starts",
)
YEAR_OUTSIDE = Text(
    "followup_year_outside",
    "{text!r} ligger utanför åren {first}–{last}",
    "{text!r} is outside the years {first}–{last}",
)
MONTHS_DIFFER = Text(
    "followup_months_differ",
    "referensperioden {reference} har {reference_months} månader, perioden {period} "
    "{period_months}: ange en referens lika lång, eller ett år (samma dagar det året)",
    "the reference period {reference} has {reference_months} months, the period {period} "
    "{period_months}: give a reference of the same length, or a year (the same days that year)",
)
REFERENCE_NEEDS_MONTHS = Text(
    "followup_reference_needs_months",
    "en referensfil har hela månader: perioden {period} börjar eller slutar mitt i en månad",
    "a reference file holds whole months: the period {period} starts or ends inside a month",
)
REFERENCE_MONTH_MISSING = Text(
    "followup_reference_month_missing",
    "{file}: månaden {month} saknas (referens {reference} för perioden {period})",
    "{file}: no row for {month} (reference {reference} for the period {period})",
)
REFERENCE_LENGTH = Text(
    "followup_reference_length",
    "{file} har {file_months} månader, perioden {period} {period_months}: "
    "välj referensåret med --reference ÅR",
    "{file} has {file_months} months, the period {period} {period_months}: "
    "choose the reference year with --reference YEAR",
)
REFERENCE_GAP = Text(
    "followup_reference_gap",
    "{file}: månaden {month} saknas mellan {first} och {last}",
    "{file}: no row for {month} between {first} and {last}",
)
REFERENCE_NOT_A_YEAR = Text(
    "followup_reference_not_a_year",
    "med en referensfil väljer --reference ett år (t.ex. 2015), inte {text!r}",
    "with a reference file, --reference chooses a year (e.g. 2015), not {text!r}",
)


class PeriodError(InputError, ValueError):
    """A period, or a reference for it, that cannot be used: one line, in either language."""


class Month(NamedTuple):
    """A calendar month; `label` is its ISO form, 2026-03."""

    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)


@dataclass(frozen=True)
class Period:
    """Local calendar days first … last (inclusive), as the follow-up names them."""

    first: date
    last: date
    label: str
    kind: PeriodKind

    @property
    def months(self) -> tuple[Month, ...]:
        """The calendar months the period touches, in order (the first and last may be part)."""
        out, month = [], Month.of(self.first)
        while month.first <= self.last:
            out.append(month)
            month = month.next()
        return tuple(out)

    @property
    def whole_months(self) -> bool:
        return self.first.day == 1 and (self.last + timedelta(days=1)).day == 1

    @property
    def number(self) -> int:
        """The tertial's, quarter's or month's number in its year (1 for a year or dates)."""
        return {"tertial": (self.first.month + 3) // 4, "quarter": (self.first.month + 2) // 3,
                "month": self.first.month}.get(self.kind, 1)  # fmt: skip

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[start, end): local midnight of the first day to local midnight after the last."""
        return local_midnight(self.first, tz), local_midnight(self.last + timedelta(days=1), tz)

    def days(self) -> int:
        return (self.last - self.first).days + 1

    def in_year(self, year: int) -> Period:
        """The same days in another year (29 February becomes the 28th); a year stays a year."""
        first, last = _same_day(self.first, year), _same_day(self.last, year + self.span_years)
        label = re.sub(r"^\d{4}", str(year), self.label) if self.kind != "dates" else ""
        return Period(first, last, label or f"{first.isoformat()}..{last.isoformat()}", self.kind)

    @property
    def span_years(self) -> int:
        return self.last.year - self.first.year


def _same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return date(year, 2, 28)


_YEAR = re.compile(r"^(\d{4})$")
_PART = re.compile(r"^(\d{4})-([TtQqKk])(\d)$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATES = re.compile(r"^(\S+)\s*\.\.\s*(\S+)$")


def parse_period(text: str) -> Period:
    """2026 (year), 2026-T1…T3 (tertial: Jan–Apr, May–Aug, Sep–Dec), 2026-Q1…Q4 (quarter; K1…K4
    too), 2026-03 (month) or 2026-01-01..2026-06-30 (dates, both days included)."""
    s = text.strip()
    if m := _YEAR.match(s):
        year = _year(int(m[1]), text)
        return Period(date(year, 1, 1), date(year, 12, 31), s, "year")
    if m := _PART.match(s):
        year, letter, n = _year(int(m[1]), text), m[2].upper(), int(m[3])
        size, kind, mark = (4, "tertial", "T") if letter == "T" else (3, "quarter", "Q")
        if not 1 <= n <= 12 // size:
            raise PeriodError(NOT_A_PERIOD(text=text))
        first = date(year, (n - 1) * size + 1, 1)
        last = Month(year, n * size).next().first - timedelta(days=1)
        return Period(first, last, f"{year}-{mark}{n}", kind)  # type: ignore[arg-type]
    if m := _MONTH.match(s):
        year, month = _year(int(m[1]), text), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(NOT_A_PERIOD(text=text))
        first = date(year, month, 1)
        return Period(first, Month.of(first).next().first - timedelta(days=1), s, "month")
    if m := _DATES.match(s):
        first, last = _day(m[1], text), _day(m[2], text)
        if last < first:
            raise PeriodError(ENDS_BEFORE_START(text=text))
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}", "dates")
    raise PeriodError(NOT_A_PERIOD(text=text))


def _year(year: int, text: str) -> int:
    if not YEARS[0] <= year <= YEARS[1]:
        raise PeriodError(YEAR_OUTSIDE(text=text, first=YEARS[0], last=YEARS[1]))
    return year


def _day(part: str, text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
        raise PeriodError(NOT_A_PERIOD(text=text))
    try:
        day = date.fromisoformat(part)
    except ValueError:
        raise PeriodError(NOT_A_DAY(text=text, day=part)) from None
    _year(day.year, text)
    return day


# --- the reference -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The reference's counts, one per month of the period and in its order; `label` names it."""

    label: str
    months: tuple[Month, ...]
    counts: tuple[int, ...]


def reference_period(period: Period, reference: Period) -> Period:
    """The days the reference stands for: a year given for a shorter period means the period's
    own days in that year; any other reference must have as many months as the period."""
    if reference.kind == "year" and period.kind != "year":
        return period.in_year(reference.first.year)
    if len(reference.months) != len(period.months):
        raise PeriodError(
            MONTHS_DIFFER(
                reference=reference.label, reference_months=len(reference.months),
                period=period.label, period_months=len(period.months),
            )
        )  # fmt: skip
    return reference


def reference_from_file(
    file: str, counts_by_month: Mapping[Month, int], period: Period, year: Period | None = None
) -> Reference:
    """The monthly counts of a reference file for the period: the period's months in `year`
    when one is given, else all the file's months, which must be as many as the period's."""
    if not period.whole_months:
        raise PeriodError(REFERENCE_NEEDS_MONTHS(period=period.label))
    if year is not None:
        if year.kind != "year":
            raise PeriodError(REFERENCE_NOT_A_YEAR(text=year.label))
        chosen = period.in_year(year.first.year)
        for month in chosen.months:
            if month not in counts_by_month:
                raise PeriodError(
                    REFERENCE_MONTH_MISSING(
                        file=file, month=month.label, reference=year.label, period=period.label
                    )
                )
        months = chosen.months
        label = year.label
    else:
        months = tuple(sorted(counts_by_month))
        if len(months) != len(period.months):
            raise PeriodError(
                REFERENCE_LENGTH(
                    file=file, file_months=len(months), period=period.label,
                    period_months=len(period.months),
                )
            )  # fmt: skip
        for before, after in pairwise(months):
            if before.next() != after:
                raise PeriodError(
                    REFERENCE_GAP(
                        file=file, month=before.next().label, first=months[0].label,
                        last=months[-1].label,
                    )
                )  # fmt: skip
        whole_year = months[0].month == 1 and len(months) == 12
        label = str(months[0].year) if whole_year else f"{months[0].label}–{months[-1].label}"
    return Reference(label, months, tuple(counts_by_month[m] for m in months))


# --- the records the figures are made from -------------------------------------------------------


@dataclass(frozen=True)
class PlanRecord:
    """A report's visit plan (its roster): when it was made and how many stops it has."""

    report_id: str
    zone_id: str
    planned_at: datetime
    stops: int


@dataclass(frozen=True)
class StopRecord:
    """One stop of a roster: door or stairwell, and what the team found (None while pending)."""

    report_id: str
    kind: VisitKind
    outcome: Outcome | None
    visited_at: datetime | None


@dataclass(frozen=True)
class SignRecord:
    """A stored sign: its local put-up day, the day it came down (None while up), the reports of
    its zone at its last plan (which give the day it was due to come down)."""

    sign_id: str
    report_ids: tuple[str, ...]
    put_up: date
    take_down: date
    down_on: date | None
    ticked_up: datetime | None = None  # when the field app was told it went up
    ticked_down: datetime | None = None  # and came down

    @property
    def stood(self) -> bool:
        """False for a sign whose plan was dropped on or before its put-up day."""
        return self.down_on is None or self.down_on > self.put_up


@dataclass(frozen=True)
class AlertRecord:
    """An alert the service made for a report (with its roster and sign plan)."""

    report_id: str
    alerted_at: datetime


# --- the figures -------------------------------------------------------------------------------


def change_pct(count: int | None, reference: int | None) -> float | None:
    """The change from the reference in per cent; None without a reference or from zero."""
    if count is None or not reference:
        return None
    return 100.0 * (count - reference) / reference


@dataclass(frozen=True)
class MonthRow:
    """One month of the period against its reference month (None without a reference)."""

    month: Month
    count: int
    reference_month: Month | None
    reference: int | None
    part: bool  # the period starts or ends inside this month

    @property
    def change_pct(self) -> float | None:
        return change_pct(self.count, self.reference)


@dataclass(frozen=True)
class Burglaries:
    """Counted burglaries per month of the period, against the reference."""

    rows: tuple[MonthRow, ...]
    reference_label: str | None
    not_located: int  # reports of the period without a place: they make no zone and are not counted

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def reference_total(self) -> int | None:
        refs = [r.reference for r in self.rows]
        return None if any(r is None for r in refs) else sum(r or 0 for r in refs)

    @property
    def change_pct(self) -> float | None:
        return change_pct(self.total, self.reference_total)

    def to_frame(self) -> Any:
        """One row per month: month, count, reference_month, reference, change_pct (pandas)."""
        return _frame(
            [
                {
                    "month": r.month.label, "count": r.count,
                    "reference_month": r.reference_month.label if r.reference_month else None,
                    "reference": r.reference, "change_pct": r.change_pct,
                }
                for r in self.rows
            ],
            ("month", "count", "reference_month", "reference", "change_pct"),
        )  # fmt: skip


@dataclass(frozen=True)
class Delays:
    """Hours from the report to a step, over `of` rosters; those that never reached the step
    count in `of` but not in `hours`."""

    hours: tuple[float, ...]
    of: int

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    def within(self, hours: float) -> int:
        """Rosters that reached the step at most `hours` after the report."""
        return sum(1 for h in self.hours if h <= hours)

    def share_within(self, hours: float) -> float | None:
        return self.within(hours) / self.of if self.of else None


@dataclass(frozen=True)
class StopTally:
    """The stops of one kind on the period's rosters, by what the teams found."""

    planned: int = 0
    visited: int = 0
    not_home: int = 0
    declined: int = 0

    @property
    def pending(self) -> int:
        return self.planned - self.visited - self.not_home - self.declined

    @property
    def done(self) -> int:
        return self.planned - self.pending


@dataclass(frozen=True)
class SignTally:
    """Signs put up in the period, and of those due down in it (or taken down in it) how many
    came down on or before their day, after it, or still stand after it."""

    put_up: int
    on_time: int
    late: int
    still_up: int
    plan_days: int  # days of the period the sign plan was made for
    # what the field app's ticks confirm: of the signs put up, those ticked up (by their day);
    # of those due down, those ticked down by their day and after it
    ticked_up: int = 0
    ticked_up_on_time: int = 0
    ticked_down_on_time: int = 0
    ticked_down_late: int = 0

    @property
    def ticked(self) -> bool:
        """Whether anyone ticked a sign of the period: else the signs were kept on paper."""
        return bool(self.ticked_up or self.ticked_down_on_time or self.ticked_down_late)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.still_up

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class ZoneOpening:
    """A zone that opened in the period: its id, when, and the report(s) that opened it."""

    zone_id: str
    at: datetime
    report_ids: tuple[str, ...]


@dataclass(frozen=True)
class NearRepeat:
    """A burglary that happened inside a live zone, as the police knew the zones then."""

    report_id: str
    at: datetime
    level: Level
    days_after: float  # since the risk start of the nearest-in-time report covering it


@dataclass(frozen=True)
class FollowUp:
    """Every figure of the follow-up of one period."""

    period: Period
    burglaries: Burglaries
    counted: int  # counted burglaries of the period: the base of the near-repeat shares
    zones: tuple[ZoneOpening, ...]
    rosters: int
    plans_without_doors: int
    to_roster: Delays
    to_first_visit: Delays
    doors: StopTally
    stairwells: StopTally
    signs: SignTally
    alerts: int
    near_repeats: tuple[NearRepeat, ...]
    high_risk_days: int
    timezone: tzinfo  # the local time of the months and the lists

    @property
    def in_high_risk_zone(self) -> int:
        """Near-repeats within the high-risk days (14) of a report covering them."""
        return sum(1 for n in self.near_repeats if n.level is Level.HIGH)

    def zones_frame(self) -> Any:
        """The zones opened: zone_id, opened (aware), reports (pandas)."""
        return _frame(
            [{"zone_id": z.zone_id, "opened": z.at, "reports": " ".join(z.report_ids)}
             for z in self.zones],
            ("zone_id", "opened", "reports"),
        )  # fmt: skip

    def near_repeats_frame(self) -> Any:
        """The near-repeats: report_id, at, level, days_after (pandas)."""
        return _frame(
            [{"report_id": n.report_id, "at": n.at, "level": n.level.value,
              "days_after": n.days_after} for n in self.near_repeats],
            ("report_id", "at", "level", "days_after"),
        )  # fmt: skip

    def to_frame(self, public: bool = False) -> Any:
        """Every figure as the CSV's rows (`measures`), as a pandas frame."""
        rows = [m.row() for m in (public_measures(self) if public else measures(self))]
        return _frame([dict(zip(COLUMNS, row, strict=True)) for row in rows], COLUMNS)


def follow_up(
    period: Period,
    reports: Iterable[Report],
    plans: Iterable[PlanRecord],
    stops: Iterable[StopRecord],
    signs: Iterable[SignRecord],
    rules: RiskRules,
    projection: Projection,
    *,
    reference: Reference | None = None,
    alerts: Iterable[AlertRecord] = (),
    sign_plan_days: Iterable[date] = (),
    signs_down_at: Level = Level.ELEVATED,
    as_of: date | None = None,
) -> FollowUp:
    """The follow-up of `period` from the stored records (see the module's docstring).

    `reports` must hold every report whose risk started in the period or up to the rules'
    lookback before it, and those of the plans' and signs' zones; `as_of` is the day the
    follow-up is made (signs due after it are not yet due; default: the period's last day).
    """
    tz = rules.timezone
    start, end = period.bounds(tz)
    by_id = {r.report_id: r for r in reports}
    chosen = [r for r in by_id.values() if start <= risk_start(r) < end]
    counted = [r for r in chosen if counts(r, rules)]
    plans_in = [p for p in plans if start <= p.planned_at < end]
    rosters = [p for p in plans_in if p.stops > 0]
    stops_in = _stops_by_report(stops, {p.report_id for p in rosters})
    history = _History(by_id.values(), rules, projection)
    return FollowUp(
        period=period,
        burglaries=Burglaries(
            rows=_month_rows(period, counted, reference, tz),
            reference_label=reference.label if reference else None,
            not_located=sum(1 for r in chosen if not r.located and not r.retracted),
        ),
        counted=len(counted),
        zones=tuple(history.openings(start, end)),
        rosters=len(rosters),
        plans_without_doors=len(plans_in) - len(rosters),
        to_roster=_delays(rosters, by_id, lambda p: p.planned_at),
        to_first_visit=_delays(rosters, by_id, lambda p: _first_visit(stops_in.get(p.report_id))),
        doors=_tally(s for ss in stops_in.values() for s in ss if s.kind is VisitKind.DOOR),
        stairwells=_tally(
            s for ss in stops_in.values() for s in ss if s.kind is VisitKind.STAIRWELL
        ),
        signs=_signs(period, list(signs), by_id, rules, signs_down_at, as_of, sign_plan_days),
        alerts=sum(1 for a in alerts if start <= a.alerted_at < end),
        near_repeats=tuple(history.near_repeats(start, end)),
        high_risk_days=rules.high_risk_days,
        timezone=tz,
    )


def monthly_counts(
    reports: Iterable[Report], period: Period, rules: RiskRules, label: str | None = None
) -> Reference:
    """A period's counted burglaries per month, as a reference for another period (named
    `label`, default the period's own)."""
    start, end = period.bounds(rules.timezone)
    tally = {m: 0 for m in period.months}
    for r in reports:
        if counts(r, rules) and start <= (t := risk_start(r)) < end:
            tally[Month.of(local(t, rules.timezone).date())] += 1
    return Reference(label or period.label, period.months, tuple(tally[m] for m in period.months))


def _month_rows(
    period: Period, counted: Sequence[Report], reference: Reference | None, tz: tzinfo
) -> tuple[MonthRow, ...]:
    tally = {m: 0 for m in period.months}
    for r in counted:
        tally[Month.of(local(risk_start(r), tz).date())] += 1
    if reference is not None and len(reference.months) != len(period.months):
        raise PeriodError(
            MONTHS_DIFFER(
                reference=reference.label, reference_months=len(reference.months),
                period=period.label, period_months=len(period.months),
            )
        )  # fmt: skip
    first, last = Month.of(period.first), Month.of(period.last)
    rows = []
    for i, month in enumerate(period.months):
        part = (month == first and period.first.day != 1) or (
            month == last and (period.last + timedelta(days=1)).day != 1
        )
        ref_month = reference.months[i] if reference else None
        ref_count = reference.counts[i] if reference else None
        rows.append(MonthRow(month, tally[month], ref_month, ref_count, part))
    return tuple(rows)


def _stops_by_report(stops: Iterable[StopRecord], ids: set[str]) -> dict[str, list[StopRecord]]:
    out: dict[str, list[StopRecord]] = {}
    for s in stops:
        if s.report_id in ids:
            out.setdefault(s.report_id, []).append(s)
    return out


def _first_visit(stops: Sequence[StopRecord] | None) -> datetime | None:
    """When the team first stood at a door of the roster (any outcome with a time)."""
    times = [s.visited_at for s in stops or () if s.outcome is not None and s.visited_at]
    return min(times) if times else None


def _delays(rosters: Sequence[PlanRecord], reports: Mapping[str, Report], step: Any) -> Delays:
    hours = []
    for plan in rosters:
        report, at = reports.get(plan.report_id), step(plan)
        if report is not None and at is not None:
            hours.append((at - report.reported_at).total_seconds() / 3600)
    return Delays(tuple(sorted(hours)), len(rosters))


def _tally(stops: Iterable[StopRecord]) -> StopTally:
    planned = visited = not_home = declined = 0
    for s in stops:
        planned += 1
        visited += s.outcome is Outcome.VISITED
        not_home += s.outcome is Outcome.NOT_HOME
        declined += s.outcome is Outcome.DECLINED
    return StopTally(planned, visited, not_home, declined)


def due_down(
    sign: SignRecord, reports: Mapping[str, Report], rules: RiskRules, level: Level
) -> date:
    """The local day a sign was due to come down: when the level (elevated, or high by setting)
    of the last of its zone's reports ended, as `core.signs.rules.sign_until` sets it. Worked
    out again from the reports the row keeps (`signs.report_ids`, its zone at its last plan),
    since the stored `take_down` becomes the day it came down; the stored day when none of
    those reports is known."""
    ends = [window(r, rules).until(level) for i in sign.report_ids if (r := reports.get(i))]
    return local(max(ends), rules.timezone).date() if ends else sign.take_down


def _signs(
    period: Period,
    signs: Sequence[SignRecord],
    reports: Mapping[str, Report],
    rules: RiskRules,
    level: Level,
    as_of: date | None,
    plan_days: Iterable[date],
) -> SignTally:
    """A sign is on time when the plan that took it down was made for a day on or before the day
    it was due down; late when after; still up when it stands past that day on `as_of`. The
    field app's ticks are counted beside: a tick on or before the sign's day is on time."""
    today = as_of or period.last
    tz = rules.timezone
    on_time = late = still_up = down_ticked_on_time = down_ticked_late = 0
    for sign in (s for s in signs if s.stood):
        due = due_down(sign, reports, rules, level)
        down = sign.down_on
        if not (
            period.first <= due <= period.last or (down and period.first <= down <= period.last)
        ):
            continue
        if down is None:
            still_up += due < today
        elif down <= due:
            on_time += 1
        else:
            late += 1
        if sign.ticked_down is not None:
            ticked_on_time = local(sign.ticked_down, tz).date() <= due
            down_ticked_on_time += ticked_on_time
            down_ticked_late += not ticked_on_time
    put_up = [s for s in signs if s.stood and period.first <= s.put_up <= period.last]
    up_by_its_day = [local(s.ticked_up, tz).date() <= s.put_up for s in put_up if s.ticked_up]
    return SignTally(
        put_up=len(put_up),
        on_time=on_time,
        late=late,
        still_up=still_up,
        plan_days=len({d for d in plan_days if period.first <= d <= period.last}),
        ticked_up=len(up_by_its_day),
        ticked_up_on_time=sum(up_by_its_day),
        ticked_down_on_time=down_ticked_on_time,
        ticked_down_late=down_ticked_late,
    )


class _History:
    """The counted reports by risk start, their metric points and when each was live."""

    def __init__(self, reports: Iterable[Report], rules: RiskRules, projection: Projection):
        self.rules, self.projection = rules, projection
        self.reports = sorted(
            (r for r in reports if counts(r, rules)), key=lambda r: (risk_start(r), r.report_id)
        )
        self.starts = [risk_start(r) for r in self.reports]
        lons = [r.lon if r.lon is not None else np.nan for r in self.reports]  # counted: located
        lats = [r.lat if r.lat is not None else np.nan for r in self.reports]
        self.x, self.y = projection.to_metric(lons, lats)
        # live (core.risk.level_of gives a level) from the risk start, once reported, until
        # the elevated level ends
        ends = [window(r, rules).elevated_until for r in self.reports]
        begins = [max(s, r.reported_at) for s, r in zip(self.starts, self.reports, strict=True)]
        self.begin, self.end = _micros(begins), _micros(ends)
        self.tree = cKDTree(np.column_stack((self.x, self.y))) if self.reports else None

    def around(self, at: datetime) -> list[Report]:
        """The reports whose risk started within the rules' lookback before `at` (or at it)."""
        lo = bisect_left(self.starts, at - self.rules.lookback)
        return self.reports[lo : bisect_right(self.starts, at)]

    def openings(self, start: datetime, end: datetime) -> list[ZoneOpening]:
        """Zones that opened in [start, end): at an instant a report became live, the zones of
        `core.risk.zones_at` made only of reports that were not live an instant before (a report
        joining a zone opens none, nor does a zone taking a new id when its oldest report ends).

        An instant where every new report lies within 2 × radius of a report live before (so
        shares its zone) cannot open one and is not asked about: the core is asked where a
        new report stands alone, which keeps a dense city's year to seconds.
        """
        rules, tick = self.rules, timedelta(microseconds=1)
        first, last = _micros([start, end])
        starting = (self.begin < self.end) & (self.begin >= first) & (self.begin < last)
        out = []
        for moment in np.unique(self.begin[starting]).tolist():
            new = np.flatnonzero(starting & (self.begin == moment))
            if not self._alone(new, moment):
                continue
            at = _instant(moment)
            near = self.around(at)
            lives = live_reports(near, at - tick, rules, self.projection)
            before = {live.report.report_id for live in lives}
            for zone in zones_at(near, at, rules, self.projection):
                if not before.intersection(zone.report_ids):
                    out.append(ZoneOpening(zone.zone_id, at, zone.report_ids))
        return out

    def _alone(self, new: npt.NDArray[np.intp], moment: int) -> bool:
        """Whether any of the reports that become live at `moment` has no report that is live
        both before and at it within 2 × radius (the reach at which zones join)."""
        assert self.tree is not None
        old = (self.begin < moment) & (self.end > moment)
        reach = 2 * self.rules.radius_m
        for i in new.tolist():
            if not old[self.tree.query_ball_point((self.x[i], self.y[i]), reach)].any():
                return True
        return False

    def near_repeats(self, start: datetime, end: datetime) -> list[NearRepeat]:
        """The burglaries of [start, end) that happened inside a live zone, as the police knew the
        zones then: cocoon.analysis.replay's arrays (`nearest_lags`, `levels`), the core's rule
        of within the radius of a report known strictly before, at high or elevated level."""
        if not self.reports:
            return []
        tz = self.rules.timezone
        history = History(
            self.x, self.y, local_days(self.starts, tz),
            local_days((r.reported_at for r in self.reports), tz),
        )  # fmt: skip
        lag = nearest_lags(history, [self.rules.radius_m], self.rules.total_days)[0]
        level = levels(lag, np.ones(len(lag), dtype=bool), self.rules)
        out = []
        for i, r in enumerate(self.reports):
            if start <= self.starts[i] < end and level[i] != NONE:
                near = Level.HIGH if level[i] == HIGH else Level.ELEVATED
                out.append(NearRepeat(r.report_id, self.starts[i], near, float(lag[i])))
        return out


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moments: Sequence[datetime]) -> npt.NDArray[np.int64]:
    """Aware instants as whole microseconds since 1970: exact, for equal instants to compare."""
    return np.array([(m - _EPOCH) // timedelta(microseconds=1) for m in moments], dtype=np.int64)


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


# --- the figures as rows, and the public version ----------------------------------------------

#: The columns of the follow-up CSV (and of `FollowUp.to_frame`).
COLUMNS = ("section", "measure", "month", "value", "reference_month", "reference", "change_pct")

Cell = int | float | str | None


@dataclass(frozen=True)
class Measure:
    """One figure: a count, a share in per cent or hours; `base` is the count a share or median
    is made of, `part` the count a share shows (both for the public rule)."""

    section: str
    measure: str
    value: Cell
    kind: Literal["count", "pct", "hours", "text"] = "count"
    month: str = ""
    reference_month: str = ""
    reference: Cell = None
    change_pct: float | None = None
    base: int | None = None
    part: int | None = None

    def row(self) -> tuple[Cell, ...]:
        def shown(value: Cell) -> Cell:
            return round(value, 1) if isinstance(value, float) else value

        return (self.section, self.measure, self.month, shown(self.value), self.reference_month,
                shown(self.reference), shown(self.change_pct))  # fmt: skip


def measures(f: FollowUp) -> list[Measure]:
    """Every figure of the follow-up as rows (the internal version: exact, with the lists)."""
    b = f.burglaries
    out = [
        Measure("burglaries", "count", r.count, month=r.month.label,
                reference_month=r.reference_month.label if r.reference_month else "",
                reference=r.reference, change_pct=r.change_pct)
        for r in b.rows
    ]  # fmt: skip
    out += [
        Measure("burglaries", "total", b.total, reference_month=b.reference_label or "",
                reference=b.reference_total, change_pct=b.change_pct),
        Measure("burglaries", "not_located", b.not_located),
        Measure("work", "zones_opened", len(f.zones)),
        Measure("work", "rosters", f.rosters),
        Measure("work", "plans_without_doors", f.plans_without_doors),
        *_delay_measures("report_to_roster", f.to_roster),
        *_delay_measures("report_to_first_visit", f.to_first_visit),
        Measure("work", "rosters_without_visit", f.rosters - len(f.to_first_visit.hours)),
        Measure("work", "alerts", f.alerts),
    ]  # fmt: skip
    for name, tally in (("doors", f.doors), ("stairwells", f.stairwells)):
        out += [
            Measure("visits", f"{name}_{what}", getattr(tally, what))
            for what in ("planned", "visited", "not_home", "declined", "pending")
        ]
    s = f.signs
    out += [
        Measure("signs", "put_up", s.put_up),
        Measure("signs", "due_down", s.due),
        Measure("signs", "down_on_time", s.on_time),
        Measure("signs", "down_late", s.late),
        Measure("signs", "still_up_after_due", s.still_up),
        Measure("signs", "down_on_time_pct", _pct(s.on_time_share), "pct", base=s.due,
                part=s.on_time),
        Measure("signs", "plan_days", s.plan_days, "text"),
        Measure("signs", "ticked_up", s.ticked_up),
        Measure("signs", "ticked_up_on_time", s.ticked_up_on_time),
        Measure("signs", "ticked_down_on_time", s.ticked_down_on_time),
        Measure("signs", "ticked_down_late", s.ticked_down_late),
        Measure("signs", "period_days", f.period.days(), "text"),
    ]  # fmt: skip
    near, high = len(f.near_repeats), f.in_high_risk_zone
    out += [
        Measure("near_repeats", "burglaries", f.counted),
        Measure("near_repeats", "in_live_zone", near),
        Measure("near_repeats", "in_live_zone_pct", _pct(near / f.counted if f.counted else None),
                "pct", base=f.counted, part=near),
        Measure("near_repeats", "in_high_risk_zone", high),
        Measure("near_repeats", "in_high_risk_zone_pct",
                _pct(high / f.counted if f.counted else None), "pct", base=f.counted, part=high),
        Measure("near_repeats", "high_risk_days", f.high_risk_days, "text"),
    ]  # fmt: skip
    tz = f.timezone
    out += [
        Measure("zones_opened", z.zone_id, local(z.at, tz).isoformat(timespec="minutes"), "text",
                month=local(z.at, tz).strftime("%Y-%m"), reference=" ".join(z.report_ids))
        for z in f.zones
    ]  # fmt: skip
    out += [
        Measure("near_repeat", n.report_id, round(n.days_after, 1), "text",
                month=local(n.at, tz).strftime("%Y-%m"), reference_month=n.level.value)
        for n in f.near_repeats
    ]  # fmt: skip
    return out


def _delay_measures(name: str, delays: Delays) -> list[Measure]:
    reached = len(delays.hours)
    out = [Measure("work", f"{name}_median_hours", delays.median_hours, "hours", base=reached)]
    for hours in WITHIN_HOURS:
        out.append(
            Measure("work", f"{name}_within_{hours}h_pct", _pct(delays.share_within(hours)), "pct",
                    base=delays.of, part=delays.within(hours))
        )  # fmt: skip
    return out


def _pct(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


#: The sections only the internal version has: they name zones and reports.
INTERNAL_SECTIONS = ("zones_opened", "near_repeat")
#: How a public table shows a small count, and a count hidden so that a total cannot give a small
#: one away.
SUPPRESSED, HIDDEN = f"< {SMALL}", ".."


def small(count: int | None) -> bool:
    """A count the public version does not show: 1 to 4 (none and zero are shown)."""
    return count is not None and 0 < count < SMALL


def public_measures(f: FollowUp) -> list[Measure]:
    """The public version: aggregates only, small counts suppressed.

    The rule (disclosure control in the manner of Swedish official statistics): a count of 1–4
    is shown as "< 5"; where one month of a series is hidden so, the smallest other month with
    burglaries is hidden too (".."), so that the total does not give it away; a change in per
    cent is not given when either count is below 5; a share or median is not given when the
    count it rests on is below 5 or the count it shows is 1–4. The lists of zones and
    near-repeats (zone ids, report ids, times) are left out.
    """
    out = []
    rows = [m for m in measures(f) if m.section not in INTERNAL_SECTIONS]
    months = [m for m in rows if m.section == "burglaries" and m.measure == "count"]
    hide_values = _second_hidden([m.value for m in months])
    hide_refs = _second_hidden([m.reference for m in months])
    month_of = {id(m): i for i, m in enumerate(months)}
    for m in rows:
        value, ref = _public_count(m.value, m.kind), _public_count(m.reference, m.kind)
        if (i := month_of.get(id(m))) is not None:
            value = HIDDEN if i in hide_values else value
            ref = HIDDEN if i in hide_refs else ref
        change = m.change_pct
        if change is not None and not (_at_least_small(m.value) and _at_least_small(m.reference)):
            change = None
        if m.kind in ("pct", "hours") and ((m.base or 0) < SMALL or small(m.part)):
            value = None
        out.append(Measure(m.section, m.measure, value, m.kind, m.month, m.reference_month, ref,
                           change, m.base, m.part))  # fmt: skip
    return out


def _public_count(value: Cell, kind: str) -> Cell:
    return SUPPRESSED if kind == "count" and isinstance(value, int) and small(value) else value


def _at_least_small(value: Cell) -> bool:
    return isinstance(value, int) and value >= SMALL


def _second_hidden(counts: Sequence[Cell]) -> set[int]:
    """Where exactly one count of a series is suppressed, the smallest other non-zero count."""
    ints = [c if isinstance(c, int) else 0 for c in counts]
    if sum(1 for c in ints if small(c)) != 1:
        return set()
    others = [(c, i) for i, c in enumerate(ints) if c >= SMALL]
    return {min(others)[1]} if others else set()


def _frame(records: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    """A pandas DataFrame of the records; pandas is optional (the `analysis` extra)."""
    try:
        pandas = importlib.import_module("pandas")
    except ModuleNotFoundError as exc:
        raise ImportError(
            "to_frame needs pandas: pip install 'cocoon[analysis]' (or pandas)"
        ) from exc
    return pandas.DataFrame.from_records(records, columns=list(columns))
