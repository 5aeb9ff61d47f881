"""The learned-coder stage: checks the rule events and adds the events no rule found.

In: a `Work` after the events stage (parsed segments, resolved mentions, the rule events). Out: the same
events minus those the type model is confident are not events (precision), plus one event for each sentence
where no rule fired but the model is confident of a type (recall). Such an event's source and target are the
sentence's resolved mentions the role model ranks highest; its `rule` reads "model:ASSAULT p=0.83", its
`trigger` is the word that weighed most for the type, its `confidence` the probability. Dates, aux, location
and attribution come from the events stage's own functions.
"""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from spacy.tokens import Token

from ..events import (
    HISTORICAL_AFTER_DAYS,
    date_for,
    deduplicate,
    main_clause_date,
    older_than,
    sentence_dates,
)
from ..events.arguments import MentionIndex
from ..events.frames import keyword_contexts
from ..events.matching import object_matches
from ..events.modality import (
    commitment_rule,
    committed_type,
    is_question,
    modality,
    only_declines_to_speak,
    predicate_modality,
)
from ..events.places import attribution_of, cue_mode, location_of
from ..events.syntax import direct_object
from ..records import ActorRef, Document, Event, Mention
from .features import (
    Candidate,
    Discourse,
    Sentence,
    candidate_features,
    candidates,
    context_features,
    event_features,
    sentence_features,
    sentences_of,
    word_features,
)
from .model import CONTEXT_BAR, ROLE_CLASSES, Models, load_models


def learned_stage(pipeline, work) -> None:
    """Pipeline stage (after "events"): rescore, filter and extend the rule events."""
    models = load_models()
    if models is None:
        return
    extraction = work.extraction
    extraction.events = recode(work.parsed, extraction.mentions, work.document, extraction.events,
                               pipeline.codebook, models)


def recode(parsed, mentions: list[Mention], document: Document, events: list[Event], codebook,
           models: Models) -> list[Event]:
    """The events to keep, each with its `reliability`: the acceptance model's probability that a careful
    annotator would code it so (type and parties). Only an event the model made can be dropped for a low one
    (`accept`): the codebook's events stay, for the user to filter."""
    bar = models.thresholds.get("accept", 0.0)
    chosen = []
    for event, feats, made_by_model in coded_events(parsed, mentions, document, events, codebook, models,
                                                    with_features=models.accept is not None):
        reliability = float(models.accept.proba(feats)[0]) if feats is not None else None
        if made_by_model and reliability is not None and reliability < bar:
            continue
        chosen.append(replace(event, reliability=None if reliability is None else round(reliability, 2),
                              retold=list(event.retold)))  # merging tellings below must not touch the input
    return deduplicate(chosen, parsed)


def coded_events(parsed, mentions: list[Mention], document: Document, events: list[Event], codebook,
                 models: Models, with_features: bool = False):
    """(event, acceptance features or None, made by the model) for each rule event the type model does not
    reject (`keep`) and each event it adds. With `with_features` every event a sentence holds gets its
    acceptance features (its `reliability`, and training); rule events outside every sentence pass with none."""
    th = models.thresholds
    seen: set[int] = set()  # ids of the rule events some sentence holds; the others are kept untouched
    views = sentences_of(parsed, mentions, events)
    discourse = Discourse.of(views)
    previous = None
    n_added = 0
    for view in views:
        discourse.previous = previous.codes() if previous is not None else []
        proba = models.types.proba(sentence_features(view, codebook))
        here = []
        for event in view.rules:
            seen.add(id(event))
            if _type_probability(models, proba, event.type) >= th["keep"]:
                event = _with_parties(event, view, discourse, models, codebook)
                here.append((_with_model_context(event, view, models, codebook), False))
        new = _new_events(view, proba, discourse, models, codebook, document, previous, n_added)
        n_added += len(new)
        for event, made_by_model in here + [(e, True) for e in new]:
            feats = _acceptance_features(event, view, proba, discourse, models, codebook, made_by_model) \
                if with_features else None
            yield event, feats, made_by_model
        previous = view
    for event in events:
        if id(event) not in seen:
            yield event, None, False


def _acceptance_features(event: Event, view: Sentence, proba, discourse: Discourse, models: Models, codebook,
                         made_by_model: bool) -> list[str]:
    trigger = _token_of(view, event.trigger)
    scored = _scored(view, discourse, event.type, trigger, models, codebook)
    return event_features(event, view, proba, models.types.classes, scored, made_by_model)


def _token_of(view: Sentence, trigger: str | None) -> Token | None:
    """The sentence's token an event's trigger words start with (None when the trigger is not in it)."""
    first = (trigger or "").split(" ")[0]
    return next((t for t in view.span if t.text == first), None)


def _type_probability(models: Models, proba, plover_type: str) -> float:
    classes = models.types.classes
    return float(proba[classes.index(plover_type)]) if plover_type in classes else 1.0


def _new_types(view: Sentence, proba, models: Models) -> list[int]:
    """The types to add an event for: the confident ones no rule found here, the likeliest first."""
    th = models.thresholds
    fired = {e.type for e in view.rules}
    bar = th["add_more"] if fired else th["add"]
    order = [int(k) for k in proba.argsort()[::-1] if models.types.classes[k] not in fired]
    return [k for k in order[:int(th["max_new"])] if proba[k] >= bar]


def _new_events(view: Sentence, proba, discourse: Discourse, models: Models, codebook, document: Document,
                previous: Sentence | None, n: int) -> list[Event]:
    out = []
    for k in _new_types(view, proba, models):
        plover_type = models.types.classes[k]
        trigger = _trigger(view, models, k, codebook)
        if _anchor_weight(trigger, models, k, codebook) < models.thresholds.get("anchor", 0.0):
            continue  # no word of the sentence speaks for the type by itself: diffuse evidence
        if only_declines_to_speak(trigger, codebook):
            continue  # "refused to comment": no act, as the rules stage reads it
        if is_question(trigger, codebook, codebook.modality.open_question_marks):
            continue  # "did not answer whether Iran had asked": neither told nor denied
        actors, recipients = _roles(view, discourse, plover_type, trigger, models, codebook)
        if actors or recipients:
            out.append(_event(view, plover_type, float(proba[k]), trigger, actors, recipients, codebook, models,
                              document, previous, n + len(out)))
    return out


def _trigger(view: Sentence, models: Models, k: int, codebook) -> Token:
    """The token whose own features weigh most for type `k` (the sentence root when none does)."""
    best, weight = view.span.root, 0.0
    for tok in view.span:
        score = _anchor_weight(tok, models, k, codebook)
        if score > weight:
            best, weight = tok, score
    return best


def _anchor_weight(tok: Token, models: Models, k: int, codebook) -> float:
    return sum(models.types.weight(f, k) for f in word_features(tok, codebook))


def _scored(view: Sentence, discourse: Discourse, plover_type: str, trigger: Token | None, models: Models,
            codebook) -> list[tuple[float, float, Candidate]]:
    """(p source, p target, candidate) for every candidate party of the sentence's event."""
    source_k, target_k = ROLE_CLASSES.index("source"), ROLE_CLASSES.index("target")
    out = []
    for cand in candidates(view, discourse):
        p = models.roles.proba(candidate_features(view, cand, discourse, plover_type, trigger, codebook))
        out.append((float(p[source_k]), float(p[target_k]), cand))
    return out


def _roles(view: Sentence, discourse: Discourse, plover_type: str, trigger: Token, models: Models, codebook
           ) -> tuple[list[ActorRef], list[ActorRef]]:
    """The source and the target: the best-scored candidate for each, if over its threshold."""
    scored = _scored(view, discourse, plover_type, trigger, models, codebook)
    if not scored:
        return [], []
    th = models.thresholds
    source = max(scored, key=lambda s: s[0])
    actors = [source[2].ref] if source[0] >= th["source"] else []
    others = [s for s in scored if s[2].code != source[2].code]
    target = max(others, key=lambda s: s[1]) if others else None
    recipients = [target[2].ref] if target is not None and target[1] >= th["target"] else []
    return actors, recipients


def _with_parties(event: Event, view: Sentence, discourse: Discourse, models: Models, codebook) -> Event:
    """A directed rule event missing a side gets the role model's best candidate for it, when confident:
    a target for a source with no recipient (`fill`), a source for an act no one was coded doing
    (`fill_source`)."""
    if event.symmetric:
        return event
    th = models.thresholds
    has_source = any(a.code for a in event.actors)
    if event.recipients and has_source:
        return event
    taken = {a.code for a in event.actors + event.recipients if a.code}
    trigger = _token_of(view, event.trigger)
    scored = [s for s in _scored(view, discourse, event.type, trigger, models, codebook) if s[2].code not in taken]
    if not scored:
        return event
    if not has_source:
        best = max(scored, key=lambda s: s[0])
        if best[0] >= th.get("fill_source", 1.1):
            return replace(event, actors=[best[2].ref])
        return event
    best = max(scored, key=lambda s: s[1])
    return replace(event, recipients=[best[2].ref]) if best[1] >= th["fill"] else event


def _event(view: Sentence, plover_type: str, p: float, trigger: Token, actors: list[ActorRef],
           recipients: list[ActorRef], codebook, models: Models, document: Document, previous: Sentence | None,
           n: int) -> Event:
    irrealis, negated, negated_intent = (predicate_modality if _event_noun(trigger, codebook) else modality)(
        trigger, codebook)
    rule = f"model:{plover_type} p={p:.2f}"
    committed = committed_type(plover_type, trigger, irrealis, negated_intent, codebook)  # as the rules read it
    if committed != plover_type:
        plover_type, rule = committed, commitment_rule(rule, committed, irrealis)
    date_value, precision, date_text = _when(view, trigger, irrealis, document, previous)
    aux = irrealis or ("negation" if negated else None)
    if aux is None and older_than(date_value, document.published, HISTORICAL_AFTER_DAYS):
        aux = "historical"
    symmetric = bool(actors) and bool(recipients) and _joint(trigger, plover_type, codebook)
    if symmetric:
        actors, recipients = actors + recipients, []
    index = MentionIndex(view.part, [p.mention for p in view.placed])
    mode, context = _mode_and_context(view, trigger, plover_type, codebook, models)
    return Event(
        event_id=f"{document.id}:m{n + 1}", doc_id=document.id, type=plover_type, mode=mode, context=context,
        actors=actors, recipients=recipients, date=date_value, date_text=date_text,
        location=location_of(trigger, view.span), aux=aux, attribution=attribution_of(view.span, index),
        evidence={"text": view.span.text, "start": view.start, "end": view.end},
        score=codebook.score(plover_type), confidence=round(p, 2), rule=rule,
        date_precision=precision, symmetric=symmetric, trigger=trigger.text,
    )


def _event_noun(trigger: Token, codebook) -> bool:
    """A noun that names the act ("the planned withdrawal", "to hold talks"): it takes the modality of the verb
    that governs it, as the rules stage reads its nominal events; another noun the model leaned on ("troops",
    a name) does not."""
    return trigger.pos_ == "NOUN" and (trigger.dep_ == "dobj" or bool(codebook.noun_entries(trigger.lemma_.lower())))


def _mode_and_context(view: Sentence, trigger: Token, plover_type: str, codebook, models: Models
                      ) -> tuple[str | None, list[str]]:
    """An added event's manner and domain: the mode of the trigger's own codebook entry of this type whose
    objects it has ("used chemical weapons" is not the entry for using people as human shields), else the
    first mode whose cue the sentence holds (`cue_mode`), and its contexts (`_contexts`)."""
    entries = _own_entries(trigger, plover_type, codebook)
    obj = direct_object(trigger)
    mode = next((e.mode for e in entries if e.mode and object_matches(e, obj, trigger)), None)
    return mode or cue_mode(plover_type, view.span), _contexts(view, entries, plover_type, codebook, models)


def _with_model_context(event: Event, view: Sentence, models: Models, codebook) -> Event:
    """A rule event's contexts from the context model too, when there is one: its codebook entry's own
    contexts are precise, the codebook's context words over the clause are not (on the tuning set's matched
    rule events, precision / recall 0.60 / 0.40 before, 0.65 / 0.57 with the model; src/dyad/learn/README.md)."""
    trigger = _token_of(view, event.trigger)
    if models.contexts is None or trigger is None:
        return event
    entries = _own_entries(trigger, event.type, codebook)
    return replace(event, context=_contexts(view, entries, event.type, codebook, models))


def _contexts(view: Sentence, entries: list, plover_type: str, codebook, models: Models) -> list[str]:
    """The contexts of these codebook entries (the trigger's own, of the event's type), and those the context
    model gives p >= `context`; without a context model, the codebook `contexts` whose words the sentence has."""
    context = {c for e in entries for c in e.context}
    if models.contexts is None:
        return sorted(context | keyword_contexts(list(view.span), codebook))
    p = models.contexts.proba(context_features(view, plover_type, codebook))
    bar = models.thresholds.get("context", CONTEXT_BAR)
    return sorted(context | {name for name, pk in zip(models.contexts.classes, p) if pk >= bar})


def _joint(trigger: Token, plover_type: str, codebook) -> bool:
    """A joint act ("met", "clashed"): the codebook marks the trigger's entry of this type symmetric; both
    parties then go in `actors`."""
    return any(e.symmetric for e in _own_entries(trigger, plover_type, codebook))


def _own_entries(trigger: Token, plover_type: str, codebook) -> list:
    """The codebook's verb and noun entries of the trigger's lemma that code this type."""
    lemma = trigger.lemma_.lower()
    return [e for e in codebook.verb_entries(lemma) + codebook.noun_entries(lemma) if e.type == plover_type]


def _when(view: Sentence, trigger: Token, irrealis, document: Document, previous: Sentence | None):
    """(date, precision, date words) by the events stage's own rules; the publication date by default."""
    dates = sentence_dates(view.span, document.published)
    before = main_clause_date(sentence_dates(previous.span, document.published), previous.span) \
        if previous is not None and previous.part is view.part else None
    frame = SimpleNamespace(head=trigger, irrealis=irrealis)
    ahead = sentence_dates(view.span, document.published, "future") if irrealis == "future" else None
    resolved, date_text = date_for(frame, dates, before, {trigger.i}, ahead)
    if resolved is None:
        return (document.published, "day", None) if document.published else (None, None, None)
    return resolved.value, resolved.precision, date_text


__all__ = ["learned_stage", "load_models", "recode"]
