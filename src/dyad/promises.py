"""The promise ledger: what was promised, by whom, how often, and whether it happened.

In: a Store (or its DuckDB connection) as `dyad ingest` leaves it — the events table (type, aux, actors,
recipients, date, rule, trigger, evidence, story_id) and documents (published, outlet). Nothing is re-parsed.
Out: promise threads as plain dicts in the export schema `promise_id, participants, act_type, act,
first_promised, deadline, reports[], sources, status, decided_by, lag_days` (+ direction, act_words, documents,
source_names, outlets).

1. Promises (SQL): AGREE/THREATEN with aux future or hypothetical, any event with aux future, and events coded
   from a promise verb or noun (codebook ids in data/promises.yaml).
2. The promised act (plain text rules on the evidence sentence): its PLOVER type — the codebook entry that coded
   the event ("would sign" -> support.sign -> SUPPORT) or, after a promise verb, the first word of the clause
   the codebook knows as an act ("pledged to hold talks" -> CONSULT) — and its object words (the clause after
   the act word, plural-stripped, minus stop words, generic words, party names and places). A deadline stated
   after the trigger ("within six months", "by the end of the year", "in May") is resolved against the
   report's publication date with dyad.dates.
3. Threads: promises with the same parties (as a set) and act type, whose object words are similar (Dice, the
   threshold in the data file) or that the story linker put in one story.
4. Outcome, against the newest publication date in the store (never the clock): `kept` when a later event of
   the act's own type (aux none or historical) by the same parties has similar object words; `broken` when a
   later sentence about the same parties says the act was called off, refused, postponed indefinitely,
   withdrawn from ... (and no promise was repeated after it); `overdue` when the latest stated deadline has
   passed; `open` otherwise.

Stored, not computed on each call: the ledger takes about a minute of CPU on a million-event store
(bench/bench_promises.py), so it is saved in a `promises` table with a fingerprint of the rows it came from.
`promises()`, `thread()` and `dyad promises` read the table while the fingerprint matches (a few seconds at
1M events) and recompute it when the store changed (saving it when the store is writable).
"""
from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb
from spacy.lang.en.stop_words import STOP_WORDS  # a word list only: no model is loaded

from .datafiles import read_data
from .dates import resolve_expression
from .schemas import CodebookFile, PromisesFile

STATUSES = ("kept", "broken", "overdue", "open")
WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+|[^\sA-Za-z\d]")

# Every query reads the same columns: an event, its parties and names, and its document's date and outlet.
EVENT_COLUMNS = """
    e.event_id, e.doc_id, e.type, e.aux, e.rule, e.trigger, e.date, e.date_text, e.story_id, e.location, e.attribution,
    e.symmetric, json_extract_string(e.actors, '$[*].code') AS doer_codes,
    json_extract_string(e.evidence, '$.text') AS text,
    json_extract(e.evidence, '$.start')::INTEGER AS start, json_extract(e.evidence, '$.end')::INTEGER AS "end",
    list_filter(coalesce(json_extract_string(e.actors, '$[*].code'), []), lambda x: x IS NOT NULL) AS actor_codes,
    list_filter(coalesce(json_extract_string(e.recipients, '$[*].code'), []),
                lambda x: x IS NOT NULL) AS recipient_codes,
    list_concat(coalesce(json_extract_string(e.actors, '$[*].text'), []),
                coalesce(json_extract_string(e.actors, '$[*].name'), []),
                coalesce(json_extract_string(e.recipients, '$[*].text'), []),
                coalesce(json_extract_string(e.recipients, '$[*].name'), [])) AS names,
    substr(d.published, 1, 10) AS published, d.outlet
"""
BASE_RULE = r"regexp_extract(e.rule, '^[^+>]*')"


class PromiseError(Exception):
    """A bad argument to the ledger (unknown status, malformed actor pair)."""


# ------------------------------------------------------------------------------------------ knowledge

@dataclass(frozen=True)
class Rules:
    raw: dict[str, Any]
    lexicon: dict[str, list[tuple[str, frozenset[str], str]]]  # lemma -> [(type, objects, entry id)]
    entry_types: dict[str, str]  # codebook entry id -> type
    deadlines: list[tuple[str, re.Pattern]]
    broken: re.Pattern
    drop_words: frozenset[str]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    raw = read_data("promises.yaml", PromisesFile)
    codebook = read_data("codebook.yaml", CodebookFile)
    entries = [e for e in (codebook.get("verbs") or []) + (codebook.get("nouns") or []) if "id" in e and "type" in e]
    skip = set(raw["skip_entries"])
    lexicon: dict[str, list] = {}
    for entry in entries:
        if entry.get("modal") or entry["id"] in skip:
            continue  # promise, demand and refusal verbs carry an attitude to an act, not an act
        lemmas = entry["lemma"] if isinstance(entry["lemma"], list) else [entry["lemma"]]
        objects = frozenset(_normal(o) for o in entry.get("objects") or [])
        for lemma in lemmas:
            lexicon.setdefault(str(lemma).lower(), []).append((entry["type"], objects, entry["id"]))
    for options in lexicon.values():  # an entry limited to certain objects is tried before a general one
        options.sort(key=lambda option: not option[1])
    month = "(?:" + "|".join(raw["months"]) + ")"
    number = "(?:" + "|".join(sorted((re.escape(w) for w in raw["number_words"]), key=len, reverse=True)) + r"|\d+)"
    deadlines = [(d["kind"], re.compile(d["pattern"].format(month=month, number=number), re.IGNORECASE))
                 for d in raw["deadlines"]]
    drop = frozenset(STOP_WORDS) | frozenset(raw["generic_words"]) | frozenset(raw["intent_words"])
    return Rules(raw, lexicon, {e["id"]: e["type"] for e in entries}, deadlines,
                 re.compile("|".join(raw["broken_phrases"])), drop)


# ------------------------------------------------------------------------------------------ words

@lru_cache(maxsize=1 << 16)
def _normal(word: str) -> str:
    """Lower case, no possessive, plural stripped: the form object words are compared in."""
    word = word.lower().replace("’", "'").strip("'-")
    word = re.sub(r"'s$", "", word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _lemmas(word: str, rules: Rules) -> list[str]:
    """Forms a verb or noun in the text may have as a codebook lemma: 'signed' -> sign, 'met' -> meet."""
    w = word.lower()
    found = [w, rules["irregular"].get(w, w), _normal(w)]
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: len(w) - len(suffix)]
            found.append(stem + repl)
            if len(stem) > 3 and stem[-1] == stem[-2]:
                found.append(stem[:-1])  # "planned" -> plan, "scrapped" -> scrap
    return list(dict.fromkeys(found))


def _tokens(text: str, start: int = 0) -> list[re.Match]:
    return list(WORD.finditer(text, start))


def _clause(tokens: list[re.Match], rules: Rules) -> list[re.Match]:
    """The tokens up to the end of the clause they open."""
    out: list[re.Match] = []
    for i, tok in enumerate(tokens):
        word = tok.group().lower()
        if word in rules["clause_break_chars"] or word == ".":
            break
        if word in rules["clause_break_words"] and out:
            break
        following = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
        if word == "," and following in rules["comma_break_words"]:
            break
        if word in rules["subject_break_words"] and following in rules["subjects"] and out:
            break
        out.append(tok)
    return out


def _words(tokens: Iterable[re.Match], drop: set[str], rules: Rules) -> frozenset[str]:
    kept = set()
    for tok in tokens:
        word = _normal(tok.group())
        if len(word) > 2 and word[0].isalpha() and word not in rules.drop_words and word not in drop:
            kept.add(word)
    return frozenset(kept)


def _name_words(row: dict) -> set[str]:
    """Words naming the event's parties (as in the sentence and in the actor registry) and place: they tell
    who and where, not what."""
    names = " ".join(n for n in (row.get("names") or []) if n) + " " + (row.get("location") or "")
    return {_normal(w) for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", names)} | set(row.get("party_words") or ())


def party_words(con) -> dict[str, frozenset[str]]:
    """Actor code -> name words of the registered actors of that state or body: each one's name, a person's
    aliases, and a state's one-word aliases ("Tehran", not "Iranian media", whose "media" is no name)."""
    found: dict[str, set[str]] = {}
    rows = con.execute("SELECT actor_id, kind, country, name, aliases FROM actors").fetchall()
    for actor_id, kind, country, name, aliases in rows:
        code = actor_id.split(":", 1)[1].upper() if kind != "person" and ":" in actor_id else country
        if not code:
            continue
        names = [a for a in json.loads(aliases or "[]") if kind == "person" or len(a.split()) == 1]
        text = " ".join([name or "", *names])
        found.setdefault(code, set()).update(_normal(w) for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", text))
    return {code: frozenset(words) for code, words in found.items()}


def _with_party_words(rows: list[dict], words: dict[str, frozenset[str]]) -> list[dict]:
    for row in rows:
        row["party_words"] = frozenset().union(*(words.get(c, frozenset()) for c in _parties(row)))
    return rows


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two object-word sets; two empty sets are one act, one empty set matches nothing."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def same_object(words: frozenset[str], word_sets: Iterable[frozenset[str]], threshold: float) -> bool:
    """A later report is about a thread's act when it names one of the same objects: a word in common and
    similar enough to one report's words (an act with no object named can be told, not decided)."""
    return any(words & other and similarity(words, other) >= threshold for other in word_sets)


# ------------------------------------------------------------------------------------------ one report

def _trigger_end(text: str, trigger: str | None) -> tuple[int, int]:
    """Where the trigger is in the sentence (its first whole-word occurrence), or (0, 0). A light verb's
    trigger ("made promises") may have words in between ("made similar promises"): its last word is used."""
    pieces = (trigger or "").split()
    for piece in ([trigger] if trigger else []) + pieces[::-1]:
        match = re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text, re.IGNORECASE)
        if match:
            return match.start(), match.end()
    return 0, 0


def _base_rule(rule: str | None) -> str:
    return re.split(r"[+>]", rule or "", maxsplit=1)[0]


def find_act(tokens: list[re.Match], rules: Rules) -> tuple[int, str, str] | None:
    """The first token the codebook knows as an act (objects satisfied nearby): (index, type, entry id)."""
    intent, general = set(rules["intent_words"]), set(rules["not_acts"])
    for i, tok in enumerate(tokens):
        word = tok.group().lower()
        if not word[0].isalpha() or _normal(word) in intent or set(_lemmas(word, rules)) & general:
            continue
        nearby = {_normal(t.group()) for t in tokens[max(0, i - 3): i + 8]}
        two = f"{word} {tokens[i + 1].group().lower()}" if i + 1 < len(tokens) else ""
        for lemma in [two, *_lemmas(word, rules)]:
            for act_type, objects, entry_id in rules.lexicon.get(lemma, ()):
                if not objects or objects & nearby:
                    return i, act_type, entry_id
    return None


def read_act(row: dict, rules: Rules) -> dict[str, Any]:
    """The promised act of one promise event: type, object words, a readable phrase, and where it ends."""
    text = row.get("text") or ""
    trig_start, trig_end = _trigger_end(text, row.get("trigger"))
    base = _base_rule(row.get("rule"))
    clause = _clause(_tokens(text, trig_end), rules)
    drop = _name_words(row)
    act_type, act_start, objects = None, trig_start, clause
    if base in rules["promise_rules"]:
        found = find_act(clause, rules)
        if found:
            index, act_type, _ = found
            act_start, objects = clause[index].start(), clause[index + 1:]
    else:
        act_type = rules.entry_types.get(base) or row.get("type")
    objects = objects[: rules["max_object_words"]]
    end = objects[-1].end() if objects else (clause[-1].end() if clause else trig_end)
    before = text[:trig_start].split()
    return {"act_type": act_type, "words": _words(objects, drop, rules),
            "act": " ".join(text[act_start:end].split()) or (row.get("trigger") or ""),
            "like_previous": bool(before) and _normal(before[-1]) in rules["likeness_words"],
            "after_trigger": text[trig_end:]}


def read_deadline(text: str, published: str | None, rules: Rules) -> dict[str, Any] | None:
    """The first deadline stated in `text` (the sentence after the promise), resolved against `published`."""
    for kind, pattern in rules.deadlines:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "within":
            resolved = _within(match, published, rules)
        else:
            when = match.group("when").lower()
            for old, new in rules["deadline_rewrites"].items():
                when = re.sub(rf"\b{re.escape(old)}\b", new, when)
            try:
                found = resolve_expression(when, published or None, prefer="future")
            except ValueError:  # a publication date that is no ISO date: nothing to resolve against
                found = None
            resolved = {"value": found.value, "precision": found.precision} if found else None
        if resolved:
            return {**resolved, "text": " ".join(match.group(0).split())}
    return None


def _within(match: re.Match, published: str | None, rules: Rules) -> dict[str, str] | None:
    """The day a stated term ("within two months") of publication runs out."""
    raw = match.group("n").lower()
    n = int(raw) if raw.isdigit() else rules["number_words"][raw]
    unit = match.group("unit").lower()
    try:
        start = date.fromisoformat((published or "")[:10])
        if unit in ("day", "week"):
            end = date.fromordinal(start.toordinal() + n * (7 if unit == "week" else 1))
        else:
            months = start.year * 12 + start.month - 1 + n * (12 if unit == "year" else 1)
            year, month = divmod(months, 12)
            end = date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
    except (ValueError, OverflowError):  # no full publication date, or a number past the calendar
        return None
    return {"value": end.isoformat(), "precision": "day"}


# ------------------------------------------------------------------------------------------ dates

def first_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat((value + "-01-01"[len(value) - 4:])[:10]) if len(value) < 10 else \
            date.fromisoformat(value[:10])
    except ValueError:
        return None


def last_day(value: str | None) -> date | None:
    start = first_day(value)
    if start is None:
        return None
    if len(value) == 4:
        return date(start.year, 12, 31)
    if len(value) == 7:
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def _promised_on(row: dict) -> str | None:
    """When the promise was made: the event's date when it is not after publication ("pledged on Friday"),
    else the publication date (a future event's date is when the act is due, not when it was promised)."""
    when, published = row.get("date"), row.get("published")
    if when and (not published or (first_day(when) or date.max) <= (first_day(published) or date.min)):
        return when
    return published or when


# ------------------------------------------------------------------------------------------ SQL

def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def promise_events(con, rules: Rules) -> list[dict]:
    """Every stored event that is a promise or plan, with its document's date and outlet."""
    sql = f"""SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN documents d USING (doc_id)
              WHERE (list_contains(?, e.type) AND list_contains(?, e.aux)) OR list_contains(?, e.aux)
                 OR list_contains(?, {BASE_RULE})
              ORDER BY d.published NULLS LAST, e.doc_id, start, e.event_id"""
    return _rows(con, sql, [rules["promise_types"], rules["promise_aux"], rules["any_type_aux"],
                            rules["promise_rules"]])


def outcome_events(con, rules: Rules) -> list[dict]:
    """Events told as done whose sentence says something was called off, cancelled, refused ..."""
    sql = f"""SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN documents d USING (doc_id)
              WHERE (e.aux IS NULL OR e.aux = 'historical')
                AND regexp_matches(lower(json_extract_string(e.evidence, '$.text')), ?)"""
    return _rows(con, sql, [rules.broken.pattern])


def deed_events(con, keys: list[str], rules: Rules) -> list[dict]:
    """Events that report an act as done (no aux, or told as history; not a promise verb) whose 'TYPE|CODE'
    for one of their parties is in `keys` (a thread's act type and one of its parties)."""
    sql = f"""SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN documents d USING (doc_id)
              WHERE (e.aux IS NULL OR e.aux = 'historical') AND NOT list_contains(?, {BASE_RULE})
                AND list_has_any(?, list_transform(list_concat(
                        coalesce(json_extract_string(e.actors, '$[*].code'), []),
                        coalesce(json_extract_string(e.recipients, '$[*].code'), [])), lambda c: e.type || '|' || c))"""
    return _rows(con, sql, [rules["promise_rules"], keys])


def newest_publication(con) -> str | None:
    row = con.execute("SELECT max(substr(published, 1, 10)) FROM documents "
                      "WHERE regexp_matches(published, '^\\d{4}-\\d{2}-\\d{2}')").fetchone()
    return row[0] if row else None


# ------------------------------------------------------------------------------------------ ledger

def _parties(row: dict) -> frozenset[str]:
    return frozenset(row["actor_codes"] or []) | frozenset(row["recipient_codes"] or [])


def _broken_match(text: str, rules: Rules) -> re.Match | None:
    """The first outcome phrase in the sentence that no negator just before it cancels."""
    lower = text.lower()
    reach = rules["negator_reach"]
    for match in rules.broken.finditer(lower):
        before = re.findall(r"[a-z']+", lower[: match.start()].replace("n't", " n't"))[-reach:]
        if not set(before) & set(rules["negators"]):
            return match
    return None


def build_reports(con, rules: Rules, names: dict[str, frozenset[str]]) -> list[dict]:
    """Promise events read into reports: act, words, deadline, promised date. Sentences that report an
    outcome ("called off the planned visit") are outcomes, not promises."""
    reports, previous, seen = [], {}, set()
    for row in _with_party_words(promise_events(con, rules), names):
        if not row.get("text") or not _parties(row) or _broken_match(row["text"], rules):
            continue
        act = read_act(row, rules)
        key = (row["doc_id"], _parties(row))
        if act["like_previous"] and key in previous:  # "made similar promises": the act promised before
            act = {**previous[key], "after_trigger": act["after_trigger"], "like_previous": True}
        previous[key] = act
        sentence = (row["doc_id"], row.get("start"), act["act_type"], _parties(row))
        if sentence in seen:
            continue  # two coders telling one promise in one sentence: one report
        seen.add(sentence)
        promised_on = _promised_on(row)
        deadline = read_deadline(act["after_trigger"], row.get("published"), rules)
        if deadline and _not_ahead(deadline, row, promised_on):
            deadline = None
        reports.append({**row, **act, "parties": _parties(row), "promised_on": promised_on, "deadline": deadline})
    return reports


def _not_ahead(deadline: dict, row: dict, promised_on: str | None) -> bool:
    """A date before the promise ("the deal signed in 2023") or the event's own date read as past by the
    extraction ("sought to strike a deal in February") is no deadline."""
    if (last_day(deadline["value"]) or date.max) < (first_day(promised_on) or date.min):
        return True
    told, stated = (row.get("date_text") or "").lower(), deadline["text"].lower()
    in_past = (first_day(row.get("date")) or date.max) <= (first_day(row.get("published")) or date.min)
    return bool(told) and (told in stated or stated in told) and in_past


def thread_reports(reports: list[dict], rules: Rules) -> list[list[dict]]:
    """Reports of one act by the same parties, in order: same act type and party set, and similar object
    words or one story. Greedy in date order, each report joining the best thread above the threshold;
    candidate threads come from a word index, and each is scored on its distinct word sets only."""
    threshold = rules["same_act_similarity"]
    threads: list[list[dict]] = []
    shapes: list[set[frozenset[str]]] = []  # each thread's distinct object-word sets
    groups: dict[tuple, dict[str, Any]] = {}  # (parties, type) -> word index, story index, empty-words thread
    for report in sorted(reports, key=_report_order):
        group = groups.setdefault((report["parties"], report["act_type"]), {"words": {}, "stories": {}, "empty": None})
        story = group["stories"].get(report.get("story_id")) if report.get("story_id") else None
        wordless = group["empty"] if not report["words"] and report["act_type"] else None
        candidates = {story, wordless}
        for word in report["words"]:
            candidates |= group["words"].get(word, set())
        candidates.discard(None)
        scored = [(max(similarity(report["words"], words) for words in shapes[i]), i) for i in candidates]
        best = max((s for s in scored if s[0] >= threshold or s[1] == story), default=None)
        index = best[1] if best else len(threads)
        if best is None:
            threads.append([])
            shapes.append(set())
        threads[index].append(report)
        shapes[index].add(report["words"])
        for word in report["words"]:
            group["words"].setdefault(word, set()).add(index)
        if not report["words"] and report["act_type"] and group["empty"] is None:
            group["empty"] = index
        if report.get("story_id"):
            group["stories"].setdefault(report["story_id"], index)
    return threads


def _report_order(report: dict) -> tuple:
    return (first_day(report["promised_on"]) or date.max, report.get("published") or "9999", report["doc_id"],
            report.get("start") or 0, report["event_id"])


def ledger(con) -> list[dict]:
    """Every promise thread in the store, decided, most reported first."""
    rules = load_rules()
    names = party_words(con)
    reports = build_reports(con, rules, names)
    threads = thread_reports(reports, rules)
    keys = sorted({f"{t[0]['act_type']}|{min(t[0]['parties'])}" for t in threads if t[0]["act_type"]})
    promising = {(r["doc_id"], r.get("start")) for r in reports}  # a sentence that promises reports no deed
    deeds = _with_party_words([d for d in deed_events(con, keys, rules)
                               if (d["doc_id"], d.get("start")) not in promising], names)
    breaks = [b for b in (_read_break(r, rules) for r in _with_party_words(outcome_events(con, rules), names)) if b]
    outcomes = _Outcomes(deeds, breaks, rules)
    newest = newest_publication(con)
    records = [_thread_record(t, outcomes, newest, rules, names) for t in threads]
    return sorted(records, key=lambda r: (-r["documents"], -len(r["reports"]), r["first_promised"] or "9999",
                                          r["promise_id"]))


class _Outcomes:
    """Reports that can decide a thread: deeds looked up by (type, party subset) and then by object word,
    breaks by party code; words of a deed are read once, when a thread first looks at it."""

    def __init__(self, deeds: list[dict], breaks: list[dict], rules: Rules):
        self.rules = rules
        self._deeds = _index_by_parties(deeds)
        self._by_word: dict[tuple, tuple[dict[str, list[dict]], list[dict]]] = {}
        self.breaks: dict[str, list[dict]] = {}
        for report in breaks:
            for code in report["parties"]:
                self.breaks.setdefault(code, []).append(report)

    def deeds_like(self, key: tuple[str, frozenset], word_sets: Iterable[frozenset[str]]) -> list[dict]:
        """Deeds of this type and parties sharing a word with one of `word_sets` (or wordless, like one)."""
        if key not in self._by_word:
            self._by_word[key] = self._word_index(self._deeds.get(key, []))
        by_word, wordless = self._by_word[key]
        found: dict[str, dict] = {}
        for words in word_sets:
            for deed in wordless if not words else (d for w in words for d in by_word.get(w, ())):
                found[deed["event_id"]] = deed
        return list(found.values())

    def _word_index(self, deeds: list[dict]) -> tuple[dict[str, list[dict]], list[dict]]:
        by_word: dict[str, list[dict]] = {}
        wordless = []
        for deed in deeds:
            if "words" not in deed:
                deed["words"] = _deed_words(deed, self.rules)
            for word in deed["words"]:
                by_word.setdefault(word, []).append(deed)
            if not deed["words"]:
                wordless.append(deed)
        return by_word, wordless


def _index_by_parties(deeds: list[dict]) -> dict[tuple[str, frozenset], list[dict]]:
    """(type, party subset) -> deeds: a thread finds the deeds of its parties (and maybe others) at once."""
    index: dict[tuple, list[dict]] = {}
    for deed in deeds:
        parties = sorted(_parties(deed))[:6]  # a subset per combination: keep it bounded
        for size in range(1, len(parties) + 1):
            for combo in combinations(parties, size):
                index.setdefault((deed["type"], frozenset(combo)), []).append(deed)
    return index


def _read_break(row: dict, rules: Rules) -> dict | None:
    """An outcome sentence read like a promise: the act after the phrase ("called off the visit to ...")."""
    match = _broken_match(row.get("text") or "", rules)
    if not match or not _parties(row):
        return None
    clause = _clause(_tokens(row["text"], match.end()), rules)
    found = find_act(clause, rules)
    objects = clause[found[0] + 1:] if found else clause
    return {**row, "parties": _parties(row), "act_type": found[1] if found else None,
            "words": _words(objects[: rules["max_object_words"]], _name_words(row), rules),
            "phrase": match.group(0)}


def _same_parties(event: dict, parties: frozenset[str], names: dict[str, frozenset[str]]) -> bool:
    """The event is about all of `parties`: coded as its actors or recipients, or named in its sentence
    ("called off the meeting of the commission with Azerbaijan", where the parser hangs the name elsewhere)."""
    if not parties & event["parties"]:
        return False
    sentence = {_normal(w) for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", event.get("text") or "")}
    return all(code in event["parties"] or names.get(code, frozenset()) & sentence for code in parties)


def _thread_record(reports: list[dict], outcomes: _Outcomes, newest: str | None, rules: Rules,
                   names: dict[str, frozenset[str]]) -> dict:
    first = reports[0]
    threshold = rules["same_act_similarity"]
    word_sets = {r["words"] for r in reports}
    first_promised = first["promised_on"]
    start = first_day(first_promised) or date.min
    last_promise = max((first_day(r["promised_on"]) or date.min for r in reports), default=start)

    def matches(event: dict) -> bool:
        return same_object(event["words"], word_sets, threshold)

    deed = _first_deed(reports, outcomes, start, rules)
    breaks = {b["event_id"]: b for code in first["parties"] for b in outcomes.breaks.get(code, [])}.values()
    broken = sorted((b for b in breaks if _same_parties(b, first["parties"], names)
                     and b["act_type"] in (None, first["act_type"]) and matches(b)
                     and _after_promise(b, first, start)),
                    key=lambda b: first_day(b.get("date") or b.get("published")) or date.min)
    deadline = next((r["deadline"] | {"event_id": r["event_id"]} for r in reversed(reports) if r["deadline"]), None)
    status, decided_by, lag = "open", None, None
    if deed:
        status, decided_by = "kept", _decider(deed, "reported done")
        lag = _days(start, first_day(deed.get("date") or deed.get("published")))
    elif broken and (first_day(broken[-1].get("date") or broken[-1].get("published")) or date.min) >= last_promise:
        status, decided_by = "broken", _decider(broken[-1], f"'{broken[-1]['phrase']}'")
        lag = _days(start, first_day(broken[-1].get("date") or broken[-1].get("published")))
    elif deadline and newest and (last_day(deadline["value"]) or date.max) < date.fromisoformat(newest):
        status = "overdue"
        source = next(r for r in reports if r["event_id"] == deadline["event_id"])
        decided_by = _decider(source, f"deadline {deadline['text']} ({deadline['value']}) passed by {newest}")
        lag = _days(last_day(deadline["value"]), date.fromisoformat(newest))
    sources = _sources(reports)
    return {
        "promise_id": "pr-" + hashlib.sha1(first["event_id"].encode()).hexdigest()[:12],
        "participants": sorted(first["parties"]),
        "direction": _direction(first),
        "act_type": first["act_type"],
        "act": first["act"],
        "first_promised": first_promised,
        "deadline": deadline,
        "reports": [_report_record(r, sources[r["event_id"]]) for r in reports],
        "sources": len(set(sources.values())),
        "status": status,
        "decided_by": decided_by,
        "lag_days": lag,
        "documents": len({r["doc_id"] for r in reports}),
        "source_names": sorted(set(sources.values())),
        "outlets": sorted({r["outlet"] for r in reports if r.get("outlet")}),
        "act_words": _words_by_support(reports),
    }


def _words_by_support(reports: list[dict]) -> list[str]:
    """The thread's object words, those most of its reports share first."""
    counts: dict[str, int] = {}
    for report in reports:
        for word in report["words"]:
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda word: (-counts[word], word))


def _first_deed(reports: list[dict], outcomes: _Outcomes, start: date, rules: Rules) -> dict | None:
    """The earliest event of the act's type by the thread's parties, dated on or after the first promise,
    whose object words match one report's."""
    first = reports[0]
    if not first["act_type"]:
        return None
    word_sets = {r["words"] for r in reports}
    promisers = set(first["actor_codes"] or [])
    found = []
    for deed in outcomes.deeds_like((first["act_type"], first["parties"]), word_sets):
        if not _after_promise(deed, first, start):
            continue  # done before it was promised
        if not deed.get("symmetric") and promisers and not promisers & set(deed.get("doer_codes") or []):
            continue  # a one-way act done by someone else (the attack that a threat answers)
        when = first_day(deed.get("date") or deed.get("published"))
        if same_object(deed["words"], word_sets, rules["same_act_similarity"]):
            found.append((when, deed["event_id"], deed))
    return min(found, key=lambda f: f[:2])[2] if found else None


def _after_promise(event: dict, first: dict, start: date) -> bool:
    """Dated on or after the first promise; a month that holds it counts when the event's report was
    published after the promise's (a year is too coarse to tell)."""
    when = event.get("date") or event.get("published")
    if (first_day(when) or date.min) >= start:
        return True
    later_report = (event.get("published") or "") > (first.get("published") or "9999")
    return later_report and len(when or "") == 7 and (last_day(when) or date.min) >= start


def _deed_words(deed: dict, rules: Rules) -> frozenset[str]:
    text = deed.get("text") or ""
    _, trig_end = _trigger_end(text, deed.get("trigger"))
    objects = _clause(_tokens(text, trig_end), rules)[: rules["max_object_words"]]
    return _words(objects, _name_words(deed), rules)


def _days(a: date | None, b: date | None) -> int | None:
    """Days from a to b; 0 when b is a month that holds a (the lag is then at most that month)."""
    return max((b - a).days, 0) if a and b and a != date.min else None


def _direction(report: dict) -> str:
    actors = "+".join(report["actor_codes"] or [])
    recipients = "+".join(c for c in report["recipient_codes"] or [] if c not in (report["actor_codes"] or []))
    return f"{actors} → {recipients}" if recipients else actors


def _decider(row: dict, reason: str) -> dict:
    return {"event_id": row["event_id"], "doc_id": row["doc_id"], "outlet": row.get("outlet"),
            "published": row.get("published"), "date": row.get("date"), "type": row.get("type"),
            "reason": reason, "evidence": {"text": row.get("text"), "start": row.get("start"), "end": row.get("end")}}


def _sources(reports: list[dict]) -> dict[str, str]:
    """event_id -> the outlet a report really comes from ("as confirmed to CNBC" is CNBC's report)."""
    from .stories.config import load_config
    from .stories.summary import root_source

    cfg = load_config()
    by_first_word: dict[str, set[str]] = {}  # only outlets a report names can be its root: find them by word
    for outlet in {r["outlet"] for r in reports if r.get("outlet")}:
        words = _plain_words(outlet)
        by_first_word.setdefault(words[0] if words else "", set()).add(outlet)
    found = {}
    for r in reports:
        named = set().union(*(by_first_word.get(w, set()) for w in
                              set(_plain_words(f"{r.get('text') or ''} {r.get('attribution') or ''}"))))
        named |= {r["outlet"]} if r.get("outlet") else set()
        found[r["event_id"]] = root_source({"attribution": r.get("attribution"), "evidence": r.get("text"),
                                            "outlet": r.get("outlet"), "doc_id": r["doc_id"]}, named, cfg)
    return found


def _plain_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _report_record(report: dict, source: str) -> dict:
    return {"event_id": report["event_id"], "doc_id": report["doc_id"], "outlet": report.get("outlet"),
            "source": source, "published": report.get("published"), "promised_on": report["promised_on"],
            "direction": _direction(report), "aux": report.get("aux"), "rule": report.get("rule"),
            "act": report["act"], "deadline": report["deadline"],
            "evidence": {"text": report.get("text"), "start": report.get("start"), "end": report.get("end")}}


# ------------------------------------------------------------------------------------------ stored ledger

def fingerprint(con) -> str:
    """What the ledger depends on: the events, documents and actor names as stored, and the rules (this
    module and its data files). A different fingerprint means the stored ledger is stale."""
    row = con.execute("""
        SELECT (SELECT count(*) || ':' || coalesce(sum(hash(concat_ws('|', event_id, type, aux, rule, trigger, date,
                        story_id, actors, recipients, evidence))), 0) FROM events),
               (SELECT count(*) || ':' || coalesce(sum(hash(concat_ws('|', doc_id, published, outlet))), 0)
                FROM documents),
               (SELECT count(*) || ':' || coalesce(sum(hash(concat_ws('|', actor_id, name, aliases))), 0) FROM actors)
    """).fetchone()
    return hashlib.sha1("|".join([*map(str, row), _rules_digest()]).encode()).hexdigest()


@lru_cache(maxsize=1)
def _rules_digest() -> str:
    files = [resources.files("dyad").joinpath(f"data/{n}") for n in ("promises.yaml", "codebook.yaml")]
    parts = [f.read_bytes() for f in files] + [Path(__file__).read_bytes()]
    return hashlib.sha1(b"\0".join(parts)).hexdigest()


def _table_exists(con, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0] > 0


def is_fresh(con) -> bool:
    """The stored `promises` table was built from exactly what the store holds now."""
    if not (_table_exists(con, "promises") and _table_exists(con, "promises_stamp")):
        return False
    row = con.execute("SELECT stamp FROM promises_stamp").fetchone()
    return row is not None and row[0] == fingerprint(con)


def compute(con) -> tuple[str, list[dict]]:
    """The ledger and the fingerprint of the rows it was computed from (taken first: if an ingest commits
    meanwhile, the saved ledger is simply stale and rebuilt next time)."""
    try:
        return fingerprint(con), ledger(con)
    except duckdb.CatalogException as exc:  # a store written by an older dyad, or not by dyad at all
        raise PromiseError(f"cannot read promises from this store ({exc}): re-ingest it with this dyad") from exc
    except duckdb.BinderException as exc:
        raise PromiseError(f"cannot read promises from this store ({exc}): re-ingest it with this dyad") from exc


def rebuild(store) -> int:
    """Compute the ledger and store it; returns the number of threads."""
    stamp, records = compute(_connection(store))
    save(store, stamp, records)
    return len(records)


def save(store, stamp: str, records: list[dict]) -> None:
    """Store a computed ledger in the `promises` table (one row per thread, the record as JSON) and its
    fingerprint in `promises_stamp`, replacing the old ones in one transaction."""
    con = _connection(store)
    con.begin()
    try:
        con.execute("CREATE OR REPLACE TABLE promises (promise_id VARCHAR, rank INTEGER, "
                    "participants JSON, status VARCHAR, record JSON)")
        con.execute("CREATE OR REPLACE TABLE promises_stamp (stamp VARCHAR)")
        if records:
            con.executemany("INSERT INTO promises VALUES (?, ?, ?, ?, ?)",
                            [[r["promise_id"], i, json.dumps(r["participants"]), r["status"],
                              json.dumps(r, ensure_ascii=False, default=str)] for i, r in enumerate(records)])
        con.execute("INSERT INTO promises_stamp VALUES (?)", [stamp])
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _stored(con, pair: set[str] | None, wanted: set[str], promise_id: str | None = None) -> list[dict]:
    clauses, params = [], []
    for code in sorted(pair or ()):
        clauses.append("list_contains(json_extract_string(participants, '$[*]'), ?)")
        params.append(code)
    if wanted:
        clauses.append("list_contains(?, status)")
        params.append(sorted(wanted))
    if promise_id:
        clauses.append("promise_id = ?")
        params.append(promise_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = con.execute(f"SELECT record FROM promises {where} ORDER BY rank", params).fetchall()
    return [json.loads(r[0]) for r in rows]


def _current(store, pair: set[str] | None, wanted: set[str], promise_id: str | None = None) -> list[dict]:
    """From the stored table when it is fresh; else rebuilt (a writable store) or computed in memory."""
    con = _connection(store)
    if is_fresh(con):
        return _stored(con, pair, wanted, promise_id)
    stamp, records = compute(con)
    if not getattr(store, "read_only", True):
        save(store, stamp, records)
    return [r for r in records if _selected(r, pair, wanted, promise_id)]


def select(records: list[dict], between: tuple[str, str] | None = None, status: str | Iterable[str] | None = None,
           promise_id: str | None = None) -> list[dict]:
    """The computed threads that `promises(store, between, status)` or `thread(store, id)` would return."""
    pair = _pair(between) if between else None
    return [r for r in records if _selected(r, pair, _statuses(status), promise_id)]


def _selected(row: dict, pair: set[str] | None, wanted: set[str], promise_id: str | None) -> bool:
    return ((not wanted or row["status"] in wanted) and (not pair or pair <= set(row["participants"]))
            and (not promise_id or row["promise_id"] == promise_id))


# ------------------------------------------------------------------------------------------ public API

def _connection(store):
    return getattr(store, "connection", store)


def promises(store, between: tuple[str, str] | None = None, status: str | Iterable[str] | None = None) -> list[dict]:
    """Promise threads, most reported first; `between` two actor codes (either order), `status` one of
    kept, broken, overdue, open (or several). `store` is a Store (or a DuckDB connection)."""
    return _current(store, _pair(between) if between else None, _statuses(status))


def thread(store, promise_id: str) -> dict | None:
    """One promise thread by id, with its reports in order and what decided it."""
    found = _current(store, None, set(), promise_id.strip())
    return found[0] if found else None


def promise_rows(store) -> list[dict]:
    """Every thread, for `dyad export promises`."""
    return _current(store, None, set())


def _statuses(status: str | Iterable[str] | None) -> set[str]:
    if not status:
        return set()
    wanted = {status} if isinstance(status, str) else set(status)
    wanted = {s.strip().lower() for s in wanted}
    unknown = wanted - set(STATUSES)
    if unknown:
        raise PromiseError(f"unknown status {', '.join(sorted(unknown))!r}: one of {', '.join(STATUSES)}")
    return wanted


def _pair(between: tuple[str, str]) -> set[str]:
    if len(between) != 2 or not all(isinstance(s, str) and s.strip() for s in between):
        raise PromiseError(f"--between needs two actor codes, not {between!r}")
    return {s.strip().upper().split(":", 1)[-1] for s in between}
