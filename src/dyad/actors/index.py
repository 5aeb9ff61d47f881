"""Fast lookup over the compiled actor dictionaries (``dyad/data/actors/phoenix/actors.json``).

In: a name or phrase. Out: `Entry` rows (name, kind, dated roles) from the compiled Phoenix data and the
hand-written ``bodies.yaml`` (agencies, parties, units, criminal groups), and the sector of an agent noun.

The compiled file holds its keys already normalised by `normalise_name` (the one function compile and lookup
share); it is read once, lazily, into plain dicts (load time and memory: ``eval/actors/bench_resolve.py``).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..datafiles import read_data
from ..schemas import BodiesFile, NameRulesFile, SectorMapFile, SectorWordsFile

COMPILED = ("phoenix", "actors.json")
FORMAT = 2  # 2: each entry stored as its own JSON text, decoded only when looked at (a faster load)


# --------------------------------------------------------------------------- names
@lru_cache(maxsize=1)
def name_rules() -> dict[str, Any]:
    return read_yaml("name_rules.yaml")


def rules_fingerprint() -> str:
    """Changes when name_rules.yaml changes: a compiled index made under other rules is re-keyed on load."""
    return hashlib.sha1(_data_text("name_rules.yaml").encode()).hexdigest()[:12]


def normalise_name(text: str, loose: bool = False) -> str:
    """The lookup key of a name: ASCII, lowercase, words split on anything else, particles (al-, el-) dropped.
    With `loose`, a spelling-blind key: words joined, variants rewritten, vowels after the first letter dropped
    ("Kassym-Jomart Tokayev" and "Kasymzhomart Tokayev" share it); "" when too short to trust."""
    rules = name_rules()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = re.sub(r"['’`]s\b", "", ascii_text).replace("'", "").replace(".", "")
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w and w not in rules["particles"]]
    if not loose:
        return " ".join(words)
    joined = "".join(words)
    for old, new in rules["variants"]:
        joined = joined.replace(old, new)
    skeleton = joined[:1] + re.sub(r"[aeiou]", "", joined[1:])
    skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
    return skeleton if len(skeleton) >= rules["min_loose_length"] else ""


# --------------------------------------------------------------------------- entries
@dataclass(frozen=True)
class Role:
    code: str | None  # ISO alpha-3 state, organisation code, or None
    sector: str | None
    start: str | None = None  # YYYY-MM-DD
    end: str | None = None

    def held_on(self, date: str | None) -> bool:
        if self.start is None and self.end is None:
            return False  # an undated role is a fallback, never "held" at a date
        if not date:
            return self.end is None
        return (self.start is None or self.start[:len(date)] <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # person | state | organization | group | body
    roles: tuple[Role, ...]
    source: str  # phoenix | bodies
    actor_id: str

    def role_on(self, date: str | None) -> tuple[Role | None, str]:
        """The role this entry had at `date`, and why that one: held | undated | latest | none."""
        held = [r for r in self.roles if r.held_on(date)]
        if held:
            return _most_specific(held), "held"
        undated = [r for r in self.roles if r.start is None and r.end is None]
        if undated:
            return _most_specific(undated), "undated"
        if self.roles:
            before = [r for r in self.roles if not date or (r.start or "") <= date]
            latest = max(before or self.roles, key=lambda r: (r.end or "9999", r.start or ""))
            return latest, "latest"
        return None, "none"


def _most_specific(roles: list[Role]) -> Role:
    """A defined sector beats none, an office (not ELI, the 'elite' fallback) beats ELI, the latest start wins."""
    return max(roles, key=lambda r: (r.sector is not None, r.sector not in ("ELI", None), r.start or ""))


# --------------------------------------------------------------------------- the index
class ActorIndex:
    def __init__(self, compiled: dict[str, Any], bodies: list[dict[str, Any]]):
        if compiled.get("format") != FORMAT:
            raise ValueError(f"compiled actor index: format {compiled.get('format')!r}, expected {FORMAT}; "
                             "recompile with `python -m dyad.actors.phoenix`")
        self._rows: list[str] = compiled["actors"]  # one JSON text per entry: [name, kind, roles, aliases]
        self.agents: dict[str, list] = compiled.get("agents", {})
        self.exact: dict[str, list[int]] = compiled["exact"]
        self.loose: dict[str, list[int]] = compiled["loose"]
        self.surnames: dict[str, list[int]] = compiled["surnames"]
        if compiled.get("rules") != rules_fingerprint():
            self._rekey()
        self._entries: dict[int, Entry] = {}
        self._add_bodies(bodies)

    def _rekey(self) -> None:
        """The name rules changed since compiling: key the stored names again (slower, still correct)."""
        self.exact, self.loose = {}, {}
        for i, text in enumerate(self._rows):
            for alias in json.loads(text)[3]:
                _append(self.exact, normalise_name(alias), i)
                _append(self.loose, normalise_name(alias, loose=True), i)
        self.agents = {normalise_name(k): v for k, v in self.agents.items()}

    def _add_bodies(self, bodies: list[dict[str, Any]]) -> None:
        for row in bodies:
            i = len(self._rows)
            roles = [[row.get("country"), row.get("sector"), None, None]]
            names = [row["name"], *(row.get("aliases") or [])]
            self._rows.append(json.dumps([row["name"], row.get("kind", "body"), roles, names, "bodies"]))
            for alias in names:
                _prepend(self.exact, normalise_name(alias), i)  # hand-written entries win over compiled ones
                _prepend(self.loose, normalise_name(alias, loose=True), i)

    def entry(self, i: int) -> Entry:
        if i not in self._entries:
            name, kind, roles, _aliases, *source = json.loads(self._rows[i])
            prefix = {"person": "person", "organization": "org"}.get(kind, kind)
            self._entries[i] = Entry(name, kind, tuple(Role(*r) for r in roles), source[0] if source else "phoenix",
                                     f"{prefix}:{slug(name)}")
        return self._entries[i]

    def find(self, text: str) -> list[Entry]:
        """Entries whose name or alias has this exact key, hand-written ones first."""
        return [self.entry(i) for i in self.exact.get(normalise_name(text), [])]

    def find_loose(self, text: str) -> list[Entry]:
        key = normalise_name(text, loose=True)
        return [self.entry(i) for i in self.loose.get(key, [])] if key else []

    def find_surname(self, text: str) -> list[Entry]:
        """People whose last name this is (one word); the caller decides between several."""
        return [self.entry(i) for i in self.surnames.get(normalise_name(text), [])]

    def agent(self, words: str) -> tuple[str | None, str | None] | None:
        """(sector, code) of an agent noun phrase ("riot police" -> COP), or None."""
        found = self.agents.get(normalise_name(words))
        return (found[0], found[1]) if found else None

    def __len__(self) -> int:
        return len(self._rows)


def _append(table: dict[str, list[int]], key: str, i: int) -> None:
    if key and i not in table.setdefault(key, []):
        table[key].append(i)


def _prepend(table: dict[str, list[int]], key: str, i: int) -> None:
    if key and i not in table.setdefault(key, []):
        table[key].insert(0, i)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


SCHEMAS = {"name_rules.yaml": NameRulesFile, "bodies.yaml": BodiesFile, "sector_words.yaml": SectorWordsFile,
           "phoenix/sector_map.yaml": SectorMapFile}


def read_yaml(*parts: str) -> Any:
    """An actor data file, checked against its schema (dyad.schemas)."""
    name = "/".join(parts)
    return read_data(f"actors/{name}", SCHEMAS[name])


def _data_text(*parts: str) -> str:
    path = resources.files("dyad") / "data" / "actors"
    for part in parts:
        path = path / part
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_index() -> ActorIndex:
    """The compiled dictionaries plus bodies.yaml, read once per process."""
    try:
        compiled = json.loads(_data_text(*COMPILED))
    except FileNotFoundError as err:
        raise ValueError("compiled actor index missing (dyad/data/actors/phoenix/actors.json): run "
                         "`python -m dyad.actors.phoenix PHOENIX_DIR -o src/dyad/data/actors/phoenix`") from err
    return ActorIndex(compiled, read_yaml("bodies.yaml") or [])
