"""What the hostile harnesses share: `python -m cocoon.cli` run as a user runs it (in parallel),
a town to run it on, the checks every run gets, and the corpus of malformed inputs and hostile
text values, all generated here (nothing is copied from ../shared/data).

The checks are the house rules: an exit status that says what happened, no Python traceback,
an error in one line naming the file (and, for a row, its line and field), the good rows of a
file stored beside its bad ones, no half-written file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from cocoon.config import REPORT_COLUMNS
from cocoon.core.model import Address, Dwelling
from tests.servicetown import road_network
from tests.towns import ORIGIN, SWEREF, address, register_csv, villa_street

T = TypeVar("T")

PYTHON = sys.executable
#: The present of every harness: the real clock, since the commands read it too.
NOW = datetime.now(UTC).replace(microsecond=0)
#: Processes run at once: the machine has two cores, and a process spends some time waiting.
WORKERS = 3


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(**delta: float) -> str:
    return iso(NOW - timedelta(**delta))


# --- running the command --------------------------------------------------------------------


def environment(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """This process's environment without any COCOON_* setting, in English (the language the
    expectations are written in; Swedish is the default and has tests of its own), plus `extra`;
    a variable `extra` sets to None is left unset (a settings file then says the language)."""
    env: dict[str, str | None] = {
        k: v for k, v in os.environ.items() if not k.startswith("COCOON_")
    }
    env["COCOON_OUTPUT__LANGUAGE"] = "en"
    env.update(extra or {})
    return {k: v for k, v in env.items() if v is not None}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def argv(db: str | None, *args: str) -> list[str]:
    """`python -m cocoon.cli [--db DB] ARGS`: the command line of a run."""
    head = [PYTHON, "-m", "cocoon.cli"]
    return head + (["--db", db] if db is not None else []) + list(args)


@dataclass(frozen=True, repr=False)
class Ran:
    """One finished run of the command: what it was, where, and what it said."""

    args: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def command(self) -> str:
        return "cocoon " + shlex.join(a[:200] for a in self.args[3:])

    def __repr__(self) -> str:
        return f"Ran({self.command[:120]!r}, exit status {self.returncode})"

    def __str__(self) -> str:
        return (
            f"$ {self.command}\n  (in {self.cwd}) exit status {self.returncode}\n"
            f"  stdout: {_tail(self.stdout)}\n  stderr: {_tail(self.stderr)}"
        )


def _tail(text: str, limit: int = 3000) -> str:
    """The text, or its start and its end with the exception lines of a traceback between."""
    if len(text) > limit:
        raised = [
            ln[:300] for ln in text.splitlines() if re.match(r"^[\w.]+(Error|Exception)\b", ln)
        ]
        middle = "\n".join(["", "[…]", *raised, "[…]", ""])
        text = text[: limit // 2] + middle + text[-limit // 2 :]
    return text.replace("\n", "\n          ") if text else "(empty)"


def run(
    cwd: Path,
    db: str | None,
    *args: str,
    env: Mapping[str, str | None] | None = None,
    timeout: float = 300,
) -> Ran:
    """Run `cocoon [--db DB] ARGS` in `cwd` with a clean environment (plus `env`)."""
    command = argv(db, *args)
    done = subprocess.run(
        command,
        cwd=cwd,
        env=environment(env),
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Ran(
        tuple(command),
        cwd,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def start(
    cwd: Path, db: str | None, *args: str, env: Mapping[str, str] | None = None, **popen: Any
) -> subprocess.Popen[bytes]:
    """The same as a child process that keeps running: for kills and concurrent runs."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(
        argv(db, *args), cwd=cwd, env=environment(env), stdin=subprocess.DEVNULL, **popen
    )


def finished(process: subprocess.Popen[bytes], cwd: Path, timeout: float = 300) -> Ran:
    """A started run, waited for."""
    out, err = process.communicate(timeout=timeout)
    return Ran(
        tuple(str(a) for a in process.args),  # type: ignore[union-attr]
        cwd,
        process.returncode,
        (out or b"").decode("utf-8", "replace"),
        (err or b"").decode("utf-8", "replace"),
    )


def in_parallel(jobs: Sequence[Callable[[], T]], workers: int = WORKERS) -> list[T]:
    """Run the jobs (each mostly a subprocess) on a few threads; results in the jobs' order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


# --- the database, read directly ------------------------------------------------------------


def count(db: Path, sql: str, *params: object) -> int:
    """One number from the SQLite database file."""
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def rows(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return list(conn.execute(sql, params).fetchall())


def integrity(db: Path) -> str:
    """SQLite's own check of the file: 'ok', or what is wrong."""
    with sqlite3.connect(db, timeout=30) as conn:
        return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())


def checkpoint(db: Path) -> None:
    """Fold the write-ahead log into the file, so that a copy of the file is the whole database."""
    with sqlite3.connect(db, timeout=30) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def duplicates(db: Path) -> list[str]:
    """What is stored twice that must be stored once: report ids, address ids, alerts, visit
    stops (a report's address, or an address on two rosters of the revisit period), plans."""
    checks = {
        "report id": "SELECT report_id FROM reports GROUP BY report_id HAVING count(*) > 1",
        "address id": "SELECT address_id FROM addresses GROUP BY address_id HAVING count(*) > 1",
        "alert": "SELECT report_id FROM alerts GROUP BY report_id HAVING count(*) > 1",
        "visit plan": "SELECT report_id FROM visit_plans GROUP BY report_id HAVING count(*) > 1",
        "stop of one report": "SELECT report_id || ' ' || address_id FROM visits "
        "GROUP BY report_id, address_id HAVING count(*) > 1",
        "address on two rosters": "SELECT address_id FROM visits "
        "GROUP BY address_id HAVING count(DISTINCT report_id) > 1",
        "created event": "SELECT report_id FROM report_events WHERE kind = 'created' "
        "GROUP BY report_id HAVING count(*) > 1",
        "ingested file": "SELECT sha256 FROM ingested_files GROUP BY sha256 HAVING count(*) > 1",
    }
    found = []
    for what, sql in checks.items():
        found += [f"{what} twice: {r[0]!r}"[:200] for r in rows(db, sql)]
    found += [
        f"plan of {rid} says {stops} stops, {n} stored"
        for rid, stops, n in rows(
            db,
            "SELECT p.report_id, p.stops, (SELECT count(*) FROM visits v "
            "WHERE v.report_id = p.report_id) FROM visit_plans p",
        )
        if stops != n
    ]
    return found


# --- files: complete, or recognisably temporary ---------------------------------------------

#: Names of files still being written: write_atomic's '.NAME.XXXX.part', editors' '~', '.tmp'.
TEMPORARY = re.compile(r"(^\.|\.part$|\.tmp$|~$|^cocoon-export-)")


def temporary(path: Path) -> bool:
    return any(TEMPORARY.search(part) for part in path.parts[-2:])


def incomplete(path: Path) -> str | None:
    """Why a finished output file is not whole (by its kind), or None when it is."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if not data and suffix != ".log":
        return "empty"
    try:
        if suffix == ".pdf":
            if not data.startswith(b"%PDF") or not data.rstrip().endswith(b"%%EOF"):
                return "not a whole PDF (no %PDF … %%EOF)"
        elif suffix == ".png":
            if not data.startswith(b"\x89PNG\r\n\x1a\n") or not data.endswith(b"IEND\xaeB`\x82"):
                return "not a whole PNG (no IEND chunk at its end)"
        elif suffix in (".geojson", ".json"):
            json.loads(data)
        elif suffix == ".kml":
            ET.fromstring(data)
        elif suffix in (".html", ".htm"):
            if not data.rstrip().lower().endswith(b"</html>"):
                return "not a whole HTML file (no </html> at its end)"
        elif suffix in (".csv", ".log"):
            text = data.decode("utf-8")
            if text and not text.endswith("\n"):
                return "its last line is cut off (no line end)"
            list(csv.reader(io.StringIO(text, newline="")))
        elif suffix == ".gpkg":
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                check = conn.execute("PRAGMA integrity_check").fetchone()[0]
                conn.execute("SELECT count(*) FROM gpkg_contents").fetchone()
            if check != "ok":
                return f"GeoPackage integrity: {check}"
    except (ValueError, ET.ParseError, csv.Error, sqlite3.Error) as exc:
        return f"unreadable: {type(exc).__name__}: {str(exc)[:200]}"
    return None


#: Files beside the outputs that are not outputs: databases, their journals, the service lock.
_NOT_OUTPUTS = (".sqlite", "-wal", "-shm", "-journal", ".lock")


def half_written(folder: Path) -> list[str]:
    """Files under `folder` that are neither whole nor named as temporary."""
    if not folder.exists():
        return []
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if temporary(path.relative_to(folder)) or path.name.endswith(_NOT_OUTPUTS):
            continue
        why = incomplete(path)
        if why:
            found.append(f"{path.relative_to(folder)}: {why}")
    return found


# --- the town: a register, roads, reports, one planned roster --------------------------------

#: Villa streets and a block of flats around the town's origin (tests/towns.py).
REGISTER: list[Address] = [
    *villa_street("Storgatan", 0, 0, 30),
    *villa_street("Åkervägen", 120, -200, 30),
    *[address("Parkgatan", "5", 60, 60, Dwelling.FLERBOSTADSHUS, f"pg5-{i}") for i in range(3)],
]
#: A point in the town (lat, lon), for rows that must be good.
HERE = (f"{REGISTER[0].lat:.6f}", f"{REGISTER[0].lon:.6f}")


def lat_lon(dx: float, dy: float) -> tuple[str, str]:
    """Text lat and lon of a point `dx`, `dy` metres from the town's origin."""
    lon, lat = SWEREF.point_to_wgs84(ORIGIN[0] + dx, ORIGIN[1] + dy)
    return f"{lat:.7f}", f"{lon:.7f}"


@dataclass(frozen=True)
class Town:
    """A ready database of the town: copy its file to run a command on it."""

    db: Path
    stops: tuple[str, ...]  # the address ids on report T1's roster, in walking order


def load_town(folder: Path, url: str, plan: bool = False) -> None:
    """Initialise a database and load the town: register, roads, three
    reports (T1, T2 at high risk, U1 unlocated); with `plan`, T1's roster is planned too."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "register.csv").write_text(register_csv(REGISTER), encoding="utf-8")
    (folder / "roads.geojson").write_text(json.dumps(road_network()), encoding="utf-8")
    (folder / "reports.csv").write_text(
        "report_id,reported_at,address,premises\n"
        f'T1,{ago(hours=3)},"Storgatan 1, Kalmar",villa\n'
        f'T2,{ago(hours=2)},"Storgatan 20, Kalmar",villa\n'
        f'U1,{ago(hours=1)},"Okändgatan 1, Kalmar",villa\n',
        encoding="utf-8",
    )
    _load(folder, url, plan=["T1"] if plan else [])


def _load(folder: Path, url: str, plan: Sequence[str] = ()) -> None:
    """Initialise the database and load the folder's register.csv, roads.geojson and
    reports.csv, and plan these reports' visits: through the use cases, in this process,
    since this is the ground the tests stand on, not what they test."""
    from tests.support import make_app

    app = make_app(url, ingest={"rejects_dir": str(folder / "rejects")})
    try:
        app.register.load_addresses(folder / "register.csv", NOW)
        app.register.load_roads(folder / "roads.geojson", NOW)
        ingested = app.reports.ingest(folder / "reports.csv", NOW)
        assert not ingested.rejections, ingested.rejections
        for report_id in plan:
            app.visits.plan(report_id, NOW)
    finally:
        app.engine.dispose()


def build_town(folder: Path) -> Town:
    """The town on a SQLite file, with T1's roster planned."""
    db = folder / "town.sqlite"
    load_town(folder, sqlite_url(db), plan=True)
    checkpoint(db)
    stops = tuple(
        r[0]
        for r in rows(
            db, "SELECT address_id FROM visits WHERE report_id = 'T1' ORDER BY sheet, stop"
        )
    )
    return Town(db, stops)


#: The burglaries of the roster town: at high risk, no roster yet.
ROSTER_REPORTS = [f"V{i:02d}" for i in range(1, 13)]


def load_roster_town(folder: Path, url: str) -> None:
    """Six villa streets, the road grid and twelve burglaries among them with no roster yet."""
    folder.mkdir(parents=True, exist_ok=True)
    register = [a for i in range(6) for a in villa_street(f"Gata {i}", 60.0 * i, 0, 40)]
    (folder / "register.csv").write_text(register_csv(register), encoding="utf-8")
    (folder / "roads.geojson").write_text(json.dumps(road_network()), encoding="utf-8")
    lines = ["report_id,reported_at,lat,lon,premises"]
    for i, rid in enumerate(ROSTER_REPORTS):
        lat, lon = lat_lon(40.0 + 40 * i, 30.0 + 60 * (i % 5))
        lines.append(f"{rid},{ago(hours=i + 1)},{lat},{lon},villa")
    (folder / "reports.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _load(folder, url)


# --- a case of the malformed corpus ---------------------------------------------------------

OK, FAILS, USAGE, NONZERO = frozenset({0}), frozenset({1}), frozenset({2}), frozenset({1, 2})
OK_OR_USAGE = frozenset({0, 2})

#: What a case writes into its folder: text, bytes, or a function of the folder and the town.
Content = str | bytes | Callable[[Path, Town], None]


@dataclass(frozen=True)
class Case:
    """One malformed input or argument, run on a copy of the town's database.

    `names`: what the one error line must contain (alternatives separated by '|').
    `rows`: (where, field) of each row that must be rejected in a line of its own.
    `stored`: SQL counting the good rows afterwards, and how many there must be.
    """

    name: str
    area: str  # readers, register, outcomes, config, arguments
    args: tuple[str, ...]
    exit: frozenset[int]
    files: Mapping[str, Content] = field(default_factory=dict)
    env: Mapping[str, str | None] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    file: str = ""
    stored: tuple[str, int] | None = None
    db: bool = True  # give `--db` the case's copy of the town (else the args name one)


#: Lines of stderr that are progress, help or notes beside the error, not the error.
NOT_THE_ERROR = re.compile(
    r"( …$|^\s+done in [\d.]+ s$|^\s*(rejected rows written to|avvisade rader skrivna till) "
    r"|^\s*… (and|och) \d+ (more|till)"
    r"|^Usage: |^Try '.*--help' for help\.?$)"
)
#: A command's closing count of what went wrong, after the lines that name it.
SUMMARY = re.compile(r"^cocoon: error: \d+ (of \d+ file\(s\)|address row|road feature|outcome row)")
ROW = re.compile(r"\b(line|feature|event|row) \d+\b")


def _has(line: str, needle: str) -> bool:
    return any(alt in line for alt in needle.split("|"))


def _where(line: str, where: str) -> bool:
    return re.search(rf"\b{re.escape(where)}\b", line) is not None


def case_problems(case: Case, ran: Ran, stored: int | None) -> list[str]:
    """Everything the run of `case` did against the house rules."""
    found = []
    if ran.returncode not in case.exit:
        found.append(f"exit status {ran.returncode}, expected {' or '.join(map(str, case.exit))}")
    for stream, text in (("stdout", ran.stdout), ("stderr", ran.stderr)):
        if "Traceback" in text:
            found.append(f"a Python traceback on {stream}")
    lines = [ln for ln in ran.stderr.splitlines() if ln.strip() and not NOT_THE_ERROR.search(ln)]
    if case.rows:
        row_lines = [ln for ln in lines if case.file in ln and ROW.search(ln)]
        for where, name in case.rows:
            naming = [ln for ln in row_lines if _where(ln, where) and f"field {name}" in ln]
            if len(naming) != 1:
                found.append(
                    f"{len(naming)} lines name {case.file}, {where}, field {name} (expected 1)"
                )
        expected = [ln for ln in row_lines if any(_where(ln, w) for w, _ in case.rows)]
        for line in row_lines:
            if line not in expected:
                found.append(f"a rejection the case does not expect: {line[:300]!r}")
        others = [ln for ln in lines if ln not in row_lines]
        if len(others) > 1:
            found.append(f"{len(others)} lines beside the rejected rows': {others[:4]!r}")
    elif ran.returncode != 0:
        errors = [ln for ln in lines if not SUMMARY.search(ln)]
        if len(errors) != 1:
            found.append(f"the error is {len(errors)} lines, not one: {errors[:6]!r}")
        elif missing := [n for n in case.names if not _has(errors[0], n)]:
            found.append(f"the error line does not name {missing}: {errors[0][:300]!r}")
    elif missing := [n for n in case.names if not _has(ran.stdout + ran.stderr, n)]:
        found.append(f"the output does not name {missing}")
    if case.stored is not None and stored != case.stored[1]:
        found.append(f"{stored} good rows stored, expected {case.stored[1]} ({case.stored[0]})")
    return found


@dataclass(frozen=True)
class CaseRun:
    case: Case
    ran: Ran
    stored: int | None

    @property
    def problems(self) -> list[str]:
        return case_problems(self.case, self.ran, self.stored)

    def report(self) -> str:
        listed = "\n".join(f"  - {p}" for p in self.problems)
        return f"case {self.case.name}:\n{listed}\n{self.ran}"


def _prepare(case: Case, town: Town, folder: Path) -> tuple[Path, list[str], dict[str, str | None]]:
    """The case's folder with its files and a copy of the town; its arguments and settings."""
    folder.mkdir(parents=True)
    db = folder / "c.sqlite"
    shutil.copyfile(town.db, db)
    for name, content in case.files.items():
        path = folder / name
        if callable(content):
            content(path, town)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    args = [a.replace("{dir}", str(folder)) for a in case.args]
    if case.db:
        args = ["--db", sqlite_url(db), *args]
    env = {k: v.replace("{dir}", str(folder)) if v is not None else v for k, v in case.env.items()}
    return db, args, env


def _counted(case: Case, db: Path) -> int | None:
    return count(db, case.stored[0]) if case.stored is not None else None


#: Set to 1 to run every case as a fresh `python -m cocoon.cli` process instead of a fork.
FRESH = os.environ.get("COCOON_HOSTILE_FRESH") == "1"


def run_cases(cases: Iterable[Case], town: Town, root: Path) -> dict[str, CaseRun]:
    """Run the cases, a few at a time, each in its own folder on its own copy of the town.

    By default each case is a fork of one process that has imported cocoon (`fork_server`):
    the same `python -m cocoon.cli` code path without paying the interpreter's start-up and
    cocoon's imports (0.7 s of CPU) two hundred times. COCOON_HOSTILE_FRESH=1 runs each as a
    fresh process instead, to check that both say the same.
    """
    cases = list(cases)
    prepared = [
        (case, *_prepare(case, town, root / f"{i:03d}-{case.name}"[:60]))
        for i, case in enumerate(cases)
    ]
    if FRESH:
        jobs = [
            (
                lambda c=c, db=db, a=a, e=e: CaseRun(
                    c, run(db.parent, None, *a, env=e), _counted(c, db)
                )
            )  # type: ignore[misc]
            for c, db, a, e in prepared
        ]
        return {r.case.name: r for r in in_parallel(jobs)}
    jobs = [{"cwd": str(db.parent), "args": a, "env": environment(e)} for _, db, a, e in prepared]
    results = forked(jobs)
    return {
        c.name: CaseRun(c, ran, _counted(c, db))
        for (c, db, _, _), ran in zip(prepared, results, strict=True)
    }


# --- the fork server: `python -m cocoon.cli` without its start-up, for the corpus -----------


def forked(jobs: Sequence[Mapping[str, Any]], workers: int = WORKERS) -> list[Ran]:
    """Run `python -m cocoon.cli ARGS` jobs ({cwd, args, env}) as forks of one process that
    has imported cocoon; their output goes to files beside their folders."""
    if not jobs:
        return []
    for job in jobs:
        for stream in ("stdout", "stderr"):
            Path(f"{job['cwd']}.{stream}").unlink(missing_ok=True)
    server = subprocess.run(
        [PYTHON, "-c", f"from tests.hostile import fork_server; fork_server({workers})"],
        input=json.dumps(list(jobs)).encode("utf-8"),
        capture_output=True,
        timeout=1800,
        cwd=Path(__file__).resolve().parents[1],
        env=environment({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}),
    )
    if server.returncode != 0:
        raise RuntimeError(f"the fork server failed: {server.stderr.decode(errors='replace')}")
    codes = json.loads(server.stdout)
    out = []
    for job, code in zip(jobs, codes, strict=True):
        streams = [
            Path(f"{job['cwd']}.{s}").read_bytes().decode("utf-8", "replace")
            for s in ("stdout", "stderr")
        ]
        command = (PYTHON, "-m", "cocoon.cli", *job["args"])
        out.append(Ran(command, Path(job["cwd"]), code, *streams))
    return out


def fork_server(workers: int) -> None:
    """Read jobs (JSON) on stdin, run each in a forked child, at most `workers` at a time, and
    print their exit statuses (JSON). Each child is `python -m cocoon.cli` from runpy on: its
    folder, environment and arguments set first, and an uncaught exception ending it as the
    interpreter would (the traceback on stderr, exit status 1)."""
    import pkgutil

    import cocoon

    for module in pkgutil.walk_packages(cocoon.__path__, "cocoon."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            __import__(module.name)
    jobs = json.loads(sys.stdin.read())
    codes: list[int] = [0] * len(jobs)
    running: dict[int, int] = {}
    for n, job in enumerate(jobs):
        if len(running) >= workers:
            pid, status = os.wait()
            codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(job)
        running[pid] = n
    while running:
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
    sys.stdout.write(json.dumps(codes))


#: A case still running after this many seconds is ended by SIGALRM (it hung).
CASE_TIMEOUT_S = 300


def _child(job: Mapping[str, Any]) -> None:
    import runpy
    import signal
    import traceback

    code = 1
    try:
        signal.alarm(CASE_TIMEOUT_S)
        os.chdir(job["cwd"])
        os.environ.clear()
        os.environ.update(job["env"])
        for fd, name in ((1, "stdout"), (2, "stderr")):
            target = os.open(f"{job['cwd']}.{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        sys.argv = ["cocoon", *job["args"]]
        try:
            runpy.run_module("cocoon.cli", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


# --- the corpus of malformed inputs ---------------------------------------------------------

HUGE = "1" + "0" * 400  # a number no float holds
YEAR_1 = "0001-01-01T00:00"


def table(
    columns: Sequence[str],
    *records: Mapping[str, str] | str,
    delimiter: str = ",",
    quote_all: bool = False,
) -> str:
    """CSV text: the columns any record uses, in the given order; a str record is a raw line.

    `quote_all` quotes every field, as a spreadsheet does to keep a CR inside one (Python's
    writer leaves a lone CR unquoted when the line ends are '\\n')."""
    used = [c for c in columns if any(not isinstance(r, str) and c in r for r in records)]
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=quoting)
    writer.writerow(used)
    for record in records:
        if isinstance(record, str):
            out.write(record + "\n")
        else:
            writer.writerow([record.get(c, "") for c in used])
    return out.getvalue()


def record_lines(text: str) -> list[tuple[int, int]]:
    """The first and last line of each data row of a CSV text (a quoted newline spans lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    spans, last = [], reader.line_num
    for _ in reader:
        spans.append((last + 1, reader.line_num))
        last = reader.line_num
    return spans


def good_report(report_id: str, hours: float = 1.0) -> dict[str, str]:
    """A located villa burglary reported `hours` ago in the town."""
    lat, lon = HERE
    return {
        "report_id": report_id,
        "reported_at": ago(hours=hours),
        "lat": lat,
        "lon": lon,
        "premises": "villa",
    }


#: The good rows of a mixed report file, counted after the run.
GOOD_REPORTS = ("SELECT count(*) FROM reports WHERE report_id IN ('G1', 'G2')", 2)


def _csv_row_case(name: str, change: Mapping[str, str], field_name: str) -> Case:
    """reports.csv: a good row, the bad one at line 3, another good row."""
    bad = {**good_report("B1", 1.5), **change}
    text = table(REPORT_COLUMNS, good_report("G1"), bad, good_report("G2", 2))
    return Case(
        f"report-csv-{name}",
        "readers",
        ("ingest", "reports.csv"),
        FAILS,
        files={"reports.csv": text},
        rows=(("line 3", field_name),),
        file="reports.csv",
        stored=GOOD_REPORTS,
    )


#: name, the bad row's changed fields, the field its rejection must name.
REPORT_ROWS: list[tuple[str, dict[str, str], str]] = [
    ("reported_at-month-13", {"reported_at": "2026-13-45"}, "reported_at"),
    ("reported_at-february-30", {"reported_at": "2026-02-30T10:00"}, "reported_at"),
    ("reported_at-year-0", {"reported_at": "0000-01-01T00:00"}, "reported_at"),
    ("reported_at-year-1", {"reported_at": YEAR_1}, "reported_at"),
    ("reported_at-year-1-with-offset", {"reported_at": "0001-01-01T00:30+01:00"}, "reported_at"),
    ("reported_at-year-9999", {"reported_at": "9999-12-31T23:59"}, "reported_at"),
    ("reported_at-empty", {"reported_at": ""}, "reported_at"),
    ("reported_at-huge-integer", {"reported_at": "9" * 30}, "reported_at"),
    ("reported_at-offset-25-hours", {"reported_at": "2026-11-01T10:00+25:00"}, "reported_at"),
    ("reported_at-words", {"reported_at": "igår kväll"}, "reported_at"),
    ("reported_at-nul", {"reported_at": "2026-11-01\x00T10:00"}, "reported_at"),
    ("occurred_from-month-13", {"occurred_from": "2026-13-01"}, "occurred_from"),
    ("occurred_to-year-1", {"occurred_to": "0001-01-01"}, "occurred_to"),
    (
        "occurred_from-after-occurred_to",
        {"occurred_from": ago(hours=3), "occurred_to": ago(hours=4)},
        "occurred_from",
    ),
    ("occurred_to-after-reported_at", {"occurred_to": ago(minutes=30)}, "occurred_to"),
    ("report_id-empty", {"report_id": ""}, "report_id"),
    ("report_id-101-characters", {"report_id": "R" * 101}, "report_id"),
    ("report_id-twice", {"report_id": "G1"}, "report_id"),
    ("lat-words", {"lat": "norr"}, "lat"),
    ("lat-91", {"lat": "91"}, "lat"),
    ("lat-nan", {"lat": "nan"}, "lat"),
    ("lat-infinite", {"lat": "inf"}, "lat"),
    ("lat-huge-integer", {"lat": HUGE}, "lat"),
    ("lon-empty", {"lon": ""}, "lon"),
    ("point-in-the-gulf-of-guinea", {"lat": "0", "lon": "0"}, "lat"),
    ("no-location", {"lat": "", "lon": ""}, "lat"),
    ("easting-1e300", {"lat": "", "lon": "", "easting": "1e300", "northing": "6280000"}, "easting"),
    (
        "easting-huge-negative-integer",
        {"lat": "", "lon": "", "easting": "-" + "9" * 40, "northing": "6280000"},
        "easting",
    ),
    ("premises-unknown", {"premises": "slott"}, "premises"),
    ("attempt-unknown", {"attempt": "kanske"}, "attempt"),
]


def _report_file_case(
    name: str,
    files: Mapping[str, Content],
    exit: frozenset[int],
    *names: str,
    args: tuple[str, ...] = ("ingest", "reports.csv"),
    stored: tuple[str, int] | None = None,
) -> Case:
    return Case(f"report-{name}", "readers", args, exit, files=files, names=names, stored=stored)


def _report_files() -> list[Case]:
    """Whole report files that cannot be read, and odd ones that can."""
    header = table(REPORT_COLUMNS, good_report("G1")).splitlines()[0] + "\n"
    good = table(REPORT_COLUMNS, good_report("G1"), good_report("G2", 2))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    return [
        _report_file_case("csv-empty-file", {"reports.csv": b""}, FAILS, "reports.csv"),
        _report_file_case("csv-only-a-bom", {"reports.csv": "\ufeff"}, FAILS, "reports.csv"),
        _report_file_case(
            "csv-header-only",
            {"reports.csv": header},
            OK,
            stored=("SELECT count(*) FROM reports", 3),
        ),
        _report_file_case(
            "csv-no-report_id-column",
            {"reports.csv": good.replace("report_id", "diarienr", 1)},
            FAILS,
            "reports.csv",
        ),
        _report_file_case(  # as Excel on Windows saves it: read as Windows-1252, and said so
            "csv-windows-1252",
            {"reports.csv": good.replace("G1", "Växjö-1").encode("cp1252")},
            OK,
            stored=("SELECT count(*) FROM reports WHERE report_id IN ('Växjö-1', 'G2')", 2),
        ),
        _report_file_case(  # UTF-16 with its byte-order mark is read
            "csv-utf-16",
            {"reports.csv": good.encode("utf-16")},
            OK,
            stored=("SELECT count(*) FROM reports WHERE report_id IN ('G1', 'G2')", 2),
        ),
        _report_file_case(
            "csv-utf-16-without-bom",
            {"reports.csv": good.encode("utf-16-le")},
            FAILS,
            "reports.csv",
        ),
        _report_file_case("csv-png-bytes", {"reports.csv": png}, FAILS, "reports.csv"),
        _report_file_case(
            "csv-crlf-line-endings",
            {"reports.csv": good.replace("\n", "\r\n")},
            OK,
            stored=GOOD_REPORTS,
        ),
        _report_file_case(
            "csv-semicolons-and-decimal-commas",
            {
                "reports.csv": table(
                    REPORT_COLUMNS,
                    *(
                        {
                            **good_report(rid, h),
                            "lat": HERE[0].replace(".", ","),
                            "lon": HERE[1].replace(".", ","),
                        }
                        for rid, h in (("G1", 1), ("G2", 2))
                    ),
                    delimiter=";",
                )
            },
            OK,
            stored=GOOD_REPORTS,
        ),
        _report_file_case(
            "csv-unterminated-quote",
            {"reports.csv": good + f'"B1,{ago(hours=1)},{HERE[0]},{HERE[1]},villa\n'},
            FAILS,
            "reports.csv",
        ),
        _report_file_case(
            "csv-field-of-200-kb",
            {
                "reports.csv": table(
                    REPORT_COLUMNS,
                    good_report("G1"),
                    {**good_report("B1"), "premises": "x" * 200_000},
                    good_report("G2", 2),
                )
            },
            FAILS,
            "reports.csv",
            "line 3",
        ),
        _report_file_case("missing-file", {}, FAILS, "nowhere.csv", args=("ingest", "nowhere.csv")),
        _report_file_case(
            "a-folder",
            {"reports.d": lambda p, _t: p.mkdir()},
            NONZERO,
            "reports.d",
            args=("ingest", "reports.d"),
        ),
        _report_file_case(
            "unknown-suffix",
            {"reports.txt": good},
            FAILS,
            "reports.txt",
            args=("ingest", "reports.txt"),
        ),
        Case(
            "report-csv-three-bad-rows",
            "readers",
            ("ingest", "reports.csv"),
            FAILS,
            files={
                "reports.csv": table(
                    REPORT_COLUMNS,
                    good_report("G1"),
                    {**good_report("B1"), "reported_at": "32/13"},
                    {**good_report("B2"), "lat": "x"},
                    good_report("G2", 2),
                    {**good_report("B3"), "premises": "slott"},
                )
            },
            rows=(("line 3", "reported_at"), ("line 4", "lat"), ("line 6", "premises")),
            file="reports.csv",
            stored=GOOD_REPORTS,
        ),
        Case(
            "report-csv-unquoted-delimiter",
            "readers",
            ("ingest", "reports.csv"),
            FAILS,
            files={
                "reports.csv": table(
                    REPORT_COLUMNS,
                    good_report("G1"),
                    f"B1,{ago(hours=1)},{HERE[0]},{HERE[1]},villa,Storgatan 1",
                    good_report("G2", 2),
                )
            },
            rows=(("line 3", "columns"),),
            file="reports.csv",
            stored=GOOD_REPORTS,
        ),
    ]


def point_feature(properties: Any, lat: str = HERE[0], lon: str = HERE[1]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
    }


def collection(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _report_feature(report_id: str, hours: float = 1.0, **props: Any) -> dict[str, Any]:
    base = good_report(report_id, hours)
    properties: dict[str, Any] = {k: base[k] for k in ("report_id", "reported_at", "premises")}
    properties.update(props)
    return point_feature(properties)


def _geojson_row_case(name: str, bad: Any, where: str, field_name: str | None) -> Case:
    """reports.geojson: a good feature, the bad one (feature 2), another good feature."""
    text = collection(_report_feature("G1"), bad, _report_feature("G2", 2))
    rows = ((where, field_name),) if field_name else ()
    return Case(
        f"report-geojson-{name}",
        "readers",
        ("ingest", "reports.geojson"),
        FAILS,
        files={"reports.geojson": text},
        rows=rows,
        file="reports.geojson",
        names=() if field_name else ("reports.geojson", where),
        stored=GOOD_REPORTS,
    )


def _geojson_cases() -> list[Case]:
    def with_geometry(geometry: Any, **props: Any) -> dict[str, Any]:
        return {**_report_feature("B1", **props), "geometry": geometry}

    def whole(name: str, text: str | bytes, exit: frozenset[int] = FAILS) -> Case:
        return _report_file_case(
            f"geojson-{name}",
            {"reports.geojson": text},
            exit,
            "reports.geojson",
            args=("ingest", "reports.geojson"),
        )

    lat, lon = HERE
    return [
        whole("not-json", "{not json"),
        whole("a-number", "42"),
        whole("an-empty-list", "[]", OK),  # read as an empty police feed: nothing to store
        whole("features-not-a-list", '{"type": "FeatureCollection", "features": {}}'),
        whole("nested-100000-deep", "[" * 100_000 + "]" * 100_000),
        _report_file_case(
            "geojson-no-features",
            {"reports.geojson": collection()},
            OK,
            args=("ingest", "reports.geojson"),
            stored=("SELECT count(*) FROM reports", 3),
        ),
        _geojson_row_case("feature-null", None, "feature 2", "feature"),
        _geojson_row_case(
            "properties-a-string", {**_report_feature("B1"), "properties": "x"}, "feature 2", None
        ),
        _geojson_row_case(
            "coordinates-words",
            with_geometry({"type": "Point", "coordinates": ["öst", "norr"]}),
            "feature 2",
            "lat",
        ),
        _geojson_row_case(
            "one-coordinate",
            with_geometry({"type": "Point", "coordinates": [16.3]}),
            "feature 2",
            "lat",
        ),
        _geojson_row_case(
            "linestring",
            with_geometry({"type": "LineString", "coordinates": [[16, 56], [17, 57]]}),
            "feature 2",
            "lat",
        ),
        _geojson_row_case(
            "reported_at-a-number",
            _report_feature("B1", reported_at=12345),
            "feature 2",
            "reported_at",
        ),
        _geojson_row_case(
            "reported_at-year-1",
            _report_feature("B1", reported_at=YEAR_1),
            "feature 2",
            "reported_at",
        ),
        Case(
            "report-geojson-lon-a-huge-integer",
            "readers",
            ("ingest", "reports.geojson"),
            FAILS,
            files={
                "reports.geojson": collection(
                    _report_feature("G1"), "BAD", _report_feature("G2", 2)
                ).replace(
                    '"BAD"',
                    '{"type": "Feature", "geometry": null, "properties": {"report_id": "B1", '
                    f'"reported_at": "{ago(hours=1)}", "lat": {lat}, "lon": {HUGE}}}}}',
                )
            },
            rows=(("feature 2", "lon"),),
            file="reports.geojson",
            stored=GOOD_REPORTS,
        ),
        Case(
            "report-geojson-coordinate-nan",
            "readers",
            ("ingest", "reports.geojson"),
            FAILS,
            files={
                "reports.geojson": collection(
                    _report_feature("G1"), _report_feature("B1"), _report_feature("G2", 2)
                )
                .replace(f"[{float(lon)}, {float(lat)}]", "[NaN, NaN]", 2)
                .replace("[NaN, NaN]", f"[{float(lon)}, {float(lat)}]", 1)
            },
            rows=(("feature 2", "lat"),),
            file="reports.geojson",
            stored=GOOD_REPORTS,
        ),
    ]


def feed_event(n: int, hours: float = 1.0, **changes: Any) -> dict[str, Any]:
    """A burglary event of the police feed, published `hours` ago."""
    from zoneinfo import ZoneInfo

    at = (NOW - timedelta(hours=hours)).astimezone(ZoneInfo("Europe/Stockholm"))
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    months += ["september", "oktober", "november", "december"]
    event: dict[str, Any] = {
        "id": 900_000 + n,
        "datetime": at.isoformat(sep=" "),
        "name": f"{at.day} {months[at.month - 1]} {at:%H.%M}, Inbrott, Kalmar",
        "summary": "Inbrott i villa.",
        "url": f"/aktuellt/handelser/{900_000 + n}",
        "type": "Inbrott",
        "location": {"name": "Kalmar", "gps": "56.661,16.356"},
    }
    event.update(changes)
    return event


def _feed_cases() -> list[Case]:
    stored = "SELECT count(*) FROM reports WHERE report_id LIKE 'polisen-%'"

    def case(name: str, bad: Any, field_name: str | None, *, good: int = 2) -> Case:
        events = [feed_event(1), bad, *(feed_event(10 + i, 2) for i in range(good - 1))]
        where = "event 2"
        return Case(
            f"feed-{name}",
            "readers",
            ("ingest", "events.json"),
            FAILS,
            files={"events.json": json.dumps(events)},
            rows=((where, field_name),) if field_name else (),
            file="events.json",
            names=() if field_name else ("events.json", where),
            stored=(stored, good),
        )

    first_five = [feed_event(i) for i in range(1, 6)]
    return [
        case("datetime-words", feed_event(2, datetime="igår"), "reported_at"),
        case(
            "datetime-year-1", feed_event(2, datetime="0001-01-01 00:30:00 +01:00"), "reported_at"
        ),
        case(
            "datetime-year-9999",
            feed_event(2, datetime="9999-12-31 23:59:59 +01:00"),
            "reported_at",
        ),
        case(
            "datetime-missing",
            {k: v for k, v in feed_event(2).items() if k != "datetime"},
            "reported_at",
            good=6,
        ),
        case("id-null", feed_event(2, id=None), "id"),
        Case(
            "feed-an-event-that-is-a-string",
            "readers",
            ("ingest", "events.json"),
            FAILS,
            files={"events.json": json.dumps([*first_five, "Inbrott", feed_event(7)])},
            names=("events.json", "event 6"),
            stored=(stored, 6),
        ),
        Case(
            "feed-headline-february-31",
            "readers",
            ("ingest", "events.json"),
            OK,
            files={
                "events.json": json.dumps(
                    [feed_event(1), feed_event(2, name="31 februari 10.00, Inbrott, Kalmar")]
                )
            },
            stored=(stored, 2),
        ),
    ]


REGISTER_COLUMNS = ("address_id", "street", "number", "town", "lat", "lon", "easting", "northing")


def good_address(address_id: str, number: str, dx: float) -> dict[str, str]:
    lat, lon = lat_lon(400 + dx, 400)
    return {
        "address_id": address_id,
        "street": "Nygatan",
        "number": number,
        "town": "Kalmar",
        "lat": lat,
        "lon": lon,
    }


GOOD_ADDRESSES = ("SELECT count(*) FROM addresses WHERE address_id IN ('ny-1', 'ny-2')", 2)


def _register_rows(name: str, change: Mapping[str, str], field_name: str) -> Case:
    bad = {**good_address("ny-b", "3", 20), **change}
    text = table(REGISTER_COLUMNS, good_address("ny-1", "1", 0), bad, good_address("ny-2", "2", 10))
    return Case(
        f"register-csv-{name}",
        "register",
        ("load-addresses", "reg.csv"),
        FAILS,
        files={"reg.csv": text},
        rows=(("line 3", field_name),),
        file="reg.csv",
        stored=GOOD_ADDRESSES,
    )


def write_gpkg(
    path: Path, records: Sequence[Mapping[str, str | None]], layer: str = "adresser"
) -> None:
    """An address GeoPackage of these records, their points from lat and lon."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    points = [shapely.Point(float(r["lon"] or 0), float(r["lat"] or 0)) for r in records]
    names = [k for k in records[0] if k not in ("lat", "lon")]
    data = [np.array([r.get(k) for r in records], dtype=object) for k in names]
    write(
        str(path),
        shapely.to_wkb(points),
        data,
        names,
        layer=layer,
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
        append=path.exists(),
    )


def osm_xml(*nodes: Mapping[str, str], cut: int | None = None) -> str:
    """An OSM XML file of address nodes (tags given as k=v, with '@lat' and '@lon')."""
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="hostile">']
    for i, node in enumerate(nodes, start=1):
        attrs = f'id="{i}" version="1" lat="{node.get("@lat", "")}" lon="{node.get("@lon", "")}"'
        tags = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in node.items() if not k.startswith("@"))
        lines.append(f"  <node {attrs}>{tags}</node>")
    text = "\n".join([*lines, "</osm>"]) + "\n"
    return text[:cut] if cut else text


def _osm_node(number: str, dx: float, **tags: str) -> dict[str, str]:
    lat, lon = lat_lon(400 + dx, 400)
    return {
        "@lat": lat,
        "@lon": lon,
        "addr:street": "Nygatan",
        "addr:housenumber": number,
        "building": "house",
        **tags,
    }


def _register_cases() -> list[Case]:
    good = [good_address("ny-1", "1", 0), good_address("ny-2", "2", 10)]
    by_source = "SELECT count(*) FROM addresses WHERE source = '{}'"

    def whole(
        name: str,
        file: str,
        content: Content,
        exit: frozenset[int] = FAILS,
        *names: str,
        args: tuple[str, ...] = (),
    ) -> Case:
        return Case(
            f"register-{name}",
            "register",
            args or ("load-addresses", file),
            exit,
            files={file: content},
            names=names or (file,),
        )

    def gpkg(records: Sequence[Mapping[str, str | None]], layers: int = 1) -> Content:
        def make(path: Path, _town: Town) -> None:
            write_gpkg(path, records)
            if layers > 1:
                write_gpkg(path, records, layer="byggnader")

        return make

    def cut_gpkg(path: Path, town: Town) -> None:
        gpkg(good)(path, town)
        path.write_bytes(path.read_bytes()[:4096])

    missing_number = [good[0], {**good_address("ny-b", "3", 20), "number": None}, good[1]]
    lat, lon = lat_lon(400, 400)
    return [
        _register_rows("street-empty", {"street": ""}, "street"),
        _register_rows("number-empty", {"number": ""}, "number"),
        _register_rows("lat-91", {"lat": "91"}, "lat"),
        _register_rows("lat-words", {"lat": "norr"}, "lat"),
        _register_rows("lon-huge-integer", {"lon": HUGE}, "lon"),
        _register_rows("address_id-65-characters", {"address_id": "a" * 65}, "address_id"),
        Case(
            "register-csv-easting-1e300",
            "register",
            ("load-addresses", "reg.csv"),
            FAILS,
            files={
                "reg.csv": table(
                    REGISTER_COLUMNS,
                    *(
                        {k: v for k, v in g.items() if k not in ("lat", "lon")}
                        | dict(
                            zip(
                                ("easting", "northing"),
                                map(str, SWEREF.point_to_metric(float(g["lon"]), float(g["lat"]))),
                                strict=True,
                            )
                        )
                        for g in good[:1]
                    ),
                    {
                        **good_address("ny-b", "3", 20),
                        "lat": "",
                        "lon": "",
                        "easting": "1e300",
                        "northing": "6280000",
                    },
                )
            },
            rows=(("line 3", "easting"),),
            file="reg.csv",
            stored=("SELECT count(*) FROM addresses WHERE address_id = 'ny-1'", 1),
        ),
        whole("csv-empty-file", "reg.csv", b""),
        whole("csv-no-coordinate-columns", "reg.csv", "address_id,street,number\nx,Nygatan,1\n"),
        whole("csv-no-street-column", "reg.csv", f"address_id,number,lat,lon\nx,1,{lat},{lon}\n"),
        whole(  # as Excel on Windows saves it: read as Windows-1252, and said so
            "csv-windows-1252",
            "reg.csv",
            table(REGISTER_COLUMNS, *good).replace("Nygatan", "Åvägen").encode("cp1252"),
            OK,
        ),
        whole("csv-header-only", "reg.csv", "address_id,street,number,lat,lon\n", OK),
        whole("unknown-suffix", "reg.xlsx", table(REGISTER_COLUMNS, *good)),
        whole(
            "missing-file",
            "other.csv",
            "",
            USAGE,
            "nowhere.csv",
            args=("load-addresses", "nowhere.csv"),
        ),
        whole("geojson-not-json", "reg.geojson", "{not json"),
        Case(
            "register-geojson-street-null",
            "register",
            ("load-addresses", "reg.geojson"),
            FAILS,
            files={
                "reg.geojson": collection(
                    point_feature(
                        {"address_id": "ny-1", "street": "Nygatan", "number": "1"},
                        *lat_lon(400, 400),
                    ),
                    point_feature(
                        {"address_id": "ny-b", "street": None, "number": "3"}, *lat_lon(420, 400)
                    ),
                    point_feature(
                        {"address_id": "ny-2", "street": "Nygatan", "number": "2"},
                        *lat_lon(410, 400),
                    ),
                )
            },
            rows=(("feature 2", "street"),),
            file="reg.geojson",
            stored=GOOD_ADDRESSES,
        ),
        Case(
            "register-geojson-geometry-null",
            "register",
            ("load-addresses", "reg.geojson"),
            FAILS,
            files={
                "reg.geojson": collection(
                    point_feature(
                        {"address_id": "ny-1", "street": "Nygatan", "number": "1"},
                        *lat_lon(400, 400),
                    ),
                    {
                        "type": "Feature",
                        "geometry": None,
                        "properties": {"address_id": "ny-b", "street": "Nygatan", "number": "3"},
                    },
                    point_feature(
                        {"address_id": "ny-2", "street": "Nygatan", "number": "2"},
                        *lat_lon(410, 400),
                    ),
                )
            },
            rows=(("feature 2", "geometry"),),
            file="reg.geojson",
            stored=GOOD_ADDRESSES,
        ),
        whole("gpkg-that-is-text", "reg.gpkg", "adress;gata\n"),
        whole("gpkg-cut-off", "reg.gpkg", cut_gpkg),
        Case(
            "register-gpkg-number-null",
            "register",
            ("load-addresses", "reg.gpkg"),
            FAILS,
            files={"reg.gpkg": gpkg(missing_number)},
            rows=(("feature 2", "number"),),
            file="reg.gpkg",
            stored=GOOD_ADDRESSES,
        ),
        Case(
            "register-gpkg-unknown-layer",
            "register",
            ("load-addresses", "reg.gpkg", "--layer", "gator"),
            FAILS,
            files={"reg.gpkg": gpkg(good, layers=2)},
            names=("reg.gpkg", "gator"),
        ),
        whole(
            "gpkg-no-street-column",
            "reg.gpkg",
            gpkg([{k: v for k, v in g.items() if k != "street"} for g in good]),
        ),
        Case(
            "register-osm-good-and-half-tagged",
            "register",
            ("load-addresses", "reg.osm"),
            OK,
            files={
                "reg.osm": osm_xml(
                    _osm_node("1", 0),
                    {**_osm_node("", 20), "addr:housenumber": ""},
                    _osm_node("2", 10),
                )
            },
            stored=(by_source.format("reg.osm"), 2),
        ),
        whole("osm-cut-off", "reg.osm", osm_xml(_osm_node("1", 0), _osm_node("2", 10), cut=200)),
        whole("osm-empty-file", "reg.osm", b""),
        whole("osm-not-xml", "reg.osm", "hej\n"),
        whole("pbf-random-bytes", "reg.osm.pbf", bytes(range(256)) * 8),
    ]


def _road(name: str, cls: str | None, *points: tuple[float, float]) -> dict[str, Any]:
    coords = [SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in points]
    props = {"name": name} | ({"highway": cls} if cls is not None else {})
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": coords},
    }


def _roads_cases() -> list[Case]:
    """A road file named unlike the town's, so that loading it replaces nothing."""
    good = [
        _road("Nyvägen", "residential", (0, 900), (300, 900)),
        _road("Gångstigen", "footway", (0, 950), (300, 950)),
    ]
    stored = ("SELECT count(*) FROM roads WHERE source = 'vagar.geojson'", 2)

    def case(name: str, bad: Any, exit: frozenset[int] = OK, *names: str, row: str = "") -> Case:
        text = bad if isinstance(bad, str) else collection(good[0], bad, good[1])
        return Case(
            f"roads-{name}",
            "register",
            ("load-roads", "vagar.geojson"),
            exit,
            files={"vagar.geojson": text},
            names=names,
            rows=(("feature 2", row),) if row else (),
            file="vagar.geojson",
            stored=stored if exit == OK or row else None,
        )

    return [
        case("not-json", "{not json", FAILS, "vagar.geojson"),
        case("empty-file", "", FAILS, "vagar.geojson"),
        case("unknown-class", _road("Skumvägen", "warp_drive", (0, 0), (10, 10))),
        case(
            "point-geometry",
            {**good[0], "geometry": {"type": "Point", "coordinates": [16, 56]}},
            FAILS,
            row="geometry",
        ),
        case(
            "coordinates-1e308",
            {
                **good[0],
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[1e308, 1e308], [-1e308, 1e308]],
                },
            },
        ),
        case(
            "no-class-column",
            collection(*(_road("X", None, (0, 0), (9, 9)) for _ in range(2))),
            FAILS,
            "vagar.geojson",
        ),
        Case(
            "roads-unknown-suffix",
            "register",
            ("load-roads", "roads.csv"),
            FAILS,
            files={"roads.csv": "name,highway\nX,residential\n"},
            names=("roads.csv",),
        ),
        Case(
            "roads-missing-file",
            "register",
            ("load-roads", "nowhere.geojson"),
            USAGE,
            names=("nowhere.geojson",),
        ),
    ]


def outcomes_text(town: Town, *bad: Mapping[str, str], good: int = 2) -> str:
    """A filled-in roster: the first stop visited, the bad rows (lines 3…), more good rows."""
    first, *rest = [
        {"address_id": a, "outcome": "besökt", "visited_at": ago(hours=1), "note": "ok"}
        for a in town.stops[:good]
    ]
    return table(("address_id", "outcome", "visited_at", "note"), first, *bad, *rest)


def _outcome_cases() -> list[Case]:
    stored = ("SELECT count(*) FROM visits WHERE outcome IS NOT NULL", 2)

    def row(name: str, change: Mapping[str, str], field_name: str) -> Case:
        def make(path: Path, town: Town) -> None:
            bad = {
                "address_id": town.stops[5],
                "outcome": "ej hemma",
                "visited_at": "",
                "note": "",
                **change,
            }
            path.write_text(outcomes_text(town, bad), encoding="utf-8")

        return Case(
            f"outcomes-{name}",
            "outcomes",
            ("visits", "record", "filled.csv"),
            FAILS,
            files={"filled.csv": make},
            rows=(("line 3", field_name),),
            file="filled.csv",
            stored=stored,
        )

    def whole(
        name: str,
        content: Content,
        *args: str,
        names: tuple[str, ...] = ("filled.csv",),
        exit: frozenset[int] = FAILS,
    ) -> Case:
        return Case(
            f"outcomes-{name}",
            "outcomes",
            ("visits", "record", "filled.csv", *args),
            exit,
            files={"filled.csv": content},
            names=names,
        )

    def blank(path: Path, town: Town) -> None:
        path.write_text(
            outcomes_text(town, {"address_id": town.stops[5], "outcome": ""}), encoding="utf-8"
        )

    return [
        row("outcome-unknown", {"outcome": "hittade katten"}, "outcome"),
        row("visited_at-month-13", {"visited_at": "2026-13-45"}, "visited_at"),
        row("visited_at-year-1", {"visited_at": YEAR_1}, "visited_at"),
        row("visited_at-year-9999", {"visited_at": "9999-12-31T23:59"}, "visited_at"),
        row("visited_at-huge-integer", {"visited_at": "9" * 30}, "visited_at"),
        row("address_id-empty", {"address_id": ""}, "address_id"),
        row("address_id-unknown", {"address_id": "finns-inte-1"}, "address_id"),
        whole("no-outcome-column", "address_id,note\nx,y\n"),
        whole("empty-file", b""),
        whole("latin-1", "address_id,outcome\nx,avböjde\n".encode("latin-1")),
        whole(
            "unknown-report",
            lambda p, t: p.write_text(outcomes_text(t), encoding="utf-8"),
            "--report",
            "R404",
            names=("R404",),
            exit=NONZERO,
        ),
        Case(
            "outcomes-a-blank-row-is-pending",
            "outcomes",
            ("visits", "record", "filled.csv"),
            OK,
            files={"filled.csv": blank},
            stored=stored,
        ),
    ]


def _config_cases() -> list[Case]:
    def toml(name: str, text: str | bytes, *names: str, exit: frozenset[int] = FAILS) -> Case:
        return Case(
            f"config-{name}",
            "config",
            ("--config", "c.toml", "zones"),
            exit,
            files={"c.toml": text},
            names=("c.toml", *names) if exit != OK else (),
            env={"COCOON_OUTPUT__LANGUAGE": None},  # the file's own language setting counts
        )

    def env(name: str, variables: Mapping[str, str], *names: str, db: bool = True) -> Case:
        return Case(f"env-{name}", "config", ("zones",), FAILS, env=variables, names=names, db=db)

    return [
        toml("not-toml", "[risk\nradius_m = 1\n"),
        toml("unknown-section", "[nope]\nx = 1\n", "nope"),
        toml("unknown-key", "[risk]\nnope = 1\n", "risk.nope"),
        toml("radius-negative", "[risk]\nradius_m = -5\n", "risk.radius_m"),
        toml("radius-words", "[risk]\nradius_m = 'far'\n", "risk.radius_m"),
        toml("radius-huge-integer", f"[risk]\nradius_m = {'9' * 30}\n", "risk.radius_m"),
        toml("high-risk-days-0", "[risk]\nhigh_risk_days = 0\n", "risk.high_risk_days"),
        toml("bbox-two-numbers", "[area]\nbbox = [1, 2]\n", "area.bbox"),
        toml("crs-in-degrees", "[area]\ncrs = 'EPSG:4326'\n", "area.crs"),
        toml("crs-unknown", "[area]\ncrs = 'EPSG:999999'\n", "area.crs"),
        toml("timezone-unknown", "[area]\ntimezone = 'Mars/Olympus'\n", "area.timezone"),
        toml("timezone-a-path", "[area]\ntimezone = '../../etc/passwd'\n", "area.timezone"),
        toml("daily-time-25-99", "[service]\ndaily_time = '25:99'\n", "service.daily_time"),
        toml("boundary-missing", "[area]\nboundary = 'nowhere.geojson'\n", "area.boundary"),
        toml("leaflet-missing", "[visits]\nleaflet = 'nowhere.txt'\n", "visits.leaflet"),
        toml("mail-without-recipients", "[mail]\nsmtp_host = 'localhost'\n", "mail"),
        toml("language-german", "[output]\nlanguage = 'de'\n", "output.language"),
        toml("sheet-size-0", "[visits]\nsheet_size = 0\n", "visits.sheet_size"),
        toml("columns-unknown", "[ingest.columns]\nnope = 'x'\n", "ingest.columns"),
        toml(
            "premises-values-unknown",
            "[ingest.premises_values]\nhus = 'slott'\n",
            "ingest.premises_values",
        ),
        toml("clearance-over-half-the-grid", "[export]\npublic_clearance_m = 200\n", "export"),
        toml("not-utf-8", "[area]\nname = 'Växjö'\n".encode("latin-1")),
        toml("nul-byte", "[area]\nname = 'V\x00'\n"),
        toml("empty-file", "", exit=OK),
        Case(
            "config-missing-file",
            "config",
            ("--config", "nowhere.toml", "zones"),
            FAILS,
            names=("nowhere.toml",),
        ),
        Case(
            "config-a-folder",
            "config",
            ("--config", "conf.d", "zones"),
            FAILS,
            files={"conf.d": lambda p, _t: p.mkdir()},
            names=("conf.d",),
        ),
        env(
            "radius-words", {"COCOON_RISK__RADIUS_M": "far"}, "COCOON_RISK__RADIUS_M|risk.radius_m"
        ),
        env("unknown-section", {"COCOON_NOPE__X": "1"}, "COCOON_NOPE__X"),
        env("unknown-key", {"COCOON_RISK__NOPE": "1"}, "COCOON_RISK__NOPE"),
        env("bbox-two-numbers", {"COCOON_AREA__BBOX": "[1, 2]"}, "COCOON_AREA__BBOX|area.bbox"),
        env(
            "language-german",
            {"COCOON_OUTPUT__LANGUAGE": "de"},
            "COCOON_OUTPUT__LANGUAGE|output.language",
        ),
        env(
            "poll-seconds-huge",
            {"COCOON_SERVICE__POLL_SECONDS": "9" * 30},
            "COCOON_SERVICE__POLL_SECONDS|service.poll_seconds",
        ),
        env(
            "timezone-unknown",
            {"COCOON_AREA__TIMEZONE": "Mars/Olympus"},
            "COCOON_AREA__TIMEZONE|area.timezone",
        ),
        env(
            "list-not-closed",
            {"COCOON_RISK__COUNTED_PREMISES": '["villa"'},
            "COCOON_RISK__COUNTED_PREMISES|risk.counted_premises",
        ),
        env("db-unsupported", {"COCOON_DB": "nosuchdb://x"}, "nosuchdb", db=False),
        env("db-empty", {"COCOON_DB": ""}, db=False),
        env("config-missing", {"COCOON_CONFIG": "{dir}/nowhere.toml"}, "nowhere.toml"),
    ]


def _argument_cases() -> list[Case]:
    def case(
        name: str,
        exit: frozenset[int],
        *args: str,
        names: tuple[str, ...] = (),
        files: Mapping[str, Content] | None = None,
        db: bool = True,
    ) -> Case:
        return Case(f"args-{name}", "arguments", args, exit, files=files or {}, names=names, db=db)

    blocker = {"blocker": "a file, not a folder\n"}
    garbage = {"garbage.sqlite": b"SQLite format 2\x00" + bytes(range(256)) * 16}
    return [
        case("zones-at-month-13", USAGE, "zones", "--at", "2026-13-45", names=("--at",)),
        case("zones-at-empty", USAGE, "zones", "--at", "", names=("--at",)),
        case("zones-at-year-0", USAGE, "zones", "--at", "0000-01-01", names=("--at",)),
        case("zones-at-year-1", USAGE, "zones", "--at", YEAR_1, names=("--at",)),
        case("zones-at-year-9999", OK_OR_USAGE, "zones", "--at", "9999-12-31T23:59"),
        case("zones-at-huge-integer", USAGE, "zones", "--at", "9" * 30, names=("--at",)),
        case(
            "zones-output-under-a-file",
            NONZERO,
            "zones",
            "-o",
            "blocker/z.geojson",
            names=("z.geojson",),
            files=blocker,
        ),
        case("zones-output-empty", NONZERO, "zones", "-o", "", names=("-o|--output",)),
        case("export-unknown-suffix", USAGE, "export", "-o", "z.docx", names=(".docx",)),
        case(
            "export-format-pdf",
            USAGE,
            "export",
            "--format",
            "pdf",
            "-o",
            "z.pdf",
            names=("--format",),
        ),
        case(
            "export-profile-secret",
            USAGE,
            "export",
            "--profile",
            "secret",
            "-o",
            "z.html",
            names=("--profile",),
        ),
        case(
            "export-at-month-13",
            USAGE,
            "export",
            "--at",
            "2026-13-45",
            "-o",
            "z.html",
            names=("--at",),
        ),
        case("export-at-year-1", USAGE, "export", "--at", YEAR_1, "-o", "z.html", names=("--at",)),
        case(
            "export-output-under-a-file",
            NONZERO,
            "export",
            "-o",
            "blocker/z.html",
            names=("z.html",),
            files=blocker,
        ),
        case("visits-unknown-report", FAILS, "visits", "R404", names=("R404",)),
        case("visits-empty-report-id", NONZERO, "visits", ""),
        case(
            "visits-output-under-a-file",
            NONZERO,
            "visits",
            "T2",
            "-o",
            "blocker/r",
            names=("blocker",),
            files=blocker,
        ),
        case("visits-at-month-13", USAGE, "visits", "T2", "--at", "2026-13-45", names=("--at",)),
        case("visits-new-without-out", USAGE, "visits", "new", names=("--out",)),
        case(
            "visits-new-out-a-file",
            NONZERO,
            "visits",
            "new",
            "--out",
            "blocker",
            names=("blocker",),
            files=blocker,
        ),
        case(
            "visits-new-at-year-1",
            USAGE,
            "visits",
            "new",
            "--out",
            "r",
            "--at",
            YEAR_1,
            names=("--at",),
        ),
        case("visits-record-nothing", USAGE, "visits", "record"),
        case(
            "visits-record-unknown-address",
            FAILS,
            "visits",
            "record",
            "--address-id",
            "nope",
            "--outcome",
            "besökt",
            names=("nope",),
        ),
        case(
            "visits-record-outcome-unknown",
            USAGE,
            "visits",
            "record",
            "--address-id",
            "x",
            "--outcome",
            "kanske",
            names=("--outcome",),
        ),
        case(
            "visits-record-visited-at-month-13",
            USAGE,
            "visits",
            "record",
            "--address-id",
            "x",
            "--outcome",
            "besökt",
            "--visited-at",
            "2026-13-45",
            names=("--visited-at",),
        ),
        case(
            "visits-record-visited-at-year-1",
            USAGE,
            "visits",
            "record",
            "--address-id",
            "x",
            "--outcome",
            "besökt",
            "--visited-at",
            YEAR_1,
            names=("--visited-at",),
        ),
        case(
            "visits-status-at-month-99",
            USAGE,
            "visits",
            "status",
            "--at",
            "9999-99-99",
            names=("--at",),
        ),
        case("signs-due-month-13", USAGE, "signs", "--due", "2026-13-45", names=("--due",)),
        case("signs-due-empty", USAGE, "signs", "--due", "", names=("--due",)),
        case("signs-due-year-1", OK_OR_USAGE, "signs", "--due", "0001-01-01"),
        case("signs-at-year-1", USAGE, "signs", "--at", YEAR_1, names=("--at",)),
        case("signs-unknown-suffix", USAGE, "signs", "-o", "s.docx", names=(".docx",)),
        case(
            "signs-output-under-a-file",
            NONZERO,
            "signs",
            "-o",
            "blocker/s.csv",
            names=("s.csv",),
            files=blocker,
        ),
        case(
            "daily-at-month-13", USAGE, "daily", "--at", "2026-13-45", "--out", "d", names=("--at",)
        ),
        case("daily-at-empty", USAGE, "daily", "--at", "", "--out", "d", names=("--at",)),
        case("daily-at-year-1", OK_OR_USAGE, "daily", "--at", "0001-01-01", "--out", "d"),
        case("daily-at-year-9999", OK_OR_USAGE, "daily", "--at", "9999-12-31", "--out", "d"),
        case(
            "daily-out-under-a-file",
            NONZERO,
            "daily",
            "--out",
            "blocker/d",
            names=("blocker",),
            files=blocker,
        ),
        case(
            "locate-unknown-report",
            FAILS,
            "locate",
            "R404",
            "--lat",
            HERE[0],
            "--lon",
            HERE[1],
            names=("R404",),
        ),
        case("locate-without-a-place", NONZERO, "locate", "U1"),
        case("locate-lat-1e400", NONZERO, "locate", "U1", "--lat", "1e400", "--lon", "16.36"),
        case(
            "locate-lat-words",
            USAGE,
            "locate",
            "U1",
            "--lat",
            "norr",
            "--lon",
            "16.36",
            names=("--lat",),
        ),
        case("locate-address-empty", NONZERO, "locate", "U1", "--address", ""),
        case(
            "locate-easting-1e300",
            NONZERO,
            "locate",
            "U1",
            "--easting",
            "1e300",
            "--northing",
            "6280000",
        ),
        case("retract-unknown-report", FAILS, "retract", "R404", "--reason", "x", names=("R404",)),
        case("retract-without-reason", USAGE, "retract", "T2", names=("--reason",)),
        case("retract-reason-empty", USAGE, "retract", "T2", "--reason", "", names=("--reason",)),
        case("status-runs-huge-integer", OK_OR_USAGE, "status", "--runs", "9" * 30),
        case("status-runs-words", USAGE, "status", "--runs", "tio", names=("--runs",)),
        case("ingest-no-file", USAGE, "ingest"),
        case("unlocated-an-argument", USAGE, "unlocated", "U1"),
        case(
            "serve-log-format-xml", USAGE, "serve", "--log-format", "xml", names=("--log-format",)
        ),
        case(
            "serve-before-init",
            FAILS,
            "--db",
            "sqlite:///{dir}/new.sqlite",
            "serve",
            names=("cocoon init",),
            db=False,
        ),
        case(
            "init-db-under-a-file",
            FAILS,
            "--db",
            "sqlite:///{dir}/blocker/c.sqlite",
            "init",
            names=("c.sqlite|blocker",),
            files=blocker,
            db=False,
        ),
        case(
            "db-unsupported", FAILS, "--db", "nosuchdb://x", "zones", names=("nosuchdb",), db=False
        ),
        case(
            "db-not-a-database",
            FAILS,
            "--db",
            "sqlite:///{dir}/garbage.sqlite",
            "zones",
            files=garbage,
            db=False,
        ),
        case(
            "db-server-not-there",
            FAILS,
            "--db",
            "postgresql+psycopg://nobody@127.0.0.1:1/cocoon",
            "zones",
            db=False,
        ),
        case("unknown-command", USAGE, "frobnicate"),
        # the leaflets, the partner groups, the evidence and the field app's commands
        case(
            "leaflet-unknown-language",
            FAILS,
            "leaflet",
            "--lang",
            "xx",
            "-o",
            "x.pdf",
            names=("xx",),
        ),
        case("leaflet-without-a-file", USAGE, "leaflet", "--lang", "ar"),
        case(
            "leaflet-under-a-file",
            FAILS,
            "leaflet",
            "--lang",
            "sv",
            "-o",
            "blocker/x.pdf",
            names=("blocker/x.pdf",),
            files=blocker,
        ),
        case(
            "groups-load-missing-file",
            USAGE,
            "groups",
            "load",
            "nowhere.csv",
            names=("nowhere.csv",),
        ),
        case(
            "groups-load-not-a-group-file",
            FAILS,
            "groups",
            "load",
            "g.csv",
            names=("g.csv",),
            files={"g.csv": "name\n\n"},
        ),
        case(
            "groups-send-at-month-13",
            USAGE,
            "groups",
            "send",
            "--at",
            "2026-13-01",
            names=("--at",),
        ),
        case(
            "knox-too-few-events",
            FAILS,
            "knox",
            "e.csv",
            names=("e.csv",),
            files={"e.csv": "x,y,date\n1,2,2026-01-01\n"},
        ),
        case(
            "knox-iterations-words", USAGE, "knox", "--iterations", "many", names=("--iterations",)
        ),
        case("knox-distance-unknown", USAGE, "knox", "--distance", "crow", names=("--distance",)),
        case("backtest-radius-words", USAGE, "backtest", "--radius", "far", names=("--radius",)),
        case(
            "backtest-too-short-a-history",
            FAILS,
            "backtest",
            "e.csv",
            names=("e.csv",),
            files={"e.csv": "x,y,date\n1,2,2026-01-01\n3,4,2026-01-02\n"},
        ),
        case(
            "calibrate-radii-words", USAGE, "calibrate", "--radii", "near,far", names=("--radii",)
        ),
        case(
            "followup-period-words",
            USAGE,
            "followup",
            "--period",
            "förra året",
            names=("--period",),
        ),
        case(
            "followup-reference-file-missing",
            NONZERO,
            "followup",
            "--period",
            "2026",
            "--reference-file",
            "nowhere.csv",
            names=("nowhere.csv",),
        ),
        case(
            "users-add-unknown-role",
            USAGE,
            "users",
            "add",
            "anna",
            "--role",
            "chief",
            names=("--role",),
        ),
        case("users-disable-unknown", FAILS, "users", "disable", "nobody", names=("nobody",)),
        case("web-port-words", USAGE, "web", "--port", "http", names=("--port",)),
    ]


def malformed_cases() -> list[Case]:
    """The whole corpus: every reader, the settings, every command's arguments."""
    cases = [
        *(_csv_row_case(name, change, f) for name, change, f in REPORT_ROWS),
        *_report_files(),
        *_geojson_cases(),
        *_feed_cases(),
        *_register_cases(),
        *_roads_cases(),
        *_outcome_cases(),
        *_config_cases(),
        *_argument_cases(),
    ]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "two cases share a name"
    return cases


# --- kill -9 and concurrent runs: big inputs, the service's folders, waiting --------------


def big_reports(n: int, seed: int, bad_every: int = 0, prefix: str = "K") -> tuple[str, int]:
    """A report CSV of `n` located burglaries of the last ten days in and around the town (a
    seeded spread), every `bad_every`th with an unreadable time; and how many rows are good."""
    import random

    rng = random.Random(seed)
    lines = ["report_id,reported_at,lat,lon,premises"]
    good = 0
    for i in range(n):
        lat, lon = lat_lon(rng.uniform(-20_000, 20_000), rng.uniform(-20_000, 20_000))
        when = ago(minutes=rng.uniform(30, 10 * 24 * 60))
        if bad_every and i % bad_every == bad_every - 1:
            when = "32/13"
        else:
            good += 1
        lines.append(f"{prefix}{i:06d},{when},{lat},{lon},villa")
    return "\n".join(lines) + "\n", good


def big_register(n: int, prefix: str = "K") -> str:
    """An address CSV of `n` houses on streets of a hundred, laid out east of the town."""
    lines = ["address_id,street,number,town,lat,lon,dwelling"]
    for i in range(n):
        lat, lon = lat_lon(3_000 + (i % 100) * 20.0, (i // 100) * 40.0)
        lines.append(f"{prefix}-{i},Kvarngatan {i // 100},{i % 100 + 1},Kalmar,{lat},{lon},smahus")
    return "\n".join(lines) + "\n"


def service_env(root: Path, **settings: str) -> dict[str, str]:
    """COCOON_SERVICE__* settings that put the service's folders under `root`: a poll every
    second, files taken as soon as they are complete."""
    folders = {
        "inbox_dir": root / "inbox",
        "processed_dir": root / "processed",
        "rejected_dir": root / "rejected",
        "outbox_dir": root / "outbox",
        "alert_log": root / "outbox" / "alerts.log",
        "daily_dir": root / "daily",
    }
    values = {k: str(v) for k, v in folders.items()} | {"poll_seconds": "1", "settle_seconds": "0"}
    values |= settings
    env = {f"COCOON_SERVICE__{k.upper()}": v for k, v in values.items()}
    env["COCOON_INGEST__REJECTS_DIR"] = str(root / "rejects")
    return env


def drop(inbox: Path, name: str, text: str) -> Path:
    """Put a file into the inbox as a careful writer does: NAME.part, then renamed."""
    inbox.mkdir(parents=True, exist_ok=True)
    part = inbox / f"{name}.part"
    part.write_text(text, encoding="utf-8")
    return part.rename(inbox / name)


def wait_until(done: Callable[[], bool], timeout: float, every: float = 0.25) -> bool:
    """Whether `done()` came true within `timeout` seconds (polled, not timed)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(every)
    return done()


def kill_after(process: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL the process after `delay` seconds; whether it was still running then."""
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=60)
        return True


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- hostile text values --------------------------------------------------------------------

#: Text that must reach no output raw: control characters, markup, spreadsheet formulas,
#: a bidirectional override, invisible characters, a 10 KB name.
HOSTILE: dict[str, str] = {
    "newline": "Nya\ngatan",
    "carriage-return": "Nya\rgatan",
    "nul": "Nya\x00gatan",
    "vertical-tab": "Nya\x0bgatan",
    "tab": "Nya\tgatan",
    "quotes": 'Nya "gatan" \'s',
    "script": "<script>alert(1)</script>",
    "markup": "<img src=x onerror=alert(2)><b>&amp;",
    "ampersand": "Kvarn & Bro &lt;gatan&gt;",
    "formula": "=cmd|'/C calc'!A1",
    "plus": "+SUM(1;2)",
    "minus": "-2+3",
    "at": "@SUM(1;2)",
    "rtl-override": "\u202eNyagatan",
    "zero-width": "Nya\u200bgatan\u200d\ufeff",
    "10-kb": "Långgatan " * 1024,
}
#: Cells a spreadsheet runs as a formula when they start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@")


def report_tag(i: int) -> str:
    """What marks the i-th hostile report id: it must show in no public output."""
    return f"RIDq{i:02d}z"


def address_tag(i: int) -> str:
    """What marks the i-th burgled address."""
    return f"BADq{i:02d}z"


#: Two report ids that differ only in characters a file name cannot keep.
LOOKALIKE_IDS = ("Kollision/1", "Kollision:1")
#: Metres between the hostile town's neighbourhoods: more than two zone radii, so that each
#: burglary's roster lists its own neighbourhood's doors.
SPACING_M = 1200.0


@dataclass(frozen=True)
class HostileTown:
    """Where the hostile town's rows stand: the burglaries' metric points, and the row (from
    0) of each value's report and of its street's first address."""

    homes: list[tuple[float, float]]
    report_rows: list[int]
    address_rows: list[int]


def hostile_files(folder: Path) -> HostileTown:
    """The hostile town's input files in `folder`, a neighbourhood per hostile value 1.2 km
    apart: four houses on a street named by the value (address ids and town too) and one on
    the next value's street, a burglary whose id and address carry the value, a street named
    by it and a cross street named by another. Then two burglaries with look-alike ids."""
    names = list(HOSTILE.values())
    n = len(names)
    register: list[dict[str, str]] = []
    address_rows = []
    roads = []
    reports: list[dict[str, str]] = []
    homes = []
    for i, value in enumerate(names):
        y = SPACING_M * i
        address_rows.append(len(register))
        houses = [(value, i, f"{k + 1}", 25.0 * k - 40, y + 30) for k in range(4)]
        houses.append((names[(i + 1) % n], (i + 1) % n, "99", 0.0, y - 40))
        for street, j, number, dx, dy in houses:
            lat, lon = lat_lon(dx, dy)
            register.append(
                {
                    "address_id": f"{street}#{j}-{number}",
                    "street": street,
                    "number": number,
                    "town": street,
                    "lat": lat,
                    "lon": lon,
                    "dwelling": "smahus",
                }
            )
        roads.append(_road(value, "residential", (-300, y + 15), (300, y + 15)))
        roads.append(_road(names[(i + 5) % n], "tertiary", (-20, y - 300), (-20, y + 300)))
        lat, lon = lat_lon(0.0, y)
        homes.append((ORIGIN[0], ORIGIN[1] + y))
        reports.append(
            {
                "report_id": f"{value}{report_tag(i)}",
                "reported_at": ago(hours=1 + (n - i) / 4),
                "lat": lat,
                "lon": lon,
                "address": f"{value} {address_tag(i)} 99, Kalmar",
                "premises": "villa",
            }
        )
    for k, report_id in enumerate(LOOKALIKE_IDS):
        y = SPACING_M * (n + k)
        for number in ("1", "2"):
            lat, lon = lat_lon(30.0 * int(number), y + 30)
            register.append(
                {
                    "address_id": f"kollision-{k}-{number}",
                    "street": "Kollisionsgatan",
                    "number": f"{k}{number}",
                    "town": "Kalmar",
                    "lat": lat,
                    "lon": lon,
                }
            )
        lat, lon = lat_lon(0.0, y)
        homes.append((ORIGIN[0], ORIGIN[1] + y))
        reports.append(
            {
                "report_id": report_id,
                "reported_at": ago(hours=8 + k),
                "lat": lat,
                "lon": lon,
                "premises": "villa",
            }
        )
    columns = ("address_id", "street", "number", "town", "lat", "lon", "dwelling")
    (folder / "register.csv").write_text(
        table(columns, *register, quote_all=True), encoding="utf-8"
    )
    (folder / "roads.geojson").write_text(collection(*roads), encoding="utf-8")
    (folder / "reports.csv").write_text(
        table(REPORT_COLUMNS, *reports, quote_all=True), encoding="utf-8"
    )
    return HostileTown(homes, list(range(n)), address_rows)
