"""`cocoon visits …`: print a report's visit roster, record outcomes, show progress per zone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import (
    State,
    at_option,
    now,
    output_file,
    output_folder,
    parse_at,
    usage_error,
)
from cocoon.errors import CocoonError
from cocoon.messages import (
    CANNOT_WRITE,
    OUTCOMES_REJECTED,
    RECORD_NEEDS_ONE,
    RECORD_NOT_BOTH,
    REJECTED_LINE,
    Language,
    os_reason,
    say,
    why,
)

if TYPE_CHECKING:
    from cocoon.app.visits import RecordResult
    from cocoon.outputs.content import Roster


class _PlanByDefault(click.Group):
    """`cocoon visits REPORT_ID` means `cocoon visits plan REPORT_ID`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in self.commands and "--help" not in args:
            args = ["plan", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_PlanByDefault)
def visits() -> None:
    """Door visits: `visits REPORT_ID -o FILE` writes the roster (PDF + CSV)."""


@visits.command()
@click.argument("report_id")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Roster file: FILE.pdf and FILE.csv are both written [default: the CSV on stdout].",
)
@at_option
@click.pass_obj
def plan(state: State, report_id: str, output: str | None, at_text: str | None) -> None:
    """Plan a report's door visits (once) and write its roster."""
    language = state.language()
    base = output_file(output, "-o", language) if output is not None else None
    app = state.app()
    at = parse_at(app, at_text)
    roster = app.visits.roster(app.visits.plan(report_id, at))
    if base is None:
        from cocoon.outputs import render

        click.echo(render("csv", roster).decode("utf-8"), nl=False)
        return
    _write_roster(roster, base)
    app.visits.roster_written(report_id, now(), base)


@visits.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the rosters: DATE-REPORT.pdf and .csv per report.",
)
@at_option
@click.pass_obj
def new(state: State, out_dir: str, at_text: str | None) -> None:
    """Plan and write rosters for every report at high risk that has none written yet.

    A plan is done once its files are written: the roster of a plan that a stopped run left
    without its files is written now, as the plan was stored."""
    output_folder(out_dir, "--out", state.language())
    app = state.app()
    at = parse_at(app, at_text)
    zones = app.zones(at)  # plans do not change zones: once for all rosters
    waiting = app.visits.unwritten(at, zones)
    if not waiting:
        click.echo("no report at high risk is waiting for a visit plan")
    from cocoon.fileio import safe_name

    def write(roster: Roster) -> Path:
        day = roster.plan.planned_at.astimezone(app.tz).date().isoformat()
        base = Path(out_dir) / f"{day}-{safe_name(roster.plan.report_id)}"
        _write_roster(roster, base)
        return base

    for report_id in waiting:
        head = app.visits.head(report_id)
        if head is not None:
            stored = head.planned_at.astimezone(app.tz).strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{report_id}: its plan (stored {stored}) has no roster files; writing them")
        if app.visits.write_roster(report_id, at, zones, write) is None:
            click.echo(f"{report_id}: its roster was written meanwhile by another run")


def _write_roster(roster: Roster, base: Path) -> None:
    """FILE.pdf and FILE.csv beside each other, each written atomically."""
    from cocoon.outputs.files import write_roster

    try:
        written = write_roster(roster, base)
    except OSError as exc:
        raise CocoonError(CANNOT_WRITE(path=str(base), reason=os_reason(exc))) from exc
    stops = roster.plan.stops
    doors = sum(1 for s in stops if s.kind == "door")
    click.echo(
        f"{roster.plan.report_id}: zone {roster.plan.zone_id}, {len(stops)} stops "
        f"({doors} doors, {len(stops) - doors} stairwells) on {len(roster.plan.sheets)} sheet(s)"
    )
    for path in written:
        click.echo(f"  written: {path}")


@visits.command()
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--report", "report_id", help="The report whose roster this is.")
@click.option("--address-id", help="One stop, by the address_id on the roster.")
@click.option("--outcome", help="visited | not_home | declined (also besökt, ej hemma, avböjde).")
@click.option("--visited-at", metavar="ISO", help="When; naive is local time.")
@click.option("--note", help="What the team noted.")
@click.pass_obj
def record(
    state: State,
    path: str | None,
    report_id: str | None,
    address_id: str | None,
    outcome: str | None,
    visited_at: str | None,
    note: str | None,
) -> None:
    """Keep what the teams found: a filled-in roster CSV, or one stop given by options."""
    language = state.language()
    app = state.app()
    if path is not None:
        if address_id or outcome:
            raise usage_error(RECORD_NOT_BOTH(), language)
        result = app.visits.record_file(path, now(), report_id)
    else:
        if not (address_id and outcome):
            raise usage_error(RECORD_NEEDS_ONE(), language)
        from cocoon.errors import RowError
        from cocoon.sources.outcomes import OutcomeRow, parse_outcome
        from cocoon.sources.text import check_text, one_line_note

        try:
            check_text("--address-id", address_id)
            check_text("--note", note)
        except RowError as exc:
            raise click.BadParameter(str(say(exc.why, language)), param_hint=exc.field) from None
        try:
            row = OutcomeRow(
                address_id=address_id,
                outcome=parse_outcome(outcome),
                visited_at=parse_at(app, visited_at, "--visited-at") if visited_at else None,
                note=one_line_note(note) if note else None,
                report_id=report_id,
            )
        except ValueError as exc:
            raise click.BadParameter(str(say(why(exc), language)), param_hint="--outcome") from None
        result = app.visits.record_one(row, now())
    _print_record(result, language)


def _print_record(r: RecordResult, language: Language) -> None:
    parts = [f"{r.created} recorded", f"{r.updated} changed", f"{r.unchanged} unchanged"]
    if r.blank:
        parts.append(f"{r.blank} without an outcome yet")
    parts.append(f"{len(r.rejections)} rejected")
    click.echo(f"{r.file}: " + ", ".join(parts))
    for rejection in r.rejections[:10]:
        click.echo(REJECTED_LINE(rejection=rejection.render(language)).render(language), err=True)
    if r.rejections:
        raise CocoonError(OUTCOMES_REJECTED(count=len(r.rejections)))


@visits.command()
@at_option
@click.pass_obj
def status(state: State, at_text: str | None) -> None:
    """For each active zone: stops done, not at home and pending."""
    app = state.app()
    at = parse_at(app, at_text)
    from cocoon.outputs.summary import visits_summary

    click.echo(visits_summary(app.visits.status(at), at, app.settings.output.language))
