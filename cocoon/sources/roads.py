"""Road network files (OpenStreetMap, GeoPackage, GeoJSON) read into WGS 84 Road lines.

Pure I/O adapter: no database, no clock. Lines of classes the network keeps and that touch the
service area become one Road per LineString; other lines are skipped (counted by reason), and a
feature a person must fix is rejected naming its file, feature and field.
"""

from __future__ import annotations

from collections import Counter
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

from cocoon.core.geo import WGS84, ServiceArea
from cocoon.core.model import Road
from cocoon.core.roads import NOT_ROADS, normalise_road_class, road_class
from cocoon.errors import InputError, RowError
from cocoon.sources.columns import cell_text, column_key, column_map, one_line, pick_layer
from cocoon.sources.csvfile import twice
from cocoon.sources.osm import read_osm_layer
from cocoon.sources.reasons import (
    CANNOT_READ,
    LAYER_WITHOUT_CRS,
    LONGER_THAN,
    MISSING,
    NO_COLUMN,
    NO_SUCH_FILE,
    NOT_A_LINE,
    UNKNOWN_ROAD_FORMAT,
    UNUSABLE,
    rejected,
)
from cocoon.sources.text import check_text

OUTSIDE = "outside the service area"
NOT_A_HIGHWAY = "not a road (no highway tag)"
NOT_A_ROAD = "not a road"  # followed by ': <class>'
UNKNOWN_CLASS = "unknown road class"  # followed by ': <class>'
NO_GEOMETRY = "no usable geometry"
UNFIT_TEXT = "control characters or too long"

#: Field -> accepted column names (after `column_key`), best first.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "road_class": ("road_class", "highway", "class", "klass"),
    "name": ("name", "namn", "gatunamn"),
    "source_id": ("source_id", "osm_id", "id"),
}
_WGS84_NAMES = {"EPSG:4326", "OGC:CRS84", "WGS84"}
_OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm")
_LAYER_SUFFIXES = (".gpkg", ".geojson", ".json")


@dataclass
class RoadLoad:
    """What one road file gave: lines to store, what was left out and why, features to fix."""

    roads: list[Road]
    skipped: dict[str, int]
    rejections: list[str]


@dataclass
class _Feature:
    """One line feature in road fields, in WGS 84, and where it stands in its file."""

    where: str
    values: dict[str, str]
    geometry: Any = None
    error: RowError | None = None  # a person must fix it
    class_field: str = "road_class"  # the file's name of the class column, for rejections


@dataclass
class _Builder:
    file: str
    roads: list[Road] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    rejections: list[str] = field(default_factory=list)

    def reject(self, where: str, err: RowError) -> None:
        self.rejections.append(rejected(self.file, where, err))

    def result(self) -> RoadLoad:
        return RoadLoad(self.roads, dict(self.skipped.most_common()), self.rejections)


def read_roads(path: str | Path, area: ServiceArea, layer: str | None = None) -> RoadLoad:
    """Read a road network file; InputError if the file as a whole cannot be used."""
    path = Path(path)
    name = path.name.lower()
    if not name.endswith(_OSM_SUFFIXES + _LAYER_SUFFIXES):
        raise InputError(UNKNOWN_ROAD_FORMAT(path=path, suffix=path.suffix))
    if not path.is_file():
        raise InputError(NO_SUCH_FILE(path=path))
    builder = _Builder(str(path))
    try:
        if name.endswith(_OSM_SUFFIXES):
            features, lenient = _osm_features(path), True
        else:
            features, lenient = _layer_features(path, layer), False
    except (DataSourceError, DataLayerError, CRSError, OSError) as exc:
        raise InputError(CANNOT_READ(path=path, reason=one_line(exc))) from exc
    _admit(builder, features, area, lenient)
    return builder.result()


def _admit(
    builder: _Builder, features: Sequence[_Feature], area: ServiceArea, lenient: bool
) -> None:
    """Judge features in a fixed order: fixable errors, class, geometry, then the area.

    `lenient` (OSM data) skips a feature without a line instead of rejecting it: ways clipped at
    an extract's edge are expected there, not something to fix.
    """
    kept: list[tuple[_Feature, str]] = []
    for feature in features:
        _check_text(feature, lenient, builder)
        if feature.error is not None and not (lenient and feature.error.field == "geometry"):
            builder.reject(feature.where, feature.error)
            continue
        raw = feature.values.get("road_class")
        if raw is None:
            if lenient:
                builder.skipped[NOT_A_HIGHWAY] += 1
            else:
                builder.reject(feature.where, RowError(feature.class_field, MISSING()))
            continue
        value = normalise_road_class(raw)
        if road_class(value) is None:
            reason = NOT_A_ROAD if value in NOT_ROADS else UNKNOWN_CLASS
            builder.skipped[f"{reason}: {value}"] += 1
        elif feature.error is not None:
            builder.skipped[NO_GEOMETRY] += 1
        else:
            kept.append((feature, value))
    lines = [(f, value, line) for f, value in kept for line in _lines(f.geometry)]
    touching = _touching(area, [line for _, _, line in lines])
    outside = len(lines) - int(np.count_nonzero(touching))
    if outside:
        builder.skipped[OUTSIDE] += outside
    for (feature, value, line), inside in zip(lines, touching, strict=True):
        if inside:
            builder.roads.append(_road(feature, value, line))


def _check_text(feature: _Feature, lenient: bool, builder: _Builder) -> None:
    """A name or id with a control character (or too long to store) is an error to fix; in
    OSM data the name is left out instead, and counted: the road is still there to walk."""
    for name, longest in (("name", 10_000), ("source_id", 64)):
        text = feature.values.get(name)
        try:
            check_text(name, text)
            if text is not None and len(text) > longest:
                raise RowError(name, LONGER_THAN(limit=longest))
        except RowError as err:
            if lenient:
                del feature.values[name]
                builder.skipped[f"{name} left out: {UNFIT_TEXT}"] += 1
            elif feature.error is None:
                feature.error = err


def _lines(geometry: Any) -> list[Any]:
    """The LineStrings of a (Multi)LineString with two or more points, without z."""
    parts = shapely.get_parts(shapely.force_2d(geometry))
    return [p for p in parts if p.geom_type == "LineString" and len(p.coords) >= 2]


def _touching(area: ServiceArea, lines: Sequence[Any]) -> Any:
    """Whether each line touches the service area's box (and boundary, when it has one)."""
    if not lines:
        return np.zeros(0, dtype=bool)
    array = np.asarray(lines, dtype=object)
    inside = shapely.intersects(array, shapely.box(*area.bbox))
    if area.boundary is not None:
        shapely.prepare(area.boundary)
        inside &= shapely.intersects(array, area.boundary)
    return inside


def _road(feature: _Feature, value: str, line: Any) -> Road:
    coords = np.round(shapely.get_coordinates(line), 7).tolist()
    return Road(
        road_class=value,
        coords=tuple((float(x), float(y)) for x, y in coords),
        name=feature.values.get("name"),
        source_id=feature.values.get("source_id"),
    )


# --- OpenStreetMap -------------------------------------------------------------------------------


def _osm_features(path: Path) -> list[_Feature]:
    """The `lines` layer of GDAL's OSM driver: one feature per way that is not an area."""
    layer = read_osm_layer(path, "lines")
    features = []
    for i, (tags, geometry) in enumerate(zip(layer.tags, layer.geometries, strict=True)):
        osm_id = tags.get("osm_id")
        where = f"way {osm_id}" if osm_id else f"line {i + 1}"
        values = {"source_id": f"osm-way-{osm_id}"} if osm_id else {}
        if tags.get("highway"):
            values["road_class"] = tags["highway"]
        name = tags.get("name") or tags.get("name:sv")
        if name:
            values["name"] = name
        error = RowError("geometry", UNUSABLE()) if geometry is None else None
        features.append(_Feature(where, values, geometry, error, "highway"))
    return features


# --- GeoPackage, GeoJSON -------------------------------------------------------------------------


def _values(
    cells: Sequence[Any], columns: Mapping[str, list[int]], header: Sequence[str]
) -> dict[str, str]:
    """Fields of one feature: the first non-empty of each field's columns.

    A bare number in an `osm_id` column is a way id, written as an OSM file's reader writes it.
    """
    out: dict[str, str] = {}
    for key, positions in columns.items():
        for i in positions:
            text = cell_text(cells[i])
            if text:
                osm_way = column_key(header[i]) == "osm_id" and text.isdigit()
                out[key] = f"osm-way-{text}" if osm_way else text
                break
    return out


def _layer_features(path: Path, layer: str | None) -> list[_Feature]:
    """Features of a GeoPackage or GeoJSON line layer, reprojected to WGS 84."""
    name = pick_layer(path, layer, ("road", "vag", "gata", "street", "highway"), "line")
    meta, _fids, wkb, fields = ogr_read(str(path), layer=name)
    header = [str(f) for f in meta["fields"]]
    twice(path, header, {key for names in _COLUMNS.values() for key in names})
    columns = column_map(header, _COLUMNS)
    if "road_class" not in columns:
        raise InputError(
            NO_COLUMN(
                path=path, column="road class", names="road_class, highway, class", last="klass"
            )
        )
    class_field = header[columns["road_class"][0]]
    count = len(wkb) if wkb is not None else (len(fields[0]) if len(fields) else 0)
    geometries = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else [None] * count
    geometries = _to_wgs84(path, np.asarray(geometries, dtype=object), meta.get("crs"))
    features = []
    for i, geometry in enumerate(geometries):
        values = _values([column[i] for column in fields], columns, header)
        feature = _Feature(f"feature {i + 1}", values, geometry, class_field=class_field)
        if geometry is None or geometry.is_empty:
            feature.error = RowError("geometry", MISSING())
        elif not _lines(geometry):
            feature.error = RowError("geometry", NOT_A_LINE(kind=geometry.geom_type))
        features.append(feature)
    return features


def _to_wgs84(path: Path, geometries: Any, crs: str | None) -> Any:
    """The geometries in lon/lat; a layer without a CRS must already be in degrees."""
    present = [g for g in geometries if g is not None]
    if crs is None:
        coords = shapely.get_coordinates(present)
        if np.all(np.abs(coords[:, 0]) <= 180) and np.all(np.abs(coords[:, 1]) <= 90):
            return geometries
        raise InputError(LAYER_WITHOUT_CRS(path=path))
    if crs in _WGS84_NAMES:
        return geometries
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)

    def to_lonlat(xy: Any) -> Any:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometries, to_lonlat)
