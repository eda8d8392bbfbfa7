"""The service's frequent job: take the inbox's ready files, then alert every newly zoned report.

The scheduler decides when it runs; what it does is here, a function of an explicit instant.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cocoon.app.alerts import AlertCases
from cocoon.app.inbox import InboxCases
from cocoon.app.runs import Clock, RunCases

POLL = "poll"


class PollCases:
    """The poll job of one installation."""

    def __init__(self, runs: RunCases, inbox: InboxCases, alerts: AlertCases) -> None:
        self.runs = runs
        self.inbox = inbox
        self.alerts = alerts

    def poll(
        self,
        now: datetime,
        trigger: str,
        clock: Clock,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        """One look into the inbox and one alert pass, kept on record with what they did."""
        with self.runs.record(POLL, trigger, None, now, clock) as run:
            taken = self.inbox.take(now, stopping)
            alerted = self.alerts.send(now, stopping)
            counts = {
                "files_ingested": len(taken.ingested),
                "files_rejected": len(taken.rejected),
                "files_duplicate": len(taken.duplicates),
                "files_waiting": len(taken.waiting),
                "reports_new": taken.reports_new,
                "reports_updated": taken.reports_updated,
                "alerts": len(alerted.alerted),
                "alerts_failed": len(alerted.failed),
                "mails_sent": alerted.mails_sent,
                "mails_failed": alerted.mails_failed,
            }
            run.counts = {k: v for k, v in counts.items() if v}
            if alerted.failed:
                run.outcome = "partial"
                run.error = "; ".join(f"{rid}: {why}" for rid, why in alerted.failed.items())
            elif not run.counts:
                run.outcome = "idle"
