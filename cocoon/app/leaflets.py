"""Leaflet use cases: the advice leaflet in a language, with the local contact from the settings,
and the languages a roster's leaflets are printed in."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cocoon.app.context import Context
from cocoon.app.rules import leaflet_rules
from cocoon.core.leaflets import leaflet_languages
from cocoon.outputs.content import Leaflet


class LeafletCases:
    """The leaflets of one installation."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rules = leaflet_rules(ctx.settings)

    def leaflet(self, language: str) -> Leaflet:
        """The leaflet in `language`: the built-in text (or, in the output language, the text of
        `visits.leaflet` when one is set), signed with the local contact."""
        settings = self.ctx.settings
        leaflets = settings.leaflets
        custom = settings.visits.leaflet
        if custom and language == settings.output.language:
            text, reviewed = Path(custom).read_text(encoding="utf-8"), True  # the area's own text
        else:
            return Leaflet.builtin(
                language, leaflets.contact_name, leaflets.contact_phone, leaflets.contact_email
            )
        return Leaflet(
            language, text, leaflets.contact_name, leaflets.contact_phone,
            leaflets.contact_email, reviewed,
        )  # fmt: skip

    def for_roster(self, postcodes: Iterable[str | None]) -> tuple[Leaflet, ...]:
        """The leaflets a roster carries: the area's languages, then its doors' postcodes'."""
        return tuple(self.leaflet(code) for code in leaflet_languages(postcodes, self.rules))
