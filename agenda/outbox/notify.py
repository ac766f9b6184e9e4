"""How reminders reach people. ``agenda/`` only knows this interface; the Slack direct-message
notifier lives in ``bot/``, the console one below serves ``boardclerk demo``.

The dispatcher hands a notifier a finished :class:`ReminderMessage`: who gets it, the text, and
what the person may do about it (the Slack notifier shows that as a button). A notifier only
renders and delivers; it never reads the database."""

from __future__ import annotations

import enum
import sys
import threading
from dataclasses import dataclass
from typing import Protocol, TextIO, runtime_checkable


class Offer(enum.StrEnum):
    """What the recipient of a reminder may do about it."""

    ASK_EXTENSION = "ask_extension"  # an author; subject: the item's id
    DECIDE_EXTENSION = "decide_extension"  # the clerk or chair; subject: the request's id
    PAUSE_CHASING = "pause_chasing"  # the clerk; subject: the item's id


@dataclass(frozen=True)
class ReminderMessage:
    reminder_id: int
    recipient: str  # a Slack user id
    text: str
    kind: str  # a ReminderKind value
    offer: Offer | None = None
    subject_id: int | None = None  # what the offer is about (see Offer)


class RecipientGone(Exception):
    """The person can no longer be reached (left Slack, account deactivated). Not retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RateLimited(Exception):
    """Slack answered 429: wait ``retry_after`` seconds before sending anything more."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


class Notifier(Protocol):
    def send(self, message: ReminderMessage) -> None:
        """Deliver the message to its recipient. Raise :class:`RecipientGone`, :class:`RateLimited`,
        or any other exception for a failure worth retrying."""


@runtime_checkable
class DeliveryLog(Protocol):
    """Optional: a notifier that can tell whether a reminder already went out (the Slack one
    looks for the reminder id in message metadata). The dispatcher asks it before re-sending a
    reminder whose previous worker died mid-send, which closes the at-least-once gap. The
    recipient is passed so a Slack notifier can look in that person's DM history for a message
    whose metadata carries ``reminder_id``."""

    def was_delivered(self, reminder_id: int, recipient_slack_id: str) -> bool: ...


class ConsoleNotifier:
    """Prints each reminder; for the demo and for trying things out."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def send(self, message: ReminderMessage) -> None:
        print(f"→ {message.recipient}: {message.text}", file=self.out)


class MemoryNotifier:
    """Keeps what it was asked to send (a stand-in for Slack in tests and benchmarks).
    ``gone`` lists people who have left; ``rate_limit_next`` makes the next sends fail with 429."""

    def __init__(self, gone: set[str] | None = None) -> None:
        self.sent: list[tuple[str, str, int]] = []  # (recipient, text, reminder id)
        self.messages: list[ReminderMessage] = []
        self.gone = set(gone or ())
        self.rate_limit_next: list[float] = []
        self.fail_next: list[Exception] = []
        self._lock = threading.Lock()

    def send(self, message: ReminderMessage) -> None:
        with self._lock:
            if self.rate_limit_next:
                raise RateLimited(self.rate_limit_next.pop(0))
            if self.fail_next:
                raise self.fail_next.pop(0)
            if message.recipient in self.gone:
                raise RecipientGone("account_inactive: the user has left the workspace")
            self.messages.append(message)
            self.sent.append((message.recipient, message.text, message.reminder_id))

    def was_delivered(self, reminder_id: int, recipient_slack_id: str = "") -> bool:
        with self._lock:
            return any(rid == reminder_id for _, _, rid in self.sent)
