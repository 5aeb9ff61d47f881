"""Sector and state of a generic phrase ("a team of heavily armed police", "Kenyan police", "students in Dhaka").

In: a phrase. Out: the PLOVER sector its head noun (and modifiers) give, and the states or organisations its
demonyms and place names give. Words come from ``data/actors/sector_words.yaml`` first, then the knowledge
base's titles (titles.yaml), then the compiled Phoenix agent nouns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .index import load_index, normalise_name, read_yaml

PREPOSITIONS = {"of", "in", "from", "at", "near", "on", "for", "with", "by", "outside", "inside", "across", "among"}
MAX_WORDS = 4


@dataclass(frozen=True)
class SectorWords:
    nouns: dict[str, str]
    generic_heads: frozenset[str]
    modifiers: dict[str, str]
    collectives: frozenset[str]
    skip: frozenset[str]
    place_suffixes: frozenset[str]
    institutions: frozenset[str]
    name_heads: frozenset[str]


@lru_cache(maxsize=1)
def sector_words() -> SectorWords:
    raw = read_yaml("sector_words.yaml")

    def by_word(section: str) -> dict[str, str]:
        return {normalise_name(w): sector for sector, words in raw[section].items() for w in words}

    return SectorWords(by_word("nouns"), frozenset(normalise_name(w) for w in raw["generic_heads"]),
                       by_word("modifiers"), frozenset(raw["collectives"]),
                       frozenset(normalise_name(w) for w in raw["skip"]), frozenset(raw["place_suffixes"]),
                       frozenset(raw["institutions"]), frozenset(raw["name_heads"]))


def name_head_sector(text: str) -> tuple[str, str] | None:
    """Sector of an unknown name from its last word when that word is an organisation noun ("... Party")."""
    words = words_of(text)
    if words and words[-1] in sector_words().name_heads:
        sector = noun_sector(words[-1])
        return (sector, words[-1]) if sector else None
    return None


def words_of(text: str) -> list[str]:
    return normalise_name(text).split()


def noun_sector(phrase: str, kb=None) -> str | None:
    """Sector of a noun phrase known as a whole: sector_words.yaml, then titles.yaml, then Phoenix agents."""
    words = sector_words()
    if phrase in words.nouns:
        return words.nouns[phrase]
    if kb is not None:
        found = kb.titles.get(tuple(phrase.split()))
        if found and found[0].sector:
            return found[0].sector
    agent = load_index().agent(phrase)
    return agent[0] if agent else None


def phrase_sector(text: str, kb=None) -> tuple[str, str] | None:
    """(sector, the words that gave it) for a generic phrase, or None when no agent noun is found."""
    segments = _segments(words_of(text))
    institution = _institution(segments)
    if institution is not None:
        return institution
    for number, segment in enumerate(segments):
        found = _head(segment, kb)
        if found is None:
            continue
        start, end, sector = found
        head = " ".join(segment[start:end])
        if head in sector_words().collectives and number + 1 < len(segments):
            continue  # "a team of ... police": the head is in the next segment
        if end - start == 1 and head in sector_words().generic_heads:
            modifier = _modifier(segment[:start])
            if modifier:
                return modifier[0], f"{modifier[1]} {head}"
        if sector:
            return sector, head
    return None


def _institution(segments: list[list[str]]) -> tuple[str, str] | None:
    """A phrase headed by an institution noun takes the sector of a modifier anywhere in it, else GOV."""
    words = sector_words()
    if not segments or not segments[0] or segments[0][-1] not in words.institutions:
        return None
    head = segments[0][-1]
    every = [w for segment in segments for w in segment if w != head]
    modifier = _modifier(every)
    return (modifier[0], f"{modifier[1]} {head}") if modifier else (noun_sector(head) or "GOV", head)


def _segments(words: list[str]) -> list[list[str]]:
    segments, current = [], []
    for word in words:
        if word in PREPOSITIONS:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(word)
    return segments + ([current] if current else [])


def _head(segment: list[str], kb) -> tuple[int, int, str | None] | None:
    """The longest known noun ending the segment (only skipped words may follow it), else the right-most known
    noun with a sector anywhere in it ("coast guard vessels"): (start, end, sector)."""
    words = sector_words()
    for end in range(len(segment), 0, -1):
        found = _noun_ending_at(segment, end, kb)
        if found is not None:
            return found
        if segment[end - 1] not in words.skip:
            break
    for end in range(len(segment) - 1, 0, -1):
        found = _noun_ending_at(segment, end, kb)
        if found is not None and found[2]:
            return found
    return None


def _noun_ending_at(segment: list[str], end: int, kb) -> tuple[int, int, str | None] | None:
    words = sector_words()
    for start in range(max(0, end - MAX_WORDS), end):
        phrase = " ".join(segment[start:end])
        sector = noun_sector(phrase, kb)
        if sector or (end - start == 1 and (phrase in words.collectives or phrase in words.generic_heads)):
            return start, end, sector
    return None


def _modifier(words: list[str]) -> tuple[str, str] | None:
    table = sector_words().modifiers
    for length in range(min(3, len(words)), 0, -1):
        for start in range(len(words) - length, -1, -1):
            phrase = " ".join(words[start:start + length])
            if phrase in table:
                return table[phrase], phrase
    return None


# --------------------------------------------------------------------------- states named in a phrase
class Place(NamedTuple):
    kind: str  # state | organization | group (KB groups) | body (bodies.yaml: code is its state)
    code: str | None
    words: str
    sector: str | None = None


def named_places(text: str, kb) -> list[Place]:
    """The states, organisations, groups and named bodies the text's demonyms, names and places name, in order."""
    tokens = [re.sub(r"['’]s?$", "", t) for t in re.findall(r"[\w][\w.'’-]*", text)]
    tokens = [part for t in tokens for part in _split_place_suffix(t)]
    found, i = [], 0
    while i < len(tokens):
        hit = _place_at(tokens, i, kb)
        if hit is None:
            i += 1
            continue
        end, kind, code, sector = hit
        found.append(Place(kind, code, " ".join(tokens[i:end]), sector))
        i = end
    return found


def _split_place_suffix(token: str) -> list[str]:
    """'Saudi-led' -> ['Saudi', 'led']: the state before a hyphen is named; other hyphenated words stay whole."""
    head, _, tail = token.rpartition("-")
    return [head, tail] if head and tail.lower() in sector_words().place_suffixes else [token]


def _place_at(tokens: list[str], i: int, kb) -> tuple[int, str, str | None, str | None] | None:
    """The longest name starting at tokens[i]: (end, kind, code, sector)."""
    for end in range(min(len(tokens), i + MAX_WORDS), i, -1):
        words = " ".join(tokens[i:end])
        if not words[:1].isupper():
            return None
        entry = kb.lookup(words) if kb is not None else None
        if entry is not None and entry.kind in ("state", "organization", "group"):
            sector = (kb.groups.get(entry.code) or {}).get("sector") if entry.kind == "group" else None
            return end, entry.kind, entry.code, sector
        for row in load_index().find(words):
            code = row.roles[-1].code if row.roles else None
            if row.kind == "state" and code:
                return end, "state", code, None
            if row.kind == "organization" and row.roles[-1].sector == "IGO" and code:  # "Nato", "UN" bodies
                return end, "organization", code, None
            if row.source == "bodies" and row.kind != "organization":  # "Sinaloa cartel gunmen", "Kenya Police"
                return end, "body", code, row.roles[0].sector
    return None
