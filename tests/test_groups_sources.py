"""Loading partner groups: CSV (a WKT area or a list of addresses), GeoJSON and GeoPackage;
every bad row named with its file, row and field, the good rows of the file kept; a reload
replaces the groups of the same file; addresses matched against the register."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import write

from cocoon.app.installation import Installation
from cocoon.core.geo import ServiceArea
from cocoon.core.groups import Channel, Contact
from cocoon.errors import InputError, RowError
from cocoon.sources.groups import GroupFile, group_id_for, parse_contacts, read_groups
from tests.servicetown import NOW, service_app
from tests.support import SWEREF, AppSetup
from tests.towns import ORIGIN

AREA = ServiceArea("Sverige", (10.9, 55.3, 24.2, 69.1))
CONTACTS = '"Anna Andersson, sms, 070-123 45 67; Bo Berg, email, bo@example.se"'


def lonlat(x: float, y: float) -> tuple[float, float]:
    """A point `x`, `y` metres from the town's origin, in lon/lat."""
    return SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + y)


def ring(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [lonlat(x0, y0), lonlat(x1, y0), lonlat(x1, y1), lonlat(x0, y1), lonlat(x0, y0)]


def wkt(x0: float, y0: float, x1: float, y1: float) -> str:
    """A square around the town's origin as WKT in lon/lat."""
    return "POLYGON((" + ", ".join(f"{a:.7f} {b:.7f}" for a, b in ring(x0, y0, x1, y1)) + "))"


def read(path: Path) -> GroupFile:
    return read_groups(path, AREA, SWEREF)


def csv_file(tmp_path: Path, *rows: str, header: str = "group_id,name,contacts,area") -> Path:
    path = tmp_path / "grupper.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- CSV -----------------------------------------------------------------------------------------


def test_a_csv_row_gives_a_group_with_its_wkt_area_and_its_contacts(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f'GS-1,Grannsamverkan Norr,{CONTACTS},"{wkt(0, 0, 200, 100)}"')
    (group,) = read(path).rows
    assert (group.group_id, group.name, group.where) == ("GS-1", "Grannsamverkan Norr", "line 2")
    assert group.contacts == (
        Contact("Anna Andersson", Channel.SMS, "+46701234567"),
        Contact("Bo Berg", Channel.EMAIL, "bo@example.se"),
    )
    assert group.polygon is not None
    metric = shapely.transform(
        group.polygon, lambda xy: np.column_stack(SWEREF.to_metric(xy[:, 0], xy[:, 1]))
    )
    assert metric.area == pytest.approx(20_000, rel=1e-3)


def test_a_wkt_area_in_the_metric_crs_is_taken_as_such(tmp_path: Path) -> None:
    x, y = ORIGIN
    square = f"POLYGON(({x} {y}, {x + 100} {y}, {x + 100} {y + 100}, {x} {y + 100}, {x} {y}))"
    (group,) = read(csv_file(tmp_path, f'G,Norr,{CONTACTS},"{square}"')).rows
    assert group.polygon is not None
    lon, lat = group.polygon.exterior.coords[0]
    assert (lon, lat) == pytest.approx(lonlat(0, 0), abs=1e-7)


def test_a_csv_row_may_list_addresses_instead_of_an_area(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        f'BB,Bostadsbolaget,{CONTACTS},"Storgatan 1; Storgatan 3\nA-123"',
        header="group_id,name,contacts,addresses",
    )
    (group,) = read(path).rows
    assert group.polygon is None and group.addresses == ("Storgatan 1", "Storgatan 3", "A-123")


def test_a_group_without_an_id_gets_one_from_its_name(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f',Grannsamverkan Öster,{CONTACTS},"{wkt(0, 0, 10, 10)}"')
    (group,) = read(path).rows
    assert (
        group.group_id
        == group_id_for("grannsamverkan oster")
        == group_id_for(" GRANNSAMVERKAN ÖSTER")
    )


def test_swedish_excel_semicolons_and_swedish_column_names_are_read(tmp_path: Path) -> None:
    path = tmp_path / "grupper.csv"
    path.write_text(
        "\ufeffnamn;kontakter;adresser;språk\n"
        "Bostadsbolaget;Cia Ek, e-post, cia@example.se;Storgatan 1;en\n",
        encoding="utf-8",
    )
    (group,) = read(path).rows
    assert group.contacts == (Contact("Cia Ek", Channel.EMAIL, "cia@example.se"),)
    assert group.language == "en"


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (f',{CONTACTS},"AREA"', "name", "missing"),
        ('Norr,,"AREA"', "contacts", "missing: at least one contact"),
        ('Norr,"Eva, sms, 08-123 456 78","AREA"', "contacts",
         "contact 1 (Eva): '08-123 456 78' is not a Swedish mobile number (07… or +46 7…)"),
        ('Norr,"Eva, fax, 070-1234567","AREA"', "contacts",
         "contact 1 (Eva): unknown channel 'fax' (email or sms)"),
        ('Norr,"Eva, email, eva.example.se","AREA"', "contacts",
         "contact 1 (Eva): 'eva.example.se' is not an e-mail address"),
        ('Norr,"Eva, sms, 0701234567; , sms, 0731234567","AREA"', "contacts", "contact 2: no name"),
        ('Norr,"Eva","AREA"', "contacts", "contact 1: 'Eva' is not 'name, channel, address'"),
        (f"Norr,{CONTACTS},", "area", "missing: an area (polygon) or addresses"),
        (f'Norr,{CONTACTS},"POLYGON((1 2, 3"', "area", "not WKT"),
        (f'Norr,{CONTACTS},"POINT(16.35 56.66)"', "area", "not a polygon (Point)"),
        (f'Norr,{CONTACTS},"POLYGON((16.35 56.66, 16.36 56.67, 16.36 56.66, 16.35 56.67, '
         '16.35 56.66))"', "area", "not a valid polygon: Self-intersection"),
        (f'Norr,{CONTACTS},"POLYGON((2 48, 3 48, 3 49, 2 48))"', "area",
         "outside the service area"),
        (f'Norr,{CONTACTS},"AREA",sv,Storgatan 1', "addresses",
         "give the group an area or a list of addresses, not both"),
        (f'Norr,{CONTACTS},"AREA",de', "language", "'de' is not sv or en"),
        (f'Norr,{CONTACTS},"AREA",sv,,extra', "columns", "more fields than the header has"),
    ],
)  # fmt: skip
def test_a_bad_row_is_rejected_naming_file_line_and_field_and_the_good_rows_are_kept(
    tmp_path: Path, row: str, field: str, reason: str
) -> None:
    path = csv_file(
        tmp_path,
        f'Söder,{CONTACTS},"{wkt(0, 0, 100, 100)}"',
        row.replace("AREA", wkt(0, 0, 100, 100)),
        header="name,contacts,area,language,addresses",
    )
    loaded = read(path)
    assert [g.name for g in loaded.rows] == ["Söder"]
    (rejection,) = loaded.rejections
    assert rejection.startswith(f"{path}, line 3, field {field}: {reason}")


def test_the_same_group_twice_in_a_file_is_rejected_the_second_time(tmp_path: Path) -> None:
    area = wkt(0, 0, 100, 100)
    path = csv_file(
        tmp_path,
        f'G1,Norr,{CONTACTS},"{area}"',
        f'G1,Norr igen,{CONTACTS},"{area}"',
        f',Söder,{CONTACTS},"{area}"',
        f',söder,{CONTACTS},"{area}"',
    )
    loaded = read(path)
    assert [g.name for g in loaded.rows] == ["Norr", "Söder"]
    assert loaded.rejections == [
        f"{path}, line 3, field group_id: group G1 twice in this file (line 2)",
        f"{path}, line 5, field name: group {group_id_for('Söder')} twice in this file (line 4)",
    ]


def test_the_same_contact_twice_in_a_group_is_one_contact() -> None:
    contacts = parse_contacts("Anna, sms, 070-123 45 67; Anna A, sms, +46701234567")
    assert contacts == (Contact("Anna", Channel.SMS, "+46701234567"),)


def test_a_contact_without_a_channel_is_email_with_an_at_and_sms_without() -> None:
    assert [c.channel for c in parse_contacts("A, a@b.se; B, 0731234567")] == [
        Channel.EMAIL,
        Channel.SMS,
    ]


def test_a_contact_list_as_json_is_read() -> None:
    contacts = parse_contacts('[{"name": "Anna", "channel": "sms", "to": "070-123 45 67"}]')
    assert contacts == (Contact("Anna", Channel.SMS, "+46701234567"),)
    with pytest.raises(RowError, match="contacts"):
        parse_contacts('[{"name": "Anna", "channel": "sms"')


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("grupper.txt", "x", "unknown group file format '.txt'"),
        ("grupper.csv", "", "empty file"),
        ("grupper.csv", "namn,adresser\nX,Storgatan 1\n", "no contacts column"),
        ("grupper.csv", "kontakter,adresser\nX,Storgatan 1\n", "no name column"),
        ("grupper.csv", "namn,kontakter\nX,Y\n", "no area (WKT) or addresses column"),
        ("grupper.gpkg", "not a geopackage", "cannot read"),
    ],
)
def test_a_file_that_cannot_be_used_is_one_line_naming_it(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(reason)) as caught:
        read(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


# --- GeoJSON and GeoPackage ----------------------------------------------------------------------


def geojson(tmp_path: Path, *features: dict[str, object]) -> Path:
    path = tmp_path / "grupper.geojson"
    collection = {"type": "FeatureCollection", "features": list(features)}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def feature(properties: dict[str, object], corners: tuple[float, ...] | None) -> dict[str, object]:
    geometry = None if corners is None else {"type": "Polygon", "coordinates": [ring(*corners)]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_geojson_groups_with_a_polygon_json_contacts_or_an_address_array(tmp_path: Path) -> None:
    path = geojson(
        tmp_path,
        feature(
            {"group_id": "GS-1", "name": "Norr",
             "contacts": [{"name": "Anna", "channel": "sms", "to": "070-123 45 67"}]},
            (0, 0, 200, 200),
        ),
        feature(
            {"name": "Bostadsbolaget", "contacts": "Bo, email, bo@example.se",
             "addresses": ["Storgatan 1", "Storgatan 3"]},
            None,
        ),
        feature({"name": "Utan", "contacts": "Bo, email, bo@example.se"}, None),
        feature({"name": "Linje", "contacts": "Bo, email, bo@example.se"}, None)
        | {"geometry": {"type": "LineString", "coordinates": [lonlat(0, 0), lonlat(1, 1)]}},
    )  # fmt: skip
    loaded = read(path)
    norr, bolaget = loaded.rows
    assert norr.contacts == (Contact("Anna", Channel.SMS, "+46701234567"),)
    assert norr.polygon is not None and norr.polygon.geom_type == "Polygon"
    assert bolaget.addresses == ("Storgatan 1", "Storgatan 3") and bolaget.polygon is None
    assert loaded.rejections == [
        f"{path}, feature 3, field geometry: missing: an area (polygon) or addresses",
        f"{path}, feature 4, field geometry: not a polygon (LineString)",
    ]


def test_a_geopackage_layer_in_sweref_comes_back_in_lon_lat(tmp_path: Path) -> None:
    path = tmp_path / "grupper.gpkg"
    x, y = ORIGIN
    polygons = [shapely.box(x, y, x + 200, y + 100), shapely.box(x, y, x + 50, y + 50)]
    write(
        str(path),
        geometry=shapely.to_wkb(polygons),
        field_data=[
            np.array(["Norr", "Söder"], dtype=object),
            np.array(["Anna, sms, 0701234567", "Bo, sms, 0801234567"], dtype=object),
        ],
        fields=["namn", "kontakter"],
        layer="grannsamverkan",
        driver="GPKG",
        crs="EPSG:3006",
        geometry_type="Polygon",
    )
    loaded = read(path)
    (norr,) = loaded.rows
    assert norr.polygon is not None
    corners = shapely.get_coordinates(norr.polygon)
    assert np.hypot(*(corners - lonlat(0, 0)).T).min() < 1e-7
    assert loaded.rejections == [
        f"{path}, feature 2, field contacts: contact 1 (Bo): '0801234567' is not a Swedish "
        "mobile number (07… or +46 7…)"
    ]


# --- loading into the database -------------------------------------------------------------------


@pytest.fixture
def app_setup() -> AppSetup:
    return service_app  # the town's register: Storgatan 1–30, Parkgatan 5 (three flats)


def test_a_load_stores_the_groups_and_matches_addresses_by_id_or_street_and_number(
    app: Installation, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        f'BB,Bostadsbolaget,{CONTACTS},"pg5-0; storgatan 2; Storgatan 2"',
        f'GS,Norr,{CONTACTS},"Storgatan 99"',
        header="group_id,name,contacts,addresses",
    )
    result = app.groups.load(path, NOW)
    assert result.stored == 1
    assert result.rejections == [
        f"{path}, line 3, field addresses: 'Storgatan 99' is no register address id and matches "
        "no single register address"
    ]
    (group,) = app.groups.groups()
    assert [(m.address_id, m.street) for m in group.members] == [
        ("pg5-0", "Parkgatan"),
        ("Storgatan-2", "Storgatan"),
    ]
    assert group.contacts[0] == Contact("Anna Andersson", Channel.SMS, "+46701234567")


def test_a_reload_replaces_the_groups_of_the_same_file_only(
    app: Installation, tmp_path: Path
) -> None:
    area = wkt(0, 0, 100, 100)
    first = csv_file(tmp_path, f'A,Norr,{CONTACTS},"{area}"', f'B,Söder,{CONTACTS},"{area}"')
    app.groups.load(first, NOW)
    other = tmp_path / "andra.csv"
    other.write_text(
        f'group_id,name,contacts,area\nC,Öster,{CONTACTS},"{area}"\n', encoding="utf-8"
    )
    app.groups.load(other, NOW)
    first.write_text(
        f'group_id,name,contacts,area\nA,Norr ny,{CONTACTS},"{area}"\n', encoding="utf-8"
    )
    again = app.groups.load(first, NOW)
    assert (again.stored, again.replaced) == (1, 2)
    assert sorted(g.name for g in app.groups.groups()) == ["Norr ny", "Öster"]


def test_a_group_id_another_file_loaded_is_rejected(app: Installation, tmp_path: Path) -> None:
    area = wkt(0, 0, 100, 100)
    app.groups.load(csv_file(tmp_path, f'A,Norr,{CONTACTS},"{area}"'), NOW)
    other = tmp_path / "andra.csv"
    other.write_text(f'group_id,name,contacts,area\nA,Norr,{CONTACTS},"{area}"\n', encoding="utf-8")
    result = app.groups.load(other, NOW)
    assert result.rejections == [f"{other}, line 2, field group_id: A is loaded from grupper.csv"]
    assert [g.source for g in app.groups.groups()] == ["grupper.csv"]
