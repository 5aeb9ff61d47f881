"""Exports of the store's tables as JSONL, CSV or Parquet, in the schemas of DESIGN.md.

JSONL is the reference form. CSV and Parquet are written by DuckDB's COPY from the same rows: Parquet keeps
nested fields nested (DuckDB infers the structs), CSV flattens them to JSON strings.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

import duckdb

from .store import Store, StoreError

FORMATS = ("jsonl", "csv", "parquet")
# Columns of each export in order; rows may carry extra keys after these (rule, date_precision …).
COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("event_id", "doc_id", "type", "mode", "context", "actors", "recipients", "date", "date_text",
               "location", "aux", "attribution", "evidence", "score", "confidence", "story_id"),
    "quotes": ("quote_id", "doc_id", "text", "speaker", "evidence", "story_id"),
    "facts": ("fact_id", "doc_id", "value", "unit", "about", "text", "period", "evidence"),
    "actors": ("actor_id", "kind", "name", "aliases", "country", "sector", "roles", "doc_ids"),
    "documents": ("doc_id", "title", "published", "published_bound", "date_source", "outlet", "url",
                  "source_path", "content_hash", "text"),
    "stories": ("story_id",),
}
TABLES = tuple(COLUMNS)


def table_rows(store: Store, table: str) -> list[dict[str, Any]]:
    if table == "events":  # an export reads like the documents; `dyad events` shows the timeline
        return store.events(chronological=False)
    if table == "quotes":
        return store.quotes()
    if table == "facts":
        return store.facts()
    if table == "actors":
        return store.actors()
    if table == "documents":
        return store.documents()
    if table == "stories":
        return story_rows(store)
    raise StoreError(f"unknown table {table!r}: one of {', '.join(TABLES)}")


def story_rows(store: Store) -> list[dict[str, Any]]:
    try:
        from .stories import story_rows as rows_of
    except ImportError:  # the stories stage has not landed in this install
        return []
    return list(rows_of(store.connection))


def export_table(store: Store, table: str, fmt: str = "jsonl", out: str | os.PathLike | IO[str] | None = None
                 ) -> int:
    """Write one table to `out` (a path, an open text stream, or stdout when None); returns the row count.

    Parquet needs a path: it is a binary file.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    rows = [_ordered(row, COLUMNS.get(table, ())) for row in table_rows(store, table)]
    if fmt == "jsonl":
        _write_jsonl(rows, out)
    elif fmt == "csv":
        _write_via_duckdb(rows, table, out, "csv")
    else:
        if out is None or not isinstance(out, (str, os.PathLike)):
            raise StoreError("parquet is binary: give an output file with -o FILE")
        _write_via_duckdb(rows, table, out, "parquet")
    return len(rows)


def _ordered(row: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    head = {c: row.get(c) for c in columns}
    return {**head, **{k: v for k, v in row.items() if k not in head}}


def _write_jsonl(rows: list[dict[str, Any]], out) -> None:
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if out is None:
        sys.stdout.write(lines)
    elif isinstance(out, (str, os.PathLike)):
        Path(out).write_text(lines, encoding="utf-8")
    else:
        out.write(lines)


def _write_via_duckdb(rows: list[dict[str, Any]], table: str, out, fmt: str) -> None:
    """COPY the rows to CSV or Parquet; nested values become JSON strings in CSV."""
    columns = list(rows[0]) if rows else list(COLUMNS.get(table, ()))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rows.jsonl"
        target = Path(out) if isinstance(out, (str, os.PathLike)) else Path(tmp) / f"out.{fmt}"
        if fmt == "csv":
            rows = [{k: _flat(v) for k, v in row.items()} for row in rows]
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        con = duckdb.connect()
        try:
            con.execute(f"COPY ({_select(source, columns, bool(rows), fmt)}) TO '{_sql_path(target)}' "
                        f"(FORMAT {fmt}{', HEADER' if fmt == 'csv' else ''})")
        finally:
            con.close()
        if not isinstance(out, (str, os.PathLike)):
            (out or sys.stdout).write(target.read_text(encoding="utf-8"))


def _select(source: Path, columns: list[str], has_rows: bool, fmt: str) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    if not has_rows:  # an empty table still gets its header / schema
        return "SELECT " + ", ".join(f'NULL::VARCHAR AS "{c}"' for c in columns) + " WHERE false"
    # CSV rows are flat: read every column as text so DuckDB writes exactly what we flattened.
    options = "format='newline_delimited', sample_size=-1"
    if fmt == "csv":
        options += ", columns={" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    return f"SELECT {names} FROM read_json('{_sql_path(source)}', {options})"


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
