"""Report files: the CSV and GeoJSON of the input contract and the police events feed.

Column names are matched as `column_key` does (case, accents, spaces and ':' forgiven), after
the configured mapping; a column the mapping names that the file lacks is looked for under its
contract name, so a rejects file (contract columns) reads back under any mapping.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cocoon.config import REPORT_COLUMNS, Settings
from cocoon.errors import InputError, RowError
from cocoon.sources.csvfile import (
    EXTRA,
    UTF8,
    column_key,
    csv_rows,
    decode,
    header_of,
)
from cocoon.sources.polisen import feed_rows, is_feed
from cocoon.sources.reasons import (
    BAD_ID,
    BAD_VALUE,
    CANNOT_READ,
    COLUMN_TWICE_FOLDED,
    GIVEN_TWICE,
    JSON_NEITHER,
    JSON_TOO_DEEP,
    NO_FEATURES,
    NO_HEADER_COLUMN,
    NOT_AN_OBJECT,
    NOT_JSON,
    UNKNOWN_REPORT_FORMAT,
    json_kind,
)
from cocoon.sources.report_rows import Row


@dataclass(frozen=True)
class ReportFile:
    """The rows of one report file, and how many feed events were not burglaries.

    `kind` is what people are told the file was read as: 'csv', 'geojson', 'polisen', with
    ', read as Windows-1252' when it was not UTF-8.
    """

    kind: str  # csv, geojson, polisen
    rows: list[Row]
    skipped: int = 0
    encoding: str = UTF8


def read_report_file(path: str | Path, settings: Settings) -> ReportFile:
    """Read a report file of any supported format; InputError if the file as a whole is unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".geojson"):
        raise InputError(UNKNOWN_REPORT_FORMAT(path=path, suffix=path.suffix))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(CANNOT_READ(path=path, reason=exc.strerror)) from exc
    text, encoding = decode(raw, path)
    read_as = "" if encoding == UTF8 else f", read as {encoding}"
    if suffix == ".csv":
        return ReportFile(
            f"csv{read_as}", _csv_rows(path, text, settings.ingest.columns), encoding=encoding
        )
    data = _json(path, text)
    if is_feed(data):
        tz = ZoneInfo(settings.area.timezone)
        rows, skipped = feed_rows(data, settings.ingest.feed_types, tz)
        return ReportFile(f"polisen{read_as}", rows, skipped, encoding)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        rows = _geojson_rows(path, data, settings.ingest.columns)
        return ReportFile(f"geojson{read_as}", rows, encoding=encoding)
    raise InputError(JSON_NEITHER(path=path))


def _json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(NOT_JSON(path=path, reason=exc.msg, line=exc.lineno)) from exc
    except RecursionError:
        raise InputError(JSON_TOO_DEEP(path=path)) from None


def source_columns(columns: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Contract column -> the column keys that may hold it: the mapped name, then its own."""
    out: dict[str, tuple[str, ...]] = {}
    for name in REPORT_COLUMNS:
        mapped = column_key(columns.get(name, name))
        out[name] = (mapped,) if mapped == name else (mapped, name)
    return out


def field_positions(
    names: Iterable[str], wanted: Mapping[str, tuple[str, ...]]
) -> dict[str, int] | str:
    """Contract column -> position of the name that holds it; or the name found twice."""
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        key = column_key(name)
        if key in positions:
            if any(key in keys for keys in wanted.values()):
                return name
            continue
        positions[key] = i
    found = {}
    for contract, keys in wanted.items():
        for key in keys:
            if key in positions:
                found[contract] = positions[key]
                break
    return found


def _csv_rows(path: Path, text: str, columns: Mapping[str, str]) -> list[Row]:
    lines = iter(io.StringIO(text, newline=""))
    header, delimiter = header_of(lines, path)
    where = field_positions(header, source_columns(columns))
    if isinstance(where, str):
        raise InputError(COLUMN_TWICE_FOLDED(path=path, name=where))
    if "report_id" not in where:
        id_column = columns.get("report_id", "report_id")
        raise InputError(NO_HEADER_COLUMN(path=path, column=id_column, header=", ".join(header)))
    rows = []
    for at, cells in csv_rows(lines, delimiter):
        if isinstance(cells, str):
            rows.append(Row(at, {}, error=RowError("columns", cells)))
            continue
        values: dict[str, str | None] = {
            name: cells[i] if i < len(cells) else None for name, i in where.items()
        }
        if len(cells) > len(header):  # more fields than the header: an unquoted delimiter?
            values[EXTRA] = delimiter.join(cells[len(header) :])
        if not any(v and v.strip() for v in values.values()):
            continue  # nothing of a report in it: a rejects file's row of a whole-file error
        rows.append(Row(at, values))
    return rows


def _geojson_rows(path: Path, data: Mapping[str, Any], columns: Mapping[str, str]) -> list[Row]:
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError(NO_FEATURES(path=path))
    wanted = source_columns(columns)
    return [_feature_row(f"feature {n}", feature, wanted) for n, feature in enumerate(features, 1)]


def _feature_row(where: str, feature: Any, wanted: Mapping[str, tuple[str, ...]]) -> Row:
    """A Feature's properties in contract columns, its Point as lat/lon, its `id` as the report
    id when the properties have none; the first thing a CSV could not hold is the row's error."""
    if not isinstance(feature, dict):
        return Row(where, {}, error=RowError("feature", NOT_AN_OBJECT(kind=json_kind(feature))))
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return Row(where, {}, error=RowError("properties", NOT_AN_OBJECT(kind=json_kind(props))))
    keys = list(props)
    at = field_positions(keys, wanted)
    if isinstance(at, str):
        return Row(where, {}, error=RowError(at, GIVEN_TWICE()))
    values: dict[str, str | None] = {}
    errors: list[RowError] = []
    for name in REPORT_COLUMNS:
        values[name] = _text(name, props[keys[at[name]]] if name in at else None, errors)
    feature_id = feature.get("id")
    if isinstance(feature_id, dict | list | bool):
        errors.insert(0, RowError("id", BAD_ID(kind=json_kind(feature_id))))
    elif feature_id is not None and not values.get("report_id"):
        values["report_id"] = str(feature_id)
    geometry = feature.get("geometry")
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        if isinstance(coords, list) and len(coords) >= 2:
            values["lon"] = _text("geometry", coords[0], errors)
            values["lat"] = _text("geometry", coords[1], errors)
    return Row(where, values, error=errors[0] if errors else None)


def _text(name: str, value: Any, errors: list[RowError]) -> str | None:
    """A JSON value as text (None for null); an object or array is noted in `errors`."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        errors.append(RowError(name, BAD_VALUE(kind=json_kind(value))))
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
