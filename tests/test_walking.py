"""Walking order: an open path from a fixed start through every door, close to the shortest.

The reference is LKH-3 (elkai), which solves closed tours; `lkh_open_path` turns the open
path with a fixed start into one (checked against brute force on tiny cases).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.typing import NDArray

from cocoon.core.walking import route_length, straight_line_costs, walking_order
from tests.lkh import lkh_open_path

Costs = NDArray[np.float64]
SPACING = 50.0


def random_area(seed: int, n: int = 60, side: float = 1000.0) -> Costs:
    """n doors scattered over a side x side metre area, the start near its middle."""
    rng = np.random.default_rng(seed)
    origin = (float(rng.uniform(0.4, 0.6) * side), float(rng.uniform(0.4, 0.6) * side))
    return straight_line_costs(origin, rng.uniform(0.0, side, (n, 2)))


def random_matrix(seed: int, n: int, symmetric: bool) -> Costs:
    """Costs without geometry (no triangle inequality), one-way when not symmetric."""
    costs = np.random.default_rng(seed).uniform(1.0, 100.0, (n + 1, n + 1))
    if symmetric:
        costs = costs + costs.T
    np.fill_diagonal(costs, 0.0)
    return costs


def shortest_by_brute_force(costs: Costs) -> float:
    """Length of the best open path, trying every order."""
    n = costs.shape[0] - 1
    return min(route_length(costs, list(order)) for order in permutations(range(n)))


def single_moves(order: list[int]) -> list[list[int]]:
    """Every order one 2-opt reversal or one Or-opt move (1-3 stops, either way) away."""
    n = len(order)
    moves = [
        order[:i] + order[i : j + 1][::-1] + order[j + 1 :]
        for i in range(n)
        for j in range(i + 1, n)
    ]
    for size in (1, 2, 3):
        for i in range(n - size + 1):
            segment, rest = order[i : i + size], order[:i] + order[i + size :]
            for k in range(len(rest) + 1):
                moves += [rest[:k] + segment + rest[k:], rest[:k] + segment[::-1] + rest[k:]]
    return moves


def grid_costs(start: tuple[float, float], shuffle_seed: int | None) -> Costs:
    """A 6 x 10 block of doors 50 m apart (row by row, or shuffled)."""
    xs, ys = np.meshgrid(np.arange(10) * SPACING, np.arange(6) * SPACING)
    points = np.column_stack([xs.ravel(), ys.ravel()])
    if shuffle_seed is not None:
        points = points[np.random.default_rng(shuffle_seed).permutation(len(points))]
    return straight_line_costs(start, points)


@settings(max_examples=60, deadline=None)
@given(
    points=arrays(
        np.float64,
        st.tuples(st.integers(0, 30), st.just(2)),
        elements=st.sampled_from([0.0, 10.0, 25.0, 50.0, 333.3]) | st.floats(-500, 500),
    ),
    origin=st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
)
def test_order_is_a_permutation_of_the_stops(
    points: NDArray[np.float64], origin: tuple[float, float]
) -> None:
    order = walking_order(straight_line_costs(origin, points))
    assert sorted(order) == list(range(len(points)))


@settings(max_examples=40, deadline=None)
@given(
    costs=st.integers(0, 12).flatmap(
        lambda n: arrays(np.float64, (n + 1, n + 1), elements=st.floats(0, 1000))
    )
)
def test_order_is_a_permutation_for_any_one_way_costs(costs: Costs) -> None:
    assert sorted(walking_order(costs)) == list(range(costs.shape[0] - 1))


@pytest.mark.parametrize("shuffle_seed", [None, 1, 2, 3])
@pytest.mark.parametrize("start", [(-10.0, -10.0), (460.0, 260.0), (-6.0, 4.0)])
def test_route_through_a_regular_grid_is_the_known_optimum(
    start: tuple[float, float], shuffle_seed: int | None
) -> None:
    costs = grid_costs(start, shuffle_seed)
    first_leg = float(costs[0, 1:].min())  # to the corner door next to the start
    order = walking_order(costs)
    assert route_length(costs, order) == pytest.approx(first_leg + 59 * SPACING, abs=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_route_is_at_most_a_quarter_longer_than_lkh(seed: int) -> None:
    costs = random_area(seed)
    ours = route_length(costs, walking_order(costs))
    assert ours <= 1.25 * route_length(costs, lkh_open_path(costs))


def test_routes_are_within_five_percent_of_lkh_on_average() -> None:
    ratios = []
    for seed in range(8):
        costs = random_area(seed)
        ratios.append(
            route_length(costs, walking_order(costs)) / route_length(costs, lkh_open_path(costs))
        )
    assert float(np.mean(ratios)) <= 1.05


def test_route_beats_nearest_first_along_a_villa_street() -> None:
    # villas on both sides of a 400 m street, a cul-de-sac off its east end, start mid-street
    north = np.column_stack([np.arange(-200.0, 201.0, 20.0), np.full(21, 15.0)])
    south = np.column_stack([np.arange(-190.0, 191.0, 20.0), np.full(20, -15.0)])
    cul_de_sac = np.column_stack([np.full(8, 215.0), 40.0 + 20.0 * np.arange(8)])
    costs = straight_line_costs((0.0, 0.0), np.vstack([north, south, cul_de_sac]))
    nearest_first = [int(i) for i in np.argsort(costs[0, 1:], kind="stable")]
    ours = route_length(costs, walking_order(costs))
    assert ours < 0.5 * route_length(costs, nearest_first)


def test_route_is_no_worse_than_any_single_reversal_or_segment_move() -> None:
    for costs in (random_area(11, n=25), random_matrix(12, 25, symmetric=False)):
        order = walking_order(costs)
        length = route_length(costs, order)
        assert all(route_length(costs, other) >= length - 1e-9 for other in single_moves(order))


@pytest.mark.parametrize("seed", range(12))
def test_route_is_the_shortest_possible_for_up_to_seven_stops(seed: int) -> None:
    n = 2 + seed % 6
    symmetric = seed % 2 == 0
    costs = random_matrix(seed, n, symmetric) if seed % 3 else random_area(seed, n, 300.0)
    assert route_length(costs, walking_order(costs)) == pytest.approx(
        shortest_by_brute_force(costs)
    )


def test_route_length_counts_the_first_leg_from_the_start() -> None:
    costs = straight_line_costs((0.0, 0.0), np.array([[30.0, 40.0], [30.0, 140.0]]))
    assert walking_order(costs) == [0, 1]
    assert route_length(costs, [0, 1]) == pytest.approx(50.0 + 100.0)


def test_start_is_not_a_stop_and_the_route_does_not_return_to_it() -> None:
    # doors on a line east of the start: walk out and stop at the far end
    points = np.column_stack([np.array([300.0, 100.0, 500.0, 200.0, 400.0]), np.zeros(5)])
    costs = straight_line_costs((0.0, 0.0), points)
    order = walking_order(costs)
    assert order == [1, 3, 0, 4, 2]
    assert route_length(costs, order) == pytest.approx(500.0)


def test_route_starts_at_the_end_nearer_the_start() -> None:
    points = np.column_stack([np.arange(100.0, 501.0, 100.0), np.zeros(5)])
    assert walking_order(straight_line_costs((600.0, 0.0), points)) == [4, 3, 2, 1, 0]


def test_no_stops_give_an_empty_route() -> None:
    costs = straight_line_costs((0.0, 0.0), np.empty((0, 2)))
    assert walking_order(costs) == []
    assert route_length(costs, []) == 0.0


def test_one_stop_is_the_whole_route() -> None:
    costs = straight_line_costs((0.0, 0.0), np.array([[3.0, 4.0]]))
    assert walking_order(costs) == [0]
    assert route_length(costs, [0]) == pytest.approx(5.0)


def test_two_stops_are_visited_nearer_first_when_that_is_shorter() -> None:
    costs = straight_line_costs((0.0, 0.0), np.array([[0.0, 200.0], [0.0, 100.0]]))
    assert walking_order(costs) == [1, 0]


def test_doors_at_the_same_point_cost_nothing_extra() -> None:
    points = np.array([[100.0, 0.0]] * 4 + [[100.0, 50.0]] * 3)
    costs = straight_line_costs((0.0, 0.0), points)
    order = walking_order(costs)
    assert sorted(order) == list(range(7))
    assert route_length(costs, order) == pytest.approx(150.0)


def test_one_way_costs_are_walked_in_their_cheap_direction() -> None:
    # stops 1..4 on a loop: cheap clockwise (1), dear anticlockwise (10), start beside stop 1
    n = 4
    costs = np.full((n + 1, n + 1), 10.0)
    np.fill_diagonal(costs, 0.0)
    for a in range(1, n + 1):
        costs[a, a % n + 1] = 1.0
    costs[0, 3] = 1.0  # from the start the cheap way in is at stop 3 (index 2)
    order = walking_order(costs)
    assert order == [2, 3, 0, 1]
    assert route_length(costs, order) == pytest.approx(4.0)


def test_an_unreachable_door_is_still_on_the_route_and_left_for_last() -> None:
    costs = random_matrix(5, 6, symmetric=True)
    costs[:, 4] = costs[4, :] = np.inf
    costs[4, 4] = 0.0
    order = walking_order(costs)
    assert sorted(order) == list(range(6))
    assert order[-1] == 3


def test_same_costs_always_give_the_same_order() -> None:
    costs = random_area(3)
    assert walking_order(costs) == walking_order(costs.copy()) == walking_order(costs)


def test_costs_must_be_a_square_matrix() -> None:
    with pytest.raises(ValueError, match="square"):
        walking_order(np.zeros((3, 4)))


def test_costs_must_not_contain_nan() -> None:
    costs = random_matrix(1, 3, symmetric=True)
    costs[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        walking_order(costs)


@pytest.mark.parametrize("seed", range(10))
def test_lkh_open_path_reduction_matches_brute_force(seed: int) -> None:
    n = 2 + seed % 6
    costs = random_area(seed, n, 300.0) if seed % 2 else random_matrix(seed, n, symmetric=True)
    lkh = route_length(costs, lkh_open_path(costs))
    assert lkh == pytest.approx(shortest_by_brute_force(costs), abs=0.1 * n)
