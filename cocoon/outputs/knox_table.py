"""The Knox table for the terminal (and `-o FILE.txt`): ratios per cell with significance marks
and the observed pairs, space bands down, time bands across, then the notes."""

from __future__ import annotations

import textwrap

from cocoon.outputs import register
from cocoon.outputs.evidence_content import KnoxTable

GAP = "  "
WIDTH = 100  # the notes are wrapped to this many characters


@register(KnoxTable, "txt")
def knox_table(content: KnoxTable) -> bytes:
    corner = f"{content.t('distance')} \\ {content.t('time')}"
    header = [corner, *content.time_labels()]
    body = [
        [label, *(f"{content.ratio(c)} ({content.number(c.observed)})" for c in row)]
        for label, row in zip(content.space_labels(), content.result.rows(), strict=True)
    ]
    widths = [max(len(line[k]) for line in [header, *body]) for k in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return GAP.join([first, *rest]).rstrip()

    lines = [
        content.t("title"),
        *textwrap.wrap(f"{content.t('subtitle')} ({content.t('counts')})", WIDTH),
        "",
        line(header),
        *(line(cells) for cells in body),
        "",
        *(part for note in content.notes() for part in textwrap.wrap(note, WIDTH)),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
