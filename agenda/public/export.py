"""``boardclerk site export DIR``: the public site as static files, for councils that host
their own web pages. Written through the same resolver the web server uses, so the two are the
same pages; pages go to ``<path>/index.html`` and documents under their published addresses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from agenda.filestore import FileStore, atomic_write
from agenda.public import query
from agenda.public.pages import FileHit, Page, Site


@dataclass(frozen=True)
class Exported:
    pages: int
    files: int
    out: Path

    def summary(self) -> str:
        return f"Wrote the public site to {self.out}: {self.pages} pages, {self.files} documents."


def site_paths(session: Session, store: FileStore, site: Site) -> list[str]:
    """Every page of the site, and every published document, relative to its base."""
    bodies, meetings, items = query.every_page(session)
    paths = ["", "feed.atom", *(f"{key}/" for key in bodies), *(f"{k}/feed.atom" for k in bodies)]
    paths += [f"{key}/{date.isoformat()}/" for key, date in meetings]
    by_body = {}
    for item_id in items:
        try:
            by_body[item_id] = query.item_page(session, item_id).body_key
        except query.NotPublic:
            continue
    paths += [f"{key}/items/{item_id}/" for item_id, key in by_body.items()]
    for key, date in meetings:
        page = query.meeting_page(session, store, key, date)
        for file in page.files():
            url = site.file_url(key, date, file)
            paths.append(url[len(site.base) :])
    return list(dict.fromkeys(paths))


def export_site(
    session: Session, store: FileStore, out: Path, now: dt.datetime, *, site: Site
) -> Exported:
    pages = files = 0
    for path in site_paths(session, store, site):
        found = site.resolve(session, store, path, now)
        if isinstance(found, Page) and found.mimetype != "text/html":
            atomic_write(out / path, found.html.encode("utf-8"))
        elif isinstance(found, Page):
            atomic_write(out / path / "index.html", found.html.encode("utf-8"))
            pages += 1
        elif isinstance(found, FileHit):
            atomic_write(out / path, store.get(found.file.sha256))
            files += 1
    atomic_write(out / "style.css", site.stylesheet().encode("utf-8"))
    atomic_write(
        out / "404.html", site.not_found(session, "", "There is no page here.").encode("utf-8")
    )
    return Exported(pages, files, out)


__all__ = ["Exported", "export_site", "site_paths"]
