"""The command line: parses arguments, calls the use cases in cocoon.app, prints results.

Errors a user can act on end as one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click

from cocoon.app import Cocoon, IngestResult
from cocoon.config import Settings, load_settings
from cocoon.errors import CocoonError
from cocoon.fileio import write_atomic
from cocoon.outputs import ZoneMap, render
from cocoon.outputs.summary import zones_summary
from cocoon.timeutil import parse_instant


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def step(label: str) -> Iterator[None]:
    """Say what a possibly slow step is doing, and how long it took when that was over a second."""
    click.echo(f"{label} …", err=True)
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    if elapsed >= 1:
        click.echo(f"  done in {elapsed:.1f} s", err=True)


class _State:
    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config = config

    @property
    def settings(self) -> Settings:
        settings = load_settings(self.config)
        if self.db:
            settings = settings.model_copy(
                update={"database": settings.database.model_copy(update={"url": self.db})}
            )
        return settings

    def app(self, check: bool = True) -> Cocoon:
        app = Cocoon(self.settings)
        if check:
            app.check()
        return app


def _at(app: Cocoon, text: str | None) -> datetime:
    if not text:
        return _now()
    try:
        return parse_instant(text, app.tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None


@click.group()
@click.option(
    "--db", metavar="URL", help="Database URL [default: $COCOON_DB, else ./var/cocoon.sqlite]"
)
@click.option(
    "--config", metavar="FILE", help="Settings TOML [default: $COCOON_CONFIG, else built-in]"
)
@click.version_option(package_name="cocoon")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None) -> None:
    """cocoon: near-repeat burglary alerts (cocooning) for local police."""
    ctx.obj = _State(db, config)


@cli.command()
@click.pass_obj
def init(state: _State) -> None:
    """Create the database schema, or upgrade it to this version."""
    app = state.app(check=False)
    revision = app.init()
    click.echo(f"database ready: {app.engine.url.render_as_string(hide_password=True)} "
               f"(schema {revision})")  # fmt: skip


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def ingest(state: _State, paths: tuple[str, ...]) -> None:
    """Store burglary reports from CSV, GeoJSON or police-feed JSON files."""
    app = state.app()
    failed = 0
    for path in paths:
        try:
            with step(f"ingesting {path}"):
                result = app.ingest(path, _now())
        except CocoonError as exc:
            click.echo(f"cocoon: error: {exc}", err=True)
            failed += 1
            continue
        _print_ingest(result)
        failed += bool(result.rejections)
    if failed:
        raise CocoonError(
            f"{failed} of {len(paths)} file(s) had rejected rows or could not be read"
        )


def _print_ingest(r: IngestResult) -> None:
    parts = [f"{r.created} new", f"{r.updated} updated", f"{r.unchanged} unchanged"]
    if r.unlocated:
        parts.append(f"{len(r.unlocated)} unlocated (see `cocoon unlocated`)")
    if r.skipped:
        parts.append(f"{r.skipped} events that are not burglaries skipped")
    parts.append(f"{len(r.rejections)} rejected")
    click.echo(f"{r.file} ({r.kind}): " + ", ".join(parts))
    for rejection in r.rejections[:10]:
        click.echo(f"  rejected: {rejection}", err=True)
    if len(r.rejections) > 10:
        click.echo(f"  … and {len(r.rejections) - 10} more", err=True)
    if r.rejects_path:
        click.echo(f"  rejected rows written to {r.rejects_path}", err=True)


@cli.command("load-addresses")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", help="Layer to read from a GeoPackage with several.")
@click.pass_obj
def load_addresses(state: _State, path: str, layer: str | None) -> None:
    """Import residential address points (GeoPackage, GeoJSON, CSV, OpenStreetMap)."""
    app = state.app()
    with step(f"loading addresses from {path}"):
        r = app.load_addresses(path, _now(), layer=layer)
    click.echo(f"{path}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged addresses")
    reasons = sorted(r.skipped.items(), key=lambda kv: -kv[1])
    for reason, count in reasons[:6]:
        click.echo(f"  skipped {count}: {reason}")
    if len(reasons) > 6:
        rest = sum(count for _, count in reasons[6:])
        click.echo(f"  skipped {rest}: {len(reasons) - 6} other reasons")
    for rejection in r.rejections[:10]:
        click.echo(f"  rejected: {rejection}", err=True)
    if r.rejections:
        raise CocoonError(f"{len(r.rejections)} address row(s) rejected")


@cli.command()
@click.option("--at", "at_text", metavar="ISO", help="Instant [default: now]; naive is local time.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="GeoJSON file [default: stdout]"
)
@click.pass_obj
def zones(state: _State, at_text: str | None, output: str | None) -> None:
    """The risk zones at an instant, as GeoJSON (WGS 84)."""
    app = state.app()
    at = _at(app, at_text)
    found = app.zones(at)
    content = ZoneMap(found, at, app.projection, app.tz, app.settings.output.language)
    data = render("geojson", content)
    if output is None:
        click.echo(data.decode("utf-8"))
        return
    write_atomic(output, data)
    click.echo(zones_summary(found, at, app.tz, app.settings.output.language))
    click.echo(f"written: {output}")


@cli.command()
@click.pass_obj
def unlocated(state: _State) -> None:
    """Reports stored without a point: they make no zone until `cocoon locate` places them."""
    app = state.app()
    rows = app.unlocated()
    if not rows:
        click.echo("no unlocated reports")
        return
    for report, source in rows:
        when = report.reported_at.astimezone(app.tz).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{report.report_id}\t{when}\t{report.premises.value}\t"
                   f"{report.address or '-'}\t{source}")  # fmt: skip


@cli.command()
@click.argument("report_id")
@click.option("--address", help="An address of the register, e.g. 'Storgatan 12B, Kalmar'.")
@click.option("--lat", type=float, help="WGS 84 latitude.")
@click.option("--lon", type=float, help="WGS 84 longitude.")
@click.option("--easting", type=float, help="Easting in the configured metric CRS.")
@click.option("--northing", type=float, help="Northing in the configured metric CRS.")
@click.pass_obj
def locate(
    state: _State,
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
    report = app.locate(report_id, _now(), address=address, lon=lon, lat=lat)
    click.echo(f"{report.report_id} placed at {report.lat:.6f} N, {report.lon:.6f} E")


@cli.command()
@click.argument("report_id")
@click.option("--reason", required=True, help="Why, e.g. 'reclassified as fraud'.")
@click.pass_obj
def retract(state: _State, report_id: str, reason: str) -> None:
    """Withdraw a report: it stays on record, its zone goes away."""
    state.app().retract(report_id, reason, _now())
    click.echo(f"{report_id} withdrawn: {reason}")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cocoon: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CocoonError as exc:
        click.echo(f"cocoon: error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

__all__ = ["cli", "main"]
