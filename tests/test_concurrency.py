"""Commands run at the same time, as they will be on a police area's machine: two ingests of one
file, an ingest while `zones` and `export` read, two `visits new`, the service beside a `daily`
by hand. None crashes, nothing is stored twice, no roster is planned twice, and a run that found
its work done says so. On SQLite, and on PostgreSQL when scripts/test.sh started one.
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests import hostile
from tests.hostile import Ran


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


def scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def listed(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def clean(*runs: Ran) -> None:
    """Each run ended with exit status 0 and no traceback."""
    for ran in runs:
        if ran.returncode != 0 or "Traceback" in ran.stdout + ran.stderr:
            pytest.fail(f"a run failed:\n{ran}", pytrace=False)


def twice(engine: Engine) -> list[str]:
    """What is stored twice: reports, their 'created' events, files, plans, stops, alerts."""
    checks = {
        "created event": "SELECT report_id FROM report_events WHERE kind = 'created' "
        "GROUP BY report_id HAVING count(*) > 1",
        "ingested file": "SELECT sha256 FROM ingested_files GROUP BY sha256 HAVING count(*) > 1",
        "address on two rosters": "SELECT address_id FROM visits GROUP BY address_id "
        "HAVING count(DISTINCT report_id) > 1",
        "stop of one report": "SELECT report_id FROM visits GROUP BY report_id, address_id "
        "HAVING count(*) > 1",
        "alert": "SELECT report_id FROM alerts GROUP BY report_id HAVING count(*) > 1",
    }
    found = [
        f"{what} twice: {row[0]}" for what, sql in checks.items() for row in listed(engine, sql)
    ]
    found += [
        f"the plan of {rid} says {stops} stops, {n} are stored"
        for rid, stops, n in listed(
            engine,
            "SELECT p.report_id, p.stops, (SELECT count(*) FROM visits v "
            "WHERE v.report_id = p.report_id) FROM visit_plans p",
        )
        if stops != n
    ]
    return found


def test_two_ingests_of_one_file_at_once_store_it_once_and_one_says_it_had_nothing_to_do(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    hostile.load_town(tmp_path, db_url)
    body, good = hostile.big_reports(3000, seed=7)
    (tmp_path / "big.csv").write_text(body, encoding="utf-8")
    first, second = (hostile.start(tmp_path, db_url, "ingest", "big.csv") for _ in range(2))
    runs = [hostile.finished(first, tmp_path), hostile.finished(second, tmp_path)]
    clean(*runs)
    new = [sum(int(n) for n in re.findall(r"(\d+) new", r.stdout)) for r in runs]
    assert sorted(new) == [0, good], "\n".join(map(str, runs))
    idle = runs[new.index(0)]
    assert re.search(r"\b0 new\b|waited|already", idle.stdout + idle.stderr), str(idle)
    assert scalar(engine, "SELECT count(*) FROM reports WHERE report_id LIKE 'K%'") == good
    assert scalar(engine, "SELECT count(*) FROM ingested_files WHERE name = 'big.csv'") == 1
    assert twice(engine) == []


def test_zones_and_export_read_while_an_ingest_writes(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    hostile.load_town(tmp_path, db_url)
    body, good = hostile.big_reports(4000, seed=8)
    (tmp_path / "big.csv").write_text(body, encoding="utf-8")
    writer = hostile.start(tmp_path, db_url, "ingest", "big.csv")
    readers = hostile.in_parallel(
        [
            lambda: hostile.run(tmp_path, db_url, "zones", "-o", "zones.geojson"),
            lambda: hostile.run(tmp_path, db_url, "export", "-o", "map.geojson"),
            lambda: hostile.run(tmp_path, db_url, "zones", "-o", "zones-2.geojson"),
            lambda: hostile.run(tmp_path, db_url, "export", "-o", "map-2.geojson"),
        ],
        workers=2,
    )
    clean(hostile.finished(writer, tmp_path), *readers)
    for name in ("zones.geojson", "map.geojson", "zones-2.geojson", "map-2.geojson"):
        assert (
            json.loads((tmp_path / name).read_text(encoding="utf-8"))["type"] == "FeatureCollection"
        )
    assert scalar(engine, "SELECT count(*) FROM reports WHERE report_id LIKE 'K%'") == good


def test_two_visits_new_at_once_plan_each_roster_once_and_no_door_twice(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    hostile.load_roster_town(tmp_path, db_url)
    started = [hostile.start(tmp_path, db_url, "visits", "new", "--out", "rosters") for _ in "ab"]
    runs = [hostile.finished(p, tmp_path) for p in started]
    clean(*runs)
    assert twice(engine) == []
    plans = dict(listed(engine, "SELECT report_id, stops FROM visit_plans"))
    assert sorted(plans) == hostile.ROSTER_REPORTS
    out = tmp_path / "rosters"
    assert hostile.half_written(out) == []
    for report_id, stops in plans.items():
        pdfs, csvs = (list(out.glob(f"*-{report_id}.{s}")) for s in ("pdf", "csv"))
        assert len(pdfs) == len(csvs) == 1, f"{report_id}: {pdfs} {csvs}"
        assert len(csvs[0].read_text(encoding="utf-8").splitlines()) == 1 + int(stops)
    told = [r.stdout for r in runs]
    assert sum(len(re.findall(r"^V\d\d: zone", t, re.M)) for t in told) == len(plans), told


def test_the_service_and_a_daily_list_by_hand_run_side_by_side(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    hostile.load_town(tmp_path, db_url)
    env = hostile.service_env(tmp_path)
    for k in range(3):
        hostile.drop(
            tmp_path / "inbox",
            f"drop-{k}.csv",
            "report_id,reported_at,address,premises\n"
            f'D{k},{hostile.ago(hours=4 - k)},"Storgatan {5 + 2 * k}, Kalmar",villa\n',
        )
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        service = hostile.start(tmp_path, db_url, "serve", env=env, stdout=sink, stderr=sink)
        try:
            by_hand = [
                hostile.run(tmp_path, db_url, "daily", "--out", f"daily-{n}", env=env)
                for n in range(2)
            ]
            alerted = hostile.wait_until(
                lambda: scalar(engine, "SELECT count(*) FROM alerts") >= 5, timeout=180
            )
            still_running = service.poll() is None
        finally:
            service.send_signal(signal.SIGTERM)
            code = service.wait(timeout=120)
    served = log.read_text(encoding="utf-8", errors="replace")
    clean(*by_hand)
    assert still_running and code == 0 and alerted, served[-3000:]
    events = [
        json.loads(line).get("event", "") for line in served.splitlines() if line.startswith("{")
    ]
    assert [e for e in events if e.endswith("failed")] == [], served[-3000:]
    assert (
        listed(engine, "SELECT job, outcome FROM runs WHERE outcome IN ('failed', 'running')") == []
    )
    for n in range(2):
        assert hostile.half_written(tmp_path / f"daily-{n}") == []
        assert list((tmp_path / f"daily-{n}").glob("daily-*.pdf"))
    assert twice(engine) == []


def test_a_second_ingest_of_the_same_file_after_the_first_changes_nothing(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """The ground the concurrent ingests stand on: one after the other, the second is idle."""
    hostile.load_town(tmp_path, db_url)
    body, good = hostile.big_reports(500, seed=9)
    (tmp_path / "big.csv").write_text(body, encoding="utf-8")
    first = hostile.run(tmp_path, db_url, "ingest", "big.csv")
    second = hostile.run(tmp_path, db_url, "ingest", "big.csv")
    clean(first, second)
    assert f"{good} new" in first.stdout and "0 new" in second.stdout
