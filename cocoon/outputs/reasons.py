"""Why an output cannot be made, in Swedish and English (output.language for the command line;
`str()` keeps the English)."""

from __future__ import annotations

from cocoon.messages import Text

NO_LEAFLET = Text(
    "outputs_no_leaflet",
    "inget informationsblad på språket {language!r}; det finns: {known}",
    "no leaflet in language {language!r}; known: {known}",
)
UNKNOWN_FORMAT = Text(
    "outputs_unknown_format",
    "okänt utdataformat {fmt!r}; kända: {known}",
    "unknown output format {fmt!r}; known: {known}",
)
