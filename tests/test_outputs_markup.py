"""A stored value with a character XML forbids (a NUL, a vertical tab) never breaks a KML, the
offline HTML map or the daily phone page: each still parses as XML, with the words kept."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from cocoon.core.profile import Profile
from cocoon.outputs import render
from cocoon.outputs.clean import printable
from cocoon.outputs.maps import ExportMap
from tests.exporttown import Town
from tests.test_daily_outputs import PUT_UP, paper, town_list

#: What a careless import can leave in a street name or a team's note: NUL, vertical tab, an
#: escape sequence, DEL, a C1 control, a noncharacter, a lone surrogate, and markup.
HOSTILE = "Stor\x00gatan\x0b7\x1b[31m\x7f\x85\ufffe\ud800 <b>&amp;</b>"
#: What is left of it.
KEPT = "Storgatan 7[31m <b>&amp;</b>"
#: Characters an XML 1.0 document may hold (the Char production).
XML_CHAR_RANGES = ((0x9, 0x9), (0xA, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD))


def xml_chars_only(text: str) -> bool:
    return all(
        any(lo <= ord(c) <= hi for lo, hi in XML_CHAR_RANGES) or 0x10000 <= ord(c) <= 0x10FFFF
        for c in text
    )


@pytest.fixture(scope="module")
def hostile_map(export_town: Town) -> ExportMap:
    """The town's internal map with the hostile text in every sign and every stop's note."""
    content = export_town.maps[Profile.INTERNAL]
    pub = content.publication
    signs = tuple(replace(s, sign=replace(s.sign, description=HOSTILE)) for s in pub.signs)
    stops = tuple(replace(s, note=HOSTILE) for s in pub.stops)
    assert signs and stops
    return replace(content, publication=replace(pub, signs=signs, stops=stops))


def test_printable_drops_what_xml_forbids_and_keeps_words_apart() -> None:
    assert printable(HOSTILE) == KEPT
    assert printable("Åkervägen 3\tB\r\n") == "Åkervägen 3\tB\r\n"
    assert printable("noncharacters \U0001fffe\U0010ffff\ufdd0 gone") == "noncharacters  gone"
    kept = "emoji \U0001f3e0, CJK \U0002000b, last \U0010fffd"
    assert printable(kept + "\U0002fffe") == kept


def test_kml_with_a_nul_in_a_sign_description_is_well_formed_xml(hostile_map: ExportMap) -> None:
    raw = render("kml", hostile_map)
    root = ET.fromstring(raw)  # raises ParseError on a NUL or a vertical tab
    kml = "{http://www.opengis.net/kml/2.2}"
    values = [v.text for v in root.iter(f"{kml}value")]
    assert KEPT in values
    balloons = "".join(d.text or "" for d in root.iter(f"{kml}description"))
    assert "Storgatan 7" in balloons
    assert xml_chars_only(raw.decode("utf-8"))


def test_offline_html_map_with_a_nul_in_a_note_is_well_formed_xml(hostile_map: ExportMap) -> None:
    raw = render("html", hostile_map)
    text = raw.decode("utf-8")
    root = ET.fromstring(raw)  # the page is polyglot: an XML parser reads it as well
    data_island = next(e for e in root.iter("script") if e.get("id") == "map-data")
    data = json.loads(data_island.text or "")
    rows = [v for layer in data["layers"] for f in layer["features"] for _, v in f["r"]]
    assert KEPT in rows
    assert xml_chars_only(text)
    assert "\x85" not in text and "\x7f" not in text  # C1 and DEL are errors in HTML


def test_daily_page_with_a_nul_in_a_street_sign_and_area_is_well_formed_xml() -> None:
    daily = town_list(put_up=(replace(PUT_UP[0], description=HOSTILE),))
    raw = render("html", paper(daily, area=HOSTILE))
    root = ET.fromstring(raw)
    words = " ".join("".join(root.itertext()).split())
    assert words.count(" ".join(KEPT.split())) == 2  # the area in the heading, the sign
    assert xml_chars_only(raw.decode("utf-8"))


def test_the_pages_stay_well_formed_xml_without_hostile_text(export_town: Town) -> None:
    for profile in Profile:
        ET.fromstring(render("html", export_town.maps[profile]))
        ET.fromstring(render("kml", export_town.maps[profile]))
    ET.fromstring(render("html", paper()))
