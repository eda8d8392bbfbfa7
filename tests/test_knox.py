"""The Knox near-repeat test: NRC's counts on real data, the permutation test's invariants, planted
near repeats found and none invented, and the band conventions on hand-made pairs."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from cocoon.analysis.bands import Convention, Resolution
from cocoon.analysis.knox import Distance, KnoxCell, KnoxResult, KnoxSettings, knox
from tests.support import shared_file

JANUARY = "burglary-chicago-nearrepeat/chicago_be_month1.csv"
YEAR = "burglary-chicago-nearrepeat/chicago_be_2016.csv"
EPOCH = date(1970, 1, 1)

# NRC 1.3's observed pair counts for chicago_be_month1.csv (SOURCE.md): same location, 1-100,
# 101-200, 201-300, more than 300 m by 0-7, 8-14, 15-21, more than 21 days
NRC_JANUARY = [
    [28, 5, 5, 2],
    [44, 13, 8, 4],
    [97, 56, 19, 16],
    [77, 67, 45, 20],
    [182194, 146149, 95237, 45879],
]


def days(text: str) -> float:
    return float((date.fromisoformat(text) - EPOCH).days)


def read_events(path: Path, header: bool) -> tuple[list[float], list[float], list[float]]:
    """x, y and days of an X,Y,date file; rows without a date are left out."""
    with path.open(newline="") as f:
        rows = list(csv.reader(f))[1 if header else 0 :]
    dated = [r for r in rows if r[2]]
    return [float(r[0]) for r in dated], [float(r[1]) for r in dated], [days(r[2]) for r in dated]


def observed(result: KnoxResult) -> list[list[int]]:
    return [[c.observed for c in row] for row in result.rows()]


def uniform_history(seed: int, n: int, side_m: float = 8000.0) -> tuple[np.ndarray, ...]:
    """Burglaries spread evenly over a town and a year: no near-repeat structure."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0, side_m, n), rng.uniform(0, side_m, n), rng.integers(0, 365, n) * 1.0


def planted_history(seed: int) -> tuple[np.ndarray, ...]:
    """A uniform history plus 300 follow-ups, each 1-100 m and 0-7 days after an earlier one."""
    rng = np.random.default_rng(seed)
    x, y, t = uniform_history(seed, 1500)
    parent = rng.integers(0, 1500, 300)
    angle, radius = rng.uniform(0, 2 * np.pi, 300), rng.uniform(1, 100, 300)
    return (
        np.concatenate([x, x[parent] + radius * np.cos(angle)]),
        np.concatenate([y, y[parent] + radius * np.sin(angle)]),
        np.concatenate([t, t[parent] + rng.integers(0, 8, 300)]),
    )


def cell_of_one_pair(
    dx: float, times: tuple[float, float], settings: KnoxSettings
) -> tuple[int, int]:
    """(space band, time band) of the one pair of two events dx metres apart at `times`."""
    result = knox([0.0, dx], [0.0, 0.0], list(times), settings)
    hits = [
        (r, c) for r, row in enumerate(result.rows()) for c, cell in enumerate(row) if cell.observed
    ]
    assert len(hits) == 1
    return hits[0]


# --- real data (../shared/data) ------------------------------------------------------------------


@pytest.mark.shared_data
def test_observed_counts_equal_nrc_on_chicago_january() -> None:
    x, y, t = read_events(shared_file(JANUARY), header=False)
    settings = KnoxSettings(
        space_bands=3, time_bands=3, distance="manhattan", convention="nrc", iterations=19
    )
    result = knox(x, y, t, settings)
    assert observed(result) == NRC_JANUARY
    assert (result.events, result.pairs) == (970, 469_965)
    # NRC: p = 0.05 (the least 19 permutations give) for 0-7 days up to 200 m, not beyond
    marks = [row[0].significance for row in result.rows()]
    assert marks == ["p<=0.05", "p<=0.05", "p<=0.05", "", ""]


@pytest.mark.shared_data
def test_chicago_2016_has_near_repeats_within_100_m_and_a_week() -> None:
    x, y, t = read_events(shared_file(YEAR), header=True)
    result = knox(x, y, t, KnoxSettings(iterations=99))
    assert result.events == 11_700  # one row has no date
    near_soon = result.rows()[1][0]
    assert near_soon.ratio is not None and near_soon.ratio > 1.5
    assert near_soon.p == pytest.approx(0.01) and near_soon.significance == "p<=0.01"


# --- counting ------------------------------------------------------------------------------------


@pytest.mark.parametrize("distance", ["euclidean", "manhattan"])
@pytest.mark.parametrize("convention", ["inclusive", "nrc"])
def test_observed_counts_equal_a_count_over_all_pairs(
    distance: Distance, convention: Convention
) -> None:
    x, y, t = uniform_history(3, 300, side_m=1500.0)
    t = np.floor(t / 8)  # many gaps of exactly 7, 14 … days
    x, y = np.round(x / 50) * 50, np.round(y / 50) * 50  # many distances of exactly 100 m …
    settings = KnoxSettings(distance=distance, convention=convention, iterations=9)
    table = np.zeros((7, 5), dtype=int)
    for i, j in combinations(range(300), 2):
        dx, dy = abs(x[i] - x[j]), abs(y[i] - y[j])
        d = dx + dy if distance == "manhattan" else float(np.hypot(dx, dy))
        dt = abs(t[i] - t[j])
        if convention == "nrc":
            space = 0 if d == 0 else min(int(d // 100) + 1, 6)
            time = min(int(dt // 7), 4)
        else:
            space = min(int(np.ceil(d / 100)), 6)
            time = min(max(int(np.ceil(dt / 7)) - 1, 0), 4)
        table[space, time] += 1
    assert observed(knox(x, y, t, settings)) == table.tolist()


def test_every_pair_is_counted_once() -> None:
    result = knox(*uniform_history(1, 500))
    assert sum(c.observed for c in result.cells) == result.pairs == 500 * 499 // 2
    assert 0 < result.close_pairs < result.pairs


def test_a_space_bands_expected_counts_add_up_to_its_observed_pairs() -> None:
    result = knox(*planted_history(2), KnoxSettings(iterations=199))
    for row in result.rows():
        assert sum(c.expected for c in row) == pytest.approx(sum(c.observed for c in row))
    for column in zip(*result.rows(), strict=True):  # gaps over all pairs do not change either
        assert sum(c.expected for c in column) == pytest.approx(sum(c.observed for c in column))


def many_events_history() -> tuple[np.ndarray, ...]:
    """More events than a 16-bit index holds, spread thin over a county and a year."""
    return uniform_history(8, 70_000, side_m=100_000.0)


def jittered_history() -> tuple[np.ndarray, ...]:
    """The planted history with times of day: gaps to the second."""
    x, y, t = planted_history(4)
    return x, y, t + np.random.default_rng(4).uniform(0, 1, len(t))


@pytest.mark.parametrize(
    ("history", "resolution"),
    [
        (lambda: planted_history(4), "date"),
        (jittered_history, "datetime"),
        (many_events_history, "date"),
    ],
    ids=["dates", "times of day", "70,000 events"],
)
def test_expected_counts_match_the_exact_mean_over_all_permutations(
    history: Callable[[], tuple[np.ndarray, ...]], resolution: Resolution
) -> None:
    # a pair of places gets the times of a random pair of events: E = pairs in the space band ×
    # the share of all pairs in the time band
    result = knox(*history(), KnoxSettings(iterations=999, resolution=resolution))
    rows = result.rows()
    time_share = [sum(r[k].observed for r in rows) / result.pairs for k in range(5)]
    for row in rows:
        in_band = sum(c.observed for c in row)
        for cell, share in zip(row, time_share, strict=True):
            assert cell.expected == pytest.approx(in_band * share, rel=0.03, abs=1.0)


# --- the permutation test ------------------------------------------------------------------------


def test_p_values_lie_in_zero_to_one_and_repeat_with_the_seed() -> None:
    history = planted_history(5)
    first = knox(*history, KnoxSettings(iterations=99, seed=7))
    assert all(1 / 100 <= c.p <= 1 for c in first.cells)
    assert knox(*history, KnoxSettings(iterations=99, seed=7)) == first
    other = knox(*history, KnoxSettings(iterations=99, seed=8))
    assert [c.observed for c in other.cells] == [c.observed for c in first.cells]
    assert [c.expected for c in other.cells] != [c.expected for c in first.cells]


def test_planted_near_repeats_stand_out_in_the_near_and_soon_cells() -> None:
    rows = knox(*planted_history(6)).rows()
    near_soon = rows[1][0]  # (0, 100] m, [0, 7] days
    assert near_soon.ratio is not None and near_soon.ratio > 4
    assert near_soon.p == pytest.approx(1 / 1000) and near_soon.significance == "p<=0.01"
    far = [c for row in rows[3:] for c in row if c.expected >= 100]  # planted pairs lost in chance
    assert len(far) >= 15
    assert all(c.ratio is not None and 0.75 < c.ratio < 1.33 for c in far)


def test_a_history_without_near_repeats_shows_ratios_about_one_and_no_strong_significance() -> None:
    result = knox(*uniform_history(9, 2000))
    big = [c for c in result.cells if c.expected >= 50]
    assert len(big) >= 20
    assert all(c.ratio is not None and 0.75 < c.ratio < 1.33 for c in big)
    assert sum(c.p < 0.01 for c in result.cells) <= 2  # of 35 cells: chance alone gives some


def test_a_cell_no_permutation_reaches_has_no_ratio() -> None:
    # two burglaries at one door on one day: every permutation gives the same table
    result = knox([5.0, 5.0], [7.0, 7.0], [100.0, 100.0], KnoxSettings(iterations=19))
    same = result.rows()[0][0]
    assert (same.observed, same.expected, same.ratio, same.p) == (1, 1.0, 1.0, 1.0)
    empty = result.rows()[3][2]
    assert (empty.observed, empty.expected, empty.ratio, empty.p) == (0, 0.0, None, 1.0)
    assert empty.significance == ""


# --- bands and conventions -----------------------------------------------------------------------


def test_cells_carry_their_band_edges_with_open_ended_beyond_bands() -> None:
    rows = knox(*uniform_history(1, 50), KnoxSettings(iterations=9)).rows()
    assert len(rows) == 7 and all(len(row) == 5 for row in rows)

    def edges(c: KnoxCell) -> tuple[float, float | None, float, float | None]:
        return (c.space_from_m, c.space_to_m, c.time_from_days, c.time_to_days)

    assert edges(rows[0][0]) == (0.0, 0.0, 0.0, 7.0)  # same location
    assert edges(rows[1][1]) == (0.0, 100.0, 7.0, 14.0)
    assert edges(rows[5][3]) == (400.0, 500.0, 21.0, 28.0)
    assert edges(rows[6][4]) == (500.0, None, 28.0, None)


@pytest.mark.parametrize(
    ("dx", "dt", "convention", "cell"),
    [
        (0.0, 0.0, "inclusive", (0, 0)),
        (0.0, 0.0, "nrc", (0, 0)),
        (100.0, 7.0, "inclusive", (1, 0)),  # a band holds its upper edge
        (100.0, 7.0, "nrc", (2, 1)),  # a band holds its lower edge
        (100.5, 8.0, "inclusive", (2, 1)),
        (99.5, 6.0, "nrc", (1, 0)),
        (500.0, 28.0, "inclusive", (5, 3)),  # the last edges are still inside
        (500.0, 28.0, "nrc", (6, 4)),  # … and beyond under NRC
    ],
)
def test_pairs_on_a_band_edge_follow_the_convention(
    dx: float, dt: float, convention: Convention, cell: tuple[int, int]
) -> None:
    settings = KnoxSettings(iterations=9, convention=convention)
    assert cell_of_one_pair(dx, (10.0, 10.0 + dt), settings) == cell


def test_euclidean_and_manhattan_distances_put_a_diagonal_pair_in_different_bands() -> None:
    # 60 m east and 60 m north: 84.9 m as the crow flies, 120 m along a street grid
    x, y, t = [0.0, 60.0], [0.0, 60.0], [3.0, 3.0]
    straight = knox(x, y, t, KnoxSettings(iterations=9, distance="euclidean"))
    grid = knox(x, y, t, KnoxSettings(iterations=9, distance="manhattan"))
    assert straight.rows()[1][0].observed == 1 and grid.rows()[2][0].observed == 1


def test_date_resolution_counts_calendar_days_and_datetime_the_hours() -> None:
    # 02:24 on day 0 and 21:36 on day 7: 7 calendar days apart, but 7.8 days by the clock
    x, y, t = [0.0, 30.0], [0.0, 0.0], [0.1, 7.9]
    by_date = knox(x, y, t, KnoxSettings(iterations=9, resolution="date"))
    by_clock = knox(x, y, t, KnoxSettings(iterations=9, resolution="datetime"))
    assert by_date.rows()[1][0].observed == 1 and by_clock.rows()[1][1].observed == 1


@pytest.mark.parametrize(("convention", "band"), [("inclusive", 0), ("nrc", 1)])
def test_datetime_gaps_of_exactly_a_week_follow_the_convention(
    convention: Convention, band: int
) -> None:
    settings = KnoxSettings(iterations=9, resolution="datetime", convention=convention)
    assert cell_of_one_pair(50.0, (0.25, 7.25), settings) == (1, band)  # 06:00, a week later


def test_settings_and_events_that_make_no_sense_are_refused() -> None:
    with pytest.raises(ValueError, match="wider than 0"):
        KnoxSettings(space_band_m=0)
    with pytest.raises(ValueError, match="distance"):
        KnoxSettings(distance="haversine")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="iteration"):
        KnoxSettings(iterations=0)
    with pytest.raises(ValueError, match="finite"):
        knox([0.0, 1.0], [0.0, 1.0], [0.0, float("nan")])
    with pytest.raises(ValueError, match="length"):
        knox([0.0, 1.0], [0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="two events"):
        knox([0.0], [0.0], [0.0])


def test_a_cell_is_a_plain_frozen_record() -> None:
    cell = knox(*uniform_history(1, 50), KnoxSettings(iterations=9)).cells[0]
    assert isinstance(cell, KnoxCell)
    with pytest.raises(AttributeError):
        cell.observed = 3  # type: ignore[misc]
