"""Evidence use cases: the Knox near-repeat test on an event file or on the stored reports.

The back-test of the zones and the medborgarlöfte follow-up join them here; they read events
the same way (`file_events`, `stored_events`). Nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from cocoon import store
from cocoon.analysis.knox import KnoxSettings, knox
from cocoon.app.context import Context
from cocoon.core.model import Premises
from cocoon.core.time import local_midnight
from cocoon.errors import InputError
from cocoon.outputs.evidence_content import KnoxTable
from cocoon.sources.csvfile import read_text
from cocoon.sources.events import (
    Events,
    is_report_file,
    local_days,
    read_event_file,
    report_events,
)
from cocoon.sources.report_rows import validate
from cocoon.sources.reports import read_report_file
from cocoon.store import evidence as evidence_store


@dataclass(frozen=True)
class ReportFilter:
    """Which stored reports an analysis takes: risk start from `first_day` to `last_day` (local
    days, both included), these premises (None: those the zones count) and inside the
    polygons of the `area` file. Attempts count as the zones count them (risk.count_attempts)."""

    first_day: date | None = None
    last_day: date | None = None
    premises: tuple[Premises, ...] | None = None
    area: str | None = None


class EvidenceCases:
    """The evidence use cases of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # --- events -------------------------------------------------------------------------------

    def file_events(self, path: str | Path, now: datetime) -> Events:
        """The events of a file: x,y,date, lat,lon,date, NRC's X,Y,date, or a report file of the
        input contract (validated as ingest validates it, as of `now`)."""
        ctx, path = self.ctx, Path(path)
        text = read_text(path)
        id_column = ctx.settings.ingest.columns.get("report_id", "report_id")
        if not is_report_file(path, text, id_column):
            return read_event_file(path, text, ctx.tz, ctx.projection, ctx.settings.area.bbox)
        source = read_report_file(path, ctx.settings)
        if any(row.values.get("address") for row in source.rows):
            store.check_schema(ctx.engine)  # the register is in the database
        rules = ctx.ingest_rules(source.rows, now)
        batch = validate(path.name, source.rows, rules, skipped=source.skipped)
        return report_events(path.name, batch, ctx.tz, ctx.projection)

    def stored_events(self, which: ReportFilter) -> Events:
        """The stored reports `which` selects, each at its risk start and its point in the
        metric CRS; reported_at is when the police knew of it."""
        ctx = self.ctx
        if which.first_day and which.last_day and which.first_day > which.last_day:
            raise InputError(
                f"the period {which.first_day} – {which.last_day} ends before it starts"
            )
        since = local_midnight(which.first_day, ctx.tz) if which.first_day else None
        end = which.last_day + timedelta(days=1) if which.last_day else None
        until = local_midnight(end, ctx.tz) if end else None
        with ctx.engine.connect() as conn:
            found = evidence_store.located_reports(conn, since, until)
        premises = set(self.premises(which))
        keep = np.array([p in premises for p in found.premises], dtype=bool)
        if not ctx.rules.count_attempts:
            keep &= ~found.attempt
        if which.area:
            import shapely

            from cocoon.sources.boundary import read_boundary

            keep &= shapely.intersects_xy(read_boundary(which.area), found.lon, found.lat)
        x, y = ctx.projection.to_metric(found.lon[keep], found.lat[keep])
        chosen = np.flatnonzero(keep)
        return Events(
            source="",
            form="stored",
            x=x,
            y=y,
            t=local_days((found.risk_start[i] for i in chosen), ctx.tz),
            known=local_days((found.reported_at[i] for i in chosen), ctx.tz),
            crs=ctx.projection.crs,
        )

    def premises(self, which: ReportFilter) -> tuple[Premises, ...]:
        """The premises an analysis of stored reports counts, in the order of the list of kinds."""
        chosen = set(which.premises or self.ctx.rules.counted_premises)
        return tuple(p for p in Premises if p in chosen)

    # --- the Knox test --------------------------------------------------------------------------

    def knox(self, events: Events, which: ReportFilter | None = None, **choices: Any) -> KnoxTable:
        """The Knox table of some events: `choices` are KnoxSettings fields (None: the default;
        the resolution is "date" when every time is a whole day, else "datetime")."""
        chosen = {name: value for name, value in choices.items() if value is not None}
        chosen.setdefault("resolution", "date" if events.whole_days else "datetime")
        try:
            settings = KnoxSettings(**chosen)
        except (TypeError, ValueError) as exc:
            raise InputError(f"Knox test: {exc}") from None
        if len(events) < 2:
            what = events.source or "the stored reports"
            raise InputError(
                f"{what}: {len(events)} event(s) with a place and a time; "
                "the Knox test needs at least 2"
            )
        result = knox(events.x, events.y, events.t, settings)
        days = events.days()
        return KnoxTable(
            result=result,
            source=events.source,
            first_day=days[0] if days else None,
            last_day=days[1] if days else None,
            premises=tuple(p.value for p in self.premises(which)) if which else (),
            area=Path(which.area).name if which and which.area else "",
            rejected=len(events.rejections),
            language=self.ctx.settings.output.language,
        )
