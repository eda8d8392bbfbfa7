"""The sign plan as GeoJSON, CSV and PDF: public paper, so signs and zones but never a report."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_roster import flat, pdf_pages

from cocoon.core.model import Road
from cocoon.core.risk import Zone, zones_at
from cocoon.core.roads import RoadLine
from cocoon.core.signs.plan import plan_signs
from cocoon.core.signs.rules import Sign, SignPlan, TakeDown, TakeDownReason
from cocoon.core.time import local
from cocoon.i18n import Language
from cocoon.outputs import formats, render
from cocoon.outputs.content import SignSheet
from tests.support import KALMAR, STOCKHOLM, SWEREF, report, risk_rules, sign_rules

ORIGIN = SWEREF.point_to_metric(*KALMAR)
DAY = date(2026, 11, 2)
RUN = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 02:30 local: the daily run
ZONE_A, ZONE_B, ENDED = "Z-7Q4K", "Z-M2P9", "Z-0LD1"
REPORTS = (
    report("K-4711-26", datetime(2026, 10, 10, 12, tzinfo=UTC), offset_m=(-150, 120)),
    report("K-4790-26", datetime(2026, 11, 1, 12, tzinfo=UTC), offset_m=(150, 200)),
    report("K-4802-26", datetime(2026, 11, 1, 12, tzinfo=UTC), offset_m=(1600, 0)),
)
KEYS = {"K-4711-26": ZONE_A, "K-4790-26": "Z-X9W3", "K-4802-26": ZONE_B}
PROPERTIES = {"sign_id", "zone_id", "status", "put_up", "take_down", "description", "on_road"}
HEADER = "sign_id,zone_id,status,put_up,take_down,lon,lat,description,on_road"


def _road(road_class: str, name: str | None, *points: tuple[float, float]) -> Road:
    coords = tuple(SWEREF.point_to_wgs84(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in points)
    return Road(road_class, coords, name)


ROADS = (
    _road("secondary", "Storgatan", (-700, 0), (700, 0)),
    _road("residential", "Åkervägen", (0, -400), (0, 500)),
    _road("residential", "Östra Vägen", (0, 260), (500, 260)),
    _road("footway", None, (300, -300), (300, 0)),
)


def _zones() -> list[Zone]:
    reports = [replace(r, zone_key=KEYS[r.report_id]) for r in REPORTS]
    return zones_at(reports, RUN, risk_rules(), SWEREF)


def _sign(
    sign_id: str,
    zone_id: str,
    at: tuple[float, float],
    put_up: date,
    description: str,
    on_road: bool = True,
    take_down: date = date(2026, 12, 27),
) -> Sign:
    x, y = ORIGIN[0] + at[0], ORIGIN[1] + at[1]
    ids = tuple(r.report_id for r in REPORTS)
    return Sign(sign_id, zone_id, x, y, put_up, take_down, description, on_road, ids)


OCT11 = date(2026, 10, 11)
S1 = _sign("S1", ZONE_A, (0, 0), OCT11, "korsningen Åkervägen/Storgatan, östra hörnet")
S2 = _sign("S2", ZONE_A, (-450, 0), OCT11, "Storgatan, vid infarten från väster")
S3 = _sign("S3", ZONE_A, (300, -60), DAY, "gångvägen söder om Storgatan")
S4 = _sign("S4", ZONE_A, (150, 260), OCT11, "korsningen Åkervägen/Östra Vägen")
S5 = _sign("S5", ZONE_B, (1600, 420), DAY, "vid områdets norra kant (utan vägkarta)", False)
S6 = _sign("S6", ZONE_B, (1600, -420), DAY, "vid områdets södra kant (utan vägkarta)", False)
S7 = _sign("S7", ENDED, (3200, 0), date(2026, 9, 10), "Lövängsvägen vid busshållplatsen")


def town_plan() -> SignPlan:
    """Zone A keeps two signs, gets a third and loses one near its new burglary; zone B has no
    roads; an ended zone's last sign comes down."""
    return SignPlan(
        day=DAY,
        zones=tuple(_zones()),
        up=(S1, S2, S3, S5, S6),
        new=(S3, S5, S6),
        taken_down=(
            TakeDown(replace(S4, take_down=DAY), TakeDownReason.NEAR_BURGLARY),
            TakeDown(replace(S7, take_down=DAY), TakeDownReason.ZONE_ENDED),
        ),
        without_roads=(ZONE_B,),
    )


def sheet(plan: SignPlan | None = None, language: Language = "sv") -> SignSheet:
    return SignSheet(plan or town_plan(), SWEREF, STOCKHOLM, language, ROADS)


def report_ids(plan: SignPlan) -> set[str]:
    ids = {rid for z in plan.zones for rid in z.report_ids}
    signs = [*plan.up, *(t.sign for t in plan.taken_down)]
    return ids | {rid for s in signs for rid in s.report_ids}


@pytest.fixture(scope="module")
def plan() -> SignPlan:
    return town_plan()


@pytest.fixture(scope="module")
def geojson(plan: SignPlan) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render("geojson", sheet(plan)).decode("utf-8"))
    return parsed


@pytest.fixture(scope="module")
def swedish_pdf(plan: SignPlan) -> bytes:
    return render("pdf", sheet(plan))


@pytest.fixture
def swedish(swedish_pdf: bytes, tmp_path: Path) -> str:
    return flat(pdf_pages(swedish_pdf, tmp_path))


def by_id(geojson: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["sign_id"]: f for f in geojson["features"]}


# --- the plan the tests read -------------------------------------------------------------------


def test_town_has_two_zones_with_their_keys_and_no_zone_id_holds_a_report_id() -> None:
    zones = _zones()
    assert [z.zone_id for z in zones] == [ZONE_A, ZONE_B]
    assert zones[0].report_ids == ("K-4711-26", "K-4790-26")
    assert not any(rid in z.zone_id for z in zones for rid in KEYS)


def test_sign_plan_renders_as_geojson_csv_and_pdf() -> None:
    assert {"geojson", "csv", "pdf"} <= set(formats(SignSheet))


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_has_a_point_per_sign_up_or_coming_down_with_its_status(
    geojson: dict[str, Any],
) -> None:
    assert geojson["type"] == "FeatureCollection" and geojson["day"] == "2026-11-02"
    features = by_id(geojson)
    assert [f["properties"]["sign_id"] for f in geojson["features"]] == [
        "S1", "S2", "S3", "S5", "S6", "S4", "S7",
    ]  # fmt: skip
    status = {sid: f["properties"]["status"] for sid, f in features.items()}
    assert status == {
        "S1": "up", "S2": "up", "S3": "new", "S5": "new", "S6": "new",
        "S4": "taken_down", "S7": "taken_down",
    }  # fmt: skip
    assert all(f["geometry"]["type"] == "Point" for f in features.values())


def test_geojson_properties_are_exactly_the_public_ones(geojson: dict[str, Any]) -> None:
    for feature in geojson["features"]:
        props = feature["properties"]
        assert set(props) == PROPERTIES  # no reason: "near a burglary" would place one
    s4 = by_id(geojson)["S4"]["properties"]
    assert s4["take_down"] == "2026-11-02" and s4["put_up"] == "2026-10-11"
    s5 = by_id(geojson)["S5"]["properties"]
    assert s5 == {
        "sign_id": "S5",
        "zone_id": ZONE_B,
        "status": "new",
        "put_up": "2026-11-02",
        "take_down": "2026-12-27",
        "description": "vid områdets norra kant (utan vägkarta)",
        "on_road": False,
    }


def test_geojson_points_are_wgs84_lon_lat_rounded_to_seven_decimals(
    geojson: dict[str, Any],
) -> None:
    lon, lat = by_id(geojson)["S1"]["geometry"]["coordinates"]
    assert lon == pytest.approx(KALMAR[0], abs=2e-7) and lat == pytest.approx(KALMAR[1], abs=2e-7)
    for feature in geojson["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (round(lon, 7), round(lat, 7))
        sign = {s.sign_id: s for s in (S1, S2, S3, S4, S5, S6, S7)}[
            feature["properties"]["sign_id"]
        ]
        x, y = SWEREF.point_to_metric(lon, lat)
        assert abs(x - sign.x) < 0.02 and abs(y - sign.y) < 0.02


def test_geojson_is_utf8_with_swedish_letters_as_written(plan: SignPlan) -> None:
    raw = render("geojson", sheet(plan))
    assert "korsningen Åkervägen/Storgatan, östra hörnet".encode() in raw
    assert b"\\u00" not in raw


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_the_header_and_one_row_per_sign_as_in_the_geojson(
    plan: SignPlan, geojson: dict[str, Any]
) -> None:
    raw = render("csv", sheet(plan))
    assert raw.decode("utf-8").split("\n")[0] == HEADER
    assert b"\r\n" not in raw and not raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert [r["sign_id"] for r in rows] == [f["properties"]["sign_id"] for f in geojson["features"]]
    for row, feature in zip(rows, geojson["features"], strict=True):
        props = feature["properties"]
        assert [float(row["lon"]), float(row["lat"])] == feature["geometry"]["coordinates"]
        for key in ("zone_id", "status", "put_up", "take_down", "description"):
            assert row[key] == props[key]
        assert row["on_road"] == ("true" if props["on_road"] else "false")


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_opens_and_lists_every_sign_and_zone(
    plan: SignPlan, swedish_pdf: bytes, swedish: str
) -> None:
    assert swedish_pdf.startswith(b"%PDF")
    assert swedish.startswith("Skyltplan 2026-11-02")
    for sign in (S1, S2, S3, S4, S5, S6, S7):
        assert sign.description in swedish, sign.sign_id
    for zone_id in (ZONE_A, ZONE_B, ENDED):
        assert f"Zon {zone_id}" in swedish


def test_pdf_lists_what_goes_up_and_what_comes_down_today(swedish: str) -> None:
    up_at, down_at = swedish.index("Upp i dag"), swedish.index("Ner i dag")
    zones_at_ = swedish.index(f"Zon {ZONE_A}")
    assert up_at < down_at < zones_at_
    going_up, coming_down = swedish[up_at:down_at], swedish[down_at:zones_at_]
    assert "Uppsatt" in going_up and "Nedtagen" in coming_down
    for sign in (S3, S5, S6):
        assert sign.description in going_up and sign.description not in coming_down
    for sign in (S4, S7):
        assert sign.description in coming_down and sign.description not in going_up
    for sign in (S1, S2):
        assert sign.description not in swedish[:zones_at_]
    assert "för nära ett nytt inbrott" in coming_down and "zonen har upphört" in coming_down


def test_pdf_zone_sections_show_levels_until_local_time_and_tick_boxes(
    plan: SignPlan, swedish: str
) -> None:
    zone = plan.zones[0]
    assert zone.high is not None and zone.elevated is not None and zone.high_until is not None
    high = local(zone.high_until, STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    ends = local(zone.ends, STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    assert (high, ends) == ("2026-11-15 13:00", "2026-12-27 13:00")  # 12:00 UTC is 13:00 local
    assert f"hög risk till {high}, därefter förhöjd risk till {ends}" in swedish
    section = swedish[swedish.index(f"Zon {ZONE_A}") : swedish.index(f"Zon {ZONE_B}")]
    assert section.count("☐") == 3  # S1, S2, S3 to put up; S4 comes down, ticked on page one
    assert "på väg" in section and "ej vid väg" not in section


def test_pdf_says_which_zones_were_placed_without_a_road_map(swedish: str) -> None:
    a = swedish.index(f"Zon {ZONE_A}")
    b = swedish.index(f"Zon {ZONE_B}")
    assert swedish.count("Utan vägkarta") == 1 and b < swedish.index("Utan vägkarta")
    section = swedish[b : swedish.index(f"Zon {ENDED}")]
    assert section.count("ej vid väg (ingen vägkarta)") == 2
    assert "ej vid väg" not in swedish[a:b]


def test_pdf_says_an_ended_zone_has_only_signs_to_take_down(swedish: str) -> None:
    ended = swedish[swedish.index(f"Zon {ENDED}") :]
    assert "Zonen har upphört: ta ner skyltarna." in ended and S7.description in ended


def test_pdf_shows_a_sign_taken_down_from_a_renamed_zone_with_the_zone_now_there(
    tmp_path: Path,
) -> None:
    renamed = replace(S4, zone_id="Z-GONE", take_down=DAY)
    plan = replace(town_plan(), taken_down=(TakeDown(renamed, TakeDownReason.NEAR_BURGLARY),))
    text = flat(pdf_pages(render("pdf", sheet(plan)), tmp_path))
    assert "Z-GONE" not in text
    zone_a = text[text.index(f"Zon {ZONE_A}") : text.index(f"Zon {ZONE_B}")]
    assert S4.description in zone_a
    assert (
        json.loads(render("geojson", sheet(plan)))["features"][-1]["properties"]["zone_id"]
        == "Z-GONE"
    )


def test_pdf_numbers_its_pages(swedish_pdf: bytes, tmp_path: Path) -> None:
    pages = pdf_pages(swedish_pdf, tmp_path)
    assert all(f"Sida {i} av {len(pages)}" in p for i, p in enumerate(pages, start=1))


def test_pdf_in_english_has_english_headings(plan: SignPlan, tmp_path: Path) -> None:
    english = flat(pdf_pages(render("pdf", sheet(plan, "en")), tmp_path))
    for words in ("Sign plan", "Up today", "Down today", f"Zone {ZONE_A}", "Put up"):
        assert words in english
    assert "not by a road (no road map)" in english and "No road map" in english
    assert "Page 1 of" in english
    for words in ("Skyltplan", "Upp i dag", "Ner i dag", "Uppsatt"):
        assert words not in english


def test_pdf_is_byte_identical_on_rerun(plan: SignPlan, swedish_pdf: bytes) -> None:
    assert render("pdf", sheet(plan)) == swedish_pdf


def test_empty_plan_renders_one_page_saying_there_are_no_signs(tmp_path: Path) -> None:
    empty = SignPlan(DAY, (), (), (), ())
    pages = pdf_pages(render("pdf", sheet(empty)), tmp_path)
    assert len(pages) == 1 and "Inga skyltar" in flat(pages)
    assert json.loads(render("geojson", sheet(empty)))["features"] == []
    assert render("csv", sheet(empty)).decode() == HEADER + "\n"


# --- privacy -----------------------------------------------------------------------------------


def test_no_format_prints_a_report_id(plan: SignPlan, swedish_pdf: bytes, swedish: str) -> None:
    ids = report_ids(plan)
    assert ids == set(KEYS)
    for fmt in ("geojson", "csv"):
        raw = render(fmt, sheet(plan))
        assert not [rid for rid in ids if rid.encode() in raw], fmt
        assert b"report" not in raw
    assert not [rid for rid in ids if rid in swedish or rid.encode() in swedish_pdf]


def test_placed_plan_renders_without_report_ids(tmp_path: Path) -> None:
    """A plan from the placement itself, on the town's roads: every sign printed, no report."""
    reports = [replace(r, zone_key=KEYS[r.report_id]) for r in REPORTS[1:]]
    lines = [
        (road.road_class, road.name, SWEREF.to_metric(*zip(*road.coords, strict=True)))
        for road in ROADS
    ]
    placed = plan_signs(
        zones_at(reports, RUN, risk_rules(), SWEREF),
        [RoadLine(c, n, np.column_stack(xy)) for c, n, xy in lines],
        [],
        [],
        DAY,
        STOCKHOLM,
        sign_rules(),
        iter(f"S{i}" for i in range(1, 99)).__next__,
    )
    assert placed.up
    text = flat(pdf_pages(render("pdf", sheet(placed)), tmp_path))
    raw = render("geojson", sheet(placed)) + render("csv", sheet(placed))
    for sign in placed.up:
        assert sign.description in text
    assert not [rid for rid in report_ids(placed) if rid in text or rid.encode() in raw]
