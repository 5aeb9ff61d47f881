"""Codebook matching: which codebook entry, if any, a verb or noun in its sentence fits.

In: a token, the sentence's mentions and the codebook. Out: a codebook `Entry` or None.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon import words
from .arguments import MentionIndex, actors_of
from .codebook import Codebook, Entry
from .syntax import (
    COMPLETING_PREPS,
    OBJECTS,
    children,
    direct_object,
    lemma_candidates,
    lemma_phrase,
    objects_with_conjuncts,
    prep_objects,
    subject_of,
)

LEAVING = words("leaving_verbs")


def object_matches(entry: Entry, obj: Token | None, verb: Token | None = None) -> bool:
    if not entry.objects:
        return True
    candidates = objects_with_conjuncts(obj)
    if verb is not None:  # "remained on alert", "put its forces on alert", "called a halt to attacks"
        preps = [p for p in verb.children if p.dep_ in ("prep", "dative")]
        if obj is not None:  # beside an object only the prepositions that complete the verb's sense
            preps = [p for p in preps if p.lower_ in COMPLETING_PREPS]
        candidates += [o for p in preps for o in p.children if o.dep_ == "pobj"]
        candidates += [o for o in verb.children if o.dep_ in ("oprd", "acomp", "attr")]
    for o in candidates:
        phrase = " ".join(t.lower_ for t in o.subtree)
        if o.lemma_.lower() in entry.objects or o.lower_ in entry.objects:
            return True
        if o.pos_ == "PROPN" and any(c.dep_ == "compound" and (c.lemma_.lower() in entry.objects or
                                                                c.lower_ in entry.objects)
                                     for c in o.children):  # a name after its kind: "the superyacht Amadea"
            return True
        written = o.doc[o.left_edge.i:o.right_edge.i + 1].text.lower()  # "sit-in", split by the tokenizer
        if any(" " in w and w in phrase or "-" in w and w in written for w in entry.objects):
            return True
        # "a memorandum of understanding", "a series of strikes": look one "of" deeper
        for of in prep_objects(o, "of"):
            if of.lemma_.lower() in entry.objects or of.lower_ in entry.objects:
                return True
    return False


def is_actorish(tok: Token | None, index: MentionIndex, cb: Codebook) -> bool:
    if tok is None:
        return False
    return bool(actors_of(tok, index)) or tok.lemma_.lower() in cb.actor_nouns or tok.pos_ == "PROPN"


def entry_fits(entry: Entry, tok: Token, index: MentionIndex, cb: Codebook) -> bool:
    obj = direct_object(tok)
    if entry.particle and not any(c.dep_ == "prt" and c.lower_ == entry.particle for c in tok.children):
        return False
    if entry.objects_none and obj is not None:
        return False
    if entry.objects_actor and not is_actorish(obj, index, cb):
        return False
    if entry.objects_kind and not any(m.actor.kind == entry.objects_kind for o in _object_or_pobjs(tok, obj)
                                      for m in index.on_token(o)):  # the object names it: not "their homes"
        return False  # "quit ECOWAS" leaves an organisation; "pulled out of Lebanon" is a retreat
    if entry.requires_word and not any(t.lower_ in entry.requires_word for t in tok.subtree):
        return False
    if entry.unless_word and any(t.lower_ in entry.unless_word for t in tok.subtree):
        return False
    if entry.no_result and (children(tok, {"oprd", "acomp"})
                            or any(c.pos_ == "ADJ" for c in children(tok, {"ccomp", "xcomp"}))):
        return False  # "left three dead": a result, not a departure
    if not entry.modal and obj is None and any(a.lower_ == "to" for x in children(tok, "xcomp")
                                               for a in children(x, "aux")):
        return False  # "offered to host talks": a control verb, whose sense is its modal entry's
    if entry.needs_complement and not children(tok, "xcomp"):
        return False  # "ordered the mobilisation": not an order to someone to act
    if entry.subjects and not _subject_sector_in(tok, entry.subjects, index):
        return False
    if entry.subject_nouns:
        subject = subject_of(tok)
        if subject is None or subject.lemma_.lower() not in entry.subject_nouns:
            return False
    return object_matches(entry, obj, tok)


def _object_or_pobjs(tok: Token, obj: Token | None) -> list[Token]:
    return [obj] if obj is not None else [o for p in tok.children if p.dep_ == "prep" for o in p.children
                                          if o.dep_ == "pobj"]


def _subject_sector_in(tok: Token, sectors: frozenset[str], index: MentionIndex) -> bool:
    """Whether the doer is of one of `sectors` ("youths clashed" is a riot; "troops clashed" a battle)."""
    subject = subject_of(tok)
    if subject is None:
        return False
    refs = actors_of(subject, index)
    if subject.tag_ in ("NNS", "NNPS") and refs and all(r.kind == "state" and not r.sector for r in refs):
        return "CVL" in sectors  # "Kenyans", "thousands of Serbians": a state's people, not its government
    return any(r.sector in sectors for r in refs)


def match_verb(tok: Token, index: MentionIndex, cb: Codebook) -> Entry | None:
    keys = _verb_keys(tok)
    idiom = _first_fitting(cb.idioms, keys, tok, index, cb)
    if idiom is not None or _first_fitting(cb.figurative, keys, tok, index, cb) is not None:
        return idiom  # a figure of speech: what it means, or no act at all
    for base in lemma_candidates(tok):
        for key in lemma_phrase(tok, base):
            for entry in cb.verb_entries(key):
                if entry_fits(entry, tok, index, cb):
                    return entry
        if any(cb.verb_entries(key) for key in lemma_phrase(tok, base)):
            return None  # the lemma is known: its entries did not fit, other spellings need not be tried
    return None


def _first_fitting(table: dict[str, list[Entry]], keys: list[str], tok: Token, index: MentionIndex,
                   cb: Codebook) -> Entry | None:
    """The first entry of `table` (idioms, figures of speech) under one of the verb's keys that fits this use."""
    return next((e for key in keys for e in table.get(key, []) if entry_fits(e, tok, index, cb)), None)


def _verb_keys(tok: Token) -> list[str]:
    """Every key a verb is looked up by: each spelling of its lemma, with its particle first."""
    return [key for base in lemma_candidates(tok) for key in lemma_phrase(tok, base)]


def match_noun(tok: Token, cb: Codebook) -> Entry | None:
    keys = []
    for mod in (c for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1):
        keys += [f"{mod.lower_} {tok.lemma_.lower()}", f"{mod.lower_} {tok.lower_}"]
    keys += [tok.lower_, tok.lemma_.lower()]
    for key in keys:
        for entry in cb.noun_entries(key):
            if object_matches(entry, None, tok):  # "a halt to the attacks": what the noun governs
                return entry
    return None


def joint_action(tok: Token, cb: Codebook) -> Entry | None:
    """Any action done "jointly" or "together" by several parties is material cooperation."""
    markers = cb.modality.joint_markers
    if any(c.dep_ == "advmod" and c.lower_ in markers for c in tok.children):
        return cb.entries.get("cooperate.cooperate")
    return None


def noun_is_verb_object(tok: Token, cb: Codebook) -> bool:
    """Nouns coded through their verb ("held talks", "imposed sanctions") are not coded twice."""
    return tok.dep_ in OBJECTS | {"nsubjpass"} and tok.head.lemma_.lower() in cb.light_verbs


def hostile_object(tok: Token, cb: Codebook) -> bool:
    obj = direct_object(tok)
    entry = match_noun(obj, cb) if obj is not None else None
    return entry is not None and entry.type in cb.hostile_types | {"MOBILIZE", "THREATEN"}


def verb_of_noun(noun: Token, cb: Codebook) -> str | None:
    """The codebook verb a noun is made from: listed nominalisations, then "-ing" forms ("the scrapping")."""
    word = noun.lower_
    listed = cb.modality.nominalisations
    if word in listed:
        return listed[word]
    if word.endswith("ing") and len(word) > 5:
        for verb in (word[:-3], word[:-3] + "e", word[:-4]):
            if cb.verb_entries(verb):
                return verb
    return None


def hostile_verb(tok: Token, index: MentionIndex, cb: Codebook) -> bool:
    """A verb whose fitting codebook entries are all hostile, whatever actors it has ("seize", "bomb");
    not "continue" or "grow", whose entries need objects or subjects this use lacks."""
    if tok.pos_ != "VERB":
        return False
    keys = _verb_keys(tok)
    if _first_fitting(cb.figurative, keys, tok, index, cb) is not None:
        return False  # a figure of speech reports no act
    known = [e for key in keys for e in cb.verb_entries(key)]
    fitting = [e for e in known if entry_fits(e, tok, index, cb)]
    if not fitting and tok.lemma_.lower() not in cb.light_verbs:  # "seize the platforms": hostile whatever seized
        fitting = known
    return bool(fitting) and all(cb.is_hostile(e.type) for e in fitting)

