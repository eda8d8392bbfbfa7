"""Why a form of the field app is refused, in Swedish and English (output.language).

The pages say these in the installation's language; logs and `str()` keep the English.
"""

from __future__ import annotations

from cocoon.messages import Text

GIVE_REPORT_ID = Text(
    "web_give_report_id", "report_id: ange anmälans id", "report_id: give the report's id"
)
NOT_DEGREES = Text(
    "web_not_degrees",
    "{name}: inget gradtal: {value!r}",
    "{name}: not a number of degrees: {value!r}",
)
NOT_LAT_OR_LON = Text(
    "web_not_lat_or_lon",
    "{name}: {degrees} är ingen latitud eller longitud",
    "{name}: {degrees} is no latitude or longitude",
)
GIVE_WITHDRAW_REASON = Text(
    "web_give_withdraw_reason",
    "reason: skriv varför anmälan återkallas",
    "reason: say why the report is withdrawn",
)
JSON_EXPECTED = Text("web_json_expected", "ett JSON-objekt väntas", "a JSON object is expected")
