"""Benchmark: the back-test and its whole sensitivity grid on real data, beside a plain per-day
loop for one combination computed in the same run.

For Vancouver 2020-2026 (7,964 burglaries, X,Y EPSG:26910, occurred_local) and Chicago 2016
(11,700 dated burglaries, X,Y EPSG:26971, date), from ../shared/data:

1. cocoon: preparing the history (study area, pairs), the summary of 500 m and 14 + 42 days
   (zones, ProMap, hot spot, random, 1,000 bootstrap draws) and the sensitivity grid (8 radii ×
   4 high × 5 elevated periods = 160 combinations, bootstrap per row), with its suggestion.
2. The plain way for the one combination 500 m, 14 + 42 days: for each day, a KD-tree of the
   reports on that morning's map against the study cells' centres (area), their pairs within
   2 × radius and scipy's connected components (zones); for each burglary, a KD-tree query of the
   reports known before it (level). Its figures must equal cocoon's; its time × 160 is what the
   grid would take that way.

3. The whole commands as a user runs them, each a new process: `cocoon backtest FILE -o …csv`
   and `cocoon calibrate FILE -o …csv -o …png` on the city's x,y,date file (Vancouver's
   X, Y, occurred_local written out as one), Python's start-up, reading and the PNG included.

Prints the figures (hit rates, PAI and intervals, the winner, the suggestion) and the times
beside the target of issue 13 (the whole grid on Vancouver under a minute); nothing is asserted.

    .venv/bin/python scripts/bench_backtest.py
    .venv/bin/python scripts/bench_backtest.py --only vancouver --no-plain --no-commands
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np
from _bench import BenchError, table, timed
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from cocoon.analysis.backtest import Backtest, BacktestSettings, Replay
from cocoon.analysis.calibrate import Sensitivity, sensitivity
from cocoon.analysis.replay import History, ZoneRules

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
VANCOUVER = DATA / "burglary-vancouver-vpd" / "vancouver_residential_break_and_enter_2020_2026.csv"
CHICAGO = DATA / "burglary-chicago-nearrepeat" / "chicago_be_2016.csv"
RULES = ZoneRules(500.0, 14, 42)
TARGET_S = 60.0  # the whole grid on Vancouver, issue 13


def read_vancouver() -> History:
    """X, Y and the local occurrence time (America/Vancouver wall clock) in days."""
    with VANCOUVER.open(newline="") as f:
        rows = list(csv.DictReader(f))
    minutes = np.array([r["occurred_local"] for r in rows], dtype="datetime64[m]")
    x, y = (np.array([float(r[c]) for r in rows]) for c in ("X", "Y"))
    return History.of(x, y, minutes.astype(np.int64) / 1440)


def read_chicago() -> History:
    """X, Y and the date in days; the one undated row is left out."""
    with CHICAGO.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["date"]]
    days = np.array([r["date"] for r in rows], dtype="datetime64[D]").astype(np.int64)
    x, y = (np.array([float(r[c]) for r in rows]) for c in ("X", "Y"))
    return History.of(x, y, days.astype(np.float64))


def plain(replay: Replay, rules: ZoneRules) -> dict[str, Any]:
    """One combination the plain way: a new KD-tree per day and per burglary."""
    h, p = replay.history, replay.period
    x, y, t, known = h.x, h.y, h.t, h.known
    centres = np.column_stack(replay.area.centres())
    high_cells, any_cells, zone_days = 0, 0, 0
    for k in range(p.first, p.last + 1):
        live = (known < k) & (t <= k) & (k < t + rules.total_days)
        high = live & (k < t + rules.high_risk_days)
        for which, level in ((high, "high"), (live, "any")):
            if not which.any():
                continue
            tree = cKDTree(np.column_stack((x[which], y[which])))
            covered = int(
                (tree.query_ball_point(centres, rules.radius_m, return_length=True) > 0).sum()
            )
            if level == "high":
                high_cells += covered
            else:
                any_cells += covered
        n = int(live.sum())
        if n:
            tree = cKDTree(np.column_stack((x[live], y[live])))
            pairs = tree.query_pairs(2 * rules.radius_m, output_type="ndarray")
            graph = coo_matrix((np.ones(len(pairs)), pairs.T), shape=(n, n))
            zone_days += connected_components(graph, directed=False)[0]
    everyone = cKDTree(np.column_stack((x, y)))
    high_hits, any_hits = 0, 0
    for j in p.burglaries:
        near = np.array(everyone.query_ball_point((x[j], y[j]), rules.radius_m), dtype=np.int64)
        before = near[(near != j) & (known[near] < t[j]) & (t[near] <= t[j])]
        lag = t[j] - t[before]
        high_hits += bool((lag < rules.high_risk_days).any())
        any_hits += bool((lag < rules.total_days).any())
    cell_days = replay.area.size * p.days
    return {
        "hits": (high_hits, any_hits),
        "area_share": (high_cells / cell_days, any_cells / cell_days),
        "zone_days": zone_days,
    }


def event_file(name: str, folder: Path) -> Path:
    """The city as an x,y,date file, as a user would hand it to the commands."""
    if name == "Chicago":
        return CHICAGO  # X,Y,date,lat,lon: read as x,y,date
    with VANCOUVER.open(newline="") as f:
        rows = list(csv.DictReader(f))
    path = folder / "vancouver.csv"
    path.write_text(
        "x,y,date\n" + "".join(f"{r['X']},{r['Y']},{r['occurred_local']}\n" for r in rows),
        encoding="utf-8",
    )
    return path


def commands(name: str) -> list[tuple[str, str, str]]:
    """The whole `cocoon backtest` and `cocoon calibrate` on the city's file, each a process."""
    cocoon = Path(sys.executable).with_name("cocoon")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-backtest-") as tmp:
        folder = Path(tmp)
        data = event_file(name, folder)
        env = os.environ | {"COCOON_DB": f"sqlite:///{folder / 'unused.sqlite'}"}
        for args, note in (
            (["backtest", str(data), "-o", str(folder / "summary.csv")], "summary CSV"),
            (
                ["calibrate", str(data), "-o", str(folder / "grid.csv"), "-o",
                 str(folder / "grid.png")],
                "160 combinations, grid CSV and PNG",
            ),
        ):  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run([str(cocoon), *args], env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if done.returncode:
                raise BenchError(f"cocoon {args[0]} failed: {done.stderr.strip()}")
            target = f"; target < {TARGET_S:.0f} s" if args[0] == "calibrate" else ""
            rows.append((f"cocoon {args[0]} (whole command)", f"{seconds:.2f} s", note + target))
    return rows


def ours(result: Backtest) -> dict[str, Any]:
    """cocoon's figures of the same combination, shaped as plain()'s."""
    high, any_level = result.figures("zones_high").row, result.figures("zones_any").row
    return {
        "hits": (high.hits, any_level.hits),
        "area_share": (high.area_share, any_level.area_share),
        "zone_days": result.workload.zone_days,
    }


def same(a: dict[str, Any], b: dict[str, Any]) -> str:
    """A note that both ways agree; a failure if not."""
    if a["hits"] != b["hits"] or a["zone_days"] != b["zone_days"]:
        raise BenchError(f"cocoon and the plain way disagree: {a} against {b}")
    if not np.allclose(a["area_share"], b["area_share"], rtol=0, atol=1e-12):
        raise BenchError(f"cocoon and the plain way cover different areas: {a} against {b}")
    return "figures equal"


def summary(name: str, result: Backtest, grid: Sensitivity) -> None:
    """The figures: one row per method, the comparisons, the winner, the suggestion."""
    days = result.last_day - result.first_day + 1
    print(
        f"\n{name}: {result.rows()[0].events:,} burglaries over {days:,} days after the warm-up; "
        f"study area {result.study_cells:,} cells of 100 m ({result.study_area_km2:.0f} km²)"
    )
    rows = []
    for m in result.methods:
        r, pai = m.row, "-" if m.row.pai is None else f"{m.row.pai:.2f}"
        interval = "" if m.pai_95 is None else f" ({m.pai_95.low:.2f}-{m.pai_95.high:.2f})"
        rows.append(
            (
                r.method,
                f"{r.hit_rate:6.1%}",
                f"of area {r.area_share:5.1%}, PAI {pai}{interval}, hits {r.hits:,}",
            )
        )
    for c in result.comparisons:
        i = c.hit_rate_difference_95
        rows.append(
            (
                f"zones_any - {c.baseline}",
                f"{c.hit_rate_difference:+6.1%}",
                f"hit rate, 95 % {i.low:+.1%} to {i.high:+.1%}",
            )
        )
    v = result.verdict
    rows.append(
        (
            "winner",
            v.winner,
            f"by {v.lead:+.1%} over {v.runner_up} (95 % {v.lead_95.low:+.1%} to "
            f"{v.lead_95.high:+.1%}){'' if v.clear else ', not clear'}",
        )
    )
    rows.append(("zone-days", f"{result.workload.zone_days:,}", "500 m, 14 + 42 days"))
    print(table(rows))
    print(f"\n  suggestion ({len(grid.rows)} combinations):")
    print("    " + grid.suggestion.snippet().replace("\n", "\n    ").rstrip())


def run(name: str, history: History, with_plain: bool, with_commands: bool) -> float:
    """Times and figures of one city; returns the whole grid's seconds."""
    settings = BacktestSettings()
    prep, replay = timed(lambda: Replay.of(history, settings, RULES))
    summary_s, result = timed(lambda: replay.backtest(RULES))
    grid_s, grid = timed(lambda: sensitivity(replay, RULES))
    summary(name, result, grid)
    whole = prep + summary_s + grid_s
    rows = [
        ("preparing (study area, pairs)", f"{prep:.2f} s", ""),
        ("summary, 500 m 14 + 42", f"{summary_s:.2f} s", "zones, 3 baselines, bootstrap"),
        ("sensitivity grid", f"{grid_s:.2f} s", f"{len(grid.rows)} combinations"),
        (
            "all three",
            f"{whole:.2f} s",
            f"target < {TARGET_S:.0f} s" if name == "Vancouver" else "",
        ),
    ]
    if with_plain:
        plain_s, theirs = timed(lambda: plain(replay, RULES))
        note = same(ours(result), theirs)
        rows += [
            ("plain per-day loop, one combination", f"{plain_s:.2f} s", note),
            (
                "plain loop × 160 (the grid)",
                f"{plain_s * len(grid.rows):.0f} s",
                f"cocoon's grid {plain_s * len(grid.rows) / grid_s:.0f}× as fast",
            ),
        ]
    if with_commands:
        rows += commands(name)
    print(f"\n  {name}, times")
    print(table(rows))
    return whole


def machine() -> str:
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"machine   {os.cpu_count()} CPUs ({usable} usable), {platform.machine()}, "
        f"load average {load}; python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__} ({numba.config.NUMBA_NUM_THREADS} threads)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--only", choices=("vancouver", "chicago"), help="one city only")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain per-day loop")
    ap.add_argument("--no-commands", action="store_true", help="skip the whole commands")
    args = ap.parse_args(argv)
    cities = [("Vancouver", VANCOUVER, read_vancouver), ("Chicago", CHICAGO, read_chicago)]
    cities = [c for c in cities if args.only in (None, c[0].lower())]
    missing = [str(path) for _, path, _ in cities if not path.exists()]
    if missing:
        print(f"bench_backtest: data not found: {', '.join(missing)}", file=sys.stderr)
        return 1
    print("Back-test benchmark: 500 m, 14 + 42 days, and the 160-combination grid")
    print(machine())
    warm, _ = timed(lambda: Replay.of(read_chicago()).backtest(RULES))  # loads or compiles
    print(f"warm-up   {warm:.1f} s (the numba kernels: loaded from the cache, or compiled)")
    try:
        for name, _, read in cities:
            run(name, read(), not args.no_plain, not args.no_commands)
    except BenchError as exc:
        print(f"bench_backtest: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
