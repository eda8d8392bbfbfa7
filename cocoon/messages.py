"""Messages a user reads when something fails, in Swedish and English.

A message is a `Text` (its key and its two wordings) and the values to fill in: errors carry one,
so the command line can say it in the configured language while logs and `str(exc)` keep the
English. Values that are messages themselves are said in the same language.
"""

from __future__ import annotations

import errno
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")

#: Every Text made, by key: the catalogue a test checks for matching placeholders.
CATALOGUE: dict[str, Text] = {}


@dataclass(frozen=True)
class Text:
    """One message in both languages; `{name}` placeholders are filled from the values."""

    key: str
    sv: str
    en: str

    def __post_init__(self) -> None:
        if self.key in CATALOGUE:
            raise ValueError(f"message key {self.key!r} is defined twice")
        CATALOGUE[self.key] = self

    def __call__(self, **values: object) -> Message:
        return Message(self, values)

    def wording(self, language: Language) -> str:
        return self.sv if language == "sv" else self.en

    def placeholders(self, language: Language) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.wording(language)) if name}


@dataclass(frozen=True)
class Message:
    """A Text with its values: said in a language with `render`, in English with `str`."""

    text: Text
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.text.key

    def render(self, language: Language) -> str:
        return self.text.wording(language).format(**{
            name: say(value, language) for name, value in self.values.items()
        })  # fmt: skip

    def __str__(self) -> str:
        return self.render("en")


class Said(str):
    """A message kept as its English text, for lists of plain lines (and logs) that `say` can
    still put in another language."""

    message: Message

    def __new__(cls, message: Message) -> Said:
        said = super().__new__(cls, str(message))
        said.message = message
        return said


class Unreadable(ValueError):
    """A value that cannot be read, with why as a `Message`; `str()` is the English."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def why(exc: Exception) -> Message | str:
    """Why an exception was raised: its message when it carries one, else its English text."""
    message = getattr(exc, "message", None)
    return message if isinstance(message, Message) else str(exc)


def language_from_env(env: Mapping[str, str]) -> Language | None:
    """The language COCOON_OUTPUT__LANGUAGE names, if it names one: how to speak when the
    settings cannot be read (or are not read yet)."""
    value = env.get("COCOON_OUTPUT__LANGUAGE", "").strip().strip("'\"").lower()
    return "sv" if value == "sv" else "en" if value == "en" else None


def say(value: object, language: Language) -> object:
    """A value as it goes into a message: a message in the same language, anything else as is."""
    if isinstance(value, Said):
        return value.message.render(language)
    return value.render(language) if isinstance(value, Message) else value


# --- the frames of the command line's lines ------------------------------------------------

ERROR = Text("error", "cocoon: fel: {reason}", "cocoon: error: {reason}")
USAGE = Text(
    "usage",
    "cocoon: fel: {reason} (se `{command} --help`)",
    "cocoon: error: {reason} (see `{command} --help`)",
)
ABORTED = Text("aborted", "cocoon: avbrutet", "cocoon: aborted")
INTERNAL = Text(
    "internal",
    "cocoon: internt fel: {error} (kör med --debug för att se var)",
    "cocoon: internal error: {error} (run with --debug to see where)",
)
OPTION_VALUE = Text(
    "option_value", "ogiltigt värde för {option}: {reason}", "invalid value for {option}: {reason}"
)

# --- files and folders ---------------------------------------------------------------------

FILE_PROBLEM = Text("file_problem", "{path}: {reason}", "{path}: {reason}")
FILE_PAIR_PROBLEM = Text(
    "file_pair_problem", "{path} → {other}: {reason}", "{path} → {other}: {reason}"
)
CANNOT_WRITE = Text(
    "cannot_write", "{path}: kan inte skrivas: {reason}", "{path}: cannot be written: {reason}"
)
FOLDER_IN_THE_WAY = Text(
    "folder_in_the_way",
    "{path}: {blocker} är en fil, inte en mapp",
    "{path}: {blocker} is a file, not a folder",
)
IS_A_FOLDER = Text(
    "is_a_folder", "{path}: är en mapp, inte en fil", "{path}: is a folder, not a file"
)
NOT_A_FOLDER = Text(
    "not_a_folder", "{path}: är en fil, inte en mapp", "{path}: is a file, not a folder"
)

#: The reasons of the file-system errors people meet, by errno; others keep the system's words.
OS_REASONS: dict[int, Text] = {
    errno.ENOENT: Text("os_enoent", "finns inte", "no such file or folder"),
    errno.EACCES: Text("os_eacces", "åtkomst nekad", "permission denied"),
    errno.EPERM: Text("os_eperm", "åtgärden är inte tillåten", "operation not permitted"),
    errno.ENOSPC: Text("os_enospc", "disken är full", "no space left on the disk"),
    errno.EDQUOT: Text("os_edquot", "diskkvoten är slut", "disk quota exceeded"),
    errno.EROFS: Text("os_erofs", "filsystemet är skrivskyddat", "read-only file system"),
    errno.ENOTDIR: Text(
        "os_enotdir", "en del av sökvägen är inte en mapp", "a part of the path is not a folder"
    ),
    errno.EISDIR: Text("os_eisdir", "är en mapp", "is a folder"),
    errno.EEXIST: Text("os_eexist", "finns redan", "already exists"),
    errno.ENAMETOOLONG: Text("os_enametoolong", "namnet är för långt", "the name is too long"),
    errno.EIO: Text("os_eio", "in- eller utmatningsfel", "input/output error"),
    errno.EMFILE: Text("os_emfile", "för många öppna filer", "too many open files"),
}


def os_reason(exc: OSError) -> Message | str:
    """Why a file operation failed, in a few words."""
    if exc.errno in OS_REASONS:
        return OS_REASONS[exc.errno]()
    return exc.strerror or str(exc) or type(exc).__name__


def os_problem(exc: OSError) -> Message | str:
    """An OSError as one line: the path(s) it names and the reason."""
    reason = os_reason(exc)
    if exc.filename is None:
        return reason
    if exc.filename2 is not None:
        return FILE_PAIR_PROBLEM(path=exc.filename, other=exc.filename2, reason=reason)
    return FILE_PROBLEM(path=exc.filename, reason=reason)


# --- settings ------------------------------------------------------------------------------

CONFIG_MISSING = Text(
    "config_missing", "{path}: ingen sådan inställningsfil", "{path}: no such configuration file"
)
CONFIG_FOLDER = Text(
    "config_folder",
    "{path}: är en mapp, inte en inställningsfil",
    "{path}: is a folder, not a configuration file",
)
CONFIG_UNREADABLE = Text(
    "config_unreadable", "{path}: kan inte läsas: {reason}", "{path}: cannot be read: {reason}"
)
CONFIG_NOT_UTF8 = Text(
    "config_not_utf8",
    "{path}: inte UTF-8-text (byte {position}); spara filen som UTF-8",
    "{path}: not UTF-8 text (byte {position}); save the file as UTF-8",
)
CONFIG_NOT_TOML = Text(
    "config_not_toml", "{path}: inte giltig TOML: {reason}", "{path}: not valid TOML: {reason}"
)
CONFIG_INVALID = Text(
    "config_invalid", "{source}: {setting}: {reason}", "{source}: {setting}: {reason}"
)
CONFIG_INVALID_WHOLE = Text("config_invalid_whole", "{source}: {reason}", "{source}: {reason}")
CONFIG_TOO_LARGE = Text(
    "config_too_large",
    "{path}: större än {limit} MB: ingen inställningsfil",
    "{path}: larger than {limit} MB: not a configuration file",
)
CONFIG_NOT_A_SECTION = Text(
    "config_not_a_section",
    "{source}: {section} ska vara en del ([{section}]) med inställningar, inte ett enkelt värde",
    "{source}: {section} must be a section ([{section}]) of settings, not a plain value",
)
CONFIG_UNKNOWN_SECTION = Text(
    "config_unknown_section",
    "{name}: okänd del av inställningarna: {section}",
    "{name}: unknown settings section {section!r}",
)
CONFIG_UNKNOWN_SETTING = Text(
    "config_unknown_setting",
    "{name}: okänd inställning {section}.{key}",
    "{name}: unknown setting {section}.{key}",
)
CONFIG_ENVIRONMENT = Text(
    "config_environment", "miljövariablerna COCOON_*", "the COCOON_* environment variables"
)

# the settings' own rules
BBOX_ORDER = Text(
    "bbox_order",
    "ska vara [min_lon, min_lat, max_lon, max_lat] i grader WGS 84",
    "must be [min_lon, min_lat, max_lon, max_lat] in WGS 84 degrees",
)
UNKNOWN_CRS = Text("unknown_crs", "okänt koordinatsystem {crs!r}", "unknown CRS {crs!r}")
CRS_NOT_METRIC = Text(
    "crs_not_metric",
    "{crs} är inte ett projicerat koordinatsystem i meter",
    "{crs} is not a projected CRS in metres",
)
UNKNOWN_TIME_ZONE = Text(
    "unknown_time_zone", "okänd tidszon {zone!r}", "unknown time zone {zone!r}"
)
UNKNOWN_COLUMNS = Text(
    "unknown_columns",
    "okända anmälningskolumner {unknown}; kända: {known}",
    "unknown report column(s) {unknown}; known: {known}",
)
CLEARANCE_OVER_HALF_GRID = Text(
    "clearance_over_half_grid",
    "public_clearance_m måste vara mindre än hälften av public_grid_m",
    "public_clearance_m must be less than half of public_grid_m",
)
NOT_A_CLOCK_TIME = Text(
    "not_a_clock_time", "ingen tid på dygnet TT:MM: {text!r}", "not a time of day HH:MM: {text!r}"
)
MAIL_WITHOUT_RECIPIENTS = Text(
    "mail_without_recipients",
    "mail.smtp_host är satt men mail.recipients är tom",
    "mail.smtp_host is set but mail.recipients is empty",
)
SETTING_FILE_MISSING = Text(
    "setting_file_missing",
    "{setting}: filen finns inte: {path!r}",
    "{setting}: no such file {path!r}",
)

# --- the command line's own options --------------------------------------------------------

EMPTY_VALUE = Text("empty_value", "tomt värde", "empty value")
NOT_AN_INSTANT = Text(
    "not_an_instant",
    "ingen giltig tidpunkt: {text!r} (ISO 8601, t.ex. 2026-11-20T07:00)",
    "not a valid time: {text!r} (ISO 8601, e.g. 2026-11-20T07:00)",
)
NOT_A_DATE = Text(
    "not_a_date",
    "inget giltigt datum: {text!r} (ÅÅÅÅ-MM-DD, t.ex. 2026-11-24)",
    "not a valid date: {text!r} (YYYY-MM-DD, e.g. 2026-11-24)",
)
OUTSIDE_YEARS = Text(
    "outside_years",
    "{text!r} ligger utanför åren {first}–{last}",
    "{text!r} is outside the years {first}–{last}",
)
UNKNOWN_SUFFIX = Text(
    "unknown_suffix",
    "okänd filändelse {suffix!r}; använd {known}",
    "unknown suffix {suffix!r}; use {known}",
)
UNKNOWN_SUFFIX_OR_FORMAT = Text(
    "unknown_suffix_or_format",
    "okänd filändelse {suffix!r}; använd {known} eller ange --format",
    "unknown suffix {suffix!r}; use {known} or give --format",
)
DUE_ALONE = Text(
    "due_alone",
    "--due visar en dag ur den sparade planen; ange inte --at eller -o med den",
    "--due lists a day from the stored plan; no --at or -o with it",
)
NOT_UTF8_ARGUMENT = Text(
    "not_utf8_argument",
    "argumentet '{text}' är inte UTF-8-text",
    "the argument '{text}' is not UTF-8 text",
)

# --- lines other command modules print (cli/reports.py, cli/visits.py) ---------------------

FILES_FAILED = Text(
    "files_failed",
    "{failed} av {total} fil(er) hade avvisade rader eller kunde inte läsas",
    "{failed} of {total} file(s) had rejected rows or could not be read",
)
ROWS_REJECTED = Text("rows_rejected", "{count} {what} avvisade", "{count} {what} rejected")
OUTCOMES_REJECTED = Text(
    "outcomes_rejected",
    "{count} utfallsrad(er) avvisade; de andra är sparade",
    "{count} outcome row(s) rejected; the others are kept",
)
REJECTED_LINE = Text("rejected_line", "  avvisad: {rejection}", "  rejected: {rejection}")
MORE_REJECTED = Text("more_rejected", "  … och {count} till", "  … and {count} more")
REJECTS_WRITTEN = Text(
    "rejects_written",
    "  avvisade rader skrivna till {path}",
    "  rejected rows written to {path}",
)
WHAT_ADDRESS_ROWS = Text("what_address_rows", "adressrad(er)", "address row(s)")
WHAT_ROAD_FEATURES = Text("what_road_features", "vägobjekt", "road feature(s)")
PASSWORDS_DIFFER = Text(
    "passwords_differ",
    "de två lösenorden är olika; inget ändrades",
    "the two passwords differ; nothing was changed",
)
GROUP_ROWS_REJECTED = Text(
    "group_rows_rejected", "{count} grupprad(er) avvisade", "{count} group row(s) rejected"
)
GROUP_MESSAGES_FAILED = Text(
    "group_messages_failed",
    "{count} gruppmeddelande(n) skickades inte; nytt försök vid nästa utskick",
    "{count} group message(s) not sent; tried again at the next send",
)
RECORD_NOT_BOTH = Text(
    "record_not_both",
    "ange en CSV-fil eller --address-id/--outcome, inte båda",
    "give a CSV file or --address-id/--outcome, not both",
)
RECORD_NEEDS_ONE = Text(
    "record_needs_one",
    "ange en ifylld besökslista (CSV), eller --address-id och --outcome",
    "give a filled-in roster CSV, or --address-id and --outcome",
)

# --- rejected rows -------------------------------------------------------------------------

REJECTION = Text(
    "rejection",
    "{file}, {where}, fält {field}: {reason}",
    "{file}, {where}, field {field}: {reason}",
)
FIELD_REASON = Text("field_reason", "{field}: {reason}", "{field}: {reason}")
REJECTION_NOWHERE = Text(
    "rejection_nowhere", "{file}, fält {field}: {reason}", "{file}, field {field}: {reason}"
)
#: How the readers name a place in a file ('line 7', 'feature 3', 'event 4 (id 9)', 'way 12').
PLACES: dict[str, Text] = {
    "line": Text("place_line", "rad {number}{rest}", "line {number}{rest}"),
    "feature": Text("place_feature", "objekt {number}{rest}", "feature {number}{rest}"),
    "event": Text("place_event", "händelse {number}{rest}", "event {number}{rest}"),
    "way": Text("place_way", "OSM-väg {number}{rest}", "way {number}{rest}"),
}
WHOLE_FILE = Text("place_whole_file", "hela filen", "whole file")
_PLACE = re.compile(r"^(line|feature|event|way) (\d+)(.*)$", re.DOTALL)


def place(where: int | str) -> Message | str:
    """Where a row stands in its file: a line number, or a reader's 'line 7', 'feature 3', …"""
    if isinstance(where, int):
        return PLACES["line"](number=where, rest="")
    if where == "whole file":
        return WHOLE_FILE()
    m = _PLACE.match(where)
    return PLACES[m[1]](number=int(m[2]), rest=m[3]) if m else where


def rejection(file: str, where: int | str, field: str, reason: str | Message) -> Message:
    """A rejected row: file, line (or other place), field and why."""
    if where == "":
        return REJECTION_NOWHERE(file=file, field=field, reason=reason)
    return REJECTION(file=file, where=place(where), field=field, reason=reason)


def render_rejection(
    file: str, where: int | str, field: str, reason: str | Message, language: Language
) -> str:
    """A rejected row as the line a user reads ('fil.csv, rad 7, fält reported_at: …')."""
    return rejection(file, where, field, reason).render(language)
