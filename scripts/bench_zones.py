"""Benchmark: ingest a year of burglary reports across Sweden, then time `zones --at`.

Lays out a seeded, realistic report CSV in the input contract (README, "Input formats": reports
clustered around Swedish towns with some rural scatter, near-repeat follow-ups, a premises mix,
attempts, offence windows of a few hours) so that `--active` reports are live at the measured
instant. Then times the ingest use case on a fresh database, a second (no-op) ingest of the file,
the zones at an instant plus the GeoJSON rendering the CLI does, and `cocoon zones` as a process.
Prints the figures beside the targets of the issue; timings are never asserted.

    .venv/bin/python scripts/bench_zones.py                        # fresh SQLite file, temp dir
    .venv/bin/python scripts/bench_zones.py --reports 10000 --active 1000 --repeats 5 --keep
    .venv/bin/python scripts/bench_zones.py --db postgresql+psycopg://postgres@127.0.0.1:54329/x

A database given with --db must have empty cocoon tables; --reset drops and recreates them.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import math
import pstats
import random
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

from _bench import (
    BenchError,
    ensure_empty,
    machine_facts,
    peak_rss_mib,
    run_in_workdir,
    table,
    timed,
)

from cocoon.app.installation import Installation
from cocoon.app.reports import IngestResult
from cocoon.app.rules import risk_rules
from cocoon.config import Settings, load_settings
from cocoon.core.geo import national_area
from cocoon.core.model import Premises, Report
from cocoon.core.risk import RiskRules, Zone, counts, level_of, risk_start, window
from cocoon.outputs import render
from cocoon.outputs.content import ZoneMap
from cocoon.sources.boundary import sweden_outline

T = TypeVar("T")

#: Town centres (name, lat, lon, urban population in thousands: the town's weight).
TOWNS: tuple[tuple[str, float, float, int], ...] = (
    ("Stockholm", 59.3293, 18.0686, 1600), ("Göteborg", 57.7089, 11.9746, 600),
    ("Malmö", 55.6050, 13.0038, 350), ("Uppsala", 59.8586, 17.6389, 180),
    ("Västerås", 59.6099, 16.5448, 130), ("Örebro", 59.2741, 15.2066, 125),
    ("Linköping", 58.4108, 15.6214, 115), ("Helsingborg", 56.0465, 12.6945, 110),
    ("Jönköping", 57.7826, 14.1618, 100), ("Norrköping", 58.5877, 16.1924, 100),
    ("Lund", 55.7047, 13.1910, 95), ("Umeå", 63.8258, 20.2630, 90),
    ("Gävle", 60.6749, 17.1413, 80), ("Borås", 57.7210, 12.9401, 75),
    ("Södertälje", 59.1955, 17.6253, 75), ("Eskilstuna", 59.3666, 16.5077, 70),
    ("Halmstad", 56.6745, 12.8578, 70), ("Växjö", 56.8777, 14.8091, 70),
    ("Karlstad", 59.3793, 13.5036, 65), ("Sundsvall", 62.3908, 17.3069, 58),
    ("Luleå", 65.5848, 22.1547, 50), ("Trollhättan", 58.2837, 12.2886, 50),
    ("Östersund", 63.1792, 14.6357, 50), ("Borlänge", 60.4858, 15.4371, 45),
    ("Falun", 60.6065, 15.6355, 40), ("Kalmar", 56.6634, 16.3568, 40),
    ("Skövde", 58.3903, 13.8461, 40), ("Kristianstad", 56.0294, 14.1567, 40),
    ("Karlskrona", 56.1612, 15.5869, 36), ("Skellefteå", 64.7507, 20.9528, 35),
    ("Uddevalla", 58.3498, 11.9382, 35), ("Varberg", 57.1057, 12.2508, 35),
    ("Nyköping", 58.7530, 17.0079, 33), ("Örnsköldsvik", 63.2909, 18.7153, 30),
    ("Motala", 58.5371, 15.0365, 30), ("Trelleborg", 55.3751, 13.1569, 30),
    ("Landskrona", 55.8708, 12.8302, 30), ("Ängelholm", 56.2428, 12.8622, 28),
    ("Visby", 57.6348, 18.2948, 25), ("Piteå", 65.3172, 21.4794, 23),
    ("Kiruna", 67.8558, 20.2253, 17), ("Hudiksvall", 61.7281, 17.1036, 16),
)  # fmt: skip
BBOX = (11.0, 55.3, 24.0, 68.5)  # min lon, min lat, max lon, max lat
SWEDEN = national_area("Sverige", BBOX, sweden_outline())
FOLLOW_UP_SHARE = 0.20  # near repeats: 50–400 m and 1–14 days after an earlier report
RURAL_SHARE = 0.12
ATTEMPT_SHARE = 0.10
TOWN_PREMISES = {Premises.VILLA: 42, Premises.LAGENHET: 33, Premises.RADHUS: 15,
                 Premises.FRITIDSHUS: 4, Premises.OTHER: 6}  # fmt: skip
RURAL_PREMISES = {Premises.VILLA: 55, Premises.FRITIDSHUS: 30, Premises.OTHER: 10,
                  Premises.RADHUS: 3, Premises.LAGENHET: 2}  # fmt: skip
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 1, 1]
M_PER_DEG = 111_320.0
TARGET_INGEST_S = 5.0
TARGET_ZONES_S = 1.0
COLUMNS = ("report_id", "reported_at", "occurred_from", "occurred_to", "lat", "lon",
           "premises", "attempt")  # fmt: skip


# ---------------------------------------------------------------- laying out the reports


@dataclass
class Draft:
    """A report being laid out: its risk start `t` may still move, the rest is its shape."""

    lat: float
    lon: float
    premises: Premises
    attempt: bool
    t: datetime  # risk start: end of the offence window, or its start, or the report time
    duration: timedelta  # offence window length, when both ends are known
    delay: timedelta  # from the risk start to the report
    known: int  # 2: offence window known, 1: only its start, 0: neither
    parent: int | None = None
    children: int = 0

    def report(self, report_id: str = "") -> Report:
        occurred_from = occurred_to = None
        if self.known == 2:
            occurred_from, occurred_to = self.t - self.duration, self.t
        elif self.known == 1:
            occurred_from = self.t
        return Report(
            report_id=report_id,
            reported_at=self.t + self.delay,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            premises=self.premises,
            attempt=self.attempt,
            lon=self.lon,
            lat=self.lat,
        )


class Clock:
    """Draws whole-second instants: darker months and daytime hours weigh more."""

    def __init__(self, rng: random.Random, tz: tzinfo) -> None:
        self.rng, self.tz = rng, tz

    @staticmethod
    def season(t: datetime) -> float:
        """Relative burglary rate by day of year, highest in mid-December, lowest in June."""
        return 1 + 0.3 * math.cos(2 * math.pi * (t.timetuple().tm_yday - 350) / 365.25)

    def draw(self, lo: datetime, hi: datetime) -> datetime:
        if hi <= lo:
            raise BenchError(f"empty time range {lo} – {hi}")
        seconds = int((hi - lo).total_seconds())
        for _ in range(10_000):
            day = (lo + timedelta(seconds=self.rng.randrange(seconds))).astimezone(self.tz)
            hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
            wall = day.replace(
                hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60)
            )
            t = wall.replace(tzinfo=self.tz, fold=0).astimezone(UTC)
            if lo <= t < hi and self.rng.random() * 1.3 <= self.season(t):
                return t
        raise BenchError(f"could not draw an instant in {lo} – {hi}")


def _inside(lat: float, lon: float) -> bool:
    """Inside the default service area (Sweden's land and waters), as ingest will judge it."""
    return SWEDEN.contains(lon, lat)


def _offset(lat: float, lon: float, east_m: float, north_m: float) -> tuple[float, float]:
    """A point some metres away (local flat-earth step; good to well under 1 % at 400 m)."""
    dlat = north_m / M_PER_DEG
    dlon = east_m / (M_PER_DEG * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _place(rng: random.Random, rural: bool) -> tuple[float, float]:
    """A point around a town: tight for town reports, spread out for rural scatter."""
    weights = [pop**0.5 if rural else pop for *_, pop in TOWNS]
    _, lat0, lon0, pop = rng.choices(TOWNS, weights)[0]
    sigma_m = 30_000.0 if rural else 1_500 + 200 * math.sqrt(pop)
    while True:
        lat, lon = _offset(lat0, lon0, rng.gauss(0, sigma_m), rng.gauss(0, sigma_m))
        if _inside(lat, lon):
            return lat, lon


def _premises(rng: random.Random, rural: bool) -> Premises:
    mix = RURAL_PREMISES if rural else TOWN_PREMISES
    return rng.choices(list(mix), list(mix.values()))[0]


def _shape(rng: random.Random, premises: Premises, lat: float, lon: float) -> Draft:
    """Everything but the time: offence window length, report delay, which times are known."""
    known = rng.choices((2, 1, 0), (85, 10, 5))[0]
    if premises is Premises.FRITIDSHUS:  # found on the owner's next visit
        duration = timedelta(hours=rng.uniform(24, 24 * 20))
        delay = timedelta(hours=rng.uniform(2, 24 * 10))
    else:
        duration = timedelta(minutes=rng.uniform(30, 8 * 60))
        delay = timedelta(minutes=min(48 * 60, max(5.0, rng.lognormvariate(math.log(90), 0.9))))
    return Draft(
        lat=lat,
        lon=lon,
        premises=premises,
        attempt=rng.random() < ATTEMPT_SHARE,
        t=datetime(2000, 1, 1, tzinfo=UTC),  # set once the layout is timed
        duration=timedelta(seconds=round(duration.total_seconds())),
        delay=timedelta(seconds=round(delay.total_seconds())) if known else timedelta(0),
        known=known,
    )


def _seed(rng: random.Random) -> Draft:
    rural = rng.random() < RURAL_SHARE
    premises = _premises(rng, rural)
    return _shape(rng, premises, *_place(rng, rural))


def _near(lat: float, lon: float, dist: float, angle: float) -> tuple[float, float]:
    """A point `dist` metres from another, turning by quarters if the first try leaves the box."""
    for quarter in range(4):
        a = angle + quarter * math.pi / 2
        near = _offset(lat, lon, dist * math.sin(a), dist * math.cos(a))
        if _inside(*near):
            return near
    return lat, lon


@dataclass(frozen=True)
class FollowUp:
    """A near repeat before it is tied to its parent: 50–400 m and 1–14 days after it."""

    draft: Draft
    parent: int
    dist: float
    angle: float
    after: timedelta


def _follow_up(rng: random.Random, drafts: Sequence[Draft]) -> FollowUp:
    """Draw a near repeat; a fixed number of draws, so the clock never shifts the layout."""
    parent = rng.randrange(len(drafts))
    same, other = rng.random() < 0.7, _premises(rng, rural=False)
    premises = drafts[parent].premises if same else other
    dist, angle = rng.uniform(50, 400), rng.uniform(0, 2 * math.pi)
    after = timedelta(seconds=rng.randrange(86_400, 14 * 86_400))
    return FollowUp(_shape(rng, premises, 0.0, 0.0), parent, dist, angle, after)


@dataclass(frozen=True)
class Period:
    """The year of reports, the measured instant and the span a risk start stays live."""

    start: datetime
    now: datetime
    at: datetime
    span: timedelta


def _seed_times(
    rng: random.Random, clock: Clock, seeds: list[Draft], p: Period, share_live: float
) -> None:
    """Put `share_live` of the seeds in the live span before `at`, the rest elsewhere."""
    live_lo = p.at - p.span
    for d in seeds:
        latest = p.now - d.delay
        if rng.random() < share_live:
            d.t = clock.draw(live_lo, min(p.at, latest))
            continue
        before, after = live_lo - p.start, max(timedelta(0), latest - p.at)
        if rng.random() < before / (before + after):
            d.t = clock.draw(p.start, live_lo)
        else:
            d.t = clock.draw(p.at, latest)


def _add_follow_ups(
    space: random.Random, times: random.Random, drafts: list[Draft], count: int, now: datetime
) -> None:
    """Near repeats of earlier reports; one that would be reported after `now` is re-parented."""
    for _ in range(count):
        f = _follow_up(space, drafts)
        parent = f.parent
        while drafts[parent].t + f.after + f.draft.delay > now:
            parent = times.randrange(len(drafts))
        d, p = f.draft, drafts[parent]
        d.lat, d.lon = _near(p.lat, p.lon, f.dist, f.angle)
        d.t, d.parent = p.t + f.after, parent
        p.children += 1
        drafts.append(d)


def _is_live(d: Draft, at: datetime, rules: RiskRules) -> bool:
    return level_of(d.report(), at, rules) is not None


def _match_live(
    rng: random.Random, clock: Clock, drafts: list[Draft], target: int, p: Period, rules: RiskRules
) -> None:
    """Move lone reports (no near repeats either way) across the live span until `target` live."""
    live = [_is_live(d, p.at, rules) for d in drafts]
    surplus = sum(live) - target
    lone = [i for i, d in enumerate(drafts) if d.parent is None and d.children == 0]
    day = timedelta(days=1)
    if surplus > 0:
        pool = [i for i in lone if live[i]]
    else:
        pool = [i for i in lone if not live[i] and counts(drafts[i].report(), rules)
                and drafts[i].delay < p.span - 3 * day]  # fmt: skip
    if len(pool) < abs(surplus):
        raise BenchError(f"cannot lay out {target} live reports among {len(drafts)}")
    for i in rng.sample(pool, abs(surplus)):
        d = drafts[i]
        if surplus > 0:
            d.t = clock.draw(p.start, p.at - p.span - day)
        else:
            d.t = clock.draw(p.at - p.span + day, p.at - d.delay - timedelta(minutes=1))


def lay_out(n: int, active: int, p: Period, rules: RiskRules, seed: int) -> list[Report]:
    """`n` reports over the year before `now`, exactly `active` of them live at `at`.

    Places, premises and offence shapes come from one random stream and times from another, so
    the layout is the same on every run; only the times move with the real clock.
    """
    space, times = random.Random(2 * seed), random.Random(2 * seed + 1)
    clock = Clock(times, rules.timezone)
    seeds = [_seed(space) for _ in range(n - round(n * FOLLOW_UP_SHARE))]
    counted_share = sum(counts(d.report(), rules) for d in seeds) / len(seeds)
    _seed_times(times, clock, seeds, p, min(0.9, active / (n * counted_share)))
    drafts = list(seeds)
    _add_follow_ups(space, times, drafts, n - len(seeds), p.now)
    for _ in range(3):
        if sum(_is_live(d, p.at, rules) for d in drafts) == active:
            break
        _match_live(times, clock, drafts, active, p, rules)
    drafts.sort(key=lambda d: (d.t + d.delay, d.lat))
    return [
        d.report(f"5000-K{i:06d}-{(d.t + d.delay).year % 100:02d}")
        for i, d in enumerate(drafts, start=100_001)
    ]


def write_csv(reports: Sequence[Report], path: Path, tz: tzinfo) -> Path:
    """The reports in the input contract, times as local ISO 8601 with their offset."""

    def iso(moment: datetime | None) -> str:
        return moment.astimezone(tz).isoformat(timespec="seconds") if moment else ""

    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for r in reports:
            out.writerow([r.report_id, iso(r.reported_at), iso(r.occurred_from),
                          iso(r.occurred_to), f"{r.lat:.6f}", f"{r.lon:.6f}",
                          r.premises.value, "true" if r.attempt else "false"])  # fmt: skip
    return path


# ---------------------------------------------------------------- measuring


def ingest_once(app: Installation, path: Path) -> tuple[float, IngestResult]:
    return timed(lambda: app.reports.ingest(path, datetime.now(UTC)))


def check_ingest(result: IngestResult, n: int, what: str, attr: str) -> None:
    if result.rejections:
        raise BenchError(
            f"{what}: {len(result.rejections)} rows rejected, e.g. {result.rejections[0]}"
        )
    if getattr(result, attr) != n:
        raise BenchError(
            f"{what}: {getattr(result, attr)} of {n} reports {attr}, "
            f"{result.created} created, {result.updated} updated"
        )


@dataclass(frozen=True)
class ZonesRun:
    totals: list[float]
    zones_s: list[float]
    render_s: list[float]
    zones: list[Zone]
    geojson: bytes


def zones_and_geojson(app: Installation, at: datetime) -> tuple[float, float, list[Zone], bytes]:
    """What `cocoon zones --at` does after start-up: the zones, then their GeoJSON."""
    zones_s, found = timed(lambda: app.zones(at))
    content = ZoneMap(found, at, app.projection, app.tz, app.settings.output.language)
    render_s, data = timed(lambda: render("geojson", content))
    return zones_s, render_s, found, data


def time_zones(app: Installation, at: datetime, repeats: int) -> ZonesRun:
    runs = [zones_and_geojson(app, at) for _ in range(repeats)]
    return ZonesRun(
        totals=[z + r for z, r, _, _ in runs],
        zones_s=[z for z, _, _, _ in runs],
        render_s=[r for _, r, _, _ in runs],
        zones=runs[-1][2],
        geojson=runs[-1][3],
    )


def time_cli(args: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of one `cocoon` run, start-up and imports included."""
    exe = Path(sys.executable).with_name("cocoon")
    if not exe.exists():
        raise BenchError(f"no cocoon executable next to {sys.executable}")
    elapsed, proc = timed(lambda: subprocess.run([str(exe), *args], capture_output=True, text=True))
    if proc.returncode:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise BenchError(f"cocoon {' '.join(args[-5:])} exited {proc.returncode}: {last}")
    return elapsed, proc


def profile(label: str, fn: Callable[[], T]) -> T:
    """Run `fn` under cProfile; print cocoon's functions by cumulative time and all by own time."""
    prof = cProfile.Profile()
    value = prof.runcall(fn)
    print(f"\n--- cProfile: {label} (cumulative, cocoon only) ---")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"cocoon/", 25)
    print(f"--- cProfile: {label} (own time, everything) ---")
    stats.sort_stats("tottime").print_stats(15)
    return value


# ---------------------------------------------------------------- reporting


def data_facts(reports: Sequence[Report], p: Period, rules: RiskRules, target: int) -> list[str]:
    live = sum(level_of(r, p.at, rules) is not None for r in reports)
    in_span = sum(w.start <= p.at < w.elevated_until for w in (window(r, rules) for r in reports))
    mix: dict[str, int] = {}
    for r in reports:
        mix[r.premises.value] = mix.get(r.premises.value, 0) + 1
    first = min(risk_start(r) for r in reports)
    shown = ", ".join(f"{k} {v:,}" for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))
    ok = "ok" if abs(live - target) <= 0.05 * target else "OUTSIDE ± 5 %"
    tz = rules.timezone
    return [
        f"reports   {len(reports):,} from {first.astimezone(tz):%Y-%m-%d} to "
        f"{p.now.astimezone(tz):%Y-%m-%d %H:%M}, {len(TOWNS)} towns + rural scatter, "
        f"~{FOLLOW_UP_SHARE:.0%} near-repeat follow-ups, "
        f"{sum(r.attempt for r in reports):,} attempts",
        f"premises  {shown}",
        f"instant   {p.at.astimezone(tz).isoformat()}: {live:,} live reports "
        f"(target {target:,} ± 5 %: {ok}); {in_span:,} with a risk window open incl. not counted",
    ]


def spread(values: Sequence[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f} s"


# ---------------------------------------------------------------- main


def bench_settings(args: argparse.Namespace, workdir: Path) -> tuple[Settings, str]:
    settings = load_settings(args.config)  # $COCOON_CONFIG when None, as the CLI
    url = args.db or f"sqlite:///{workdir / 'bench.sqlite'}"
    return settings.model_copy(update={
        "database": settings.database.model_copy(update={"url": url}),
        "ingest": settings.ingest.model_copy(update={"rejects_dir": str(workdir / "rejects")}),
    }), url  # fmt: skip


def measured_instant(now: datetime, tz: tzinfo) -> datetime:
    """06:00 local time three days ago: when a daily job would have asked for the zones."""
    day = now.astimezone(tz) - timedelta(days=3)
    return day.replace(hour=6, minute=0, second=0, microsecond=0, fold=0).astimezone(UTC)


def run(args: argparse.Namespace, workdir: Path) -> int:
    settings, url = bench_settings(args, workdir)
    rules = risk_rules(settings)
    now = datetime.now(UTC).replace(microsecond=0)
    at = measured_instant(now, rules.timezone)
    span = timedelta(days=rules.total_days)
    period = Period(now - timedelta(days=365), now, at, span)
    gen_s, reports = timed(lambda: lay_out(args.reports, args.active, period, rules, args.seed))
    csv_path = write_csv(reports, workdir / "reports.csv", rules.timezone)
    live = sum(level_of(r, at, rules) is not None for r in reports)

    app = Installation(settings)
    ensure_empty(app.engine, args.reset)
    init_s, _ = timed(app.init)
    print("\n".join(machine_facts(app.engine) + data_facts(reports, period, rules, args.active)))
    size_mb = csv_path.stat().st_size / 1e6
    print(f"csv       {csv_path} ({size_mb:.1f} MB, laid out in {gen_s:.1f} s)")

    rss_before = peak_rss_mib()
    if args.profile:
        ingest_s, first = profile("ingest", lambda: ingest_once(app, csv_path))
    else:
        ingest_s, first = ingest_once(app, csv_path)
    rss_after = peak_rss_mib()
    check_ingest(first, args.reports, "first ingest", "created")
    again_s, second = ingest_once(app, csv_path)
    check_ingest(second, args.reports, "second ingest", "unchanged")

    z = time_zones(app, at, args.repeats)
    if args.profile:
        profile("zones + geojson", lambda: zones_and_geojson(app, at))
    features = len(json.loads(z.geojson)["features"])
    in_zones = sum(len(zone.reports) for zone in z.zones)

    out = workdir / "zones.geojson"
    config = ["--config", args.config] if args.config else []
    startup_s, _ = time_cli([*config, "--version"])
    cli_s, _ = time_cli(["--db", url, *config, "zones", "--at", at.isoformat(), "-o", str(out)])
    same = out.read_bytes() == z.geojson

    n = f"{args.reports:,}"
    rows = [
        ("init schema", f"{init_s:.2f} s", ""),
        (f"ingest {n} rows", f"{ingest_s:.2f} s", f"target < {TARGET_INGEST_S:g} s"
         + (", under cProfile" if args.profile else "")),
        ("  peak RSS after ingest", f"{rss_after:.0f} MiB",
         f"+{rss_after - rss_before:.0f} MiB over the peak before it"),
        (f"re-ingest {n} rows (no-op)", f"{again_s:.2f} s", ""),
        (f"zones + geojson ×{args.repeats} min/med/max", spread(z.totals),
         f"target < {TARGET_ZONES_S:g} s"),
        ("  Installation.zones min/med/max", spread(z.zones_s), ""),
        ("  render geojson min/med/max", spread(z.render_s), ""),
        ("  live reports in zones", f"{in_zones:,}", f"laid out {live:,}"),
        ("  zones / features", f"{len(z.zones):,} / {features:,}",
         f"{len(z.geojson) / 1e6:.2f} MB GeoJSON"),
        ("cli `cocoon --version`", f"{startup_s:.2f} s", "start-up and imports only"),
        ("cli `cocoon zones --at -o`", f"{cli_s:.2f} s",
         "identical GeoJSON" if same else "GeoJSON DIFFERS from in-process"),
    ]  # fmt: skip
    print(table(rows))
    if in_zones != live or not same:
        print("bench_zones: error: zones disagree with the layout or the CLI", file=sys.stderr)
        return 1
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--reports", type=int, default=10_000, help="reports to ingest [10000]")
    ap.add_argument("--active", type=int, default=1_000, help="live reports at the instant [1000]")
    ap.add_argument("--repeats", type=int, default=5, help="timed zones runs [5]")
    ap.add_argument("--db", metavar="URL", help="database [a fresh SQLite file in a temp dir]")
    ap.add_argument("--reset", action="store_true", help="drop, recreate cocoon's tables in --db")
    ap.add_argument("--config", metavar="FILE", help="settings [$COCOON_CONFIG, else built-in]")
    ap.add_argument("--seed", type=int, default=2024, help="random seed of the layout [2024]")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (CSV, SQLite, GeoJSON)")
    ap.add_argument("--profile", action="store_true", help="cProfile the ingest and one zones run")
    args = ap.parse_args(argv)
    if args.reports < 10 or not 0 < args.active <= args.reports // 2 or args.repeats < 1:
        ap.error("need --reports >= 10, 0 < --active <= reports / 2 and --repeats >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_in_workdir("bench_zones", args.keep, lambda workdir: run(args, workdir))


if __name__ == "__main__":
    sys.exit(main())
