"""Shared word lists (``data/lexicon.yaml``): reporting verbs, place prepositions, news agencies and the
words extraction rules are made of. In: the data file. Out: frozensets and mappings, read by every stage
that needs them, so each list has one home.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from .datafiles import read_data
from .schemas import LexiconFile

QUOTE_CHARS = '"“”'  # the marks that open or close a quotation in news text


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return read_data("lexicon.yaml", LexiconFile)


def words(name: str) -> frozenset[str]:
    """A named list from the `words` section ("leaving_verbs", "role_nouns" ...)."""
    table = lexicon()["words"]
    if name not in table:
        raise KeyError(f"lexicon.yaml has no word list {name!r}")
    return frozenset(table[name])


def reporting_verbs(reader: str) -> frozenset[str]:
    """Verbs that report speech: for "quotes" the verbs that open a quote, for "events" those whose
    complement holds the event (speech and content verbs)."""
    verbs = lexicon()["reporting_verbs"]
    extra = {"quotes": "quote_only", "events": "content"}[reader]
    return frozenset(verbs["saying"]) | frozenset(verbs[extra])


def place_prepositions(role: str) -> frozenset[str]:
    """Prepositions that put a place after them, for one role: event_location, place_not_actor, target_place."""
    return frozenset(lexicon()["place_prepositions"][role])


def news_agencies() -> dict[str, list[str]]:
    """Outlet name -> the other names it goes by (lowercase)."""
    return lexicon()["news_agencies"]


def credit_names() -> list[str]:
    """Names that end a photo credit: every news agency's names and the picture agencies."""
    names = {n for root, aliases in news_agencies().items() for n in [root, *aliases]}
    return sorted(names | set(lexicon()["photo_credits"]), key=lambda n: (-len(n), n))
