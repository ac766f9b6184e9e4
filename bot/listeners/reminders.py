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

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from agenda.board.due import item_due_at
from agenda.board.lookup import get_item, get_meeting
from agenda.board.permissions import Actor, is_author, is_clerk, require_clerk
from agenda.errors import BoardclerkError, InvalidInput
from agenda.outbox.timeline import reminder_timeline
from agenda.reminders.extensions import decide_extension, pause_chasing, request_extension
from bot.deps import Deps
from bot.listeners.common import clerk_meetings, open_view, org_tz, slow
from bot.reminder_views import (
    APPROVE_EXTENSION,
    ASK_EXTENSION,
    DECLINE_EXTENSION,
    EXTENSION_CALLBACK,
    HOME_REMINDERS,
    MODAL_BLOCK_LIMIT,
    PAUSE_CHASING,
    RESUME_CHASING,
    decided_blocks,
    extension_asked_modal,
    extension_modal,
    paused_blocks,
    timeline_blocks,
    timeline_modal,
)
from bot.slack import dm
from bot.views import Block, escape, info_modal, metadata_of, when

log = logging.getLogger(__name__)


def _ack(ack: Ack) -> None:
    ack()


def register(app: App, deps: Deps) -> None:
    # -- an author asks for more time ------------------------------------------------------

    @slow
    def open_extension(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        actor = Actor.slack(body["user"]["id"])
        try:
            with deps.read() as session:
                item = get_item(session, action["value"])
                if not (is_author(item, actor) or is_clerk(session, item.body, actor)):
                    raise InvalidInput(
                        f"You are not named as an author of '{item.title}', so "
                        "you cannot ask for an extension for it."
                    )
                view = extension_modal(
                    item_id=item.id,
                    title=item.title,
                    meeting_ref=item.meeting.ref if item.meeting else "",
                    due_at=item_due_at(item),
                    tz=org_tz(session),
                )
        except BoardclerkError as err:
            view = info_modal("Ask for an extension", f":x: {escape(str(err))}")
        open_view(client, body, view)

    app.action(ASK_EXTENSION)(ack=_ack, lazy=[open_extension])

    def submit_extension(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        # One small write in the ack, so a date the rules refuse (before the current deadline,
        # after the meeting) is shown on the form, where the author can fix it.
        state = (view.get("state") or {}).get("values") or {}
        chosen = (state.get("until") or {}).get("until", {}).get("selected_date")
        reason = (state.get("reason") or {}).get("reason", {}).get("value")
        try:
            until = dt.date.fromisoformat(chosen) if chosen else None
        except ValueError:
            until = None
        if until is None:
            ack(response_action="errors", errors={"until": "Choose the date you need."})
            return
        try:
            with deps.session() as session:
                request = request_extension(
                    session,
                    actor=Actor.slack(body["user"]["id"]),
                    item_id=metadata_of(view)["item"],
                    until=until,
                    reason=reason,
                    now=deps.now(),
                )
                done = extension_asked_modal(
                    request_title(session, request.item_id), request.until, org_tz(session)
                )
        except BoardclerkError as err:
            ack(response_action="errors", errors={"until": str(err)})
            return
        ack(response_action="update", view=done)

    app.view(EXTENSION_CALLBACK)(submit_extension)

    # -- the clerk or chair decides --------------------------------------------------------

    @slow
    def decide(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        approve = action["action_id"] == APPROVE_EXTENSION
        try:
            with deps.session() as session:
                request = decide_extension(
                    session,
                    actor=Actor.slack(user),
                    request_id=_int(action["value"]),
                    approve=approve,
                    now=deps.now(),
                )
                title = request_title(session, request.item_id)
                tz = org_tz(session)
        except BoardclerkError as err:
            dm(client, user, f":x: {err}")
            return
        if approve:
            text = (
                f":white_check_mark: You approved the extension for *{escape(title)}*: it is "
                f"now due by {when(request.until, tz)}, and its reminders follow. "
                f"<@{request.requested_by}> will be told."
            )
        else:
            text = (
                f"You declined the extension for *{escape(title)}*; the deadline stands. "
                f"<@{request.requested_by}> will be told."
            )
        _replace_or_dm(client, body, user, text, decided_blocks(text))

    app.action(APPROVE_EXTENSION)(ack=_ack, lazy=[decide])
    app.action(DECLINE_EXTENSION)(ack=_ack, lazy=[decide])

    # -- the clerk pauses or resumes chasing -----------------------------------------------

    @slow
    def pause(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        paused = action["action_id"] == PAUSE_CHASING
        try:
            with deps.session() as session:
                result = pause_chasing(
                    session,
                    actor=Actor.slack(user),
                    item_id=action["value"],
                    paused=paused,
                    now=deps.now(),
                )
                item = get_item(session, action["value"])
                title, item_id = item.title, item.id
        except BoardclerkError as err:
            dm(client, user, f":x: {err}")
            return
        if paused:
            text = (
                f":double_vertical_bar: Chasing paused for *{escape(title)}*: no more "
                f"reminders to its authors or escalations about it ({result.cancelled} "
                "cancelled) until you resume."
            )
        else:
            text = (
                f":arrow_forward: Chasing resumed for *{escape(title)}*: its authors will be "
                "reminded again while the paper is outstanding."
            )
        dm(client, user, text, blocks=paused_blocks(text, item_id, paused=paused))

    app.action(PAUSE_CHASING)(ack=_ack, lazy=[pause])
    app.action(RESUME_CHASING)(ack=_ack, lazy=[pause])

    # -- the timeline on App Home ----------------------------------------------------------

    @slow
    def open_timeline(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            blocks = reminders_blocks(
                deps, body["user"]["id"], action["value"], limit=MODAL_BLOCK_LIMIT
            )
            view = timeline_modal(blocks)
        except BoardclerkError as err:
            view = info_modal("Reminders", f":x: {escape(str(err))}")
        open_view(client, body, view)

    app.action(HOME_REMINDERS)(ack=_ack, lazy=[open_timeline])


def request_title(session: Session, item_id: int) -> str:
    return get_item(session, item_id).title


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput("That button no longer works; ask the clerk.") from None


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


# -- /boardclerk reminders [MEETING] ------------------------------------------------------


def reminders_blocks(
    deps: Deps, user: str, meeting_ref: str | None, *, limit: int = 50
) -> list[Block]:
    """The meeting's reminder timeline, for its clerk only. Without a meeting: the clerk's
    next one."""
    actor = Actor.slack(user)
    with deps.read() as session:
        if meeting_ref is None:
            mine = clerk_meetings(session, user, deps.now())
            if not mine:
                raise InvalidInput(
                    "Only a body's clerk can see its reminders, and you clerk no "
                    "upcoming meeting. Name one: `/boardclerk reminders "
                    "hwb:2027-04-01`."
                )
            meeting = mine[0]
        else:
            meeting = get_meeting(session, meeting_ref)
        require_clerk(session, meeting.body, actor, "see who was reminded of what")
        entries = reminder_timeline(session, meeting)
        return timeline_blocks(
            meeting_ref=meeting.ref,
            body_name=meeting.body.name,
            starts_at=meeting.starts_at,
            entries=entries,
            tz=org_tz(session),
            limit=limit,
        )


def reminders_command(deps: Deps, user: str, args: list[str]) -> dict[str, Any]:
    blocks = reminders_blocks(deps, user, args[0] if args else None)
    return {"text": "Reminders", "blocks": blocks}
