"""Benchmark: ingest throughput on real articles, in one run on the same texts, against raw spaCy.

Usage: .venv/bin/python bench/bench_throughput.py [JSONL] [--limit N] [--jobs N] [--no-ray]
       [--story-sizes 10000 100000 1000000]
JSONL defaults to ../shared/corpus/guardian/articles.jsonl (read at run time, never copied). Prints, in words/s
and as a ratio to raw spaCy: the installed spaCy model's `nlp.pipe` in one process; dyad's extraction alone
(`Pipeline.extract`, model loaded, nothing stored: the ceiling of a one-process ingest); `dyad ingest` with
`--jobs 1`, with `--jobs N` (N = the cores here) and with `--engine ray` (a local Ray with N CPUs, started before
timing); each run writes a fresh store exactly as the CLI does (batches released every second), model loading
included. Then peak memory (`dyad ingest --jobs 1` in a process of its own; the largest --jobs N worker),
whether the three stores hold the same events, and story linking time per ~20-event document at 10k/100k/1M
stored events (bench_stories.py). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dyad.ingest import ingest_paths, load_paths
from dyad.parallel import default_jobs
from dyad.records import Document
from dyad.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "guardian" / "articles.jsonl"


def read_texts(path: Path, limit: int | None) -> tuple[Path, int, int]:
    """A JSONL file of the first `limit` articles (in a temp folder), their count and their words."""
    documents = [d for d in load_paths([path]) if isinstance(d, Document)][:limit]
    lines = path.read_text(encoding="utf-8").splitlines()[:limit] if limit else None
    target = path
    if lines is not None:
        target = Path(tempfile.mkdtemp(prefix="dyad-bench-")) / path.name
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target, len(documents), sum(len(d.text.split()) for d in documents)


def raw_spacy_seconds(path: Path) -> float:
    import spacy

    from dyad.nlp import model_name

    texts = [d.text for d in load_paths([path]) if isinstance(d, Document)]
    nlp = spacy.load(model_name())  # the model dyad loads, without dyad's entity ruler
    nlp("warm up")
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - start


def extraction_seconds(path: Path) -> float:
    """Pipeline.extract over every document, nothing stored: the ceiling of an ingest in one process."""
    from dyad import Pipeline

    documents = [d for d in load_paths([path]) if isinstance(d, Document)]
    pipeline = Pipeline()
    start = time.perf_counter()
    for document in documents:
        pipeline.extract(document)
    return time.perf_counter() - start


def ingest_seconds(path: Path, db: Path, **options) -> float:
    start = time.perf_counter()
    with Store(db) as store:
        report = ingest_paths([path], store, release_store=True, **options)
    if report.problems:
        print(f"  ({len(report.problems)} problems: {report.problems[0].reason})")
    return time.perf_counter() - start


def cli_peak_mb(corpus: Path, db: Path) -> float | None:
    """Peak resident memory of `dyad ingest --jobs 1` in a process of its own: the child's VmHWM, read from
    /proc while it runs (its rusage would count the pages of this large process it was forked from); None
    where /proc is not there."""
    command = [str(Path(sys.executable).parent / "dyad"), "ingest", str(corpus), "--db", str(db), "--jobs", "1"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status, peak_kb = Path(f"/proc/{child.pid}/status"), None
    while child.poll() is None:
        try:
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
            peak_kb = max(peak_kb or 0, int(line.split()[1]))
        except (OSError, StopIteration, ValueError):
            pass
        time.sleep(0.2)
    return peak_kb / 1024 if peak_kb else None


def events_of(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(map(repr, con.execute("SELECT * FROM events").fetchall()))
    finally:
        con.close()


def line(label: str, seconds: float, words: int, floor: float) -> None:
    rate = words / seconds
    print(f"{label:<34} {seconds:8.1f} s {rate:9,.0f} words/s  {rate / floor:5.2f} x raw spaCy", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--story-sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dyad-bench-"))
    corpus, count, words = read_texts(Path(args.corpus), args.limit)
    print(f"machine: {platform.machine()}, {default_jobs()} cores usable, Python {platform.python_version()}; "
          f"corpus: {count} articles, {words:,} words ({args.corpus})")

    raw = raw_spacy_seconds(corpus)
    floor = words / raw
    line("raw spaCy nlp.pipe, one process", raw, words, floor)
    line("extraction only (no store), loaded", extraction_seconds(corpus), words, floor)
    line("dyad ingest --jobs 1", ingest_seconds(corpus, work / "one.duckdb", jobs=1), words, floor)
    one_process_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line(f"dyad ingest --jobs {args.jobs}", ingest_seconds(corpus, work / "many.duckdb", jobs=args.jobs), words, floor)
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    same = {"--jobs N": events_of(work / "many.duckdb") == events_of(work / "one.duckdb")}
    if not args.no_ray:
        from dyad.engines.ray_engine import RayExtractor, start_ray

        started = time.perf_counter()
        ray = start_ray(num_cpus=args.jobs)
        print(f"{'(local Ray started in)':<34} {time.perf_counter() - started:8.1f} s, not counted below")
        seconds = ingest_seconds(corpus, work / "ray.duckdb", extractor=RayExtractor(num_cpus=args.jobs))
        line(f"dyad ingest --engine ray ({args.jobs} CPUs)", seconds, words, floor)
        same["Ray"] = events_of(work / "ray.duckdb") == events_of(work / "one.duckdb")
        ray.shutdown()
    cli_mb = cli_peak_mb(corpus, work / "cli.duckdb")
    shown = f"{cli_mb:,.0f} MB" if cli_mb else "(no /proc here)"
    print(f"peak memory: {shown} for `dyad ingest --jobs 1` run alone (a process of its own); "
          f"{worker_mb:,.0f} MB the largest --jobs {args.jobs} worker; {one_process_mb:,.0f} MB this benchmark's "
          "own process (raw spaCy, the extraction run and the --jobs 1 run together)")
    for name, equal in same.items():
        print(f"events of {name} equal to --jobs 1: {'yes' if equal else 'NO'}")
    if args.story_sizes:
        story_linking(args.story_sizes, work)


def story_linking(sizes: list[int], work: Path) -> None:
    """Link time per new ~20-event document against stores of each size (bench_stories' generator)."""
    import random

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_stories import fill_store, time_links

    print(f"{'stored events':>14} {'link ms/doc':>12}")
    for size in sizes:
        db = work / f"stories_{size}.duckdb"
        con = duckdb.connect(str(db))
        rng = random.Random(size)
        fill_store(con, size, rng, work)
        time_links(con, rng, 2)  # warm-up
        print(f"{size:>14,} {time_links(con, rng, 7) * 1000:>12.1f}", flush=True)
        con.close()
        db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
