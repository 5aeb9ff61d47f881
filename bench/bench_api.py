"""Benchmark: how fast the REST API answers filtered events pages (and a series) on a store of 1M events.

Usage: .venv/bin/python bench/bench_api.py [--events 1000000] [--runs 20] [--db /tmp/dyad-bench-1m.duckdb]
Builds (once, then reuses) a synthetic store with DuckDB SQL: events between 40 state codes (200 dyads, some
joint, some directed), 16 PLOVER types with their scores, dates over ten years (one in ten month-dated),
evidence sentences taken from examples/corpus, eight events a document, three reports a story; documents are
stored in publication order, as a daily ingest leaves them. Then opens it
with `create_app` (read-only; the time includes building the actor index) and times each request through
the ASGI app (Starlette's TestClient, in process): median and 95th percentile in milliseconds. Prints figures;
asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import duckdb

from dyad.analysis import plover_types
from dyad.store import Store

ROOT = Path(__file__).resolve().parents[1]
CODES = ["AFG", "ARM", "AZE", "BLR", "BRA", "CAN", "CHN", "DEU", "EGY", "ESP", "FRA", "GBR", "GEO", "GRC", "IND",
         "IRN", "IRQ", "ISR", "ITA", "JPN", "KAZ", "KOR", "LBN", "MEX", "NGA", "PAK", "POL", "PRK", "QAT", "RUS",
         "SAU", "SRB", "SYR", "TUR", "TWN", "UKR", "USA", "VEN", "VNM", "ZAF"]
SENTENCES = ["Japan and South Korea met in Tokyo on Tuesday.", "India accused Pakistan of shelling a village.",
             "Brazil and China signed an agreement on trade.", "The EU widened sanctions on Belarus."]


def build_store(path: Path, events: int) -> None:
    """A synthetic store of `events` events, written with set-based SQL (seconds, not minutes)."""
    Store(path).close()  # the real schema
    con = duckdb.connect(str(path))
    types = plover_types()
    con.execute("CREATE TEMP TABLE codes AS SELECT unnest(?) AS code, generate_subscripts(?, 1) - 1 AS i",
                [CODES, CODES])
    con.execute("CREATE TEMP TABLE kinds AS SELECT unnest(?) AS type, unnest(?) AS score, "
                "generate_subscripts(?, 1) - 1 AS i", [list(types), [t["score"] for t in types.values()], list(types)])
    con.execute("CREATE TEMP TABLE sentences AS SELECT unnest(?) AS text, generate_subscripts(?, 1) - 1 AS i",
                [_sentences(), _sentences()])
    n_sentences = len(_sentences())
    con.execute(f"""
        INSERT INTO events (event_id, doc_id, type, mode, context, actors, recipients, date, date_text, location,
                            aux, attribution, evidence, score, confidence, story_id, rule, date_precision,
                            "symmetric", alleged, "trigger", retold)
        WITH base AS (
            SELECT r AS n, hash(r) AS h, (r % 200) AS pair FROM range({int(events)}) t(r)),
        parties AS (
            SELECT n, h, a.code AS a, b.code AS b, k.type, k.score, s.text AS sentence,
                   DATE '2015-01-01' + CAST((n // 8) * 3650 // {int(events) // 8 + 1} - (h % 3) AS INTEGER) AS day,
                   (h >> 20) % 10 AS kind
            FROM base
            JOIN codes a ON a.i = pair % 40
            JOIN codes b ON b.i = (pair * 7 + 1 + pair // 40) % 40
            JOIN kinds k ON k.i = (h >> 8) % 16
            JOIN sentences s ON s.i = (h >> 12) % {n_sentences})
        SELECT 'doc' || (n // 8) || ':e' || (n % 8), 'doc' || (n // 8), type, NULL, '[]',
               to_json([{{'text': a, 'name': a, 'code': a, 'sector': 'GOV', 'actor_id': 'state:' || a}}] ||
                       CASE WHEN kind < 3 THEN [{{'text': b, 'name': b, 'code': b, 'sector': 'GOV',
                                                  'actor_id': 'state:' || b}}] ELSE [] END)::VARCHAR,
               CASE WHEN kind < 3 THEN '[]' ELSE to_json([{{'text': b, 'name': b, 'code': b, 'sector': 'GOV',
                                                          'actor_id': 'state:' || b}}])::VARCHAR END,
               CASE WHEN kind = 9 THEN strftime(day, '%Y-%m') ELSE strftime(day, '%Y-%m-%d') END,
               NULL, NULL, NULL, NULL,
               to_json({{'text': sentence, 'start': 0, 'end': length(sentence)}})::VARCHAR,
               score, 0.8, 'st' || (n // 3), 'bench', CASE WHEN kind = 9 THEN 'month' ELSE 'day' END,
               kind < 3, false, NULL, '[]'
        FROM parties""")
    con.execute(f"""
        INSERT INTO documents (doc_id, title, published, outlet, text)
        SELECT 'doc' || d, 'Report ' || d,
               strftime(DATE '2015-01-01' + CAST(d * 3650 // {int(events) // 8 + 1} AS INTEGER), '%Y-%m-%d'),
               'Outlet ' || (d % 50), 'Synthetic report ' || d
        FROM range({int(events) // 8 + 1}) t(d)""")
    con.execute("INSERT INTO actors (actor_id, kind, name, aliases, country, sector, roles, doc_ids) "
                "SELECT 'state:' || code, 'state', code, '[]', code, NULL, '[]', '[]' FROM codes")
    con.close()


def dyad_of(pair: int) -> tuple[str, str]:
    """The two codes the generator gives dyad number `pair` (0-199), as in build_store's SQL."""
    return CODES[pair % 40], CODES[(pair * 7 + 1 + pair // 40) % 40]


def _sentences() -> list[str]:
    """Evidence sentences from examples/corpus when it has a store-like text, else a few built-in ones."""
    folder = ROOT / "examples" / "corpus"
    found = []
    for path in sorted(folder.glob("*.txt")):
        found += [s.strip() + "." for s in path.read_text(encoding="utf-8").split(".") if len(s.split()) > 6]
    return found[:200] or SENTENCES


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm: the first call compiles the query plan
    times, total = [], None
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.text[:200])
        total = response.json().get("total", response.json().get("events"))
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", default="/tmp/dyad-bench-1m.duckdb")
    args = parser.parse_args()

    path = Path(args.db)
    if path.exists():
        count = duckdb.connect(str(path), read_only=True).execute("SELECT count(*) FROM events").fetchone()[0]
        if count != args.events:
            path.unlink()
    if not path.exists():
        started = time.perf_counter()
        build_store(path, args.events)
        print(f"built {path} with {args.events:,} events in {time.perf_counter() - started:.1f} s")

    from fastapi.testclient import TestClient

    from dyad.web import create_app

    started = time.perf_counter()
    app = create_app(path)
    print(f"store: {path} ({path.stat().st_size / 2**20:.0f} MiB); app ready (actor index built) in "
          f"{time.perf_counter() - started:.2f} s")
    (a, b), (c, d) = dyad_of(19), dyad_of(54)
    urls = [
        "/api/events?limit=50",
        f"/api/events?dyad={a},{b}&limit=50",
        "/api/events?actor=RUS&type=ASSAULT&since=2020-01-01&until=2021-12-31&limit=50",
        f"/api/events?dyad={c},{d}&period=2019-03&limit=50",
        "/api/events?type=AGREE&since=2024-06&sort=-date&limit=50",
        "/api/events?actor=state:CHN&offset=20000&limit=50",
        "/api/events?q=sanctions&limit=50",
        f"/api/series?a={a}&b={b}&freq=month",
    ]
    print(f"{'request':<80} {'median ms':>10} {'p95 ms':>8} {'matches':>9}")
    with TestClient(app) as client:
        for url in urls:
            median, p95, total = timed(client, url, args.runs)
            print(f"{url:<80} {median:>10.1f} {p95:>8.1f} {total:>9,}")
    app.state.db.close()


if __name__ == "__main__":
    main()
