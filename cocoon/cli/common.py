"""What every command module shares: the installation from the options, `now`, progress lines,
and reading the options every command reads the same way (instants, days, files to write).

Imports stay light here and in the command modules: `cocoon --help` loads click and these
modules only; a command loads the layers it uses when it runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cocoon.errors import CocoonError
from cocoon.messages import (
    CANNOT_WRITE,
    EMPTY_VALUE,
    FOLDER_IN_THE_WAY,
    IS_A_FOLDER,
    NOT_A_DATE,
    NOT_A_FOLDER,
    NOT_AN_INSTANT,
    OPTION_VALUE,
    OUTSIDE_YEARS,
    Language,
    Message,
    language_from_env,
    os_reason,
)

if TYPE_CHECKING:
    from cocoon.app.installation import Installation
    from cocoon.config import Settings

#: The years an --at, --due or --visited-at may name: police work of this century and the next;
#: beyond them the date arithmetic of the risk periods runs out of calendar.


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
    """The global options; the settings (read once) and the installation are made when a command
    asks."""

    def __init__(self, db: str | None = None, config: str | None = None, debug: bool = False):
        self.db = db
        self.config = config
        self.debug = debug
        self._settings: Settings | None = None
        self._unreadable = False  # the settings were tried and failed

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from cocoon.config import load_settings

            try:
                settings = load_settings(self.config)
            except CocoonError:
                self._unreadable = True
                raise
            if self.db:
                settings = settings.model_copy(
                    update={"database": settings.database.model_copy(update={"url": self.db})}
                )
            self._settings = settings
        return self._settings

    def language(self, read: bool = True) -> Language:
        """The language of the user's lines: the settings' (read now if `read`), else that of
        COCOON_OUTPUT__LANGUAGE, else English."""
        if self._settings is None and read and not self._unreadable:
            try:
                self.settings  # noqa: B018  (read them: the language is one of them)
            except Exception:  # any failure: say it in the fallback language
                self._unreadable = True
        if self._settings is not None:
            return self._settings.output.language
        return language_from_env(os.environ) or "en"

    def app(self, check: bool = True, with_mail: bool = False) -> Installation:
        """The installation; `with_mail` gives it the SMTP mailer and the partner groups' courier
        (e-mail and SMS): the service sends alerts and group messages."""
        from cocoon.app.installation import Installation

        settings = self.settings
        mailer = courier = None
        if with_mail:
            from cocoon.service.mail import SmtpMailer
            from cocoon.service.sms import PartnerCourier

            mailer = SmtpMailer(settings.mail)
            courier = PartnerCourier(settings.mail, settings.sms)
        app = Installation(settings, mailer=mailer, courier=courier)
        if check:
            app.check()
        return app


def usage_error(reason: Message, language: Language) -> click.UsageError:
    """A command given wrongly, said in `language`: exit status 2, pointing at its --help."""
    return click.UsageError(reason.render(language), ctx=click.get_current_context(silent=True))


def option_error(option: str, reason: Message, language: Language) -> click.UsageError:
    """A wrong option value, said in `language`."""
    return usage_error(OPTION_VALUE(option=option, reason=reason), language)


def parse_at(app: Installation, text: str | None, option: str = "--at") -> datetime:
    """The instant an --at option names (naive is local time), or now."""
    if text is None:
        return now()
    from cocoon.core.time import OutsideYears, parse_instant

    language = app.settings.output.language
    if not text.strip():
        raise option_error(option, EMPTY_VALUE(), language)
    try:
        return parse_instant(text, app.tz)
    except OutsideYears:  # year 1 or 9999: a typing error, and no instant Python can shift
        raise option_error(option, _outside_years(text), language) from None
    except ValueError:  # month 13, day 45, year 0, year 10000
        raise option_error(option, NOT_AN_INSTANT(text=text), language) from None


def parse_day(text: str, option: str, language: Language) -> date:
    """The calendar day a --due or --at DATE option names."""
    if not text.strip():
        raise option_error(option, EMPTY_VALUE(), language)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise option_error(option, NOT_A_DATE(text=text), language) from None
    from cocoon.core.time import OutsideYears, check_year

    try:
        check_year(day.year, text)
    except OutsideYears:
        raise option_error(option, _outside_years(text), language) from None
    return day


def _outside_years(text: str) -> Message:
    from cocoon.core.time import FIRST_YEAR, LAST_YEAR  # the one rule of which years may be

    return OUTSIDE_YEARS(text=text, first=FIRST_YEAR, last=LAST_YEAR)


def at_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The --at ISO option of commands that work at an instant."""
    return click.option(
        "--at", "at_text", metavar="ISO", help="Instant [default: now]; naive is local time."
    )(fn)


def not_empty(text: str, option: str, language: Language) -> str:
    """The value of an option that an empty string must not stand for (such as the default)."""
    if not text.strip():
        raise option_error(option, EMPTY_VALUE(), language)
    return text


def output_file(text: str, option: str, language: Language) -> Path:
    """The file an -o option names, checked before any work: its folder exists or can be made, and
    a file can be made in it. Nothing is left behind by the check but the folder."""
    path = Path(not_empty(text, option, language))
    if path.is_dir():
        raise CocoonError(IS_A_FOLDER(path=text))
    _writable_folder(path.parent, text)
    return path


def output_folder(text: str, option: str, language: Language) -> Path:
    """The folder an --out option names (made if missing), checked in the same way."""
    path = Path(not_empty(text, option, language))
    if path.exists() and not path.is_dir():
        raise CocoonError(NOT_A_FOLDER(path=text))
    _writable_folder(path, text)
    return path


def _writable_folder(folder: Path, named: str) -> None:
    """Make `folder` and try a file in it; a failure names the path the user gave and why."""
    for ancestor in (folder, *folder.parents):
        if ancestor.exists() or ancestor.is_symlink():
            if not ancestor.is_dir():
                raise CocoonError(FOLDER_IN_THE_WAY(path=named, blocker=str(ancestor)))
            break
    import tempfile  # not for `cocoon --help`

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".cocoon-", suffix=".part", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CocoonError(CANNOT_WRITE(path=named, reason=os_reason(exc))) from exc


def write_output(path: Path, data: bytes, internal: bool = True) -> None:
    """Write a file atomically; a failure (disk full, …) names it and leaves the last good one.

    Internal files are readable by their owner (or group) only; public ones as the umask allows.
    """
    from cocoon.fileio import write_atomic

    try:
        write_atomic(path, data, internal=internal)
    except OSError as exc:
        raise CocoonError(CANNOT_WRITE(path=str(path), reason=os_reason(exc))) from exc
