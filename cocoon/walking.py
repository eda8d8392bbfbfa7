"""Walking order of door visits: a short open path from a start through every stop.

Pure. Costs are a square matrix whose row and column 0 are the start (the burgled home's
street, not itself a stop) and 1..n the stops; metres along the road network or straight.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def straight_line_costs(origin: tuple[float, float], points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Straight-line distances in metres between the start and the stops (metric x, y)."""
    all_points = np.vstack([np.asarray(origin, dtype=float)[None, :], points])
    diff = all_points[:, None, :] - all_points[None, :, :]
    return np.hypot(diff[..., 0], diff[..., 1])


def walking_order(costs: NDArray[np.float64]) -> list[int]:
    """Indices 0..n-1 of the stops in visiting order (to be replaced by a real heuristic)."""
    n = costs.shape[0] - 1
    return list(range(n))


def route_length(costs: NDArray[np.float64], order: list[int]) -> float:
    """Length of the open path start -> stops in `order`."""
    path = [0, *(i + 1 for i in order)]
    return float(sum(costs[a, b] for a, b in zip(path, path[1:], strict=False)))
