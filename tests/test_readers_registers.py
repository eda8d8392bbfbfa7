"""Address registers that once crashed the reader or loaded nothing without a word: bad rows
are rejected naming line and field, a file read wrong as a whole is one line, and big files are
read and stored in chunks with the same outcome as in one piece."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyproj import Transformer
from sqlalchemy import func, select

from cocoon.app.installation import Installation
from cocoon.core.geo import Projection, ServiceArea
from cocoon.errors import InputError
from cocoon.sources import addresses as register
from cocoon.sources.addresses import DUPLICATE_ID, UNFIT_TEXT, RegisterReader, read_addresses
from cocoon.store.schema import addresses as address_table

KALMAR_AREA = ServiceArea("Kalmar", (16.2, 56.6, 16.5, 56.75))
SWEDEN = ServiceArea("Sverige", (10.9, 55.3, 24.2, 69.1))
SWEREF = Projection("EPSG:3006")
NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
TO_RT90 = Transformer.from_crs("EPSG:4326", "EPSG:3021", always_xy=True)


def write(tmp_path: Path, text: str, name: str = "reg.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def kalmar_rows(n: int) -> list[tuple[str, int, float, float]]:
    """n doors in central Kalmar: street, number, lat, lon."""
    return [(f"Gata {i // 50}", i % 50 + 1, 56.66 + i * 1e-5, 16.36 + i * 1e-5) for i in range(n)]


def register_csv(tmp_path: Path, n: int, swap: bool = False) -> Path:
    lines = ["street,number,lat,lon"]
    for street, number, lat, lon in kalmar_rows(n):
        lines.append(f"{street},{number},{lon},{lat}" if swap else f"{street},{number},{lat},{lon}")
    return write(tmp_path, "\n".join(lines) + "\n")


# --- 1. and 6.: fields a row may not have --------------------------------------------------------


def test_a_field_over_128_kb_rejects_its_row_and_the_others_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "street,number,lat,lon\nStorgatan,1,56.66,16.36\n"
        f'"{"Å" * 140_000}",2,56.66,16.36\nStorgatan,3,56.66,16.36\n',
    )
    load = read_addresses(path, KALMAR_AREA, SWEREF)
    assert [a.number for a in load.addresses] == ["1", "3"]
    assert load.rejections == [
        f"{path}, line 3, field street: longer than 128 KB (140,000 characters)"
    ]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("street", "Storgatan\n12", "U+000A"), ("address_id", "LM-1\x00", "U+0000"),
     ("town", "Kal\rmar", "U+000D"), ("number", "1\x0bB", "U+000B")],
)  # fmt: skip
def test_a_control_character_in_a_stored_field_rejects_the_row_naming_it(
    tmp_path: Path, column: str, value: str, code: str
) -> None:
    values = {"address_id": "LM-1", "street": "Storgatan", "number": "1", "town": "Kalmar"}
    values[column] = value
    quoted = ",".join(f'"{values[c]}"' for c in ("address_id", "street", "number", "town"))
    path = write(
        tmp_path,
        "address_id,street,number,town,lat,lon\n"
        f"{quoted},56.66,16.36\nLM-2,Storgatan,2,Kalmar,56.66,16.36\n",
    )
    load = read_addresses(path, KALMAR_AREA, SWEREF)
    assert [a.address_id for a in load.addresses] == ["LM-2"]
    assert load.rejections == [
        f"{path}, line 2, field {column}: contains the control character {code}; remove it"
    ]


def test_osm_style_rows_with_control_characters_are_skipped_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "addr:street,addr:housenumber,lat,lon\nStorgatan,1,56.66,16.36\n"
        '"Kyrko\x1bgatan",2,56.66,16.36\n',
    )
    load = read_addresses(path, KALMAR_AREA, SWEREF)
    assert [a.street for a in load.addresses] == ["Storgatan"]
    assert load.skipped == {UNFIT_TEXT: 1} and load.rejections == []


def test_an_address_id_longer_than_the_register_holds_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, f"address_id,street,number,lat,lon\n{'x' * 65},Storgatan,1,56.66,16.36\n"
    )
    (rejection,) = read_addresses(path, KALMAR_AREA, SWEREF).rejections
    assert rejection.endswith("line 2, field address_id: longer than 64 characters")


def test_swedish_letters_and_spaces_in_names_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "street,number,town,lat,lon\nÖstra Långgatan,12 B,Kalmar,56.66,16.36\n")
    (address,) = read_addresses(path, KALMAR_AREA, SWEREF).addresses
    assert (address.street, address.number) == ("Östra Långgatan", "12 B")


# --- 5. a column twice ---------------------------------------------------------------------------


def test_a_header_with_lat_twice_is_refused_naming_the_column(tmp_path: Path) -> None:
    path = write(tmp_path, "street,number,lat,lon,LAT\nStorgatan,1,56.66,16.36,60.1\n")
    with pytest.raises(InputError) as caught:
        read_addresses(path, KALMAR_AREA, SWEREF)
    assert str(caught.value) == (
        f"{path}: the header has the column 'lat' twice (columns 3 and 5, 'LAT'): "
        "remove or rename one"
    )


def test_addr_street_and_addr_colon_street_are_one_column_twice(tmp_path: Path) -> None:
    path = write(tmp_path, "addr:street,addr_street,addr:housenumber,lat,lon\nA,B,1,56.66,16.36\n")
    with pytest.raises(InputError, match="'addr:street' twice"):
        read_addresses(path, KALMAR_AREA, SWEREF)


# --- 8. swapped columns, RT90 --------------------------------------------------------------------


def test_a_register_with_lat_and_lon_swapped_is_refused_saying_so(tmp_path: Path) -> None:
    path = register_csv(tmp_path, 120, swap=True)
    with pytest.raises(InputError) as caught:
        read_addresses(path, SWEDEN, SWEREF)
    assert str(caught.value) == (
        f"{path}: none of 120 points lies in the service area Sverige; with the two coordinate "
        "columns swapped 120 would: are lat and lon (or easting and northing) swapped?"
    )


def test_a_register_in_rt90_is_refused_saying_so_even_where_the_box_holds_some(
    tmp_path: Path,
) -> None:
    lines = ["street,number,easting,northing"]
    for street, number, lat, lon in kalmar_rows(1_200):
        x, y = TO_RT90.transform(lon, lat)
        lines.append(f"{street},{number},{x:.1f},{y:.1f}")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:  # read as SWEREF 99 TM, Kalmar's RT90 lies in
        read_addresses(path, SWEDEN, SWEREF)  # the Baltic, inside Sweden's box
    assert str(caught.value) == (
        f"{path}: 1,200 of 1,200 easting/northing points look like RT90 (EPSG:3021: eastings "
        "1.2-1.9 million), not EPSG:3006: convert them to EPSG:3006 or give lat/lon"
    )


def test_sweref_metres_in_the_lat_lon_columns_are_refused_saying_so(tmp_path: Path) -> None:
    lines = ["street,number,lat,lon"]
    for street, number, lat, lon in kalmar_rows(5):
        x, y = SWEREF.point_to_metric(lon, lat)
        lines.append(f"{street},{number},{y:.1f},{x:.1f}")
    with pytest.raises(InputError, match=r"read as metres .* put them in easting and northing"):
        read_addresses(write(tmp_path, "\n".join(lines) + "\n"), KALMAR_AREA, SWEREF)


def test_a_register_of_another_town_is_refused_naming_where_it_lies(tmp_path: Path) -> None:
    path = write(tmp_path, "street,number,lat,lon\nA,1,59.33,18.06\nB,2,59.34,18.07\n")
    with pytest.raises(InputError, match=r"none of 2 points .* near 59.33 N, 18.06 E"):
        read_addresses(path, KALMAR_AREA, SWEREF)


def test_a_register_with_some_points_outside_loads_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "street,number,lat,lon\nA,1,56.66,16.36\nB,2,59.33,18.06\n")
    assert len(read_addresses(path, KALMAR_AREA, SWEREF).addresses) == 1


def test_cli_load_addresses_of_a_swapped_register_exits_non_zero_with_one_line(
    tmp_path: Path,
) -> None:
    from tests.test_cli import cocoon

    assert cocoon(tmp_path, "init").returncode == 0
    path = register_csv(tmp_path, 30, swap=True)
    result = cocoon(tmp_path, "load-addresses", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("cocoon: error: ") and "are lat and lon" in last


# --- 9. Windows files ----------------------------------------------------------------------------


def test_a_windows_1252_register_is_read_with_its_swedish_letters_and_says_so(
    tmp_path: Path,
) -> None:
    text = (
        "street;number;town;lat;lon\nÅsgatan;1;Växjö;56,66;16,36\nÖrngatan;2;Kalmar;56,66;16,36\n"
    )
    load = read_addresses(write(tmp_path, text, encoding="cp1252"), KALMAR_AREA, SWEREF)
    assert load.encoding == "Windows-1252"
    assert [(a.street, a.town) for a in load.addresses] == [
        ("Åsgatan", "Växjö"),
        ("Örngatan", "Kalmar"),
    ]


def test_a_utf8_register_with_a_bom_is_read_as_utf8(tmp_path: Path) -> None:
    text = "street;number;lat;lon\nÅsgatan;1;56,66;16,36\n"
    load = read_addresses(write(tmp_path, text, encoding="utf-8-sig"), KALMAR_AREA, SWEREF)
    assert load.encoding == "UTF-8" and load.addresses[0].street == "Åsgatan"


def test_cli_says_a_register_was_read_as_windows_1252(tmp_path: Path) -> None:
    from tests.test_cli import cocoon

    assert cocoon(tmp_path, "init").returncode == 0
    path = write(tmp_path, "street;number;lat;lon\nÅsgatan;1;56,66;16,36\n", encoding="cp1252")
    result = cocoon(tmp_path, "load-addresses", str(path))
    assert result.returncode == 0
    assert f"{path} (read as Windows-1252): 1 new, 0 updated, 0 unchanged" in result.stdout


# --- 3. GeoJSON nested deep ----------------------------------------------------------------------


def test_a_register_geojson_nested_100000_deep_is_one_line_error(tmp_path: Path) -> None:
    deep = '{"type": "FeatureCollection", "features": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(InputError) as caught:
        read_addresses(write(tmp_path, deep, "reg.geojson"), KALMAR_AREA, SWEREF)
    assert "reg.geojson: cannot read" in str(caught.value) and "\n" not in str(caught.value)


# --- 11. chunks ----------------------------------------------------------------------------------


def test_a_register_read_in_chunks_gives_what_one_piece_gives(tmp_path: Path) -> None:
    path = register_csv(tmp_path, 1_000)
    whole = read_addresses(path, KALMAR_AREA, SWEREF)
    reader = RegisterReader(path, KALMAR_AREA, SWEREF, chunk_rows=64)
    chunks = list(reader.chunks())
    assert len(chunks) == 16 and reader.rows == 1_000
    assert [a for c in chunks for a in c.addresses] == whole.addresses


def test_an_id_repeated_in_a_later_chunk_may_have_been_seen(tmp_path: Path) -> None:
    text = "address_id,street,number,lat,lon\n" + "".join(
        f"LM-{i % 7},Gata,{i},56.66,16.36\n" for i in range(10)
    )
    chunks = list(RegisterReader(write(tmp_path, text), KALMAR_AREA, SWEREF, chunk_rows=5).chunks())
    assert chunks[0].maybe_seen == set() and chunks[1].maybe_seen == {"LM-0", "LM-1", "LM-2"}


def test_an_app_load_in_chunks_stores_every_row_once_and_tells_progress(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register, "CHUNK_ROWS", 100)
    text = (
        "address_id,street,number,lat,lon\n"
        + "".join(
            f"LM-{i},Gata {i // 50},{i % 50 + 1},{56.66 + i * 1e-5},16.36\n" for i in range(450)
        )
        + "LM-3,Gata 0,4,56.67,16.37\n"
    )  # a repeat: the last row wins
    path = write(tmp_path, text)
    told: list[tuple[int, int]] = []
    result = app.register.load_addresses(path, NOW, progress=lambda r, s: told.append((r, s)))
    assert (result.created, result.updated, result.unchanged, result.rows) == (450, 0, 0, 451)
    assert result.skipped == {DUPLICATE_ID: 1}
    assert told == [(100, 100), (200, 200), (300, 300), (400, 400), (451, 450)]
    with app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(address_table)) == 450
        lat = conn.scalar(select(address_table.c.lat).where(address_table.c.address_id == "LM-3"))
    assert lat == 56.67
    again = app.register.load_addresses(path, NOW)  # LM-3's first row counts as a change
    assert (again.created, again.updated + again.unchanged) == (0, 450)


def test_an_app_load_that_fails_at_the_end_leaves_nothing_behind(
    app: Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register, "CHUNK_ROWS", 10)
    path = register_csv(tmp_path, 50, swap=True)
    with pytest.raises(InputError, match="swapped"):
        app.register.load_addresses(path, NOW)
    with app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(address_table)) == 0


def test_a_geojson_register_in_chunks_keeps_feature_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register, "CHUNK_ROWS", 2)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [16.36, 56.66]},
         "properties": {"street": "Gata", "number": str(i) if i != 4 else None}}
        for i in range(1, 6)
    ]  # fmt: skip
    path = write(
        tmp_path, json.dumps({"type": "FeatureCollection", "features": features}), "r.geojson"
    )
    load = read_addresses(path, KALMAR_AREA, SWEREF)
    assert [a.number for a in load.addresses] == ["1", "2", "3", "5"]
    assert load.rejections == [f"{path}, feature 4, field number: missing"]
