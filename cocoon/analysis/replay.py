"""The zone rules of cocoon.core.risk on arrays, as the back-test replays a history.

core/risk.py states the rules on one report and one instant (`level_in_window`, `level_of`):
a report gives its buffer (planar distance ≤ radius) the level high for lags t0 ≤ at < t0 + high,
elevated for t0 + high ≤ at < t0 + high + elevated, and nothing before the police knew of it.
`levels` below is the same statement on arrays of lags, with one difference: a report counts only
when known *strictly* before the instant, since at equal times (whole-day data: the same day) the
order of two burglaries is unknown and neither may be said to have warned of the other.
`first_day` and `end_day` are that rule read at the start of each day, the instant at which the
replay takes its daily map (the morning's zone list); tests check both forms against each other
and against core.risk.level_of.

Times are days since an epoch (fractions for times of day); day k is [k, k + 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from cocoon.core.risk import level_codes

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class Rules(Protocol):
    """What the back-test reads of the zone rules; cocoon.core.risk.RiskRules has it."""

    @property
    def radius_m(self) -> float: ...
    @property
    def high_risk_days(self) -> int: ...
    @property
    def elevated_risk_days(self) -> int: ...


@dataclass(frozen=True)
class ZoneRules:
    """Radius and days of one combination tried; the names are the `[risk]` settings'."""

    radius_m: float
    high_risk_days: int
    elevated_risk_days: int

    def __post_init__(self) -> None:
        if not (self.radius_m > 0 and self.high_risk_days >= 1 and self.elevated_risk_days >= 0):
            raise ValueError(
                "zones need a radius above 0, 1 or more high and 0 or more elevated days"
            )

    @property
    def total_days(self) -> int:
        return self.high_risk_days + self.elevated_risk_days

    @classmethod
    def of(cls, rules: Rules) -> ZoneRules:
        """The numbers of any rules object (the core's RiskRules, settings)."""
        return cls(float(rules.radius_m), int(rules.high_risk_days), int(rules.elevated_risk_days))


def levels(lag: npt.ArrayLike, known_before: npt.ArrayLike, rules: Rules) -> npt.NDArray[np.int8]:
    """Level codes (HIGH, ELEVATED, NONE) of reports `lag` days after their risk start, at an
    instant the police knew of them before (`known_before`) or not: the core's rule on arrays."""
    return level_codes(lag, known_before, rules.high_risk_days, rules.elevated_risk_days)


def local_days(moments: Iterable[datetime], tz: tzinfo) -> Floats:
    """Aware instants as wall-clock days since 1970-01-01 in `tz`, fractions for the time of day:
    whole days added keep the wall-clock time, as core.time.add_local_days counts risk periods,
    and day k is a local calendar day."""
    epoch, day = datetime(1970, 1, 1), timedelta(days=1)
    out = []
    for moment in moments:
        if moment.tzinfo is None:
            raise ValueError(f"{moment.isoformat()} has no time zone: give aware instants")
        out.append((moment.astimezone(tz).replace(tzinfo=None) - epoch) / day)
    return np.array(out, dtype=np.float64)


def first_day(t: Floats, known: Floats) -> Ints:
    """The first day whose start finds the report's risk begun and the report known before it."""
    day: Ints = np.maximum(np.ceil(t), np.floor(known) + 1).astype(np.int64)
    return day


def end_day(t: Floats, days: int) -> Ints:
    """The first day whose start is `days` or more after the risk start: a level of that length
    holds on the days [first_day, end_day)."""
    return np.ceil(t).astype(np.int64) + days


@dataclass(frozen=True)
class History:
    """Burglaries: place (metres, a metric CRS), risk start `t` and when the police learnt of it
    `known` (days since one epoch)."""

    x: Floats
    y: Floats
    t: Floats
    known: Floats

    @classmethod
    def of(
        cls,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        t: npt.ArrayLike,
        known: npt.ArrayLike | None = None,
    ) -> History:
        """Checked arrays: equal lengths, finite, two or more; `known` defaults to `t`."""
        xs, ys, ts = (np.asarray(a, dtype=np.float64).ravel() for a in (x, y, t))
        ks = ts.copy() if known is None else np.asarray(known, dtype=np.float64).ravel()
        if not len(xs) == len(ys) == len(ts) == len(ks):
            lengths = ", ".join(str(len(a)) for a in (xs, ys, ts, ks))
            raise ValueError(f"x, y, t and known differ in length ({lengths})")
        if len(ts) < 2:
            raise ValueError("a back-test needs at least two burglaries")
        if not all(np.isfinite(a).all() for a in (xs, ys, ts, ks)):
            raise ValueError("every burglary needs a finite place and times (drop undated rows)")
        return cls(xs, ys, ts, ks)

    def __len__(self) -> int:
        return len(self.t)

    @property
    def day(self) -> Ints:
        """The day each burglary's risk started on."""
        return np.floor(self.t).astype(np.int64)

    @property
    def entry(self) -> Ints:
        """The first day whose map shows each report (see `first_day`)."""
        return first_day(self.t, self.known)

    @property
    def start(self) -> Ints:
        """The first day start at or after each risk start (`end_day` with no days)."""
        return end_day(self.t, 0)


def nearest_lags(history: History, radii: npt.ArrayLike, longest_days: float) -> Floats:
    """For each radius (rows) and burglary (columns), the shortest lag since an earlier report
    within the radius known strictly before it; inf when none lies under `longest_days`. The
    burglary's level is that lag's (`levels`): the highest level of any report is the nearest's."""
    rs = np.asarray(radii, dtype=np.float64)
    out = np.full((len(rs), len(history)), np.inf)
    if not len(rs):
        return out
    xy = np.column_stack((history.x, history.y))
    pairs = cKDTree(xy).query_pairs(float(rs.max()) * (1 + 1e-9), output_type="ndarray")
    before, after = np.concatenate((pairs, pairs[:, ::-1])).T  # either may be the earlier
    lag = history.t[after] - history.t[before]
    warned = (lag >= 0) & (lag < longest_days) & (history.known[before] < history.t[after])
    before, after, lag = before[warned], after[warned], lag[warned]
    distance = np.hypot(xy[before, 0] - xy[after, 0], xy[before, 1] - xy[after, 1])
    order = np.argsort(distance, kind="stable")
    best = np.full(len(history), np.inf)
    done = 0
    for row in np.argsort(rs, kind="stable"):
        upto = int(np.searchsorted(distance[order], rs[row], side="right"))
        np.minimum.at(best, after[order[done:upto]], lag[order[done:upto]])
        out[row], done = best, upto
    return out


@dataclass(frozen=True)
class Period:
    """The evaluated days first … first + days - 1 (after the warm-up) and the burglaries whose
    risk started on them, by day: burglaries[day_start[k]:day_start[k + 1]] on day first + k."""

    first: int
    days: int
    burglaries: Ints
    day_start: Ints

    @property
    def last(self) -> int:
        return self.first + self.days - 1

    @property
    def weeks(self) -> int:
        return -(-self.days // 7)

    def week_of_day(self) -> Ints:
        """The week (from 0) of each evaluated day: the unit the bootstrap resamples."""
        return np.arange(self.days, dtype=np.int64) // 7

    def week_of_burglary(self) -> Ints:
        """The week of each evaluated burglary, in the order of `burglaries`."""
        return np.repeat(self.week_of_day(), np.diff(self.day_start))


def period(history: History, warmup_days: int) -> Period:
    """The days after a warm-up counted from the first burglary's day, to the last burglary's
    day; the warm-up lets zones (and the baselines' history) exist before anything is counted."""
    day = history.day
    first, last = int(day.min()) + warmup_days, int(day.max())
    if last < first:
        span = last - int(day.min()) + 1
        raise ValueError(
            f"the history spans {span} days: a back-test needs more than the warm-up of "
            f"{warmup_days} days (the longest high + elevated period tried)"
        )
    counted = np.flatnonzero(day >= first)
    burglaries = counted[np.argsort(day[counted], kind="stable")]
    day_start = np.searchsorted(day[burglaries], np.arange(first, last + 2))
    return Period(first, last - first + 1, burglaries.astype(np.int64), day_start.astype(np.int64))
