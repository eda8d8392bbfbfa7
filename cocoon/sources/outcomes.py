"""What the visiting teams write on a roster, read back: one outcome per stop.

Pure: rows come from a reader, the time zone and `now` from the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo

from cocoon.core.addressing import fold
from cocoon.core.time import parse_instant
from cocoon.core.visits import Outcome
from cocoon.errors import RowError
from cocoon.messages import Unreadable, why
from cocoon.sources.csvfile import ERROR
from cocoon.sources.reasons import IN_THE_FUTURE, NO_STOP, UNKNOWN_OUTCOME
from cocoon.sources.report_rows import Rejection
from cocoon.sources.text import check_fields, one_line_note

#: Words a team may write in the outcome column, folded (lower case, no accents).
_OUTCOME_WORDS = {
    "visited": Outcome.VISITED,
    "besokt": Outcome.VISITED,
    "besok": Outcome.VISITED,
    "not home": Outcome.NOT_HOME,
    "not at home": Outcome.NOT_HOME,
    "ej hemma": Outcome.NOT_HOME,
    "inte hemma": Outcome.NOT_HOME,
    "lapp lamnad": Outcome.NOT_HOME,
    "declined": Outcome.DECLINED,
    "avbojde": Outcome.DECLINED,
    "avbojt": Outcome.DECLINED,
}

OUTCOME_COLUMNS = ("outcome", "visited_at", "note")


@dataclass(frozen=True)
class OutcomeRow:
    """One stop's outcome as the team reported it."""

    address_id: str
    outcome: Outcome
    visited_at: datetime | None
    note: str | None
    report_id: str | None = None
    where: str = ""  # the row of the file it came from ("line 7"), for a rejection later


@dataclass
class OutcomeBatch:
    outcomes: list[OutcomeRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    blank: int = 0  # stops the team has not filled in yet


def parse_outcome(text: str) -> Outcome:
    """'visited', 'besökt', 'ej hemma', 'not_home', 'avböjde', … to an Outcome."""
    key = fold(text.replace("_", " ").replace("-", " "))
    try:
        return _OUTCOME_WORDS[key]
    except KeyError:
        known = "visited (besökt), not_home (ej hemma), declined (avböjde)"
        raise Unreadable(UNKNOWN_OUTCOME(text=text, known=known)) from None


def validate_outcome_rows(
    file: str,
    rows: Iterable[tuple[str, Mapping[str, str]]],
    tz: tzinfo,
    now: datetime,
    future_tolerance: timedelta = timedelta(minutes=10),
) -> OutcomeBatch:
    """Outcome rows of a filled-in roster CSV; a row without an outcome is not done yet."""
    batch = OutcomeBatch()
    for where, values in rows:
        if values.get(ERROR):  # the csv module could not read the row
            rejection = Rejection(file, where, "columns", values[ERROR], dict(values))
            batch.rejections.append(rejection)
            continue
        if not (values.get("outcome") or "").strip():
            batch.blank += 1
            continue
        try:
            batch.outcomes.append(
                replace(_outcome_row(values, tz, now + future_tolerance), where=where)
            )
        except RowError as exc:
            batch.rejections.append(Rejection(file, where, exc.field, exc.why, dict(values)))
    return batch


def _outcome_row(values: Mapping[str, str], tz: tzinfo, latest: datetime) -> OutcomeRow:
    """One row to an OutcomeRow; a note written over several lines is kept on one."""
    note = one_line_note(values.get("note") or "")
    check_fields({**values, "note": note}, ("address_id", "report_id", "outcome", "note"))
    address_id = (values.get("address_id") or "").strip()
    if not address_id:
        raise RowError("address_id", NO_STOP())
    try:
        outcome = parse_outcome(values["outcome"])
    except ValueError as exc:
        raise RowError("outcome", why(exc)) from None
    visited_at = None
    if text := (values.get("visited_at") or "").strip():
        try:
            visited_at = parse_instant(text, tz)
        except ValueError as exc:
            raise RowError("visited_at", why(exc)) from None
        if visited_at > latest:
            raise RowError("visited_at", IN_THE_FUTURE(text=text))
    return OutcomeRow(
        address_id=address_id,
        outcome=outcome,
        visited_at=visited_at,
        note=note or None,
        report_id=(values.get("report_id") or "").strip() or None,
    )
