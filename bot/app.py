"""The Slack app: a Bolt app plus the Flask app that serves it over HTTP.

``create_app`` builds both from settings, an engine and a file store; nothing is created at
import time, so tests and benchmarks can point the app at a fake Slack and a temporary
database. The same Bolt app serves Socket Mode (``bot.serve``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, Response, request
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, text

from agenda import settings as agenda_settings
from agenda.clock import Clock
from agenda.db.engine import reader
from agenda.filestore import FileStore
from agenda.jobs.queue import first_delivery, request_key
from bot.deps import DEPS_KEY, Deps, deps_of
from bot.listeners import register_all
from bot.settings import Settings
from bot.site import site_blueprint
from bot.slack import web_client

log = logging.getLogger(__name__)

# The same list as slack/manifest.yml (a test keeps them equal).
BOT_SCOPES = ["commands", "chat:write", "files:read", "files:write", "im:history", "im:write"]
LISTENER_THREADS = 32
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    """Tokens of every workspace that installed the app (tables made by migration 0004)."""
    assert settings.client_id
    return SQLAlchemyInstallationStore(
        client_id=settings.client_id, engine=engine, logger=logging.getLogger("boardclerk.oauth")
    )


def _client(settings: Settings, token: str | None) -> WebClient:
    """The app's Web API client (Bolt copies it, retry handlers included, per request)."""
    return web_client(settings.api_url, token)


def _bolt_app(settings: Settings, engine: Engine) -> App:
    common: dict[str, Any] = {
        "signing_secret": settings.signing_secret or None,
        # Socket Mode requests are not signed; HTTP requests always are.
        "request_verification_enabled": bool(settings.signing_secret),
        "name": "boardclerk",
        # Bolt's default pool has 5 threads shared by acks and lazy parts; 20 requests at
        # once would queue acks behind slow lazy work (downloads, modal building).
        "listener_executor": ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="bolt"
        ),
    }
    if settings.oauth:
        store = installation_store(settings, engine)
        oauth = OAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=BOT_SCOPES,
            installation_store=store,
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
        )
        # cache_enabled: without it every request costs an auth.test round trip (stack.md 1.7).
        authorize = InstallationStoreAuthorize(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            installation_store=store,
            cache_enabled=True,
            logger=logging.getLogger("boardclerk.oauth"),
        )
        app = App(
            client=_client(settings, None),
            oauth_settings=oauth,
            # App takes an Authorize instance as it is (isinstance check); only its hint is narrow.
            authorize=authorize,  # type: ignore[arg-type]
            **common,
        )
        app.enable_token_revocation_listeners()  # app_uninstalled / tokens_revoked
        return app
    app = App(client=_client(settings, settings.bot_token), **common)

    def token_gone(event: dict[str, Any]) -> None:
        # Single workspace: the token lives in the environment; someone has to replace it.
        log.warning(
            "Slack says the app was uninstalled or its token revoked (%s); "
            "SLACK_BOT_TOKEN no longer works",
            event.get("type"),
        )

    app.event("app_uninstalled")(token_gone)
    app.event("tokens_revoked")(token_gone)
    return app


def create_app(
    settings: Settings, engine: Engine, store: FileStore, *, clock: Clock | None = None
) -> tuple[App, Flask]:
    deps = Deps(settings=settings, engine=engine, store=store, clock=clock or Clock())
    app = _bolt_app(settings, engine)

    def provide_deps(
        context: BoltContext,
        next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's name
    ) -> BoltResponse:
        # Every listener finds the database, store, clock and settings here (bot.deps.deps_of).
        context[DEPS_KEY] = deps
        return next()

    app.use(provide_deps)
    app.use(process_each_event_once)
    app.use(act_on_each_signed_request_once)
    register_all(app)
    flask_app = _flask_app(app, settings, engine)
    env = agenda_settings.current()
    flask_app.register_blueprint(
        site_blueprint(deps, path=env.site_path, colour=env.site_colour, public_url=env.public_url)
    )
    return app, flask_app


def process_each_event_once(
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's name
) -> BoltResponse:
    # Slack re-sends an event it thinks was lost; the ledger's unique key lets one through.
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    deps = deps_of(context)
    if event_id and not first_delivery(deps.engine, event_id, now=deps.now()):
        return BoltResponse(status=200, body="")
    return next()


def act_on_each_signed_request_once(
    req: BoltRequest,
    body: dict[str, Any],
    context: BoltContext,
    next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's name
) -> BoltResponse:
    # A signed request replayed within Slack's 5-minute window (same signature and timestamp)
    # is answered but not acted on again. Runs after the signature check. Events are already
    # kept to once by their event_id.
    if body.get("type") == "event_callback":
        return next()
    signature = _header(req, "x-slack-signature")
    stamp = _header(req, "x-slack-request-timestamp")
    if signature and stamp:
        deps = deps_of(context)
        key = request_key("signed", signature, stamp)
        if not first_delivery(deps.engine, key, now=deps.now()):
            log.info("replayed request ignored")
            return BoltResponse(status=200, body="")
    return next()


def _header(req: BoltRequest, name: str) -> str | None:
    values = req.headers.get(name) or []
    return values[0] if values else None


def _flask_app(app: App, settings: Settings, engine: Engine) -> Flask:
    flask_app = Flask("boardclerk")
    handler = SlackRequestHandler(app)

    @flask_app.post("/slack/events")
    def slack_events() -> Any:
        return handler.handle(request)

    @flask_app.get("/healthz")
    def healthz() -> Response:
        # Liveness: this process answers. Touches nothing, so it answers in milliseconds even
        # while a build runs (an orchestrator must not restart us mid-build).
        return Response("ok\n", status=200, mimetype="text/plain")

    read_only = reader(engine)

    @flask_app.get("/readyz")
    def readyz() -> Response:
        # Readiness: the database answers a read. Takes no write lock (SQLite WAL).
        try:
            with read_only.connect() as conn:
                conn.execute(text("SELECT 1"))
                conn.rollback()
        except Exception as err:  # noqa: BLE001 - any failure means "not ready"
            log.warning("readiness check failed: %s", type(err).__name__)
            return Response("database unreachable\n", status=503, mimetype="text/plain")
        return Response("ok\n", status=200, mimetype="text/plain")

    if settings.oauth:

        @flask_app.get(INSTALL_PATH)
        def slack_install() -> Any:
            return handler.handle(request)

        @flask_app.get(REDIRECT_PATH)
        def slack_oauth_redirect() -> Any:
            return handler.handle(request)

    return flask_app
