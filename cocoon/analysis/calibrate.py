"""Do 500 m and 14 + 42 days fit this area? The zones of every radius (100-800 m) and days (high
7-28, elevated 28-84) replayed on the area's own history, and a suggestion.

The suggestion's rule: of the combinations that catch at least as large a share of the later
burglaries as the rules in use, both in their zones of any level and in their high zones, the one
with the highest PAI (the same protection on the least ground per burglary caught); of equals
(the PAI of all levels depends on the radius and the total days only), the highest PAI of the
high zones, then fewer zone-days, the smaller radius and the shorter days. The rules in use
always qualify, so the suggestion is never less efficient than they are; the bootstrap interval
of the PAI gain says whether the gain is more than chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cocoon.analysis.backtest import Replay, ZoneRun
from cocoon.analysis.replay import Rules, ZoneRules
from cocoon.analysis.weekly import Interval, Weekly, interval
from cocoon.core.risk import HIGH


@dataclass(frozen=True)
class SensitivityGrid:
    """The radii and days tried."""

    radii_m: tuple[float, ...] = (100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0)
    high_days: tuple[int, ...] = (7, 14, 21, 28)
    elevated_days: tuple[int, ...] = (28, 42, 56, 70, 84)

    def combinations(self) -> list[ZoneRules]:
        """Radius, then high days, then elevated days, each ascending."""
        return [
            ZoneRules(r, h, e)
            for r in sorted(self.radii_m)
            for h in sorted(self.high_days)
            for e in sorted(self.elevated_days)
        ]


@dataclass(frozen=True)
class SensitivityRow:
    """One combination: the figures of its zones of any level and of its high zones (`high_…`),
    and the workload."""

    radius_m: float
    high_risk_days: int
    elevated_risk_days: int
    events: int
    hits: int
    hit_rate: float
    area_share: float
    pai: float | None
    pai_95: Interval | None
    high_hits: int
    high_hit_rate: float
    high_area_share: float
    high_pai: float | None
    zone_days: int
    rosters: int | None
    doors: int | None

    @property
    def rules(self) -> ZoneRules:
        return ZoneRules(self.radius_m, self.high_risk_days, self.elevated_risk_days)

    @property
    def hits_per_zone_day(self) -> float | None:
        return self.hits / self.zone_days if self.zone_days else None


@dataclass(frozen=True)
class Suggestion:
    """The suggested combination against the rules in use, with the PAI gain's interval."""

    row: SensitivityRow
    reference: SensitivityRow
    pai_gain: float | None
    pai_gain_95: Interval | None

    @property
    def clear(self) -> bool:
        """Whether the PAI gain over the rules in use is more than chance (interval above 0)."""
        return self.pai_gain_95 is not None and self.pai_gain_95.low > 0

    def evidence(self) -> str:
        """One line: what the suggestion catches, on how much, against the rules in use."""
        s, r = self.row, self.reference
        if s.rules == r.rules:
            verdict = "no combination tried catches as much on less ground"
        elif self.pai_gain is None or self.pai_gain_95 is None:
            verdict = "PAI gain unknown"
        else:
            low, high = self.pai_gain_95.low, self.pai_gain_95.high
            verdict = f"PAI gain {self.pai_gain:+.2f} (95% {low:+.2f} to {high:+.2f})"
            verdict += "" if self.clear else f", within chance: {_name(r)} fits as well"
        return (
            f"back-test on {s.events:,} burglaries: {_name(s)} caught {s.hit_rate:.1%} on "
            f"{s.area_share:.1%} of the study area, PAI {_pai(s)}; {_name(r)} caught "
            f"{r.hit_rate:.1%} on {r.area_share:.1%}, PAI {_pai(r)}; {verdict}"
        )

    def snippet(self, comment: str | None = None) -> str:
        """The `[risk]` settings to paste, with the evidence (or `comment`) as a comment line."""
        s = self.row
        note = " ".join((comment or self.evidence()).split())
        return (
            f"[risk]\n# {note}\nradius_m = {s.radius_m:g}\n"
            f"high_risk_days = {s.high_risk_days}\nelevated_risk_days = {s.elevated_risk_days}\n"
        )


@dataclass(frozen=True)
class Sensitivity:
    rows: tuple[SensitivityRow, ...]
    reference: SensitivityRow
    suggestion: Suggestion


def sensitivity(replay: Replay, rules: Rules, grid: SensitivityGrid | None = None) -> Sensitivity:
    """Every combination of the grid on a prepared history, the rules in use, the suggestion."""
    combos = (grid or SensitivityGrid()).combinations()
    reference = ZoneRules.of(rules)
    replay.lags([c.radius_m for c in combos] + [reference.radius_m])
    replay.maps.prepare([*combos, reference])
    runs = [replay.zones(c) for c in combos]
    own = next((i for i, c in enumerate(combos) if c == reference), None)
    if own is None:
        runs.append(replay.zones(reference))
    weekly = _weekly(replay, runs)
    draws = weekly.draws(replay.settings.draws, replay.settings.seed)
    rows = [_row(replay, weekly, str(i), run, draws) for i, run in enumerate(runs)]
    ref_index = len(runs) - 1 if own is None else own
    ref = rows[ref_index]
    candidates = [
        i
        for i, row in enumerate(rows[: len(combos)])
        if row.hit_rate >= ref.hit_rate and row.high_hit_rate >= ref.high_hit_rate
    ]
    best = min(candidates, key=lambda i: _preference(rows[i]))
    gain_95, pai_gain, best_pai = None, None, rows[best].pai
    if best_pai is not None and ref.pai is not None:
        pai_gain = best_pai - ref.pai
        gain_95 = interval(
            weekly.rates(str(best), draws)[1] - weekly.rates(str(ref_index), draws)[1]
        )
    return Sensitivity(
        rows=tuple(rows[: len(combos)]),
        reference=ref,
        suggestion=Suggestion(rows[best], ref, pai_gain, gain_95),
    )


def _weekly(replay: Replay, runs: list[ZoneRun]) -> Weekly:
    """Weekly figures of each run's zones (key "i") and high zones (key "i high")."""
    caught = {str(i): run.level > 0 for i, run in enumerate(runs)}
    caught |= {f"{i} high": run.level == HIGH for i, run in enumerate(runs)}
    covered = {str(i): run.any_cells for i, run in enumerate(runs)}
    covered |= {f"{i} high": run.high_cells for i, run in enumerate(runs)}
    return Weekly.of(replay.period, replay.area.size, caught, covered)


def _row(
    replay: Replay, weekly: Weekly, key: str, run: ZoneRun, draws: np.ndarray
) -> SensitivityRow:
    f, high = weekly.figures(key, draws), weekly.figures(f"{key} high", None).row
    doors = replay.maps.doors(run.rules)
    z = run.rules
    return SensitivityRow(
        radius_m=z.radius_m,
        high_risk_days=z.high_risk_days,
        elevated_risk_days=z.elevated_risk_days,
        events=f.row.events,
        hits=f.row.hits,
        hit_rate=f.row.hit_rate,
        area_share=f.row.area_share,
        pai=f.row.pai,
        pai_95=f.pai_95,
        high_hits=high.hits,
        high_hit_rate=high.hit_rate,
        high_area_share=high.area_share,
        high_pai=high.pai,
        zone_days=replay.maps.zone_days(z),
        rosters=None if doors is None else doors[1],
        doors=None if doors is None else doors[0],
    )


def _preference(row: SensitivityRow) -> tuple[float, float, int, float, int, int]:
    """Sorts the qualifying rows best first (see the module's docstring)."""
    pai = -row.pai if row.pai is not None else float("inf")
    high_pai = -row.high_pai if row.high_pai is not None else float("inf")
    z = row.rules
    return (pai, high_pai, row.zone_days, z.radius_m, z.high_risk_days, z.elevated_risk_days)


def _name(row: SensitivityRow) -> str:
    return f"{row.radius_m:g} m, {row.high_risk_days} + {row.elevated_risk_days} days"


def _pai(row: SensitivityRow) -> str:
    if row.pai is None:
        return "-"
    interval = "" if row.pai_95 is None else f" (95% {row.pai_95.low:.2f}-{row.pai_95.high:.2f})"
    return f"{row.pai:.2f}{interval}"
