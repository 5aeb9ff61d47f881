"""The Pipeline: an explicit, ordered list of stages a test or a user can swap."""
from __future__ import annotations

import pytest

from dyad.pipeline import DEFAULT_STAGES, Pipeline, replace_stage
from dyad.records import Document, Fact

TEXT = "Kenya and Uganda signed a border agreement on Tuesday. Trade rose 12% last year."


def test_the_stages_follow_the_data_flow():
    names = [name for name, _ in DEFAULT_STAGES]
    flow = ["clean", "nlp", "mentions", "quotes", "events", "facts", "registry"]
    assert [n for n in names if n in flow] == flow


def test_a_stage_can_be_swapped_by_name(pipeline):
    def no_facts(pipe, work):
        work.extraction.facts = [Fact("f1", work.document.id, 1.0, "count", "swapped", "one", None, {})]

    swapped = Pipeline.__new__(Pipeline)  # share the loaded models; only the stage list differs
    swapped.__dict__.update(pipeline.__dict__, stages=replace_stage(pipeline.stages, "facts", no_facts))
    document = Document(id="t", text=TEXT, published="2024-05-02")
    assert [f.about for f in swapped.extract(document).facts] == ["swapped"]
    assert swapped.extract(document).events == pipeline.extract(document).events


def test_replacing_an_unknown_stage_is_an_error():
    with pytest.raises(KeyError, match="no stage 'parse'"):
        replace_stage(DEFAULT_STAGES, "parse", lambda pipe, work: None)
