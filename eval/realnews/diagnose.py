#!/usr/bin/env python3
"""Where the learned coder loses real-news events: the tuning set coded with parts of the answer given.

Usage: .venv/bin/python eval/realnews/diagnose.py [--curve]   (needs the `train` extra: scikit-learn)

Reads the same tuning set `dyad train` chooses thresholds on (the train articles out of fold plus the dev
split, each coded by models fitted without it; never test or long) and prints, with the seed scorer's matching:
- the learned stage as shipped (thresholds from the packaged model, acceptance model fitted out of fold);
- the gold types of each sentence given, parties from the role model;
- the gold types and the gold parties that are among the role model's candidates given;
- for the core events under gold types, what the role model got right or wrong;
- per PLOVER type, the core events found at each of those three steps (which types lose most where), and
  how many of them are in sentences where no codebook entry fires, where only entries of other types fire,
  or where one of their own type fires;
- with --curve, the sentence-level type F1 (pairs at p >= 0.5, as `dyad train --compare`) of the type model
  fitted on 0, 25, 50, 75 and 100 % of the other train articles (two draws), to see whether more data helps.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from dyad.learn import train as T  # noqa: E402
from dyad.learn.coder import _roles, _trigger  # noqa: E402
from dyad.learn.features import Discourse, candidates  # noqa: E402
from dyad.learn.model import load_models  # noqa: E402
from dyad.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402

FRACTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)


def as_row(doc_id: str, plover_type: str, actors, recipients) -> dict:
    return {"doc_id": doc_id, "type": plover_type, "actors": [{"code": c} for c in actors],
            "recipients": [{"code": c} for c in recipients]}


def shown(figures: dict) -> str:
    return (f"recall {figures['events.recall_core']:.3f}  precision {figures['events.precision']:.3f}  "
            f"F1 {figures['events.f1']:.3f}")


def score(rows: list[dict], items, scorer) -> str:
    return shown(T.event_figures(rows, [g for item in items for g in item.rows], scorer))


def found_core(rows: list[dict], items, scorer) -> Counter:
    """Core gold events matched by these predictions, by type."""
    return Counter(g["type"] for g, _ in scorer.match_events(rows, [g for item in items for g in item.rows])
                   if g["core"])


def by_type(steps: list[tuple[str, list[dict]]], items, scorer) -> None:
    core = Counter(g["type"] for item in items for g in item.rows if g["core"])
    found = [found_core(rows, items, scorer) for _, rows in steps]
    beside = rule_events_beside(items)
    sides = ("no rule event", "rules of other types", "a rule of its type")
    print("core events found, by type: " + "  ".join(name for name, _ in steps) + "  |  in sentences with "
          + " / ".join(sides))
    for plover_type, n in core.most_common():
        print(f"  {plover_type:<10} {n:>4} core  " + "  ".join(f"{f[plover_type]:>4}" for f in found) + "  |  "
              + " / ".join(str(beside[plover_type][side]) for side in sides))


def rule_events_beside(items) -> dict[str, Counter]:
    """For each type, where its core events are: in sentences with no rule event, with rule events of other
    types only, or with a rule event of their own type."""
    out: dict[str, Counter] = {}
    for item in items:
        for view, gold in zip(item.views, item.gold):
            fired = {e.type for e in view.rules}
            for g in gold:
                if g.core:
                    side = ("no rule event" if not fired else "a rule of its type" if g.type in fired
                            else "rules of other types")
                    out.setdefault(g.type, Counter())[side] += 1
    return out


def with_gold_types(items, fitted, codebook, thresholds, gold_parties: bool):
    """One predicted event per gold event, of its type; parties from the role model or the gold ones the role
    model could have picked. Also counts, for core events, how the role model did."""
    rows, outcome = [], Counter()
    for n, item in enumerate(items):
        models = T.with_thresholds(fitted[n][:2], thresholds)
        discourse = Discourse.of(item.views)
        for k, (view, gold) in enumerate(zip(item.views, item.gold)):
            discourse.previous = item.views[k - 1].codes() if k else []
            offered = {c.code for c in candidates(view, discourse)}
            for g in gold:
                if gold_parties:
                    rows.append(as_row(item.document.id, g.type, g.actors & offered, g.recipients & offered))
                    continue
                trigger = _trigger(view, models, models.types.classes.index(g.type), codebook)
                actors, recipients = _roles(view, discourse, g.type, trigger, models, codebook)
                source, target = {a.code for a in actors}, {r.code for r in recipients}
                rows.append(as_row(item.document.id, g.type, source, target))
                if g.core:
                    outcome[_outcome(g, offered, source, target)] += 1
    return rows, outcome


def _outcome(g, offered: set[str], source: set[str], target: set[str]) -> str:
    wanted = g.actors | g.recipients
    need = min(2, len(wanted))
    if len(wanted & offered) < need:
        return "gold parties not among the candidates"
    if len((source | target) & wanted) >= need:
        return "parties right"
    if not target:
        return "no target chosen"
    if source & wanted:
        return "source right, target wrong"
    if target & wanted:
        return "target right, source wrong"
    return "both wrong"


def curve(train_items, dev_items, codebook, settings) -> None:
    """Sentence-level type F1 out of fold with a fraction of the other train articles."""
    articles = [i for i in train_items if i.source == "realnews"]
    sentences = [i for i in train_items if i.source != "realnews"]
    order = sorted(range(len(articles)), key=lambda n: articles[n].document.id)
    random.Random(settings["seed"]).shuffle(order)
    folds = [[articles[n] for n in order[k::settings["folds"]]] for k in range(settings["folds"])] + [dev_items]
    for fraction in FRACTIONS:
        draws = (0, 1) if 0 < fraction < 1 else (0,)
        figures = []
        for draw in draws:
            counts = [0, 0, 0]  # pooled over the folds
            for k, held in enumerate(folds):
                others = [a for j, fold in enumerate(folds[:-1]) if j != k for a in fold]
                random.Random(draw).shuffle(others)
                types = T.fit_type_model(others[:round(len(others) * fraction)] + sentences, codebook, settings)
                counts = [a + b for a, b in zip(counts, T.pair_counts(held, T.likely_types(types, codebook)))]
            figures.append(T.precision_recall_f1(*counts))
        mean = [sum(f[i] for f in figures) / len(figures) for i in range(3)]
        print(f"  {fraction:>4.0%} of the train articles: precision {mean[0]:.3f}  recall {mean[1]:.3f}  "
              f"F1 {mean[2]:.3f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--curve", action="store_true", help="also the learning curve of the type model")
    args = ap.parse_args(argv)
    settings = dict(T.DEFAULTS)
    root = T.project_root()
    scorer = T._scorer(root)
    pipeline = Pipeline(stages=[s for s in DEFAULT_STAGES if s[0] != "learned"])
    codebook = pipeline.codebook
    quiet = lambda message: None  # noqa: E731
    train_items = T.load_items(pipeline, root, ("train",), with_sentences=True, log=quiet)
    dev_items = T.load_items(pipeline, root, ("dev",), with_sentences=False, log=quiet)
    tuning, fitted = T.out_of_fold(train_items, dev_items, codebook, settings, quiet)
    fitted, _ = T.with_acceptance(tuning, fitted, codebook, scorer, settings, quiet)
    shipped = load_models()
    thresholds = shipped.thresholds if shipped is not None else dict(T.START)
    core = sum(g["core"] for item in tuning for g in item.rows)
    print(f"tuning set: {len(tuning)} articles, {core} core events (train out of fold + dev)")
    rules = [T.as_export(e) for item in tuning for e in item.events]
    print(f"  rules alone:                           {score(rules, tuning, scorer)}")
    stage = T.coded_rows(tuning, T.with_thresholds(fitted[0], thresholds), codebook, fitted)
    print(f"  the learned stage, shipped thresholds: {score(stage, tuning, scorer)}")
    typed, outcome = with_gold_types(tuning, fitted, codebook, thresholds, gold_parties=False)
    print(f"  gold types, role model's parties:      {score(typed, tuning, scorer)}")
    parties, _ = with_gold_types(tuning, fitted, codebook, thresholds, gold_parties=True)
    print(f"  gold types, gold parties it could pick: {score(parties, tuning, scorer)}")
    print("core events under gold types: " + ", ".join(f"{what} {n}" for what, n in outcome.most_common()))
    by_type([("stage", stage), ("gold types", typed), ("+ gold parties", parties)], tuning, scorer)
    if args.curve:
        print("sentence-level type F1, out of fold (pairs at p >= 0.5):")
        curve(train_items, dev_items, codebook, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
