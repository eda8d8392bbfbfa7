"""Band edges of the Knox table and the band each distance or time gap falls in, so that the
observed count, the permutations and the all-pair totals bin every pair alike.

Two conventions (see cocoon.analysis.knox for what they mean to an analyst):

- "inclusive": a band holds its upper edge. Space: d = 0, (0, w], (w, 2w], …, beyond > n·w;
  time: [0, t], (t, 2t], …, beyond > n·t.
- "nrc": a band holds its lower edge, as the Near Repeat Calculator 1.3 counts. Space: d = 0,
  (0, w), [w, 2w), …, beyond ≥ n·w; time: [0, t), [t, 2t), …, beyond ≥ n·t.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

Convention = Literal["inclusive", "nrc"]
Resolution = Literal["date", "datetime"]
SECONDS_PER_DAY = 86_400
Ticks = npt.NDArray[np.int64]


def _side(convention: Convention) -> Literal["left", "right"]:
    """searchsorted side that counts the edges a value has passed under the convention."""
    return "right" if convention == "nrc" else "left"


def space_bands(
    d: npt.NDArray[np.float64], width_m: float, bands: int, convention: Convention
) -> npt.NDArray[np.uint8]:
    """Band of each distance: 0 the same location, 1..bands the finite bands, bands + 1 beyond."""
    edges = width_m * np.arange(1, bands + 1, dtype=np.float64)
    band = (np.searchsorted(edges, d, side=_side(convention)) + 1).astype(np.uint8)
    band[d == 0] = 0
    return band


def ticks(t: npt.NDArray[np.float64], resolution: Resolution) -> npt.NDArray[np.signedinteger]:
    """Times as small integers from the earliest: whole days (floored), or seconds (rounded)."""
    whole = np.floor(t) if resolution == "date" else np.rint(t * SECONDS_PER_DAY)
    span: npt.NDArray[np.float64] = whole - whole.min()
    for dtype in (np.int16, np.int32):
        if span.max() <= np.iinfo(dtype).max:
            return span.astype(dtype)
    return span.astype(np.int64)


def time_thresholds(
    width_days: float, bands: int, convention: Convention, resolution: Resolution
) -> Ticks:
    """Smallest gap, in ticks, of each time band after the first (the last one starts beyond):
    a gap's band is the number of thresholds it reaches, exactly, as gaps are whole ticks."""
    edges = width_days * np.arange(1, bands + 1, dtype=np.float64)
    if resolution == "date":
        reached = np.ceil(edges) if convention == "nrc" else np.floor(edges) + 1
        return reached.astype(np.int64)
    seconds: Ticks = np.rint(edges * SECONDS_PER_DAY).astype(np.int64)
    if seconds[0] < 1:
        raise ValueError(f"a time band of {width_days} days is shorter than a second")
    return seconds if convention == "nrc" else seconds + 1


def time_bands(gaps: Ticks, thresholds: Ticks) -> npt.NDArray[np.intp]:
    """Band of each gap (non-negative ticks): 0 .. len(thresholds), the last one beyond."""
    return np.searchsorted(thresholds, gaps, side="right")


def band_codes(band: npt.NDArray[np.intp], finite: int, width: int) -> npt.NDArray[np.uint64]:
    """A code per band: one bit field of `width` bits per finite band (beyond adds nothing), so
    that a compiled loop sums a table of bands in one register."""
    shift = (band.astype(np.uint64) * np.uint64(width)) % np.uint64(64)
    return np.where(band < finite, np.left_shift(np.uint64(1), shift), np.uint64(0))


def pairs_per_time_band(sorted_ticks: Ticks, thresholds: Ticks) -> Ticks:
    """Pairs of all events per time band (beyond last), from the sorted times alone: the multiset
    of gaps over all pairs does not change when the times are permuted over the places."""
    n = len(sorted_ticks)
    rank = np.arange(1, n + 1, dtype=np.int64)
    below = [
        int((np.searchsorted(sorted_ticks, sorted_ticks + gap, side="left") - rank).sum())
        for gap in thresholds
    ]
    cumulative: Ticks = np.array([0, *below, n * (n - 1) // 2], dtype=np.int64)
    return cumulative[1:] - cumulative[:-1]
