"""Plain, serialisable records passed between the stages of the data flow.

Nothing here depends on spaCy: the extraction of one document is a tree of these dataclasses, which is what
lets the same code run in one process or on a cluster, and what the store and the exports are made from.
Character offsets are always into ``Document.text`` as stored.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) from metadata, never the ingest time
    # Where `published` is absent: the latest explicit date the text mentions, a lower bound for the
    # publication date (an article cannot be older than the latest date it reports).
    published_bound: str | None = None
    date_source: str = "none"  # "metadata" | "text-bound" | "none"
    outlet: str | None = None
    url: str | None = None
    source_path: str | None = None
    content_hash: str = ""

    @property
    def reference_date(self) -> str | None:
        """The date relative expressions ("on Tuesday") are resolved against."""
        return self.published or self.published_bound


@dataclass
class Segment:
    """A stretch of the document text worth reading: the title, a body paragraph, or a photo caption."""
    start: int
    end: int
    kind: str  # "title" | "body" | "caption"


@dataclass
class ActorRef:
    """An actor as it takes part in one event or speaks one quote."""
    text: str  # the words in the sentence ("his Iranian counterpart", "Moscow")
    name: str  # canonical name ("Mohammad-Reza Gharaei Ashtiani", "Russia")
    code: str | None  # ISO alpha-3 state, IGO acronym, WST, group name in capitals
    sector: str | None = None  # PLOVER sector of the person or body: GOV, MIL, ...
    actor_id: str | None = None  # stable across documents: "state:RUS", "org:BRICS", "person:vladimir-putin"
    kind: str = "state"  # state | organization | person | group
    # not named in the event's sentence: the learned stage took it from the sentence before or from the
    # article's most mentioned actors (the export lists such parties' codes as the event's `from_context`)
    inferred: bool = False


@dataclass
class Mention:
    """A stretch of text resolved to an actor."""
    start: int
    end: int
    text: str
    actor: ActorRef
    how: str  # "name" | "kb" | "title" | "demonym" | "capital" | "pronoun" | "counterpart" | "plural" ...
    role: str | None = None  # office the text gives the person here ("Defense Minister")
    # For plural mentions ("the two", "both countries", "the presidents of Russia and Iran"): every member.
    members: list[ActorRef] = field(default_factory=list)


@dataclass
class Event:
    event_id: str
    doc_id: str
    type: str  # one of the 16 PLOVER types
    mode: str | None
    context: list[str]
    actors: list[ActorRef]
    recipients: list[ActorRef]
    date: str | None  # YYYY-MM-DD, YYYY-MM, YYYY or None
    date_text: str | None  # the words the date came from ("on Wednesday"), or None when it is the publication date
    location: str | None
    aux: str | None  # None | "future" | "hypothetical" | "negation" | "historical"
    attribution: str | None  # "RIA", "CNBC" ... who the text says reported it
    evidence: dict[str, Any]  # {"text", "start", "end"}
    score: float  # PLOVER conflict–cooperation score of the type (and mode)
    confidence: float
    story_id: str | None = None
    rule: str | None = None  # the codebook entry that fired, so every code can be explained
    date_precision: str | None = None  # "day" | "month" | "year"
    symmetric: bool = False
    alleged: bool = False  # an act the text reports only as an accusation or claim
    trigger: str | None = None  # the words that fired the rule ("signed", "held talks")
    # the same happening told again in this document (a headline, a caption): {"text", "start", "end"} each
    retold: list[dict[str, Any]] = field(default_factory=list)
    # the learned estimate that the event is right as coded (type and parties), or None where no model ran
    reliability: float | None = None


@dataclass
class Quote:
    quote_id: str
    doc_id: str
    text: str
    speaker: ActorRef | None
    evidence: dict[str, Any]  # {"start", "end"} of the quoted words
    indirect: bool = False
    story_id: str | None = None


@dataclass
class Fact:
    fact_id: str
    doc_id: str
    value: float
    unit: str  # percent, USD (or another ISO 4217 code), count, fraction, years, ...
    about: str | None  # what the figure measures
    text: str  # the words the figure came from
    period: str | None
    evidence: dict[str, Any]  # {"start", "end"}
    qualifier: str | None = None  # "more than", "almost", "over" ...


@dataclass
class Role:
    title: str
    country: str | None = None
    sector: str | None = None
    start: str | None = None
    end: str | None = None
    source: str | None = None  # "kb" or the doc_id the office was read from


@dataclass
class ActorRecord:
    """One real-world actor across all documents (the registry)."""
    actor_id: str
    kind: str  # state | organization | person | group
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    roles: list[Role] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """An input that could not be processed, and why; the rest of the batch goes on."""
    source: str
    reason: str


@dataclass
class Extraction:
    """Everything read from one document."""
    document: Document
    segments: list[Segment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    actors: list[ActorRecord] = field(default_factory=list)


def to_dict(record: Any) -> dict[str, Any]:
    return asdict(record)
