"""Quotes: what was said, by whom, with the character offsets of the quoted words.

Direct quotes are the stretches between quote marks (straight or curly, double or single) that a reporting
clause attributes ("...," said Shoigu / Peskov told CNBC that "..." / according to a Kremlin press release) or
that continue the quote before them. Indirect speech ("Putin stated that ...") is kept with indirect=True.
Speakers are resolved through the mentions stage where it has a mention, through spaCy's entities otherwise.
The verb and noun lists live in data/quotes.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Span, Token

from . import lexicon
from .datafiles import read_data
from .nlp import entity_starting_at, ents_within
from .records import ActorRef, Document, Mention, Quote
from .schemas import QuotesFile

PAIRS = {"“": "”", '"': '"', "‘": "’", "'": "'"}
APOSTROPHE_LIKE = {"’", "'"}
PERSON_ENTS = {"PERSON"}
GROUP_ENTS = {"ORG", "GPE", "NORP", "FAC"}
SUBJECTS = ("nsubj", "nsubjpass")
CLIMB_DEPS = ("xcomp", "advcl", "conj", "ccomp", "relcl", "acl")
MIN_QUOTE_WORDS = 2
FULL_QUOTE_WORDS = 4


@lru_cache(maxsize=1)
def load_lexicon() -> dict:
    raw = read_data("quotes.yaml", QuotesFile)
    words = {key: set(v.lower() for v in values) for key, values in raw.items()}
    return words | {"reporting_verbs": set(lexicon.reporting_verbs("quotes"))}


@dataclass
class Sighting:
    """An actor seen in the text before a pronoun or a "the statement" that may stand for it."""
    start: int
    actor: ActorRef
    issuer: bool = False  # subject or agent of a reporting verb ("reported by the Defense Department")


@dataclass
class Attributed:
    part_index: int
    start: int
    end: int
    speaker: ActorRef | None
    clause: bool  # had its own reporting clause


# --- finding quoted stretches ----------------------------------------------------------------------------

def find_quoted(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each outermost pair of quote marks; an unclosed quote is dropped."""
    found, i = [], 0
    while i < len(text):
        closer = opening_mark(text, i)
        if closer is None:
            i += 1
            continue
        j = closing_mark(text, i + 1, closer)
        if j is None:
            i += 1
            continue
        found.append((i + 1, j))
        i = j + 1
    return found


def opening_mark(text: str, i: int) -> str | None:
    ch = text[i]
    if ch not in PAIRS:
        return None
    if ch in APOSTROPHE_LIKE or ch == "‘":
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalnum() or not after.isalnum():
            return None  # an apostrophe ("the West's", "’90s"), not an opening mark
    return PAIRS[ch]


def closing_mark(text: str, start: int, closer: str) -> int | None:
    for j in range(start, len(text)):
        if text[j] != closer:
            continue
        if closer in APOSTROPHE_LIKE:
            after = text[j + 1] if j + 1 < len(text) else " "
            before = text[j - 1]
            if after.isalnum() or before.isspace():
                continue  # "don't", "Iran's"
        return j
    return None


def strip_quoted(text: str, start: int, end: int) -> tuple[int, int]:
    """Drops surrounding spaces and the trailing comma (the reporting clause's, not the speaker's)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def is_title_case_name(words: list[str]) -> bool:
    small = load_lexicon()["title_case_small_words"]
    content = [w for w in words if any(c.isalpha() for c in w) and w.lower() not in small]
    return bool(content) and all(w[0].isupper() for w in content)


# --- the document's actors, for pronouns and "the statement" ---------------------------------------------

class Context:
    def __init__(self, parsed, mentions: list[Mention]):
        self.parsed = parsed
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.sightings = sorted(self._sightings(), key=lambda s: s.start)
        self.quoted_tokens: list[set[int]] = [set() for _ in parsed]

    def _sightings(self):
        lex = load_lexicon()
        for m in self.mentions:
            if m.how != "pronoun":
                yield Sighting(m.start, speaker_from_mention(m))
        for part in self.parsed:
            for ent in part.doc.ents:
                if ent.label_ in PERSON_ENTS or ent.label_ in GROUP_ENTS:
                    yield Sighting(part.offset(ent.start_char), actor_from_entity(whole_name(ent)),
                                   speaks(ent.root, lex))
            yield from unnamed_issuers(part, lex)

    def mention_at(self, start: int, end: int, head_start: int | None = None) -> Mention | None:
        inside = [m for m in self.mentions if m.start < end and m.end > start]
        if head_start is not None:
            covering = [m for m in inside if m.start <= head_start < m.end]
            if covering:
                return covering[0]
        return inside[0] if inside else None

    def last_before(self, offset: int, kinds: set[str], issuer: bool = False) -> ActorRef | None:
        for s in reversed(self.sightings):
            if s.start < offset and s.actor.kind in kinds and (s.issuer or not issuer):
                return s.actor
        return None


def speaks(tok: Token, lex: dict) -> bool:
    """Is this token who a reporting verb reports ("X said", "reported by X", "according to X")?"""
    head = tok.head
    if tok.dep_ in SUBJECTS:
        return is_reporting(head, lex)
    if tok.dep_ == "pobj" and head.dep_ == "agent":
        return is_reporting(head.head, lex)
    return tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def unnamed_issuers(part, lex: dict):
    """Bodies the tagger missed that report something ("reported by the Russian Defense Department")."""
    for tok in part.doc:
        if tok.pos_ == "PROPN" and not tok.ent_type_ and tok.dep_ != "compound" and speaks(tok, lex):
            first = min([c.left_edge.i for c in tok.children if c.dep_ in ("compound", "amod")] + [tok.i])
            name = tok.doc[first:tok.i + 1]
            yield Sighting(part.offset(name.start_char),
                           ActorRef(text=name.text, name=name.text, code=None, kind="organization"), True)


def whole_name(ent: Span) -> Span:
    """An entity the tagger cut after a preposition ("the Ministry of Defense of | Russia") runs on to the
    preposition's object."""
    last = ent[-1]
    if last.pos_ == "ADP":
        objects = [c for c in last.children if c.dep_ == "pobj"]
        if objects:
            return ent.doc[ent.start:objects[0].right_edge.i + 1]
    return ent


def speaker_from_mention(m: Mention) -> ActorRef:
    """A state named by its seat ("the Kremlin said") speaks as that institution: keep its words as the name."""
    if m.how == "capital":
        return replace(m.actor, name=strip_article(m.text), kind="organization")
    return m.actor


def actor_from_entity(ent: Span) -> ActorRef:
    kind = "person" if ent.label_ in PERSON_ENTS else "state" if ent.label_ == "GPE" else "organization"
    return ActorRef(text=ent.text, name=strip_article(ent.text), code=None, kind=kind)


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)


# --- entry point -----------------------------------------------------------------------------------------

def extract_quotes(parsed, mentions: list[Mention], document: Document) -> list[Quote]:
    context = Context(parsed, mentions or [])
    found: list[Attributed] = []
    for index, part in enumerate(parsed):
        text = document.text[part.segment.start:part.segment.end]  # what Doc.text would rebuild token by token
        spans = [strip_quoted(text, s, e) for s, e in find_quoted(text)]
        for s, e in spans:
            quoted = part.doc.char_span(s - 1, e + 1, alignment_mode="expand")
            context.quoted_tokens[index].update(t.i for t in quoted or [])
        for s, e in spans:
            attributed = attribute(index, part, s, e, context, found)
            if attributed is not None:
                found.append(attributed)
    quotes = [Quote(quote_id="", doc_id=document.id, text=document.text[parsed[a.part_index].offset(a.start):
                    parsed[a.part_index].offset(a.end)], speaker=a.speaker,
                    evidence={"start": parsed[a.part_index].offset(a.start), "end": parsed[a.part_index].offset(a.end)})
              for a in found]
    quotes += indirect_quotes(parsed, context, document)
    quotes.sort(key=lambda q: q.evidence["start"])
    for n, q in enumerate(quotes):
        q.quote_id = f"{document.id}:q{n}"
    return quotes


def attribute(index: int, part, start: int, end: int, context: Context,
              earlier: list[Attributed]) -> Attributed | None:
    doc = part.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len([t for t in span if t.is_alpha]) < MIN_QUOTE_WORDS:
        return None
    if is_title_case_name([t.text for t in span]):
        return None
    full = is_full_quote(span)
    for verb in reporting_verbs(span, context.quoted_tokens[index], full):
        speaker = named_right_after(span, verb, part, context) or speaker_of_verb(verb, part, context)
        if speaker is not None:
            return Attributed(index, start, end, speaker, True)
    if not full:
        return None
    speaker = continued_speaker(index, span, part, context, earlier)
    return Attributed(index, start, end, speaker, False) if speaker is not None else None


def is_full_quote(span: Span) -> bool:
    """A quote that says something on its own (has a verb), not a phrase held at arm's length."""
    words = [t for t in span if t.is_alpha]
    return len(words) >= FULL_QUOTE_WORDS and any(t.pos_ in ("VERB", "AUX") for t in span)


# --- the reporting clause --------------------------------------------------------------------------------

def reporting_verbs(span: Span, quoted: set[int], full: bool) -> list[Token]:
    """Reporting verbs outside the quote marks that may introduce this quote, the likeliest first: those the
    quote hangs from in the parse (speech before attribution), then, for a whole quote, the nearest others."""
    lex = load_lexicon()
    attribution = lex["attribution_verbs"]
    ancestors = [t for t in span.root.ancestors if t.i not in quoted and is_reporting(t, lex)]
    ordered = [t for t in ancestors if t.lemma_.lower() not in attribution] + \
        [t for t in ancestors if t.lemma_.lower() in attribution]
    if not full:
        return ordered

    def rank(t: Token):
        distance = span.start - t.i if t.i < span.start else t.i - span.end
        return (t.lemma_.lower() in attribution, distance)
    others = sorted((t for t in frame_tokens(span, quoted) if is_reporting(t, lex) and t not in ordered), key=rank)
    return ordered + others


def named_right_after(span: Span, verb: Token, part, context: Context) -> ActorRef | None:
    """'"...," Jane Doe, an analyst at X, told us': a person named right after the closing mark, before the
    verb, is the speaker even when a long title lets the parser lose the subject."""
    doc = span.doc
    i = span.end
    while i < len(doc) and doc[i].is_punct:
        i += 1
    if i >= len(doc) or not (i < verb.i) or doc[i].ent_type_ not in PERSON_ENTS or doc[i].ent_iob_ != "B":
        return None
    entity = entity_starting_at(doc, i)
    return resolve_speaker(entity.root, part, context)


def is_reporting(tok: Token, lex: dict) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex["reporting_verbs"]


def frame_tokens(span: Span, quoted: set[int]) -> list[Token]:
    """Tokens outside quote marks in the sentences the quote touches, and in the next one when the quote
    closes its sentence ("'...,' Jane Doe, a researcher at X. Institute told us" split by a stray period)."""
    doc = span.doc
    sents = []
    for tok in span:
        if tok.sent not in sents:
            sents.append(tok.sent)
    last = sents[-1]
    tail = [t for t in doc[span.end:last.end] if not t.is_punct and t.i not in quoted]
    if last.end < len(doc) and not tail:
        sents.append(doc[last.end].sent)
    elif last.end < len(doc) and not any(t.pos_ in ("VERB", "AUX") for t in tail):
        sents.append(doc[last.end].sent)
    return [t for s in sents for t in s if t.i not in quoted]


def speaker_of_verb(verb: Token, part, context: Context) -> ActorRef | None:
    subject = subject_of(verb)
    if subject is None:
        return None
    return resolve_speaker(subject, part, context)


def subject_of(verb: Token) -> Token | None:
    """Who speaks: the subject, the agent of a passive, the object of "according to"; for "..., adding that"
    the subject of the verb it hangs from."""
    if verb.lower_ == "according":
        to = [c for c in verb.children if c.lower_ == "to"]
        objects = [c for c in to[0].children if c.dep_ == "pobj"] if to else []
        return objects[0] if objects else None
    for child in verb.children:
        if child.dep_ in SUBJECTS and child.dep_ != "nsubjpass":
            return child
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if verb.dep_ in CLIMB_DEPS and verb.head.i != verb.i:
        return subject_of(verb.head)
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and before.pos_ in ("PROPN", "PRON") and verb.dep_ == "ROOT":
        return before  # "X and Y said" where the parser hung Y on X: the name right before the verb
    return None


def resolve_speaker(subject: Token, part, context: Context) -> ActorRef | None:
    lex = load_lexicon()
    doc = subject.doc
    left, right = subject.left_edge.i, subject.right_edge.i
    start, end = part.offset(doc[left].idx), part.offset(doc[right].idx + len(doc[right]))
    head_start = part.offset(subject.idx)
    mention = context.mention_at(start, end, head_start)
    if mention is not None and mention.how != "pronoun":
        return speaker_from_mention(mention)
    if subject.lower_ in lex["person_pronouns"] or subject.lower_ in lex["group_pronouns"]:
        if mention is not None:
            return speaker_from_mention(mention)
        antecedent = subject_earlier_in_sentence(subject)
        if antecedent is not None:
            return resolve_speaker(antecedent, part, context)
        kinds = {"person"} if subject.lower_ in lex["person_pronouns"] else {"organization", "state"}
        return context.last_before(head_start, kinds)
    entity = entity_in(doc[left:right + 1], subject)
    if entity is not None:
        return actor_from_entity(whole_name(entity))
    if subject.lemma_.lower() in lex["document_nouns"]:
        if subject.tag_ != "NN" or not any(c.lower_ in ("the", "this", "that") for c in subject.children):
            return None  # "reports suggest that ...": no one in particular speaks
        issuer = context.last_before(head_start, {"organization", "state"}, issuer=True)
        return issuer or context.last_before(head_start, {"organization", "state"})
    if subject.pos_ == "PROPN":
        name = doc[min([c.i for c in subject.children if c.dep_ == "compound"] + [subject.i]):subject.i + 1]
        return ActorRef(text=name.text, name=name.text, code=None, kind="person")
    if subject.tag_ == "NN":  # "the Russian president said": the last person named before
        return context.last_before(head_start, {"person"})
    return ActorRef(text=doc[left:right + 1].text, name=doc[left:right + 1].text, code=None, kind="group")


def subject_earlier_in_sentence(pronoun: Token) -> Token | None:
    """'X echoed the point: "...," he said': a named subject earlier in the pronoun's own sentence."""
    for tok in pronoun.sent:
        if tok.i >= pronoun.i:
            return None
        if tok.dep_ in SUBJECTS and tok.pos_ == "PROPN":
            return tok
    return None


def entity_in(span: Span, head: Token) -> Span | None:
    """The entity at the head of the subject, or else a person or body named inside it; never a demonym
    modifier ("the Russian president" is not spoken by "Russian")."""
    ents = [e for e in ents_within(span.doc, span.start, span.end) if e.label_ in PERSON_ENTS | GROUP_ENTS]
    for ent in ents:
        if ent.start <= head.i < ent.end:
            return ent
    ents = [e for e in ents if e.label_ != "NORP"]
    people = [e for e in ents if e.label_ in PERSON_ENTS]
    return (people or ents or [None])[0]


def continued_speaker(index: int, span: Span, part, context: Context,
                      earlier: list[Attributed]) -> ActorRef | None:
    """A quote with no reporting clause of its own continues the one before it, or the "he said" after it."""
    previous = [a for a in earlier if a.part_index in (index, index - 1) and a.speaker is not None]
    if previous and previous[-1].part_index == index:
        return previous[-1].speaker
    following = following_clause_speaker(span, part, context)
    if following is not None:
        return following
    return previous[-1].speaker if previous and previous[-1].clause else None


def following_clause_speaker(span: Span, part, context: Context) -> ActorRef | None:
    doc = span.doc
    sent_end = span[-1].sent.end
    if sent_end >= len(doc):
        return None
    lex = load_lexicon()
    nxt = doc[sent_end].sent
    verbs = [t for t in nxt if is_reporting(t, lex) and t.i <= nxt.start + 4]
    return speaker_of_verb(verbs[0], part, context) if verbs else None


# --- indirect speech -------------------------------------------------------------------------------------

def indirect_quotes(parsed, context: Context, document: Document) -> list[Quote]:
    lex = load_lexicon()
    quotes = []
    for index, part in enumerate(parsed):
        quoted = context.quoted_tokens[index]
        for tok in part.doc:
            if tok.i in quoted or tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in lex["indirect_verbs"]:
                continue
            clause = reported_clause(tok)
            if clause is None or any(t.i in quoted for t in clause):
                continue
            speaker = speaker_of_verb(tok, part, context)
            if speaker is None:
                continue
            start, end = part.span_offsets(clause)
            quotes.append(Quote(quote_id="", doc_id=document.id, text=document.text[start:end], speaker=speaker,
                                evidence={"start": start, "end": end}, indirect=True))
    return quotes


def reported_clause(verb: Token) -> Span | None:
    """The ccomp after the verb, without its "that" and final punctuation."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i > verb.i:
            left = child.left_edge.i
            if doc[left].lower_ == "that":
                left += 1
            right = child.right_edge.i
            while right > left and doc[right].is_punct:
                right -= 1
            if right - left + 1 >= 3:
                return doc[left:right + 1]
    return None
