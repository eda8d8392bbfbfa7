"""Address register files (CSV, GeoJSON, GeoPackage, OpenStreetMap) read into Address records.

Pure I/O adapter: no database, no clock. Every format is turned into the same records and judged
by the same rules, so a Lantmäteriet export and an OSM extract agree on what is a home: points
outside the service area or on non-residential buildings are skipped (counted by reason), and a
row a person must fix is rejected naming its file, row and field.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyogrio.raw import read as ogr_read
from pyproj import Transformer
from pyproj.exceptions import CRSError

from cocoon.core.addressing import (
    OSM_POI_KEYS,
    address_id_for,
    dwelling_of,
    number_key,
    street_key,
    why_not_a_home,
)
from cocoon.core.geo import WGS84, Projection, ServiceArea
from cocoon.core.model import Address
from cocoon.errors import InputError, RowError
from cocoon.sources.columns import cell_text, column_key, column_map, one_line, pick_layer
from cocoon.sources.fields import pair
from cocoon.sources.osm import osm_addresses, representative

OUTSIDE = "outside the service area"
NO_STREET_OR_NUMBER = "no street or number"
NO_GEOMETRY = "no usable geometry"
DUPLICATE_ID = "duplicate address_id (the last one kept)"
SAME_DOOR = "same street and number as a nearby OSM feature"
#: OSM features with the same street and number closer than this are one door.
SAME_DOOR_M = 150.0

#: First word of Lantmäteriet purposes that are not homes ('Verksamhet; Kontor').

#: Contract field -> accepted column names (after `column_key`), best first.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "address_id": ("address_id",),
    "street": ("street", "addr_street", "adressomrade"),
    "place": ("addr_place",),  # rural Swedish addresses name a place, not a street
    "number": ("number", "addr_housenumber", "housenumber", "adressplatsnummer"),
    "letter": ("bokstavstillagg",),
    "postcode": ("postcode", "addr_postcode", "postnummer"),
    "town": ("town", "addr_city", "postort"),
    "dwelling": ("dwelling",),
    "purpose": ("purpose", "andamal", "andamal1", "andamal_1"),
    "building": ("building",),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
    "easting": ("easting",),
    "northing": ("northing",),
    "osm_type": ("osm_type",),
    "osm_id": ("osm_id",),
    **{key: (key,) for key in OSM_POI_KEYS},
}
_WGS84_NAMES = {"EPSG:4326", "OGC:CRS84", "WGS84"}
_OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm")
_LAYER_SUFFIXES = (".gpkg", ".geojson", ".json")
_CSV_SUFFIXES = (".csv", ".tsv")


@dataclass
class AddressLoad:
    """What one register file gave: homes to store, what was left out and why, rows to fix."""

    addresses: list[Address]
    skipped: dict[str, int]
    rejections: list[str]


@dataclass
class _Record:
    """One row or feature in contract fields, its point, and where it stands in its file."""

    where: str
    values: dict[str, str]
    x: float = math.nan
    y: float = math.nan
    crs: str = WGS84
    error: RowError | None = None  # the point could not be read


class _Skip(Exception):
    """A record that is fine but not wanted (not a home, no address); the reason is counted."""


@dataclass
class _Builder:
    """Collects addresses (last id wins), skip reasons and rejections while a file is read."""

    file: str
    by_id: dict[str, Address] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    rejections: list[str] = field(default_factory=list)

    def reject(self, where: str, err: RowError) -> None:
        self.rejections.append(f"{self.file}, {where}, field {err.field}: {err.reason}")

    def add(self, address: Address) -> None:
        if address.address_id in self.by_id:
            self.skipped[DUPLICATE_ID] += 1
        self.by_id[address.address_id] = address

    def result(self) -> AddressLoad:
        skipped = dict(self.skipped.most_common())  # biggest reason first, for the summary
        return AddressLoad(list(self.by_id.values()), skipped, self.rejections)


def read_addresses(
    path: str | Path, area: ServiceArea, projection: Projection, layer: str | None = None
) -> AddressLoad:
    """Read an address register file; InputError if the file as a whole cannot be used."""
    path = Path(path)
    name = path.name.lower()
    if not name.endswith(_OSM_SUFFIXES + _LAYER_SUFFIXES + _CSV_SUFFIXES):
        raise InputError(
            f"{path}: unknown address format {path.suffix!r}; "
            "use .csv, .geojson, .json, .gpkg, .osm or .osm.pbf"
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    builder = _Builder(str(path))
    try:
        if name.endswith(_CSV_SUFFIXES):
            records, lenient = _csv_records(path, projection)
        elif name.endswith(_OSM_SUFFIXES):
            records, lenient = _osm_address_records(path, builder), True
        else:
            records, lenient = _layer_records(path, layer, projection)
        _to_wgs84(records, projection)
    except (DataSourceError, DataLayerError, CRSError, OSError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read: {one_line(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    _admit(builder, records, area, lenient)
    return builder.result()


# --- the rules every format shares ---------------------------------------------------------------


def _admit(builder: _Builder, records: Sequence[_Record], area: ServiceArea, lenient: bool) -> None:
    """Judge records in a fixed order: unreadable point, outside, not a home, no street/number.

    `lenient` (OSM-derived data) skips incomplete addresses instead of rejecting them: nobody is
    expected to fix a shop's half-tagged address before the register can be loaded.
    """
    inside = _inside(area, records)
    admitted: list[tuple[_Record, Address]] = []
    for record, is_inside in zip(records, inside, strict=True):
        try:
            not_home = why_not_a_home(record.values)
            if record.error is not None:
                if not_home:
                    raise _Skip(not_home)
                raise record.error
            if not is_inside:
                raise _Skip(OUTSIDE)
            if not_home:
                raise _Skip(not_home)
            admitted.append((record, _address(record, lenient)))
        except _Skip as skip:
            builder.skipped[str(skip)] += 1
        except RowError as err:
            builder.reject(record.where, err)
    addresses = _one_per_door(admitted, builder) if lenient else [a for _, a in admitted]
    for address in addresses:
        builder.add(address)


def _one_per_door(admitted: Sequence[tuple[_Record, Address]], builder: _Builder) -> list[Address]:
    """One address per street and number within 150 m, in OSM-derived data.

    OSM repeats an address on every shop, office and entrance of a building (33 times for one
    Helsinki door): kept, each would be a separate visit and make report text match none.
    Preferred: a plain address point, then an address area, then a business; a dwelling kind
    known from any of them is kept.
    """
    order = sorted(range(len(admitted)), key=lambda i: _door_rank(admitted[i][0]))
    groups: dict[tuple[str, str], list[int]] = {}
    kept: dict[int, Address] = {}
    for i in order:
        address = admitted[i][1]
        group = groups.setdefault((street_key(address.street), number_key(address.number)), [])
        twin = next((j for j in group if _metres(kept[j], address) <= SAME_DOOR_M), None)
        if twin is None:
            group.append(i)
            kept[i] = address
            continue
        if kept[twin].dwelling is None and address.dwelling is not None:
            kept[twin] = replace(kept[twin], dwelling=address.dwelling)
        builder.skipped[SAME_DOOR] += 1
    return [kept[i] for i in sorted(kept)]


def _door_rank(record: _Record) -> tuple[bool, bool]:
    """Sort key: plain points before areas, anything before a business."""
    is_business = any(record.values.get(key) for key in OSM_POI_KEYS)
    return is_business, record.values.get("osm_type", "node") != "node"


def _metres(a: Address, b: Address) -> float:
    """Distance between two nearby lon/lat points, flat-earth approximation (ample under 1 km)."""
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2)) * 111_320.0
    dy = (a.lat - b.lat) * 110_574.0
    return math.hypot(dx, dy)


def _inside(area: ServiceArea, records: Sequence[_Record]) -> list[bool]:
    """area.contains for every record, with the bounding box tested at once for big files."""
    lon = np.array([r.x for r in records], dtype=float)
    lat = np.array([r.y for r in records], dtype=float)
    min_lon, min_lat, max_lon, max_lat = area.bbox
    in_box = (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
    return [
        bool(ok) and area.contains(float(x), float(y))
        for ok, x, y in zip(in_box, lon, lat, strict=True)
    ]


def _address(record: _Record, lenient: bool) -> Address:
    """The Address of an admitted record; RowError or _Skip when street or number is missing."""
    v = record.values
    street = v.get("street") or v.get("place")
    number = v.get("number")
    if number and v.get("letter"):
        number += v["letter"]
    if not street or not number:
        if lenient:
            raise _Skip(NO_STREET_OR_NUMBER)
        raise RowError("street" if not street else "number", "missing")
    town = v.get("town")
    return Address(
        address_id=_address_id(v, street, number, town),
        street=street,
        number=number,
        lon=record.x,
        lat=record.y,
        postcode=v.get("postcode"),
        town=town,
        dwelling=dwelling_of(v),
    )


def _address_id(v: Mapping[str, str], street: str, number: str, town: str | None) -> str:
    """The file's id, else an OSM object id (same as from the .osm.pbf), else one derived."""
    if v.get("address_id"):
        return v["address_id"]
    osm_type, osm_id = v.get("osm_type", "").lower(), v.get("osm_id")
    if osm_id and osm_type in ("node", "way", "relation"):
        return f"osm-{osm_type}-{osm_id}"
    return address_id_for(street, number, town)


def _to_wgs84(records: Sequence[_Record], projection: Projection) -> None:
    """Convert record points to lon/lat in place, one transform per CRS; failures become errors."""
    by_crs: dict[str, list[_Record]] = {}
    for record in records:
        if record.error is None and record.crs not in _WGS84_NAMES:
            by_crs.setdefault(record.crs, []).append(record)
    for crs, group in by_crs.items():
        x = np.array([r.x for r in group], dtype=float)
        y = np.array([r.y for r in group], dtype=float)
        if crs == projection.crs:
            lon, lat = projection.to_wgs84(x, y)
        else:
            transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
            lon, lat = (np.asarray(a, dtype=float) for a in transformer.transform(x, y))
        for record, rlon, rlat in zip(group, lon, lat, strict=True):
            record.x, record.y, record.crs = float(rlon), float(rlat), WGS84
            if not (math.isfinite(record.x) and math.isfinite(record.y)):
                field_name = "easting" if "easting" in record.values else "geometry"
                record.error = RowError(field_name, f"cannot be converted from {crs} to lon/lat")


# --- tabular sources: CSV, GeoJSON, GeoPackage ---------------------------------------------------


def _require_address_columns(path: Path, columns: Mapping[str, list[int]]) -> None:
    if "street" not in columns and "place" not in columns:
        raise InputError(f"{path}: no street column (street or addr:street)")
    if "number" not in columns:
        raise InputError(f"{path}: no number column (number or addr:housenumber)")


def _values(cells: Sequence[Any], columns: Mapping[str, list[int]]) -> dict[str, str]:
    """Contract fields of one row: the first non-empty of each field's columns."""
    out: dict[str, str] = {}
    for key, positions in columns.items():
        for i in positions:
            text = cell_text(cells[i]) if i < len(cells) else None
            if text:
                out[key] = text
                break
    return out


def _point_from_columns(
    values: Mapping[str, str], columns: Mapping[str, list[int]], projection: Projection
) -> tuple[float, float, str]:
    """x, y and CRS from lat/lon (preferred) or easting/northing; RowError names the field."""
    latlon = pair(values, "lat", "lon")
    if latlon is not None:
        lat, lon = latlon
        if not -90 <= lat <= 90:
            raise RowError("lat", f"{lat} is not a latitude (-90 to 90)")
        if not -180 <= lon <= 180:
            raise RowError("lon", f"{lon} is not a longitude (-180 to 180)")
        return lon, lat, WGS84
    metric = pair(values, "easting", "northing")
    if metric is not None:
        return metric[0], metric[1], projection.crs
    if "lat" in columns or "lon" in columns:
        raise RowError("lat" if "lat" not in values else "lon", "missing")
    if "easting" in columns or "northing" in columns:
        raise RowError("easting" if "easting" not in values else "northing", "missing")
    raise RowError("geometry", "missing")


def _has_location_columns(columns: Mapping[str, list[int]]) -> bool:
    return ("lat" in columns and "lon" in columns) or (
        "easting" in columns and "northing" in columns
    )


def _osm_style(header: Iterable[str]) -> bool:
    """Columns named like OSM tags ('addr:street'): the data is OSM's, so be lenient."""
    return any(column_key(name).startswith("addr_") for name in header)


def _csv_records(path: Path, projection: Projection) -> tuple[list[_Record], bool]:
    """Rows of a CSV file; the delimiter (',' ';' or tab) is the one the header line uses most."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        first = stream.readline()
        if not first.strip():
            raise InputError(f"{path}: empty file, expected a header row")
        delimiter = max((",", ";", "\t"), key=first.count)
        reader = csv.reader(itertools.chain([first], stream), delimiter=delimiter)
        header = next(reader)
        columns = column_map(header, _COLUMNS)
        if not _has_location_columns(columns):
            raise InputError(f"{path}: no lat/lon or easting/northing columns")
        _require_address_columns(path, columns)
        records = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            records.append(_tabular_record(f"line {reader.line_num}", cells, columns, projection))
    return records, _osm_style(header)


def _tabular_record(
    where: str, cells: Sequence[Any], columns: Mapping[str, list[int]], projection: Projection
) -> _Record:
    values = _values(cells, columns)
    record = _Record(where, values)
    try:
        record.x, record.y, record.crs = _point_from_columns(values, columns, projection)
    except RowError as err:
        record.error = err
    return record


def _layer_records(
    path: Path, layer: str | None, projection: Projection
) -> tuple[list[_Record], bool]:
    """Features of a GeoPackage or GeoJSON layer; lenient when its columns come from OSM."""
    name = pick_layer(path, layer, ("address", "adress"), "point")
    meta, _fids, wkb, fields = ogr_read(str(path), layer=name)
    header = [str(f) for f in meta["fields"]]
    columns = column_map(header, _COLUMNS)
    _require_address_columns(path, columns)
    count = len(wkb) if wkb is not None else (len(fields[0]) if len(fields) else 0)
    geometries = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else [None] * count
    crs = _layer_crs(meta.get("crs"), geometries, projection)
    records = []
    for i, geometry in enumerate(geometries):
        cells = [column[i] for column in fields]
        where = f"feature {i + 1}"
        if geometry is None or geometry.is_empty:
            records.append(_tabular_record(where, cells, columns, projection))
            continue
        point = geometry if geometry.geom_type == "Point" else representative(geometry)
        values = _values(cells, columns)
        if point is None:
            records.append(_Record(where, values, error=RowError("geometry", "unusable")))
        else:
            records.append(_Record(where, values, float(point.x), float(point.y), crs))
    return records, _osm_style(header)


def _layer_crs(crs: str | None, geometries: Sequence[Any], projection: Projection) -> str:
    """The layer's CRS; without one, lon/lat if the points fit in degrees, else the metric CRS."""
    if crs:
        return crs
    coords = shapely.get_coordinates([g for g in geometries if g is not None])
    in_degrees = bool(np.all(np.abs(coords[:, 0]) <= 180) and np.all(np.abs(coords[:, 1]) <= 90))
    return WGS84 if in_degrees else projection.crs


def _osm_address_records(path: Path, builder: _Builder) -> list[_Record]:
    features, no_geometry = osm_addresses(path)
    if no_geometry:
        builder.skipped[NO_GEOMETRY] += no_geometry
    return [_Record(f.where, f.values, f.x, f.y) for f in features]
