"""Address register logic: stable ids, dwelling kinds, and forgiving geocoding of report text.

Pure: works on Address records already read by a source module.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cocoon.core.model import Address, Dwelling

# Abbreviations people write for common Swedish (and Finnish) street suffixes.
_SUFFIXES = {
    "g": "gatan",
    "gat": "gatan",
    "v": "vagen",
    "vag": "vagen",
    "pl": "platsen",
    "st": "stigen",
    "k": "katu",
    "t": "tie",
}
_NUMBER = re.compile(r"^(\d+)([a-z]?)(?:-\d+[a-z]?)?$")
_POSTCODE = re.compile(r"^\d{3}\s?\d{2}$")

#: OSM building values for small houses and multi-dwelling buildings.
OSM_SMAHUS = {"house", "detached", "terrace", "semidetached_house", "bungalow", "farm", "cabin"}
OSM_FLERBOSTADSHUS = {"apartments", "residential", "dormitory"}
#: OSM building values that are not homes; addresses on them are left out of the register.
OSM_NOT_RESIDENTIAL = {
    "commercial", "retail", "office", "industrial", "warehouse", "church", "chapel", "cathedral",
    "school", "university", "college", "kindergarten", "hospital", "hotel", "train_station",
    "transportation", "public", "civic", "government", "garage", "garages", "parking", "shed",
    "kiosk", "supermarket", "service", "fire_station", "museum", "sports_hall", "stadium",
    "barn", "greenhouse", "roof", "construction", "ruins", "bunker", "toilets", "mosque",
    "synagogue", "temple",
}  # fmt: skip


def fold(text: str) -> str:
    """Case- and accent-free form for matching: 'Östra Storgatan' -> 'ostra storgatan'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", plain)).strip()


def street_key(street: str) -> str:
    """Matching key of a street name; 'Storg.' and 'Storgatan' give the same key."""
    words = fold(street.replace(".", " . ")).split()
    out: list[str] = []
    for word in words:
        if out and word in _SUFFIXES:
            out[-1] += _SUFFIXES[word]  # 'Stor g.' -> 'storgatan'
        elif word.endswith(("g", "v")) and len(word) > 3 and street.rstrip().endswith("."):
            out.append(word + ("atan" if word.endswith("g") else "agen"))  # 'Storg.'
        else:
            out.append(word)
    return "".join(out)


def number_key(number: str) -> str:
    """Matching key of a house number: '12 B' and '12b' give '12b'; '12–14' gives '12-14'."""
    return re.sub(r"\s+", "", number.casefold()).replace("–", "-")


def range_start(number_key_: str) -> str | None:
    """The first number of a range key ('1-5' -> '1'), or None when it is not a range."""
    m = _NUMBER.match(number_key_)
    return f"{m.group(1)}{m.group(2)}" if m and "-" in number_key_ else None


def postcode_key(postcode: str | None) -> str | None:
    return re.sub(r"\s", "", postcode) if postcode else None


def address_id_for(street: str, number: str, town: str | None) -> str:
    """A stable id for an address without one: same street, number and town, same id."""
    key = f"{street_key(street)}|{number_key(number)}|{fold(town or '')}"
    return "A-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def dwelling_from_osm(building: str | None) -> Dwelling | None:
    """smahus or flerbostadshus from an OSM building tag; None when it does not say."""
    value = (building or "").strip().lower()
    if value in OSM_SMAHUS:
        return Dwelling.SMAHUS
    if value in OSM_FLERBOSTADSHUS:
        return Dwelling.FLERBOSTADSHUS
    return None


def dwelling_from_purpose(purpose: str | None) -> Dwelling | None:
    """From a Lantmäteriet purpose value ('Bostad; Småhus friliggande', 'Bostad;Flerfamiljshus')."""
    value = fold(purpose or "")
    if not value.startswith("bostad"):
        return None
    if "smahus" in value:
        return Dwelling.SMAHUS
    if "flerfamiljshus" in value or "flerbostadshus" in value:
        return Dwelling.FLERBOSTADSHUS
    return None


#: First words of Lantmäteriet purposes that are not homes ('Verksamhet; Kontor').
PURPOSES_NOT_HOME = {
    "verksamhet", "samhallsfunktion", "industri", "ekonomibyggnad", "komplementbyggnad", "ovrig",
}  # fmt: skip


def is_residential_purpose(purpose: str | None) -> bool:
    """In a purpose column everything but 'Bostad…' (Verksamhet, …) is not a home."""
    return not purpose or fold(purpose).startswith("bostad")


def names_non_home_purpose(value: str | None) -> bool:
    """Whether a free value (a dwelling column) is a Lantmäteriet purpose of no home."""
    words = fold(value or "").split(" ")
    return words[0] in PURPOSES_NOT_HOME


def parse_dwelling(value: str | None) -> Dwelling | None:
    """The dwelling column: 'smahus'/'flerbostadshus', a purpose value or an OSM building tag."""
    if not value or not value.strip():
        return None
    folded = fold(value)
    for kind in Dwelling:
        if folded == kind.value:
            return kind
    return dwelling_from_purpose(value) or dwelling_from_osm(value)


@dataclass(frozen=True)
class ParsedAddress:
    """Report address text split into parts: 'Storgatan 12B, 392 31 Kalmar'."""

    street: str
    number: str
    postcode: str | None
    town: str | None


def parse_address_text(text: str) -> ParsedAddress | None:
    """Street and number, then optionally postcode and town after a comma; None if no number."""
    head, _, tail = text.partition(",")
    m = re.match(r"^\s*(.*?\D)\s*(\d+\s*[A-Za-z]?(?:\s*[-–]\s*\d+[A-Za-z]?)?)\s*$", head)
    if not m or not m.group(1).strip():
        return None
    postcode = town = None
    rest = tail.strip()
    if rest:
        pm = re.match(r"^(\d{3}\s?\d{2})\s*(.*)$", rest)
        if pm:
            postcode, town = pm.group(1), (pm.group(2).strip() or None)
        else:
            town = rest
    return ParsedAddress(m.group(1).strip(), m.group(2).strip(), postcode, town)


class AddressIndex:
    """Finds register addresses by report text, forgiving case, 'g.'/'gatan', no postcode."""

    def __init__(self, addresses: Iterable[Address]) -> None:
        self._by_key: dict[tuple[str, str], list[Address]] = defaultdict(list)
        self._by_range_start: dict[tuple[str, str], list[Address]] = defaultdict(list)
        for a in addresses:
            street, number = street_key(a.street), number_key(a.number)
            self._by_key[(street, number)].append(a)
            if start := range_start(number):
                self._by_range_start[(street, start)].append(a)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def match(self, text: str) -> Address | None:
        """The one register address the text names, or None if none or several fit."""
        parsed = parse_address_text(text)
        if parsed is None:
            return None
        key = (street_key(parsed.street), number_key(parsed.number))
        candidates = self._by_key.get(key) or self._by_range_start.get(key, [])
        if parsed.postcode:
            pc = postcode_key(parsed.postcode)
            with_pc = [a for a in candidates if postcode_key(a.postcode) == pc]
            candidates = with_pc or [a for a in candidates if not a.postcode]
        if parsed.town and len(candidates) > 1:
            town = fold(parsed.town)
            candidates = [a for a in candidates if fold(a.town or "") == town] or candidates
        return candidates[0] if len(candidates) == 1 else None


#: OSM keys that mark a business or facility; an address carrying one is not a home unless its
#: building says so (a shop on the ground floor of building=apartments stays).
OSM_POI_KEYS = (
    "shop", "amenity", "tourism", "office", "craft", "healthcare",
    "railway", "public_transport", "highway", "aeroway",
)  # fmt: skip


def why_not_a_home(values: Mapping[str, str]) -> str | None:
    """Why a register point is not a home (a purpose, a building tag, a business tag), or None.

    `values` are the reader's cells by contract name: purpose, dwelling, building and the
    OSM business keys.
    """
    purpose = values.get("purpose")
    if purpose and not is_residential_purpose(purpose) and parse_dwelling(purpose) is None:
        return f"not residential (purpose={purpose_head(purpose)})"
    said = values.get("dwelling")
    if said and parse_dwelling(said) is None:
        folded = fold(said)
        if names_non_home_purpose(said):
            return f"not residential (purpose={purpose_head(said)})"
        if folded in OSM_NOT_RESIDENTIAL:
            return f"not residential (building={folded})"
    building = values.get("building", "").strip().lower()
    if building in OSM_NOT_RESIDENTIAL:
        return f"not residential (building={building})"
    if dwelling_of(values) is None:
        for key in OSM_POI_KEYS:
            if values.get(key):
                return f"not residential ({key}=*)"
    return None


def purpose_head(purpose: str) -> str:
    """'Verksamhet; Kontor' -> 'Verksamhet': few distinct skip reasons, still telling."""
    return purpose.split(";")[0].strip()


def dwelling_of(values: Mapping[str, str]) -> Dwelling | None:
    """Door knock or stairwell notice, from the first of dwelling, purpose or building."""
    return (
        parse_dwelling(values.get("dwelling"))
        or parse_dwelling(values.get("purpose"))
        or dwelling_from_osm(values.get("building"))
    )
