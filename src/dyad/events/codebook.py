"""The codebook: predicates and arguments that mean a PLOVER type, mode and context.

All knowledge lives in ``data/codebook.yaml``; a user adds entries in a file named by ``DYAD_CODEBOOK``
(same layout: its `verbs` and `nouns` are appended, its other keys replace ours).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
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
                + bool(self.requires_word) + bool(self.subjects) + 2 * bool(self.subject_nouns)
                + 2 * bool(self.objects_kind))


@dataclass
class Codebook:
    types: dict[str, dict]
    verbs: dict[str, list[Entry]]
    nouns: dict[str, list[Entry]]
    light_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    modality: dict
    contexts: dict[str, frozenset[str]]
    irrealis: dict[str, str]
    negated_intent: dict[str, str]
    cooperative_types: frozenset[str]
    hostile_types: frozenset[str]
    actor_nouns: dict[str, str] = field(default_factory=dict)  # noun -> sector
    entries: dict[str, Entry] = field(default_factory=dict)

    def score(self, plover_type: str) -> float:
        return float(self.types.get(plover_type, {}).get("score", 0.0))

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
        if raw["type"] not in PLOVER_TYPES:
            raise ValueError(f"codebook entry {raw['id']}: unknown PLOVER type {raw['type']!r}")
        out.append(Entry(
            id=raw["id"], kind=kind, lemma=str(lemma).lower(), type=raw["type"], mode=raw.get("mode"),
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


class _WordLoader(yaml.SafeLoader):
    """YAML 1.1 reads on/off/yes/no as booleans; in a word list they are words ("sanctions on X")."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(path: Path | str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_WordLoader) or {}


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if key in ("verbs", "nouns"):
            merged[key] = list(base.get(key, [])) + list(value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=4)
def load_codebook(extra: str | None = None) -> Codebook:
    raw = _read(resources.files("dyad") / "data" / "codebook.yaml")
    for path in filter(None, (os.environ.get("DYAD_CODEBOOK"), extra)):
        raw = _merge(raw, _read(path))
    verbs = [e for r in raw.get("verbs", []) for e in _entries(r, "verb")]
    nouns = [e for r in raw.get("nouns", []) for e in _entries(r, "noun")]
    modality = raw.get("modality", {})
    return Codebook(
        types=raw["types"], verbs=_index(verbs), nouns=_index(nouns),
        light_verbs=frozenset(raw.get("light_verbs", [])),
        reporting_verbs=frozenset(raw.get("reporting_verbs", [])),
        modality={k: (frozenset(v) if isinstance(v, list) else v) for k, v in modality.items()
                  if k != "nominalisations"} | {"nominalisations": raw.get("nominalisations", {})},
        contexts={k: frozenset(v) for k, v in raw.get("contexts", {}).items()},
        irrealis=raw.get("irrealis", {}), negated_intent=raw.get("negated_intent", {}),
        cooperative_types=frozenset(raw.get("cooperative_types", [])),
        hostile_types=frozenset(raw.get("hostile_types", [])),
        actor_nouns={noun: sector for sector, nouns in raw.get("actor_nouns", {}).items() for noun in nouns},
        entries={e.id: e for e in verbs + nouns},
    )
