"""``/boardclerk``: help, submit, plan, status, pack, minutes.

Read-only answers (help, plan, status) are quick database reads, so they are the ack itself
(an ephemeral reply only the user sees). ``submit`` opens a modal from the lazy part; pack and
minutes queue a job for the worker.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from agenda.errors import BoardclerkError
from agenda.lookup import get_body, get_meeting
from agenda.permissions import Actor, is_clerk
from agenda.plan import forward_plan
from agenda.readiness import meeting_readiness, upcoming_meetings
from bot.deps import Deps
from bot.listeners.common import clerk_meetings, org_tz, queue_build, submit_choices
from bot.views import HELP, plan_blocks, status_blocks, submit_modal

COMMAND = "/boardclerk"


def _words(command: dict[str, Any]) -> list[str]:
    return (command.get("text") or "").split()


def register(app: App, deps: Deps) -> None:
    def answer(ack: Ack, command: dict[str, Any], context: dict[str, Any]) -> None:
        words = _words(command)
        sub = words[0].lower() if words else "help"
        user = command["user_id"]
        try:
            if sub == "help":
                ack(text=HELP)
            elif sub == "submit":
                ack()
            elif sub == "plan":
                ack(**_plan(deps, user, words[1] if len(words) > 1 else None))
            elif sub == "status":
                ack(**_status(deps, user, words[1] if len(words) > 1 else None))
            elif sub in ("pack", "minutes"):
                ack(text=_build(deps, sub, user, words[1:], context.get("team_id")))
            else:
                ack(text=f"I don't know `{sub}`.\n\n{HELP}")
        except BoardclerkError as err:
            ack(text=f":x: {err}")

    def open_submit(command: dict[str, Any], client: WebClient) -> None:
        if (_words(command) or ["help"])[0].lower() != "submit":
            return
        with deps.session() as session:
            view = submit_modal(submit_choices(session, command["user_id"], deps.now()))
        client.views_open(trigger_id=command["trigger_id"], view=view)

    app.command(COMMAND)(ack=answer, lazy=[open_submit])


def _plan(deps: Deps, user: str, body_key: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.session() as session:
        tz = org_tz(session)
        if body_key:
            get_body(session, body_key)   # a clear "no body called …" before anything else
        plans = forward_plan(session, body_key=body_key, viewer=actor, now=deps.now())
        mine = {m.ref for m in upcoming_meetings(session, now=deps.now(), slack_id=user)}
        if not body_key:
            plans = [p for p in plans if p.meeting_ref in mine]
        clerk_of = {p.meeting_ref for p in plans
                    if is_clerk(session, get_meeting(session, p.meeting_ref).body, actor)}
    return {"text": "Forward plan", "blocks": plan_blocks(plans, clerk_of=clerk_of, tz=tz)}


def _status(deps: Deps, user: str, meeting_ref: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.session() as session:
        tz = org_tz(session)
        if meeting_ref is None:
            upcoming = upcoming_meetings(session, now=deps.now(), slack_id=user)
            if not upcoming:
                return {"text": "You have no upcoming meetings. Name one: `/boardclerk status hwb:2027-04-01`."}
            meeting_ref = upcoming[0].ref
        readiness = meeting_readiness(session, meeting_ref, now=deps.now(), viewer=actor)
    return {"text": f"{readiness.meeting_ref}: {readiness.headline()}",
            "blocks": status_blocks(readiness, tz)}


def _build(deps: Deps, what: str, user: str, args: list[str], team_id: str | None) -> str:
    private = any(a.lower() in ("private", "partb", "part-b") for a in args)
    refs = [a for a in args if ":" in a]
    if refs:
        meeting_ref = refs[0]
    else:
        with deps.session() as session:
            meetings = clerk_meetings(session, user, deps.now())
        if not meetings:
            return (f"Name the meeting, e.g. `/boardclerk {what} hwb:2027-04-01`. "
                    f"Only a body's clerk can build its {what}.")
        meeting_ref = meetings[0].ref
    return queue_build(deps, what, meeting_ref, user=user, private=private, team_id=team_id)
