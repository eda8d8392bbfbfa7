"""The Knox near-repeat test: do burglaries close in space also fall close in time more often
than chance? Every pair of events is counted in a (distance band, time band) cell and compared
with the same count after the times are shuffled over the places (Monte Carlo permutation).

Bands, with width w metres, n space bands, width t days and m time bands:

- convention "inclusive" (the default; a band holds its upper edge, as "within 100 m" and
  "within 7 days" read): same location d = 0, then (0, w], (w, 2w], …, ((n-1)w, nw], beyond
  d > nw; time [0, t], (t, 2t], …, beyond > mt.
- convention "nrc" (the Near Repeat Calculator 1.3; its label "1 to 100" means this): same
  location d = 0, then (0, w), [w, 2w), …, beyond d ≥ nw; time [0, t), [t, 2t), …, beyond ≥ mt.

Resolution "date" floors times to whole days (gaps are whole days); "datetime" keeps them to the
second. Only the pairs closer than the last space edge are enumerated; the beyond band comes from
the totals over all pairs, which no permutation changes.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numba
import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from cocoon.analysis.bands import (
    Convention,
    Resolution,
    Ticks,
    band_codes,
    pairs_per_time_band,
    space_bands,
    ticks,
    time_bands,
    time_thresholds,
)
from cocoon.analysis.knox_kernel import count_by_table, count_by_thresholds, shuffle

Distance = Literal["euclidean", "manhattan"]
Table = npt.NDArray[np.int64]
PAIR_CHUNK = 1 << 20  # pairs binned at once by numpy: bounds the temporaries
BATCH_VALUES = 1 << 18  # random numbers drawn per batch of permutations: bounds their memory


@dataclass(frozen=True)
class KnoxSettings:
    """The bands and the permutation test; the defaults are 5 × 100 m and 4 × 7 days."""

    space_band_m: float = 100.0
    space_bands: int = 5
    time_band_days: float = 7.0
    time_bands: int = 4
    distance: Distance = "euclidean"
    convention: Convention = "inclusive"
    iterations: int = 999
    seed: int = 1
    resolution: Resolution = "date"

    def __post_init__(self) -> None:
        if not (self.space_band_m > 0 and self.time_band_days > 0):
            raise ValueError("space and time bands must be wider than 0")
        if not (1 <= self.space_bands <= 250 and 1 <= self.time_bands <= 64):
            raise ValueError("use 1 to 250 space bands and 1 to 64 time bands")
        if self.iterations < 1:
            raise ValueError("the permutation test needs at least 1 iteration")
        choices = {
            "distance": ("euclidean", "manhattan"),
            "convention": ("inclusive", "nrc"),
            "resolution": ("date", "datetime"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")


@dataclass(frozen=True)
class KnoxCell:
    """One (space band, time band) cell; a `_to` of None is the open-ended "beyond" band."""

    space_from_m: float
    space_to_m: float | None
    time_from_days: float
    time_to_days: float | None
    observed: int
    expected: float  # mean count over the permutations
    ratio: float | None  # observed / expected; None when no permutation put a pair here
    p: float  # (1 + permutations with a count >= observed) / (1 + permutations)

    @property
    def significance(self) -> str:
        """Mark "p<=0.01", "p<=0.05" or "": more pairs than chance explains at that level (p <= a
        Monte Carlo test's level, as NRC marks p = 0.05 from its 19 permutations)."""
        return "p<=0.01" if self.p <= 0.01 else "p<=0.05" if self.p <= 0.05 else ""


@dataclass(frozen=True)
class KnoxResult:
    """The Knox table: space bands (same location first, beyond last) by time bands."""

    settings: KnoxSettings
    events: int
    pairs: int  # all unordered pairs, n(n-1)/2
    close_pairs: int  # pairs within the last space edge, the ones enumerated
    cells: tuple[KnoxCell, ...]  # row by row: space band, then time band

    def rows(self) -> tuple[tuple[KnoxCell, ...], ...]:
        """The cells of each space band, same location first."""
        width = self.settings.time_bands + 1
        return tuple(self.cells[k : k + width] for k in range(0, len(self.cells), width))


def knox(
    x: npt.ArrayLike, y: npt.ArrayLike, t: npt.ArrayLike, settings: KnoxSettings | None = None
) -> KnoxResult:
    """Knox test of events at (x, y) metres and times t in days (fractional days for datetime)."""
    s = settings or KnoxSettings()
    xy, times = _events(x, y, t)
    tk = ticks(times, s.resolution)
    thresholds = time_thresholds(s.time_band_days, s.time_bands, s.convention, s.resolution)
    first, second, bounds = _close_pairs(xy, s)
    per_band = np.diff(bounds).astype(np.int64)
    totals = pairs_per_time_band(np.sort(tk).astype(np.int64), thresholds)
    observed = _full(_observed(tk, first, second, bounds, thresholds)[None], per_band, totals)[0]
    sums, at_least = _permuted(tk, first, second, bounds, thresholds, s, observed, per_band, totals)
    n = len(times)
    return KnoxResult(
        settings=s,
        events=n,
        pairs=n * (n - 1) // 2,
        close_pairs=int(per_band.sum()),
        cells=_cells(s, observed, sums, at_least),
    )


def _events(
    x: npt.ArrayLike, y: npt.ArrayLike, t: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The places as an (n, 2) array and the times, checked: equal lengths, finite, two or more."""
    xs, ys, ts = (np.asarray(a, dtype=np.float64).ravel() for a in (x, y, t))
    if not len(xs) == len(ys) == len(ts):
        raise ValueError(f"x, y and t differ in length ({len(xs)}, {len(ys)}, {len(ts)})")
    if len(ts) < 2:
        raise ValueError("the Knox test needs at least two events")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all() and np.isfinite(ts).all()):
        raise ValueError("every event needs a finite place and time (drop undated rows first)")
    return np.column_stack((xs, ys)), ts


def _close_pairs(
    xy: npt.NDArray[np.float64], s: KnoxSettings
) -> tuple[npt.NDArray[np.unsignedinteger], npt.NDArray[np.unsignedinteger], Table]:
    """Pairs i < j closer than the last space edge, grouped by space band (bounds[b]:bounds[b+1]);
    indices in the smallest type, which keeps the permutation loop in the CPU cache."""
    reach = s.space_band_m * s.space_bands  # queried a hair wider, then binned exactly below
    p = 1.0 if s.distance == "manhattan" else 2.0
    pairs = cKDTree(xy).query_pairs(reach * (1 + 1e-9), p=p, output_type="ndarray")
    band = np.empty(len(pairs), dtype=np.uint8)
    for lo in range(0, len(pairs), PAIR_CHUNK):
        i, j = pairs[lo : lo + PAIR_CHUNK].T
        dx, dy = xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1]
        d = np.abs(dx) + np.abs(dy) if s.distance == "manhattan" else np.hypot(dx, dy)
        band[lo : lo + PAIR_CHUNK] = space_bands(d, s.space_band_m, s.space_bands, s.convention)
    bounds = np.zeros(s.space_bands + 2, dtype=np.int64)
    bounds[1:] = np.cumsum(np.bincount(band, minlength=s.space_bands + 2)[: s.space_bands + 1])
    index = np.uint16 if len(xy) <= 1 << 16 else np.uint32
    first, second = np.empty(bounds[-1], dtype=index), np.empty(bounds[-1], dtype=index)
    filled = bounds[:-1].copy()
    for lo in range(0, len(pairs), PAIR_CHUNK):  # a counting sort by band, chunk by chunk
        chunk, chunk_band = pairs[lo : lo + PAIR_CHUNK], band[lo : lo + PAIR_CHUNK]
        for b in range(s.space_bands + 1):
            picked = chunk[chunk_band == b]
            first[filled[b] : filled[b] + len(picked)] = picked[:, 0]
            second[filled[b] : filled[b] + len(picked)] = picked[:, 1]
            filled[b] += len(picked)
    return first, second, bounds


def _observed(
    tk: npt.NDArray[np.signedinteger],
    first: npt.NDArray[np.unsignedinteger],
    second: npt.NDArray[np.unsignedinteger],
    bounds: Table,
    thresholds: Ticks,
) -> Table:
    """Close pairs per (space band, finite time band) with the times where they happened."""
    out = np.zeros((len(bounds) - 1, len(thresholds) + 1), dtype=np.int64)
    for band in range(len(bounds) - 1):
        for lo in range(int(bounds[band]), int(bounds[band + 1]), PAIR_CHUNK):
            hi = min(lo + PAIR_CHUNK, int(bounds[band + 1]))
            gaps = np.abs(tk[first[lo:hi]].astype(np.int64) - tk[second[lo:hi]])
            out[band] += np.bincount(time_bands(gaps, thresholds), minlength=len(thresholds) + 1)
    return out[:, : len(thresholds)]


def _full(close: Table, per_band: Table, totals: Table) -> Table:
    """Whole tables (…, space bands + beyond, time bands + beyond) from the close-pair counts:
    a space band's beyond-time cell is its remaining pairs, the beyond row the remaining totals."""
    *lead, bands, times = close.shape
    full = np.empty((*lead, bands + 1, times + 1), dtype=np.int64)
    full[..., :bands, :times] = close
    full[..., :bands, times] = per_band - close.sum(axis=-1)
    full[..., bands, :] = totals - full[..., :bands, :].sum(axis=-2)
    return full


def _permuted(
    tk: npt.NDArray[np.signedinteger],
    first: npt.NDArray[np.unsignedinteger],
    second: npt.NDArray[np.unsignedinteger],
    bounds: Table,
    thresholds: Ticks,
    s: KnoxSettings,
    observed: Table,
    per_band: Table,
    totals: Table,
) -> tuple[Table, Table]:
    """Sum of each cell over the permutations, and how many reached the observed count.
    Batches are drawn in order from one seeded generator and counted on all cores."""
    bands, n = len(thresholds), len(tk)
    width = min(32, 64 // bands)
    longest = int(tk.max())  # ticks count from the earliest
    by_band = band_codes(np.arange(bands + 1), bands, width)
    every_gap = np.arange(longest + 1) if longest < 1 << 16 else None  # whole days, not seconds
    table = None if every_gap is None else by_band[time_bands(every_gap, thresholds)]
    rng = np.random.default_rng(s.seed)
    batch = max(1, min(64, BATCH_VALUES // n))
    sums = np.zeros_like(observed)
    at_least = np.zeros_like(observed)

    def count(uniforms: npt.NDArray[np.float64]) -> Table:
        tps = np.empty((len(uniforms), n), dtype=tk.dtype)
        shuffle(tk, uniforms, tps)
        out = np.zeros((len(uniforms), len(bounds) - 1, bands), dtype=np.int64)
        if table is not None:
            count_by_table(tps, first, second, bounds, table, width, out)
        else:
            count_by_thresholds(tps, first, second, bounds, thresholds, by_band, width, out)
        return out

    def add(close: Table) -> None:
        full = _full(close, per_band, totals)
        sums[...] += full.sum(axis=0)
        at_least[...] += (full >= observed).sum(axis=0)

    workers = max(1, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1)))  # CPUs, or as set
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[Table]] = deque()
        for start in range(0, s.iterations, batch):
            uniforms = rng.random((min(batch, s.iterations - start), len(tk)))
            pending.append(pool.submit(count, uniforms))
            if len(pending) > workers:
                add(pending.popleft().result())
        while pending:
            add(pending.popleft().result())
    return sums, at_least


def _cells(s: KnoxSettings, observed: Table, sums: Table, at_least: Table) -> tuple[KnoxCell, ...]:
    """The cells with their band edges, row by row."""
    w, ns, t, nt = s.space_band_m, s.space_bands, s.time_band_days, s.time_bands
    space: list[tuple[float, float | None]] = [(0.0, 0.0)]
    space += [(float((b - 1) * w), float(b * w)) for b in range(1, ns + 1)] + [(ns * w, None)]
    time: list[tuple[float, float | None]] = [(k * t, (k + 1) * t) for k in range(nt)]
    time.append((float(nt * t), None))
    expected = sums / s.iterations
    p = (at_least + 1) / (s.iterations + 1)
    ratio = np.divide(observed, expected, out=np.full(expected.shape, np.nan), where=expected > 0)
    return tuple(
        KnoxCell(
            space_from_m=float(space[r][0]),
            space_to_m=space[r][1],
            time_from_days=float(time[c][0]),
            time_to_days=time[c][1],
            observed=int(observed[r, c]),
            expected=float(expected[r, c]),
            ratio=None if np.isnan(ratio[r, c]) else float(ratio[r, c]),
            p=float(p[r, c]),
        )
        for r in range(ns + 2)
        for c in range(nt + 1)
    )
