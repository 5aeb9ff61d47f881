"""Hostile input and the store's safety (issue 9): a tree of bad inputs whose outcome is checked input by
input, runaway documents, export onto the store, markup and formula injection, a kill between saving and
linking, and reading while an ingest runs."""
from __future__ import annotations

import codecs
import csv
import fcntl
import io
import json
import os
import subprocess
import sys
import time

import pytest

from conftest import make_extraction
from dyad.export import export_table
from dyad.ingest import ingest_paths, load_paths
from dyad.records import Document, Extraction
from dyad.store import Store, StoreBusy, StoreError

ARTICLE = ("Envoys from Chile and Peru met in Lima on Monday and agreed to resume talks on fishing rights.\n"
           "Fish exports between the two countries were worth $310 million last year.\n")


def article(n: int) -> str:
    return ARTICLE.replace("Monday", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Sunday"][n % 6])


def build_bad_tree(root, outside):
    """Every kind of hostile input of the issue beside five good files; returns {name: expected outcome}."""
    root.mkdir()
    expected = {}

    def put(name, content, outcome):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        expected[name] = outcome

    for i in range(5):
        put(f"good{i}.txt", article(i), ("stored", None))
    put("surrogate.json", json.dumps({"id": "sur", "text": "Talks \ud800 ended."}), ("failed", "lone surrogate"))
    put("lines.jsonl", json.dumps({"id": "fine", "text": article(1)}) + "\n"
        + json.dumps({"id": "sur2", "text": "x", "title": "\udfff"}) + "\n", ("stored", None))
    expected["lines.jsonl:1"] = expected.pop("lines.jsonl")
    expected["lines.jsonl:2"] = ("failed", "lone surrogate")
    put("deep.json", "[" * 50_000 + "]" * 50_000, ("failed", "nested too deeply"))
    put("deep.jsonl", '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}\n", ("failed", "nested too deeply"))
    expected["deep.jsonl:1"] = expected.pop("deep.jsonl")
    put("utf16.txt", codecs.BOM_UTF16_LE + article(2).encode("utf-16-le"), ("stored", None))
    put("utf32.txt", codecs.BOM_UTF32_BE + article(3).encode("utf-32-be"), ("stored", None))
    put("utf16-nobom.txt", article(4).encode("utf-16-le"), ("failed", "UTF-16-LE text without a byte-order mark"))
    put("empty.jsonl", b"", ("failed", "empty"))
    put("empty-list.json", "[]", ("failed", "empty"))
    put("bad-date.json", json.dumps({"id": "bd", "text": article(5), "published": "2024-13-45"}),
        ("notice", "'2024-13-45' is not a date"))
    put("garbage-date.json", json.dumps({"id": "gd", "text": article(0) + "More.", "published": "2024-01-01garbage"}),
        ("notice", "'2024-01-01garbage' is not a date"))
    ids = ["nul\u0000id", "new\nline", "../escape", "bidi\u202eid", " padded"]
    put("ids.jsonl", "".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in ids), ("failed", None))
    del expected["ids.jsonl"]
    for number in range(1, len(ids) + 1):
        expected[f"ids.jsonl:{number}"] = ("failed", "id ")
    put("tags.txt", ARTICLE + "Tags: " + "diplomacy, fishing, " * 8_000 + "\n", ("notice", "cut to"))
    put("one-line.txt", "word " * 400_000, ("notice", "cut to"))  # 2 MB, one line, no full stop
    put("long-prose.txt", "Talks went on. " * 70_000, ("failed", "too long for the parser"))
    put("a/same.txt", article(1) + "A.", ("stored", None))
    put("b/same.txt", article(2) + "B.", ("failed", "duplicate id 'same' (already used by"))
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = ("failed", "FIFO")
    os.symlink(root / "gone.txt", root / "dangling.txt")
    expected["dangling.txt"] = ("failed", "dangling symlink")
    outside.write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside, root / "escape.txt")
    expected["escape.txt"] = ("failed", "outside")
    return expected


def test_every_bad_input_is_reported_and_the_good_ones_stored(cli, tmp_path):
    root, outside = tmp_path / "in", tmp_path / "secret.txt"
    expected = build_bad_tree(root, outside)
    db = tmp_path / "t.duckdb"
    result = cli("ingest", root, "--db", db)
    assert result.exit_code == 1, result.output
    with Store(db, read_only=True) as store:
        sources = {d["source_path"]: d for d in store.documents()}
        failed = {p["source"]: p["reason"] for p in store.problems()}
        notices = {n["source"]: n["reason"] for n in store.notices()}
    for name, (outcome, words) in expected.items():
        source = str(root / name)
        if outcome == "failed":
            assert source in failed and source not in sources, name
            assert words is None or words in failed[source], (name, failed[source])
        else:
            assert source in sources and source not in failed, (name, failed.get(source))
            if outcome == "notice":
                assert words in notices[source], (name, notices.get(source))
    assert "escape" not in {d["doc_id"] for d in sources.values()}
    assert sources[str(root / "utf16.txt")]["text"] == article(2)
    assert sources[str(root / "bad-date.json")]["published"] is None
    assert len(sources[str(root / "one-line.txt")]["text"]) <= 2_000
    assert str(root / "a" / "same.txt") in failed[str(root / "b" / "same.txt")]


def test_a_symlink_out_of_the_tree_is_read_when_asked(tmp_path):
    root, outside = tmp_path / "in", tmp_path / "secret.txt"
    root.mkdir()
    outside.write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside, root / "escape.txt")
    assert [d.id for d in load_paths([root], follow_links=True) if isinstance(d, Document)] == ["escape"]


def test_a_folder_link_loop_ends(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(tmp_path / "in", tmp_path / "in" / "sub" / "loop")
    items = list(load_paths([tmp_path / "in"], follow_links=True))
    assert [d.id for d in items if isinstance(d, Document)] == ["a"]


# --- runaway documents -------------------------------------------------------------------------------

class StubbornPipeline:
    """Never finishes a document whose text says "forever", and swallows ordinary exceptions meanwhile."""

    def extract(self, document):
        while "forever" in document.text:
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001 - the point: code that swallows errors cannot swallow the budget
                pass
        return Extraction(document=document)


def test_a_runaway_document_is_given_up_and_the_run_goes_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("This one runs forever.", encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_text(article(3), encoding="utf-8")
    started = time.monotonic()
    with Store(tmp_path / "t.duckdb") as store:
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=StubbornPipeline, doc_timeout=0.3)
        assert [d["doc_id"] for d in store.documents()] == ["a", "c"]
        assert [p["source"] for p in store.problems()] == [str(tmp_path / "in" / "b.txt")]
    assert time.monotonic() - started < 10
    assert report.new == 2 and "gave up after 0.3 s" in report.problems[0].reason


def test_doc_timeout_option_and_environment(cli, tmp_path, monkeypatch):
    from dyad.cli import ingest as ingest_cli

    monkeypatch.setattr(ingest_cli, "make_pipeline", StubbornPipeline)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "b.txt").write_text("This one runs forever.", encoding="utf-8")
    result = cli("ingest", tmp_path / "in", "--db", tmp_path / "t.duckdb", "--doc-timeout", "0.2")
    assert result.exit_code == 1 and "gave up after 0.2 s" in result.output


def test_a_line_that_is_not_prose_is_cut_before_extraction(write):
    path = write("tags.txt", ARTICLE + "Tags: " + "a, b, " * 30_000 + "\nLast line.\n")
    items = list(load_paths([path]))
    [document] = [i for i in items if isinstance(i, Document)]
    assert document.text.startswith(ARTICLE) and document.text.endswith("\nLast line.\n")
    assert len(document.text) < len(ARTICLE) + 2_100
    [notice] = [i for i in items if not isinstance(i, Document)]
    assert "cut to 2,000" in notice.reason and "180,006" in notice.reason


# --- export ------------------------------------------------------------------------------------------

def test_export_never_writes_onto_the_store_or_over_a_file(cli, filled_store, tmp_path):
    store, db = filled_store
    store.close()
    size = db.stat().st_size
    onto_store = cli("export", "quotes", "--db", db, "-o", db)
    assert onto_store.exit_code == 1 and "database itself" in onto_store.output
    onto_store_forced = cli("export", "quotes", "--db", db, "-o", db, "--force")
    assert onto_store_forced.exit_code == 1 and db.stat().st_size == size
    with Store(db, read_only=True) as again:
        assert again.counts()["documents"] == 2
    existing = tmp_path / "out.jsonl"
    existing.write_text("keep me", encoding="utf-8")
    refused = cli("export", "quotes", "--db", db, "-o", existing)
    assert refused.exit_code == 1 and "--force" in refused.output and existing.read_text() == "keep me"
    assert cli("export", "quotes", "--db", db, "-o", existing, "--force").exit_code == 0
    assert json.loads(existing.read_text().splitlines()[0])["quote_id"] == "d1:q0"
    missing = cli("export", "quotes", "--db", db, "-o", tmp_path / "nowhere" / "q.jsonl")
    assert missing.exit_code == 1 and "no folder" in missing.output and "Traceback" not in missing.output
    folder = cli("export", "quotes", "--db", db, "-o", tmp_path)
    assert folder.exit_code == 1 and "is a folder" in folder.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["filled.duckdb", "out.jsonl"]


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    extraction = make_extraction("d1")
    extraction.document.title = "=HYPERLINK(\"http://x\")"
    extraction.document.outlet = "@SUM(A1)"
    extraction.quotes[0].text = "+1 and -1"
    extraction.events[0].evidence["text"] = "-Japan met Korea"
    extraction.events[1].date_text = "=1+1"
    with Store(tmp_path / "s.duckdb") as store:
        store.save(extraction)
        cells = {}
        for table in ("documents", "quotes", "events"):
            buffer = io.StringIO()
            export_table(store, table, "csv", buffer)
            cells[table] = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert cells["documents"][0]["title"] == "'=HYPERLINK(\"http://x\")"
    assert cells["documents"][0]["outlet"] == "'@SUM(A1)"
    assert cells["quotes"][0]["text"] == "'+1 and -1"
    assert cells["events"][1]["date_text"] == "'=1+1"
    assert json.loads(cells["events"][0]["evidence"])["text"] == "-Japan met Korea"  # inside JSON: inert
    assert cells["events"][0]["score"] == "1.0"


# --- what reaches the terminal -------------------------------------------------------------------------

def test_markup_and_terminal_escapes_in_the_data_are_shown_not_run(cli, tmp_path):
    extraction = make_extraction("[/b]d1")
    for event in extraction.events:
        event.doc_id = "[/b]d1"
        event.evidence["text"] = "Japan [bold]met[/] \x1b[2JKorea\u202e."
    extraction.quotes[0].doc_id = "[/b]d1"
    extraction.quotes[0].text = "[/] we \x1b]0;owned\x07 talk"
    extraction.actors[1].name = "Takeshi [/i]Iwaya"
    db = tmp_path / "m.duckdb"
    with Store(db) as store:
        store.save(extraction)
    events = cli("events", "--db", db)
    assert events.exit_code == 0, events.output
    assert "[/b]d1" in events.output and "[bold]met[/]" in events.output
    assert "\x1b" not in events.output and "\\x1b[2J" in events.output and "\\u202e" in events.output
    actor = cli("actor", "Iwaya", "--db", db)
    assert actor.exit_code == 0, actor.output
    assert "Takeshi [/i]Iwaya" in actor.output and "\x1b" not in actor.output and "\\x07" in actor.output
    missing = cli("actor", "[/x]\x1b[2J", "--db", db)
    assert missing.exit_code == 1 and "\x1b" not in missing.output
    assert cli("stories", "--db", db, "--min-docs", "1").exit_code == 0


def test_since_must_be_a_date(cli, filled_store):
    store, db = filled_store
    with pytest.raises(StoreError, match="not a date"):
        store.events(since="2024-13-45")
    assert len(store.events(since="2025-03")) == 3 and len(store.events(since="2025-03-12")) == 1
    store.close()
    for bad in ("yesterday", "2024-13-45", "2025-02-30", "20250101"):
        result = cli("events", "--db", db, "--since", bad)
        assert result.exit_code == 2 and "is not a date" in result.output, bad


# --- the store: one transaction with the story links; readers during an ingest ---------------------------

def test_a_document_and_its_story_links_are_one_transaction(tmp_path, monkeypatch):
    from dyad import stories

    real = stories.link_extraction

    def link_then_die(con, extraction):  # as a kill would, after the links were written
        real(con, extraction)
        raise KeyboardInterrupt
    with Store(tmp_path / "s.duckdb") as store:
        store.save(make_extraction("d0"))
        monkeypatch.setattr(stories, "link_extraction", link_then_die)
        with pytest.raises(KeyboardInterrupt):
            store.save(make_extraction("d1"))
        assert [d["doc_id"] for d in store.documents()] == ["d0"]
        assert {e["doc_id"] for e in store.events()} == {"d0"}
        indexed = store.connection.execute("SELECT DISTINCT doc_id FROM story_index").fetchall()
        assert indexed == [("d0",)]


class StoredShapePipeline:
    """Extractions of the hand-made shape for any document (for store-level checks without spaCy)."""

    def extract(self, document):
        extraction = make_extraction(document.id)
        extraction.document = document
        return extraction


def test_a_document_left_unlinked_by_an_older_dyad_is_linked_on_the_next_run(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        assert ingest_paths([tmp_path / "in"], store, pipeline_factory=StoredShapePipeline).new == 1
        store.connection.execute("UPDATE events SET story_id = NULL")  # a kill between the two old transactions
        store.connection.execute("DELETE FROM story_index")
        again = ingest_paths([tmp_path / "in"], store, pipeline_factory=StoredShapePipeline)
        assert (again.updated, again.unchanged) == (1, 0)
        assert all(e["story_id"] for e in store.events())
        assert ingest_paths([tmp_path / "in"], store, pipeline_factory=StoredShapePipeline).unchanged == 1


def test_readers_see_the_last_committed_state_during_an_ingest(tmp_path):
    db = tmp_path / "s.duckdb"
    seen = []

    class Watching(StoredShapePipeline):
        def extract(self, document):
            with Store(db, read_only=True, lock_wait=0) as reader:  # the writer has released the file
                seen.append(reader.counts()["documents"])
            time.sleep(1.1 if document.id == "a" else 0)  # past a save batch
            return super().extract(document)

    (tmp_path / "in").mkdir()
    for name in "abc":
        (tmp_path / "in" / f"{name}.txt").write_text(article(ord(name)), encoding="utf-8")
    with Store(db) as store:
        store.close()
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=Watching, release_store=True)
        assert report.new == 3 and store.counts()["documents"] == 3
    assert seen == [0, 1, 1]


def test_a_reader_blocked_by_a_writer_is_told_to_retry(tmp_path):
    db = tmp_path / "s.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('open', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreBusy, match=rf"being written by process {holder.pid} .*retry"):
            Store(db, read_only=True, lock_wait=0.2)
    finally:
        holder.kill()
        holder.wait()


def test_a_second_ingest_into_one_database_is_refused(cli, tmp_path):
    db = tmp_path / "t.duckdb"
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with open(f"{db}.ingest-lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        result = cli("ingest", tmp_path / "a.txt", "--db", db)
    assert result.exit_code == 1 and "another ingest is writing" in result.output and "4242" in result.output
    assert not db.exists()
