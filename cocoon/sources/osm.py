"""OpenStreetMap files (.osm.pbf, .osm) through GDAL's OSM driver: layers, tags, addresses.

Reads with pyogrio's raw API, one pass per layer; no geopandas.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyogrio.errors import DataLayerError
from pyogrio.raw import read as ogr_read

from cocoon.core.addressing import OSM_NOT_RESIDENTIAL, OSM_POI_KEYS, dwelling_from_osm

_HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"')
_HSTORE_ESCAPE = re.compile(r"\\(.)")


def representative(geometry: Any) -> Any:
    """A point surely on the geometry; invalid rings (common in OSM) are repaired first."""
    try:
        point = geometry.representative_point()
    except shapely.errors.GEOSException:
        point = shapely.make_valid(geometry).representative_point()
    return None if point is None or point.is_empty else point


def parse_other_tags(text: str | None) -> dict[str, str]:
    """Tags of GDAL's hstore-like other_tags: '"addr:street"=>"Kaivokatu","name"=>"A \\"B\\""'."""
    if not text:
        return {}
    return {
        _HSTORE_ESCAPE.sub(r"\1", key): _HSTORE_ESCAPE.sub(r"\1", value)
        for key, value in _HSTORE_PAIR.findall(text)
    }


@dataclass
class OsmLayer:
    """Tags (dedicated fields merged with other_tags) and geometries of one OSM driver layer."""

    tags: list[dict[str, str]]
    geometries: NDArray[np.object_]


def read_osm_layer(path: Path, layer: str, wanted: str | None = None) -> OsmLayer:
    """One layer, read in its own pass (pyogrio tells the driver which layer it wants).

    GDAL's default node index needs increasing node ids; JOSM-saved files are not always sorted,
    so a second pass without that index is the fallback. `wanted` skips parsing tags of features
    whose other_tags lack that text (most nodes are not addresses).
    """
    with warnings.catch_warnings():  # unclosed rings of clipped extracts: expected, not news
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            meta, _fids, wkb, fields = ogr_read(str(path), layer=layer)
        except DataLayerError as exc:
            if "CUSTOM_INDEXING" not in str(exc):
                raise
            meta, _fids, wkb, fields = ogr_read(str(path), layer=layer, USE_CUSTOM_INDEXING="NO")
    names = [str(n) for n in meta["fields"]]
    tags: list[dict[str, str]] = []
    for row in zip(*fields, strict=True) if fields else ():
        feature = {n: str(v) for n, v in zip(names, row, strict=True) if v is not None}
        extra = feature.pop("other_tags", None) or feature.pop("all_tags", None)
        if wanted is not None and (extra is None or wanted not in extra):
            tags.append({})
            continue
        feature.update(parse_other_tags(extra))
        tags.append(feature)
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    return OsmLayer(tags, np.asarray(geometries, dtype=object))


class _Buildings:
    """Building polygons of an OSM file, to give an address node the tag of its building."""

    def __init__(self, areas: OsmLayer) -> None:
        keep = [
            i
            for i, (tags, geom) in enumerate(zip(areas.tags, areas.geometries, strict=True))
            if geom is not None and tags.get("building", "no") != "no"
        ]
        self._index = np.array(keep, dtype=int)
        polygons = [areas.geometries[i] for i in keep]
        polygons = [p if p.is_valid else shapely.make_valid(p) for p in polygons]
        self._tags = [areas.tags[i]["building"].strip().lower() for i in keep]
        self._areas = np.array([p.area for p in polygons], dtype=float)
        self._tree = shapely.STRtree(polygons)

    def tags_at(self, points: Sequence[Any], own: Sequence[int]) -> list[str | None]:
        """The smallest telling building tag under each point (not counting area `own[i]`)."""
        found: list[str | None] = [None] * len(points)
        if not len(points) or not len(self._tags):
            return found
        point_idx, tree_idx = self._tree.query(np.asarray(points, dtype=object), "intersects")
        order = np.lexsort((self._areas[tree_idx], point_idx))
        for p, t in zip(point_idx[order], tree_idx[order], strict=True):
            tag = self._tags[int(t)]
            if found[p] is None and self._index[t] != own[p] and _telling(tag):
                found[p] = tag
        return found


def _telling(building: str | None) -> bool:
    """Whether a building tag says home or not-home ('yes' says neither)."""
    return dwelling_from_osm(building) is not None or (building or "") in OSM_NOT_RESIDENTIAL


@dataclass(frozen=True)
class OsmAddress:
    """An address node or area in contract fields, at a WGS 84 point."""

    where: str
    values: dict[str, str]
    x: float
    y: float


def osm_addresses(path: Path) -> tuple[list[OsmAddress], int]:
    """Address nodes and areas of an OSM file with their effective building tag, and how many
    address areas had no usable geometry (clipped at the extract's edge)."""
    points = read_osm_layer(path, "points", wanted="addr:")
    areas = read_osm_layer(path, "multipolygons")
    candidates: list[tuple[str, dict[str, str], Any, int]] = []  # id, tags, point, own area
    no_geometry = 0
    for tags, geom in zip(points.tags, points.geometries, strict=True):
        if _has_address(tags) and geom is not None:
            candidates.append((f"osm-node-{tags.get('osm_id')}", tags, geom, -1))
    for i, (tags, geom) in enumerate(zip(areas.tags, areas.geometries, strict=True)):
        if not _has_address(tags):
            continue
        point = None if geom is None else representative(geom)
        if point is None:
            no_geometry += 1
            continue
        way = tags.get("osm_way_id")
        osm_id = f"osm-way-{way}" if way else f"osm-relation-{tags.get('osm_id')}"
        candidates.append((osm_id, tags, point, i))
    under = _Buildings(areas).tags_at([c[2] for c in candidates], [c[3] for c in candidates])
    found = [
        OsmAddress(
            osm_id.removeprefix("osm-").replace("-", " ", 1),
            _osm_values(osm_id, tags, building),
            float(point.x),
            float(point.y),
        )
        for (osm_id, tags, point, _own), building in zip(candidates, under, strict=True)
    ]
    return found, no_geometry


def _has_address(tags: Mapping[str, str]) -> bool:
    return "addr:housenumber" in tags or "addr:street" in tags


def _osm_values(osm_id: str, tags: Mapping[str, str], under: str | None) -> dict[str, str]:
    """Contract fields of an OSM address; its own telling building tag beats the one it is in."""
    own = tags.get("building", "").strip().lower()
    building = own if _telling(own) or under is None else under
    mapping = {
        "street": "addr:street",
        "place": "addr:place",
        "number": "addr:housenumber",
        "postcode": "addr:postcode",
        "town": "addr:city",
    }
    values = {key: tags[tag].strip() for key, tag in mapping.items() if tags.get(tag, "").strip()}
    values.update({key: tags[key] for key in OSM_POI_KEYS if tags.get(key)})
    values["address_id"] = osm_id
    values["osm_type"] = osm_id.split("-")[1]
    if building:
        values["building"] = building
    return values
