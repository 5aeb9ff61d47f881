"""REST endpoints under /api: events, actors, stories, documents, series, network, changes, overview, promises.

Every list is a page ({total, offset, limit, items}) in a stable order; `limit` above MAX_LIMIT is a 422,
never a silent cap. Filters are validated before any SQL runs.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from .. import analysis
from . import queries
from .queries import MAX_LIMIT

router = APIRouter(prefix="/api", tags=["api"])
MAX_OFFSET = 10**9
MAX_TEXT = 200

Offset = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")
Limit = Query(50, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}.")
Since = Query(None, max_length=10, description="Only events dated on or after this ISO date (YYYY[-MM[-DD]]).")
Until = Query(None, max_length=10, description="Only events dated on or before this ISO date.")
MinReliability = Query(None, ge=0.0, le=1.0, description="Only events whose reliability (the learned estimate, "
                       "0 to 1, that the event is right as coded) is at least this.")
ActorParam = Query(None, max_length=MAX_TEXT, description="An actor code (JPN) or actor id (state:JPN).")


def _db(request: Request):
    return request.app.state.db


@router.get("/events", summary="Events, filtered and paged")
def list_events(
    request: Request,
    actor: Optional[str] = ActorParam,
    dyad: Optional[str] = Query(None, max_length=2 * MAX_TEXT + 1, description="Two actors: JPN,KOR."),
    type: Optional[str] = Query(None, max_length=20, description="A PLOVER type: AGREE, ASSAULT …"),
    since: Optional[str] = Since,
    until: Optional[str] = Until,
    period: Optional[str] = Query(None, max_length=10,
                                  description="A series period: 2025-03, 2025-W11 or 2025-03-11."),
    story: Optional[str] = Query(None, max_length=MAX_TEXT, description="A story id."),
    doc: Optional[str] = Query(None, max_length=MAX_TEXT, description="A document id."),
    q: Optional[str] = Query(None, max_length=MAX_TEXT, description="Words in the evidence sentence."),
    sort: str = Query("date", description="date (oldest first) or -date (newest first)."),
    min_reliability: Optional[float] = MinReliability,
    offset: int = Offset,
    limit: int = Limit,
):
    return _db(request).run(queries.events, offset=offset, limit=limit, sort=sort, actor=actor, dyad=dyad,
                            type=type, since=since, until=until, period=period, story=story, doc=doc, q=q,
                            min_reliability=min_reliability)


@router.get("/events/{event_id}", summary="One event")
def get_event(request: Request, event_id: str):
    return _db(request).run(queries.event, event_id)


@router.get("/actors", summary="Registry actors with event and quote counts")
def list_actors(
    request: Request,
    kind: Optional[str] = Query(None, max_length=20, description="state, organization, person or group."),
    q: Optional[str] = Query(None, max_length=MAX_TEXT, description="Words in the name, id or aliases."),
    offset: int = Offset,
    limit: int = Limit,
):
    return _db(request).run(queries.actors, kind=kind, q=q, offset=offset, limit=limit)


@router.get("/actors/{actor_id}", summary="One actor: offices, counts, partners, quotes")
def get_actor(request: Request, actor_id: str):
    return _db(request).run(queries.actor, actor_id)


@router.get("/stories", summary="Stories: reports of one happening across documents")
def list_stories(
    request: Request,
    kind: Optional[str] = Query(None, max_length=10, description="event or quote."),
    sort: str = Query("size", max_length=10, description="size (most documents first) or latest."),
    offset: int = Offset,
    limit: int = Limit,
):
    return queries.stories(_db(request).all_stories(), offset=offset, limit=limit, kind=kind, sort=sort)


@router.get("/stories/{story_id}", summary="One story: reports, sources, disagreements")
def get_story(request: Request, story_id: str):
    return _db(request).run(queries.story, story_id)


@router.get("/documents", summary="Documents (without text), newest first")
def list_documents(
    request: Request,
    q: Optional[str] = Query(None, max_length=MAX_TEXT, description="Words in the title or text."),
    offset: int = Offset,
    limit: int = Limit,
):
    return _db(request).run(queries.documents, q=q, offset=offset, limit=limit)


@router.get("/documents/{doc_id:path}", summary="One document: text, events, quotes and facts with offsets")
def get_document(request: Request, doc_id: str):
    return _db(request).run(queries.document, doc_id)


@router.get("/series", summary="A dyad's time series")
def get_series(
    request: Request,
    a: str = Query(..., min_length=1, max_length=MAX_TEXT, description="One actor (code or id)."),
    b: str = Query(..., min_length=1, max_length=MAX_TEXT, description="The other actor."),
    freq: str = Query("month", max_length=10, description="day, week or month."),
    since: Optional[str] = Since,
    until: Optional[str] = Until,
    min_reliability: Optional[float] = MinReliability,
):
    return _db(request).run(analysis.series, a, b, freq, since, until, min_reliability)


@router.get("/network", summary="Actors as nodes, dyads as weighted signed edges")
def get_network(
    request: Request,
    since: Optional[str] = Since,
    until: Optional[str] = Until,
    min_events: int = Query(1, ge=1, le=MAX_OFFSET, description="Only dyads with at least this many events."),
    actor: Optional[str] = ActorParam,
    by: str = Query("code", max_length=10, description="code or actor_id."),
    limit: Optional[int] = Query(None, ge=1, le=10_000, description="Keep only the heaviest edges."),
    min_reliability: Optional[float] = MinReliability,
):
    return _db(request).run(analysis.network, since, until, min_events, actor, by, limit, min_reliability)


@router.get("/changes", summary="Dyads whose net score moved most between two periods")
def get_changes(
    request: Request,
    first: Optional[str] = Query(None, max_length=22, description="Earlier period: 2025-03 or 2025-01..2025-03."),
    second: Optional[str] = Query(None, max_length=22, description="Later period."),
    limit: int = Limit,
    min_events: int = Query(1, ge=1, le=MAX_OFFSET),
):
    return _db(request).run(analysis.changes, first, second, limit, min_events)


@router.get("/promises", summary="Promise threads: what was promised, how often reported, and what became of it")
def list_promises(
    request: Request,
    a: Optional[str] = Query(None, max_length=MAX_TEXT, description="One party (code or id); give b too."),
    b: Optional[str] = Query(None, max_length=MAX_TEXT, description="The other party."),
    status: Optional[list[str]] = Query(None, max_length=20, description="kept, broken, overdue or open (repeatable)."),
    offset: int = Offset,
    limit: int = Limit,
):
    return queries.promise_threads(promise_ledger(_db(request)), a, b, status, offset, limit)


def promise_ledger(db) -> list[dict]:
    """The store's promise threads, computed once per server (the store is read-only)."""
    return db.cached(("promises",), queries.promise_ledger)


@router.get("/overview", summary="Counts, most active dyads, latest stories, actors by event count")
def get_overview(request: Request, top: int = Query(10, ge=1, le=MAX_LIMIT)):
    return overview(_db(request), top)


WORLD_EDGES = 300  # the overview's graph stays readable (and quick) on a large store


def overview(db, top: int = 10) -> dict:
    world = db.cached(("world",), analysis.network, None, None, 1, None, "code", WORLD_EDGES)
    latest = queries.stories(db.all_stories(), limit=top, sort="latest")["items"]
    return {"counts": db.cached(("counts",), queries.counts), "dyads": world["edges"][:top], "stories": latest,
            "nodes": world["nodes"], "edges": world["edges"]}
