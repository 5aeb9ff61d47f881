"""Load time and extra memory of the actor knowledge used by resolve_actor, and resolve speed.

    .venv/bin/python eval/actors/bench_resolve.py

Prints: seconds and MB (peak RSS growth) to load the compiled index, the knowledge base, and both; phrases/s.
"""
from __future__ import annotations

import json
import resource
import time
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    base = rss_mb()
    started = time.perf_counter()
    from dyad.actors.index import load_index

    index = load_index()
    index_s = time.perf_counter() - started
    index_mb = rss_mb() - base
    started = time.perf_counter()
    from dyad.actors.knowledge import load_kb

    load_kb()
    kb_s = time.perf_counter() - started
    from dyad.actors.resolve import resolve_actor

    cases = [json.loads(line) for line in Path(__file__).with_name("resolve_cases.jsonl").read_text().splitlines()]
    started = time.perf_counter()
    resolve_actor("Qzxv Wrbl")  # an unknown name: the first such call builds the KB's name keys
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    for case in cases:
        resolve_actor(case["phrase"], case["date"], case.get("context"))
    per_s = len(cases) / (time.perf_counter() - started)
    print(f"compiled index: {len(index)} entries, {index_s:.2f} s, +{index_mb:.0f} MB peak RSS")
    print(f"knowledge base: {kb_s:.2f} s; first resolve (name keys): {first_s:.2f} s")
    print(f"total load: {index_s + kb_s + first_s:.2f} s, +{rss_mb() - base:.0f} MB peak RSS; "
          f"resolve: {per_s:.0f} phrases/s")


if __name__ == "__main__":
    main()
