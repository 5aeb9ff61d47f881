"""The core library entry point: a Document in, an Extraction (plain records) out.

The data flow of DESIGN.md is an explicit, ordered list of stages. Each stage is a function that reads what
earlier stages left on a `Work` (one document in progress) and adds its own part. A test or a user swaps a
stage by name: ``Pipeline(stages=replace_stage(DEFAULT_STAGES, "facts", my_facts))``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .records import Document, Extraction


@dataclass
class Work:
    """One document on its way through the stages: the `extraction` each stage fills in, and `parsed`, the
    spaCy objects that never leave here."""
    document: Document
    parsed: list[Any] = field(default_factory=list)
    extraction: Extraction = field(init=False)

    def __post_init__(self) -> None:
        self.extraction = Extraction(document=self.document)


Stage = tuple[str, Callable[["Pipeline", Work], None]]


def clean_stage(pipeline: Pipeline, work: Work) -> None:
    from .clean import segment
    work.extraction.segments = segment(work.document)


def nlp_stage(pipeline: Pipeline, work: Work) -> None:
    from .nlp import parse
    work.parsed = parse(work.document.text, work.extraction.segments, pipeline.nlp)


def mentions_stage(pipeline: Pipeline, work: Work) -> None:
    from .actors.mentions import resolve_mentions
    work.extraction.mentions = resolve_mentions(work.parsed, work.document, pipeline.kb)


def quotes_stage(pipeline: Pipeline, work: Work) -> None:
    from .quotes import extract_quotes
    work.extraction.quotes = extract_quotes(work.parsed, work.extraction.mentions, work.document)


def events_stage(pipeline: Pipeline, work: Work) -> None:
    from .events import extract_events
    found = work.extraction
    found.events = extract_events(work.parsed, found.mentions, work.document, pipeline.codebook, quotes=found.quotes)


def facts_stage(pipeline: Pipeline, work: Work) -> None:
    from .facts import extract_facts
    work.extraction.facts = extract_facts(work.parsed, work.document)


def registry_stage(pipeline: Pipeline, work: Work) -> None:
    from .actors.registry import records_from_mentions
    work.extraction.actors = records_from_mentions(work.extraction.mentions, work.document, pipeline.kb)


def learned_stage(pipeline: Pipeline, work: Work) -> None:
    from .learn.coder import learned_stage as run
    run(pipeline, work)


DEFAULT_STAGES: tuple[Stage, ...] = (
    ("clean", clean_stage), ("nlp", nlp_stage), ("mentions", mentions_stage), ("quotes", quotes_stage),
    ("events", events_stage), ("learned", learned_stage), ("facts", facts_stage), ("registry", registry_stage),
)


def replace_stage(stages: tuple[Stage, ...] | list[Stage], name: str, run: Callable[[Pipeline, Work], None]
                  ) -> list[Stage]:
    """The same stages with the one called `name` replaced by `run` (an error if there is none)."""
    if name not in {n for n, _ in stages}:
        raise KeyError(f"no stage {name!r}; stages are {[n for n, _ in stages]}")
    return [(n, run if n == name else fn) for n, fn in stages]


class Pipeline:
    """Reads one document at a time. Holds the loaded models and knowledge, nothing per document."""

    def __init__(self, kb_key: str = "default", stages: tuple[Stage, ...] | list[Stage] = DEFAULT_STAGES):
        from .actors.knowledge import load_kb
        from .events.codebook import load_codebook
        from .nlp import load_nlp

        self.kb = load_kb(kb_key)
        self.nlp = load_nlp(kb_key)
        self.codebook = load_codebook()
        self.stages = list(stages)

    def extract(self, document: Document) -> Extraction:
        work = Work(document)
        for _name, run in self.stages:
            run(self, work)
        return work.extraction
