"""Syntax helpers over spaCy tokens: subjects, objects, prepositional objects, passives, lemmas.

In: spaCy tokens. Out: tokens and lemma strings. Knows nothing of the codebook or of actors.
"""
from __future__ import annotations

from spacy.tokens import Token

from ..lexicon import words

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}


OBJECTS = {"dobj", "obj"}


_COMPLEMENTS = {"xcomp", "ccomp"}


_RELATIVE_PRONOUNS = words("relative_pronouns")


COMPLETING_PREPS = words("completing_prepositions")


_STATIVE_PASSIVES = words("stative_passives")


# parsed as prepositions at times, or standing apart from the verb: "handed 29 suspects over", "called ... for"
_PARTICLES = words("particles")


# Objects that are feelings or statements, not parties: "expressed gratitude to X for ..."
_ABSTRACT_OBJECTS = words("abstract_objects")


# Verbs whose object, not subject, does what the complement says ("urged Iraq to cooperate").
_OBJECT_CONTROL = words("object_control_verbs")


def children(tok: Token, deps: set[str] | str) -> list[Token]:
    deps = {deps} if isinstance(deps, str) else deps
    return [c for c in tok.children if c.dep_ in deps]


def is_passive(tok: Token) -> bool:
    if tok.lemma_.lower() in _STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in tok.children):
        return False
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def direct_object(tok: Token) -> Token | None:
    if is_passive(tok):
        found = children(tok, "nsubjpass")
    else:
        found = children(tok, OBJECTS)
    if not found and tok.lemma_.lower() in _STATIVE_PASSIVES:  # "opposed to French mediation"
        found = prep_objects(tok, "to")
    if not found:
        found = _misread_object(tok)
    if not found:  # "supplied Russia with drones": the thing is behind "with"
        return None
    return found[0]


def _misread_object(tok: Token) -> list[Token]:
    """ "imposed asset freezes": a plural noun right after its compound, which the tagger read as a clause
    ("asset" its subject, "freezes" its verb)."""
    return [c for c in children(tok, "ccomp") if c.tag_ == "VBZ" and c.i == tok.i + 2
            and any(s.dep_ == "nsubj" and s.i == tok.i + 1 and s.tag_ == "NN" for s in c.children)
            and not children(c, {"aux", "dobj", "neg", "advmod"})]


def objects_with_conjuncts(obj: Token | None) -> list[Token]:
    if obj is None:
        return []
    return [obj] + [c for c in obj.conjuncts]


def prep_objects(tok: Token, prep: str) -> list[Token]:
    """Objects of a preposition attached to `tok`: "with Iran", "against Israel"."""
    out = []
    for p in tok.children:
        if p.dep_ in ("prep", "dative", "agent") and p.lower_ == prep:
            out.extend(c for c in p.children if c.dep_ in ("pobj", "pcomp"))
        if p.dep_ in ("dative", "iobj") and prep == "iobj" and p.pos_ != "ADP":
            out.append(p)
    return out


def subject_of(tok: Token) -> Token | None:
    """The doer of `tok`, following conjoined verbs, control verbs and relative clauses."""
    for child in tok.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in _RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                return tok.head
            return child
    if is_passive(tok):
        for agent in children(tok, "agent"):
            objs = children(agent, "pobj")
            if objs:
                return objs[0]
        return None
    if children(tok, "nsubjpass"):  # "Israel is opposed to ...": a state of mind, not a deed done to it
        return children(tok, "nsubjpass")[0]
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        return subject_of(tok.head)
    if tok.dep_ == "xcomp" and is_passive(tok.head):  # "was scheduled to meet": raise the passive subject
        raised = children(tok.head, "nsubjpass")
        if raised:
            return raised[0]
    if tok.dep_ == "advcl" and tok.tag_ == "VBN" and not any(c.dep_ == "aux" for c in tok.children):
        return None  # "when asked by CNBC": a participle whose subject is not the doer
    if tok.dep_ in ("xcomp", "advcl") and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
        head = tok.head
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head
        obj = direct_object(head)
        if tok.dep_ == "xcomp" and head.lemma_.lower() in _OBJECT_CONTROL and obj is not None:
            return obj
        return subject_of(head)
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
        verb = tok.head.head
        obj = direct_object(verb)
        if obj is not None and tok.head.lower_ in ("of", "for") and not is_passive(verb):
            if obj.pos_ == "PROPN" or obj.lemma_.lower() not in _ABSTRACT_OBJECTS:
                return obj  # "accused Tehran of supplying", "blamed Israel for bombing"
            thanked = prep_objects(obj, "to") + prep_objects(verb, "to")
            if thanked:  # "expressed gratitude to Russia for supporting ..."
                return thanked[0]
        return subject_of(verb)
    noun = tok.head.head if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" else tok.head
    if tok.dep_ in ("pcomp", "acl") and noun.pos_ == "NOUN":
        owner = children(noun, "poss") + prep_objects(noun, "by")  # "its readiness", "the decision by X"
        if owner:
            return owner[0]
        if noun.dep_ in OBJECTS and noun.head.pos_ in ("VERB", "AUX"):  # "has no intention of abandoning"
            return subject_of(noun.head)
    return None


def lemma_candidates(tok: Token) -> list[str]:
    """The tagger's lemma, then forms undone by rule where it erred ("staged" -> "stag")."""
    word, lemma = tok.lower_, tok.lemma_.lower()
    out = [lemma]
    if tok.i >= 2 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_ and not tok.nbor(-2).whitespace_:
        out.insert(0, f"{tok.nbor(-2).lower_}-{lemma}")  # "test-fired", "co-produced": split by the tokenizer
    if word.endswith("ed"):
        out += [word[:-1], word[:-2]] + ([word[:-3]] if len(word) > 4 and word[-3] == word[-4] else [])
    elif word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
    elif word.endswith("s"):
        out += [word[:-1]]
    return list(dict.fromkeys(out))


def lemma_phrase(tok: Token, base: str | None = None) -> list[str]:
    """The keys to look a verb up by: with its particle or preposition first ("pull out", "call for")."""
    base = base or tok.lemma_.lower()
    # a particle anywhere ("pulled its troops out"); a preposition only right after the verb ("called on",
    # not "signed a treaty ... on Monday")
    keys = [f"{base} {c.lower_}" for c in tok.children
            if c.dep_ == "prt" or (c.dep_ in ("prep", "advmod") and (c.i == tok.i + 1 or c.lower_ in _PARTICLES))]
    return keys + [base]


def subjects_of(tok: Token) -> list[Token]:
    """The subject, and any further subject a headline strings on with a comma ("Iran, Russia agree ...")."""
    first = subject_of(tok)
    if first is None:
        return []
    extra = [c for c in tok.children if c.dep_ == "nsubj" and c.i != first.i and c.lower_ not in _RELATIVE_PRONOUNS]
    return [first] + extra


def passive_subject(tok: Token) -> Token | None:
    found = children(tok, "nsubjpass")
    return found[0] if found else None


def verb_read_as_noun(tok: Token) -> bool:
    """ "Chile and Argentina share intelligence": a root the tagger called a noun, with a subject and an object."""
    return tok.dep_ == "ROOT" and tok.pos_ == "NOUN" and bool(children(tok, "nsubj")) and bool(children(tok, "dobj"))


def complement_heads(tok: Token) -> list[Token]:
    heads = [c for c in tok.children
             if c.dep_ in _COMPLEMENTS or (c.dep_ == "prep" and c.lower_ in ("of", "to", "for"))]
    out = []
    for h in heads:
        if h.dep_ == "prep":
            out.extend(c for c in h.children if c.dep_ in ("pcomp", "pobj"))
        else:
            out.append(h)
    for obj in children(tok, OBJECTS):  # "accepted a proposal ... to sign the agreement with Iran"
        out.extend(c for c in obj.children if c.dep_ in ("acl", "relcl"))
        out.append(obj)  # "demanded the resignation of the president": the noun is the content
    return out

