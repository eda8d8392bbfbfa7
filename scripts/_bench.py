"""What the benchmark scripts share: timing, peak memory, machine facts, an empty database, and
the printed table. Imported by scripts/bench_*.py (run from the project root)."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import sqlalchemy
from sqlalchemy import Engine, MetaData, Table, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from cocoon.errors import CocoonError
from cocoon.store.schema import metadata

T = TypeVar("T")


class BenchError(Exception):
    """A benchmark that cannot run as asked; printed as one line."""


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds `fn` took, and what it returned."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine_facts(engine: Engine, *extra: str) -> list[str]:
    """CPU, Python and database lines, so that figures can be compared across machines."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with engine.connect() as conn:
        server = ".".join(map(str, conn.dialect.server_version_info or ()))
    server = f"SQLite {sqlite3.sqlite_version}" if engine.dialect.name == "sqlite" else server
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"machine   {os.cpu_count()} CPUs ({usable} usable), {cpu}, {platform.system()} "
        f"{platform.machine()}",
        f"python    {platform.python_implementation()} {platform.python_version()}, "
        f"SQLAlchemy {sqlalchemy.__version__}{''.join(f', {e}' for e in extra)}",
        f"database  {engine.dialect.name}+{engine.dialect.driver} (server {server}): "
        f"{engine.url.render_as_string(hide_password=True)}",
    ]


def ensure_empty(engine: Engine, reset: bool) -> None:
    """Refuse a database whose cocoon tables hold rows, unless told to drop and recreate them."""
    present = set(inspect(engine).get_table_names())
    ours = [t for t in metadata.sorted_tables if t.name in present]
    with engine.connect() as conn:
        rows = {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in ours}
    if not any(rows.values()):
        return
    where = engine.url.render_as_string(hide_password=True)
    if not reset:
        held = ", ".join(f"{name} {count:,}" for name, count in rows.items() if count)
        raise BenchError(
            f"{where} is not empty ({held} rows); the benchmark needs empty cocoon tables: "
            "use an empty database, or --reset to drop and recreate them"
        )
    print(f"--reset: dropping cocoon's tables in {where}")
    metadata.drop_all(engine, tables=ours)
    Table("alembic_version", MetaData()).drop(engine, checkfirst=True)


def table(rows: Sequence[tuple[str, str, str]]) -> str:
    """Label, figure (right-aligned) and a note such as the target, one row a line."""
    width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    lines = [f"  {label:<{width}}  {value:>{value_width}}  {note}" for label, value, note in rows]
    return "\n".join(line.rstrip() for line in lines)


def run_in_workdir(name: str, keep: bool, run: Callable[[Path], int | None]) -> int:
    """Run a benchmark in a fresh temp folder, removed afterwards unless kept; a failure is one
    line on stderr and exit status 1."""
    workdir = Path(tempfile.mkdtemp(prefix=f"cocoon-{name}-"))
    try:
        return run(workdir) or 0
    except (BenchError, CocoonError, SQLAlchemyError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"{name}: error: {first_line}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
