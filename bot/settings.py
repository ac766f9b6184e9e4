"""The Slack app's settings, read from the environment (see DESIGN.md, Environment).

Built like :class:`agenda.settings.Settings`, on the same :func:`agenda.settings.environment`,
so the two settings modules are the only readers of the environment; every variable here is in
the README's Environment table too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agenda.settings import environment

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_WEB_THREADS = 8
DEFAULT_WEB_CONCURRENCY = 2


@dataclass(frozen=True)
class Settings:
    signing_secret: str
    bot_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    port: int = DEFAULT_PORT

    @property
    def oauth(self) -> bool:
        """Multi-workspace install: tokens come from the installation store, not the env."""
        return bool(self.client_id and self.client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = environment(env)
        api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.endswith("/"):
            api_url += "/"  # slack_sdk urljoins method names: without the slash the path is lost
        settings = cls(
            signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            client_id=env.get("SLACK_CLIENT_ID") or None,
            client_secret=env.get("SLACK_CLIENT_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=api_url,
            port=int(env.get("PORT") or DEFAULT_PORT),
        )
        settings.check()
        return settings

    def check(self) -> None:
        missing = []
        if not self.signing_secret and not self.socket_mode:
            missing.append("SLACK_SIGNING_SECRET")
        if not self.bot_token and not self.oauth:
            missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        if missing:
            raise SettingsError("Set " + " and ".join(missing) + " to run the Slack app.")


def web_threads(env: Mapping[str, str] | None = None) -> int:
    """Request threads per process: ``$WEB_THREADS``, else 8."""
    return int(environment(env).get("WEB_THREADS") or DEFAULT_WEB_THREADS)


def web_concurrency(env: Mapping[str, str] | None = None) -> int:
    """``boardclerk web``'s gunicorn processes: ``$WEB_CONCURRENCY``, else 2."""
    return int(environment(env).get("WEB_CONCURRENCY") or DEFAULT_WEB_CONCURRENCY)


class SettingsError(RuntimeError):
    """The environment does not describe a usable Slack app."""
