"""The core library entry point: a Document in, an Extraction (plain records) out."""
from __future__ import annotations

from .records import Document, Extraction


class Pipeline:
    """Reads one document at a time. Holds the loaded models and knowledge, nothing per document."""

    def __init__(self, kb_key: str = "default"):
        from . import codebook, kb, nlp

        self.kb = kb.load_kb(kb_key)
        self.nlp = nlp.load_nlp(kb_key)
        self.codebook = codebook.load_codebook()

    def extract(self, document: Document) -> Extraction:
        from . import clean, events, facts, mentions, nlp, quotes, registry

        segments = clean.segment(document)
        parsed = nlp.parse(document.text, segments, self.nlp)
        found = mentions.resolve_mentions(parsed, document, self.kb)
        said = quotes.extract_quotes(parsed, found, document)
        return Extraction(
            document=document,
            segments=segments,
            mentions=found,
            events=events.extract_events(parsed, found, document, self.codebook, quotes=said),
            quotes=said,
            facts=facts.extract_facts(parsed, document),
            actors=registry.records_from_mentions(found, document, self.kb),
        )
