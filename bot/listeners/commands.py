"""``/boardclerk``: help, submit, plan, status, pack, minutes, apologies, reminders.

The ack only parses the text: help is answered in the ack itself; everything that touches
the database answers through the command's ``response_url`` from the lazy part (an
ephemeral reply only the user sees), so Slack's 3-second ack never waits on the database.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from agenda.board.permissions import Actor
from agenda.jobs.builds import request_build
from agenda.pack.overview import clerk_meetings, my_meetings, organisation_tz, submit_choices
from agenda.pack.readiness import meeting_readiness
from agenda.plan.items import forward_plan
from bot import errors, messages
from bot.blocks.common import View
from bot.blocks.home import status_blocks
from bot.blocks.plan import plan_blocks
from bot.blocks.submit import choices_of, submit_modal
from bot.deps import Deps, deps_of
from bot.listeners.common import open_modal_first, slow
from bot.listeners.minutes import apologies_command
from bot.listeners.reminders import reminders_command

COMMAND = "/boardclerk"
SUBS = ("help", "submit", "plan", "status", "pack", "minutes", "apologies", "reminders")


def _words(command: dict[str, Any]) -> list[str]:
    return (command.get("text") or "").split()


def _sub(command: dict[str, Any]) -> str:
    words = _words(command)
    return words[0].lower() if words else "help"


def answer(ack: Ack, command: dict[str, Any]) -> None:
    sub = _sub(command)
    if sub == "help":
        ack(text=messages.HELP)
    elif sub in SUBS:
        ack()
    else:
        ack(text=messages.unknown_command(sub))


def work(
    command: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    if _sub(command) == "submit":  # the modal opens first, while the trigger is fresh
        deps, user = deps_of(context), command["user_id"]
        open_modal_first(
            client,
            command["trigger_id"],
            "Submit a paper",
            lambda: _submit_form(deps, user),
            lambda text: respond(text=text, response_type="ephemeral"),
        )
        return
    slow_work(command, client, respond, context)


def _submit_form(deps: Deps, user: str) -> View:
    with deps.read() as session:
        choices = choices_of(submit_choices(session, user, deps.now()), organisation_tz(session))
    return submit_modal(choices)


@slow
@errors.ephemeral
def slow_work(
    command: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
) -> None:
    deps = deps_of(context)
    sub, args, user = _sub(command), _words(command)[1:], command["user_id"]
    reply: dict[str, Any]
    if sub == "plan":
        reply = plan_reply(deps, user, args[0] if args else None)
    elif sub == "status":
        reply = status_reply(deps, user, args[0] if args else None)
    elif sub in ("pack", "minutes"):
        reply = {"text": build_reply(deps, sub, user, args, context.team_id)}
    elif sub == "apologies":
        reply = {"text": apologies_command(deps, user, args)}
    elif sub == "reminders":
        reply = reminders_command(deps, user, args)
    else:
        return
    respond(response_type="ephemeral", replace_original=False, **reply)


def plan_reply(deps: Deps, user: str, body_key: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.read() as session:
        tz = organisation_tz(session)
        plans = forward_plan(session, body_key=body_key, viewer=actor, now=deps.now())
        if not body_key:
            mine = {m.ref for m in my_meetings(session, user, deps.now())}
            plans = [p for p in plans if p.meeting_ref in mine]
        clerk_of = {m.ref for m in clerk_meetings(session, user, deps.now())}
    return {"text": messages.FORWARD_PLAN, "blocks": plan_blocks(plans, clerk_of=clerk_of, tz=tz)}


def status_reply(deps: Deps, user: str, meeting_ref: str | None) -> dict[str, Any]:
    actor = Actor.slack(user)
    with deps.read() as session:
        tz = organisation_tz(session)
        if meeting_ref is None:
            upcoming = my_meetings(session, user, deps.now())
            if not upcoming:
                return {"text": messages.NO_UPCOMING_STATUS}
            meeting_ref = upcoming[0].ref
        readiness = meeting_readiness(session, meeting_ref, now=deps.now(), viewer=actor)
    return {
        "text": messages.status_text(readiness.meeting_ref, readiness.headline()),
        "blocks": status_blocks(readiness, tz),
    }


def build_reply(deps: Deps, what: str, user: str, args: list[str], team_id: str | None) -> str:
    private = any(a.lower() in ("private", "partb", "part-b") for a in args)
    refs = [a for a in args if ":" in a]
    if refs:
        meeting_ref = refs[0]
    else:
        with deps.read() as session:
            meetings = [m.ref for m in clerk_meetings(session, user, deps.now())]
        if not meetings:
            return messages.name_the_meeting_to_build(what)
        meeting_ref = meetings[0]
    return queue_build(deps, what, meeting_ref, user=user, private=private, team_id=team_id)


def queue_build(
    deps: Deps,
    what: str,
    meeting_ref: str,
    *,
    user: str,
    private: bool = False,
    team_id: str | None = None,
) -> str:
    """Queue a pack or minutes build for the clerk; return what to tell them."""
    with deps.session() as session:
        request_build(
            session,
            what,
            meeting_ref,
            slack_id=user,
            now=deps.now(),
            private=private,
            team_id=team_id,
        )
    return messages.build_queued(what, meeting_ref, private=private)


def register(app: App) -> None:
    app.command(COMMAND)(ack=answer, lazy=[work])
