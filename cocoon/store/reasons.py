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

# --- the database itself -------------------------------------------------------------------

NOT_A_DATABASE_URL = Text(
    "store_not_a_database_url", "ingen databas-URL: {url!r}", "not a database URL: {url!r}"
)
UNSUPPORTED_DATABASE = Text(
    "store_unsupported_database",
    "databasen {backend!r} stöds inte: använd sqlite eller postgresql",
    "unsupported database {backend!r}: use sqlite or postgresql",
)
UNSUPPORTED_DATABASE_URL = Text(
    "store_unsupported_database_url",
    "databas-URL:en {driver!r} stöds inte: {url!r}",
    "unsupported database URL {driver!r}: {url!r}",
)
CANNOT_CREATE_DATABASE_FILE = Text(
    "store_cannot_create_database_file",
    "kan inte skapa databasfilen {path}: {reason}",
    "cannot create the database file {path}: {reason}",
)
CANNOT_OPEN_DATABASE = Text(
    "store_cannot_open_database",
    "kan inte öppna databasen: {reason}",
    "cannot open the database: {reason}",
)
CANNOT_CREATE_SCHEMA = Text(
    "store_cannot_create_schema",
    "kan inte skapa databasens tabeller: {reason}",
    "cannot create the schema: {reason}",
)
NO_SCHEMA = Text(
    "store_no_schema",
    "databasen har inga cocoon-tabeller; kör `cocoon init` först",
    "the database has no cocoon schema; run `cocoon init` first",
)
OLD_SCHEMA = Text(
    "store_old_schema",
    "databasens tabeller är i version {current}, denna cocoon behöver {head}; "
    "kör `cocoon init` för att uppgradera",
    "the database schema is at revision {current}, this cocoon needs {head}; "
    "run `cocoon init` to upgrade it",
)
