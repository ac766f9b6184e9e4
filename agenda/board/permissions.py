"""Who may do what. Checked in the services, so the bot and the CLI cannot forget it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.board.models import Body, ForwardPlanItem, Member, Role
from agenda.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``slack_id`` for people in Slack; ``operator`` for whoever runs the CLI on
    the server, who acts with a clerk's rights on every body (they could edit the database)."""

    id: str
    slack_id: str | None = None
    operator: bool = False

    @classmethod
    def slack(cls, user_id: str) -> Actor:
        return cls(id=user_id, slack_id=user_id)

    @classmethod
    def cli(cls, name: str = "operator") -> Actor:
        return cls(id=f"cli:{name}", operator=True)

    @classmethod
    def system(cls) -> Actor:
        return cls(id="system", operator=True)


def _member_roles(session: Session, body: Body, actor: Actor) -> set[str]:
    if not actor.slack_id:
        return set()
    rows = session.scalars(
        select(Member.role).where(
            Member.body_id == body.id, Member.slack_id == actor.slack_id, Member.active.is_(True)
        )
    )
    return set(rows)


def is_clerk(session: Session, body: Body, actor: Actor) -> bool:
    return actor.operator or Role.CLERK.value in _member_roles(session, body, actor)


def is_chair(session: Session, body: Body, actor: Actor) -> bool:
    roles = _member_roles(session, body, actor)
    return Role.CHAIR.value in roles or Role.VICE_CHAIR.value in roles


def require_clerk(session: Session, body: Body, actor: Actor, doing: str) -> None:
    if not is_clerk(session, body, actor):
        raise PermissionDenied(
            f"Only the clerk of the {body.name} can {doing}.",
            hint="ask the clerk, or have them add you as clerk in the configuration",
        )


@dataclass(frozen=True)
class Clerking:
    """The bodies an actor clerks, read once for a view of many items and meetings (instead of
    one query per item)."""

    actor: Actor
    body_ids: frozenset[int]

    def of(self, body_id: int) -> bool:
        return self.actor.operator or body_id in self.body_ids


def clerking(session: Session, actor: Actor) -> Clerking:
    if actor.operator or not actor.slack_id:
        return Clerking(actor, frozenset())
    rows = session.scalars(
        select(Member.body_id).where(
            Member.slack_id == actor.slack_id,
            Member.role == Role.CLERK.value,
            Member.active.is_(True),
        )
    )
    return Clerking(actor, frozenset(rows))


def is_author(item: ForwardPlanItem, actor: Actor) -> bool:
    return bool(actor.slack_id) and any(a.slack_id == actor.slack_id for a in item.authors)


def require_can_submit(session: Session, item: ForwardPlanItem, actor: Actor) -> None:
    if is_author(item, actor) or is_clerk(session, item.body, actor):
        return
    raise PermissionDenied(
        f"You are not named as an author of '{item.title}', so you cannot submit its paper.",
        hint=f"ask the clerk of the {item.body.name} to add you as an author",
    )


def can_see_exempt(
    session: Session, item: ForwardPlanItem, actor: Actor, clerks: Clerking | None = None
) -> bool:
    """Exempt papers and their details: the body's clerk and the paper's authors only.
    ``clerks``: the actor's :func:`clerking`, when a view has read it already."""
    if is_author(item, actor):
        return True
    if clerks is not None:
        return clerks.of(item.body_id)
    return is_clerk(session, item.body, actor)
