"""The clerk's forward plan actions: add, move and withdraw items.

The modal's ack function calls the service, so a refusal or a bad value shows inline in the
modal; telling the authors happens after the ack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from agenda.board.lookup import get_item, get_meeting
from agenda.board.permissions import Actor, require_clerk
from agenda.errors import BoardclerkError
from agenda.plan.items import (
    AuthorRef,
    ItemView,
    add_item,
    forward_plan,
    item_view,
    move_item,
    withdraw_item,
)
from bot.deps import Deps
from bot.listeners.common import clerk_meetings, meeting_options, open_view, org_tz, slow
from bot.slack import dm
from bot.views import (
    ADD_ITEM_CALLBACK,
    MOVE_ITEM_CALLBACK,
    WITHDRAW_ITEM_CALLBACK,
    add_item_modal,
    info_modal,
    metadata_of,
    modal,
    move_item_modal,
    moved_text,
    named_author_text,
    plan_blocks,
    state_values,
    withdraw_item_modal,
    withdrawn_text,
)


def _ack(ack: Ack) -> None:
    ack()


def register(app: App, deps: Deps) -> None:
    def refuse(client: WebClient, body: dict[str, Any], err: BoardclerkError) -> None:
        open_view(client, body, info_modal("Forward plan", f":x: {err}"))

    # -- opening the modals ----------------------------------------------------------------

    @slow
    def open_add(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        try:
            with deps.read() as session:
                meeting = get_meeting(session, action["value"])
                require_clerk(
                    session, meeting.body, Actor.slack(user), "add items to its forward plan"
                )
                options = meeting_options(session, clerk_meetings(session, user, deps.now()))
        except BoardclerkError as err:
            refuse(client, body, err)
            return
        open_view(client, body, add_item_modal(options, meeting_ref=action["value"]))

    app.action("plan_add_item")(ack=_ack, lazy=[open_add])

    @slow
    def open_item_menu(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        what, _, item_id = action["selected_option"]["value"].partition(":")
        try:
            with deps.read() as session:
                item = get_item(session, item_id)
                doing = (
                    "move items on its forward plan"
                    if what == "move"
                    else "withdraw items from its forward plan"
                )
                require_clerk(session, item.body, Actor.slack(user), doing)
                view = item_view(session, item, Actor.slack(user))
                options = meeting_options(
                    session, clerk_meetings(session, user, deps.now(), body_id=item.body_id)
                )
        except BoardclerkError as err:
            refuse(client, body, err)
            return
        open_view(
            client,
            body,
            move_item_modal(view, options) if what == "move" else withdraw_item_modal(view),
        )

    app.action("plan_item_menu")(ack=_ack, lazy=[open_item_menu])

    @slow
    def open_plan(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """App Home's "Forward plan" button: the body's plan in a modal."""
        user = body["user"]["id"]
        actor = Actor.slack(user)
        with deps.read() as session:
            meeting = get_meeting(session, action["value"])
            plans = forward_plan(session, body_key=meeting.body.key, viewer=actor, now=deps.now())
            clerk_of = {
                m.ref for m in clerk_meetings(session, user, deps.now(), body_id=meeting.body_id)
            }
            blocks = plan_blocks(plans, clerk_of=clerk_of, tz=org_tz(session))[:100]
        client.views_open(
            trigger_id=body["trigger_id"],
            view=modal("boardclerk_plan", "Forward plan", blocks, submit=None),
        )

    app.action("home_open_plan")(ack=_ack, lazy=[open_plan])

    # -- submitting them -------------------------------------------------------------------

    def tell(client: WebClient, users: tuple[str, ...], text: str, *, skip: str) -> None:
        for author in users:
            if author != skip:
                dm(client, author, text)

    # The ack checks the form and the clerk's right to change the plan (reads only); the
    # change itself is written after the ack, so a burst of clerks' edits never holds up
    # Slack's 3 seconds behind SQLite's single writer. A refusal found then comes by DM.

    def check_add(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = _add_form(view)
        errors: dict[str, str] = {}
        if not form["title"].strip():
            errors[form["blocks"]["title"]] = "Give the item a title."
        if form["exempt"] and not (form["exempt_reason"] or "").strip():
            errors[form["blocks"]["exempt_reason"]] = (
                "An exempt item needs the reason it is exempt, e.g. 'Paragraph 3 of Part 1 of "
                "Schedule 12A to the Local Government Act 1972'."
            )
        try:
            with deps.read() as session:
                meeting = get_meeting(session, form["meeting"] or "")
                require_clerk(
                    session,
                    meeting.body,
                    Actor.slack(body["user"]["id"]),
                    "add items to its forward plan",
                )
        except BoardclerkError as err:
            errors[form["blocks"]["meeting"]] = str(err)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    @slow
    def add(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        form = _add_form(view)
        if not form["meeting"] or not form["title"].strip():
            return  # the ack showed the errors
        try:
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
                tz = org_tz(session)
        except BoardclerkError as err:
            dm(client, user, f":x: I could not add '{form['title']}' to the forward plan: {err}")
            return
        dm(client, user, f"Added `#{item.id}` *{item.title}* to `{item.meeting_ref}`.")
        tell(client, item.author_slack_ids, named_author_text(item, tz), skip=user)

    app.view(ADD_ITEM_CALLBACK)(ack=check_add, lazy=[add])

    def check_change(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = state_values(view)
        moving = view.get("callback_id") == MOVE_ITEM_CALLBACK
        block = (
            values["meeting"][0] if "meeting" in values else values.get("reason", ("reason",))[0]
        )
        try:
            with deps.read() as session:
                item = get_item(session, metadata_of(view)["item"])
                require_clerk(
                    session,
                    item.body,
                    Actor.slack(body["user"]["id"]),
                    "move items on its forward plan"
                    if moving
                    else "withdraw items from its forward plan",
                )
        except BoardclerkError as err:
            ack(response_action="errors", errors={block: str(err)})
            return
        if moving and not values.get("meeting", ("", None))[1]:
            ack(response_action="errors", errors={block: "Choose the meeting to move it to."})
            return
        ack()

    @slow
    def change(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        values = state_values(view)
        moving = view.get("callback_id") == MOVE_ITEM_CALLBACK
        item_id = metadata_of(view)["item"]
        reason = (values.get("reason", ("reason", None))[1] or "").strip() or None
        try:
            with deps.session() as session:
                before = get_item(session, item_id)
                from_ref = before.meeting.ref if before.meeting else None
                title = before.title
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
                        session,
                        actor=Actor.slack(user),
                        item_id=item_id,
                        reason=reason,
                        now=deps.now(),
                    )
                tz = org_tz(session)
        except BoardclerkError as err:
            dm(client, user, f":x: {err}")
            return
        if moving:
            dm(client, user, f"Moved *{title}* from `{from_ref}` to `{after.meeting_ref}`.")
            tell(client, after.author_slack_ids, moved_text(after, from_ref, reason, tz), skip=user)
        else:
            dm(client, user, f"Withdrew *{title}* from `{from_ref}`.")
            after = ItemView(**{**after.__dict__, "meeting_ref": from_ref})
            tell(client, after.author_slack_ids, withdrawn_text(after, reason), skip=user)

    app.view(MOVE_ITEM_CALLBACK)(ack=check_change, lazy=[change])
    app.view(WITHDRAW_ITEM_CALLBACK)(ack=check_change, lazy=[change])


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
