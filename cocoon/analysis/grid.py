"""The study area of a back-test: the cells of a square grid (100 m by default) whose centres lie
inside the outline of the burglaries (their convex hull) and within a reach (800 m by default, the
largest zone radius tried) of one of them, and every cell that holds a burglary. Where burglaries
happen, then, but not the sea or a park far from any. Every method's area is counted in these
cells alone (a zone's part outside is not), so area shares compare alike, and on burglaries
spread evenly a zone's hit rate is its area share (PAI 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
CHUNK = 2048  # points placed on the grid at once: bounds the temporaries
#: Up to this many cells in the box around the points, the cells within reach are marked in one
#: array (a few MB); beyond it (points far apart) they are collected and sorted instead.
BITMAP_CELLS = 50_000_000


@dataclass(frozen=True)
class Near:
    """(point, study cell, distance to the cell's centre) triples, sorted by point, then distance;
    `start[p]:start[p + 1]` are point p's."""

    start: Ints
    cell: npt.NDArray[np.int32]
    distance: npt.NDArray[np.float64]

    @property
    def point(self) -> Ints:
        """The point of each triple."""
        return np.repeat(np.arange(len(self.start) - 1), np.diff(self.start))


@dataclass(frozen=True)
class StudyArea:
    """Square cells `cell_m` wide; cell (column c, row r) has its lower-left corner at
    (x0 + c·cell_m, y0 + r·cell_m). `cells` are the flat numbers r·columns + c of the study cells,
    ascending; a study cell's own number is its position there."""

    cell_m: float
    reach_m: float
    x0: float
    y0: float
    columns: int
    rows: int
    cells: Ints

    @property
    def size(self) -> int:
        """How many cells the study area has."""
        return len(self.cells)

    @property
    def area_km2(self) -> float:
        return self.size * self.cell_m**2 / 1e6

    def centres(self) -> tuple[Floats, Floats]:
        """The centres of the study cells, in their order."""
        row, column = np.divmod(self.cells, self.columns)
        return self.x0 + (column + 0.5) * self.cell_m, self.y0 + (row + 0.5) * self.cell_m

    def cell_of(self, x: npt.ArrayLike, y: npt.ArrayLike) -> Ints:
        """The study cell each point lies in, -1 for a point outside the study area."""
        flat = self._flat(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        found = np.searchsorted(self.cells, flat).clip(max=max(self.size - 1, 0))
        return np.where((flat >= 0) & (self.cells[found] == flat), found, -1)

    def near(self, x: npt.ArrayLike, y: npt.ArrayLike, reach_m: float) -> Near:
        """The study cells whose centres lie within reach_m of each point (planar, ≤)."""
        xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        parts = [
            self._near(xs[lo : lo + CHUNK], ys[lo : lo + CHUNK], reach_m)
            for lo in range(0, len(xs), CHUNK)
        ]
        counts = np.concatenate([count for count, _, _ in parts] or [np.zeros(0, np.int64)])
        start = np.zeros(len(xs) + 1, dtype=np.int64)
        start[1:] = np.cumsum(counts)
        cell = np.concatenate([c for _, c, _ in parts] or [np.zeros(0, np.int32)])
        distance = np.concatenate([d for _, _, d in parts] or [np.zeros(0, np.float64)])
        return Near(start, cell, distance)

    def _near(
        self, xs: Floats, ys: Floats, reach_m: float
    ) -> tuple[Ints, npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """Near's counts per point and its cells and distances, for a chunk of points."""
        span = math.ceil(reach_m / self.cell_m) + 1
        offsets = np.arange(-span, span + 1)
        dc, dr = (a.ravel() for a in np.meshgrid(offsets, offsets))
        c = np.floor((xs - self.x0) / self.cell_m).astype(np.int64)[:, None] + dc
        r = np.floor((ys - self.y0) / self.cell_m).astype(np.int64)[:, None] + dr
        d = np.hypot(
            self.x0 + (c + 0.5) * self.cell_m - xs[:, None],
            self.y0 + (r + 0.5) * self.cell_m - ys[:, None],
        )
        inside = (d <= reach_m) & (c >= 0) & (c < self.columns) & (r >= 0) & (r < self.rows)
        flat = (r * self.columns + c)[inside]
        found = np.searchsorted(self.cells, flat).clip(max=max(self.size - 1, 0))
        cell = np.full(d.shape, -1, dtype=np.int64)
        cell[inside] = np.where(self.cells[found] == flat, found, -1)
        keep = cell >= 0
        point = np.broadcast_to(np.arange(len(xs))[:, None], keep.shape)[keep]
        order = np.lexsort((d[keep], point))
        return (
            keep.sum(axis=1).astype(np.int64),
            cell[keep][order].astype(np.int32),
            d[keep][order].astype(np.float64),
        )

    def _flat(self, x: Floats, y: Floats) -> Ints:
        column = np.floor((x - self.x0) / self.cell_m).astype(np.int64)
        row = np.floor((y - self.y0) / self.cell_m).astype(np.int64)
        inside = (column >= 0) & (column < self.columns) & (row >= 0) & (row < self.rows)
        return np.where(inside, row * self.columns + column, -1)


def study_area(
    x: npt.ArrayLike, y: npt.ArrayLike, cell_m: float = 100.0, reach_m: float = 800.0
) -> StudyArea:
    """The cells whose centres lie inside the points' convex hull and within reach_m of one of
    them, and the cells holding a point (x, y, metres). Only the cells around the points are
    looked at, so a stray point far from the others (a typing error) costs its own cells, not
    every cell of the box between them."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if not (cell_m > 0 and reach_m >= 0):
        raise ValueError("the study area needs cells wider than 0 and a reach of 0 or more")
    x0 = math.floor((xs.min() - reach_m) / cell_m) * cell_m
    y0 = math.floor((ys.min() - reach_m) / cell_m) * cell_m
    columns = math.ceil((xs.max() + reach_m - x0) / cell_m) + 1
    rows = math.ceil((ys.max() + reach_m - y0) / cell_m) + 1
    near = _within_reach(xs, ys, x0, y0, cell_m, reach_m, columns, rows)
    row, column = np.divmod(near, columns)
    hull = shapely.MultiPoint(np.column_stack((xs, ys))).convex_hull
    inside = shapely.contains_xy(hull, x0 + (column + 0.5) * cell_m, y0 + (row + 0.5) * cell_m)
    held = np.floor((ys - y0) / cell_m).astype(np.int64) * columns
    held += np.floor((xs - x0) / cell_m).astype(np.int64)
    cells = np.union1d(near[inside], held)
    return StudyArea(cell_m, reach_m, x0, y0, columns, rows, cells.astype(np.int64))


def _within_reach(
    xs: Floats,
    ys: Floats,
    x0: float,
    y0: float,
    cell_m: float,
    reach_m: float,
    columns: int,
    rows: int,
) -> Ints:
    """The flat numbers of the cells whose centres lie within reach_m of a point, ascending."""
    span = math.ceil(reach_m / cell_m) + 1
    offsets = np.arange(-span, span + 1)
    dc, dr = (a.ravel() for a in np.meshgrid(offsets, offsets))
    small = rows * columns <= BITMAP_CELLS
    marked = np.zeros(rows * columns if small else 0, dtype=np.bool_)
    found = [np.zeros(0, dtype=np.int64)]
    for lo in range(0, len(xs), CHUNK):
        px, py = xs[lo : lo + CHUNK, None], ys[lo : lo + CHUNK, None]
        c = np.floor((px - x0) / cell_m).astype(np.int64) + dc
        r = np.floor((py - y0) / cell_m).astype(np.int64) + dr
        d = np.hypot(x0 + (c + 0.5) * cell_m - px, y0 + (r + 0.5) * cell_m - py)
        ok = (d <= reach_m) & (c >= 0) & (c < columns) & (r >= 0) & (r < rows)
        if small:
            marked[r[ok] * columns + c[ok]] = True
        else:
            found.append(np.unique(r[ok] * columns + c[ok]))
    if small:
        return np.flatnonzero(marked).astype(np.int64)
    return np.unique(np.concatenate(found))
