"""The domain errors every adapter turns into a one-line message and a non-zero exit."""

from __future__ import annotations


class CocoonError(Exception):
    """Base of all errors a user can act on; the message is the one line they see."""


class ConfigError(CocoonError):
    """A configuration file, key, value or environment override is wrong."""


class InputError(CocoonError):
    """An input file cannot be read at all (unknown format, unreadable, wrong structure)."""


class NotFoundError(CocoonError):
    """A named report, address or other record does not exist."""


class StoreError(CocoonError):
    """The database is missing, not initialised or at the wrong schema revision."""


class RowError(CocoonError):
    """One input row is invalid; names the field so the rejects file can say which."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


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
