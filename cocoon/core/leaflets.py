"""Which languages a roster's leaflets are printed in: the area's own, then those its settings
give for the postcodes of the doors on the roster. Pure: postcodes and the rules in, codes out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LeafletRules:
    """The `[leaflets]` settings: the area's languages and more languages by postcode prefix."""

    languages: tuple[str, ...]
    by_postcode: Mapping[str, tuple[str, ...]]


def postcode_digits(postcode: str | None) -> str:
    """'213 67' and '21367' alike: the digits of a Swedish postnummer."""
    return "".join(ch for ch in postcode or "" if ch.isdigit())


def leaflet_languages(postcodes: Iterable[str | None], rules: LeafletRules) -> tuple[str, ...]:
    """The area's languages in their order, then each postcode's extra languages (its longest
    matching prefix in the settings), in the order the postcodes come; each language once."""
    prefixes = sorted(
        ((postcode_digits(p), langs) for p, langs in rules.by_postcode.items()),
        key=lambda item: -len(item[0]),
    )
    chosen = list(dict.fromkeys(rules.languages))
    for postcode in postcodes:
        digits = postcode_digits(postcode)
        if not digits:
            continue
        extra = next((langs for prefix, langs in prefixes if digits.startswith(prefix)), ())
        chosen += [code for code in extra if code not in chosen]
    return tuple(chosen)
