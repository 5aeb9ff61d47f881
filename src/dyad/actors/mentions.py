"""Mention resolution: every candidate of every sentence resolved to an actor.

In: the parsed segments of a document and the knowledge base. Out: `Mention` records (dyad.records) with
character offsets into the document text and how each was resolved.
"""
from __future__ import annotations

from dataclasses import replace

from ..records import ActorRef, Document, Mention
from .discourse import Resolver
from .knowledge import Entry, KnowledgeBase
from .reader import JOINERS, SUBJECT_DEPS, Candidate, SentenceReader


# --------------------------------------------------------------------------- the document walk
def resolve_mentions(parsed, document: Document, kb: KnowledgeBase | None) -> list[Mention]:
    """Every actor mention in the document, in reading order, with offsets into document.text."""
    if kb is None:
        return []
    resolver = Resolver(document, kb)
    found: list[Mention] = []
    for part in parsed:
        for sent in part.doc.sents:
            resolver.sentence += 1
            found += _resolve_sentence(part, sent, resolver)
    return found


def _resolve_sentence(part, sent, resolver: Resolver) -> list[Mention]:
    reader = SentenceReader(sent, resolver.kb, frozenset(resolver.by_surname), resolver.date, resolver.state_counts)
    out: list[Mention] = []
    previous: tuple[Candidate, Mention] | None = None
    for cand in reader.candidates():
        mention = _resolve(cand, reader, part, resolver)
        if mention is None:
            continue
        _note_group(previous, cand, mention, reader, resolver)
        out.append(mention)
        previous = (cand, mention)
    return out


def _note_group(previous, cand: Candidate, mention: Mention, reader: SentenceReader, resolver: Resolver) -> None:
    """Mentions joined by "and" or commas make a group that "the two" and "they" can refer to."""
    if mention.members:
        resolver.groups.append((resolver.sentence, list(mention.members)))
        return
    if previous is None or mention.how in ("pronoun", "anaphor"):
        return
    between = reader.words[previous[0].end:cand.start]
    if between and all(w in JOINERS for w in between):
        last_sentence, members = resolver.groups[-1] if resolver.groups else (None, [])
        if last_sentence == resolver.sentence and members and members[-1] is previous[1].actor:
            members.append(mention.actor)
        else:
            resolver.groups.append((resolver.sentence, [previous[1].actor, mention.actor]))


def _is_modifier(reader: SentenceReader, cand: Candidate) -> bool:
    return cand.kind == "entity" and reader.tokens[cand.end - 1].dep_ in ("compound", "amod")


def _is_subject(reader: SentenceReader, cand: Candidate) -> bool:
    """A subject, or the owner of one ("Iran's focus will be ..."): the actor the sentence is about."""
    tokens = reader.tokens[cand.start:cand.end]
    return any(t.dep_ in SUBJECT_DEPS or (t.dep_ == "poss" and t.head.dep_ in SUBJECT_DEPS) for t in tokens)


def _make(part, reader: SentenceReader, cand: Candidate, actor: ActorRef, how: str, role=None, members=None) -> Mention:
    span = reader.sent[cand.start:cand.end]
    start, end = part.span_offsets(span)
    return Mention(start, end, span.text, actor, how, role, members or [])


def _resolve(cand: Candidate, reader: SentenceReader, part, resolver: Resolver) -> Mention | None:
    handler = {"entity": _resolve_entity, "person": _resolve_person, "title": _resolve_title,
               "pronoun": _resolve_pronoun, "plural": _resolve_plural, "anaphor": _resolve_anaphor}[cand.kind]
    mention = handler(cand, reader, part, resolver)
    if mention is not None and cand.kind not in ("pronoun", "plural", "anaphor"):
        office = resolver.kb.canonical_office(cand.title.office) if cand.title else None
        if mention.members:
            for member in mention.members:
                resolver.note(member, _is_subject(reader, cand), office)
        else:
            modifier = _is_modifier(reader, cand) or mention.how == "place"  # a town is not a party
            plural = cand.plural or reader.tokens[cand.end - 1].tag_ in ("NNS", "NNPS")
            resolver.note(mention.actor, _is_subject(reader, cand), office, modifier, plural)
    return mention


def _resolve_entity(cand, reader, part, resolver) -> Mention:
    text = reader.sent[cand.start:cand.end].text
    return _make(part, reader, cand, resolver.place_ref(cand.entry, text), cand.entry.how)


def _resolve_person(cand, reader, part, resolver) -> Mention:
    text = reader.sent[cand.start:cand.end].text
    ref, how = resolver.person_ref(text, None, None)
    return _make(part, reader, cand, ref, how)


def _resolve_title(cand: Candidate, reader, part, resolver: Resolver) -> Mention | None:
    if cand.counterpart:
        return _resolve_counterpart(cand, reader, part, resolver)
    title = cand.title
    places = cand.places or ([Entry("state", title.country, "title")] if title.country else [])
    if cand.from_discourse:
        places = [Entry("state", m.code, "title") for m in resolver.recent_group("state", two=True)]
    if title.kind == "body":
        text = reader.sent[cand.start:cand.end].text
        if len(places) > 1:  # "French and Egyptian warships"
            refs = [resolver.place_ref(p, text, title.sector) for p in places]
            return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)
        if not places:
            return None
        return _make(part, reader, cand, resolver.place_ref(places[0], text, title.sector), _place_how(cand), cand.role)
    if cand.names:
        return _named_official(cand, reader, part, resolver, places)
    return _described_official(cand, reader, part, resolver, places)


def _place_how(cand: Candidate) -> str:
    return cand.place_how if cand.place_how in ("demonym", "capital") else "title"


def _named_official(cand, reader, part, resolver: Resolver, places: list[Entry]) -> Mention:
    refs = []
    for k, (start, end) in enumerate(cand.names):
        place = places[k] if cand.plural and k < len(places) else places[0] if places else None
        hint = place.code if place else reader.sole_state()  # "President X" with one state in the sentence
        ref, how = resolver.person_ref(reader.sent[start:end].text, hint, cand.title)
        if ref.sector is None and place is not None:
            ref.sector = place.sector
        refs.append(ref)
    if len(refs) == 1:
        return _make(part, reader, cand, refs[0], "title", cand.role)
    return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)


def _described_official(cand, reader, part, resolver: Resolver, places: list[Entry]) -> Mention | None:
    text = reader.sent[cand.start:cand.end].text
    if cand.plural:
        if not places and not _definite(reader, cand):
            return None  # "analysts", "leaders of nations": nobody in particular
        if not places:
            two = any(w in ("both", "two") for w in reader.words[max(cand.start - 1, 0):cand.start + 1])
            people = resolver.recent_group("person", two=two)
            if len(people) >= 2:
                return _make(part, reader, cand, _plural_actor(reader, cand, people), "plural", cand.role, people)
            places = [Entry("state", m.code, "title") for m in resolver.recent_group("state", two=True)]
        if len(places) == 1:  # "Swiss doctors", "Iranian diplomats": the state's people of that sector
            return _make(part, reader, cand, resolver.place_ref(places[0], text, cand.title.sector),
                         _place_how(cand), cand.role)
        refs = [resolver.office_ref(text, p, cand.title)[0] for p in places if p.code]
        if len(refs) < 2:
            return None
        return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)
    if places:
        ref, how = resolver.office_ref(text, places[0], cand.title)
        return _make(part, reader, cand, ref, how, cand.role)
    office = resolver.kb.canonical_office(cand.title.office)
    for seen in reversed(resolver.people):  # "the central bank chief": the holder named earlier
        if seen.office == office and seen.actor.actor_id:
            ref = ActorRef(text, seen.actor.name, seen.actor.code, seen.actor.sector, seen.actor.actor_id, "person")
            return _make(part, reader, cand, ref, "title", cand.role)
    return None


def _resolve_counterpart(cand, reader, part, resolver: Resolver) -> Mention | None:
    """ "his Iranian counterpart(, Name)": the same office as the person "his" refers to, in another state."""
    other = resolver.last_person(None)
    office = resolver.office_of(other) if other else None
    title = resolver.kb.title_for_office(office) if office else None
    place = cand.places[0] if cand.places else None
    text = reader.sent[cand.start:cand.end].text
    if cand.names:
        start, end = cand.names[0]
        ref, _ = resolver.person_ref(reader.sent[start:end].text, place.code if place else None, title)
        return _make(part, reader, cand, ref, "counterpart", office)
    if place is None or title is None:
        return None
    ref, _ = resolver.office_ref(text, place, title)
    return _make(part, reader, cand, ref, "counterpart", office)


def _definite(reader: SentenceReader, cand: Candidate) -> bool:
    return any(w in ("the", "both", "their", "two") for w in reader.words[max(cand.start - 1, 0):cand.start + 1])


def _plural_actor(reader, cand, refs: list[ActorRef]) -> ActorRef:
    kinds = {r.kind for r in refs}
    sectors = {r.sector for r in refs}
    return ActorRef(reader.sent[cand.start:cand.end].text, " and ".join(r.name for r in refs), None,
                    sectors.pop() if len(sectors) == 1 else None, None, kinds.pop() if len(kinds) == 1 else "group")


def _resolve_pronoun(cand, reader: SentenceReader, part, resolver: Resolver) -> Mention | None:
    word = reader.words[cand.start]
    if _inside_quote(reader, cand.start):
        return None
    refs = resolver.kb.references
    if word in refs.get("person_pronouns", {}):
        ref = resolver.last_person(refs["person_pronouns"][word])
        if ref is None:
            return None
        return _make(part, reader, cand, _retext(ref, reader, cand), "pronoun")
    if word in refs.get("thing_pronouns", []):
        if _pleonastic(reader, cand.start):
            return None
        # a possessive "its" mostly owns what is closest ("Iran's support for Russia in its invasion");
        # a subject "it" continues the sentence's topic ("Russia says it will ...")
        ref = (resolver.nearest_place_here() if word == "its" else None) or resolver.last_place_subject()
        return _make(part, reader, cand, _retext(ref, reader, cand), "pronoun") if ref else None
    subject = resolver.last_plural_subject()
    if subject is not None:
        return _make(part, reader, cand, _retext(subject, reader, cand), "pronoun")
    members = resolver.recent_group("any")
    if len(members) < 2:
        return None
    return _make(part, reader, cand, _plural_actor(reader, cand, members), "pronoun", members=members)


def _resolve_plural(cand, reader, part, resolver: Resolver) -> Mention | None:
    two = any(w in ("two", "both") for w in reader.words[cand.start:cand.end])
    members = resolver.recent_group(cand.group_of or "any", two)
    if len(members) < 2:
        return None
    return _make(part, reader, cand, _plural_actor(reader, cand, members), "plural", members=members)


def _resolve_anaphor(cand, reader, part, resolver: Resolver) -> Mention | None:
    if cand.group_of == "MIL":  # "the army": the forces of the state whose military was named last, or most talked of
        ref = resolver.last_of_kind(("state",), named=True, sector="MIL") or resolver.most_talked_state()
        ref = replace(ref, sector="MIL") if ref else None
    elif cand.group_of == "state":  # "the country" is a state the text has named as a party
        ref = resolver.last_of_kind(("state",), named=True)
    else:
        ref = resolver.last_of_kind(("organization", "group"))
    return _make(part, reader, cand, _retext(ref, reader, cand), "anaphor") if ref else None


def _retext(ref: ActorRef, reader, cand) -> ActorRef:
    return ActorRef(reader.sent[cand.start:cand.end].text, ref.name, ref.code, ref.sector, ref.actor_id, ref.kind)


def _inside_quote(reader: SentenceReader, i: int) -> bool:
    straight, opening, closing = _quote_marks_before(reader.sent.doc)[reader.tokens[i].i]
    return straight % 2 == 1 or opening > closing


def _quote_marks_before(doc) -> list[tuple[int, int, int]]:
    """For each token, the straight, opening and closing double quotes before it; counted once per Doc
    (counting in the text before every candidate would be quadratic in a long document)."""
    cached = doc.user_data.get("dyad.quote_marks")
    if cached is None:
        cached, counts = [], (0, 0, 0)
        for tok in doc:
            cached.append(counts)
            text = tok.text
            counts = (counts[0] + text.count('"'), counts[1] + text.count("“"), counts[2] + text.count("”"))
        doc.user_data["dyad.quote_marks"] = cached
    return cached


def _pleonastic(reader: SentenceReader, i: int) -> bool:
    """ "It is widely expected that ..." refers to nothing."""
    following = reader.words[i + 1:i + 6]
    return bool(following) and following[0] in ("is", "was", "'s", "has", "seems", "appears") \
        and any(w in ("that", "to", "whether") for w in following[1:])

