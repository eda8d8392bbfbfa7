"""Report files: the CSV and GeoJSON of the input contract and the police events feed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cocoon.config import REPORT_COLUMNS, Settings
from cocoon.errors import InputError
from cocoon.sources.csvfile import EXTRA, csv_records, read_text
from cocoon.sources.polisen import feed_rows, is_feed
from cocoon.sources.report_rows import Row


@dataclass(frozen=True)
class ReportFile:
    """The rows of one report file, and how many feed events were not burglaries."""

    kind: str  # csv, geojson, polisen
    rows: list[Row]
    skipped: int = 0


def read_report_file(path: str | Path, settings: Settings) -> ReportFile:
    """Read a report file of any supported format; InputError if the file as a whole is unusable."""
    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() == ".csv":
        return ReportFile("csv", _csv_rows(path, text, settings.ingest.columns))
    if path.suffix.lower() in (".json", ".geojson"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        if is_feed(data):
            rows, skipped = feed_rows(
                data, settings.ingest.feed_types, ZoneInfo(settings.area.timezone)
            )
            return ReportFile("polisen", rows, skipped)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return ReportFile("geojson", _geojson_rows(path, data, settings.ingest.columns))
        raise InputError(f"{path}: JSON is neither a GeoJSON FeatureCollection nor a police feed")
    raise InputError(f"{path}: unknown report format {path.suffix!r}; use .csv, .geojson or .json")


def _mapped(record: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, str | None]:
    """Contract columns from a source record, through the configured column mapping."""
    out: dict[str, str | None] = {}
    for name in REPORT_COLUMNS:
        value = record.get(columns.get(name, name))
        out[name] = None if value is None else str(value)
    return out


def _csv_rows(path: Path, text: str, columns: Mapping[str, str]) -> list[Row]:
    header, records = csv_records(text)
    id_column = columns.get("report_id", "report_id")
    if id_column not in header:
        raise InputError(f"{path}: no {id_column!r} column in the header ({', '.join(header)})")
    rows = []
    for record in records:
        values = _mapped(record.values, columns)
        if EXTRA in record.values:  # more fields than the header: probably an unquoted delimiter
            values[EXTRA] = record.values[EXTRA]
        rows.append(Row(record.where, values))
    return rows


def _geojson_rows(path: Path, data: Mapping[str, Any], columns: Mapping[str, str]) -> list[Row]:
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError(f"{path}: FeatureCollection without a features list")
    rows = []
    for n, feature in enumerate(features, start=1):
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        values = _mapped(props, columns)
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coords = geometry.get("coordinates") or []
            if len(coords) >= 2:
                values["lon"], values["lat"] = str(coords[0]), str(coords[1])
        rows.append(Row(f"feature {n}", values))
    return rows
