"""Words people read, in Swedish (the default) and English. The words of errors are in
cocoon/messages.py, where the errors can reach them."""

from __future__ import annotations

from cocoon.messages import Language

__all__ = ["TEXTS", "Language", "text"]

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
    "daily_title": {"sv": "Dagslista riskzoner {day}", "en": "Daily risk-zone list {day}"},
    "daily_made": {"sv": "skapad {at}", "en": "made {at}"},
    "daily_summary": {
        "sv": "{zones} zoner: {high} med hög risk, {elevated} med förhöjd risk; "
        "{new} med nya anmälningar senaste 24 h.",
        "en": "{zones} zones: {high} high, {elevated} elevated; "
        "{new} with new reports in the last 24 h.",
    },
    "daily_zones": {"sv": "Aktiva riskzoner", "en": "Active risk zones"},
    "daily_zone": {"sv": "Zon {zone_id}", "en": "Zone {zone_id}"},
    "daily_new": {"sv": "ny", "en": "new"},
    "daily_col_new": {"sv": "Ny", "en": "New"},
    "daily_col_zone": {"sv": "Zon", "en": "Zone"},
    "daily_col_level": {"sv": "Nivå", "en": "Level"},
    "daily_col_streets": {"sv": "Gator", "en": "Streets"},
    "daily_col_days_left": {"sv": "Dagar kvar (till)", "en": "Days left (until)"},
    "daily_col_then": {"sv": "Därefter förhöjd till", "en": "Then elevated until"},
    "daily_col_reports": {"sv": "Anmälningar", "en": "Reports"},
    "daily_col_new_reports": {"sv": "Nya 24\u00a0h", "en": "New 24\u00a0h"},
    "daily_days_until": {"sv": "{days} (till {until})", "en": "{days} (until {until})"},
    "daily_card_days": {
        "sv": "Dagar kvar: {days} (till {until})",
        "en": "Days left: {days} (until {until})",
    },
    "daily_then": {
        "sv": "därefter förhöjd risk till {until}",
        "en": "then elevated risk until {until}",
    },
    "daily_card_reports": {
        "sv": "Anmälningar: {reports}, varav nya senaste 24 h: {new}",
        "en": "Reports: {reports}, new in the last 24 h: {new}",
    },
    "daily_put_up": {"sv": "Skyltar att sätta upp i dag", "en": "Signs to put up today"},
    "daily_take_down": {"sv": "Skyltar att ta ner i dag", "en": "Signs to take down today"},
    "daily_none": {"sv": "Inga", "en": "None"},
    "daily_col_sign": {"sv": "Skylt", "en": "Sign"},
    "daily_col_description": {"sv": "Plats", "en": "Where"},
    "daily_col_take_down": {"sv": "Tas ner", "en": "Comes down"},
    "daily_sign_line": {
        "sv": "Zon {zone_id} · skylt {sign_id} · tas ner {take_down}",
        "en": "Zone {zone_id} · sign {sign_id} · comes down {take_down}",
    },
    "alert_line": {
        "sv": "{at} LARM {report_id} · zon {zone_id} · {level} till {until} · {visits} · "
        "{signs} nya skyltar · {folder}",
        "en": "{at} ALERT {report_id} · zone {zone_id} · {level} until {until} · {visits} · "
        "{signs} new signs · {folder}",
    },
    "alert_visits": {
        "sv": "{stops} besök på {sheets} listor",
        "en": "{stops} stops on {sheets} sheets",
    },
    "alert_no_visits": {
        "sv": "inga grannbesök: högriskperioden är redan över",
        "en": "no door visits: the high-risk period is already over",
    },
    "alert_subject": {
        "sv": "cocoon: inbrott {report_id}, zon {zone_id}",
        "en": "cocoon: burglary {report_id}, zone {zone_id}",
    },
    "alert_body": {
        "sv": "Ny anmälan i en riskzon. Grannbesökslista och skyltplan finns i {folder}.",
        "en": "A new report in a risk zone. The visit roster and sign plan are in {folder}.",
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
    "page": {"sv": "Sida {page} av {pages}", "en": "Page {page} of {pages}"},
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
    "sign_title": {"sv": "Skyltplan", "en": "Sign plan"},
    "sign_zones": {"sv": "Zoner", "en": "Zones"},
    "sign_up_count": {"sv": "Skyltar uppe", "en": "Signs up"},
    "sign_count_up": {"sv": "Att sätta upp", "en": "To put up"},
    "sign_count_down": {"sv": "Att ta ner", "en": "To take down"},
    "sign_today_up": {"sv": "Upp i dag", "en": "Up today"},
    "sign_today_down": {"sv": "Ner i dag", "en": "Down today"},
    "sign_none_up": {"sv": "Inga skyltar sätts upp i dag.", "en": "No signs go up today."},
    "sign_none_down": {"sv": "Inga skyltar tas ner i dag.", "en": "No signs come down today."},
    "sign_zone": {"sv": "Zon", "en": "Zone"},
    "sign_level_until": {"sv": "{level} till {until}", "en": "{level} until {until}"},
    "sign_then_elevated": {
        "sv": "därefter förhöjd risk till {until}",
        "en": "then elevated risk until {until}",
    },
    "sign_col_number": {"sv": "Nr", "en": "No."},
    "sign_col_zone": {"sv": "Zon", "en": "Zone"},
    "sign_col_description": {"sv": "Plats", "en": "Where"},
    "sign_col_put_up": {"sv": "Sätts upp", "en": "Goes up"},
    "sign_col_take_down": {"sv": "Tas ner", "en": "Comes down"},
    "sign_col_road": {"sv": "Väg", "en": "Road"},
    "sign_col_reason": {"sv": "Varför", "en": "Why"},
    "sign_col_done_up": {"sv": "Uppsatt", "en": "Put up"},
    "sign_col_done_down": {"sv": "Nedtagen", "en": "Taken down"},
    "sign_on_road": {"sv": "på väg", "en": "on a road"},
    "sign_off_road": {"sv": "ej vid väg (ingen vägkarta)", "en": "not by a road (no road map)"},
    "sign_today": {"sv": "i dag", "en": "today"},
    "sign_reason_level_ends": {"sv": "risknivån upphör", "en": "the risk level ends"},
    "sign_reason_zone_ended": {"sv": "zonen har upphört", "en": "the zone has ended"},
    "sign_reason_outside_zone": {"sv": "utanför zonen nu", "en": "now outside the zone"},
    "sign_reason_near_burglary": {
        "sv": "för nära ett nytt inbrott",
        "en": "too close to a new burglary",
    },
    "sign_reason_zone_shrank": {"sv": "zonen har krympt", "en": "the zone has shrunk"},
    "sign_no_roads": {
        "sv": "Utan vägkarta: zonens skyltar placerades vid zonens kant nära adresser. "
        "Välj en synlig plats vid närmaste väg.",
        "en": "No road map: the zone's signs were placed at its edge near addresses. "
        "Choose a visible spot by the nearest road.",
    },
    "sign_short": {
        "sv": "Zonen har {placed} av {wanted} skyltar: ingen annan plats uppfyller reglerna.",
        "en": "The zone has {placed} of {wanted} signs: no other place keeps the rules.",
    },
    "sign_zone_ended": {
        "sv": "Zonen har upphört: ta ner skyltarna.",
        "en": "The zone has ended: take the signs down.",
    },
    "sign_legend_sign": {"sv": "Skylt", "en": "Sign"},
    "sign_legend_down": {"sv": "Tas ner i dag", "en": "Comes down today"},
    "sign_empty": {"sv": "Inga skyltar", "en": "No signs"},
    "sign_empty_why": {
        "sv": "Inga skyltar står uppe, och inga ska sättas upp eller tas ner {day}.",
        "en": "No signs are up, and none go up or come down on {day}.",
    },
    # map exports (cocoon export)
    "export_public_note": {
        "sv": "Generaliserade zoner – inga brottsplatser visas. Zonerna är rutor om {grid} m.",
        "en": "Generalised zones – no burglary locations shown. Zones are {grid} m squares.",
    },
    "export_internal_note": {
        "sv": "Internt – visar brottsplatser och besökta adresser. Lämna inte ut.",
        "en": "Internal – shows burglary locations and visited addresses. Do not hand out.",
    },
    "export_zone_until": {"sv": "{level} till {until}", "en": "{level} until {until}"},
    "export_zone_through": {"sv": "{level} t.o.m. {day}", "en": "{level} through {day}"},
    "export_layer_zones": {"sv": "Riskzoner", "en": "Risk zones"},
    "export_layer_signs": {"sv": "Skyltar", "en": "Signs"},
    "export_layer_visit_stops": {"sv": "Grannbesök", "en": "Neighbour visits"},
    "export_layer_reports": {"sv": "Anmälda inbrott", "en": "Reported burglaries"},
    "export_legend_high": {"sv": "Hög risk", "en": "High risk"},
    "export_legend_elevated": {"sv": "Förhöjd risk", "en": "Elevated risk"},
    "export_legend_report": {"sv": "Anmält inbrott", "en": "Reported burglary"},
    "export_legend_address": {"sv": "Adress", "en": "Address"},
    "export_legend_road": {"sv": "Väg", "en": "Road"},
    "export_field_level": {"sv": "Nivå", "en": "Level"},
    "export_field_until": {"sv": "Till", "en": "Until"},
    "export_field_last_day": {"sv": "Till och med", "en": "Through"},
    "export_field_area": {"sv": "Yta", "en": "Area"},
    "export_field_reports": {"sv": "Anmälningar", "en": "Reports"},
    "export_field_sign": {"sv": "Skylt-id", "en": "Sign id"},
    "export_field_place": {"sv": "Plats", "en": "Place"},
    "export_field_status": {"sv": "Status", "en": "Status"},
    "export_field_put_up": {"sv": "Sätts upp", "en": "Goes up"},
    "export_field_take_down": {"sv": "Tas ner", "en": "Comes down"},
    "export_field_outcome": {"sv": "Utfall", "en": "Outcome"},
    "export_field_visited_at": {"sv": "Besökt", "en": "Visited at"},
    "export_field_note": {"sv": "Anteckning", "en": "Note"},
    "export_field_sheet": {"sv": "Lista/nr", "en": "Sheet/stop"},
    "export_field_report": {"sv": "Anmälan", "en": "Report"},
    "export_field_reported": {"sv": "Anmäld", "en": "Reported"},
    "export_field_risk_start": {"sv": "Riskstart", "en": "Risk start"},
    "export_field_premises": {"sv": "Bostad", "en": "Premises"},
    "export_field_attempt": {"sv": "Försök", "en": "Attempt"},
    "export_yes": {"sv": "ja", "en": "yes"},
    "export_no": {"sv": "nej", "en": "no"},
    "export_sign_planned": {"sv": "Planerad", "en": "Planned"},
    "export_sign_up": {"sv": "Uppe", "en": "Up"},
    "export_sign_coming_down": {"sv": "Ska tas ner", "en": "To come down"},
    "export_outcome_visited": {"sv": "Besökt", "en": "Visited"},
    "export_outcome_not_home": {"sv": "Ej hemma – lapp lämnad", "en": "Not at home – leaflet left"},
    "export_outcome_declined": {"sv": "Avböjde", "en": "Declined"},
    "export_outcome_pending": {"sv": "Ej besökt än", "en": "Not visited yet"},
    "export_zoom_in": {"sv": "Zooma in", "en": "Zoom in"},
    "export_zoom_out": {"sv": "Zooma ut", "en": "Zoom out"},
    "export_zoom_all": {"sv": "Visa hela kartan", "en": "Show the whole map"},
    "export_close": {"sv": "Stäng", "en": "Close"},
    "export_legend": {"sv": "Teckenförklaring", "en": "Legend"},
    # partner groups' messages (cocoon groups): streets, level, last day, advice, whom to call
    "group_subject": {
        "sv": "Inbrott i närheten – {level} t.o.m. {day}",
        "en": "Burglary nearby – {level} through {day}",
    },
    "group_high": {
        "sv": "{group}: ett inbrott har skett i närheten. Hög risk för fler inbrott {where} "
        "t.o.m. {day}{then}.",
        "en": "{group}: a burglary has happened nearby. High risk of further burglaries "
        "{where} through {day}{then}.",
    },
    "group_elevated": {
        "sv": "{group}: inbrott har skett i närheten. Förhöjd risk för inbrott {where} "
        "t.o.m. {day}.",
        "en": "{group}: burglaries have happened nearby. Elevated risk of burglary {where} "
        "through {day}.",
    },
    "group_then": {
        "sv": ", sedan förhöjd t.o.m. {day}",
        "en": ", then elevated through {day}",
    },
    "group_where_streets": {"sv": "kring {streets}", "en": "around {streets}"},
    "group_where_area": {"sv": "i ert område", "en": "in your area"},
    "group_advice": {
        "sv": "Lås dörrar och fönster, tänd utebelysning, märk värdesaker.\n"
        "Håll uppsikt över grannarnas hem, berätta för dem.",
        "en": "Lock doors and windows, keep lights on outside, mark your valuables.\n"
        "Watch your neighbours' homes and tell them.",
    },
    "group_call": {
        "sv": "Pågående brott: ring 112. Tips och frågor: 114 14.",
        "en": "Crime in progress: call 112. Tips and questions: 114 14.",
    },
    "group_day": {"sv": "{day} {month}", "en": "{month} {day}"},
    "group_months": {
        "sv": "januari februari mars april maj juni juli augusti september oktober november "
        "december",
        "en": "January February March April May June July August September October November "
        "December",
    },
}


def text(key: str, language: Language, **values: object) -> str:
    return TEXTS[key][language].format(**values)
