"""The buttons on reminder DMs and the clerk's reminder timeline.

An author asks for an extension from a reminder (a modal: date and reason); the clerk and chair
get the request with Approve / Decline; the clerk can pause (and resume) the chasing of an item;
``/boardclerk reminders`` and the App Home's "Reminders" button show who was reminded of what.
The rules (who may decide, what the new deadline means) are in :mod:`agenda.reminders.extensions`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.board.permissions import Actor
from agenda.errors import InvalidInput
from agenda.outbox.timeline import timeline_for_clerk
from agenda.pack.overview import clerk_meetings, item_as_seen, meeting_summary, organisation_tz
from agenda.reminders.extensions import (
    decide_extension,
    extension_form,
    pause_chasing,
    request_extension,
)
from bot import errors, messages
from bot.blocks.common import MODAL_BLOCK_LIMIT, Block, metadata_item, when
from bot.blocks.reminders import (
    APPROVE_EXTENSION,
    ASK_EXTENSION,
    DECLINE_EXTENSION,
    EXTENSION_CALLBACK,
    HOME_REMINDERS,
    PAUSE_CHASING,
    RESUME_CHASING,
    decided_blocks,
    extension_asked_modal,
    extension_modal,
    paused_blocks,
    timeline_blocks,
    timeline_modal,
)
from bot.deps import Deps, deps_of
from bot.listeners.common import just_ack, slow
from bot.slack import dm, open_view

log = logging.getLogger(__name__)

# -- an author asks for more time ------------------------------------------------------------


@slow
@errors.in_modal("Ask for an extension")
def open_extension(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps = deps_of(context)
    with deps.read() as session:
        form = extension_form(
            session, actor=Actor.slack(body["user"]["id"]), item_id=action["value"]
        )
        view = extension_modal(
            item_id=form.item_id,
            title=form.title,
            meeting_ref=form.meeting_ref,
            due_at=form.due_at,
            tz=organisation_tz(session),
        )
    open_view(client, body, view)


@errors.on_field("until")
def submit_extension(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    # One small write in the ack, so a date the rules refuse (before the current deadline,
    # after the meeting) is shown on the form, where the author can fix it.
    deps, user = deps_of(context), body["user"]["id"]
    state = (view.get("state") or {}).get("values") or {}
    chosen = (state.get("until") or {}).get("until", {}).get("selected_date")
    reason = (state.get("reason") or {}).get("reason", {}).get("value")
    try:
        until = dt.date.fromisoformat(chosen) if chosen else None
    except ValueError:
        until = None
    if until is None:
        raise InvalidInput(messages.CHOOSE_NEW_DEADLINE)
    with deps.session() as session:
        request = request_extension(
            session,
            actor=Actor.slack(user),
            item_id=metadata_item(view),
            until=until,
            reason=reason,
            now=deps.now(),
        )
        done = extension_asked_modal(
            item_as_seen(session, request.item_id, user).title,
            request.until,
            organisation_tz(session),
        )
    ack(response_action="update", view=done)


# -- the clerk or chair decides --------------------------------------------------------------


@slow
@errors.by_dm
def decide(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    approve = action["action_id"] == APPROVE_EXTENSION
    with deps.session() as session:
        request = decide_extension(
            session,
            actor=Actor.slack(user),
            request_id=_int(action["value"]),
            approve=approve,
            now=deps.now(),
        )
        title = item_as_seen(session, request.item_id, user).title
        tz = organisation_tz(session)
    if approve:
        text = messages.extension_approved(title, when(request.until, tz), request.requested_by)
    else:
        text = messages.extension_declined(title, request.requested_by)
    _replace_or_dm(client, body, user, text, decided_blocks(text))


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(messages.BUTTON_GONE) from None


def _replace_or_dm(
    client: WebClient, body: dict[str, Any], user: str, text: str, blocks: list[Block]
) -> None:
    """Answer a button on a message by rewriting that message (its buttons go, so nobody
    presses them again); if that cannot be done, by a new DM."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts")
    if container.get("type") == "message" and channel and ts:
        try:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
            return
        except SlackApiError as err:
            log.warning("could not update the request message: %s", err.response.get("error"))
    dm(client, user, text)


# -- the clerk pauses or resumes chasing -----------------------------------------------------


@slow
@errors.by_dm
def pause(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    paused = action["action_id"] == PAUSE_CHASING
    with deps.session() as session:
        result = pause_chasing(
            session,
            actor=Actor.slack(user),
            item_id=action["value"],
            paused=paused,
            now=deps.now(),
        )
        item = item_as_seen(session, action["value"], user)
    if paused:
        text = messages.chasing_paused(item.title, result.cancelled)
    else:
        text = messages.chasing_resumed(item.title)
    dm(client, user, text, blocks=paused_blocks(text, item.id, paused=paused))


# -- the timeline: App Home's button and /boardclerk reminders [MEETING] ---------------------


@slow
@errors.in_modal(messages.REMINDERS)
def open_timeline(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    blocks = reminders_blocks(
        deps_of(context), body["user"]["id"], action["value"], limit=MODAL_BLOCK_LIMIT
    )
    open_view(client, body, timeline_modal(blocks))


def reminders_blocks(
    deps: Deps, user: str, meeting_ref: str | None, *, limit: int = 50
) -> list[Block]:
    """The meeting's reminder timeline, for its clerk only. Without a meeting: the clerk's
    next one."""
    with deps.read() as session:
        if meeting_ref is None:
            mine = clerk_meetings(session, user, deps.now())
            if not mine:
                raise InvalidInput(messages.NO_CLERKED_REMINDERS)
            meeting_ref = mine[0].ref
        entries = timeline_for_clerk(session, meeting_ref, Actor.slack(user))
        meeting = meeting_summary(session, meeting_ref)
        return timeline_blocks(
            meeting_ref=meeting.ref,
            body_name=meeting.body_name,
            starts_at=meeting.starts_at,
            entries=entries,
            tz=organisation_tz(session),
            limit=limit,
        )


def reminders_command(deps: Deps, user: str, args: list[str]) -> dict[str, Any]:
    blocks = reminders_blocks(deps, user, args[0] if args else None)
    return {"text": messages.REMINDERS, "blocks": blocks}


def register(app: App) -> None:
    app.action(ASK_EXTENSION)(ack=just_ack, lazy=[open_extension])
    app.view(EXTENSION_CALLBACK)(submit_extension)
    app.action(APPROVE_EXTENSION)(ack=just_ack, lazy=[decide])
    app.action(DECLINE_EXTENSION)(ack=just_ack, lazy=[decide])
    app.action(PAUSE_CHASING)(ack=just_ack, lazy=[pause])
    app.action(RESUME_CHASING)(ack=just_ack, lazy=[pause])
    app.action(HOME_REMINDERS)(ack=just_ack, lazy=[open_timeline])
