"""The public meeting site on the web: a Flask blueprint over :class:`agenda.public.pages.Site`.

Pages come from the same resolver the static export uses. Documents are streamed from the file
store by their published identity (never a path the request names) with ETag, Last-Modified
and range requests; anything unknown or not public gets the one 404 page.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, send_file

from agenda.errors import NotFound
from agenda.public.pages import FileHit, Site
from bot.deps import Deps

MIMETYPES = {
    "PDF": "application/pdf",
    "Word": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
PAGE_CACHE = "public, max-age=60"  # a reverse proxy may keep pages a minute
FILE_CACHE = "public, max-age=3600"  # a file's identity is its content hash


def site_blueprint(
    deps: Deps, *, path: str = "/", colour: str | None = None, public_url: str | None = None
) -> Blueprint:
    site = Site(base=path, colour=colour, public_url=public_url, searchable=True)
    blueprint = Blueprint("public_site", __name__)
    prefix = site.base.rstrip("/")

    @blueprint.get(f"{prefix}/style.css")
    def stylesheet() -> Response:
        response = Response(site.stylesheet(), mimetype="text/css")
        response.headers["Cache-Control"] = PAGE_CACHE
        return response

    @blueprint.get(f"{prefix}/search/")
    def search() -> Response:
        text = request.args.get("q", "")[:2000]
        with deps.read() as session:
            found = site.search_page(session, deps.store, text)
        response = Response(found.html, mimetype="text/html")
        response.headers["Cache-Control"] = PAGE_CACHE
        return response

    @blueprint.get(f"{prefix}/", defaults={"rest": ""})
    @blueprint.get(f"{prefix}/<path:rest>")
    def page(rest: str) -> Response:
        with deps.read() as session:
            try:
                found = site.resolve(session, deps.store, rest, deps.now())
            except NotFound as err:
                html = site.not_found(session, rest, str(err))
                return Response(html, status=404, mimetype="text/html")
        if isinstance(found, FileHit):
            return _send(deps, found)
        response = Response(found.html, mimetype=found.mimetype)
        response.headers["Cache-Control"] = PAGE_CACHE
        response.add_etag()
        response.make_conditional(request)
        return response

    return blueprint


def _send(deps: Deps, hit: FileHit) -> Response:
    file = hit.file
    response = send_file(
        deps.store.path(file.sha256),
        mimetype=MIMETYPES.get(file.kind, "application/octet-stream"),
        as_attachment=False,
        download_name=file.file_name,
        conditional=True,
        etag=file.sha256,
        last_modified=file.published_at,
        max_age=3600,
    )
    response.headers["Cache-Control"] = FILE_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = ["site_blueprint"]
