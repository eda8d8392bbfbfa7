"""One service per database file, whatever path names it: the lock is the real file's, and it
holds where the system has no `fcntl` (Windows: `msvcrt`; elsewhere a lock file of pid and host)."""

from __future__ import annotations

import fcntl as real_fcntl
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, create_engine

from cocoon.errors import ServiceRunning
from cocoon.store import lock
from cocoon.store.lock import lock_holder, service_lock
from tests.servicetown import service_app

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "real" / "c.sqlite"
    path.parent.mkdir()
    path.touch()
    return path


@pytest.fixture
def engines(database: Path, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """The same database through its own path and through a symlink to the file."""
    (tmp_path / "alias.sqlite").symlink_to(database)
    one = create_engine(f"sqlite:///{database}")
    other = create_engine(f"sqlite:///{tmp_path / 'alias.sqlite'}")
    yield one, other
    one.dispose()
    other.dispose()


def test_a_second_service_through_a_symlink_to_the_database_is_refused(
    engines: tuple[Engine, Engine],
) -> None:
    one, other = engines
    refused = pytest.raises(ServiceRunning, match=f"pid {os.getpid()} on")
    with service_lock(one, NOW), refused, service_lock(other, NOW):
        pass
    assert lock_holder(other) is None


def test_the_lock_file_lies_beside_the_real_database_file(
    engines: tuple[Engine, Engine], database: Path
) -> None:
    one, other = engines
    relative = create_engine(f"sqlite:///{os.path.relpath(database)}")
    assert lock.lock_path(other) == lock.lock_path(one) == lock.lock_path(relative)
    assert lock.lock_path(one) == database.with_name("c.sqlite.serve.lock")


def test_a_real_second_cocoon_serve_through_a_symlink_is_refused(tmp_path: Path) -> None:
    from tests.test_service import Serving, environment

    app = service_app(f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path)
    app.engine.dispose()
    (tmp_path / "alias.sqlite").symlink_to(tmp_path / "c.sqlite")
    env = environment(app, poll_seconds="60")
    serving = Serving(tmp_path, env)
    try:
        serving.wait_for("service.started")
        second = subprocess.run(
            [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{tmp_path / 'alias.sqlite'}",
             "serve"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        assert serving.stop() == 0
    assert second.returncode == 1
    assert "already running on this database" in second.stderr
    assert f"pid {serving.process.pid} on" in second.stderr


# --- where fcntl does not exist -------------------------------------------------------------


@pytest.fixture
def no_file_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A system with neither fcntl nor msvcrt: the O_EXCL lock file is all there is."""
    monkeypatch.setattr(lock, "fcntl", None)
    monkeypatch.setattr(lock, "msvcrt", None)


@pytest.mark.usefixtures("no_file_locks")
def test_without_fcntl_a_second_service_is_refused_naming_the_first_and_the_file(
    database: Path,
) -> None:
    engine = create_engine(f"sqlite:///{database}")
    pid_file = database.with_name("c.sqlite.serve.lock.pid")
    with service_lock(engine, NOW) as holder:
        assert pid_file.read_text(encoding="utf-8").strip() == holder
        with pytest.raises(ServiceRunning) as refused, service_lock(engine, NOW):
            pass
        assert f"pid {os.getpid()} on {socket.gethostname()}" in str(refused.value)
        assert f"if it is gone, delete {pid_file}" in str(refused.value)
    assert not pid_file.exists() and lock_holder(engine) is None


def a_dead_pid() -> int:
    """The process id of a process that has ended (and been reaped)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


@pytest.mark.usefixtures("no_file_locks")
def test_without_fcntl_the_lock_of_a_process_that_is_gone_is_taken_over(database: Path) -> None:
    engine = create_engine(f"sqlite:///{database}")
    pid_file = database.with_name("c.sqlite.serve.lock.pid")
    pid_file.write_text(
        f"pid {a_dead_pid()} on {socket.gethostname()} since 2026-11-19T08:00:00+00:00\n",
        encoding="utf-8",
    )
    with service_lock(engine, NOW) as holder:
        assert f"pid {os.getpid()}" in holder
        assert pid_file.read_text(encoding="utf-8").strip() == holder
    assert not pid_file.exists()


@pytest.mark.usefixtures("no_file_locks")
def test_without_fcntl_the_lock_of_another_host_or_a_live_process_is_kept(
    database: Path,
) -> None:
    engine = create_engine(f"sqlite:///{database}")
    pid_file = database.with_name("c.sqlite.serve.lock.pid")
    for note in (
        "pid 4117 on polis-kalmar-02 since 2026-11-20T05:58:02+00:00",  # cannot be checked
        f"pid {os.getppid()} on {socket.gethostname()} since 2026-11-20T05:58:02+00:00",  # alive
        "",  # being written by a process starting this very moment
    ):
        pid_file.write_text(note, encoding="utf-8")
        with pytest.raises(ServiceRunning, match="already running"), service_lock(engine, NOW):
            pass
        assert pid_file.read_text(encoding="utf-8") == note


class FakeMsvcrt(SimpleNamespace):
    """Windows' msvcrt.locking as it behaves (a byte lock that another open of the file cannot
    take; dropped with the process), made of flock, and where each lock was placed."""

    LK_NBLCK = 2
    LK_UNLCK = 0

    def __init__(self) -> None:
        super().__init__(offsets=[])

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        self.offsets.append(os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_NBLCK:
            real_fcntl.flock(fd, real_fcntl.LOCK_EX | real_fcntl.LOCK_NB)  # OSError if taken
        else:
            real_fcntl.flock(fd, real_fcntl.LOCK_UN)


def test_on_windows_msvcrt_locks_a_byte_past_the_note_so_the_note_stays_readable(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMsvcrt()
    monkeypatch.setattr(lock, "fcntl", None)
    monkeypatch.setattr(lock, "msvcrt", fake)
    engine = create_engine(f"sqlite:///{database}")
    with service_lock(engine, NOW) as holder:
        with pytest.raises(ServiceRunning) as refused, service_lock(engine, NOW):
            pass
        assert refused.value.holder == holder
    assert lock_holder(engine) is None
    assert set(fake.offsets) == {lock.MSVCRT_OFFSET} and len(holder) < lock.MSVCRT_OFFSET
