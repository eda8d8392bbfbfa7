"""A stop while the service starts (SIGTERM from systemd, Ctrl-C at the terminal): a clean exit
with status 0, no traceback, no job run and no lock left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cocoon.app.installation import Installation
from cocoon.service.scheduler import Service
from tests.servicetown import service_app
from tests.support import AppSetup


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The service's start-up needs no second database: SQLite only."""
    return f"sqlite:///{tmp_path / 'c.sqlite'}"


@pytest.fixture
def app_setup() -> AppSetup:
    return service_app


def test_a_stop_asked_before_the_service_runs_ends_it_without_a_job(app: Installation) -> None:
    stopping = threading.Event()
    stopping.set()
    Service(app, stopping=stopping).run()
    assert app.runs.last() == [] and app.runs.lock_holder() is None


def test_a_stop_while_the_service_takes_its_lock_ends_it_before_the_scheduler_starts(
    app: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = Service(app)
    real_close = app.runs.close_interrupted

    def close_then_stop(now: object) -> int:
        service.stop()  # SIGTERM comes in here
        return real_close(now)  # type: ignore[arg-type]

    monkeypatch.setattr(app.runs, "close_interrupted", close_then_stop)
    service.run()
    assert app.runs.last() == [] and app.runs.lock_holder() is None


#: `serve` with a start-up that stops half-way (as opening a slow database does) until the test
#: has sent its signal: the handlers must already be in place then.
SLOW_START = """
import sys, time
from pathlib import Path
from cocoon.service.serving import serve
db, marks = sys.argv[1], Path(sys.argv[2])
def make_app():
    (marks / "starting").touch()
    while not (marks / "go-on").exists():
        time.sleep(0.02)
    from cocoon.cli.common import State
    return State(db, None).app(with_mail=True)
serve(make_app, "json")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_start_up_ends_the_service_cleanly(
    app: Installation, db_url: str, tmp_path: Path, signum: signal.Signals
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_START, db_url, str(marks)],
        cwd=tmp_path, env=environment, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (marks / "starting").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the service never came to start"
        time.sleep(0.02)
    process.send_signal(signum)
    (marks / "go-on").touch()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    (entry,) = [json.loads(line) for line in err.splitlines()]
    assert entry["event"] == "service.stopped" and entry["during"] == "start-up"
    assert app.runs.last() == [] and app.runs.lock_holder() is None
