"""Benchmark: the service-area test on a register of 1.5 million points, per point and at once.

Loads Sweden's outline as `cocoon` does, lays out seeded points over Sweden's box (most around
towns, the rest anywhere in the box, so some fall abroad or at sea) and times the box alone (the
area before the outline), `ServiceArea.contains` called per point (as a reader that loops does)
and `ServiceArea.contains_xy` on the whole array. Prints the figures; timings are never asserted.

    .venv/bin/python scripts/bench_area.py                 # 1.5 million points
    .venv/bin/python scripts/bench_area.py --points 200000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from cocoon.config import Settings
from cocoon.core.geo import ServiceArea, national_area
from cocoon.sources.boundary import sweden_outline

T = TypeVar("T")

#: lon, lat of a few towns the register's points cluster around.
TOWNS = np.array([
    (18.07, 59.33), (11.97, 57.71), (13.00, 55.61), (17.64, 59.86), (15.62, 58.41),
    (20.26, 63.83), (22.15, 65.58), (16.36, 56.66), (18.29, 57.63), (20.23, 67.86),
])  # fmt: skip


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def points(n: int, box: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """`n` seeded points: 80 % within some 20 km of a town, 20 % anywhere in the box."""
    rng = np.random.default_rng(12)
    near = int(n * 0.8)
    centre = TOWNS[rng.integers(0, len(TOWNS), near)]
    lon = np.concatenate(
        [centre[:, 0] + rng.normal(0, 0.3, near), rng.uniform(box[0], box[2], n - near)]
    )
    lat = np.concatenate(
        [centre[:, 1] + rng.normal(0, 0.15, near), rng.uniform(box[1], box[3], n - near)]
    )
    return lon, lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_500_000)
    args = parser.parse_args()
    box = Settings().area.bbox
    load_s, outline = timed(sweden_outline)
    area_s, sweden = timed(lambda: national_area("Sverige", box, outline))
    lon, lat = points(args.points, box)
    box_only = ServiceArea("box", box)
    box_s, in_box = timed(lambda: box_only.contains_xy(lon, lat))
    each_s, each = timed(
        lambda: [sweden.contains(float(x), float(y)) for x, y in zip(lon, lat, strict=True)]
    )
    once_s, at_once = timed(lambda: sweden.contains_xy(lon, lat))
    assert at_once.tolist() == each
    n = args.points
    print(f"outline   load {load_s:.3f} s, prepare {area_s:.3f} s")
    print(f"points    {n:,}: {int(in_box.sum()):,} in the box, {int(at_once.sum()):,} in Sweden")
    rows = [
        ("box alone (the area before the outline)", box_s),
        ("contains per point", each_s),
        ("contains_xy on the array", once_s),
    ]
    for label, seconds in rows:
        print(f"  {label:42s} {seconds:7.3f} s  {seconds / n * 1e6:5.2f} µs a point")


if __name__ == "__main__":
    main()
