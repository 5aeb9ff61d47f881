"""The command line, run through Typer's test runner on inputs written here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, SHARED
from dyad.store import Store

ARTICLE = ("Envoys from Chile and Peru met in Lima on Monday and agreed to resume talks on fishing rights.\n"
           "\"We want a fair deal for both fleets,\" Peru's foreign minister said.\n"
           "Fish exports between the two countries were worth $310 million last year.\n")


def counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.counts()


def test_ingest_reports_failures_by_name_and_reason_and_keeps_the_rest(cli, write, tmp_path):
    write("in/good.txt", ARTICLE)
    write("in/blank.txt", "   \n")
    write("in/image.txt", b"\x89PNG\r\n\x00\x00")
    write("in/batch.jsonl", json.dumps({"id": "j1", "text": ARTICLE}) + "\n{not json}\n")
    db = tmp_path / "t.duckdb"
    result = cli("ingest", tmp_path / "in", "--db", db)
    assert result.exit_code == 1, result.output
    for name, reason in (("blank.txt", "empty"), ("image.txt", "binary"), ("batch.jsonl:2", "malformed JSON")):
        line = next(l for l in result.output.splitlines() if name in l)
        assert reason in line
    assert counts(db)["documents"] == 2
    with Store(db, read_only=True) as store:
        assert len(store.problems()) == 3


def test_reingest_changes_nothing(cli, write, tmp_path):
    write("in/a.txt", ARTICLE)
    write("in/b.txt", ARTICLE.replace("Lima", "Arica"))
    db = tmp_path / "t.duckdb"
    first = cli("ingest", tmp_path / "in", "--db", db)
    assert first.exit_code == 0, first.output
    before = counts(db)
    second = cli("ingest", tmp_path / "in", "--db", db)
    assert second.exit_code == 0
    assert "documents unchanged" in second.output
    unchanged_row = next(l for l in second.output.splitlines() if "documents unchanged" in l)
    assert "2" in unchanged_row
    assert counts(db) == before


def test_after_an_upgrade_reingesting_extracts_again_without_duplicating(cli, write, tmp_path, monkeypatch):
    import dyad.ingest
    write("in/a.txt", ARTICLE)
    db = tmp_path / "t.duckdb"
    assert cli("ingest", tmp_path / "in", "--db", db).exit_code == 0
    before = counts(db)
    monkeypatch.setattr(dyad.ingest, "extraction_fingerprint", lambda: "another dyad")  # new code, model or data
    again = cli("ingest", tmp_path / "in", "--db", db)
    assert again.exit_code == 0, again.output
    unchanged_row = next(l for l in again.output.splitlines() if "documents unchanged" in l)
    assert unchanged_row.split("│")[2].strip() == "0"
    assert counts(db) == before


def test_changed_document_is_replaced(cli, write, tmp_path):
    path = write("in/a.txt", ARTICLE)
    db = tmp_path / "t.duckdb"
    cli("ingest", path, "--db", db)
    path.write_text(ARTICLE + "A second round is planned for June.\n", encoding="utf-8")
    result = cli("ingest", path, "--db", db)
    assert result.exit_code == 0
    assert counts(db)["documents"] == 1
    with Store(db, read_only=True) as store:
        assert "second round" in store.document("a")["text"]


def test_example_corpus_ingests_cleanly(cli, tmp_path):
    db = tmp_path / "examples.duckdb"
    result = cli("ingest", PROJECT_ROOT / "examples" / "corpus", "--db", db)
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        documents = store.documents()
    assert len(documents) == 6
    assert all(d["published"] and d["outlet"] for d in documents)
    assert "most reported dyads" in result.output and "JPN – KOR" in result.output


def test_seed_corpus_twice_gives_identical_counts(cli, tmp_path):
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"../shared is absent ({seeds} not found): seed re-ingest not checked")
    db = tmp_path / "seeds.duckdb"
    assert cli("ingest", seeds, "--db", db).exit_code == 0
    first = counts(db)
    assert cli("ingest", seeds, "--db", db).exit_code == 0
    assert counts(db) == first and first["documents"] == 5


def test_events_table_and_filters(cli, filled_store):
    store, db = filled_store
    store.close()
    result = cli("events", "--db", db)
    assert result.exit_code == 0, result.output
    assert "JPN, KOR" in result.output and "JPN → KOR" in result.output and "2025-03-11" in result.output
    only_agree = cli("events", "--db", db, "--type", "AGREE", "--between", "JPN", "KOR")
    assert "AGREE" in only_agree.output and "CONSULT" not in only_agree.output
    assert "no events match" in cli("events", "--db", db, "--between", "USA", "CHN").output


def test_actors_and_actor(cli, filled_store):
    store, db = filled_store
    store.close()
    listing = cli("actors", "--db", db)
    assert listing.exit_code == 0 and "person:takeshi-iwaya" in listing.output
    one = cli("actor", "Iwaya", "--db", db)
    assert one.exit_code == 0
    assert "Foreign Minister" in one.output and "We will keep talking" in one.output and "d2" in one.output
    missing = cli("actor", "Atlantis", "--db", db)
    assert missing.exit_code == 1 and "dyad actors" in missing.output


def test_export_to_stdout_and_file(cli, filled_store, tmp_path):
    store, db = filled_store
    expected = store.events(chronological=False)
    store.close()
    result = cli("export", "events", "--db", db)
    assert result.exit_code == 0
    assert [json.loads(l) for l in result.stdout.splitlines()] == expected
    out = tmp_path / "facts.csv"
    assert cli("export", "facts", "--db", db, "--format", "csv", "-o", out).exit_code == 0
    assert out.read_text().startswith("fact_id,doc_id,value,unit")
    refused = cli("export", "events", "--db", db, "--format", "parquet")
    assert refused.exit_code == 2 and "-o FILE" in refused.output


def test_reading_commands_without_a_database_say_what_to_do(cli, tmp_path):
    for args in (["events"], ["actors"], ["actor", "Japan"], ["export", "events"]):
        result = cli(*args, "--db", tmp_path / "none.duckdb")
        assert result.exit_code == 1
        assert "dyad ingest" in result.output
    assert not (tmp_path / "none.duckdb").exists()


def test_the_events_table_marks_a_party_its_sentence_does_not_name():
    from dyad.cli.events import dyad_label
    row = {"actors": [{"code": "PAK"}], "recipients": [{"code": "IND"}], "from_context": ["IND"]}
    assert dyad_label(row) == "PAK → IND (context)"
    assert dyad_label({**row, "from_context": []}) == "PAK → IND"
