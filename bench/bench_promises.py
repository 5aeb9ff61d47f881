"""Benchmark: time to compute the whole promise ledger (dyad.promises.ledger) on stores of 10k, 100k and 1M events.

Usage: .venv/bin/python bench/bench_promises.py SOURCE.duckdb [--sizes 10000 100000 1000000] [--runs 3] [--dir /tmp]
SOURCE is a store made by `dyad ingest` (e.g. of tests/data/promises and the seeds). Its events are copied
over and over into each generated store, each copy with its own document (publication date moved by up to ten
years, its own outlet) and its state codes swapped for one of 200 pairs, so threads, deeds and outcomes are
looked up among many parties. Prints the store size, the number of promise reports and threads, the median
time (and process CPU time) to compute the ledger, and what `dyad promises` then pays on a fresh store: the
staleness check (a fingerprint of the stored rows) and reading the stored `promises` table.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import duckdb

from dyad.promises import fingerprint, ledger, promises, rebuild
from dyad.store import Store

STATES = 200


def build(source: str, target: Path, size: int) -> int:
    """A store at `target` holding about `size` events copied from `source`; returns the event count."""
    target.unlink(missing_ok=True)
    Store(target).close()  # the schema
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    base = con.execute("SELECT count(*) FROM src.events").fetchone()[0]
    copies = max(1, size // max(base, 1))
    con.execute(f"""
        INSERT INTO documents (doc_id, title, published, outlet, text)
        SELECT d.doc_id || '_' || r.i, d.title,
               strftime(coalesce(try_cast(d.published AS DATE), DATE '2024-01-01') - INTERVAL (r.i % 3650) DAY,
                        '%Y-%m-%d'),
               'outlet-' || (r.i % 300), ''
        FROM src.documents d, range({copies}) r(i)""")
    swap = ("replace(replace({col}, '\"RUS\"', '\"S' || (r.i % {n}) || '\"'), "
            "'\"IRN\"', '\"T' || ((r.i * 7) % {n}) || '\"')")
    con.execute(f"""
        INSERT INTO events
        SELECT e.event_id || '_' || r.i, e.doc_id || '_' || r.i, e.type, e.mode, e.context,
               {swap.format(col='e.actors', n=STATES)}, {swap.format(col='e.recipients', n=STATES)},
               e.date, e.date_text, e.location, e.aux, e.attribution, e.evidence, e.score, e.confidence,
               CASE WHEN e.story_id IS NULL THEN NULL ELSE e.story_id || '_' || (r.i % 1000) END,
               e.rule, e.date_precision, e.symmetric, e.alleged, e.trigger, e.retold
        FROM src.events e, range({copies}) r(i)""")
    con.execute("INSERT INTO actors SELECT * FROM src.actors")
    count = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/tmp")
    args = parser.parse_args()
    for size in args.sizes:
        path = Path(args.dir) / f"bench_promises_{size}.duckdb"
        events = build(args.source, path, size)
        walls, cpus, threads = [], [], []
        with Store(path, read_only=True) as store:
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                threads = ledger(store.connection)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        reports = sum(len(t["reports"]) for t in threads)
        statuses = {s: sum(t["status"] == s for t in threads) for s in ("kept", "broken", "overdue", "open")}
        print(f"{events:>9} events: {reports} promise reports, {len(threads)} threads {statuses}; "
              f"ledger {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
              f"(median of {args.runs})")
        with Store(path) as store:
            rebuild(store)
            check, read = _timed(lambda: fingerprint(store.connection)), _timed(lambda: promises(store))
        print(f"{'':>9} stored ledger: fingerprint check {check:.3f} s, read all threads {read:.3f} s")
        path.unlink()


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
