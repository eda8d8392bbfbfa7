"""Validation of report rows: every reader's rows become Reports or Rejections here, once.

Pure: the address index, the service area and `now` are handed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from cocoon.core.addressing import AddressIndex, fold
from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import LocatedBy, Premises, Report
from cocoon.core.time import parse_instant
from cocoon.errors import InputError, RowError
from cocoon.messages import FILE_PROBLEM, Language, Message, place, render_rejection, say, why
from cocoon.sources.fields import pair
from cocoon.sources.outside import OutsideCount, looks_like_rt90
from cocoon.sources.reasons import (
    AFTER_OCCURRED_TO,
    AFTER_REPORTED_AT,
    DUPLICATE_ID,
    EXTRA_FIELDS,
    IN_THE_FUTURE,
    LONGER_THAN,
    LOOKS_LIKE_RT90,
    MISSING,
    NO_LOCATION,
    NOT_DEGREES,
    POINT_OUTSIDE,
    UNKNOWN_FLAG,
    UNKNOWN_PREMISES,
)
from cocoon.sources.text import check_fields

_PREMISES_WORDS = {
    "villa": Premises.VILLA,
    "radhus": Premises.RADHUS,
    "lagenhet": Premises.LAGENHET,
    "fritidshus": Premises.FRITIDSHUS,
    "other": Premises.OTHER,
    "annat": Premises.OTHER,
    "ovrigt": Premises.OTHER,
}
_TRUE = {"true", "1", "yes", "ja", "j", "y", "forsok"}
_FALSE = {"false", "0", "no", "nej", "n", ""}


@dataclass(frozen=True)
class Row:
    """One input row in contract columns, with where it stands in its file ('line 5')."""

    where: str
    values: Mapping[str, str | None]
    needs_location: bool = True  # the police feed never has a house-level point
    error: RowError | None = None  # what the reader already found wrong with it


@dataclass(frozen=True)
class Rejection:
    """A row that was not stored, and why: file, row and field.

    `why` is the reason as the reader gave it (a `Message` is said in the user's language);
    `reason` is its English.
    """

    file: str
    where: str
    field: str
    why: str | Message
    values: Mapping[str, str | None]

    @property
    def reason(self) -> str:
        """Why, in English: for logs and `str()`."""
        return str(self.why)

    def said(self, language: Language) -> str:
        """Why, in `language`: the reason column of the rejects file."""
        return str(say(self.why, language))

    def render(self, language: Language) -> str:
        """The rejection as one line in `language`: 'fil.csv, rad 7, fält F: …'."""
        return render_rejection(self.file, self.where, self.field, self.why, language)

    def __str__(self) -> str:
        return self.render("en")


@dataclass
class Batch:
    """The outcome of validating one file: reports to store (with their source) and rejections."""

    file: str
    reports: list[tuple[Report, str]] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    skipped: int = 0  # feed events that are not burglaries


@dataclass(frozen=True)
class IngestRules:
    """What validation needs to know about the world."""

    tz: tzinfo
    area: ServiceArea
    projection: Projection
    addresses: AddressIndex
    now: datetime
    future_tolerance: timedelta = timedelta(minutes=10)
    premises_values: Mapping[str, Premises] = field(default_factory=dict)


class _Outside(RowError):
    """A point outside the service area, with the numbers as the row gave them and their kind:
    'lat' (lat, lon), 'easting' (easting, northing) or 'metres' (lat, lon too big for degrees)."""

    def __init__(self, field: str, reason: Message, kind: str, a: float, b: float) -> None:
        super().__init__(field, reason)
        self.kind, self.a, self.b = kind, a, b


def validate(file: str, rows: Iterable[Row], rules: IngestRules, skipped: int = 0) -> Batch:
    """Validate every row; an id seen twice in one file keeps the first, rejects the rest.

    InputError when two or more rows give a point and none lies in the service area: the file
    was read wrong (swapped columns, RT90), and the line says how, rather than one per row.
    """
    batch = Batch(file=file, skipped=skipped)
    first_seen: dict[str, str] = {}
    outside: dict[str, list[tuple[float, float]]] = {"lat": [], "easting": [], "metres": []}
    inside = 0
    for row in rows:
        try:
            report = validate_row(row, rules)
            if report.report_id in first_seen:
                raise RowError("report_id", DUPLICATE_ID(where=place(first_seen[report.report_id])))
        except RowError as err:
            if isinstance(err, _Outside):
                outside[err.kind].append((err.a, err.b))
            batch.rejections.append(Rejection(file, row.where, err.field, err.why, row.values))
            continue
        inside += report.located_by is LocatedBy.COORDINATES
        first_seen[report.report_id] = row.where
        batch.reports.append((report, f"{file}:{row.where}"))
        if not report.located:
            batch.unlocated.append(report.report_id)
    if not inside and sum(map(len, outside.values())) >= 2:
        refusal = _why_outside(outside, rules)
        if refusal:
            raise InputError(FILE_PROBLEM(path=file, reason=refusal))
    return batch


def _why_outside(
    outside: Mapping[str, list[tuple[float, float]]], rules: IngestRules
) -> Message | None:
    count = OutsideCount(rules.area, rules.projection)
    if outside["lat"]:
        lat, lon = zip(*outside["lat"], strict=True)
        count.add_degrees(lat, lon, 0)
    if outside["easting"]:
        x, y = zip(*outside["easting"], strict=True)
        count.add_metres(x, y, *rules.projection.to_wgs84(x, y), 0)
    if outside["metres"]:
        a, b = zip(*outside["metres"], strict=True)
        count.add_degrees_that_are_metres(a, b)
    return count.refusal("located rows")


def validate_row(row: Row, rules: IngestRules) -> Report:
    """One row to a Report, or RowError naming the first bad field."""
    if row.error is not None:
        raise row.error
    v = {k: (val.strip() if isinstance(val, str) else val) for k, val in row.values.items()}
    if v.get("_extra"):
        raise RowError("columns", EXTRA_FIELDS())
    check_fields(v, [name for name in v if name != "_extra"])
    report_id = v.get("report_id") or ""
    if not report_id:
        raise RowError("report_id", MISSING())
    if len(report_id) > 100:
        raise RowError("report_id", LONGER_THAN(limit=100))
    reported_at = _time(v, "reported_at", rules, required=True)
    assert reported_at is not None
    occurred_from = _time(v, "occurred_from", rules)
    occurred_to = _time(v, "occurred_to", rules)
    if occurred_from and occurred_to and occurred_from > occurred_to:
        raise RowError("occurred_from", AFTER_OCCURRED_TO())
    for name, moment in (("occurred_from", occurred_from), ("occurred_to", occurred_to)):
        if moment and moment > reported_at + rules.future_tolerance:
            raise RowError(name, AFTER_REPORTED_AT())
    lon, lat, address_id, located_by = _location(v, rules, row.needs_location)
    return Report(
        report_id=report_id,
        reported_at=reported_at,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        premises=_premises(v.get("premises"), rules),
        attempt=_flag(v.get("attempt"), "attempt"),
        lon=lon,
        lat=lat,
        address=v.get("address") or None,
        address_id=address_id,
        located_by=located_by,
    )


def _time(
    v: Mapping[str, str | None], name: str, rules: IngestRules, required: bool = False
) -> datetime | None:
    text = v.get(name)
    if not text:
        if required:
            raise RowError(name, MISSING())
        return None
    try:
        moment = parse_instant(text, rules.tz)
    except ValueError as exc:
        raise RowError(name, why(exc)) from None
    if moment > rules.now + rules.future_tolerance:
        raise RowError(name, IN_THE_FUTURE(text=text))
    return moment


def _premises(text: str | None, rules: IngestRules) -> Premises:
    if not text:
        return Premises.VILLA
    if text in rules.premises_values:
        return rules.premises_values[text]
    folded = fold(text)
    for source_value, premises in rules.premises_values.items():
        if fold(source_value) == folded:
            return premises
    if folded in _PREMISES_WORDS:
        return _PREMISES_WORDS[folded]
    raise RowError("premises", UNKNOWN_PREMISES(text=text))


def _flag(text: str | None, name: str) -> bool:
    folded = fold(text or "")
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise RowError(name, UNKNOWN_FLAG(text=text))


def _location(
    v: Mapping[str, str | None], rules: IngestRules, needs_location: bool
) -> tuple[float | None, float | None, str | None, LocatedBy | None]:
    """lon, lat, register address id and how the point was found; (None, …) when unlocated."""
    address = v.get("address") or None
    matched = rules.addresses.match(address) if address else None
    latlon = pair(v, "lat", "lon")
    en = pair(v, "easting", "northing")
    if latlon:
        lat, lon = latlon
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _Outside("lat", NOT_DEGREES(lat=lat, lon=lon), "metres", lat, lon)
        field_name, raw = "lat", (lat, lon)
    elif en:
        if looks_like_rt90(*en, rules.projection.crs):
            reason = LOOKS_LIKE_RT90(easting=en[0], northing=en[1], crs=rules.projection.crs)
            raise _Outside("easting", reason, "easting", *en)
        lon, lat = rules.projection.point_to_wgs84(*en)
        field_name, raw = "easting", en
    elif matched:
        return matched.lon, matched.lat, matched.address_id, LocatedBy.ADDRESS
    elif address or not needs_location:
        return None, None, None, None  # stored unlocated; `cocoon locate` places it later
    else:
        raise RowError("lat", NO_LOCATION())
    if not (math.isfinite(lon) and math.isfinite(lat) and rules.area.contains(lon, lat)):
        raise _Outside(
            field_name,
            POINT_OUTSIDE(lat=lat, lon=lon, area=rules.area.name),
            field_name,
            *raw,
        )
    return lon, lat, matched.address_id if matched else None, LocatedBy.COORDINATES
