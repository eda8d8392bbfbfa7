"""What every command module shares: the installation from the options, `now`, progress lines."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click

from cocoon.app.installation import Cocoon
from cocoon.config import Settings, load_settings
from cocoon.core.time import parse_instant


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


def parse_at(app: Cocoon, text: str | None, option: str = "--at") -> datetime:
    """The instant an --at option names (naive is local time), or now."""
    if not text:
        return now()
    try:
        return parse_instant(text, app.tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def at_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The --at ISO option of commands that work at an instant."""
    return click.option(
        "--at", "at_text", metavar="ISO", help="Instant [default: now]; naive is local time."
    )(fn)
