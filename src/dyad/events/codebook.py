"""The codebook: predicates and arguments that mean a PLOVER type, mode and context.

All knowledge lives in ``data/codebook.yaml``; a user adds entries in a file named by ``DYAD_CODEBOOK``
(same layout: its `verbs` and `nouns` are appended, its other keys replace ours).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicon, plover
from ..datafiles import check, read_data
from ..schemas import CodebookFile, UserCodebookFile

# Aliases kept for readability in the data file: each names the object's subtree.
_OBJECT_SOURCES = {"poss_obj": "dobj", "dobj_owner": "dobj"}


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # "verb" | "noun"
    lemma: str  # one lemma; multiword lemmas are "verb particle" or a noun phrase
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    objects: frozenset[str] = frozenset()
    objects_actor: bool = False  # the object must be an actor (arrest X, release X)
    objects_none: bool = False  # no direct object allowed (workers went on strike)
    particle: str | None = None
    symmetric: bool = False
    symmetric_if_plural: bool = False
    modal: bool = False  # carries an attitude towards a complement: pledge to, demand that, refuse to
    needs_recipient: bool = False
    needs_complement: bool = False  # "declined to attend", not "trade declined"
    no_result: bool = False  # a resultative complement undoes it: "left thousands homeless" is no departure
    needs_partner: bool = False  # a second party (plural doers or a recipient): "set up a joint commission"
    requires_word: frozenset[str] = frozenset()  # words one of which the predicate must govern ("held X responsible")
    unless_word: frozenset[str] = frozenset()  # words none of which it may govern ("hit back with airstrikes")
    alone_type: str | None = None  # the type when done by one party alone (drills: MOBILIZE, not COOPERATE)
    subjects: frozenset[str] = frozenset()  # sectors the doer must be of ("youths clashed": a riot)
    subject_nouns: frozenset[str] = frozenset()  # the subject must be one of these ("protests erupted")
    objects_kind: str | None = None  # the object must be an actor of this kind ("quit ECOWAS": organization)
    only_with_between: bool = False
    only_with_actor: bool = False
    doers: tuple[str, ...] = ("poss", "amod", "compound", "nmod", "by")  # nominal events: who acts

    @property
    def specificity(self) -> int:
        return (2 * bool(self.objects) + bool(self.particle) + bool(self.objects_actor) + bool(self.objects_none)
                + bool(self.requires_word) + bool(self.unless_word) + bool(self.subjects) + 2 * bool(self.subject_nouns)
                + 2 * bool(self.objects_kind))


@dataclass(frozen=True)
class Modality:
    """The modality word lists of codebook.yaml (see `dyad.schemas.ModalitySpec` for what each holds)."""
    future_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    would: str
    intent_heads: frozenset[str]
    future_adverbs: frozenset[str]
    conditional_threat: frozenset[str]
    obligation_aux: frozenset[str]
    negators: frozenset[str]
    denial_heads: frozenset[str]
    force_nouns: frozenset[str]
    joint_adjectives: frozenset[str]
    partner_nouns: frozenset[str]
    undergo_verbs: frozenset[str]
    awaiting_verbs: frozenset[str]
    retaliation_markers: frozenset[str]
    intent_nouns: frozenset[str]
    no_event_complements: frozenset[str]
    light_prep_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    likeness_words: frozenset[str]
    proposal_nouns: frozenset[str]
    question_marks: frozenset[str]
    joint_markers: frozenset[str]
    open_question_marks: frozenset[str] = frozenset()
    nominalisations: dict[str, str] = field(default_factory=dict)  # noun -> the verb it is made from


@dataclass
class Codebook:
    verbs: dict[str, list[Entry]]
    nouns: dict[str, list[Entry]]
    light_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    modality: Modality
    contexts: dict[str, frozenset[str]]
    irrealis: dict[str, str]
    negated_intent: dict[str, str]
    cooperative_types: frozenset[str]
    hostile_types: frozenset[str]
    actor_nouns: dict[str, str] = field(default_factory=dict)  # noun -> sector
    judgement_words: frozenset[str] = frozenset()  # words that condemn conduct (learned coder's features)
    idioms: dict[str, list[Entry]] = field(default_factory=dict)  # phrases coded by what they mean
    figurative: dict[str, list[Entry]] = field(default_factory=dict)  # verb uses that report no act
    entries: dict[str, Entry] = field(default_factory=dict)

    def score(self, plover_type: str) -> float:
        return plover.score(plover_type)

    def verb_entries(self, lemma: str) -> list[Entry]:
        return self.verbs.get(lemma, [])

    def noun_entries(self, lemma: str) -> list[Entry]:
        return self.nouns.get(lemma, [])

    def is_cooperative(self, plover_type: str) -> bool:
        return plover_type in self.cooperative_types

    def is_hostile(self, plover_type: str) -> bool:
        return plover_type in self.hostile_types

    def commitment(self, plover_type: str, negated_intent: bool) -> str:
        """The type of promising (or refusing) an act of `plover_type` rather than doing it: a promised
        meeting is AGREE, a promised attack THREATEN; refusing cooperation is REJECT."""
        table = self.negated_intent if negated_intent else self.irrealis
        side = "cooperative" if self.is_cooperative(plover_type) else "hostile" if self.is_hostile(plover_type) else ""
        return table.get(side, plover_type)


def _flag(value) -> bool:
    return value is True or str(value).lower() == "true"


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _entries(raw: dict, kind: str) -> list[Entry]:
    out = []
    for lemma in _as_list(raw["lemma"]):
        out.append(Entry(
            id=raw["id"], kind=kind, lemma=str(lemma).lower(), type=raw.get("type", ""), mode=raw.get("mode"),
            context=tuple(_as_list(raw.get("context"))),
            recipient=tuple(_OBJECT_SOURCES.get(r, r) for r in _as_list(raw.get("recipient"))),
            objects=frozenset(str(o).lower() for o in _as_list(raw.get("objects"))),
            objects_actor=_flag(raw.get("objects_actor")), objects_none=_flag(raw.get("objects_none")),
            particle=raw.get("particle"), symmetric=_flag(raw.get("symmetric")),
            symmetric_if_plural=_flag(raw.get("symmetric_if_plural")), modal=_flag(raw.get("modal")),
            needs_recipient=_flag(raw.get("needs_recipient")),
            needs_complement=_flag(raw.get("needs_complement")),
            needs_partner=_flag(raw.get("needs_partner")), no_result=_flag(raw.get("no_result")),
            requires_word=frozenset(str(w).lower() for w in _as_list(raw.get("requires_word"))),
            unless_word=frozenset(str(w).lower() for w in _as_list(raw.get("unless_word"))),
            alone_type=raw.get("alone_type"), subjects=frozenset(_as_list(raw.get("subjects"))),
            subject_nouns=frozenset(_as_list(raw.get("subject_nouns"))), objects_kind=raw.get("objects_kind"),
            only_with_between=_flag(raw.get("only_with_between")),
            only_with_actor=_flag(raw.get("only_with_actor")),
            **({"doers": tuple(_as_list(raw["doers"]))} if raw.get("doers") else {}),
        ))
    return out


def _index(entries: list[Entry]) -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = {}
    for entry in entries:
        index.setdefault(entry.lemma, []).append(entry)
    for lemma in index:  # most specific first; later files win ties (stable sort on reversed order)
        index[lemma] = sorted(reversed(index[lemma]), key=lambda e: -e.specificity)
    return index


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if key in ("verbs", "nouns", "idioms", "figurative"):
            merged[key] = list(base.get(key, [])) + list(value)
        elif key == "modality":
            merged[key] = {**base.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def _modality(raw: dict, nominalisations: dict[str, str]) -> Modality:
    lists = {k: (v if isinstance(v, str) else frozenset(v)) for k, v in raw.items()}
    return Modality(**lists, nominalisations=dict(nominalisations))


@lru_cache(maxsize=4)
def load_codebook(extra: str | None = None) -> Codebook:
    """The packaged codebook, plus the user's file named by DYAD_CODEBOOK and `extra` (validated alike)."""
    raw = read_data("codebook.yaml", CodebookFile)
    for path in filter(None, (os.environ.get("DYAD_CODEBOOK"), extra)):
        raw = _merge(raw, read_data(path, UserCodebookFile, user=True))
    check(raw, CodebookFile, "codebook (packaged and user files together)")
    verbs = [e for r in raw.get("verbs", []) for e in _entries(r, "verb")]
    nouns = [e for r in raw.get("nouns", []) for e in _entries(r, "noun")]
    idioms = [e for r in raw.get("idioms", []) for e in _entries(r, "verb")]
    figurative = [e for r in raw.get("figurative", []) for e in _entries(r, "verb")]  # no type: no event
    return Codebook(
        verbs=_index(verbs), nouns=_index(nouns), idioms=_index(idioms), figurative=_index(figurative),
        light_verbs=frozenset(raw.get("light_verbs", [])),
        reporting_verbs=lexicon.reporting_verbs("events"),
        modality=_modality(raw["modality"], raw.get("nominalisations", {})),
        contexts={k: frozenset(v) for k, v in raw.get("contexts", {}).items()},
        irrealis=raw.get("irrealis", {}), negated_intent=raw.get("negated_intent", {}),
        cooperative_types=frozenset(raw.get("cooperative_types", [])),
        hostile_types=frozenset(raw.get("hostile_types", [])),
        actor_nouns={noun: sector for sector, nouns in raw.get("actor_nouns", {}).items() for noun in nouns},
        judgement_words=frozenset(raw.get("judgement_words", [])),
        entries={e.id: e for e in verbs + nouns + idioms},
    )
