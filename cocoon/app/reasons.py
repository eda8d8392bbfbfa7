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
