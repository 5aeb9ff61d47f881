"""The DuckDB store: one transaction per document, no duplicates on re-save, rows in the export schema."""
from __future__ import annotations

import dataclasses

import pytest

from conftest import make_extraction
from dyad.store import Store, StoreError

EVENT_KEYS = {"event_id", "doc_id", "type", "mode", "context", "actors", "recipients", "date", "date_text",
              "location", "aux", "attribution", "evidence", "score", "confidence", "story_id"}


def test_saved_rows_read_back_in_the_export_schema(filled_store):
    store, _ = filled_store
    events = store.events()
    assert len(events) == 3
    first = events[0]
    assert EVENT_KEYS <= set(first)
    assert first["actors"][0] == {"text": "Japan", "name": "Japan", "code": "JPN", "sector": "GOV",
                                  "actor_id": "state:JPN"}
    assert first["evidence"] == {"text": "Japan and South Korea met in Tokyo on Tuesday.", "start": 15, "end": 62}
    assert first["context"] == ["diplomatic"]
    [quote] = [q for q in store.quotes() if q["doc_id"] == "d1"]
    assert set(quote["speaker"]) == {"text", "name", "code", "actor_id"}
    assert quote["evidence"] == {"start": 102, "end": 122}
    assert {f["value"] for f in store.facts()} == {72e9}


def test_resaving_replaces_and_never_duplicates(filled_store):
    store, _ = filled_store
    before = store.counts()
    store.save(make_extraction("d1"))
    assert store.counts() == before
    store.save(make_extraction("d1", events=0))
    after = store.counts()
    assert after["events"] == before["events"] - 2 and after["documents"] == before["documents"]


def test_a_failed_save_leaves_the_old_document_whole(filled_store):
    store, _ = filled_store
    before = store.counts()
    broken = make_extraction("d1")
    broken.events[0] = dataclasses.replace(broken.events[0], score="not a number")
    with pytest.raises(Exception):
        store.save(broken)
    assert store.counts() == before
    assert len([e for e in store.events() if e["doc_id"] == "d1"]) == 2


def test_has_document_follows_the_content_hash(filled_store):
    store, _ = filled_store
    extraction = make_extraction("d1")
    assert store.has_document("d1", extraction.document.content_hash)
    assert not store.has_document("d1", "another-hash")
    assert not store.has_document("d9", extraction.document.content_hash)


def test_actors_are_merged_across_documents(filled_store):
    store, _ = filled_store
    actors = {a["actor_id"]: a for a in store.actors()}
    assert set(actors) == {"state:JPN", "person:takeshi-iwaya"}
    assert actors["state:JPN"]["doc_ids"] == ["d1", "d2"]
    assert actors["person:takeshi-iwaya"]["roles"][0]["title"] == "Foreign Minister"


def test_event_filters(filled_store):
    store, _ = filled_store
    assert len(store.events(between=("kor", "JPN"))) == 3
    assert store.events(between=("JPN", "USA")) == []
    assert [e["type"] for e in store.events(type="agree")] == ["AGREE"]
    assert [e["date"] for e in store.events(since="2025-04-01")] == ["2025-04"]  # a month-dated event counts
    assert len(store.events(limit=2)) == 2
    assert [e["date"] for e in store.events()] == sorted(e["date"] for e in store.events())


def test_actor_lookup_with_events_quotes_and_documents(filled_store):
    store, _ = filled_store
    for key in ("state:JPN", "jpn", "Japan", "tokyo"):
        assert store.actor(key)["actor_id"] == "state:JPN"
    iwaya = store.actor("Iwaya")
    assert [q["doc_id"] for q in iwaya["quotes"]] == ["d1", "d2"]
    assert [d["doc_id"] for d in iwaya["documents"]] == ["d1", "d2"]
    assert len(store.actor("Japan")["events"]) == 3
    assert store.actor("Atlantis") is None


def test_read_only_store_needs_an_existing_file(tmp_path):
    with pytest.raises(StoreError, match="dyad ingest"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_a_store_from_an_older_dyad_is_named_when_read_and_brought_up_to_date_when_written(filled_store):
    store, path = filled_store
    store.connection.execute("ALTER TABLE events DROP COLUMN reliability")
    store.close()
    with pytest.raises(StoreError, match="older dyad.*events.reliability.*dyad ingest"):
        Store(path, read_only=True)
    Store(path).close()  # opening it to write adds the column
    with Store(path, read_only=True) as reader:
        assert reader.events() and all(e["reliability"] is None for e in reader.events())


def test_problems_of_the_last_run_replace_earlier_ones(filled_store):
    from dyad.records import Problem
    store, _ = filled_store
    store.record_problems([Problem("a.txt", "empty"), Problem("b.txt", "binary")])
    store.record_problems([Problem("c.txt", "too large")])
    assert store.problems() == [{"source": "c.txt", "reason": "too large", "kind": "failed"}]


def test_a_failed_story_link_stores_nothing_of_the_new_version(filled_store, monkeypatch):
    from dyad import stories

    store, _ = filled_store
    old_hash = store.stored_hash("d1")

    def fail(con, extraction):
        raise RuntimeError("linking broke")
    monkeypatch.setattr(stories, "link_extraction", fail)
    extraction = make_extraction("d1", events=1, text="Talks in Tokyo\nJapan and South Korea met again.")
    with pytest.raises(RuntimeError):
        store.save(extraction)
    assert store.stored_hash("d1") == old_hash  # the old version, whole, and the new one can be retried
    assert len([e for e in store.events() if e["doc_id"] == "d1"]) == 2


def test_an_event_lists_the_parties_its_sentence_does_not_name_and_its_actors_keep_the_public_keys(tmp_path):
    extraction = make_extraction("d1")
    agreed = extraction.events[1]  # "They agreed ...": South Korea taken from the sentence before
    extraction.events[1] = dataclasses.replace(agreed, recipients=[dataclasses.replace(agreed.recipients[0],
                                                                                        inferred=True)])
    with Store(tmp_path / "s.duckdb") as store:
        store.save(extraction)
        met, agreed = store.events()
    assert met["from_context"] == [] and agreed["from_context"] == ["KOR"]
    assert all(set(a) == {"text", "name", "code", "sector", "actor_id"} for a in agreed["actors"] + agreed["recipients"])
