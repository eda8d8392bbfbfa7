"""Partner group files (CSV, GeoJSON, GeoPackage) read into group rows: a name, contact
persons, and an area (a polygon) or a list of register addresses.

Pure I/O adapter: no database, no clock. One row or feature per group. A row a person must fix
is rejected naming its file, row and field; the good rows of the file are kept. The addresses
of a list are matched against the register by the app layer, which rejects in the same words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyogrio.raw import read as ogr_read
from pyproj import Transformer
from pyproj.exceptions import CRSError
from shapely.errors import GEOSException
from shapely.geometry.base import BaseGeometry

from cocoon.core.addressing import fold
from cocoon.core.geo import WGS84, Projection, ServiceArea
from cocoon.core.groups import CHANNEL_WORDS, Channel, Contact, email_address, swedish_mobile
from cocoon.errors import InputError, RowError
from cocoon.i18n import Language
from cocoon.messages import place
from cocoon.sources.columns import cell_text, column_map, one_line, pick_layer
from cocoon.sources.csvfile import EXTRA, csv_records, read_text
from cocoon.sources.reasons import (
    AREA_AND_ADDRESSES,
    AREA_OUTSIDE,
    CANNOT_READ,
    CONTACT,
    CONTACT_NAMED,
    CONTACT_NO_ADDRESS,
    CONTACT_NO_NAME,
    EMPTY_FILE,
    EMPTY_GEOMETRY,
    EMPTY_POLYGON,
    EXTRA_FIELDS,
    GROUP_TWICE,
    INVALID_POLYGON,
    LONGER_THAN,
    MISSING,
    NO_AREA,
    NO_AREA_COLUMN,
    NO_COLUMN,
    NO_CONTACT,
    NO_SUCH_FILE,
    NOT_A_CONTACT,
    NOT_A_CONTACT_LIST,
    NOT_A_CONTACT_OBJECT,
    NOT_A_JSON_LIST,
    NOT_A_LANGUAGE,
    NOT_A_MOBILE,
    NOT_A_POLYGON,
    NOT_AN_EMAIL,
    NOT_CONVERTIBLE,
    NOT_WKT,
    UNKNOWN_CHANNEL,
    UNKNOWN_GROUP_FORMAT,
    rejected,
)

#: Contract field -> accepted column names (after `column_key`), best first.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "group_id": ("group_id", "grupp_id", "id"),
    "name": ("name", "namn", "group", "grupp"),
    "contacts": ("contacts", "kontakter", "kontaktpersoner"),
    "addresses": ("addresses", "adresser"),
    "area": ("area", "wkt", "omrade", "geometry"),  # a CSV's polygon, as WKT
    "language": ("language", "sprak"),
}
_WGS84_NAMES = {"EPSG:4326", "OGC:CRS84", "WGS84"}
_LAYER_SUFFIXES = (".gpkg", ".geojson", ".json")
_CSV_SUFFIXES = (".csv", ".tsv")
_LANGUAGES: tuple[Language, ...] = ("sv", "en")
#: Keys a contact may have in a JSON list, by what they hold.
_JSON_TO = ("to", "address", "email", "phone", "number", "adress", "telefon")


@dataclass(frozen=True)
class GroupRow:
    """One group as its file gives it: the polygon in WGS 84, or the addresses as written."""

    where: str
    group_id: str
    name: str
    contacts: tuple[Contact, ...]
    polygon: BaseGeometry | None
    addresses: tuple[str, ...]
    language: Language | None


@dataclass
class GroupFile:
    """What one group file gave: the good rows and, per bad row, file, row, field and why."""

    file: str
    rows: list[GroupRow] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)

    def reject(self, where: str, err: RowError) -> None:
        self.rejections.append(rejected(self.file, where, err))


def group_id_for(name: str) -> str:
    """A stable id for a group without one: the same name (any case or accents), the same id."""
    return "G-" + hashlib.sha256(fold(name).encode()).hexdigest()[:12]


@dataclass
class _Record:
    """One row or feature: its fields as text, its polygon (WGS 84) and where it stands."""

    where: str
    values: dict[str, str]
    addresses: list[str]
    polygon: BaseGeometry | None = None
    geometry_field: str = "area"
    error: RowError | None = None


def read_groups(
    path: str | Path, area: ServiceArea, projection: Projection, layer: str | None = None
) -> GroupFile:
    """Read a group file; InputError if the file as a whole cannot be used."""
    path = Path(path)
    name = path.name.lower()
    if not name.endswith(_LAYER_SUFFIXES + _CSV_SUFFIXES):
        raise InputError(UNKNOWN_GROUP_FORMAT(path=path, suffix=path.suffix))
    if not path.is_file():
        raise InputError(NO_SUCH_FILE(path=path))
    try:
        if name.endswith(_CSV_SUFFIXES):
            records = _csv_records(path, projection)
        else:
            records = _layer_records(path, layer, projection)
    except (DataSourceError, DataLayerError, CRSError, OSError) as exc:
        raise InputError(CANNOT_READ(path=path, reason=one_line(exc))) from exc
    loaded = GroupFile(str(path))
    first_at: dict[str, str] = {}
    for record in records:
        try:
            row = _row(record, area)
            if row.group_id in first_at:
                which = "group_id" if record.values.get("group_id") else "name"
                where = place(first_at[row.group_id])
                raise RowError(which, GROUP_TWICE(group_id=row.group_id, where=where))
        except RowError as err:
            loaded.reject(record.where, err)
            continue
        first_at[row.group_id] = record.where
        loaded.rows.append(row)
    return loaded


# --- the rules every format shares ---------------------------------------------------------------


def _row(record: _Record, area: ServiceArea) -> GroupRow:
    """A group row from a record, or a RowError naming the first field to fix."""
    v = record.values
    if v.get(EXTRA):
        raise RowError("columns", EXTRA_FIELDS())
    name = v.get("name")
    if not name:
        raise RowError("name", MISSING())
    group_id = v.get("group_id") or group_id_for(name)
    if len(group_id) > 64:
        raise RowError("group_id", LONGER_THAN(limit=64))
    language = _language(v.get("language"))
    contacts = parse_contacts(v.get("contacts") or "")
    if record.error is not None:
        raise record.error
    polygon = record.polygon
    if polygon is not None:
        _check_polygon(polygon, record.geometry_field, area)
    if polygon is not None and record.addresses:
        raise RowError("addresses", AREA_AND_ADDRESSES())
    if polygon is None and not record.addresses:
        raise RowError(record.geometry_field, NO_AREA())
    return GroupRow(
        record.where, group_id, name, contacts, polygon, tuple(record.addresses), language
    )


def _language(value: str | None) -> Language | None:
    if not value:
        return None
    folded = value.strip().lower()
    if folded not in _LANGUAGES:
        raise RowError("language", NOT_A_LANGUAGE(value=value))
    return folded


def _check_polygon(polygon: BaseGeometry, field_name: str, area: ServiceArea) -> None:
    if polygon.geom_type not in ("Polygon", "MultiPolygon"):
        raise RowError(field_name, NOT_A_POLYGON(kind=polygon.geom_type))
    if polygon.is_empty:
        raise RowError(field_name, EMPTY_POLYGON())
    if not polygon.is_valid:
        raise RowError(field_name, INVALID_POLYGON(reason=shapely.is_valid_reason(polygon)))
    if not shapely.intersects(polygon, shapely.box(*area.bbox)) or (
        area.boundary is not None and not shapely.intersects(polygon, area.boundary)
    ):
        raise RowError(field_name, AREA_OUTSIDE())


def parse_contacts(value: str) -> tuple[Contact, ...]:
    """Contact persons as a cell gives them: 'Name, sms, 070-123 45 67; Name, email, a@b.se'
    (the channel may be left out: an @ is e-mail, else SMS), or a JSON list of objects with
    name, channel and to. The same channel and address twice is one contact."""
    text = value.strip()
    if not text:
        raise RowError("contacts", NO_CONTACT())
    items = _json_contacts(text) if text.startswith("[") else _text_contacts(text)
    contacts: dict[tuple[Channel, str], Contact] = {}
    for n, (name, channel_word, to) in enumerate(items, start=1):
        contact = _contact(n, name, channel_word, to)
        contacts.setdefault((contact.channel, contact.to), contact)
    if not contacts:
        raise RowError("contacts", NO_CONTACT())
    return tuple(contacts.values())


def _text_contacts(text: str) -> list[tuple[str, str, str]]:
    items = []
    for n, item in enumerate((p for p in text.replace("\n", ";").split(";") if p.strip()), 1):
        parts = [p.strip() for p in item.split(",")]
        if len(parts) == 3:
            items.append((parts[0], parts[1], parts[2]))
        elif len(parts) == 2:
            items.append((parts[0], "", parts[1]))
        else:
            raise RowError("contacts", NOT_A_CONTACT(number=n, item=item.strip()))
    return items


def _json_contacts(text: str) -> list[tuple[str, str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RowError("contacts", NOT_A_JSON_LIST(reason=exc.msg)) from None
    if not isinstance(data, list):
        raise RowError("contacts", NOT_A_CONTACT_LIST())
    items = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise RowError("contacts", NOT_A_CONTACT_OBJECT(number=n))
        to = next((str(item[k]) for k in _JSON_TO if item.get(k)), "")
        items.append((str(item.get("name") or ""), str(item.get("channel") or ""), to))
    return items


def _contact(n: int, name: str, channel_word: str, to: str) -> Contact:
    """One contact checked: a name, a known channel, an e-mail address or a Swedish mobile."""
    who = CONTACT_NAMED(number=n, name=name) if name else CONTACT(number=n)
    if not name:
        raise RowError("contacts", CONTACT_NO_NAME(who=who))
    if not to:
        raise RowError("contacts", CONTACT_NO_ADDRESS(who=who))
    if channel_word:
        channel = CHANNEL_WORDS.get(channel_word.strip().lower())
        if channel is None:
            raise RowError("contacts", UNKNOWN_CHANNEL(who=who, word=channel_word))
    else:
        channel = Channel.EMAIL if "@" in to else Channel.SMS
    if channel is Channel.EMAIL:
        address = email_address(to)
        if address is None:
            raise RowError("contacts", NOT_AN_EMAIL(who=who, to=to))
        return Contact(name, channel, address)
    number = swedish_mobile(to)
    if number is None:
        raise RowError("contacts", NOT_A_MOBILE(who=who, to=to))
    return Contact(name, channel, number)


# --- CSV -----------------------------------------------------------------------------------------


def _csv_records(path: Path, projection: Projection) -> list[_Record]:
    """Rows of a CSV file; the polygon comes as WKT, in lon/lat or in the metric CRS."""
    header, rows = csv_records(read_text(path))
    if not header or not any(h.strip() for h in header):
        raise InputError(EMPTY_FILE(path=path))
    columns = column_map(header, _COLUMNS)
    if "name" not in columns:
        raise InputError(NO_COLUMN(path=path, column="name", names="name", last="namn"))
    if "contacts" not in columns:
        raise InputError(
            NO_COLUMN(path=path, column="contacts", names="contacts", last="kontakter")
        )
    if "area" not in columns and "addresses" not in columns:
        raise InputError(NO_AREA_COLUMN(path=path))
    records = []
    for row in rows:
        cells = [row.values.get(h) for h in header]
        if not any(c and c.strip() for c in cells):
            continue
        values = _values(cells, columns)
        if row.values.get(EXTRA):
            values[EXTRA] = row.values[EXTRA]
        record = _Record(row.where, values, _address_list(values.get("addresses")))
        try:
            record.polygon = _wkt_polygon(values.get("area"), projection)
        except RowError as err:
            record.error = err
        records.append(record)
    return records


def _wkt_polygon(text: str | None, projection: Projection) -> BaseGeometry | None:
    """A WKT polygon in lon/lat, or in the metric CRS when its numbers are not degrees."""
    if not text:
        return None
    try:
        geometry = shapely.from_wkt(text)
    except (GEOSException, ValueError) as exc:
        raise RowError("area", NOT_WKT(reason=one_line(exc))) from None
    if geometry is None or geometry.is_empty:
        raise RowError("area", EMPTY_GEOMETRY())
    coords = shapely.get_coordinates(geometry)
    if _in_degrees(coords):
        return geometry
    return _transformed(geometry, projection.crs)


# --- GeoJSON, GeoPackage -------------------------------------------------------------------------


def _layer_records(path: Path, layer: str | None, projection: Projection) -> list[_Record]:
    """Features of a GeoJSON or GeoPackage layer; a feature without geometry may list addresses."""
    name = pick_layer(path, layer, ("group", "grupp", "grannsamverkan"), "polygon")
    meta, _fids, wkb, fields = ogr_read(str(path), layer=name)
    header = [str(f) for f in meta["fields"]]
    columns = column_map(header, _COLUMNS)
    if "name" not in columns:
        raise InputError(NO_COLUMN(path=path, column="name", names="name", last="namn"))
    if "contacts" not in columns:
        raise InputError(
            NO_COLUMN(path=path, column="contacts", names="contacts", last="kontakter")
        )
    count = len(wkb) if wkb is not None else (len(fields[0]) if len(fields) else 0)
    geometries = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else [None] * count
    crs = meta.get("crs")
    records = []
    for i, geometry in enumerate(geometries):
        cells = [column[i] for column in fields]
        values = _values(cells, columns)
        addresses = _address_list(values.get("addresses"))
        record = _Record(f"feature {i + 1}", values, addresses, geometry_field="geometry")
        if geometry is not None and not geometry.is_empty:
            try:
                record.polygon = _layer_polygon(geometry, crs, projection)
            except RowError as err:
                record.error = err
        records.append(record)
    return records


def _layer_polygon(geometry: BaseGeometry, crs: str | None, projection: Projection) -> BaseGeometry:
    """A feature's geometry in lon/lat: from the layer's CRS, or, without one, from degrees or
    the metric CRS by its numbers."""
    geometry = shapely.force_2d(geometry)
    if crs is None:
        if _in_degrees(shapely.get_coordinates(geometry)):
            return geometry
        crs = projection.crs
    if crs in _WGS84_NAMES:
        return geometry
    polygon = _transformed(geometry, crs)
    if not np.all(np.isfinite(shapely.get_coordinates(polygon))):
        raise RowError("geometry", NOT_CONVERTIBLE(crs=crs))
    return polygon


# --- cells ---------------------------------------------------------------------------------------


def _values(cells: Sequence[Any], columns: Mapping[str, list[int]]) -> dict[str, str]:
    """Contract fields of one row: the first non-empty of each field's columns; a list cell
    (GeoJSON's addresses as an array) is joined with '; '."""
    out: dict[str, str] = {}
    for key, positions in columns.items():
        for i in positions:
            raw = cells[i] if i < len(cells) else None
            if isinstance(raw, list | tuple | np.ndarray):
                text: str | None = "; ".join(t for v in raw if (t := cell_text(v))) or None
            else:
                text = cell_text(raw)
            if text:
                out[key] = text
                break
    return out


def _address_list(text: str | None) -> list[str]:
    """'Storgatan 1; Storgatan 3' or one per line; register ids work as well as addresses."""
    if not text:
        return []
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def _in_degrees(coords: Any) -> bool:
    xy = np.asarray(coords, dtype=float).reshape(-1, 2)
    return bool(np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90))


def _transformed(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)

    def to_lonlat(xy: Any) -> Any:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometry, to_lonlat)


__all__ = ["GroupFile", "GroupRow", "group_id_for", "parse_contacts", "read_groups"]
