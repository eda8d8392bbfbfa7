"""The Knox table as CSV (DESIGN.md section 4, "Knox test output"): one row per cell, row by row.

Other tools read this file, so its form is fixed: the columns below, comma-separated, a point
for decimals, "\\n" line endings, UTF-8 without a byte-order mark, whatever the language. The
same-location band has space_from_m = space_to_m = 0; a "beyond" band leaves its `_to` empty,
as does a cell no permutation reached its `ratio`. `expected` is the mean count over the
permutations and `p` is (1 + permutations at least as high) / (1 + permutations).
"""

from __future__ import annotations

import csv
import io

from cocoon.analysis.frames import KNOX_COLUMNS
from cocoon.outputs import register
from cocoon.outputs.evidence_content import KnoxTable

HEADER = KNOX_COLUMNS  # the frame and the file have the same columns


@register(KnoxTable, "csv")
def knox_csv(content: KnoxTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for c in content.result.cells:
        writer.writerow(
            [
                _number(c.space_from_m),
                _number(c.space_to_m),
                _number(c.time_from_days),
                _number(c.time_to_days),
                c.observed,
                _number(c.expected),
                _number(c.ratio),
                _number(c.p),
            ]
        )
    return out.getvalue().encode("utf-8")


def _number(value: float | None) -> str:
    """Empty for None; whole numbers without decimals; others to 6 decimals, trailing 0s off."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
