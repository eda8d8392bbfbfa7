"""The rejects file: every row that was not stored, why, and the row as it was read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from cocoon.sources.report_rows import Rejection


def rejects_csv(rejections: Sequence[Rejection]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "row", "field", "reason", "values"])
    for r in rejections:
        values = {k: v for k, v in r.values.items() if v not in (None, "")}
        writer.writerow(
            [r.file, r.where, r.field, r.reason, json.dumps(values, ensure_ascii=False)]
        )
    return out.getvalue()
