"""Facts about one measure that disagree across documents (trade up 12% in one report, down 17% in another).

A fact's measure key is its unit, kind (level or change), the measure word it names (trade, investment ...),
the countries it names and its period. Facts sharing a key but not a value are a disagreement.
"""
from __future__ import annotations

import functools

from ..records import Extraction, Fact
from .config import StoryConfig, load_config, normalise_name


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Normalised name -> alpha-3: every name, alias, demonym and seat the actor knowledge base gives a state."""
    from ..actors.knowledge import load_kb

    table = {}
    for code, state in load_kb().states.items():
        for name in [state["name"], *(state.get("aliases") or []), *(state.get("demonyms") or []),
                     *(state.get("seats") or {})]:
            table.setdefault(normalise_name(name), code)
    return table


def countries_in(text: str) -> list[str]:
    tokens = normalise_name(text.replace("’", "'").replace("'s", "")).split()
    names, found = _country_names(), set()
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            code = names.get(" ".join(tokens[i:i + size]))
            if code:
                found.add(code)
    return sorted(found)


def sentence_around(text: str, start: int | None, end: int | None) -> str:
    """The sentence holding a span of the document (empty when offsets are missing)."""
    if not text or start is None or end is None:
        return ""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[left:min(stops) + 1 if stops else len(text)]


def describe(fact: Fact, cfg: StoryConfig, sentence: str = "") -> dict:
    """Measure word and countries come from the fact's own words first, then from its sentence."""
    text = f"{fact.about or ''} {fact.text or ''}"
    tokens = set(normalise_name(text).split())
    rise = tokens & set(cfg.facts["rise_words"])
    fall = tokens & set(cfg.facts["fall_words"])
    kind = "change" if (rise or fall) and fact.unit == "percent" else "level"
    sign = -1.0 if fall and not rise else 1.0
    wider = tokens | set(normalise_name(sentence).split())
    measure = next((m for m in cfg.facts["measures"] if m in tokens), None) or \
        next((m for m in cfg.facts["measures"] if m in wider), None)
    countries = countries_in(text) or countries_in(sentence)
    return {"kind": kind, "measure": measure, "countries": ",".join(countries),
            "signed_value": sign * float(fact.value) if kind == "change" else float(fact.value)}


def fact_row(fact: Fact, extraction: Extraction, cfg: StoryConfig) -> dict | None:
    """None when the fact does not name a measure and at least one country: nothing to compare it with."""
    try:
        evidence = fact.evidence or {}
        info = describe(fact, cfg, sentence_around(extraction.document.text, evidence.get("start"),
                                                   evidence.get("end")))
    except (TypeError, ValueError):
        return None
    if not info["measure"] or not info["countries"]:
        return None
    key = "|".join([fact.unit or "", info["kind"], info["measure"], info["countries"]])
    doc = extraction.document
    return {"fact_id": fact.fact_id, "doc_id": fact.doc_id or doc.id, "measure_key": key, "kind": info["kind"],
            "unit": fact.unit, "value": float(fact.value), "signed_value": info["signed_value"],
            "period": fact.period, "countries": info["countries"], "text": fact.text, "about": fact.about,
            "outlet": doc.outlet, "published": doc.reference_date}


def _disagree(a: dict, b: dict, cfg: StoryConfig) -> bool:
    if a["doc_id"] == b["doc_id"]:
        return False
    if a["period"] and b["period"] and a["period"] != b["period"]:
        return False
    if a["kind"] == "change":
        return abs(a["signed_value"] - b["signed_value"]) > cfg.facts["change_tolerance"]
    scale = max(abs(a["value"]), abs(b["value"]), 1e-9)
    return abs(a["value"] - b["value"]) / scale > cfg.facts["level_tolerance"]


def _source(row: dict) -> dict:
    return {k: row[k] for k in ("fact_id", "doc_id", "outlet", "published", "text", "period")}


def disagreements(con, cfg: StoryConfig | None = None) -> list[dict]:
    cfg = cfg or load_config()
    cols = ["fact_id", "doc_id", "measure_key", "kind", "unit", "value", "signed_value", "period", "text",
            "outlet", "published"]
    rows = [dict(zip(cols, r)) for r in con.execute(
        f"SELECT {', '.join(cols)} FROM fact_index WHERE measure_key IN "
        "(SELECT measure_key FROM fact_index GROUP BY measure_key HAVING count(DISTINCT doc_id) > 1) "
        "ORDER BY measure_key, published, fact_id").fetchall()]
    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["measure_key"], []).append(row)
    out = []
    for key, group in by_key.items():
        pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:] if _disagree(a, b, cfg)]
        for a, b in pairs:
            out.append({"measure": key, "field": "value",
                        "values": [{"value": r["signed_value"], "unit": r["unit"], "sources": [_source(r)]}
                                   for r in (a, b)]})
    return out
