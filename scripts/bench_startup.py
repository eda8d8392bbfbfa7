"""Start-up of the command line: `cocoon --help` and `--version` as whole processes, beside a
bare Python and a Python that only imports click, measured in the same run; then, per
command, the heavy libraries it loads and how long it takes on a small database.

Usage: .venv/bin/python scripts/bench_startup.py [--runs N] [--keep]
The target (issue 11): --help and --version at most 0.2 s each on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import BenchError, run_in_workdir, table

#: The libraries whose import costs tenths of a second; a command should load only its own.
HEAVY = (
    "sqlalchemy", "alembic", "pydantic", "numpy", "shapely", "pyproj", "scipy",
    "reportlab", "matplotlib", "pyogrio", "apscheduler",
)  # fmt: skip

BIN = Path(sys.executable).parent


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time of a whole process over `runs` runs (one warm-up first)."""
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=env, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchError(f"{' '.join(argv)} failed: {done.stderr.decode().strip()[:200]}")
        if i:
            times.append(elapsed)
    return statistics.median(times)


def loaded(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy libraries a cocoon command imports (read from `python -X importtime`)."""
    argv = [sys.executable, "-X", "importtime", "-m", "cocoon.cli", *args]
    done = subprocess.run(argv, capture_output=True, env=env, check=False, text=True)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    return [lib for lib in HEAVY if lib in names]


def run(args: argparse.Namespace, workdir: Path) -> int:
    env = dict(os.environ, COCOON_DB=f"sqlite:///{workdir / 'c.sqlite'}")
    env.pop("COCOON_CONFIG", None)
    cocoon = str(BIN / "cocoon")
    subprocess.run([cocoon, "init"], capture_output=True, env=env, check=True)
    baseline = median_seconds([sys.executable, "-c", "pass"], args.runs, env)
    with_click = median_seconds([sys.executable, "-c", "import click"], args.runs, env)
    help_s = median_seconds([cocoon, "--help"], args.runs, env)
    version_s = median_seconds([cocoon, "--version"], args.runs, env)
    print(f"cocoon start-up, median of {args.runs} runs each (whole processes)")
    print(
        table(
            [
                ("python -c pass", f"{baseline:.3f} s", "baseline: the interpreter alone"),
                ("python -c 'import click'", f"{with_click:.3f} s", "baseline: + click"),
                ("cocoon --help", f"{help_s:.3f} s", "target ≤ 0.200 s"),
                ("cocoon --version", f"{version_s:.3f} s", "target ≤ 0.200 s"),
            ]
        )
    )
    print("\nwhat each command loads (empty database)")
    rows = []
    for command in (
        ["--help"],
        ["zones"],
        ["unlocated"],
        ["signs", "--due", "2026-11-20"],
        ["visits", "status"],
        ["export", "--format", "geojson", "-o", str(workdir / "z.geojson")],
        ["export", "-o", str(workdir / "z.png")],
        ["status"],
    ):
        seconds = median_seconds([cocoon, *command], max(1, args.runs // 3), env)
        libs = loaded(command, env)
        rows.append((" ".join(command[:2]), f"{seconds:.2f} s", ", ".join(libs) or "-"))
    print(table(rows))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (default 9)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()
    return run_in_workdir("startup", args.keep, lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
