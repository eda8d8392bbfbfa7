"""Words people read, in Swedish (the default) and English."""

from __future__ import annotations

from typing import Literal

Language = Literal["sv", "en"]

TEXTS: dict[str, dict[Language, str]] = {
    "high": {"sv": "hög risk", "en": "high risk"},
    "elevated": {"sv": "förhöjd risk", "en": "elevated risk"},
    "zones_at": {"sv": "Riskzoner {at}", "en": "Risk zones at {at}"},
    "no_zones": {"sv": "Inga aktiva riskzoner.", "en": "No active risk zones."},
    "zone_line": {
        "sv": "{zone_id}  {level:<13} {days_left:>2} dagar kvar (till {until})  "
        "{reports} anmälningar  {area_km2:.2f} km²",
        "en": "{zone_id}  {level:<13} {days_left:>2} days left (until {until})  "
        "{reports} reports  {area_km2:.2f} km²",
    },
    "then_elevated": {
        "sv": "{pad}därefter förhöjd risk till {until}",
        "en": "{pad}then elevated risk until {until}",
    },
    "zones_total": {
        "sv": "{zones} zoner: {high} med hög risk, {elevated} med förhöjd risk.",
        "en": "{zones} zones: {high} at high risk, {elevated} at elevated risk.",
    },
}


def text(key: str, language: Language, **values: object) -> str:
    return TEXTS[key][language].format(**values)
