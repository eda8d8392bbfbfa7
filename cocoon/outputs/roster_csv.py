"""The visit list as CSV (README, "Visit roster"): one row per stop, in walking order.

In the roster's CSV format (`cocoon.outputs.csv_table`); stops are numbered from 1 within each
sheet, as on the printed roster.
"""

from __future__ import annotations

from cocoon.outputs import register
from cocoon.outputs.content import Roster
from cocoon.outputs.csv_table import csv_table

HEADER = ("sheet", "stop", "address_id", "address", "visit_kind", "distance_m")


@register(Roster, "csv")
def roster_csv(content: Roster) -> bytes:
    rows = (
        (
            sheet.number,
            number,
            stop.address_id,
            stop.label,
            stop.kind.value,
            round(stop.distance_m),
        )
        for sheet in content.plan.sheets
        for number, stop in enumerate(sheet.stops, start=1)
    )
    return csv_table(HEADER, rows, content.csv_format)
