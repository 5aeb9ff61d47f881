"""dyad: sourced, deduplicated, time-resolved PLOVER event data from news about international relations."""
from .records import (
    ActorRecord,
    ActorRef,
    Document,
    Event,
    Extraction,
    Fact,
    Mention,
    Quote,
)

__version__ = "0.1.0"

__all__ = ["ActorRecord", "ActorRef", "Document", "Event", "Extraction", "Fact", "Mention", "Quote",
           "Pipeline", "Store"]


def __getattr__(name):  # lazy: importing dyad must not load spaCy or DuckDB
    if name == "Pipeline":
        from .pipeline import Pipeline
        return Pipeline
    if name == "Store":
        from .store import Store
        return Store
    raise AttributeError(name)
