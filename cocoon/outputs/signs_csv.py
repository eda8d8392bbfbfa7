"""The sign plan as CSV: one row per sign as in the GeoJSON, with its WGS 84 lon and lat.

In the sheet's CSV format (`cocoon.outputs.csv_table`); `on_road` is `true`/`false` as in the
report input.
"""

from __future__ import annotations

from cocoon.outputs import register
from cocoon.outputs.content import SignSheet
from cocoon.outputs.csv_table import csv_table
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
    rows = (
        (
            row.sign.sign_id,
            row.sign.zone_id,
            row.status,
            row.sign.put_up.isoformat(),
            row.sign.take_down.isoformat(),
            row.lon,
            row.lat,
            row.sign.description,
            "true" if row.sign.on_road else "false",
        )
        for row in listed_signs(content.plan, content.projection)
    )
    return csv_table(HEADER, rows, content.csv_format)
