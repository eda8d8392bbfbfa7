"""The back-test: replay a history day by day as the service would have seen it (only reports
known by then) and ask, for every later burglary, whether it fell inside an active high zone, an
elevated one, or neither; then the same for baselines given the same area each day.

Per method: `events` (burglaries after the warm-up), `hits` (inside), `hit_rate`, `area_share`
(share of the study area covered, averaged over the days' maps) and `pai` (hit rate / area
share, the predictive accuracy index). The zones' hit is exact (the burglary's point and instant,
replay.levels); their area and every baseline's are counted in the study cells (grid.py), on
the map at the start of each day. Intervals: a bootstrap over weeks (weeks drawn with
replacement, seeded), 95 % percentile intervals.

    history = History.of(x, y, local_days(risk_starts, tz), local_days(reported, tz))
    replay = Replay.of(history, rules=rules, register=Register.of(ax, ay, visit_rules))
    summary = replay.backtest(rules)      # rules: the core's RiskRules, or a ZoneRules
    summary.rows()                        # the CSV contract's rows, in order
    grid = sensitivity(replay, rules)     # cocoon.analysis.calibrate: the radius × days table
    grid.suggestion.snippet()             # the [risk] settings to paste
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cocoon.analysis.baselines import HotSpot, ProMap, random_caught, surface_caught
from cocoon.analysis.grid import StudyArea, study_area
from cocoon.analysis.replay import History, Period, Rules, ZoneRules, levels, nearest_lags, period
from cocoon.analysis.weekly import (
    Comparison,
    MethodFigures,
    MethodRow,
    Verdict,
    Weekly,
)
from cocoon.analysis.zonemaps import Register, ZoneMaps
from cocoon.core.risk import HIGH

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
ZONES = ("zones_high", "zones_any")
BASELINES = ("promap", "hotspot", "random")
METHODS = ZONES + BASELINES  # the contract's rows, in order
LONGEST_TRIED = 28 + 84  # the sensitivity grid's longest high + elevated period
LARGEST_TRIED = 800.0  # and its largest radius


@dataclass(frozen=True)
class BacktestSettings:
    """How the back-test measures: grid, warm-up (default: the longest period the sensitivity
    grid tries, or the rules' if longer), bootstrap and the baselines' numbers."""

    cell_m: float = 100.0
    reach_m: float = LARGEST_TRIED
    warmup_days: int | None = None
    draws: int = 1000
    seed: int = 1
    promap: ProMap = field(default_factory=ProMap)
    hotspot: HotSpot = field(default_factory=HotSpot)

    def __post_init__(self) -> None:
        if self.draws < 1:
            raise ValueError("the bootstrap needs at least 1 draw")
        if self.warmup_days is not None and self.warmup_days < 0:
            raise ValueError("the warm-up cannot be negative")


@dataclass(frozen=True)
class Workload:
    """Zone-days (zones as merged, summed over the days) and, with a register, the door visits."""

    zone_days: int
    rosters: int | None
    doors: int | None


@dataclass(frozen=True)
class Backtest:
    """The summary of one set of rules over the evaluated days (days since the history's epoch)."""

    rules: ZoneRules
    first_day: int
    last_day: int
    study_cells: int
    study_area_km2: float
    methods: tuple[MethodFigures, ...]
    comparisons: tuple[Comparison, ...]
    verdict: Verdict
    workload: Workload

    def rows(self) -> tuple[MethodRow, ...]:
        """The summary CSV's rows: zones_high, zones_any, promap, hotspot, random."""
        return tuple(m.row for m in self.methods)

    def figures(self, method: str) -> MethodFigures:
        return next(m for m in self.methods if m.row.method == method)


@dataclass(frozen=True)
class ZoneRun:
    """One combination's zones over the period: levels of the evaluated burglaries and the
    cells covered each day."""

    rules: ZoneRules
    level: npt.NDArray[np.int8]
    high_cells: Ints
    any_cells: Ints


class Replay:
    """A history prepared once (study area, pairs) for any rules up to the largest radius and
    longest days given, and the baselines."""

    def __init__(
        self,
        history: History,
        settings: BacktestSettings,
        largest_radius_m: float,
        longest_days: int,
        register: Register | None = None,
    ) -> None:
        s = settings
        self.history, self.settings = history, s
        self.largest_radius_m, self.longest_days = largest_radius_m, longest_days
        self.area: StudyArea = study_area(
            history.x, history.y, s.cell_m, max(s.reach_m, largest_radius_m)
        )
        self.period: Period = period(
            history, longest_days if s.warmup_days is None else s.warmup_days
        )
        reach = max(largest_radius_m, s.promap.reach_m, s.hotspot.bandwidth_m)
        self.near = self.area.near(history.x, history.y, reach)
        self.maps = ZoneMaps(
            history, self.near, self.period, largest_radius_m, longest_days, register
        )
        burglaries = self.period.burglaries
        self.target_cell = self.area.cell_of(history.x[burglaries], history.y[burglaries])
        self._lags: dict[float, Floats] = {}

    @classmethod
    def of(
        cls,
        history: History,
        settings: BacktestSettings | None = None,
        rules: Rules | None = None,
        register: Register | None = None,
    ) -> Replay:
        """Prepared for the sensitivity grid's radii and days, and `rules` if they go further."""
        z = None if rules is None else ZoneRules.of(rules)
        radius = max(LARGEST_TRIED, z.radius_m if z else 0.0)
        days = max(LONGEST_TRIED, z.total_days if z else 0)
        return cls(history, settings or BacktestSettings(), radius, days, register)

    def lags(self, radii: npt.ArrayLike) -> None:
        """Work out the nearest lags of several radii at once (one pass over the pairs)."""
        wanted = [float(r) for r in np.atleast_1d(radii) if float(r) not in self._lags]
        if wanted:
            found = nearest_lags(self.history, wanted, self.longest_days)
            self._lags.update(zip(wanted, found, strict=True))

    def zones(self, rules: Rules) -> ZoneRun:
        """The levels met by the evaluated burglaries and the cells covered each day."""
        z = ZoneRules.of(rules)
        self.lags([z.radius_m])
        lag = self._lags[z.radius_m][self.period.burglaries]
        high, any_level = self.maps.cover(z)
        return ZoneRun(z, levels(lag, np.isfinite(lag), z), high, any_level)

    def backtest(self, rules: Rules) -> Backtest:
        """The summary of `rules`: zones, baselines at the zones' area, intervals, workload."""
        run = self.zones(rules)
        s, cells = self.settings, self.area.size
        caught = {
            "zones_high": run.level == HIGH,
            "zones_any": run.level > 0,
            "promap": self._surface(run.any_cells, s.promap),
            "hotspot": self._surface(run.any_cells, s.hotspot),
            "random": random_caught(
                self.period, self.target_cell, run.any_cells, cells, s.seed + 2
            ),
        }
        covered = {"zones_high": run.high_cells} | {m: run.any_cells for m in METHODS[1:]}
        weekly = Weekly.of(self.period, cells, caught, covered)
        draws = weekly.draws(s.draws, s.seed)
        rows = tuple(weekly.figures(m, draws) for m in METHODS)
        doors = self.maps.doors(run.rules)
        return Backtest(
            rules=run.rules,
            first_day=self.period.first,
            last_day=self.period.last,
            study_cells=cells,
            study_area_km2=self.area.area_km2,
            methods=rows,
            comparisons=tuple(weekly.comparison("zones_any", b, draws) for b in BASELINES),
            verdict=weekly.verdict(("zones_any", *BASELINES), draws),
            workload=Workload(
                zone_days=self.maps.zone_days(run.rules),
                rosters=None if doors is None else doors[1],
                doors=None if doors is None else doors[0],
            ),
        )

    def _surface(self, cells_per_day: Ints, method: ProMap | HotSpot) -> npt.NDArray[np.bool_]:
        return surface_caught(
            self.history,
            self.near,
            self.period,
            self.target_cell,
            cells_per_day,
            self.area.size,
            method,
            self.settings.seed + 1,
        )


def backtest(
    history: History,
    rules: Rules,
    settings: BacktestSettings | None = None,
    register: Register | None = None,
) -> Backtest:
    """The back-test summary of `rules` on a history (see the module's docstring)."""
    return Replay.of(history, settings, rules, register).backtest(rules)
