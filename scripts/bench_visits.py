"""Benchmark: a Sweden-sized address register loaded, then time planning one report's visits.

Lays out a seeded synthetic register in SWEREF 99 TM: ~1,800 settlements with Zipf-like sizes,
each a core of blocks of flats (entrances 12-15 m apart on streets 50 m apart, some entrances
listed several times: same street and number, another address_id) in villa areas (houses 25 m
apart on both sides of streets 60 m apart, odd numbers on one side, even on the other), and farms
along country roads. Streams it into the store through `upsert_addresses` in batches, stores
`--reports` burglaries at register points (flats, villas, countryside) and times per report the
box query, the selection, the route and the whole `plan` use case. Prints the figures beside the
targets of the issue; timings are never asserted.

    .venv/bin/python scripts/bench_visits.py                        # 3.5 M, fresh SQLite, temp dir
    .venv/bin/python scripts/bench_visits.py --addresses 200000 --keep
    .venv/bin/python scripts/bench_visits.py --db postgresql+psycopg://postgres@host/db --reset

A database given with --db must have empty cocoon tables; --reset drops and recreates them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import shapely
from _bench import (
    BenchError,
    ensure_empty,
    machine_facts,
    peak_rss_mib,
    run_in_workdir,
    table,
    timed,
)
from sqlalchemy import Engine, text

from cocoon.app.installation import Installation
from cocoon.config import Settings
from cocoon.core.geo import Projection, lonlat_box
from cocoon.core.model import Address, Dwelling, LocatedBy, Premises, Report
from cocoon.core.visits import BurgledHome, Neighbour, route_stops, select_stops
from cocoon.store import addresses as address_store
from cocoon.store import reports as report_store

T = TypeVar("T")
Chunk = dict[str, np.ndarray]  # register points of one place: x, y, street, number, town, kind
FLATS, VILLA, RURAL = 0, 1, 2
KINDS, KINDS_ = ("flats core", "villa area", "countryside"), (0, 1, 2)
DWELLING = (Dwelling.FLERBOSTADSHUS, Dwelling.SMAHUS, Dwelling.SMAHUS)
TARGET_SELECT_MS, TARGET_ROUTE_S = 50.0, 1.0
LOBES = (0.15, 0.12, 0.08)  # how far a town's outline bulges, by 1, 2 and 3 lobes
NAMED = (("Stockholm", 18.07, 59.33), ("Göteborg", 11.97, 57.71), ("Malmö", 13.00, 55.61),
         ("Uppsala", 17.64, 59.86), ("Västerås", 16.54, 59.61), ("Örebro", 15.21, 59.27),
         ("Linköping", 15.62, 58.41), ("Helsingborg", 12.69, 56.05), ("Jönköping", 14.16, 57.78),
         ("Norrköping", 16.19, 58.59), ("Lund", 13.19, 55.70), ("Umeå", 20.26, 63.83),
         ("Gävle", 17.14, 60.67), ("Borås", 12.94, 57.72), ("Eskilstuna", 16.51, 59.37),
         ("Halmstad", 12.86, 56.67), ("Växjö", 14.81, 56.88), ("Karlstad", 13.50, 59.38),
         ("Sundsvall", 17.31, 62.39), ("Luleå", 22.15, 65.58), ("Östersund", 14.64, 63.18),
         ("Kalmar", 16.36, 56.66), ("Falun", 15.64, 60.61),
         ("Skellefteå", 20.95, 64.75))  # fmt: skip
SWEDEN = ((13.36, 55.34), (12.82, 55.40), (12.95, 55.60), (12.60, 56.10), (12.80, 56.65),
          (11.85, 57.70), (11.15, 58.90), (11.80, 59.80), (12.50, 60.30), (12.30, 61.00),
          (12.10, 63.30), (14.00, 64.50), (15.00, 65.50), (16.50, 67.00), (18.00, 68.40),
          (20.55, 69.06), (23.50, 67.90), (24.15, 65.80), (22.20, 65.50), (20.40, 63.75),
          (17.50, 62.40), (17.30, 60.70), (19.00, 59.80), (18.90, 59.30), (16.80, 58.20),
          (16.50, 56.70), (15.60, 56.10), (14.30, 55.55))  # lon, lat  # fmt: skip
STEMS = (
    "Björk Ek Lind Asp Al Alm Lönn Gran Tall Rönn Hassel Sälg Pil Bok Ask Hägg Syren Rosen "
    "Lilje Viol Klöver Blåbärs Lingon Hallon Vallmo Tulpan Lärk Trast Fink Mås Trane Svan "
    "Örn Falk Hök Duv Sparv Stor Kyrko Skol Kvarn Smedje Bruks Hamn Strand Sjö Bäck Berg "
    "Dal Ängs Hag Gärdes Åker Skogs Mosse Kärr Torp Gårds Prost Kungs Drottning Prins Karls "
    "Gustavs Sol Stjärn Tull Post Stations Fabriks Tegel Kalk Sten Glas Koppar Järn"
)
QUALIFIERS = ("", "Norra ", "Södra ", "Östra ", "Västra ", "Lilla ", "Stora ", "Nya ", "Gamla ",
              "Övre ", "Nedre ")  # fmt: skip
SUFFIXES = ("gatan", "vägen", "stigen", "gränd", "allén", "backen", "slingan", "leden", "plan")
#: ~8,000 street names; each town takes them in an order of its own
STREETS = np.array([q + s + e for q in QUALIFIERS for s in STEMS.split() for e in SUFFIXES], object)
TOWN_PARTS = ("|||Norr|Sör|Väster|Öster|Stor|Lill", "Ny|Kul|Berg|Mal|Ås|Hed|Vik|Sand|Ljung|Eke|"
              "Hov|Ed|Ström|Tors|Lid|Vall|Frö|Sala|Ör|Hög|Rot", "by|köping|hult|ryd|torp|sjö|"
              "berga|näs|holm|sund|vik|fors|bro|åsen|dal|hem|inge|löv")  # fmt: skip


# ---------------------------------------------------------------- laying out the register


def chunk(x: Any, y: Any, street: Any, number: Any, town: str, kind: int) -> Chunk:
    size = len(x)
    town_, kind_ = np.full(size, town, dtype=object), np.full(size, kind, np.int8)
    return {"x": x, "y": y, "street": street, "number": number, "town": town_, "kind": kind_}


def settlement(
    rng: np.random.Generator, idx: int, name: str, centre: tuple[float, float], sizes: list[int]
) -> Iterator[Chunk]:
    """A core of sizes[0] register entries of blocks of flats inside sizes[1] villas.

    Doors lie on both sides of a grid of streets, nearest the centre first within a lobed
    outline, some blocks left empty (parks, fields); a street runs some 500 m.
    """
    angle, phase = rng.uniform(0, np.pi), rng.uniform(0, 2 * np.pi, 3)
    names = STREETS[np.random.default_rng([idx, 7]).permutation(STREETS.size)]
    used, cut = 0, 0.0
    for kind, n in zip((FLATS, VILLA), sizes, strict=True):
        spacing, gap, seg = (rng.uniform(12, 15), 50.0, 40) if kind == FLATS else (25.0, 60.0, 24)
        per_door = np.ones(n + 1, int)
        if kind == FLATS:  # some entrances listed 2-4 times: same street + number, 1 m apart
            per_door += rng.choice(4, size=n + 1, p=(0.75, 0.15, 0.07, 0.03))
        count = int(np.searchsorted(np.cumsum(per_door), n)) + 1
        half = max(np.sqrt(count * spacing * gap / 2 / np.pi + cut**2) * 2.0, 300.0)
        while True:
            along, across = (np.arange(-(half // d), half // d + 1) for d in (spacing, gap))
            i, j, side = (a.ravel() for a in np.meshgrid(along, across, (1, -1), indexing="ij"))
            u = i * spacing + (side < 0) * spacing / 2 + rng.normal(0, 1.5, i.size)
            v = j * gap + side * gap * 0.18 + rng.normal(0, 1.5, i.size)
            x, y = u * np.cos(angle) - v * np.sin(angle), u * np.sin(angle) + v * np.cos(angle)
            theta = np.arctan2(y, x)
            lobes = 1 + sum(
                a * np.sin(k * theta + p) for k, a, p in zip((1, 2, 3), LOBES, phase, strict=True)
            )
            rho = np.hypot(x, y) / lobes
            block = np.floor(x / 240).astype(np.int64) * 7919 + np.floor(y / 240).astype(np.int64)
            park = (block * 2654435761 + idx) % 97 < (24 if kind == VILLA else 8)
            ok = np.flatnonzero(~park & (rho >= cut) & (rho < half * 0.7))
            if ok.size >= count:
                break
            half *= 1.5
        keep = ok[np.argsort(rho[ok], kind="stable")[:count]]
        cut = float(rho[keep].max()) + gap
        i, j, side, x, y = (a[keep] for a in (i - i.min(), j, side, x, y))
        streets, inverse = np.unique(j * 10_000 + i // seg, return_inverse=True)
        street, used = names[(used + inverse) % names.size], used + streets.size
        number = 2 * (i % seg).astype(int) + np.where(side > 0, 1, 2)  # odd one side, even other
        x, y, street, number = (np.repeat(a, per_door[:count])[:n] for a in (x, y, street, number))
        x, y = x + centre[0] + rng.normal(0, 1, n), y + centre[1] + rng.normal(0, 1, n)
        yield chunk(x, y, street, number, name, kind)


def countryside(
    rng: np.random.Generator, n: int, towns: list[tuple[str, float, float, int]], inside: Any
) -> Iterator[Chunk]:
    """n farms along country roads near the settlements, numbered by metres along the road."""
    weights = np.sqrt([t[3] for t in towns])
    road = 0
    while n > 0:
        k = 2_000
        anchor = rng.choice(len(towns), size=k, p=weights / weights.sum())
        dist, bearing = rng.uniform(3_000, 25_000, k), rng.uniform(0, 2 * np.pi, k)
        heading, length = rng.uniform(0, 2 * np.pi, k), rng.uniform(2_000, 12_000, k)
        r = np.repeat(np.arange(k), rng.geometric(1 / 15, k))  # the road of each farm
        t, side = rng.uniform(0, length[r]), rng.choice((1, -1), r.size)
        off = side * rng.uniform(20, 250, r.size)
        ax = np.array([towns[a][1] for a in anchor]) + dist * np.cos(bearing)
        ay = np.array([towns[a][2] for a in anchor]) + dist * np.sin(bearing)
        x = ax[r] + t * np.cos(heading[r]) - off * np.sin(heading[r])
        y = ay[r] + t * np.sin(heading[r]) + off * np.cos(heading[r])
        ok = np.flatnonzero(inside(x, y))[:n]
        for a in np.unique(anchor[r[ok]]):
            m = ok[anchor[r[ok]] == a]
            number = 2 * (t[m] // 20).astype(int) + np.where(side[m] > 0, 1, 2)
            street = STREETS[(road + r[m]) * 7919 % STREETS.size]
            yield chunk(x[m], y[m], street, number, towns[a][0], RURAL)
        n, road = n - ok.size, road + k


def register(n: int, seed: int, proj: Projection) -> Iterator[Chunk]:
    """Exactly n register points: settlements largest first, then 12 % countryside."""
    rng = np.random.default_rng(seed)
    sweden = shapely.Polygon(np.column_stack(proj.to_metric(*zip(*SWEDEN, strict=True))))
    shapely.prepare(sweden)

    def inside(x: Any, y: Any) -> Any:
        return shapely.contains_xy(sweden, x, y)

    count = max(30, min(1_800, n // 150))
    w = 1 / np.arange(1, count + 1)
    sizes = np.floor(w / w.sum() * n * 0.88).astype(int).tolist()
    nx, ny = proj.to_metric([t[1] for t in NAMED], [t[2] for t in NAMED])
    placed: list[tuple[str, float, float, int]] = []
    radii: list[float] = []
    for rank, size in enumerate(sizes):
        flats = int(size * np.clip(0.08 + 0.12 * np.log10(size / 500), 0.02, 0.55))
        radius = np.sqrt((flats / 3e-3 + (size - flats) / 1e-3) / np.pi) * 1.4 + 500
        if rank < len(NAMED):
            name, cx, cy = NAMED[rank][0], nx[rank], ny[rank]
        else:
            name = "".join(str(rng.choice(part.split("|"))) for part in TOWN_PARTS)
            for _ in range(500):  # near a bigger town, or anywhere (the north sparser)
                near = rng.integers(len(NAMED))
                cx, cy = nx[near] + rng.normal(0, 40_000), ny[near] + rng.normal(0, 40_000)
                if rng.random() < 0.45:
                    cx, cy = rng.uniform(*sweden.bounds[::2]), rng.uniform(*sweden.bounds[1::2])
                gap = np.hypot([p[1] - cx for p in placed], [p[2] - cy for p in placed])
                free = np.all(gap > np.add(radii, radius))
                if free and inside(cx, cy) and (cy < 6.8e6 or rng.random() < 0.3):
                    break
            else:
                raise BenchError(f"no room for settlement {rank}")
        placed.append((name, float(cx), float(cy), size))
        radii.append(radius)
        yield from settlement(rng, rank, name, (cx, cy), [flats, size - flats])
    yield from countryside(rng, n - sum(sizes), placed, inside)


def to_addresses(rng: np.random.Generator, c: Chunk, proj: Projection) -> list[Address]:
    """Address records: lon/lat, random UUIDs for ids (as Lantmäteriet's), postcodes by place."""
    lon, lat = proj.to_wgs84(c["x"], c["y"])
    bits = rng.integers(0, 2**63, (lon.size, 2)).tolist()
    ids = [f"{a:016x}{b:016x}" for a, b in bits]
    ids = [f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}" for h in ids]
    post = ((np.floor(lon * 20) * 131 + np.floor(lat * 40) * 17) % 89_000 + 10_000).astype(int)
    posts = [f"{p // 100} {p % 100:02d}" for p in post.tolist()]
    cols = [ids, c["street"].tolist(), c["number"].astype(str).tolist(), lon.tolist()]
    cols += [lat.tolist(), posts, c["town"].tolist(), [DWELLING[k] for k in c["kind"].tolist()]]
    return [Address(*row) for row in zip(*cols, strict=True)]


@dataclass
class Loaded:
    store_s: float = 0.0  # in upsert_addresses
    sample: dict[int, list[tuple[float, Address]]] = field(default_factory=dict)  # by kind
    rows: np.ndarray = field(default_factory=lambda: np.zeros(3, int))  # by kind


def load(app: Installation, n: int, seed: int, batch: int, now: datetime) -> Loaded:
    """Stream the register into the store, `batch` rows per transaction."""
    rng, done, pending = np.random.default_rng(seed + 1), Loaded(), []

    def store(c: Chunk) -> None:
        addresses, keys = to_addresses(rng, c, app.projection), rng.random(len(c["x"]))
        for k in (FLATS, VILLA, RURAL):  # the 200 smallest keys of each kind: a uniform sample
            mine = [(keys[i], addresses[i]) for i in np.flatnonzero(c["kind"] == k)]
            done.sample[k] = sorted(done.sample.get(k, []) + mine, key=lambda ka: ka[0])[:200]
        done.rows += np.bincount(c["kind"], minlength=3)
        started = time.perf_counter()
        with app.engine.begin() as conn:
            address_store.upsert_addresses(conn, addresses, "bench-register", now)
        done.store_s += time.perf_counter() - started

    for part in register(n, seed, app.projection):
        pending.append(part)
        while sum(len(p["x"]) for p in pending) >= batch:
            whole = {k: np.concatenate([p[k] for p in pending]) for k in part}
            store({k: v[:batch] for k, v in whole.items()})
            pending = [{k: v[batch:] for k, v in whole.items()}]
    if sum(len(p["x"]) for p in pending):
        store({k: np.concatenate([p[k] for p in pending]) for k in pending[0]})
    return done


# ---------------------------------------------------------------- measuring


def burglaries(loaded: Loaded, k: int, seed: int, now: datetime) -> list[tuple[Report, int]]:
    """k burglaries a day old at register points: 40 % flats, 40 % villas, 20 % countryside."""
    rng, day = np.random.default_rng(seed + 2), timedelta(days=1)
    out = []
    for i, kind in enumerate(rng.choice(3, size=k, p=(0.4, 0.4, 0.2)).tolist()):
        _, a = loaded.sample[kind].pop(int(rng.integers(len(loaded.sample[kind]))))
        hours = timedelta(hours=1)
        report = Report(
            f"BENCH-{i:04d}", now - day, now - day - 9 * hours, now - day - 2 * hours,
            Premises.LAGENHET if kind == FLATS else Premises.VILLA,
            lon=a.lon, lat=a.lat, located_by=LocatedBy.COORDINATES,
        )  # fmt: skip
        out.append((report, kind))
    return out


def steps(
    app: Installation, report: Report, taken: set[str], others: list[Report]
) -> dict[str, float]:
    """The steps of `plan` one by one, as app_visits takes them, storing nothing."""
    proj, rules = app.projection, app.visits.rules
    assert report.lon is not None and report.lat is not None
    with app.engine.connect() as conn:
        started = time.perf_counter()
        x, y = proj.point_to_metric(report.lon, report.lat)
        found = address_store.addresses_in_box(conn, *lonlat_box(proj, x, y, rules.radius_m))
        box_s = time.perf_counter() - started
    points = np.array([(r.lon, r.lat) for r in others], dtype=float).reshape(-1, 2)
    ox, oy = proj.to_metric(points[:, 0], points[:, 1])
    burgled = [
        BurgledHome(float(e), float(n), r.address_id)
        for r, e, n in zip(others, ox, oy, strict=True)
    ]

    def select(taken_: set[str]) -> list[Any]:
        xs, ys = proj.to_metric([a.lon for a in found], [a.lat for a in found])
        near = [Neighbour(a, float(e), float(n)) for a, e, n in zip(found, xs, ys, strict=True)]
        return select_stops((x, y), report.address_id, near, taken_, rules, burgled)

    select_s, stops = timed(lambda: select(set()))
    taken_s, route_s = timed(lambda: select(taken))[0], timed(lambda: route_stops((x, y), stops))[0]
    return dict(box=box_s, select=select_s, box_select=box_s + select_s, taken=taken_s,
                route=route_s, found=len(found), stops=len(stops))  # fmt: skip


def db_size_mb(engine: Engine) -> float:
    """The database on disk: PostgreSQL's count, or the SQLite file once its WAL is folded in."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return (conn.scalar(text("SELECT pg_database_size(current_database())")) or 0) / 1e6
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(engine.url.database or "").stat().st_size / 1e6


def box_plan(engine: Engine) -> str:
    """How the database answers a box query."""
    query = "SELECT * FROM addresses WHERE lat BETWEEN 59 AND 59.01 AND lon BETWEEN 18 AND 18.02"
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        return " / ".join(str(r[-1]).strip() for r in conn.execute(text(explain + query)))[:160]


def spread(values: list[float]) -> str:
    """Median / p95 / max of timings in seconds, in ms."""
    a = np.asarray(values) * 1000
    return f"{np.median(a):6.1f} / {np.percentile(a, 95):6.1f} / {a.max():6.1f} ms"


# ---------------------------------------------------------------- main


def run(args: argparse.Namespace, workdir: Path) -> None:
    app = Installation(
        Settings.model_validate({"database": {"url": args.db or f"sqlite:///{workdir}/b.db"}})
    )
    ensure_empty(app.engine, args.reset)
    app.init()
    print("\n".join(machine_facts(app.engine, f"numpy {np.__version__}")), flush=True)
    now, rss0 = datetime.now(UTC).replace(microsecond=0), peak_rss_mib()
    load_s, got = timed(lambda: load(app, args.addresses, args.seed, args.batch, now))
    rss_load, size, n = peak_rss_mib(), db_size_mb(app.engine), int(got.rows.sum())
    mix = ", ".join(f"{KINDS[k]} {got.rows[k] / n:.0%}" for k in range(3))
    print(f"register  {n:,} addresses: {mix}; loaded in batches of {args.batch:,}")
    print(f"box query {box_plan(app.engine)}", flush=True)

    chosen = burglaries(got, args.reports, args.seed, now)
    with app.engine.begin() as conn:
        report_store.upsert_reports(conn, [(r, "bench") for r, _ in chosen], now)
    taken = {f"taken-{i:07d}" for i in range(args.taken)}
    reports = [r for r, _ in chosen]
    steps_ = [steps(app, r, taken, [o for o in reports if o is not r]) for r in reports]
    plans = [timed(partial(app.visits.plan, r.report_id, now)) for r, _ in chosen]

    def col(key: str, *kinds: int) -> list[float]:
        return [s[key] for s, (_, k) in zip(steps_, chosen, strict=True) if k in (kinds or KINDS_)]

    target_sel, target_route = f"target < {TARGET_SELECT_MS:g} ms", f"target < {TARGET_ROUTE_S:g} s"
    found, stops = col("found"), col("stops")
    rows = [
        (f"load {n:,} addresses", f"{load_s:.1f} s", f"{n / load_s:,.0f} rows/s"),
        ("  of it in upsert_addresses", f"{got.store_s:.1f} s", f"{n / got.store_s:,.0f} rows/s"),
        ("  database size", f"{size:,.0f} MB", ""),
        ("  peak RSS after loading", f"{rss_load:,.0f} MiB", f"{rss0:,.0f} MiB before"),
        (f"per report ({len(chosen)})", "median / p95 / max", ""),
        ("(a) box query", spread(col("box")), "addresses_in_box, with the Address objects"),
        ("(b) project + select_stops", spread(col("select")), target_sel),
        ("(a+b) one report's selection", spread(col("box_select")), target_sel),
    ]
    for k in KINDS_:
        if col("box", k):
            note = f"{len(col('box', k))} reports, median {np.median(col('found', k)):,.0f} in box"
            rows.append((f"  (a+b) {KINDS[k]}", spread(col("box_select", k)), note))
    rows += [
        (f"(b) with {len(taken):,} ids taken", spread(col("taken")), "by other plans, 14 days"),
        ("(c) route_stops", spread(col("route")), target_route),
        ("(d) app.visits.plan", spread([p[0] for p in plans]), "all of it, the plan stored"),
        (
            "  candidates in box",
            f"{np.median(found):,.0f}",
            f"min {min(found):,.0f}, max {max(found):,.0f}",
        ),
        (
            "  stops selected",
            f"{np.median(stops):.0f}",
            f"min {min(stops):.0f}, max {max(stops):.0f}",
        ),
        ("peak RSS at the end", f"{peak_rss_mib():,.0f} MiB", ""),
    ]
    print(table(rows))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--addresses", type=int, default=3_500_000, help="register size [3500000]")
    ap.add_argument("--reports", type=int, default=50, help="reports to plan [50]")
    ap.add_argument("--taken", type=int, default=10_000, help="ids taken by other plans [10000]")
    ap.add_argument("--batch", type=int, default=50_000, help="addresses per transaction [50000]")
    ap.add_argument("--db", metavar="URL", help="database [a fresh SQLite file in a temp dir]")
    ap.add_argument("--reset", action="store_true", help="drop, recreate cocoon's tables in --db")
    ap.add_argument("--seed", type=int, default=2024, help="random seed [2024]")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (the SQLite file)")
    args = ap.parse_args(argv)
    if args.addresses < 20_000 or not 1 <= args.reports <= 200 or args.batch < 1:
        ap.error("need --addresses >= 20000, 1 <= --reports <= 200 and --batch >= 1")
    return run_in_workdir("bench_visits", args.keep, lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
