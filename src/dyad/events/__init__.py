"""The events stage: PLOVER events from parsed segments and resolved mentions.

Each event keeps its evidence (sentence text and offsets), the codebook entry that fired (`rule`), its date
with the words it came from, and its auxiliary mode (future, hypothetical, negation, historical).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date as Date

from spacy.tokens import Span, Token

from ..lexicon import words
from ..nlp import Parsed
from ..records import ActorRef, Document, Event, Mention, Quote
from .arguments import MentionIndex, actors_of, codes, distinct, without
from .codebook import Codebook
from .frames import Frame
from .modality import in_reported_speech, modality
from .passes import headline_frames, sentence_frames
from .places import attribution_of, consult_mode, cue_mode, location_of, place_refs
from .syntax import direct_object, subject_of, subjects_of

HISTORICAL_AFTER_DAYS = 365
# A twin is looked for among this many earlier events of the same type and parties (a bound for documents
# that repeat one event thousands of times; ordinary articles have a handful).
MAX_TWIN_CANDIDATES = 200


def extract_events(parsed: list[Parsed], mentions: list[Mention], document: Document, codebook: Codebook,
                   quotes: list[Quote] | None = None) -> list[Event]:
    speakers = [(q.evidence["start"], q.evidence["end"], q.speaker) for q in (quotes or []) if not q.indirect]
    events: list[Event] = []
    lemmas: dict[str, str] = {}  # event id -> the trigger's lemma, to tell one happening told twice from two
    kinds: dict[str, str] = {}  # event id -> the kind of segment it was read in (title, body, caption)
    previous_date = None  # explicit date of the sentence before: narrative continues on it
    accusers: list[ActorRef] = []  # who made the latest accusation: a denial answers them
    proposers: list[ActorRef] = []  # who made the latest request or offer: a refusal answers them
    last_frame: Frame | None = None  # the sentence before's last event: what "do this" stands for
    meetings: list[Frame] = []  # meetings told so far: who "we" met
    targets: dict[str, list[ActorRef]] = {}  # type -> who the latest such action fell on: "similar measures"
    for part in parsed:
        index = MentionIndex(part, mentions, speakers, codebook.actor_nouns)
        caption_date = _caption_date(part, document.published)
        for sent in part.doc.sents:
            dates = sentence_dates(sent, document.published)
            frames = [f for f in sentence_frames(sent, index, codebook) if _worth_keeping(f)]
            if not frames and last_frame is not None:  # "We intend to do this further."
                frames = [f for f in [_pro_verb_frame(sent, last_frame, codebook)] if f is not None]
            if not frames and sent[-1].text not in ".!?\"”":  # a headline whose verb the tagger missed
                frames = [f for f in headline_frames(sent, index, codebook) if _worth_keeping(f)]
            for frame in frames:
                _imply_domestic_target(frame, index)
                _add_interlocutor(frame, index, meetings)
                _speaker_perspective(frame, index, codebook)
                accusers = _answer_accusation(frame, accusers, codebook)
                accusers = _claimant(frame, index, codebook) or accusers
                proposers = _answer_proposal(frame, proposers, codebook)
                _like_before(frame, targets, codebook)
            # a partner may come from the discourse ("we" met them): judged after the passes that find one
            frames = [f for f in frames if _has_partner_if_needed(f)]
            heads = {f.head.i for f in frames}
            planned = any(f.irrealis == "future" for f in frames)
            forward = sentence_dates(sent, document.published, "future") if planned else None  # once per sentence
            for frame in frames:
                # a photo caption shows one moment: its date is every event's date
                ahead = forward if frame.irrealis == "future" else None
                when = (caption_date, caption_date.text) if caption_date else \
                    date_for(frame, dates, previous_date, heads, ahead)
                events.append(_event(frame, sent, part, index, document, codebook, when, len(events)))
                lemmas[events[-1].event_id] = frame.head.lemma_.lower()
                kinds[events[-1].event_id] = part.segment.kind
            accusers = _sentence_claimant(sent, index, codebook) or accusers
            previous_date = main_clause_date(dates, sent)
            last_frame = frames[-1] if frames else None
            meetings += [f for f in frames if f.type == "CONSULT" and len(codes(f.actors) | codes(f.recipients)) > 1]
    return _deduplicate(events, lemmas, kinds)


# ------------------------------------------------------------------------------------------ assembly

# Domestic actions with no stated target (PLOVER's convention): a curfew or an arrest falls on the people of
# the place it is imposed in, a concession on the population, a protest on the protesters' own government.
_DOMESTIC_TARGET = {"COERCE": "CVL", "CONCEDE": "CVL", "PROTEST": "GOV", "MOBILIZE": None, "RETREAT": None}


def _imply_domestic_target(frame: Frame, index: MentionIndex) -> None:
    _place_uncoded_targets(frame, index)
    if frame.recipients or frame.type not in _DOMESTIC_TARGET:
        return
    parties = codes(frame.actors)
    places = [p for p in place_refs(frame.head, index)]
    sector = _DOMESTIC_TARGET[frame.type]
    if places:
        place = places[0]
        frame.recipients = [ActorRef(text=place.text, name=f"{place.name} (where it happened)", code=place.code,
                                     sector=sector, actor_id=place.actor_id, kind="state")]
    elif sector and len(parties) == 1:
        code = next(iter(parties))
        frame.recipients = [ActorRef(text="", name=f"{code} ({'government' if sector == 'GOV' else 'population'},"
                                     " implied)", code=code, sector=sector, actor_id=f"state:{code}", kind="state")]


_PRO_OBJECTS = words("event_pro_objects")


def _pro_verb_frame(sent: Span, last: Frame, codebook: Codebook) -> Frame | None:
    """"We are developing cooperation with Iran. We intend to do this further.": "do this" stands for the
    event just told; said with intent or of the future it is a commitment (AGREE), with a refusal a REJECT."""
    for tok in sent:
        if tok.lemma_.lower() != "do" or tok.pos_ not in ("VERB", "AUX"):
            continue
        if not any(c.lower_ in _PRO_OBJECTS and c.dep_ in ("dobj", "advmod", "attr") for c in tok.children):
            continue
        irrealis, negated, negated_intent = modality(tok, codebook)
        base = last.entry.type
        plover_type = codebook.commitment(base, negated_intent) if (negated_intent or irrealis) else base
        return Frame(head=tok, entry=last.entry, type=plover_type, actors=list(last.actors),
                     recipients=list(last.recipients), aux=irrealis, negated=negated, irrealis=irrealis,
                     context=set(last.context), rule=f"{last.entry.id}>do-so", confidence=0.6,
                     has_subject=True)
    return None


def _add_interlocutor(frame: Frame, index: MentionIndex, meetings: list[Frame]) -> None:
    """"We held a useful conversation," the Russian president said: a talk needs two sides; "we" is the
    speaker's side and the one the article has shown them meeting."""
    if frame.type != "CONSULT" or frame.recipients or len(codes(frame.actors)) != 1:
        return
    if not any(a.text.lower() in ("we", "us", "our") for a in frame.actors):
        return
    side = next(iter(codes(frame.actors)))
    for meeting in reversed(meetings):
        parties = meeting.actors + meeting.recipients
        if side in codes(parties):
            frame.recipients = [a for a in distinct(parties) if a.code and a.code != side]
            frame.symmetric = True
            return


def _speaker_perspective(frame: Frame, index: MentionIndex, codebook: Codebook) -> None:
    """"Putin indicated that Russia and Iran would soon sign ...": a joint commitment announced by one party is
    that party's commitment to the other."""
    if frame.type != "AGREE" or frame.recipients or len(codes(frame.actors)) < 2:
        return
    reporter = in_reported_speech(frame.head, codebook)
    speaker = subject_of(reporter) if reporter is not None else None
    side = {a.code for a in actors_of(speaker, index)} if speaker is not None else set()
    ours = [a for a in frame.actors if a.code in side]
    if len(side) == 1 and ours:
        frame.recipients = [a for a in frame.actors if a.code not in side]
        frame.actors = ours
        frame.symmetric = False


def _sentence_claimant(sent: Span, index: MentionIndex, codebook: Codebook) -> list[ActorRef]:
    """Whoever the sentence reports as saying something ("Ecuador's army said ..."), for a later denial."""
    for tok in sent:
        if tok.lemma_.lower() in codebook.reporting_verbs and any(c.dep_ == "ccomp" for c in tok.children):
            speaker = subject_of(tok)
            found = [a for a in actors_of(speaker, index) if a.code] if speaker is not None else []
            if found:
                return found
    return []


def _claimant(frame: Frame, index: MentionIndex, codebook: Codebook) -> list[ActorRef]:
    """Who made the claim a frame reports ("Kyrgyzstan's border service said Tajik troops fired first"):
    what a later "rejected that account" answers."""
    if not frame.in_reported or frame.type == "REJECT":
        return []
    reporter = in_reported_speech(frame.head, codebook)
    speaker = subject_of(reporter) if reporter is not None else None
    return [a for a in actors_of(speaker, index) if a.code] if speaker is not None else []


def _answer_proposal(frame: Frame, proposers: list[ActorRef], codebook: Codebook) -> list[ActorRef]:
    """"The RSF turned down that request": a refusal of a request or offer no one is named for answers
    whoever made the latest one."""
    return _answer(frame, proposers, ("REQUEST", "AGREE"), codebook.modality.proposal_nouns)


def _answer_accusation(frame: Frame, accusers: list[ActorRef], codebook: Codebook) -> list[ActorRef]:
    """"Russia and Iran reject all accusations", "Dushanbe rejected that account": a denial of claims
    answers whoever made the latest one (an accusation, or else the last statement told)."""
    return _answer(frame, accusers, ("ACCUSE",), codebook.modality.claim_nouns)


def _answer(frame: Frame, makers: list[ActorRef], making: tuple[str, ...], nouns: frozenset) -> list[ActorRef]:
    """Who made the latest of these (`making` types) after this frame; a rejection of one of `nouns` with no
    one named answers them."""
    if frame.type in making and frame.actors:
        return frame.actors
    obj = direct_object(frame.head) if frame.entry.kind == "verb" else None
    if frame.type == "REJECT" and not frame.recipients and obj is not None and obj.lemma_.lower() in nouns:
        frame.recipients = without(makers, frame.actors)
    return makers


def _like_before(frame: Frame, targets: dict[str, list[ActorRef]], codebook: Codebook) -> None:
    likeness = codebook.modality.likeness_words
    obj = direct_object(frame.head) if frame.entry.kind == "verb" else frame.head
    similar = obj is not None and any(c.lower_ in likeness for c in obj.children if c.dep_ == "amod")
    if not frame.recipients and similar and targets.get(frame.type):
        frame.recipients = without(targets[frame.type], frame.actors)
    if frame.recipients:
        targets[frame.type] = frame.recipients


_DOMESTIC_TYPES = {"COERCE", "CONCEDE", "ASSAULT", "PROTEST", "RETREAT", "MOBILIZE", "ACCUSE", "THREATEN"}


def _place_uncoded_targets(frame: Frame, index: MentionIndex) -> None:
    """"Serb forces killed three ethnic Albanians in southeastern Serbia", "the army holds Tamil refugees":
    a target group nobody can code is the people of the place it is in, else of the actor's own state."""
    parties = codes(frame.actors)
    if frame.type not in _DOMESTIC_TYPES or len(parties) > 1 or not frame.recipients:
        return
    if all(r.code for r in frame.recipients):
        return
    places = place_refs(frame.head, index)
    if not places and not parties:  # an unknown or non-state doer: the victims are where it happened
        places = [m.actor for m in index.mentions if m.how in ("place", "capital") and m.actor.kind == "state"
                  and frame.head.sent.start_char <= m.start - index.parsed.segment.start < frame.head.sent.end_char]
    # only the actor's own state, not a non-state group's code, and only for people, not companies
    own = [a.code for a in frame.actors if a.kind in ("state", "person") or "-" in (a.actor_id or "")]
    code = places[0].code if places else (own[0] if own else None)
    if code is None:
        return
    frame.recipients = [r if r.code or not (r.sector or r.kind == "person") else
                        replace(r, code=code, name=f"{r.name} ({code})") for r in frame.recipients]


def _worth_keeping(frame: Frame) -> bool:
    if not frame.actors and frame.has_subject:
        return False  # an active clause whose doer we could not resolve: we do not know who did it
    participants = codes(frame.actors) | codes(frame.recipients)
    if not participants:
        # nobody coded: keep it only when the text names a doer, at low confidence
        frame.confidence = min(frame.confidence, 0.3)
        return bool(frame.actors) and (frame.entry.kind == "verb" or "+light:" in frame.rule) \
            and not frame.entry.needs_recipient
    if frame.entry.needs_recipient and not frame.recipients \
            and not (frame.entry.symmetric and len(codes(frame.actors)) > 1):  # "A and B spoke by phone"
        return False
    nominal = frame.entry.kind == "noun" and "+light:" not in frame.rule
    if nominal and len(participants) < 2 and frame.type not in ("PROTEST", "MOBILIZE"):
        return False  # a nominal event with one party is usually background ("the war", "sanctions")
    return True  # every PLOVER type is meaningful with one coded party (a protest, a ceasefire, a threat)


def _has_partner_if_needed(frame: Frame) -> bool:
    """An entry that needs a second party ("discussed", "set up a joint commission") has a recipient or
    plural doers: several actors, or a plural or coordinated subject ("the ministers discussed")."""
    if not frame.entry.needs_partner or frame.recipients or len(codes(frame.actors)) > 1:
        return True
    subjects = subjects_of(frame.head)
    return len(subjects) > 1 or any(s.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in s.children)
                                     for s in subjects)


def _event(frame: Frame, sent: Span, part: Parsed, index: MentionIndex, document: Document,
           codebook: Codebook, when, n: int) -> Event:
    resolved, date_text = when
    if resolved is None and document.published:  # a promise or plan is dated when it was made
        date_value, precision = document.published, "day"
    elif resolved is None:
        date_value, precision = None, None
    else:
        date_value, precision = resolved.value, resolved.precision
    aux = frame.aux
    if aux is None and older_than(date_value, document.published, HISTORICAL_AFTER_DAYS):
        aux = "historical"
    location = location_of(frame.head, sent)
    mode = frame.entry.mode if frame.type == frame.entry.type else None
    if frame.type == "CONSULT" and mode is None:
        mode = consult_mode(frame, sent, index)
    if mode is None:
        mode = cue_mode(frame.type, sent)
    start, end = part.span_offsets(sent)
    return Event(
        event_id=f"{document.id}:e{n + 1}", doc_id=document.id, type=frame.type,
        mode=mode,
        context=sorted(frame.context), actors=frame.actors, recipients=frame.recipients,
        date=date_value, date_text=date_text, location=location, aux=aux,
        attribution=attribution_of(sent, index), evidence={"text": sent.text, "start": start, "end": end},
        score=codebook.score(frame.type), confidence=round(_confidence(frame), 2), rule=frame.rule,
        date_precision=precision, symmetric=frame.symmetric or _is_symmetric(frame),
        alleged=frame.alleged, trigger=_trigger(frame),
    )


def _trigger(frame: Frame) -> str:
    head = frame.head
    words = [head] + [c for c in head.children if c.dep_ == "prt"]
    if frame.rule and "+light:" in frame.rule:
        words += [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")][:1]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _is_symmetric(frame: Frame) -> bool:
    if frame.recipients:
        return bool(frame.entry.symmetric)
    return len(codes(frame.actors)) > 1 and (frame.entry.symmetric or frame.entry.symmetric_if_plural)


def _confidence(frame: Frame) -> float:
    score = frame.confidence
    if not frame.recipients and not frame.symmetric:
        score -= 0.15
    if not frame.actors:
        score -= 0.2
    if frame.irrealis:
        score -= 0.05
    if frame.in_reported:
        score -= 0.05
    if frame.head.dep_ in ("pcomp", "acl", "relcl", "advcl") or frame.alleged:
        score -= 0.1  # a subordinate or claimed act is less likely the news than the main clause
    if frame.head.dep_ in ("advcl", "xcomp") and any(c.lower_ == "to" and c.dep_ == "aux" for c in frame.head.children):
        score -= 0.1  # "massed outside the palace to demand ...": the purpose, not the act
    return max(0.1, min(0.95, score))


def _deduplicate(events: list[Event], lemmas: dict[str, str], kinds: dict[str, str]) -> list[Event]:
    """One happening told twice in a document (title and body, caption and text) is one event: same type
    and participants, and dates that agree (an undated telling agrees with any)."""
    kept: list[Event] = []
    # only events of one type, party set and claim status can be twins: compare inside those buckets, so a
    # document of thousands of events is not compared pairwise
    buckets: dict[tuple, list[Event]] = {}
    # of two tellings keep the one that states its date, then the one that names a recipient
    for event in sorted(events, key=lambda e: (e.date is None, e.date_text is None, not e.recipients,
                                               -e.confidence)):
        bucket = buckets.setdefault(_twin_key(event), [])
        twin = next((k for k in bucket[-MAX_TWIN_CANDIDATES:] if _same_happening(k, event, lemmas, kinds)), None)
        if twin is None:
            kept.append(event)
            bucket.append(event)
        elif event.evidence["start"] != twin.evidence["start"]:
            twin.retold.append(event.evidence)  # kept as evidence too: other outlets may word it so
    return sorted(kept, key=lambda e: e.evidence["start"])


def deduplicate(events: list[Event], parsed: list[Parsed]) -> list[Event]:
    """`_deduplicate` for events coded after this stage (the learned coder's): each event's trigger lemma and
    segment kind read again from the parse. The events kept stay in reading order, as given."""
    lemmas: dict[str, str] = {}
    kinds: dict[str, str] = {}
    parts = sorted(parsed, key=lambda p: p.segment.start)
    starts = [p.segment.start for p in parts]
    for event in events:
        at = bisect_right(starts, event.evidence["start"]) - 1  # the segment the evidence starts in
        part = parts[at] if at >= 0 and event.evidence["start"] < parts[at].segment.end else None
        if part is None:
            continue
        kinds[event.event_id] = part.segment.kind
        lemmas[event.event_id] = _trigger_lemma(event, part)
    kept = {id(e) for e in _deduplicate(events, lemmas, kinds)}
    return [e for e in sorted(events, key=lambda e: e.evidence["start"]) if id(e) in kept]


def _trigger_lemma(event: Event, part: Parsed) -> str:
    first = (event.trigger or "").split(" ")[0]
    start, end = (event.evidence["start"] - part.segment.start, event.evidence["end"] - part.segment.start)
    span = part.doc.char_span(start, end, alignment_mode="expand")
    token = next((t for t in span or [] if t.text == first), None)
    return token.lemma_.lower() if token is not None else first.lower()


def _twin_key(event: Event) -> tuple:
    return event.type, frozenset(codes(event.actors) | codes(event.recipients)), event.alleged


_RETELLING = {"title", "caption"}  # a headline or a photo caption retells what the body reports


def _same_happening(a: Event, b: Event, lemmas: dict[str, str], kinds: dict[str, str]) -> bool:
    if _twin_key(a) != _twin_key(b):
        return False
    same_sentence = a.evidence["start"] == b.evidence["start"]
    # "Iran thanked Russia for supporting Iran": two events, opposite directions. Within one sentence a
    # directed telling and an undirected one ("shakes hands with X during their meeting") are one.
    directed = (a.recipients and b.recipients) if same_sentence else (a.recipients or b.recipients)
    if directed and (codes(a.actors), codes(a.recipients)) != (codes(b.actors), codes(b.recipients)):
        return False
    retold = kinds.get(a.event_id) in _RETELLING or kinds.get(b.event_id) in _RETELLING
    both_dated = bool(a.date_text and b.date_text and a.date == b.date and a.date_precision == "day")
    if not (same_sentence or retold or both_dated) and lemmas.get(a.event_id) != lemmas.get(b.event_id):
        return False  # "rejected that account" and "dismissed the demand" are two events
    if (retold or same_sentence) and (a.date_text is None or b.date_text is None):
        return True  # a headline's publication-date fallback states no date of its own
    if (a.date_text is None) != (b.date_text is None) and a.date and b.date:
        return False  # "has provided drones" (undated) is not "in September … had provided missiles"
    return a.date is None or b.date is None or a.date.startswith(b.date) or b.date.startswith(a.date)


# ------------------------------------------------------------------------------------------ dates

def sentence_dates(sent: Span, reference: str | None, prefer: str = "past"):
    from .. import dates as dates_module

    try:
        found = dates_module.dates_in_span(sent, reference, prefer)
    except Exception:  # a date we cannot read must not lose the event
        return []
    tokens = []
    for start, end, resolved in found:
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.append((span, resolved))
    return tokens


def _nearest_head(tok: Token, heads: set[int]) -> int | None:
    return next((a.i for a in tok.ancestors if a.i in heads), None)


def _anchor(tok: Token, heads: set[int]) -> Token:
    """The clause a date belongs to: its nearest ancestor that is a coded predicate or a verb."""
    cur = tok
    while cur.i not in heads and cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
        cur = cur.head
    return cur


def date_for(frame: Frame, dates, previous_date, heads: set[int], ahead=None):
    """The date stated for this predicate's clause or a clause governing it; else the sentence before's.
    A date on a planned action itself looks forward (`ahead`); one on the report of it ("said on
    Thursday that ... would") looks back."""
    if not dates:
        # a simple-past report goes on with the moment the sentence before gave ("On Wednesday, A met B.
        # The two signed ..."); a present or perfect one does not
        if previous_date is not None and not frame.irrealis and frame.head.tag_ == "VBD":
            return previous_date, previous_date.text
        return None, None
    governing = {frame.head.i} | {t.i for t in frame.head.ancestors}
    if frame.head.pos_ == "NOUN":  # "a missile attack launched ... earlier this month": its own clauses
        governing |= {t.i for t in frame.head.subtree if t.pos_ in ("VERB", "AUX") and t.i not in heads
                      and _nearest_head(t, heads) == frame.head.i}
    candidates = []
    for n, (span, resolved) in enumerate(dates):
        anchor = _anchor(span.root, heads)
        if ahead and anchor.i == frame.head.i and n < len(ahead):
            span, resolved = ahead[n]
        if resolved.value and anchor.i in governing:
            candidates.append((abs(span.root.i - frame.head.i), resolved, span))
    if not candidates:  # the sentence's one day-precision date, claimed by no other event
        free = [(span, r) for span, r in dates if r.value and r.precision == "day"
                and _anchor(span.root, heads).i not in heads]
        if len(dates) == 1 and len(free) == 1 and frame.head.i not in {_anchor(free[0][0].root, heads).i}:
            return free[0][1], free[0][1].text
        return None, None
    _, resolved, span = min(candidates, key=lambda c: c[0])
    return resolved, resolved.text or span.text


def main_clause_date(dates, sent: Span):
    """The one date the sentence gives its main clause ("On Wednesday, A met B"), not one inside a relative
    or subordinate clause ("the truce they renewed in February 2021")."""
    main = {sent.root.i} | {c.i for c in sent.root.conjuncts}
    found = [resolved for span, resolved in dates if resolved.value and _anchor(span.root, main).i in main]
    return found[0] if len(found) == 1 else None


def _caption_date(part: Parsed, reference: str | None):
    """A photo caption shows one moment: the one date it states (if it states exactly one)."""
    if part.segment.kind != "caption":
        return None
    return _explicit_sentence_date(sentence_dates(part.doc[:], reference))


def _explicit_sentence_date(dates):
    usable = [resolved for _, resolved in dates if resolved.value]
    return usable[0] if len(usable) == 1 else None


def older_than(value: str | None, reference: str | None, days: int) -> bool:
    if not value or not reference:
        return False
    try:
        ref = Date.fromisoformat(reference[:10])
        parts = [int(x) for x in value.split("-")]
        when = Date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 28)
    except ValueError:
        return False
    return (ref - when).days > days


__all__ = ["extract_events", "ActorRef"]
