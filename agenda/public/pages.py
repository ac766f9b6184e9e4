"""The public site as pages: one resolver turns a path under the site into a rendered page or
a published file, so the served site (``boardclerk web``) and the static export
(``boardclerk site export``) are the same pages by construction.

Paths (relative to the site's base path):
``""`` the organisation, ``style.css``, ``<body>/``, ``<body>/<date>/`` a meeting,
``<body>/<date>/files/<sha256>/<name>`` a published document, ``<body>/items/<id>/`` an item.
Anything else, or anything not public, is :class:`~agenda.public.query.NotPublic`, rendered
by :meth:`Site.not_found` as one helpful page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from agenda.documents.words import full_date, long_moment
from agenda.filestore import FileStore
from agenda.public import query
from agenda.public.query import NotPublic
from agenda.public.views import PublicFile

DEFAULT_COLOUR = "#1d4f91"  # 8.6:1 against white: AA for text of any size
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_KEY = r"[A-Za-z0-9_-]+"
_ROUTES = {
    "body": re.compile(rf"^(?P<key>{_KEY})/$"),
    "meeting": re.compile(rf"^(?P<key>{_KEY})/(?P<date>\d{{4}}-\d{{2}}-\d{{2}})/$"),
    "file": re.compile(
        rf"^(?P<key>{_KEY})/(?P<date>\d{{4}}-\d{{2}}-\d{{2}})/files/(?P<sha>[0-9a-f]{{64}})/"
        r"(?P<name>[^/]+)$"
    ),
    "item": re.compile(rf"^(?P<key>{_KEY})/items/(?P<id>\d{{1,9}})/$"),
    "feed": re.compile(rf"^(?:(?P<key>{_KEY})/)?feed\.atom$"),
}


@dataclass(frozen=True)
class Page:
    html: str
    mimetype: str = "text/html"


@dataclass(frozen=True)
class FileHit:
    file: PublicFile


def human_size(size: int) -> str:
    """ "312 KB", "1.4 MB": how a download link states its size."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NotPublic(f"{text} is not a date.") from None


class Site:
    """Renders the public pages of the record under ``base`` ("/" or "/meetings/")."""

    def __init__(
        self,
        *,
        base: str = "/",
        colour: str | None = None,
        public_url: str | None = None,
        searchable: bool = False,
    ) -> None:
        """``searchable``: the site is served (search needs a server; the export has none)."""
        self.public_url = public_url.rstrip("/") + "/" if public_url else None
        self.base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
        self.colour = colour if colour and _HEX.match(colour) else DEFAULT_COLOUR
        self.env = Environment(
            loader=PackageLoader("agenda.public", "templates"),
            autoescape=select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            base=self.base,
            url=self.url,
            file_url=self.file_url,
            long_moment=long_moment,
            full_date=full_date,
            human_size=human_size,
            searchable=searchable,
        )

    # -- addresses ------------------------------------------------------------------------

    def url(self, *parts: object) -> str:
        return self.base + "".join(f"{p}/" for p in parts)

    def file_url(self, key: str, date: dt.date, file: PublicFile) -> str:
        return f"{self.url(key, date.isoformat())}files/{file.sha256}/{file.file_name}"

    # -- pages ----------------------------------------------------------------------------

    def stylesheet(self) -> str:
        css = resources.files("agenda.public").joinpath("static/site.css").read_text("utf-8")
        return css.replace("#1d4f91", self.colour)

    def resolve(
        self, session: Session, store: FileStore, path: str, now: dt.datetime
    ) -> Page | FileHit:
        """The page or published file at ``path`` (relative to the base); NotPublic if none."""
        if path == "":
            org = query.organisation_page(session, now)
            return Page(self._render("organisation.html", org=org, title=org.name))
        if "body" in (match := self._match(path)):
            page = query.body_page(session, match["body"]["key"], now)
            return Page(self._render("body.html", page=page, title=page.name))
        if "meeting" in match:
            m = match["meeting"]
            meeting = query.meeting_page(session, store, m["key"], _date(m["date"]))
            title = f"{meeting.meeting.body_name}, {full_date(meeting.meeting.date)}"
            return Page(self._render("meeting.html", page=meeting, title=title))
        if "file" in match:
            f = match["file"]
            if not _SHA.match(f["sha"]):
                raise NotPublic("There is no such published document.")
            found = query.public_file(
                session, store, f["key"], _date(f["date"]), f["sha"], f["name"]
            )
            return FileHit(found)
        if "item" in match:
            i = match["item"]
            item = query.item_page(session, int(i["id"]))
            if item.body_key != i["key"]:
                raise NotPublic(f"There is no public item {i['id']}.")
            return Page(self._render("item.html", page=item, title=item.title))
        if "feed" in match:
            found_feed = query.feed(session, match["feed"]["key"])
            xml = self._render("feed.xml", feed=found_feed, public_url=self.public_url)
            return Page(xml, "application/atom+xml")
        raise NotPublic("There is no page at this address.")

    def search_page(self, session: Session, store: FileStore, text: str) -> Page:
        """The search form, and the hits for ``text`` when there is one (served only)."""
        from agenda.public.search import search

        hits = search(session, store, text) if text.strip() else []
        return Page(self._render("search.html", title="Search", q=text, hits=hits))

    def _match(self, path: str) -> dict[str, dict[str, str]]:
        for name, pattern in _ROUTES.items():
            if found := pattern.match(path):
                return {name: found.groupdict()}
        return {}

    def not_found(self, session: Session, path: str, message: str) -> str:
        """One page for everything unknown or not public, linking to the body's meetings."""
        key = path.split("/", 1)[0]
        try:
            body: str | None = query.public_body(session, key).name if key else None
        except NotPublic:
            body = None
        try:
            org = query.organisation_page(session, dt.datetime.now(dt.UTC))
            bodies = org.bodies
        except NotPublic:
            bodies = ()
        return self._render(
            "notfound.html",
            title="Page not found",
            message=message,
            body_key=key if body else None,
            body_name=body,
            bodies=bodies,
        )

    def _render(self, template: str, **values: object) -> str:
        return self.env.get_template(template).render(colour=self.colour, **values)


__all__ = ["FileHit", "Page", "Site", "human_size"]
