"""Stories: reports of one happening across documents, linked, with corroboration and disagreement.

The store calls `link_extraction(con, extraction)` after saving a document; everything else reads the tables
this package keeps in the same DuckDB connection (story_index, story_links, quote_index, fact_index).
"""
from __future__ import annotations

import json

import duckdb

from ..records import Extraction
from . import figures as _facts
from . import link as _link
from . import quote_links as _quotes
from . import summary as _summary
from .config import StoryConfig, load_config
from .schema import (
    EVENT_COLUMNS,
    FACT_COLUMNS,
    QUOTE_COLUMNS,
    ensure_tables,
    forget_document,
    insert_rows,
    table_exists,
)

__all__ = ["link_extraction", "story_rows", "list_stories", "get_story", "fact_disagreements", "explain_story"]


def link_extraction(con, extraction: Extraction, cfg: StoryConfig | None = None) -> dict[str, str]:
    """Links one document's events and quotes to existing stories (incrementally) and indexes its facts.

    Sets story_id on the Event and Quote records, and in the events/quotes tables when they exist.
    Returns {event_or_quote_id: story_id}. Re-linking a document first forgets its old rows.
    """
    cfg = cfg or load_config()
    ensure_tables(con)
    own_transaction = _begin(con)
    try:
        forget_document(con, extraction.document.id)
        assigned = _link_events(con, extraction, cfg)
        assigned.update(_link_quotes(con, extraction, cfg))
        fact_rows = [r for r in (_facts.fact_row(f, extraction, cfg) for f in extraction.facts) if r]
        insert_rows(con, "fact_index", FACT_COLUMNS, fact_rows)
        _write_back(con, extraction, assigned)
    except BaseException:
        if own_transaction:
            con.rollback()
        raise
    if own_transaction:
        con.commit()
    return assigned


def _begin(con) -> bool:
    """Opens a transaction unless the caller already holds one (one document links all or nothing)."""
    try:
        con.begin()
    except duckdb.TransactionException:
        return False
    return True


def _link_events(con, extraction: Extraction, cfg: StoryConfig) -> dict[str, str]:
    rows = [_link.event_row(e, extraction, cfg) for e in extraction.events]
    links = _link.best_links(con, rows, cfg)
    _merge_stories(con, _link.merge_plan(con, links))
    index, link_rows = [], []
    for row in rows:
        link = links.get(row["event_id"])
        row["story_id"] = link.story_id if link else _link.new_story_id(row["event_id"])
        index.extend(_link.index_rows(row))
        if link:
            link_rows.append({"event_id": row["event_id"], "doc_id": row["doc_id"], "story_id": link.story_id,
                              "kind": "event", "linked_id": link.linked_id, "score": link.score,
                              "reasons": json.dumps(link.reasons)})
    insert_rows(con, "story_index", EVENT_COLUMNS, index)
    insert_rows(con, "story_links", ("event_id", "doc_id", "story_id", "kind", "linked_id", "score", "reasons"),
                link_rows)
    return {r["event_id"]: r["story_id"] for r in rows}


def _merge_stories(con, plan: dict[str, str]) -> None:
    """Relabels each absorbed story with the surviving id, in the index, the link log and the events table."""
    if not plan:
        return
    pairs = [[to, absorbed] for absorbed, to in plan.items()]
    con.executemany("UPDATE story_index SET story_id = ? WHERE story_id = ?", pairs)
    con.executemany("UPDATE story_links SET story_id = ? WHERE story_id = ?", pairs)
    if _has_columns(con, "events", ("story_id",)):
        con.executemany("UPDATE events SET story_id = ? WHERE story_id = ?", pairs)


def _link_quotes(con, extraction: Extraction, cfg: StoryConfig) -> dict[str, str]:
    rows = [_quotes.quote_row(q, extraction) for q in extraction.quotes]
    made = _quotes.link_quotes(con, rows, cfg)
    insert_rows(con, "quote_index", QUOTE_COLUMNS, [r for row in rows for r in _quotes.index_rows(row)])
    insert_rows(con, "story_links", ("event_id", "doc_id", "story_id", "kind", "linked_id", "score", "reasons"),
                [{"event_id": row["quote_id"], "doc_id": row["doc_id"], "story_id": row["story_id"],
                  "kind": "quote", "linked_id": other, "score": round(sim, 3),
                  "reasons": json.dumps([f"same speaker {row['speaker_key']}", f"word overlap {sim:.2f}"])}
                 for row, other, sim in made])
    return {r["quote_id"]: r["story_id"] for r in rows}


def _write_back(con, extraction: Extraction, assigned: dict[str, str]) -> None:
    for record in [*extraction.events, *extraction.quotes]:
        record.story_id = assigned.get(getattr(record, "event_id", None) or getattr(record, "quote_id"))
    for table, key, records in (("events", "event_id", extraction.events), ("quotes", "quote_id", extraction.quotes)):
        if records and _has_columns(con, table, (key, "story_id")):
            con.executemany(f"UPDATE {table} SET story_id = ? WHERE {key} = ?",
                            [[r.story_id, getattr(r, key)] for r in records])


def _has_columns(con, table: str, columns: tuple[str, ...]) -> bool:
    if not table_exists(con, table):
        return False
    names = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
    return set(columns) <= names


def story_rows(con, min_documents: int = 1) -> list[dict]:
    """Every story (events and quotes) with corroboration and disagreements, largest first."""
    if not table_exists(con, "story_index"):
        return []
    return _summary.all_stories(con, min_size=min_documents)


def list_stories(con, limit: int | None = None, min_documents: int = 1) -> list[dict]:
    rows = story_rows(con, min_documents)
    return rows[:limit] if limit else rows


def get_story(con, story_id: str) -> dict | None:
    if not table_exists(con, "story_index"):
        return None
    cfg = load_config()
    members = _summary.event_members(con, story_id=story_id).get(story_id)
    if members:
        story = _summary.event_story(story_id, members, cfg)
    else:
        quotes = _summary.quote_members(con, story_id=story_id).get(story_id)
        if not quotes:
            return None
        story = _summary.quote_story(story_id, quotes, cfg)
    story["links"] = explain_story(con, story_id)
    return story


def explain_story(con, story_id: str) -> list[dict]:
    """Why each member joined the story: the member it matched, the score, the reasons."""
    rows = con.execute("SELECT event_id, linked_id, score, reasons FROM story_links WHERE story_id = ? "
                       "ORDER BY event_id", [story_id]).fetchall()
    return [{"id": r[0], "linked_to": r[1], "score": r[2], "reasons": json.loads(r[3])} for r in rows]


def fact_disagreements(con) -> list[dict]:
    """Facts about one measure (unit, kind, measure word, countries, period) that disagree across documents."""
    if not table_exists(con, "fact_index"):
        return []
    return _facts.disagreements(con)
