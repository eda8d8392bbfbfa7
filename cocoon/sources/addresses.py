"""Address register files (CSV, GeoJSON, GeoPackage, OpenStreetMap) read into Address records.

Pure I/O adapter: no database, no clock. Every format is turned into the same records and judged
by the same rules, so a Lantmäteriet export and an OSM extract agree on what is a home: points
outside the service area or on non-residential buildings are skipped (counted by reason), and a
row a person must fix is rejected naming its file, row and field.

Big registers are read in chunks (`RegisterReader.chunks`, 50,000 rows) so that the load keeps
one chunk of records in memory, not the file; OSM-derived data, whose repeated doors are merged
across the whole file, is one chunk. A file none of whose points lies in the service area (or
whose easting/northing look like RT90) is refused at the end with one line saying why.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
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
from cocoon.core.model import Address, Dwelling
from cocoon.errors import InputError, RowError
from cocoon.messages import FILE_PROBLEM, Message
from cocoon.sources.columns import cell_text, column_key, column_map, one_line, pick_layer
from cocoon.sources.csvfile import UTF8, codec, csv_rows, header_of, sniff_encoding, twice
from cocoon.sources.fields import pair
from cocoon.sources.osm import osm_addresses, representative
from cocoon.sources.outside import OutsideCount
from cocoon.sources.reasons import (
    CANNOT_READ,
    LONGER_THAN,
    MISSING,
    NO_COLUMN,
    NO_LOCATION_COLUMNS,
    NO_SUCH_FILE,
    NOT_A_LATITUDE,
    NOT_A_LONGITUDE,
    NOT_CONVERTIBLE,
    NOT_ENCODED,
    UNKNOWN_ADDRESS_FORMAT,
    UNUSABLE,
    rejected,
)
from cocoon.sources.text import MAX_FIELD, check_text

OUTSIDE = "outside the service area"
NO_STREET_OR_NUMBER = "no street or number"
NO_GEOMETRY = "no usable geometry"
DUPLICATE_ID = "duplicate address_id (the last one kept)"
SAME_DOOR = "same street and number as a nearby OSM feature"
UNFIT_TEXT = "control characters or an over-long value in an address field"
#: Rows read and stored at a time.
CHUNK_ROWS = 50_000
#: The longest values the register's columns hold (address_id, number, postcode).
_LONGEST = {"address_id": 64, "number": 32, "postcode": 16}
#: The fields of a record that are stored as text, checked for control characters.
_STORED_TEXT = ("address_id", "street", "place", "number", "letter", "postcode", "town")
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
    encoding: str = UTF8


@dataclass
class AddressChunk:
    """Homes of one chunk of a register, and the ids an earlier chunk of the file may have had
    (the store tells: then the later row wins and the pair counts as a duplicate)."""

    addresses: list[Address]
    maybe_seen: set[str]


@dataclass
class _Record:
    """One row or feature in contract fields, its point, and where it stands in its file.

    `form` says how the point was given: 'degrees' (lat/lon), 'metres' (the metric CRS),
    'other' (another CRS of a layer), 'not degrees' (lat/lon too big: x, y are lat, lon).
    """

    where: str
    values: dict[str, str]
    x: float = math.nan
    y: float = math.nan
    crs: str = WGS84
    error: RowError | None = None  # the point could not be read
    form: str = "degrees"
    raw: tuple[float, float] = (math.nan, math.nan)


class _Skip(Exception):
    """A record that is fine but not wanted (not a home, no address); the reason is counted."""


class _NotDegrees(RowError):
    """lat/lon values that are no degrees (metres in the wrong columns, most likely)."""

    def __init__(self, name: str, reason: Message, lat: float, lon: float) -> None:
        super().__init__(name, reason)
        self.lat, self.lon = lat, lon


class _Kinds:
    """why_not_a_home and dwelling_of of a record, remembered by the few fields they read: a
    register repeats a handful of purpose and building values a million times."""

    _FIELDS = ("purpose", "dwelling", "building", *OSM_POI_KEYS)

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, ...], tuple[str | None, Dwelling | None]] = {}

    def of(self, values: Mapping[str, str]) -> tuple[str | None, Dwelling | None]:
        key = tuple(values.get(name) for name in self._FIELDS)
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= 10_000:  # free text in those columns: stay bounded
                self._known.clear()
            found = self._known[key] = (why_not_a_home(values), dwelling_of(values))
        return found


class _SeenIds:
    """Which ids of a chunk an earlier chunk may have had: 64-bit hashes, 8 bytes an id, so a
    register of millions is remembered in megabytes (a collision only costs a lookup)."""

    def __init__(self) -> None:
        self._sorted: list[np.ndarray] = []

    def add(self, ids: Sequence[str]) -> set[str]:
        hashes = np.fromiter((hash(i) for i in ids), dtype=np.int64, count=len(ids))
        hit = np.zeros(len(ids), dtype=bool)
        for seen in self._sorted:
            at = np.searchsorted(seen, hashes).clip(max=len(seen) - 1)
            hit |= seen[at] == hashes
        if len(hashes):
            self._sorted.append(np.sort(hashes))
        return {ids[int(i)] for i in np.flatnonzero(hit)}


class RegisterReader:
    """A register file read chunk by chunk; skips, rejections and rows read add up as it goes.

    InputError when the file as a whole cannot be used: at once for an unknown format, a
    missing file or bad columns; at the end of `chunks` when no point lies in the service area.
    """

    def __init__(
        self,
        path: str | Path,
        area: ServiceArea,
        projection: Projection,
        layer: str | None = None,
        chunk_rows: int | None = None,
    ) -> None:
        self.path = Path(path)
        name = self.path.name.lower()
        if not name.endswith(_OSM_SUFFIXES + _LAYER_SUFFIXES + _CSV_SUFFIXES):
            raise InputError(UNKNOWN_ADDRESS_FORMAT(path=self.path, suffix=self.path.suffix))
        if not self.path.is_file():
            raise InputError(NO_SUCH_FILE(path=self.path))
        self.area, self.projection, self.layer = area, projection, layer
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self.encoding = UTF8
        self.rows = 0  # records read so far
        self.skipped: Counter[str] = Counter()
        self.rejections: list[str] = []
        self._outside = OutsideCount(area, projection)
        self._seen = _SeenIds()
        self._kinds = _Kinds()

    def chunks(self) -> Iterator[AddressChunk]:
        """The homes of the file, a chunk at a time."""
        name = self.path.name.lower()
        try:
            if name.endswith(_CSV_SUFFIXES):
                self.encoding = sniff_encoding(self.path)
                records = self._csv_chunks()
            elif name.endswith(_OSM_SUFFIXES):
                records = iter([(_osm_address_records(self.path, self.skipped), True)])
            else:
                records = self._layer_chunks()
            for chunk, lenient in records:
                _to_wgs84(chunk, self.projection)
                addresses = self._admit(chunk, lenient)
                self.rows += len(chunk)
                yield AddressChunk(addresses, self._seen.add([a.address_id for a in addresses]))
                if self._outside.looks_rt90():
                    break  # a chunk is enough to tell
        except (DataSourceError, DataLayerError, CRSError, OSError, csv.Error) as exc:
            raise InputError(CANNOT_READ(path=self.path, reason=one_line(exc))) from exc
        except UnicodeDecodeError as exc:
            raise InputError(
                NOT_ENCODED(path=self.path, encoding=self.encoding, byte=exc.start)
            ) from exc
        refusal = self._outside.refusal("points")
        if refusal:
            raise InputError(FILE_PROBLEM(path=self.path, reason=refusal))

    def reject(self, where: str, err: RowError) -> None:
        self.rejections.append(rejected(str(self.path), where, err))

    def skipped_by_count(self) -> dict[str, int]:
        """Skip reasons, biggest first, for the summary."""
        return dict(self.skipped.most_common())

    # --- the rules every format shares ---------------------------------------------------------

    def _admit(self, records: Sequence[_Record], lenient: bool) -> list[Address]:
        """Judge records in a fixed order: unreadable point, outside, not a home, no street or
        number, unfit text; the last of an id in the chunk wins.

        `lenient` (OSM-derived data) skips incomplete addresses instead of rejecting them:
        nobody is expected to fix a shop's half-tagged address before the register can load.
        """
        inside = _inside(self.area, records)
        self._count_points(records, inside)
        admitted: list[tuple[_Record, Address]] = []
        for record, is_inside in zip(records, inside, strict=True):
            try:
                not_home, dwelling = self._kinds.of(record.values)
                if record.error is not None:
                    if not_home:
                        raise _Skip(not_home)
                    raise record.error
                if not is_inside:
                    raise _Skip(OUTSIDE)
                if not_home:
                    raise _Skip(not_home)
                admitted.append((record, _address(record, lenient, dwelling)))
            except _Skip as skip:
                self.skipped[str(skip)] += 1
            except RowError as err:
                self.reject(record.where, err)
        addresses = _one_per_door(admitted, self.skipped) if lenient else [a for _, a in admitted]
        by_id: dict[str, Address] = {}
        for address in addresses:
            if address.address_id in by_id:
                self.skipped[DUPLICATE_ID] += 1
            by_id[address.address_id] = address
        return list(by_id.values())

    def _count_points(self, records: Sequence[_Record], inside: Sequence[bool]) -> None:
        """Tell the outside count where the chunk's points lay, by how they were given."""
        forms: dict[str, list[int]] = {}
        for i, record in enumerate(records):
            if record.error is None or isinstance(record.error, _NotDegrees):
                forms.setdefault(record.form, []).append(i)
        for form, at in forms.items():
            raw = np.array([records[i].raw for i in at], dtype=float).reshape(-1, 2)
            count = sum(inside[i] for i in at)
            if form == "degrees":
                self._outside.add_degrees(raw[:, 1], raw[:, 0], count)
            elif form == "metres":
                lon = [records[i].x for i in at]
                lat = [records[i].y for i in at]
                self._outside.add_metres(raw[:, 0], raw[:, 1], lon, lat, count)
            elif form == "not degrees":
                self._outside.add_degrees_that_are_metres(raw[:, 1], raw[:, 0])
            else:
                self._outside.points += len(at)
                self._outside.inside += count

    # --- tabular sources: CSV, GeoJSON, GeoPackage ---------------------------------------------

    def _csv_chunks(self) -> Iterator[tuple[list[_Record], bool]]:
        """Rows of a CSV file in chunks; the delimiter is the one the header line uses most."""
        path = self.path
        with path.open(encoding=codec(self.encoding), newline="") as stream:
            header, delimiter = header_of(iter(stream), path)
            twice(path, header, {key for names in _COLUMNS.values() for key in names})
            columns = column_map(header, _COLUMNS)
            if not _has_location_columns(columns):
                raise InputError(NO_LOCATION_COLUMNS(path=path))
            _require_address_columns(path, columns)
            lenient = _osm_style(header)
            chunk: list[_Record] = []
            for where, cells in csv_rows(stream, delimiter):
                if isinstance(cells, str):
                    chunk.append(_Record(where, {}, error=RowError("columns", cells)))
                else:
                    values = _csv_values(cells, columns)
                    chunk.append(_tabular_record(where, values, columns, self.projection))
                if len(chunk) >= self.chunk_rows and not lenient:
                    yield chunk, lenient
                    chunk = []
            if chunk:
                yield chunk, lenient

    def _layer_chunks(self) -> Iterator[tuple[list[_Record], bool]]:
        """Features of a GeoPackage or GeoJSON layer in chunks (one for OSM-style columns)."""
        path = self.path
        name = pick_layer(path, self.layer, ("address", "adress"), "point")
        meta, _fids, wkb, fields = ogr_read(str(path), layer=name)
        header = [str(f) for f in meta["fields"]]
        twice(path, header, {key for names in _COLUMNS.values() for key in names})
        columns = column_map(header, _COLUMNS)
        _require_address_columns(path, columns)
        lenient = _osm_style(header)
        count = len(wkb) if wkb is not None else (len(fields[0]) if len(fields) else 0)
        geometries = (
            shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else [None] * count
        )
        crs = _layer_crs(meta.get("crs"), geometries, self.projection)
        form = _form(crs, self.projection)
        step = count if lenient else self.chunk_rows
        for start in range(0, count, max(step, 1)):
            chunk = []
            for i in range(start, min(start + step, count)):
                chunk.append(
                    _layer_record(i, geometries[i], fields, columns, crs, form, self.projection)
                )
            yield chunk, lenient


def read_addresses(
    path: str | Path, area: ServiceArea, projection: Projection, layer: str | None = None
) -> AddressLoad:
    """Read a whole address register file; InputError if the file as a whole cannot be used."""
    reader = RegisterReader(path, area, projection, layer)
    by_id: dict[str, Address] = {}
    for chunk in reader.chunks():
        for address in chunk.addresses:
            if address.address_id in by_id:
                reader.skipped[DUPLICATE_ID] += 1
            by_id[address.address_id] = address
    return AddressLoad(
        list(by_id.values()), reader.skipped_by_count(), reader.rejections, reader.encoding
    )


def _one_per_door(
    admitted: Sequence[tuple[_Record, Address]], skipped: Counter[str]
) -> list[Address]:
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
        skipped[SAME_DOOR] += 1
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
    """Whether each record lies in the service area, tested as one array (box, then outline)."""
    inside: list[bool] = area.contains_xy([r.x for r in records], [r.y for r in records]).tolist()
    return inside


def _address(record: _Record, lenient: bool, dwelling: Dwelling | None) -> Address:
    """The Address of an admitted record; RowError or _Skip when street or number is missing,
    or a stored field holds a control character or is longer than its column."""
    v = record.values
    try:
        _check_stored_text(v)
    except RowError:
        if lenient:
            raise _Skip(UNFIT_TEXT) from None
        raise
    street = v.get("street") or v.get("place")
    number = v.get("number")
    if number and v.get("letter"):
        number += v["letter"]
    if not street or not number:
        if lenient:
            raise _Skip(NO_STREET_OR_NUMBER)
        raise RowError("street" if not street else "number", MISSING())
    if len(number) > _LONGEST["number"]:
        raise RowError("number", LONGER_THAN(limit=_LONGEST["number"]))
    town = v.get("town")
    return Address(
        address_id=_address_id(v, street, number, town),
        street=street,
        number=number,
        lon=record.x,
        lat=record.y,
        postcode=v.get("postcode"),
        town=town,
        dwelling=dwelling,
    )


def _check_stored_text(v: Mapping[str, str]) -> None:
    """RowError naming a stored field with a control character or longer than its column."""
    if not all(t.isprintable() for t in v.values()):  # the common case costs one pass in C
        for name in _STORED_TEXT:
            check_text(name, v.get(name))
    for name in _STORED_TEXT:
        size = len(v.get(name) or "")
        if size > _LONGEST.get(name, MAX_FIELD):
            if name not in _LONGEST:
                check_text(name, v[name])
            raise RowError(name, LONGER_THAN(limit=_LONGEST[name]))


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
                record.error = RowError(field_name, NOT_CONVERTIBLE(crs=crs))


def _form(crs: str, projection: Projection) -> str:
    """How a layer's points are given: 'degrees', 'metres' (the metric CRS) or 'other'."""
    if crs in _WGS84_NAMES:
        return "degrees"
    return "metres" if crs == projection.crs else "other"


def _require_address_columns(path: Path, columns: Mapping[str, list[int]]) -> None:
    if "street" not in columns and "place" not in columns:
        raise InputError(NO_COLUMN(path=path, column="street", names="street", last="addr:street"))
    if "number" not in columns:
        raise InputError(
            NO_COLUMN(path=path, column="number", names="number", last="addr:housenumber")
        )


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


def _csv_values(cells: Sequence[str], columns: Mapping[str, list[int]]) -> dict[str, str]:
    """_values for CSV cells, which are text already."""
    out: dict[str, str] = {}
    count = len(cells)
    for key, positions in columns.items():
        for i in positions:
            if i < count and (text := cells[i].strip()):
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
            raise _NotDegrees("lat", NOT_A_LATITUDE(lat=lat), lat, lon)
        if not -180 <= lon <= 180:
            raise _NotDegrees("lon", NOT_A_LONGITUDE(lon=lon), lat, lon)
        return lon, lat, WGS84
    metric = pair(values, "easting", "northing")
    if metric is not None:
        return metric[0], metric[1], projection.crs
    if "lat" in columns or "lon" in columns:
        raise RowError("lat" if "lat" not in values else "lon", MISSING())
    if "easting" in columns or "northing" in columns:
        raise RowError("easting" if "easting" not in values else "northing", MISSING())
    raise RowError("geometry", MISSING())


def _has_location_columns(columns: Mapping[str, list[int]]) -> bool:
    return ("lat" in columns and "lon" in columns) or (
        "easting" in columns and "northing" in columns
    )


def _osm_style(header: Iterable[str]) -> bool:
    """Columns named like OSM tags ('addr:street'): the data is OSM's, so be lenient."""
    return any(column_key(name).startswith("addr_") for name in header)


def _tabular_record(
    where: str, values: dict[str, str], columns: Mapping[str, list[int]], projection: Projection
) -> _Record:
    record = _Record(where, values)
    try:
        record.x, record.y, record.crs = _point_from_columns(values, columns, projection)
    except _NotDegrees as err:
        record.error, record.form, record.raw = err, "not degrees", (err.lon, err.lat)
        return record
    except RowError as err:
        record.error = err
        return record
    record.form = "degrees" if record.crs == WGS84 else "metres"
    record.raw = (record.x, record.y)
    return record


def _layer_record(
    i: int,
    geometry: Any,
    fields: Sequence[Any],
    columns: Mapping[str, list[int]],
    crs: str,
    form: str,
    projection: Projection,
) -> _Record:
    """Feature i of a layer; a feature without geometry may have lat/lon columns."""
    cells = [column[i] for column in fields]
    where = f"feature {i + 1}"
    if geometry is None or geometry.is_empty:
        return _tabular_record(where, _values(cells, columns), columns, projection)
    point = geometry if geometry.geom_type == "Point" else representative(geometry)
    values = _values(cells, columns)
    if point is None:
        return _Record(where, values, error=RowError("geometry", UNUSABLE()))
    x, y = float(point.x), float(point.y)
    return _Record(where, values, x, y, crs, form=form, raw=(x, y))


def _layer_crs(crs: str | None, geometries: Sequence[Any], projection: Projection) -> str:
    """The layer's CRS; without one, lon/lat if the points fit in degrees, else the metric CRS."""
    if crs:
        return crs
    coords = shapely.get_coordinates([g for g in geometries if g is not None])
    in_degrees = bool(np.all(np.abs(coords[:, 0]) <= 180) and np.all(np.abs(coords[:, 1]) <= 90))
    return WGS84 if in_degrees else projection.crs


def _osm_address_records(path: Path, skipped: Counter[str]) -> list[_Record]:
    features, no_geometry = osm_addresses(path)
    if no_geometry:
        skipped[NO_GEOMETRY] += no_geometry
    return [_Record(f.where, f.values, f.x, f.y, raw=(f.x, f.y)) for f in features]
