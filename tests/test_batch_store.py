"""Batched writes (dyad.store_batch): the same store as one `Store.save` per document, one transaction a batch."""
from __future__ import annotations

import copy

import duckdb
import pytest

from conftest import PROJECT_ROOT, make_extraction
from dyad.ingest import load_paths
from dyad.records import ActorRef, Document, Event, Extraction
from dyad.store import Store
from dyad.store_batch import save_batch, split_at_repeated_ids

TABLES = ("documents", "segments", "mentions", "events", "quotes", "facts", "actors",
          "story_index", "story_links", "quote_index", "fact_index")


def snapshot(path) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: two stores are the same when their snapshots are."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    finally:
        con.close()


def arms_report(doc_id: str, published: str, text: str) -> Extraction:
    """Iran supplying Russia, dated only by the publication day: a standing situation the linker joins up."""
    iran = ActorRef("Iran", "Iran", "IRN", actor_id="state:IRN")
    russia = ActorRef("Russia", "Russia", "RUS", actor_id="state:RUS")
    event = Event(event_id=f"{doc_id}:e1", doc_id=doc_id, type="AID", mode=None, context=["military"],
                  actors=[iran], recipients=[russia], date=published, date_text=None, location=None, aux=None,
                  attribution=None, evidence={"text": text, "start": 0, "end": len(text)}, score=0.0,
                  confidence=1.0, date_precision="day")
    document = Document(id=doc_id, text=text, published=published, outlet=f"Outlet {doc_id}")
    return Extraction(document=document, events=[event])


def one_by_one(path, extractions) -> None:
    with Store(path) as store:
        for extraction in copy.deepcopy(extractions):
            store.save(extraction)


def in_batches(path, extractions, size: int) -> None:
    extractions = copy.deepcopy(extractions)
    with Store(path) as store:
        for i in range(0, len(extractions), size):
            assert save_batch(store, extractions[i:i + size]) == []


@pytest.fixture(scope="module")
def example_extractions(pipeline):
    documents = [d for d in load_paths([PROJECT_ROOT / "examples" / "corpus"]) if isinstance(d, Document)]
    return [pipeline.extract(d) for d in documents]


def test_batches_store_what_one_by_one_saves_store(tmp_path, example_extractions):
    # the examples again under new ids, so that reports link across documents within and across batches
    again = copy.deepcopy(example_extractions)
    for extraction in again:
        extraction.document.id += "-again"
        for record in [*extraction.events, *extraction.quotes, *extraction.facts]:
            record.doc_id = extraction.document.id
            for name in ("event_id", "quote_id", "fact_id"):
                if hasattr(record, name):
                    setattr(record, name, f"{getattr(record, name)}-again")
    extractions = example_extractions + again
    one_by_one(tmp_path / "one.duckdb", extractions)
    in_batches(tmp_path / "batch.duckdb", extractions, size=3)
    expected = snapshot(tmp_path / "one.duckdb")
    assert expected["story_links"], "the corpus should link some reports across documents"
    assert snapshot(tmp_path / "batch.duckdb") == expected


def test_a_merge_of_two_stories_inside_one_batch_reaches_the_earlier_documents_events(tmp_path):
    first = arms_report("a", "2024-04-26", "Tehran has sold drone designs to Moscow.")
    second = arms_report("b", "2024-05-20", "Iran is said to have shipped rockets to Russia.")
    bridge = arms_report("c", "2024-10-23", "Iran has shipped drones and rockets to Russia.")
    one_by_one(tmp_path / "one.duckdb", [first, second, bridge])
    in_batches(tmp_path / "batch.duckdb", [first, second, bridge], size=3)
    stored = snapshot(tmp_path / "batch.duckdb")
    assert stored == snapshot(tmp_path / "one.duckdb")
    with Store(tmp_path / "batch.duckdb", read_only=True) as store:
        assert len({e["story_id"] for e in store.events()}) == 1  # the bridge merged a's story and b's


def test_re_saving_changed_documents_in_a_batch_replaces_them(tmp_path):
    old = [make_extraction("d1"), make_extraction("d2", published="2025-03-13")]
    new = [make_extraction("d1", events=1), make_extraction("d2", published="2025-03-13", events=1)]
    one_by_one(tmp_path / "one.duckdb", old + new)
    in_batches(tmp_path / "batch.duckdb", old, size=2)
    in_batches(tmp_path / "batch.duckdb", new, size=2)
    assert snapshot(tmp_path / "batch.duckdb") == snapshot(tmp_path / "one.duckdb")
    with Store(tmp_path / "batch.duckdb", read_only=True) as store:
        assert store.counts()["events"] == 2 and store.counts()["documents"] == 2


def test_an_id_met_twice_in_a_batch_is_saved_as_two_saves_in_a_row(tmp_path):
    twice = [make_extraction("d1"), make_extraction("d2"), make_extraction("d1", events=1)]
    assert [[e.document.id for e in part] for part in split_at_repeated_ids(twice)] == [["d1", "d2"], ["d1"]]
    one_by_one(tmp_path / "one.duckdb", twice)
    in_batches(tmp_path / "batch.duckdb", twice, size=3)
    assert snapshot(tmp_path / "batch.duckdb") == snapshot(tmp_path / "one.duckdb")


def test_a_document_the_store_refuses_costs_only_itself(tmp_path):
    good, bad, later = make_extraction("d1"), make_extraction("d2"), make_extraction("d3")
    bad.events[0].evidence = {"text": object()}  # cannot be written as JSON
    with Store(tmp_path / "s.duckdb") as store:
        refused = save_batch(store, [good, bad, later])
        assert [(e.document.id, type(exc).__name__) for e, exc in refused] == [("d2", "TypeError")]
        assert [d["doc_id"] for d in store.documents()] == ["d1", "d3"]
        assert {e["doc_id"] for e in store.events()} == {"d1", "d3"}
        # nothing of the refused document anywhere, its story links included
        for table in ("segments", "mentions", "quotes", "facts", "story_index", "quote_index"):
            assert store.connection.execute(f"SELECT count(*) FROM {table} WHERE doc_id = 'd2'").fetchone() == (0,)


def test_a_failing_batch_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    import dyad.store_batch as batch_module

    with Store(tmp_path / "s.duckdb") as store:
        store.save(make_extraction("d0"))
        before = store.counts()

        def broken(*args):
            raise RuntimeError("disk full")
        monkeypatch.setattr(batch_module, "_set_final_story_ids", broken)  # fails after rows and links are written
        monkeypatch.setattr(batch_module, "_save_one_by_one", lambda store, part: [(e, None) for e in part])
        refused = save_batch(store, [make_extraction("d1"), make_extraction("d2")])
        assert [e.document.id for e, _ in refused] == ["d1", "d2"]
        assert store.counts() == before
        assert store.connection.execute("SELECT count(*) FROM story_index WHERE doc_id <> 'd0'").fetchone() == (0,)
