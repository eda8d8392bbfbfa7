"""Why the readers refuse a row or a file, in Swedish and English.

The readers raise these as `RowError` or `InputError` reasons, so the command line and the
rejects file say them in the configured language; logs and `str()` keep the English. One Text
per reason: a reason that several readers give ('missing') is said the same way by all.
"""

from __future__ import annotations

from typing import Any

from cocoon.messages import Message, Text

# --- a field of a row ----------------------------------------------------------------------

MISSING = Text("row_missing", "saknas", "missing")
LONGER_THAN = Text("row_longer_than", "längre än {limit} tecken", "longer than {limit} characters")
LONGER_THAN_FIELD = Text(
    "row_longer_than_field",
    "längre än 128 kB ({length:,} tecken)",
    "longer than 128 KB ({length:,} characters)",
)
CONTROL_CHARACTER = Text(
    "row_control_character",
    "innehåller styrtecknet {code}; ta bort det",
    "contains the control character {code}; remove it",
)
EXTRA_FIELDS = Text(
    "row_extra_fields",
    "fler fält än rubrikraden har (en avgränsare utan citattecken?)",
    "more fields than the header has (an unquoted delimiter?)",
)
NOT_A_NUMBER = Text("row_not_a_number", "{text!r} är inte ett tal", "{text!r} is not a number")
NOT_FINITE = Text(
    "row_not_finite", "{text!r} är inte ett ändligt tal", "{text!r} is not a finite number"
)
PAIR_MISSING = Text(
    "row_pair_missing", "saknas: {a} och {b} hör ihop", "missing: {a} and {b} go together"
)
IN_THE_FUTURE = Text("row_in_the_future", "{text} ligger i framtiden", "{text} is in the future")
UNKNOWN_FLAG = Text(
    "row_unknown_flag",
    "okänt värde {text!r}; använd true eller false",
    "unknown value {text!r}; use true or false",
)

# --- a report row --------------------------------------------------------------------------

DUPLICATE_ID = Text(
    "row_duplicate_id",
    "samma id finns redan i filen (först på {where})",
    "duplicate id in this file (first at {where})",
)
AFTER_OCCURRED_TO = Text("row_after_occurred_to", "är efter occurred_to", "is after occurred_to")
AFTER_REPORTED_AT = Text(
    "row_after_reported_at",
    "är efter reported_at: ett inbrott anmäls efter att det har skett",
    "is after reported_at: a burglary is reported after it happens",
)
UNKNOWN_PREMISES = Text(
    "row_unknown_premises",
    "okänt värde {text!r}; använd villa, radhus, lagenhet, fritidshus eller other",
    "unknown value {text!r}; use villa, radhus, lagenhet, fritidshus or other",
)
NOT_DEGREES = Text(
    "row_not_degrees",
    "{lat}, {lon} är inte grader i WGS 84 (lat, lon)",
    "{lat}, {lon} are not WGS 84 degrees (lat, lon)",
)
LOOKS_LIKE_RT90 = Text(
    "row_looks_like_rt90",
    "{easting:.0f}, {northing:.0f} ser ut som RT90 (EPSG:3021), inte {crs}: räkna om dem",
    "{easting:.0f}, {northing:.0f} look like RT90 (EPSG:3021), not {crs}: convert them",
)
NO_LOCATION = Text(
    "row_no_location",
    "plats saknas: ange lat/lon, easting/northing eller address",
    "no location: give lat/lon, easting/northing or address",
)
POINT_OUTSIDE = Text(
    "row_point_outside",
    "punkten {lat:.5f} N, {lon:.5f} Ö ligger utanför tjänsteområdet {area}",
    "point {lat:.5f} N, {lon:.5f} E is outside the service area {area}",
)

# --- JSON values (GeoJSON features, the police feed) ---------------------------------------

#: What a JSON value is, for a message ('is an array, not an object').
JSON_KINDS: dict[str, Text] = {
    "null": Text("json_null", "null", "null"),
    "boolean": Text("json_boolean", "ett sanningsvärde", "a boolean"),
    "number": Text("json_number", "ett tal", "a number"),
    "object": Text("json_object", "ett objekt", "an object"),
    "array": Text("json_array", "en lista", "an array"),
    "string": Text("json_string", "en sträng", "a string"),
}
NOT_AN_OBJECT = Text("row_not_an_object", "är {kind}, inte ett objekt", "is {kind}, not an object")
ELEMENT_NOT_AN_OBJECT = Text(
    "row_element_not_an_object",
    "element {number} i listan är {kind}, inte ett objekt",
    "array element {number} is {kind}, not an object",
)
BAD_ID = Text(
    "row_bad_id",
    "är {kind}: id ska vara en sträng eller ett tal",
    "is {kind}: id must be a string or a number",
)
BAD_VALUE = Text(
    "row_bad_value",
    "är {kind}; värdet ska vara en sträng eller ett tal",
    "is {kind}; it must be a string or a number",
)

# --- outcome rows of a filled-in roster ----------------------------------------------------

NO_STOP = Text(
    "row_no_stop",
    "saknas: besökets address_id från besökslistan",
    "missing: the stop's address_id from the roster",
)
UNKNOWN_OUTCOME = Text(
    "row_unknown_outcome",
    "okänt utfall {text!r}; använd {known}",
    "unknown outcome {text!r}; use {known}",
)

# --- event rows (the Knox test's CSV) ------------------------------------------------------

NOT_A_DAY = Text(
    "row_not_a_day",
    "{text!r} går inte att läsa som datum eller tidpunkt i ISO 8601",
    "cannot read {text!r} as an ISO 8601 date or time",
)
YEAR_OUTSIDE = Text(
    "row_year_outside",
    "{text!r}: året {year} ligger inte inom {first}–{last}",
    "{text!r}: the year {year} is not {first}–{last}",
)

# --- a whole file --------------------------------------------------------------------------

CANNOT_READ = Text(
    "file_cannot_read", "{path}: kan inte läsas: {reason}", "{path}: cannot read: {reason}"
)
NOT_UTF16 = Text(
    "file_not_utf16",
    "{path}: inte UTF-16-text efter BOM-märket (byte {byte})",
    "{path}: not UTF-16 text after its BOM (byte {byte})",
)
NOT_UTF8_NOR_1252 = Text(
    "file_not_utf8_nor_1252",
    "{path}: varken UTF-8 (byte {byte}) eller Windows-1252-text: spara filen som CSV UTF-8",
    "{path}: neither UTF-8 (byte {byte}) nor Windows-1252 text: save it as CSV UTF-8",
)
COLUMN_TWICE = Text(
    "file_column_twice",
    "{path}: rubrikraden har kolumnen {name!r} två gånger (kolumn {first} och {second}{other}): "
    "ta bort eller byt namn på en av dem",
    "{path}: the header has the column {name!r} twice (columns {first} and {second}{other}): "
    "remove or rename one",
)
COLUMN_TWICE_FOLDED = Text(
    "file_column_twice_folded",
    "{path}: rubrikraden har kolumnen {name!r} två gånger (jämfört utan skiftläge och accenter): "
    "ta bort eller byt namn på en av dem",
    "{path}: the header has the column {name!r} twice (compared without case and accents): "
    "remove or rename one",
)
EMPTY_FILE = Text(
    "file_empty",
    "{path}: tom fil, en rubrikrad väntades",
    "{path}: empty file, expected a header row",
)
HEADER_UNREADABLE = Text(
    "file_header_unreadable",
    "{path}: rubrikraden kan inte läsas: {reason}",
    "{path}: cannot read the header row: {reason}",
)
HEADER_CELL_TOO_LONG = Text(
    "file_header_cell_too_long",
    "{path}: en cell i rubrikraden är längre än 128 kB",
    "{path}: a header cell longer than 128 KB",
)
UNKNOWN_REPORT_FORMAT = Text(
    "file_unknown_report_format",
    "{path}: okänt format för anmälningar {suffix!r}; använd .csv, .geojson eller .json",
    "{path}: unknown report format {suffix!r}; use .csv, .geojson or .json",
)
NO_ID_COLUMN = Text(
    "file_no_id_column",
    "{path}: rubrikraden saknar kolumnen {column!r} ({header})",
    "{path}: no {column!r} column in the header ({header})",
)
NOT_JSON = Text(
    "file_not_json",
    "{path}: inte giltig JSON: {reason} på rad {line}",
    "{path}: not valid JSON: {reason} at line {line}",
)
JSON_TOO_DEEP = Text(
    "file_json_too_deep",
    "{path}: JSON-filen är för djupt nästlad för att vara en fil med anmälningar",
    "{path}: JSON nested too deeply to be a report file",
)
JSON_NEITHER = Text(
    "file_json_neither",
    "{path}: JSON-filen är varken en GeoJSON FeatureCollection eller polisens händelseflöde",
    "{path}: JSON is neither a GeoJSON FeatureCollection nor a police feed",
)


def json_kind(value: Any) -> Message | str:
    """'an object', 'an array', 'a number' …: what a JSON value is, for a message."""
    if value is None:
        return JSON_KINDS["null"]()
    if isinstance(value, bool):
        return JSON_KINDS["boolean"]()
    if isinstance(value, int | float):
        return JSON_KINDS["number"]()
    if isinstance(value, dict):
        return JSON_KINDS["object"]()
    if isinstance(value, list):
        return JSON_KINDS["array"]()
    return JSON_KINDS["string"]() if isinstance(value, str) else type(value).__name__
