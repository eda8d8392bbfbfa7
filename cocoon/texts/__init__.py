"""Texts shipped with cocoon: the advice leaflets handed out on door visits, in many languages.

leaflets.toml tells per language its name, script and direction, and whether a person reviewed it.
A leaflet ends with a contact paragraph whose lines hold {name}, {phone} and {email}.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any, Literal, cast

Script = Literal["Latn", "Arab", "Ethi"]
Direction = Literal["ltr", "rtl"]
_PLACEHOLDER = re.compile(r"\{(name|phone|email)\}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_FIELDS = {"name", "script", "direction", "status", "reviewed_by", "reviewed_on"}


@dataclass(frozen=True)
class LeafletInfo:
    """What leaflets.toml says of one language's leaflet; unreviewed texts are machine-made."""

    code: str
    name: str
    script: Script
    direction: Direction
    reviewed_by: str
    reviewed_on: date | None

    @property
    def reviewed(self) -> bool:
        return self.reviewed_on is not None


def leaflet_codes() -> tuple[str, ...]:
    """The languages that have a leaflet_<code>.txt, sorted."""
    names = (entry.name for entry in files(__name__).iterdir())
    return tuple(sorted(n[8:-4] for n in names if n.startswith("leaflet_") and n.endswith(".txt")))


@cache
def leaflet_infos() -> dict[str, LeafletInfo]:
    """leaflets.toml, read and checked once."""
    raw = tomllib.loads(files(__name__).joinpath("leaflets.toml").read_text(encoding="utf-8"))
    return {code: _info(code, table) for code, table in raw.items()}


def _info(code: str, table: dict[str, Any]) -> LeafletInfo:
    where = f"leaflets.toml [{code}]"
    if set(table) != _FIELDS:
        raise ValueError(f"{where}: needs exactly the keys {', '.join(sorted(_FIELDS))}")
    if table["script"] not in ("Latn", "Arab", "Ethi") or table["direction"] not in ("ltr", "rtl"):
        raise ValueError(f"{where}: script must be Latn, Arab or Ethi; direction ltr or rtl")
    by, on = table["reviewed_by"].strip(), table["reviewed_on"].strip()
    if table["status"] == "reviewed" and by and on:
        reviewed_on: date | None = date.fromisoformat(on)
    elif table["status"] == "machine" and not by and not on:
        reviewed_on = None
    else:
        raise ValueError(
            f"{where}: status is 'reviewed' with reviewed_by and reviewed_on, "
            "or 'machine' with both empty"
        )
    return LeafletInfo(
        code,
        table["name"],
        cast(Script, table["script"]),
        cast(Direction, table["direction"]),
        by,
        reviewed_on,
    )


def leaflet_template(code: str) -> str:
    """The built-in leaflet in language `code`, its contact placeholders unfilled."""
    return files(__name__).joinpath(f"leaflet_{code}.txt").read_text(encoding="utf-8")


def split_contact(text: str) -> tuple[str, list[str]]:
    """The leaflet without its contact paragraph (the last, holding placeholders), and its lines."""
    *body, last = _PARAGRAPH_BREAK.split(text.strip())
    if not body or not _PLACEHOLDER.search(last):
        return text, []
    return "\n\n".join(body) + "\n", [line.strip() for line in last.splitlines() if line.strip()]


def fill_contact(lines: list[str], name: str, phone: str, email: str) -> list[str]:
    """The contact lines filled in; a line whose value is empty is left out, and so is the whole
    paragraph when every value is."""
    values = {"name": name.strip(), "phone": phone.strip(), "email": email.strip()}
    kept: list[str] = []
    filled = False
    for line in lines:
        fields = _PLACEHOLDER.findall(line)
        if not fields:
            kept.append(line)
        elif all(values[field] for field in fields):
            kept.append(_PLACEHOLDER.sub(lambda m: values[m[1]], line))
            filled = True
    return kept if filled else []
