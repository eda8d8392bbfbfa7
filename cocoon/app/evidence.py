"""Evidence use cases: the Knox near-repeat test, the back-test of the zones against the
baselines and the calibration of their radius and days, on an event file or on the stored
reports, read the same way (`file_events`, `stored_events`). Nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from cocoon import store
from cocoon.analysis.backtest import LARGEST_TRIED, LONGEST_TRIED, BacktestSettings, Replay
from cocoon.analysis.calibrate import SensitivityGrid, sensitivity
from cocoon.analysis.knox import KnoxSettings, knox
from cocoon.analysis.replay import History, ZoneRules
from cocoon.analysis.zonemaps import Register
from cocoon.app import reasons
from cocoon.app.context import Context
from cocoon.app.rules import visit_rules
from cocoon.config import RiskSettings
from cocoon.core.geo import lonlat_box
from cocoon.core.model import Premises
from cocoon.core.time import local_midnight
from cocoon.errors import InputError, StoreError
from cocoon.outputs.backtest_content import BacktestSummary, Calibration, Study, day_of
from cocoon.outputs.evidence_content import DataSource, KnoxTable
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
from cocoon.store import addresses as address_store
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

    def file_events(self, path: str | Path, now: datetime, tz: tzinfo | None = None) -> Events:
        """The events of a file: x,y,date, lat,lon,date, NRC's X,Y,date, or a report file of the
        input contract (validated as ingest validates it, as of `now`). `tz` (default: the
        installation's) is the zone of the file's times without an offset, into which times with
        one are converted: the local days the analyses count."""
        ctx, path = self.ctx, Path(path)
        zone = tz or ctx.tz
        text = read_text(path)
        id_column = ctx.settings.ingest.columns.get("report_id", "report_id")
        if not is_report_file(path, text, id_column):
            return read_event_file(path, text, zone, ctx.projection, ctx.settings.area.bbox)
        source = read_report_file(path, ctx.settings)
        if any(row.values.get("address") for row in source.rows):
            store.check_schema(ctx.engine)  # the register is in the database
        rules = replace(ctx.ingest_rules(source.rows, now), tz=zone)
        batch = validate(path.name, source.rows, rules, skipped=source.skipped)
        return report_events(path.name, batch, zone, ctx.projection)

    def stored_events(self, which: ReportFilter) -> Events:
        """The stored reports `which` selects, each at its risk start and its point in the
        metric CRS; reported_at is when the police knew of it."""
        ctx = self.ctx
        if which.first_day and which.last_day and which.first_day > which.last_day:
            raise InputError(reasons.PERIOD_BACKWARDS(first=which.first_day, last=which.last_day))
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

    def data_source(self, events: Events, which: ReportFilter | None) -> DataSource:
        """What an output says of the data: the file or the stored reports and their filter."""
        days = events.days()
        return DataSource(
            events=len(events),
            source=events.source,
            first_day=days[0] if days else None,
            last_day=days[1] if days else None,
            premises=tuple(p.value for p in self.premises(which)) if which else (),
            area=Path(which.area).name if which and which.area else "",
            rejected=len(events.rejections),
        )

    # --- the Knox test --------------------------------------------------------------------------

    def knox(self, events: Events, which: ReportFilter | None = None, **choices: Any) -> KnoxTable:
        """The Knox table of some events: `choices` are KnoxSettings fields (None: the default;
        the resolution is "date" when every time is a whole day, else "datetime")."""
        chosen = {name: value for name, value in choices.items() if value is not None}
        chosen.setdefault("resolution", "date" if events.whole_days else "datetime")
        try:
            settings = KnoxSettings(**chosen)
        except (TypeError, ValueError) as exc:
            raise InputError(reasons.KNOX_SETTINGS(reason=str(exc))) from None
        if len(events) < 2:
            what = events.source or reasons.STORED_REPORTS()
            raise InputError(reasons.KNOX_TOO_FEW(what=what, count=len(events)))
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

    # --- the back-test and the calibration ------------------------------------------------------

    def zone_rules(
        self,
        radius_m: float | None = None,
        high_risk_days: int | None = None,
        elevated_risk_days: int | None = None,
    ) -> ZoneRules:
        """The rules in use (the settings' `[risk]`), with any number given instead, checked as
        the settings check them."""
        r = self.ctx.rules
        chosen = {
            "radius_m": r.radius_m if radius_m is None else radius_m,
            "high_risk_days": r.high_risk_days if high_risk_days is None else high_risk_days,
            "elevated_risk_days": (
                r.elevated_risk_days if elevated_risk_days is None else elevated_risk_days
            ),
        }
        checked = _risk_numbers(chosen, "back-test")
        return ZoneRules(checked.radius_m, checked.high_risk_days, checked.elevated_risk_days)

    def backtest(
        self, events: Events, which: ReportFilter | None = None, rules: ZoneRules | None = None
    ) -> BacktestSummary:
        """The zones of `rules` (default: those in use) replayed over the events, against the
        baselines at the same area; doors counted where the installation's register covers
        the events' places."""
        z = rules or self.zone_rules()
        register, addresses = self.register(events, stored=which is not None)
        replay = self._replay(events, z, z.radius_m, z.total_days, register)
        return BacktestSummary(
            result=replay.backtest(z),
            study=_study(replay),
            data=self.data_source(events, which),
            addresses=addresses,
            language=self.ctx.settings.output.language,
        )

    def calibrate(
        self,
        events: Events,
        which: ReportFilter | None = None,
        grid: SensitivityGrid | None = None,
    ) -> Calibration:
        """Every radius and days of the grid (default: 100-800 m, high 7-28, elevated 28-84
        days) replayed over the events, against the rules in use, with the suggestion."""
        g = grid or SensitivityGrid()
        _check_grid(g)
        z = self.zone_rules()
        register, _ = self.register(events, stored=which is not None)
        radius = max(max(g.radii_m), z.radius_m)
        days = max(max(g.high_days) + max(g.elevated_days), z.total_days)
        replay = self._replay(events, z, radius, days, register)
        return Calibration(
            result=sensitivity(replay, z, g),
            grid=g,
            study=_study(replay),
            data=self.data_source(events, which),
            language=self.ctx.settings.output.language,
        )

    def register(self, events: Events, stored: bool) -> tuple[Register | None, int | None]:
        """The register's address points around the events, in their metric CRS, and how many:
        only when the events lie in the installation's CRS (stored reports, report files,
        lat/lon in the service area) and, for a file, the installation's database is there."""
        ctx = self.ctx
        if not len(events) or events.crs != ctx.projection.crs:
            return None, None
        if not stored and not self._database_ready():
            return None, None
        x0, x1 = float(events.x.min()), float(events.x.max())
        y0, y1 = float(events.y.min()), float(events.y.max())
        half = max(x1 - x0, y1 - y0) / 2 + LARGEST_TRIED
        box = lonlat_box(ctx.projection, (x0 + x1) / 2, (y0 + y1) / 2, half)
        with ctx.engine.connect() as conn:
            found = address_store.addresses_in_box(conn, *box)
        if not found:
            return None, None
        ax, ay = ctx.projection.to_metric([a.lon for a in found], [a.lat for a in found])
        return Register.of(ax, ay, visit_rules(ctx.settings)), len(found)

    def _database_ready(self) -> bool:
        """Whether the installation's database exists with its schema, without making one."""
        url = make_url(self.ctx.settings.database.url)
        if url.get_backend_name() == "sqlite":
            name = url.database or ""
            if name in ("", ":memory:") or url.query.get("uri") or not Path(name).is_file():
                return False
        try:
            store.check_schema(self.ctx.engine)
        except (StoreError, SQLAlchemyError):
            return False
        return True

    def _replay(
        self,
        events: Events,
        rules: ZoneRules,
        radius_m: float,
        days: int,
        register: Register | None,
    ) -> Replay:
        """The events prepared for zones up to `radius_m` and `days` (at least the grid's)."""
        what = events.source or reasons.STORED_REPORTS()
        try:
            history = History.of(events.x, events.y, events.t, events.known)
            return Replay(
                history,
                BacktestSettings(),
                max(radius_m, LARGEST_TRIED, rules.radius_m),
                max(days, LONGEST_TRIED, rules.total_days),
                register,
            )
        except ValueError as exc:
            raise InputError(
                reasons.EVENTS_UNUSABLE(what=what, count=len(events), reason=str(exc))
            ) from None


def _risk_numbers(values: dict[str, Any], what: str) -> RiskSettings:
    """Radius and days checked as the `[risk]` settings check them, so a suggestion can be
    pasted; a wrong one is a one-line error naming the setting."""
    try:
        return RiskSettings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        raise InputError(
            reasons.RISK_NUMBER(what=what, name=name, value=first.get("input"), reason=first["msg"])
        ) from None


def _check_grid(grid: SensitivityGrid) -> None:
    """Every radius and days of a grid within the settings' limits."""
    for name, values in (
        ("radius_m", grid.radii_m),
        ("high_risk_days", grid.high_days),
        ("elevated_risk_days", grid.elevated_days),
    ):
        if not values:
            raise InputError(reasons.GRID_EMPTY(name=name))
        for value in values:
            _risk_numbers({name: value}, "grid")


def _study(replay: Replay) -> Study:
    s = replay.settings
    return Study(
        first_day=day_of(replay.period.first),
        last_day=day_of(replay.period.last),
        warmup_days=replay.period.first - int(replay.history.day.min()),
        cells=replay.area.size,
        cell_m=s.cell_m,
        reach_m=max(s.reach_m, replay.largest_radius_m),
        area_km2=replay.area.area_km2,
        draws=s.draws,
    )
