#!/usr/bin/env python3
"""Validates real-news gold files: keys, PLOVER types, codes, dates and evidence offsets.

Usage: .venv/bin/python eval/realnews/check_gold.py [--articles FILE] [GOLD_FILE ...]
(default: every file under gold/). Prints one line per problem and exits 1 when there is any. Reads the article
texts from ../shared/corpus/guardian/articles.jsonl to check the offsets, or from `--articles` (a JSONL file of
{id, text, ...}, such as the articles written for training in training/articles/).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))  # the PLOVER types come from dyad's own data (plover.yaml)
from dyad import plover  # noqa: E402

ARTICLES = HERE.parents[1].parent / "shared" / "corpus" / "guardian" / "articles.jsonl"
TYPES = set(plover.TYPES)
KEYS = {"id", "doc", "type", "alt_types", "mode", "context", "actors", "recipients", "symmetric", "date",
        "location", "aux", "core", "cluster", "people", "evidence"}
AUX = {None, "future", "hypothetical", "negation", "historical"}
CODE = re.compile(r"^[A-Z][A-Z0-9-]*$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def articles(path: Path = ARTICLES) -> dict[str, dict]:
    if not path.exists():
        sys.exit(f"no articles at {path}: the shared corpus is needed")
    rows = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {row["id"]: row for row in rows}


def problems_in(path: Path, texts: dict[str, dict]) -> list[str]:
    out = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(f"{where}: not JSON ({exc.msg})")
            continue
        out += [f"{where}: {p}" for p in row_problems(row, texts)]
    return out


def row_problems(row: dict, texts: dict[str, dict]) -> list[str]:
    found = []
    if set(row) != KEYS:
        found.append(f"keys differ: missing {sorted(KEYS - set(row))}, unknown {sorted(set(row) - KEYS)}")
        return found
    if row["type"] not in TYPES or not set(row["alt_types"]) <= TYPES:
        found.append(f"unknown type in {row['type']!r} / {row['alt_types']!r}")
    for side in ("actors", "recipients"):
        bad = [c for c in row[side] if not isinstance(c, str) or not CODE.match(c)]
        if bad:
            found.append(f"{side}: codes must be capitals ({bad})")
    if row["symmetric"] and row["recipients"]:
        found.append("symmetric events keep every party in actors and no recipients")
    if row["date"] is not None and not DATE.match(str(row["date"])):
        found.append(f"date {row['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if row["aux"] not in AUX:
        found.append(f"aux {row['aux']!r} is not one of {sorted(a for a in AUX if a)} or null")
    if not isinstance(row["core"], bool) or not isinstance(row["context"], list):
        found.append("core must be true/false and context a list")
    article = texts.get(row["doc"])
    ev = row["evidence"]
    if article is None:
        found.append(f"no article {row['doc']!r}")
    elif not (isinstance(ev, dict) and set(ev) == {"start", "end"}):
        found.append("evidence must be {start, end} offsets only (no text)")
    elif not (0 <= ev["start"] < ev["end"] <= len(article["text"])):
        found.append(f"evidence offsets {ev} outside the article ({len(article['text'])} chars)")
    return found


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=ARTICLES, help="JSONL file of the articles the offsets point into")
    ap.add_argument("files", nargs="*", type=Path, help="gold files (default: every file under gold/)")
    args = ap.parse_args(argv)
    paths = args.files or sorted((HERE / "gold").glob("*.events.jsonl"))
    texts = articles(args.articles)
    problems = [p for path in paths for p in problems_in(path, texts)]
    print("\n".join(problems) or f"ok: {len(paths)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
