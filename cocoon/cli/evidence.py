"""Commands on the evidence: `cocoon knox`, the near-repeat test on a file or the stored reports.

The defaults in the help texts are KnoxSettings' (tests/test_knox_cli.py keeps them in step);
the options pass None when not given, so the analysis keeps its defaults in one place.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import State, now, step

if TYPE_CHECKING:
    from cocoon.core.model import Premises
    from cocoon.sources.events import Events

#: File suffixes of -o and the formats they are written in.
SUFFIX_FORMATS = {".csv": "csv", ".png": "png", ".txt": "txt"}
STORED_ONLY = ("--from", "--to", "--premises", "--area")


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--space-band", type=float, metavar="M", help="Distance band width, m [default: 100]."
)
@click.option("--space-bands", type=int, metavar="N", help="Distance bands [default: 5].")
@click.option("--time-band", type=float, metavar="D", help="Time band width, days [default: 7].")
@click.option("--time-bands", type=int, metavar="N", help="Time bands [default: 4].")
@click.option(
    "--distance",
    type=click.Choice(["euclidean", "manhattan"]),
    help="Straight line, or |dx| + |dy| as NRC's setting [default: euclidean].",
)
@click.option(
    "--convention",
    type=click.Choice(["inclusive", "nrc"]),
    help="inclusive: a band holds its upper edge (within 100 m, within 7 days); nrc: its lower "
    "edge, as the Near Repeat Calculator 1.3 counts [default: inclusive].",
)
@click.option(
    "--resolution",
    type=click.Choice(["date", "datetime"]),
    help="Times in whole days, or to the second [default: date when every time is a date or "
    "midnight, else datetime].",
)
@click.option("--iterations", type=int, metavar="N", help="Permutations [default: 999].")
@click.option("--seed", type=int, metavar="S", help="Seed of the permutations [default: 1].")
@click.option("--from", "first", metavar="DATE", help="Stored reports: risk start on or after.")
@click.option("--to", "last", metavar="DATE", help="Stored reports: risk start on or before.")
@click.option(
    "--premises",
    metavar="LIST",
    help="Stored reports: e.g. villa,radhus,lagenhet,fritidshus,other "
    "[default: the premises the zones count].",
)
@click.option(
    "--area",
    type=click.Path(exists=True, dir_okay=False),
    help="Stored reports: only those inside the polygons of this file (GeoPackage, GeoJSON, …).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Also write the table as .csv (one row per cell), .png (a heat map) or .txt.",
)
@click.pass_obj
def knox(
    state: State,
    /,
    file: str | None,
    space_band: float | None,
    space_bands: int | None,
    time_band: float | None,
    time_bands: int | None,
    distance: str | None,
    convention: str | None,
    resolution: str | None,
    iterations: int | None,
    seed: int | None,
    first: str | None,
    last: str | None,
    premises: str | None,
    area: str | None,
    output: str | None,
) -> None:
    """Knox test: do burglaries close in space also fall close in time more often than chance?

    FILE is a CSV with a header x,y,date (metres) or lat,lon,date (WGS 84), NRC's X,Y,date
    without a header, or a report file; without FILE, the stored reports at their risk start.
    Dates are ISO 8601 (2016-01-31, or 2020-01-01T12:00).
    """
    fmt = _format(output)
    from cocoon.app.evidence import ReportFilter
    from cocoon.fileio import write_atomic
    from cocoon.outputs import render

    app = state.app(check=file is None)
    cases = app.evidence
    which = None
    if file is None:
        which = ReportFilter(_day(first, "--from"), _day(last, "--to"), _premises(premises), area)
        events = cases.stored_events(which)
    else:
        given = [
            name for name, v in zip(STORED_ONLY, (first, last, premises, area), strict=True) if v
        ]
        if given:
            raise click.UsageError(f"{', '.join(given)}: only without FILE (the stored reports)")
        events = cases.file_events(file, now())
    _print_events(events)
    with step(f"Knox test on {len(events):,} events"):
        table = cases.knox(
            events,
            which,
            space_band_m=space_band,
            space_bands=space_bands,
            time_band_days=time_band,
            time_bands=time_bands,
            distance=distance,
            convention=convention,
            resolution=resolution,
            iterations=iterations,
            seed=seed,
        )
    click.echo(render("txt", table).decode("utf-8"), nl=False)
    if output and fmt:
        write_atomic(output, render(fmt, table), internal=False)  # counts of pairs: no one in them
        click.echo(f"written: {output}")


def _format(output: str | None) -> str | None:
    """The format -o asks for by its suffix."""
    if output is None:
        return None
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIX_FORMATS:
        raise click.BadParameter(
            f"unknown suffix {suffix!r}; use {', '.join(SUFFIX_FORMATS)}", param_hint="-o"
        )
    return SUFFIX_FORMATS[suffix]


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from None


def _premises(text: str | None) -> tuple[Premises, ...] | None:
    """The --premises list; 'lägenhet' and 'Villa' are read as the premises they name."""
    if not text:
        return None
    from cocoon.core.addressing import fold
    from cocoon.core.model import Premises

    known = {p.value: p for p in Premises}
    out = []
    for word in (w for w in text.split(",") if w.strip()):
        if fold(word) not in known:
            raise click.BadParameter(
                f"unknown premises {word.strip()!r}; use {', '.join(known)}",
                param_hint="--premises",
            )
        out.append(known[fold(word)])
    return tuple(out)


def _print_events(events: Events) -> None:
    """The rows left out, at most ten named, and which metric CRS lat/lon went to."""
    for rejection in events.rejections[:10]:
        click.echo(f"  rejected: {rejection}", err=True)
    if len(events.rejections) > 10:
        click.echo(f"  … and {len(events.rejections) - 10} more", err=True)
    if events.form == "lat,lon,date" and events.crs.startswith("+proj=tmerc"):
        centre = " ".join(p for p in events.crs.split() if p.startswith(("+lat_0", "+lon_0")))
        click.echo(
            "  note: the points lie outside the service area: lat/lon projected to a transverse "
            f"Mercator centred on the events ({centre})",
            err=True,
        )
