"""The promise ledger on short reports written for these tests (tests/data/promises), ingested through the real
pipeline: kept after a delay, broken by a cancellation, overdue against a stated deadline, two promises between
the same parties kept apart, one promise told by three outlets counted once."""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from dyad import promises as ledger_api
from dyad.ingest import ingest_paths
from dyad.store import Store

DATA = Path(__file__).parent / "data" / "promises"
NEWEST = date(2025, 7, 1)  # the latest publication date in the manifest: "overdue" is measured against it


@pytest.fixture(scope="module")
def store_path(pipeline, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("promises") / "ledger.duckdb"
    with Store(path) as store:
        report = ingest_paths([DATA], store, pipeline_factory=lambda: pipeline)
    assert not report.problems
    return path


@pytest.fixture(scope="module")
def threads(store_path) -> list[dict]:
    with Store(store_path, read_only=True) as store:
        return ledger_api.promises(store)


def between(threads: list[dict], *codes: str) -> list[dict]:
    return [t for t in threads if set(t["participants"]) == set(codes)]


def test_kept_after_a_delay(threads):
    [kept] = between(threads, "KAZ", "UZB")
    assert kept["status"] == "kept"
    assert kept["act_type"] == "SUPPORT"
    assert kept["first_promised"] == "2025-01-09"  # "pledged on Thursday", published on Friday 10 January
    assert kept["decided_by"]["doc_id"] == "kept_deed"
    assert "signed" in kept["decided_by"]["evidence"]["text"]
    assert kept["lag_days"] == (date(2025, 6, 18) - date(2025, 1, 9)).days  # signed "on Wednesday" 18 June


def test_similar_promises_repeat_the_act_promised_just_before(threads):
    [kept] = between(threads, "KAZ", "UZB")
    assert [r["doc_id"] for r in kept["reports"]] == ["kept_pledge", "kept_pledge"]
    assert "similar promises" in kept["reports"][1]["evidence"]["text"]
    assert kept["documents"] == 1 and kept["sources"] == 1


def test_broken_by_a_cancellation(threads):
    [broken] = between(threads, "ARM", "AZE")
    assert broken["status"] == "broken"
    assert broken["act_type"] == "CONSULT"
    assert broken["decided_by"]["doc_id"] == "broken_cancel"
    assert "called off" in broken["decided_by"]["reason"]
    assert broken["lag_days"] == (date(2025, 2, 25) - date(2025, 2, 3)).days


def test_overdue_against_the_stated_deadline_and_the_newest_report(threads):
    [overdue] = between(threads, "QAT", "SDN")
    assert overdue["status"] == "overdue"
    assert overdue["act_type"] == "AID"
    assert {k: overdue["deadline"][k] for k in ("value", "precision", "text")} == \
        {"value": "2025-03-12", "precision": "day", "text": "within two months"}
    assert overdue["lag_days"] == (NEWEST - date(2025, 3, 12)).days  # the store's newest report, not the clock


def test_two_promises_between_the_same_parties_stay_apart(threads):
    pair = between(threads, "JPN", "KOR")
    assert len(pair) == 2
    assert {t["act_type"] for t in pair} == {"SUPPORT"}
    assert {t["reports"][0]["doc_id"] for t in pair} == {"apart_fisheries", "apart_visa"}
    assert all(t["documents"] == 1 and t["status"] == "open" for t in pair)


def test_one_promise_in_three_outlets_is_one_thread_with_three_sources(threads):
    [repeated] = between(threads, "GHA", "NGA")
    assert repeated["act_type"] == "CONSULT"
    assert repeated["documents"] == 3 and repeated["sources"] == 3
    assert [r["doc_id"] for r in repeated["reports"]] == ["three_a", "three_b", "three_c"]
    assert repeated["first_promised"] == "2025-04-01"
    assert threads[0] is repeated  # the most reported thread comes first


def test_filters_and_one_thread(store_path, threads):
    with Store(store_path, read_only=True) as store:
        assert [t["promise_id"] for t in ledger_api.promises(store, between=("uzb", "KAZ"))] == \
            [t["promise_id"] for t in between(threads, "KAZ", "UZB")]
        assert {t["status"] for t in ledger_api.promises(store, status=["kept", "broken"])} == {"kept", "broken"}
        one = ledger_api.thread(store, threads[0]["promise_id"])
        assert one == threads[0]
        assert ledger_api.thread(store, "pr-none") is None
        with pytest.raises(ledger_api.PromiseError, match="unknown status 'done'"):
            ledger_api.promises(store, status="done")


def test_the_ledger_is_stored_and_rebuilt_when_the_store_changes(store_path, tmp_path, threads):
    path = tmp_path / "copy.duckdb"
    shutil.copy(store_path, path)
    with Store(path) as store:
        assert ledger_api.promises(store) == threads  # rebuilt and read back from the table
        assert ledger_api.is_fresh(store.connection)
        store.connection.execute("DELETE FROM events WHERE doc_id = 'broken_cancel'")
        assert not ledger_api.is_fresh(store.connection)
        [again] = between(ledger_api.promises(store), "ARM", "AZE")
        assert again["status"] == "overdue"  # without the cancellation, its March date has passed


@pytest.mark.parametrize("text, published, expected", [
    ("to sign it by the end of the year.", "2025-03-01", ("2025", "year")),
    ("to meet in May.", "2025-06-10", ("2026-05", "month")),
    ("to deliver the grain within six months.", "2025-03-31", ("2025-09-30", "day")),
    ("to open the crossing no later than September 15.", "2025-03-01", ("2025-09-15", "day")),
    ("to meet again soon.", "2025-03-01", None),
])
def test_deadlines_resolve_against_publication(text, published, expected):
    found = ledger_api.read_deadline(text, published, ledger_api.load_rules())
    assert ((found["value"], found["precision"]) if found else None) == expected


def test_outcome_phrases_respect_negation_and_similarity_is_dice():
    rules = ledger_api.load_rules()
    assert ledger_api._broken_match("Armenia called off the talks.", rules).group(0) == "called off"
    assert ledger_api._broken_match("Armenia has not cancelled the talks.", rules) is None
    a, b = frozenset({"visa", "waiver", "agreement"}), frozenset({"fishery", "agreement"})
    assert ledger_api.similarity(a, b) == pytest.approx(2 / 5)
    assert ledger_api.similarity(frozenset(), frozenset()) == 1.0
    assert ledger_api.similarity(a, frozenset()) == 0.0


def test_cli_lists_shows_and_explains(store_path, cli, monkeypatch):
    from dyad.cli import promises as promises_cli

    monkeypatch.setattr(promises_cli, "console", Console(width=250))
    listed = cli("promises", "--between", "KAZ", "UZB", "--db", store_path)
    assert listed.exit_code == 0, listed.output
    assert "kept" in listed.output and "Northern Wire" in listed.output
    rows = [json.loads(line) for line in cli("promises", "--status", "overdue", "--json", "--db",
                                             store_path).output.splitlines()]
    assert {tuple(r["participants"]) for r in rows} == {("QAT", "SDN"), ("GHA", "NGA")}
    one = cli("promise", rows[0]["promise_id"], "--db", store_path)
    assert one.exit_code == 0 and "deadline" in one.output and "passed" in one.output
    missing = cli("promise", "pr-none", "--db", store_path)
    assert missing.exit_code == 1 and "no promise 'pr-none'" in missing.output
    bad = cli("promises", "--status", "done", "--db", store_path)
    assert bad.exit_code == 1 and "unknown status" in bad.output


def test_an_empty_store_has_no_promises_and_a_foreign_file_gets_a_short_error(tmp_path, cli):
    import duckdb

    with Store(tmp_path / "empty.duckdb") as store:
        assert ledger_api.promises(store) == []
    assert cli("promises", "--db", tmp_path / "empty.duckdb").output.strip() == "no promise"
    con = duckdb.connect(str(tmp_path / "other.duckdb"))
    con.execute("CREATE TABLE events (x INTEGER)")
    con.close()
    foreign = cli("promises", "--db", tmp_path / "other.duckdb")
    assert foreign.exit_code == 1 and "cannot read promises from this store" in foreign.output


EXPORT_FIELDS = ["promise_id", "participants", "act_type", "act", "first_promised", "deadline", "reports", "sources",
                 "status", "decided_by", "lag_days"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_promises_in_every_format(store_path, tmp_path, threads, fmt):
    import duckdb

    from dyad.export import export_table

    out = tmp_path / f"promises.{fmt}"
    with Store(store_path, read_only=True) as store:
        assert export_table(store, "promises", fmt, out) == len(threads)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [list(r)[:len(EXPORT_FIELDS)] for r in rows] == [EXPORT_FIELDS] * len(threads)
        assert rows == [{**{k: t[k] for k in EXPORT_FIELDS}, **t} for t in threads]
        return
    reader = "read_csv_auto" if fmt == "csv" else "read_parquet"
    con = duckdb.connect()
    cursor = con.execute(f"SELECT * FROM {reader}('{out}')")
    names = [d[0] for d in cursor.description]
    assert names[:len(EXPORT_FIELDS)] == EXPORT_FIELDS and len(cursor.fetchall()) == len(threads)
    statuses = sorted(r[0] for r in con.execute(f"SELECT status FROM {reader}('{out}')").fetchall())
    assert statuses == sorted(t["status"] for t in threads)


def test_cli_export_promises(store_path, cli):
    result = cli("export", "promises", "--db", store_path)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["status"] for r in rows} == {"kept", "broken", "overdue", "open"}
