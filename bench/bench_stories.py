"""Benchmark: time to link one new ~20-event document against stores of 10k, 100k and 1M generated events.

Usage: .venv/bin/python bench/bench_stories.py [--sizes 10000 100000 1000000] [--runs 7] [--dir /tmp]
Events are synthetic (skewed state pairs, PLOVER types, dates over ten years, a fifth dated only by the
publication day, a share undated, one of three contexts) and are filed with the same index rows the linker
writes. Prints the median link time per document for each store size, and at the largest size the same with
the candidate-key index dropped, to show what the index buys.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from dyad.plover import TYPES as PLOVER_TYPES
from dyad.records import ActorRef, Document, Event, Extraction
from dyad.stories import link_extraction
from dyad.stories.config import load_config
from dyad.stories.link import best_links, event_row, index_rows
from dyad.stories.schema import EVENT_COLUMNS, ensure_tables, forget_document

TYPES = list(PLOVER_TYPES)
STATES = [f"S{i:03d}" for i in range(200)]
STATE_WEIGHTS = [1 / (rank + 1) for rank in range(len(STATES))]  # a few states dominate, as in the news
START = date(2015, 1, 1)
DAYS = 3650
CONTEXTS = ["military", "economic", "diplomatic"]
WORDS = "talks missiles drones trade summit pact sanctions border visit treaty troops energy grain loan".split()


def random_event(rng: random.Random, doc_id: str, n: int, published: str) -> Event:
    a, b = rng.choices(STATES, STATE_WEIGHTS, k=2)
    while b == a:
        b = rng.choices(STATES, STATE_WEIGHTS)[0]
    day = START + timedelta(days=rng.randrange(DAYS))
    roll = rng.random()
    when, precision, stated = ((day.isoformat(), "day", "stated") if roll < 0.5 else
                               (published, "day", None) if roll < 0.7 else  # publication-date fallback
                               (day.isoformat()[:7], "month", "stated") if roll < 0.85 else (None, None, None))
    text = " ".join(rng.choices(WORDS, k=8))
    return Event(event_id=f"{doc_id}:e{n}", doc_id=doc_id, type=rng.choice(TYPES), mode=None,
                 context=[rng.choice(CONTEXTS)], actors=[ActorRef(a, a, a)], recipients=[ActorRef(b, b, b)],
                 date=when, date_text=stated, location=None, aux=None, attribution=None,
                 evidence={"text": text, "start": 0, "end": len(text)}, score=0.0, confidence=1.0,
                 date_precision=precision)


def random_document(rng: random.Random, doc_id: str, n_events: int = 20) -> Extraction:
    published = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
    document = Document(id=doc_id, text="", published=published, outlet=f"outlet-{rng.randrange(300)}")
    return Extraction(document=document, events=[random_event(rng, doc_id, i, published) for i in range(n_events)])


def fill_store(con, n_events: int, rng: random.Random, workdir: Path) -> None:
    """Bulk-load n_events through a CSV file (each story a singleton: the look-up cost is what is measured)."""
    cfg = load_config()
    ensure_tables(con)
    path = workdir / "events.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        for d in range(n_events // 20):
            x = random_document(rng, f"g{d}")
            for event in x.events:
                row = event_row(event, x, cfg)
                row["story_id"] = f"st-{event.event_id}"
                for r in index_rows(row):
                    writer.writerow([r.get(c) for c in EVENT_COLUMNS])
    con.execute("DROP INDEX IF EXISTS story_index_ckey")
    con.execute(f"COPY story_index FROM '{path}' (HEADER false, NULLSTR '')")
    ensure_tables(con)  # recreates the index over the loaded rows
    path.unlink()


def time_links(con, rng: random.Random, runs: int) -> float:
    """Median seconds for link_extraction of one new ~20-event document (the store keeps its size)."""
    times = []
    for run in range(runs):
        x = random_document(rng, f"new{run}")
        start = time.perf_counter()
        link_extraction(con, x)
        times.append(time.perf_counter() - start)
        forget_document(con, x.document.id)
    return statistics.median(times)


def time_candidates(con, rng: random.Random, runs: int) -> float:
    """Median seconds to find and score the candidates of one new document (no writes, no DDL)."""
    cfg, times = load_config(), []
    for run in range(runs):
        x = random_document(rng, f"probe{run}")
        rows = [event_row(e, x, cfg) for e in x.events]
        start = time.perf_counter()
        best_links(con, rows, cfg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    args = ap.parse_args()
    workdir = Path(args.dir)
    print(f"{'events':>10} {'index rows':>11} {'load s':>7} {'link ms/doc':>12} {'lookup ms/doc':>14}")
    con = None
    for size in args.sizes:
        db = workdir / f"bench_stories_{size}.duckdb"
        db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        rng = random.Random(size)
        t0 = time.perf_counter()
        fill_store(con, size, rng, workdir)
        load = time.perf_counter() - t0
        rows = con.execute("SELECT count(*) FROM story_index").fetchone()[0]
        time_links(con, rng, 2)  # warm-up
        link = time_links(con, rng, args.runs)
        probe = time_candidates(con, rng, args.runs)
        print(f"{size:>10,} {rows:>11,} {load:>7.1f} {link * 1000:>12.1f} {probe * 1000:>14.1f}", flush=True)
        if size != args.sizes[-1]:
            con.close()
            db.unlink(missing_ok=True)
    con.execute("DROP INDEX story_index_ckey")
    no_index = time_candidates(con, random.Random(0), args.runs)
    print(f"{args.sizes[-1]:>10,} events, ckey index dropped: lookup {no_index * 1000:.1f} ms/doc")
    con.close()
    db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
