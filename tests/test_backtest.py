"""The back-test: zones replayed as the service would have drawn them catch what near repeats
they should, nothing on burglaries spread evenly beyond their area, nothing a late report could
not have warned of; baselines at the zones' area; the bootstrap; the sensitivity grid and its
suggestion; and the day-by-day counts against a plain loop."""

from __future__ import annotations

import csv
import tomllib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from cocoon.analysis.backtest import (
    METHODS,
    Backtest,
    BacktestSettings,
    Replay,
    backtest,
)
from cocoon.analysis.baselines import ProMap, surface_caught
from cocoon.analysis.calibrate import SensitivityGrid, sensitivity
from cocoon.analysis.replay import History, ZoneRules, end_day, first_day, levels, local_days
from cocoon.analysis.zonemaps import Register
from cocoon.core.model import Level, Report
from cocoon.core.risk import ELEVATED, HIGH, NONE, level_of
from tests.support import risk_rules, shared_file

RULES = ZoneRules(500.0, 14, 42)
QUICK = BacktestSettings(draws=200)
VANCOUVER = "burglary-vancouver-vpd/vancouver_residential_break_and_enter_2020_2026.csv"
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def even_history(seed: int, n: int, side_m: float = 6000.0, days: int = 730) -> Arrays:
    """Burglaries spread evenly over a square town and two years: no near repeats, no hot spot."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0, side_m, n), rng.uniform(0, side_m, n), rng.uniform(0, days, n)


def chained_history(seed: int, chains: int = 12, links: int = 80) -> Arrays:
    """Chains of burglaries, each 1-7 days after the one before and under 200 m from it."""
    rng = np.random.default_rng(seed)
    xs, ys, ts = [], [], []
    for _ in range(chains):
        x, y, t = rng.uniform(0, 20_000, 2), rng.uniform(0, 20_000), rng.uniform(0, 7)
        x = float(x[0])
        for _ in range(links):
            xs.append(x), ys.append(y), ts.append(t)
            angle, step = rng.uniform(0, 2 * np.pi), rng.uniform(0, 199)
            x, y, t = x + step * np.cos(angle), y + step * np.sin(angle), t + rng.uniform(1, 7)
    return np.array(xs), np.array(ys), np.array(ts)


# --- the zones ------------------------------------------------------------------------------------


def test_burglaries_that_each_follow_another_within_200_m_and_7_days_are_all_caught() -> None:
    result = backtest(History.of(*chained_history(1)), RULES, QUICK)
    high, any_level = result.figures("zones_high").row, result.figures("zones_any").row
    assert high.events > 500
    assert high.hits == high.events and high.hit_rate == 1.0
    assert any_level.hit_rate == 1.0


@pytest.fixture(scope="module")
def spread_evenly() -> Backtest:
    """3,200 burglaries over 20 × 20 km and two years: the zones cover about a third."""
    return backtest(History.of(*even_history(3, 3200, side_m=20_000.0)), RULES, QUICK)


def test_on_burglaries_spread_evenly_the_zones_catch_their_area_share(
    spread_evenly: Backtest,
) -> None:
    for method in ("zones_high", "zones_any"):
        f = spread_evenly.figures(method)
        assert f.row.pai is not None and f.pai_95 is not None
        assert 0.1 < f.row.area_share < 0.5
        assert 0.9 < f.row.pai < 1.1
        assert f.pai_95.low < 1 < f.pai_95.high


def test_random_placement_catches_about_its_area_share(spread_evenly: Backtest) -> None:
    random = spread_evenly.figures("random")
    assert random.row.area_share == spread_evenly.figures("zones_any").row.area_share
    assert abs(random.row.hit_rate - random.row.area_share) < 0.03
    assert random.hit_rate_95.low < random.row.area_share < random.hit_rate_95.high


def test_a_report_the_police_learnt_of_late_catches_only_what_came_after() -> None:
    # three far-away burglaries start the history; A at day 200, reported on day 210; B near A
    # on day 205 (before the police knew of A), C near A on day 212
    x = np.array([-5000.0, 5000.0, 0.0, 0.0, 100.0, 150.0])
    y = np.array([-5000.0, -5000.0, 5000.0, 0.0, 0.0, 0.0])
    t = np.array([0.5, 0.5, 0.5, 200.5, 205.5, 212.5])
    known = np.array([0.5, 0.5, 0.5, 210.25, 205.5, 212.5])
    replay = Replay.of(History.of(x, y, t, known), QUICK)
    run = replay.zones(RULES)
    by_burglary = dict(zip(replay.period.burglaries.tolist(), run.level.tolist(), strict=True))
    assert by_burglary[3] == NONE  # A itself: nothing before it
    assert by_burglary[4] == NONE  # B: A was not yet known
    assert by_burglary[5] == HIGH  # C: A known, 12 days after its start
    day = replay.period.first
    assert run.any_cells[205 - day] == 0 < run.any_cells[206 - day]  # B's zone, from day 206
    with_a_only = run.any_cells[211 - day] - run.any_cells[210 - day]
    assert with_a_only > 0  # A's zone appears on the first map after it was reported


def test_a_report_known_after_its_risk_ended_makes_no_zone() -> None:
    x, y = np.array([-5000.0, 5000.0, 0.0, 0.0, 10.0]), np.array([-5e3, -5e3, 5e3, 0.0, 0.0])
    t = np.array([0.5, 0.5, 0.5, 150.5, 160.5])
    known = np.array([0.5, 0.5, 0.5, 150.5 + 56, 160.5])  # reported 56 days after it started
    replay = Replay.of(History.of(x, y, t, known), QUICK)
    run = replay.zones(RULES)
    assert run.level.tolist() == [NONE, NONE]
    assert run.any_cells[: 161 - replay.period.first].sum() == 0


def test_levels_on_arrays_are_the_cores_level_of() -> None:
    rules = risk_rules(timezone=UTC, high_risk_days=14, elevated_risk_days=42)
    rng = np.random.default_rng(4)
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    lags = np.concatenate([rng.uniform(-5, 70, 400), [0, 14, 56, 13.999, 55.999]])
    delays = rng.uniform(-1, 30, len(lags))
    at = epoch + timedelta(days=100)
    ours = levels(lags, 100 - lags + delays < 100, ZoneRules.of(rules))
    for lag, delay, code in zip(lags, delays, ours, strict=True):
        start = at - timedelta(days=float(lag))
        report = Report(
            "r", start + timedelta(days=float(delay)), occurred_to=start, lon=16.0, lat=56.0
        )
        core = level_of(report, at, rules)
        assert code == {Level.HIGH: HIGH, Level.ELEVATED: ELEVATED, None: NONE}[core]


def test_each_days_map_holds_the_reports_the_level_rule_shows_at_the_days_start() -> None:
    rng = np.random.default_rng(5)
    t = np.concatenate([rng.uniform(0, 30, 300), np.arange(0.0, 30.0)])  # whole days too
    known = t + rng.choice([0.0, 0.3, 2.0, 17.5], len(t))
    first, end = first_day(t, known), end_day(t, 14)
    for k in range(0, 60):
        shown = levels(k - t, known < k, ZoneRules(1.0, 14, 0)) != NONE
        assert np.array_equal(shown, (first <= k) & (k < end))


def test_area_and_zone_days_equal_a_plain_day_by_day_count() -> None:
    x, y, t = even_history(6, 500, side_m=3000.0, days=260)
    known = t + np.random.default_rng(6).choice([0.0, 0.0, 1.5, 9.0], len(t))
    replay = Replay.of(History.of(x, y, t, known), QUICK)
    cx, cy = replay.area.centres()
    for rules in (ZoneRules(300.0, 7, 28), RULES, ZoneRules(800.0, 28, 84)):
        run = replay.zones(rules)
        high, shown, zones = [], [], 0
        for k in range(replay.period.first, replay.period.last + 1):
            live = (known < k) & (t <= k) & (k < t + rules.total_days)
            for which, out in ((live & (k < t + rules.high_risk_days), high), (live, shown)):
                near = cKDTree(np.column_stack((x[which], y[which]))).query_ball_point(
                    np.column_stack((cx, cy)), rules.radius_m, return_length=True
                )
                out.append(int((near > 0).sum()))
            pairs = cKDTree(np.column_stack((x[live], y[live]))).query_pairs(
                2 * rules.radius_m, output_type="ndarray"
            )
            graph = coo_matrix((np.ones(len(pairs)), pairs.T), shape=(live.sum(), live.sum()))
            zones += connected_components(graph, directed=False)[0]
        assert run.high_cells.tolist() == high
        assert run.any_cells.tolist() == shown
        assert replay.maps.zone_days(rules) == zones


def test_doors_are_not_listed_again_within_the_revisit_days() -> None:
    grid = np.arange(-1000.0, 1001.0, 50.0)
    ax, ay = (a.ravel() for a in np.meshgrid(grid, grid))
    x, y = np.array([0.0, 0.0, 0.0, 5000.0]), np.zeros(4)
    t = np.array([120.5, 123.5, 160.5, 0.5])  # the third comes after the revisit days
    history = History.of(x, y, t)

    def doors(cap: int, revisit: int) -> tuple[int, int] | None:
        register = Register(ax, ay, cap=cap, revisit_days=revisit)
        return Replay.of(history, QUICK, register=register).maps.doors(ZoneRules(200.0, 14, 42))

    within = int((np.hypot(ax, ay) <= 200).sum())
    assert doors(10_000, 14) == (2 * within, 3)
    assert doors(10_000, 0) == (3 * within, 3)
    assert doors(20, 14) == (60, 3)


# --- the baselines --------------------------------------------------------------------------------


def test_a_planted_hot_spot_favours_the_hot_spot_map() -> None:
    # 20 hot spots, each burgled every 10 weeks all along: longer than a zone or ProMap
    # remembers (8 weeks), shorter than the hot-spot map's 3 months
    x, y, t = even_history(7, 500, side_m=10_000.0)
    rng = np.random.default_rng(7)
    spots = rng.uniform(1000, 9000, (20, 2))
    visits = np.arange(0, 730 - 70, 70.0)
    hx = np.repeat(spots[:, 0], len(visits)) + rng.uniform(-40, 40, 20 * len(visits))
    hy = np.repeat(spots[:, 1], len(visits)) + rng.uniform(-40, 40, 20 * len(visits))
    ht = np.tile(visits, 20) + np.repeat(rng.uniform(0, 70, 20), len(visits))
    history = History.of(np.r_[x, hx], np.r_[y, hy], np.r_[t, ht])
    result = backtest(history, RULES, QUICK)
    rate = {row.method: row.hit_rate for row in result.rows()}
    assert rate["hotspot"] > rate["zones_any"] + 0.1
    assert rate["hotspot"] > rate["promap"] + 0.1
    assert rate["hotspot"] > rate["random"] + 0.1
    assert result.verdict.winner == "hotspot" and result.verdict.clear


def test_promap_chooses_the_cells_a_plain_daily_surface_ranks_highest() -> None:
    x, y, t = even_history(8, 300, side_m=2500.0, days=200)
    replay = Replay.of(History.of(x, y, t), QUICK)
    area, p, promap = replay.area, replay.period, ProMap()
    cells_per_day = np.random.default_rng(8).integers(0, area.size, p.days)
    caught = surface_caught(
        replay.history, replay.near, p, replay.target_cell, cells_per_day, area.size, promap, 9
    )
    key = np.random.default_rng(9).permutation(area.size)
    cx, cy = area.centres()
    for k in range(p.days):
        day = p.first + k
        score = np.zeros(area.size)
        for i in np.flatnonzero((t < day) & (day < np.ceil(t) + promap.days)):
            d = np.hypot(cx - x[i], cy - y[i])
            weeks = np.floor((day - t[i]) / 7)
            score += np.where(d < promap.reach_m, 1 / (1 + d / 100) / (1 + weeks), 0.0)
        chosen = np.lexsort((-key, -score))[: cells_per_day[k]]
        for j in range(p.day_start[k], p.day_start[k + 1]):
            assert caught[j] == (replay.target_cell[j] in chosen)


# --- the summary and the bootstrap ----------------------------------------------------------------


def test_rows_are_the_csv_contracts_methods_in_order() -> None:
    result = backtest(History.of(*even_history(10, 600)), risk_rules(), QUICK)  # the core's
    assert result.rules == RULES
    assert [r.method for r in result.rows()] == list(METHODS)
    assert METHODS == ("zones_high", "zones_any", "promap", "hotspot", "random")
    fields = list(result.rows()[0].__dataclass_fields__)
    assert fields == ["method", "events", "hits", "hit_rate", "area_share", "pai"]
    for r in result.rows():
        assert r.pai is not None and r.pai == pytest.approx(r.hit_rate / r.area_share)


def test_the_bootstrap_is_reproducible_by_seed() -> None:
    history = History.of(*chained_history(11))

    def intervals(seed: int) -> list[object]:
        result = backtest(history, RULES, BacktestSettings(draws=300, seed=seed))
        return [(m.hit_rate_95, m.pai_95) for m in result.methods] + list(result.comparisons)

    assert intervals(5) == intervals(5)
    assert intervals(5) != intervals(6)


def test_a_history_shorter_than_the_warm_up_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match=r"spans 100 days.*warm-up of 112 days"):
        backtest(History.of(*even_history(12, 50, days=100)), RULES)


def test_local_days_keep_the_wall_clock_across_a_dst_change() -> None:
    tz = ZoneInfo("Europe/Stockholm")
    before = datetime(2026, 3, 20, 12, 0, tzinfo=tz)
    after = datetime(2026, 4, 3, 12, 0, tzinfo=tz)  # 14 local days later, one hour less
    (a, b) = local_days([before, after], tz)
    assert b - a == 14 and a % 1 == 0.5
    with pytest.raises(ValueError, match="no time zone"):
        local_days([datetime(2026, 1, 1)], tz)


# --- the sensitivity grid -------------------------------------------------------------------------


def test_the_sensitivity_grid_has_8_radii_by_the_day_grid() -> None:
    replay = Replay.of(History.of(*chained_history(13, chains=6)), QUICK)
    table = sensitivity(replay, RULES)
    grid = SensitivityGrid()
    assert len(table.rows) == 8 * 4 * 5 == len(grid.combinations())
    assert sorted({r.radius_m for r in table.rows}) == [100.0 * k for k in range(1, 9)]
    assert sorted({r.high_risk_days for r in table.rows}) == [7, 14, 21, 28]
    assert sorted({r.elevated_risk_days for r in table.rows}) == [28, 42, 56, 70, 84]
    assert table.reference.rules == RULES and table.reference in table.rows


def test_the_suggestion_is_a_grid_row_that_catches_as_much_and_its_snippet_parses() -> None:
    replay = Replay.of(History.of(*even_history(14, 1500)), QUICK)
    table = sensitivity(replay, RULES)
    s, ref = table.suggestion.row, table.reference
    assert s in table.rows
    assert s.hit_rate >= ref.hit_rate and s.high_hit_rate >= ref.high_hit_rate
    assert s.pai is not None and ref.pai is not None and s.pai >= ref.pai
    settings = tomllib.loads(table.suggestion.snippet())
    assert settings == {
        "risk": {
            "radius_m": s.radius_m,
            "high_risk_days": s.high_risk_days,
            "elevated_risk_days": s.elevated_risk_days,
        }
    }
    assert table.suggestion.snippet().splitlines()[1].startswith("# back-test on 1,")


def test_where_repeats_come_within_200_m_and_a_week_such_zones_are_suggested() -> None:
    replay = Replay.of(History.of(*chained_history(15)), QUICK)
    suggestion = sensitivity(replay, RULES).suggestion
    assert suggestion.row.rules == ZoneRules(200.0, 7, 28)
    assert suggestion.row.hit_rate == suggestion.row.high_hit_rate == 1.0
    assert suggestion.clear and "PAI gain +" in suggestion.evidence()


# --- real data (../shared/data) -------------------------------------------------------------------


@pytest.mark.shared_data
def test_on_vancouver_the_zones_beat_random_placement_and_the_grid_runs() -> None:
    with shared_file(VANCOUVER).open(newline="") as f:
        rows = list(csv.DictReader(f))
    x = np.array([float(r["X"]) for r in rows])
    y = np.array([float(r["Y"]) for r in rows])
    minutes = np.array([r["occurred_local"] for r in rows], dtype="datetime64[m]")
    t = minutes.astype(np.int64) / 1440
    replay = Replay.of(History.of(x, y, t), QUICK)
    result = replay.backtest(RULES)
    zones, random = result.figures("zones_any"), result.figures("random")
    assert zones.row.events == 7224  # after the 112-day warm-up
    assert zones.row.pai is not None and random.row.pai is not None
    assert zones.hit_rate_95.low > random.hit_rate_95.high
    assert 0.95 < random.row.pai < 1.1
    small = SensitivityGrid(radii_m=(300.0, 500.0), high_days=(14,), elevated_days=(42,))
    table = sensitivity(replay, RULES, small)
    assert [(r.radius_m, r.hit_rate) for r in table.rows][1] == (500.0, zones.row.hit_rate)
