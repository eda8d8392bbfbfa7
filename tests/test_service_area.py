"""The service area: Sweden's land and territorial waters by default, a kommun or police-area
polygon when configured, and a clear line when the outline or the polygon cannot be had."""

from __future__ import annotations

import importlib.util
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import shapely
from pyogrio.raw import write as ogr_write
from sqlalchemy import create_engine

from cocoon.app.context import Context
from cocoon.app.installation import Installation
from cocoon.config import Settings
from cocoon.core.geo import ServiceArea, national_area
from cocoon.errors import ConfigError, InputError
from cocoon.sources import boundary
from cocoon.sources.boundary import read_boundary, sweden_outline
from tests.servicetown import NOW, drop, report_csv, service_app
from tests.support import SWEREF, make_app

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BOX = Settings().area.bbox
HELSINKI_DEMO_BOX = (24.90, 60.14, 24.99, 60.20)

#: (lon, lat) of places abroad that lie inside Sweden's box.
ABROAD = {
    "Copenhagen": (12.5683, 55.6761),
    "Helsingør": (12.6100, 56.0360),
    "Turku": (22.2666, 60.4518),
    "Helsinki": (24.9384, 60.1699),
    "Mariehamn, Åland": (19.9400, 60.1000),
    "Tornio, 400 m from Haparanda across the border": (24.1460, 65.8480),
    "Narvik": (17.4272, 68.4385),
    "Tromsø": (18.9553, 69.6492),
    "open Baltic between Gotland and Latvia": (19.5000, 57.0000),
}
#: Oslo lies west of the box too; refused either way.
OSLO = (10.7522, 59.9139)

IN_SWEDEN = {
    "Stockholm": (18.0686, 59.3293),
    "Kiruna": (20.2253, 67.8558),
    "Visby, Gotland": (18.2948, 57.6348),
    "Borgholm, Öland": (16.6550, 56.8790),
    "Smygehuk, the southernmost point": (13.3594, 55.3380),
    "Haparanda, 400 m from Tornio": (24.1365, 65.8355),
    "Strömstad": (11.1712, 58.9395),
    "Koster islands": (11.0300, 58.9000),
    "Sandhamn, Stockholm archipelago": (18.9122, 59.2878),
    "Hanöbukten, 10 km off the coast": (14.4500, 55.8500),
    "500 m inside the border near Treriksröset": (20.5400, 69.0550),
    "Kalmar, where the other tests ingest": (16.3568, 56.6634),
}


@pytest.fixture(scope="module")
def sweden() -> ServiceArea:
    return national_area("Sverige", DEFAULT_BOX, sweden_outline())


@pytest.mark.parametrize("place", [*ABROAD, "Oslo"])
def test_places_abroad_are_outside_sweden(sweden: ServiceArea, place: str) -> None:
    lon, lat = OSLO if place == "Oslo" else ABROAD[place]
    assert not sweden.contains(lon, lat)


@pytest.mark.parametrize("place", IN_SWEDEN)
def test_places_on_swedish_land_islands_and_waters_are_inside(
    sweden: ServiceArea, place: str
) -> None:
    assert sweden.contains(*IN_SWEDEN[place])


def test_the_whole_array_form_agrees_with_the_single_point_form(sweden: ServiceArea) -> None:
    lons, lats = np.meshgrid(np.linspace(10.0, 25.0, 61), np.linspace(55.0, 69.5, 59))
    each = [
        sweden.contains(float(x), float(y)) for x, y in zip(lons.ravel(), lats.ravel(), strict=True)
    ]
    at_once = sweden.contains_xy(lons.ravel(), lats.ravel())
    assert at_once.tolist() == each and 0 < sum(each) < len(each)


def test_a_point_without_coordinates_is_outside_in_the_array_form(sweden: ServiceArea) -> None:
    assert sweden.contains_xy([np.nan, 18.0686], [59.3293, np.nan]).tolist() == [False, False]


def test_the_box_still_limits_the_outline() -> None:
    kalmar_box = (16.0, 56.4, 16.8, 57.0)
    area = national_area("Kalmar", kalmar_box, sweden_outline())
    assert area.contains(*IN_SWEDEN["Kalmar, where the other tests ingest"])
    assert not area.contains(*IN_SWEDEN["Stockholm"])


def test_a_box_wholly_outside_sweden_is_taken_as_it_is() -> None:
    area = national_area("Helsingfors (demo)", HELSINKI_DEMO_BOX, sweden_outline())
    assert area.boundary is None and area.contains(*ABROAD["Helsinki"])


def test_the_default_installation_refuses_a_report_in_copenhagen_naming_the_field(
    tmp_path: Path,
) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'c.sqlite'}", ingest={"rejects_dir": str(tmp_path)})
    path = tmp_path / "r.csv"
    path.write_text(
        "report_id,reported_at,lat,lon\n"
        "K1,2026-11-20T10:00,56.6634,16.3568\n"
        "CPH,2026-11-20T10:00,55.6761,12.5683\n",
        encoding="utf-8",
    )
    result = app.reports.ingest(path, now=datetime(2026, 11, 21, tzinfo=UTC))
    assert result.created == 1
    (rejected,) = result.rejections
    assert (rejected.where, rejected.field) == ("line 3", "lat")
    assert rejected.reason == "point 55.67610 N, 12.56830 E is outside the service area Sverige"


# --- a configured boundary: a kommun or police area -------------------------------------------


def kommun_square(centre: tuple[float, float], half_m: float) -> shapely.Polygon:
    """A made-up kommun: a square in SWEREF 99 TM around a lon/lat point."""
    x, y = SWEREF.point_to_metric(*centre)
    return shapely.box(x - half_m, y - half_m, x + half_m, y + half_m)


def write_polygons(path: Path, polygons: list[shapely.Geometry], crs: str, driver: str) -> Path:
    geometry = np.array([shapely.to_wkb(p) for p in polygons], dtype=object)
    names = np.array([f"område {i}" for i, _ in enumerate(polygons)], dtype=object)
    kind = "MultiPolygon" if any(p.geom_type == "MultiPolygon" for p in polygons) else "Polygon"
    ogr_write(
        str(path), geometry, [names], ["namn"],
        driver=driver, geometry_type=kind, crs=crs, promote_to_multi=False,
    )  # fmt: skip
    return path


def context(tmp_path: Path, **area: object) -> Context:
    settings = Settings.model_validate({"area": area})
    return Context(settings, create_engine(f"sqlite:///{tmp_path / 'unused.sqlite'}"))


KALMAR = IN_SWEDEN["Kalmar, where the other tests ingest"]


def test_a_kommun_boundary_in_sweref_narrows_the_area(tmp_path: Path) -> None:
    gpkg = write_polygons(
        tmp_path / "kalmar.gpkg", [kommun_square(KALMAR, 10_000)], "EPSG:3006", "GPKG"
    )
    area = context(tmp_path, name="Kalmar kommun", boundary=str(gpkg)).area
    x, y = SWEREF.point_to_metric(*KALMAR)
    inside = SWEREF.point_to_wgs84(x + 9_900, y - 9_900)  # 100 m inside a corner
    outside = SWEREF.point_to_wgs84(x + 10_100, y)  # 100 m outside its east edge
    assert area.contains(*KALMAR) and area.contains(*inside)
    assert not area.contains(*outside) and not area.contains(*IN_SWEDEN["Stockholm"])


def test_several_features_and_multipolygons_are_one_area(tmp_path: Path) -> None:
    stockholm = kommun_square(IN_SWEDEN["Stockholm"], 5_000)
    visby = kommun_square(IN_SWEDEN["Visby, Gotland"], 5_000)
    kalmar = kommun_square(KALMAR, 5_000)
    path = write_polygons(
        tmp_path / "polisomrade.shp",
        [shapely.MultiPolygon([stockholm, visby]), shapely.MultiPolygon([kalmar])],
        "EPSG:3006",
        "ESRI Shapefile",
    )
    area = read_boundary(path)
    for place in ("Stockholm", "Visby, Gotland", "Kalmar, where the other tests ingest"):
        assert shapely.intersects_xy(area, *IN_SWEDEN[place])
    assert not shapely.intersects_xy(area, *IN_SWEDEN["Kiruna"])


def test_a_geojson_boundary_in_lon_lat_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "kommun.geojson"
    square = shapely.box(16.2, 56.5, 16.5, 56.8)
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": json.loads(shapely.to_geojson(square)),
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    assert read_boundary(path).equals(square)


def test_an_unreadable_boundary_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "kommun.gpkg"
    path.write_bytes(b"not a GeoPackage at all")
    with pytest.raises(ConfigError) as caught:  # the settings' fault, not the report file's
        context(tmp_path, boundary=str(path)).area  # noqa: B018
    message = str(caught.value)
    assert message.startswith(f"area.boundary: {path}: cannot read the boundary")
    assert "\n" not in message


def test_a_boundary_file_without_a_polygon_says_so(tmp_path: Path) -> None:
    path = tmp_path / "points.geojson"
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": KALMAR},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    with pytest.raises(InputError, match="the boundary file has no polygon"):
        read_boundary(path)


def test_a_bad_boundary_leaves_the_report_file_in_the_inbox(tmp_path: Path) -> None:
    app = service_app(f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path)
    bad = tmp_path / "kommun.gpkg"
    bad.write_bytes(b"not a GeoPackage at all")
    area = app.settings.area.model_copy(update={"boundary": str(bad)})
    broken = Installation(app.settings.model_copy(update={"area": area}), engine=app.engine)
    inbox = Path(app.settings.service.inbox_dir)
    drop(inbox, "reports.csv", report_csv(("R1", NOW - timedelta(hours=5), "Storgatan 1")))
    with pytest.raises(ConfigError, match=r"^area\.boundary: "):
        broken.inbox.take(NOW)
    assert [p.name for p in inbox.iterdir()] == ["reports.csv"]  # not blamed, not moved


# --- the installed outline -------------------------------------------------------------------


def test_a_missing_outline_stops_with_one_line_naming_the_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "areas" / "sverige.geojson"
    monkeypatch.setattr(boundary, "SWEDEN_OUTLINE", missing)
    with pytest.raises(ConfigError) as caught:
        context(tmp_path).area  # noqa: B018
    message = str(caught.value)
    assert f"run scripts/sweden_outline.py --force --output {missing}" in message
    assert "or set area.boundary" in message and "\n" not in message


def test_a_damaged_outline_stops_with_one_line_naming_the_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "sverige.geojson"
    damaged.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setattr(boundary, "SWEDEN_OUTLINE", damaged)
    with pytest.raises(ConfigError, match="cannot read Sweden's outline") as caught:
        sweden_outline()
    assert "scripts/sweden_outline.py --force" in str(caught.value)


def test_a_missing_outline_does_not_matter_when_a_boundary_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(boundary, "SWEDEN_OUTLINE", tmp_path / "areas" / "sverige.geojson")
    gpkg = write_polygons(tmp_path / "k.gpkg", [kommun_square(KALMAR, 2_000)], "EPSG:3006", "GPKG")
    assert context(tmp_path, boundary=str(gpkg)).area.contains(*KALMAR)


def test_the_installed_outline_records_its_source_and_licence() -> None:
    data = json.loads(boundary.SWEDEN_OUTLINE.read_text(encoding="utf-8"))
    properties = data["features"][0]["properties"]
    assert properties["source"].startswith("npm @geo-maps/countries-maritime-10m 0.6.0")
    assert properties["licence"] == "ODbL-1.0"
    assert properties["attribution"] == "© OpenStreetMap contributors"
    assert boundary.SWEDEN_OUTLINE.stat().st_size < 300_000


def outline_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sweden_outline", ROOT / "scripts" / "sweden_outline.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_install_script_refuses_a_tarball_with_other_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "countries-maritime-10m-0.6.0.tgz"
    member = tmp_path / "map.geo.json"
    member.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with tarfile.open(fake, "w:gz") as tar:
        tar.add(member, arcname="package/map.geo.json")
    out = tmp_path / "sverige.geojson"
    assert outline_script().main(["--tarball", str(fake), "--output", str(out)]) == 1
    assert "its SHA-512 differs" in capsys.readouterr().err and not out.exists()
