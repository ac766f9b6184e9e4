"""Submitting a paper: the modal (from the command, the shortcuts, a file sent by DM or App
Home), its inline validation, and the lazy part that downloads, checks and files the paper.

The ack function only reads (permission, required fields) so the modal closes or shows its
errors at once; the download and :func:`agenda.plan.papers.submit_paper` run after the ack.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from agenda.board.permissions import Actor
from agenda.documents.filecheck import max_paper_bytes
from agenda.errors import BoardclerkError
from agenda.pack.overview import check_can_submit, item_as_seen, organisation_tz, submit_choices
from agenda.plan.papers import Receipt, submit_paper
from bot import errors, messages
from bot.blocks.common import View, info_modal, metadata_of, state_values
from bot.blocks.submit import (
    HOME_SUBMIT,
    MESSAGE_SHORTCUT,
    PICK_ITEM,
    PICK_MEETING,
    SUBMIT_CALLBACK,
    SUBMIT_FILE,
    choices_of,
    file_offer,
    submit_modal,
)
from bot.deps import Deps, deps_of
from bot.errors import user_of
from bot.listeners.common import just_ack, slow
from bot.listeners.exempt import ask_clerks
from bot.slack import DownloadError, dm, download_private_file, file_of

PAPER_TYPES = (".docx", ".pdf")


def _file_ref(file: dict[str, Any]) -> dict[str, Any]:
    """What the modal remembers of a preselected file (private_metadata is limited to 3000 chars)."""
    return {"id": file["id"], "name": file.get("name") or file.get("title") or "file"}


def modal_for(
    deps: Deps,
    user: str,
    *,
    file: dict[str, Any] | None = None,
    item_id: int | None = None,
    meeting_ref: str | None = None,
) -> View:
    with deps.read() as session:
        choices = choices_of(submit_choices(session, user, deps.now()), organisation_tz(session))
    if item_id is not None and meeting_ref is None:
        meeting_ref = next((c.ref for c in choices for i in c.items if i.id == item_id), None)
    return submit_modal(choices, meeting_ref=meeting_ref, item_id=item_id, file=file)


# -- ways in ---------------------------------------------------------------------------------


@slow
@errors.in_modal("Submit a paper")
def from_shortcut(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    view = modal_for(deps_of(context), body["user"]["id"])
    client.views_open(trigger_id=body["trigger_id"], view=view)


@slow
@errors.in_modal("Submit a paper")
def from_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    files = (body.get("message") or {}).get("files") or []
    if not files:
        view = info_modal("Submit a paper", messages.NO_FILE_ON_MESSAGE)
    else:
        view = modal_for(deps_of(context), body["user"]["id"], file=_file_ref(files[0]))
    client.views_open(trigger_id=body["trigger_id"], view=view)


@slow
@errors.in_modal("Submit a paper")
def from_dm_button(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    try:
        file = file_of(client, action["value"])
    except DownloadError:
        view = info_modal("Submit a paper", messages.FILE_GONE)
    else:
        view = modal_for(deps_of(context), body["user"]["id"], file=_file_ref(file))
    client.views_open(trigger_id=body["trigger_id"], view=view)


@slow
@errors.in_modal("Submit a paper")
def from_home(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    view = modal_for(deps_of(context), body["user"]["id"], item_id=int(action["value"]))
    client.views_open(trigger_id=body["trigger_id"], view=view)


@slow
def offer_dm_file(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    # file_shared fires for every file the bot can see, including the packs it uploads.
    channel = event.get("channel_id") or ""
    if not channel.startswith("D") or event.get("user_id") == context.bot_user_id:
        return
    text, blocks = file_offer(file_of(client, event["file_id"]))
    client.chat_postMessage(channel=channel, text=text, blocks=blocks)


def ignore_messages() -> None:
    """DMs arrive as message events too (subtype file_share); file_shared handles files."""


# -- inside the modal ------------------------------------------------------------------------


@slow
@errors.by_dm
def change_meeting(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    view = body["view"]
    new = modal_for(
        deps_of(context),
        body["user"]["id"],
        file=metadata_of(view).get("file"),
        meeting_ref=action["selected_option"]["value"],
    )
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=new)


@slow
@errors.by_dm
def change_item(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    view = body["view"]
    meta = metadata_of(view)
    new = modal_for(
        deps_of(context),
        body["user"]["id"],
        file=meta.get("file"),
        meeting_ref=meta.get("meeting"),
        item_id=int(action["selected_option"]["value"]),
    )
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=new)


# -- submission ------------------------------------------------------------------------------


def validate(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    found = field_errors(deps_of(context), body["user"]["id"], view)
    if found:
        ack(response_action="errors", errors=found)
    else:
        ack()


def _rejected(kwargs: Mapping[str, Any], problem: str) -> str:
    """Why the paper was not stored, naming the file and the item, and which version stands."""
    deps, user = deps_of(kwargs["context"]), user_of(kwargs["body"])
    form = _submitted(kwargs["view"])
    title, version = None, None
    with suppress(BoardclerkError):  # the rejection matters more than its details
        with deps.read() as session:
            item = item_as_seen(session, form["item_id"], user)
        title, version = item.title, item.paper_version
    return messages.rejection_text(
        problem,
        file_name=(form["file"] or {}).get("name") or "file",
        item_title=title,
        current_version=version,
    )


@slow
@errors.by_dm_saying(_rejected)
def save(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    # Bolt runs the lazy part even when the ack showed errors: the form stays open then.
    deps, user = deps_of(context), body["user"]["id"]
    if field_errors(deps, user, view):
        return
    receipt, tz = save_submission(deps, user, view, client, context.bot_token or "")
    dm(client, user, messages.receipt_text(receipt, tz))
    if not receipt.on_time:
        for clerk in receipt.clerk_slack_ids:
            if clerk != user:
                dm(client, clerk, messages.late_flag_text(receipt, user, tz))
    if receipt.exempt_requested:
        ask_clerks(client, receipt, user)


def _submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The form's values, by field, plus the block each came from (for inline errors)."""
    values = state_values(view)
    meta = metadata_of(view)
    files = values.get("file", ("file", []))[1] or []
    item = values.get(PICK_ITEM, ("item", None))

    def text(name: str) -> str | None:
        return (values.get(name, ("", None))[1] or "").strip() or None

    return {
        "item_id": item[1] or meta.get("item"),
        "item_block": item[0],
        "file": files[0] if files else meta.get("file"),
        "file_block": "file" if "file" in values else item[0],
        "title": text("title"),
        "title_block": values.get("title", ("title", None))[0],
        "presenter": text("presenter"),
        "authors": text("authors"),
        "summary": text("summary"),
        "recommendations": [r for r in (text("recommendations") or "").splitlines() if r.strip()],
        "exempt": "exempt" in (values.get("exempt", ("", []))[1] or []),
        "exempt_reason": text("exempt_reason"),
        "exempt_block": values.get("exempt_reason", ("exempt_reason", None))[0],
    }


def field_errors(deps: Deps, user: str, view: dict[str, Any]) -> dict[str, str]:
    form = _submitted(view)
    found: dict[str, str] = {}
    file = form["file"]
    if not form["item_id"]:
        found[form["item_block"]] = messages.CHOOSE_ITEM
    if not file:
        found[form["file_block"]] = messages.ATTACH_PAPER
    elif not str(file.get("name", "")).lower().endswith(PAPER_TYPES):
        found[form["file_block"]] = messages.not_a_paper_file(file.get("name"))
    elif int(file.get("size") or 0) > max_paper_bytes():
        found[form["file_block"]] = messages.too_big(
            file.get("name"), int(file["size"]), max_paper_bytes()
        )
    if form["title"] is None and form["title_block"] in (view.get("state") or {}).get("values", {}):
        found[form["title_block"]] = messages.GIVE_TITLE
    if form["item_id"] and form["item_block"] not in found:
        needs_reason = False
        with errors.noted(found, form["item_block"]):
            with deps.read() as session:
                has_reason = check_can_submit(session, user, form["item_id"])
            needs_reason = form["exempt"] and not has_reason
        if needs_reason and not form["exempt_reason"]:
            found[form["exempt_block"]] = messages.SAY_WHY_EXEMPT
    return found


def save_submission(
    deps: Deps, user: str, view: dict[str, Any], client: WebClient, token: str
) -> tuple[Receipt, str]:
    """Download the paper and file it; the receipt and the zone to show its times in."""
    form = _submitted(view)
    file = form["file"] or {}
    name = file.get("name") or "file"
    if not file.get("url_private_download"):
        file = file_of(client, file["id"])  # a file preselected from a DM or message
    # Read at most one byte past the limit: enough for check_paper_file to refuse it.
    data = download_private_file(
        file.get("url_private_download") or file["url_private"],
        token,
        limit=max_paper_bytes(),
        api_url=client.base_url,
    )
    with deps.session() as session:
        receipt = submit_paper(
            session,
            deps.store,
            actor=Actor.slack(user),
            item_id=form["item_id"],
            file_name=name,
            data=data,
            title=form["title"],
            presenter=form["presenter"],
            authors=form["authors"],
            executive_summary=form["summary"],
            recommendations=form["recommendations"],
            exempt_reason=form["exempt_reason"] if form["exempt"] else None,
            now=deps.now(),
            source="slack",
        )
        return receipt, organisation_tz(session)


def register(app: App) -> None:
    app.shortcut(SUBMIT_CALLBACK)(ack=just_ack, lazy=[from_shortcut])
    app.shortcut(MESSAGE_SHORTCUT)(ack=just_ack, lazy=[from_message])
    app.action(SUBMIT_FILE)(ack=just_ack, lazy=[from_dm_button])
    app.action(HOME_SUBMIT)(ack=just_ack, lazy=[from_home])
    app.event("file_shared")(offer_dm_file)
    app.event("message")(ignore_messages)
    app.action(PICK_MEETING)(ack=just_ack, lazy=[change_meeting])
    app.action(PICK_ITEM)(ack=just_ack, lazy=[change_item])
    app.view(SUBMIT_CALLBACK)(ack=validate, lazy=[save])
