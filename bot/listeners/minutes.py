"""Apologies and declarations of interest from Slack, and the approved minutes.

- ``minutes_send_apologies`` (button, value = meeting ref) opens the apologies modal;
- ``minutes_declare_interest`` (button, value = meeting ref) opens the declaration modal,
  which names the item from the meeting's agenda.
- ``minutes_file_approved`` (button, value = the held meeting's ref; for clerks, e.g. on App
  Home) opens a modal taking the approved minutes (Word or PDF); they become the "minutes of
  the previous meeting" paper of the body's next meeting.
The meeting notice carries :func:`bot.blocks.minutes.meeting_notice_buttons`. ``/boardclerk
apologies MEETING [reason]`` is answered by :func:`apologies_command` (the one ``/boardclerk``
listener routes to it). Building the skeleton itself is ``agenda.minutes.service.build_minutes``
in the worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from agenda.board.permissions import Actor
from agenda.errors import BoardclerkError, InvalidInput
from agenda.minutes.service import declare_interest, file_approved_minutes, send_apologies
from agenda.pack.overview import agenda_titles, meeting_summary, my_meetings
from bot import errors, messages
from bot.blocks.common import info_modal, metadata_of, state_values
from bot.blocks.minutes import (
    APOLOGIES_ACTION,
    APOLOGIES_CALLBACK,
    APPROVED_ACTION,
    APPROVED_CALLBACK,
    DECLARATION_CALLBACK,
    DECLARE_ACTION,
    apologies_modal,
    approved_file,
    approved_minutes_modal,
    declaration_modal,
)
from bot.deps import Deps, deps_of
from bot.listeners.common import just_ack
from bot.slack import dm, download_private_file, file_of, open_view

__all__ = [
    "APOLOGIES_ACTION",
    "APOLOGIES_CALLBACK",
    "APPROVED_ACTION",
    "APPROVED_CALLBACK",
    "DECLARATION_CALLBACK",
    "DECLARE_ACTION",
    "apologies_command",
    "register",
]


@errors.as_text
def apologies_command(deps: Deps, user: str, args: list[str]) -> str:
    """``/boardclerk apologies [MEETING] [reason…]``: the reply text (ephemeral)."""
    refs = [a for a in args if ":" in a]
    reason = " ".join(a for a in args if ":" not in a) or None
    with deps.session() as session:
        if refs:
            meeting_ref = refs[0]
        else:
            upcoming = my_meetings(session, user, deps.now())
            if not upcoming:
                return messages.NO_UPCOMING_APOLOGIES
            meeting_ref = upcoming[0].ref
        receipt = send_apologies(
            session, actor=Actor.slack(user), meeting_ref=meeting_ref, reason=reason, now=deps.now()
        )
    return messages.done(receipt.summary())


def _label(deps: Deps, meeting_ref: str) -> tuple[str, list[tuple[str, str]]]:
    with deps.read() as session:
        meeting = meeting_summary(session, meeting_ref)
        items = [(str(i), f"#{i} {title}"[:75]) for i, title in agenda_titles(session, meeting_ref)]
    return f"{meeting.body_name}, {meeting.date:%a %-d %b %Y}", items


@errors.in_modal("Apologies")
def open_apologies(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    label, _ = _label(deps_of(context), action["value"])
    open_view(client, body, apologies_modal(action["value"], label))


@errors.in_modal("Declare an interest")
def open_declaration(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    label, items = _label(deps_of(context), action["value"])
    if not items:
        raise InvalidInput(messages.nothing_on_agenda(action["value"]))
    open_view(client, body, declaration_modal(action["value"], label, items))


@errors.on_field("reason")
def submit_apologies(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    with deps.session() as session:
        receipt = send_apologies(
            session,
            actor=Actor.slack(body["user"]["id"]),
            meeting_ref=metadata_of(view).get("meeting", ""),
            reason=state_values(view).get("reason", ("reason", None))[1],
            now=deps.now(),
        )
    ack(response_action="update", view=info_modal("Apologies", messages.done(receipt.summary())))


def _declaration_field(_view: Mapping[str, Any], err: BaseException) -> str:
    text = err.message if isinstance(err, BoardclerkError) else ""
    return "item" if "agenda" in text or "item" in text.lower() else "interest"


@errors.on_field(_declaration_field)
def submit_declaration(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    deps = deps_of(context)
    values = state_values(view)

    def val(name: str) -> Any:
        return values.get(name, (name, None))[1]

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
    ack(
        response_action="update",
        view=info_modal("Declare an interest", messages.done(receipt.summary())),
    )


@errors.in_modal("Approved minutes")
def open_approved(
    body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    label, _ = _label(deps_of(context), action["value"])
    open_view(client, body, approved_minutes_modal(action["value"], label))


def check_approved(ack: Ack, view: dict[str, Any]) -> None:
    file = approved_file(view)
    if file is None or not str(file.get("name", "")).lower().endswith((".docx", ".pdf")):
        ack(response_action="errors", errors={"file": messages.ATTACH_APPROVED_MINUTES})
        return
    ack()


def _file_name(view: dict[str, Any] | None) -> str:
    file = approved_file(view or {}) or {}
    return str(file.get("name") or "minutes")


def _not_filed(kwargs: Mapping[str, Any], problem: str) -> str:
    return messages.minutes_not_filed(_file_name(kwargs["view"]), problem)


@errors.by_dm_saying(_not_filed)
def save_approved(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    # Downloading and checking the file may take seconds: after the ack, then a DM.
    deps, user = deps_of(context), body["user"]["id"]
    file: dict[str, Any] | None = approved_file(view)
    if file is None:
        return
    if not file.get("url_private_download"):
        file = file_of(client, file["id"])
    data = download_private_file(
        file.get("url_private_download") or file["url_private"],
        context.bot_token or "",
        api_url=client.base_url,
    )
    secret = approved_file(view, "confidential")
    secret_data = None
    if secret is not None:  # the Part B minutes: only ever an exempt paper
        if not secret.get("url_private_download"):
            secret = file_of(client, secret["id"])
        secret_data = download_private_file(
            secret.get("url_private_download") or secret["url_private"],
            context.bot_token or "",
            api_url=client.base_url,
        )
    with deps.session() as session:
        result = file_approved_minutes(
            session,
            deps.store,
            actor=Actor.slack(user),
            meeting_ref=metadata_of(view).get("meeting", ""),
            file_name=_file_name(view),
            data=data,
            now=deps.now(),
            source="slack",
            confidential_file_name=str(secret.get("name") or "") if secret else None,
            confidential_data=secret_data,
        )
    dm(client, user, messages.done(result.summary()))


def register(app: App) -> None:
    app.action(APOLOGIES_ACTION)(ack=just_ack, lazy=[open_apologies])
    app.action(DECLARE_ACTION)(ack=just_ack, lazy=[open_declaration])
    app.action(APPROVED_ACTION)(ack=just_ack, lazy=[open_approved])
    app.view(APPROVED_CALLBACK)(ack=check_approved, lazy=[save_approved])
    app.view(APOLOGIES_CALLBACK)(submit_apologies)
    app.view(DECLARATION_CALLBACK)(submit_declaration)
