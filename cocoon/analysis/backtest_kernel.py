"""The back-test's day-by-day loops compiled with numba (as cocoon.analysis.knox_kernel): the area
the zones cover each day, the zones they merge into, the doors visited, and the baselines' daily
maps. Each runs once per combination of the sensitivity grid, over pairs enumerated once.

Day arrays are indexed from the first evaluated day d0; intervals of days are [first, end).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from cocoon.analysis.knox_kernel import compiled

Ints = npt.NDArray[np.integer[Any]]
Floats = npt.NDArray[np.float64]


@compiled
def coverage(
    cell_start: Ints, entry: Ints, start: Ints, days: int, d0: int, out: Ints
) -> None:  # pragma: no cover - compiled
    """out[k]: cells on the map at the start of day d0 + k. Cell c is within the radius of the
    reports cell_start[c]:cell_start[c + 1], sorted by entry day (so that their intervals merge in
    one pass); report p shows on days [entry[p], start[p] + days)."""
    n = out.shape[0]
    diff = np.zeros(n + 1, dtype=np.int64)
    for c in range(cell_start.shape[0] - 1):
        first, end = np.int64(0), np.int64(0)  # the interval being merged; empty if end <= first
        s, e = np.int64(0), np.int64(0)
        for p in range(cell_start[c], cell_start[c + 1] + 1):
            if p < cell_start[c + 1]:
                s, e = np.int64(entry[p]), np.int64(start[p] + days)
                if e <= s:
                    continue
                if end > first and s <= end:
                    end = e if e > end else end
                    continue
            lo, hi = first - d0, end - d0
            if lo < 0:
                lo = np.int64(0)
            if hi > n:
                hi = np.int64(n)
            if hi > lo:
                diff[lo] += 1
                diff[hi] -= 1
            if p < cell_start[c + 1]:
                first, end = s, e
    out[:] = np.cumsum(diff)[:n]


@compiled
def zone_merges(
    first: Ints,
    second: Ints,
    shown: Ints,
    base: Ints,
    distance: Floats,
    nodes: int,
    reach: float,
    total: int,
    d0: int,
    out: Ints,
) -> None:  # pragma: no cover - compiled
    """out[k]: how many merges join the live buffers into zones at the start of day d0 + k (zones
    = live reports - merges). Edge q joins reports first[q] and second[q] at most `distance[q]`
    apart; both show from day shown[q] until base[q] + total. Edges are sorted by `shown`; those
    farther than `reach` (2 × radius: buffers that overlap) are left out."""
    parent = np.empty(nodes, dtype=np.int64)
    stamp = np.zeros(nodes, dtype=np.int64)
    active = np.empty(first.shape[0], dtype=np.int64)
    held, q = 0, 0
    for k in range(out.shape[0]):
        day = d0 + k
        while q < first.shape[0] and shown[q] <= day:
            if distance[q] <= reach and base[q] + total > day:
                active[held] = q
                held += 1
            q += 1
        kept, merges = 0, 0
        for a in range(held):
            edge = active[a]
            if base[edge] + total <= day:
                continue
            active[kept] = edge
            kept += 1
            x, y = first[edge], second[edge]
            for z in (x, y):
                if stamp[z] != k + 1:
                    stamp[z], parent[z] = k + 1, z
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            while parent[y] != y:
                parent[y] = parent[parent[y]]
                y = parent[y]
            if x != y:
                parent[max(x, y)] = min(x, y)
                merges += 1
        held = kept
        out[k] = merges


@compiled
def doors(
    order: Ints,
    plan: Floats,
    t: Floats,
    report_start: Ints,
    address: Ints,
    distance: Floats,
    radius: float,
    high: int,
    revisit: float,
    cap: int,
    addresses: int,
    first: float,
    end: float,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """(doors, rosters) planned in [first, end): reports in `order` (by plan time) at high risk
    when planned get the addresses within `radius`, nearest first (report_start CSR, by distance),
    at most `cap`, leaving out those another plan took within the last `revisit` days."""
    last = np.full(addresses, -np.inf)
    total_doors, rosters = 0, 0
    for i in order:
        if not plan[i] < t[i] + high:
            continue
        taken = 0
        for q in range(report_start[i], report_start[i + 1]):
            if distance[q] > radius or taken >= cap:
                break
            if last[address[q]] >= plan[i] - revisit:
                continue
            last[address[q]] = plan[i]
            taken += 1
        if first <= plan[i] < end:
            total_doors += taken
            rosters += 1
    return total_doors, rosters


@compiled
def surface_hits(
    order: Ints,
    start: Ints,
    entry: Ints,
    t: Floats,
    near_start: Ints,
    cell: Ints,
    distance: Floats,
    kind: int,
    reach: float,
    unit: float,
    days: int,
    key: Ints,
    d0: int,
    cells_per_day: Ints,
    day_start: Ints,
    target_cell: Ints,
    hit: npt.NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """Whether each evaluated burglary's cell is among the day's `cells_per_day[k]` top cells of a
    surface made, at the start of day d0 + k, of the reports shown on days [entry, start + days).
    kind 0 (ProMap): weight 1/(1 + d/unit) × 1/(1 + whole weeks since the risk start), d < reach;
    kind 1 (hot spot): the quartic kernel (1 - (d/reach)²)², d < reach. Ties, and the cells no
    report reaches, rank by `key` (a random order of the cells). Burglaries of day d0 + k are
    target_cell[day_start[k]:day_start[k + 1]]; `order` sorts the reports by `start`."""
    n_cells = key.shape[0]
    score = np.zeros(n_cells)
    marked = np.zeros(n_cells, dtype=np.bool_)
    touched = np.empty(n_cells, dtype=np.int64)
    lo, hi = 0, 0
    for k in range(cells_per_day.shape[0]):
        day = d0 + k
        if day_start[k] == day_start[k + 1]:
            continue
        while hi < order.shape[0] and start[order[hi]] <= day:
            hi += 1
        while lo < hi and start[order[lo]] + days <= day:
            lo += 1
        held = 0
        for q in range(lo, hi):
            i = order[q]
            if entry[i] > day:
                continue
            weeks = np.floor((day - t[i]) / 7.0)
            for p in range(near_start[i], near_start[i + 1]):
                d = distance[p]
                if d >= reach:
                    break
                w = (
                    1.0 / (1.0 + d / unit) / (1.0 + weeks)
                    if kind == 0
                    else (1 - (d / reach) ** 2) ** 2
                )
                c = cell[p]
                if not marked[c]:
                    marked[c] = True
                    touched[held] = c
                    held += 1
                score[c] += w
        for j in range(day_start[k], day_start[k + 1]):
            c = target_cell[j]
            ahead = 0
            if marked[c]:
                for a in range(held):
                    o = touched[a]
                    if score[o] > score[c] or (score[o] == score[c] and key[o] > key[c]):
                        ahead += 1
            else:
                ahead = held + (n_cells - 1 - key[c])
                for a in range(held):
                    if key[touched[a]] > key[c]:
                        ahead -= 1
            hit[j] = ahead < cells_per_day[k]
        for a in range(held):
            score[touched[a]] = 0.0
            marked[touched[a]] = False
