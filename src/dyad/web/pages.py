"""Dashboard pages: each is a Jinja2 template over what the matching API endpoint returns.

Overview, dyad, actor, story, document and search. Charts are drawn in the browser by the vendored ECharts
from the page's data (embedded as JSON with `tojson`, which escapes markup); article text is autoescaped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import analysis
from . import queries
from .api import MAX_TEXT, overview, promise_ledger
from .highlight import pieces

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
SEARCH_ROWS = 50
PROMISE_ROWS = 50  # threads listed on a dyad page; the rest are in /api/promises
# the reliability bars the dyad page offers (the held-out figures for each are in the README)
RELIABILITY_BARS = (0.3, 0.5, 0.7)


def _render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status_code=status, status=status, message=message, page="error")


def _db(request: Request):
    return request.app.state.db


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request):
    data = overview(_db(request), top=12)
    return _render(request, "overview.html", page="overview", data=data)


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad_page(request: Request, a: str, b: str, freq: str = Query("month", max_length=10),
              since: Optional[str] = Query(None, max_length=10), until: Optional[str] = Query(None, max_length=10),
              min_reliability: Optional[str] = Query(None, max_length=10)):
    db = _db(request)
    series = db.run(analysis.series, a, b, freq, since, until, _bar(min_reliability))
    names = db.run(analysis.node_names, [series["a"], series["b"]], "code")
    label_a, label_b = (names.get(k, (k,))[0] for k in (series["a"], series["b"]))
    promised = queries.promise_threads(promise_ledger(db), series["a"], series["b"], limit=PROMISE_ROWS)
    return _render(request, "dyad.html", page="dyad", data=series, freqs=analysis.FREQS, bars=RELIABILITY_BARS,
                   label_a=label_a, label_b=label_b, promised=promised)


def _bar(value: str | None) -> float | None:
    """A form's reliability bar: empty is none (the "any" option)."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise analysis.AnalysisError(f"min_reliability {value!r} is not a number between 0 and 1") from None


@router.get("/actor/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str):
    db = _db(request)
    record = db.run(queries.actor, actor_id)
    dyads = None
    if record["kind"] in ("state", "organization"):
        code = actor_id.split(":", 1)[-1]
        dyads = db.run(analysis.network, None, None, 1, code)
    events = db.run(queries.events, limit=20, sort="-date", actor=actor_id)
    return _render(request, "actor.html", page="actor", data=record, dyads=dyads, events=events)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    story = _db(request).run(queries.story, story_id)
    disputed: dict[str, list[str]] = {}
    for d in story["disagreements"]:
        for value in d["values"]:
            for source in value["sources"]:
                disputed.setdefault(source.get("event_id") or source["doc_id"], []).append(d["field"])
    return _render(request, "story.html", page="story", data=story, disputed=disputed)


@router.get("/document/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, event: Optional[str] = Query(None, max_length=MAX_TEXT)):
    doc = _db(request).run(queries.document, doc_id)
    return _render(request, "document.html", page="document", data=doc, pieces=pieces(doc), focus=event)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=MAX_TEXT)):
    db, q = _db(request), q.strip()
    found = None
    if q:
        found = {"events": db.run(queries.events, limit=SEARCH_ROWS, sort="-date", q=q),
                 "actors": db.run(queries.actors, q=q, limit=SEARCH_ROWS),
                 "documents": db.run(queries.documents, q=q, limit=SEARCH_ROWS)}
        found["dyad"] = _dyad_in(db, q)
    return _render(request, "search.html", page="search", q=q, found=found)


def _dyad_in(db, q: str) -> tuple[str, str] | None:
    """Two known actor codes typed together ("JPN KOR", "jpn, kor") name a dyad: the page links to it."""
    words = [w for w in q.replace(",", " ").replace("–", " ").split() if w]
    if len(words) != 2 or words[0].upper() == words[1].upper():
        return None
    codes = [w.upper() for w in words]
    known = db.run(analysis.node_names, codes, "code")
    return (codes[0], codes[1]) if all(c in known for c in codes) else None
