"""Commands on the evidence, on a file or the stored reports: `cocoon knox` (the near-repeat
test), `cocoon backtest` (the zones against the baselines) and `cocoon calibrate` (the grid of
radii and days, and the settings to paste).

The defaults in the help texts are KnoxSettings' and SensitivityGrid's (tests keep them in
step) or name the setting they come from; the options pass None when not given, so the analysis
and the settings keep their defaults in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cocoon.cli.common import State, now, output_file, step, write_output

if TYPE_CHECKING:
    from cocoon.analysis.calibrate import SensitivityGrid
    from cocoon.app.evidence import ReportFilter
    from cocoon.app.installation import Installation
    from cocoon.core.model import Premises
    from cocoon.sources.events import Events

F = TypeVar("F", bound=Callable[..., Any])

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


def stored_filters(fn: F) -> F:
    """The options that choose among the stored reports (only without FILE) and --tz (only with
    FILE)."""
    options = [
        click.option(
            "--tz",
            metavar="ZONE",
            help="FILE: the time zone of its times without an offset (and into which times with "
            "one are converted), e.g. America/Vancouver [default: the settings' area.timezone].",
        ),
        click.option(
            "--from", "first", metavar="DATE", help="Stored reports: risk start on or after."
        ),
        click.option(
            "--to", "last", metavar="DATE", help="Stored reports: risk start on or before."
        ),
        click.option(
            "--premises",
            metavar="LIST",
            help="Stored reports: e.g. villa,radhus,lagenhet,fritidshus,other "
            "[default: the premises the zones count].",
        ),
        click.option(
            "--area",
            type=click.Path(exists=True, dir_okay=False),
            help="Stored reports: only those inside the polygons of this file (GeoPackage, "
            "GeoJSON, …).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def outputs_option(what: str) -> Callable[[F], F]:
    """-o, given once per file wanted; the format is the suffix's."""
    return click.option(
        "-o",
        "--output",
        "outputs",
        multiple=True,
        type=click.Path(dir_okay=False),
        help=f"Also write {what}; give -o once per file.",
    )


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--radius",
    type=float,
    metavar="M",
    help="Zone radius, m [default: the settings' risk.radius_m].",
)
@click.option(
    "--high-days",
    type=int,
    metavar="D",
    help="Days of high risk [default: the settings' risk.high_risk_days].",
)
@click.option(
    "--elevated-days",
    type=int,
    metavar="D",
    help="Days of elevated risk after the high ones [default: the settings' "
    "risk.elevated_risk_days].",
)
@stored_filters
@outputs_option(
    "the summary as .csv (one row per method: method,events,hits,hit_rate,area_share,pai), "
    ".png (a chart for a report) or .txt (the table)"
)
@click.pass_obj
def backtest(
    state: State,
    /,
    file: str | None,
    radius: float | None,
    high_days: int | None,
    elevated_days: int | None,
    tz: str | None,
    first: str | None,
    last: str | None,
    premises: str | None,
    area: str | None,
    outputs: tuple[str, ...],
) -> None:
    """Back-test: would the zones have covered the burglaries that followed?

    Replays the burglaries day by day as the service would have seen them (only the reports
    known by then) and counts those that fell in a zone, against ProMap, a hot-spot map and
    random cells given the same area each day.

    FILE is a CSV with a header x,y,date (metres) or lat,lon,date (WGS 84), NRC's X,Y,date
    without a header, or a report file; without FILE, the stored reports at their risk start.
    Naive times are wall-clock times where the burglaries happened (see --tz).
    """
    targets = _targets(state, outputs)
    app, events, which = _events(state, file, tz, first, last, premises, area)
    rules = app.evidence.zone_rules(radius, high_days, elevated_days)
    with step(f"Back-test on {len(events):,} events"):
        summary = app.evidence.backtest(events, which, rules)
    _show_and_write(summary, targets)


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--radii", metavar="LIST", help="Radii to try, m [default: 100,200,300,400,500,600,700,800]."
)
@click.option("--high-days", metavar="LIST", help="Days of high risk to try [default: 7,14,21,28].")
@click.option(
    "--elevated-days",
    metavar="LIST",
    help="Days of elevated risk to try [default: 28,42,56,70,84].",
)
@stored_filters
@outputs_option(
    "the grid as .csv (one row per radius and days), .png (a heat map of the PAI) or .txt"
)
@click.pass_obj
def calibrate(
    state: State,
    /,
    file: str | None,
    radii: str | None,
    high_days: str | None,
    elevated_days: str | None,
    tz: str | None,
    first: str | None,
    last: str | None,
    premises: str | None,
    area: str | None,
    outputs: tuple[str, ...],
) -> None:
    """Calibration: do the radius and days in use fit this area?

    Back-tests every radius and days of the grid, compares them with the settings' [risk]
    and prints the suggested settings to paste, with the evidence as a comment.

    FILE is a CSV with a header x,y,date (metres) or lat,lon,date (WGS 84), NRC's X,Y,date
    without a header, or a report file; without FILE, the stored reports at their risk start.
    Naive times are wall-clock times where the burglaries happened (see --tz).
    """
    targets = _targets(state, outputs)
    grid = _grid(radii, high_days, elevated_days)
    app, events, which = _events(state, file, tz, first, last, premises, area)
    size = len(grid.combinations()) if grid else 160
    with step(f"Calibration: {size} combinations on {len(events):,} events"):
        table = app.evidence.calibrate(events, which, grid)
    _show_and_write(table, targets)


def _targets(state: State, outputs: Sequence[str]) -> list[tuple[Path, str]]:
    """Each -o file with its format, checked before any work."""
    language = state.language()
    return [(output_file(o, "-o", language), _format(o) or "") for o in outputs]


def _events(
    state: State,
    file: str | None,
    tz: str | None,
    first: str | None,
    last: str | None,
    premises: str | None,
    area: str | None,
) -> tuple[Installation, Events, ReportFilter | None]:
    """The installation, the events of FILE or of the stored reports, and the filter used."""
    from cocoon.app.evidence import ReportFilter

    if file is None and tz:
        raise click.UsageError("--tz: only with FILE (the stored reports know their zone)")
    app = state.app(check=file is None)
    which = None
    if file is None:
        which = ReportFilter(_day(first, "--from"), _day(last, "--to"), _premises(premises), area)
        events = app.evidence.stored_events(which)
    else:
        given = [
            name for name, v in zip(STORED_ONLY, (first, last, premises, area), strict=True) if v
        ]
        if given:
            raise click.UsageError(f"{', '.join(given)}: only without FILE (the stored reports)")
        events = app.evidence.file_events(file, now(), _zone(tz))
    _print_events(events)
    return app, events, which


def _show_and_write(content: object, targets: Sequence[tuple[Path, str]]) -> None:
    """The table on the terminal, then each file asked for (counts: no one is in them)."""
    from cocoon.outputs import render

    click.echo(render("txt", content).decode("utf-8"), nl=False)
    files = [(path, render(fmt, content)) for path, fmt in targets]  # all made, then written
    for path, data in files:
        write_output(path, data, internal=False)
        click.echo(f"written: {path}")


def _zone(name: str | None) -> tzinfo | None:
    """The --tz zone, or None for the installation's."""
    if name is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            f"unknown time zone {name!r}; use a name such as Europe/Stockholm", param_hint="--tz"
        ) from None


def _grid(
    radii: str | None, high_days: str | None, elevated_days: str | None
) -> SensitivityGrid | None:
    """The grid the options ask for (None: the analysis' own), the others at their default."""
    if radii is None and high_days is None and elevated_days is None:
        return None
    from cocoon.analysis.calibrate import SensitivityGrid

    default = SensitivityGrid()
    return SensitivityGrid(
        radii_m=_numbers(radii, "--radii", float) if radii else default.radii_m,
        high_days=_numbers(high_days, "--high-days", int) if high_days else default.high_days,
        elevated_days=(
            _numbers(elevated_days, "--elevated-days", int)
            if elevated_days
            else default.elevated_days
        ),
    )


N = TypeVar("N", int, float)


def _numbers(text: str, option: str, kind: Callable[[str], N]) -> tuple[N, ...]:
    """'100,200, 300' as distinct numbers in ascending order."""
    try:
        values = [kind(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError:
        what = "whole numbers" if kind is int else "numbers"
        raise click.BadParameter(
            f"{text!r} is not a list of {what} such as 7,14,21", param_hint=option
        ) from None
    if not values:
        raise click.BadParameter("empty list", param_hint=option)
    return tuple(sorted(set(values)))


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
