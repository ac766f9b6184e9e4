"""The end-to-end harness for the Slack app: the real Flask app served by werkzeug on
loopback, pointed at :class:`FakeSlack`, with the sample board loaded."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from agenda.board.lookup import get_meeting
from agenda.board.models import ForwardPlanItem, Paper
from agenda.clock import FixedClock
from agenda.db.engine import transaction
from agenda.filestore import FileStore, LocalFileStore
from bot.app import create_app
from bot.settings import Settings
from tests.support.boards import load_sample_board, meeting_refs
from tests.support.fakeslack import BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack, SlackSide, wait_for


@dataclass
class Bot:
    fake: FakeSlack
    slack: SlackSide
    engine: Engine
    store: FileStore
    clock: FixedClock
    url: str

    @property
    def meetings(self) -> list[str]:
        return meeting_refs(self.clock.now().date())

    @contextmanager
    def session(self) -> Iterator[Session]:
        with transaction(self.engine) as session:
            yield session

    def item_id(self, title: str) -> int:
        with self.session() as s:
            return s.scalar(select(ForwardPlanItem.id).where(ForwardPlanItem.title == title))

    def papers(self, title: str) -> list[Paper]:
        with self.session() as s:
            return list(
                s.scalars(
                    select(Paper)
                    .join(ForwardPlanItem)
                    .where(ForwardPlanItem.title == title)
                    .order_by(Paper.version)
                )
            )

    def paper_count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count(Paper.id))) or 0

    def meeting_id(self, ref: str) -> int:
        with self.session() as s:
            return get_meeting(s, ref).id

    def opened_view(
        self, callback_id: str | None = None, *, after: int = 0, timeout: float = 5
    ) -> dict[str, Any]:
        """The last modal the app opened/pushed/updated (waits for it), with the fake's id."""

        def find() -> dict[str, Any] | None:
            calls = [
                (n, c)
                for n, c in enumerate(self.fake.calls[after:], start=after)
                if c.method in ("views.open", "views.push", "views.update")
            ]
            for n, call in reversed(calls):
                view = dict(call.body["view"])
                if callback_id is None or view.get("callback_id") == callback_id:
                    # Slack gives every opened modal its own id (and every state a hash).
                    view.setdefault("id", call.body.get("view_id") or f"V{n}")
                    view.setdefault("hash", f"h{n}")
                    return view
            return None

        return wait_for(find, timeout=timeout)

    def dm_to(self, user: str, containing: str, timeout: float = 5) -> str:
        """Wait for a DM to ``user`` containing the text; return the whole message."""

        def find() -> str | None:
            return next((t for t in self.fake.dm_texts(user) if containing in t), None)

        return wait_for(find, timeout=timeout)

    def ask(self, user: str, text: str, timeout: float = 5) -> str:
        """Type ``/boardclerk TEXT``; return the reply the user sees: the ack's body, or what
        the app posted to the command's response_url."""
        mark = len(self.fake.calls)
        resp = self.slack.command(user, text)
        assert resp.status == 200, resp
        if resp.body:
            return resp.body.decode()
        call = wait_for(lambda: self.calls_since(mark, "response_url"), timeout=timeout)[0]
        assert call.body.get("response_type") == "ephemeral"
        return call.raw.decode()

    def calls_since(self, mark: int, method: str) -> list[Call]:
        return [c for c in self.fake.calls[mark:] if c.method == method]


@contextmanager
def running_bot(
    engine: Engine,
    clock: FixedClock,
    data_dir: Path,
    *,
    load_board: bool = True,
    store: FileStore | None = None,
) -> Iterator[Bot]:
    fake = FakeSlack().start()
    if load_board:
        load_sample_board(engine, clock.now())
    settings = Settings(signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN, api_url=fake.base_url)
    store = store or LocalFileStore(data_dir)
    _bolt, flask_app = create_app(settings, engine, store, clock=clock)
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield Bot(
            fake=fake,
            slack=SlackSide(f"{base}/slack/events", hooks_url=f"{fake.root}hooks/"),
            engine=engine,
            store=store,
            clock=clock,
            url=base,
        )
    finally:
        server.shutdown()
        server.server_close()
        fake.stop()


def values(**fields: Any) -> dict[str, dict[str, Any]]:
    """Build ``view.state.values`` for the submit/add-item modals from field values.
    Strings are text inputs; ``("select", v)`` a static select; lists of files, users or
    checked values by field name."""
    out: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        block = name
        if isinstance(value, tuple) and value[0] == "select":
            state: dict[str, Any] = {
                "type": "static_select",
                "selected_option": {"value": value[1]} if value[1] else None,
            }
        elif name == "file":
            state = {"type": "file_input", "files": value}
        elif name == "authors" and isinstance(value, list):
            state = {"type": "multi_users_select", "selected_users": value}
        elif name == "exempt":
            state = {"type": "checkboxes", "selected_options": [{"value": v} for v in value]}
        else:
            state = {"type": "plain_text_input", "value": value}
        action = "submit_item" if name == "item" else name
        out[block] = {action: state}
    return out


def submit_values(view: dict[str, Any], **fields: Any) -> dict[str, dict[str, Any]]:
    """State for the submit modal as the app built it: block ids taken from the view."""
    by_action = {}
    for block in view["blocks"]:
        if block.get("type") == "input":
            by_action[block["element"]["action_id"]] = block["block_id"]
    raw = values(**fields)
    return {by_action.get(next(iter(v)), k): v for k, v in raw.items()}


NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
