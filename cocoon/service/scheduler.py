"""`cocoon serve`: the scheduler wiring. Two jobs with fixed ids, each a function of an instant.

- poll, every `service.poll_seconds`: take the inbox's files, then alert newly zoned reports.
- daily, at `service.daily_time` local time: the daily zone list, once per calendar day. The
  autumn DST night fires a 02:30 cron twice; the second finds the day done and is skipped. A
  list missed while the service was down is made once at start if at most
  `service.daily_grace_hours` late.

APScheduler 3.11 runs the jobs one at a time on one worker thread. A stop (SIGTERM, SIGINT)
lets the job in progress finish its current file or alert and then ends.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from cocoon.app.daily import DAILY
from cocoon.app.installation import Installation
from cocoon.app.poll import POLL
from cocoon.app.runs import Clock
from cocoon.config import Settings
from cocoon.core.time import local_midnight

log = logging.getLogger("cocoon.service")


def utc_now() -> datetime:
    return datetime.now(UTC)


def daily_trigger(settings: Settings) -> CronTrigger:
    """The daily run's cron in the area's time zone."""
    clock = settings.service.daily_clock
    return CronTrigger(hour=clock.hour, minute=clock.minute, timezone=settings.area.timezone)


def poll_trigger(settings: Settings) -> IntervalTrigger:
    return IntervalTrigger(seconds=settings.service.poll_seconds, timezone=settings.area.timezone)


def daily_fire(settings: Settings, day: date) -> datetime:
    """When the daily run of local `day` fires (a time the spring night skips moves on)."""
    start = local_midnight(day, daily_trigger(settings).timezone)
    fire: datetime | None = daily_trigger(settings).get_next_fire_time(None, start)
    assert fire is not None  # a daily cron always fires again
    return fire


def daily_day(settings: Settings, now: datetime) -> date:
    """The calendar day whose list is due at `now`: today once today's run time has come."""
    today = now.astimezone(daily_trigger(settings).timezone).date()
    return today if now >= daily_fire(settings, today) else today - timedelta(days=1)


def catch_up(settings: Settings, now: datetime, done: bool) -> datetime | None:
    """The missed run to make at start: the due day's fire time, if not done and not too late."""
    fire = daily_fire(settings, daily_day(settings, now))
    grace = timedelta(hours=settings.service.daily_grace_hours)
    return None if done or now - fire > grace else fire


@dataclass(frozen=True)
class NextRuns:
    poll: datetime
    daily: datetime


def next_runs(settings: Settings, now: datetime, last_poll: datetime | None) -> NextRuns:
    """When the jobs fire next, as a running service would: what `cocoon status` shows."""
    poll = now
    if last_poll is not None:
        poll = max(now, last_poll + timedelta(seconds=settings.service.poll_seconds))
    daily: datetime | None = daily_trigger(settings).get_next_fire_time(None, now)
    assert daily is not None
    return NextRuns(poll, daily)


class Service:
    """The jobs of one installation and the scheduler that runs them."""

    def __init__(
        self, app: Installation, clock: Clock = utc_now, stopping: threading.Event | None = None
    ) -> None:
        self.app = app
        self.clock = clock
        # set by stop(), or by the signal handlers `serve` installs before the service is made
        self.stopping = stopping or threading.Event()
        self._catching_up = False

    # --- the jobs: functions of an explicit instant -------------------------------------

    def poll(self, now: datetime, trigger: str = "schedule") -> None:
        """Take the inbox's ready files, then alert every newly zoned report."""
        self.app.poll.poll(now, trigger, self.clock, self.stopping.is_set)

    def daily(
        self,
        now: datetime,
        trigger: str = "schedule",
        day: date | None = None,
        out_dir: Path | None = None,
    ) -> list[Path]:
        """The daily list of `day` (default: the one due at `now`), made at `now`."""
        day = day or daily_day(self.app.settings, now)
        return self.app.daily.make(now, trigger, day, out_dir, self.clock)

    # --- the scheduler ------------------------------------------------------------------

    def scheduler(self, now: datetime) -> BackgroundScheduler:
        """The scheduler with both jobs; not started. A missed daily run is due at once."""
        settings = self.app.settings
        grace = int(settings.service.daily_grace_hours * 3600)
        scheduler = BackgroundScheduler(
            timezone=settings.area.timezone,
            executors={"default": ThreadPoolExecutor(max_workers=1)},  # one job at a time
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        scheduler.add_job(
            self._poll_job, poll_trigger(settings), id=POLL, name="look into the inbox, alert",
            replace_existing=True, next_run_time=now,
            misfire_grace_time=settings.service.poll_seconds,
        )  # fmt: skip
        trigger = daily_trigger(settings)
        first = catch_up(settings, now, self.app.runs.daily_done(daily_day(settings, now)))
        if first is not None:
            self._catching_up = True
            log.info("daily list of %s was missed; making it now", daily_day(settings, now),
                     extra={"event": "daily.catch_up"})  # fmt: skip
        else:
            first = trigger.get_next_fire_time(None, now)
        scheduler.add_job(
            self._daily_job, trigger, id=DAILY, name="daily zone list",
            replace_existing=True, misfire_grace_time=grace, next_run_time=first,
        )  # fmt: skip
        return scheduler

    def run(self) -> None:
        """Hold the database's service lock and run the jobs until `stop()` is called.

        A stop asked for while the service starts ends it before any job runs."""
        if self._stopped_early():
            return
        started = self.clock()
        with self.app.runs.service_lock(started) as holder:
            if self._stopped_early():
                return
            interrupted = self.app.runs.close_interrupted(started)
            if interrupted:
                log.warning("%d run(s) were cut off when the service last stopped", interrupted,
                            extra={"event": "runs.interrupted"})  # fmt: skip
            scheduler = self.scheduler(started)
            if self._stopped_early():
                return
            scheduler.start()
            log.info(
                "cocoon serve started (%s)", holder,
                extra={"event": "service.started", "jobs": {
                    job.id: job.next_run_time.isoformat() for job in scheduler.get_jobs()
                }},
            )  # fmt: skip
            self.stopping.wait()
            log.info(
                "stopping: letting the job in progress finish", extra={"event": "service.stopping"}
            )
            scheduler.shutdown(wait=True)
        log.info("cocoon serve stopped", extra={"event": "service.stopped"})

    def stop(self) -> None:
        self.stopping.set()

    def _stopped_early(self) -> bool:
        """Whether a stop came while the service was starting: then it ends at once, cleanly."""
        if not self.stopping.is_set():
            return False
        log.info(
            "cocoon serve stopped while starting: no job was run",
            extra={"event": "service.stopped", "during": "start-up"},
        )
        return True

    def _poll_job(self) -> None:
        self._guarded(POLL, lambda: self.poll(self.clock()))

    def _daily_job(self) -> None:
        trigger = "catch-up" if self._catching_up else "schedule"
        self._catching_up = False
        self._guarded(DAILY, lambda: self.daily(self.clock(), trigger))

    def _guarded(self, job: str, work: Any) -> None:
        """A failed job is logged and on record; the service goes on to its next run."""
        if self.stopping.is_set():
            return
        try:
            work()
        except Exception:
            log.exception("%s failed", job, extra={"event": f"{job}.failed"})
