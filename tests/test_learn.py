"""The learned coder: the shipped model, the stage's filtering and adding on hand-made models, training."""
from __future__ import annotations

import json

import numpy as np
import pytest

from dyad.learn.coder import recode
from dyad.learn.features import sentence_features, sentences_of, word_features
from dyad.learn.model import (
    ROLE_CLASSES,
    LinearModel,
    ModelFileError,
    Models,
    _load,
    load_models,
)
from dyad.pipeline import Work
from dyad.plover import TYPES
from dyad.records import Document

PLOVER = list(TYPES)
TH = {"keep": 0.5, "add": 0.5, "add_more": 0.9, "max_new": 1, "source": 0.3, "target": 0.3, "fill": 1.1}


def linear(classes, weights: dict[str, dict[str, float]], bias: float, multinomial=False) -> LinearModel:
    features = sorted(weights)
    W = np.zeros((len(features), len(classes)), dtype=np.float32)
    for row, feature in enumerate(features):
        for cls, w in weights[feature].items():
            W[row, classes.index(cls)] = w
    return LinearModel(list(classes), {f: i for i, f in enumerate(features)}, W,
                       np.full(len(classes), bias, dtype=np.float32), multinomial)


def hand_models(type_weights, **thresholds) -> Models:
    """A type model that knows only `type_weights`; a role model: subjects act, objects and pobjs undergo."""
    roles = linear(list(ROLE_CLASSES), {"dep:nsubj": {"source": 4.0}, "dep:dobj": {"target": 4.0},
                                        "dep:pobj": {"target": 3.0}, "context": {"none": 6.0}}, 0.0,
                   multinomial=True)
    return Models(linear(PLOVER, type_weights, -4.0), roles, {**TH, **thresholds}, {})


def run_rules(pipeline, text):
    work = Work(Document(id="d", text=text, published="2025-05-02"))
    for name, run in pipeline.stages:
        run(pipeline, work)
        if name == "events":
            break
    return work


def test_shipped_model_loads_and_scores_every_type(rules_only):
    models = load_models()
    assert models is not None, "no coder model shipped under dyad/data/models"
    assert models.types.classes == PLOVER and list(models.roles.classes) == list(ROLE_CLASSES)
    assert {"keep", "add", "source", "target"} <= set(models.thresholds)
    work = run_rules(rules_only, "Israeli jets struck Iranian weapons depots near Damascus on Thursday.")
    view = sentences_of(work.parsed, work.extraction.mentions, work.extraction.events)[0]
    proba = models.types.proba(sentence_features(view, rules_only.codebook))
    assert proba.shape == (16,) and ((0 <= proba) & (proba <= 1)).all()
    assert PLOVER[int(proba.argmax())] == "ASSAULT"


def test_model_adds_an_event_no_rule_found_with_roles_from_the_parse(rules_only):
    text = "Ghana berated Togo over the border dispute."
    work = run_rules(rules_only, text)  # the rule events are not passed on: the model alone codes it
    models = hand_models({"v:berate": {"ACCUSE": 8.0}})
    events = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
    assert len(events) == 1
    event = events[0]
    assert event.type == "ACCUSE" and event.trigger == "berated"
    assert [a.code for a in event.actors] == ["GHA"] and [r.code for r in event.recipients] == ["TGO"]
    assert event.rule == f"model:ACCUSE p={event.confidence:.2f}" and event.confidence > 0.9
    assert text[event.evidence["start"]:event.evidence["end"]] == text
    assert event.date == "2025-05-02" and event.date_text is None  # news of the day: the publication date


def test_a_party_the_sentence_does_not_name_is_marked_as_taken_from_the_context(rules_only):
    text = "Ghana berated Togo over the border dispute.\n\nThe minister later lashed out at the delegation."
    work = run_rules(rules_only, text)
    models = hand_models({"v:berate": {"ACCUSE": 8.0}, "v:lash": {"THREATEN": 8.0}}, source=0.0, target=0.0)
    first, second = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
    assert [(a.code, a.inferred) for a in first.actors + first.recipients] == [("GHA", False), ("TGO", False)]
    assert second.evidence["start"] > first.evidence["end"]
    assert {a.code for a in second.actors + second.recipients} == {"GHA", "TGO"}
    assert all(a.inferred for a in second.actors + second.recipients), "named only in the sentence before"


def test_an_added_event_takes_the_contexts_the_context_model_is_sure_of(rules_only):
    text = "Ghana berated Togo over the border dispute."
    work = run_rules(rules_only, text)
    models = hand_models({"v:berate": {"ACCUSE": 8.0}}, context=0.5)
    models.contexts = linear(["diplomatic", "economic", "military"],
                             {"ACCUSE|v:berate": {"diplomatic": 6.0}, "w:border": {"military": 4.5}}, -4.0)
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
    assert event.context == ["diplomatic", "military"]  # p 0.88 and 0.62; economic at p 0.02 is left out
    models.thresholds["context"] = 0.7
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
    assert event.context == ["diplomatic"]


def test_without_a_context_model_an_added_event_takes_the_codebook_context_words(rules_only):
    work = run_rules(rules_only, "Ghana berated Togo over the missile tests and the tariff row.")
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook,
                     hand_models({"v:berate": {"ACCUSE": 8.0}}))
    assert event.context == ["economic", "military"]  # codebook `contexts`: missile, tariff


def test_a_rule_event_keeps_its_entrys_contexts_and_takes_the_context_models_for_the_clause_words(rules_only):
    work = run_rules(rules_only, "Chinese troops attacked Indian soldiers over the tariff row in Ladakh.")
    [rule] = work.extraction.events
    assert rule.context == ["economic", "military"]  # the entry's military, the word "tariff"'s economic
    models = hand_models({"rule:ASSAULT": {"ASSAULT": 8.0}}, keep=0.5, context=0.5)
    models.contexts = linear(["economic", "military", "political"], {"ASSAULT|w:row": {"political": 6.0}}, -4.0)
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [rule], rules_only.codebook, models)
    assert event.rule == rule.rule and event.context == ["military", "political"]
    models.contexts = None  # without a context model the codebook's words stay
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [rule], rules_only.codebook, models)
    assert event.context == ["economic", "military"]


def test_an_added_event_takes_the_mode_of_the_entry_that_fits_else_the_one_its_sentence_shows(rules_only):
    """"used chemical weapons" is not the entry for using people as shields (mode abduct); the sentence's
    cue (plover.yaml) names the mode. "used civilians as shields" is that entry."""
    models = hand_models({"v:use": {"ASSAULT": 8.0}}, keep=0.0)
    for text, mode in (("Sudan used chemical weapons against Chadian rebels.", "unconventional"),
                       ("Sudan used Chadian civilians as human shields.", "abduct")):
        work = run_rules(rules_only, text)
        [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
        assert (event.type, event.trigger, event.mode) == ("ASSAULT", "used", mode), text


def test_a_verbs_codebook_types_are_its_own_senses_not_the_idioms_it_appears_in(rules_only):
    """"give" can mean AID; that "give the cold shoulder" is a rejection belongs to the phrase (codebook
    `idioms`), which the rules code, not to the word the type model reads."""
    work = run_rules(rules_only, "Greece gave Turkey the cold shoulder at the summit.")
    [gave] = [t for part in work.parsed for t in part.doc if t.lower_ == "gave"]
    features = word_features(gave, rules_only.codebook)
    assert "cbv:AID" in features and "cbv:REJECT" not in features
    assert [e.type for e in work.extraction.events] == ["REJECT"]


def test_no_event_is_added_for_declining_to_comment(rules_only):
    """The rules stage codes no event for "refused to comment" (`no_event_complements`); nor may the model."""
    models = hand_models({"v:refuse": {"REJECT": 8.0}}, keep=0.0)
    for text, found in (("Peru refused to comment on the Chilean request.", []),
                        ("Peru refused to sign the Chilean request.", ["REJECT"])):
        work = run_rules(rules_only, text)
        events = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
        assert [e.type for e in events] == found, text


def test_no_event_is_added_inside_a_whether_clause_which_leaves_the_act_open(rules_only):
    models = hand_models({"v:ask": {"REQUEST": 8.0}}, keep=0.0)
    for text, found in (("The minister would not say whether Peru had asked Chile for help.", []),
                        ("Reporters described how Peru asked Chile for help.", ["REQUEST"]),
                        ("Peru asked Chile for help.", ["REQUEST"])):
        work = run_rules(rules_only, text)
        events = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
        assert [e.type for e in events] == found, text


def test_model_event_takes_the_date_the_sentence_states(rules_only):
    work = run_rules(rules_only, "Ghana berated Togo on Tuesday over the border dispute.")
    events = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook,
                    hand_models({"v:berate": {"ACCUSE": 8.0}}))
    assert events[0].date == "2025-04-29" and events[0].date_text


def test_an_added_event_reads_the_modality_of_the_verb_over_its_noun(rules_only):
    """The trigger may be an event noun: "to hold talks" in a headline is a plan, "will hold talks" one too,
    "held talks" a fact. Planned talks are the commitment to meet (AGREE), as the rules code them."""
    models = hand_models({"w:talk": {"CONSULT": 8.0}})
    for text, plover_type, aux in (("Ghana and Togo to hold border talks", "AGREE", "future"),
                                   ("Ghana will hold border talks with Togo.", "AGREE", "future"),
                                   ("Ghana held border talks with Togo.", "CONSULT", None)):
        work = run_rules(rules_only, text)
        events = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
        assert [(e.type, e.trigger, e.aux) for e in events] == [(plover_type, "talks", aux)], text


def test_an_added_event_of_a_promised_or_refused_act_is_coded_as_the_commitment(rules_only):
    """The codebook's commitment rule holds for the model's events as for the rules': a planned strike is a
    THREATEN, a refused meeting a REJECT; the rule says which type the model proposed."""
    cases = (("Chad will bomb rebel camps in Niger.", {"v:bomb": {"ASSAULT": 8.0}}, "THREATEN", "future"),
             ("Chad bombed rebel camps in Niger.", {"v:bomb": {"ASSAULT": 8.0}}, "ASSAULT", None),
             ("Peru refused to meet Chile.", {"v:meet": {"CONSULT": 8.0}}, "REJECT", None))
    for text, weights, plover_type, aux in cases:
        work = run_rules(rules_only, text)
        [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook,
                         hand_models(weights, keep=0.0))
        assert (event.type, event.aux) == (plover_type, aux), text
        assert event.rule.startswith("model:" + next(iter(next(iter(weights.values())))))


def test_words_that_judge_conduct_are_type_features_with_how_the_sentence_carries_them(rules_only):
    """Criticism without an accusing verb: the codebook's judgement words, said, quoted or plain."""
    def judged(text):
        work = run_rules(rules_only, text)
        views = sentences_of(work.parsed, work.extraction.mentions, work.extraction.events)
        return {f for v in views for f in sentence_features(v, rules_only.codebook) if f.startswith("judge")}
    assert judged("Bolivia's foreign minister said the blockade was reckless.") == {"judge", "judge:reported"}
    assert judged('Fiji said the raid was "a betrayal of the region".') == {"judge", "judge:reported", "judge:quoted"}
    assert judged("The border closure was a costly mistake for Nepal.") == {"judge", "judge:plain"}
    assert judged("Nepal reopened the border crossing on Monday.") == set()


def test_unsure_model_adds_nothing(rules_only):
    work = run_rules(rules_only, "Ghana berated Togo over the border dispute.")
    models = hand_models({"v:berate": {"ACCUSE": 3.0}})  # p = sigmoid(-1) < 0.5
    assert recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models) == []


def test_rule_events_the_model_doubts_are_dropped(rules_only):
    work = run_rules(rules_only, "Chinese troops attacked Indian soldiers in Ladakh.")
    rules = work.extraction.events
    assert [e.type for e in rules] == ["ASSAULT"]
    doubtful = hand_models({}, keep=0.5)  # ASSAULT at p = sigmoid(-4)
    assert recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, doubtful) == []
    sure = hand_models({"rule:ASSAULT": {"ASSAULT": 8.0}}, keep=0.5)
    kept = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, sure)
    assert kept == rules


def test_beside_a_rule_event_the_model_adds_its_likeliest_other_type(rules_only):
    work = run_rules(rules_only, "Chinese troops attacked Indian soldiers in Ladakh.")
    rules = list(work.extraction.events)
    assert [e.type for e in rules] == ["ASSAULT"]
    # The model is surest of the type the rule already found; with one new event a sentence, the next type counts.
    models = hand_models({"rule:ASSAULT": {"ASSAULT": 9.0, "ACCUSE": 6.0}}, keep=0.0, add_more=0.8)
    events = recode(work.parsed, work.extraction.mentions, work.document, rules, rules_only.codebook, models)
    assert [e.type for e in events] == ["ASSAULT", "ACCUSE"]
    shy = hand_models({"rule:ASSAULT": {"ASSAULT": 9.0, "ACCUSE": 6.0}}, keep=0.0, add_more=0.95)
    assert [e.type for e in recode(work.parsed, work.extraction.mentions, work.document, list(rules),
                                   rules_only.codebook, shy)] == ["ASSAULT"]


def test_the_acceptance_model_drops_the_added_events_it_does_not_trust_and_never_a_rule_event(rules_only):
    from dataclasses import replace
    work = run_rules(rules_only, "Ghana berated Togo over the border dispute. Chinese troops attacked Indian "
                                 "soldiers in Ladakh.")
    rules = [e for e in work.extraction.events if e.type == "ASSAULT"]  # the ACCUSE is left to the model
    models = hand_models({"v:berate": {"ACCUSE": 8.0}, "rule:ASSAULT": {"ASSAULT": 8.0}}, keep=0.5, accept=0.5)
    distrusts_all = replace(models, accept=linear(["accept"], {}, -4.0))
    coded = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, distrusts_all)
    assert [e.type for e in coded] == ["ASSAULT"]  # the model's ACCUSE is dropped (p = sigmoid(-4)); the rule's stays
    trusts_sure_types = replace(models, accept=linear(["accept"], {"p>=0.9": {"accept": 8.0}}, -4.0))
    coded = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook,
                   trusts_sure_types)
    assert [e.type for e in coded] == ["ACCUSE", "ASSAULT"]
    no_bar = replace(distrusts_all, thresholds={**models.thresholds, "accept": 0.0})
    kept = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, no_bar)
    assert [e.type for e in kept] == ["ACCUSE", "ASSAULT"]


def test_every_event_in_a_sentence_carries_the_acceptance_models_reliability(rules_only):
    from dataclasses import replace
    work = run_rules(rules_only, "Ghana berated Togo over the border dispute. Chinese troops attacked Indian "
                                 "soldiers in Ladakh.")
    rules = [e for e in work.extraction.events if e.type == "ASSAULT"]
    models = hand_models({"v:berate": {"ACCUSE": 8.0}, "rule:ASSAULT": {"ASSAULT": 8.0}}, keep=0.5, accept=0.5)
    # the acceptance model trusts a codebook event more than one the type model added
    judged = replace(models, accept=linear(["accept"], {"origin:rule": {"accept": 3.0}}, 0.0))
    coded = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, judged)
    by_type = {e.type: e.reliability for e in coded}
    assert by_type == {"ACCUSE": 0.5, "ASSAULT": 0.95}  # sigmoid(0) and sigmoid(3), rounded
    assert all(e.reliability is None for e in rules)  # the rule stage's own records are not changed
    unjudged = recode(work.parsed, work.extraction.mentions, work.document, list(rules), rules_only.codebook, models)
    assert [(e.type, e.reliability) for e in unjudged] == [("ACCUSE", None), ("ASSAULT", None)]  # no estimate


def test_an_event_the_model_adds_in_a_headline_and_again_in_the_body_is_one_event_told_twice(rules_only):
    text = "Ghana berates Togo over border\n\nGhana berated Togo over the border dispute."
    work = Work(Document(id="d", text=text, title="Ghana berates Togo over border", published="2025-05-02"))
    for name, run in rules_only.stages:
        run(rules_only, work)
        if name == "events":
            break
    assert [p.segment.kind for p in work.parsed] == ["title", "body"]
    models = hand_models({"v:berate": {"ACCUSE": 8.0}})
    [event] = recode(work.parsed, work.extraction.mentions, work.document, [], rules_only.codebook, models)
    body = text.index("Ghana berated")
    assert event.type == "ACCUSE" and len(event.retold) == 1
    assert {event.evidence["start"], event.retold[0]["start"]} == {0, body}


def test_acceptance_features_say_how_sure_the_models_are_of_an_event(rules_only):
    from dyad.learn.coder import coded_events
    work = run_rules(rules_only, "Ghana berated Togo over the border dispute.")
    models = hand_models({"v:berate": {"ACCUSE": 8.0}})
    [(event, feats, by_model)] = list(coded_events(work.parsed, work.extraction.mentions, work.document, [],
                                                   rules_only.codebook, models, with_features=True))
    assert by_model and event.type == "ACCUSE"
    assert {"origin:model", "type:ACCUSE", "p>=0.9", "recipient:True", "local:2", "rank:0"} <= set(feats)
    assert "source>=0.5" in feats and "target>=0.5" in feats


def test_the_full_pipeline_runs_the_learned_stage(pipeline):
    assert "learned" in [name for name, _ in pipeline.stages]
    events = pipeline.extract(Document(id="x", text="Russian forces shelled Kharkiv on Friday.",
                                       published="2025-05-02")).events
    assert all(e.rule and e.confidence is not None for e in events)


def test_a_broken_model_file_is_named(tmp_path):
    bad = tmp_path / "coder.json"
    bad.write_text(json.dumps({"types": {"classes": ["A"]}}))
    with pytest.raises(ModelFileError, match="coder.json"):
        _load(str(bad))
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="cannot read"):
        _load(str(bad))


def test_training_on_a_tiny_slice_writes_a_loadable_model(tmp_path):
    pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")
    from dyad.learn.train import TrainingError, train
    out = tmp_path / "coder.json"
    try:
        report = train(out, compare=False, final=False, limit=1, settings={"folds": 2}, log=lambda m: None)
    except TrainingError as exc:  # outside the checkout, or without the shared Guardian corpus
        pytest.skip(f"training data not available: {exc}")
    models = _load(str(out))
    assert models.types.classes == PLOVER and models.types.weights.shape[0] == len(models.types.index)
    assert models.contexts is not None and "military" in models.contexts.classes and "context" in models.thresholds
    assert report["trained_on"] == "train + sentences" and 0 <= report["dev_model"]["events.precision"] <= 1


def test_written_articles_are_read_with_their_gold_and_one_without_is_named(tmp_path):
    from dyad.learn.train import TrainingError, written_rows
    folder = tmp_path / "training" / "articles"
    (folder / "gold").mkdir(parents=True)
    article = {"id": "written-99-01", "published": "2024-05-02", "text": "Chile recalled its envoy from Lima."}
    (folder / "batch_99.jsonl").write_text(json.dumps(article) + "\n")
    with pytest.raises(TrainingError, match="written-99-01 has no gold"):
        written_rows(tmp_path)
    event = {"id": "written-99-01-e01", "type": "SANCTION", "actors": ["CHL"], "recipients": ["PER"], "core": True,
             "evidence": {"start": 0, "end": 35}}
    (folder / "gold" / "written-99-01.events.jsonl").write_text(json.dumps(event) + "\n")
    [(read, gold)] = written_rows(tmp_path)
    assert read["text"] == article["text"] and gold[0]["recipients"] == ["PER"]


def test_a_sentence_is_a_positive_example_of_the_types_its_annotator_also_accepted(rules_only):
    from dyad.learn.train import DEFAULTS, article_item, type_examples
    article = {"id": "written-98-01", "published": "2024-05-02",
               "text": "Chile turned down Peru's demand for talks. The weather was mild."}
    event = {"type": "REJECT", "alt_types": ["ACCUSE"], "actors": ["CHL"], "recipients": ["PER"], "core": True,
             "evidence": {"start": 0, "end": 42}}
    item = article_item(rules_only, article, [event])
    labels = {alt: type_examples([item], rules_only.codebook, {**DEFAULTS, "alt_types": alt})[1]
              for alt in (True, False)}
    assert labels[True] == [{"REJECT", "ACCUSE"}, set()]
    assert labels[False] == [{"REJECT"}, set()]


def test_an_acceptance_model_from_one_kind_of_label_is_the_rate_alone():
    pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")
    from dyad.learn.train import DEFAULTS, fit_acceptance_model
    model = fit_acceptance_model([["origin:model"], ["origin:rule"]], [0, 0], DEFAULTS)
    assert model.proba(["origin:model"])[0] < 0.05 and model.index == {}
    mixed = fit_acceptance_model([["p>=0.9"]] * 6 + [["p>=0.1"]] * 6, [1] * 6 + [0] * 6, DEFAULTS)
    assert mixed.proba(["p>=0.9"])[0] > 0.5 > mixed.proba(["p>=0.1"])[0]


def test_the_threshold_search_takes_the_best_setting_the_guard_allows():
    from dyad.learn.train import _search
    wanted = {"add": 0.4, "fill": 0.0}

    def key_of(th):  # the F1 falls with the distance from `wanted`
        f1 = 1 - sum(abs(th[name] - value) for name, value in wanted.items())
        return (True, f1, 0.5), {"events.f1": f1}
    groups = ({"add": (0.2, 0.4, 0.5)}, {"fill": (0.0, 0.1, 0.2)})
    start = {"add": 0.5, "fill": 0.2}
    th, best = _search(groups, start, None, key_of, lambda th: True)
    assert th == wanted and best[1]["events.f1"] == 1
    th, _ = _search(groups, start, None, key_of, lambda th: th["add"] != 0.4)  # the guard refuses add 0.4
    assert th == {"add": 0.5, "fill": 0.0}
    assert start == {"add": 0.5, "fill": 0.2}  # the caller's thresholds are not changed


def test_the_finer_search_starts_from_several_grid_settings_and_keeps_the_best_end(monkeypatch):
    """From the grid's best (a 0, b 0) no single threshold's move helps; from the runner-up (a 1, b 0) moving
    b reaches the top. The guard's refusals are skipped when picking the starts."""
    from dyad.learn import train as T
    f1 = {(0, 0): 0.5, (1, 0): 0.4, (0, 1): 0.4, (1, 1): 0.9, (2, 0): 0.45}

    def key_of(th):
        return (True, f1[th["a"], th["b"]], 0.5), {"events.f1": f1[th["a"], th["b"]]}
    monkeypatch.setattr(T, "FINE", ({"b": (0, 1)}, {"a": (0, 1)}))
    tried = {tuple(sorted({"a": a, "b": b}.items())): key_of({"a": a, "b": b}) for a, b in ((0, 0), (1, 0), (2, 0))}
    starts = T._best_allowed(tried, lambda th: th["a"] != 2, 2)
    assert [th for th, _ in starts] == [{"a": 0, "b": 0}, {"a": 1, "b": 0}]
    ends = [T._refine(th, key, key_of, lambda th: True) for th, key in starts]
    assert ends[0][0] == {"a": 0, "b": 0}, "one threshold at a time is stuck at the grid's best"
    assert max(ends, key=lambda end: end[1][0])[0] == {"a": 1, "b": 1}


def test_the_warm_start_is_the_searched_thresholds_of_the_model_in_use(tmp_path, monkeypatch):
    from dyad.learn.train import START, _thresholds_in_use
    shipped = load_models().thresholds
    assert _thresholds_in_use() == {name: shipped[name] for name in START}  # not `context`: it is not searched
    monkeypatch.setenv("DYAD_CODER_MODEL", str(tmp_path / "absent.json"))
    assert _thresholds_in_use() is None
    (tmp_path / "bad.json").write_text("{}")
    monkeypatch.setenv("DYAD_CODER_MODEL", str(tmp_path / "bad.json"))
    assert _thresholds_in_use() is None, "a broken file gives no warm start and does not stop training"


def test_a_model_file_that_predates_a_threshold_still_gives_a_warm_start_with_that_threshold_off(tmp_path,
                                                                                                  monkeypatch):
    from dyad.learn.model import model_path
    from dyad.learn.train import START, _thresholds_in_use
    raw = json.loads(model_path().read_text(encoding="utf-8"))
    del raw["thresholds"]["accept"]  # as if the file were written before the acceptance bar was searched
    (tmp_path / "older.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("DYAD_CODER_MODEL", str(tmp_path / "older.json"))
    warm = _thresholds_in_use()
    assert warm is not None and warm["accept"] == START["accept"] == 0.0
    assert warm["add"] == raw["thresholds"]["add"] and isinstance(warm["max_new"], int)


def test_a_warm_start_the_guard_refuses_gives_way_to_its_best_allowed_step(monkeypatch):
    from dyad.learn import train as T
    monkeypatch.setattr(T, "FINE", ({"add": (0.5, 0.6, 0.7, 0.8)}, {"accept": (0.3, 0.4)}))

    def key_of(th):  # the F1 falls as add rises and with accept; add 0.7 and 0.8 tie
        f1 = 1 - min(th["add"], 0.7) - th["accept"] / 10
        return (True, f1, 0.5), {"events.f1": f1}
    warm = {"add": 0.5, "accept": 0.3}
    assert T._nearest_allowed(warm, key_of, lambda th: True)[0] == warm
    step, _ = T._nearest_allowed(warm, key_of, lambda th: th != warm)
    assert step == {"add": 0.5, "accept": 0.4}, "the best one-step neighbour that the guard allows"
    assert T._nearest_allowed(warm, key_of, lambda th: False) is None
