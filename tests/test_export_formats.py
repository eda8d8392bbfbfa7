"""Every map export format read back with an independent reader: GDAL (pyogrio) for the
GeoPackage and the KML, a JSON parser for GeoJSON, an XML parser for styles, Pillow for the PNG.
Layers, CRS, axis order (a known point comes back at its place), counts, dates and styles."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely
from PIL import Image
from pyogrio import raw

from cocoon.app.installation import Installation
from cocoon.core.profile import Profile
from cocoon.outputs import render
from cocoon.outputs.maps import ATTRIBUTION, COLOURS, FILL_OPACITY
from tests import exporttown
from tests.exporttown import AT, BURGLARIES, FORMATS, Town, burgled
from tests.towns import SWEREF

INTERNAL, PUBLIC = Profile.INTERNAL, Profile.PUBLIC
KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def town(export_town: Town) -> Town:
    return export_town


def read(path: Path, layer: str) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    """GDAL's view of a layer: its metadata, shapely geometries and field arrays by name."""
    meta, _, wkb, values = raw.read(str(path), layer=layer)
    fields = dict(zip(meta["fields"], values, strict=True))
    geometries = list(shapely.from_wkb(wkb)) if wkb is not None else []
    return meta, geometries, fields


# -- GeoPackage -------------------------------------------------------------------------------


def test_internal_geopackage_has_a_layer_per_content_in_the_metric_crs(town: Town) -> None:
    path = town.file(INTERNAL, "gpkg")
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {
        "zones": "MultiPolygon",
        "visit_stops": "Point",
        "signs": "Point",
        "reports": "Point",
        "layer_styles": None,
    }
    for name in ("zones", "visit_stops", "signs", "reports"):
        assert pyogrio.read_info(path, layer=name)["crs"] == "EPSG:3006"


def test_internal_geopackage_counts_what_the_store_holds(town: Town) -> None:
    path, pub = town.file(INTERNAL, "gpkg"), town.maps[INTERNAL].publication
    counts = {n: pyogrio.read_info(path, layer=n)["features"] for n in ("zones", "signs")}
    assert counts == {"zones": 3, "signs": len(pub.signs)}
    assert len(pub.signs) >= 3
    _, _, stops = read(path, "visit_stops")
    assert len(stops["address_id"]) == len(pub.stops) > 3
    assert sorted(stops["outcome"][:3]) == ["declined", "not_home", "visited"]
    _, _, reports = read(path, "reports")
    assert sorted(reports["report_id"]) == sorted(rid for rid, _, _ in BURGLARIES)


def test_geopackage_report_point_comes_back_at_its_easting_and_northing(town: Town) -> None:
    _, points, fields = read(town.file(INTERNAL, "gpkg"), "reports")
    _, _, x, y = burgled("K-4711-26")
    point = points[list(fields["report_id"]).index("K-4711-26")]
    assert (point.x, point.y) == pytest.approx((x, y), abs=0.01)
    assert 200_000 < point.x < 1_000_000 < 6_000_000 < point.y  # x east, y north


def test_geopackage_dates_are_dates_and_instants_are_datetimes(town: Town) -> None:
    path = town.file(INTERNAL, "gpkg")
    types = {}
    for layer in ("zones", "signs", "visit_stops", "reports"):
        info = pyogrio.read_info(path, layer=layer)
        types.update(dict(zip(info["fields"], info["ogr_types"], strict=True)))
    assert types["level_until_day"] == types["put_up"] == types["take_down"] == "OFTDate"
    assert types["level_until"] == types["visited_at"] == types["reported_at"] == "OFTDateTime"
    _, _, signs = read(path, "signs")
    assert signs["put_up"].dtype == np.dtype("datetime64[D]")
    _, _, zones = read(path, "zones")
    high = list(zones["level"]).index("high")
    [zone] = [z for z in town.maps[INTERNAL].publication.zones if z.level.value == "high"]
    expected = zone.last_day(town.app.tz)
    assert zones["level_until_day"][high] == np.datetime64(expected)


def _qml(path: Path) -> dict[str, ET.Element]:
    _, _, styles = read(path, "layer_styles")
    assert all(styles["useAsDefault"]) and set(styles["f_geometry_column"]) == {"geom"}
    return {
        name: ET.fromstring(qml)
        for name, qml in zip(styles["f_table_name"], styles["styleQML"], strict=True)
    }


def _rgba(key: str, alpha: float = 1.0) -> str:
    h = COLOURS[key].lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + f",{round(alpha * 255)}"


def test_geopackage_styles_open_the_layers_coloured_in_qgis(town: Town) -> None:
    path = town.file(INTERNAL, "gpkg")
    styles = _qml(path)
    assert set(styles) == {"zones", "visit_stops", "signs", "reports"}
    assert pyogrio.read_info(path, layer="zones")["geometry_name"] == "geom"
    zones = styles["zones"].find("renderer-v2")
    assert zones is not None and zones.get("type") == "categorizedSymbol"
    assert zones.get("attr") == "level"
    colour = {
        c.get("value"): styles["zones"].find(
            f".//symbol[@name='{c.get('symbol')}']/layer/Option/Option[@name='color']"
        )
        for c in zones.iter("category")
    }
    assert colour["high"] is not None and colour["elevated"] is not None
    assert colour["high"].get("value") == _rgba("high", FILL_OPACITY)
    assert colour["elevated"].get("value") == _rgba("elevated", FILL_OPACITY)
    stops = styles["visit_stops"].find("renderer-v2")
    assert stops is not None and stops.get("attr") == "outcome"
    assert {c.get("value") for c in stops.iter("category")} == {
        "visited",
        "not_home",
        "declined",
        "pending",
    }
    sign = styles["signs"].find(".//layer/Option/Option[@name='name']")
    assert sign is not None and sign.get("value") == "triangle"


# -- KML ----------------------------------------------------------------------------------------


def test_kml_reads_back_in_wgs84_with_a_folder_per_layer(town: Town) -> None:
    path = town.file(INTERNAL, "kml")
    names = [str(name) for name, _ in pyogrio.list_layers(path)]
    assert names == ["Riskzoner", "Grannbesök", "Skyltar", "Anmälda inbrott"]
    for name in names:
        assert pyogrio.read_info(path, layer=name)["crs"] == "EPSG:4326"
    assert pyogrio.read_info(path, layer="Riskzoner")["features"] == 3


def test_kml_point_comes_back_at_its_lon_lat(town: Town) -> None:
    _, points, fields = read(town.file(INTERNAL, "kml"), "Anmälda inbrott")
    _, _, x, y = burgled("K-4711-26")
    lon, lat = SWEREF.point_to_wgs84(x, y)
    point = points[list(fields["Name"]).index("K-4711-26")]
    assert (point.x, point.y) == pytest.approx((lon, lat), abs=1e-6)


def test_kml_names_and_descriptions_say_the_level_and_until_when(town: Town) -> None:
    _, _, fields = read(town.file(INTERNAL, "kml"), "Riskzoner")
    names = list(fields["Name"])
    assert any(re.fullmatch(r"Hög risk till 2026-12-\d\d \d\d:\d\d", n) for n in names)
    assert sum(n.startswith("Förhöjd risk till 20") for n in names) == 2
    assert all("Nivå" in d and "Till" in d for d in fields["description"])
    _, _, public = read(town.file(PUBLIC, "kml"), "Riskzoner")
    assert all(
        re.fullmatch(r"(Hög|Förhöjd) risk t\.o\.m\. \d{4}-\d\d-\d\d", n) for n in public["Name"]
    )


def test_kml_styles_colour_high_red_and_elevated_orange(town: Town) -> None:
    root = ET.parse(town.file(INTERNAL, "kml")).getroot()
    poly = {s.get("id"): s.findtext(f"{KML}PolyStyle/{KML}color") for s in root.iter(f"{KML}Style")}
    assert poly["high"] == "591f30d7"  # aabbggrr: #d7301f at 35 %
    assert poly["elevated"] == "59288cf2"  # #f28c28
    for mark in root.iter(f"{KML}Placemark"):
        level = mark.findtext(f"{KML}ExtendedData/{KML}Data[@name='level']/{KML}value")
        if mark.find(f".//{KML}Polygon") is not None:
            assert mark.findtext(f"{KML}styleUrl") == f"#{level}"


# -- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_keeps_the_zones_contract_and_names_each_layer(town: Town) -> None:
    data = json.loads(town.file(INTERNAL, "geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["profile"] == "internal"
    zones = [f for f in data["features"] if f["properties"]["layer"] == "zones"]
    assert len(zones) == 3
    for f in zones:
        p = f["properties"]
        assert p["level"] in ("high", "elevated") and p["zone_id"].startswith("Z-")
        assert datetime.fromisoformat(p["level_until"]).tzinfo is not None
        assert date.fromisoformat(p["level_until_day"])
        assert isinstance(p["report_ids"], list) and p["report_ids"]
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert layers == {"zones", "visit_stops", "signs", "reports"}


def test_geojson_point_is_lon_lat(town: Town) -> None:
    data = json.loads(town.file(INTERNAL, "geojson").read_text(encoding="utf-8"))
    [point] = [
        f
        for f in data["features"]
        if f["properties"].get("report_id") == "K-4711-26" and f["properties"]["layer"] == "reports"
    ]
    _, _, x, y = burgled("K-4711-26")
    assert point["geometry"]["coordinates"] == pytest.approx(SWEREF.point_to_wgs84(x, y), abs=1e-6)


# -- HTML and PNG -------------------------------------------------------------------------------


def map_data(path: Path) -> dict[str, Any]:
    """The JSON the offline map draws, as embedded in the file."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', text, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_html_map_is_one_file_that_names_no_other(town: Town) -> None:
    for profile in Profile:
        text = town.file(profile, "html").read_text(encoding="utf-8")
        assert "default-src 'none'" in text
        for pattern in (
            r"https?:",
            r"ftp:",
            r"//",
            r"\bsrc=",
            r"\bhref=",
            r"url\(",
            r"@import",
            r"<link",
            r"<img",
            r"<iframe",
            r"\bfetch\(",
            r"XMLHttpRequest",
        ):
            assert not re.search(pattern, text), (profile, pattern)


def test_html_map_carries_zones_base_and_legend(town: Town) -> None:
    internal = map_data(town.file(INTERNAL, "html"))
    assert [layer["name"] for layer in internal["layers"]] == [
        "zones",
        "visit_stops",
        "signs",
        "reports",
    ]
    assert internal["roads"] and internal["addresses"]
    assert {e["style"] for e in internal["legend"]} >= {"high", "elevated", "sign", "report"}
    public = map_data(town.file(PUBLIC, "html"))
    assert [layer["name"] for layer in public["layers"]] == ["zones"]
    assert public["roads"] and public["addresses"] == []
    assert ATTRIBUTION in town.file(PUBLIC, "html").read_text(encoding="utf-8")


def _near(image: Image.Image, hex_colour: str, tolerance: int = 10) -> int:
    """Pixels within `tolerance` of a colour in every channel."""
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(int)
    h = hex_colour.lstrip("#")
    target = np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)])
    return int((np.abs(pixels - target).max(axis=1) <= tolerance).sum())


def test_png_is_an_a4_landscape_map_with_date_and_attribution(town: Town) -> None:
    for profile in Profile:
        image = Image.open(io.BytesIO(town.file(profile, "png").read_bytes()))
        assert image.format == "PNG" and image.size == (1754, 1240)
        assert image.info["Title"] == "Riskzoner 2026-11-24 07:00"
        assert image.info["Copyright"] == ATTRIBUTION
        assert _near(image, COLOURS["high"]) > 500 and _near(image, COLOURS["elevated"]) > 500
    assert "Generaliserade zoner" in Image.open(town.file(PUBLIC, "png")).info["Description"]


# -- every format, whatever the content ---------------------------------------------------------


def test_a_map_without_zones_still_writes_every_format(tmp_path: Path) -> None:
    app = exporttown.make_app(f"sqlite:///{tmp_path / 'c.sqlite'}")
    try:
        for profile in Profile:
            content = app.exports.map(AT, profile)
            for fmt in FORMATS:
                path = tmp_path / f"{profile.value}.{fmt}"
                path.write_bytes(render(fmt, content))
            assert (
                pyogrio.read_info(tmp_path / f"{profile.value}.gpkg", layer="zones")["features"]
                == 0
            )
            assert json.loads((tmp_path / f"{profile.value}.geojson").read_text())["features"] == []
            assert "Inga aktiva riskzoner." in (tmp_path / f"{profile.value}.html").read_text()
            assert Image.open(tmp_path / f"{profile.value}.png").size == (1754, 1240)
    finally:
        app.engine.dispose()


def test_the_same_export_gives_the_same_bytes(town: Town) -> None:
    for profile in Profile:
        for fmt in FORMATS:
            assert render(fmt, town.maps[profile]) == town.file(profile, fmt).read_bytes(), fmt


def test_an_export_reads_zones_signs_and_stops_from_either_database(
    app: Installation, tmp_path: Path
) -> None:
    exporttown.build(app, tmp_path)
    content = app.exports.map(AT, INTERNAL)
    pub = content.publication
    assert len(pub.zones) == 3 and len(pub.reports) == 3
    assert pub.signs and pub.stops and content.roads and content.addresses
    assert {s.outcome.value for s in pub.stops if s.outcome} == {"visited", "not_home", "declined"}
