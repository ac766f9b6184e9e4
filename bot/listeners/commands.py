"""``/boardclerk``: help, submit, plan, status, pack, minutes, apologies, reminders.

The ack only parses the text: help is answered in the ack itself; everything that touches
the database answers through the command's ``response_url`` from the lazy part (an
ephemeral reply only the user sees), so Slack's 3-second ack never waits on the database.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from agenda.board.lookup import get_body
from agenda.board.permissions import Actor
from agenda.errors import BoardclerkError
from agenda.pack.readiness import meeting_readiness, upcoming_meetings
from agenda.plan.items import forward_plan
from bot.deps import Deps
from bot.listeners.common import clerk_meetings, org_tz, queue_build, slow, submit_choices
from bot.views import HELP, plan_blocks, status_blocks, submit_modal

COMMAND = "/boardclerk"
SUBS = ("help", "submit", "plan", "status", "pack", "minutes", "apologies", "reminders")


def _words(command: dict[str, Any]) -> list[str]:
    return (command.get("text") or "").split()


def _sub(command: dict[str, Any]) -> str:
    words = _words(command)
    return words[0].lower() if words else "help"


def register(app: App, deps: Deps) -> None:
    def answer(ack: Ack, command: dict[str, Any]) -> None:
        sub = _sub(command)
        if sub == "help":
            ack(text=HELP)
        elif sub in SUBS:
            ack()
        else:
            ack(text=f"I don't know `{sub}`.\n\n{HELP}")

    @slow
    def work(
        command: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        sub, args, user = _sub(command), _words(command)[1:], command["user_id"]
        if sub == "submit":
            with deps.read() as session:
                view = submit_modal(submit_choices(session, user, deps.now()))
            client.views_open(trigger_id=command["trigger_id"], view=view)
            return
        try:
            if sub == "plan":
                reply = _plan(deps, user, args[0] if args else None)
            elif sub == "status":
                reply = _status(deps, user, args[0] if args else None)
            elif sub in ("pack", "minutes"):
                reply = {"text": _build(deps, sub, user, args, context.team_id)}
            elif sub == "apologies":
                from bot.listeners.minutes import apologies_command

                reply = {"text": apologies_command(deps, user, args)}
            elif sub == "reminders":
                from bot.listeners.reminders import reminders_command

                reply = reminders_command(deps, user, args)
            else:
                return
        except BoardclerkError as err:
            reply = {"text": f":x: {err}"}
        respond(response_type="ephemeral", replace_original=False, **reply)

    app.command(COMMAND)(ack=answer, lazy=[work])


def _plan(deps: Deps, user: str, body_key: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.read() as session:
        tz = org_tz(session)
        if body_key:
            get_body(session, body_key)  # a clear "no body called …" before anything else
        plans = forward_plan(session, body_key=body_key, viewer=actor, now=deps.now())
        if not body_key:
            mine = {m.ref for m in upcoming_meetings(session, now=deps.now(), slack_id=user)}
            plans = [p for p in plans if p.meeting_ref in mine]
        clerk_of = {m.ref for m in clerk_meetings(session, user, deps.now())}
    return {"text": "Forward plan", "blocks": plan_blocks(plans, clerk_of=clerk_of, tz=tz)}


def _status(deps: Deps, user: str, meeting_ref: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.read() as session:
        tz = org_tz(session)
        if meeting_ref is None:
            upcoming = upcoming_meetings(session, now=deps.now(), slack_id=user)
            if not upcoming:
                return {
                    "text": "You have no upcoming meetings. Name one: `/boardclerk status hwb:2027-04-01`."
                }
            meeting_ref = upcoming[0].ref
        readiness = meeting_readiness(session, meeting_ref, now=deps.now(), viewer=actor)
    return {
        "text": f"{readiness.meeting_ref}: {readiness.headline()}",
        "blocks": status_blocks(readiness, tz),
    }


def _build(deps: Deps, what: str, user: str, args: list[str], team_id: str | None) -> str:
    private = any(a.lower() in ("private", "partb", "part-b") for a in args)
    refs = [a for a in args if ":" in a]
    if refs:
        meeting_ref = refs[0]
    else:
        with deps.read() as session:
            meetings = [m.ref for m in clerk_meetings(session, user, deps.now())]
        if not meetings:
            return (
                f"Name the meeting, e.g. `/boardclerk {what} hwb:2027-04-01`. "
                f"Only a body's clerk can build its {what}."
            )
        meeting_ref = meetings[0]
    return queue_build(deps, what, meeting_ref, user=user, private=private, team_id=team_id)
