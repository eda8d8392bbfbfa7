"""The Swedish police public events feed (polisen.se/api/events) as report rows.

The feed's `gps` is a municipality or county centre, never the burgled house, so every event
becomes an unlocated report for `cocoon locate` to place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from cocoon.core.addressing import fold
from cocoon.core.time import parse_instant
from cocoon.errors import RowError
from cocoon.sources.reasons import BAD_ID, ELEMENT_NOT_AN_OBJECT, json_kind
from cocoon.sources.report_rows import Row
from cocoon.sources.text import refused_character

_MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
_EVENT_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[.:](\d{2})", re.IGNORECASE)
# Words in the summary that tell the premises; checked in this order.
_PREMISES_HINTS = (
    ("fritidshus", "fritidshus"),
    ("sommarstuga", "fritidshus"),
    ("stuga", "fritidshus"),
    ("radhus", "radhus"),
    ("lagenhet", "lagenhet"),
    ("villa", "villa"),
    ("bostad", "villa"),
    ("hus", "villa"),
)


_FEED_FIELDS = {"id", "datetime", "type"}


def is_feed(data: Any) -> bool:
    """A JSON array that is empty (no events today) or has an object with the feed's fields."""
    return isinstance(data, list) and (
        not data or any(isinstance(e, dict) and e.keys() >= _FEED_FIELDS for e in data)
    )


def feed_rows(
    events: Iterable[Any], burglary_types: Iterable[str], tz: tzinfo
) -> tuple[list[Row], int]:
    """Rows for the burglary events, and how many other events were skipped.

    An element that is not an event object is a rejected row naming its place in the array
    (counted from 1, as the rows of a CSV are).
    """
    wanted = {fold(t) for t in burglary_types}
    rows: list[Row] = []
    skipped = 0
    for n, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            error = RowError("event", ELEMENT_NOT_AN_OBJECT(number=n, kind=json_kind(event)))
            rows.append(Row(f"event {n}", {}, needs_location=False, error=error))
            continue
        if fold(str(event.get("type", ""))) not in wanted:
            skipped += 1
            continue
        event_id, where = event.get("id"), f"event {n}"
        if isinstance(event_id, int) and not isinstance(event_id, bool):
            rows.append(Row(f"{where} (id {event_id})", _row(event, tz), needs_location=False))
        elif isinstance(event_id, str):  # shown in messages only when it is plain text
            plain = len(event_id) <= 100 and refused_character(event_id) is None
            at = f"{where} (id {event_id})" if plain else where
            rows.append(Row(at, _row(event, tz), needs_location=False))
        else:
            error = RowError("id", BAD_ID(kind=json_kind(event_id)))
            rows.append(Row(where, _row(event, tz), needs_location=False, error=error))
    return rows, skipped


def _row(event: Mapping[str, Any], tz: tzinfo) -> dict[str, str | None]:
    event_id = event.get("id")
    published = str(event.get("datetime") or "")
    summary = fold(str(event.get("summary") or ""))
    kind = fold(str(event.get("type") or ""))
    return {
        "report_id": f"polisen-{event_id}"
        if isinstance(event_id, str | int) and event_id != ""
        else "",
        "reported_at": published,
        "occurred_from": _event_time(str(event.get("name") or ""), published, tz),
        "premises": _premises(summary),
        "attempt": "true" if "forsok" in kind or "forsok" in summary else "false",
    }


def _premises(summary: str) -> str:
    for word, premises in _PREMISES_HINTS:
        if word in summary:
            return premises
    return "other"


def _event_time(name: str, published: str, tz: tzinfo) -> str | None:
    """The event time from the headline ('22 augusti 06.29, …'), with the year it must have.

    None when the headline has no time, or one after publication (a few real events do).
    """
    m = _EVENT_TIME.match(name)
    month = _MONTHS.get(m.group(2).lower()) if m else None
    if not m or not month:
        return None
    try:
        published_at = parse_instant(published, tz).astimezone(tz)
        year = published_at.year - (1 if month > published_at.month else 0)
        when = datetime(year, month, int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None
    if when > published_at.replace(tzinfo=None):
        return None
    return when.isoformat()
