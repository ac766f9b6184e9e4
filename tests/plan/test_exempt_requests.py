"""An author's "exempt" on an ordinary item holds the paper out of every public artefact until
the clerk accepts or rejects the request."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from sqlalchemy import Engine

from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.documents.render import RenderCache
from agenda.errors import InvalidInput, PermissionDenied
from agenda.filestore import LocalFileStore
from agenda.pack.build import PackResult, build_pack
from agenda.pack.readiness import meeting_readiness, render_readiness
from agenda.plan.exempt_requests import decide_exempt_request, pending_requests
from agenda.plan.papers import submit_paper
from tests.support import factories

AUTHOR = Actor.slack("U0AUTH001")
CLERK = Actor.slack("U0CLERK01")
NOW = dt.datetime(2027, 3, 24, 12, 0, tzinfo=dt.UTC)
REF = "hwb:2027-04-01"
SECRET_WORDS = "Tender prices from Acme Care Homes"
REASON = "Paragraph 3 of Part 1 of Schedule 12A: commercial information"


def _paper() -> bytes:
    document = docx.Document()
    document.add_paragraph(SECRET_WORDS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _submitted(engine: Engine, store: LocalFileStore) -> int:
    with transaction(engine) as session:
        org = factories.organisation(session)
        body = factories.body(session, org)
        meeting = factories.meeting(session, body, dt.date(2027, 4, 1))
        item = factories.item(session, meeting, title="Care Home Contract Award")
        receipt = submit_paper(
            session,
            store,
            actor=AUTHOR,
            item_id=item.id,
            file_name="contract.docx",
            data=_paper(),
            exempt_reason=REASON,
            now=NOW,
        )
        assert receipt.exempt_requested and not receipt.exempt
        assert "held out of the public agenda pack until the clerk decides" in receipt.summary()
        return item.id


def _public_pack(engine: Engine, store: LocalFileStore, data_dir: Path) -> PackResult:
    with transaction(engine) as session:
        return build_pack(
            session,
            store,
            REF,
            private=False,
            now=NOW,
            actor=CLERK,
            cache=RenderCache(data_dir / "render-cache"),
        )


def _public_text(result: PackResult) -> str:
    pdf = subprocess.run(
        ["pdftotext", str(result.outputs["pdf"].path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with zipfile.ZipFile(result.outputs["docx"].path) as word:
        return pdf + word.read("word/document.xml").decode()


@pytest.mark.soffice
def test_an_authors_exempt_request_holds_the_paper_out_of_the_public_pack(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    _submitted(sqlite_engine, store)
    with transaction(sqlite_engine) as session:
        text = render_readiness(meeting_readiness(session, REF, now=NOW), factories.LONDON)
        assert "[EXEMPT REQUESTED]" in text
        [request] = pending_requests(session)
        assert request.reason == REASON and request.submitted_by == AUTHOR.id
    assert SECRET_WORDS not in _public_text(_public_pack(sqlite_engine, store, data_dir))


@pytest.mark.soffice
def test_a_rejected_request_publishes_the_paper_and_an_accepted_one_keeps_it_private(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    item_id = _submitted(sqlite_engine, store)
    with transaction(sqlite_engine) as session:
        decision = decide_exempt_request(
            session, actor=CLERK, item_id=item_id, accept=False, now=NOW
        )
        assert decision.author_slack_ids == ("U0AUTH001",) and not decision.accepted
        assert pending_requests(session) == []
    assert SECRET_WORDS in _public_text(_public_pack(sqlite_engine, store, data_dir))

    # The author sends it again marked exempt; this time the clerk agrees.
    with transaction(sqlite_engine) as session:
        submit_paper(
            session,
            store,
            actor=AUTHOR,
            item_id=item_id,
            file_name="contract.docx",
            data=_paper(),
            exempt_reason=REASON,
            now=NOW,
        )
        decision = decide_exempt_request(
            session, actor=CLERK, item_id=item_id, accept=True, now=NOW
        )
        assert decision.accepted
    with transaction(sqlite_engine) as session:
        text = render_readiness(meeting_readiness(session, REF, now=NOW), factories.LONDON)
        assert "[EXEMPT]" in text and "REQUESTED" not in text
    assert SECRET_WORDS not in _public_text(_public_pack(sqlite_engine, store, data_dir))


def test_only_the_clerk_decides_and_only_a_pending_request(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    item_id = _submitted(sqlite_engine, store)
    with transaction(sqlite_engine) as session, pytest.raises(PermissionDenied):
        decide_exempt_request(session, actor=AUTHOR, item_id=item_id, accept=True, now=NOW)
    with transaction(sqlite_engine) as session:
        decide_exempt_request(session, actor=CLERK, item_id=item_id, accept=True, now=NOW)
    with transaction(sqlite_engine) as session, pytest.raises(InvalidInput, match="already"):
        decide_exempt_request(session, actor=CLERK, item_id=item_id, accept=False, now=NOW)
