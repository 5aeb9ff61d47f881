"""The query layer shared by the REST API and the dashboard: one function per resource.

In: a read-only DuckDB connection to a dyad store and validated filters. Out: plain dicts in the export
schema of DESIGN.md (events, quotes, facts, actors, documents), plus paging (`total`, `offset`, `limit`).
Raises NotFound for a missing id and AnalysisError for a bad filter; the app turns them into 404 and 422.
"""
from __future__ import annotations

import json
from typing import Any

from ..analysis import (
    AnalysisError,
    actor_key,
    date_clause,
    ensure_parties,
    network,
    period_clause,
    plover_types,
    reliability_clause,
)
from ..store import ORDER, export_event, export_fact, export_quote
from .index import ensure_event_index, ensure_text_index, rids_at, rows_by_rid

MAX_LIMIT = 200
EVENT_SORTS = {"date": "o.pos", "-date": "o.rpos"}
_JSON_COLUMNS = {"context", "actors", "recipients", "evidence", "retold", "speaker", "roles", "aliases", "doc_ids"}


class NotFound(LookupError):
    """No row with this id; the message names it."""


def _rows(con, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [{n: _decoded(n, v) for n, v in zip(names, row)} for row in cursor.fetchall()]


def page(items: list, total: int, offset: int, limit: int) -> dict[str, Any]:
    return {"total": total, "offset": offset, "limit": limit, "items": items}


# --- events ----------------------------------------------------------------------------------------------

def parse_dyad(dyad: str | None) -> tuple[str, str] | None:
    if dyad is None:
        return None
    parts = [p.strip() for p in dyad.split(",")]
    if len(parts) != 2 or not all(parts):
        raise AnalysisError(f"dyad {dyad!r} must be two actors separated by a comma, e.g. JPN,KOR")
    a, b = actor_key(parts[0], "dyad"), actor_key(parts[1], "dyad")
    if a == b:
        raise AnalysisError(f"dyad {dyad!r} names the same actor twice")
    return a, b


def check_type(value: str | None) -> str | None:
    if value is None:
        return None
    upper = value.strip().upper()
    if upper not in plover_types():
        raise AnalysisError(f"type {value!r} is not a PLOVER type: one of {', '.join(plover_types())}")
    return upper


def event_filters(actor=None, dyad=None, type=None, since=None, until=None, period=None, story=None, doc=None,
                  q=None, min_reliability=None) -> tuple[list[str], str, list]:
    """(actor keys every event must have, WHERE clause over the `event_order` index o, its parameters)."""
    keys = [actor_key(actor)] if actor else []
    keys = list(dict.fromkeys(keys + list(parse_dyad(dyad) or ())))
    clauses, params = [], []
    if type:
        clauses.append("o.type = ?")
        params.append(check_type(type))
    if since or until:
        dates, date_params = date_clause(since, until, "o.date", "o.first_day", "o.last_day")
        clauses.append(dates)
        params += date_params
    if period:
        sql, period_params = period_clause(period, "o.date")
        clauses.append(sql)
        params += period_params
    if story:
        clauses.append("o.story_id = ?")
        params.append(story)
    if doc:
        clauses.append("o.doc_id = ?")
        params.append(doc)
    if q:
        clauses.append("o.rid IN (SELECT rid FROM event_text WHERE contains(text, lower(?)))")
        params.append(q)
    if min_reliability is not None:
        sql, bar = reliability_clause(min_reliability, "o.reliability")
        clauses.append(sql)
        params += bar
    return keys, " AND ".join(clauses), params


def events(con, offset: int = 0, limit: int = 50, sort: str = "date", **filters) -> dict[str, Any]:
    """A page of events matching the filters, in a stable order (date, then id), with the total.

    Actor filters read only the index rows of those actors (their positions, intersected); other filters
    scan the narrow `event_order` index; only the page's own rows are read from `events`."""
    if sort not in EVENT_SORTS:
        raise AnalysisError(f"sort {sort!r} is not one of {', '.join(EVENT_SORTS)}")
    ensure_event_index(con)
    if filters.get("q"):
        ensure_text_index(con)
    keys, where, params = event_filters(**filters)
    def with_keys(columns: str) -> str:
        return " INTERSECT ".join(f"SELECT {columns} FROM event_keys WHERE key = ?" for _ in keys)

    if keys and not where:
        source, source_params = f"({with_keys('pos, rpos')}) o", keys
    else:
        clauses = ([f"o.pos IN ({with_keys('pos')})"] if keys else []) + ([where] if where else [])
        source = "event_order o" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        source_params = [*keys, *params]
    if filters.get("q"):  # scanning the text once: the total comes with the page
        total, positions = _page_with_total(con, source, source_params, sort, offset, limit)
    else:  # the index scans are cheap; two plain queries beat a window over every match
        total = con.execute(f"SELECT count(*) FROM {source}", source_params).fetchone()[0]
        positions = [r[0] for r in con.execute(f"SELECT o.pos FROM {source} ORDER BY {EVENT_SORTS[sort]} "
                                               "LIMIT ? OFFSET ?", [*source_params, limit, offset]).fetchall()]
    names, rows = rows_by_rid(con, rids_at(con, positions))
    items = [export_event({n: _decoded(n, v) for n, v in zip(names, row) if n != "_rid"}) for row in rows]
    return page(_with_documents(con, items), total, offset, limit)


def _page_with_total(con, source: str, params: list, sort: str, offset: int, limit: int) -> tuple[int, list[int]]:
    rows = con.execute(f"SELECT o.pos, count(*) OVER () FROM {source} ORDER BY {EVENT_SORTS[sort]} LIMIT ? OFFSET ?",
                       [*params, limit, offset]).fetchall()
    if rows:
        return rows[0][1], [r[0] for r in rows]
    return con.execute(f"SELECT count(*) FROM {source}", params).fetchone()[0], []


def _decoded(name: str, value: Any) -> Any:
    return json.loads(value) if name in _JSON_COLUMNS and isinstance(value, str) else value


def _with_documents(con, items: list[dict]) -> list[dict]:
    """Adds each item's document title, outlet and publication date (one query for the page)."""
    doc_ids = sorted({i["doc_id"] for i in items})
    if not doc_ids:
        return items
    docs = {r["doc_id"]: r for r in _rows(
        con, "SELECT doc_id, title, outlet, published FROM documents WHERE list_contains(?, doc_id)", [doc_ids])}
    for item in items:
        doc = docs.get(item["doc_id"], {})
        item["document"] = {k: doc.get(k) for k in ("title", "outlet", "published")}
    return items


def event(con, event_id: str) -> dict[str, Any]:
    rows = _rows(con, "SELECT * FROM events WHERE event_id = ?", [event_id])
    if not rows:
        raise NotFound(f"no event {event_id!r}")
    return _with_documents(con, [export_event(rows[0])])[0]


# --- actors ----------------------------------------------------------------------------------------------

def actors(con, kind: str | None = None, q: str | None = None, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Registry actors with their event and quote counts, most active first."""
    ensure_parties(con)
    clauses, params = ["true"], []
    if kind:
        clauses.append("a.kind = ?")
        params.append(kind)
    if q:
        clauses.append("(contains(lower(a.name), lower(?)) OR contains(lower(a.actor_id), lower(?)) "
                       "OR contains(lower(CAST(a.aliases AS VARCHAR)), lower(?)))")
        params += [q, q, q]
    where = " AND ".join(clauses)
    total = con.execute(f"SELECT count(*) FROM actors a WHERE {where}", params).fetchone()[0]
    rows = _rows(con, f"""
        WITH ev AS (SELECT actor_id, count(DISTINCT event_id) AS events FROM event_parties GROUP BY actor_id),
        qu AS (SELECT json_extract_string(speaker, '$.actor_id') AS actor_id, count(*) AS quotes
               FROM quotes GROUP BY 1)
        SELECT a.*, coalesce(ev.events, 0) AS events, coalesce(qu.quotes, 0) AS quotes
        FROM actors a LEFT JOIN ev USING (actor_id) LEFT JOIN qu USING (actor_id)
        WHERE {where} ORDER BY events DESC, quotes DESC, a.actor_id LIMIT ? OFFSET ?""", [*params, limit, offset])
    return page(rows, total, offset, limit)


def actor(con, actor_id: str, quote_limit: int = 50) -> dict[str, Any]:
    """One registry actor: its offices (roles), counts, partners (its ego network) and its quotes."""
    ensure_parties(con)
    rows = _rows(con, "SELECT * FROM actors WHERE actor_id = ?", [actor_id])
    if not rows:
        raise NotFound(f"no actor {actor_id!r}: /api/actors lists them")
    record = rows[0]
    counts = con.execute("""
        SELECT count(DISTINCT event_id), count(DISTINCT event_id) FILTER (side = 'actor'),
               count(DISTINCT event_id) FILTER (side = 'recipient') FROM event_parties WHERE actor_id = ?""",
                         [actor_id]).fetchone()
    quotes = [export_quote(r) for r in _rows(
        con, f"SELECT * FROM quotes WHERE json_extract_string(speaker, '$.actor_id') = ? ORDER BY {ORDER['quotes']}",
        [actor_id])]
    record["offices"] = sorted(record.pop("roles") or [], key=lambda r: r.get("start") or "", reverse=True)
    record["counts"] = {"events": counts[0], "as_actor": counts[1], "as_recipient": counts[2],
                        "quotes": len(quotes), "documents": len(record.get("doc_ids") or [])}
    record["quotes"] = _with_documents(con, quotes[:quote_limit])
    record["network"] = network(con, actor=actor_id, by="actor_id")
    return record


# --- stories ---------------------------------------------------------------------------------------------

def stories(all_stories: list[dict], offset: int = 0, limit: int = 50, kind: str | None = None,
            sort: str = "size") -> dict[str, Any]:
    """A page of stories (from dyad.stories, computed once by the app), largest or latest first."""
    if kind not in (None, "event", "quote"):
        raise AnalysisError(f"kind {kind!r} is not one of event, quote")
    if sort not in ("size", "latest"):
        raise AnalysisError(f"sort {sort!r} is not one of size, latest")
    rows = [s for s in all_stories if kind is None or s["kind"] == kind]
    if sort == "latest":
        rows = sorted(rows, key=lambda s: (s.get("last_report") or "", s["documents"], s["story_id"]), reverse=True)
    return page(rows[offset:offset + limit], len(rows), offset, limit)


def story(con, story_id: str) -> dict[str, Any]:
    from ..stories import get_story

    found = get_story(con, story_id)
    if found is None:
        raise NotFound(f"no story {story_id!r}: /api/stories lists them")
    return found


# --- documents -------------------------------------------------------------------------------------------

def documents(con, q: str | None = None, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Documents without their text, newest first, with event, quote and fact counts."""
    where, params = "true", []
    if q:
        where = "(contains(lower(d.title), lower(?)) OR contains(lower(d.text), lower(?)))"
        params = [q, q]
    total = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
    rows = _rows(con, f"""
        SELECT d.doc_id, d.title, d.published, d.outlet, d.url, length(d.text) AS length,
               (SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) AS events,
               (SELECT count(*) FROM quotes x WHERE x.doc_id = d.doc_id) AS quotes,
               (SELECT count(*) FROM facts f WHERE f.doc_id = d.doc_id) AS facts
        FROM documents d WHERE {where} ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT ? OFFSET ?""",
                 [*params, limit, offset])
    return page(rows, total, offset, limit)


def document(con, doc_id: str) -> dict[str, Any]:
    """One document with its text and every event, quote and fact with their character offsets."""
    rows = _rows(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        raise NotFound(f"no document {doc_id!r}: /api/documents lists them")
    doc = rows[0]
    doc["events"] = [export_event(r) for r in _rows(
        con, f"SELECT * FROM events WHERE doc_id = ? ORDER BY {ORDER['events']}", [doc_id])]
    doc["quotes"] = [export_quote(r) for r in _rows(
        con, f"SELECT * FROM quotes WHERE doc_id = ? ORDER BY {ORDER['quotes']}", [doc_id])]
    doc["facts"] = [export_fact(r) for r in _rows(
        con, f"SELECT * FROM facts WHERE doc_id = ? ORDER BY {ORDER['facts']}", [doc_id])]
    return doc


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "events", "quotes", "facts", "actors")}


# --- promises --------------------------------------------------------------------------------------------

def promise_ledger(con) -> list[dict]:
    """Every promise thread of the store. Read from the stored `promises` table when it is fresh, else computed
    in memory: a bare connection has no `read_only` flag, so the ledger module never writes through it."""
    from ..promises import PromiseError, promise_rows

    try:
        return promise_rows(con)
    except PromiseError as exc:
        raise AnalysisError(str(exc)) from exc


def promise_threads(ledger: list[dict], a: str | None = None, b: str | None = None, status: list[str] | None = None,
                    offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """A page of the ledger's threads, most reported first: between actors a and b (both or neither), with
    one of the statuses."""
    from ..promises import PromiseError, select

    if (a is None) != (b is None):
        raise AnalysisError("promises between actors need both a and b, e.g. a=JPN&b=KOR")
    between = None
    if a is not None and b is not None:
        between = (actor_key(a, "a"), actor_key(b, "b"))
        if between[0].split(":", 1)[-1] == between[1].split(":", 1)[-1]:
            raise AnalysisError(f"a and b name the same actor ({a!r})")
    try:
        rows = select(ledger, between=between, status=status or None)
    except PromiseError as exc:
        raise AnalysisError(str(exc)) from exc
    return page(rows[offset:offset + limit], len(rows), offset, limit)
