"""Why the store refuses what it was asked, in Swedish and English.

The command line and the field app say these in output.language; logs and `str()` keep the
English.
"""

from __future__ import annotations

from cocoon.messages import Text

NO_REPORT = Text(
    "store_no_report", "ingen anmälan med id {report_id!r}", "no report with id {report_id!r}"
)
ALREADY_WITHDRAWN = Text(
    "store_already_withdrawn",
    "anmälan {report_id!r} är redan återkallad",
    "report {report_id!r} is already withdrawn",
)
NO_USER = Text("store_no_user", "ingen användare {name!r}", "no user {name!r}")
NO_PLANNED_VISIT = Text(
    "store_no_planned_visit",
    "inget planerat besök på adressen {address_id!r}",
    "no planned visit to address {address_id!r}",
)
NO_PLANNED_VISIT_FOR = Text(
    "store_no_planned_visit_for",
    "inget planerat besök på adressen {address_id!r} för anmälan {report_id}",
    "no planned visit to address {address_id!r} for report {report_id}",
)
SERVE_IN_MEMORY = Text(
    "store_serve_in_memory",
    "`cocoon serve` behöver en databasfil eller databasserver, inte en databas i minnet",
    "`cocoon serve` needs a database file or server, not an in-memory one",
)
