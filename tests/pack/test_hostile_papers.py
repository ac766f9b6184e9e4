"""Hostile papers: each file of the corpus (tests/support/hostile.py) is submitted as an author
would and the public pack is built with real LibreOffice. Nothing outside the paper may be
read, no connection may be attempted, the public pack carries no active content, and the
author is told what was taken out (or why the file was refused)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import Engine

from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.documents.render import RenderCache
from agenda.documents.sanitize_pdf import active_content
from agenda.errors import PaperRejected
from agenda.filestore import LocalFileStore
from agenda.pack.build import PackResult, build_pack
from agenda.plan.papers import Receipt, submit_paper
from tests.support import factories, hostile
from tests.support.hostile import SECRET_TEXT, VISIBLE_TEXT, Listener, Secrets

pytestmark = pytest.mark.soffice

AUTHOR = Actor.slack("U0AUTH001")
CLERK = Actor.slack("U0CLERK01")
NOW = dt.datetime(2027, 3, 24, 12, 0, tzinfo=dt.UTC)
REF = "hwb:2027-04-01"


@dataclass
class Outcome:
    receipt: Receipt
    pack: PackResult
    pdf: bytes
    docx: bytes
    text: str  # pdftotext of the public PDF pack
    connections: list[bytes]  # what the loopback listener saw during submission and build


@pytest.fixture
def secrets(tmp_path: Path) -> Secrets:
    return Secrets.create(tmp_path / "server-secrets")


@pytest.fixture
def listener() -> Iterator[Listener]:
    with hostile.listening() as listener:
        yield listener


@pytest.fixture
def submit_and_build(
    sqlite_engine: Engine, data_dir: Path, listener: Listener
) -> Callable[[str, bytes], Outcome]:
    """Submit the file as its author and build the public pack, with a listener on loopback
    (the one hostile files point at) recording any connection made meanwhile."""
    store = LocalFileStore(data_dir)

    def run(file_name: str, data: bytes) -> Outcome:
        with transaction(sqlite_engine) as session:
            org = factories.organisation(session)
            body = factories.body(session, org)
            meeting = factories.meeting(session, body, dt.date(2027, 4, 1))
            item = factories.item(session, meeting, title="Annual Plan")
            receipt = submit_paper(
                session,
                store,
                actor=AUTHOR,
                item_id=item.id,
                file_name=file_name,
                data=data,
                now=NOW,
            )
        with transaction(sqlite_engine) as session:
            result = build_pack(
                session,
                store,
                REF,
                private=False,
                now=NOW,
                actor=CLERK,
                cache=RenderCache(data_dir / "render-cache"),
            )
        pdf = result.outputs["pdf"].path.read_bytes()
        text = subprocess.run(
            ["pdftotext", "-layout", str(result.outputs["pdf"].path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return Outcome(
            receipt,
            result,
            pdf,
            result.outputs["docx"].path.read_bytes(),
            text,
            list(listener.connections),
        )

    return run


def _assert_clean_public_pack(outcome: Outcome) -> None:
    """Nothing outside the paper read, no connection attempted, no active content."""
    assert active_content(outcome.pdf) == set()
    assert SECRET_TEXT not in outcome.text
    assert hostile.secret_pixels_in(outcome.pdf) == 0
    _assert_clean_word_pack(outcome.docx)
    assert outcome.connections == [], "something connected to the loopback listener"


_DANGEROUS_INSTR = re.compile(rb"(INCLUDETEXT|INCLUDEPICTURE|DDEAUTO|\bDDE\b|\bLINK\b)")


def _assert_clean_word_pack(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        for name in pack.namelist():
            body = pack.read(name)
            assert SECRET_TEXT.encode() not in body, name
            if name.endswith(".rels"):
                for target in re.findall(rb'Target="([^"]+)"[^>]*TargetMode="External"', body):
                    assert target.startswith((b"http://", b"https://", b"mailto:")), target
                assert b"file:" not in body and b"127.0.0.1" not in body, name
            elif name.endswith(".xml"):
                assert not _DANGEROUS_INSTR.search(body), name


def test_a_picture_linked_to_a_server_file_is_removed_and_the_author_told(
    submit_and_build: Callable[[str, bytes], Outcome], secrets: Secrets
) -> None:
    outcome = submit_and_build("plan.docx", hostile.linked_local_picture(secrets))
    _assert_clean_public_pack(outcome)
    assert VISIBLE_TEXT in outcome.text
    assert any("linked picture was removed" in n for n in outcome.receipt.removed)
    assert "embed" in outcome.receipt.summary()


def test_a_picture_linked_to_an_internal_address_is_never_fetched(
    submit_and_build: Callable[[str, bytes], Outcome], listener: Listener
) -> None:
    outcome = submit_and_build("plan.docx", hostile.linked_url_picture(listener))
    _assert_clean_public_pack(outcome)
    assert any("linked picture" in n for n in outcome.receipt.removed)


def test_includetext_fields_keep_their_last_text_but_never_read_the_file(
    submit_and_build: Callable[[str, bytes], Outcome], secrets: Secrets
) -> None:
    outcome = submit_and_build("plan.docx", hostile.include_text_field(secrets))
    _assert_clean_public_pack(outcome)
    assert "Included text (simple)." in outcome.text
    assert "Included text (complex)." in outcome.text
    assert any("INCLUDETEXT" in n for n in outcome.receipt.removed)


def test_includepicture_fields_read_no_file_and_fetch_no_address(
    submit_and_build: Callable[[str, bytes], Outcome], secrets: Secrets, listener: Listener
) -> None:
    outcome = submit_and_build("plan.docx", hostile.include_picture_field(secrets, listener))
    _assert_clean_public_pack(outcome)
    assert any("INCLUDEPICTURE" in n for n in outcome.receipt.removed)


def test_dde_fields_are_unlinked(submit_and_build: Callable[[str, bytes], Outcome]) -> None:
    outcome = submit_and_build("plan.docx", hostile.dde_field())
    _assert_clean_public_pack(outcome)
    assert any("DDE" in n for n in outcome.receipt.removed)


def test_a_linked_ole_object_is_removed(
    submit_and_build: Callable[[str, bytes], Outcome], secrets: Secrets
) -> None:
    outcome = submit_and_build("plan.docx", hostile.linked_ole_object(secrets))
    _assert_clean_public_pack(outcome)
    assert any("linked object" in n for n in outcome.receipt.removed)


def test_an_attached_template_on_a_url_is_never_fetched(
    submit_and_build: Callable[[str, bytes], Outcome], listener: Listener
) -> None:
    outcome = submit_and_build("plan.docx", hostile.external_template(listener))
    _assert_clean_public_pack(outcome)
    assert any("template" in n for n in outcome.receipt.removed)


def test_a_link_to_a_local_file_is_unlinked_and_web_links_stay_in_the_word_copy(
    submit_and_build: Callable[[str, bytes], Outcome], secrets: Secrets
) -> None:
    outcome = submit_and_build("plan.docx", hostile.unsafe_hyperlink(secrets))
    _assert_clean_public_pack(outcome)
    assert "the file" in outcome.text and "the website" in outcome.text
    assert b"https://www.example.org/plan" in zipfile.ZipFile(io.BytesIO(outcome.docx)).read(
        "word/_rels/document.xml.rels"
    )
    assert any("unlinked" in n for n in outcome.receipt.removed)


def test_a_macro_enabled_word_file_is_refused_with_a_clear_message(
    submit_and_build: Callable[[str, bytes], Outcome],
) -> None:
    with pytest.raises(PaperRejected, match="macro-enabled"):
        submit_and_build("plan.docx", hostile.macro_enabled())


def test_pdf_javascript_is_stripped_and_internal_links_kept(
    submit_and_build: Callable[[str, bytes], Outcome],
) -> None:
    outcome = submit_and_build("plan.pdf", hostile.pdf_javascript())
    _assert_clean_public_pack(outcome)
    assert any("JavaScript" in n for n in outcome.receipt.removed)
    with pikepdf.open(io.BytesIO(outcome.pdf)) as pdf:
        gotos = [
            a
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/A" in a and str(a.A.get("/S")) == "/GoTo" or "/Dest" in a
        ]
    assert gotos, "the paper's internal link to its page 2 survives"


def test_pdf_launch_submit_and_outside_links_are_removed(
    submit_and_build: Callable[[str, bytes], Outcome], listener: Listener
) -> None:
    outcome = submit_and_build("plan.pdf", hostile.pdf_launch_and_links(listener))
    _assert_clean_public_pack(outcome)
    notes = " ".join(outcome.receipt.removed)
    assert "starts another program" in notes and "web addresses" in notes
    assert f"{listener.port}".encode() not in outcome.pdf


def test_pdf_embedded_files_are_removed(
    submit_and_build: Callable[[str, bytes], Outcome],
) -> None:
    outcome = submit_and_build("plan.pdf", hostile.pdf_embedded_file())
    _assert_clean_public_pack(outcome)
    assert b"invoice.exe" not in outcome.pdf
    assert any("embedded file" in n for n in outcome.receipt.removed)


def test_a_pdf_that_inflates_to_hundreds_of_megabytes_is_refused_quickly(
    submit_and_build: Callable[[str, bytes], Outcome],
) -> None:
    with pytest.raises(PaperRejected, match="expands to more than"):
        submit_and_build("plan.pdf", hostile.pdf_inflation_bomb())


def test_a_pdf_over_the_page_limit_is_refused_saying_the_limit(
    submit_and_build: Callable[[str, bytes], Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDCLERK_MAX_PAPER_PAGES", "3")
    pdf = hostile._base_pdf(4)
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(PaperRejected, match="4 pages; papers can have at most 3"):
        submit_and_build("long.pdf", out.getvalue())
