"""The medborgarlöfte follow-up: read a period's records, compute its figures, hand them to the
renderers (PDF, CSV) as one content record. Takes an explicit `now`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cocoon.analysis.followup import (
    FollowUp,
    Period,
    Reference,
    follow_up,
    monthly_counts,
    reference_from_file,
    reference_period,
)
from cocoon.app.context import Context
from cocoon.app.rules import sign_rules
from cocoon.core.model import Level
from cocoon.outputs.followup_content import FollowUpReport
from cocoon.sources.reference import read_reference
from cocoon.store import followup as store


class FollowUpCases:
    """The follow-up of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def report(
        self,
        period: Period,
        now: datetime,
        *,
        reference: Period | None = None,
        reference_file: str | Path | None = None,
        public: bool = False,
    ) -> FollowUpReport:
        """The follow-up of `period` as the database holds it at `now`, public or internal.

        The reference is a period in the database (a year for a shorter period means the same
        days that year), or the monthly counts of `reference_file` (with `reference` a year that
        chooses its months); none gives the counts alone.
        """
        ctx = self.ctx
        output = ctx.settings.output
        figures = self.figures(period, now, reference=reference, reference_file=reference_file)
        return FollowUpReport(
            figures=figures,
            public=public,
            area_name=ctx.settings.area.name,
            made_at=now,
            tz=ctx.tz,
            radius_m=ctx.rules.radius_m,
            elevated_risk_days=ctx.rules.elevated_risk_days,
            reference_from_file=reference_file is not None,
            language=output.language,
            csv_format=output.csv_format,
        )

    def figures(
        self,
        period: Period,
        now: datetime,
        *,
        reference: Period | None = None,
        reference_file: str | Path | None = None,
    ) -> FollowUp:
        """The figures of `period` (see `cocoon.analysis.followup.follow_up`)."""
        ctx, rules = self.ctx, self.ctx.rules
        wanted = self._reference(period, reference, reference_file)
        start, end = period.bounds(ctx.tz)
        with ctx.engine.connect() as conn:
            reports = store.reports_between(conn, start - rules.lookback, end)
            plans = store.plans_between(conn, start, end)
            stops = store.stops_of(conn, [p.report_id for p in plans])
            signs = store.signs_between(conn, period.first, period.last)
            known = {r.report_id for r in reports}
            others = {p.report_id for p in plans} | {i for s in signs for i in s.report_ids}
            reports += store.reports_by_id(conn, others - known)
            plan_days = store.sign_plan_days(conn, period.first, period.last)
            alerts = store.alerts_between(conn, start, end)
            if isinstance(wanted, Period):
                ref_start, ref_end = wanted.bounds(ctx.tz)
                counted = store.reports_between(conn, ref_start, ref_end)
                named = reference.label if reference is not None else None  # '2015', not 2015-T1
                wanted = monthly_counts(counted, wanted, rules, named)
        down_at = Level.HIGH if sign_rules(ctx.settings).take_down == "high" else Level.ELEVATED
        return follow_up(
            period, reports, plans, stops, signs, rules, ctx.projection,
            reference=wanted, alerts=alerts, sign_plan_days=plan_days, signs_down_at=down_at,
            as_of=now.astimezone(ctx.tz).date(),
        )  # fmt: skip

    @staticmethod
    def _reference(
        period: Period, reference: Period | None, reference_file: str | Path | None
    ) -> Reference | Period | None:
        """The reference's counts from a file, or the period of the database to count."""
        if reference_file is not None:
            path = Path(reference_file)
            return reference_from_file(path.name, read_reference(path), period, reference)
        if reference is not None:
            return reference_period(period, reference)
        return None
