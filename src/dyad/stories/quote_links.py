"""Quote stories: one quotation carried by several documents, perhaps in a slightly different translation.

Candidates are quotes by the same speaker (actor id, else last name) reported in the same or a neighbouring
year, found by an indexed look-up on quote_index.qkey; they link when their word overlap is high enough.
"""
from __future__ import annotations

import hashlib

from ..records import Extraction, Quote
from . import date_math as dates
from .config import StoryConfig
from .schema import QUOTE_COLUMNS, lookup
from .text import overlap, words


def speaker_key(quote: Quote) -> str | None:
    s = quote.speaker
    if s is None:
        return None
    if s.actor_id:
        return s.actor_id
    name = words(s.name or s.text)
    return f"name:{name[-1]}" if name else None


def quote_row(quote: Quote, extraction: Extraction) -> dict:
    doc = extraction.document
    s = quote.speaker
    return {"quote_id": quote.quote_id, "doc_id": quote.doc_id or doc.id, "story_id": quote.story_id,
            "speaker": (s.name or s.text) if s else None, "speaker_key": speaker_key(quote), "text": quote.text,
            "outlet": doc.outlet, "published": doc.reference_date}


def index_rows(row: dict) -> list[dict]:
    year = (row["published"] or "????")[:4]
    return [{**row, "qkey": f"{row['speaker_key']}|{year}", "is_primary": True}] if row["speaker_key"] else \
        [{**row, "qkey": None, "is_primary": True}]


def similarity(a: str, b: str, cfg: StoryConfig) -> float:
    wa, wb = words(a), words(b)
    if min(len(wa), len(wb)) < cfg.quotes["min_words"]:
        return 1.0 if wa == wb else 0.0
    return overlap(set(wa), set(wb))


def find_candidates(con, row: dict, cfg: StoryConfig) -> list[dict]:
    if not row["speaker_key"]:
        return []
    years = dates.years_within(row["published"], cfg.quotes["window_months"]) or ["????"]
    found = lookup(con, "quote_index", "qkey", QUOTE_COLUMNS, [f"{row['speaker_key']}|{y}" for y in years])
    out = []
    for cand in (c for rows in found.values() for c in rows):
        apart = dates.months_apart(cand["published"], row["published"])
        if cand["doc_id"] != row["doc_id"] and (apart is None or apart <= cfg.quotes["window_months"]):
            out.append(cand)
    return out


def link_quotes(con, rows: list[dict], cfg: StoryConfig) -> list[tuple[dict, str, float]]:
    """Sets story_id on each row; returns (row, linked quote id, similarity) for every link made."""
    made = []
    taken: set[str] = set()
    for row in rows:
        best = None
        for cand in find_candidates(con, row, cfg):
            sim = similarity(row["text"], cand["text"], cfg)
            if sim >= cfg.quotes["min_overlap"] and cand["story_id"] not in taken and (best is None or sim > best[1]):
                best = (cand, sim)
        if best:
            row["story_id"] = best[0]["story_id"]
            taken.add(row["story_id"])
            made.append((row, best[0]["quote_id"], best[1]))
        else:
            row["story_id"] = "qs-" + hashlib.sha1(row["quote_id"].encode()).hexdigest()[:12]
    return made
