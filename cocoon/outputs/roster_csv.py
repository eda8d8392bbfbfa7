"""The visit list as CSV (README, "Visit roster"): one row per stop, in walking order.

UTF-8 without a byte-order mark and "\\n" line endings, like the rejects file, so scripts read
it as is; stops are numbered from 1 within each sheet, as on the printed roster.
"""

from __future__ import annotations

import csv
import io

from cocoon.outputs import register
from cocoon.outputs.content import Roster

HEADER = ("sheet", "stop", "address_id", "address", "visit_kind", "distance_m")


@register(Roster, "csv")
def roster_csv(content: Roster) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for sheet in content.plan.sheets:
        for number, stop in enumerate(sheet.stops, start=1):
            writer.writerow(
                [
                    sheet.number,
                    number,
                    stop.address_id,
                    stop.label,
                    stop.kind.value,
                    round(stop.distance_m),
                ]
            )
    return out.getvalue().encode("utf-8")
