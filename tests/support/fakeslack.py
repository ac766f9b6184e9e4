"""A fake Slack for end-to-end tests: the Web API, private file downloads and file uploads
on loopback, plus a client that signs requests to the app as Slack signs them.

Only the stdlib serves it (``ThreadingHTTPServer`` on ``127.0.0.1:0``); every call is
recorded so tests can assert on what the app said to whom. Per-test overrides make a method
fail (``fake.respond("chat.postMessage", error="user_not_found")``) or rate-limit it
(``fake.respond("chat.postMessage", status=429, retry_after=30)``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_sdk.signature import SignatureVerifier

BOT_TOKEN = "xoxb-test"
SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOTUSER"


@dataclass
class Call:
    """One request the app made to the fake."""

    method: str  # "chat.postMessage", or a path for downloads/uploads
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]  # parsed JSON/form/query (view objects stay objects)
    raw: bytes
    token: str | None

    @property
    def text(self) -> str:
        """Everything a person would read in a message or view: text plus all block text."""
        parts = [str(self.body.get("text") or "")]
        for key in ("blocks", "view"):
            value = self.body.get(key)
            if isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            parts.extend(_strings(value))
        return "\n".join(p for p in parts if p)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if key in ("text", "placeholder", "initial_value", "label") and isinstance(item, str):
                out.append(item)
            else:
                out.extend(_strings(item))
        return out
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@dataclass
class _Override:
    handler: Callable[[Call], tuple[int, dict[str, str], Any]]
    times: int | None


@dataclass
class FakeSlack:
    valid_tokens: set[str] = field(default_factory=lambda: {BOT_TOKEN})
    calls: list[Call] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    file_data: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: dict[str, list[_Override]] = field(default_factory=dict)
    # False: downloads get Slack's HTML sign-in page, as when the app lacks files:read.
    files_read_granted: bool = True
    # file id -> address: the download answers 302 there (a redirect to another host).
    file_redirects: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                fake._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self.root = f"http://127.0.0.1:{self.port}/"
        self.base_url = f"{self.root}api/"  # trailing slash: slack_sdk urljoins onto it

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test set-up -----------------------------------------------------------------------

    def add_file(
        self, data: bytes, name: str, *, user: str = "U0AUTH001", mimetype: str | None = None
    ) -> dict[str, Any]:
        """A file as Slack would describe it to the app (``files.info`` / ``file_input``)."""
        file_id = f"F{next(self._ids):06d}"
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        url = f"{self.root}files-pri/{TEAM_ID}-{file_id}/{urllib.parse.quote(name)}"
        obj = {
            "id": file_id,
            "name": name,
            "title": name,
            "filetype": ext,
            "user": user,
            "mimetype": mimetype
            or {"pdf": "application/pdf"}.get(
                ext, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            "size": len(data),
            "url_private": url,
            "url_private_download": url + "?download=1",
            "permalink": f"https://example.slack.com/files/{user}/{file_id}/{name}",
        }
        with self._lock:
            self.files[file_id] = obj
            self.file_data[file_id] = data
        return obj

    def add_user(self, user_id: str, real_name: str, **extra: Any) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": real_name.lower().replace(" ", "."),
            "real_name": real_name,
            "tz": "Europe/London",
            "profile": {"real_name": real_name, "display_name": real_name},
            **extra,
        }

    def respond(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        body: dict[str, Any] | None = None,
        times: int | None = 1,
    ) -> None:
        """Make ``method`` answer differently ``times`` times (None: until cleared)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        if body is None:
            body = {
                "ok": False,
                "error": error or ("ratelimited" if status == 429 else "fatal_error"),
            }
        answer = (status, headers, body)
        self.overrides.setdefault(method, []).append(_Override(lambda _c: answer, times))

    def override(
        self, method: str, handler: Callable[[Call], dict[str, Any]], times: int | None = None
    ) -> None:
        self.overrides.setdefault(method, []).append(
            _Override(lambda c: (200, {}, handler(c)), times)
        )

    # -- assertions ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def messages(self, channel: str | None = None) -> list[Call]:
        """chat.postMessage calls, optionally to one channel (a user's DM is ``D`` + user)."""
        return [
            c
            for c in self.calls_to("chat.postMessage")
            if channel is None or c.body.get("channel") == channel
        ]

    def dm_texts(self, user: str) -> list[str]:
        return [c.text for c in self.messages(dm_channel(user))]

    def channel_texts(self) -> list[str]:
        """Everything posted anywhere other than a DM (public or private channels)."""
        return [
            c.text
            for c in self.calls_to("chat.postMessage")
            if not str(c.body.get("channel", "")).startswith("D")
        ]

    # -- the server ------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        path, _, query = h.path.partition("?")
        headers = {k.lower(): v for k, v in h.headers.items()}
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None

        if path.startswith("/upload/v1/"):
            # slack_sdk posts the raw bytes with a form content type: keep them unparsed.
            file_id = path.rsplit("/", 1)[-1]
            self._record(Call("upload", headers, {"file_id": file_id}, raw, token))
            with self._lock:
                self.uploads.setdefault(file_id, {})["data"] = raw
            return self._send(
                h, 200, {"Content-Type": "text/plain"}, b"OK - " + str(len(raw)).encode()
            )

        if path.startswith("/hooks/"):
            # A command's response_url: the app's reply to the user who typed it.
            body = json.loads(raw) if raw else {}
            self._record(Call("response_url", headers, body, raw, token))
            return self._send(h, 200, {"Content-Type": "text/plain"}, b"ok")

        if path.startswith("/files-pri/"):
            self._record(Call("download", headers, {"path": path}, raw, token))
            file_id = path.split("/")[2].split("-", 1)[1]
            if file_id in self.file_redirects:
                return self._send(h, 302, {"Location": self.file_redirects[file_id]}, b"")
            if self.files_read_granted and token in self.valid_tokens and file_id in self.file_data:
                return self._send(
                    h, 200, {"Content-Type": "application/octet-stream"}, self.file_data[file_id]
                )
            # Real Slack answers a bad token with 200 and its HTML sign-in page.
            page = (
                b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"
            )
            return self._send(h, 200, {"Content-Type": "text/html; charset=utf-8"}, page)

        body = self._parse(headers.get("content-type", ""), raw, query)
        token = token or body.get("token")
        method = path[len("/api/") :] if path.startswith("/api/") else path.lstrip("/")
        call = Call(method, headers, body, raw, token)
        self._record(call)

        override = self._take_override(method)
        if override is not None:
            status, extra, answer = override.handler(call)
            return self._send(
                h,
                status,
                {"Content-Type": "application/json", **extra},
                json.dumps(answer).encode(),
            )
        if method == "oauth.v2.access":
            answer = self._oauth_access(body)
        elif token not in self.valid_tokens:
            answer = {"ok": False, "error": "invalid_auth"}
        else:
            answer = self._api(method, body)
        self._send(h, 200, {"Content-Type": "application/json"}, json.dumps(answer).encode())

    def _take_override(self, method: str) -> _Override | None:
        with self._lock:
            queue = self.overrides.get(method) or []
            if not queue:
                return None
            first = queue[0]
            if first.times is not None:
                first.times -= 1
                if first.times <= 0:
                    queue.pop(0)
            return first

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    @staticmethod
    def _parse(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
        body: dict[str, Any] = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        if "application/json" in content_type and raw:
            body.update(json.loads(raw))
        elif raw:
            body.update({k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()})
        for key in ("view", "files"):  # form-encoded methods send these as JSON strings
            if isinstance(body.get(key), str):
                with contextlib.suppress(ValueError):
                    body[key] = json.loads(body[key])
        return body

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], data: bytes) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _oauth_access(self, body: dict[str, Any]) -> dict[str, Any]:
        self.valid_tokens.add("xoxb-installed")
        return {
            "ok": True,
            "app_id": "A0TEST",
            "access_token": "xoxb-installed",
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": "T_NEW", "name": "New Team"},
            "enterprise": None,
            "authed_user": {"id": "U0INSTALLER"},
            "is_enterprise_install": False,
        }

    def _api(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.6f}"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Test",
                "user": "boardclerk",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0BOT",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": ts,
                "message": {"text": body.get("text"), "ts": ts},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            view = body.get("view") or {}
            return {
                "ok": True,
                "view": {
                    **view,
                    "id": body.get("view_id") or f"V{next(self._ids)}",
                    "hash": f"h{next(self._ids)}",
                },
            }
        if method == "conversations.open":
            users = str(body.get("users", ""))
            return {"ok": True, "channel": {"id": dm_channel(users.split(",")[0])}}
        if method == "conversations.history":
            # What the app posted to the channel, newest first; metadata only when asked for.
            metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
            posted = [c.body for c in self.messages(str(body.get("channel")))]
            history = [
                {
                    "type": "message",
                    "ts": f"{n}.000000",
                    "text": b.get("text") or "",
                    **({"metadata": b["metadata"]} if metadata and b.get("metadata") else {}),
                }
                for n, b in enumerate(posted, 1)
            ][::-1]
            limit = int(body.get("limit") or 100)
            return {"ok": True, "messages": history[:limit], "has_more": len(history) > limit}
        if method == "users.info":
            user = self.users.get(str(body.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": user}
        if method == "files.info":
            obj = self.files.get(str(body.get("file")))
            return {"ok": True, "file": obj} if obj else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"FUP{next(self._ids):05d}"
            with self._lock:
                self.uploads[file_id] = {
                    "filename": body.get("filename"),
                    "length": int(body.get("length", 0)),
                }
            return {"ok": True, "upload_url": f"{self.root}upload/v1/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = body.get("files") or []
            with self._lock:
                for f in files:
                    self.uploads.setdefault(f["id"], {}).update(
                        title=f.get("title"),
                        channel=body.get("channel_id"),
                        initial_comment=body.get("initial_comment"),
                    )
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": True}

    def uploaded(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Files completed by files_upload_v2, each with filename, title, channel and data."""
        with self._lock:
            done = [u for u in self.uploads.values() if "channel" in u and "data" in u]
        return [u for u in done if channel is None or u["channel"] == channel]


def dm_channel(user: str) -> str:
    """The fake's DM conversation id for a user."""
    return "D" + user.lstrip("U")


# -- the Slack side of the app's own endpoint ------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def post_signed(
    url: str,
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    ts: float | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Response:
    """POST to the app exactly as Slack does: ``v0=HMAC-SHA256(secret, "v0:ts:body")``."""
    stamp = str(int(ts if ts is not None else time.time()))
    sig = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    h = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sig,
        **(headers or {}),
    }
    req = urllib.request.Request(url, data=body.encode(), headers=h, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Response(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        return Response(err.code, dict(err.headers), err.read())


@dataclass
class SlackSide:
    """Sends what Slack would send when a user acts: commands, interactions, events."""

    url: str
    team_id: str = TEAM_ID
    hooks_url: str = "https://hooks.slack.test/"  # the fake's root + "hooks/" in tests
    secret: str = SIGNING_SECRET
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def command(
        self,
        user: str,
        text: str = "",
        *,
        command: str = "/boardclerk",
        channel: str = "C0GENERAL",
        **kw: Any,
    ) -> Response:
        form = {
            "token": "legacy",
            "team_id": self.team_id,
            "channel_id": channel,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "response_url": f"{self.hooks_url}commands/{next(self._ids)}",
            "trigger_id": f"trig.{next(self._ids)}",
            "api_app_id": "A0TEST",
        }
        kw.setdefault("secret", self.secret)
        return post_signed(
            self.url, urllib.parse.urlencode(form), "application/x-www-form-urlencoded", **kw
        )

    def interact(self, payload: dict[str, Any], **kw: Any) -> Response:
        payload = {
            "team": {"id": self.team_id},
            "api_app_id": "A0TEST",
            "trigger_id": f"trig.{next(self._ids)}",
            **payload,
        }
        kw.setdefault("secret", self.secret)
        return post_signed(
            self.url,
            urllib.parse.urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
            **kw,
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **kw: Any,
    ) -> Response:
        body = {
            "token": "legacy",
            "team_id": self.team_id,
            "api_app_id": "A0TEST",
            "type": "event_callback",
            "event": event,
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        headers = dict(kw.pop("headers", {}) or {})
        if retry_num is not None:
            headers.update(
                {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            )
        kw.setdefault("secret", self.secret)
        return post_signed(self.url, json.dumps(body), "application/json", headers=headers, **kw)

    # Interactions built from the views the app opened ---------------------------------------

    def submit_view(
        self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]], **kw: Any
    ) -> Response:
        """Submit ``view`` (as the app sent it) with ``values``: {block_id: {action_id: state}}."""
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": self.team_id},
            "view": {
                **view,
                "id": view.get("id", "V1"),
                "team_id": self.team_id,
                "state": {"values": values},
            },
        }
        return self.interact(payload, **kw)

    def click(
        self,
        user: str,
        action_id: str,
        value: str = "",
        *,
        view: dict[str, Any] | None = None,
        channel: str | None = None,
        block_id: str = "b",
        **kw: Any,
    ) -> Response:
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.team_id},
            "actions": [action],
            "response_url": "https://hooks.slack.test/a/1",
        }
        if view is not None:
            payload["view"] = {
                **view,
                "id": view.get("id", "V1"),
                "hash": "h1",
                "state": {"values": {}},
            }
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        if channel is not None:
            payload["channel"] = {"id": channel}
            payload["container"] = {"type": "message", "channel_id": channel, "message_ts": "1.1"}
            payload["message"] = {"ts": "1.1", "text": ""}
        return self.interact(payload, **kw)

    def select(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        view: dict[str, Any],
        block_id: str = "b",
        **kw: Any,
    ) -> Response:
        action = {
            "type": "static_select",
            "action_id": action_id,
            "block_id": block_id,
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
            "action_ts": f"{time.time():.6f}",
        }
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.team_id},
            "actions": [action],
            "container": {"type": "view", "view_id": view.get("id", "V1")},
            "view": {**view, "id": view.get("id", "V1"), "hash": "h1", "state": {"values": {}}},
        }
        return self.interact(payload, **kw)


def wait_for(pred: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02) -> Any:
    """Poll ``pred`` until it returns something truthy (lazy listeners finish after the ack)."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {pred!r}")
        time.sleep(interval)
