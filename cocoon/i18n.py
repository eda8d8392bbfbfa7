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
    "roster_title": {"sv": "Grannbesök efter inbrott", "en": "Neighbour visits after a burglary"},
    "roster_sheet": {"sv": "Lista {number} av {count}", "en": "Sheet {number} of {count}"},
    "roster_zone": {"sv": "Zon", "en": "Zone"},
    "roster_burglary": {"sv": "Inbrott", "en": "Burglary"},
    "roster_planned": {"sv": "Planerad", "en": "Planned"},
    "roster_stop_count": {"sv": "Antal besök", "en": "Stops"},
    "roster_instructions": {
        "sv": "Gå i nummerordning. Kryssa en ruta per adress. Är ingen hemma: lämna "
        "informationsbladet i brevlådan.",
        "en": "Walk in number order. Tick one box per address. If nobody is home, leave the "
        "leaflet in the letterbox.",
    },
    "roster_town": {"sv": "Ort", "en": "Town"},
    "roster_col_stop": {"sv": "Nr", "en": "No."},
    "roster_col_address": {"sv": "Adress", "en": "Address"},
    "roster_col_kind": {"sv": "Typ", "en": "Kind"},
    "roster_col_distance": {"sv": "Avstånd (m)", "en": "Distance (m)"},
    "roster_col_visited": {"sv": "Besökt", "en": "Visited"},
    "roster_col_not_home": {"sv": "Ej hemma – lapp lämnad", "en": "Not at home – leaflet left"},
    "roster_col_declined": {"sv": "Avböjde", "en": "Declined"},
    "roster_col_notes": {"sv": "Anteckningar", "en": "Notes"},
    "roster_kind_door": {"sv": "Dörrknackning", "en": "Door knock"},
    "roster_kind_stairwell": {"sv": "Trapphusinformation", "en": "Stairwell notice"},
    "roster_internal": {"sv": "Internt – lämna inte ut", "en": "Internal – do not hand out"},
    "roster_page": {"sv": "Sida {page} av {pages}", "en": "Page {page} of {pages}"},
    "roster_no_stops": {
        "sv": "Det finns inga dörrar att besöka.",
        "en": "There are no doors to visit.",
    },
    "roster_no_stops_why": {
        "sv": "Inga bostadsadresser inom besöksradien återstår: adressregistret har inga där, "
        "eller så har de redan besökts eller planerats för ett annat inbrott.",
        "en": "No residential addresses within the visit radius remain: the address register "
        "has none there, or they were already visited or planned for another burglary.",
    },
    "visits_header": {
        "sv": "Zon          nivå           dagar kvar  anmälningar (planerade)  "
        "stopp  klara  ej hemma  kvar",
        "en": "Zone         level          days left   reports (planned)        "
        "stops  done   not home  pending",
    },
    "visits_line": {
        "sv": "{zone_id}  {level:<13} {days_left:>10}  {reports:>11} ({planned:>2})"
        "{stops:>14} {done:>6} {not_home:>9} {pending:>5}",
        "en": "{zone_id}  {level:<13} {days_left:>9}   {reports:>7} ({planned:>2})"
        "{stops:>18} {done:>6} {not_home:>9} {pending:>5}",
    },
}


def text(key: str, language: Language, **values: object) -> str:
    return TEXTS[key][language].format(**values)
