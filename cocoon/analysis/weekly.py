"""The figures of each method over the evaluated period (events, hits, hit rate, area share,
PAI) and their bootstrap over weeks: weeks drawn with replacement (seeded), 95 % percentile
intervals of each figure and of the differences between methods. A week is the unit drawn
because burglaries close in time are not independent (that is the near-repeat pattern).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cocoon.analysis.replay import Period

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Interval:
    """A 95 % bootstrap interval."""

    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class MethodRow:
    """One row of the back-test summary CSV (DESIGN.md, "Back-test summary"); pai is None when
    the method covered nothing."""

    method: str
    events: int
    hits: int
    hit_rate: float
    area_share: float
    pai: float | None


@dataclass(frozen=True)
class MethodFigures:
    row: MethodRow
    hit_rate_95: Interval
    pai_95: Interval | None


@dataclass(frozen=True)
class Comparison:
    """The zones (all levels) against a baseline at the same area: differences of hit rate and
    PAI, zones minus baseline, with their intervals."""

    baseline: str
    hit_rate_difference: float
    hit_rate_difference_95: Interval
    pai_difference: float | None
    pai_difference_95: Interval | None


@dataclass(frozen=True)
class Verdict:
    """The method that caught most at the zones' area, its lead over the runner-up and the
    interval of that lead; `clear` when the interval lies above zero."""

    winner: str
    runner_up: str
    lead: float  # hit rate difference
    lead_95: Interval

    @property
    def clear(self) -> bool:
        return self.lead_95.low > 0


@dataclass(frozen=True)
class Weekly:
    """Per week of the period: burglaries, days, and per method hits and covered cell-days: what
    the bootstrap resamples."""

    cells: int
    events: Floats
    days: Floats
    hits: dict[str, Floats]
    covered: dict[str, Floats]

    @classmethod
    def of(
        cls,
        p: Period,
        cells: int,
        caught: dict[str, npt.NDArray[np.bool_]],
        covered: dict[str, Ints],
    ) -> Weekly:
        week, day_week = p.week_of_burglary(), p.week_of_day()

        def per_week(values: npt.ArrayLike, of: Ints) -> Floats:
            weights = np.asarray(values, dtype=np.float64)
            return np.bincount(of, weights=weights, minlength=p.weeks).astype(np.float64)

        return cls(
            cells=cells,
            events=per_week(np.ones(len(week)), week),
            days=per_week(np.ones(p.days), day_week),
            hits={m: per_week(c, week) for m, c in caught.items()},
            covered={m: per_week(c, day_week) for m, c in covered.items()},
        )

    def draws(self, n: int, seed: int) -> Floats:
        """How often each week is drawn, per bootstrap draw (n × weeks)."""
        weeks = len(self.events)
        picks = np.random.default_rng(seed).integers(0, weeks, size=(n, weeks))
        counts = np.zeros((n, weeks))
        np.add.at(counts, (np.repeat(np.arange(n), weeks), picks.ravel()), 1.0)
        return counts

    def rates(self, method: str, weights: Floats | None = None) -> tuple[Floats, Floats]:
        """Hit rate and PAI (nan where undefined), for the period or per bootstrap draw."""
        w = np.ones((1, len(self.events))) if weights is None else weights
        with np.errstate(divide="ignore", invalid="ignore"):
            hit_rate = (w @ self.hits[method]) / (w @ self.events)
            share = (w @ self.covered[method]) / (self.cells * (w @ self.days))
            return hit_rate, np.where(share > 0, hit_rate / share, np.nan)

    def figures(self, method: str, draws: Floats | None) -> MethodFigures:
        """The method's row and, given bootstrap draws, its intervals (else nan intervals)."""
        events, hits = int(self.events.sum()), int(np.rint(self.hits[method].sum()))
        share = float(self.covered[method].sum() / (self.cells * self.days.sum()))
        hit_rate = hits / events if events else 0.0
        pai = hit_rate / share if share > 0 else None
        rate_b, pai_b = self.rates(method, draws) if draws is not None else (NO_DRAWS, NO_DRAWS)
        return MethodFigures(
            MethodRow(method, events, hits, hit_rate, share, pai),
            interval(rate_b),
            None if pai is None else interval(pai_b),
        )

    def comparison(self, zones: str, baseline: str, draws: Floats) -> Comparison:
        (rate_z,), (pai_z,) = self.rates(zones)
        (rate_b,), (pai_b,) = self.rates(baseline)
        rz, pz = self.rates(zones, draws)
        rb, pb = self.rates(baseline, draws)
        pai_known = bool(np.isfinite(pai_z) and np.isfinite(pai_b))
        return Comparison(
            baseline=baseline,
            hit_rate_difference=float(rate_z - rate_b),
            hit_rate_difference_95=interval(rz - rb),
            pai_difference=float(pai_z - pai_b) if pai_known else None,
            pai_difference_95=interval(pz - pb) if pai_known else None,
        )

    def verdict(self, methods: tuple[str, ...], draws: Floats) -> Verdict:
        """The best and second-best of methods at one area, by hit rate (= by PAI there)."""
        ranked = sorted(methods, key=lambda m: (-float(self.rates(m)[0][0]), methods.index(m)))
        best, second = ranked[0], ranked[1]
        lead = float(self.rates(best)[0][0] - self.rates(second)[0][0])
        return Verdict(
            best, second, lead, interval(self.rates(best, draws)[0] - self.rates(second, draws)[0])
        )


NO_DRAWS = np.zeros(0)


def interval(values: Floats) -> Interval:
    """The 95 % percentile interval of bootstrap values, leaving out undefined draws."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return Interval(float("nan"), float("nan"))
    low, high = np.percentile(finite, [2.5, 97.5])
    return Interval(float(low), float(high))
