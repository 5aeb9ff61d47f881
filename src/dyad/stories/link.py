"""Links the events of one new document to the stories already in the store.

Candidates come from indexed equality look-ups on story_index.ckey (type family + participant pair + date
bucket), never from a scan. Each candidate pair passes hard gates (different document, compatible mode, aux,
participants, dates and people) and then earns a score whose parts are recorded as the link's reasons.
Each new event joins its best story at or above min_score; a story takes at most one event per document.

How dates decide (the knobs are in data/stories.yaml):
- Two explicit dates (a day or month the text states) must agree at their precisions; a day apart links only
  with the same place and similar text, and is flagged as a disagreement.
- A weakly dated report (its date is only the publication-date fallback, or it has none) links to a dated or
  weak report near its publication day on the same type, direction and participants plus shared words or
  shared people; two publication-day fallbacks of one news cycle also link when everything they carry agrees.
- Standing situations: two weakly dated reports of a type that describes a lasting state of affairs (an arms
  supply, sanctions, cooperation: `standing.types`) link even months apart on the same type, direction and
  participants, a shared context and a specific shared word ("drones").
  Choice: background mentioned in passing ("amid Russia's war against Ukraine", read off a noun, or told as
  history) is NOT linked. One ongoing war is arguably one story, but such mentions sit in most articles on a
  region and say nothing about what those articles report; merging them would make one giant story out of
  unrelated reports and bury the corroboration counts that matter. Words that only name the background
  (war, sanctions ...) do not count as shared.
- A new report that links to two stories shows they are one: they merge (see merge_plan), unless that would
  put two reports of one document in a story. Stories never split.
A document with no date at all is filed in an undated bucket that every later report looks up; its own
events only find other undated ones, so it joins older stories when a later report bridges them.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field

from ..records import ActorRef, Event, Extraction
from . import date_math as dates
from .config import StoryConfig, normalise_name
from .schema import EVENT_COLUMNS, lookup
from .text import content_words, jaccard, overlap, words

MAX_CODES_FOR_PAIRS = 5


@dataclass
class Link:
    event_id: str
    story_id: str
    linked_id: str
    score: float
    reasons: list[str] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)  # other stories this event also links to: merged in


# ---------- index rows ----------

def _code(ref: ActorRef) -> str | None:
    return ref.code or ref.actor_id


def _codes(refs: list[ActorRef]) -> list[str]:
    return sorted({c for c in map(_code, refs) if c})


def _people(event: Event) -> list[str]:
    """Named people as "CODE=actor_id", so that two reports can be compared side by side."""
    refs = [*event.actors, *event.recipients]
    return sorted({f"{r.code or '?'}={r.actor_id}" for r in refs if r.kind == "person" and r.actor_id})


def _name_words(event: Event) -> list[str]:
    refs = [*event.actors, *event.recipients]
    return sorted({w for r in refs for w in words(f"{r.text} {r.name}")})


def participant_pairs(participants: list[str]) -> list[str]:
    codes = participants[:MAX_CODES_FOR_PAIRS]
    if len(codes) <= 1:
        return codes
    return ["+".join(p) for p in itertools.combinations(codes, 2)]


def bucket_keys(date: str | None, precision: str | None, published: str | None, fallback: bool = False
                ) -> list[str]:
    """The buckets an event is filed under (one per row in story_index). A publication-date fallback is filed
    under its month and also with the undated reports, since it may tell a standing situation."""
    if date and precision in ("day", "month") and len(date) >= 7:
        weak = [f"u|{(published or date)[:4]}"] if fallback else []
        return [f"m|{date[:7]}", f"d|{date[:4]}", *weak]
    if date and len(date) >= 4:
        return [f"y|{date[:4]}"]
    return [f"u|{(published or '????')[:4]}"]


def lookup_buckets(date: str | None, precision: str | None, published: str | None, cfg: StoryConfig) -> list[str]:
    """The buckets an event's candidates can sit in."""
    window = max(cfg.link["undated_window_months"], cfg.standing["window_months"])
    reference = published or date
    undated_years = [*dates.years_within(reference, window), "????"]  # "????": documents without any date
    if date and precision in ("day", "month") and len(date) >= 7:
        reach = max(cfg.link["strong_day_tolerance"], cfg.link["fallback_window_days"])
        months = dates.months_touching(date, reach) if len(date) == 10 else [date[:7]]
        return [*(f"m|{m}" for m in months), f"y|{date[:4]}", *(f"u|{y}" for y in undated_years)]
    years = [date[:4]] if date else undated_years
    return [*(f"{kind}|{y}" for y in years for kind in ("d", "y")), *(f"u|{y}" for y in undated_years)]


def event_row(event: Event, extraction: Extraction, cfg: StoryConfig) -> dict:
    doc = extraction.document
    precision = dates.precision_of(event.date, event.date_precision)
    return {
        "event_id": event.event_id, "doc_id": event.doc_id or doc.id, "story_id": event.story_id,
        "type": (event.type or "").upper(), "family": cfg.family(event.type), "mode": event.mode,
        "aux": event.aux, "actors": ",".join(_codes(event.actors)), "recipients": ",".join(_codes(event.recipients)),
        "participants": ",".join(_codes([*event.actors, *event.recipients])), "people": ",".join(_people(event)),
        "names": " ".join(_name_words(event)), "date": event.date, "date_precision": precision,
        "date_fallback": bool(event.date and not event.date_text), "location": event.location,
        "evidence": " ".join([(event.evidence or {}).get("text") or ""] + [r.get("text") or "" for r in event.retold]),
        "attribution": event.attribution,
        "outlet": doc.outlet, "published": doc.reference_date,
        "context": ",".join(sorted({c.lower() for c in event.context or []})),
        "mention": any((event.rule or "").startswith(p) for p in cfg.standing["passing_rules"]),
    }


def index_rows(row: dict) -> list[dict]:
    """One row per candidate key the event is filed under; the first is the primary row."""
    pairs = participant_pairs(_split(row["participants"]))
    buckets = bucket_keys(row["date"], row["date_precision"], row["published"], bool(row["date_fallback"]))
    keys = [f"{row['family']}|{p}|{b}" for p in pairs for b in buckets]
    return [{**row, "ckey": k, "is_primary": i == 0} for i, k in enumerate(keys)]


def candidate_keys(row: dict, cfg: StoryConfig) -> list[str]:
    pairs = participant_pairs(_split(row["participants"]))
    buckets = lookup_buckets(row["date"], row["date_precision"], row["published"], cfg)
    return [f"{row['family']}|{p}|{b}" for p in pairs for b in buckets]


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


# ---------- candidates ----------

def find_candidates(con, rows: list[dict], cfg: StoryConfig) -> dict[str, list[dict]]:
    """Candidates of each new event (by event_id), from indexed look-ups of its candidate keys only."""
    keys = {row["event_id"]: candidate_keys(row, cfg) for row in rows}
    found = lookup(con, "story_index", "ckey", EVENT_COLUMNS, [k for ks in keys.values() for k in ks])
    out = {}
    for row in rows:
        seen: dict[str, dict] = {}
        for key in keys[row["event_id"]]:
            for cand in found.get(key, ()):
                if cand["doc_id"] != row["doc_id"]:
                    seen.setdefault(cand["event_id"], cand)
        out[row["event_id"]] = list(seen.values())
    return out


# ---------- gates and score ----------

def modes_compatible(a: str | None, b: str | None, cfg: StoryConfig) -> bool:
    if not a or not b or a.lower() == b.lower():
        return True
    ga, gb = cfg.mode_group_of.get(a.lower()), cfg.mode_group_of.get(b.lower())
    return ga is not None and ga == gb


def aux_compatible(a: dict, b: dict, cfg: StoryConfig) -> bool:
    """historical ~ none; future ~ none for types that are promises already (AGREE: "will sign" = "pledged")."""
    ok = set(cfg.raw["aux_compatible"])
    if a["type"] in cfg.raw.get("promise_types", []) and b["type"] in cfg.raw.get("promise_types", []):
        ok.add("future")
    return a["aux"] == b["aux"] or (a["aux"] in ok and b["aux"] in ok)


def same_direction(a: dict, b: dict) -> bool:
    if not a["recipients"] and not b["recipients"]:
        return a["participants"] == b["participants"]
    return a["actors"] == b["actors"] and a["recipients"] == b["recipients"]


def places(a: dict, b: dict) -> str:
    la, lb = normalise_name(a["location"]), normalise_name(b["location"])
    if not la or not lb:
        return "unknown"
    if la == lb or f" {la} " in f" {lb} " or f" {lb} " in f" {la} ":
        return "same"
    return "other"


def text_similarity(a: dict, b: dict, cfg: StoryConfig) -> tuple[float, int]:
    drop = set((a["names"] or "").split()) | set((b["names"] or "").split()) | cfg.generic_words
    wa, wb = content_words(a["evidence"], drop), content_words(b["evidence"], drop)
    return overlap(wa, wb), len(wa & wb)


def people_agree(a: dict, b: dict) -> tuple[bool, set[str]]:
    """(no conflict, shared people). A conflict: both name someone for one side and nobody is on both lists
    (the presidents' meeting is not the ministers' meeting)."""
    pa, pb = _people_by_side(a["people"]), _people_by_side(b["people"])
    shared = {p for side in pa.values() for p in side} & {p for side in pb.values() for p in side}
    for side in pa.keys() & pb.keys():
        if not pa[side] & pb[side]:
            return False, shared
    return True, shared


def _people_by_side(value: str | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for item in _split(value):
        side, _, person = item.partition("=")
        out.setdefault(side, set()).add(person)
    return out


def score_pair(new: dict, old: dict, cfg: StoryConfig) -> Link | None:
    """None when a hard gate fails; otherwise the score and the reasons behind it."""
    if new["doc_id"] == old["doc_id"] or new["family"] != old["family"]:
        return None
    if not modes_compatible(new["mode"], old["mode"], cfg) or not aux_compatible(new, old, cfg):
        return None
    pa, pb = set(_split(new["participants"])), set(_split(old["participants"]))
    if jaccard(pa, pb) < cfg.link["participant_jaccard"]:
        return None
    no_conflict, shared_people = people_agree(new, old)
    if not no_conflict:
        return None
    sim, shared_words = text_similarity(new, old, cfg)
    place = places(new, old)
    date_part = _date_evidence(new, old, sim, shared_words, place, len(shared_people), cfg)
    if date_part is None:
        return None
    w = cfg.weights
    score = w["gates_passed"] + date_part[0]
    reasons = [f"same family {new['family']}", f"participants {','.join(sorted(pa & pb))}", date_part[1]]
    if new["type"] == old["type"]:
        score += w["exact_type"]
        reasons.append(f"same type {new['type']}")
    if same_direction(new, old):
        score += w["same_direction"]
        reasons.append("same direction")
    if place != "unknown":
        score += w["same_place"] if place == "same" else w["other_place"]
        reasons.append(f"{place} place ({new['location']} / {old['location']})")
    if shared_people:
        score += w["shared_person"] * min(2, len(shared_people))
        reasons.append(f"shared people {','.join(sorted(shared_people))}")
    if sim:
        score += w["text_similarity"] * sim
        reasons.append(f"evidence similarity {sim:.2f} ({shared_words} words)")
    return Link(new["event_id"], old["story_id"], old["event_id"], round(score, 3), reasons)


def _date_evidence(new, old, sim, shared_words, place, shared_people, cfg) -> tuple[float, str] | None:
    """What the two dates add to the score, or None when they rule the link out.

    Two explicit dates must agree at their precisions. A report whose date is only the publication date
    (fallback), an undated or year-only report, or one with a single participant is weak: it links only on
    the same type, direction and participants with words in common (see _weak_evidence)."""
    link, w = cfg.link, cfg.weights
    kind, gap = dates.relation(new["date"], old["date"])
    if _explicit(new) and _explicit(old):
        if kind == "days-apart" and not (gap <= link["strong_day_tolerance"] and place == "same"
                                         and sim >= link["strong_text_similarity"]):
            return None
        if kind == "conflict":
            return None
    if not _explicit(new) and not _explicit(old) and new["date_precision"] != "year" != old["date_precision"]:
        standing = _standing_evidence(new, old, cfg)
        if standing:
            return standing
    weak = not (_explicit(new) and _explicit(old)) or min(len(_split(new["participants"])),
                                                       len(_split(old["participants"]))) < 2
    if weak:
        return _weak_evidence(new, old, sim, shared_words, shared_people, cfg)
    if kind == "same-day":
        return w["same_day"], f"same day {new['date']}"
    if kind in ("inside", "same-month"):
        return w["same_month"], f"same month {new['date']} / {old['date']}"
    return 0.0, f"dates {new['date']} / {old['date']} a day apart, same place and similar text (disagreement)"


def _explicit(row: dict) -> bool:
    """A day or month the text states, not the publication-date fallback."""
    return bool(row["date"]) and not row["date_fallback"] and row["date_precision"] in ("day", "month")


def _weak_evidence(new, old, sim, shared_words, shared_people, cfg) -> tuple[float, str] | None:
    """A weakly dated report links only to the same type, direction and participants, within a time window,
    with enough words in common, or, when its date is the publication day, with the same people on both
    sides (a caption's dated meeting and the article's undated mention of it)."""
    link = cfg.link
    if new["type"] != old["type"] or not same_direction(new, old) or new["participants"] != old["participants"]:
        return None
    if not _within_window(new, old, cfg):
        return None
    if not (new["date"] and old["date"]) and any(r["mention"] for r in (new, old)):
        return None  # undated background in passing ("amid its war against Ukraine"): see _standing_evidence
    if sim >= link["weak_text_similarity"] and shared_words >= link["weak_min_shared_words"]:
        return 0.5, f"weakly dated: same type and direction, {shared_words} shared words"
    fallback = (new["date_fallback"] and old["date"]) or (old["date_fallback"] and new["date"])
    if fallback and shared_people >= link["fallback_min_shared_people"]:
        return 0.5, f"publication-date fallback: same type and direction, {shared_people} shared people"
    if _same_news_cycle(new, old, cfg) and shared_words >= link["same_news_min_shared_words"]:
        return 0.5, f"same news cycle: publication dates {new['date']} / {old['date']}, same type, direction " \
                    f"and participants"
    return None


def _same_news_cycle(a: dict, b: dict, cfg: StoryConfig) -> bool:
    """Two outlets telling, within a day of each other and without a date of their own, the same act between
    the same two or more parties: with no words or people in common, everything else they carry must agree
    (type, direction, participants, mode, aux, context), so a promise is not linked to a plan or a past one."""
    if not (a["date_fallback"] or b["date_fallback"]) or len(_split(a["participants"])) < 2:
        return False  # at least one telling dated only by its publication day, on the other's day
    if any((a[k] or None) != (b[k] or None) for k in ("mode", "aux", "context")):
        return False
    days = dates.days_apart(a["date"], b["date"])
    return days is not None and days <= cfg.link["fallback_same_news_days"]


def _standing_evidence(new: dict, old: dict, cfg: StoryConfig) -> tuple[float, str] | None:
    """Two weakly dated reports of one standing situation (an arms supply told as "has supplied"), even
    months apart: same type in the standing list, same direction and participants (two or more), a shared
    context and a specific shared word; neither a mention in passing (read off a noun, or told as history).

    Choice: background told in passing ("amid Russia's war against Ukraine") is not linked, although one
    ongoing war is arguably one story: such mentions fill many articles, say nothing about what they report,
    and merging them would make one giant story out of unrelated articles."""
    st = cfg.standing
    if new["type"] != old["type"] or new["type"] not in st["types"] or new["participants"] != old["participants"]:
        return None
    if len(_split(new["participants"])) < 2 or not same_direction(new, old):
        return None
    if any(r["mention"] or r["aux"] in st["passing_aux"] for r in (new, old)):
        return None
    contexts = set(_split(new["context"])) & set(_split(old["context"]))
    apart = dates.months_apart(new["published"] or new["date"], old["published"] or old["date"])
    if not contexts or (apart is not None and apart > st["window_months"]):
        return None
    shared = _specific_shared_words(new, old, cfg)
    if len(shared) < st["min_shared_words"]:
        return None
    return 0.5 + 0.25 * min(len(shared), 4), (f"standing situation: same type and direction, context "
                                               f"{','.join(sorted(contexts))}, shared {','.join(sorted(shared))}")


def _specific_shared_words(a: dict, b: dict, cfg: StoryConfig) -> set[str]:
    drop = set((a["names"] or "").split()) | set((b["names"] or "").split()) | cfg.generic_words \
        | cfg.background_words
    return content_words(a["evidence"], drop) & content_words(b["evidence"], drop)


def _within_window(a: dict, b: dict, cfg: StoryConfig) -> bool:
    """Fallback dates stand for the publication day: they must be close to the other date. Undated reports
    only need to be published within the undated window."""
    link = cfg.link
    if a["date"] and b["date"] and (a["date_fallback"] or b["date_fallback"]):
        days = dates.days_apart(a["date"], b["date"])
        if days is not None:
            return days <= link["fallback_window_days"]
        return dates.compatible(a["date"], b["date"])
    if a["date"] and b["date"]:
        return dates.compatible(a["date"], b["date"])
    apart = dates.months_apart(a["published"], b["published"])
    return apart is None or apart <= link["undated_window_months"]


# ---------- assignment ----------

def new_story_id(event_id: str) -> str:
    return "st-" + hashlib.sha1(event_id.encode()).hexdigest()[:12]


def best_links(con, rows: list[dict], cfg: StoryConfig) -> dict[str, Link]:
    """Greedy one-to-one: strongest links first; a story takes one event of this document."""
    proposals = []
    candidates = find_candidates(con, rows, cfg)
    for row in rows:
        by_story: dict[str, Link] = {}
        for cand in candidates[row["event_id"]]:
            link = score_pair(row, cand, cfg)
            if link and link.score >= cfg.link["min_score"]:
                if link.story_id not in by_story or link.score > by_story[link.story_id].score:
                    by_story[link.story_id] = link
        proposals.extend(by_story.values())
    chosen: dict[str, Link] = {}
    taken: set[str] = set()
    ranked = sorted(proposals, key=lambda p: (-p.score, p.event_id, p.story_id))
    for link in ranked:
        if link.event_id not in chosen and link.story_id not in taken:
            chosen[link.event_id] = link
            taken.add(link.story_id)
    for link in ranked:  # a report that links to two stories shows they are one (stories never split)
        best = chosen.get(link.event_id)
        if best and link.story_id not in taken:
            best.bridges.append(link.story_id)
            taken.add(link.story_id)
    return chosen


def merge_plan(con, links: dict[str, Link]) -> dict[str, str]:
    """{absorbed story: surviving story} for the stories each link bridges, keeping one report per document
    in a story: a bridged story that shares a document with the surviving one stays apart."""
    wanted = {s for link in links.values() for s in [link.story_id, *link.bridges] if link.bridges}
    if not wanted:
        return {}
    docs: dict[str, set[str]] = {}
    for story, rows in lookup(con, "story_index", "story_id", ("story_id", "doc_id"), sorted(wanted)).items():
        docs[story] = {r["doc_id"] for r in rows}
    plan = {}
    for link in links.values():
        held = set(docs.get(link.story_id, ()))
        for other in link.bridges:
            if held.isdisjoint(docs.get(other, ())):
                plan[other] = link.story_id
                held |= docs.get(other, set())
                link.reasons.append(f"also links story {other}: merged")
        link.bridges = [b for b in link.bridges if b in plan]
    return plan
