"""Submitting a paper: the modal (from the command, the shortcuts, a file sent by DM or App
Home), its inline validation, and the lazy part that downloads, checks and files the paper.

The ack function only reads (permission, required fields) so the modal closes or shows its
errors at once; the download and :func:`agenda.plan.papers.submit_paper` run after the ack.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.board.lookup import get_item
from agenda.board.permissions import Actor, require_can_submit
from agenda.documents.filecheck import max_paper_bytes
from agenda.errors import BoardclerkError
from agenda.plan.papers import submit_paper
from bot.deps import Deps
from bot.listeners.common import org_tz, slow, submit_choices
from bot.slack import DownloadError, dm, download_private_file, file_of
from bot.views import (
    SUBMIT_CALLBACK,
    file_offer,
    info_modal,
    late_flag_text,
    metadata_of,
    receipt_text,
    rejection_text,
    state_values,
    submit_modal,
)

log = logging.getLogger(__name__)

PAPER_TYPES = (".docx", ".pdf")
MESSAGE_SHORTCUT = "submit_file_as_paper"


def _ack(ack: Ack) -> None:
    ack()


def _file_ref(file: dict[str, Any]) -> dict[str, Any]:
    """What the modal remembers of a preselected file (private_metadata is limited to 3000 chars)."""
    return {"id": file["id"], "name": file.get("name") or file.get("title") or "file"}


def register(app: App, deps: Deps) -> None:
    def modal_for(
        user: str,
        *,
        file: dict[str, Any] | None = None,
        item_id: int | None = None,
        meeting_ref: str | None = None,
    ) -> dict[str, Any]:
        with deps.read() as session:
            choices = submit_choices(session, user, deps.now())
        if item_id is not None and meeting_ref is None:
            meeting_ref = next((c.ref for c in choices for i in c.items if i.id == item_id), None)
        return submit_modal(choices, meeting_ref=meeting_ref, item_id=item_id, file=file)

    # -- ways in ---------------------------------------------------------------------------

    @slow
    def from_shortcut(body: dict[str, Any], client: WebClient) -> None:
        client.views_open(trigger_id=body["trigger_id"], view=modal_for(body["user"]["id"]))

    app.shortcut(SUBMIT_CALLBACK)(ack=_ack, lazy=[from_shortcut])

    @slow
    def from_message(body: dict[str, Any], client: WebClient) -> None:
        files = (body.get("message") or {}).get("files") or []
        if not files:
            view = info_modal(
                "Submit a paper",
                "That message has no file attached. Use this on a message with a Word or PDF file.",
            )
        else:
            view = modal_for(body["user"]["id"], file=_file_ref(files[0]))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.shortcut(MESSAGE_SHORTCUT)(ack=_ack, lazy=[from_message])

    @slow
    def from_dm_button(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            file = file_of(client, action["value"])
        except SlackApiError:
            client.views_open(
                trigger_id=body["trigger_id"],
                view=info_modal(
                    "Submit a paper", "I can no longer see that file. Please send it to me again."
                ),
            )
            return
        client.views_open(
            trigger_id=body["trigger_id"], view=modal_for(body["user"]["id"], file=_file_ref(file))
        )

    app.action("submit_file")(ack=_ack, lazy=[from_dm_button])

    @slow
    def from_home(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        client.views_open(
            trigger_id=body["trigger_id"],
            view=modal_for(body["user"]["id"], item_id=int(action["value"])),
        )

    app.action("home_submit")(ack=_ack, lazy=[from_home])

    @slow
    def offer_dm_file(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        # file_shared fires for every file the bot can see, including the packs it uploads.
        channel = event.get("channel_id") or ""
        if not channel.startswith("D") or event.get("user_id") == context.bot_user_id:
            return
        text, blocks = file_offer(file_of(client, event["file_id"]))
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)

    app.event("file_shared")(offer_dm_file)

    def ignore_messages() -> None:
        """DMs arrive as message events too (subtype file_share); file_shared handles files."""

    app.event("message")(ignore_messages)

    # -- inside the modal ------------------------------------------------------------------

    @slow
    def change_meeting(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        view = body["view"]
        meta = metadata_of(view)
        new = modal_for(
            body["user"]["id"],
            file=meta.get("file"),
            meeting_ref=action["selected_option"]["value"],
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=new)

    app.action("submit_meeting")(ack=_ack, lazy=[change_meeting])

    @slow
    def change_item(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        view = body["view"]
        meta = metadata_of(view)
        new = modal_for(
            body["user"]["id"],
            file=meta.get("file"),
            meeting_ref=meta.get("meeting"),
            item_id=int(action["selected_option"]["value"]),
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=new)

    app.action("submit_item")(ack=_ack, lazy=[change_item])

    # -- submission ------------------------------------------------------------------------

    def validate(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        errors = _field_errors(deps, user, view)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    @slow
    def save(
        body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        # Bolt runs the lazy part even when the ack showed errors: the form stays open then.
        if _field_errors(deps, body["user"]["id"], view):
            return
        _save_submission(deps, body["user"]["id"], view, client, context.bot_token or "")

    app.view(SUBMIT_CALLBACK)(ack=validate, lazy=[save])


def _submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The form's values, by field, plus the block each came from (for inline errors)."""
    values = state_values(view)
    meta = metadata_of(view)
    files = values.get("file", ("file", []))[1] or []
    item = values.get("submit_item", ("item", None))

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


def _field_errors(deps: Deps, user: str, view: dict[str, Any]) -> dict[str, str]:
    form = _submitted(view)
    errors: dict[str, str] = {}
    file = form["file"]
    if not form["item_id"]:
        errors[form["item_block"]] = "Choose the agenda item this paper is for."
    if not file:
        errors[form["file_block"]] = "Attach the paper: a Word (.docx) or PDF file."
    elif not str(file.get("name", "")).lower().endswith(PAPER_TYPES):
        errors[form["file_block"]] = (
            f"{file.get('name')} is not a Word (.docx) or PDF file. "
            "Save it as .docx or PDF and attach it again."
        )
    elif int(file.get("size") or 0) > max_paper_bytes():
        errors[form["file_block"]] = (
            f"{file.get('name')} is {int(file['size']) / 2**20:.1f} MB; "
            f"papers can be at most {max_paper_bytes() / 2**20:.0f} MB. "
            "Compress the images or split the appendices."
        )
    if form["title"] is None and form["title_block"] in (view.get("state") or {}).get("values", {}):
        errors[form["title_block"]] = "Give the paper a title."
    if form["item_id"] and form["item_block"] not in errors:
        with deps.read() as session:
            try:
                item = get_item(session, form["item_id"])
                require_can_submit(session, item, Actor.slack(user))
                needs_reason = form["exempt"] and not (item.exempt and item.exempt_reason)
            except BoardclerkError as err:
                errors[form["item_block"]] = str(err)
                needs_reason = False
        if needs_reason and not form["exempt_reason"]:
            errors[form["exempt_block"]] = (
                "Say why it is exempt, e.g. Paragraph 3 of Part 1 of "
                "Schedule 12A to the Local Government Act 1972."
            )
    return errors


def _save_submission(
    deps: Deps, user: str, view: dict[str, Any], client: WebClient, token: str
) -> None:
    form = _submitted(view)
    file = form["file"] or {}
    name = file.get("name") or "file"
    try:
        if not file.get("url_private_download"):
            file = file_of(client, file["id"])  # a file preselected from a DM or message
        # Read at most one byte past the limit: enough for check_paper_file to refuse it.
        data = download_private_file(
            file.get("url_private_download") or file["url_private"], token, limit=max_paper_bytes()
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
            tz = org_tz(session)
    except (BoardclerkError, DownloadError, SlackApiError) as err:
        problem = (
            str(err)
            if not isinstance(err, SlackApiError)
            else ("I could not find the file in Slack. Please attach it again.")
        )
        _tell_rejected(deps, client, user, form["item_id"], name, problem)
        return
    dm(client, user, receipt_text(receipt, tz))
    if not receipt.on_time:
        for clerk in receipt.clerk_slack_ids:
            if clerk != user:
                dm(client, clerk, late_flag_text(receipt, user, tz))


def _tell_rejected(
    deps: Deps, client: WebClient, user: str, item_id: Any, file_name: str, problem: str
) -> None:
    title, version = None, None
    try:
        with deps.read() as session:
            item = get_item(session, item_id)
            title = item.title
            version = item.current_paper.version if item.current_paper else None
    except BoardclerkError:
        pass
    dm(
        client,
        user,
        rejection_text(problem, file_name=file_name, item_title=title, current_version=version),
    )
