"""`cocoon followup`: the medborgarlöfte follow-up of a period, as a PDF, a CSV or a summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import State, not_empty, now, option_error, output_file, write_output
from cocoon.errors import CocoonError
from cocoon.messages import UNKNOWN_SUFFIX, Language

if TYPE_CHECKING:
    from cocoon.analysis.followup import Period
    from cocoon.outputs.followup_content import FollowUpReport

#: File suffixes and the formats they are written in.
SUFFIX_FORMATS = {".pdf": "pdf", ".csv": "csv"}

PERIODS = (
    "2026 (a year), 2026-T1…T3 (a tertial: Jan–Apr, May–Aug, Sep–Dec), 2026-Q1…Q4 (a quarter), "
    "2026-03 (a month) or 2026-01-01..2026-06-30 (dates, both included)"
)


@click.command()
@click.option("--period", "period_text", required=True, metavar="PERIOD", help=f"{PERIODS}.")
@click.option(
    "--reference",
    "reference_text",
    metavar="PERIOD",
    help="Compare with this period in the database; a year for a shorter period means the same "
    "days that year. With --reference-file: the year whose months to take from the file.",
)
@click.option(
    "--reference-file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Monthly counts of the reference (CSV month,count; month YYYY-MM), e.g. from before "
    "cocoon was installed.",
)
@click.option(
    "--public",
    is_flag=True,
    help="The public version: totals only, counts 1–4 shown as '< 5', no ids or dates of single "
    "burglaries [default: internal].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File: .pdf or .csv [default: a summary on the terminal]",
)
@click.pass_obj
def followup(
    state: State,
    period_text: str,
    reference_text: str | None,
    reference_file: str | None,
    public: bool,
    output: str | None,
) -> None:
    """The medborgarlöfte follow-up: burglaries per month against a reference, the work done
    (zones, rosters, door visits, signs) and the burglaries inside a live zone."""
    language = state.language()
    period = _period(period_text, "--period", language)
    reference = None if reference_text is None else _period(reference_text, "--reference", language)
    if reference_file is not None:
        not_empty(reference_file, "--reference-file", language)
    fmt = target = None
    if output is not None:
        fmt = SUFFIX_FORMATS.get(Path(not_empty(output, "-o", language)).suffix.lower())
        if fmt is None:
            known = ", ".join(SUFFIX_FORMATS)
            reason = UNKNOWN_SUFFIX(suffix=Path(output).suffix, known=known)
            raise option_error("-o", reason, language)
        target = output_file(output, "-o", language)
    app = state.app()
    content = app.followup.report(
        period, now(), reference=reference, reference_file=reference_file, public=public
    )
    if target is None or fmt is None:
        _print_summary(content)
        return
    from cocoon.outputs import render

    write_output(target, render(fmt, content), internal=not public)
    click.echo(f"written: {output}")


def _period(text: str, option: str, language: Language) -> Period:
    from cocoon.analysis.followup import parse_period

    not_empty(text, option, language)
    try:
        return parse_period(text)
    except CocoonError as exc:
        if exc.message is None:
            raise
        raise option_error(option, exc.message, language) from None


def _print_summary(content: FollowUpReport) -> None:
    """The burglaries per month and the main figures, as the chosen version shows them."""
    f = content.figures
    rows = {(m.section, m.measure): m for m in content.measures() if m.measure != "count"}
    months = [m for m in content.measures() if (m.section, m.measure) == ("burglaries", "count")]
    reference = f.burglaries.reference_label
    version = "public" if content.public else "internal"
    click.echo(f"follow-up {f.period.label}" + (f" against {reference}" if reference else "")
               + f" ({version})")  # fmt: skip
    click.echo("month    burglaries" + ("  reference  change" if reference else ""))
    for m in [*months, rows[("burglaries", "total")]]:
        line = f"{m.month or 'total':<8} {_cell(m.value):>10}"
        if reference:
            line += f"  {_cell(m.reference):>9}  {_pct(m.change_pct):>6}"
        click.echo(line)
    for key, label in (
        (("work", "zones_opened"), "zones opened"),
        (("work", "rosters"), "rosters"),
        (("work", "report_to_roster_median_hours"), "report to roster, median hours"),
        (("work", "report_to_roster_within_24h_pct"), "rosters within 24 h, %"),
        (("work", "report_to_first_visit_median_hours"), "report to first visit, median hours"),
        (("visits", "doors_visited"), "doors visited"),
        (("visits", "stairwells_planned"), "stairwells"),
        (("signs", "put_up"), "signs put up"),
        (("signs", "down_on_time_pct"), "signs down on time, %"),
        (("near_repeats", "in_live_zone"), "burglaries inside a live zone"),
        (("near_repeats", "in_high_risk_zone"), f"of which within {f.high_risk_days} days"),
    ):
        click.echo(f"  {label}: {_cell(rows[key].value)}")


def _cell(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f} %"
