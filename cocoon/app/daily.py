"""The daily zone list: what patrols read each morning, and the job that makes it once a day.

The scheduler decides when the job runs and which day's list is due; everything the job does
is here, a function of an explicit instant.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from cocoon.app.context import Context
from cocoon.app.exports import ExportCases
from cocoon.app.runs import Clock, RunCases
from cocoon.app.signs import SignCases
from cocoon.core.daily import daily_list
from cocoon.core.profile import Profile
from cocoon.core.risk import Zone
from cocoon.core.roads import road_lines
from cocoon.outputs.content import DailyPaper
from cocoon.outputs.files import write_daily

log = logging.getLogger("cocoon.daily")

DAILY = "daily"


class DailyCases:
    """The daily list of one installation."""

    def __init__(
        self, ctx: Context, signs: SignCases, exports: ExportCases, runs: RunCases
    ) -> None:
        self.ctx = ctx
        self.signs = signs
        self.exports = exports
        self.runs = runs

    def list_for(self, at: datetime, day: date, zones: list[Zone] | None = None) -> DailyPaper:
        """The list for local `day` as it stands at `at`, from the stored sign plan."""
        ctx = self.ctx
        if zones is None:
            zones = ctx.zones(at)
        due = self.signs.due(day)
        with ctx.engine.connect() as conn:
            roads = ctx.roads_around(conn, zones)
            addresses = ctx.addresses_around(conn, zones)
        daily = daily_list(
            day, at, zones, road_lines(roads, ctx.projection), addresses, due.put_up, due.take_down
        )
        output = ctx.settings.output
        return DailyPaper(
            daily, ctx.projection, ctx.tz, output.language, ctx.settings.area.name,
            csv_format=output.csv_format,
        )  # fmt: skip

    def make(
        self, now: datetime, trigger: str, day: date, folder: Path | None, clock: Clock
    ) -> list[Path]:
        """Bring the sign plan up to `now` and write the list of `day` with the day's map.

        Scheduled and catch-up runs make a day's list once; a second fire on the same day
        (the autumn DST night) is kept on record as skipped. A run by hand always makes it.
        """
        folder = folder or Path(self.ctx.settings.service.daily_dir)
        with self.runs.record(DAILY, trigger, day, now, clock) as run:
            if trigger != "manual" and self.runs.daily_done(day):
                run.outcome = "skipped"
                log.info("daily list of %s already made", day, extra={"event": "daily.skipped"})
                return []
            zones = self.ctx.zones(now)
            self.signs.plan_forward(now, zones)
            paper = self.list_for(now, day, zones)
            day_map = self.exports.map(now, Profile.INTERNAL, zones)  # patrols: exact zones, signs
            written = write_daily(paper, folder, day_map)
            listed = paper.daily
            run.counts = {
                "zones": len(listed.zones),
                "high": listed.high,
                "elevated": listed.elevated,
                "signs_up": len(listed.put_up),
                "signs_down": len(listed.take_down),
            }
        log.info(
            "daily list of %s: %d zones, %d signs up, %d down; %s",
            day, len(listed.zones), len(listed.put_up), len(listed.take_down), written[0],
            extra={"event": "daily.made", "files": [str(p) for p in written]},
        )  # fmt: skip
        self.runs.prune(now)
        return written
