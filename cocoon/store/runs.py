"""The service's job runs: when each started and ended, how it went and what it did."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, insert, select, update

from cocoon.store.schema import runs


@dataclass(frozen=True)
class Run:
    run_id: int
    job: str
    trigger: str
    day: date | None
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    counts: dict[str, int]
    error: str | None


def start_run(conn: Connection, job: str, trigger: str, day: date | None, at: datetime) -> int:
    """A new run, marked running until `finish_run` says how it went."""
    row = conn.execute(
        insert(runs).values(
            job=job, trigger=trigger, day=day, started_at=at, outcome="running", counts="{}"
        )
    )
    key = row.inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(
    conn: Connection,
    run_id: int,
    outcome: str,
    counts: dict[str, int],
    error: str | None,
    at: datetime,
) -> None:
    conn.execute(
        update(runs)
        .where(runs.c.run_id == run_id)
        .values(
            ended_at=at, outcome=outcome, counts=json.dumps(counts, sort_keys=True), error=error
        )
    )


def daily_done(conn: Connection, day: date) -> bool:
    """Whether a scheduled (or caught-up) daily run for `day` ended well: it is not made twice."""
    stmt = select(runs.c.run_id).where(
        runs.c.job == "daily",
        runs.c.day == day,
        runs.c.trigger != "manual",
        runs.c.outcome == "ok",
    )
    return conn.execute(stmt.limit(1)).first() is not None


def last_runs(conn: Connection, limit: int = 10, job: str | None = None) -> list[Run]:
    """The newest runs first."""
    stmt = select(runs).order_by(runs.c.started_at.desc(), runs.c.run_id.desc()).limit(limit)
    if job is not None:
        stmt = stmt.where(runs.c.job == job)
    return [_run(row) for row in conn.execute(stmt)]


def interrupt_running(conn: Connection, at: datetime) -> int:
    """Runs a stopped process left marked running: they were cut off, say so."""
    result = conn.execute(
        update(runs)
        .where(runs.c.outcome == "running")
        .values(outcome="interrupted", ended_at=at, error="the service stopped during the run")
    )
    return result.rowcount


def prune_idle(conn: Connection, before: datetime) -> int:
    """Forget polls that found nothing to do, from before `before`: 288 a day add up."""
    result = conn.execute(delete(runs).where(runs.c.outcome == "idle", runs.c.started_at < before))
    return result.rowcount


def _run(row: object) -> Run:
    m = row._mapping  # type: ignore[attr-defined]
    return Run(
        run_id=m["run_id"], job=m["job"], trigger=m["trigger"], day=m["day"],
        started_at=m["started_at"], ended_at=m["ended_at"], outcome=m["outcome"],
        counts=json.loads(m["counts"]), error=m["error"],
    )  # fmt: skip
