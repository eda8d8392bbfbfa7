"""What the zones are measured against: other ways of choosing, each day, as many study cells as
the zones cover that day, from the burglaries known before the day began.

- ProMap (Bowers, Johnson & Pease 2004), prospective: each burglary of the last 8 weeks adds
  1/(1 + d/100 m) × 1/(1 + whole weeks since it) to the cells within 400 m (d: to the cell's
  centre, counted in cell widths of 100 m).
- Hot spot, retrospective: a quartic kernel density (bandwidth 300 m) of the burglaries of the
  last 3 months (91 days), all weighted alike.
- Random: the cells drawn at random each day (seeded); its expected hit rate is its area share.

A burglary is caught when the cell it lies in is chosen on its day. Ties, and the cells no
burglary reaches when the zones cover more, are broken by one seeded random order of the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cocoon.analysis.backtest_kernel import surface_hits
from cocoon.analysis.grid import Near
from cocoon.analysis.replay import History, Period

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ProMap:
    """The prospective map's numbers: reach, memory, and the distance unit of its weights."""

    reach_m: float = 400.0
    days: int = 56
    unit_m: float = 100.0


@dataclass(frozen=True)
class HotSpot:
    """The retrospective map's numbers: the kernel's bandwidth and how far back it counts."""

    bandwidth_m: float = 300.0
    days: int = 91


def surface_caught(
    history: History,
    near: Near,
    period: Period,
    target_cell: Ints,
    cells_per_day: Ints,
    cells: int,
    method: ProMap | HotSpot,
    seed: int,
) -> Flags:
    """Whether each evaluated burglary (period order) lies in a chosen cell of the day's map, of
    `cells` study cells; `near` must reach at least as far as the method's weights."""
    reach = method.reach_m if isinstance(method, ProMap) else method.bandwidth_m
    start, entry = history.start, history.entry
    key = np.random.default_rng(seed).permutation(cells)
    hit = np.zeros(len(period.burglaries), dtype=np.bool_)
    surface_hits(
        np.argsort(start, kind="stable"),
        start,
        entry,
        history.t,
        near.start,
        near.cell.astype(np.int64),
        near.distance,
        0 if isinstance(method, ProMap) else 1,
        float(reach),
        float(method.unit_m) if isinstance(method, ProMap) else 1.0,
        int(method.days),
        key.astype(np.int64),
        period.first,
        cells_per_day,
        period.day_start,
        target_cell,
        hit,
    )
    return hit


def random_caught(
    period: Period, target_cell: Ints, cells_per_day: Ints, cells: int, seed: int
) -> Flags:
    """Whether each evaluated burglary's cell is among the day's cells drawn at random."""
    rng = np.random.default_rng(seed)
    hit = np.zeros(len(period.burglaries), dtype=np.bool_)
    for k in np.flatnonzero(np.diff(period.day_start) > 0):
        lo, hi = period.day_start[k], period.day_start[k + 1]
        used, where = np.unique(target_cell[lo:hi], return_inverse=True)
        place = rng.choice(cells, size=len(used), replace=False)  # the cells' places in the draw
        hit[lo:hi] = place[where] < cells_per_day[k]
    return hit
