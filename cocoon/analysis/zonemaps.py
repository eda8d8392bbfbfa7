"""The zones a history would have drawn, day by day, for any radius and days: the area they cover,
how many zones they make once overlapping buffers merge, and the doors visited. The pairs this
needs are enumerated once, for the largest radius and the longest days, and reused for every
combination.

- Area: a study cell is covered on a day when its centre lies within the radius of a report
  shown on that day's map (replay.first_day … end_day), as core.risk.level_at decides a point.
- Zones: as core.risk.zones_at merges them, reports whose buffers overlap (at most 2 × radius
  apart) are one zone, counted exactly with a union-find over each day's live reports.
- Doors: each report at high risk when the police learnt of it (the plan's instant, as in
  cocoon.core.visits) gets the register addresses within the radius, nearest first, at most
  `cap`, but not those another plan took within the last `revisit_days`. Approximate: one door
  per address point (no stairwell grouping), no same-side bonus, the burgled homes not left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import numba
import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from cocoon.analysis.backtest_kernel import coverage, doors, zone_merges
from cocoon.analysis.grid import Near
from cocoon.analysis.replay import History, Period, Rules, ZoneRules

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


class VisitNumbers(Protocol):
    """What the door count reads of the visit rules; cocoon.core.visits.VisitRules has it."""

    @property
    def cap(self) -> int: ...
    @property
    def revisit_days(self) -> int: ...


@dataclass(frozen=True)
class Register:
    """Residential address points (metres, the burglaries' CRS) and the visit rules' numbers; the
    visit radius is the zone radius, as the settings have it by default."""

    x: Floats
    y: Floats
    cap: int
    revisit_days: int

    @classmethod
    def of(cls, x: npt.ArrayLike, y: npt.ArrayLike, rules: VisitNumbers) -> Register:
        xs, ys = np.asarray(x, dtype=np.float64).ravel(), np.asarray(y, dtype=np.float64).ravel()
        if len(xs) != len(ys) or not (np.isfinite(xs).all() and np.isfinite(ys).all()):
            raise ValueError("the register needs as many finite x as y")
        return cls(xs, ys, int(rules.cap), int(rules.revisit_days))


class ZoneMaps:
    """Day-by-day zones of one history over one period, for radii up to `largest_radius_m` and
    high + elevated periods up to `longest_days`."""

    def __init__(
        self,
        history: History,
        near: Near,
        period: Period,
        largest_radius_m: float,
        longest_days: int,
        register: Register | None = None,
    ) -> None:
        self.history, self.period = history, period
        self.largest_radius_m, self.longest_days = largest_radius_m, longest_days
        self._entry, self._start = history.entry, history.start
        report, cell = near.point, near.cell
        order = np.lexsort((self._entry[report], cell))  # by cell, then entry day
        report, self._cell, self._distance = report[order], cell[order], near.distance[order]
        self._pair_entry = self._entry[report].astype(np.int32)
        self._pair_start = self._start[report].astype(np.int32)
        self._rings: dict[float, tuple[Ints, npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}
        self._edges = self._merge_edges()
        self._register = register
        self._addresses = None if register is None else self._address_pairs(register)
        self._cover: dict[tuple[float, int], Ints] = {}
        self._zone_days: dict[tuple[float, int], int] = {}
        self._doors: dict[tuple[float, int], tuple[int, int]] = {}

    def cover(self, rules: Rules) -> tuple[Ints, Ints]:
        """Study cells at high risk, and at any level, at the start of each day of the period."""
        z = self._checked(rules)
        return self._cells(z.radius_m, z.high_risk_days), self._cells(z.radius_m, z.total_days)

    def zone_days(self, rules: Rules) -> int:
        """Zones (merged as the core merges them) summed over the days of the period."""
        z = self._checked(rules)
        return self._zones(z.radius_m, z.total_days)

    def doors(self, rules: Rules) -> tuple[int, int] | None:
        """(doors, rosters) of the plans made in the period, or None without a register."""
        z = self._checked(rules)
        return None if self._register is None else self._visits(z.radius_m, z.high_risk_days)

    def prepare(self, combinations: Sequence[Rules]) -> None:
        """Work out the figures of many combinations at once, one per core (the loops run
        without Python's lock); each distinct radius and days is worked out once."""
        zs = [self._checked(r) for r in combinations]
        for radius in {z.radius_m for z in zs}:
            self._ring(radius)
        jobs: list[Callable[[], object]] = []
        for radius, days in {(z.radius_m, d) for z in zs for d in (z.high_risk_days, z.total_days)}:
            jobs.append(partial(self._cells, radius, days))
        for radius, days in {(z.radius_m, z.total_days) for z in zs}:
            jobs.append(partial(self._zones, radius, days))
        if self._register is not None:
            for radius, high in {(z.radius_m, z.high_risk_days) for z in zs}:
                jobs.append(partial(self._visits, radius, high))
        workers = max(1, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in [pool.submit(job) for job in jobs]:
                done.result()

    def _cells(self, radius: float, days: int) -> Ints:
        key = (radius, days)
        if key not in self._cover:
            out = np.zeros(self.period.days, dtype=np.int64)
            coverage(*self._ring(radius), days, self.period.first, out)
            self._cover[key] = out
        return self._cover[key]

    def _ring(self, radius: float) -> tuple[Ints, npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """The (cell, report) pairs within `radius`, by cell (CSR) then entry day: kept per
        radius, so that a small radius reads only its own pairs."""
        if radius not in self._rings:
            inside = self._distance <= radius
            cell = self._cell[inside]
            cells = int(cell.max()) + 1 if len(cell) else 0
            starts = np.concatenate(([0], np.cumsum(np.bincount(cell, minlength=cells))))
            self._rings[radius] = (starts, self._pair_entry[inside], self._pair_start[inside])
        return self._rings[radius]

    def _zones(self, radius: float, days: int) -> int:
        if (radius, days) not in self._zone_days:
            self._zone_days[radius, days] = self._count_zones(radius, days)
        return self._zone_days[radius, days]

    def _visits(self, radius: float, high: int) -> tuple[int, int]:
        if (radius, high) not in self._doors:
            self._doors[radius, high] = self._count_doors(radius, high)
        return self._doors[radius, high]

    def _count_zones(self, radius: float, days: int) -> int:
        first, second, shown, base, distance = self._edges
        merges = np.zeros(self.period.days, dtype=np.int64)
        zone_merges(
            first,
            second,
            shown,
            base,
            distance,
            len(self.history),
            2 * radius,
            days,
            self.period.first,
            merges,
        )
        live = _days_shown(self._entry, self._start + days, self.period)
        return int(live.sum() - merges.sum())

    def _count_doors(self, radius: float, high: int) -> tuple[int, int]:
        h, reg = self.history, self._register
        assert reg is not None and self._addresses is not None
        plan = np.maximum(h.t, h.known)
        report_start, address, distance = self._addresses
        found: tuple[int, int] = doors(
            np.argsort(plan, kind="stable"),
            plan,
            h.t,
            report_start,
            address,
            distance,
            radius,
            high,
            float(reg.revisit_days),
            reg.cap,
            len(reg.x),
            float(self.period.first),
            float(self.period.last + 1),
        )
        return found

    def _checked(self, rules: Rules) -> ZoneRules:
        z = ZoneRules.of(rules)
        if z.radius_m > self.largest_radius_m or z.total_days > self.longest_days:
            raise ValueError(
                f"{z.radius_m:g} m and {z.total_days} days exceed what was prepared "
                f"({self.largest_radius_m:g} m, {self.longest_days} days)"
            )
        return z

    def _merge_edges(self) -> tuple[Ints, Ints, Ints, Ints, Floats]:
        """Pairs at most 2 × the largest radius apart whose risks start under the longest period
        apart (no other pair is ever live together), sorted by the first day both show."""
        h = self.history
        xy = np.column_stack((h.x, h.y))
        reach = 2 * self.largest_radius_m * (1 + 1e-9)
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray").astype(np.int64)
        i, j = pairs[:, 0], pairs[:, 1]
        near_in_time = np.abs(self._start[i] - self._start[j]) < self.longest_days
        i, j = i[near_in_time], j[near_in_time]
        shown = np.maximum(self._entry[i], self._entry[j])
        order = np.argsort(shown, kind="stable")
        i, j = i[order], j[order]
        distance = np.hypot(xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1])
        base = np.minimum(self._start[i], self._start[j])
        return i, j, shown[order], base, distance

    def _address_pairs(self, register: Register) -> tuple[Ints, Ints, Floats]:
        """Each report's addresses within the largest radius, nearest first (CSR by report)."""
        h = self.history
        reports = cKDTree(np.column_stack((h.x, h.y)))
        addresses = cKDTree(np.column_stack((register.x, register.y)))
        found = reports.sparse_distance_matrix(
            addresses, self.largest_radius_m, output_type="ndarray"
        )
        report, address = found["i"].astype(np.int64), found["j"].astype(np.int64)
        distance = found["v"].astype(np.float64)
        order = np.lexsort((address, distance, report))
        counts = np.bincount(report, minlength=len(h))
        return np.concatenate(([0], np.cumsum(counts))), address[order], distance[order]


def _days_shown(first: Ints, end: Ints, period: Period) -> Ints:
    """How many of the intervals [first, end) hold each day of the period."""
    lo = np.clip(first - period.first, 0, period.days)
    hi = np.clip(end - period.first, 0, period.days)
    keep = hi > lo
    diff = np.bincount(lo[keep], minlength=period.days + 1)[: period.days + 1]
    diff -= np.bincount(hi[keep], minlength=period.days + 1)[: period.days + 1]
    return np.cumsum(diff)[: period.days]
