"""Exports of the store's tables as JSONL, CSV or Parquet, in the schemas of DESIGN.md.

JSONL is the reference form. CSV and Parquet are written by DuckDB's COPY from the same rows: Parquet keeps
nested fields nested (DuckDB infers the structs), CSV flattens them to JSON strings.

An output file is never the store itself, and replaces an existing file only with `force`; it is written
beside its target and moved into place, so a failed export leaves no half file. In CSV, a text cell that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
apostrophe, the usual neutralisation; numbers stay numbers. JSONL and Parquet hold the values unchanged.
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

FORMATS = ("jsonl", "csv", "parquet", "plover")  # plover: events in the POLECAT/PLOVER layout, as JSONL
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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
    "promises": ("promise_id", "participants", "act_type", "act", "first_promised", "deadline", "reports",
                 "sources", "status", "decided_by", "lag_days"),
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
    if table == "promises":
        from .promises import promise_rows
        return promise_rows(store)
    raise StoreError(f"unknown table {table!r}: one of {', '.join(TABLES)}")


def story_rows(store: Store) -> list[dict[str, Any]]:
    from .stories import story_rows as rows_of

    return list(rows_of(store.connection))


def export_table(store: Store, table: str, fmt: str = "jsonl", out: str | os.PathLike | IO[str] | None = None,
                 force: bool = False) -> int:
    """Write one table to `out` (a path, an open text stream, or stdout when None); returns the row count.

    Parquet needs a path: it is a binary file. A path that is the store, a folder, in a missing folder, or
    an existing file (unless `force`) is refused with a StoreError before anything is written.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not isinstance(out, (str, os.PathLike)):
        raise StoreError("parquet is binary: give an output file with -o FILE")
    if isinstance(out, (str, os.PathLike)):
        check_output(Path(out), store.path, force)
    if fmt == "plover":  # the layout lives in dyad.analysis; the records are written as JSONL
        if table != "events":
            raise StoreError(f"the plover format is for events, not {table}")
        from .analysis import plover_rows
        rows, fmt = plover_rows(store), "jsonl"
    else:
        rows = [_ordered(row, COLUMNS.get(table, ())) for row in table_rows(store, table)]
    if not isinstance(out, (str, os.PathLike)):
        write_rows(rows, fmt, out, COLUMNS.get(table, ()))
        return len(rows)
    target = Path(out)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".dyad-export-") as tmp:
        partial = Path(tmp) / target.name
        write_rows(rows, fmt, partial, COLUMNS.get(table, ()))
        os.replace(partial, target)
    return len(rows)


def write_rows(rows: list[dict[str, Any]], fmt: str, out, columns: tuple[str, ...] | list[str] = ()) -> None:
    """Rows as JSONL, or CSV/Parquet through DuckDB's COPY (nested values as JSON text in CSV, formula-like
    text defused); `columns` names the header of an empty result. `out` as for `write_text`."""
    if fmt == "jsonl":
        _write_jsonl(rows, out)
    else:
        _write_via_duckdb(rows, out, fmt, list(rows[0]) if rows else list(columns))


def check_output(path: Path, store_path: Path, force: bool) -> None:
    """Refuse an output path that would destroy the store or another file, or that cannot be written."""
    if _same_file(path, store_path) or _same_file(path, Path(f"{store_path}.wal")):
        raise StoreError(f"{path} is the database itself: choose another output file")
    if path.is_dir():
        raise StoreError(f"{path} is a folder: give a file name, e.g. {path / 'out.jsonl'}")
    if not path.parent.is_dir():
        raise StoreError(f"no folder {path.parent} to write {path.name} in: create it first")
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"cannot write in {path.parent}: permission denied")
    if (path.exists() or path.is_symlink()) and not force:
        raise StoreError(f"{path} exists: use --force to replace it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _ordered(row: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    head = {c: row.get(c) for c in columns}
    return {**head, **{k: v for k, v in row.items() if k not in head}}


def _write_jsonl(rows: list[dict[str, Any]], out) -> None:
    write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), out)


def write_text(text: str, out) -> None:
    """`text` to standard output (None), a path, or an open text stream."""
    if out is None:
        sys.stdout.write(text)
    elif isinstance(out, (str, os.PathLike)):
        Path(out).write_text(text, encoding="utf-8")
    else:
        out.write(text)


def _write_via_duckdb(rows: list[dict[str, Any]], out, fmt: str, columns: list[str]) -> None:
    """COPY the rows to CSV or Parquet; nested values become JSON strings in CSV."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rows.jsonl"
        target = Path(out) if isinstance(out, (str, os.PathLike)) else Path(tmp) / f"out.{fmt}"
        if fmt == "csv":
            rows = [{k: neutralise(_flat(v)) for k, v in row.items()} for row in rows]
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        con = duckdb.connect()
        try:
            con.execute(f"COPY ({_select(source, columns, bool(rows), fmt)}) TO '{_sql_text(str(target))}' "
                        f"(FORMAT {fmt}{', HEADER' if fmt == 'csv' else ''})")
        finally:
            con.close()
        if not isinstance(out, (str, os.PathLike)):
            write_text(target.read_text(encoding="utf-8"), out)


def _select(source: Path, columns: list[str], has_rows: bool, fmt: str) -> str:
    if not columns:
        return "SELECT NULL::VARCHAR AS empty WHERE false"
    quoted = ['"' + c.replace('"', '""') + '"' for c in columns]
    if not has_rows:  # an empty table still gets its header / schema
        return "SELECT " + ", ".join(f"NULL::VARCHAR AS {q}" for q in quoted) + " WHERE false"
    names = ", ".join(quoted)
    # CSV rows are flat: read every column as text so DuckDB writes exactly what we flattened.
    options = "format='newline_delimited', sample_size=-1"
    if fmt == "csv":
        options += ", columns={" + ", ".join(f"'{_sql_text(c)}': 'VARCHAR'" for c in columns) + "}"
    return f"SELECT {names} FROM read_json('{_sql_text(str(source))}', {options})"


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
