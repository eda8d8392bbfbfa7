"""kill -9 at seeded random moments of `ingest`, `load-addresses`, `visits new`, `export` and
`serve`. After each kill the database is whole (SQLite's integrity check) and holds nothing twice,
no output is half-written (the old file or the new one; a temporary file is named as one), and
the same command run again, or the service started again, does everything that was owed: the
whole file is stored, every report at high risk has its roster, every file dropped into the
inbox ends processed or rejected, every owed alert is made once.

CI kills 27 runs in all. COCOON_KILL9_RUNS=N kills about N (a long local run), and
COCOON_KILL9_SEED=S picks other moments.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import hostile
from tests.hostile import Town, count, rows, sqlite_url

RUNS = int(os.environ.get("COCOON_KILL9_RUNS", "27"))
SEED = int(os.environ.get("COCOON_KILL9_SEED", "2026"))
#: How the runs are shared out among the commands.
SHARES = {"ingest": 7, "load-addresses": 5, "visits new": 6, "export": 6, "serve": 3}
#: Kill runs at once: the machine has two cores.
WORKERS = 2


def runs_of(scenario: str) -> int:
    return max(1, round(RUNS * SHARES[scenario] / sum(SHARES.values())))


def moments(scenario: str, low: float, high: float) -> list[float]:
    """The seeded random moments (seconds after the start) to kill this command's runs at."""
    rng = random.Random(f"{SEED}-{scenario}")
    return [rng.uniform(low, high) for _ in range(runs_of(scenario))]


@dataclass
class Kill:
    """One run killed (or finished before its moment) and what was found after it."""

    scenario: str
    n: int
    delay: float
    killed: bool = False
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        what = "killed" if self.killed else "had already finished"
        found = "; ".join(self.problems) or "survived"
        return f"{self.scenario} #{self.n}: kill -9 after {self.delay:.2f} s ({what}): {found}"


def survived(capsys: pytest.CaptureFixture[str], scenario: str, kills: list[Kill]) -> None:
    """Say how many runs were killed and survived, and fail naming each that did not."""
    ok = sum(not k.problems for k in kills)
    line = (
        f"kill -9 of {scenario}: {len(kills)} runs, {sum(k.killed for k in kills)} killed "
        f"mid-way, {ok} survived (seed {SEED})"
    )
    with capsys.disabled():
        print(f"\n{line}")
    if ok != len(kills):
        pytest.fail("\n".join([line, *(str(k) for k in kills if k.problems)]), pytrace=False)


def database_problems(db: Path) -> list[str]:
    check = hostile.integrity(db)
    found = [] if check == "ok" else [f"integrity_check: {check}"]
    return found + hostile.duplicates(db)


def rerun_problems(ran: hostile.Ran, exits: tuple[int, ...] = (0,)) -> list[str]:
    if ran.returncode in exits and "Traceback" not in ran.stdout + ran.stderr:
        return []
    return [f"the rerun failed:\n{ran}"]


def in_parallel(jobs: list[Callable[[], Kill]]) -> list[Kill]:
    return hostile.in_parallel(jobs, workers=WORKERS)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Town:
    return hostile.build_town(tmp_path_factory.mktemp("town"))


def copy_of(town_db: Path, folder: Path) -> tuple[Path, str]:
    folder.mkdir(parents=True)
    db = folder / "c.sqlite"
    shutil.copyfile(town_db, db)
    return db, sqlite_url(db)


def timed(folder: Path, url: str, *args: str, env: dict[str, str] | None = None) -> float:
    """How long a whole run takes here and now: the span the kill moments are drawn from."""
    started = time.monotonic()
    ran = hostile.run(folder, url, *args, env=env)
    assert ran.returncode in (0, 1) and "Traceback" not in ran.stderr, str(ran)
    return time.monotonic() - started


# --- ingest ----------------------------------------------------------------------------------


def test_ingest_killed_at_any_moment_stores_the_file_whole_or_not_at_all(
    town: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, good = hostile.big_reports(6000, SEED, bad_every=1000)
    db, url = copy_of(town.db, tmp_path / "whole")
    (db.parent / "big.csv").write_text(text, encoding="utf-8")
    (db.parent / "empty.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    start_up = timed(db.parent, url, "ingest", "empty.csv")
    span = timed(db.parent, url, "ingest", "big.csv")
    stored_sql = "SELECT count(*) FROM reports WHERE report_id LIKE 'K%'"
    recorded_sql = "SELECT count(*) FROM ingested_files WHERE name = 'big.csv'"

    def one(n: int, delay: float) -> Kill:
        kill = Kill("ingest", n, delay)
        db, url = copy_of(town.db, tmp_path / f"run-{n}")
        (db.parent / "big.csv").write_text(text, encoding="utf-8")
        process = hostile.start(
            db.parent,
            url,
            "ingest",
            "big.csv",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill.killed = hostile.kill_after(process, delay)
        found = database_problems(db)
        stored, recorded = count(db, stored_sql), count(db, recorded_sql)
        if stored not in (0, good):
            found.append(f"{stored} of the file's {good} good reports stored: half an ingest")
        if recorded != (stored > 0):
            found.append(f"the file is recorded {recorded} time(s) with {stored} reports stored")
        found += hostile.half_written(db.parent / "var")
        found += rerun_problems(hostile.run(db.parent, url, "ingest", "big.csv"), (1,))
        if (stored := count(db, stored_sql)) != good:
            found.append(f"after the rerun {stored} of {good} good reports are stored")
        if count(db, recorded_sql) != 1:
            found.append("after the rerun the file is not recorded once")
        found += database_problems(db) + hostile.half_written(db.parent / "var")
        if not list((db.parent / "var" / "rejects").glob("big-*.rejects.csv")):
            found.append("no rejects file for the file's bad rows")
        kill.problems = found
        return kill

    kills = in_parallel(
        [lambda n=n, d=d: one(n, d) for n, d in enumerate(moments("ingest", 0.9 * start_up, span))]
    )
    survived(capsys, "ingest", kills)


# --- load-addresses --------------------------------------------------------------------------


def test_load_addresses_killed_at_any_moment_loads_the_register_whole_or_not_at_all(
    town: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = 12_000
    text = hostile.big_register(size)
    db, url = copy_of(town.db, tmp_path / "whole")
    (db.parent / "big.csv").write_text(text, encoding="utf-8")
    (db.parent / "empty.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    start_up = timed(db.parent, url, "load-addresses", "empty.csv")
    span = timed(db.parent, url, "load-addresses", "big.csv")
    stored_sql = "SELECT count(*) FROM addresses WHERE address_id LIKE 'K-%'"

    def one(n: int, delay: float) -> Kill:
        kill = Kill("load-addresses", n, delay)
        db, url = copy_of(town.db, tmp_path / f"run-{n}")
        (db.parent / "big.csv").write_text(text, encoding="utf-8")
        process = hostile.start(
            db.parent,
            url,
            "load-addresses",
            "big.csv",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill.killed = hostile.kill_after(process, delay)
        found = database_problems(db)
        if (stored := count(db, stored_sql)) not in (0, size):
            found.append(f"{stored} of {size} addresses stored: half a load")
        found += rerun_problems(hostile.run(db.parent, url, "load-addresses", "big.csv"))
        if (stored := count(db, stored_sql)) != size:
            found.append(f"after the rerun {stored} of {size} addresses are stored")
        kill.problems = found + database_problems(db)
        return kill

    kills = in_parallel(
        [
            lambda n=n, d=d: one(n, d)
            for n, d in enumerate(moments("load-addresses", 0.9 * start_up, span))
        ]
    )
    survived(capsys, "load-addresses", kills)


# --- visits new ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def roster_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster-town")
    db = folder / "town.sqlite"
    hostile.load_roster_town(folder, sqlite_url(db))
    hostile.checkpoint(db)
    return db


def roster_problems(db: Path, out: Path) -> list[str]:
    """Every planned report has one whole PDF and one whole CSV of its stops in `out`."""
    found = []
    for report_id, stops in rows(db, "SELECT report_id, stops FROM visit_plans"):
        for suffix in ("pdf", "csv"):
            files = list(out.glob(f"*-{report_id}.{suffix}"))
            if len(files) != 1:
                found.append(f"{report_id} has {len(files)} roster {suffix} files (not 1)")
            elif suffix == "csv" and hostile.incomplete(files[0]) is None:
                listed = len(files[0].read_text(encoding="utf-8").splitlines()) - 1
                if listed != stops:
                    found.append(f"{files[0].name} lists {listed} stops, its plan {stops}")
    return found


def test_visits_new_killed_at_any_moment_leaves_every_roster_owed_to_the_rerun(
    roster_town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, url = copy_of(roster_town, tmp_path / "whole")
    span = timed(db.parent, url, "visits", "new", "--out", "rosters")
    assert count(db, "SELECT count(*) FROM visit_plans") == len(hostile.ROSTER_REPORTS)
    start_up = timed(db.parent, url, "visits", "new", "--out", "rosters")  # nothing waits now

    def one(n: int, delay: float) -> Kill:
        kill = Kill("visits new", n, delay)
        db, url = copy_of(roster_town, tmp_path / f"run-{n}")
        out = db.parent / "rosters"
        process = hostile.start(
            db.parent,
            url,
            "visits",
            "new",
            "--out",
            "rosters",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill.killed = hostile.kill_after(process, delay)
        found = database_problems(db) + hostile.half_written(out)
        found += rerun_problems(hostile.run(db.parent, url, "visits", "new", "--out", "rosters"))
        planned = {r[0] for r in rows(db, "SELECT report_id FROM visit_plans")}
        if missing := sorted(set(hostile.ROSTER_REPORTS) - planned):
            found.append(f"after the rerun no plan for {missing}")
        found += roster_problems(db, out) + database_problems(db) + hostile.half_written(out)
        kill.problems = found
        return kill

    kills = in_parallel(
        [
            lambda n=n, d=d: one(n, d)
            for n, d in enumerate(moments("visits new", 0.9 * start_up, span))
        ]
    )
    survived(capsys, "visits new", kills)


# --- export ----------------------------------------------------------------------------------

EXPORTS = [
    ("gpkg", "internal"),
    ("png", "public"),
    ("html", "internal"),
    ("kml", "internal"),
    ("geojson", "public"),
    ("gpkg", "public"),
    ("png", "internal"),
    ("html", "public"),
]


def test_export_killed_at_any_moment_leaves_the_old_map_or_the_new_one(
    town: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = hostile.iso(hostile.NOW)
    db, url = copy_of(town.db, tmp_path / "whole")
    spans: dict[tuple[str, str], float] = {}
    for fmt, profile in set(EXPORTS):
        args = ("export", "--profile", profile, "--at", at, "-o", f"{profile}.{fmt}")
        spans[fmt, profile] = timed(db.parent, url, *args)

    def one(n: int, share: float) -> Kill:
        fmt, profile = EXPORTS[n % len(EXPORTS)]
        delay = share * spans[fmt, profile]
        kill = Kill(f"export ({profile} {fmt})", n, delay)
        folder = tmp_path / f"run-{n}"
        _, run_url = copy_of(db, folder)
        reference = (db.parent / f"{profile}.{fmt}").read_bytes()
        target = folder / f"map.{fmt}"
        target.write_bytes(reference)  # the last good export: the same data gives the same bytes
        (folder / "tmp").mkdir()
        args = ("export", "--profile", profile, "--at", at, "-o", target.name)
        process = hostile.start(
            folder,
            run_url,
            *args,
            env={"TMPDIR": str(folder / "tmp")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill.killed = hostile.kill_after(process, delay)
        found = hostile.half_written(folder)
        if not target.exists() or target.read_bytes() != reference:
            found.append(f"{target.name} is neither the old map nor the new one")
        found += rerun_problems(hostile.run(folder, run_url, *args))
        if target.read_bytes() != reference:
            found.append(f"after the rerun {target.name} differs from the same export made whole")
        kill.problems = found + hostile.half_written(folder)
        return kill

    kills = in_parallel(
        [lambda n=n, f=f: one(n, f) for n, f in enumerate(moments("export", 0.3, 1.0))]
    )
    survived(capsys, "export", kills)


# --- serve -----------------------------------------------------------------------------------


def alert_lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split("\n") if log.exists() else []


def log_problems(log: Path, alerted: set[str]) -> list[str]:
    """The alert log: whole lines, at most one per report, one for every alert on record."""
    found = []
    lines = alert_lines(log)
    if lines and lines[-1] != "":
        found.append(f"the alert log's last line is cut off: {lines[-1][:200]!r}")
    ids = Counter(m.group(1) for ln in lines if (m := re.match(r"^\S+ \S+ \S+ (\S+) ", ln)))
    found += [f"{rid} has {n} lines in the alert log" for rid, n in ids.items() if n > 1]
    if missing := sorted(alerted - set(ids)):
        found.append(f"alerts on record without a line in the alert log: {missing}")
    return found


def inbox_problems(root: Path, dropped: dict[str, str]) -> list[str]:
    """Every dropped file is, by its bytes, in exactly one place: the inbox, processed/ or
    rejected/ (never in two, never lost)."""
    places = Counter()
    for folder in ("inbox", "processed", "rejected"):
        base = root / folder
        for path in base.rglob("*") if base.exists() else ():
            if path.is_file() and not path.name.endswith(".rejects.csv"):
                places[hostile.sha256(path)] += 1
    return [
        f"{name} is in {places[digest]} places (inbox, processed, rejected)"
        for name, digest in dropped.items()
        if places[digest] != 1
    ]


def folder_problems(db: Path) -> list[str]:
    """Each alert's outbox folder has the report's roster and the sign plan, whole."""
    found = []
    for report_id, folder in rows(db, "SELECT report_id, folder FROM alerts"):
        for name in ("roster.pdf", "roster.csv", "signs.pdf", "signs.geojson", "signs.csv"):
            path = Path(folder) / name
            if not path.exists():
                found.append(f"the alert of {report_id} has no {name}")
            elif why := hostile.incomplete(path):
                found.append(f"{report_id}'s {name}: {why}")
    return found


def dropped_files(n: int) -> dict[str, str]:
    """Four report files for the inbox, two burglaries each at addresses of the town."""
    return {
        f"drop-{k}.csv": "report_id,reported_at,address,premises\n"
        + "".join(
            f'S{n}{k}{side},{hostile.ago(hours=5 - k)},"{street} {3 + 4 * k}, Kalmar",villa\n'
            for side, street in (("a", "Storgatan"), ("b", "Åkervägen"))
        )
        for k in range(4)
    }


def owed_alerts(n: int, files: int) -> set[str]:
    """The town's two reports at high risk and those of the dropped files."""
    return {"T1", "T2"} | {f"S{n}{k}{side}" for k in range(files) for side in "ab"}


def serve_span(town: Town, folder: Path) -> float:
    """How long the service takes here and now from its start to the last alert of three
    dropped files: the span the kill moments are drawn from."""
    db, url = copy_of(town.db, folder)
    env = hostile.service_env(folder)
    files = dropped_files(99)
    for name in ("drop-0.csv", "drop-1.csv", "drop-2.csv"):
        hostile.drop(folder / "inbox", name, files[name])
    started = time.monotonic()
    with open(folder / "serve.log", "wb") as log:
        process = hostile.start(folder, url, "serve", env=env, stdout=log, stderr=log)
        done = hostile.wait_until(
            lambda: count(db, "SELECT count(*) FROM alerts") >= len(owed_alerts(99, 3)), 300
        )
        span = time.monotonic() - started
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
    assert done, (folder / "serve.log").read_text(errors="replace")[-3000:]
    return span


def test_serve_killed_at_any_moment_makes_every_owed_alert_once_after_a_restart(
    town: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    span = serve_span(town, tmp_path / "whole")

    def one(n: int, delay: float) -> Kill:
        kill = Kill("serve", n, delay)
        db, url = copy_of(town.db, tmp_path / f"run-{n}")
        root = db.parent
        env = hostile.service_env(root)
        inbox = root / "inbox"
        files = dropped_files(n)
        owed = owed_alerts(n, 4)
        dropped = {}
        for name in ("drop-0.csv", "drop-1.csv"):
            dropped[name] = hostile.sha256(hostile.drop(inbox, name, files[name]))
        with open(root / "serve-1.log", "wb") as log:
            process = hostile.start(root, url, "serve", env=env, stdout=log, stderr=log)
            time.sleep(delay / 2)
            dropped["drop-2.csv"] = hostile.sha256(
                hostile.drop(inbox, "drop-2.csv", files["drop-2.csv"])
            )
            kill.killed = hostile.kill_after(process, delay / 2)
        alerts_log = Path(env["COCOON_SERVICE__ALERT_LOG"])
        alerted = {r[0] for r in rows(db, "SELECT report_id FROM alerts")}
        found = database_problems(db) + log_problems(alerts_log, alerted)
        found += inbox_problems(root, dropped)
        for folder in ("outbox", "processed", "rejected", "daily"):
            found += hostile.half_written(root / folder)
        dropped["drop-3.csv"] = hostile.sha256(
            hostile.drop(inbox, "drop-3.csv", files["drop-3.csv"])
        )
        with open(root / "serve-2.log", "wb") as log:
            again = hostile.start(root, url, "serve", env=env, stdout=log, stderr=log)
            done = hostile.wait_until(
                lambda: (
                    count(db, "SELECT count(*) FROM alerts") >= len(owed)
                    and not any(p.is_file() for p in inbox.iterdir())
                ),
                timeout=180,
            )
            again.send_signal(signal.SIGTERM)
            code = again.wait(timeout=120)
        if not done:
            found.append("the restarted service did not finish the owed work in 180 s")
        if code != 0:
            tail = (root / "serve-2.log").read_text(errors="replace")[-2000:]
            found.append(f"the restarted service ended with exit status {code}: {tail}")
        alerted = {r[0] for r in rows(db, "SELECT report_id FROM alerts")}
        if alerted != owed:
            found.append(f"alerts made {sorted(alerted)}, owed {sorted(owed)}")
        found += database_problems(db) + log_problems(alerts_log, alerted)
        found += inbox_problems(root, dropped) + folder_problems(db)
        if running := rows(db, "SELECT run_id, job FROM runs WHERE outcome = 'running'"):
            found.append(f"runs still marked running after the restart: {running}")
        for folder in ("outbox", "processed", "rejected", "daily"):
            found += hostile.half_written(root / folder)
        kill.problems = found
        return kill

    kills = in_parallel(
        [lambda n=n, d=d: one(n, d) for n, d in enumerate(moments("serve", 0.2 * span, span))]
    )
    survived(capsys, "serve", kills)
