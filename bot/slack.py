"""Small helpers over the Slack Web API: direct messages and private file downloads."""

from __future__ import annotations

import logging
import time
import urllib.request
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from agenda.errors import BoardclerkError
from bot import messages

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30  # seconds for any one read
DOWNLOAD_DEADLINE = 120  # seconds for the whole file
API_TIMEOUT = 10  # seconds per Web API call; with the retries below a call ends within ~50 s
MAX_RETRY_AFTER = 10.0  # a 429 asking for a longer wait is reported, not slept through
RETRIES = 2


class BoundedRateLimitHandler(RateLimitErrorRetryHandler):
    """Waits out a 429 as Slack asks (Retry-After), but only a short wait: a longer one is
    handed back to the caller (the reminder tick pauses, a job is retried later)."""

    def __init__(self, max_retry_count: int = RETRIES, max_wait: float = MAX_RETRY_AFTER):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = next(
            (v[0] for k, v in response.headers.items() if k.lower() == "retry-after" and v), "1"
        )
        try:
            return float(wait) <= self.max_wait
        except ValueError:
            return True


def web_client(base_url: str, token: str | None) -> WebClient:
    """The one Web API client configuration, for the web app and the worker alike: bounded
    retries of rate limits (honouring Retry-After), server errors and dropped connections."""
    client = WebClient(base_url=base_url, token=token, timeout=API_TIMEOUT)
    client.retry_handlers.extend(
        [
            BoundedRateLimitHandler(),
            ServerErrorRetryHandler(max_retry_count=RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=RETRIES),
        ]
    )
    return client


class DownloadError(BoardclerkError):
    """Slack would not hand over the file's bytes. The message is fit for the author.
    ``retryable``: a network fault worth trying again, not a refusal."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def dm_channel(client: WebClient, user: str) -> str:
    """The id of the bot's DM with ``user`` (``D…``): uploads need a conversation id."""
    return client.conversations_open(users=user)["channel"]["id"]


def dm(client: WebClient, user: str, text: str, blocks: list[dict[str, Any]] | None = None) -> bool:
    """Send ``user`` a direct message. Logged, not raised, on failure: a DM that cannot be
    delivered must not undo the work it reports."""
    try:
        channel = dm_channel(client, user)
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        return True
    except SlackApiError as err:
        log.warning("could not DM %s: %s", user, err.response.get("error"))
        return False


def download_private_file(url: str, token: str, *, limit: int | None = None) -> bytes:
    """Fetch a file's bytes with the bot token. Slack answers a bad token or a missing
    ``files:read`` scope with 200 and an HTML sign-in page, so check the content type."""
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=DOWNLOAD_TIMEOUT) as resp:
            if resp.headers.get_content_type() == "text/html":
                raise DownloadError(messages.DOWNLOAD_REFUSED)
            data = _read_within(resp, limit, time.monotonic() + DOWNLOAD_DEADLINE)
    except OSError as err:
        raise DownloadError(messages.download_failed(err), retryable=True) from err
    return data


def _read_within(resp: Any, limit: int | None, deadline: float) -> bytes:
    """The body, at most ``limit`` + 1 bytes, read before ``deadline``: a socket timeout only
    bounds each read, so a server dripping a byte every few seconds is cut off here."""
    chunks: list[bytes] = []
    size = 0
    while chunk := resp.read1(64 * 1024 if limit is None else min(64 * 1024, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the download took longer than {DOWNLOAD_DEADLINE} seconds")
    return b"".join(chunks)


def open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open a modal; from inside a modal Slack wants it pushed onto the stack instead."""
    inside = (body.get("container") or {}).get("type") == "view"
    if inside and body.get("view", {}).get("type") == "modal":
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def file_of(client: WebClient, file_id: str) -> dict[str, Any]:
    """A file object with its download URL (``file_shared`` events carry only the id)."""
    try:
        file: dict[str, Any] = client.files_info(file=file_id)["file"]
    except SlackApiError as err:
        raise DownloadError(messages.FILE_NOT_IN_SLACK) from err
    return file
