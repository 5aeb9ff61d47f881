"""The actor knowledge base: states, organisations, groups, people with dated offices, and title words.

Everything is read from YAML files in ``dyad/data/actors/`` (states.yaml, organizations.yaml, groups.yaml,
people.yaml, titles.yaml, references.yaml). A user extends it with one more YAML file, found in this order:

1. the path given to ``load_kb(path)``;
2. the environment variable ``DYAD_ACTORS``;
3. ``~/.config/dyad/actors.yaml``.

The user file has any of the top-level sections ``states``, ``organizations``, ``groups`` (mappings keyed by
code, as in the packaged files), ``people`` (a list), ``titles`` (with ``offices`` and ``bodies``) and
``references``. Its entries are added to the packaged ones; an entry with a code already known replaces it.
Example::

    people:
      - {name: Jane Doe, aliases: [Doe], country: NOR,
         offices: [{title: foreign minister, sector: GOV, start: "2025-01-02"}]}
    groups:
      ABC: {name: Army of the Blue Coast, aliases: [ABC], sector: REB}

``add_entity_ruler(nlp, kb)`` puts the names into spaCy's entity ruler so the statistical tagger cannot
mislabel them (the small English model tags BRICS as GPE, Iranian surnames at sentence start as NORP).
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import packaged, read_data
from ..schemas import (
    ActorsFile,
    GroupsFile,
    OrganizationsFile,
    PeopleFile,
    ReferencesFile,
    StatesFile,
    TitlesFile,
)

USER_FILE = Path("~/.config/dyad/actors.yaml")


@dataclass(frozen=True)
class Entry:
    """What a surface form (a name, alias, demonym or seat) stands for."""
    kind: str  # state | organization | group | person
    code: str  # state/org/group code, or the person's slug
    how: str  # name | demonym | capital
    sector: str | None = None


@dataclass
class Office:
    title: str  # canonical office ("defence minister")
    sector: str | None
    start: str | None = None
    end: str | None = None
    code: str | None = None  # body the office belongs to, when not the person's state

    def held_on(self, date: str | None) -> bool:
        if not date:
            return self.end is None
        return (self.start is None or self.start[:len(date)] <= date) and (self.end is None or date <= self.end)


@dataclass
class Person:
    name: str
    slug: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    gender: str | None = None

    def office_on(self, date: str | None) -> Office | None:
        current = [o for o in self.offices if o.held_on(date)]
        return current[0] if current else (self.offices[0] if self.offices and not date else None)


@dataclass
class Title:
    words: str  # lowercase words as written in titles.yaml
    kind: str  # office | body
    sector: str | None
    office: str  # canonical office (or the words, for bodies)
    country: str | None = None


class KnowledgeBase:
    def __init__(self, data: dict[str, Any]):
        self.states: dict[str, dict] = data.get("states") or {}
        self.organizations: dict[str, dict] = data.get("organizations") or {}
        self.groups: dict[str, dict] = data.get("groups") or {}
        self.references: dict[str, Any] = data.get("references") or {}
        self.not_actors: set[str] = set(self.references.get("not_actors") or [])
        self.people: dict[str, Person] = {}
        self.surfaces: dict[str, Entry] = {}
        self.titles: dict[tuple[str, ...], tuple[Title, bool]] = {}
        self._index_titles(data.get("titles") or {})  # first: people's offices are named through it
        self._index_places()
        for row in data.get("people") or []:
            self._add_person(row)
        self.max_title_len = max((len(k) for k in self.titles), default=1)

    # --- building
    def _add_surface(self, text: str | None, entry: Entry) -> None:
        if text and text not in self.surfaces:
            self.surfaces[text] = entry

    def _index_places(self) -> None:
        for code, row in self.states.items():
            self._add_surface(row["name"], Entry("state", code, "name"))
            for alias in row.get("aliases") or []:
                self._add_surface(alias, Entry("state", code, "name"))
            for demonym in row.get("demonyms") or []:
                self._add_surface(demonym, Entry("state", code, "demonym"))
            for seat, sector in (row.get("seats") or {}).items():
                self._add_surface(seat, Entry("state", code, "capital", sector))
        for code, row in self.organizations.items():
            for alias in [row["name"], *(row.get("aliases") or [])]:
                self._add_surface(alias, Entry("organization", code, "name"))
            for adjective in row.get("adjectives") or []:  # "the European measures"
                self._add_surface(adjective, Entry("organization", code, "demonym"))
            for seat, sector in (row.get("seats") or {}).items():
                self._add_surface(seat, Entry("organization", code, "capital", sector))
        for code, row in self.groups.items():
            for alias in [row["name"], *(row.get("aliases") or [])]:
                self._add_surface(alias, Entry("group", code, "name", row.get("sector")))
            for adjective in row.get("adjectives") or []:
                self._add_surface(adjective, Entry("group", code, "demonym", row.get("sector")))

    def _add_person(self, row: dict) -> None:
        if not row.get("name"):
            raise ValueError(f"person without a name in the actor knowledge base: {row!r}")
        offices = [Office(self.canonical_office(str(o["title"])), o.get("sector"), _date(o.get("start")),
                          _date(o.get("end")), o.get("code")) for o in row.get("offices") or []]
        person = Person(row["name"], slugify(row["name"]), row.get("country"), list(row.get("aliases") or []),
                        offices, row.get("gender"))
        self.people[person.slug] = person
        for alias in [person.name, *person.aliases]:
            self._add_surface(alias, Entry("person", person.slug, "name"))

    def _index_titles(self, titles: dict) -> None:
        self._office_names: dict[str, str] = {}
        for kind, section in (("office", "offices"), ("body", "bodies")):
            for words, row in (titles.get(section) or {}).items():
                row = row or {}
                title = Title(words, kind, row.get("sector"), row.get("office") or words, row.get("country"))
                tokens = tuple(_title_tokens(words))
                self.titles.setdefault(tokens, (title, False))
                if kind == "office":
                    self.titles.setdefault(tuple(plural_tokens(list(tokens))), (title, True))
                    self._office_names[words] = title.office

    def canonical_office(self, words: str) -> str:
        """The office a title names ("minister of defense" -> "defence minister")."""
        names = getattr(self, "_office_names", None) or {}
        return names.get(words.lower(), words.lower())

    # --- lookups
    def lookup(self, text: str) -> Entry | None:
        """What a name, alias, demonym or seat stands for; None when the KB does not know it."""
        text = _clean_surface(text)
        if text in self.not_actors:
            return None
        found = self.surfaces.get(text)
        if found is None and text.lower().startswith("the "):
            found = self.surfaces.get(text[4:])
        if found is None and not text.isupper():
            found = self._case_insensitive.get(text.lower())
        return found

    @cached_property  # built on first use, kept on the instance (a per-method lru_cache thrashed between two KBs)
    def _case_insensitive(self) -> dict[str, Entry]:
        return {k.lower(): v for k, v in self.surfaces.items() if len(k.split()) > 1}

    def entry_for(self, code: str, how: str, sector: str | None = None) -> Entry | None:
        """An entry for a code the actor files hold (an organisation, group or state), None for another."""
        for kind, table in (("organization", self.organizations), ("group", self.groups), ("state", self.states)):
            if code in table:
                return Entry(kind, code, how, sector)
        return None

    def name_of(self, kind: str, code: str) -> str:
        table = {"state": self.states, "organization": self.organizations, "group": self.groups}.get(kind, {})
        return (table.get(code) or {}).get("name", code)

    def person(self, slug: str) -> Person | None:
        return self.people.get(slug)

    def office_holder(self, code: str, office: str, date: str | None) -> Person | None:
        """Who held an office of a state (or body) at a date; None when the KB cannot tell."""
        office = self.canonical_office(office)
        holders: dict[str, tuple[str, Person]] = {}
        for p in self.people.values():
            for o in p.offices:
                if o.title == office and (o.code or p.country) == code and (date is None or o.held_on(date)):
                    holders[p.slug] = max(holders.get(p.slug, ("", p)), (o.start or "", p), key=lambda h: h[0])
        if date is None:
            return next(iter(holders.values()))[1] if len(holders) == 1 else None  # undated: a sole holder ever
        # two open-ended holders on one date: a successor's later start ends the predecessor's term
        ranked = sorted(holders.values(), key=lambda h: h[0], reverse=True)
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return None
        return ranked[0][1] if ranked else None

    def title_for_office(self, office: str) -> Title | None:
        found = self.titles.get(tuple(_title_tokens(self.canonical_office(office))))
        return found[0] if found else None

    def match_title(self, words: list[str], start: int) -> tuple[int, Title, bool] | None:
        """Longest title beginning at words[start]: (end index, title, plural?)."""
        for length in range(min(self.max_title_len, len(words) - start), 0, -1):
            key = tuple(words[start:start + length])
            if key in self.titles:
                title, plural = self.titles[key]
                return start + length, title, plural
        return None


# --- helpers
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _clean_surface(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(['’]s?)$", "", text) if not text.endswith(".") else text


def _date(value: Any) -> str | None:
    return None if value is None else str(value)


def _title_tokens(words: str) -> list[str]:
    return words.lower().replace("-", " - ").split()


def plural_tokens(tokens: list[str]) -> list[str]:
    """Plural of a title: its head word (the last, or the one before "of") takes the plural."""
    head = tokens.index("of") - 1 if "of" in tokens else len(tokens) - 1
    return tokens[:head] + [plural_word(tokens[head])] + tokens[head + 1:]


def plural_word(word: str) -> str:
    """English plural of one lowercase word ("minister" -> "ministers", "spokesman" -> "spokesmen")."""
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


# --- loading
# Each packaged file and the schema it follows; officeholders.yaml adds dated offices to people.yaml.
SECTION_FILES = {"states": StatesFile, "organizations": OrganizationsFile, "groups": GroupsFile,
                 "people": PeopleFile, "titles": TitlesFile, "references": ReferencesFile}
LATER_PEOPLE_FILES = ("officeholders.yaml",)


def packaged_data() -> dict[str, Any]:
    data = {section: read_data(f"actors/{section}.yaml", schema) or {} for section, schema in SECTION_FILES.items()}
    for name in LATER_PEOPLE_FILES:
        if packaged(f"actors/{name}").is_file():
            data["people"] = merge_people(data["people"], read_data(f"actors/{name}", PeopleFile) or [])
    return data


def merge_people(older: list[dict], newer: list[dict]) -> list[dict]:
    """People of two sources merged by name (spelt with or without diacritics): where both give one term of
    an office, the newer source's dates replace the older's (later sources win); other terms, other offices
    and all aliases are kept."""
    merged = {slugify(row["name"]): dict(row) for row in older}  # "Erdoğan" and "Erdogan" are one person
    for row in newer:
        key = slugify(row["name"])
        base = merged.get(key)
        if base is None:
            merged[key] = dict(row)
            continue
        newer_offices = row.get("offices") or []
        kept = [o for o in base.get("offices") or [] if not any(_same_term(o, n) for n in newer_offices)]
        aliases = list(dict.fromkeys([*(base.get("aliases") or []), *(row.get("aliases") or [])]))
        merged[key] = {**base, **{k: v for k, v in row.items() if v and k != "name"}, "aliases": aliases,
                               "offices": [*(row.get("offices") or []), *kept]}
    return list(merged.values())


def _same_term(old: dict, new: dict) -> bool:
    """Two records of one term of one office: same title and overlapping dates (an open end runs on)."""
    if old["title"] != new["title"] or old.get("code") != new.get("code"):
        return False
    far = "9999"
    return str(old.get("start") or "") <= str(new.get("end") or far) and \
        str(new.get("start") or "") <= str(old.get("end") or far)


def user_file(key: str) -> Path | None:
    if key not in ("default", ""):
        return Path(key).expanduser()
    configured = os.environ.get("DYAD_ACTORS")
    if configured:
        return Path(configured).expanduser()
    home = USER_FILE.expanduser()
    return home if home.exists() else None


def merge_user_data(data: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for section, value in extra.items():
        if section == "people":
            data["people"] = list(value or []) + list(data.get("people") or [])  # user entries win on a name
        elif section == "titles":
            for part in ("offices", "bodies"):
                data["titles"].setdefault(part, {}).update((value or {}).get(part) or {})
        else:
            data.setdefault(section, {}).update(value or {})
    return data


def load_kb(key: str = "default") -> KnowledgeBase:
    """The packaged knowledge base plus the user's file (see the module docstring); cached per key.
    Every file is checked against its schema (dyad.schemas): a misspelt key is an error naming it."""
    return _load_kb(str(key))  # one cache entry whatever the call's form: load_kb() and load_kb("default")


@lru_cache(maxsize=4)
def _load_kb(key: str) -> KnowledgeBase:
    data = packaged_data()
    path = user_file(str(key))
    if path is not None:
        data = merge_user_data(data, read_data(path, ActorsFile, user=True) or {})
    return KnowledgeBase(data)


load_kb.cache_clear = _load_kb.cache_clear  # type: ignore[attr-defined]


# --- spaCy entity ruler
LABELS = {("state", "name"): "GPE", ("state", "capital"): "GPE", ("state", "demonym"): "NORP",
          ("organization", "name"): "ORG", ("organization", "capital"): "GPE",
          ("group", "name"): "ORG", ("group", "demonym"): "NORP", ("person", "name"): "PERSON",
          ("organization", "demonym"): "NORP"}


def ruler_patterns(kb: KnowledgeBase) -> list[dict[str, str]]:
    patterns = []
    for text, e in kb.surfaces.items():
        variants = [text, "The" + text[3:]] if text.startswith("the ") else [text]  # "The West" opens a sentence
        patterns += [{"label": LABELS[(e.kind, e.how)], "pattern": v, "id": f"{e.kind}:{e.code}"} for v in variants]
    return patterns + [{"label": "ORG", "pattern": text, "id": "not-actor"} for text in kb.not_actors]


def add_entity_ruler(nlp, kb: KnowledgeBase):
    """Put the KB's names before the statistical tagger, which keeps them as given (case-sensitive)."""
    if kb is None or "dyad_actors" in nlp.pipe_names:
        return None
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name="dyad_actors", config={"overwrite_ents": True}, **where)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns(kb))
    return ruler
