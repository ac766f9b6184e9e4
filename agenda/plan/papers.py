"""Submitting papers. Every submission is a new version; nothing is overwritten.

The file is checked, then stored content-addressed *before* the paper row is flushed, so a row
never names a missing file; if anything fails after the file is stored, the transaction rolls
back and the previous version stays current (the stored bytes are simply unreferenced).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.board import audit
from agenda.board.due import item_due_at
from agenda.board.fit import clean, column_length, fit, shortened_file_name
from agenda.board.lookup import get_item
from agenda.board.models import ForwardPlanItem, ItemStatus, Meeting, Member, Paper, Role
from agenda.board.permissions import Actor, require_can_submit
from agenda.clock import zone
from agenda.documents.accessibility import Report as AccessibilityReport
from agenda.documents.accessibility import check_paper as check_accessibility
from agenda.documents.filecheck import check_paper_file
from agenda.documents.words import short_moment
from agenda.errors import DeadlinePassed, InvalidInput, PaperRejected
from agenda.filestore import FileStore
from agenda.kinds import AccessibilityPolicy
from agenda.reminders import planning as reminders


@dataclass(frozen=True)
class Receipt:
    """What the author is told, and what the clerk needs to know, after a submission."""

    paper_id: int
    item_id: int
    item_title: str
    meeting_ref: str
    body_name: str
    version: int
    file_name: str
    file_kind: str
    sha256: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    on_time: bool
    exempt: bool
    clerk_slack_ids: tuple[str, ...]  # whom to flag a late paper to
    late_reason: str | None = None
    accessibility: AccessibilityReport | None = None  # the check at submission
    # What neutralising took out of the file ("A linked picture was removed: ..."): the
    # stored paper is the file as sent; every pack is built from the neutralised copy.
    removed: tuple[str, ...] = ()
    # The author marked the paper exempt on an item the clerk has not made exempt: it is held
    # out of public artefacts and the clerk must accept or reject (plan.exempt_requests).
    exempt_requested: bool = False
    exempt_reason: str | None = None

    def summary(self, tz: str = "Europe/London") -> str:
        when = "on time" if self.on_time else "LATE"
        due = (
            f"; it was due {short_moment(self.due_at.astimezone(zone(tz)))}" if self.due_at else ""
        )
        text = (
            f"Received '{self.item_title}' for {self.meeting_ref} as version {self.version} "
            f"({self.file_name}), {when}{due}."
        )
        if self.exempt_requested:
            text += (
                " You marked it exempt: it is held out of the public agenda pack until the "
                "clerk decides."
            )
        if self.removed:
            text += " Before publication: " + " ".join(self.removed)
        notes = self.accessibility_text()
        return f"{text}\n{notes}" if notes else text

    def accessibility_text(self) -> str | None:
        """What the author should fix so the paper can be read by everyone (the paper is
        accepted either way), one line each; None when the check found nothing."""
        report = self.accessibility
        if report is None or (report.passed and report.complete):
            return None
        head = (
            "The paper is accepted. To make it accessible to everyone (screen readers, "
            "people who zoom), please fix, then send it again:"
            if report.findings
            else "The paper is accepted."
        )
        return "\n".join([head, *report.lines()])


def _meeting_open_for_papers(meeting: Meeting | None, title: str, now: dt.datetime) -> Meeting:
    if meeting is None:
        raise InvalidInput(
            f"'{title}' is not planned for a meeting, so it cannot take a paper yet."
        )
    meeting.require_open(
        now,
        cancelled=DeadlinePassed(
            f"The meeting {meeting.ref} has been cancelled; ask the clerk where "
            f"'{title}' is going now."
        ),
        over=DeadlinePassed(
            f"The meeting {meeting.ref} has already taken place, so papers for it are closed."
        ),
    )
    return meeting


def next_version(session: Session, item_id: int) -> int:
    """The next version number of an item's paper. The item's row is locked first (``SELECT …
    FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already makes writers take turns),
    so concurrent submissions for one item queue here and each reads the version the previous
    one committed: all land, numbered without gaps, instead of colliding on the unique key."""
    session.execute(
        select(ForwardPlanItem.id).where(ForwardPlanItem.id == item_id).with_for_update()
    )
    latest = session.scalar(select(func.max(Paper.version)).where(Paper.item_id == item_id))
    return (latest or 0) + 1


def submit_paper(
    session: Session,
    store: FileStore,
    *,
    actor: Actor,
    item_id: int | str,
    file_name: str,
    data: bytes,
    title: str | None = None,
    presenter: str | None = None,
    authors: str | None = None,
    executive_summary: str | None = None,
    recommendations: list[str] | tuple[str, ...] | str | None = None,
    exempt_reason: str | None = None,
    late_reason: str | None = None,
    now: dt.datetime,
    source: str = "slack",
) -> Receipt:
    """File a paper for a forward plan item. Authors named on the item may submit; so may the
    body's clerk (for papers received by e-mail or post)."""
    item = get_item(session, item_id)
    require_can_submit(session, item, actor)
    if item.status == ItemStatus.WITHDRAWN.value:
        raise InvalidInput(
            f"'{item.title}' has been withdrawn from the forward plan, so it takes no paper."
        )
    meeting = _meeting_open_for_papers(item.meeting, item.title, now)
    file_name = shortened_file_name(clean(file_name) or "", column_length(Paper.file_name))
    title = fit(title, Paper.title, "title")
    presenter = fit(presenter, Paper.presenter, "presenter")
    checked = check_paper_file(file_name, data)
    # Time-limited and never raising: a check that fails only says what it could not check.
    report = check_accessibility(data, checked.kind)
    if item.body.accessibility == AccessibilityPolicy.REQUIRE.value and report.findings:
        raise PaperRejected(
            f"The {item.body.name} accepts only accessible papers, and '{item.title}' needs "
            "these fixes first:\n" + "\n".join(report.lines()),
            hint="fix them in Word and send the paper again",
        )
    removed = what_publication_removes(file_name, checked.kind, data)
    if isinstance(recommendations, str):
        recommendations = recommendations.splitlines()
    recs = [r.strip(" \t-•") for r in map(clean, recommendations or []) if r and r.strip(" \t-•")]
    reason = clean(exempt_reason) or (item.exempt_reason if item.exempt else None)

    digest = store.put(data)  # stored before the row, so the row never names a missing file
    version = next_version(session, item.id)
    due = item_due_at(item)
    on_time = due is None or now <= due
    paper = Paper(
        item_id=item.id,
        meeting_id=meeting.id,
        version=version,
        title=clean(title) or item.title,
        presenter=clean(presenter) or item.lead,
        authors=clean(authors) or ", ".join(a.label for a in item.authors) or None,
        executive_summary=clean(executive_summary),
        recommendations=recs,
        exempt_reason=reason,
        file_name=file_name,
        file_kind=checked.kind,
        file_size=len(data),
        sha256=digest,
        pages=checked.pages,
        submitted_by=actor.id,
        submitted_at=now,
        due_at=due,
        on_time=on_time,
        late_reason=None if on_time else clean(late_reason),
        source=source,
        accessibility=report.as_json(),
    )
    session.add(paper)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="paper.submit",
        at=now,
        organisation_id=item.body.organisation_id,
        subject=f"item:{item.id}",
        version=version,
        sha256=digest,
        on_time=on_time,
        file_name=file_name,
        accessibility_issues=[f.code for f in report.findings],
    )
    session.refresh(item)
    reminders.replan_item(session, item, now=now)
    clerks = session.scalars(
        select(Member.slack_id).where(
            Member.body_id == item.body_id,
            Member.role == Role.CLERK.value,
            Member.active.is_(True),
            Member.slack_id.is_not(None),
        )
    )
    return Receipt(
        paper_id=paper.id,
        item_id=item.id,
        item_title=item.title,
        meeting_ref=meeting.ref,
        body_name=item.body.name,
        version=version,
        file_name=file_name,
        file_kind=checked.kind,
        sha256=digest,
        submitted_at=now,
        due_at=due,
        on_time=on_time,
        exempt=item.exempt,
        clerk_slack_ids=tuple(s for s in clerks if s),
        late_reason=paper.late_reason,
        accessibility=report,
        removed=removed,
        exempt_requested=item.exempt_requested,
        exempt_reason=reason,
    )


def what_publication_removes(file_name: str, kind: str, data: bytes) -> tuple[str, ...]:
    """What neutralising will take out of this paper before any pack includes it, in words for
    the author; refuses a PDF whose active content cannot be removed."""
    from agenda.documents.sanitize_docx import neutralise_docx
    from agenda.documents.sanitize_pdf import UnsafePdf, sanitise_pdf

    if kind == "docx":
        return neutralise_docx(data).notes
    try:
        return sanitise_pdf(data).notes
    except UnsafePdf as err:
        raise PaperRejected(f"‘{file_name}’: {err}") from err
    except Exception as err:  # qpdf cannot read what pypdf could
        raise PaperRejected(
            f"‘{file_name}’ is a damaged PDF and cannot be read. Export it to PDF again and "
            "submit it again."
        ) from err
