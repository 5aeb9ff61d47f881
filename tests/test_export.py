"""Exports in JSONL, CSV and Parquet hold the same rows as the store."""
from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from dyad.export import TABLES, export_table
from dyad.store import StoreError


def jsonl_rows(store, table):
    buffer = io.StringIO()
    count = export_table(store, table, "jsonl", buffer)
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert len(rows) == count
    return rows


def test_jsonl_round_trips_every_table(filled_store):
    store, _ = filled_store
    assert jsonl_rows(store, "events") == store.events(chronological=False)
    assert jsonl_rows(store, "quotes") == store.quotes()
    assert jsonl_rows(store, "facts") == store.facts()
    assert jsonl_rows(store, "actors") == store.actors()
    assert jsonl_rows(store, "documents") == store.documents()
    for table in TABLES:  # stories come from the stories stage when it is there; never an error
        jsonl_rows(store, table)


def test_jsonl_column_order_follows_the_schema(filled_store):
    store, _ = filled_store
    first = jsonl_rows(store, "events")[0]
    assert list(first)[:4] == ["event_id", "doc_id", "type", "mode"]


def test_csv_flattens_nested_fields_to_json(filled_store, tmp_path):
    store, _ = filled_store
    out = tmp_path / "events.csv"
    export_table(store, "events", "csv", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    expected = store.events(chronological=False)
    assert len(rows) == len(expected)
    assert [json.loads(r["actors"]) for r in rows] == [e["actors"] for e in expected]
    assert [json.loads(r["evidence"]) for r in rows] == [e["evidence"] for e in expected]
    assert [float(r["score"]) for r in rows] == [e["score"] for e in expected]


def test_parquet_keeps_nested_fields(filled_store, tmp_path):
    store, _ = filled_store
    out = tmp_path / "events.parquet"
    export_table(store, "events", "parquet", out)
    con = duckdb.connect()
    rows = con.execute(f"SELECT event_id, actors[1].code, evidence.start FROM '{out}' ORDER BY event_id").fetchall()
    expected = sorted((e["event_id"], e["actors"][0]["code"], e["evidence"]["start"]) for e in store.events())
    assert rows == expected


def test_empty_table_still_has_a_header(tmp_path):
    from dyad.store import Store
    with Store(tmp_path / "empty.duckdb") as store:
        out = tmp_path / "quotes.csv"
        assert export_table(store, "quotes", "csv", out) == 0
        assert out.read_text().splitlines()[0].startswith("quote_id,doc_id,text,speaker")
        export_table(store, "facts", "parquet", tmp_path / "facts.parquet")
        assert duckdb.connect().execute(f"SELECT count(*) FROM '{tmp_path / 'facts.parquet'}'").fetchone() == (0,)


def test_bad_format_and_parquet_to_a_stream_are_refused(filled_store):
    store, _ = filled_store
    with pytest.raises(StoreError, match="format"):
        export_table(store, "events", "xml", io.StringIO())
    with pytest.raises(StoreError, match="-o FILE"):
        export_table(store, "events", "parquet", io.StringIO())
