"""Commands on reports and the register: set up the database, ingest and load files, show
the zones, place or withdraw a report."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import (
    State,
    at_option,
    not_empty,
    now,
    output_file,
    parse_at,
    step,
    write_output,
)
from cocoon.errors import CocoonError
from cocoon.messages import (
    ERROR,
    FILES_FAILED,
    MORE_REJECTED,
    REJECTED_LINE,
    REJECTS_WRITTEN,
    ROWS_REJECTED,
    WHAT_ADDRESS_ROWS,
    WHAT_ROAD_FEATURES,
    Language,
    Message,
)

if TYPE_CHECKING:
    from cocoon.app.reports import IngestResult

#: Rejected register rows listed one per line (a register has no rejects file); more are counted.
SHOWN_REJECTIONS = 100


@click.command()
@click.pass_obj
def init(state: State) -> None:
    """Create the database schema, or upgrade it to this version."""
    app = state.app(check=False)
    revision = app.init()
    click.echo(f"database ready: {app.database} (schema {revision})")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def ingest(state: State, paths: tuple[str, ...]) -> None:
    """Store burglary reports from CSV, GeoJSON or police-feed JSON files."""
    language = state.language()
    for path in paths:
        not_empty(path, "PATH", language)
    app = state.app()
    failed = 0
    for path in paths:
        try:
            with step(f"ingesting {path}"):
                result = app.reports.ingest(path, now())
        except CocoonError as exc:
            click.echo(ERROR(reason=exc.render(language)).render(language), err=True)
            failed += 1
            continue
        _print_ingest(result, language)
        failed += bool(result.rejections)
    if failed:
        raise CocoonError(FILES_FAILED(failed=failed, total=len(paths)))


def _print_ingest(r: IngestResult, language: Language) -> None:
    parts = [f"{r.created} new", f"{r.updated} updated", f"{r.unchanged} unchanged"]
    if r.unlocated:
        parts.append(f"{len(r.unlocated)} unlocated (see `cocoon unlocated`)")
    if r.skipped:
        parts.append(f"{r.skipped} events that are not burglaries skipped")
    parts.append(f"{len(r.rejections)} rejected")
    click.echo(f"{r.file} ({r.kind}): " + ", ".join(parts))
    if r.note:
        click.echo(r.note)
    for rejection in r.rejections[:10]:
        click.echo(REJECTED_LINE(rejection=rejection.render(language)).render(language), err=True)
    if len(r.rejections) > 10:
        click.echo(MORE_REJECTED(count=len(r.rejections) - 10).render(language), err=True)
    if r.rejects_path:
        click.echo(REJECTS_WRITTEN(path=r.rejects_path).render(language), err=True)


@click.command("load-addresses")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", help="Layer to read from a GeoPackage with several.")
@click.pass_obj
def load_addresses(state: State, path: str, layer: str | None) -> None:
    """Import residential address points (GeoPackage, GeoJSON, CSV, OpenStreetMap)."""
    app = state.app()
    with step(f"loading addresses from {path}"):
        r = app.register.load_addresses(path, now(), layer=layer, progress=_Progress())
    read_as = "" if r.encoding == "UTF-8" else f" (read as {r.encoding})"
    click.echo(
        f"{path}{read_as}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged addresses"
    )
    _print_skipped(r.skipped, r.rejections, WHAT_ADDRESS_ROWS(), state.language())


class _Progress:
    """Rows read and their rate on stderr, at most every 2 seconds, while a register loads."""

    def __init__(self) -> None:
        self.started = self.shown = time.monotonic()

    def __call__(self, rows: int, stored: int) -> None:
        at = time.monotonic()
        if at - self.shown < 2:
            return
        self.shown = at
        rate = rows / max(at - self.started, 1e-9)
        click.echo(
            f"  {rows:,} rows read, {stored:,} addresses stored ({rate:,.0f} rows/s)", err=True
        )


@click.command("load-roads")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", help="Layer to read from a GeoPackage with several.")
@click.pass_obj
def load_roads(state: State, path: str, layer: str | None) -> None:
    """Import the road network (OpenStreetMap, or GeoPackage/GeoJSON lines with a class)."""
    app = state.app()
    with step(f"loading roads from {path}"):
        r = app.register.load_roads(path, now(), layer=layer)
    replaced = f" (replacing {r.replaced} loaded earlier from {r.file})" if r.replaced else ""
    click.echo(f"{path}: {r.stored} roads and paths{replaced}")
    _print_skipped(r.skipped, r.rejections, WHAT_ROAD_FEATURES(), state.language())


def _print_skipped(
    skipped: dict[str, int], rejections: list[str], what: Message, language: Language
) -> None:
    """The commonest reasons rows were skipped; rejected rows, which make the exit status 1."""
    reasons = sorted(skipped.items(), key=lambda kv: -kv[1])
    for reason, count in reasons[:6]:
        click.echo(f"  skipped {count}: {reason}")
    if len(reasons) > 6:
        rest = sum(count for _, count in reasons[6:])
        click.echo(f"  skipped {rest}: {len(reasons) - 6} other reasons")
    for rejection in rejections[:SHOWN_REJECTIONS]:
        click.echo(REJECTED_LINE(rejection=rejection).render(language), err=True)
    if len(rejections) > SHOWN_REJECTIONS:
        more = MORE_REJECTED(count=len(rejections) - SHOWN_REJECTIONS)
        click.echo(more.render(language), err=True)
    if rejections:
        raise CocoonError(ROWS_REJECTED(count=len(rejections), what=what))


@click.command()
@at_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="GeoJSON file [default: stdout]"
)
@click.pass_obj
def zones(state: State, at_text: str | None, output: str | None) -> None:
    """The risk zones at an instant, as GeoJSON (WGS 84)."""
    target = output_file(output, "-o", state.language()) if output is not None else None
    app = state.app()
    at = parse_at(app, at_text)
    from cocoon.outputs import render
    from cocoon.outputs.content import ZoneMap
    from cocoon.outputs.summary import zones_summary

    found = app.zones(at)
    content = ZoneMap(found, at, app.projection, app.tz, app.settings.output.language)
    data = render("geojson", content)
    if target is None:
        click.echo(data.decode("utf-8"))
        return
    write_output(target, data)  # internal: the zones carry their report ids
    click.echo(zones_summary(found, at, app.tz, app.settings.output.language))
    click.echo(f"written: {output}")


@click.command()
@click.pass_obj
def unlocated(state: State) -> None:
    """Reports stored without a point: they make no zone until `cocoon locate` places them."""
    app = state.app()
    rows = app.reports.unlocated()
    if not rows:
        click.echo("no unlocated reports")
        return
    for report, source in rows:
        when = report.reported_at.astimezone(app.tz).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{report.report_id}\t{when}\t{report.premises.value}\t"
                   f"{report.address or '-'}\t{source}")  # fmt: skip


@click.command()
@click.argument("report_id")
@click.option("--address", help="An address of the register, e.g. 'Storgatan 12B, Kalmar'.")
@click.option("--lat", type=float, help="WGS 84 latitude.")
@click.option("--lon", type=float, help="WGS 84 longitude.")
@click.option("--easting", type=float, help="Easting in the configured metric CRS.")
@click.option("--northing", type=float, help="Northing in the configured metric CRS.")
@click.pass_obj
def locate(
    state: State,
    /,
    report_id: str,
    address: str | None,
    lat: float | None,
    lon: float | None,
    easting: float | None,
    northing: float | None,
) -> None:
    """Place an unlocated report by address or coordinates."""
    app = state.app()
    if easting is not None and northing is not None:
        lon, lat = app.projection.point_to_wgs84(easting, northing)
    report = app.reports.locate(report_id, now(), address=address, lon=lon, lat=lat)
    click.echo(f"{report.report_id} placed at {report.lat:.6f} N, {report.lon:.6f} E")


@click.command()
@click.argument("report_id")
@click.option("--reason", required=True, help="Why, e.g. 'reclassified as fraud'.")
@click.pass_obj
def retract(state: State, report_id: str, reason: str) -> None:
    """Withdraw a report: it stays on record, its zone goes away."""
    not_empty(reason, "--reason", state.language())  # the record says why
    state.app().reports.retract(report_id, reason, now())
    click.echo(f"{report_id} withdrawn: {reason}")
