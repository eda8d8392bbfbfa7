"""The offline HTML map in a real headless Chromium with every network path blocked: it loads,
asks for nothing but its own file, draws the zones red and orange, zooms with its scale bar
and opens a popup per object."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cocoon.core.profile import Profile
from cocoon.outputs.maps import COLOURS
from tests.chromium import Browser, Page, browser
from tests.exporttown import Town

WIDTH, HEIGHT = 1200, 800


@pytest.fixture(scope="module")
def town(export_town: Town) -> Town:
    return export_town


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with browser(tmp_path_factory.mktemp("chromium")) as instance:
        yield instance


def opened(chromium: Browser, path: Path) -> Page:
    page = Page(chromium, WIDTH, HEIGHT)
    page.load(path)
    assert page.evaluate("document.body.dataset.ready") == "1"
    return page


def colour_pixels(png: bytes, hex_colour: str, tolerance: int = 8) -> int:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - target).max(axis=1) <= tolerance).sum())


def centre_of(page: Page, selector: str) -> tuple[float, float]:
    """A point inside the first element matching `selector` that is on top there."""
    x, y = page.evaluate(
        "(() => { const e = document.querySelector(" + repr(selector) + ");"
        "const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    return float(x), float(y)


def test_offline_map_loads_with_the_network_blocked_and_asks_for_nothing(
    town: Town, chromium: Browser
) -> None:
    path = town.file(Profile.PUBLIC, "html")
    page = opened(chromium, path)
    assert page.requests() == [path.resolve().as_uri()]
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert page.problems() == []


def test_offline_map_shows_the_zones_red_and_orange(town: Town, chromium: Browser) -> None:
    page = opened(chromium, town.file(Profile.PUBLIC, "html"))
    shot = page.screenshot()
    image = Image.open(io.BytesIO(shot))
    assert image.size == (WIDTH, HEIGHT)
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50
    assert colour_pixels(shot, COLOURS["high"]) > 300  # zone outlines, drawn opaque
    assert colour_pixels(shot, COLOURS["elevated"]) > 300
    counts = page.evaluate(
        "[document.querySelectorAll('path.zone.high').length,"
        " document.querySelectorAll('path.zone.elevated').length]"
    )
    assert counts[0] >= 1 and counts[1] >= 1


def test_offline_map_zooms_with_its_scale_bar_and_pops_up_a_zone(
    town: Town, chromium: Browser
) -> None:
    page = opened(chromium, town.file(Profile.PUBLIC, "html"))
    before = page.evaluate("document.getElementById('scale-text').textContent")
    page.wheel(WIDTH / 2, HEIGHT / 2, -600)
    page.frame()
    after = page.evaluate("document.getElementById('scale-text').textContent")
    assert int(after.split()[0]) < int(before.split()[0])
    page.call("Runtime.evaluate", {"expression": "document.getElementById('zoom-all').click()"})
    x, y = centre_of(page, "path.zone.high")
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).classList.contains('high')")
    page.click(x, y)
    assert page.evaluate("document.getElementById('popup').hidden") is False
    assert "Hög risk t.o.m." in page.evaluate("document.getElementById('popup').textContent")


def test_internal_offline_map_pops_up_a_sign(town: Town, chromium: Browser) -> None:
    page = opened(chromium, town.file(Profile.INTERNAL, "html"))
    assert page.evaluate("document.querySelectorAll('#marks g.mark.report').length") == 3
    page.click(*centre_of(page, "#marks g.mark.sign"))
    popup = page.evaluate("document.getElementById('popup').textContent")
    assert popup.startswith("Skylt:") and "Sätts upp" in popup
    assert page.problems() == [] and len(page.requests()) == 1
