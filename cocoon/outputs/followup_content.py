"""What the medborgarlöfte follow-up's files show: the figures of one period, public or internal.

The public version is aggregates only, with small counts suppressed
(`cocoon.analysis.followup.public_measures`): no report id, address, zone id or date of a single
burglary. The internal version has everything, with the zones opened and the near-repeats listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from cocoon.analysis.followup import FollowUp, Measure, measures, public_measures
from cocoon.i18n import Language
from cocoon.outputs.csv_table import CsvFormat


@dataclass(frozen=True)
class FollowUpReport:
    """One period's follow-up for one area, as made at `made_at`, and how to present it.

    `radius_m` and `elevated_risk_days` are the rules the zones were drawn with, for the
    method's sentences (the high-risk days are in the figures).
    """

    figures: FollowUp
    public: bool
    area_name: str
    made_at: datetime
    tz: tzinfo
    radius_m: float
    elevated_risk_days: int
    reference_from_file: bool = False
    language: Language = "sv"
    csv_format: CsvFormat = "standard"

    def measures(self) -> list[Measure]:
        """The rows of the follow-up: suppressed in the public version, all in the internal."""
        return public_measures(self.figures) if self.public else measures(self.figures)

    def value(self, section: str, measure: str) -> Measure:
        """One figure by its section and name (the first, for a month's series)."""
        return next(m for m in self.measures() if (m.section, m.measure) == (section, measure))
