"""The daily list as CSV: the zones (`csv`) and today's signs (`signs.csv`), for scripts.

In the paper's CSV format (`cocoon.outputs.csv_table`); levels and actions as their machine
names, dates as local ISO dates. No report id, burgled address or burglary point, as on the
paper list.
"""

from __future__ import annotations

from cocoon.outputs import register
from cocoon.outputs.content import DailyPaper
from cocoon.outputs.csv_table import csv_table
from cocoon.outputs.daily_common import local_day

ZONES_HEADER = (
    "zone_id",
    "level",
    "streets",
    "days_left",
    "level_until",
    "then_elevated_until",
    "reports",
    "new_reports_24h",
)
SIGNS_HEADER = ("action", "sign_id", "zone_id", "description", "put_up", "take_down")
#: How the streets of a zone are joined in one cell; no street name holds it.
STREET_SEPARATOR = "; "


@register(DailyPaper, "csv")
def daily_csv(content: DailyPaper) -> bytes:
    """One row per active zone, in the list's order (most urgent first)."""
    tz = content.tz
    return csv_table(
        ZONES_HEADER,
        (
            (
                z.zone_id,
                z.level.value,
                STREET_SEPARATOR.join(z.streets),
                z.days_left,
                local_day(z.level_until, tz),
                "" if z.then_elevated_until is None else local_day(z.then_elevated_until, tz),
                z.reports,
                z.new_reports,
            )
            for z in content.daily.zones
        ),
        content.csv_format,
    )


@register(DailyPaper, "signs.csv")
def daily_signs_csv(content: DailyPaper) -> bytes:
    """Today's errands: the signs to put up, then those to take down."""
    daily = content.daily
    listed = [("put_up", s) for s in daily.put_up] + [("take_down", s) for s in daily.take_down]
    return csv_table(
        SIGNS_HEADER,
        (
            (
                action,
                s.sign_id,
                s.zone_id,
                s.description,
                s.put_up.isoformat(),
                s.take_down.isoformat(),
            )
            for action, s in listed
        ),
        content.csv_format,
    )
