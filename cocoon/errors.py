"""The domain errors every adapter turns into a one-line message and a non-zero exit."""

from __future__ import annotations

from cocoon.messages import FIELD_REASON, Language, Message


class CocoonError(Exception):
    """Base of all errors a user can act on; the message is the one line they see.

    Made with a `Message`, it can be said in the user's language (`render`); `str()` is English.
    """

    def __init__(self, message: str | Message = "") -> None:
        super().__init__(str(message))
        self.message = message if isinstance(message, Message) else None

    def render(self, language: Language) -> str:
        """The one line in `language`; errors made from plain text say it as it was written."""
        return self.message.render(language) if self.message is not None else str(self)


class ConfigError(CocoonError):
    """A configuration file, key, value or environment override is wrong."""


class InputError(CocoonError):
    """An input file cannot be read at all (unknown format, unreadable, wrong structure)."""


class NotFoundError(CocoonError):
    """A named report, address or other record does not exist."""


class StoreError(CocoonError):
    """The database is missing, not initialised or at the wrong schema revision."""


class RowError(CocoonError):
    """One input row is invalid; names the field so the rejects file can say which.

    `why` is the reason as given (a `Message` is said in the user's language); `reason` is its
    English, for logs and `str()`.
    """

    def __init__(self, field: str, reason: str | Message) -> None:
        super().__init__(FIELD_REASON(field=field, reason=reason))
        self.field = field
        self.why = reason
        self.reason = str(reason)


class ServiceRunning(CocoonError):
    """Another `cocoon serve` already runs on this database; `holder` says which process."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class DeliveryError(CocoonError):
    """An alert e-mail could not be handed to the mail relay."""


def describe(exc: BaseException) -> str:
    """An error as one line for the runs table and logs: its type and its first line."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__
