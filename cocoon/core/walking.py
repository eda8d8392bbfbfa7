"""Walking order of door visits: a short open path from a start through every stop.

Pure. Costs are a square matrix whose row and column 0 are the start (the burgled home's
street, not itself a stop) and 1..n the stops; metres along the road network or straight.

The order is built nearest-neighbour first, then improved by local search to a local optimum
of 2-opt and Or-opt (segments of 1-3 stops moved either way round) and by a fixed number of
seeded segment-swap kicks (iterated local search), so the same costs always give the same
order. Moves are judged on the true directed costs, reversed stretches included, so an
asymmetric matrix is handled exactly and the triangle inequality is never assumed.
Unreachable legs (inf) are priced above any real path, so such a door still gets a place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Builds the cost matrix of a start and stops (metric x, y): straight lines, or along roads.
CostFn = Callable[[tuple[float, float], FloatArray], FloatArray]

#: Or-opt moves segments of 1.._MAX_SEGMENT stops.
_MAX_SEGMENT = 3
#: Stops whose moves are scanned together in one vectorised step of the local search.
_CHUNK = 16
#: Seed of the kicks, fixed so that a route never changes between runs.
_SEED = 2024
#: Nearest nodes of each node that the neighbour-list scans join it to.
_NEIGHBOURS = 10
#: Or-opt candidates around a stop x at position q with a near node at y, by segment size
#: (first axis): the segment starts or ends at q and moves beside y (first four), or it
#: starts or ends at y and moves into an edge beside q (last four). Picks q (0) or y (1).
_SIZES = np.arange(1, _MAX_SEGMENT + 1)[:, None, None, None]
_STARTS = np.array([0, 0, 0, 0, 1, 1, 1, 1])
_START_SHIFT = np.array([0, 0, 1, 1, 0, 1, 0, 1])[:, None, None] * (1 - _SIZES)
_INTO = 1 - _STARTS
_INTO_SHIFT = np.array([0, -1, 0, -1, 0, 0, -1, -1])[:, None, None]
#: Candidate cells per block of a full scan (of each segment size), so memory stays small.
_GRID_CELLS = 1 << 17
#: Longest segment a kick swaps; short swaps keep each kick's repair local and cheap.
_MAX_SWAP = 30


class _Move(NamedTuple):
    """An improving change of the path; positions refer to the path before the change."""

    delta: float
    two_opt: bool  # True: reverse positions first+1..second; False: Or-opt
    first: int  # 2-opt: first removed edge; Or-opt: position of the segment's first stop
    second: int  # 2-opt: second removed edge; Or-opt: edge the segment moves into
    size: int  # Or-opt: number of stops in the segment
    reverse: bool  # Or-opt: the segment is walked the other way round


class _Route:
    """A path under local search: the start at position 0, the stops, a free end at n+1.

    The free end costs nothing to reach, which turns the open path into one with both ends
    fixed; edge k joins positions k and k+1.
    """

    def __init__(self, w: FloatArray, path: IntArray) -> None:
        self.w = w
        self.n = w.shape[0] - 2
        self.p = path
        ranking = w + w.T
        np.fill_diagonal(ranking, np.inf)
        # nearest nodes by cost both ways; the free end (cost 0) is everyone's first
        self.near = np.argsort(ranking, axis=1, kind="stable")[:, : min(_NEIGHBOURS, self.n + 1)]
        self.refresh()

    def refresh(self) -> None:
        """Recompute positions, edge costs and the reversal prefix sums after a change."""
        p = self.p
        self.pos = np.empty_like(p)
        self.pos[p] = np.arange(p.size)
        self.fe = self.w[p[:-1], p[1:]]
        # g[y] - g[x]: what walking positions x..y backwards costs more than forwards
        self.g = np.concatenate(([0.0], np.cumsum(self.w[p[1:], p[:-1]] - self.fe)))

    def length(self) -> float:
        """Length of the path as it stands."""
        return float(self.fe.sum())

    def _two_opt(self, k1: IntArray, k2: IntArray) -> _Move | None:
        """Best reversal of positions k1+1..k2 over broadcastable arrays of edges k1, k2."""
        p, w, fe, g, n = self.p, self.w, self.fe, self.g, self.n
        ok = (k1 >= 0) & (k2 <= n) & (k2 - k1 >= 2)
        k1c, k2c = np.clip(k1, 0, n), np.clip(k2, 0, n)
        a, b, c, d = p[k1c], p[k1c + 1], p[k2c], p[k2c + 1]
        delta = w[a, c] + w[b, d] - (fe[k1c] + g[k1c + 1]) - (fe[k2c] - g[k2c])
        delta = np.where(ok, delta, np.inf)
        at = int(np.argmin(delta))
        if not np.isfinite(delta.flat[at]):
            return None
        first, second = (int(x.flat[at]) for x in np.broadcast_arrays(k1, k2, delta)[:2])
        return _Move(float(delta.flat[at]), True, first, second, 0, False)

    def _or_opt(self, i: IntArray, k: IntArray, size: IntArray) -> _Move | None:
        """Best move of the segment at positions i..i+size-1 into edge k, either way round.

        i, k and size broadcast against each other, so one call judges a whole grid.
        """
        p, w, fe, g, n = self.p, self.w, self.fe, self.g, self.n
        last = i + size - 1
        ok = (i >= 1) & (last <= n) & (k >= 0) & (k <= n) & ((k <= i - 2) | (k >= i + size))
        i, last, k = np.clip(i, 1, n), np.clip(last, 1, n), np.clip(k, 0, n)
        s, t, u, v = p[i], p[last], p[k], p[k + 1]
        base = w[p[i - 1], p[last + 1]] - fe[i - 1] - fe[last] - fe[k]
        forward = w[u, s] + w[t, v] + base
        backward = w[u, t] + w[s, v] + (base + (g[last] - g[i]))
        delta = np.where(ok, np.minimum(forward, backward), np.inf)
        at = int(np.argmin(delta))
        best = float(delta.flat[at])
        if not np.isfinite(best):
            return None
        first, second, length, fw, bw = (
            x.flat[at] for x in np.broadcast_arrays(i, k, size, forward, backward)
        )
        return _Move(best, False, int(first), int(second), int(length), bool(bw < fw))

    def best_move(self, nodes: IntArray | None) -> _Move | None:
        """Best 2-opt or Or-opt move joining `nodes` to a near node, or the best of all if None.

        With nodes, only moves that make an edge from one of them to one of its nearest
        nodes are looked at (neighbour lists); the full scan looks at every move.
        """
        n = self.n
        candidates: list[_Move | None] = []
        if nodes is None:
            edges = np.arange(n + 1)
            step = max(1, _GRID_CELLS // (n + 1))  # rows per block, to bound memory
            for rows in np.split(edges, range(step, n + 1, step)):
                candidates.append(self._two_opt(rows[:, None], edges[None, :]))
                candidates.append(self._or_opt(rows[:, None], edges[None, :], _SIZES[:, 0]))
        else:
            q = self.pos[nodes][:, None]
            y = self.pos[self.near[nodes]]
            lo, hi = np.minimum(q, y), np.maximum(q, y)
            pair = np.stack(np.broadcast_arrays(q, y))
            candidates.append(self._two_opt(np.hstack((lo, lo - 1)), np.hstack((hi, hi - 1))))
            starts, into = pair[_STARTS] + _START_SHIFT, pair[_INTO] + _INTO_SHIFT
            candidates.append(self._or_opt(starts, into, _SIZES))
        best: _Move | None = None
        for move in candidates:  # strict < keeps the first of equal moves: deterministic
            if move is not None and (best is None or move.delta < best.delta):
                best = move
        return best

    def apply(self, move: _Move) -> list[int]:
        """Make the move; return the stops whose neighbours changed."""
        p = self.p
        if move.two_opt:
            k1, k2 = move.first, move.second
            p[k1 + 1 : k2 + 1] = p[k1 + 1 : k2 + 1][::-1].copy()
            touched = [int(x) for x in p[[k1, k1 + 1, k2, k2 + 1]]]
        else:
            i, k, size = move.first, move.second, move.size
            segment = p[i : i + size][::-1] if move.reverse else p[i : i + size]
            touched = [int(x) for x in p[[i - 1, i, i + size - 1, i + size, k, k + 1]]]
            if k >= i + size:
                parts = (p[:i], p[i + size : k + 1], segment, p[k + 1 :])
            else:
                parts = (p[: k + 1], segment, p[k + 1 : i], p[i + size :])
            self.p = np.concatenate(parts)
        self.refresh()
        return touched

    def descend(self, nodes: list[int], eps: float, exhaustive: bool) -> None:
        """Improve until no move around `nodes` helps (and none at all when exhaustive).

        Nodes are examined a chunk at a time, like don't-look bits; the final full scan makes
        the result a true local optimum of both neighbourhoods.
        """
        pending = deque(dict.fromkeys(nodes))
        queued = np.zeros(self.n + 2, dtype=bool)
        queued[list(pending)] = True
        while True:
            while pending:
                chunk = [pending.popleft() for _ in range(min(_CHUNK, len(pending)))]
                queued[chunk] = False
                move = self.best_move(np.array(chunk, dtype=np.intp))
                if move is None or move.delta >= -eps:
                    continue
                for node in [*self.apply(move), *chunk]:
                    if not queued[node]:
                        queued[node] = True
                        pending.append(node)
            if not exhaustive:
                return
            move = self.best_move(None)
            if move is None or move.delta >= -eps:
                return
            for node in self.apply(move):
                if not queued[node]:
                    queued[node] = True
                    pending.append(node)


def straight_line_costs(
    origin: tuple[float, float], points: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Straight-line distances in metres between the start and the stops (metric x, y)."""
    xy = np.vstack([np.asarray(origin, dtype=float).reshape(1, 2), np.reshape(points, (-1, 2))])
    diff = xy[:, None, :] - xy[None, :, :]
    distances: FloatArray = np.hypot(diff[..., 0], diff[..., 1])
    return distances


def _decision_costs(costs: NDArray[np.float64]) -> tuple[FloatArray, float]:
    """Costs with a free end node appended, unreachable legs priced above any real path.

    Returns the matrix and the smallest change worth making (float noise is not progress).
    """
    c = np.asarray(costs, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] == 0:
        raise ValueError(f"costs must be a non-empty square matrix, got shape {c.shape}")
    if np.isnan(c).any():
        raise ValueError("costs contain NaN")
    finite = np.isfinite(c)
    scale = float(np.abs(c[finite]).max()) if finite.any() else 1.0
    m = c.shape[0]
    w = np.zeros((m + 1, m + 1))
    w[:m, :m] = np.where(finite, c, 4.0 * (m + 1) * max(scale, 1.0))
    return w, 1e-9 * max(scale, 1.0)


def _nearest_neighbour(w: FloatArray, eps: float) -> IntArray:
    """Start, then always the nearest stop not yet visited, then the end.

    Of equally near stops it takes the one with the fewest unvisited stops as near to it
    (Warnsdorff's rule: corners and edges first, so regular rows of houses are not left with
    stragglers), then the lowest index.
    """
    n = w.shape[0] - 2
    free = np.ones(n + 2, dtype=bool)
    free[[0, n + 1]] = False
    path = [0]
    for _ in range(n):
        row = np.where(free, w[path[-1]], np.inf)
        nearest = float(row.min())
        tied = np.flatnonzero(row <= nearest + eps)
        if tied.size > 1:
            crowd = (w[np.ix_(tied, free)] <= nearest + eps).sum(axis=1)
            nxt = int(tied[np.argmin(crowd)])
        else:
            nxt = int(tied[0])
        free[nxt] = False
        path.append(nxt)
    path.append(n + 1)
    return np.array(path, dtype=np.intp)


def _kick(path: IntArray, rng: np.random.Generator) -> tuple[IntArray, list[int]]:
    """Swap two short neighbouring segments (a double bridge on an open path)."""
    n = path.size - 2
    a = int(rng.integers(1, n))
    b = a + int(rng.integers(1, min(_MAX_SWAP, n - a) + 1))
    c = b + int(rng.integers(1, min(_MAX_SWAP, n + 1 - b) + 1))
    kicked = np.concatenate((path[:a], path[b:c], path[a:b], path[c:]))
    return kicked, [int(x) for x in path[[a - 1, a, b - 1, b, c - 1, c]]]


def _kick_count(n: int) -> int:
    """Kicks for n stops: one a stop (at least 30), capped so big rosters stay quick."""
    return 0 if n < 3 else min(max(n, 30), 500)


def walking_order(costs: NDArray[np.float64]) -> list[int]:
    """Indices 0..n-1 of the stops in a short visiting order from the start (an open path).

    Deterministic: the same costs always give the same order (fixed seed, no clock; of equal
    choices the first found is kept), so a printed roster can be reproduced.
    """
    w, eps = _decision_costs(costs)
    n = w.shape[0] - 2
    if n <= 1:
        return list(range(n))
    route = _Route(w, _nearest_neighbour(w, eps))
    route.descend(list(range(n + 2)), eps, exhaustive=True)
    best, best_length = route.p.copy(), route.length()
    rng = np.random.default_rng(_SEED)
    for _ in range(_kick_count(n)):
        route.p, touched = _kick(best, rng)
        route.refresh()
        route.descend(touched, eps, exhaustive=False)
        if route.length() < best_length - eps:
            best, best_length = route.p.copy(), route.length()
    route.p = best
    route.refresh()
    route.descend([], eps, exhaustive=True)
    return [int(x) - 1 for x in route.p[1:-1]]


def route_length(costs: NDArray[np.float64], order: list[int]) -> float:
    """Length of the open path start -> stops in `order` (the first leg from the start counts)."""
    path = np.array([0, *(i + 1 for i in order)], dtype=np.intp)
    c = np.asarray(costs, dtype=float)
    return float(c[path[:-1], path[1:]].sum())
