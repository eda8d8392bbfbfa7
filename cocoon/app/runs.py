"""The runs table: every job of the service, and `cocoon daily` by hand, on record.

A run is written when it starts (so a crash shows as an interrupted run) and when it ends,
each in its own short transaction beside the job's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cocoon.app.context import Context
from cocoon.errors import describe
from cocoon.store import lock
from cocoon.store import runs as run_store
from cocoon.store.runs import Run as Run  # what `cocoon status` lists

Clock = Callable[[], datetime]


@dataclass
class OpenRun:
    """A run in progress: the job fills in what it did, and may call itself idle or skipped."""

    run_id: int
    counts: dict[str, int] = field(default_factory=dict)
    outcome: str = "ok"
    error: str | None = None  # what went wrong in a run that went on (outcome "partial")


class RunCases:
    """The run records of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @contextmanager
    def record(
        self, job: str, trigger: str, day: date | None, started: datetime, clock: Clock
    ) -> Iterator[OpenRun]:
        """Keep one run: its start now, its end, outcome and counts (or error) when it is over."""
        with self.ctx.engine.begin() as conn:
            run = OpenRun(run_store.start_run(conn, job, trigger, day, started))
        try:
            yield run
        except BaseException as exc:
            error = describe(exc)
            with self.ctx.engine.begin() as conn:
                run_store.finish_run(conn, run.run_id, "failed", run.counts, error, clock())
            raise
        with self.ctx.engine.begin() as conn:
            run_store.finish_run(conn, run.run_id, run.outcome, run.counts, run.error, clock())

    def last(self, limit: int = 10) -> list[run_store.Run]:
        with self.ctx.engine.connect() as conn:
            return run_store.last_runs(conn, limit)

    def last_of(self, job: str) -> run_store.Run | None:
        with self.ctx.engine.connect() as conn:
            found = run_store.last_runs(conn, 1, job)
        return found[0] if found else None

    def daily_done(self, day: date) -> bool:
        with self.ctx.engine.connect() as conn:
            return run_store.daily_done(conn, day)

    def close_interrupted(self, now: datetime) -> int:
        """At service start: runs a dead process left marked running were cut off."""
        with self.ctx.engine.begin() as conn:
            return run_store.interrupt_running(conn, now)

    def prune(self, now: datetime) -> int:
        """Forget old polls that found nothing to do."""
        keep = timedelta(days=self.ctx.settings.service.keep_idle_runs_days)
        with self.ctx.engine.begin() as conn:
            return run_store.prune_idle(conn, now - keep)

    def service_lock(self, started: datetime) -> AbstractContextManager[str]:
        """Hold the database's one-service lock while the service runs; its holder's note."""
        return lock.service_lock(self.ctx.engine, started)

    def lock_holder(self) -> str | None:
        """Who runs the service on this database now (pid, host, since), if anyone."""
        return lock.lock_holder(self.ctx.engine)
