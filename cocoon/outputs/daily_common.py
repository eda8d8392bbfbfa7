"""What the daily list's renderers share: its heading, its cells' words, dates and level colours.

The PDF and the phone page say the same things in the same words; this keeps them saying it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from cocoon.core.daily import DailyZone
from cocoon.core.model import Level
from cocoon.core.time import local
from cocoon.i18n import Language, text
from cocoon.outputs.content import DailyPaper

#: (fill, text) colour of a level's cell or band: red for high, orange for elevated; the text
#: colours keep a contrast of at least 4.5:1 for reading in daylight.
LEVEL_COLOURS: dict[Level, tuple[str, str]] = {
    Level.HIGH: ("#b3261e", "#ffffff"),
    Level.ELEVATED: ("#f0a23b", "#1a1a1a"),
}


def local_day(moment: datetime, tz: tzinfo) -> str:
    """The local calendar date of an instant, ISO: what paper and phones show of an end."""
    return local(moment, tz).date().isoformat()


def local_minute(moment: datetime, tz: tzinfo) -> str:
    """Local wall-clock time to the minute: when the list was made."""
    return local(moment, tz).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Heading:
    """The top of the list: title with the day, the area, when it was made, the counts."""

    title: str
    area: str
    made: str
    summary: str


def heading(content: DailyPaper) -> Heading:
    lang, daily = content.language, content.daily
    made = text("daily_made", lang, at=local_minute(daily.at, content.tz))
    summary = (
        text(
            "daily_summary", lang,
            zones=len(daily.zones),
            high=daily.high,
            elevated=daily.elevated,
            new=daily.with_new_reports,
        )
        if daily.zones
        else text("no_zones", lang)
    )  # fmt: skip
    return Heading(
        title=text("daily_title", lang, day=daily.day.isoformat()),
        area=content.area_name.strip(),
        made=made,
        summary=summary,
    )


def zone_title(zone: DailyZone, lang: Language) -> str:
    """The zone's main streets, or its id where no street is known."""
    return ", ".join(zone.streets) or text("daily_zone", lang, zone_id=zone.zone_id)
