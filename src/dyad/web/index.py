"""Compact in-memory indexes that let the events list answer fast on a large store.

In: a read-only connection. Out: temporary tables on it, built once per connection:
- `event_order` (rid, pos, rpos, date, first_day, last_day, type, story_id, doc_id): one narrow row per event
  in the order of the list (pos: by date then id; rpos: newest first), with its date padded for range
  filters, so filters and paging never touch the wide JSON columns;
- `event_keys` (pos, rpos, key): every upper-cased code and actor id of an event, sorted by key, so an actor
  or a dyad filter reads only that key's rows and pages by position without touching anything else;
- `event_text` (rid, text): the lower-cased evidence, built on the first text search only (it costs memory).
A page's full rows are then read from `events` by rowid, within the rowid range of that page.
The store is open read-only, so rowids cannot change under the indexes.
"""
from __future__ import annotations

import threading

from ..analysis import FIRST_DAY, LAST_DAY, pad_sql

_TEXT_LOCK = threading.Lock()


def _exists(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                            [name]).fetchone()[0])


def ensure_event_index(con) -> None:
    if not _exists(con, "event_order"):
        con.execute(f"""
            CREATE TEMP TABLE event_order AS
            SELECT rowid AS rid,
                   (row_number() OVER (ORDER BY date NULLS LAST, event_id))::INTEGER AS pos,
                   (row_number() OVER (ORDER BY date DESC NULLS LAST, event_id))::INTEGER AS rpos,
                   date, {pad_sql("date", FIRST_DAY)} AS first_day, {pad_sql("date", LAST_DAY)} AS last_day,
                   type, story_id, doc_id, reliability
            FROM events ORDER BY pos""")
    if not _exists(con, "event_keys"):
        con.execute("""
            CREATE TEMP TABLE event_keys AS
            SELECT DISTINCT o.pos, o.rpos, upper(k) AS key
            FROM events e JOIN event_order o ON o.rid = e.rowid, LATERAL (SELECT unnest(
                json_extract_string(e.actors, '$[*].code') || json_extract_string(e.recipients, '$[*].code') ||
                json_extract_string(e.actors, '$[*].actor_id') || json_extract_string(e.recipients, '$[*].actor_id')
            ) AS k)
            WHERE k IS NOT NULL ORDER BY key, pos""")


def ensure_text_index(con) -> None:
    with _TEXT_LOCK:
        if not _exists(con, "event_text"):
            con.execute("CREATE TEMP TABLE event_text AS SELECT rowid AS rid, "
                        "lower(json_extract_string(evidence, '$.text')) AS text FROM events")


def rids_at(con, positions: list[int]) -> list[int]:
    """The rowids of the events at these list positions, in the same order (reads only their pos range)."""
    if not positions:
        return []
    found = dict(con.execute("SELECT pos, rid FROM event_order WHERE pos BETWEEN ? AND ? "
                             "AND pos IN (SELECT unnest(?))", [min(positions), max(positions), positions]).fetchall())
    return [found[p] for p in positions]


def rows_by_rid(con, rids: list[int]) -> tuple[list[str], list[tuple]]:
    """The full events rows for these rowids, in the same order, reading only their rowid range."""
    if not rids:
        return [], []
    cursor = con.execute("SELECT rowid AS _rid, * FROM events WHERE rowid BETWEEN ? AND ? "
                         "AND rowid IN (SELECT unnest(?))", [min(rids), max(rids), rids])
    names = [d[0] for d in cursor.description]
    by_rid = {row[0]: row for row in cursor.fetchall()}
    return names, [by_rid[r] for r in rids if r in by_rid]
