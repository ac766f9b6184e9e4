"""The clerk's forward plan actions: add, move and withdraw items.

The modal's ack function checks the form and the clerk's right to change the plan (reads
only), so a refusal or a bad value shows inline in the modal; the change itself is written
after the ack, so a burst of clerks' edits never holds up Slack's 3 seconds behind SQLite's
single writer. A refusal found then comes by DM, as does telling the authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from agenda.board.permissions import Actor
from agenda.pack.overview import (
    MeetingSummary,
    check_clerk_of_item,
    check_clerk_of_meeting,
    clerk_meetings,
    item_as_seen,
    meeting_summary,
    organisation_tz,
)
from agenda.plan.items import AuthorRef, ItemView, add_item, forward_plan, move_item, withdraw_item
from bot import errors, messages
from bot.blocks.common import metadata_item, state_values
from bot.blocks.plan import (
    ADD_ITEM,
    ADD_ITEM_CALLBACK,
    ITEM_MENU,
    MOVE_ITEM_CALLBACK,
    OPEN_PLAN,
    WITHDRAW_ITEM_CALLBACK,
    add_item_modal,
    move_item_modal,
    plan_blocks,
    plan_modal,
    withdraw_item_modal,
)
from bot.blocks.submit import meeting_label
from bot.deps import deps_of
from bot.listeners.common import just_ack, slow
from bot.slack import dm, open_view

ADD_DOING = "add items to its forward plan"
MOVE_DOING = "move items on its forward plan"
WITHDRAW_DOING = "withdraw items from its forward plan"
TITLE = "Forward plan"


def _options(meetings: list[MeetingSummary], tz: str) -> list[tuple[str, str]]:
    return [(m.ref, meeting_label(m.body_name, m.starts_at, tz)) for m in meetings]


# -- opening the modals ----------------------------------------------------------------------


@slow
@errors.in_modal(TITLE)
def open_add(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    with deps.read() as session:
        check_clerk_of_meeting(session, user, action["value"], ADD_DOING)
        meetings = clerk_meetings(session, user, deps.now())
        options = _options(meetings, organisation_tz(session))
    open_view(client, body, add_item_modal(options, meeting_ref=action["value"]))


@slow
@errors.in_modal(TITLE)
def open_item_menu(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    what, _, item_id = action["selected_option"]["value"].partition(":")
    with deps.read() as session:
        view = check_clerk_of_item(
            session, user, item_id, MOVE_DOING if what == "move" else WITHDRAW_DOING
        )
        meetings = clerk_meetings(session, user, deps.now(), like_item=item_id)
        options = _options(meetings, organisation_tz(session))
    open_view(
        client,
        body,
        move_item_modal(view, options) if what == "move" else withdraw_item_modal(view),
    )


@slow
@errors.in_modal(TITLE)
def open_plan(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """App Home's "Forward plan" button: the body's plan in a modal."""
    deps, user = deps_of(context), body["user"]["id"]
    with deps.read() as session:
        meeting = meeting_summary(session, action["value"])
        plans = forward_plan(
            session, body_key=meeting.body_key, viewer=Actor.slack(user), now=deps.now()
        )
        clerk_of = {
            m.ref for m in clerk_meetings(session, user, deps.now(), like_meeting=meeting.ref)
        }
        blocks = plan_blocks(plans, clerk_of=clerk_of, tz=organisation_tz(session))
    client.views_open(trigger_id=body["trigger_id"], view=plan_modal(blocks))


# -- submitting them -------------------------------------------------------------------------


def _tell(client: WebClient, users: tuple[str, ...], text: str, *, skip: str) -> None:
    for author in users:
        if author != skip:
            dm(client, author, text)


def _add_form(view: dict[str, Any]) -> dict[str, Any]:
    values = state_values(view)

    def val(name: str) -> Any:
        return values.get(name, (name, None))[1]

    return {
        "meeting": val("meeting"),
        "title": val("title") or "",
        "kind": val("kind") or "report",
        "lead": val("lead"),
        "authors": list(val("authors") or []),
        "exempt": "exempt" in (val("exempt") or []),
        "exempt_reason": val("exempt_reason"),
        "blocks": {k: values.get(k, (k, None))[0] for k in ("meeting", "title", "exempt_reason")},
    }


def _meeting_block(view: Mapping[str, Any], _err: BaseException) -> str:
    return str(_add_form(dict(view))["blocks"]["meeting"])


def check_add(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    form = _add_form(view)
    errors_: dict[str, str] = {}
    if not form["title"].strip():
        errors_[form["blocks"]["title"]] = messages.GIVE_ITEM_TITLE
    if form["exempt"] and not (form["exempt_reason"] or "").strip():
        errors_[form["blocks"]["exempt_reason"]] = messages.EXEMPT_NEEDS_REASON
    with errors.noted(errors_, form["blocks"]["meeting"]), deps_of(context).read() as session:
        check_clerk_of_meeting(session, body["user"]["id"], form["meeting"] or "", ADD_DOING)
    if errors_:
        ack(response_action="errors", errors=errors_)
    else:
        ack()


def _not_added(kwargs: Mapping[str, Any], problem: str) -> str:
    return messages.not_added(_add_form(kwargs["view"])["title"], problem)


@slow
@errors.by_dm_saying(_not_added)
def add(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    form = _add_form(view)
    if not form["meeting"] or not form["title"].strip():
        return  # the ack showed the errors
    with deps.session() as session:
        item = add_item(
            session,
            actor=Actor.slack(user),
            meeting_ref=form["meeting"],
            title=form["title"],
            kind=form["kind"],
            lead=form["lead"],
            authors=[AuthorRef(slack_id=u) for u in form["authors"]],
            exempt=form["exempt"],
            exempt_reason=form["exempt_reason"],
            now=deps.now(),
        )
        tz = organisation_tz(session)
    dm(client, user, messages.added(item))
    _tell(client, item.author_slack_ids, messages.named_author_text(item, tz), skip=user)


def _change_block(view: Mapping[str, Any], _err: BaseException) -> str:
    values = state_values(dict(view))
    return str(
        values["meeting"][0] if "meeting" in values else values.get("reason", ("reason",))[0]
    )


@errors.on_field(_change_block)
def check_change(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    moving = view.get("callback_id") == MOVE_ITEM_CALLBACK
    with deps_of(context).read() as session:
        check_clerk_of_item(
            session,
            body["user"]["id"],
            metadata_item(view),
            MOVE_DOING if moving else WITHDRAW_DOING,
        )
    if moving and not state_values(view).get("meeting", ("", None))[1]:
        block = _change_block(view, ValueError())
        ack(response_action="errors", errors={block: messages.CHOOSE_MEETING_TO_MOVE_TO})
        return
    ack()


@slow
@errors.by_dm
def change(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    deps, user = deps_of(context), body["user"]["id"]
    values = state_values(view)
    moving = view.get("callback_id") == MOVE_ITEM_CALLBACK
    item_id = metadata_item(view)
    reason = (values.get("reason", ("reason", None))[1] or "").strip() or None
    with deps.session() as session:
        before = item_as_seen(session, item_id, user)
        after: ItemView
        if moving:
            after = move_item(
                session,
                actor=Actor.slack(user),
                item_id=item_id,
                to_meeting_ref=values.get("meeting", ("", ""))[1] or "",
                reason=reason,
                now=deps.now(),
            )
        else:
            after = withdraw_item(
                session, actor=Actor.slack(user), item_id=item_id, reason=reason, now=deps.now()
            )
        tz = organisation_tz(session)
    from_ref = before.meeting_ref
    if moving:
        dm(client, user, messages.moved(before.title, from_ref, after.meeting_ref))
        text = messages.moved_text(after, from_ref, reason, tz)
    else:
        dm(client, user, messages.withdrew(before.title, from_ref))
        text = messages.withdrawn_text(replace(after, meeting_ref=from_ref), reason)
    _tell(client, after.author_slack_ids, text, skip=user)


def register(app: App) -> None:
    app.action(ADD_ITEM)(ack=just_ack, lazy=[open_add])
    app.action(ITEM_MENU)(ack=just_ack, lazy=[open_item_menu])
    app.action(OPEN_PLAN)(ack=just_ack, lazy=[open_plan])
    app.view(ADD_ITEM_CALLBACK)(ack=check_add, lazy=[add])
    app.view(MOVE_ITEM_CALLBACK)(ack=check_change, lazy=[change])
    app.view(WITHDRAW_ITEM_CALLBACK)(ack=check_change, lazy=[change])
