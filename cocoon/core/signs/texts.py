"""Descriptions a person can find a sign by, in Swedish (the default) or English.

The words live here for now; they join cocoon.i18n with the other output texts later.
"""

from __future__ import annotations

import math

from cocoon.i18n import Language

_POINTS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")

_TEXTS: dict[Language, dict[str, str]] = {
    "sv": {
        "junction": "korsningen {roads}, {where}",
        "junction_on": "korsning på {road}, {where}",
        "corner": "{dir} hörnet",
        "side": "{dir} sidan",
        "entry": "{road}, vid infarten till området från {dir}",
        "ring": "vid områdets {dir} kant (placerad utan vägkarta)",
        "ring_near": "nära {address}, vid områdets {dir} kant (placerad utan vägkarta)",
    },
    "en": {
        "junction": "the junction of {roads}, {where}",
        "junction_on": "a junction on {road}, {where}",
        "corner": "{dir} corner",
        "side": "{dir} side",
        "entry": "{road}, at the entry to the area from {dir}",
        "ring": "at the {dir} edge of the area (placed without a road map)",
        "ring_near": "near {address}, at the {dir} edge of the area (placed without a road map)",
    },
}

#: A direction as an adjective ('nordöstra hörnet') and as where one comes from ('från nordost').
_ADJECTIVE: dict[Language, tuple[str, ...]] = {
    "sv": ("norra", "nordöstra", "östra", "sydöstra", "södra", "sydvästra", "västra", "nordvästra"),
    "en": (
        "north",
        "north-east",
        "east",
        "south-east",
        "south",
        "south-west",
        "west",
        "north-west",
    ),
}
_FROM: dict[Language, tuple[str, ...]] = {
    "sv": ("norr", "nordost", "öster", "sydost", "söder", "sydväst", "väster", "nordväst"),
    "en": tuple(f"the {d}" for d in _ADJECTIVE["en"]),
}

#: What to call an unnamed road: Swedish in the definite form, English without the article.
_KINDS: dict[Language, dict[str, str]] = {
    "sv": {
        "primary": "huvudvägen", "secondary": "huvudvägen", "tertiary": "huvudvägen",
        "unclassified": "vägen", "road": "vägen", "residential": "gatan",
        "living_street": "gångfartsgatan", "pedestrian": "gågatan", "service": "tillfartsvägen",
        "track": "skogsvägen", "cycleway": "cykelvägen", "footway": "gångvägen", "path": "stigen",
        "trail": "stigen", "steps": "trappan",
    },
    "en": {
        "primary": "main road", "secondary": "main road", "tertiary": "main road",
        "unclassified": "road", "road": "road", "residential": "street",
        "living_street": "living street", "pedestrian": "pedestrian street",
        "service": "service road", "track": "track", "cycleway": "cycle path",
        "footway": "footpath", "path": "path", "trail": "path", "steps": "steps",
    },
}  # fmt: skip


def compass(dx: float, dy: float) -> int:
    """Index of the nearest of eight compass points (0 north, clockwise) of a direction."""
    bearing = math.degrees(math.atan2(dx, dy)) % 360.0
    return round(bearing / 45.0) % 8


def road_label(road_class: str, name: str | None, language: Language, alone: bool) -> str:
    """The road's name, else its kind ('gångvägen', 'the footpath' alone, 'footpath' in a list)."""
    if name and name.strip(" ;"):
        return "/".join(part.strip() for part in name.split(";") if part.strip())
    kind = _KINDS[language].get(road_class.removesuffix("_link"), _KINDS[language]["road"])
    return f"the {kind}" if alone and language == "en" else kind


def junction_text(
    roads: tuple[tuple[str, str | None], ...], towards: int, side: bool, language: Language
) -> str:
    """'korsningen Storgatan/Lilla vägen, nordöstra hörnet': the roads and the sign's corner."""
    where = _TEXTS[language]["side" if side else "corner"].format(dir=_ADJECTIVE[language][towards])
    labels = list(dict.fromkeys(road_label(c, n, language, False) for c, n in roads))[:3]
    if len(labels) == 1:
        road = road_label(*roads[0], language, True)
        return _TEXTS[language]["junction_on"].format(road=road, where=where)
    return _TEXTS[language]["junction"].format(roads="/".join(labels), where=where)


def entry_text(road: tuple[str, str | None], coming_from: int, language: Language) -> str:
    """'Storgatan, vid infarten till området från söder'."""
    label = road_label(*road, language, True)
    return _TEXTS[language]["entry"].format(road=label, dir=_FROM[language][coming_from])


def ring_text(near: str | None, edge: int, language: Language) -> str:
    """A point placed without a road map: near which address, on which edge of the area."""
    key = "ring_near" if near else "ring"
    return _TEXTS[language][key].format(address=near, dir=_ADJECTIVE[language][edge])
