#!/usr/bin/env python3
"""Scores dyad on a split of the real-news annotation set, with the seed scorer's matching.

Usage: score.py --split {train,dev,test,long} [--dyad .venv/bin/dyad] [--keep DIR] [--json]

Writes the split's articles (from ../shared/corpus/guardian) as a JSONL corpus, runs `dyad ingest` and
`dyad export events` into a temporary folder, turns the gold's offsets into seeds-format gold (evidence
text cut from the article at run time, never stored), and runs ../shared/eval/score_seeds.py on both.

The annotators coded every telling of an event (a lede and the paragraph that retells it, one `cluster`);
the seed gold codes an event once. So it also prints, on stderr, the share of distinct core happenings (a
cluster counted once) with at least one telling matched: the recall a user reading for what happened sees.
And how well the events' `reliability` separates right events from wrong, with what a bar on it keeps.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "corpus" / "guardian" / "articles.jsonl"
SCORER = SHARED / "eval" / "score_seeds.py"
SPLITS = ("train", "dev", "test", "long")  # the keys of splits.json "splits"


def split_ids(split: str) -> list[str]:
    return json.loads((HERE / "splits.json").read_text())["splits"][split]


def articles(ids: list[str]) -> list[dict]:
    if not ARTICLES.exists():
        sys.exit(f"no articles at {ARTICLES}: the shared corpus is needed")
    wanted = set(ids)
    return [row for row in map(json.loads, ARTICLES.read_text().splitlines()) if row["id"] in wanted]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def seeds_format_gold(rows: list[dict]) -> list[dict]:
    """Gold lines as score_seeds.py reads them: evidence as text, cut from the article."""
    out = []
    for article in rows:
        path = HERE / "gold" / f"{article['id']}.events.jsonl"
        if not path.exists():
            continue
        for gold in read_jsonl(path):
            span = gold["evidence"]
            out.append({**gold, "evidence": article["text"][span["start"]:span["end"]]})
    return out


def score_exports(exports: Path, gold: list[dict], workdir: Path, as_json: bool) -> int:
    """score_seeds.py on the events exported in `exports` against these gold lines (written to workdir/gold)."""
    gold_dir = workdir / "gold"
    gold_dir.mkdir(exist_ok=True)
    write_jsonl(gold_dir / "seeds.events.jsonl", gold)
    args = [sys.executable, str(SCORER), str(exports), "--gold", str(gold_dir)] + (["--json"] if as_json else [])
    return subprocess.run(args).returncode


def seed_scorer():
    """../shared/eval/score_seeds.py as a module (its matching, for figures it does not print)."""
    spec = importlib.util.spec_from_file_location("score_seeds", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def distinct_recall(predicted: list[dict], gold: list[dict]) -> tuple[float, int]:
    """(share of distinct core happenings with a matched telling, how many there are)."""
    matched = {g["id"] for g, _ in seed_scorer().match_events(predicted, gold)}
    happenings: dict[tuple, bool] = {}
    for g in gold:
        if g["core"]:
            key = (g["doc"], g.get("cluster") or g["id"])
            happenings[key] = happenings.get(key, False) or g["id"] in matched
    return (sum(happenings.values()) / len(happenings) if happenings else 0.0), len(happenings)


RELIABILITY_BARS = (0.3, 0.4, 0.5, 0.6, 0.7)


def reliability_table(predicted: list[dict], gold: list[dict]) -> dict:
    """How well an event's `reliability` (and, beside it, its `confidence`) tells right events from wrong:
    Brier score and AUC of each over the predictions (right = matched by the seed scorer), and the events kept,
    their precision and the core recall at each bar of RELIABILITY_BARS. An event with no estimate counts as 0."""
    scorer = seed_scorer()
    right = {id(p) for _, p in scorer.match_events(predicted, gold)}
    labels = [id(p) in right for p in predicted]
    table = {name: _separation([p.get(name) or 0.0 for p in predicted], labels)
             for name in ("reliability", "confidence")}
    core = sum(g["core"] for g in gold) or 1
    for bar in RELIABILITY_BARS:
        kept = [p for p in predicted if (p.get("reliability") or 0.0) >= bar]
        pairs = scorer.match_events(kept, gold)
        table[f">={bar}"] = {"events": len(kept), "precision": round(len(pairs) / len(kept), 3) if kept else 0.0,
                             "recall_core": round(sum(g["core"] for g, _ in pairs) / core, 3)}
    return table


def _separation(scores: list[float], labels: list[bool]) -> dict:
    """Brier score (lower is better) and AUC (the chance a right event scores above a wrong one)."""
    brier = sum((s - y) ** 2 for s, y in zip(scores, labels)) / len(scores) if scores else 0.0
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    pairs = len(pos) * len(neg)
    auc = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / pairs if pairs else 0.5
    return {"brier": round(brier, 3), "auc": round(auc, 3)}


def run(split: str, dyad: str, workdir: Path, as_json: bool) -> int:
    rows = articles(split_ids(split))
    corpus = workdir / "corpus.jsonl"
    write_jsonl(corpus, [{key: r[key] for key in ("id", "published", "outlet", "text")} for r in rows])
    db, exports = workdir / "store.duckdb", workdir / "export"
    exports.mkdir(exist_ok=True)
    subprocess.run([dyad, "ingest", str(corpus), "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([dyad, "export", "events", "--db", str(db), "-o", str(exports / "events.jsonl")],
                   check=True, stdout=subprocess.DEVNULL)
    gold = seeds_format_gold(rows)
    print(f"split {split}: {len(rows)} articles, {len(gold)} gold events "
          f"({sum(g['core'] for g in gold)} core)", file=sys.stderr)
    code = score_exports(exports, gold, workdir, as_json)
    share, count = distinct_recall(read_jsonl(exports / "events.jsonl"), gold)
    print(f"distinct core happenings found (retellings counted once): {share:.3f} of {count}", file=sys.stderr)
    print(f"reliability: {json.dumps(reliability_table(read_jsonl(exports / 'events.jsonl'), gold))}",
          file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=SPLITS, required=True)
    ap.add_argument("--dyad", default=str(ROOT / ".venv" / "bin" / "dyad"))
    ap.add_argument("--keep", type=Path, help="keep the store, exports and gold in this folder")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args.split, args.dyad, args.keep, args.json)
    with tempfile.TemporaryDirectory() as tmp:
        return run(args.split, args.dyad, Path(tmp), args.json)


if __name__ == "__main__":
    sys.exit(main())
