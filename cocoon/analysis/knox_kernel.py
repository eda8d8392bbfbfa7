"""The Knox permutation loop compiled with numba: shuffle the times over the places and re-count
the close pairs per band, the one step that runs a thousand times and must not be numpy-slow.

numba keeps the machine code in its on-disk cache (the package's __pycache__, else the user's
cache folder), so only the first run on a machine compiles (under a second); without a writable
cache every process compiles, with the same results. Python calls each kernel, none calls
another (a cached kernel that called others ran at half speed here), and only the counting loop
in use compiles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba
import numpy as np
import numpy.typing as npt
from numba.core.dispatcher import Dispatcher

F = TypeVar("F", bound=Callable[..., Any])
Ints = npt.NDArray[np.integer[Any]]


def compiled(fn: F) -> Dispatcher[F]:
    """fn compiled without the GIL, cached on disk where numba finds a writable folder."""
    try:
        return numba.njit(cache=True, nogil=True, boundscheck=False)(fn)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(nogil=True, boundscheck=False)(fn)


@compiled
def shuffle(ticks: Ints, uniforms: npt.NDArray[np.float64], out: Ints) -> None:  # pragma: no cover
    """out[r] = ticks in the order drawn by uniforms[r] in [0, 1) (Fisher-Yates)."""
    for r in range(out.shape[0]):
        for k in range(out.shape[1]):
            out[r, k] = ticks[k]
        for k in range(out.shape[1] - 1, 0, -1):
            s = min(int(uniforms[r, k] * (k + 1)), k)
            held = out[r, k]
            out[r, k] = out[r, s]
            out[r, s] = held


@compiled
def count_by_table(
    tps: Ints,
    first: Ints,
    second: Ints,
    bounds: npt.NDArray[np.int64],
    codes: npt.NDArray[np.uint64],
    width: int,
    out: npt.NDArray[np.int64],
) -> None:  # pragma: no cover - compiled
    """out[r, band, k] += pairs first/second[bounds[band]:bounds[band + 1]] whose gap under the
    times tps[r] is in time band k, read from `codes`, which holds every gap (whole days)."""
    chunk = (1 << width) - 1  # pairs before a bit field could overflow
    for r in range(tps.shape[0]):
        for band in range(bounds.shape[0] - 1):
            for lo in range(bounds[band], bounds[band + 1], chunk):
                acc = np.uint64(0)
                for q in range(lo, min(lo + chunk, bounds[band + 1])):
                    acc += codes[abs(np.int64(tps[r, first[q]]) - np.int64(tps[r, second[q]]))]
                for k in range(out.shape[2]):
                    out[r, band, k] += (acc >> np.uint64(width * k)) & np.uint64(chunk)


@compiled
def count_by_thresholds(
    tps: Ints,
    first: Ints,
    second: Ints,
    bounds: npt.NDArray[np.int64],
    thresholds: npt.NDArray[np.int64],
    by_band: npt.NDArray[np.uint64],
    width: int,
    out: npt.NDArray[np.int64],
) -> None:  # pragma: no cover - compiled
    """count_by_table for long gaps (times to the second): a gap's band is the number of
    thresholds it reaches, and by_band[band] its code."""
    chunk = (1 << width) - 1
    for r in range(tps.shape[0]):
        for band in range(bounds.shape[0] - 1):
            for lo in range(bounds[band], bounds[band + 1], chunk):
                acc = np.uint64(0)
                for q in range(lo, min(lo + chunk, bounds[band + 1])):
                    gap = abs(np.int64(tps[r, first[q]]) - np.int64(tps[r, second[q]]))
                    reached = 0
                    for k in range(thresholds.shape[0]):
                        reached += gap >= thresholds[k]
                    acc += by_band[reached]
                for k in range(out.shape[2]):
                    out[r, band, k] += (acc >> np.uint64(width * k)) & np.uint64(chunk)
