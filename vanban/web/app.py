"""The web application: HTML pages (Jinja2 templates) and the JSON API, on Starlette.

Routes (docs/web.md has the details and examples):

- ``/`` overview, ``/search?q=``, ``/documents``, ``/documents/<id>`` pages;
- ``/documents/<id>/pages/<n>.jpg`` a scanned document's page image (only files the store
  lists for that document and whose content hash is its id);
- ``/api/tasks``, ``/api/objectives``, ``/api/documents``, ``/api/documents/<id>``,
  ``/api/search`` JSON.

No file is served by its path: the style sheet and script are inlined in the pages.

Every route only reads. A bad parameter answers 400 with a message, an unknown document or
page 404, anything else not routed 404.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..corpus import fold_key
from ..errors import StoreError
from .data import (FACETS, MAX_LIMIT, BadParameter, CorpusView, Filters, line_boxes, parse_int,
                   parse_year, record_items)
from .pages import PageImages

_DOC_ID_RE = re.compile(r"[0-9a-f]{64}")
#: Query parameters each route accepts (anything else is a 400: a typo must not pass silently).
_FILTER_PARAMS = {"province", "year", "kind", "agency"}
_PARAMS = {
    "documents": _FILTER_PARAMS | {"limit", "offset"},
    "search": _FILTER_PARAMS | {"q", "limit"},
    "tasks": _FILTER_PARAMS | {"limit", "offset", "document_id"},
    "objectives": _FILTER_PARAMS | {"limit", "offset", "target_year"},
    "document": {"item"},
    "none": set(),
}


def _check_params(request: Request, route: str) -> None:
    unknown = sorted(set(request.query_params) - _PARAMS[route])
    if unknown:
        known = ", ".join(sorted(_PARAMS[route])) or "none"
        raise BadParameter(f"unknown parameter {unknown[0]!r} (this address takes: {known})")


#: Longest query text and filter value taken (longer ones are a 400, not a slow scan).
MAX_QUERY_CHARS, MAX_FILTER_CHARS = 2000, 500


def _query_text(request: Request) -> str:
    q = (request.query_params.get("q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise BadParameter(f"q is {len(q)} characters long; at most {MAX_QUERY_CHARS}")
    return q


def _filters(request: Request) -> Filters:
    q = request.query_params
    for name in _FILTER_PARAMS:
        if len(q.get(name) or "") > MAX_FILTER_CHARS:
            raise BadParameter(f"{name} is longer than {MAX_FILTER_CHARS} characters")
    return Filters(province=q.get("province") or None, year=parse_year(q.get("year")),
                   kind=q.get("kind") or None, agency=q.get("agency") or None)


def _doc_id(request: Request) -> str:
    doc_id = request.path_params["doc_id"]
    if not _DOC_ID_RE.fullmatch(doc_id):
        raise HTTPException(404, f"no document {doc_id!r} (a document id is a sha256 in hex)")
    return doc_id


def create_app(db: str | Path, *, roots: list[str | Path] | None = None) -> Starlette:
    """The web application over the corpus database ``db`` (opened read-only).

    ``roots``: folders that relative stored scan paths are resolved against (default: the
    database's folder, then the working folder).
    """
    view = CorpusView(db)
    root_paths = [Path(r) for r in roots] if roots else \
        [Path(db).resolve().parent, Path(os.getcwd())]
    images = PageImages(view.files, root_paths)
    env = Environment(loader=PackageLoader("vanban.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)

    def url(path: str, params: dict) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return path + ("?" + urlencode(clean) if clean else "")

    env.globals.update(url=url, FACETS=FACETS)

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    # -------------------------------------------------------------------------- HTML pages
    def home(request: Request):
        _check_params(request, "none")
        return page("index.html", overview=view.overview())

    def documents(request: Request):
        _check_params(request, "documents")
        f = _filters(request)
        limit = parse_int("limit", request.query_params.get("limit"), 200, 1, MAX_LIMIT)
        offset = parse_int("offset", request.query_params.get("offset"), 0, 0, 10**9)
        rows, total = view.documents(f, limit, offset)
        return page("documents.html", rows=rows, total=total, filters=f.active(),
                    facets=view.document_facets(f), limit=limit, offset=offset)

    def _document_or_404(doc_id: str) -> tuple[dict, dict]:
        """(document row, stored record) of a document; 404 when the corpus has no such one."""
        row = view.document_row(doc_id)
        record = view.store.record(doc_id) if row else None
        if not row or record is None:
            raise HTTPException(404, f"no document {doc_id} in this corpus")
        return row, record

    def search(request: Request):
        _check_params(request, "search")
        q = _query_text(request)
        f = _filters(request)
        limit = parse_int("limit", request.query_params.get("limit"), 50, 1, 300)
        result = view.search(q, f, limit) if q else None
        return page("search.html", q=q, result=result, filters=f.active())

    def document(request: Request):
        _check_params(request, "document")
        doc_id = _doc_id(request)
        row, record = _document_or_404(doc_id)
        items = record_items(record)
        text = view.text(doc_id) or ""
        lines = line_boxes(record)
        text_lines = []
        for page_no, page_text in enumerate(text.split("\f"), start=1):
            for line_no, line in enumerate(page_text.split("\n"), start=1):
                if line.strip():
                    box = lines.get((page_no, line_no))
                    text_lines.append({"anchor": f"line-{page_no}-{line_no}", "text": line,
                                       "boxes": [box] if box else []})
        selected = request.query_params.get("item") or ""
        all_items = {i.anchor: i.boxes for group in items.values() for i in group}
        all_items.update({t["anchor"]: t["boxes"] for t in text_lines})
        if selected and selected not in all_items:
            raise BadParameter(f"no item {selected!r} in this document")
        sizes = images.sizes(doc_id)
        citations = view.citations(doc_id)
        legal_bases = [{"number": n, "links": [c for c in citations["cites"]
                                               if c["number_key"] == fold_key(n)]}
                       for n in record.get("legal_bases") or [] if isinstance(n, str)]
        return page("document.html", row=row, record=record, items=items,
                    legal_bases=legal_bases,
                    text_lines=text_lines, citations=citations,
                    selected=selected, selected_boxes=all_items.get(selected, []),
                    box_pages={b[0] for b in all_items.get(selected, [])},
                    page_sizes=sizes)

    def page_image(request: Request):
        _check_params(request, "none")
        doc_id = _doc_id(request)
        number = request.path_params["number"]
        found = images.page(doc_id, number) if view.document_row(doc_id) else None
        if found is None:
            raise HTTPException(404, f"no page {number} of document {doc_id} to show")
        return Response(found[0], media_type="image/jpeg",
                        headers={"Cache-Control": "private, max-age=3600"})

    # ---------------------------------------------------------------------------- JSON API
    def _listing(request: Request, kind: str, rows_of) -> JSONResponse:
        """One page of a JSON listing: the parameters ``kind`` allows checked, ``limit`` and
        ``offset`` parsed, and ``rows_of(filters, limit, offset, query) -> (rows, total)``."""
        _check_params(request, kind)
        q = request.query_params
        limit = parse_int("limit", q.get("limit"), 100, 1, MAX_LIMIT)
        offset = parse_int("offset", q.get("offset"), 0, 0, 10**9)
        rows, total = rows_of(_filters(request), limit, offset, q)
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "rows": rows})

    def _task_rows(filters, limit, offset, q):
        document_id = q.get("document_id") or None
        if document_id and not _DOC_ID_RE.fullmatch(document_id):
            raise BadParameter("document_id must be a document's sha256 in hex")
        return view.tasks(filters, limit, offset, document_id)

    def api_tasks(request: Request):
        return _listing(request, "tasks", _task_rows)

    def api_objectives(request: Request):
        return _listing(request, "objectives", lambda filters, limit, offset, q: view.objectives(
            filters, limit, offset, parse_year(q.get("target_year"))))

    def api_documents(request: Request):
        return _listing(request, "documents",
                        lambda filters, limit, offset, q: view.documents(filters, limit, offset))

    def api_document(request: Request):
        _check_params(request, "none")
        doc_id = _doc_id(request)
        _, record = _document_or_404(doc_id)
        return JSONResponse({"document_id": doc_id, "url": f"/documents/{doc_id}",
                             "pages_shown": images.count(doc_id), "record": record})

    def api_search(request: Request):
        _check_params(request, "search")
        q = _query_text(request)
        if not q:
            raise BadParameter("q (the words to search for) is required")
        limit = parse_int("limit", request.query_params.get("limit"), 50, 1, 300)
        result = view.search(q, _filters(request), limit)
        for h in result["hits"]:
            h.pop("snippet_html", None)
        return JSONResponse(result)

    # ------------------------------------------------------------------------------ errors
    def _wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    async def bad_parameter(request: Request, exc: BadParameter):
        if _wants_json(request):
            return JSONResponse({"error": str(exc), "status": 400}, status_code=400)
        return page("error.html", status=400, status_code=400, message=str(exc))

    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "not found"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        if _wants_json(request):
            return JSONResponse({"error": message, "status": exc.status_code},
                                status_code=exc.status_code)
        return page("error.html", status=exc.status_code, status_code=exc.status_code,
                    message=message)

    async def server_error(request: Request, exc: Exception):
        # The traceback goes to the server's log (uvicorn); the client gets one line.
        message = "internal error (a bug: please report it with the address asked for)"
        if _wants_json(request):
            return JSONResponse({"error": message, "status": 500}, status_code=500)
        return page("error.html", status=500, status_code=500, message=message)

    async def store_error(request: Request, exc: StoreError):
        # The database cannot be read (damaged, replaced by another file): the store's one
        # line, not "internal error"; 503, as the service cannot answer until it is mended.
        message = str(exc)
        if _wants_json(request):
            return JSONResponse({"error": message, "status": 503}, status_code=503)
        return page("error.html", status=503, status_code=503, message=message)

    def fresh(endpoint):
        """The endpoint, with the store's freshness looked at once per request (on the
        worker thread that runs it: the connection is that thread's)."""
        @functools.wraps(endpoint)
        def run(request: Request):
            view.begin_request()
            return endpoint(request)
        return run

    routes = [
        Route("/", fresh(home)),
        Route("/search", fresh(search)),
        Route("/documents", fresh(documents)),
        Route("/documents/{doc_id}", fresh(document)),
        Route("/documents/{doc_id}/pages/{number:int}.jpg", fresh(page_image)),
        Route("/api/tasks", fresh(api_tasks)),
        Route("/api/objectives", fresh(api_objectives)),
        Route("/api/documents", fresh(api_documents)),
        Route("/api/documents/{doc_id}", fresh(api_document)),
        Route("/api/search", fresh(api_search)),
    ]
    app = Starlette(routes=routes, exception_handlers={BadParameter: bad_parameter,
                                                       HTTPException: http_error,
                                                       StoreError: store_error,
                                                       Exception: server_error})
    app.state.view = view
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8001,
          roots: list[str | Path] | None = None,
          ready: Callable[[], None] | None = None) -> None:
    """Run the web view on ``host:port`` until interrupted (uvicorn, one process).

    The store is opened first (a bad ``db`` raises :class:`StoreError` before anything is
    announced); ``ready()`` is then called, just before the server starts listening."""
    import uvicorn
    app = create_app(db, roots=roots)
    if ready is not None:
        ready()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
