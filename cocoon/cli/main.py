"""The `cocoon` command: its global options and its commands, and how every failure ends.

Every failure ends in one line on stderr and a non-zero exit status, in the configured language:
a wrong argument (2), an error a user can act on or a file that cannot be read or written (1),
Ctrl-C (130), anything else as an internal error (1) whose traceback `--debug` shows. This module
loads nothing at import: `main()` loads click and the commands inside its guard, so a Ctrl-C
while Python is still loading them also ends in one line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click

    from cocoon.cli.common import State
    from cocoon.messages import Language, Message

#: Exit statuses: a wrong argument (click's own), a failure, an interrupt (128 + SIGINT).
EXIT_FAILED, EXIT_USAGE, EXIT_ABORTED = 1, 2, 130


@cache
def command_group() -> click.Group:
    """The `cocoon` group with every command, made once."""
    import click

    from cocoon.cli.common import State, not_empty
    from cocoon.cli.evidence import backtest, calibrate, knox
    from cocoon.cli.export import export
    from cocoon.cli.followup import followup
    from cocoon.cli.groups import groups
    from cocoon.cli.leaflet import leaflet
    from cocoon.cli.reports import (
        ingest,
        init,
        load_addresses,
        load_roads,
        locate,
        retract,
        unlocated,
        zones,
    )
    from cocoon.cli.service import daily, serve, status
    from cocoon.cli.signs import signs
    from cocoon.cli.users import users
    from cocoon.cli.visits import visits
    from cocoon.cli.web import web

    @click.group()
    @click.option(
        "--db", metavar="URL", help="Database URL [default: $COCOON_DB, else ./var/cocoon.sqlite]"
    )
    @click.option(
        "--config", metavar="FILE", help="Settings TOML [default: $COCOON_CONFIG, else built-in]"
    )
    @click.option("--debug", is_flag=True, help="On a failure, show the full traceback.")
    @click.version_option(package_name="cocoon")
    @click.pass_context
    def cli(ctx: click.Context, db: str | None, config: str | None, debug: bool) -> None:
        """cocoon: near-repeat burglary alerts (cocooning) for local police."""
        state = ctx.ensure_object(State)
        state.db, state.config, state.debug = db, config, debug
        for option, value in (("--db", db), ("--config", config)):
            if value is not None and not value.strip():  # not the default in disguise
                not_empty(value, option, state.language())

    for command in (
        init, ingest, load_addresses, load_roads, zones, unlocated, locate, retract,
        visits, signs, leaflet, daily, export, knox, backtest, calibrate, followup, serve,
        status, users, web, groups,
    ):  # fmt: skip
        cli.add_command(command)
    return cli


def __getattr__(name: str) -> Any:
    """`cocoon.cli.main.cli`, the group, made when first asked for."""
    if name == "cli":
        return command_group()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(args: list[str] | None = None) -> None:
    """Run `cocoon` with `args` (default: the command line); exit non-zero on any failure."""
    argv = sys.argv[1:] if args is None else list(args)
    state: State | None = None
    try:
        from cocoon.cli.common import State

        state = State()
        code = _run(argv, state)
    except SystemExit:
        raise
    except BaseException as exc:  # every failure ends in one line
        code = _report(exc, state, argv)
    if code:
        sys.exit(code)


def _run(argv: list[str], state: State) -> int:
    import click

    from cocoon.messages import NOT_UTF8_ARGUMENT

    for arg in argv:
        if not _is_utf8(arg):
            shown = os.fsencode(arg).decode("utf-8", "backslashreplace")
            raise click.UsageError(NOT_UTF8_ARGUMENT(text=shown).render(state.language()))
    group = command_group()
    if os.environ.get("_COCOON_COMPLETE"):  # shell completion, which click's own main() offers
        group.main(argv, prog_name="cocoon")
    try:
        with group.make_context("cocoon", argv, obj=state) as ctx:
            group.invoke(ctx)
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    return 0


def _is_utf8(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:  # bytes the locale could not decode, kept as surrogates
        return False
    return True


def _report(exc: BaseException, state: State | None, argv: list[str]) -> int:
    """Say the failure in one line on stderr (after its traceback with --debug); its exit status.

    A second Ctrl-C while saying it still ends in one line.
    """
    debug = state.debug if state is not None and state.debug else "--debug" in argv
    try:
        if debug:
            import traceback

            traceback.print_exception(exc)
        return _say(exc, state)
    except KeyboardInterrupt:
        _line(_aborted(), _language(state, read=False))
        return EXIT_ABORTED


def _say(exc: BaseException, state: State | None) -> int:
    from cocoon.messages import ERROR, INTERNAL, USAGE

    clicked = "click" in sys.modules  # click's own exceptions exist once it has loaded
    if clicked:
        import click
    if isinstance(exc, KeyboardInterrupt) or (clicked and isinstance(exc, click.Abort)):
        if sys.stderr.isatty():
            sys.stderr.write("\n")  # past the terminal's ^C
        _line(_aborted(), _language(state, read=False))
        return EXIT_ABORTED
    if isinstance(exc, BrokenPipeError):  # the reader of our output went away: nothing to say
        _silence_stdout()
        return EXIT_FAILED
    language = _language(state, read=True)
    if clicked and isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()  # the help of a group given no command
        return EXIT_USAGE
    if clicked and isinstance(exc, click.UsageError):
        command = exc.ctx.command_path if exc.ctx is not None else "cocoon"
        _line(USAGE(reason=exc.format_message(), command=command), language)
        return exc.exit_code
    if clicked and isinstance(exc, click.ClickException):
        _line(ERROR(reason=exc.format_message()), language)
        return exc.exit_code
    from cocoon.errors import CocoonError, describe

    if isinstance(exc, CocoonError):
        _line(ERROR(reason=exc.render(language)), language)
    elif isinstance(exc, OSError):
        _line(ERROR(reason=_os_problem(exc)), language)
    else:
        _line(INTERNAL(error=describe(exc)), language)
    return EXIT_FAILED


def _os_problem(exc: OSError) -> Message | str:
    """An OSError as one line; 'exists' from making a folder where a file is says so."""
    from cocoon.messages import NOT_A_FOLDER, os_problem

    name = exc.filename
    if isinstance(exc, FileExistsError) and isinstance(name, str) and os.path.isfile(name):
        return NOT_A_FOLDER(path=name)
    return os_problem(exc)


def _language(state: State | None, read: bool) -> Language:
    from cocoon.messages import language_from_env

    if state is not None:
        return state.language(read=read)
    return language_from_env(os.environ) or "en"


def _aborted() -> Message:
    from cocoon.messages import ABORTED

    return ABORTED()


def _line(message: Message, language: Language) -> None:
    """One line on stderr; a stderr that is gone cannot be helped."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(message.render(language).replace("\n", " ") + "\n")
        sys.stderr.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush does not fail on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()

__all__ = ["EXIT_ABORTED", "EXIT_FAILED", "EXIT_USAGE", "command_group", "main"]
