"""Apologies and declarations of interest from Slack.

``register_minutes(app, deps)`` adds the buttons' and modals' listeners:
- ``minutes_send_apologies`` (button, value = meeting ref) opens the apologies modal;
- ``minutes_declare_interest`` (button, value = meeting ref) opens the declaration modal,
  which names the item from the meeting's agenda.
- ``minutes_file_approved`` (button, value = the held meeting's ref; for clerks, e.g. on App
  Home) opens a modal taking the approved minutes (Word or PDF); they become the "minutes of
  the previous meeting" paper of the body's next meeting.
Put :func:`meeting_notice_buttons` on the meeting notice. ``/boardclerk apologies MEETING
[reason]`` is answered by :func:`apologies_command` (the one ``/boardclerk`` listener routes
to it). Building the skeleton itself is ``agenda.minutes.service.build_minutes`` in the worker.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agenda.board.lookup import get_meeting
from agenda.board.permissions import Actor
from agenda.errors import BoardclerkError, InvalidInput
from agenda.minutes.service import (
    agenda_items_of,
    declare_interest,
    file_approved_minutes,
    send_apologies,
)
from agenda.pack.readiness import upcoming_meetings
from bot.deps import Deps
from bot.listeners.common import open_view
from bot.slack import DownloadError, dm, download_private_file, file_of
from bot.views import (
    button,
    info_modal,
    metadata_of,
    modal,
    option,
    section,
    state_values,
    static_select,
    text_input,
)

APOLOGIES_ACTION = "minutes_send_apologies"
DECLARE_ACTION = "minutes_declare_interest"
APOLOGIES_CALLBACK = "minutes_apologies_modal"
DECLARATION_CALLBACK = "minutes_declaration_modal"
APPROVED_ACTION = "minutes_file_approved"
APPROVED_CALLBACK = "minutes_approved_modal"


def meeting_notice_buttons(meeting_ref: str) -> list[dict[str, Any]]:
    """The two buttons for a meeting notice (an ``actions`` block's elements)."""
    return [
        button("Send apologies", APOLOGIES_ACTION, meeting_ref),
        button("Declare an interest", DECLARE_ACTION, meeting_ref),
    ]


def apologies_command(deps: Deps, user: str, args: list[str]) -> str:
    """``/boardclerk apologies [MEETING] [reason…]``: the reply text (ephemeral)."""
    refs = [a for a in args if ":" in a]
    reason = " ".join(a for a in args if ":" not in a) or None
    try:
        with deps.session() as session:
            if refs:
                meeting_ref = refs[0]
            else:
                upcoming = upcoming_meetings(session, now=deps.now(), slack_id=user)
                if not upcoming:
                    return "Name the meeting, e.g. `/boardclerk apologies hwb:2027-04-01 on leave`."
                meeting_ref = upcoming[0].ref
            receipt = send_apologies(
                session,
                actor=Actor.slack(user),
                meeting_ref=meeting_ref,
                reason=reason,
                now=deps.now(),
            )
    except BoardclerkError as err:
        return f":x: {err}"
    return f":white_check_mark: {receipt.summary()}"


def apologies_modal(meeting_ref: str, label: str) -> dict[str, Any]:
    return modal(
        APOLOGIES_CALLBACK,
        "Send apologies",
        [
            section(f"Apologies for absence from *{label}*."),
            text_input(
                "reason",
                "reason",
                "Reason (optional; not printed in the minutes)",
                optional=True,
                max_length=500,
            ),
        ],
        submit="Send",
        metadata={"meeting": meeting_ref},
    )


def declaration_modal(meeting_ref: str, label: str, items: list[tuple[str, str]]) -> dict[str, Any]:
    return modal(
        DECLARATION_CALLBACK,
        "Declare an interest",
        [
            section(f"Declare an interest in an item on the agenda of *{label}*."),
            {
                "type": "input",
                "block_id": "item",
                "label": {"type": "plain_text", "text": "Item"},
                "element": static_select("item", [option(title, value) for value, title in items]),
            },
            {
                "type": "input",
                "block_id": "kind",
                "label": {"type": "plain_text", "text": "Kind"},
                "element": static_select(
                    "kind",
                    [
                        option("Other interest", "other"),
                        option("Pecuniary (financial) interest", "pecuniary"),
                    ],
                    initial="other",
                ),
            },
            text_input(
                "interest",
                "interest",
                "The interest",
                hint="e.g. as a trustee of the hospice named in the report",
                max_length=1000,
            ),
        ],
        submit="Declare",
        metadata={"meeting": meeting_ref},
    )


def approved_minutes_modal(meeting_ref: str, label: str) -> dict[str, Any]:
    return modal(
        APPROVED_CALLBACK,
        "Approved minutes",
        [
            section(
                f"The approved minutes of *{label}*. They go into the papers of the next "
                "meeting as its minutes of the previous meeting."
            ),
            {
                "type": "input",
                "block_id": "file",
                "label": {"type": "plain_text", "text": "The minutes (Word or PDF)"},
                "element": {
                    "type": "file_input",
                    "action_id": "file",
                    "filetypes": ["docx", "pdf"],
                    "max_files": 1,
                },
            },
            {
                "type": "input",
                "block_id": "confidential",
                "optional": True,
                "label": {
                    "type": "plain_text",
                    "text": "Confidential (Part B) minutes, if there was exempt business",
                },
                "element": {
                    "type": "file_input",
                    "action_id": "confidential",
                    "filetypes": ["docx", "pdf"],
                    "max_files": 1,
                },
            },
        ],
        submit="File",
        metadata={"meeting": meeting_ref},
    )


def _approved_file(view: dict[str, Any], block: str = "file") -> dict[str, Any] | None:
    files = state_values(view).get(block, (block, []))[1] or []
    return files[0] if files else None


def register_minutes(app: App, deps: Deps) -> None:
    def _ack(ack: Ack) -> None:
        ack()

    def _label(meeting_ref: str) -> tuple[str, list[tuple[str, str]]]:
        with deps.session() as session:
            meeting = get_meeting(session, meeting_ref)
            label = f"{meeting.body.name}, {meeting.date:%a %-d %b %Y}"
            items = [
                (str(i.id), f"#{i.id} {i.title}"[:75]) for i in agenda_items_of(session, meeting)
            ]
        return label, items

    def open_apologies(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            label, _ = _label(action["value"])
        except BoardclerkError as err:
            open_view(client, body, info_modal("Apologies", f":x: {err}"))
            return
        open_view(client, body, apologies_modal(action["value"], label))

    def open_declaration(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            label, items = _label(action["value"])
            if not items:
                raise InvalidInput(f"There is nothing on the agenda of {action['value']} yet.")
        except BoardclerkError as err:
            open_view(client, body, info_modal("Declare an interest", f":x: {err}"))
            return
        open_view(client, body, declaration_modal(action["value"], label, items))

    app.action(APOLOGIES_ACTION)(ack=_ack, lazy=[open_apologies])
    app.action(DECLARE_ACTION)(ack=_ack, lazy=[open_declaration])

    def submit_apologies(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = state_values(view)
        try:
            with deps.session() as session:
                receipt = send_apologies(
                    session,
                    actor=Actor.slack(body["user"]["id"]),
                    meeting_ref=metadata_of(view).get("meeting", ""),
                    reason=values.get("reason", ("reason", None))[1],
                    now=deps.now(),
                )
        except BoardclerkError as err:
            ack(response_action="errors", errors={"reason": str(err)})
            return
        ack(
            response_action="update",
            view=info_modal("Apologies", f":white_check_mark: {receipt.summary()}"),
        )

    def submit_declaration(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = state_values(view)

        def val(name: str) -> Any:
            return values.get(name, (name, None))[1]

        try:
            with deps.session() as session:
                receipt = declare_interest(
                    session,
                    actor=Actor.slack(body["user"]["id"]),
                    meeting_ref=metadata_of(view).get("meeting", ""),
                    item_id=val("item") or "",
                    interest=val("interest") or "",
                    kind=val("kind") or "other",
                    now=deps.now(),
                )
        except BoardclerkError as err:
            field = (
                "item" if "agenda" in err.message or "item" in err.message.lower() else "interest"
            )
            ack(response_action="errors", errors={field: str(err)})
            return
        ack(
            response_action="update",
            view=info_modal("Declare an interest", f":white_check_mark: {receipt.summary()}"),
        )

    def open_approved(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        try:
            label, _ = _label(action["value"])
        except BoardclerkError as err:
            open_view(client, body, info_modal("Approved minutes", f":x: {err}"))
            return
        open_view(client, body, approved_minutes_modal(action["value"], label))

    app.action(APPROVED_ACTION)(ack=_ack, lazy=[open_approved])

    def check_approved(ack: Ack, view: dict[str, Any]) -> None:
        file = _approved_file(view)
        if file is None or not str(file.get("name", "")).lower().endswith((".docx", ".pdf")):
            ack(
                response_action="errors",
                errors={"file": "Attach the approved minutes as a Word (.docx) or PDF file."},
            )
            return
        ack()

    def save_approved(
        body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        # Downloading and checking the file may take seconds: after the ack, then a DM.
        file = _approved_file(view)
        user = body["user"]["id"]
        if file is None:
            return
        name = str(file.get("name") or "minutes")
        try:
            if not file.get("url_private_download"):
                file = file_of(client, file["id"])
            data = download_private_file(
                file.get("url_private_download") or file["url_private"], context.bot_token or ""
            )
            secret = _approved_file(view, "confidential")
            secret_data = None
            if secret is not None:  # the Part B minutes: only ever an exempt paper
                if not secret.get("url_private_download"):
                    secret = file_of(client, secret["id"])
                secret_data = download_private_file(
                    secret.get("url_private_download") or secret["url_private"],
                    context.bot_token or "",
                )
            with deps.session() as session:
                result = file_approved_minutes(
                    session,
                    deps.store,
                    actor=Actor.slack(user),
                    meeting_ref=metadata_of(view).get("meeting", ""),
                    file_name=name,
                    data=data,
                    now=deps.now(),
                    source="slack",
                    confidential_file_name=str(secret.get("name") or "") if secret else None,
                    confidential_data=secret_data,
                )
        except (BoardclerkError, DownloadError, SlackApiError) as err:
            problem = (
                str(err)
                if not isinstance(err, SlackApiError)
                else "I could not find the file in Slack. Please attach it again."
            )
            dm(client, user, f":x: I did not file {name}: {problem}")
            return
        dm(client, user, f":white_check_mark: {result.summary()}")

    app.view(APPROVED_CALLBACK)(ack=check_approved, lazy=[save_approved])
    app.view(APOLOGIES_CALLBACK)(submit_apologies)
    app.view(DECLARATION_CALLBACK)(submit_declaration)
