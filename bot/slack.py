"""Small helpers over the Slack Web API: direct messages and private file downloads."""

from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.errors import BoardclerkError
from bot import messages

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30


class DownloadError(BoardclerkError):
    """Slack would not hand over the file's bytes. The message is fit for the author."""


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
    for _ in range(MAX_REDIRECTS + 1):
        if not token_may_go_to(url, api_url):
            log.warning("refused to send the bot token to a non-Slack file address")
            raise DownloadError(messages.DOWNLOAD_NOT_AT_SLACK)
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        try:
            with _OPENER.open(req, timeout=DOWNLOAD_TIMEOUT) as resp:
                if resp.headers.get_content_type() == "text/html":
                    raise DownloadError(messages.DOWNLOAD_REFUSED)
                data: bytes = resp.read(limit + 1) if limit else resp.read()
                return data
        except urllib.error.HTTPError as err:
            location = err.headers.get("Location") if 300 <= err.code < 400 else None
            err.close()
            if not location:
                raise DownloadError(messages.download_status(err.code)) from None
            url = urllib.parse.urljoin(url, location)
        except OSError as err:
            raise DownloadError(messages.download_failed(err)) from None
    raise DownloadError(messages.DOWNLOAD_TOO_MANY_REDIRECTS)


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
