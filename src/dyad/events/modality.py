"""Modality: whether a predicate is reported, promised, possible, negated, questioned or claimed.

In: a predicate token (or the frames of a sentence) and the codebook. Out: aux/irrealis/negation marks;
`apply_modality` turns promised or refused acts into the commitment PLOVER codes (AGREE, THREATEN, REJECT).
"""
from __future__ import annotations

from spacy.tokens import Token

from ..records import ActorRef
from .arguments import MentionIndex, actors_of
from .codebook import Codebook
from .syntax import complement_heads, direct_object, subject_of


def in_reported_speech(tok: Token, cb: Codebook) -> Token | None:
    """The reporting verb `tok` hangs from ("said that ...", "..., he said"), if any."""
    cur = tok
    while cur.dep_ in ("ccomp", "conj", "xcomp", "advcl", "acomp") and cur.head.i != cur.i:
        head = cur.head
        if head.lemma_.lower() in cb.reporting_verbs and cur.dep_ == "ccomp":
            return head
        cur = head
    # "X happened, the agency reported": the report verb is the root and we are its ccomp (handled above),
    # or the root is ours and the reporting verb is a parataxis child.
    for child in tok.children:
        if child.dep_ == "parataxis" and child.lemma_.lower() in cb.reporting_verbs:
            return child
    return None


def _intent_noun(tok: Token, cb: Codebook) -> Token | None:
    nouns = cb.modality.intent_nouns
    head = tok.head
    if tok.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    elif tok.dep_ not in ("acl", "xcomp"):
        return None
    return head if head.pos_ == "NOUN" and head.lemma_.lower() in nouns else None


def only_declines_to_speak(tok: Token, cb: Codebook) -> bool:
    """"refused to comment", "declined to elaborate": the verb's complements are all acts of speaking about
    the matter (the codebook's `no_event_complements`), so no act is reported."""
    comps = [c for c in complement_heads(tok) if c.pos_ in ("VERB", "AUX")]
    return bool(comps) and all(c.lemma_.lower() in cb.modality.no_event_complements for c in comps)


def is_question(tok: Token, cb: Codebook, marks: frozenset[str] | None = None) -> bool:
    """Inside "whether ...", "how ...", "if ...": the text asks or supposes rather than reports (`marks`: only
    clauses these words open)."""
    marks = cb.modality.question_marks if marks is None else marks
    for node in [tok, *tok.ancestors]:
        if node.dep_ in ("ccomp", "advcl", "xcomp", "pcomp", "csubj") or node.i == tok.i:
            if any(c.dep_ in ("mark", "advmod") and c.lower_ in marks and c.i < node.i for c in node.children):
                return True
        if node.dep_ == "ROOT":
            break
    return False


def modality(tok: Token, cb: Codebook) -> tuple[str | None, bool, bool]:
    """(irrealis, negated, negated_intent) of a predicate."""
    m = cb.modality
    irrealis = None
    negated = any(c.dep_ == "neg" or c.lower_ in m.negators and c.dep_ in ("neg", "advmod", "det")
                  for c in tok.children)
    reported = in_reported_speech(tok, cb) is not None
    for c in tok.children:
        word = c.lower_
        if c.dep_ in ("aux", "auxpass"):
            if word in m.future_aux or c.lemma_.lower() in m.future_aux:
                irrealis = "future"
            elif word == "would":
                irrealis = "future" if reported else "hypothetical"
            elif word in m.hypothetical_aux:
                irrealis = irrealis or "hypothetical"
        if c.dep_ == "advmod" and word in m.future_adverbs and tok.tag_ not in ("VBD", "VBN"):
            irrealis = irrealis or "future"
    if irrealis is None and tok.dep_ == "xcomp" and tok.head.pos_ in ("VERB", "AUX"):
        irrealis = modality(tok.head, cb)[0]  # "will help train", "could try to sign"
    if irrealis is None and headline_infinitive(tok):
        irrealis = "future"
    negated_intent = False
    noun = _intent_noun(tok, cb)
    if noun is not None:  # "its readiness to sign", "no intention of abandoning"
        irrealis = irrealis or "future"
        if any(c.lower_ in ("no", "not", "never") for c in noun.children) or modality(noun.head, cb)[1]:
            negated_intent = True
    # "plans to meet", "is ready to sign", "is scheduled to meet", "refused to attend"
    cur = tok
    while cur.dep_ in ("xcomp", "acl") or (cur.dep_ == "ccomp" and cur.head.pos_ == "ADJ"):
        head = cur.head
        lemma = head.lemma_.lower()
        if lemma in m.intent_heads:
            irrealis = irrealis or "future"
            head_irrealis, head_neg, _ = modality(head, cb) if head.pos_ != "NOUN" else (None, False, False)
            if head_neg:
                negated_intent = True
            if head_irrealis == "hypothetical":
                irrealis = "hypothetical"
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head
        cur = head
        if lemma in m.denial_heads:
            negated_intent = True
    if negated and irrealis:
        negated_intent = True
    return irrealis, negated, negated_intent


def headline_infinitive(tok: Token) -> bool:
    """"Brazil to send troops to Haiti", "Kenya's president to visit Ethiopia": a bare infinitive that no finite
    verb governs is headline shorthand for a plan (the parser makes it the root, or a clause of a root noun)."""
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children):
        return False
    if tok.dep_ == "ROOT":
        return True
    return tok.dep_ in ("acl", "relcl") and tok.head.dep_ == "ROOT" and tok.head.pos_ in ("NOUN", "PROPN")


def predicate_modality(tok: Token, cb: Codebook) -> tuple[str | None, bool, bool]:
    """`modality` of a verb, or of the verb that governs an event noun ("will hold talks", "the planned visit",
    "faces sanctions")."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
        return modality(tok, cb)
    governor = tok.head.head if tok.dep_ == "pobj" else tok.head
    irrealis, negated, negated_intent = modality(governor, cb) if governor.pos_ in ("VERB", "AUX") \
        else (None, False, False)
    if promised_noun(tok) or under_intent_noun(tok, cb) or awaited(tok, cb):
        irrealis = irrealis or "future"
    return irrealis, negated, negated_intent


def undergoing_verb(noun: Token, cb: Codebook) -> Token | None:
    """The verb whose subject undergoes the nominal event: "faces (the prospect of) an attack", "braces for
    a strike", "fears sanctions"."""
    verbs = cb.modality.undergo_verbs
    node = noun
    for _ in range(3):  # the noun, "the prospect of" the noun, "for" the noun
        head = node.head
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in verbs and node.dep_ in ("dobj", "pobj", "prep"):
            return head
        if head.i == node.i:
            break
        node = head
    return None


def held_over(tok: Token, cb: Codebook) -> bool:
    """"will withdraw its troops unless ...": an action promised on a condition is a threat."""
    markers = cb.modality.conditional_threat
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in markers for m in c.children)
               for c in tok.children)


def committed_type(base: str, tok: Token, irrealis: str | None, negated_intent: bool, cb: Codebook) -> str:
    """The type of an act of `base` as the predicate `tok` tells it: done, it is `base`; promised, planned or
    possible, the commitment the codebook names (a planned meeting is AGREE, a planned strike THREATEN, one
    promised on a condition THREATEN); refused, the refusal (REJECT of a meeting, AGREE of ruling out a strike)."""
    if irrealis == "future" and not negated_intent and held_over(tok, cb):
        return "THREATEN"
    if negated_intent or irrealis:
        return cb.commitment(base, negated_intent)
    return base


def commitment_rule(rule: str, committed: str, irrealis: str | None) -> str:
    """The rule trail of an act read as a commitment: "consult.meet>agree(future)", "consult.meet>reject(negated)"."""
    return f"{rule}>{committed.lower()}({irrealis or 'negated'})"


def awaited(noun: Token, cb: Codebook) -> bool:
    """"faces Israeli retaliation", "braces for an attack", "fears sanctions": expected, not yet done."""
    sufferer = undergoing_verb(noun, cb)
    return sufferer is not None and sufferer.lemma_.lower() in cb.modality.awaiting_verbs


def under_intent_noun(tok: Token, cb: Codebook) -> bool:
    nouns = cb.modality.intent_nouns
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in nouns


def promised_noun(tok: Token) -> bool:
    """"a promised attack", "the planned visit", "an expected meeting"."""
    return any(c.dep_ == "amod" and c.lower_ in ("promised", "planned", "expected", "proposed", "upcoming",
                                                  "forthcoming", "threatened", "future", "possible")
               for c in tok.children)


def rules_out_force(tok: Token, cb: Codebook) -> bool:
    obj = direct_object(tok)
    force = cb.modality.force_nouns
    return obj is not None and any(t.lemma_.lower() in force for t in obj.subtree)


def condition_subjects(tok: Token, cb: Codebook, index: MentionIndex) -> list[ActorRef]:
    marks = cb.modality.conditional_threat | {"if"}
    for node in [tok, *tok.subtree]:
        inverted = any(a.dep_ == "aux" and a.lower_ in ("should", "were", "had") and a.i < node.i and
                       any(c.dep_ == "nsubj" and c.i > a.i for c in node.children) for a in node.children)
        if node.dep_ == "advcl" and (inverted or any(m.dep_ == "mark" and m.lower_ in marks for m in node.children)):
            found = actors_of(subject_of(node), index)
            if found:
                return found
    return []

