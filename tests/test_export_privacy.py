"""Public exports show no burgled home: every public format is scanned for report ids, burgled
addresses and any coordinate within 50 m of a burgled address, and none is found. The same scan
finds them in the internal exports, so it can see what it looks for."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from PIL import Image
from pyogrio import raw

from cocoon.core.maps import map_content
from cocoon.core.model import Road
from cocoon.core.profile import Profile
from cocoon.core.risk import zones_at
from cocoon.outputs import render
from cocoon.outputs.maps import COLOURS, ExportMap
from tests.exporttown import AT, BURGLARIES, FORMATS, REGISTER, Town, burgled
from tests.signtown import grid_town
from tests.support import KALMAR, STOCKHOLM, SWEREF, public_rules, report, risk_rules
from tests.test_export_formats import map_data

INTERNAL, PUBLIC = Profile.INTERNAL, Profile.PUBLIC
NEAR_M = 50.0
KML = "{http://www.opengis.net/kml/2.2}"
#: Every burgled home's metric point, report id and what names its address.
HOMES = np.array([burgled(rid)[2:] for rid, _, _ in BURGLARIES])
SECRETS = [
    *(rid for rid, _, _ in BURGLARIES),
    *(burgled(rid)[1] for rid, _, _ in BURGLARIES),  # register ids such as 'Storgatan-1'
]
#: Any register address ('Storgatan 1', 'Parkgatan 5'): public maps name streets, not doors.
ADDRESS = re.compile("(" + "|".join({a.street for a in REGISTER}) + r") \d")


@pytest.fixture(scope="module")
def town(export_town: Town) -> Town:
    return export_town


def nearest_home_m(xy: np.ndarray) -> float:
    """The least distance from metric points to any burgled home."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if not len(xy):
        return float("inf")
    d = np.hypot(xy[:, None, 0] - HOMES[None, :, 0], xy[:, None, 1] - HOMES[None, :, 1])
    return float(d.min())


def lonlat_to_metric(lonlat: np.ndarray) -> np.ndarray:
    lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    x, y = SWEREF.to_metric(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def secrets_in(text: str) -> list[str]:
    """Report ids, burgled register ids and door addresses found in a text."""
    return [s for s in SECRETS if s in text] + ADDRESS.findall(text)


def gdal_vertices(path: Path) -> np.ndarray:
    """Every vertex of every layer GDAL reads from a file, in the layer's own CRS."""
    out = [np.empty((0, 2))]
    for name, geometry_type in pyogrio.list_layers(path):
        if geometry_type is None:
            continue
        _, _, wkb, _ = raw.read(str(path), layer=str(name))
        if wkb is not None and len(wkb):
            out.append(shapely.get_coordinates(shapely.from_wkb(wkb)))
    return np.vstack(out)


def scan_gpkg(path: Path) -> tuple[float, list[str]]:
    points = [gdal_vertices(path)]
    for name, kind in pyogrio.list_layers(path):
        bounds = pyogrio.read_info(path, layer=str(name))["total_bounds"] if kind else None
        if bounds is not None:
            x0, y0, x1, y1 = bounds
            points.append(np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]))
    text = path.read_bytes().decode("utf-8", errors="replace")
    return nearest_home_m(np.vstack(points)), secrets_in(text)


def scan_kml(path: Path) -> tuple[float, list[str]]:
    coordinates = [
        [float(v) for v in pair.split(",")[:2]]
        for element in ET.parse(path).getroot().iter(f"{KML}coordinates")
        for pair in (element.text or "").split()
    ]
    gdal = gdal_vertices(path)
    both = np.vstack([lonlat_to_metric(np.array(coordinates)), lonlat_to_metric(gdal)])
    return nearest_home_m(both), secrets_in(path.read_text(encoding="utf-8"))


def scan_geojson(path: Path) -> tuple[float, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    coords = [
        shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"])))
        for f in data["features"]
    ]
    points = lonlat_to_metric(np.vstack([np.empty((0, 2)), *coords]))
    return nearest_home_m(points), secrets_in(path.read_text(encoding="utf-8"))


def scan_html(path: Path) -> tuple[float, list[str]]:
    """Every drawn coordinate but the roads' (checked to be the loaded network) and the frame."""
    data = map_data(path)
    origin = np.array(data["origin"], dtype=float)
    points = [origin.reshape(1, 2)]
    if data["frame"]:
        x0, y0, x1, y1 = data["frame"]
        points.append(np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]) + origin)
    for layer in data["layers"]:
        for f in layer["features"]:
            rings = f["g"] if layer["kind"] == "area" else [f["g"]]
            points += [np.array(ring).reshape(-1, 2) + origin for ring in rings]
    points.append(np.array(data["addresses"]).reshape(-1, 2) + origin)
    return nearest_home_m(np.vstack(points)), secrets_in(path.read_text(encoding="utf-8"))


def scan_png(path: Path) -> tuple[float, list[str]]:
    """A picture has no coordinates to read; its text chunks and point markers are checked."""
    image = Image.open(io.BytesIO(path.read_bytes()))
    text = " ".join(f"{k}={v}" for k, v in image.info.items() if isinstance(v, str))
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(int)
    marker = np.array([int(COLOURS["report"][i : i + 2], 16) for i in (1, 3, 5)])
    drawn = int((np.abs(pixels - marker).max(axis=1) <= 6).sum())
    return (0.0 if drawn else float("inf")), secrets_in(text)


SCANS = {
    "gpkg": scan_gpkg,
    "kml": scan_kml,
    "geojson": scan_geojson,
    "html": scan_html,
    "png": scan_png,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_export_has_no_report_id_address_or_point_near_a_burgled_home(
    town: Town, fmt: str
) -> None:
    nearest, secrets = SCANS[fmt](town.file(PUBLIC, fmt))
    assert secrets == []
    assert nearest > NEAR_M


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_scan_finds_the_burglaries_in_the_internal_export(town: Town, fmt: str) -> None:
    nearest, secrets = SCANS[fmt](town.file(INTERNAL, fmt))
    assert nearest < 1.0
    if fmt != "png":  # a picture says the names in pixels only
        assert "K-4711-26" in secrets and any(s.startswith("Storgatan") for s in secrets)


def test_public_geopackage_has_no_report_ids(town: Town) -> None:
    path = town.file(PUBLIC, "gpkg")
    assert [str(n) for n, _ in pyogrio.list_layers(path)] == ["zones", "layer_styles"]
    assert "report_ids" not in pyogrio.read_info(path, layer="zones")["fields"]


def test_public_html_shows_roads_only_as_its_base(town: Town) -> None:
    data = map_data(town.file(PUBLIC, "html"))
    assert data["addresses"] == [] and [layer["name"] for layer in data["layers"]] == ["zones"]
    network = shapely.union_all([shapely.LineString(ln.xy) for ln in grid_town(half_m=2000)])
    origin = np.array(data["origin"], dtype=float)
    vertices = np.vstack(
        [
            np.array(line).reshape(-1, 2) + origin
            for group in data["roads"]
            for line in group["lines"]
        ]
    )
    assert shapely.distance(shapely.points(vertices), network).max() < 0.2


def test_public_files_are_the_same_wherever_the_home_lies_in_its_grid_cell() -> None:
    """Nothing in a public file depends on where in its 250 m cell a burgled home lies."""
    x, y = SWEREF.point_to_metric(*KALMAR)
    cx, cy = np.floor(x / 250) * 250 - x, np.floor(y / 250) * 250 - y
    lines = grid_town(half_m=1500)
    roads = tuple(
        Road(
            ln.road_class,
            tuple(zip(*map(list, SWEREF.to_wgs84(ln.xy[:, 0], ln.xy[:, 1])), strict=True)),
            ln.name,
        )
        for ln in lines
    )
    files = []
    for dx, dy in ((95.0, 100.0), (150.0, 160.0)):
        burglary = report("R1", AT - timedelta(days=1), offset_m=(cx + dx, cy + dy))
        zones = zones_at([burglary], AT, risk_rules(), SWEREF)
        home = [(zones[0].reports[0].x, zones[0].reports[0].y)]
        pub = map_content(PUBLIC, zones, home, risk_rules(), public_rules())
        content = ExportMap(pub, AT, SWEREF, STOCKHOLM, "sv", roads=roads)
        files.append({fmt: render(fmt, content) for fmt in FORMATS})
    assert files[0] == files[1]
