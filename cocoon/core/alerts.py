"""Which reports are owed an alert, and what the alert says.

Pure: an alert is owed to every report in a live zone that has not had one and that the
police learnt of recently (within the high-risk period), so a report ingested by hand, placed
later with `cocoon locate`, or left over from a crash is alerted too, while a service started on
an existing database does not alert every old report it finds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cocoon.core.model import Level
from cocoon.core.risk import RiskRules, Zone
from cocoon.i18n import Language, text


@dataclass(frozen=True)
class NewReport:
    """A report in a live zone that has had no alert yet."""

    report_id: str
    zone_id: str
    level: Level
    level_until: datetime  # when this report's own present level ends
    reported_at: datetime


def owed_since(at: datetime, rules: RiskRules) -> datetime:
    """Reports the police learnt of since this instant are owed an alert: those of the high
    period; older ones were known before and, on a service's first start, are not news."""
    return at - timedelta(days=rules.high_risk_days)


def awaiting_alerts(
    zones: Sequence[Zone], alerted: Collection[str], since: datetime | None = None
) -> list[NewReport]:
    """Reports of the zones, reported at or after `since`, that have had no alert, in the order
    the police learnt of them."""
    waiting = [
        NewReport(
            report_id=live.report.report_id,
            zone_id=zone.zone_id,
            level=live.level,
            level_until=live.level_until,
            reported_at=live.report.reported_at,
        )
        for zone in zones
        for live in zone.reports
        if live.report.report_id not in alerted
        and (since is None or live.report.reported_at >= since)
    ]
    waiting.sort(key=lambda n: (n.reported_at, n.report_id))
    return waiting


@dataclass(frozen=True)
class AlertNote:
    """What was prepared for one new report: its roster (None: no visits) and the sign plan."""

    new: NewReport
    at: datetime
    stops: int | None
    sheets: int
    new_signs: int
    folder: str


#: Unicode categories that can break a line or hide text: controls (\n, \r, NEL, …), format
#: characters (right-to-left overrides, …) and the line and paragraph separators.
_UNSEEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def printable(text: str) -> str:
    r"""`text` with every control, format or line-separator character escaped (`\n`, `\x1b`,
    `\u2028`): an id from an input file can never start a forged second line in a log."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _UNSEEN else ch
        for ch in text
    )


def alert_line(note: AlertNote, tz: tzinfo, language: Language) -> str:
    """The alert log's one line: when, which report and zone, level, visits, signs, where.

    The ids and the folder are shown with their control characters escaped: one alert is
    always exactly one line."""
    new = note.new
    visits = (
        text("alert_visits", language, stops=note.stops, sheets=note.sheets)
        if note.stops is not None
        else text("alert_no_visits", language)
    )
    return text(
        "alert_line", language,
        at=note.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        report_id=printable(new.report_id),
        zone_id=printable(new.zone_id),
        level=text(new.level.value, language),
        until=new.level_until.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        visits=visits,
        signs=note.new_signs,
        folder=printable(note.folder),
    )  # fmt: skip


def alert_subject(report_id: str, zone_id: str, language: Language) -> str:
    """The alert mail's subject, its ids escaped as in the log line."""
    return text(
        "alert_subject", language, report_id=printable(report_id), zone_id=printable(zone_id)
    )
