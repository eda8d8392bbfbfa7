"""Benchmark: load a 1.5-million-row address register CSV; time and peak memory beside baselines.

Writes a seeded synthetic register in the contract's columns (README, "Input formats":
address_id, street, number, postcode, town, lat, lon, dwelling; towns across southern Sweden)
into a temp folder, then measures, each in a fresh Python process so that each peak RSS is its
own (VmHWM):

  imports only     the modules the load imports, and nothing else
  csv.reader pass  a plain csv.reader over the same file, counting rows: the floor for reading
  load-addresses   the use case on a fresh SQLite file: read, judge and store in chunks
  in one piece     (--whole) the file read whole, then stored in one call: how it was done before

Prints the figures; timings and memory are never asserted.

    .venv/bin/python scripts/bench_register.py                     # 1,500,000 rows
    .venv/bin/python scripts/bench_register.py --rows 200000 --whole --keep
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


class ChildError(Exception):
    """A measurement process that failed."""


#: Towns (lon, lat, share of the register) the synthetic doors lie round.
TOWNS = (
    ("Kalmar", 16.36, 56.66, 3), ("Växjö", 14.81, 56.88, 3), ("Jönköping", 14.16, 57.78, 4),
    ("Linköping", 15.62, 58.41, 5), ("Norrköping", 16.19, 58.59, 4), ("Malmö", 13.00, 55.61, 8),
    ("Lund", 13.19, 55.70, 3), ("Helsingborg", 12.69, 56.05, 4), ("Halmstad", 12.86, 56.67, 3),
    ("Göteborg", 11.97, 57.71, 12), ("Borås", 12.94, 57.72, 3), ("Karlskrona", 15.59, 56.16, 2),
    ("Örebro", 15.21, 59.27, 4), ("Västerås", 16.54, 59.61, 4), ("Uppsala", 17.64, 59.86, 5),
    ("Stockholm", 18.07, 59.33, 33),
)  # fmt: skip
STREETS = (
    "Storgatan", "Kyrkogatan", "Östra Långgatan", "Västra Vägen", "Åsgatan", "Björkvägen",
    "Ekbacken", "Lindallén", "Skolgatan", "Kvarngränd", "Strandvägen", "Tallstigen",
)  # fmt: skip


def make_register(path: Path, rows: int, seed: int) -> None:
    """`rows` doors round the towns, 60,000 rows written at a time."""
    import numpy as np

    rng = np.random.default_rng(seed)
    shares = np.array([t[3] for t in TOWNS], dtype=float)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["address_id", "street", "number", "postcode", "town", "lat", "lon",
                         "dwelling"])  # fmt: skip
        for start in range(0, rows, 60_000):
            n = min(60_000, rows - start)
            town = rng.choice(len(TOWNS), size=n, p=shares / shares.sum())
            lon = np.array([TOWNS[t][1] for t in town]) + rng.normal(0, 0.06, n)
            lat = np.array([TOWNS[t][2] for t in town]) + rng.normal(0, 0.03, n)
            ids = rng.integers(0, 2**63, (n, 2))
            street = rng.integers(0, len(STREETS), n)
            number = rng.integers(1, 120, n)
            letter = rng.choice(["", "", "", "A", "B"], n)
            kind = rng.choice(["smahus", "flerbostadshus"], n, p=(0.6, 0.4))
            writer.writerows(
                (
                    f"{a:016x}-{b:016x}",
                    STREETS[s],
                    f"{num}{let}",
                    f"{300 + t * 7} {num % 90 + 10}",
                    TOWNS[t][0],
                    f"{y:.6f}",
                    f"{x:.6f}",
                    k,
                )
                for (a, b), s, num, let, t, y, x, k in zip(
                    ids.tolist(),
                    street.tolist(),
                    number.tolist(),
                    letter.tolist(),
                    town.tolist(),
                    lat.tolist(),
                    lon.tolist(),
                    kind.tolist(),
                    strict=True,
                )
            )


# ---------------------------------------------------------------- what each child process does


def peak_mib() -> float:
    """This process's peak resident set size since it started this program (VmHWM: unlike
    ru_maxrss, it does not carry over the memory of the process it was forked from)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(what: str, path: Path, db: str) -> dict[str, object]:
    """One measurement, in this (fresh) process; the figures as a dict for the parent."""
    started = time.perf_counter()
    if what == "csv":
        with path.open(encoding="utf-8", newline="") as stream:
            rows = sum(1 for _ in csv.reader(stream)) - 1
        return {"seconds": time.perf_counter() - started, "rows": rows}
    from cocoon.app.installation import Installation
    from cocoon.config import Settings
    from cocoon.sources.addresses import read_addresses
    from cocoon.store import addresses as address_store

    app = Installation(Settings.model_validate({"database": {"url": db}}))
    if what == "imports":
        return {"seconds": time.perf_counter() - started, "rows": 0}
    app.init()
    now = datetime.now(UTC)
    started = time.perf_counter()
    if what == "whole":
        load = read_addresses(path, app.context.area, app.projection)
        with app.engine.begin() as conn:
            counts = address_store.upsert_addresses(conn, load.addresses, path.name, now)
        return {"seconds": time.perf_counter() - started, "rows": counts.created}
    shown = [started]

    def progress(rows: int, stored: int) -> None:
        at = time.perf_counter()
        if at - shown[0] >= 5:
            shown[0] = at
            rate = rows / (at - started)
            print(
                f"    {rows:,} rows read, {stored:,} stored ({rate:,.0f} rows/s)", file=sys.stderr
            )

    result = app.register.load_addresses(path, now, progress=progress)
    return {"seconds": time.perf_counter() - started, "rows": result.created}


def measure(what: str, path: Path, db: str) -> tuple[float, int, float]:
    """Seconds, rows and peak RSS (MiB) of one measurement in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path), db], stdout=subprocess.PIPE
    )
    if done.returncode != 0:
        raise ChildError(f"the {what} process failed with exit status {done.returncode}")
    figures = json.loads(done.stdout)
    return float(figures["seconds"]), int(figures["rows"]), float(figures["peak_mib"])


def run(args: argparse.Namespace, workdir: Path) -> None:
    from _bench import BenchError, table

    path = workdir / "register.csv"
    started = time.perf_counter()
    make_register(path, args.rows, args.seed)
    size = path.stat().st_size / 1e6
    print(f"register  {args.rows:,} rows, {size:,.0f} MB, written in "
          f"{time.perf_counter() - started:.1f} s: {path}")  # fmt: skip
    print(f"python    {sys.version.split()[0]}, {os.cpu_count()} CPUs", flush=True)
    rows = []
    steps = [("imports", "imports only"), ("csv", "csv.reader pass"), ("load", "load-addresses")]
    if args.whole:
        steps.append(("whole", "in one piece (before)"))
    for what, label in steps:
        db = f"sqlite:///{workdir / f'{what}.sqlite'}"
        print(f"  {label} …", flush=True)
        try:
            seconds, count, rss = measure(what, path, db)
        except ChildError as exc:
            raise BenchError(str(exc)) from exc
        rate = f"{count / seconds:,.0f} rows/s" if count else ""
        rows.append((label, f"{seconds:.1f} s", f"peak RSS {rss:,.0f} MiB  {count:,} rows {rate}"))
    print(table(rows))


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 5 and sys.argv[1] == "--child":
        figures = child(sys.argv[2], Path(sys.argv[3]), sys.argv[4])
        print(json.dumps(figures | {"peak_mib": peak_mib()}))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=1_500_000, help="register rows [1500000]")
    ap.add_argument("--whole", action="store_true", help="also time the file read in one piece")
    ap.add_argument("--seed", type=int, default=2026, help="random seed [2026]")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = ap.parse_args(argv)
    if args.rows < 1:
        ap.error("need --rows >= 1")
    from _bench import run_in_workdir

    return run_in_workdir("bench_register", args.keep, lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
