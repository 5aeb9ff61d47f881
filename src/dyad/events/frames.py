"""Frames: a predicate the codebook recognises, with its participants.

A frame comes from a verb ("Russia supplied Iran with ..."), a light verb and its object noun ("held talks"),
or a nominal event ("a telephone conversation between the two ministers").
In: a token, its matched codebook entry, the sentence's mentions. Out: a `Frame` (actors, recipients, context).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from ..lexicon import words
from ..records import ActorRef
from .arguments import (
    QUANTITY_NOUNS,
    MentionIndex,
    actors_of,
    codes,
    distinct,
    uncoded,
    without,
)
from .codebook import Codebook, Entry
from .matching import (
    is_actorish,
    joint_action,
    match_noun,
    match_verb,
    object_matches,
    verb_of_noun,
)
from .modality import in_reported_speech, undergoing_verb
from .syntax import (
    children,
    direct_object,
    is_passive,
    objects_with_conjuncts,
    passive_subject,
    prep_objects,
    subject_of,
    subjects_of,
)

_VENUE_NOUNS = words("venue_nouns")


@dataclass
class Frame:
    head: Token
    entry: Entry
    type: str
    actors: list[ActorRef]
    recipients: list[ActorRef]
    aux: str | None = None  # future | hypothetical | negation
    negated: bool = False
    irrealis: str | None = None  # future | hypothetical
    in_reported: bool = False
    context: set[str] = field(default_factory=set)
    consumed: set[int] = field(default_factory=set)  # token ids this frame has coded (complements, objects)
    symmetric: bool = False
    alleged: bool = False
    rule: str = ""
    confidence: float = 0.8
    reporter: Token | None = None
    has_subject: bool = False  # an active verb: somebody did it, whether or not we could resolve who


def object_parties(obj: Token | None, index: MentionIndex) -> list[ActorRef]:
    """Who an object names: itself, or for a relation noun the party it relates to ("contact with the US",
    "aid to Kyiv", "disapproval for the United States' policies")."""
    if obj is None:
        return []
    while obj.lemma_.lower() in ("part", "most", "rest", "some", "all", "much") and prep_objects(obj, "of"):
        obj = prep_objects(obj, "of")[0]  # "part of a military aid program for Bosnia"
    found = actors_of(obj, index)
    if not found:
        found = [a for key in ("with", "to", "against", "on", "toward", "towards", "for", "into", "over")
                 for o in prep_objects(obj, key) for a in actors_of(o, index)]
    if not found and obj.pos_ == "NOUN" and obj.lemma_.lower() not in _VENUE_NOUNS and obj.lower_ not in _VENUE_NOUNS:
        # "hailed the transfer of power in Senegal": where it happened; "the talks in Geneva" only met there
        found = [a for o in prep_objects(obj, "in") for a in actors_of(o, index) if a.kind == "state"]
    return found


def recipients_for(entry: Entry, tok: Token, index: MentionIndex, actors: list[ActorRef]) -> list[ActorRef]:
    found = _recipients_on(entry, tok, index, actors)
    obj = direct_object(tok) if tok.pos_ in ("VERB", "AUX") else None
    if not found and obj is not None and entry.objects:  # "lifted sanctions on Eritrea", "fire against camps"
        for part in objects_with_conjuncts(obj):
            found = _recipients_on(entry, part, index, actors, skip_dobj=True)
            if found:
                break
    return found


def _recipients_on(entry: Entry, tok: Token, index: MentionIndex, actors: list[ActorRef],
                   skip_dobj: bool = False) -> list[ActorRef]:
    for source in entry.recipient:
        if skip_dobj and source in ("dobj", "dobj_actor"):
            continue
        if source == "dobj":
            found = object_parties(direct_object(tok), index)
        elif source == "dobj_actor":  # "rushed interceptors to Israel": the object is a recipient only if coded
            found = [a for a in actors_of(direct_object(tok), index) if a.code]
        elif source == "iobj":
            found = [a for o in children(tok, {"dative", "iobj"}) for a in actors_of(o, index)]
        elif source == "between":
            found = [a for o in prep_objects(tok, "between") for a in actors_of(o, index)]
        elif source == "of_target":  # "the invasion of Ukraine", "a suspension of air links with Serbia"
            found = [a for o in prep_objects(tok, "of") for a in object_parties(o, index)]
        elif source == "poss":
            found = [a for o in children(tok, "poss") for a in actors_of(o, index)]
        else:  # a relation noun behind the preposition too: "along the boundary with Kosovo"
            found = [a for o in prep_objects(tok, source) for a in object_parties(o, index)]
        found = without(distinct(found), actors)
        if found:
            return found
    return []


def clause_context(tok: Token, entry: Entry, cb: Codebook) -> set[str]:
    return set(entry.context) | keyword_contexts(tok.subtree, cb)


def keyword_contexts(tokens, cb: Codebook) -> set[str]:
    """The codebook's `contexts` whose words (lemma or form) occur among these tokens."""
    words = {w for t in tokens for w in (t.lemma_.lower(), t.lower_)}
    return {name for name, keys in cb.contexts.items() if words & keys}


def verb_frame(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> Frame:
    subjects = subjects_of(tok)
    actors = distinct([a for subj in subjects for a in actors_of(_doer_behind(subj), index)])
    if not actors and is_passive(tok):  # "cut off ... due to Western sanctions": the cause names the doer
        actors = _doers_of_cause(tok, entry, index, cb)
    if subjects and subjects[0].pos_ == "PRON":  # "X said it would ...": it is X, when X can be "it"
        actors = _speaker_for_pronoun(tok, subjects[0], index, cb) or actors
    recipients = recipients_for(entry, tok, index, actors)
    patient = children(tok, "nsubjpass")
    if is_passive(tok) and patient and patient[0].pos_ == "PRON":  # "X said it had not been consulted"
        recipients = without(_speaker_for_pronoun(tok, patient[0], index, cb), actors) or recipients
    if not recipients:  # "would welcome Syria joining BRICS": the clause's subject is the one concerned
        for comp in children(tok, "ccomp"):
            recipients = without(actors_of(subject_of(comp), index), actors)
            if recipients:
                break
    if not recipients:  # "launch an attack to punish Tehran": the purpose names the target
        recipients = _purpose_recipients(tok, index, actors)
    if actors and all(a.code is None for a in actors):  # "X stepped down as Sri Lanka's president"
        role_states = [a for o in prep_objects(tok, "as") for a in actors_of(o, index) if a.code]
        if role_states:
            actors = [replace(a, code=role_states[0].code, sector=a.sector or "GOV") for a in actors]
    if not actors and (entry.subject_nouns or entry.type == "PROTEST" and _crowd(subject_of(tok), index)):
        # "protests erupted in Dhaka", "hundreds rallied in Yerevan": the people of the place
        from .places import place_refs
        actors = [ActorRef(text=subject_of(tok).text, name=f"people of {p.name}", code=p.code, sector="CVL",
                           actor_id=f"group:{p.code}-CVL", kind="group") for p in place_refs(tok, index)[:1]]
    if entry.type == "MOBILIZE" and _at_request(tok, index):  # troops sent at a government's request
        host = _at_request(tok, index)
        return Frame(head=tok, entry=entry, type="AID", actors=actors, recipients=without(host, actors),
                     context=clause_context(tok, entry, cb) | {"peacekeeping"}, rule=f"{entry.id}>aid(requested)",
                     has_subject=not is_passive(tok))
    if not actors and entry.type == "MOBILIZE":  # "45,000 police were deployed": the forces are the doer
        actors = actors_of(direct_object(tok), index)
        recipients = without(recipients, actors)
    plover_type = entry.type
    partners = [a for o in prep_objects(tok, "with") for a in actors_of(o, index)]
    if entry.alone_type and not partners and len(codes(actors)) < 2:
        plover_type = entry.alone_type  # one army's drills (around Taiwan) are a show of force, not cooperation
    if is_passive(tok) and not recipients and "dobj" not in entry.recipient:
        recipients = without(actors_of(direct_object(tok), index), actors)
    return Frame(head=tok, entry=entry, type=plover_type, actors=actors, recipients=recipients,
                 context=clause_context(tok, entry, cb), rule=entry.id, has_subject=not is_passive(tok))


def _crowd(subject: Token | None, index: MentionIndex) -> bool:
    """A subject that is people in number, not named: "hundreds", "crowds", "students", "nurses"."""
    return subject is not None and subject.pos_ in ("NOUN", "NUM") and (
        subject.lemma_.lower() in QUANTITY_NOUNS or subject.lemma_.lower() in index.actor_nouns
        or subject.tag_ == "NNS")


def _at_request(tok: Token, index: MentionIndex) -> list[ActorRef]:
    """Who asked for it: "at the request of the government in Maputo", "at Bamako's invitation"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("at", "on", "upon"):
            for noun in prep.children:
                if noun.lemma_.lower() in ("request", "invitation", "behest"):
                    found = [a for o in prep_objects(noun, "of") for a in actors_of(o, index)]
                    found += [a for c in children(noun, "poss") for a in actors_of(c, index)]
                    if found:
                        return distinct(found)
    return []


def _doer_behind(subject: Token) -> Token:
    """"A car bomb planted by the ELN tore through ...": a weapon's doer is who planted or claimed it."""
    for clause in subject.children:
        if clause.dep_ == "acl":
            agents = [o for a in children(clause, "agent") for o in children(a, "pobj")]
            if agents:
                return agents[0]
    return subject


def _speaker_for_pronoun(tok: Token, pronoun: Token, index: MentionIndex, cb: Codebook) -> list[ActorRef]:
    """"Hamas said it would ...", "the organisers said they would ...": the pronoun subject of reported
    speech is the reporter, when the reporter agrees with it in number and kind."""
    reporter = in_reported_speech(tok, cb)
    speaker = subject_of(reporter) if reporter is not None else None
    if speaker is None or speaker.pos_ == "PRON":
        return []
    plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
    found = actors_of(speaker, index)
    people = bool(found) and all(a.kind == "person" for a in found)
    word = pronoun.lower_
    if (word == "they" and plural) or (word == "it" and not plural and not people) or \
            (word in ("he", "she") and people):
        return found or [uncoded(speaker)]
    return []


def _doers_of_cause(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> list[ActorRef]:
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("due", "because", "through", "under", "after"):
            continue
        for noun in prep.subtree:
            noun_entry = match_noun(noun, cb) if noun.pos_ == "NOUN" else None
            if noun_entry is not None and noun_entry.type == entry.type:
                return noun_actors(noun, index, noun_entry.doers)
    return []


def _purpose_recipients(tok: Token, index: MentionIndex, actors: list[ActorRef]) -> list[ActorRef]:
    obj = direct_object(tok)
    for clause in list(tok.children) + (list(obj.children) if obj is not None else []):
        if clause.dep_ in ("advcl", "xcomp") and any(c.lower_ == "to" and c.dep_ == "aux" for c in clause.children):
            found = without(object_parties(direct_object(clause), index), actors)
            if found:
                return found
    return []


def noun_actors(tok: Token, index: MentionIndex, doers: tuple[str, ...] = Entry.doers) -> list[ActorRef]:
    """Doers of a nominal event, from where the codebook entry says they stand: "Iran's barrage", "an
    Israeli attack", "attack by Israel", "the dispatch of US carriers", "the extradition ... from Sweden"."""
    found = []
    for child in tok.children:
        if child.dep_ in ("poss", "amod", "nmod") and child.dep_ in doers:
            found.extend(actors_of(child, index))
        elif child.dep_ == "compound" and "compound" in doers:  # "a Hamas attack", not "the Gaza war"
            found.extend(a for m in index.on_token(child) if m.how not in ("name", "capital", "place")
                         or m.actor.kind != "state" for a in actors_of(child, index))
    for prep in ("by", "of", "from"):
        if prep in doers:
            found.extend(a for obj in prep_objects(tok, prep) for a in actors_of(obj, index))
    if "by" in doers:  # "the signing of a treaty by Tajikistan and Kyrgyzstan": "by" hung on the object
        found.extend(a for obj in prep_objects(tok, "of") for b in prep_objects(obj, "by") for a in actors_of(b, index))
    return distinct(found)


def noun_frame(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook,
               doers: list[ActorRef] | None = None) -> Frame | None:
    between = [a for o in prep_objects(tok, "between") for a in actors_of(o, index)]
    if entry.only_with_between and not between:
        return None
    actors = distinct((doers or []) + noun_actors(tok, index, entry.doers) + between)
    if entry.only_with_actor and not actors:
        return None
    recipients = recipients_for(entry, tok, index, actors)
    symmetric = bool(entry.symmetric and (between or len(codes(actors)) > 1 or doers))
    return Frame(head=tok, entry=entry, type=entry.type, actors=actors, recipients=recipients,
                 context=clause_context(tok, entry, cb), rule=entry.id, symmetric=symmetric, confidence=0.6)


def verb_or_light_frame(tok: Token, index: MentionIndex, cb: Codebook) -> Frame | None:
    entry = match_verb(tok, index, cb) or joint_action(tok, cb)
    if entry is not None:
        frame = verb_frame(tok, entry, index, cb)
        obj = direct_object(tok)
        if obj is not None and entry.objects:
            frame.consumed.add(obj.i)
        return frame
    lemma = tok.lemma_.lower()
    if lemma in cb.light_verbs:
        obj = direct_object(tok)
        noun_entry = match_noun(obj, cb) if obj is not None else None
        if noun_entry is None and obj is not None and verb_of_noun(obj, cb):  # "announced the expulsion of"
            frame = nominalised_verb(obj, index, cb)
            if frame is not None:
                return frame
        if noun_entry is not None:
            doers = actors_of(subject_of(tok), index)
            frame = noun_frame(obj, noun_entry, index, cb, doers=doers)
            if frame is not None:
                more = recipients_for(noun_entry, tok, index, frame.actors)
                frame.recipients = distinct(frame.recipients + more)
                frame.head, frame.confidence = tok, 0.75
                frame.has_subject = not is_passive(tok)
                frame.rule = f"{noun_entry.id}+light:{lemma}"
                frame.consumed.add(obj.i)
                return frame
    return None


def nominal(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> Frame | None:
    doers, light = None, None
    # "during a meeting", "at a meeting", "after meeting": the participants are those of the governing clause
    governor = tok.head.head if tok.dep_ in ("pobj", "pcomp") and tok.head.dep_ == "prep" else None
    if governor is not None and governor.pos_ in ("VERB", "AUX", "ADJ"):
        if entry.type == "MOBILIZE" and any(c.dep_ == "nsubj" for c in governor.children):
            doers = actors_of(subject_of(governor), index)
        elif entry.type == "CONSULT":  # only a clause with a stated doer: "signed ... at a meeting"
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in governor.children):
                doers = actors_of(subject_of(governor), index) + actors_of(direct_object(governor), index)
        elif {governor.lemma_.lower(), f"{governor.lemma_.lower()} {tok.head.lower_}"} \
                & cb.modality.light_prep_verbs:  # "engaged in", "was behind"
            verb = governor.head if governor.pos_ == "ADJ" else governor
            doers = actors_of(subject_of(verb) or passive_subject(verb), index)
            light = verb.lemma_.lower()
    frame = noun_frame(tok, entry, index, cb, doers=doers)
    if frame is not None and light:  # the clause states the doer: as strong as "carried out the attack"
        frame.rule = f"{frame.rule}+light:{light}"
    if frame is not None and tok.dep_ == "nsubj" and not frame.recipients and tok.head.pos_ in ("VERB", "AUX"):
        # "sanctions have taken a toll on the country's economy", "the strikes hit Gaza": what they fall on
        verb = tok.head
        frame.recipients = without(distinct([a for key in ("on", "against") for o in prep_objects(verb, key)
                                             for a in actors_of(o, index)]
                                            + object_parties(direct_object(verb), index)), frame.actors)
    sufferer = undergoing_verb(tok, cb) if frame is not None else None
    if sufferer is not None and not frame.recipients:  # "Iran braces for an Israeli attack": Iran is the target
        frame.recipients = without(actors_of(subject_of(sufferer), index), frame.actors)
    if frame is not None and tok.dep_ == "pobj" and tok.head.lower_ == "under" and not frame.recipients:
        governor = tok.head.head
        frame.recipients = without(actors_of(subject_of(governor), index), frame.actors) \
            if governor.pos_ in ("VERB", "AUX") else []
    return frame


def nominalised_verb(noun: Token, index: MentionIndex, cb: Codebook) -> Frame | None:
    """"The expulsion of two diplomats by Bulgaria", "Hungary's veto of the aid package", "the detention of 27
    nationals by Philippine authorities": a noun made from a codebook verb, read like that verb, with the
    doer in "by"/the possessive and the object in "of" (for a verb with no object, "of" names the doer:
    "the resignation of the prime minister")."""
    verb = verb_of_noun(noun, cb)
    if verb is None:
        return None
    of = prep_objects(noun, "of")
    doers = [a for dep in ("poss",) for c in children(noun, dep) for a in actors_of(c, index)]
    doers += [a for o in prep_objects(noun, "by") + [b for x in of for b in prep_objects(x, "by")]
              for a in actors_of(o, index)]  # "by" is often hung on the object: "of two diplomats by Bulgaria"
    for entry in cb.verb_entries(verb):
        transitive = bool(entry.objects) or entry.objects_actor or "dobj" in entry.recipient
        if entry.objects and not object_matches(entry, of[0] if of else None):
            continue
        if entry.objects_actor and not (of and is_actorish(of[0], index, cb)):
            continue
        actors = distinct(doers if transitive else doers + [a for o in of for a in actors_of(o, index)])
        recipients = [a for o in of for a in object_parties(o, index)] if transitive else []
        recipients += [a for key in entry.recipient if key not in ("dobj", "iobj", "poss")
                       for o in prep_objects(noun, key) for a in actors_of(o, index)]
        if entry.type == "MOBILIZE" and not actors:  # "a build-up of Azerbaijani forces"
            actors, recipients = distinct(recipients), []
        if not actors:
            return None
        return Frame(head=noun, entry=entry, type=entry.type, actors=actors,
                     recipients=without(distinct(recipients), actors), context=clause_context(noun, entry, cb),
                     rule=f"{entry.id}>nominal", confidence=0.6, has_subject=False)
    return None

