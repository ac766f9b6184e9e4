"""Exempt requests in Slack: when an author marks a paper exempt on an item the clerk has not
made exempt, the clerks are asked at once (Accept / Reject, with the author's reason); the
answer goes through :mod:`agenda.plan.exempt_requests` and the author is told."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from agenda.board.permissions import Actor
from agenda.errors import InvalidInput
from agenda.plan.exempt_requests import decide_exempt_request
from agenda.plan.papers import Receipt
from bot import errors, messages
from bot.blocks.exempt import ACCEPT_EXEMPT, REJECT_EXEMPT, exempt_request_blocks
from bot.deps import deps_of
from bot.listeners.common import just_ack, slow
from bot.slack import dm


def ask_clerks(client: WebClient, receipt: Receipt, author: str) -> None:
    """Tell the body's clerks about a new exempt request."""
    text = messages.exempt_requested(receipt, author)
    for clerk in receipt.clerk_slack_ids:
        dm(client, clerk, text, exempt_request_blocks(text, receipt.item_id))


@slow
@errors.by_dm
def decide(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    try:
        item_id = int(action["value"])
    except (TypeError, ValueError):
        raise InvalidInput(messages.BUTTON_GONE) from None
    with deps.session() as session:
        decision = decide_exempt_request(
            session,
            actor=Actor.slack(user),
            item_id=item_id,
            accept=action["action_id"] == ACCEPT_EXEMPT,
            now=deps.now(),
        )
    if decision.accepted:
        mine = messages.exempt_accepted_for_clerk(decision.item_title)
        theirs = messages.exempt_accepted_for_author(decision.item_title)
    else:
        mine = messages.exempt_rejected_for_clerk(decision.item_title)
        theirs = messages.exempt_rejected_for_author(decision.item_title)
    dm(client, user, mine)
    for author in decision.author_slack_ids:
        dm(client, author, theirs)


def register(app: App) -> None:
    app.action(ACCEPT_EXEMPT)(ack=just_ack, lazy=[decide])
    app.action(REJECT_EXEMPT)(ack=just_ack, lazy=[decide])
