"""Who a map is for: the police themselves, or anyone. A module of its own so that the
command line can offer the choice without loading the map code."""

from __future__ import annotations

from enum import StrEnum


class Profile(StrEnum):
    """Who an export is for: the police themselves, or anyone (web site, residents' meeting)."""

    INTERNAL = "internal"
    PUBLIC = "public"
