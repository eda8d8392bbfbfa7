"""`cocoon export`: the zones as a map file for QGIS, Google Earth, a browser or a report."""

from __future__ import annotations

from pathlib import Path

import click

from cocoon.cli.common import (
    State,
    at_option,
    not_empty,
    option_error,
    output_file,
    parse_at,
    step,
    write_output,
)
from cocoon.core.profile import Profile
from cocoon.messages import UNKNOWN_SUFFIX_OR_FORMAT
from cocoon.outputs import formats

#: File suffixes and the formats they are written in, for -o without --format.
SUFFIX_FORMATS = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".html": "html",
    ".htm": "html",
    ".png": "png",
}


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(formats("ExportMap")),
    help="File format [default: from the suffix of -o].",
)
@click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    default=Profile.PUBLIC.value,
    show_default=True,
    help="internal: report points and ids, exact zones, signs, visit stops, addresses; "
    "public: generalised zones only, nothing that points at a burgled home.",
)
@at_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Map file: .gpkg, .geojson, .kml, .html or .png.",
)
@click.pass_obj
def export(state: State, fmt: str | None, profile: str, at_text: str | None, output: str) -> None:
    """Write the zones as a map: GeoPackage, GeoJSON, KML, offline HTML or PNG."""
    language = state.language()
    not_empty(output, "-o", language)
    if fmt is None:
        fmt = SUFFIX_FORMATS.get(Path(output).suffix.lower())
        if fmt is None:
            known = ", ".join(SUFFIX_FORMATS)
            reason = UNKNOWN_SUFFIX_OR_FORMAT(suffix=Path(output).suffix, known=known)
            raise option_error("-o", reason, language)
    target = output_file(output, "-o", language)  # before the work: a map can take a while
    from cocoon.outputs import render

    app = state.app()
    at = parse_at(app, at_text)
    with step(f"exporting the {profile} {fmt} map"):
        content = app.exports.map(at, Profile(profile))
        data = render(fmt, content)
    write_output(target, data, internal=content.publication.profile is not Profile.PUBLIC)
    pub = content.publication
    parts = [f"{len(pub.zones)} zone area(s)"]
    if pub.profile is Profile.INTERNAL:
        parts += [
            f"{len(pub.reports)} report(s)",
            f"{len(pub.signs)} sign(s)",
            f"{len(pub.stops)} visit stop(s)",
        ]
    else:
        parts.append(f"generalised to a {pub.grid_m:g} m grid")
    click.echo(f"written: {output} ({profile} {fmt}: {', '.join(parts)})")
    if pub.near_corners:
        clearance = app.settings.export.public_clearance_m
        click.echo(
            f"  note: burglaries are so dense here that {pub.near_corners} zone corner(s) lie "
            f"within {clearance:g} m of a burgled home whichever way the grid is laid; they are "
            "grid corners and do not depend on where any home is",
            err=True,
        )
