"""One service per database: a lock the operating system or the server drops with the process.

SQLite: an exclusive flock on a file beside the database. PostgreSQL: a session advisory lock
on a connection held open while the service runs. Neither outlives a crashed process, so a
stale lock never keeps the service from starting again.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

from cocoon.errors import ServiceRunning, StoreError

#: The advisory lock's key: "cocoon" in ASCII, any constant other programs are unlikely to use.
PG_LOCK_KEY = 0x636F636F6F6E


def holder_note(started: datetime) -> str:
    """Who holds the lock: process id, host, since when."""
    return (
        f"pid {os.getpid()} on {socket.gethostname()} since {started.isoformat(timespec='seconds')}"
    )


@contextmanager
def service_lock(engine: Engine, started: datetime | None = None) -> Iterator[str]:
    """Hold the database's service lock for the block, or raise ServiceRunning naming the holder."""
    note = holder_note(started or datetime.now(UTC))
    if engine.dialect.name == "sqlite":
        with _file_lock(_lock_path(engine), note):
            yield note
    else:
        with engine.connect() as conn:
            _pg_lock(conn, note)
            try:
                yield note
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                conn.execute(text("SELECT set_config('application_name', '', false)"))
                conn.commit()


def lock_holder(engine: Engine) -> str | None:
    """Who runs the service on this database now, or None."""
    try:
        with service_lock(engine):
            return None
    except ServiceRunning as exc:
        return exc.holder


def _lock_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise StoreError("`cocoon serve` needs a database file or server, not an in-memory one")
    return Path(database).with_name(Path(database).name + ".serve.lock")


@contextmanager
def _file_lock(path: Path, note: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fh: IO[str] = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole block)
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            raise _running(fh.read().strip() or "another process") from None
        fh.seek(0)
        fh.truncate()
        fh.write(note + "\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()


def _pg_lock(conn: Connection, note: str) -> None:
    name = f"cocoon serve, {note}"[:63]  # PostgreSQL keeps 63 bytes of a name
    conn.execute(text("SELECT set_config('application_name', :n, false)"), {"n": name})
    got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar_one()
    conn.commit()
    if got:
        return
    holder = conn.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND (l.classid::bigint << 32 | l.objid::bigint) = :k LIMIT 1"
        ),
        {"k": PG_LOCK_KEY},
    ).scalar()
    raise _running(str(holder or "another process").removeprefix("cocoon serve, "))


def _running(holder: str) -> ServiceRunning:
    return ServiceRunning(
        f"another `cocoon serve` is already running on this database ({holder}); "
        "stop it first (e.g. `systemctl stop cocoon`), or give this one another --db",
        holder,
    )
