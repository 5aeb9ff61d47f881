"""The tables the story linker owns in the store's DuckDB connection.

story_index holds one row per (event, candidate key): the key is the type family, a pair of participant codes
and a date bucket, so finding the candidates of new events is one semi-join on that key (see `lookup`).
Rows with is_primary = true carry each event once, for summaries.
"""
from __future__ import annotations

EVENT_COLUMNS = (
    "ckey", "is_primary", "event_id", "doc_id", "story_id", "type", "family", "mode", "aux",
    "actors", "recipients", "participants", "people", "names", "date", "date_precision", "date_fallback",
    "location", "evidence", "attribution", "outlet", "published", "context", "mention",
)
QUOTE_COLUMNS = ("qkey", "is_primary", "quote_id", "doc_id", "story_id", "speaker", "speaker_key", "text",
                 "outlet", "published")
FACT_COLUMNS = ("fact_id", "doc_id", "measure_key", "kind", "unit", "value", "signed_value", "period",
                "countries", "text", "about", "outlet", "published")

DDL = [
    """CREATE TABLE IF NOT EXISTS story_index (
        ckey VARCHAR, is_primary BOOLEAN, event_id VARCHAR, doc_id VARCHAR, story_id VARCHAR, type VARCHAR,
        family VARCHAR, mode VARCHAR, aux VARCHAR, actors VARCHAR, recipients VARCHAR, participants VARCHAR,
        people VARCHAR, names VARCHAR, date VARCHAR, date_precision VARCHAR, date_fallback BOOLEAN,
        location VARCHAR, evidence VARCHAR, attribution VARCHAR, outlet VARCHAR, published VARCHAR,
        context VARCHAR, mention BOOLEAN)""",
    # stores made before these columns existed gain them (empty) instead of failing on insert
    "ALTER TABLE story_index ADD COLUMN IF NOT EXISTS context VARCHAR",
    "ALTER TABLE story_index ADD COLUMN IF NOT EXISTS mention BOOLEAN",
    "CREATE INDEX IF NOT EXISTS story_index_ckey ON story_index (ckey)",
    "CREATE INDEX IF NOT EXISTS story_index_doc ON story_index (doc_id)",
    "CREATE INDEX IF NOT EXISTS story_index_story ON story_index (story_id)",
    """CREATE TABLE IF NOT EXISTS story_links (
        event_id VARCHAR, doc_id VARCHAR, story_id VARCHAR, kind VARCHAR, linked_id VARCHAR, score DOUBLE,
        reasons VARCHAR)""",
    "CREATE INDEX IF NOT EXISTS story_links_doc ON story_links (doc_id)",
    "CREATE INDEX IF NOT EXISTS story_links_story ON story_links (story_id)",
    """CREATE TABLE IF NOT EXISTS quote_index (
        qkey VARCHAR, is_primary BOOLEAN, quote_id VARCHAR, doc_id VARCHAR, story_id VARCHAR, speaker VARCHAR,
        speaker_key VARCHAR, text VARCHAR, outlet VARCHAR, published VARCHAR)""",
    "CREATE INDEX IF NOT EXISTS quote_index_qkey ON quote_index (qkey)",
    "CREATE INDEX IF NOT EXISTS quote_index_doc ON quote_index (doc_id)",
    "CREATE INDEX IF NOT EXISTS quote_index_story ON quote_index (story_id)",
    """CREATE TABLE IF NOT EXISTS fact_index (
        fact_id VARCHAR, doc_id VARCHAR, measure_key VARCHAR, kind VARCHAR, unit VARCHAR, value DOUBLE,
        signed_value DOUBLE, period VARCHAR, countries VARCHAR, text VARCHAR, about VARCHAR, outlet VARCHAR,
        published VARCHAR)""",
    "CREATE INDEX IF NOT EXISTS fact_index_doc ON fact_index (doc_id)",
    "CREATE INDEX IF NOT EXISTS fact_index_measure ON fact_index (measure_key)",
]


def ensure_tables(con) -> None:
    for statement in DDL:
        con.execute(statement)


def table_exists(con, name: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    return bool(row and row[0])


def forget_document(con, doc_id: str) -> None:
    """Drops a document's rows so that re-ingesting it links it afresh."""
    for table in ("story_index", "story_links", "quote_index", "fact_index"):
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])


def insert_rows(con, table: str, columns: tuple[str, ...], rows: list[dict], chunk: int = 200) -> None:
    """Multi-row INSERTs: far fewer round trips than executemany for a document's few hundred rows."""
    one = "(" + ", ".join("?" for _ in columns) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(one for _ in part)}",
                    [row.get(c) for row in part for c in columns])


def lookup(con, table: str, key_column: str, columns: tuple[str, ...], keys: list[str]) -> dict[str, list[dict]]:
    """Rows per key, in the order they were stored. One semi-join against the unnested key list: measured
    (bench/bench_stories.py sizes, ~750 keys) 5 / 25 / 100 ms at 10k / 200k / 1M stored events, against
    250 / 330 / 580 ms for the UNION ALL of indexed point queries used before."""
    found: dict[str, list[dict]] = {}
    unique = sorted(set(keys))
    if not unique:
        return found
    query = (f"SELECT {', '.join(columns)} FROM {table} WHERE {key_column} IN (SELECT unnest($1::VARCHAR[])) "
             "ORDER BY rowid")
    for values in con.execute(query, [unique]).fetchall():
        row = dict(zip(columns, values))
        found.setdefault(row[key_column], []).append(row)
    return found
