"""The service as a whole: one per database, and `cocoon serve` run as a process — a file
dropped into the inbox comes out as a roster, and SIGTERM stops it cleanly."""

from __future__ import annotations

import configparser
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.errors import ServiceRunning
from cocoon.store.lock import lock_holder, service_lock
from tests.servicetown import NOW, drop, report_csv, service_app
from tests.support import AppSetup


@pytest.fixture
def app_setup() -> AppSetup:
    return service_app


def test_a_second_service_on_the_same_database_is_refused_naming_the_first(
    app: Installation,
) -> None:
    with service_lock(app.engine, NOW) as holder:
        assert f"pid {os.getpid()}" in holder
        refused_by = pytest.raises(ServiceRunning, match="already running on this database")
        with refused_by as refused, service_lock(app.engine, NOW):
            pass
        assert f"pid {os.getpid()}" in str(refused.value)
        assert lock_holder(app.engine) is not None
    assert lock_holder(app.engine) is None


def test_the_lock_is_free_again_after_the_service_stops(app: Installation) -> None:
    with service_lock(app.engine, NOW):
        pass
    with service_lock(app.engine, NOW) as holder:
        assert holder


def environment(app: Installation, **extra: str) -> dict[str, str]:
    """The process environment of a service with `app`'s folders and these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    for key, value in app.settings.service:
        if key.endswith("_dir") or key == "alert_log":
            env[f"COCOON_SERVICE__{key.upper()}"] = str(value)
    env.update({f"COCOON_SERVICE__{k.upper()}": v for k, v in extra.items()})
    return env


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cocoon.cli", "--db", f"sqlite:///{root / 'c.sqlite'}", *args]


class Serving:
    """`cocoon serve` as a child process, its JSON log lines read as they come."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command(root, "serve"), cwd=root, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert self.process.stderr is not None
        os.set_blocking(self.process.stderr.fileno(), False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stderr, selectors.EVENT_READ)
        self.buffer = b""
        self.lines: list[dict[str, object]] = []

    def wait_for(self, event: str, timeout: float = 60) -> dict[str, object]:
        """The first log entry with this event, reading the log as the service writes it."""
        deadline = time.monotonic() + timeout
        while True:
            for entry in self.lines:
                if entry.get("event") == event:
                    return entry
            left = deadline - time.monotonic()
            ended = self.process.poll() is not None
            if left <= 0 or (not self._read(max(left, 0)) and ended):
                raise AssertionError(f"no {event!r} in the service's log: {self.lines}")

    def _read(self, timeout: float) -> bool:
        """Read what the service has logged, waiting up to `timeout` s; False on nothing."""
        if not self.selector.select(timeout):
            return False
        assert self.process.stderr is not None
        chunk = self.process.stderr.read() or b""
        self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\n")
        for raw in complete:
            try:
                self.lines.append(json.loads(raw))
            except json.JSONDecodeError:
                self.lines.append({"event": None, "raw": raw.decode("utf-8", "replace")})
        return bool(chunk)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        while self._read(0):
            pass
        return code


def test_serve_turns_a_dropped_file_into_a_roster_and_stops_on_sigterm(tmp_path: Path) -> None:
    app = service_app(f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path)
    app.engine.dispose()
    env = environment(app, poll_seconds="1", settle_seconds="0")
    inbox = Path(app.settings.service.inbox_dir)
    serving = Serving(tmp_path, env)
    try:
        serving.wait_for("service.started")
        second = subprocess.run(
            command(tmp_path, "serve"), cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert second.returncode == 1
        assert "already running on this database" in second.stderr
        now = datetime.now(UTC)
        drop(inbox, "reports.csv", report_csv(("R1", now - timedelta(hours=1), "Storgatan 1")),
             written=now - timedelta(seconds=5))  # fmt: skip
        ingested = serving.wait_for("inbox.ingested")
        alert = serving.wait_for("alert")
        assert ingested["file"] == "reports.csv" and alert["report_id"] == "R1"
        folder = tmp_path / str(alert["folder"])
        assert (folder / "roster.pdf").read_bytes().startswith(b"%PDF")
        assert (folder / "roster.csv").is_file()
    finally:
        code = serving.stop()
    assert code == 0
    serving.wait_for("service.stopped")
    assert not any(inbox.iterdir())
    status = subprocess.run(
        command(tmp_path, "status"), cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert status.returncode == 0, status.stderr
    assert "service: not running" in status.stdout
    assert "files_ingested=1" in status.stdout and "alerts=1" in status.stdout


def test_systemd_unit_starts_the_service_with_a_config_and_stops_it_with_sigterm() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(Path(__file__).resolve().parents[1] / "scripts" / "cocoon.service")
    service = unit["Service"]
    program, *args = service["ExecStart"].split()
    assert program.endswith("/cocoon") and args == ["serve"]
    assert service["Environment"].startswith("COCOON_CONFIG=")
    assert service["KillSignal"] == "SIGTERM" and int(service["TimeoutStopSec"]) >= 60
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert service["WorkingDirectory"] in service["ReadWritePaths"].split()
