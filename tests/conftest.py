"""Shared fixtures: one loaded pipeline per session, hand-made extractions, a CLI runner."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from dyad.records import ActorRecord, ActorRef, Document, Event, Extraction, Fact, Quote, Role, Segment

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    """The full pipeline, loaded once (spaCy is the slow part)."""
    from dyad import Pipeline
    return Pipeline()


@pytest.fixture(scope="session")
def rules_only():
    """The pipeline without its learned stage: what the codebook's rules alone code."""
    from dyad.pipeline import DEFAULT_STAGES, Pipeline
    return Pipeline(stages=[s for s in DEFAULT_STAGES if s[0] != "learned"])


@pytest.fixture
def write(tmp_path):
    """write("a/b.txt", "text") -> the Path, parents created; bytes are written as they are."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return _write


@pytest.fixture
def cli(pipeline, monkeypatch):
    """invoke(args) -> Result, with the session's pipeline shared by every `dyad ingest`."""
    from dyad import cli as cli_package
    from dyad.cli import ingest as ingest_cli

    cli_package._register()
    monkeypatch.setattr(ingest_cli, "make_pipeline", lambda: pipeline)
    for name in ("ingest", "events", "actors"):  # wide output, so names and reasons are never wrapped
        module = importlib.import_module(f"dyad.cli.{name}")
        monkeypatch.setattr(module, "console", Console(width=250))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli_package.app, [str(a) for a in args])
    return invoke


def state(code: str, name: str, text: str | None = None) -> ActorRef:
    return ActorRef(text=text or name, name=name, code=code, sector="GOV", actor_id=f"state:{code}")


def person(slug: str, name: str, code: str) -> ActorRef:
    return ActorRef(text=name, name=name, code=code, sector="GOV", actor_id=f"person:{slug}", kind="person")


def make_extraction(doc_id: str = "d1", text: str | None = None, published: str = "2025-03-12",
                    events: int = 2, title: str = "Talks in Tokyo") -> Extraction:
    """A small hand-made extraction: Japan and South Korea meet and agree; a quote; a fact; two actors."""
    text = text or ("Talks in Tokyo\nJapan and South Korea met in Tokyo on Tuesday. "
                    "They agreed to meet again next month. \"We will keep talking,\" Iwaya said. "
                    "Trade reached $72 billion last year.")
    document = Document(id=doc_id, text=text, title=title, published=published, date_source="metadata",
                        outlet="Pacific Ledger", content_hash=f"hash-{doc_id}-{len(text)}-{events}")
    jpn, kor, iwaya = state("JPN", "Japan"), state("KOR", "South Korea"), person("takeshi-iwaya", "Takeshi Iwaya", "JPN")
    all_events = [
        Event(event_id=f"{doc_id}:e0", doc_id=doc_id, type="CONSULT", mode="visit", context=["diplomatic"],
              actors=[jpn, kor], recipients=[], date="2025-03-11", date_text="on Tuesday", location="Tokyo",
              aux=None, attribution=None, evidence={"text": "Japan and South Korea met in Tokyo on Tuesday.",
                                                    "start": 15, "end": 62},
              score=1.0, confidence=0.9, rule="consult.meet", date_precision="day", symmetric=True),
        Event(event_id=f"{doc_id}:e1", doc_id=doc_id, type="AGREE", mode=None, context=[], actors=[jpn],
              recipients=[kor], date="2025-04", date_text="next month", location=None, aux="future",
              attribution=None, evidence={"text": "They agreed to meet again next month.", "start": 63, "end": 100},
              score=3.0, confidence=0.7),
    ][:events]
    quote = Quote(quote_id=f"{doc_id}:q0", doc_id=doc_id, text="We will keep talking", speaker=iwaya,
                  evidence={"start": 102, "end": 122})
    fact = Fact(fact_id=f"{doc_id}:f0", doc_id=doc_id, value=72e9, unit="USD", about="trade", text="$72 billion",
                period="2024", evidence={"start": 152, "end": 163})
    actors = [ActorRecord("state:JPN", "state", "Japan", aliases=["Tokyo"], country="JPN", doc_ids=[doc_id]),
              ActorRecord("person:takeshi-iwaya", "person", "Takeshi Iwaya", aliases=["Iwaya"], country="JPN",
                          sector="GOV", roles=[Role("Foreign Minister", "JPN", "GOV", source="kb")],
                          doc_ids=[doc_id])]
    return Extraction(document=document, segments=[Segment(0, 14, "title"), Segment(15, len(text), "body")],
                      events=all_events, quotes=[quote], facts=[fact], actors=actors)


@pytest.fixture
def filled_store(tmp_path):
    """A store on disk holding two hand-made documents; yields (store, path)."""
    from dyad.store import Store

    path = tmp_path / "filled.duckdb"
    store = Store(path)
    store.save(make_extraction("d1"))
    store.save(make_extraction("d2", published="2025-03-13", events=1))
    yield store, path
    store.close()
