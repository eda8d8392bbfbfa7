"""`cocoon signs`: the sign plan of a day (GeoJSON, CSV, PDF), or what goes up and comes down."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import (
    State,
    at_option,
    not_empty,
    option_error,
    output_file,
    parse_at,
    parse_day,
    usage_error,
    write_output,
)
from cocoon.messages import DUE_ALONE, UNKNOWN_SUFFIX

if TYPE_CHECKING:
    from cocoon.app.signs import DueList
    from cocoon.core.signs.rules import SignPlan

#: File suffixes and the formats they are written in.
SUFFIX_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".pdf": "pdf"}


@click.command()
@at_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Sign plan file: .geojson, .csv or .pdf [default: a summary on the terminal]",
)
@click.option("--due", "due_day", metavar="DATE", help="List what goes up and comes down on DATE.")
@click.pass_obj
def signs(state: State, at_text: str | None, output: str | None, due_day: str | None) -> None:
    """Plan the signs ("Inbrott har skett i detta område") and keep them while zones live."""
    language = state.language()
    if due_day is not None:
        if at_text is not None or output is not None:
            raise usage_error(DUE_ALONE(), language)
        day = parse_day(due_day, "--due", language)
        _print_due(state.app().signs.due(day))
        return
    fmt = target = None
    if output is not None:
        fmt = SUFFIX_FORMATS.get(Path(not_empty(output, "-o", language)).suffix.lower())
        if fmt is None:
            known = ", ".join(SUFFIX_FORMATS)
            raise option_error(
                "-o", UNKNOWN_SUFFIX(suffix=Path(output).suffix, known=known), language
            )
        target = output_file(output, "-o", language)  # before the plan is made and kept
    app = state.app()
    sheet = app.signs.plan(parse_at(app, at_text))
    _print_plan(sheet.plan)
    if target is not None and fmt is not None:
        from cocoon.outputs import render

        write_output(target, render(fmt, sheet), internal=fmt == "pdf")  # the PDF shows zones
        click.echo(f"written: {output}")


def _print_plan(plan: SignPlan) -> None:
    click.echo(
        f"sign plan {plan.day}: {len(plan.up)} up ({len(plan.new)} new), "
        f"{len(plan.taken_down)} to take down, in {len(plan.zones)} zone(s)"
    )
    for s in plan.new:
        click.echo(f"  new  {s.sign_id}  {s.zone_id}  {s.put_up} – {s.take_down}  {s.description}")
    for down in plan.taken_down:
        click.echo(f"  down {down.sign.sign_id}  {down.reason.value}  {down.sign.description}")
    for short in plan.short:
        click.echo(
            f"  zone {short.zone_id}: {short.placed} of {short.wanted} signs found a place",
            err=True,
        )
    for zone_id in plan.without_roads:
        click.echo(f"  zone {zone_id}: no road map there, signs placed near addresses", err=True)


def _print_due(due: DueList) -> None:
    click.echo(f"{due.day}: {len(due.put_up)} to put up, {len(due.take_down)} to take down")
    for s in due.put_up:
        late = f"  (due up {s.put_up})" if s.put_up < due.day else ""
        click.echo(f"  up   {s.sign_id}  {s.zone_id}  {s.description}{late}")
    for s in due.take_down:
        late = f"  (due down {s.take_down})" if s.take_down < due.day else ""
        click.echo(f"  down {s.sign_id}  {s.zone_id}  {s.description}{late}")
