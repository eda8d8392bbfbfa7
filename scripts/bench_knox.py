"""Benchmark: cocoon's Knox test beside a plain KD-tree + permute script, same data and bands.

The plain way (`plain_knox` below): scipy's cKDTree.query_pairs at the largest distance, then per
permutation numpy-permute the times and histogram |dt| of the close pairs per band. Measured:

1. Chicago 2016 (11,700 dated events, ../shared/data), 999 permutations, computation only
   (file read, imports and numba compile excluded), with peak traced memory, in this process.
2. The same at 9,999 permutations as whole processes: `python -c` running cocoon's knox, and the
   plain script written to a temp file; each starts Python, imports, reads the CSV and computes.
   cocoon runs once on an empty numba cache (it compiles) and then on the warm cache.
3. A synthetic city: uniform events over a square and a year (100,000 by default), 999
   permutations: cocoon's time and peak RSS, and the plain way at 99 permutations, scaled.

Bands: 5 × 100 m and 4 × 7 days, Euclidean, cocoon's default convention (the plain way counts
the same cells, and the observed counts are compared). Prints figures beside the targets of
issue 13; timings are never asserted.

    .venv/bin/python scripts/bench_knox.py
    .venv/bin/python scripts/bench_knox.py --repeats 3 --events 50000 --keep
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numba
import numpy as np
import scipy
from _bench import BenchError, run_in_workdir, table, timed

from cocoon.analysis.knox import KnoxSettings, knox

ROOT = Path(__file__).resolve().parents[1]
CHICAGO = ROOT.parent / "shared" / "data" / "burglary-chicago-nearrepeat" / "chicago_be_2016.csv"
TARGET_999_S = 0.5  # computation at 999 permutations
TARGET_SHARE = 0.5  # whole process at 9,999: at most this share of the plain script's time
PLAIN = "plain_knox.py"
HEAD = "from __future__ import annotations\n\nimport json, sys, time\nfrom typing import Any"


def read_events(path: str) -> tuple[Any, Any, Any]:
    """x, y (metres) and days of an X,Y,date CSV (undated rows dropped), or of a (3, n) .npy."""
    import csv

    import numpy as np

    if path.endswith(".npy"):
        x, y, t = np.load(path)
        return x, y, t
    with open(path, newline="") as f:
        rows = [r for r in list(csv.reader(f))[1:] if r[2]]
    days = np.array([r[2] for r in rows], dtype="datetime64[D]").astype(np.int64)
    return np.array([float(r[0]) for r in rows]), np.array([float(r[1]) for r in rows]), days


def peak_rss_mib() -> float:
    """This process's peak resident memory: VmHWM, which, unlike ru_maxrss, starts afresh at exec
    (ru_maxrss of a child keeps the forking parent's peak)."""
    with open("/proc/self/status") as f:
        return next(int(v.split()[1]) for v in f if v.startswith("VmHWM:")) / 1024


def plain_knox(x: Any, y: Any, t: Any, iterations: int) -> dict[str, Any]:
    """The plain way: KD-tree pairs, then per permutation |dt| of the pairs histogrammed per band.
    Counts the close cells (same location, 5 × 100 m by 4 × 7 days and beyond) as cocoon does."""
    import numpy as np
    from scipy.spatial import cKDTree

    pairs = cKDTree(np.column_stack((x, y))).query_pairs(500.0, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    i, j, d = i[d <= 500], j[d <= 500], d[d <= 500]  # scipy's own rounding may let in 500 + ε
    cell = np.searchsorted([100.0, 200, 300, 400, 500], d, side="left") + 1
    cell[d == 0] = 0
    cell *= 5  # row offset: 5 time columns (4 bands and beyond)
    t = np.asarray(t, dtype=np.int64)
    band = np.minimum(np.maximum((np.arange(t.max() - t.min() + 1) + 6) // 7 - 1, 0), 4)

    def histogram(times: Any) -> Any:
        return np.bincount(cell + band[np.abs(times[i] - times[j])], minlength=30)

    rng = np.random.default_rng(1)
    observed, sums = histogram(t), np.zeros(30, dtype=np.int64)
    for _ in range(iterations):
        sums += histogram(rng.permutation(t))
    return {"close_pairs": len(i), "observed": observed.reshape(6, 5).tolist()}


PLAIN_SCRIPT = "\n\n".join(
    [
        HEAD,
        inspect.getsource(read_events),
        inspect.getsource(peak_rss_mib),
        inspect.getsource(plain_knox),
        textwrap.dedent("""\
            x, y, t = read_events(sys.argv[1])
            started = time.perf_counter()
            out = plain_knox(x, y, t, int(sys.argv[2]))
            out["compute_s"] = time.perf_counter() - started
            out["peak_rss_mib"] = peak_rss_mib()
            print(json.dumps(out))
        """),
    ]
)
COCOON_SNIPPET = "\n\n".join(
    [
        HEAD + "\nfrom cocoon.analysis.knox import KnoxSettings, knox",
        inspect.getsource(read_events),
        inspect.getsource(peak_rss_mib),
        textwrap.dedent("""\
            x, y, t = read_events(sys.argv[1])
            if sys.argv[3] == "warm-up":
                knox(x, y, t, KnoxSettings(iterations=1))
            started = time.perf_counter()
            r = knox(x, y, t, KnoxSettings(iterations=int(sys.argv[2])))
            rows = [[c.observed for c in row] for row in r.rows()[:-1]]
            out = {"close_pairs": r.close_pairs, "observed": rows}
            out["compute_s"] = time.perf_counter() - started
            out["peak_rss_mib"] = peak_rss_mib()
            print(json.dumps(out))
        """),
    ]
)


def cocoon_close(x: Any, y: Any, t: Any, iterations: int) -> dict[str, Any]:
    """cocoon's knox, reported like plain_knox: the close rows only."""
    result = knox(x, y, t, KnoxSettings(iterations=iterations))
    rows = [[c.observed for c in row] for row in result.rows()[:-1]]
    return {"close_pairs": result.close_pairs, "observed": rows}


def best_of(repeats: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of the fastest of `repeats` runs (others share this machine), and its result."""
    return min((timed(fn) for _ in range(repeats)), key=lambda run: run[0])


def traced_peak_mib(fn: Callable[[], Any]) -> float:
    """Peak of Python and numpy allocations while fn runs (numpy reports to tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def process(repeats: int, args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Wall time of the fastest of `repeats` whole Python processes, and the JSON it printed."""

    def once() -> dict[str, Any]:
        done = subprocess.run(args, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise BenchError(f"{args[1][:40]!r} failed: {done.stderr.strip()[-300:]}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    return best_of(repeats, once)


def machine() -> list[str]:
    """CPU, load and versions, so that figures can be compared across machines."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return [
        f"machine   {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}, "
        f"{platform.system()} {platform.machine()}; load average {load}",
        f"python    {platform.python_implementation()} {platform.python_version()}, numpy "
        f"{np.__version__}, scipy {scipy.__version__}, numba {numba.__version__} "
        f"({numba.config.NUMBA_NUM_THREADS} threads)",
    ]


def same(cocoon: dict[str, Any], plain: dict[str, Any]) -> str:
    """A note that both counted the same observed pairs; a failure if not."""
    if cocoon["observed"] != plain["observed"] or cocoon["close_pairs"] != plain["close_pairs"]:
        raise BenchError("cocoon and the plain way count different observed pairs")
    return "observed counts equal"


def computation(args: argparse.Namespace, x: Any, y: Any, t: Any) -> None:
    """Chicago at 999 permutations in this process: computation only."""
    knox(x, y, t, KnoxSettings(iterations=1))  # loads (or compiles) the kernel
    ours, ours_out = best_of(args.repeats, lambda: cocoon_close(x, y, t, 999))
    plain, plain_out = best_of(args.repeats, lambda: plain_knox(x, y, t, 999))
    ours_mib = traced_peak_mib(lambda: cocoon_close(x, y, t, 999))
    plain_mib = traced_peak_mib(lambda: plain_knox(x, y, t, 999))
    print(f"\nChicago 2016, 999 permutations, computation only (best of {args.repeats})")
    rows = [
        ("cocoon knox", f"{ours:.3f} s", f"target ≤ {TARGET_999_S} s"),
        ("plain KD-tree + permute", f"{plain:.3f} s", f"cocoon {plain / ours:.1f}× as fast"),
        ("peak traced memory, cocoon", f"{ours_mib:.1f} MiB", ""),
        ("peak traced memory, plain", f"{plain_mib:.1f} MiB", ""),
        ("close pairs (≤ 500 m)", f"{ours_out['close_pairs']:,}", same(ours_out, plain_out)),
    ]
    print(table(rows))


def whole_processes(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> None:
    """Chicago at --iterations as whole processes: cocoon on an empty and a warm numba cache."""
    n, data = str(args.iterations), str(CHICAGO)
    cocoon = [sys.executable, "-c", COCOON_SNIPPET, data, n, "no-warm-up"]
    cold, cold_out = process(1, cocoon, env)
    warm, warm_out = process(args.repeats, cocoon, env)
    plain, plain_out = process(args.repeats, [sys.executable, str(workdir / PLAIN), data, n], env)
    target = TARGET_SHARE * plain
    print(
        f"\nChicago 2016, {args.iterations:,} permutations, whole process (best of {args.repeats})"
    )
    rows = [
        ("cocoon, empty numba cache", f"{cold:.2f} s", f"compiles: {cold / plain:.0%} of plain"),
        (
            "cocoon, warm numba cache",
            f"{warm:.2f} s",
            f"target ≤ {target:.2f} s: {warm / plain:.0%}",
        ),
        ("plain script", f"{plain:.2f} s", ""),
        ("computing only, cocoon", f"{warm_out['compute_s']:.2f} s", ""),
        ("computing only, plain", f"{plain_out['compute_s']:.2f} s", ""),
        ("peak RSS, cocoon", f"{warm_out['peak_rss_mib']:.0f} MiB", ""),
        ("peak RSS, plain", f"{plain_out['peak_rss_mib']:.0f} MiB", same(cold_out, plain_out)),
    ]
    print(table(rows))


def synthetic_city(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> None:
    """--events uniform over a square and a year, 999 permutations, each in its own process."""
    rng, side, n = np.random.default_rng(args.seed), args.side_km * 1000, args.events
    data = workdir / "synthetic.npy"
    t = rng.integers(0, 366, n).astype(float)
    np.save(data, np.stack([rng.uniform(0, side, n), rng.uniform(0, side, n), t]))
    cocoon = [sys.executable, "-c", COCOON_SNIPPET, str(data), "999", "warm-up"]
    _, ours = process(1, cocoon, env)
    rows = [
        (
            "cocoon knox, computation",
            f"{ours['compute_s']:.1f} s",
            f"{ours['close_pairs']:,} pairs",
        ),
        ("cocoon peak RSS", f"{ours['peak_rss_mib']:.0f} MiB", "whole process, imports too"),
    ]
    if not args.no_plain_synthetic:
        _, plain = process(1, [sys.executable, str(workdir / PLAIN), str(data), "99"], env)
        at_999 = plain["compute_s"] * 999 / 99
        rows += [
            ("plain, 99 permutations", f"{plain['compute_s']:.1f} s", f"≈ {at_999:.0f} s at 999"),
            ("plain peak RSS", f"{plain['peak_rss_mib']:.0f} MiB", same(ours, plain)),
        ]
    km = f"{args.side_km:g} × {args.side_km:g} km"
    print(f"\nSynthetic: {n:,} events over {km} and a year, 999 permutations")
    print(table(rows))


def run(args: argparse.Namespace, workdir: Path) -> None:
    x, y, t = read_events(str(CHICAGO))
    print(f"Knox benchmark: {len(t):,} Chicago 2016 events; 5 × 100 m, 4 × 7 days, Euclidean")
    print("\n".join(machine()))
    computation(args, x, y, t)
    (workdir / PLAIN).write_text(PLAIN_SCRIPT)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(workdir / "numba-cache"))  # empty: compiles once
    whole_processes(args, workdir, env)
    synthetic_city(args, workdir, env)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeats", type=int, default=3, help="runs per timing, best kept [3]")
    ap.add_argument("--iterations", type=int, default=9999, help="whole-process runs [9999]")
    ap.add_argument("--events", type=int, default=100_000, help="synthetic events [100000]")
    ap.add_argument("--side-km", type=float, default=25.0, help="synthetic square's side [25]")
    ap.add_argument("--seed", type=int, default=13, help="synthetic data's seed [13]")
    ap.add_argument("--no-plain-synthetic", action="store_true", help="skip the plain way there")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (scripts, data)")
    args = ap.parse_args(argv)
    if not CHICAGO.exists():
        print(f"bench_knox: Chicago data not found: {CHICAGO} (../shared/data)", file=sys.stderr)
        return 1
    return run_in_workdir("knox", args.keep, partial(run, args))


if __name__ == "__main__":
    sys.exit(main())
