"""Dyad analysis over the store: a dyad's time series, the actor network, the dyads that moved most.

In: a DuckDB connection to a dyad store (read-only is enough) and filters (actor codes or ids, ISO dates).
Out: plain dicts and lists, ready for JSON, the REST API, the dashboard and the exports.

Everything is SQL run by DuckDB, so it scales with the store: a temporary table `event_parties` (one row per
actor or recipient of an event) is built once per connection and shared by every query. A dyad is a pair of
distinct actor codes that take part in one event, on either side; A→B means A acts and B receives.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import IO, Any

import duckdb
from pydantic import BaseModel, ConfigDict

from .export import write_rows as export_rows

FREQS = ("day", "week", "month")
FIRST_DAY, LAST_DAY = "0000-01-01", "9999-12-99"  # paddings that make ISO prefixes comparable as text
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
_ISO = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$|^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
# Which event dates are precise enough for a period, and the period they fall in.
_PERIOD_SQL = {
    "day": ("length(e.date) >= 10", "substr(e.date, 1, 10)"),
    "week": ("length(e.date) >= 10 AND try_cast(substr(e.date, 1, 10) AS DATE) IS NOT NULL",
             "strftime(date_trunc('week', try_cast(substr(e.date, 1, 10) AS DATE)), '%G-W%V')"),
    "month": ("length(e.date) >= 7", "substr(e.date, 1, 7)"),
}


class AnalysisError(ValueError):
    """Bad input to an analysis (a date, a frequency, a dyad); the message names it and says why."""


# --- input checks ------------------------------------------------------------------------------------

def check_date(value: str | None, name: str) -> str | None:
    """An ISO date bound (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not _ISO.match(value) or (len(value) == 10 and not _real_day(value)):
        raise AnalysisError(f"{name} {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def _real_day(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_period(value: str) -> tuple[str, str]:
    """A series period label (2025-03, 2025-03-11 or 2025-W11) -> (frequency, label)."""
    value = (value or "").strip()
    if not _PERIOD.match(value):
        raise AnalysisError(f"period {value!r} is not a month (2025-03), a day (2025-03-11) or a week (2025-W11)")
    if "W" in value:
        return "week", value
    return ("day" if len(value) == 10 else "month"), value


def check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise AnalysisError(f"freq {freq!r} is not one of {', '.join(FREQS)}")
    return freq


def actor_key(value: str | None, name: str = "actor") -> str:
    key = (value or "").strip().upper()
    if not key:
        raise AnalysisError(f"{name} is empty: give an actor code (JPN) or an actor id (state:JPN)")
    return key


# --- the shared index ----------------------------------------------------------------------------------

def ensure_parties(con: duckdb.DuckDBPyConnection) -> None:
    """Builds the temporary `event_parties` table on this connection unless it is there already."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'event_parties'"
                         ).fetchone()[0]
    if exists:
        return
    con.execute("""
        CREATE TEMP TABLE event_parties AS
        SELECT e.event_id, p.side, upper(p.code) AS code, p.actor_id, upper(p.actor_id) AS actor_key, p.name
        FROM events e, LATERAL (
            SELECT 'actor' AS side, unnest(json_extract_string(e.actors, '$[*].code')) AS code,
                   unnest(json_extract_string(e.actors, '$[*].actor_id')) AS actor_id,
                   unnest(json_extract_string(e.actors, '$[*].name')) AS name
            UNION ALL
            SELECT 'recipient', unnest(json_extract_string(e.recipients, '$[*].code')),
                   unnest(json_extract_string(e.recipients, '$[*].actor_id')),
                   unnest(json_extract_string(e.recipients, '$[*].name'))) p""")


def date_clause(since: str | None, until: str | None, column: str = "e.date",
                first_day: str | None = None, last_day: str | None = None) -> tuple[str, list]:
    """SQL (with params) keeping events whose date, at its own precision, lies within [since, until]:
    a month-dated event is inside 2025-03 and 2025, not inside 2025-03-15; an undated one is never inside.
    Dates are compared as text after padding: a start to its first day, an end past its last (2025-03-99).
    `first_day`/`last_day` name columns already holding the padded date (an index keeps them)."""
    since, until = check_date(since, "since"), check_date(until, "until")
    clauses, params = [], []
    if since:
        clauses.append(f"{first_day or pad_sql(column, FIRST_DAY)} >= ?")
        params.append(since + FIRST_DAY[len(since):])
    if until:
        clauses.append(f"{last_day or pad_sql(column, LAST_DAY)} <= ?")
        params.append(until + LAST_DAY[len(until):])
    return " AND ".join(clauses) or "true", params


def pad_sql(column: str, padding: str) -> str:
    """SQL padding an ISO prefix to a full day with `padding` (FIRST_DAY or LAST_DAY)."""
    return f"({column} || substr('{padding}', length({column}) + 1))"


def period_clause(period: str, column: str = "e.date") -> tuple[str, list]:
    """SQL keeping exactly the events a series places in this period."""
    freq, label = check_period(period)
    precise, expr = _PERIOD_SQL[freq]
    return (f"({precise.replace('e.date', column)}) AND {expr.replace('e.date', column)} = ?"), [label]


def reliability_clause(min_reliability: float | None, column: str = "e.reliability") -> tuple[str, list]:
    """SQL keeping the events whose reliability is at least `min_reliability` (None: every event). An event
    with no estimate (stored without the learned coder) is left out by any bar."""
    if min_reliability is None:
        return "TRUE", []
    if not 0.0 <= min_reliability <= 1.0:
        raise AnalysisError(f"min_reliability {min_reliability} is not between 0 and 1")
    return f"{column} >= ?", [float(min_reliability)]


def _event_clause(since: str | None, until: str | None, min_reliability: float | None) -> tuple[str, list]:
    """SQL over `events e` for a date window and a reliability bar together."""
    dates, params = date_clause(since, until)
    reliable, more = reliability_clause(min_reliability)
    return f"({dates}) AND {reliable}", params + more


def side_match(key: str) -> str:
    """SQL matching an event_parties row to an actor given as a code or an actor id (already upper-cased)."""
    return f"(code = '{_sql_str(key)}' OR actor_key = '{_sql_str(key)}')"


def _sql_str(value: str) -> str:
    return value.replace("'", "''")


# --- series -----------------------------------------------------------------------------------------------

def series(con, a: str, b: str, freq: str = "month", since: str | None = None, until: str | None = None,
           min_reliability: float | None = None) -> dict[str, Any]:
    """Per period: events by type (A→B, B→A, jointly, all), summed and mean score, independent stories.

    Events whose date is coarser than the frequency (a year, or a month for days and weeks) are counted in
    `unplaced`, not in a period. Periods without events between the first and the last are listed empty.
    """
    a, b, freq = actor_key(a, "a"), actor_key(b, "b"), check_freq(freq)
    if a == b:
        raise AnalysisError(f"a and b are both {a!r}: a dyad needs two different actors")
    ensure_parties(con)
    dates, params = _event_clause(since, until, min_reliability)
    precise, expr = _PERIOD_SQL[freq]
    rows = con.execute(f"""
        WITH sides AS (
            SELECT event_id,
                   bool_or(side = 'actor' AND {side_match(a)}) AS a_acts,
                   bool_or(side = 'recipient' AND {side_match(a)}) AS a_receives,
                   bool_or(side = 'actor' AND {side_match(b)}) AS b_acts,
                   bool_or(side = 'recipient' AND {side_match(b)}) AS b_receives
            FROM event_parties WHERE {side_match(a)} OR {side_match(b)} GROUP BY event_id),
        dyad AS (
            SELECT e.event_id, e.type, e.score, coalesce(e.story_id, e.event_id) AS story,
                   CASE WHEN {precise} THEN {expr} END AS period,
                   CASE WHEN a_acts AND b_receives THEN 'a_to_b' WHEN b_acts AND a_receives THEN 'b_to_a'
                        ELSE 'joint' END AS direction
            FROM events e JOIN sides USING (event_id)
            WHERE (a_acts OR a_receives) AND (b_acts OR b_receives) AND {dates})
        SELECT period, direction, type, count(*), sum(score), count(score),
               list(DISTINCT story)
        FROM dyad GROUP BY ALL ORDER BY ALL""", params).fetchall()
    return {**_series_result(a, b, freq, since, until, rows), "min_reliability": min_reliability}


def _series_result(a, b, freq, since, until, rows) -> dict[str, Any]:
    periods: dict[str, dict[str, Any]] = {}
    unplaced, types = 0, set()
    for period, direction, etype, n, score_sum, scored, stories in rows:
        if period is None:
            unplaced += n
            continue
        p = periods.setdefault(period, _empty_period(period, freq))
        p[direction][etype] = p[direction].get(etype, 0) + n
        p["types"][etype] = p["types"].get(etype, 0) + n
        p["events"] += n
        p["score_sum"] += score_sum or 0.0
        p["_scored"] += scored
        p["_stories"].update(stories)
        types.add(etype)
    for label in _all_periods(sorted(periods), freq):
        periods.setdefault(label, _empty_period(label, freq))
    ordered = [periods[k] for k in sorted(periods)]
    all_stories = set().union(*(p["_stories"] for p in ordered))
    for p in ordered:
        scored = p.pop("_scored")
        p["stories"] = len(p.pop("_stories"))
        p["score_sum"] = round(p["score_sum"], 3)
        p["score_mean"] = round(p["score_sum"] / scored, 3) if scored else None
    return {"a": a, "b": b, "freq": freq, "since": since, "until": until, "types": type_order(types),
            "periods": ordered, "unplaced": unplaced, "stories": len(all_stories),
            "events": sum(p["events"] for p in ordered) + unplaced}


def _empty_period(label: str, freq: str) -> dict[str, Any]:
    return {"period": label, "start": period_start(label, freq), "events": 0, "a_to_b": {}, "b_to_a": {},
            "joint": {}, "types": {}, "score_sum": 0.0, "_scored": 0, "_stories": set()}


def period_start(label: str, freq: str) -> str:
    import datetime as dt

    if freq == "month":
        return f"{label}-01"
    if freq == "week":
        year, week = label.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1).isoformat()
    return label


def _all_periods(labels: list[str], freq: str) -> list[str]:
    """Every period label from the first to the last (so gaps show on a timeline); capped for safety."""
    import datetime as dt

    if len(labels) < 2:
        return labels
    first, last = dt.date.fromisoformat(period_start(labels[0], freq)), dt.date.fromisoformat(
        period_start(labels[-1], freq))
    out, day, limit = [], first, 5000
    while day <= last and len(out) < limit:
        if freq == "month":
            out.append(day.strftime("%Y-%m"))
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        elif freq == "week":
            year, week, _ = day.isocalendar()
            out.append(f"{year}-W{week:02d}")
            day += dt.timedelta(days=7)
        else:
            out.append(day.isoformat())
            day += dt.timedelta(days=1)
    return out


def series_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A series as flat rows for export: one per period, counts by type as objects."""
    keys = ("period", "start", "events", "score_sum", "score_mean", "stories", "a_to_b", "b_to_a", "joint", "types")
    return [{"a": result["a"], "b": result["b"], "freq": result["freq"], **{k: p[k] for k in keys}}
            for p in result["periods"]]


# --- network ---------------------------------------------------------------------------------------------

def network(con, since: str | None = None, until: str | None = None, min_events: int = 1,
            actor: str | None = None, by: str = "code", limit: int | None = None,
            min_reliability: float | None = None) -> dict[str, Any]:
    """Actors as nodes (events, net score), dyads as weighted, signed edges (events, score sum and mean,
    events each way, types). `by` is "code" (states, organisations) or "actor_id" (people, groups too);
    `actor` keeps only the edges touching that actor (its ego network); `limit` keeps the heaviest edges."""
    if by not in ("code", "actor_id"):
        raise AnalysisError(f"by {by!r} is not one of code, actor_id")
    if min_events < 1:
        raise AnalysisError(f"min_events {min_events} must be at least 1")
    ensure_parties(con)
    dates, params = _event_clause(since, until, min_reliability)
    key = "code" if by == "code" else "actor_id"
    ego, ego_events = "", ""
    if actor:  # the actor's own keys (its code, or itself); only events holding one of them are paired
        own = f"SELECT {key} FROM event_parties WHERE {side_match(actor_key(actor))}"
        ego = f"AND (x.k IN ({own}) OR y.k IN ({own}))"
        ego_events = f"AND event_id IN (SELECT event_id FROM event_parties WHERE {key} IN ({own}))"
    edges = _fetch(con, f"""
        WITH p AS (SELECT event_id, {key} AS k, bool_or(side = 'actor') AS acts,
                          bool_or(side = 'recipient') AS receives
                   FROM event_parties WHERE {key} IS NOT NULL {ego_events} GROUP BY event_id, k),
        pairs AS (SELECT x.event_id, x.k AS source, y.k AS target,
                         x.acts AND y.receives AS forward, y.acts AND x.receives AS backward
                  FROM p x JOIN p y ON x.event_id = y.event_id AND x.k < y.k {ego})
        SELECT source, target, count(*) AS events, round(sum(e.score), 3) AS score_sum,
               round(avg(e.score), 3) AS score_mean, count(*) FILTER (forward) AS source_to_target,
               count(*) FILTER (backward AND NOT forward) AS target_to_source,
               count(DISTINCT coalesce(e.story_id, e.event_id)) AS stories,
               histogram(e.type) AS types
        FROM pairs JOIN events e USING (event_id)
        WHERE {dates}
        GROUP BY source, target HAVING count(*) >= ?
        ORDER BY events DESC, abs(sum(e.score)) DESC, source, target
        {f'LIMIT {int(limit)}' if limit else ''}""", [*params, int(min_events)])
    for edge in edges:
        edge["types"] = dict(sorted(edge["types"].items(), key=lambda kv: -kv[1]))
        edge["sign"] = _sign(edge["score_sum"])
    return {"by": by, "since": since, "until": until, "min_events": min_events, "actor": actor,
            "min_reliability": min_reliability,
            "nodes": _nodes(con, edges, by), "edges": edges}


def _sign(value: float | None) -> int:
    return 0 if not value else (1 if value > 0 else -1)


def _nodes(con, edges: list[dict], by: str) -> list[dict[str, Any]]:
    keys = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    if not keys:
        return []
    names = node_names(con, keys, by)
    totals: dict[str, dict[str, float]] = {k: {"events": 0, "score_sum": 0.0, "degree": 0} for k in keys}
    for e in edges:
        for k in (e["source"], e["target"]):
            totals[k]["events"] += e["events"]
            totals[k]["score_sum"] += e["score_sum"] or 0.0
            totals[k]["degree"] += 1
    return [{"id": k, "label": names.get(k, (k, None))[0], "actor_id": names.get(k, (k, None))[1],
             "edge_events": int(totals[k]["events"]), "score_sum": round(totals[k]["score_sum"], 3),
             "degree": int(totals[k]["degree"])} for k in keys]


def node_names(con, keys: list[str], by: str) -> dict[str, tuple[str, str | None]]:
    """A display name and a registry actor id per node: the state or organisation with that code."""
    if by == "actor_id":
        rows = con.execute("SELECT actor_id, name FROM actors WHERE list_contains(?, actor_id)", [keys]).fetchall()
        return {actor_id: (name or actor_id, actor_id) for actor_id, name in rows}
    rows = con.execute("""
        SELECT upper(split_part(actor_id, ':', 2)) AS code, name, actor_id FROM actors
        WHERE kind IN ('state', 'organization') AND list_contains(?, upper(split_part(actor_id, ':', 2)))
        ORDER BY kind DESC""", [keys]).fetchall()
    names: dict[str, tuple[str, str | None]] = {}
    for code, name, actor_id in rows:
        names.setdefault(code, (name or code, actor_id))
    return names


def network_rows(result: dict[str, Any], what: str = "edges") -> list[dict[str, Any]]:
    if what not in ("edges", "nodes"):
        raise AnalysisError(f"what {what!r} is not one of edges, nodes")
    return list(result[what])


# --- changes ---------------------------------------------------------------------------------------------

def parse_span(value: str, name: str) -> tuple[str, str]:
    """A period given as one ISO prefix (2025-03) or a range (2025-01..2025-03) -> (since, until)."""
    first, sep, last = (value or "").partition("..")
    since = check_date(first, name)
    until = check_date(last, name) if sep else since
    if since is None or until is None:
        raise AnalysisError(f"{name} {value!r} needs a start and an end: 2025-03 or 2025-01..2025-03")
    if until < since[:len(until)]:
        raise AnalysisError(f"{name} {value!r} ends before it starts")
    return since, until


def latest_months(con) -> tuple[str, str] | None:
    """The last two calendar months that hold events dated to the month or better."""
    rows = con.execute("SELECT DISTINCT substr(date, 1, 7) AS m FROM events WHERE length(date) >= 7 "
                       "ORDER BY m DESC LIMIT 2").fetchall()
    if len(rows) < 2:
        return None
    return rows[1][0], rows[0][0]


def changes(con, first: str | None = None, second: str | None = None, limit: int = 20,
            min_events: int = 1) -> dict[str, Any]:
    """Dyads ranked by how much their net score moved from the first period to the second.

    A dyad absent from a period counts 0 there; `min_events` is required in at least one of the periods.
    Without periods, the last two months with events are compared.
    """
    if first is None or second is None:
        months = latest_months(con)
        if months is None:
            return {"first": None, "second": None, "dyads": []}
        first, second = first or months[0], second or months[1]
    spans = parse_span(first, "first"), parse_span(second, "second")
    ensure_parties(con)
    clauses = [date_clause(*span) for span in spans]
    dyads = _fetch(con, f"""
        WITH p AS (SELECT DISTINCT event_id, code AS k FROM event_parties WHERE code IS NOT NULL),
        pairs AS (SELECT x.event_id, x.k AS a, y.k AS b FROM p x JOIN p y ON x.event_id = y.event_id AND x.k < y.k),
        tagged AS (SELECT a, b, e.score, ({clauses[0][0]}) AS in_first, ({clauses[1][0]}) AS in_second
                   FROM pairs JOIN events e USING (event_id))
        SELECT a, b, count(*) FILTER (in_first) AS events_first, count(*) FILTER (in_second) AS events_second,
               round(coalesce(sum(score) FILTER (in_first), 0), 3) AS score_first,
               round(coalesce(sum(score) FILTER (in_second), 0), 3) AS score_second,
               round(avg(score) FILTER (in_first), 3) AS mean_first,
               round(avg(score) FILTER (in_second), 3) AS mean_second
        FROM tagged WHERE in_first OR in_second GROUP BY a, b
        HAVING greatest(count(*) FILTER (in_first), count(*) FILTER (in_second)) >= ?
        ORDER BY abs(coalesce(sum(score) FILTER (in_second), 0) - coalesce(sum(score) FILTER (in_first), 0)) DESC,
                 a, b LIMIT ?""", [*clauses[0][1], *clauses[1][1], int(min_events), int(limit)])
    for d in dyads:
        d["delta"] = round(d["score_second"] - d["score_first"], 3)
    return {"first": {"since": spans[0][0], "until": spans[0][1]},
            "second": {"since": spans[1][0], "until": spans[1][1]}, "dyads": dyads}


# --- helpers ---------------------------------------------------------------------------------------------

def _fetch(con, sql: str, params: list) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def plover_types() -> dict[str, dict[str, Any]]:
    """The 16 PLOVER types in order, with their score and quad family (data/plover.yaml)."""
    from .plover import types_table

    return types_table()


def type_order(types) -> list[str]:
    known = list(plover_types())
    return sorted(types, key=lambda t: (known.index(t) if t in known else len(known), t))


# --- writing rows ----------------------------------------------------------------------------------------

def write_rows(rows: list[dict[str, Any]], fmt: str, out: str | os.PathLike | IO[str] | None = None) -> int:
    """Rows as JSONL (stdout when no `out`), CSV (nested values as JSON text, formula-like text defused) or
    Parquet (a path only)."""
    if fmt not in EXPORT_FORMATS:
        raise AnalysisError(f"format {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet" and not isinstance(out, (str, os.PathLike)):
        raise AnalysisError("parquet is binary: give an output file with -o FILE")
    export_rows(rows, fmt, out)
    return len(rows)


# --- the POLECAT/PLOVER event layout ---------------------------------------------------------------------

class _Quad(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: int
    name: str


class _PolecatFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quads: dict[str, _Quad]
    separator: str
    language: str
    version: str


@lru_cache(maxsize=1)
def polecat_layout() -> dict[str, Any]:
    from .datafiles import read_data

    return read_data("polecat.yaml", _PolecatFile)


def plover_record(event: dict[str, Any], document: dict[str, Any] | None) -> dict[str, Any]:
    """One event (export schema) in the POLECAT/PLOVER field layout: one actor and one recipient field each
    (several parties joined by the separator), the quad class, the source and publication date, and dyad's
    evidence (sentence and offsets) so every record can be checked against its article."""
    layout, document = polecat_layout(), document or {}
    family = plover_types().get(event["type"], {}).get("family")
    quad = layout["quads"].get(family, {})
    evidence = event.get("evidence") or {}
    return {
        "event_id": event["event_id"], "event_date": event.get("date"),
        "event_date_precision": event.get("date_precision"), "event_type": event["type"],
        "event_mode": event.get("mode"), "event_intensity": event.get("score"), "quad_code": quad.get("code"),
        "quad_class": quad.get("name"), "contexts": list(event.get("context") or []),
        **_parties("actor", event.get("actors") or [], layout["separator"]),
        **_parties("recipient", event.get("recipients") or [], layout["separator"]),
        "placename": event.get("location"), "source": document.get("outlet"),
        "publication_date": document.get("published"), "url": document.get("url"), "doc_id": event["doc_id"],
        "story_id": event.get("story_id"), "event_text": evidence.get("text"),
        "event_text_start": evidence.get("start"), "event_text_end": evidence.get("end"),
        "aux": event.get("aux"), "attribution": event.get("attribution"), "confidence": event.get("confidence"),
        "reliability": event.get("reliability"), "language": layout["language"], "version": layout["version"],
    }


def _parties(role: str, parties: list[dict], separator: str) -> dict[str, str | None]:
    def joined(key: str) -> str | None:
        values = [p.get(key) or "" for p in parties]
        return separator.join(values) if any(values) else None

    return {f"{role}_name": joined("name"), f"{role}_country": joined("code"), f"{role}_sector": joined("sector"),
            f"{role}_id": joined("actor_id"), f"{role}_name_raw": joined("text")}


def plover_rows(store) -> list[dict[str, Any]]:
    """Every stored event in the POLECAT/PLOVER layout, in reading order."""
    documents = {d["doc_id"]: d for d in store.documents(with_text=False)}
    return [plover_record(e, documents.get(e["doc_id"])) for e in store.events(chronological=False)]
