"""Sentence passes: every frame of a sentence, then the passes that relate them to each other.

Verbs that carry an attitude towards a complement ("pledged to", "demanded that", "refused to") are coded
once, with the complement's recipient and context; reporting verbs ("said", "told CNBC") are transparent.
In: a sentence span, its mentions, the codebook. Out: frames keyed by head token index.
"""
from __future__ import annotations

from spacy.tokens import Span

from .arguments import MentionIndex, actors_of, codes, distinct, without
from .codebook import Codebook
from .frames import (
    Frame,
    clause_context,
    nominal,
    nominalised_verb,
    verb_or_light_frame,
)
from .matching import (
    LEAVING,
    hostile_object,
    hostile_verb,
    match_noun,
    noun_is_verb_object,
)
from .modality import (
    commitment_rule,
    committed_type,
    condition_subjects,
    in_reported_speech,
    is_question,
    only_declines_to_speak,
    predicate_modality,
    rules_out_force,
)
from .syntax import (
    children,
    complement_heads,
    lemma_candidates,
    prep_objects,
    subject_of,
    verb_read_as_noun,
)


def sentence_frames(sent: Span, index: MentionIndex, cb: Codebook) -> list[Frame]:
    """Every coded predicate of the sentence, complements folded into the frames that govern them."""
    frames: dict[int, Frame] = {}
    for tok in sent:
        frame = None
        if (tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod") or (tok.dep_ == "ROOT" and tok.pos_ != "NOUN") \
                or verb_read_as_noun(tok):
            frame = verb_or_light_frame(tok, index, cb)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":
            entry = match_noun(tok, cb)
            if entry is not None and not noun_is_verb_object(tok, cb):
                frame = nominal(tok, entry, index, cb)
            elif entry is None and not noun_is_verb_object(tok, cb):
                frame = nominalised_verb(tok, index, cb)
        if frame is not None:
            frames[tok.i] = frame
    if not frames and sent[-1].text not in ".!?\"”":  # a headline: no closing stop
        frames.update(headline_frame(sent, index, cb))
    _retaliations(sent, frames, index, cb)
    _apply_modality(frames, cb)
    _mark_claims(frames, cb)
    _joint_actions(frames, cb, index)
    _shared_recipients(frames)
    frames = {i: f for i, f in frames.items() if _reports_event(f, cb)}  # before folding: a frame that
    _add_obligations(sent, frames, index, cb)                           # reports nothing consumes nothing
    _fold_complements(frames, cb, index)
    consumed = _consumed(frames)
    return [f for f in frames.values() if f.head.i not in consumed]


def _shared_recipients(frames: dict[int, Frame]) -> None:
    """ "X spoke with Y and urged restraint": a verb conjoined to another of the same doers, with no one
    of its own to address, addresses the other's partner."""
    for frame in frames.values():
        head = frame.head
        if frame.recipients or head.dep_ != "conj" or head.pos_ != "VERB" or children(head, {"nsubj", "nsubjpass"}):
            continue
        other = frames.get(head.head.i)
        if other is not None and other.recipients and codes(other.actors) == codes(frame.actors):
            frame.recipients = list(other.recipients)


def _reports_event(frame: Frame, cb: Codebook) -> bool:
    if is_question(frame.head, cb):
        return False
    if frame.entry.modal and frame.entry.kind == "verb":
        if frame.entry.needs_complement and not children(frame.head, "xcomp"):
            return False  # "trade declined", not "declined to attend"; "told AFP", not "told them to leave"
        if only_declines_to_speak(frame.head, cb):
            return False  # "refused to comment"
    return True


def _apply_modality(frames: dict[int, Frame], cb: Codebook) -> None:
    for frame in frames.values():
        tok = frame.head
        irrealis, negated, negated_intent = predicate_modality(tok, cb)
        frame.irrealis, frame.negated = irrealis, negated
        frame.in_reported = in_reported_speech(tok, cb) is not None
        if frame.entry.modal:
            frame.aux = "negation" if negated and not irrealis else irrealis
            if frame.type == "REJECT" and frame.aux == "negation" and hostile_object(tok, cb):
                # "did not rule out a military operation": keeping force on the table is a threat
                frame.type, frame.aux, frame.rule = "THREATEN", "hypothetical", f"{frame.rule}>threaten(not ruled out)"
            continue
        base = frame.type
        frame.type = committed_type(base, tok, irrealis, negated_intent, cb)
        if negated_intent or irrealis:
            frame.aux = irrealis
        elif negated:
            frame.aux = "negation"
        if frame.type != base:
            frame.rule = commitment_rule(frame.rule, frame.type, irrealis)


def headline_frame(sent: Span, index: MentionIndex, cb: Codebook) -> dict[int, Frame]:
    """Headlines drop articles and the tagger misreads their verbs ("Egypt, Greece stage joint drills"):
    in a sentence with no verb, a word the codebook knows as a verb, with the parties named before it as
    doers and those after it as recipients."""
    last_at: dict[str, int] = {}  # word or lemma -> its last position: "is X after tok" without rescanning
    for t in sent:
        last_at[t.lemma_.lower()] = last_at[t.lower_] = t.i
    named = [t.i for t in sent if index.on_token(t)]
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "ADV") or not named or tok.i <= named[0]:
            continue  # a headline's verb follows its doers
        for base in lemma_candidates(tok):
            entry = next((e for e in cb.verb_entries(base)
                          if not e.objects or any(last_at.get(o, -1) > tok.i for o in e.objects)), None)
            if entry is None:
                continue
            before = distinct([a for t in sent if t.i < tok.i for m in index.on_token(t)
                               for a in ([m.actor] + m.members)])
            later = distinct([a for t in sent if t.i > tok.i for m in index.on_token(t)
                              for a in ([m.actor] + m.members)])
            return {tok.i: Frame(head=tok, entry=entry, type=entry.type, actors=before,
                                 recipients=without(later, before), context=set(entry.context),
                                 rule=f"{entry.id}>headline", confidence=0.5, has_subject=True,
                                 symmetric=len(codes(before)) > 1 and not later)}
    return {}


def headline_frames(sent: Span, index: MentionIndex, cb: Codebook) -> list[Frame]:
    """`headline_frame` with its modality read ("Brazil to send troops": a plan, not a deployment)."""
    frames = headline_frame(sent, index, cb)
    _apply_modality(frames, cb)
    return list(frames.values())


def _retaliations(sent: Span, frames: dict[int, Frame], index: MentionIndex, cb: Codebook) -> None:
    """"an attack by Israel in retaliation for a missile attack launched against its rival": the attack
    retaliated for ran the other way, from the one now threatened to the one who threatens."""
    markers = cb.modality.retaliation_markers
    for tok in sent:
        entry = match_noun(tok, cb) if tok.pos_ == "NOUN" and tok.i not in frames else None
        if entry is None or entry.type != "ASSAULT" or tok.dep_ != "pobj" or tok.head.lower_ not in ("for", "to"):
            continue
        marker = tok.head.head
        if marker.lemma_.lower() not in markers:
            continue
        later = frames.get(marker.head.head.i) if marker.head.dep_ == "prep" else None
        if later is not None and later.actors and later.recipients:
            frames[tok.i] = Frame(head=tok, entry=entry, type="ASSAULT", actors=list(later.recipients),
                                  recipients=list(later.actors), context=clause_context(tok, entry, cb),
                                  rule=f"{entry.id}>retaliated-for", confidence=0.55)


def _joint_actions(frames: dict[int, Frame], cb: Codebook, index: MentionIndex) -> None:
    """"Dutch and Belgian police rounded up 30 suspects in coordinated raids": what several parties do
    together against a third is their cooperation."""
    markers = cb.modality.joint_markers | cb.modality.joint_adjectives
    for frame in frames.values():
        if frame.entry.kind != "verb" or len(codes(frame.actors)) < 2 or frame.type == "COOPERATE":
            continue
        clause = [t for t in frame.head.subtree if t.dep_ in ("amod", "advmod")]
        if any(t.lower_ in markers for t in clause) and frame.type in cb.hostile_types | {"AID"}:
            frame.type, frame.symmetric = "COOPERATE", True
            frame.rule = f"{frame.rule}>cooperate(joint)"
    partner_nouns = cb.modality.partner_nouns
    for frame in frames.values():  # "arrested the ring in cooperation with Spanish police"
        if frame.entry.kind != "verb" or frame.type not in cb.hostile_types | {"AID", "RETREAT"}:
            continue
        for prep in frame.head.children:
            partner_noun = [o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in partner_nouns]
            partners = [a for n in partner_noun for o in prep_objects(n, "with") for a in actors_of(o, index)]
            if prep.dep_ == "prep" and prep.lower_ == "in" and partners:
                frame.recipients = without(distinct(partners), frame.actors)
                frame.type, frame.symmetric = "COOPERATE", True
                frame.rule = f"{frame.rule}>cooperate(partner)"


def _mark_claims(frames: dict[int, Frame], cb: Codebook) -> None:
    """An act inside "an allegation that ...", "reports that ..." is claimed, not established."""
    nouns = cb.modality.claim_nouns
    for frame in frames.values():
        child = frame.head
        for node in frame.head.ancestors:
            if node.pos_ == "NOUN" and node.lemma_.lower() in nouns \
                    and child.dep_ in ("acl", "ccomp", "relcl", "appos"):
                frame.alleged = True
                break
            child = node


def _fold_complements(frames: dict[int, Frame], cb: Codebook, index: MentionIndex) -> None:
    """A modal frame ("pledged to", "demanded that", "refused to") absorbs the frames of its complement."""
    for frame in frames.values():
        if frame.type == "THREATEN" and not frame.recipients:  # "... unless Baghdad accepts": the one pressed
            frame.recipients = without(condition_subjects(frame.head, cb, index), frame.actors)
        if not frame.entry.modal:
            continue
        for tok in complement_heads(frame.head):
            inner = frames.get(tok.i)
            for sub in tok.subtree:
                if sub.i in frames and sub.i != frame.head.i:
                    frame.consumed.add(sub.i)
            source = inner
            if source is not None:
                if not frame.recipients:  # a demand is made of the one who should act; a promise to the other
                    wanted = source.actors if frame.type == "REQUEST" else (source.recipients or source.actors)
                    frame.recipients = without(wanted, frame.actors)
                frame.context |= source.context
                if frame.type == "AGREE" and (cb.is_hostile(source.type) or source.type == "THREATEN"):
                    frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(hostile-promise)"
                if frame.type == "REQUEST" and source.head.lemma_.lower() in LEAVING and not frame.irrealis:
                    frame.type, frame.rule = "SANCTION", f"{frame.rule}>sanction(told-to-leave)"  # an expulsion
                if frame.type == "REJECT" and source.type == "REJECT" and rules_out_force(source.head, cb):
                    frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(not-ruled-out)"
                if frame.type == "ACCUSE":
                    source.alleged = True  # the alleged act is coded too, marked as alleged
                    if not source.actors:  # "accused Tehran of supplying ...": the accused is the doer
                        source.actors = list(frame.recipients)
                        source.recipients = without(source.recipients, source.actors)
                    frame.consumed.discard(tok.i)
            elif frame.type == "AGREE" and hostile_verb(tok, index, cb):  # "vowed to seize the platforms"
                frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(hostile-promise)"
            elif frame.type == "REQUEST" and tok.lemma_.lower() in LEAVING and not frame.irrealis:
                frame.type, frame.rule = "SANCTION", f"{frame.rule}>sanction(told-to-leave)"  # an expulsion
            if source is None and not frame.recipients:
                # "demanded that Mugabe abandon ...": the one asked is the complement's subject
                found = actors_of(subject_of(tok), index) if tok.dep_ == "ccomp" else []
                found += [a for key in ("with", "to", "against", "on") for o in prep_objects(tok, key)
                          for a in actors_of(o, index)]
                frame.recipients = without(distinct(found), frame.actors)


def _add_obligations(sent: Span, frames: dict[int, Frame], index: MentionIndex, cb: Codebook) -> None:
    """"X said Libya must hand over the suspects": a demand by X on Libya (REQUEST)."""
    obligation = cb.modality.obligation_aux
    for tok in sent:
        if tok.lemma_.lower() not in cb.reporting_verbs or tok.i in frames:
            continue
        for comp in children(tok, "ccomp"):
            if not any(c.dep_ == "aux" and c.lower_ in obligation for c in comp.children):
                continue
            entry = cb.entries.get("request.demand")
            actors = actors_of(subject_of(tok), index)
            recipients = without(actors_of(subject_of(comp), index), actors)
            if entry is None or not (actors or recipients):
                continue
            frame = Frame(head=tok, entry=entry, type="REQUEST", actors=actors, recipients=recipients,
                          context=clause_context(comp, entry, cb), rule="request.obligation")
            frame.consumed |= {t.i for t in comp.subtree}
            frames[tok.i] = frame


def _consumed(frames: dict[int, Frame]) -> set[int]:
    out: set[int] = set()
    for frame in frames.values():
        out |= frame.consumed
    return out

