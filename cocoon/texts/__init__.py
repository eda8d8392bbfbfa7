"""Texts shipped with cocoon: the default advice leaflets handed out on door visits."""

from __future__ import annotations

from importlib.resources import files

from cocoon.i18n import Language


def default_leaflet(language: Language) -> str:
    """The built-in leaflet in `language`: first line the heading, blank lines part paragraphs."""
    return files(__name__).joinpath(f"leaflet_{language}.txt").read_text(encoding="utf-8")
