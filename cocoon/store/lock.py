"""One service per database: a lock the operating system or the server drops with the process.

SQLite: a lock on a file beside the database file (symlinks resolved: the same database under
another path is the same lock): an exclusive `flock`, or on Windows an `msvcrt` byte lock.
PostgreSQL: a session advisory lock on a connection held open while the service runs. None of
these outlives a crashed process, so a stale lock never keeps the service from starting again.
Where neither file lock exists, a lock file made with O_EXCL holds the process id and host, and
one whose process is gone (on this host) is taken over.
"""

from __future__ import annotations

import importlib
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from sqlalchemy import Connection, Engine, text

from cocoon.errors import ServiceRunning, StoreError
from cocoon.fileio import file_mode, make_folder
from cocoon.store.reasons import SERVE_IN_MEMORY

#: The advisory lock's key: "cocoon" in ASCII, any constant other programs are unlikely to use.
PG_LOCK_KEY = 0x636F636F6F6E

#: Where the Windows lock sits in the lock file: past the holder's note, which stays readable
#: (a byte lock on Windows keeps other processes from reading the bytes it covers).
MSVCRT_OFFSET = 1 << 20


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


fcntl = _optional("fcntl")  # POSIX
msvcrt = _optional("msvcrt")  # Windows


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
        with file_lock(lock_path(engine), note):
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


def lock_path(engine: Engine) -> Path:
    """DB.serve.lock beside the database file itself: a symlink or another path to the same
    file gives the same lock."""
    database = engine.url.database
    if not database or database == ":memory:":
        raise StoreError(SERVE_IN_MEMORY())
    real = Path(os.path.realpath(database))
    return real.with_name(real.name + ".serve.lock")


@contextmanager
def file_lock(path: Path, note: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, with `note` in the file for others."""
    make_folder(path.parent)
    if fcntl is None and msvcrt is None:
        with _exclusive_file(path.with_name(path.name + ".pid"), note):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), file_mode(True))
    try:
        if not _os_lock(fd):
            raise _running(_read_note(fd) or "another process")
        _write_note(fd, note)
        try:
            yield
        finally:
            _write_note(fd, "")
            _os_unlock(fd)
    finally:
        os.close(fd)


def _os_lock(fd: int) -> bool:
    """Take the operating system's lock on the open file; False if another process has it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    assert msvcrt is not None
    os.lseek(fd, MSVCRT_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    assert msvcrt is not None
    os.lseek(fd, MSVCRT_OFFSET, os.SEEK_SET)
    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _read_note(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace").strip()


def _write_note(fd: int, note: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    if note:
        os.write(fd, (note + "\n").encode("utf-8"))


@contextmanager
def _exclusive_file(path: Path, note: str) -> Iterator[None]:
    """The lock where the system has no file locks: a file only one process can create.

    It holds the note (pid, host); one left by a process that is gone from this host is taken
    over. A lock file of another host is never taken over: its process cannot be checked.
    """
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _read_file(path)
            if _holder_alive(holder):
                raise _running(
                    f"{holder or 'another process'}; if it is gone, delete {path}"
                ) from None
            path.unlink(missing_ok=True)  # a dead process's lock: take it over
            continue
        try:
            os.write(fd, (note + "\n").encode("utf-8"))
        finally:
            os.close(fd)
        break
    else:
        raise _running(f"{_read_file(path) or 'another process'}; if it is gone, delete {path}")
    try:
        yield
    finally:
        if _read_file(path) == note:  # still ours
            path.unlink(missing_ok=True)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return ""


_NOTE = re.compile(r"^pid (\d+) on (\S+) since ")


def _holder_alive(holder: str) -> bool:
    """Whether the process a lock file names may still run: False only for a process of this
    host that is gone. A note that names no process (being written, or left half-written by a
    crash) counts as alive: the message names the file to delete."""
    found = _NOTE.match(holder)
    if found is None:
        return True
    pid, host = int(found.group(1)), found.group(2)
    if host != socket.gethostname() or os.name == "nt":
        return True  # cannot be checked from here: assume it runs
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # runs, as another user
    return True


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
