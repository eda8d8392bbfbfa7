"""The sign plan as CSV: one row per sign as in the GeoJSON, with its WGS 84 lon and lat.

UTF-8 without a byte-order mark and "\\n" line endings like the other CSV files; `on_road` is
`true`/`false` as in the report input.
"""

from __future__ import annotations

import csv
import io

from cocoon.outputs import register
from cocoon.outputs.content import SignSheet
from cocoon.outputs.signs_geojson import listed_signs

HEADER = (
    "sign_id",
    "zone_id",
    "status",
    "put_up",
    "take_down",
    "lon",
    "lat",
    "description",
    "on_road",
)


@register(SignSheet, "csv")
def signs_csv(content: SignSheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in listed_signs(content.plan, content.projection):
        sign = row.sign
        writer.writerow(
            [
                sign.sign_id,
                sign.zone_id,
                row.status,
                sign.put_up.isoformat(),
                sign.take_down.isoformat(),
                row.lon,
                row.lat,
                sign.description,
                "true" if sign.on_road else "false",
            ]
        )
    return out.getvalue().encode("utf-8")
