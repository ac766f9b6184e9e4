"""The pack service: permission, storing and recording packs, rebuilds, bad papers, supplements."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agenda.board.models import ForwardPlanItem, Meeting, Paper
from agenda.board.permissions import Actor
from agenda.db.engine import transaction
from agenda.demo import papers as samples
from agenda.demo.steps import demo_write_packs
from agenda.documents import render
from agenda.documents.render import RenderCache, RenderFailed
from agenda.errors import InvalidInput, PermissionDenied
from agenda.filestore import LocalFileStore
from agenda.pack.build import build_pack, build_supplementary_pack
from agenda.pack.tables import Pack, PackPaper
from tests.support import factories
from tests.support.pack_helpers import (
    EXEMPT_WORDS,
    PaperSpec,
    agenda_references,
    all_text,
    page_texts,
    sample_bytes,
    stamp_pages,
)

pytestmark = pytest.mark.soffice

CLERK = Actor.slack("U0CLERK01")
NOW = dt.datetime(2027, 3, 24, 12, 0, tzinfo=dt.UTC)
REF = "hwb:2027-04-01"


def _submit(
    session: Session,
    store: LocalFileStore,
    item: ForwardPlanItem,
    data: bytes,
    kind: str,
    *,
    author: str = "Jane Smith, Director of Public Health",
    at: dt.datetime = NOW,
) -> Paper:
    paper = Paper(
        item=item,
        meeting_id=item.meeting_id,
        version=len(item.papers) + 1,
        title=item.title,
        file_name=f"{item.title.lower().replace(' ', '-')}.{kind}",
        file_kind=kind,
        file_size=len(data),
        sha256=store.put(data),
        submitted_by="U0AUTH001",
        submitted_at=at,
        authors=author,
        recommendations=[],
    )
    session.add(paper)
    session.flush()
    return paper


def _meeting(
    session: Session, store: LocalFileStore, specs: list[tuple[str, PaperSpec]]
) -> Meeting:
    org = factories.organisation(session)
    body = factories.body(session, org)
    meeting = factories.meeting(session, body, dt.date(2027, 4, 1))
    for n, (title, spec) in enumerate(specs):
        item = factories.item(session, meeting, title=title)
        if spec.exempt:
            item.exempt = True
            item.exempt_reason = "Paragraph 3 of Part 1 of Schedule 12A"
        _submit(session, store, item, sample_bytes(spec, n), spec.kind)
    return meeting


def _check_page_references(pdf: Path) -> None:
    texts = page_texts(pdf)
    front = next(
        i
        for i, t in enumerate(texts)
        if t.strip().splitlines()
        and t.strip().splitlines()[0].strip().startswith(("Appendix", "Agenda Item"))
    )
    said = agenda_references(texts, front)
    assert said, "the agenda gives page references"
    assert stamp_pages(texts[front:], list(said)) == said


PAPERS = [
    ("Better Care Fund", PaperSpec("docx", 2, landscape=True)),
    ("Pharmacy Needs Assessment", PaperSpec("pdf", 2)),
    ("Care Home Contract Award", PaperSpec("docx", 1, exempt=True)),
]


def test_clerk_builds_the_pack_and_it_is_recorded_with_the_paper_versions(
    engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    with transaction(engine) as session:
        _meeting(session, store, PAPERS)
    with transaction(engine) as session:
        result = build_pack(
            session,
            store,
            REF,
            private=False,
            now=NOW,
            actor=CLERK,
            cache=RenderCache(data_dir / "render-cache"),
        )
    assert set(result.outputs) == {"pdf", "docx"}
    pdf = result.outputs["pdf"]
    assert pdf.file_name == "hwb-2027-04-01-agenda-pack.pdf"
    assert store.exists(pdf.sha256) and store.exists(result.outputs["docx"].sha256)
    _check_page_references(pdf.path)
    assert not any(word in all_text(pdf.path) for word in EXEMPT_WORDS)
    docx.Document(str(result.outputs["docx"].path))  # opens
    with transaction(engine) as session:
        packs = session.scalars(select(Pack).order_by(Pack.id)).all()
        assert [(p.kind, p.format, p.built_by) for p in packs] == [
            ("public", "pdf", "U0CLERK01"),
            ("public", "docx", "U0CLERK01"),
        ]
        rows = session.scalars(select(PackPaper).where(PackPaper.pack_id == packs[0].id)).all()
        assert [(r.version, r.withheld) for r in rows] == [(1, False), (1, False), (1, True)]
        assert [(r.first_page, r.last_page) for r in rows] == [
            result.page_ranges[r.entry_key] for r in rows
        ]


def test_only_the_clerk_can_build_the_pack(sqlite_engine: Engine, data_dir: Path) -> None:
    store = LocalFileStore(data_dir)
    with transaction(sqlite_engine) as session:
        _meeting(session, store, PAPERS[:1])
        with pytest.raises(PermissionDenied):
            build_pack(session, store, REF, private=True, now=NOW, actor=Actor.slack("U0AUTH001"))


def test_rebuild_after_one_late_paper_renders_only_that_paper(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    cache = RenderCache(data_dir / "render-cache")
    with transaction(sqlite_engine) as session:
        meeting = _meeting(
            session,
            store,
            [
                ("Better Care Fund", PaperSpec("docx", 1)),
                ("Child Poverty", PaperSpec("docx", 1)),
                ("Healthwatch", PaperSpec("pdf", 1)),
            ],
        )
        build_pack(
            session, store, REF, private=False, formats=("pdf",), now=NOW, actor=CLERK, cache=cache
        )
        late = meeting.items[1]
        _submit(session, store, late, sample_bytes(PaperSpec("docx", 2), 9), "docx")
        session.expire_all()
        render.reset_stats()
        result = build_pack(
            session, store, REF, private=False, formats=("pdf",), now=NOW, actor=CLERK, cache=cache
        )
    # the changed paper plus the front sheet; the unchanged Word paper and the sanitised copy
    # of the PDF paper came from the cache
    assert render.stats.documents_rendered == 2
    assert render.stats.cache_hits == 2
    assert [p.version for p in result.papers] == [1, 2, 1]
    _check_page_references(result.outputs["pdf"].path)


def test_a_bad_paper_names_item_and_author_and_nothing_is_built(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    with transaction(sqlite_engine) as session:
        meeting = _meeting(session, store, PAPERS[:2])
        _submit(
            session,
            store,
            meeting.items[1],
            samples.make_corrupt_pdf(),
            "pdf",
            author="Sam Patel, Head of Pharmacy",
        )
    objects_before = sorted((data_dir / "objects").rglob("*"))
    with pytest.raises(RenderFailed) as err, transaction(sqlite_engine) as session:
        build_pack(
            session,
            store,
            REF,
            private=False,
            now=NOW,
            actor=CLERK,
            cache=RenderCache(data_dir / "render-cache"),
        )
    message = str(err.value)
    assert "Pharmacy Needs Assessment" in message and "Sam Patel" in message
    assert "(Appendix B)" in message
    assert sorted((data_dir / "objects").rglob("*")) == objects_before
    with transaction(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(Pack)) == 0


def test_supplementary_pack_lists_only_papers_that_came_after_publication(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    cache = RenderCache(data_dir / "render-cache")
    with transaction(sqlite_engine) as session:
        meeting = _meeting(
            session,
            store,
            [
                ("Better Care Fund", PaperSpec("pdf", 2)),
                ("Child Poverty Strategy", PaperSpec("pdf", 1)),
            ],
        )
        build_pack(
            session, store, REF, private=False, formats=("pdf",), now=NOW, actor=CLERK, cache=cache
        )
        with pytest.raises(InvalidInput):
            build_supplementary_pack(
                session, store, REF, private=False, now=NOW, actor=CLERK, cache=cache
            )
        late = factories.item(session, meeting, title="Winter Pressures Update")
        _submit(session, store, late, sample_bytes(PaperSpec("pdf", 2), 5), "pdf")
        session.expire_all()
        result = build_supplementary_pack(
            session,
            store,
            REF,
            private=False,
            now=NOW + dt.timedelta(days=2),
            actor=CLERK,
            cache=cache,
        )
    assert result.kind == "supplementary"
    assert [p.paper_id for p in result.papers] == [late.papers[0].id]
    text = all_text(result.outputs["pdf"].path)
    assert "SUPPLEMENTARY AGENDA PACK" in text
    assert "WINTER PRESSURES UPDATE" in text.upper()
    assert "CHILD POVERTY STRATEGY" not in text.upper()
    assert result.page_ranges == {result.papers[0].entry_key: (1, 2)}


def test_a_meeting_with_no_papers_still_gets_a_valid_agenda(
    sqlite_engine: Engine, data_dir: Path
) -> None:
    store = LocalFileStore(data_dir)
    with transaction(sqlite_engine) as session:
        _meeting(session, store, [])
        result = build_pack(
            session,
            store,
            REF,
            private=False,
            now=NOW,
            actor=CLERK,
            cache=RenderCache(data_dir / "render-cache"),
        )
    assert "Apologies" in all_text(result.outputs["pdf"].path).title()
    assert result.page_ranges == {}
    document = docx.Document(io.BytesIO(result.outputs["docx"].path.read_bytes()))
    assert any("no papers" in p.text for p in document.paragraphs)


def test_demo_writes_public_and_private_packs_and_a_working_copy(
    sqlite_engine: Engine, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(data_dir))
    store = LocalFileStore(data_dir)
    with transaction(sqlite_engine) as session:
        _meeting(session, store, PAPERS)
        written = demo_write_packs(session, store, REF, tmp_path / "out", now=NOW)
    assert sorted(p.name for p in written) == [
        "hwb-2027-04-01-agenda-pack-private.pdf",
        "hwb-2027-04-01-agenda-pack-working-copy.docx",
        "hwb-2027-04-01-agenda-pack.pdf",
        # Each public paper on its own (tagged PDF; Word papers also as a web page).
        "hwb-2027-04-01-item-3-v1.html",
        "hwb-2027-04-01-item-3-v1.pdf",
        "hwb-2027-04-01-item-4-v1.pdf",
    ]
    private = tmp_path / "out" / "hwb-2027-04-01-agenda-pack-private.pdf"
    assert all(word in all_text(private) for word in EXEMPT_WORDS)
    _check_page_references(private)


def test_cli_pack_writes_the_requested_formats(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agenda.cli.main import main
    from agenda.db.engine import make_engine
    from agenda.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    monkeypatch.setenv("BOARDCLERK_DATA_DIR", str(data_dir))
    store = LocalFileStore(data_dir)
    with transaction(engine) as session:
        _meeting(session, store, PAPERS[1:2])
    engine.dispose()
    out = tmp_path / "packs"
    result = CliRunner().invoke(
        main,
        ["--database-url", url, "pack", REF, "--private", "--format", "both", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "hwb-2027-04-01-agenda-pack-private.pdf",
        "hwb-2027-04-01-agenda-pack-working-copy-private.docx",
    ]
    assert "Appendix A: pages 1-2" in result.output
    bad = CliRunner().invoke(main, ["--database-url", url, "pack", "hwb:2030-01-01"])
    assert bad.exit_code == 1 and "error:" in bad.output


def test_a_bad_meeting_does_not_disturb_another_meetings_build(tmp_path: Path) -> None:
    """Two packs built at once in one worker: one with a paper LibreOffice never finishes
    in time (a 0.2 s limit makes any paper 'hang'), one with PDF papers only."""
    from concurrent.futures import ThreadPoolExecutor

    from agenda.documents.frontsheet import build_front_docx
    from agenda.pack.build import assemble_pack
    from tests.support.pack_helpers import agenda_with_papers

    store = LocalFileStore(tmp_path / "store")
    good = agenda_with_papers(store, [PaperSpec("pdf", 2), PaperSpec("pdf", 1)])
    bad = agenda_with_papers(store, [PaperSpec("docx", 1)])

    def build(agenda, timeout: float | None):  # type: ignore[no-untyped-def]
        paths = {e.paper.sha256: store.path(e.paper.sha256) for e in agenda.papers}
        if timeout is not None:
            from agenda.documents.render import PaperFile, render_papers

            [entry] = agenda.papers
            render_papers(
                [
                    PaperFile(
                        entry.paper.sha256,
                        "docx",
                        paths[entry.paper.sha256],
                        "Appendix A by Author 1",
                    )
                ],
                cache=RenderCache(tmp_path / "bad-cache"),
                timeout=timeout,
            )
        return assemble_pack(
            agenda,
            paths,
            private=False,
            formats=("pdf",),
            front_docx=lambda r: build_front_docx(agenda, r, private=False),
            title="t",
            cache=RenderCache(tmp_path / "good-cache"),
        )

    with ThreadPoolExecutor(2) as pool:
        failing = pool.submit(build, bad, 0.2)
        working = pool.submit(build, good, None)
        pack = working.result()
        with pytest.raises(RenderFailed, match="Appendix A by Author 1"):
            failing.result()
    out = tmp_path / "good.pdf"
    out.write_bytes(pack.pdf or b"")
    _check_page_references(out)
