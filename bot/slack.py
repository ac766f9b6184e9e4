"""Small helpers over the Slack Web API: direct messages and private file downloads."""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import urllib.error
import urllib.parse
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


# Where Slack serves private files from. The token may be sent to these hosts only (over
# HTTPS), and to the configured SLACK_API_URL's own scheme, host and port (the fake Slack in
# tests, a proxy in front of Slack in some deployments).
SLACK_FILE_HOST_SUFFIXES = (".slack.com", ".slack-edge.com", ".slack-files.com")
SLACK_FILE_HOSTS = ("slack.com", "slack-files.com")
MAX_REDIRECTS = 3


def _origin(url: str) -> tuple[str, str, int | None] | None:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port or default


def _is_public(host: str) -> bool:
    """Every address ``host`` resolves to is a public one (not loopback, private, link-local...)."""
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except OSError:
        # No DNS here: acceptable only behind an HTTPS proxy, which resolves the name itself.
        return bool(urllib.request.getproxies().get("https"))
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


def token_may_go_to(url: str, api_url: str | None) -> bool:
    """Whether the bot token may be sent to ``url``: HTTPS to a Slack file host that resolves to
    public addresses, or exactly the configured API origin. Never ``file:``, ``ftp:`` or
    anything else."""
    origin = _origin(url)
    if origin is None or origin[0] not in ("http", "https") or not origin[1]:
        return False
    if api_url is not None and origin == _origin(api_url):
        return True
    scheme, host, port = origin
    slack_host = host in SLACK_FILE_HOSTS or host.endswith(SLACK_FILE_HOST_SUFFIXES)
    return scheme == "https" and port == 443 and slack_host and _is_public(host)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirect *with* the Authorization header to any host: don't."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def download_private_file(
    url: str, token: str, *, limit: int | None = None, api_url: str | None = None
) -> bytes:
    """Fetch a file's bytes with the bot token, from Slack only (:func:`token_may_go_to`).

    Redirects are followed by hand, and only to addresses the token may go to; a redirect
    anywhere else is refused without a request. Slack answers a bad token or a missing
    ``files:read`` scope with 200 and an HTML sign-in page, so check the content type. Error
    messages never contain the token (nor the address, which the payload chose)."""
    deadline = time.monotonic() + DOWNLOAD_DEADLINE
    for _ in range(MAX_REDIRECTS + 1):
        if not token_may_go_to(url, api_url):
            log.warning("refused to send the bot token to a non-Slack file address")
            raise DownloadError(messages.DOWNLOAD_NOT_AT_SLACK)
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        try:
            with _OPENER.open(req, timeout=DOWNLOAD_TIMEOUT) as resp:
                if resp.headers.get_content_type() == "text/html":
                    raise DownloadError(messages.DOWNLOAD_REFUSED)
                return _read_within(resp, limit, deadline)
        except urllib.error.HTTPError as err:
            location = err.headers.get("Location") if 300 <= err.code < 400 else None
            err.close()
            if not location:
                retryable = err.code == 429 or err.code >= 500  # Slack's trouble, not the file's
                raise DownloadError(
                    messages.download_status(err.code), retryable=retryable
                ) from None
            url = urllib.parse.urljoin(url, location)
        except OSError as err:
            raise DownloadError(messages.download_failed(err), retryable=True) from None
    raise DownloadError(messages.DOWNLOAD_TOO_MANY_REDIRECTS)


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
