"""What each renderer draws: one content record per kind of output, built by the use cases.

`csv_format` ("standard" or "excel", setting `output.csv_format`) is how a record's CSV is
written (`cocoon.outputs.csv_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from cocoon.core.daily import DailyList
from cocoon.core.geo import Projection
from cocoon.core.model import Road
from cocoon.core.risk import Zone
from cocoon.core.signs.rules import SignPlan
from cocoon.core.visits import VisitPlan
from cocoon.errors import NotFoundError
from cocoon.i18n import Language
from cocoon.outputs.csv_table import CsvFormat
from cocoon.outputs.reasons import NO_LEAFLET
from cocoon.texts import leaflet_infos, leaflet_template


@dataclass(frozen=True)
class ZoneMap:
    """What a zone output shows: the zones at one instant, and how to present them."""

    zones: list[Zone]
    at: datetime
    projection: Projection
    tz: tzinfo
    language: Language = "sv"


@dataclass(frozen=True)
class Roster:
    """What a visit roster shows: one report's plan, the leaflets to leave at the doors (one page
    each, in the residents' languages) and the roads for the sheet maps."""

    plan: VisitPlan
    projection: Projection
    tz: tzinfo
    leaflets: tuple[Leaflet, ...]
    language: Language = "sv"
    roads: tuple[Road, ...] = ()
    csv_format: CsvFormat = "standard"


@dataclass(frozen=True)
class SignSheet:
    """What a sign plan shows: the signs up on a day, what goes up and what comes down.

    Public paper: signs carry no report id, no burgled address and no burglary point.
    """

    plan: SignPlan
    projection: Projection
    tz: tzinfo
    language: Language = "sv"
    roads: tuple[Road, ...] = ()
    csv_format: CsvFormat = "standard"


@dataclass(frozen=True)
class DailyPaper:
    """What the daily zone list shows: the morning's list for patrols, on paper and phones.

    `area_name` is the service area's name for the heading. No report id, burgled address or
    burglary point is in the list.
    """

    daily: DailyList
    projection: Projection
    tz: tzinfo
    language: Language = "sv"
    area_name: str = ""
    csv_format: CsvFormat = "standard"


@dataclass(frozen=True)
class Leaflet:
    """One leaflet to print: language code, text with contact placeholders, the local contact."""

    language: str
    text: str
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    reviewed: bool = False

    @classmethod
    def builtin(cls, language: str, name: str = "", phone: str = "", email: str = "") -> Leaflet:
        """The shipped text in `language`, reviewed as leaflets.toml says."""
        info = leaflet_infos().get(language)
        if info is None:
            known = ", ".join(leaflet_infos())
            raise NotFoundError(NO_LEAFLET(language=language, known=known))
        return cls(language, leaflet_template(language), name, phone, email, info.reviewed)
