"""The public meeting site, served (Flask, as `boardclerk web` registers it) and exported, over
the demo's record: a published meeting with an exempt item whose paper and confidential
(Part B) minutes carry planted phrases. Every page and document is crawled; none of the
planted phrases, Slack ids or e-mail addresses appears, and private or unpublished files
answer 404 exactly like files that do not exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from agenda.board.models import ForwardPlanItem, ItemAuthor, Member, Paper
from agenda.clock import FixedClock
from agenda.db.engine import make_engine, transaction
from agenda.demo.run import run_demo
from agenda.errors import ConfigError
from agenda.filestore import LocalFileStore
from agenda.minutes.tables import ApprovedMinutes
from agenda.pack.tables import Pack
from agenda.settings import Settings as CoreSettings
from bot.app import create_app
from bot.deps import Deps
from bot.settings import Settings
from bot.site import site_blueprint
from tests.cli.test_demo_exempt import docx_text, pdf_text, planted
from tests.support.fakeslack import FakeSlack

SIGNING_SECRET = "s" * 32


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("&#39;", "'").split()).casefold()


def readable(name: str, data: bytes, tmp: Path) -> str:
    """What a visitor can read in a page or document."""
    if name.endswith(".pdf"):
        path = tmp / "doc.pdf"
        path.write_bytes(data)
        return pdf_text(path)
    if name.endswith(".docx"):
        path = tmp / "doc.docx"
        path.write_bytes(data)
        return docx_text(path)
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("site-demo")
    lines: list[str] = []
    run_demo(out, echo=lines.append)
    return out, lines


@pytest.fixture(scope="module")
def secrets(demo: tuple[Path, list[str]]) -> list[str]:
    """The planted exempt phrases, every Slack id in the record, and the e-mail addresses of
    members and authors (the clerk's address is printed on the published agenda frontsheet as
    the contact for the meeting, by design; the HTML pages show no address at all)."""
    out, _ = demo
    engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
    with transaction(engine) as s:
        ids = [m.slack_id for m in s.scalars(select(Member)) if m.slack_id]
        ids += [a.slack_id for a in s.scalars(select(ItemAuthor)) if a.slack_id]
        mails = [m.email for m in s.scalars(select(Member)) if m.email and m.role != "clerk"]
        mails += [a.email for a in s.scalars(select(ItemAuthor)) if a.email]
    engine.dispose()
    assert ids and mails, "the demo record has Slack ids and e-mail addresses to keep private"
    return [*planted(out), *ids, *mails]


def site_client(out: Path, now_text: str = "2027-03-01T09:00:00+00:00") -> FlaskClient:
    import datetime as dt

    engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
    deps = Deps(
        settings=Settings(signing_secret=SIGNING_SECRET),
        engine=engine,
        store=LocalFileStore(out / "data"),
        clock=FixedClock(dt.datetime.fromisoformat(now_text)),
    )
    app = Flask("site-test")
    app.register_blueprint(site_blueprint(deps))
    return app.test_client()


def crawl(client: FlaskClient, start: str = "/") -> Iterator[tuple[str, int, str, bytes]]:
    """Every address reachable from ``start`` on the site: (path, status, type, body)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        yield path, response.status_code, response.mimetype, response.data
        if response.mimetype == "text/html":
            for href in links_of(response.data.decode("utf-8")):
                if href.startswith("/") and href not in seen:
                    todo.append(href)


def test_demo_writes_the_static_site_and_says_where_web_serves_it(demo) -> None:
    out, lines = demo
    assert any(line.startswith(f"Wrote the public site to {out / 'site'}") for line in lines)
    assert any("`boardclerk web` serves it at http://" in line for line in lines)
    meeting_pages = sorted((out / "site" / "hwb").glob("20*/index.html"))
    assert len(meeting_pages) == 3
    assert (out / "site" / "style.css").exists()


def test_no_page_or_document_of_the_served_site_carries_exempt_or_private_details(
    demo, secrets, tmp_path
) -> None:
    out, _ = demo
    client = site_client(out)
    visited = list(crawl(client))
    pages = [v for v in visited if v[2] == "text/html"]
    documents = [v for v in visited if v[2] != "text/html" and v[0] != "/style.css"]
    assert len(pages) >= 10 and len(documents) >= 5
    assert all(status == 200 for _, status, _, _ in visited), [
        (p, s) for p, s, _, _ in visited if s != 200
    ]
    for path, _, _, body in visited:
        text = _flat(readable(path, body, tmp_path))
        for secret in secrets:
            assert _flat(secret) not in text, f"{path} shows {secret!r}"
        assert "<@" not in text and "mailto:" not in text
        if path.endswith("/"):
            assert not re.search(r"[\w.-]+@[\w-]+\.[\w.]+", text), f"{path} shows an e-mail"


def test_no_file_of_the_static_export_carries_exempt_or_private_details(
    demo, secrets, tmp_path
) -> None:
    out, _ = demo
    files = [p for p in (out / "site").rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in files)
    for path in files:
        text = _flat(readable(path.name, path.read_bytes(), tmp_path))
        for secret in secrets:
            assert _flat(secret) not in text, f"{path} shows {secret!r}"


def test_the_export_holds_exactly_the_pages_the_server_serves(demo) -> None:
    out, _ = demo
    served = {p for p, _, _, _ in crawl(site_client(out, "2026-12-02T09:00:00+00:00"))}
    exported = set()
    for path in (out / "site").rglob("*"):
        if path.is_file() and path.name != "404.html":
            rel = "/" + str(path.relative_to(out / "site"))
            exported.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    assert served - {"/search/"} == exported


def test_private_exempt_and_draft_files_answer_404_like_a_file_that_does_not_exist(
    demo,
) -> None:
    out, _ = demo
    client = site_client(out)
    engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
    with transaction(engine) as s:
        hidden = [
            (p.sha256, p.file_name, p.meeting_id)
            for p in s.scalars(select(Pack))
            if p.private or p.format == "docx"
        ]
        hidden += [
            (p.sha256, p.file_name, p.meeting_id)
            for p in s.scalars(
                select(Paper).join(ForwardPlanItem).where(ForwardPlanItem.exempt.is_(True))
            )
        ]
        hidden += [
            (m.sha256, m.file_name, m.meeting_id)
            for m in s.scalars(select(ApprovedMinutes).where(ApprovedMinutes.part != "public"))
        ]
        from agenda.board.models import Meeting

        dates = {m.id: m.date.isoformat() for m in s.scalars(select(Meeting))}
    engine.dispose()
    assert len(hidden) >= 4
    unknown = client.get(f"/hwb/{dates[hidden[0][2]]}/files/{'0' * 64}/nothing.pdf")
    assert unknown.status_code == 404
    for sha, name, _meeting in hidden:
        for date in dates.values():
            response = client.get(f"/hwb/{date}/files/{sha}/{name}")
            assert response.status_code == 404, (name, date)
            assert response.data == unknown.data
    assert b'href="/hwb/"' in unknown.data  # back to the body's meetings


@pytest.mark.parametrize(
    "path",
    ["/nobody/", "/hwb/2027-02-30/", "/hwb/2031-01-01/", "/hwb/items/999/", "/hwb/x/y/z"],
)
def test_unknown_addresses_get_a_helpful_404(demo, path: str) -> None:
    out, _ = demo
    response = site_client(out).get(path)
    assert response.status_code == 404
    html = response.data.decode()
    assert "<h1>Page not found</h1>" in html and 'href="/hwb/"' in html


def test_the_exempt_item_has_no_page_and_shows_only_its_paragraph(demo) -> None:
    out, _ = demo
    client = site_client(out)
    engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
    with transaction(engine) as s:
        exempt = [i.id for i in s.scalars(select(ForwardPlanItem)) if i.exempt]
    engine.dispose()
    for item_id in exempt:
        assert client.get(f"/hwb/items/{item_id}/").status_code == 404
    html = client.get("/hwb/2027-03-04/").data.decode()
    assert re.search(r"Exempt: paragraph \d", html)


def test_a_meeting_not_yet_published_shows_no_agenda(demo) -> None:
    out, _ = demo
    html = site_client(out).get("/hwb/2027-04-29/").data.decode()
    assert "The agenda has not been published yet" in html
    assert "/files/" not in html


def test_a_published_meeting_lists_its_papers_with_type_size_and_pages(demo) -> None:
    out, _ = demo
    html = site_client(out).get("/hwb/2027-01-07/").data.decode()
    assert re.search(r"Agenda pack <span class=\"file-meta\">\(PDF, \d+ KB, \d+ pages\)", html)
    assert "Approved minutes" in html
    assert re.search(r">[^<>]+ <span class=\"file-meta\">\((PDF|Word), \d+ KB", html)


def test_documents_are_served_with_etags_and_byte_ranges(demo) -> None:
    out, _ = demo
    client = site_client(out)
    html = client.get("/hwb/2027-01-07/").data.decode()
    pdf = next(h for h in links_of(html) if h.endswith("agenda-pack.pdf"))
    whole = client.get(pdf)
    assert whole.status_code == 200 and whole.mimetype == "application/pdf"
    assert whole.headers["ETag"] and whole.headers["Last-Modified"]
    again = client.get(pdf, headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304
    part = client.get(pdf, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.data == whole.data[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{len(whole.data)}"


def test_every_page_has_the_accessible_skeleton(demo) -> None:
    out, _ = demo
    for path, _status, kind, body in crawl(site_client(out)):
        if kind != "text/html":
            continue
        html = body.decode()
        assert '<html lang="en-GB">' in html, path
        assert 'href="#main"' in html and '<main id="main"' in html, path
        assert html.count("<h1") == 1, path
        for table in re.findall(r"<table>.*?</table>", html, re.S):
            assert '<th scope="col">' in table, path


def test_web_serves_the_site_under_the_configured_path_beside_slack_and_healthz(
    demo, monkeypatch
) -> None:
    out, _ = demo
    monkeypatch.setenv("BOARDCLERK_SITE_PATH", "/meetings/")
    fake = FakeSlack().start()
    try:
        settings = Settings(
            signing_secret=SIGNING_SECRET, bot_token="xoxb-test", api_url=fake.base_url
        )
        engine = make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}")
        _, app = create_app(settings, engine, LocalFileStore(out / "data"))
    finally:
        fake.stop()
    client = app.test_client()
    home = client.get("/meetings/")
    assert home.status_code == 200 and 'href="/meetings/hwb/"' in home.data.decode()
    assert client.get("/meetings/hwb/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/hwb/").status_code == 404


def test_the_site_settings_refuse_a_bad_path_or_colour() -> None:
    with pytest.raises(ConfigError, match="BOARDCLERK_SITE_PATH"):
        CoreSettings.from_env({"BOARDCLERK_SITE_PATH": "meetings"})
    with pytest.raises(ConfigError, match="BOARDCLERK_SITE_COLOUR"):
        CoreSettings.from_env({"BOARDCLERK_SITE_COLOUR": "red"})
    assert CoreSettings.from_env({"BOARDCLERK_SITE_PATH": "/meetings"}).site_path == "/meetings/"


def test_atom_feeds_announce_agendas_and_minutes_and_link_to_their_meetings(demo) -> None:
    import xml.etree.ElementTree as ET

    out, _ = demo
    client = site_client(out)
    atom = "{http://www.w3.org/2005/Atom}"
    for path in ("/feed.atom", "/hwb/feed.atom"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        root = ET.fromstring(response.data)
        titles = [e.findtext(f"{atom}title") or "" for e in root.iter(f"{atom}entry")]
        assert sum(t.startswith("Agenda published") for t in titles) == 2, titles
        assert any(t.startswith("Minutes published") for t in titles), titles
        for entry in root.iter(f"{atom}entry"):
            link = entry.find(f"{atom}link")
            assert link is not None and client.get(link.get("href", "")).status_code == 200
    assert client.get("/nobody/feed.atom").status_code == 404


def test_search_finds_public_papers_with_their_meeting_and_a_snippet(demo) -> None:
    out, _ = demo
    html = site_client(out).get("/search/?q=better+care+fund").data.decode()
    assert re.search(r"<h2>\d+ results?</h2>", html) and "No results" not in html
    assert "/files/" in html and "meeting of Thursday" in html
    assert '<p class="snippet">' in html


def test_search_never_finds_exempt_text(demo, secrets) -> None:
    out, _ = demo
    client = site_client(out)
    for secret in secrets:
        response = client.get("/search/", query_string={"q": secret})
        assert response.status_code == 200
        html = response.data.decode()
        results = "".join(re.findall(r'<ol class="list results">.*?</ol>', html, re.S))
        assert _flat(secret) not in _flat(results), secret
    phrase = planted(out)[0]  # what the confidential minutes record: a sentence of its own
    html = client.get("/search/", query_string={"q": phrase}).data.decode()
    assert "No results" in html


@pytest.mark.parametrize(
    "q", ['"better care', "care AND NOT fund OR *", "x" * 2000, "'; DROP TABLE papers; --", "é€"]
)
def test_search_takes_any_query_without_an_error(demo, q: str) -> None:
    out, _ = demo
    response = site_client(out).get("/search/", query_string={"q": q})
    assert response.status_code == 200
