"""`dyad ingest --jobs N`: extraction in worker processes, one writer; the same store as `--jobs 1`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import PROJECT_ROOT
from dyad.ingest import ingest_paths
from dyad.parallel import WorkerDied, default_jobs, extract_in_order, extraction_options
from dyad.records import Document, Extraction
from dyad.store import Store
from test_batch_store import snapshot

EXAMPLES = PROJECT_ROOT / "examples" / "corpus"
EXPORTS = ("events", "quotes", "facts", "actors", "stories", "documents")
STATES = ["Japan", "South Korea", "India", "Brazil", "Turkey", "Egypt", "Kenya", "Mexico", "Canada", "Norway",
          "Chile", "Peru", "Spain", "Italy", "Poland", "Sweden", "Ghana", "Nigeria", "Vietnam", "Thailand",
          "Argentina", "Colombia", "Greece", "Portugal", "Morocco", "Ethiopia", "Indonesia", "Malaysia"]
ACTS = ["held talks with", "signed a trade deal with", "accused", "sent aid to", "threatened"]


def exports(cli, db, folder) -> dict[str, str]:
    out = {}
    for name in EXPORTS:
        target = folder / f"{name}.jsonl"
        assert cli("export", name, "--db", db, "-o", target).exit_code == 0
        out[name] = target.read_text(encoding="utf-8")
    return out


def test_jobs_2_stores_exactly_what_jobs_1_stores(cli, tmp_path):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    first = cli("ingest", EXAMPLES, "--db", one, "--jobs", "1")
    second = cli("ingest", EXAMPLES, "--db", two, "--jobs", "2")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert first.output.replace("one.duckdb", "X") == second.output.replace("two.duckdb", "X")  # same summary
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    expected = exports(cli, one, tmp_path / "a")
    assert expected["events"].count("\n") > 5
    assert exports(cli, two, tmp_path / "b") == expected
    assert snapshot(two) == snapshot(one)


class FussyPipeline:
    """Refuses documents that mention Arica; reads no model (a worker builds it once)."""
    builds = 0

    def __init__(self):
        FussyPipeline.builds += 1

    def extract(self, document: Document) -> Extraction:
        if "Arica" in document.text:
            raise ValueError("cannot read this one")
        return Extraction(document=document)


def test_results_come_back_in_input_order_with_the_problems_of_each_document():
    documents = [Document(id=f"d{i}", text="Arica" if i % 3 == 0 else f"text {i}") for i in range(12)]
    outcomes = list(extract_in_order([(d, i) for i, d in enumerate(documents)], FussyPipeline, 2, 0))
    assert [(d.id, carried) for d, carried, _, _ in outcomes] == [(d.id, i) for i, d in enumerate(documents)]
    for document, _, extraction, problems in outcomes:
        if "Arica" in document.text:
            assert extraction is None and "cannot read this one" in problems[0].reason
        else:
            assert extraction.document.id == document.id and problems == []


def test_a_failed_document_is_reported_and_the_others_stored_with_jobs_2(write, tmp_path):
    for i in range(4):
        write(f"in/a{i}.txt", "Peru and Chile met in Lima." if i != 2 else "Peru and Chile met in Arica.")
    with Store(tmp_path / "t.duckdb") as store:
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=FussyPipeline, jobs=2)
        assert (report.new, report.failed) == (3, 1)
        assert report.problems[0].source.endswith("a2.txt") and "cannot read this one" in report.problems[0].reason
        assert [d["doc_id"] for d in store.documents()] == ["a0", "a1", "a3"]


def test_the_time_budget_holds_in_workers(write, tmp_path):
    class SlowPipeline:
        def extract(self, document):
            if "slow" in document.text:
                time.sleep(30)
            return Extraction(document=document)

    write("in/a.txt", "quick")
    write("in/b.txt", "slow")
    write("in/c.txt", "quick again")
    with Store(tmp_path / "t.duckdb") as store:
        started = time.monotonic()
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=SlowPipeline, jobs=2, doc_timeout=1)
        assert time.monotonic() - started < 20
        assert report.new == 2 and "gave up after 1 s" in report.problems[0].reason


def test_extraction_options_say_what_is_wrong():
    assert extraction_options() == {"jobs": default_jobs()}
    assert extraction_options(3) == {"jobs": 3}
    for args, words in (((0,), "--jobs must be 1 or more"), ((None, "spark"), "'spark' is not one of"),
                        ((None, "local", "ray://x:1"), "need --engine ray")):
        with pytest.raises(ValueError, match=words):
            extraction_options(*args)


def test_the_cli_refuses_an_unknown_engine(cli, tmp_path):
    result = cli("ingest", EXAMPLES, "--db", tmp_path / "x.duckdb", "--engine", "spark")
    assert result.exit_code == 1 and "is not one of: local, ray" in result.output
    assert not (tmp_path / "x.duckdb").exists()


# --- a killed run resumes with nothing lost or duplicated ---------------------------------------------------

def short_news(path, count: int) -> None:
    """`count` one-sentence reports between ten states, in one JSONL file (ids n0000 ...)."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):  # spread over many pairs and months, as news is: stories stay small
            a, b = STATES[i % len(STATES)], STATES[(i * 7 + 3) % len(STATES)]
            b = b if b != a else STATES[(i + 1) % len(STATES)]
            row = {"id": f"n{i:04d}", "text": f"{a} {ACTS[i % len(ACTS)]} {b} on Tuesday.",
                   "published": f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}", "outlet": f"Outlet {i % 7}"}
            out.write(json.dumps(row) + "\n")


def stored_documents(db) -> int | None:
    """Documents committed so far, or None while the writer holds the file."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def dyad_ingest(news, db) -> subprocess.Popen:
    command = [sys.executable, "-c", "from dyad.cli import main; main()", "ingest", str(news), "--db", str(db),
               "--jobs", "2"]
    env = {**os.environ, "DYAD_LOCK_WAIT": "600"}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)  # its own process group: kill -9 reaches the workers too


def test_kill_9_in_the_middle_of_a_jobs_2_ingest_then_a_rerun_loses_and_duplicates_nothing(pipeline, tmp_path):
    news = tmp_path / "news.jsonl"
    short_news(news, 1000)
    with Store(tmp_path / "reference.duckdb") as store:  # the uninterrupted run, in this process
        reference = ingest_paths([news], store, pipeline_factory=lambda: pipeline, jobs=2, release_store=True)
    assert reference.new == 1000 and reference.events >= 900  # about one event a document

    # The writer checkpoints the file each time it releases it after a batch: kill -9 once the file has
    # reached a third of the finished store's size, i.e. with some batches committed and more to come.
    threshold = (tmp_path / "reference.duckdb").stat().st_size / 3
    db = tmp_path / "killed.duckdb"
    run = dyad_ingest(news, db)
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        if db.exists() and db.stat().st_size >= threshold:
            os.killpg(run.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL, f"the run was not killed mid-way: {run.stderr.read()!r}"
    after_kill = stored_documents(db)
    assert after_kill is not None and 0 < after_kill < 1000, f"killed with {after_kill} documents stored"

    rerun = dyad_ingest(news, db)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read()
    with Store(db, read_only=True) as store:
        assert store.counts()["documents"] == 1000
    assert snapshot(db) == snapshot(tmp_path / "reference.duckdb")  # nothing lost, nothing twice, same stories



def broken_factory():
    raise OSError("model not installed")


def test_a_pipeline_that_cannot_be_built_stops_the_run_instead_of_hanging(write, tmp_path):
    for i in range(3):
        write(f"in/a{i}.txt", f"text {i}")
    for attempt in range(25):  # the stop raced with the workers' answers: multiprocessing.Pool hung 1 run in ~20
        with Store(tmp_path / f"t{attempt}.duckdb") as store:
            with pytest.raises(Exception, match="model not installed"):
                ingest_paths([tmp_path / "in"], store, pipeline_factory=broken_factory, jobs=2)
            assert store.counts()["documents"] == 0


class DyingPipeline:
    """Ends its worker process without a word on documents that mention Arica, as an out-of-memory kill does."""

    def extract(self, document: Document) -> Extraction:
        if "Arica" in document.text:
            os._exit(9)
        time.sleep(0.2)
        return Extraction(document=document)


def test_a_worker_that_dies_stops_the_run_with_a_clear_error_and_keeps_what_was_saved(write, tmp_path):
    for i in range(6):
        write(f"in/a{i}.txt", "Peru met Chile in Arica." if i == 3 else f"Peru met Chile, part {i}.")
    with Store(tmp_path / "t.duckdb") as store:
        with pytest.raises(WorkerDied, match=r"died .* before .*a\d\.txt was extracted.*--jobs 1"):
            ingest_paths([tmp_path / "in"], store, pipeline_factory=DyingPipeline, jobs=2)
    with Store(tmp_path / "t.duckdb") as store:  # the store opens again and a rerun with one job goes on
        report = ingest_paths([tmp_path / "in"], store, pipeline_factory=FussyPipeline, jobs=1)
        assert report.failed == 1 and store.counts()["documents"] == 5


def test_stopping_early_ends_the_workers_without_extracting_the_rest(tmp_path):
    documents = [(Document(id=f"d{i}", text=f"text {i}"), i) for i in range(200)]
    extracted = tmp_path / "extracted.txt"
    outcomes = extract_in_order(documents, lambda: SleepyPipeline(extracted), 2, 0)
    started = time.monotonic()
    assert next(outcomes)[0].id == "d0"
    outcomes.close()  # e.g. the writer failed: what is left must not be extracted first
    assert time.monotonic() - started < 10  # 200 documents at 0.2 s on two workers would take 20 s
    assert len(extracted.read_text().split()) < 20  # those already handed to a worker, not the other 180+


class SleepyPipeline:
    """Takes 0.2 s a document and notes each one it extracted in `log` (the workers share the file)."""

    def __init__(self, log):
        self.log = log

    def extract(self, document: Document) -> Extraction:
        time.sleep(0.2)
        with open(self.log, "a", encoding="utf-8") as out:
            out.write(document.id + "\n")
        return Extraction(document=document)


def test_the_cli_says_in_one_line_why_the_workers_could_not_go_on(cli, monkeypatch, write, tmp_path):
    from dyad.cli import ingest as ingest_cli

    monkeypatch.setattr(ingest_cli, "make_pipeline", broken_factory)
    for i in range(3):
        write(f"in/a{i}.txt", f"text {i}")
    result = cli("ingest", tmp_path / "in", "--db", tmp_path / "x.duckdb", "--jobs", "2")
    assert result.exit_code == 1 and "error: OSError: model not installed" in result.output
    assert "Traceback" not in result.output
