"""Throughput of the extraction pipeline: words per second and peak memory, on a folder of articles.

Usage: .venv/bin/python bench/bench_pipeline.py [FOLDER] [--runs 3]
Defaults to ../shared/corpus/seeds when present, else examples/corpus. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from dyad import Document, Pipeline
from dyad.ingest import load_paths

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT.parent / "shared" / "corpus" / "seeds"
    parser.add_argument("folder", nargs="?", default=str(default if default.exists() else ROOT / "examples" / "corpus"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    documents = [d for d in load_paths([args.folder]) if isinstance(d, Document)]
    words = sum(len(d.text.split()) for d in documents)
    started = time.perf_counter()
    pipeline = Pipeline()
    load_seconds = time.perf_counter() - started
    pipeline.extract(documents[0])  # warm caches (dateparser, gazetteer) outside the timed runs

    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        events = sum(len(pipeline.extract(d).events) for d in documents)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.folder} ({len(documents)} documents, {words} words, {events} events)")
    print(f"model and knowledge load: {load_seconds:.2f} s")
    print(f"extraction: median {median:.2f} s over {args.runs} runs -> {words / median:,.0f} words/s")
    print(f"peak resident memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
