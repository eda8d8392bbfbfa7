"""Renderers: one per output format, registered by what they show and the format's name.

Each renderer takes one content record (`cocoon.outputs.content`, or the map exports'
`ExportMap`) and returns the file's bytes; the adapters write those bytes atomically. The
table below says which module renders what, so a command imports only the renderer it uses
(reportlab and matplotlib load for a PDF or PNG, not for a CSV).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

from cocoon.errors import InputError

#: (content record, format) -> the module of `cocoon.outputs` that renders it.
RENDERERS: dict[tuple[str, str], str] = {
    ("ZoneMap", "geojson"): "geojson",
    ("Roster", "csv"): "roster_csv",
    ("Roster", "pdf"): "roster_pdf",
    ("SignSheet", "csv"): "signs_csv",
    ("SignSheet", "geojson"): "signs_geojson",
    ("SignSheet", "pdf"): "signs_pdf",
    ("DailyPaper", "csv"): "daily_csv",
    ("DailyPaper", "signs.csv"): "daily_csv",
    ("DailyPaper", "html"): "daily_html",
    ("DailyPaper", "pdf"): "daily_pdf",
    ("ExportMap", "geojson"): "export_geojson",
    ("ExportMap", "gpkg"): "export_gpkg",
    ("ExportMap", "html"): "export_html",
    ("ExportMap", "kml"): "export_kml",
    ("ExportMap", "png"): "export_png",
    ("Leaflet", "pdf"): "leaflet_pdf",
    ("KnoxTable", "csv"): "knox_csv",
    ("KnoxTable", "png"): "knox_png",
    ("KnoxTable", "txt"): "knox_table",
    ("FollowUpReport", "csv"): "followup_csv",
    ("FollowUpReport", "pdf"): "followup_pdf",
    ("BacktestSummary", "csv"): "backtest_csv",
    ("BacktestSummary", "png"): "backtest_png",
    ("BacktestSummary", "txt"): "backtest_table",
    ("Calibration", "csv"): "backtest_csv",
    ("Calibration", "png"): "backtest_png",
    ("Calibration", "txt"): "backtest_table",
}

C = TypeVar("C")
_LOADED: dict[tuple[str, str], Callable[[Any], bytes]] = {}


def register(content: type[C], fmt: str) -> Callable[[Callable[[C], bytes]], Callable[[C], bytes]]:
    """Register a renderer of `content` records as format `fmt` (its module is in RENDERERS)."""

    def add(fn: Callable[[C], bytes]) -> Callable[[C], bytes]:
        _LOADED[(content.__name__, fmt)] = fn
        return fn

    return add


def render(fmt: str, content: object) -> bytes:
    """The file `fmt` makes of `content`; an unknown format is the user's error."""
    key = (type(content).__name__, fmt)
    module = RENDERERS.get(key)
    if module is None:
        known = ", ".join(formats(type(content)))
        from cocoon.outputs.reasons import UNKNOWN_FORMAT  # not at --help

        raise InputError(UNKNOWN_FORMAT(fmt=fmt, known=known))
    if key not in _LOADED:
        import_module(f"{__name__}.{module}")  # registers its renderers
    return _LOADED[key](content)


def formats(content: type | str) -> list[str]:
    """The formats a kind of content can be written in."""
    name = content if isinstance(content, str) else content.__name__
    return sorted(fmt for kind, fmt in RENDERERS if kind == name)
