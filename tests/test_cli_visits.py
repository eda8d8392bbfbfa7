"""`cocoon visits …` and `cocoon signs` as a user runs them: files, outcomes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cocoon.core.model import Dwelling
from tests.test_cli import NOW, cocoon, iso
from tests.towns import address, register_csv, villa_street

CONTRACT = ["sheet", "stop", "address_id", "address", "visit_kind", "distance_m"]


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """An initialised database with the town's register and two burglaries on Storgatan."""
    register = [
        *villa_street("Storgatan", 0, 0, 30),
        *villa_street("Åkervägen", 120, -200, 30),
        *[address("Parkgatan", "5", 60, 60, Dwelling.FLERBOSTADSHUS, f"pg5-{i}") for i in range(3)],
    ]
    (tmp_path / "register.csv").write_text(register_csv(register), encoding="utf-8")
    yesterday, today = iso(NOW - timedelta(days=1)), iso(NOW - timedelta(hours=2))
    (tmp_path / "reports.csv").write_text(
        "report_id,reported_at,address,premises\n"
        f'R1,{yesterday},"Storgatan 1, Kalmar",villa\n'
        f'R2,{today},"Storgatan 20, Kalmar",villa\n',
        encoding="utf-8",
    )
    for args in (("init",), ("load-addresses", "register.csv"), ("ingest", "reports.csv")):
        result = cocoon(tmp_path, *args)
        assert result.returncode == 0, result.stderr
    return tmp_path


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_visits_writes_the_pdf_and_the_contract_csv(town: Path) -> None:
    result = cocoon(town, "visits", "R1", "-o", "r1.pdf")
    assert result.returncode == 0, result.stderr
    assert (town / "r1.pdf").read_bytes().startswith(b"%PDF")
    text = (town / "r1.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == CONTRACT
    rows = _rows(text)
    assert rows and {r["visit_kind"] for r in rows} <= {"door", "stairwell"}
    assert "Storgatan-1" not in {r["address_id"] for r in rows}


def test_visits_again_prints_the_same_roster(town: Path) -> None:
    first = cocoon(town, "visits", "R1")
    again = cocoon(town, "visits", "R1")
    assert first.returncode == again.returncode == 0
    assert first.stdout == again.stdout and _rows(first.stdout)


def test_filled_in_roster_is_recorded_and_shows_in_the_status(town: Path) -> None:
    rows = _rows(cocoon(town, "visits", "R1").stdout)
    filled = io.StringIO()
    writer = csv.DictWriter(filled, [*CONTRACT, "outcome", "visited_at", "note"])
    writer.writeheader()
    for row, outcome in zip(rows, ["besökt", "ej hemma", "avböjde"], strict=False):
        writer.writerow(row | {"outcome": outcome, "visited_at": "", "note": "ok"})
    (town / "filled.csv").write_text(filled.getvalue(), encoding="utf-8")
    result = cocoon(town, "visits", "record", "filled.csv")
    assert result.returncode == 0, result.stderr
    assert "3 recorded" in result.stdout
    status = cocoon(town, "visits", "status")
    assert status.returncode == 0
    line = next(ln for ln in status.stdout.splitlines() if ln.startswith("Z-"))
    assert line.split()[-3:] == ["2", "1", str(len(rows) - 3)]


def test_one_stop_is_recorded_from_the_command_line(town: Path) -> None:
    first = _rows(cocoon(town, "visits", "R1").stdout)[0]["address_id"]
    result = cocoon(
        town, "visits", "record", "--report", "R1", "--address-id", first, "--outcome", "besökt"
    )
    assert result.returncode == 0 and "1 recorded" in result.stdout


def test_bad_outcome_row_is_named_and_the_good_rows_kept(town: Path) -> None:
    rows = _rows(cocoon(town, "visits", "R1").stdout)
    (town / "filled.csv").write_text(
        "address_id,outcome\n"
        f"{rows[0]['address_id']},besökt\n"
        f"{rows[1]['address_id']},hittade katten\n",
        encoding="utf-8",
    )
    result = cocoon(town, "visits", "record", "filled.csv")
    assert result.returncode == 1
    assert "filled.csv, line 3, field outcome" in result.stderr
    assert "1 recorded" in result.stdout


def test_visits_new_writes_rosters_for_every_report_waiting(town: Path) -> None:
    result = cocoon(town, "visits", "new", "--out", "rosters")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (town / "rosters").iterdir())
    assert len(names) == 4 and all(n.endswith((".pdf", ".csv")) for n in names)
    again = cocoon(town, "visits", "new", "--out", "rosters")
    assert "no report at high risk is waiting" in again.stdout


def test_unknown_report_fails_with_one_line(town: Path) -> None:
    result = cocoon(town, "visits", "R404")
    assert result.returncode == 1
    assert result.stderr.strip() == "cocoon: error: no report with id 'R404'"


def test_signs_writes_the_plan_in_each_format_and_lists_a_day(town: Path) -> None:
    for name in ("signs.geojson", "signs.csv", "signs.pdf"):
        result = cocoon(town, "signs", "-o", name)
        assert result.returncode == 0, result.stderr
        assert (town / name).stat().st_size > 0
    plan = json.loads((town / "signs.geojson").read_text(encoding="utf-8"))
    assert plan["type"] == "FeatureCollection"
    for report_id in ("R1", "R2"):
        for name in ("signs.geojson", "signs.csv"):
            assert f'"{report_id}"' not in (town / name).read_text(encoding="utf-8")
    tomorrow = (NOW + timedelta(days=1)).astimezone(ZoneInfo("Europe/Stockholm")).date()
    due = cocoon(town, "signs", "--due", tomorrow.isoformat())
    assert due.returncode == 0 and "to put up" in due.stdout


def test_signs_with_an_unknown_suffix_fails_with_one_line(town: Path) -> None:
    result = cocoon(town, "signs", "-o", "signs.docx")
    assert result.returncode == 2 and "unknown suffix" in result.stderr


#: `cocoon` with the roster's writing replaced: "raise" crashes there, "hang" stops there (to be
#: killed) after touching the marker file; either after the plan is stored.
STOPPED_WRITE = """
import sys, time
from pathlib import Path
import cocoon.outputs.files as files
how, marker = sys.argv[1], Path(sys.argv[2])
def stopped(roster, base):
    marker.touch()
    if how == "raise":
        raise KeyboardInterrupt
    time.sleep(600)
files.write_roster = stopped
from cocoon.cli.main import main
sys.argv = ["cocoon", *sys.argv[3:]]
main()
"""


def _stopped_visits_new(town: Path, how: str) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("COCOON_")}
    return subprocess.Popen(
        [sys.executable, "-c", STOPPED_WRITE, how, str(town / "stopped"),
         "--db", f"sqlite:///{town / 'c.sqlite'}", "visits", "new", "--out", "rosters"],
        cwd=town, env=environment, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _rerun_finishes_the_roster(town: Path) -> None:
    assert not (town / "rosters").exists() or not any((town / "rosters").iterdir())
    rerun = cocoon(town, "visits", "new", "--out", "rosters")
    assert rerun.returncode == 0, rerun.stderr
    # the plan and its files are one transaction: a run cut off between them stored neither, so
    # the rerun plans and writes R1 (a plan stored without files, by `visits R1`, is finished)
    assert "R1: zone " in rerun.stdout
    names = sorted(p.name for p in (town / "rosters").iterdir())
    assert len(names) == 4 and sum(n.endswith("-R1.pdf") for n in names) == 1
    again = cocoon(town, "visits", "new", "--out", "rosters")
    assert "no report at high risk is waiting" in again.stdout


def test_visits_new_cut_off_after_storing_a_plan_writes_its_roster_at_the_next_run(
    town: Path,
) -> None:
    crashed = _stopped_visits_new(town, "raise")
    _, err = crashed.communicate(timeout=120)
    assert crashed.returncode != 0 and (town / "stopped").exists(), err
    _rerun_finishes_the_roster(town)


def test_visits_new_killed_after_storing_a_plan_writes_its_roster_at_the_next_run(
    town: Path,
) -> None:
    running = _stopped_visits_new(town, "hang")
    deadline = time.monotonic() + 60
    while not (town / "stopped").exists():  # the plan of R1 is stored; its files are next
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, "visits new never came to write a roster"
        time.sleep(0.05)
    running.send_signal(signal.SIGKILL)
    running.communicate(timeout=60)
    assert running.returncode == -signal.SIGKILL
    _rerun_finishes_the_roster(town)


def test_visits_with_o_marks_the_plan_done_and_to_stdout_does_not(town: Path) -> None:
    assert cocoon(town, "visits", "R1").returncode == 0  # printed: no files were written
    result = cocoon(town, "visits", "new", "--out", "rosters")
    assert "R1: its plan" in result.stdout
    assert cocoon(town, "visits", "R2", "-o", "r2").returncode == 0
    again = cocoon(town, "visits", "new", "--out", "rosters")
    assert "no report at high risk is waiting" in again.stdout
