"""The audit trail: one row per change, written in the change's own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from agenda.board.models import AuditEvent
from agenda.board.permissions import Actor


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    at: dt.datetime,
    organisation_id: int | None = None,
    subject: str | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        organisation_id=organisation_id,
        actor=actor.id,
        action=action,
        subject=subject,
        detail=detail,
        at=at,
    )
    session.add(event)
    return event
