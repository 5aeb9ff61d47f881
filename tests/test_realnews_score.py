"""eval/realnews/score.py: the share of distinct happenings found, with retellings counted once."""
from __future__ import annotations

import importlib.util

import pytest

from conftest import PROJECT_ROOT, SHARED


@pytest.fixture(scope="module")
def score():
    if not (SHARED / "eval" / "score_seeds.py").exists():
        pytest.skip("../shared is absent: the seed scorer is needed")
    spec = importlib.util.spec_from_file_location("realnews_score", PROJECT_ROOT / "eval" / "realnews" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold(gid, kind, parties, cluster=None, core=True):
    return {"id": gid, "doc": "a", "type": kind, "alt_types": [], "actors": parties[:1], "recipients": parties[1:],
            "core": core, "cluster": cluster, "date": None}


def test_a_happening_told_twice_counts_once_and_is_found_by_either_telling(score):
    golds = [gold("a-e01", "ASSAULT", ["TUR", "SYR"], "strike"), gold("a-e02", "ASSAULT", ["TUR", "SYR"], "strike"),
             gold("a-e03", "REQUEST", ["UN", "TUR"]), gold("a-e04", "ACCUSE", ["SYR", "TUR"], core=False)]
    predicted = [{"doc_id": "a", "type": "ASSAULT", "actors": ["TUR"], "recipients": ["SYR"]}]
    assert score.distinct_recall(predicted, golds) == (0.5, 2)  # the strike found, the request not
    assert score.distinct_recall([], golds) == (0.0, 2)


def test_the_reliability_table_says_what_a_bar_keeps_and_how_well_the_estimate_separates(score):
    golds = [gold("a-e01", "ASSAULT", ["TUR", "SYR"]), gold("a-e02", "REQUEST", ["UN", "TUR"])]
    right = {"doc_id": "a", "type": "ASSAULT", "actors": ["TUR"], "recipients": ["SYR"], "reliability": 0.8,
             "confidence": 0.5}
    wrong = {"doc_id": "a", "type": "AID", "actors": ["TUR"], "recipients": ["SYR"], "reliability": 0.4,
             "confidence": 0.9}
    unjudged = {"doc_id": "a", "type": "SANCTION", "actors": ["UN"], "recipients": ["TUR"], "reliability": None,
                "confidence": 0.7}
    table = score.reliability_table([right, wrong, unjudged], golds)
    assert table["reliability"] == {"brier": round((0.2 ** 2 + 0.4 ** 2) / 3, 3), "auc": 1.0}
    assert table["confidence"]["auc"] == 0.0  # both wrong events score above the right one
    assert table[">=0.3"] == {"events": 2, "precision": 0.5, "recall_core": 0.5}
    assert table[">=0.5"] == {"events": 1, "precision": 1.0, "recall_core": 0.5}
