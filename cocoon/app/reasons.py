"""Why a use case refuses what it was asked, in Swedish and English.

The command line says these in output.language; logs and `str()` keep the English.
"""

from __future__ import annotations

from cocoon.messages import Text

# --- reports -------------------------------------------------------------------------------

NO_SINGLE_ADDRESS = Text(
    "app_no_single_address",
    "ingen enskild adress i registret matchar {address!r}",
    "no single address in the register matches {address!r}",
)
NO_PLACE_GIVEN = Text(
    "app_no_place_given",
    "ange --address, eller --lat och --lon, eller --easting och --northing",
    "give --address, or --lat and --lon, or --easting and --northing",
)
PLACE_OUTSIDE = Text(
    "app_place_outside",
    "{lat:.5f} N, {lon:.5f} Ö ligger utanför tjänsteområdet {area}",
    "{lat:.5f} N, {lon:.5f} E is outside the service area {area}",
)
WITHDRAWN = Text(
    "app_withdrawn", "anmälan {report_id!r} är återkallad", "report {report_id!r} is withdrawn"
)

# --- visits and signs ----------------------------------------------------------------------

IN_NO_ZONE = Text(
    "app_in_no_zone",
    "anmälan {report_id} ligger inte i någon riskzon {at}",
    "report {report_id} is in no zone at {at}",
)
NO_ROSTER_COLUMNS = Text(
    "app_no_roster_columns",
    "{path}: rubrikraden saknar kolumnen {columns}",
    "{path}: no {columns} column in the header",
)
SIGNS_PLANNED_FORWARD = Text(
    "app_signs_planned_forward",
    "skyltplanen gjordes senast för {last}; skyltar planeras framåt, inte för {day} "
    "(använd `cocoon signs --due DATUM` för en dags lista)",
    "the sign plan was last made for {last}; signs are planned forward, not for {day} "
    "(use `cocoon signs --due DATE` for a day's list)",
)

# --- groups --------------------------------------------------------------------------------

GROUP_LOADED_ELSEWHERE = Text(
    "app_group_loaded_elsewhere",
    "{group_id} är redan inläst från {source}",
    "{group_id} is loaded from {source}",
)
NO_MEMBER_ADDRESS = Text(
    "app_no_member_address",
    "{ref!r} är inget adress-id i registret och matchar ingen enskild adress i registret",
    "{ref!r} is no register address id and matches no single register address",
)

# --- the field app -------------------------------------------------------------------------

NO_ACTIVE_ZONE = Text(
    "app_no_active_zone", "ingen aktiv riskzon {zone_id}", "no active zone {zone_id}"
)
NO_ROSTER = Text("app_no_roster", "ingen besökslista {key}", "no roster {key}")
NO_ROSTER_FOR = Text(
    "app_no_roster_for", "ingen besökslista {key} för {name}", "no roster {key} for {name}"
)
NOT_ON_ROSTER = Text(
    "app_not_on_roster",
    "adressen {address_id!r} finns inte på besökslistan {key}",
    "no stop {address_id!r} on roster {key}",
)
TAP_ID_NOT_UUID = Text(
    "app_tap_id_not_uuid", "tap_id: inte ett UUID: {text!r}", "tap_id: not a UUID: {text!r}"
)
UNKNOWN_OUTCOME = Text(
    "app_unknown_outcome",
    "outcome: {text!r} är inget av {known}",
    "outcome: {text!r} is none of {known}",
)
TAPPED_AT_NOT_ISO = Text(
    "app_tapped_at_not_iso",
    "tapped_at: ingen tidpunkt enligt ISO 8601: {text!r}",
    "tapped_at: not an ISO 8601 time: {text!r}",
)
NO_SUCH_TAP = Text("app_no_such_tap", "inget sådant tryck", "no such tap")
NOT_UP_OR_DOWN = Text(
    "app_not_up_or_down",
    "action: {action!r} är varken up eller down",
    "action: {action!r} is neither up nor down",
)
NO_SIGN_TO_PUT_UP = Text(
    "app_no_sign_to_put_up",
    "ingen skylt {sign_id} ska sättas upp den {day}",
    "no sign {sign_id} to be put up on {day}",
)
NO_SIGN_TO_TAKE_DOWN = Text(
    "app_no_sign_to_take_down",
    "ingen skylt {sign_id} ska tas ner den {day}",
    "no sign {sign_id} to be taken down on {day}",
)
AT_MOST_CHARACTERS = Text(
    "app_at_most_characters", "{name}: högst {limit} tecken", "{name}: at most {limit} characters"
)

# --- visits: why a report gets no plan ------------------------------------------------------

NO_VISITS = Text("app_no_visits", "anmälan {report_id} {reason}", "report {report_id} {reason}")

# --- the analysts' evidence (Knox test, back-test) ------------------------------------------

STORED_REPORTS = Text("app_stored_reports", "de sparade anmälningarna", "the stored reports")
PERIOD_BACKWARDS = Text(
    "app_period_backwards",
    "perioden {first} – {last} slutar innan den börjar",
    "the period {first} – {last} ends before it starts",
)
KNOX_SETTINGS = Text("app_knox_settings", "Knoxtestet: {reason}", "Knox test: {reason}")
KNOX_TOO_FEW = Text(
    "app_knox_too_few",
    "{what}: {count} händelse(r) med plats och tid; Knoxtestet behöver minst 2",
    "{what}: {count} event(s) with a place and a time; the Knox test needs at least 2",
)
EVENTS_UNUSABLE = Text(
    "app_events_unusable",
    "{what}: {count} händelse(r) med plats och tid, men: {reason}",
    "{what}: {count} event(s) with a place and a time: {reason}",
)
RISK_NUMBER = Text(
    "app_risk_number",
    "{what}: ogiltigt värde {name} = {value!r}: {reason}",
    "{what}: {name} = {value!r}: {reason}",
)
GRID_EMPTY = Text(
    "app_grid_empty", "grid: inga värden för {name} att pröva", "grid: no {name} to try"
)

# --- loads ---------------------------------------------------------------------------------

DATABASE_ERROR = Text(
    "app_database_error",
    "{path}: databasfel: {reason}; inget sparades",
    "{path}: database error: {reason}; nothing was stored",
)
