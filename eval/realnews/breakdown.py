#!/usr/bin/env python3
"""Counts, per PLOVER type and per kind of miss, how dyad does on a split of the real-news set.

Usage: .venv/bin/python eval/realnews/breakdown.py --split test [--keep DIR]

Runs score.py's ingest and export (or reuses --keep DIR from `score.py --keep DIR`), matches events the way
../shared/eval/score_seeds.py does, and prints only aggregates — a per-type table of core recall and
precision, and how the missed core events divide: no event predicted from their sentence at all, an event
there of another type, or the right type with other parties. Nothing is listed event by event, so it can be
run on the held-out test split.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import score  # noqa: E402  (this folder's scorer: same corpus, same gold)

from dyad.plover import plover_mode  # noqa: E402


def overlaps(pred: dict, gold: dict) -> bool:
    """Whether a prediction's evidence sentence holds the gold evidence (same document)."""
    return pred["doc_id"] == gold["doc"] and gold["evidence"][:40] in pred["evidence"]["text"]


def breakdown(workdir: Path) -> dict:
    scorer = score.seed_scorer()
    preds = [json.loads(line) for line in (workdir / "export" / "events.jsonl").read_text().splitlines() if line]
    golds = [json.loads(line) for line in (workdir / "gold" / "seeds.events.jsonl").read_text().splitlines() if line]
    matched = scorer.match_events(preds, golds)
    hit_gold = {id(g) for g, _ in matched}
    hit_pred = {id(p) for _, p in matched}
    per_type: dict[str, Counter] = {}
    for g in golds:
        if g["core"]:
            row = per_type.setdefault(g["type"], Counter())
            row["core"] += 1
            row["found"] += id(g) in hit_gold
    for p in preds:
        row = per_type.setdefault(p["type"], Counter())
        row["predicted"] += 1
        row["right"] += id(p) in hit_pred
    misses = Counter()
    for g in golds:
        if not g["core"] or id(g) in hit_gold:
            continue
        near = [p for p in preds if overlaps(p, g)]
        if not near:
            misses["no event predicted from its sentence"] += 1
        elif not any(scorer.type_ok(p, g) for p in near):
            misses["an event there, of another type"] += 1
        else:
            misses["right type, other or missing parties"] += 1
    return {"per_type": per_type, "misses": misses, "labels": label_agreement(matched)}


def label_agreement(matched) -> dict[str, Counter]:
    """On the matched events, by where the event comes from (codebook rule or model): context labels shared,
    predicted and in the gold (micro precision and recall), and modes (as PLOVER names) equal, given, in the
    gold, and both given."""
    out: dict[str, Counter] = {}
    for g, p in matched:
        row = out.setdefault("model" if str(p.get("rule") or "").startswith("model:") else "rule", Counter())
        predicted, wanted = set(p.get("context") or []), set(g.get("context") or [])
        row["events"] += 1
        row["context shared"] += len(predicted & wanted)
        row["context predicted"] += len(predicted)
        row["context gold"] += len(wanted)
        wanted_mode = plover_mode(g["type"], g.get("mode"))  # the annotators' "airstrike" is heavy-weapons
        given_mode = plover_mode(p["type"], p.get("mode"))
        row["mode equal"] += bool(wanted_mode) and given_mode == wanted_mode
        row["mode given"] += bool(given_mode)
        row["mode gold"] += bool(wanted_mode)
        row["mode both"] += bool(wanted_mode and given_mode)
    return out


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=score.SPLITS, required=True)
    ap.add_argument("--keep", type=Path, help="reuse (or write) the store, exports and gold of score.py here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        if not (workdir / "export" / "events.jsonl").exists():
            workdir.mkdir(parents=True, exist_ok=True)
            score.run(args.split, str(score.ROOT / ".venv" / "bin" / "dyad"), workdir, as_json=True)
        result = breakdown(workdir)
    print(f"\n{'type':<10} {'core':>5} {'found':>6} {'recall':>7} {'pred':>5} {'right':>6} {'prec':>6}")
    for plover_type, row in sorted(result["per_type"].items()):
        recall = row["found"] / row["core"] if row["core"] else float("nan")
        precision = row["right"] / row["predicted"] if row["predicted"] else float("nan")
        print(f"{plover_type:<10} {row['core']:>5} {row['found']:>6} {recall:>7.2f} {row['predicted']:>5} "
              f"{row['right']:>6} {precision:>6.2f}")
    print("\nmissed core events:")
    for kind, n in result["misses"].most_common():
        print(f"  {n:>4}  {kind}")
    print("\nmode and context of the matched events (precision / recall against the gold's labels; for modes also"
          " the share right where both name one: the annotators name a mode only where the text makes it plain):")
    for origin, row in sorted(result["labels"].items()):
        shared = row["context shared"]
        context = f"{ratio(shared, row['context predicted'])} / {ratio(shared, row['context gold'])}"
        mode = f"{ratio(row['mode equal'], row['mode given'])} / {ratio(row['mode equal'], row['mode gold'])}"
        both = f"{ratio(row['mode equal'], row['mode both'])} of {row['mode both']}"
        print(f"  {origin:<6} {row['events']:>4} events  context {context}  mode {mode}, right where both {both}")
    total = sum(result["labels"].values(), Counter())
    print(f"  all    {total['events']:>4} events  mode recall {ratio(total['mode equal'], total['mode gold'])} "
          f"({total['mode equal']} of {total['mode gold']}), right where both name one "
          f"{ratio(total['mode equal'], total['mode both'])} of {total['mode both']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
