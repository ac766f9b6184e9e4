"""The environment, read in one place.

Every variable boardclerk reads is a field of :class:`Settings` (the Slack adapter's own
variables are in ``bot/settings.py``, built the same way on :func:`environment`), and every one
is listed in the README's Environment table; tests/test_environment.py fails when one is not.
:func:`current` reads the environment afresh on each call, so a process sees what it was
started with and a test can change a variable for one case. A bad value is a
:class:`~agenda.errors.ConfigError` naming the variable, raised when the settings are read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from agenda.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///boardclerk.db"
DEFAULT_DATA_DIR = "./data"
DEFAULT_MAX_PAPER_MB = 25.0
DEFAULT_RENDER_TIMEOUT = 120.0
DEFAULT_WORD_TIMEOUT = 300.0
DEFAULT_STORE_CACHE_MB = 1024.0
DEFAULT_MAX_PAPER_PAGES = 500
# LibreOffice needs about 1 GB of address space for a big report; 4 GB leaves room and still
# stops a document built to eat the server's memory.
DEFAULT_RENDER_MEMORY_MB = 4096.0

DATABASE_URL = "DATABASE_URL"
DATA_DIR = "BOARDCLERK_DATA_DIR"
CONFIG = "BOARDCLERK_CONFIG"
TEMPLATES_DIR = "BOARDCLERK_TEMPLATES_DIR"
MAX_PAPER_MB = "BOARDCLERK_MAX_PAPER_MB"
RENDER_TIMEOUT = "BOARDCLERK_RENDER_TIMEOUT"
WORD_TIMEOUT = "BOARDCLERK_WORD_TIMEOUT"
RENDER_WORKERS = "BOARDCLERK_RENDER_WORKERS"
STORE = "BOARDCLERK_STORE"
STORE_CACHE_DIR = "BOARDCLERK_STORE_CACHE_DIR"
STORE_CACHE_MB = "BOARDCLERK_STORE_CACHE_MB"
# boto3 reads the other AWS_* variables (region, credentials, retries) itself; the endpoint is
# read here too so a store can be opened from a Settings object alone (tests, store migrate).
S3_ENDPOINT_URL = "AWS_ENDPOINT_URL"
MAX_PAPER_PAGES = "BOARDCLERK_MAX_PAPER_PAGES"
RENDER_MEMORY_MB = "BOARDCLERK_RENDER_MEMORY_MB"
RENDER_NETWORK = "BOARDCLERK_RENDER_NETWORK"
USER = "USER"
PUBLIC_URL = "BOARDCLERK_PUBLIC_URL"
SITE_PATH = "BOARDCLERK_SITE_PATH"
SITE_COLOUR = "BOARDCLERK_SITE_COLOUR"


def environment(env: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """``env`` when given (tests, a caller's own mapping), else the process environment. The
    one place in the product that touches ``os.environ``."""
    return os.environ if env is None else env


def _positive(env: Mapping[str, str], name: str, default: float, what: str) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise ConfigError(
            f"{name} must be a positive number of {what}, not {raw!r}", path="environment"
        )
    return value


def _workers(env: Mapping[str, str]) -> int | None:
    raw = (env.get(RENDER_WORKERS) or "").strip()
    if not raw:
        return None
    try:
        return max(1, int(raw))
    except ValueError:
        raise ConfigError(
            f"{RENDER_WORKERS} must be a whole number of processes, not {raw!r}",
            path="environment",
        ) from None


def _render_network(env: Mapping[str, str]) -> bool:
    raw = (env.get(RENDER_NETWORK) or "").strip().lower()
    if raw not in ("", "allow", "deny"):
        raise ConfigError(
            f"{RENDER_NETWORK} must be 'allow' or 'deny', not {raw!r}", path="environment"
        )
    return raw == "allow"


def _site_path(env: Mapping[str, str]) -> str:
    raw = (env.get(SITE_PATH) or "/").strip()
    if not raw.startswith("/") or "//" in raw or any(c in raw for c in '?#<>"\\ '):
        raise ConfigError(
            f"{SITE_PATH} must be a path such as / or /meetings/, not {raw!r}", path="environment"
        )
    return "/" + raw.strip("/") + "/" if raw.strip("/") else "/"


def _colour(env: Mapping[str, str]) -> str | None:
    raw = (env.get(SITE_COLOUR) or "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", raw):
        raise ConfigError(
            f"{SITE_COLOUR} must be a colour such as #1d4f91, not {raw!r}", path="environment"
        )
    return raw


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)  # papers, built packs, the render cache
    config_file: str | None = None  # imported at start-up by serve/web/worker; the CLI's default
    templates_dir: Path | None = None  # extra house styles in <dir>/styles/<name>/
    max_paper_mb: float = DEFAULT_MAX_PAPER_MB
    render_timeout: float = DEFAULT_RENDER_TIMEOUT  # seconds for one LibreOffice batch
    word_timeout: float = DEFAULT_WORD_TIMEOUT  # seconds to assemble a pack's Word copy
    render_workers: int | None = None  # None: up to two, fewer on a one-core machine
    user: str = "operator"  # who the CLI acts as in the audit trail
    store_url: str = ""  # "s3://bucket/prefix"; empty: files under data_dir
    store_cache_dir: Path | None = None  # the S3 store's read cache; None: data_dir/store-cache
    store_cache_mb: float = DEFAULT_STORE_CACHE_MB
    s3_endpoint_url: str | None = None  # None: AWS itself
    max_paper_pages: int = DEFAULT_MAX_PAPER_PAGES  # PDF papers; authors are told at submission
    render_memory_mb: float = DEFAULT_RENDER_MEMORY_MB  # LibreOffice's address-space limit
    render_network: bool = False  # True: LibreOffice without its network namespace
    public_url: str | None = None  # where the public meeting site is reached from outside
    site_path: str = "/"  # where `boardclerk web` serves the public site
    site_colour: str | None = None  # the organisation's colour on the public site (#rrggbb)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = environment(env)
        templates = env.get(TEMPLATES_DIR)
        cache_dir = env.get(STORE_CACHE_DIR)
        return cls(
            database_url=env.get(DATABASE_URL) or DEFAULT_DATABASE_URL,
            data_dir=Path(env.get(DATA_DIR) or DEFAULT_DATA_DIR),
            config_file=env.get(CONFIG) or None,
            templates_dir=Path(templates) if templates else None,
            max_paper_mb=_positive(env, MAX_PAPER_MB, DEFAULT_MAX_PAPER_MB, "megabytes"),
            render_timeout=_positive(env, RENDER_TIMEOUT, DEFAULT_RENDER_TIMEOUT, "seconds"),
            word_timeout=_positive(env, WORD_TIMEOUT, DEFAULT_WORD_TIMEOUT, "seconds"),
            render_workers=_workers(env),
            user=env.get(USER) or "operator",
            store_url=(env.get(STORE) or "").strip(),
            store_cache_dir=Path(cache_dir) if cache_dir else None,
            store_cache_mb=_positive(env, STORE_CACHE_MB, DEFAULT_STORE_CACHE_MB, "megabytes"),
            s3_endpoint_url=env.get(S3_ENDPOINT_URL) or None,
            max_paper_pages=int(_positive(env, MAX_PAPER_PAGES, DEFAULT_MAX_PAPER_PAGES, "pages")),
            render_memory_mb=_positive(
                env, RENDER_MEMORY_MB, DEFAULT_RENDER_MEMORY_MB, "megabytes"
            ),
            render_network=_render_network(env),
            public_url=(env.get(PUBLIC_URL) or "").strip() or None,
            site_path=_site_path(env),
            site_colour=_colour(env),
        )


def current() -> Settings:
    """The settings of this process, as its environment is now."""
    return Settings.from_env()


__all__ = ["Settings", "current", "environment"]
