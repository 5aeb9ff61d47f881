"""The DuckDB store: documents, segments, mentions, events, quotes, facts, actors and ingest problems.

One document's rows and its story links are replaced in one transaction (delete, insert, link), so
re-ingesting never duplicates and a failure or a kill never leaves half a document. A writer can `release()`
the file between batches (DuckDB locks the whole file): readers then see the last committed state, and the
connection is reopened on next use, waiting for readers to finish. Nested fields (actors, evidence, roles …)
are kept as JSON text and decoded on the way out, so every query helper returns rows in exactly the export
schema of DESIGN.md.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from .records import ActorRecord, Extraction, Problem, Role

DEFAULT_DB = os.environ.get("DYAD_DB", "dyad.duckdb")
# How long opening a locked file is retried: a writer waits for readers, a reader for the writer's batch.
WRITER_LOCK_WAIT = float(os.environ.get("DYAD_LOCK_WAIT", 120))
READER_LOCK_WAIT = float(os.environ.get("DYAD_READ_WAIT", 10))
LOCK_POLL_SECONDS = 0.05
SINCE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

# Column name -> SQL type; "JSON" columns hold nested values as JSON text.
SCHEMA: dict[str, dict[str, str]] = {
    "documents": {"doc_id": "VARCHAR PRIMARY KEY", "title": "VARCHAR", "published": "VARCHAR",
                  "published_bound": "VARCHAR", "date_source": "VARCHAR", "outlet": "VARCHAR", "url": "VARCHAR",
                  "source_path": "VARCHAR", "content_hash": "VARCHAR", "text": "VARCHAR"},
    "segments": {"doc_id": "VARCHAR", "seq": "INTEGER", "start": "INTEGER", "end": "INTEGER", "kind": "VARCHAR"},
    "mentions": {"doc_id": "VARCHAR", "seq": "INTEGER", "start": "INTEGER", "end": "INTEGER", "text": "VARCHAR",
                 "actor": "JSON", "how": "VARCHAR", "role": "VARCHAR", "members": "JSON"},
    "events": {"event_id": "VARCHAR", "doc_id": "VARCHAR", "type": "VARCHAR", "mode": "VARCHAR",
               "context": "JSON", "actors": "JSON", "recipients": "JSON", "date": "VARCHAR",
               "date_text": "VARCHAR", "location": "VARCHAR", "aux": "VARCHAR", "attribution": "VARCHAR",
               "evidence": "JSON", "score": "DOUBLE", "confidence": "DOUBLE", "story_id": "VARCHAR",
               "rule": "VARCHAR", "date_precision": "VARCHAR", "symmetric": "BOOLEAN", "alleged": "BOOLEAN",
               "trigger": "VARCHAR", "retold": "JSON", "reliability": "DOUBLE"},
    "quotes": {"quote_id": "VARCHAR", "doc_id": "VARCHAR", "text": "VARCHAR", "speaker": "JSON",
               "evidence": "JSON", "story_id": "VARCHAR", "indirect": "BOOLEAN"},
    "facts": {"fact_id": "VARCHAR", "doc_id": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR", "about": "VARCHAR",
              "text": "VARCHAR", "period": "VARCHAR", "evidence": "JSON", "qualifier": "VARCHAR"},
    "actors": {"actor_id": "VARCHAR PRIMARY KEY", "kind": "VARCHAR", "name": "VARCHAR", "aliases": "JSON",
               "country": "VARCHAR", "sector": "VARCHAR", "roles": "JSON", "doc_ids": "JSON"},
    # kind: "failed" (the input was not stored) or "notice" (stored, with something cut or ignored)
    "problems": {"source": "VARCHAR", "reason": "VARCHAR", "kind": "VARCHAR"},
}
PER_DOCUMENT_TABLES = ("segments", "mentions", "events", "quotes", "facts")
# Keys of an event's or quote's actor in the export (ActorRef.kind stays internal).
ACTOR_KEYS = ("text", "name", "code", "sector", "actor_id")
SPEAKER_KEYS = ("text", "name", "code", "actor_id")
ORDER = {"documents": "doc_id", "segments": "doc_id, seq", "mentions": "doc_id, seq",
         "events": "doc_id, json_extract(evidence, '$.start')::INTEGER, event_id",
         "quotes": "doc_id, json_extract(evidence, '$.start')::INTEGER, quote_id",
         "facts": "doc_id, json_extract(evidence, '$.start')::INTEGER, fact_id",
         "actors": "actor_id", "problems": "source"}


class StoreError(Exception):
    """A store that cannot be opened or queried; the message says what to do."""


class StoreBusy(StoreError):
    """The file is locked by another process for longer than we were willing to wait."""


def _quote(name: str) -> str:
    return f'"{name}"'


class Store:
    """A DuckDB file holding everything extracted. `Store(path)` creates the file and tables if missing."""

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, read_only: bool = False,
                 lock_wait: float | None = None):
        self.path = Path(path)
        self.read_only = read_only
        self.lock_wait = lock_wait if lock_wait is not None else (READER_LOCK_WAIT if read_only else WRITER_LOCK_WAIT)
        if read_only and not self.path.exists():
            raise StoreError(f"no database at {self.path}: run `dyad ingest PATH --db {self.path}` first")
        if self.path.is_dir():
            raise StoreError(f"cannot open database {self.path}: it is a folder")
        self._db: duckdb.DuckDBPyConnection | None = None
        self._connect()
        if not read_only:
            self._create_tables()
        else:
            self._check_columns()

    # --- plumbing ---------------------------------------------------------------------------------
    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        return self._db if self._db is not None else self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """Open the file, retrying while another process holds its lock (up to `lock_wait` seconds)."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                self._db = duckdb.connect(str(self.path), read_only=self.read_only)
                return self._db
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open database {self.path}: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise StoreBusy(_busy_message(self.path, str(exc), self.read_only)) from exc
                time.sleep(LOCK_POLL_SECONDS)
            except duckdb.Error as exc:
                raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def release(self) -> None:
        """Close the file so other processes can read it; the next use reopens it."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def close(self) -> None:
        self.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _create_tables(self) -> None:
        for table, columns in SCHEMA.items():
            cols = ", ".join(f"{_quote(c)} {t}" for c, t in columns.items())
            self._con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
            for column, sql_type in columns.items():  # a store made by an older dyad gains new columns
                if "PRIMARY KEY" not in sql_type:
                    self._con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {_quote(column)} {sql_type}")

    def _check_columns(self) -> None:
        """A store made by an older dyad lacks newer columns, and a read-only connection cannot add them."""
        have = {name for (name,) in self._con.execute(
            "SELECT table_name || '.' || column_name FROM information_schema.columns").fetchall()}
        # a table holding its first column is dyad's; another file's table of the same name is not judged here
        ours = [t for t, columns in SCHEMA.items() if f"{t}.{next(iter(columns))}" in have]
        missing = [f"{t}.{c}" for t in ours for c in SCHEMA[t] if f"{t}.{c}" not in have]
        if missing:
            raise StoreError(f"{self.path} was written by an older dyad (no {', '.join(missing[:3])}): "
                             f"run `dyad ingest PATH --db {self.path}` once to bring it up to date")

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(SCHEMA[table])
        sql = (f"INSERT INTO {table} ({', '.join(map(_quote, columns))}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        self._con.executemany(sql, [[_encode(table, c, row.get(c)) for c in columns] for row in rows])

    def _select(self, sql: str, params: list | tuple = (), table: str | None = None) -> list[dict[str, Any]]:
        cursor = self._con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [{n: _decode(table, n, v) for n, v in zip(names, row)} for row in cursor.fetchall()]

    # --- writing ----------------------------------------------------------------------------------
    def has_document(self, doc_id: str, content_hash: str) -> bool:
        row = self._con.execute("SELECT 1 FROM documents WHERE doc_id = ? AND content_hash = ?",
                                [doc_id, content_hash]).fetchone()
        return row is not None

    def stored_hash(self, doc_id: str) -> str | None:
        """The content hash stored for `doc_id`, or None when the document is not stored."""
        row = self._con.execute("SELECT content_hash FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return row[0] if row else None

    def save(self, extraction: Extraction) -> None:
        """Replace everything stored for this document and link its stories, in one transaction:
        the document is stored whole, with its story links, or not at all."""
        doc_id = extraction.document.id
        self._con.begin()
        try:
            for table in ("documents", *PER_DOCUMENT_TABLES):
                self._con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
            for table, rows in extraction_rows(extraction).items():
                self._insert(table, rows)
            for record in extraction.actors:
                self._upsert_actor(record)
            self._link_stories(extraction)
        except BaseException:
            self._con.rollback()
            raise
        self._con.commit()

    def _link_stories(self, extraction: Extraction) -> None:
        from .stories import link_extraction

        link_extraction(_InTransaction(self._con), extraction)

    def forget_unlinked(self) -> int:
        """Clear the hash of documents whose events or quotes have no story (a store written by an older
        dyad killed between saving and linking), so the next ingest extracts and links them again."""
        result = self._con.execute("""
            UPDATE documents SET content_hash = '' WHERE content_hash <> '' AND doc_id IN (
                SELECT doc_id FROM events WHERE story_id IS NULL
                UNION SELECT doc_id FROM quotes WHERE story_id IS NULL)""").fetchone()
        return int(result[0]) if result else 0

    def _upsert_actor(self, record: ActorRecord) -> None:
        old = self._actor_record(record.actor_id)
        merged = merge_actor_records(old, record) if old else record
        self._con.execute("DELETE FROM actors WHERE actor_id = ?", [record.actor_id])
        self._insert("actors", [asdict(merged)])

    def _actor_record(self, actor_id: str) -> ActorRecord | None:
        rows = self._select("SELECT * FROM actors WHERE actor_id = ?", [actor_id], "actors")
        if not rows:
            return None
        row = rows[0]
        row["roles"] = [Role(**r) for r in row["roles"] or []]
        return ActorRecord(**row)

    def record_problems(self, problems: list[Problem], notices: list[Problem] = ()) -> None:
        """Keep the problems (inputs not stored) and notices (stored, with something cut or ignored) of the
        latest ingest run; earlier runs' are replaced."""
        rows = [{**asdict(p), "kind": "failed"} for p in problems]
        rows += [{**asdict(n), "kind": "notice"} for n in notices]
        self._con.begin()
        self._con.execute("DELETE FROM problems")
        self._insert("problems", rows)
        self._con.commit()

    # --- reading ----------------------------------------------------------------------------------
    def rows(self, table: str, where: str = "", params: list | tuple = ()) -> list[dict[str, Any]]:
        if table not in SCHEMA:
            raise StoreError(f"unknown table {table!r}: one of {', '.join(SCHEMA)}")
        sql = f"SELECT * FROM {table} {where} ORDER BY {ORDER[table]}"
        return self._select(sql, params, table)

    def documents(self, with_text: bool = True) -> list[dict[str, Any]]:
        rows = self.rows("documents")
        if not with_text:
            for row in rows:
                row.pop("text")
        return rows

    def document(self, doc_id: str) -> dict[str, Any] | None:
        rows = self.rows("documents", "WHERE doc_id = ?", [doc_id])
        return rows[0] if rows else None

    def events(self, between: tuple[str, str] | None = None, type: str | None = None,
               since: str | None = None, limit: int | None = None,
               chronological: bool = True, min_reliability: float | None = None) -> list[dict[str, Any]]:
        """Events, optionally between two actors (codes or actor ids, either direction), of one type,
        dated on or after `since` (a month-dated event counts when its month is `since`'s or later), with a
        reliability of at least `min_reliability` (an event without one is left out by any bar);
        by date, or in reading order (document, then position) when not `chronological`."""
        clauses, params = [], []
        if between:
            for side in between:
                clauses.append(f"(list_contains({_ids('actors')}, ?) OR list_contains({_ids('recipients')}, ?))")
                params += [_actor_key(side), _actor_key(side)]
        if type:
            clauses.append("upper(type) = ?")
            params.append(type.upper())
        if since:
            check_since(since)
            clauses.append("date IS NOT NULL AND date >= substr(?, 1, length(date))")
            params.append(since)
        if min_reliability is not None:
            clauses.append("reliability >= ?")
            params.append(float(min_reliability))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = f"date NULLS LAST, {ORDER['events']}" if chronological else ORDER["events"]
        sql = f"SELECT * FROM events {where} ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit else "")
        return [export_event(r) for r in self._select(sql, params, "events")]

    def quotes(self) -> list[dict[str, Any]]:
        return [export_quote(r) for r in self.rows("quotes")]

    def facts(self) -> list[dict[str, Any]]:
        return [export_fact(r) for r in self.rows("facts")]

    def actors(self, kind: str | None = None) -> list[dict[str, Any]]:
        if kind:
            return self.rows("actors", "WHERE kind = ?", [kind])
        return self.rows("actors")

    def problems(self) -> list[dict[str, Any]]:
        """The inputs the latest ingest run could not store."""
        return self.rows("problems", "WHERE kind IS DISTINCT FROM 'notice'")

    def notices(self) -> list[dict[str, Any]]:
        """What the latest ingest run cut or ignored in inputs it stored."""
        return self.rows("problems", "WHERE kind = 'notice'")

    def actor(self, name_or_id: str) -> dict[str, Any] | None:
        """One actor (by id, code, name or alias, case-insensitive) with its events, quotes and documents."""
        found = self._find_actor(name_or_id)
        if found is None:
            return None
        actor_id = found["actor_id"]
        events = self._select(
            f"SELECT * FROM events WHERE list_contains({_actor_ids('actors')}, ?) "
            f"OR list_contains({_actor_ids('recipients')}, ?) ORDER BY date NULLS LAST, {ORDER['events']}",
            [actor_id, actor_id], "events")
        quotes = self._select(
            f"SELECT * FROM quotes WHERE json_extract_string(speaker, '$.actor_id') = ? ORDER BY {ORDER['quotes']}",
            [actor_id], "quotes")
        doc_ids = sorted(set(found["doc_ids"] or []) | {e["doc_id"] for e in events} | {q["doc_id"] for q in quotes})
        documents = [d for d in self.documents(with_text=False) if d["doc_id"] in doc_ids]
        return {**found, "events": [export_event(e) for e in events],
                "quotes": [export_quote(q) for q in quotes], "documents": documents}

    def _find_actor(self, name_or_id: str) -> dict[str, Any] | None:
        key = name_or_id.strip().casefold()
        actors = self.actors()
        for test in (lambda a: a["actor_id"].casefold() == key,
                     lambda a: a["actor_id"].split(":", 1)[-1].casefold() == key,
                     lambda a: (a["name"] or "").casefold() == key,
                     lambda a: key in {s.casefold() for s in a["aliases"] or []}):
            for actor in actors:
                if test(actor):
                    return actor
        return None

    def counts(self) -> dict[str, int]:
        return {table: self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in SCHEMA}


# --- rows in and out ---------------------------------------------------------------------------------

def extraction_rows(extraction: Extraction) -> dict[str, list[dict[str, Any]]]:
    doc = extraction.document
    doc_id = doc.id
    document = {**asdict(doc), "doc_id": doc_id}
    return {
        "documents": [document],
        "segments": [{**asdict(s), "doc_id": doc_id, "seq": i} for i, s in enumerate(extraction.segments)],
        "mentions": [{**asdict(m), "doc_id": doc_id, "seq": i} for i, m in enumerate(extraction.mentions)],
        "events": [asdict(e) for e in extraction.events],
        "quotes": [asdict(q) for q in extraction.quotes],
        "facts": [asdict(f) for f in extraction.facts],
    }


def merge_actor_records(old: ActorRecord, new: ActorRecord) -> ActorRecord:
    from .actors.registry import merge_records

    return merge_records(old, new)


class _InTransaction:
    """The store's connection as seen by the story linker while the store's transaction is open: its
    BEGIN is refused as DuckDB refuses a nested one (so the linker joins the open transaction), without
    sending that BEGIN to DuckDB, which would abort the transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    def begin(self):
        raise duckdb.TransactionException("already inside the store's transaction")

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def check_since(since: str) -> None:
    """`since` must be a real date: YYYY, YYYY-MM or YYYY-MM-DD (dates are compared as text)."""
    padded = since + "-01-01"[len(since) - 4:] if SINCE_PATTERN.fullmatch(since) else ""
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        raise StoreError(f"--since {since!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY") from None


def _busy_message(path: Path, detail: str, read_only: bool) -> str:
    holder = re.search(r"PID (\d+)", detail)
    who = f"process {holder.group(1)}" if holder else "another process"
    if read_only:
        return (f"{path} is being written by {who} (an ingest saving a batch): retry in a moment, "
                f"or wait longer with DYAD_READ_WAIT=SECONDS")
    return f"{path} is held by {who}: wait for it to finish (or raise DYAD_LOCK_WAIT=SECONDS)"


def _encode(table: str, column: str, value: Any) -> Any:
    if SCHEMA[table][column] == "JSON":
        return json.dumps(value, ensure_ascii=False)
    return value


def _decode(table: str | None, column: str, value: Any) -> Any:
    if table and SCHEMA[table].get(column) == "JSON" and isinstance(value, str):
        return json.loads(value)
    return value


def _ids(column: str) -> str:
    """SQL list of every code and actor id on one side of an event, upper-cased."""
    return (f"list_transform(list_concat(json_extract_string({column}, '$[*].code'), "
            f"json_extract_string({column}, '$[*].actor_id')), lambda x: upper(x))")


def _actor_ids(column: str) -> str:
    return f"json_extract_string({column}, '$[*].actor_id')"


def _actor_key(value: str) -> str:
    return value.strip().upper()


def _pick(actor: dict | None, keys: tuple[str, ...]) -> dict | None:
    return None if actor is None else {k: actor.get(k) for k in keys}


def export_event(row: dict[str, Any]) -> dict[str, Any]:
    """An events row in the export schema (actor refs reduced to their public keys), with `from_context`: the
    codes of the parties its sentence does not name, which the learned stage took from the text around it."""
    parties = (row["actors"] or []) + (row["recipients"] or [])
    return {**row, "actors": [_pick(a, ACTOR_KEYS) for a in row["actors"] or []],
            "recipients": [_pick(a, ACTOR_KEYS) for a in row["recipients"] or []],
            "from_context": sorted({a.get("code") or a.get("name") for a in parties if a.get("inferred")})}


def export_quote(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "speaker": _pick(row["speaker"], SPEAKER_KEYS)}


def export_fact(row: dict[str, Any]) -> dict[str, Any]:
    return row
