"""Cuts a document's text into pieces at every event, quote and fact boundary, for highlighting.

In: the text and the document's events, quotes and facts (with evidence offsets). Out: a list of pieces
{text, kinds, events, quotes, facts}; a piece's lists name every record covering it. Offsets outside the
text are clipped; records without offsets are left out. The template escapes each piece's text.
"""
from __future__ import annotations

from typing import Any

KINDS = (("events", "event_id", "event"), ("quotes", "quote_id", "quote"), ("facts", "fact_id", "fact"))


def spans(doc: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, id) of every record with usable offsets, clipped to the text."""
    size = len(doc.get("text") or "")
    out = []
    for key, id_key, kind in KINDS:
        for record in doc.get(key) or []:
            evidence = record.get("evidence") or {}
            start, end = evidence.get("start"), evidence.get("end")
            if not isinstance(start, int) or not isinstance(end, int):
                continue
            start, end = max(0, start), min(size, end)
            if start < end:
                out.append((start, end, kind, record[id_key]))
    return out


def pieces(doc: dict[str, Any]) -> list[dict[str, Any]]:
    text = doc.get("text") or ""
    marks = spans(doc)
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    out = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [(kind, ident) for s, e, kind, ident in marks if s <= left and right <= e]
        out.append({"text": text[left:right], "start": left,
                    "kinds": sorted({kind for kind, _ in covering}),
                    **{key: [i for k, i in covering if k == kind] for key, _, kind in KINDS}})
    return out
