"""Boilerplate removal and segmentation.

A segment is a range into the document text as stored: nothing is rewritten, so every offset found later
points back at the original characters. One line is one segment. Page furniture (share buttons, photo
credits, repeated titles, bare section labels) is left out; photo captions are kept as segments of their
own kind because they often carry a dated event. The patterns live in data/boilerplate.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .datafiles import read_data
from .records import Document, Segment
from .schemas import BoilerplateFile

SENTENCE_PUNCTUATION = ".!?;:,\"“”"
TITLE_MAX_WORDS = 25
CAPTION_MAX_WORDS = 60


@dataclass(frozen=True)
class Rules:
    drop_lines: frozenset[str]
    drop_patterns: tuple[re.Pattern, ...]
    credit_patterns: tuple[re.Pattern, ...]
    caption_prefixes: tuple[str, ...]
    caption_date_tail: re.Pattern
    caption_markers: tuple[re.Pattern, ...]
    bullets: tuple[str, ...]
    section_label_max_words: int


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    raw = read_data("boilerplate.yaml", BoilerplateFile)
    agency = "(" + "|".join(re.escape(a) for a in lexicon.credit_names()) + ")"  # longest first

    def compile_all(patterns):
        return tuple(re.compile(p.replace("{agency}", agency), re.IGNORECASE) for p in patterns)

    return Rules(
        drop_lines=frozenset(_normal(s) for s in raw["drop_lines"]),
        drop_patterns=compile_all(raw["drop_patterns"]),
        credit_patterns=compile_all(raw["credit_patterns"]),
        caption_prefixes=tuple(p.lower() for p in raw["caption_prefixes"]),
        caption_date_tail=re.compile(raw["caption_date_tail"]),
        caption_markers=compile_all(raw["caption_markers"]),
        bullets=tuple(raw["bullets"]),
        section_label_max_words=int(raw["section_label_max_words"]),
    )


QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _normal(line: str) -> str:
    """Comparison key: spaces collapsed, case and quote styles folded, trailing ':' '.' '…' ignored."""
    return " ".join(line.translate(QUOTE_FOLD).split()).casefold().rstrip(":.… ")


@dataclass
class Line:
    start: int  # first kept character (after any bullet)
    end: int
    text: str
    bulleted: bool


def split_lines(text: str, bullets: tuple[str, ...]) -> list[Line]:
    """Non-blank lines with surrounding spaces and a leading bullet trimmed off the range."""
    out, pos = [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        bulleted = False
        for bullet in bullets:
            if text.startswith(bullet, start) and (start + len(bullet) == end or text[start + len(bullet)].isspace()):
                start += len(bullet)
                while start < end and text[start].isspace():
                    start += 1
                bulleted = True
                break
        if start < end:
            out.append(Line(start, end, text[start:end], bulleted))
    return out


def is_furniture(line: str, rules: Rules) -> bool:
    return (_normal(line) in rules.drop_lines
            or any(p.search(line) for p in rules.drop_patterns)
            or is_credit(line, rules))


def is_credit(line: str, rules: Rules) -> bool:
    return any(p.search(line.strip()) for p in rules.credit_patterns)


def is_section_label(line: Line, rules: Rules) -> bool:
    words = line.text.split()
    return (not line.bulleted and len(words) <= rules.section_label_max_words
            and not any(ch in SENTENCE_PUNCTUATION for ch in line.text))


def looks_like_title(line: str, document: Document) -> bool:
    if document.title:
        return _normal(line) == _normal(document.title)
    return len(line.split()) <= TITLE_MAX_WORDS and line.rstrip()[-1:] not in ".!?:;,"


def is_caption(line: str, next_line: str | None, rules: Rules) -> bool:
    lowered = line.lower()
    if any(lowered.startswith(prefix) for prefix in rules.caption_prefixes):
        return True
    if next_line is not None and is_credit(next_line, rules):
        return True
    if len(line.split()) > CAPTION_MAX_WORDS or any(q in line for q in lexicon.QUOTE_CHARS):
        return False
    if any(p.search(line) for p in rules.caption_markers):
        return True
    return bool(rules.caption_date_tail.search(line)) and not main_verb_is_past(line)


def main_verb_is_past(line: str) -> bool:
    """Captions describe a photo in the present ("X shakes hands with Y"); reporting prose is past tense.

    Uses the spaCy tagger (already loaded by the pipeline); where spaCy is unavailable a line is taken as
    prose, the safer side since prose is read in full either way.
    """
    try:
        from .nlp import load_nlp
        doc = load_nlp()(line)
    except Exception:  # noqa: BLE001 - no model: fall back to "prose"
        return True
    for sent in doc.sents:
        root = sent.root
        auxiliaries = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
        if root.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxiliaries):
            return True
        if root.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxiliaries):
            return True
    return False


def segment(document: Document) -> list[Segment]:
    rules = load_rules()
    lines = split_lines(document.text, rules.bullets)
    seen: set[str] = set()
    out: list[Segment] = []
    for i, line in enumerate(lines):
        key = _normal(line.text)
        if key in seen or is_furniture(line.text, rules):
            continue
        seen.add(key)
        next_text = lines[i + 1].text if i + 1 < len(lines) else None
        kind = classify(line, i, next_text, document, rules)
        if kind:
            out.append(Segment(line.start, line.end, kind))
    return out


def classify(line: Line, index: int, next_text: str | None, document: Document, rules: Rules) -> str | None:
    """"title", "caption", "body", or None for a line to leave out."""
    if index == 0 and not line.bulleted and looks_like_title(line.text, document):
        return "title"
    if is_section_label(line, rules):
        return None
    if is_caption(line.text, next_text, rules):
        return "caption"
    return "body"
