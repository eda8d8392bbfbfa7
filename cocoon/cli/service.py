"""`cocoon serve`, `cocoon daily` and `cocoon status`: the service, its daily job by hand, and
what it has done and will do next."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import State, now, output_folder, parse_at, parse_day

if TYPE_CHECKING:
    from cocoon.app.runs import Run
    from cocoon.service.logs import LogFormat

_DATE = re.compile(r"^\d+-\d+-\d+$")  # a day, maybe an impossible one: said as a day

#: The most past runs `status --runs` lists: more than a screen is a question for the database.
MAX_RUNS = 1000


@click.command()
@click.option(
    "--log-format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: one object per line (for journald and log tools); text: for people.",
)
@click.option(
    "--web", "with_web", is_flag=True,
    help="Also serve the field app (web.host, web.port) in this process: one stop ends both.",
)  # fmt: skip
@click.pass_obj
def serve(state: State, log_format: str, with_web: bool) -> None:
    """Run the service: look into the inbox, alert, and make the daily list, until stopped."""
    fmt: LogFormat = "json" if log_format == "json" else "text"
    if with_web:  # the same as `cocoon web --with-service`
        from cocoon.cli.web import make_server, run_until_stopped
        from cocoon.service.logs import setup_logging

        app = state.app(with_mail=True)
        setup_logging(fmt)
        web = app.settings.web
        run_until_stopped(app, make_server(app, web.host, web.port), True)
        return
    from cocoon.service.serving import serve as run_service  # signals first, then start-up

    run_service(lambda: state.app(with_mail=True), fmt)


@click.command()
@click.option(
    "--at", "at_text", metavar="ISO|DATE",
    help="Instant, or a date (the list of that day at service.daily_time) [default: now].",
)  # fmt: skip
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Folder for the list's files [default: service.daily_dir].",
)
@click.pass_obj
def daily(state: State, at_text: str | None, out_dir: str | None) -> None:
    """Make the daily zone list once, by hand: the same job the service runs each morning."""
    from cocoon.service.scheduler import Service, daily_fire

    app = state.app()
    language = app.settings.output.language
    if at_text and _DATE.match(at_text.strip()):
        day = parse_day(at_text, "--at", language)
        at = daily_fire(app.settings, day)
    else:
        at = parse_at(app, at_text)
        day = at.astimezone(app.tz).date()
    folder = out_dir if out_dir is not None else app.settings.service.daily_dir
    output_folder(folder, "--out", language)  # before the sign plan moves on
    written = Service(app, clock=now).daily(
        at, "manual", day=day, out_dir=Path(out_dir) if out_dir else None
    )
    last = app.runs.last_of("daily")
    if last is not None:
        click.echo(f"daily list {day}: {_counts(last)}")
    for path in written:
        click.echo(f"  written: {path}")


@click.command()
@click.option(
    "--runs",
    "limit",
    type=click.IntRange(1, MAX_RUNS),
    default=10,
    show_default=True,
    help=f"How many past runs (at most {MAX_RUNS}).",
)
@click.pass_obj
def status(state: State, limit: int) -> None:
    """Whether the service runs, its last runs and its next ones, and what waits in the inbox."""
    from cocoon.service.scheduler import next_runs

    app = state.app()
    at = now()
    tz = app.tz
    holder = app.runs.lock_holder()
    click.echo(f"service: {'running, ' + holder if holder else 'not running'}")
    click.echo(f"database: {app.database}")
    service = app.settings.service
    click.echo(f"inbox: {service.inbox_dir} ({app.inbox.waiting()} file(s) waiting)")
    last_poll = app.runs.last_of("poll")
    upcoming = next_runs(app.settings, at, last_poll.started_at if last_poll else None)
    when = "next runs" if holder else "next runs once started"
    click.echo(
        f"{when}: poll {_show(upcoming.poll, tz)} (every {service.poll_seconds} s), "
        f"daily {_show(upcoming.daily, tz)}"
    )
    runs = app.runs.last(limit)
    click.echo("last runs:" if runs else "last runs: none yet")
    for run in runs:
        ended = _show(run.ended_at, tz)[11:] if run.ended_at else "…"
        day = f" {run.day}" if run.day else ""
        line = f"  {_show(run.started_at, tz)} – {ended}  {run.job}{day} ({run.trigger})"
        line += f"  {run.outcome}"
        counts = _counts(run)
        click.echo(line + (f"  {counts}" if counts else ""))
        if run.error:
            click.echo(f"    error: {run.error}")
    from cocoon.app.alerts import ALERT_ATTEMPTS
    from cocoon.core.alerts import printable

    for alert in app.alerts.unsent_mails(at):
        click.echo(
            f"alert mail not sent: {printable(alert.report_id)} ({alert.mail_error})", err=True
        )
    for failed in app.alerts.failed_alerts(at):
        given_up = ", given up" if failed.attempts >= ALERT_ATTEMPTS else ""
        click.echo(
            f"alert not made: {printable(failed.report_id)} ({failed.error}), "
            f"tried {failed.attempts} time(s){given_up}",
            err=True,
        )
    for message in app.groups.unsent(at):
        click.echo(
            f"group message not sent: {message.group_name} → {message.contact_name} "
            f"({message.channel.value} {message.recipient}): {message.error or 'not tried yet'}",
            err=True,
        )


def _show(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _counts(run: Run) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(run.counts.items()))


__all__ = ["daily", "serve", "status"]
