"""The one place that turns an error into what the person in Slack is told.

A domain error (:class:`agenda.errors.BoardclerkError`) carries a message written for users:
it becomes the ``:x:`` reply. Anything else is a fault of ours: the person gets a short
reference, and the log gets the traceback once, under the same reference, so the clerk can
quote it and whoever runs the bot can find it. Tokens and paper contents never reach the log.

Listeners raise; the decorators below answer the way the listener's request expects:
``by_dm`` (buttons and events answered after the ack), ``ephemeral`` (the slash command),
``by_dm_saying`` (the same, framed, e.g. naming the file not stored), ``in_modal`` (a button
that opens a modal answers with an info modal), ``on_field`` (a modal's submission shows the
problem on one of its fields), ``noted`` (a form's checks gather every problem) and
``as_text`` (helpers that answer with text).
"""

from __future__ import annotations

import functools
import inspect
import logging
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from slack_sdk import WebClient

from agenda.errors import BoardclerkError
from bot import messages
from bot.blocks.common import View, escape, info_modal
from bot.slack import dm, open_view

log = logging.getLogger("boardclerk.bot")

F = TypeVar("F", bound=Callable[..., Any])
OnError = Callable[[Mapping[str, Any], BaseException], None]
# Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L.
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REF_LENGTH = 6


def new_ref() -> str:
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))


def problem(err: BaseException) -> str:
    """What the person is told, without framing: a domain error's own message, or a reference
    to a fault (logged here, once, with its traceback)."""
    if isinstance(err, BoardclerkError):
        return str(err)
    ref = new_ref()
    log.error("unexpected error (ref %s): %s", ref, type(err).__name__, exc_info=err)
    return messages.unexpected(ref)


def reply(err: BaseException) -> str:
    """The ``:x:`` reply for ``err``."""
    return messages.refusal(problem(err))


def user_of(body: Mapping[str, Any]) -> str:
    """Who sent the request: interactions carry ``user.id``, commands ``user_id``, events
    ``event.user``."""
    user = body.get("user")
    if isinstance(user, dict) and user.get("id"):
        return str(user["id"])
    if body.get("user_id"):
        return str(body["user_id"])
    return str((body.get("event") or {}).get("user") or "")


def _guard(func: F, needs: tuple[str, ...], on_error: OnError) -> F:
    """Run ``func`` with the arguments Bolt gives it; on any exception call ``on_error`` with
    every argument (``needs`` are added to the signature Bolt reads, so they are there)."""
    params = inspect.signature(func).parameters
    own = tuple(params)
    # Bolt reads positional names only; a default keeps the signature valid after any
    # parameter of the function's own that has one.
    extra = [
        inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
        for n in needs
        if n not in own
    ]

    signature = inspect.Signature([*params.values(), *extra])

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        given = signature.bind_partial(*args, **kwargs).arguments  # Bolt passes keywords
        try:
            return func(**{k: v for k, v in given.items() if k in own})
        except Exception as err:  # noqa: BLE001 - this is the one place errors are answered
            on_error(given, err)
            return None

    # Bolt injects arguments by the names it reads from the signature (unwrapping
    # ``__wrapped__``), so show it the function's own names plus the ones needed here.
    del guarded.__wrapped__
    guarded.__signature__ = signature  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def by_dm(func: F) -> F:
    """Answer a failure with a direct message to the person who asked."""
    return by_dm_saying(lambda _kwargs, problem_: messages.refusal(problem_))(func)


def by_dm_saying(say: Callable[[Mapping[str, Any], str], str]) -> Callable[[F], F]:
    """Answer a failure with a direct message framed by ``say`` (given the request's
    arguments and the problem), e.g. naming the file that was not stored."""

    def decorate(func: F) -> F:
        def send(kwargs: Mapping[str, Any], err: BaseException) -> None:
            client: WebClient = kwargs["client"]
            dm(client, user_of(kwargs["body"]), say(kwargs, problem(err)))

        return _guard(func, ("client", "body", "view", "context"), send)

    return decorate


def ephemeral(func: F) -> F:
    """Answer a failure of the slash command with a reply only the person sees."""

    def send(kwargs: Mapping[str, Any], err: BaseException) -> None:
        kwargs["respond"](response_type="ephemeral", replace_original=False, text=reply(err))

    return _guard(func, ("respond",), send)


def in_modal(title: str) -> Callable[[F], F]:
    """Answer a failure to open a modal with a modal that says why."""

    def decorate(func: F) -> F:
        def send(kwargs: Mapping[str, Any], err: BaseException) -> None:
            view = error_modal(title, err)
            open_view(kwargs["client"], kwargs["body"], view)

        return _guard(func, ("client", "body"), send)

    return decorate


def error_modal(title: str, err: BaseException) -> View:
    return info_modal(title, messages.refusal(escape(problem(err))))


def on_field(field: str | Callable[[Mapping[str, Any], BaseException], str]) -> Callable[[F], F]:
    """A view submission's ack: show the failure on the form, on ``field`` (a block id, or a
    function of the submitted view and the error choosing one), where it can be fixed."""

    def decorate(func: F) -> F:
        def send(kwargs: Mapping[str, Any], err: BaseException) -> None:
            block = field if isinstance(field, str) else field(kwargs["view"], err)
            kwargs["ack"](response_action="errors", errors={block: problem(err)})

        return _guard(func, ("ack", "view"), send)

    return decorate


@contextmanager
def noted(found: dict[str, str], block: str) -> Iterator[None]:
    """Validation that gathers every problem of a form: a failure inside is noted on
    ``block`` (and the form's other checks go on)."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 - this is the one place errors are answered
        found[block] = problem(err)


def as_text(func: Callable[..., str]) -> Callable[..., str]:
    """A helper that answers with text: a failure becomes the ``:x:`` reply it returns."""

    @functools.wraps(func)
    def answered(*args: Any, **kwargs: Any) -> str:
        try:
            return func(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - this is the one place errors are answered
            return reply(err)

    return answered
