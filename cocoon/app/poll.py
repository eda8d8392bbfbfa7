"""The service's frequent job: take the inbox's ready files, then alert every newly zoned report.

The scheduler decides when it runs; what it does is here, a function of an explicit instant.
What goes wrong with one file or one alert is on the run's record (outcome "partial") while the
rest goes on; only a failing database ends a poll.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from cocoon.app.alerts import AlertCases
from cocoon.app.groups import GroupCases
from cocoon.app.inbox import STORE_FAILURES, InboxCases, InboxRound
from cocoon.app.runs import Clock, RunCases
from cocoon.errors import describe

POLL = "poll"

log = logging.getLogger("cocoon.poll")


class PollCases:
    """The poll job of one installation."""

    def __init__(
        self, runs: RunCases, inbox: InboxCases, alerts: AlertCases, groups: GroupCases
    ) -> None:
        self.runs = runs
        self.inbox = inbox
        self.alerts = alerts
        self.groups = groups

    def poll(
        self,
        now: datetime,
        trigger: str,
        clock: Clock,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        """One look into the inbox and one alert pass, kept on record with what they did."""
        with self.runs.record(POLL, trigger, None, now, clock) as run:
            taken, trouble = self._take(now, stopping)
            alerted = self.alerts.send(now, stopping)
            told = self.groups.send(now, stopping)
            counts = {
                "files_ingested": len(taken.ingested),
                "files_rejected": len(taken.rejected),
                "files_duplicate": len(taken.duplicates),
                "files_waiting": len(taken.waiting),
                "files_failed": len(taken.failed),
                "reports_new": taken.reports_new,
                "reports_updated": taken.reports_updated,
                "alerts": len(alerted.alerted),
                "alerts_failed": len(alerted.failed),
                "alerts_given_up": len(alerted.given_up),
                "mails_sent": alerted.mails_sent,
                "mails_failed": alerted.mails_failed,
                "group_messages": told.sent,
                "group_messages_failed": told.failed,
            }
            run.counts = {k: v for k, v in counts.items() if v}
            problems = [p for p in (trouble, taken.problems(), alerted.problems()) if p]
            if problems:  # what went wrong, while everything else went on
                run.outcome = "partial"
                run.error = "; ".join(problems)
            elif not run.counts:
                run.outcome = "idle"

    def _take(self, now: datetime, stopping: Callable[[], bool]) -> tuple[InboxRound, str | None]:
        """The inbox's round; an inbox that cannot be looked into (its folder unreadable) does
        not keep the alerts from going out. A failing database ends the poll."""
        try:
            return self.inbox.take(now, stopping), None
        except STORE_FAILURES:
            raise
        except Exception as exc:
            log.exception("the inbox could not be read", extra={"event": "inbox.failed"})
            return InboxRound(), f"inbox: {describe(exc)}"
