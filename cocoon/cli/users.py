"""`cocoon users`: the field app's accounts, what visiting teams are given, the access log."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import State, now, output_file, write_output
from cocoon.errors import CocoonError
from cocoon.messages import PASSWORDS_DIFFER

if TYPE_CHECKING:
    from cocoon.app.access import Actor

ROLE_CHOICE = click.Choice(["admin", "team", "viewer"])
KIND_CHOICE = click.Choice(["zone", "roster"])


def cli_actor() -> Actor:
    """Who changes accounts from the command line: the operating system's user."""
    from cocoon.app.access import Actor

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        name = "unknown"
    return Actor(name, "cli", "command line")


def read_password() -> str:
    """From standard input when it is not a terminal (its first line); else asked twice."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise CocoonError(PASSWORDS_DIFFER())
    return first


@click.group()
def users() -> None:
    """Accounts of the field app (cocoon web): admin, team, viewer."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="admin, team or viewer.")
@click.pass_obj
def add(state: State, name: str, role: str) -> None:
    """Add an account; the password comes from standard input (or is asked twice)."""
    app = state.app()
    password = read_password()
    user = app.users.add(name, role, password, now(), cli_actor())
    click.echo(f"user {user.name} added ({user.role})")


@users.command("list")
@click.pass_obj
def list_users(state: State) -> None:
    """The accounts: name, role, active or disabled, what a team is given."""
    app = state.app()
    given: dict[str, list[str]] = {}
    for a in app.users.assignments():
        given.setdefault(a.user_name, []).append(f"{a.kind} {a.zone_key}")
    for user in app.users.all():
        status = "active" if user.active else "disabled"
        line = f"{user.name}\t{user.role}\t{status}"
        if user.name in given:
            line += "\t" + ", ".join(given[user.name])
        click.echo(line)


@users.command("disable")
@click.argument("name")
@click.pass_obj
def disable(state: State, name: str) -> None:
    """Disable an account and end its sessions (it stays on record)."""
    user = state.app().users.disable(name, now(), cli_actor())
    click.echo(f"user {user.name} disabled")


@users.command("passwd")
@click.argument("name")
@click.pass_obj
def passwd(state: State, name: str) -> None:
    """Set an account's password (standard input, or asked twice); its sessions end."""
    app = state.app()
    user = app.users.get(name)
    app.users.set_password(user.name, read_password(), now(), cli_actor())
    click.echo(f"password of {user.name} set")


@users.command("give")
@click.argument("name")
@click.argument("key")
@click.option("--kind", type=KIND_CHOICE, default="zone", show_default=True)
@click.pass_obj
def give(state: State, name: str, key: str, kind: str) -> None:
    """Give a visiting team a zone (all its rosters) or one roster, by its Z-… id."""
    added = state.app().users.assign(name, kind, key, now(), cli_actor())
    click.echo(f"{name} {'given' if added else 'had already'} {kind} {key.strip().upper()}")


@users.command("take")
@click.argument("name")
@click.argument("key")
@click.option("--kind", type=KIND_CHOICE, default="zone", show_default=True)
@click.pass_obj
def take(state: State, name: str, key: str, kind: str) -> None:
    """Take a zone or roster back from a visiting team."""
    removed = state.app().users.unassign(name, kind, key, now(), cli_actor())
    click.echo(f"{name} {'no longer has' if removed else 'did not have'} {kind} {key}")


@users.command("access-log")
@click.option("-o", "--output", metavar="FILE", help="CSV file [default: stdout].")
@click.option("--user", "user_name", help="Only this user's entries.")
@click.pass_obj
def access_log(state: State, output: str | None, user_name: str | None) -> None:
    """The access log as CSV: who saw, downloaded or changed what (brottsdatalagen)."""
    app = state.app()
    language = app.settings.output.language
    path = output_file(output, "-o", language) if output is not None else None
    data = app.access.csv(user=user_name.strip().lower() if user_name else None)
    app.access.record(cli_actor(), "download", "access-log", now(), str(path or "stdout"))
    if path is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    write_output(path, data)
    click.echo(f"written: {path}", err=True)
