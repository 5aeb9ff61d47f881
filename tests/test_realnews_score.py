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
