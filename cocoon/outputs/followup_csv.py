"""The follow-up as CSV: one row per figure, the same figures the PDF shows.

Columns (`cocoon.analysis.followup.COLUMNS`):

- `section`: burglaries, work, visits, signs, near_repeats; internal only: zones_opened,
  near_repeat (one row per zone opened, per burglary in a live zone);
- `measure`: the figure's name (`count` per month, `total`, `rosters`, `doors_visited`,
  `report_to_roster_within_24h_pct`, …); in the lists, the zone id or the report id;
- `month`: YYYY-MM for a month's figure (and the month of a listed zone or burglary), else empty;
- `value`: the figure (hours, per cent with one decimal, counts); in the public version a count
  of 1–4 is "< 5", a count hidden so that a total cannot give one away is "..", and a share or
  median resting on fewer than 5 is empty; in the lists, the zone's opening time (local, ISO
  8601) or the days after the zone's report the burglary happened;
- `reference_month`, `reference`: the reference month (or the reference's name on the total)
  and its count; in the zones list, the opening report(s); in the near-repeat list, the level
  (`reference_month`: high or elevated);
- `change_pct`: the change from the reference in per cent; empty without a reference, from zero,
  or (public) when either count is below 5.
"""

from __future__ import annotations

from cocoon.analysis.followup import COLUMNS
from cocoon.outputs import register
from cocoon.outputs.csv_table import csv_table
from cocoon.outputs.followup_content import FollowUpReport


@register(FollowUpReport, "csv")
def followup_csv(content: FollowUpReport) -> bytes:
    """The figures as rows, in the content's CSV format."""
    return csv_table(COLUMNS, (m.row() for m in content.measures()), content.csv_format)
