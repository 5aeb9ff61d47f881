"""Batched, set-based writes: many documents' extractions saved to a `Store` in one transaction.

In: a `Store` and a list of `Extraction`s (in input order). Out: the documents stored, with their actors and
story links, exactly as `Store.save` would store them one after the other; a list of the ones that could not
be stored, with the reason.

Why it is faster than one `Store.save` per document: each table gets one columnar append per batch (every
column sent as one list parameter and unnested by DuckDB, instead of one INSERT per row), old rows go in one
DELETE per table, actors are read and rewritten once per batch, and one commit covers the batch.

Story linking stays per document and in input order (a document links against every earlier one, including
those of its own batch), through the linker's own functions, so its results are identical; only the
write-back of story ids changes: the batch's events and quotes are inserted after linking with their final
story ids (read back from the story index, which every merge relabels), instead of one UPDATE per record.

Guarantees are those of `Store.save`: the batch is one transaction, so a kill leaves each document stored
whole or not at all; a batch the store refuses is rolled back and its documents saved one by one, so one bad
document costs only itself.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .records import ActorRecord, Extraction, Role
from .store import (
    PER_DOCUMENT_TABLES,
    SCHEMA,
    Store,
    _encode,
    _quote,
    extraction_rows,
    merge_actor_records,
)

# Tables whose rows carry story ids: written after linking, so they carry the final ids.
LINKED_TABLES = ("events", "quotes")


def save_batch(store: Store, extractions: list[Extraction]) -> list[tuple[Extraction, Exception]]:
    """Save `extractions` in as few transactions as possible; returns those not stored, each with its error.

    A document id met twice in the list closes the transaction before its second occurrence, so that the
    later version replaces the earlier one as it would in a one-by-one save."""
    failed: list[tuple[Extraction, Exception]] = []
    for part in split_at_repeated_ids(extractions):
        try:
            _save_in_one_transaction(store, part)
        except Exception:  # noqa: BLE001 - retried one by one below, so that one bad document costs only itself
            failed.extend(_save_one_by_one(store, part))
    return failed


def split_at_repeated_ids(extractions: list[Extraction]) -> list[list[Extraction]]:
    """Consecutive runs of `extractions` in which no document id occurs twice."""
    parts: list[list[Extraction]] = [[]]
    seen: set[str] = set()
    for extraction in extractions:
        doc_id = extraction.document.id
        if doc_id in seen:
            parts.append([])
            seen = set()
        parts[-1].append(extraction)
        seen.add(doc_id)
    return [p for p in parts if p]


def _save_one_by_one(store: Store, extractions: list[Extraction]) -> list[tuple[Extraction, Exception]]:
    failed = []
    for extraction in extractions:
        try:
            store.save(extraction)
        except Exception as exc:  # noqa: BLE001 - reported by the caller as a document not stored
            failed.append((extraction, exc))
    return failed


def _save_in_one_transaction(store: Store, extractions: list[Extraction]) -> None:
    con = store.connection
    con.begin()
    try:
        _delete_documents(con, [e.document.id for e in extractions])
        rows = _batch_rows(extractions)
        for table in ("documents", *PER_DOCUMENT_TABLES):
            if table not in LINKED_TABLES:
                append_rows(con, table, rows[table])
        _upsert_actors(store, [record for e in extractions for record in e.actors])
        link_batch(con, extractions)
        _set_final_story_ids(con, extractions, rows)
        for table in LINKED_TABLES:
            append_rows(con, table, rows[table])
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _delete_documents(con, doc_ids: list[str]) -> None:
    for table in ("documents", *PER_DOCUMENT_TABLES):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest($1::VARCHAR[]))", [doc_ids])


def _batch_rows(extractions: list[Extraction]) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {table: [] for table in ("documents", *PER_DOCUMENT_TABLES)}
    for extraction in extractions:
        for table, rows in extraction_rows(extraction).items():
            merged[table].extend(rows)
    return merged


def append_rows(con, table: str, rows: list[dict[str, Any]]) -> None:
    """One INSERT for all `rows`: each column is sent as one list and unnested side by side."""
    if not rows:
        return
    columns = list(SCHEMA[table])
    selects = ", ".join(f"unnest(${i + 1})::{_sql_type(SCHEMA[table][c])}" for i, c in enumerate(columns))
    values = [[_encode(table, c, row.get(c)) for row in rows] for c in columns]
    con.execute(f"INSERT INTO {table} ({', '.join(map(_quote, columns))}) SELECT {selects}", values)


def _sql_type(declared: str) -> str:
    """The column's value type: JSON columns hold JSON text; constraints are the table's business."""
    base = declared.replace("PRIMARY KEY", "").strip()
    return "VARCHAR" if base == "JSON" else base


# --- actors --------------------------------------------------------------------------------------------

def _upsert_actors(store: Store, records: list[ActorRecord]) -> None:
    """Merge each record into the stored one, in order (as one `Store.save` after another would), then
    replace the batch's actors with one DELETE and one append."""
    if not records:
        return
    merged = _stored_actors(store, sorted({r.actor_id for r in records}))
    for record in records:
        old = merged.get(record.actor_id)
        merged[record.actor_id] = merge_actor_records(old, record) if old else record
    con = store.connection
    con.execute("DELETE FROM actors WHERE actor_id IN (SELECT unnest($1::VARCHAR[]))", [list(merged)])
    append_rows(con, "actors", [asdict(r) for r in merged.values()])


def _stored_actors(store: Store, actor_ids: list[str]) -> dict[str, ActorRecord]:
    rows = store._select("SELECT * FROM actors WHERE actor_id IN (SELECT unnest($1::VARCHAR[]))",
                         [actor_ids], "actors")
    return {row["actor_id"]: ActorRecord(**{**row, "roles": [Role(**r) for r in row["roles"] or []]})
            for row in rows}


# --- stories -------------------------------------------------------------------------------------------

def link_batch(con, extractions: list[Extraction]) -> None:
    """Link each document's events and quotes and index its facts, in input order, with the linker's own
    steps (see dyad.stories.link_extraction); sets story_id on the records. The caller holds the transaction
    and writes the story ids to the events and quotes tables."""
    from .stories import _link_events, _link_quotes, figures
    from .stories.config import load_config
    from .stories.schema import (
        FACT_COLUMNS,
        ensure_tables,
        forget_document,
        insert_rows,
    )

    cfg = load_config()
    ensure_tables(con)
    for extraction in extractions:
        forget_document(con, extraction.document.id)
        assigned = _link_events(con, extraction, cfg)
        assigned.update(_link_quotes(con, extraction, cfg))
        facts = [r for r in (figures.fact_row(f, extraction, cfg) for f in extraction.facts) if r]
        insert_rows(con, "fact_index", FACT_COLUMNS, facts)
        for event in extraction.events:
            event.story_id = assigned.get(event.event_id)
        for quote in extraction.quotes:
            quote.story_id = assigned.get(quote.quote_id)


def _set_final_story_ids(con, extractions: list[Extraction], rows: dict[str, list[dict[str, Any]]]) -> None:
    """A later document of the batch may have merged a story an earlier one joined: the story index holds the
    surviving id (events with no index row were never candidates, so their id stands)."""
    doc_ids = [e.document.id for e in extractions]
    final = dict(con.execute(
        "SELECT event_id, story_id FROM story_index WHERE is_primary AND doc_id IN (SELECT unnest($1::VARCHAR[]))",
        [doc_ids]).fetchall())
    by_id = {e.event_id: e for x in extractions for e in x.events}
    for row in rows["events"]:
        story_id = final.get(row["event_id"], by_id[row["event_id"]].story_id)
        row["story_id"] = by_id[row["event_id"]].story_id = story_id
    quotes = {q.quote_id: q for x in extractions for q in x.quotes}
    for row in rows["quotes"]:
        row["story_id"] = quotes[row["quote_id"]].story_id
