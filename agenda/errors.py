"""Domain errors. Every message is written to be shown to a clerk, author or chair as it is."""

from __future__ import annotations


class BoardclerkError(Exception):
    """Base of every error a user may see. ``str(err)`` is the user-facing message."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class NotFound(BoardclerkError):
    """An unknown meeting, item, body or paper."""


class PermissionDenied(BoardclerkError):
    """The acting user may not do this."""


class InvalidInput(BoardclerkError):
    """A value the user gave is not acceptable (bad date, empty title, ...)."""


class ConfigError(BoardclerkError):
    """The configuration file is malformed. Carries the file and line of the first problem."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, hint: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}", hint=hint)


class PaperRejected(BoardclerkError):
    """A submitted file is not acceptable (wrong type, macro-enabled, corrupt, too big...)."""


class DeadlinePassed(BoardclerkError):
    """An action that is closed because its deadline or the meeting has passed."""


class PapersChanged(BoardclerkError):
    """A build's papers changed while it rendered, so its result was not kept."""


class StoreUnavailable(BoardclerkError):
    """The file store (object storage) did not answer or answered with a server error. Nothing
    was recorded; the same action a little later will do. Job runners retry it."""


class StoreCorrupt(BoardclerkError):
    """A stored file's bytes do not match the sha256 it is stored under: it must not be used,
    published or sent, and an operator has to restore it (``boardclerk store check``)."""
