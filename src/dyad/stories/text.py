"""Word-level text comparison used to tell reports of one happening apart from look-alikes."""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS  # a word list only: no model is loaded

WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def content_words(text: str | None, drop: set[str] = frozenset()) -> set[str]:
    """Words that carry what happened: no stop words, no actor names, crude folding of inflections
    ("abandoning" and "abandon", "sanctions" and "sanction")."""
    out = set()
    for w in words(text):
        if w in STOP_WORDS or w in drop or len(w) < 3 or w.isdigit():
            continue
        out.add(_fold(w))
    return out


def _fold(word: str) -> str:
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def overlap(a: set[str], b: set[str]) -> float:
    """Overlap coefficient: 1.0 when the smaller set is inside the larger (a partial quotation)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
