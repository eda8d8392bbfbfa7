"""Geocoding report text against the register: forgiving, but never a guess between two doors."""

from __future__ import annotations

import pytest

from cocoon.core.addressing import AddressIndex, address_id_for, parse_address_text, parse_dwelling
from cocoon.core.model import Address, Dwelling

REGISTER = [
    Address("A1", "Storgatan", "12B", 16.36, 56.66, "392 31", "Kalmar"),
    Address("A2", "Östra Vägen", "3", 16.37, 56.67, "392 32", "Kalmar"),
    Address("A3", "Kyrkogatan", "5", 16.38, 56.68, "392 33", "Kalmar"),
    Address("A4", "Kyrkogatan", "5", 13.00, 55.60, "211 22", "Malmö"),
    Address("A5", "Uudenmaankatu", "1-5", 24.94, 60.16, None, "Helsinki"),
    Address("A6", "Uudenmaankatu", "15", 24.94, 60.16, None, "Helsinki"),
]
INDEX = AddressIndex(REGISTER)


@pytest.mark.parametrize(
    ("text", "address_id"),
    [
        ("Storgatan 12B, 392 31 Kalmar", "A1"),
        ("storgatan 12 b", "A1"),
        ("STORG. 12B", "A1"),
        ("Storgatan 12B, 39231", "A1"),
        ("Ostra vagen 3", "A2"),
        ("Östra v. 3, Kalmar", "A2"),
        ("Kyrkogatan 5, Malmö", "A4"),
        ("Kyrkogatan 5, 392 33 Kalmar", "A3"),
        ("Uudenmaankatu 15", "A6"),
        ("Uudenmaankatu 1", "A5"),
    ],
)
def test_address_text_matches_one_register_address(text: str, address_id: str) -> None:
    match = INDEX.match(text)
    assert match is not None and match.address_id == address_id


@pytest.mark.parametrize("text", ["Kyrkogatan 5", "Storgatan 12", "Storgatan", "Lillgatan 1"])
def test_ambiguous_or_unknown_address_matches_nothing(text: str) -> None:
    assert INDEX.match(text) is None


def test_address_text_is_split_into_parts() -> None:
    parsed = parse_address_text("Storgatan 12 B, 392 31 Kalmar")
    assert parsed is not None
    assert (parsed.street, parsed.number, parsed.postcode, parsed.town) == (
        "Storgatan", "12 B", "392 31", "Kalmar"
    )  # fmt: skip


def test_derived_address_id_is_stable_and_forgiving() -> None:
    assert address_id_for("Storgatan", "12B", "Kalmar") == address_id_for(
        "storgatan", "12 b", "KALMAR"
    )
    assert address_id_for("Storgatan", "12B", "Kalmar") != address_id_for(
        "Storgatan", "12C", "Kalmar"
    )


@pytest.mark.parametrize(
    ("value", "dwelling"),
    [
        ("smahus", Dwelling.SMAHUS),
        ("Bostad; Småhus friliggande", Dwelling.SMAHUS),
        ("Bostad;Flerfamiljshus", Dwelling.FLERBOSTADSHUS),
        ("apartments", Dwelling.FLERBOSTADSHUS),
        ("terrace", Dwelling.SMAHUS),
        ("yes", None),
        ("", None),
    ],
)
def test_dwelling_kind_is_read_from_any_of_its_forms(value: str, dwelling: Dwelling | None) -> None:
    assert parse_dwelling(value) is dwelling
