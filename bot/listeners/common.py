"""What several listeners share: the plain ack and the slow-work pool."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import errors, messages
from bot.blocks.common import info_modal, loading_modal

log = logging.getLogger(__name__)

# Work done after the ack (building views, downloads, replies) runs on its own small pool.
# Bolt runs ack functions and lazy parts on one shared pool: if a burst's slow lazy work held
# those threads, newer requests' acks would queue behind it past Slack's 3 seconds (and Bolt
# then answers 404). Handing slow work over frees Bolt's thread at once; a small pool also
# keeps it from competing with the acks for the interpreter lock.
SLOW_WORK_THREADS = 2
_slow_pool = ThreadPoolExecutor(max_workers=SLOW_WORK_THREADS, thread_name_prefix="slow-work")
F = TypeVar("F", bound=Callable[..., Any])


# Downloading and storing papers has a pool of its own: a slow file (Slack dripping bytes)
# holds one of these threads, never the ones that answer other people's commands.
DOWNLOAD_THREADS = 4
_download_pool = ThreadPoolExecutor(max_workers=DOWNLOAD_THREADS, thread_name_prefix="download")


def _on(pool: ThreadPoolExecutor) -> Callable[[F], F]:
    def mark(func: F) -> F:
        @functools.wraps(func)
        def hand_over(*args: Any, **kwargs: Any) -> None:
            future = pool.submit(func, *args, **kwargs)
            future.add_done_callback(_log_failure)

        return hand_over  # type: ignore[return-value]

    return mark


slow = _on(_slow_pool)
"""Mark a lazy listener (or an event handler) to run on the slow-work pool. Bolt reads the
wrapped function's parameter names, so the signature is kept."""

downloading = _on(_download_pool)
"""Run on the download pool (papers being fetched from Slack and stored)."""


def _log_failure(future: Future[Any]) -> None:
    err = future.exception()
    if err is not None:
        errors.problem(err)  # nobody to answer (an event): logged with a reference


def just_ack(ack: Ack) -> None:
    """The ack of a request whose work is all done after it (in a lazy listener)."""
    ack()


TRIGGER_SECONDS = 2  # a trigger_id lives about 3 s: no retries, no waiting on a 429


def open_modal_first(
    client: WebClient,
    trigger_id: str,
    title: str,
    build: Callable[[], dict[str, Any]],
    tell_busy: Callable[[str], Any],
) -> None:
    """Open a placeholder modal at once, while the trigger is fresh, then build the real one
    on the slow-work pool and put it in place. If Slack will not open it in time (rate
    limited, trigger expired), the user is told to try again instead of seeing nothing."""
    quick = WebClient(base_url=client.base_url, token=client.token, timeout=TRIGGER_SECONDS)
    try:
        opened = quick.views_open(
            trigger_id=trigger_id, view=loading_modal(title, messages.LOADING)
        )
    except Exception as err:  # noqa: BLE001 - any failure here means "could not open in time"
        log.warning("could not open the %s modal: %s", title, err)
        tell_busy(messages.BUSY)
        return
    _fill_modal(client, opened["view"]["id"], title, build)


@slow
def _fill_modal(
    client: WebClient, view_id: str, title: str, build: Callable[[], dict[str, Any]]
) -> None:
    try:
        view = build()
    except Exception as err:  # noqa: BLE001 - shown in the modal (a fault: logged, with a ref)
        view = info_modal(title, errors.reply(err))
    client.views_update(view_id=view_id, view=view)
