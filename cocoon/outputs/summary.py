"""The short human summary of the zones printed on the terminal."""

from __future__ import annotations

from datetime import datetime, tzinfo

from cocoon.core.model import Level
from cocoon.core.risk import Zone, days_left
from cocoon.core.visits import ZoneVisits
from cocoon.i18n import Language, text


def zones_summary(zones: list[Zone], at: datetime, tz: tzinfo, language: Language) -> str:
    def show(moment: datetime) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    lines = [text("zones_at", language, at=show(at))]
    if not zones:
        lines.append(text("no_zones", language))
        return "\n".join(lines)
    for zone in zones:
        until = zone.level_until
        lines.append(
            text(
                "zone_line", language,
                zone_id=zone.zone_id,
                level=text(zone.level.value, language),
                days_left=days_left(until, at),
                until=show(until),
                reports=len(zone.reports),
                area_km2=zone.area_m2 / 1e6,
            )
        )  # fmt: skip
        if zone.then_elevated_until is not None:
            then = show(zone.then_elevated_until)
            lines.append(text("then_elevated", language, pad=" " * 14, until=then))
    high = sum(z.level is Level.HIGH for z in zones)
    lines.append(
        text("zones_total", language, zones=len(zones), high=high, elevated=len(zones) - high)
    )
    return "\n".join(lines)


def visits_summary(rows: list[ZoneVisits], at: datetime, language: Language) -> str:
    """One line per active zone: its level and how far its door visits have come."""
    if not rows:
        return text("no_zones", language)
    lines = [text("visits_header", language)]
    for row in rows:
        zone = row.zone
        until = zone.level_until
        lines.append(
            text(
                "visits_line", language,
                zone_id=zone.zone_id,
                level=text(zone.level.value, language),
                days_left=days_left(until, at),
                reports=len(zone.reports),
                planned=row.planned_reports,
                stops=row.stops,
                done=row.done,
                not_home=row.not_home,
                pending=row.pending,
            )
        )  # fmt: skip
    return "\n".join(lines)
