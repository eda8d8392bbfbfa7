"""What every command module shares: the installation from the options, `now`, progress lines.

Imports stay light here and in the command modules: `cocoon --help` loads click and these
modules only; a command loads the layers it uses when it runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cocoon.app.installation import Installation
    from cocoon.config import Settings


def now() -> datetime:
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


class State:
    """The global options; the settings and the installation are made when a command asks."""

    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config = config

    @property
    def settings(self) -> Settings:
        from cocoon.config import load_settings

        settings = load_settings(self.config)
        if self.db:
            settings = settings.model_copy(
                update={"database": settings.database.model_copy(update={"url": self.db})}
            )
        return settings

    def app(self, check: bool = True, with_mail: bool = False) -> Installation:
        """The installation; `with_mail` gives it the SMTP mailer (the service sends alerts)."""
        from cocoon.app.installation import Installation

        settings = self.settings
        mailer = None
        if with_mail:
            from cocoon.service.mail import SmtpMailer

            mailer = SmtpMailer(settings.mail)
        app = Installation(settings, mailer=mailer)
        if check:
            app.check()
        return app


def parse_at(app: Installation, text: str | None, option: str = "--at") -> datetime:
    """The instant an --at option names (naive is local time), or now."""
    if not text:
        return now()
    from cocoon.core.time import parse_instant

    try:
        return parse_instant(text, app.tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def at_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The --at ISO option of commands that work at an instant."""
    return click.option(
        "--at", "at_text", metavar="ISO", help="Instant [default: now]; naive is local time."
    )(fn)
