"""Corroboration and disagreement of each story, computed from its members in story_index / quote_index."""
from __future__ import annotations

from collections import Counter

from . import date_math as dates
from .config import StoryConfig, load_config, normalise_name
from .schema import EVENT_COLUMNS, QUOTE_COLUMNS


def root_source(member: dict, story_outlets: set[str], cfg: StoryConfig) -> str:
    """The outlet a report really comes from: the outlet its attribution names, else another outlet of the
    story that its evidence names ("as confirmed to CNBC"), else its own outlet."""
    attribution = normalise_name(member.get("attribution"))
    if attribution:
        root = cfg.outlet_root.get(attribution)
        if root:
            return root
        for outlet in story_outlets:
            if normalise_name(outlet) == attribution:
                return _outlet_root(outlet, cfg)
    evidence = f" {normalise_name(member.get('evidence'))} "
    for outlet in sorted(story_outlets - {member.get("outlet")}):
        if f" {normalise_name(outlet)} " in evidence:
            return _outlet_root(outlet, cfg)
    if member.get("outlet"):
        return _outlet_root(member["outlet"], cfg)
    return f"unknown outlet ({member['doc_id']})"


def _outlet_root(outlet: str, cfg: StoryConfig) -> str:
    return cfg.outlet_root.get(normalise_name(outlet), outlet)


def best_date(members: list[dict]) -> tuple[str | None, str | None]:
    """The date most reports agree with (an explicit date counts double a publication-date fallback);
    ties go to the more precise date."""
    weight = {m["event_id"]: (0.5 if m.get("date_fallback") else 1.0) for m in members}
    candidates = {m["date"] for m in members if m.get("date")}
    if not candidates:
        return None, None

    def support(value: str) -> tuple[float, int]:
        agree = sum(weight[m["event_id"]] for m in members if m.get("date") and dates.compatible(m["date"], value))
        return agree, len(value)

    chosen = max(sorted(candidates), key=support)
    return chosen, dates.precision_of(chosen)


def best_place(members: list[dict]) -> str | None:
    counts = Counter(m["location"] for m in members if m.get("location"))
    if not counts:
        return None
    return max(counts, key=lambda place: (counts[place], len(place)))


def _source(m: dict) -> dict:
    return {"doc_id": m["doc_id"], "event_id": m.get("event_id"), "outlet": m.get("outlet"),
            "date_text_fallback": bool(m.get("date_fallback"))}


def date_disagreements(members: list[dict]) -> list[dict]:
    dated = [m for m in members if m.get("date")]
    values = sorted({m["date"] for m in dated})
    clashing = [v for v in values if any(not dates.compatible(v, w) for w in values)]
    if not clashing:
        return []
    return [{"field": "date", "values": [{"value": v, "sources": [_source(m) for m in dated if m["date"] == v]}
                                         for v in clashing]}]


def place_disagreements(members: list[dict]) -> list[dict]:
    placed = [m for m in members if m.get("location")]
    names = {normalise_name(m["location"]) for m in placed}
    distinct = [n for n in names if not any(n != o and f" {n} " in f" {o} " for o in names)]
    if len(distinct) < 2:
        return []
    by_name = {}
    for m in placed:
        by_name.setdefault(m["location"], []).append(_source(m))
    return [{"field": "location", "values": [{"value": k, "sources": v} for k, v in sorted(by_name.items())]}]


def corroboration(members: list[dict], cfg: StoryConfig) -> dict:
    outlets = {m["outlet"] for m in members if m.get("outlet")}
    roots = {root_source(m, outlets, cfg) for m in members}
    published = sorted(m["published"] for m in members if m.get("published"))
    return {"documents": len({m["doc_id"] for m in members}), "outlets": sorted(outlets),
            "independent_sources": len(roots), "sources": sorted(roots),
            "first_report": published[0] if published else None,
            "last_report": published[-1] if published else None}


def event_story(story_id: str, members: list[dict], cfg: StoryConfig) -> dict:
    date, precision = best_date(members)
    types = Counter(m["type"] for m in members)
    participants = sorted({p for m in members for p in (m["participants"] or "").split(",") if p})
    return {"story_id": story_id, "kind": "event", "type": types.most_common(1)[0][0],
            "participants": participants, "date": date, "date_precision": precision,
            "location": best_place(members), **corroboration(members, cfg),
            "members": [{"doc_id": m["doc_id"], "event_id": m["event_id"], "outlet": m.get("outlet"),
                         "date": m.get("date"), "type": m["type"], "location": m.get("location"),
                         "attribution": m.get("attribution"), "evidence": m.get("evidence")}
                        for m in sorted(members, key=lambda m: (m.get("published") or "", m["doc_id"]))],
            "disagreements": date_disagreements(members) + place_disagreements(members)}


def quote_story(story_id: str, members: list[dict], cfg: StoryConfig) -> dict:
    speakers = Counter(m["speaker"] for m in members if m.get("speaker"))
    return {"story_id": story_id, "kind": "quote", "type": "QUOTE",
            "participants": [speakers.most_common(1)[0][0]] if speakers else [],
            "date": None, "date_precision": None, "location": None, **corroboration(members, cfg),
            "members": [{"doc_id": m["doc_id"], "quote_id": m["quote_id"], "outlet": m.get("outlet"),
                         "evidence": m.get("text")}
                        for m in sorted(members, key=lambda m: (m.get("published") or "", m["doc_id"]))],
            "disagreements": []}


def event_members(con, story_id: str | None = None, min_size: int = 1) -> dict[str, list[dict]]:
    return _members(con, "story_index", EVENT_COLUMNS, story_id, min_size)


def quote_members(con, story_id: str | None = None, min_size: int = 1) -> dict[str, list[dict]]:
    return _members(con, "quote_index", QUOTE_COLUMNS, story_id, min_size)


def _members(con, table: str, columns, story_id: str | None, min_size: int) -> dict[str, list[dict]]:
    """The primary rows of one story, or of every story told by at least `min_size` documents."""
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE is_primary"
    params = []
    if story_id:
        sql += " AND story_id = ?"
        params.append(story_id)
    elif min_size > 1:
        sql += (f" AND story_id IN (SELECT story_id FROM {table} WHERE is_primary GROUP BY story_id "
                f"HAVING count(DISTINCT doc_id) >= {int(min_size)})")
    return _group(con.execute(sql, params).fetchall(), columns)


def _group(rows, columns) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for values in rows:
        row = dict(zip(columns, values))
        out.setdefault(row["story_id"], []).append(row)
    return out


def all_stories(con, min_size: int = 1, cfg: StoryConfig | None = None) -> list[dict]:
    cfg = cfg or load_config()
    rows = [event_story(s, m, cfg) for s, m in event_members(con, min_size=min_size).items()]
    rows += [quote_story(s, m, cfg) for s, m in quote_members(con, min_size=min_size).items()]
    return sorted(rows, key=lambda r: (-r["documents"], -r["independent_sources"], r["story_id"]))
