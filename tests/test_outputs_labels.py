"""Street names on every map a person reads: placed along their roads, upright, inside the
frame, never over each other or a marker, busier and longer streets first, a name again only
far from itself; read back from the PDFs (pdftotext), the HTML map's data and page (headless
Chromium), and the PNG's figure. The public map names streets and still shows no burglary."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from cocoon.core.profile import Profile
from cocoon.core.visits import VisitKind
from cocoon.outputs import render
from cocoon.outputs.content import SignSheet
from cocoon.outputs.export_html import zoom_levels
from cocoon.outputs.export_png import HEIGHT_PT, WIDTH_PT, drawn, fit, text_width
from cocoon.outputs.fonts import register_fonts
from cocoon.outputs.maps import ExportMap
from cocoon.outputs.street_labels import (
    BASELINE_DROP,
    TEXT_BOTTOM,
    TEXT_TOP,
    Box,
    Label,
    Layout,
    Street,
    place_labels,
    streets,
)
from tests import test_roster as rosters
from tests import test_sign_outputs as signs
from tests.chromium import Browser, Page, browser
from tests.exporttown import BURGLARIES, REGISTER, Town
from tests.signtown import grid_town
from tests.test_export_formats import map_data
from tests.test_export_privacy import NEAR_M, SCANS, secrets_in

INTERNAL, PUBLIC = Profile.INTERNAL, Profile.PUBLIC
SIZE = 7.0


def measure(text: str, size: float) -> float:
    """DejaVu Sans as the PDFs set it (reportlab)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, _ = register_fonts()
    return float(stringWidth(text, regular, size))


def piece(name: str | None, road_class: str, *points: tuple[float, float]) -> Any:
    return name, road_class, np.array(points, dtype=float)


def shape(label: Label) -> BaseGeometry:
    """The label's box as a polygon, drawn from its own centre, angle and text extent."""
    a = math.radians(label.angle)
    ux, uy = math.cos(a), math.sin(a)
    hw = label.width / 2
    hh = (TEXT_TOP - TEXT_BOTTOM) / 2 * label.size
    return shapely.Polygon(
        [
            (label.x + sx * hw * ux - sy * hh * uy, label.y + sx * hw * uy + sy * hh * ux)
            for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))
        ]
    )


def assert_apart(labels: Sequence[Label], markers: Sequence[BaseGeometry] = ()) -> None:
    """No two labels share any area, and no label touches a marker."""
    shapes = [shape(label) for label in labels]
    for (a, sa), (b, sb) in itertools.combinations(zip(labels, shapes, strict=True), 2):
        assert sa.intersection(sb).area < 1e-6, (a.text, b.text)
    for label, s in zip(labels, shapes, strict=True):
        for marker in markers:
            assert not s.intersects(marker), (label.text, marker)


def assert_inside(labels: Sequence[Label], width: float, height: float) -> None:
    for label in labels:
        x0, y0, x1, y1 = shape(label).bounds
        assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, label


def grid(width: float, height: float, step: float) -> list[Street]:
    """A town of named streets every `step` units, Storgatan a primary road through it."""
    pieces = []
    for i, y in enumerate(np.arange(step / 2, height, step).tolist()):
        name = "Storgatan" if i == 1 else f"Tvärgata {i}"
        pieces.append(piece(name, "primary" if i == 1 else "residential", (0, y), (width, y)))
    for i, x in enumerate(np.arange(step / 2, width, step).tolist()):
        pieces.append(piece(f"Långvägen {i}", "residential", (x, 0), (x, height)))
    pieces.append(piece("Diagonalen", "tertiary", (0, 0), (width, height)))
    return streets(pieces)


# --- the placement ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def town_labels() -> tuple[list[Label], list[BaseGeometry]]:
    layout = Layout(600, 400, SIZE, repeat_gap=200)
    markers = [Box.around(x, y, 6) for x, y in ((90, 150), (300, 150), (150, 255), (470, 60))]
    labels = place_labels(layout, grid(600, 400, 100), measure, markers)
    discs = [shapely.Point(m.cx, m.cy).buffer(m.hw) for m in markers]
    return labels, discs


def test_placed_names_never_overlap_each_other_or_a_marker(
    town_labels: tuple[list[Label], list[BaseGeometry]],
) -> None:
    labels, discs = town_labels
    assert len(labels) >= 10
    assert_apart(labels, discs)


def test_names_stay_inside_the_frame(town_labels: tuple[list[Label], list[BaseGeometry]]) -> None:
    labels, _ = town_labels
    assert_inside(labels, 600, 400)


def test_names_lie_on_their_road_turned_to_it_and_upright(
    town_labels: tuple[list[Label], list[BaseGeometry]],
) -> None:
    labels, _ = town_labels
    by_name = {s.name: s for s in grid(600, 400, 100)}
    for label in labels:
        line = shapely.LineString(by_name[label.text].lines[0])
        assert line.distance(shapely.Point(label.x, label.y)) < 1e-6
        assert -80 < label.angle <= 100
        if label.text == "Diagonalen":
            assert label.angle == pytest.approx(math.degrees(math.atan2(400, 600)), abs=0.01)
        elif label.text.startswith("Långvägen"):
            assert label.angle == 90  # read from below
        else:
            assert label.angle == 0
    assert any(label.text == "Diagonalen" for label in labels)


def test_the_baseline_lies_under_the_line_so_the_text_sits_centred_on_it() -> None:
    [label] = place_labels(
        Layout(300, 100, SIZE),
        streets([piece("Kyrkgatan", "residential", (0, 50), (300, 50))]),
        measure,
    )
    assert label.baseline() == pytest.approx((label.x, 50 - BASELINE_DROP * SIZE))
    [steep] = place_labels(
        Layout(100, 300, SIZE),
        streets([piece("Kyrkgatan", "residential", (50, 300), (50, 0))]),
        measure,
    )
    assert steep.angle == 90
    assert steep.baseline() == pytest.approx((50 + BASELINE_DROP * SIZE, steep.y))


def test_busier_streets_are_named_before_quieter_ones_and_longer_before_shorter() -> None:
    """Two parallel streets too close for two names: only the busier (then the longer) one."""
    close = [
        piece("Lillgatan", "residential", (0, 20), (90, 20)),
        piece("Storgatan", "secondary", (0, 26), (90, 26)),
    ]
    assert [lb.text for lb in place_labels(Layout(90, 46, SIZE), streets(close), measure)] == [
        "Storgatan"
    ]
    same_class = [
        piece("Kortgatan", "residential", (5, 20), (85, 20)),
        piece("Långgatan", "residential", (0, 26), (90, 26)),
    ]
    placed = place_labels(Layout(90, 46, SIZE), streets(same_class), measure)
    assert [lb.text for lb in placed] == ["Långgatan"]


def test_the_streets_the_map_is_about_are_named_first_near_their_focus() -> None:
    pieces = [
        piece("Lillgatan", "residential", (0, 20), (400, 20)),
        piece("Storgatan", "primary", (0, 26), (400, 26)),
    ]
    named = streets(pieces, {"Lillgatan"}.__contains__, [("Lillgatan", 330.0, 20.0)])
    [first, *_] = place_labels(Layout(400, 46, SIZE, repeat_gap=1000), named, measure)
    assert first.text == "Lillgatan" and first.x > 250


def test_a_name_comes_again_only_far_from_itself() -> None:
    long_street = [piece("Strandvägen", "secondary", (0, 50), (3000, 50))]
    labels = place_labels(Layout(3000, 100, SIZE, repeat_gap=400), streets(long_street), measure)
    assert len(labels) >= 5
    for a, b in itertools.combinations(labels, 2):
        assert math.hypot(a.x - b.x, a.y - b.y) >= 400
    assert_apart(labels)


def test_swedish_letters_and_very_long_names_are_kept_and_fit_or_are_left_out() -> None:
    very_long = "Konung Karl XVI Gustafs och Drottning Silvias Jubileumsallé vid Östra Kanalen"
    pieces = [
        piece("Östra Ågatan", "residential", (10, 20), (290, 20)),
        piece("Kärrvägen", "residential", (10, 60), (290, 60)),
        piece(very_long, "residential", (0, 100), (600, 100)),
        piece(very_long + " Norra", "residential", (0, 140), (120, 140)),  # too short for it
    ]
    labels = place_labels(Layout(600, 160, SIZE), streets(pieces), measure)
    assert sorted(lb.text for lb in labels) == sorted(["Östra Ågatan", "Kärrvägen", very_long])
    assert_inside(labels, 600, 160)
    long_label = next(lb for lb in labels if lb.text == very_long)
    assert long_label.width == pytest.approx(measure(very_long, SIZE)) and long_label.width > 250


def test_a_street_cut_into_pieces_and_forked_round_an_island_is_one_line() -> None:
    pieces = [
        piece("Storgatan", "secondary", (0, 0), (100, 0)),
        piece("Storgatan", "secondary", (100, 0), (140, 8), (180, 0)),  # round an island
        piece("Storgatan", "secondary", (100, 0), (140, -8), (180, 0)),
        piece("Storgatan", "secondary", (180, 0), (300, 0)),
        piece("Kyrkgatan", "residential", (150, -50), (150, 50)),
        piece(None, "footway", (0, 10), (300, 10)),
        piece("  ", "footway", (0, 12), (300, 12)),
    ]
    named = streets(pieces)
    assert [s.name for s in named] == ["Kyrkgatan", "Storgatan"]
    storgatan = named[1]
    assert storgatan.lines[0][0].tolist() in ([0, 0], [300, 0])
    assert storgatan.lines[0][-1].tolist() in ([0, 0], [300, 0])


def test_no_roads_or_only_unnamed_roads_give_no_names() -> None:
    assert place_labels(Layout(100, 100, SIZE), [], measure) == []
    unnamed = streets([piece(None, "footway", (0, 50), (100, 50))])
    assert place_labels(Layout(100, 100, SIZE), unnamed, measure) == []


def test_placement_is_the_same_on_every_run() -> None:
    def once() -> list[tuple[Any, ...]]:
        labels = place_labels(Layout(600, 400, SIZE), grid(600, 400, 100), measure)
        return [(lb.text, lb.x, lb.y, lb.angle, lb.width) for lb in labels]

    assert once() == once()


def test_reportlab_and_matplotlib_measure_the_same_font_in_points() -> None:
    for name in ("Storgatan", "Östra Ågatan", "Kaisaniemenkatu", "Drottning Silvias allé"):
        assert text_width(name, 10) == pytest.approx(measure(name, 10), rel=0.03)


# --- the roster's sheet map and the sign plan's zone maps (pdftotext) ------------------------

EXTRA = rosters._road("residential", "Kyrkvägen", (-400, 60), (400, 60))  # no stop on it


@pytest.fixture(scope="module")
def roster_pdf() -> bytes:
    content = replace(rosters.roster(), roads=(*rosters.ROADS, EXTRA))
    return render("pdf", content)


def test_roster_sheet_maps_name_the_streets_in_their_frame(
    roster_pdf: bytes, tmp_path: Path
) -> None:
    """Kyrkvägen has no stop, so only a map names it; a stop's street is named on the map
    besides in the table wherever its markers leave room on it (on sheet 2 they cover
    Åkervägen's whole stretch)."""
    plan = rosters.town_plan()
    pages = rosters.pdf_pages(roster_pdf, tmp_path)[: len(plan.sheets)]
    assert all("Kyrkvägen" in page for page in pages[:2])
    named = set()
    for page, sheet in zip(pages, plan.sheets, strict=True):
        text = rosters.flat([page])
        for street in ("Storgatan", "Åkervägen", "Östra Vägen"):
            rows = sum(s.label.startswith(street + " ") for s in sheet.stops)
            if text.count(street) > rows:  # the table's rows, and the map
                named.add((sheet.number, street))
    assert named >= {(1, "Storgatan"), (2, "Storgatan"), (2, "Östra Vägen"), (3, "Åkervägen")}


def test_roster_sheet_map_names_never_overlap_each_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cocoon.outputs import sheet_map

    drawn_names: list[list[Label]] = []
    original = sheet_map.draw_names

    def spy(c: Any, labels: Sequence[Label]) -> None:
        drawn_names.append(list(labels))
        original(c, labels)

    monkeypatch.setattr(sheet_map, "draw_names", spy)
    render("pdf", replace(rosters.roster(), roads=(*rosters.ROADS, EXTRA)))
    assert len(drawn_names) == 3 and all(drawn_names)
    for labels in drawn_names:
        assert_apart(labels)


def test_roster_with_names_is_the_same_bytes_twice(roster_pdf: bytes) -> None:
    assert render("pdf", replace(rosters.roster(), roads=(*rosters.ROADS, EXTRA))) == roster_pdf


def test_roster_without_roads_still_prints_its_sheet_maps(tmp_path: Path) -> None:
    pages = rosters.pdf_pages(render("pdf", replace(rosters.roster(), roads=())), tmp_path)
    assert len(pages) == 4 and "Kyrkvägen" not in rosters.flat(pages)


def test_roster_names_the_street_a_stairwell_is_on_beside_its_square(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Östra Vägen has only stairwells: its name goes on its sheet, clear of their squares."""
    from cocoon.outputs import sheet_map

    seen: list[tuple[list[Label], list[Box]]] = []
    original = sheet_map.SmallMap.street_names

    def spy(self: Any, x0: float, y0: float, k: float, markers: Any = (), focus: Any = ()) -> Any:
        labels = original(self, x0, y0, k, markers, focus)
        seen.append((labels, list(markers)))
        return labels

    monkeypatch.setattr(sheet_map.SmallMap, "street_names", spy)
    plan = rosters.town_plan()
    render("pdf", rosters.roster(plan))
    stairwell_sheets = [
        i
        for i, sheet in enumerate(plan.sheets)
        if any(s.kind is VisitKind.STAIRWELL for s in sheet.stops)
    ]
    assert stairwell_sheets
    for i in stairwell_sheets:
        labels, markers = seen[i]
        assert "Östra Vägen" in [lb.text for lb in labels]
        squares = [shapely.box(*m.extent()) for m in markers if not m.round]
        assert squares
        assert_apart(labels, squares)


SIGN_ROADS = (
    *signs.ROADS,
    signs._road("residential", "Skolgatan", (-700, 120), (700, 120)),
    signs._road("residential", "Kvarnvägen", (-250, -450), (-250, 500)),
)


def test_sign_plan_zone_maps_name_their_streets(tmp_path: Path) -> None:
    content = SignSheet(signs.town_plan(), signs.SWEREF, signs.STOCKHOLM, "sv", SIGN_ROADS)
    pdf = render("pdf", content)
    text = rosters.flat(rosters.pdf_pages(pdf, tmp_path))
    assert "Skolgatan" in text and "Kvarnvägen" in text  # no sign describes them: the map does
    assert render("pdf", content) == pdf


def test_sign_plan_without_roads_still_draws_its_zone_maps(tmp_path: Path) -> None:
    content = SignSheet(signs.town_plan(), signs.SWEREF, signs.STOCKHOLM, "sv", ())
    text = rosters.flat(rosters.pdf_pages(render("pdf", content), tmp_path))
    assert "Zon Z-7Q4K" in text and "Skolgatan" not in text


# --- the PNG export (the placement it draws) -------------------------------------------------


@pytest.fixture(scope="module")
def town(export_town: Town) -> Town:
    return export_town


def town_street_names() -> set[str]:
    return {ln.name for ln in grid_town(half_m=2000) if ln.name}


def png_markers(content: ExportMap) -> list[BaseGeometry]:
    """The internal map's markers as discs on the page, in points."""
    assert content.frame is not None
    x0, y0, x1, _ = fit(content.frame, WIDTH_PT / HEIGHT_PT)
    k = WIDTH_PT / (x1 - x0)
    return [
        shapely.Point((f.geometry.x - x0) * k, (f.geometry.y - y0) * k).buffer(3.0)
        for layer in content.layers[1:]
        for f in layer.features
    ]


@pytest.mark.parametrize("profile", [PUBLIC, INTERNAL])
def test_png_names_the_streets_apart_from_each_other_and_the_markers(
    town: Town, profile: Profile
) -> None:
    content = town.maps[profile]
    fig, labels = drawn(content)
    assert len(labels) >= 5 and {lb.text for lb in labels} <= town_street_names()
    assert_apart(labels, png_markers(content))
    assert_inside(labels, WIDTH_PT, HEIGHT_PT)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {lb.text for lb in labels} <= texts


def test_png_is_the_same_bytes_twice(town: Town) -> None:
    assert render("png", town.maps[PUBLIC]) == town.file(PUBLIC, "png").read_bytes()


def test_png_sets_a_name_as_written_even_with_dollar_signs(town: Town) -> None:
    road = next(r for r in town.maps[PUBLIC].roads if r.name == "Storgatan")
    odd = replace(road, name="$\\Kronan$ & 50% gatan")
    content = replace(town.maps[PUBLIC], roads=(*town.maps[PUBLIC].roads, odd))
    _, labels = drawn(content)
    assert "$\\Kronan$ & 50% gatan" in {lb.text for lb in labels}
    assert render("png", content).startswith(b"\x89PNG")


def test_maps_without_roads_still_render_every_drawn_format(town: Town, tmp_path: Path) -> None:
    for profile in Profile:
        content = replace(town.maps[profile], roads=())
        _, labels = drawn(content)
        assert labels == []
        assert render("png", content).startswith(b"\x89PNG")
        path = tmp_path / f"{profile.value}.html"
        path.write_bytes(render("html", content))
        assert map_data(path)["names"]["levels"] and all(
            lv["labels"] == [] for lv in map_data(path)["names"]["levels"]
        )


# --- the offline HTML map: its data ----------------------------------------------------------


def html_labels(data: dict[str, Any]) -> Iterator[tuple[float, list[Label]]]:
    """Each zoom level's names as labels in pixels (y up) from the data's origin."""
    names = data["names"]["names"]
    for level in data["names"]["levels"]:
        k, row = level["k"], level["labels"]
        labels = [
            Label(names[n], x * k, y * k, a, size, width, Box(0, 0, 1, 0, 0, 0))
            for n, x, y, a, width, size in (row[i : i + 6] for i in range(0, len(row), 6))
        ]
        yield k, labels


@pytest.mark.parametrize("profile", [PUBLIC, INTERNAL])
def test_html_map_carries_names_placed_apart_at_every_zoom_level(
    town: Town, profile: Profile
) -> None:
    data = map_data(town.file(profile, "html"))
    assert (
        set(data["names"]["names"]) <= town_street_names() and "Storgatan" in data["names"]["names"]
    )
    levels = list(html_labels(data))
    assert [k for k, _ in levels] == zoom_levels(town.maps[profile].frame or (0, 0, 1, 1))
    counts = [len(labels) for _, labels in levels]
    assert counts[-1] > counts[0] > 0  # more names as the map grows
    marks = [
        (f["g"][0], f["g"][1])
        for layer in data["layers"]
        if layer["kind"] == "point"
        for f in layer["features"]
    ]
    for k, labels in levels:
        discs = [shapely.Point(x * k, y * k).buffer(5.0) for x, y in marks]
        assert_apart(labels, discs)


def test_html_names_sit_on_the_loaded_roads(town: Town) -> None:
    """A name's place is a point of a road, as the roads are: it tells nothing of a home."""
    data = map_data(town.file(PUBLIC, "html"))
    network = shapely.union_all([shapely.LineString(ln.xy) for ln in grid_town(half_m=2000)])
    origin = np.array(data["origin"], dtype=float)
    for k, labels in html_labels(data):
        points = np.array([(lb.x / k, lb.y / k) for lb in labels]) + origin
        assert shapely.distance(shapely.points(points), network).max() < 0.2


# --- the public map: streets named, still no burglary ---------------------------------------


@pytest.mark.parametrize("fmt", ["html", "png"])
def test_public_map_names_streets_but_shows_no_report_id_address_or_home(
    town: Town, fmt: str
) -> None:
    path = town.file(PUBLIC, fmt)
    nearest, found = SCANS[fmt](path)
    assert found == [] and nearest > NEAR_M
    if fmt == "html":
        text = path.read_text(encoding="utf-8")
        assert "Storgatan" in map_data(path)["names"]["names"]
        assert all(rid not in text for rid, _, _ in BURGLARIES)
        assert all(f"{a.street} {a.number}" not in text for a in REGISTER)
    else:
        _, labels = drawn(town.maps[PUBLIC])
        assert "Storgatan" in {lb.text for lb in labels}
        assert secrets_in(" ".join(lb.text for lb in labels)) == []


def test_html_map_is_the_same_bytes_twice(town: Town) -> None:
    assert render("html", town.maps[PUBLIC]) == town.file(PUBLIC, "html").read_bytes()


# --- the offline HTML map in a browser -------------------------------------------------------

WIDTH, HEIGHT = 1200, 800


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with browser(tmp_path_factory.mktemp("chromium")) as instance:
        yield instance


def opened(chromium: Browser, path: Path, width: int = WIDTH, height: int = HEIGHT) -> Page:
    page = Page(chromium, width, height)
    page.load(path)
    assert page.evaluate("document.body.dataset.ready") == "1"
    return page


def shown_names(page: Page) -> list[dict[str, Any]]:
    """The names the page shows: text, box on screen, font size."""
    result: list[dict[str, Any]] = page.evaluate(
        "Array.from(document.querySelectorAll('#names text.name')).map(t => {"
        " const r = t.getBoundingClientRect();"
        " return {text: t.textContent, box: [r.left, r.top, r.right, r.bottom],"
        " size: parseFloat(getComputedStyle(t).fontSize)}; })"
    )
    return result


def assert_screen_apart(names: list[dict[str, Any]]) -> None:
    """Names on screen (the town's streets run east or north: boxes are upright) apart."""
    boxes = [shapely.box(*n["box"]).buffer(-1.0) for n in names]
    for (a, ba), (b, bb) in itertools.combinations(zip(names, boxes, strict=True), 2):
        assert not ba.intersects(bb), (a, b)


def zoom_k(page: Page) -> float:
    """Pixels per metre the page draws at, from its world group's transform."""
    matrix = page.evaluate("document.getElementById('world').getAttribute('transform')")
    return float(matrix.removeprefix("matrix(").split()[0])


def test_browser_shows_the_street_names_apart_and_keeps_them_readable_when_zooming(
    town: Town, chromium: Browser
) -> None:
    page = opened(chromium, town.file(PUBLIC, "html"))
    before = shown_names(page)
    assert len(before) >= 3 and {n["text"] for n in before} <= town_street_names()
    assert_screen_apart(before)
    level = float(page.evaluate("document.getElementById('names').dataset.k"))
    page.wheel(WIDTH / 2, HEIGHT / 2, -700)
    page.frame()
    after = shown_names(page)
    assert float(page.evaluate("document.getElementById('names').dataset.k")) > level
    assert len(after) >= 3
    assert_screen_apart(after)
    assert {n["size"] for n in after} <= {12.0, 13.44, 10.8}  # pixels, whatever the zoom
    assert page.problems() == []


def test_browser_hides_no_popup_under_a_name(town: Town, chromium: Browser) -> None:
    page = opened(chromium, town.file(PUBLIC, "html"))
    name = shown_names(page)[0]["box"]
    x, y = (name[0] + name[2]) / 2, (name[1] + name[3]) / 2
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).tagName") != "text"


def touch(page: Page, kind: str, points: Sequence[tuple[float, float]]) -> None:
    page.call(
        "Input.dispatchTouchEvent",
        {
            "type": kind,
            "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
        },
    )


def test_phone_pinch_zooms_and_one_finger_drags_the_map(town: Town, chromium: Browser) -> None:
    page = opened(chromium, town.file(PUBLIC, "html"), 390, 700)
    page.call("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    k = zoom_k(page)
    touch(page, "touchStart", [(150, 350), (240, 350)])
    for step in range(1, 6):
        touch(page, "touchMove", [(150 - 9 * step, 350), (240 + 9 * step, 350)])
    touch(page, "touchEnd", [])
    page.frame()
    assert zoom_k(page) == pytest.approx(2 * k, rel=0.02)  # the fingers went twice as far apart
    assert shown_names(page)
    world = page.evaluate("document.getElementById('world').getAttribute('transform')")
    touch(page, "touchStart", [(200, 400)])
    for step in range(1, 6):
        touch(page, "touchMove", [(200 + 10 * step, 400 + 6 * step)])
    touch(page, "touchEnd", [])
    page.frame()
    moved = page.evaluate("document.getElementById('world').getAttribute('transform')")
    tx0, ty0 = (float(v) for v in world.rstrip(")").split()[-2:])
    tx1, ty1 = (float(v) for v in moved.rstrip(")").split()[-2:])
    assert (tx1 - tx0, ty1 - ty0) == pytest.approx((50, 30), abs=0.5)
    assert page.evaluate("document.getElementById('popup').hidden") is True
    assert page.problems() == []


def test_road_without_a_name_gets_no_label(town: Town) -> None:
    data = map_data(town.file(INTERNAL, "html"))
    assert "" not in data["names"]["names"] and None not in data["names"]["names"]
    assert len(set(data["names"]["names"])) == len(data["names"]["names"])


def test_a_roster_road_loaded_twice_is_named_once_per_area(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same street loaded as two ways (a reload of another file) is still one name."""
    twice = (*rosters.ROADS, *rosters.ROADS)
    from cocoon.outputs import sheet_map

    drawn_names: list[list[Label]] = []
    original = sheet_map.draw_names
    monkeypatch.setattr(
        sheet_map,
        "draw_names",
        lambda c, labels: (drawn_names.append(list(labels)), original(c, labels))[1],
    )
    render("pdf", replace(rosters.roster(), roads=twice))
    for labels in drawn_names:
        for a, b in itertools.combinations(labels, 2):
            if a.text == b.text:
                assert math.hypot(a.x - b.x, a.y - b.y) >= sheet_map.NAME_REPEAT
