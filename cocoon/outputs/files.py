"""Which files a roster, a sign plan or a daily list makes, and their names; written atomically.

The CLI and the service write the same files through these, so both name them alike. All are
internal (owner-only, `cocoon.fileio`) but the sign plan's public GeoJSON and CSV.
"""

from __future__ import annotations

from pathlib import Path

from cocoon.fileio import write_atomic
from cocoon.outputs import render
from cocoon.outputs.content import DailyPaper, Roster, SignSheet
from cocoon.outputs.maps import ExportMap


def write_roster(roster: Roster, base: Path) -> list[Path]:
    """BASE.pdf and BASE.csv beside each other (a .pdf or .csv suffix on `base` is dropped)."""
    if base.suffix.lower() in (".pdf", ".csv"):
        base = base.with_suffix("")
    return [
        write_atomic(base.with_name(f"{base.name}.{fmt}"), render(fmt, roster))
        for fmt in ("pdf", "csv")
    ]


def write_sign_plan(sheet: SignSheet, base: Path) -> list[Path]:
    """BASE.pdf (internal, with the zones), BASE.geojson and BASE.csv (public)."""
    return [
        write_atomic(base.with_name(f"{base.name}.{fmt}"), render(fmt, sheet), internal=internal)
        for fmt, internal in (("pdf", True), ("geojson", False), ("csv", False))
    ]


def write_daily(paper: DailyPaper, folder: Path, day_map: ExportMap | None = None) -> list[Path]:
    """FOLDER/daily-DAY.pdf, .html (phones), .csv (zones), daily-DAY-signs.csv, and the day's
    map as daily-DAY-map.html (offline) when one is given."""
    base = folder / f"daily-{paper.daily.day.isoformat()}"
    names = {"pdf": ".pdf", "html": ".html", "csv": ".csv", "signs.csv": "-signs.csv"}
    written = [
        write_atomic(base.with_name(base.name + suffix), render(fmt, paper))
        for fmt, suffix in names.items()
    ]
    if day_map is not None:
        written.append(
            write_atomic(base.with_name(base.name + "-map.html"), render("html", day_map))
        )
    return written
