"""The reference solver of the walking-order tests: LKH-3 (elkai) on an open path."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

elkai: Any = pytest.importorskip("elkai", reason="elkai is a dev dependency: pip install -e .[dev]")

Costs = NDArray[np.float64]


def lkh_open_path(costs: Costs) -> list[int]:
    """LKH's order for the open path from the start (matrix index 0), as stop indices 0..n-1.

    A dummy node joins the start at cost 0 and every stop at M, more than any path, so the
    best closed tour enters the dummy from the start and leaves it to one stop exactly once:
    cut there, it is the best open path plus M. Costs go to LKH as whole decimetres.
    """
    n = costs.shape[0] - 1
    decimetres = np.rint(costs * 10).astype(np.int64)
    big = int(decimetres.max()) * n + 1
    matrix = np.zeros((n + 2, n + 2), dtype=np.int64)
    matrix[: n + 1, : n + 1] = decimetres
    matrix[n + 1, 1 : n + 1] = matrix[1 : n + 1, n + 1] = big
    tour: list[int] = elkai.DistanceMatrix(matrix.tolist()).solve_tsp(runs=10)[:-1]
    at = tour.index(0)
    tour = tour[at:] + tour[:at]
    if tour[1] == n + 1:  # walked the other way round: dummy, start, ...
        tour = [0, *tour[1:][::-1]]
    assert tour[-1] == n + 1, "the dummy must sit between the start and one stop"
    return [i - 1 for i in tour[1:-1]]
