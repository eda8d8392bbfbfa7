"""Why the readers refuse a row or a file, in Swedish and English.

The readers raise these as `RowError` or `InputError` reasons, so the command line and the
rejects file say them in the configured language; logs and `str()` keep the English. One Text
per reason: a reason that several readers give ('missing') is said the same way by all.
"""

from __future__ import annotations

from typing import Any

from cocoon.errors import RowError
from cocoon.messages import Message, Said, Text, rejection

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
NO_HEADER_COLUMN = Text(
    "file_no_header_column",
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

NO_FEATURES = Text(
    "file_no_features",
    "{path}: FeatureCollection utan någon lista features",
    "{path}: FeatureCollection without a features list",
)
GIVEN_TWICE = Text(
    "row_given_twice",
    "finns två gånger (jämfört utan skiftläge och accenter)",
    "given twice (compared without case and accents)",
)
NO_ROWS = Text("file_no_rows", "{path}: inga rader", "{path}: no rows")
NO_EVENT_COLUMNS = Text(
    "file_no_event_columns",
    "{path}: rubrikraden ({header}) namnger varken x, y, date eller lat, lon, date; en fil utan "
    "rubrikrad måste vara Near Repeat Calculators X,Y,date",
    "{path}: the header ({header}) names neither x, y, date nor lat, lon, date; a file without a "
    "header must be the Near Repeat Calculator's X,Y,date",
)

# --- registers: addresses, roads, groups ---------------------------------------------------

NO_SUCH_FILE = Text("file_no_such_file", "{path}: filen finns inte", "{path}: no such file")
NOT_ENCODED = Text(
    "file_not_encoded",
    "{path}: inte {encoding}-text (byte {byte})",
    "{path}: not {encoding} text (byte {byte})",
)
UNKNOWN_ADDRESS_FORMAT = Text(
    "file_unknown_address_format",
    "{path}: okänt adressformat {suffix!r}; "
    "använd .csv, .geojson, .json, .gpkg, .osm eller .osm.pbf",
    "{path}: unknown address format {suffix!r}; use .csv, .geojson, .json, .gpkg, .osm or .osm.pbf",
)
UNKNOWN_ROAD_FORMAT = Text(
    "file_unknown_road_format",
    "{path}: okänt format för vägnät {suffix!r}; "
    "använd .osm.pbf, .osm, .gpkg, .geojson eller .json",
    "{path}: unknown road network format {suffix!r}; use .osm.pbf, .osm, .gpkg, .geojson or .json",
)
UNKNOWN_GROUP_FORMAT = Text(
    "file_unknown_group_format",
    "{path}: okänt format för grupper {suffix!r}; använd .csv, .geojson, .json eller .gpkg",
    "{path}: unknown group file format {suffix!r}; use .csv, .geojson, .json or .gpkg",
)
NO_COLUMN = Text(
    "file_no_column",
    "{path}: kolumnen {column} saknas ({names} eller {last})",
    "{path}: no {column} column ({names} or {last})",
)
NO_LOCATION_COLUMNS = Text(
    "file_no_location_columns",
    "{path}: kolumner för lat/lon eller easting/northing saknas",
    "{path}: no lat/lon or easting/northing columns",
)
NO_AREA_COLUMN = Text(
    "file_no_area_column",
    "{path}: kolumn för område (WKT) eller adresser saknas",
    "{path}: no area (WKT) or addresses column",
)
NO_LAYERS = Text("file_no_layers", "{path}: inga lager", "{path}: no layers")
NO_SUCH_LAYER = Text(
    "file_no_such_layer",
    "{path}: inget lager {layer!r} (filen har {names})",
    "{path}: no layer {layer!r} (it has {names})",
)
LAYER_WITHOUT_CRS = Text(
    "file_layer_without_crs",
    "{path}: lagret saknar koordinatsystem och dess koordinater är inte lon/lat",
    "{path}: the layer has no CRS and its coordinates are not lon/lat",
)
BOUNDARY_UNREADABLE = Text(
    "file_boundary_unreadable",
    "{path}: gränsen kan inte läsas: {reason}",
    "{path}: cannot read the boundary: {reason}",
)
BOUNDARY_WITHOUT_POLYGON = Text(
    "file_boundary_without_polygon",
    "{path}: gränsfilen har ingen polygon",
    "{path}: the boundary file has no polygon",
)
BOUNDARY_WITHOUT_CRS = Text(
    "file_boundary_without_crs",
    "{path}: gränsen saknar koordinatsystem och dess koordinater är inte grader",
    "{path}: the boundary has no CRS and its coordinates are not degrees",
)
BOUNDARY_UNKNOWN_CRS = Text(
    "file_boundary_unknown_crs",
    "{path}: okänt koordinatsystem för gränsen: {crs}",
    "{path}: unknown CRS of the boundary: {crs}",
)
NOT_CONVERTIBLE = Text(
    "row_not_convertible",
    "kan inte räknas om från {crs} till lon/lat",
    "cannot be converted from {crs} to lon/lat",
)
NOT_A_LATITUDE = Text(
    "row_not_a_latitude",
    "{lat} är ingen latitud (-90 till 90)",
    "{lat} is not a latitude (-90 to 90)",
)
NOT_A_LONGITUDE = Text(
    "row_not_a_longitude",
    "{lon} är ingen longitud (-180 till 180)",
    "{lon} is not a longitude (-180 to 180)",
)
UNUSABLE = Text("row_unusable", "oanvändbar", "unusable")
NOT_A_LINE = Text("row_not_a_line", "ingen linje ({kind})", "not a line ({kind})")

# --- group rows ----------------------------------------------------------------------------

GROUP_TWICE = Text(
    "row_group_twice",
    "gruppen {group_id} finns två gånger i filen ({where})",
    "group {group_id} twice in this file ({where})",
)
AREA_AND_ADDRESSES = Text(
    "row_area_and_addresses",
    "ge gruppen ett område eller en lista med adresser, inte båda",
    "give the group an area or a list of addresses, not both",
)
NO_AREA = Text(
    "row_no_area",
    "saknas: ett område (polygon) eller adresser",
    "missing: an area (polygon) or addresses",
)
NOT_A_LANGUAGE = Text(
    "row_not_a_language", "{value!r} är varken sv eller en", "{value!r} is not sv or en"
)
NOT_A_POLYGON = Text("row_not_a_polygon", "ingen polygon ({kind})", "not a polygon ({kind})")
EMPTY_POLYGON = Text("row_empty_polygon", "tom polygon", "empty polygon")
INVALID_POLYGON = Text(
    "row_invalid_polygon", "ingen giltig polygon: {reason}", "not a valid polygon: {reason}"
)
AREA_OUTSIDE = Text("row_area_outside", "utanför tjänsteområdet", "outside the service area")
NOT_WKT = Text("row_not_wkt", "inte WKT: {reason}", "not WKT: {reason}")
EMPTY_GEOMETRY = Text("row_empty_geometry", "tom geometri", "empty geometry")
NO_CONTACT = Text(
    "row_no_contact",
    "saknas: minst en kontakt (namn, kanal, adress)",
    "missing: at least one contact (name, channel, address)",
)
CONTACT = Text("row_contact", "kontakt {number}", "contact {number}")
CONTACT_NAMED = Text("row_contact_named", "kontakt {number} ({name})", "contact {number} ({name})")
NOT_A_CONTACT = Text(
    "row_not_a_contact",
    "kontakt {number}: {item!r} är inte 'namn, kanal, adress'",
    "contact {number}: {item!r} is not 'name, channel, address'",
)
NOT_A_JSON_LIST = Text(
    "row_not_a_json_list", "ingen JSON-lista: {reason}", "not a JSON list: {reason}"
)
NOT_A_CONTACT_LIST = Text(
    "row_not_a_contact_list", "ingen JSON-lista med kontakter", "not a JSON list of contacts"
)
NOT_A_CONTACT_OBJECT = Text(
    "row_not_a_contact_object",
    "kontakt {number} är inget objekt med name, channel, to",
    "contact {number} is not an object with name, channel, to",
)
CONTACT_NO_NAME = Text("row_contact_no_name", "{who}: namn saknas", "{who}: no name")
CONTACT_NO_ADDRESS = Text(
    "row_contact_no_address", "{who}: adress eller nummer saknas", "{who}: no address or number"
)
UNKNOWN_CHANNEL = Text(
    "row_unknown_channel",
    "{who}: okänd kanal {word!r} (email eller sms)",
    "{who}: unknown channel {word!r} (email or sms)",
)
NOT_AN_EMAIL = Text(
    "row_not_an_email",
    "{who}: {to!r} är ingen e-postadress",
    "{who}: {to!r} is not an e-mail address",
)
NOT_A_MOBILE = Text(
    "row_not_a_mobile",
    "{who}: {to!r} är inget svenskt mobilnummer (07… eller +46 7…)",
    "{who}: {to!r} is not a Swedish mobile number (07… or +46 7…)",
)


def rejected(file: str, where: str, err: RowError) -> str:
    """A rejected row as the register readers list it: English as a string, said in the user's
    language on the command line ('fil.csv, rad 7, fält street: saknas')."""
    return Said(rejection(file, where, err.field, err.why))


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
