#!/usr/bin/env python3
"""Inter-annotator agreement: a second blind annotation scored against the gold, with the seed scorer.

Usage: agreement.py [--reverse] [--json]

`agreement/<article-id>.events.jsonl` holds a second annotator's events for some articles, written blind (from
the conventions in README.md, without seeing the gold or dyad's output). This scores them as if they were a
system's output against `gold/`, with ../shared/eval/score_seeds.py's matching, so the figure reads like dyad's:
core recall and precision a careful human reaches. `--reverse` swaps the two (the gold scored against the
second annotation).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from score import HERE, articles, read_jsonl, score_exports, seeds_format_gold, write_jsonl

SECOND = HERE / "agreement"


def as_system(rows: list[dict]) -> list[dict]:
    """Annotation lines in the shape `dyad export events` writes (what the scorer reads as predictions)."""
    return [{**row, "doc_id": row["doc"]} for row in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reverse", action="store_true", help="score the gold against the second annotation")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    ids = sorted(path.name.split(".")[0] for path in SECOND.glob("*.events.jsonl"))
    if not ids:
        sys.exit(f"no second annotation in {SECOND}")
    rows = articles(ids)
    first = seeds_format_gold(rows)
    second = [line for article_id in ids for line in read_jsonl(SECOND / f"{article_id}.events.jsonl")]
    gold, system = (second, as_system(first)) if args.reverse else (first, as_system(second))
    print(f"{len(ids)} articles: {len(first)} gold events, {len(second)} in the second annotation"
          + (" (reversed)" if args.reverse else ""), file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="dyad-agreement-") as tmp:
        exports = Path(tmp) / "export"
        exports.mkdir()
        write_jsonl(exports / "events.jsonl", system)
        return score_exports(exports, gold, Path(tmp), args.json)


if __name__ == "__main__":
    sys.exit(main())
