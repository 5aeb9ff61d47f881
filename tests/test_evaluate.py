"""Scoring maths of `dyad eval` on hand-made gold and fake predictions, plus one run of the real CLI."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dyad.evaluate import NONE, PLOVER_TYPES, GoldError, code_table_from, evaluate, load_code_table, load_gold
from dyad.records import ActorRef, Event


def actor(code, kind="state"):
    return ActorRef(text=code or "?", name=code or "?", code=code, kind=kind)


def event(type_, actors=(), recipients=(), confidence=0.5, symmetric=False, rule="test-rule"):
    return Event(event_id="e", doc_id="d", type=type_, mode=None, context=[], actors=list(actors),
                 recipients=list(recipients), date=None, date_text=None, location=None, aux=None,
                 attribution=None, evidence={}, score=0.0, confidence=confidence, rule=rule,
                 symmetric=symmetric)


def gold(id_, text, type_, actors=(), recipients=()):
    return {"id": id_, "text": text, "type": type_, "mode": None, "context": None,
            "actors": [{"text": c, "code": c, "sector": None} for c in actors],
            "recipients": [{"text": c, "code": c, "sector": None} for c in recipients]}


def fake(predictions):
    """A predict function answering from a dict text -> events (missing text: no event)."""
    return lambda text: predictions.get(text, [])


def test_type_accuracy_counts_missing_prediction_as_wrong_and_none():
    rows = [gold("1", "a", "ASSAULT", ["ISR"], ["LBN"]),
            gold("2", "b", "ASSAULT", ["ISR"], ["LBN"]),
            gold("3", "c", "PROTEST", ["KEN"])]
    report = evaluate(rows, fake({"a": [event("ASSAULT")], "b": [event("COERCE")]}))
    assert report.type_accuracy == pytest.approx(1 / 3)
    assert report.confusion == {"ASSAULT": {"ASSAULT": 1, "COERCE": 1}, "PROTEST": {NONE: 1}}
    assert [r.predicted_type for r in report.records] == ["ASSAULT", "COERCE", NONE]


def test_per_type_precision_recall_and_macro_f1():
    rows = [gold("1", "a", "AGREE"), gold("2", "b", "AGREE"), gold("3", "c", "REJECT"), gold("4", "d", "REJECT")]
    preds = {"a": [event("AGREE")], "b": [event("REJECT")], "c": [event("REJECT")], "d": []}
    report = evaluate(rows, fake(preds))
    scores = {t.type: t for t in report.per_type}
    # AGREE: 1 right of 1 predicted, 1 of 2 gold; REJECT: 1 right of 2 predicted, 1 of 2 gold
    assert (scores["AGREE"].precision, scores["AGREE"].recall) == (1.0, 0.5)
    assert (scores["REJECT"].precision, scores["REJECT"].recall) == (0.5, 0.5)
    assert scores["AGREE"].f1 == pytest.approx(2 / 3, abs=1e-3)
    assert scores["REJECT"].f1 == pytest.approx(0.5)
    # types absent from gold and predictions do not drag the macro average down
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2, abs=1e-3)
    assert len(report.per_type) == 16


def test_chosen_event_prefers_gold_participants_then_confidence():
    rows = [gold("1", "a", "ACCUSE", ["FRA"], ["MLI"])]
    preds = {"a": [event("ASSAULT", [actor("MLI")], [actor("FRA")], confidence=0.9),
                   event("ACCUSE", [actor("FRA")], [actor("MLI")], confidence=0.4),
                   event("REJECT", [actor("DEU")], confidence=0.99)]}
    # ASSAULT has both codes but reversed; ACCUSE has them in the gold direction; REJECT is most confident
    assert evaluate(rows, fake(preds)).records[0].predicted_type == "ACCUSE"
    preds["a"].pop(1)
    assert evaluate(rows, fake(preds)).records[0].predicted_type == "ASSAULT"  # shared codes beat confidence
    rows2 = [gold("2", "b", "AGREE")]
    preds2 = {"b": [event("AGREE", confidence=0.3), event("CONSULT", confidence=0.8)]}
    assert evaluate(rows2, fake(preds2)).records[0].predicted_type == "CONSULT"


def test_actor_and_recipient_accuracy_any_and_all():
    rows = [gold("1", "a", "CONSULT", ["RUS", "IRN"]),
            gold("2", "b", "SANCTION", ["USA"], ["IRN", "RUS"]),
            gold("3", "c", "PROTEST", ["KEN"]),
            gold("4", "d", "AID", [], ["UKR"])]
    preds = {"a": [event("CONSULT", [actor("RUS")], [actor("IRN")])],
             "b": [event("SANCTION", [actor("USA")], [actor("IRN")])],
             "c": [event("PROTEST", [actor("UGA")])],
             "d": [event("AID", [actor("DEU")], [actor("UKR")])]}
    report = evaluate(rows, fake(preds))
    summary = report.summary()
    assert summary["actor_any_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["actor_any_scored"] == 3  # record 4 has no gold actor
    assert summary["actor_all_accuracy"] == pytest.approx(1 / 3, abs=1e-3)  # IRN is a recipient, not an actor
    assert summary["recipient_any_scored"] == 2
    assert summary["recipient_any_accuracy"] == 1.0
    assert summary["recipient_all_accuracy"] == 0.5


def test_mode_accuracy_reads_both_sides_as_plover_names_and_only_where_the_type_is_right():
    rows = [{**gold("1", "a", "ASSAULT"), "mode": "airstrike"},  # the annotators' name for heavy-weapons
            {**gold("2", "b", "PROTEST"), "mode": "demo-org"},
            {**gold("3", "c", "COERCE"), "mode": "arrest"},
            gold("4", "d", "ASSAULT")]
    preds = {"a": [replace(event("ASSAULT"), mode="heavy-weapons")],
             "b": [replace(event("PROTEST"), mode="riot")],
             "c": [replace(event("ASSAULT"), mode="arrest")],  # wrong type: its mode is not scored
             "d": [replace(event("ASSAULT"), mode="firearms")]}  # no gold mode: not scored
    summary = evaluate(rows, fake(preds)).summary()
    assert (summary["mode_accuracy"], summary["mode_scored"]) == (0.5, 2)


def test_symmetric_event_counts_recipients_as_actors():
    rows = [gold("1", "a", "COOPERATE", ["FRA", "EGY"])]
    preds = {"a": [event("COOPERATE", [actor("FRA")], [actor("EGY")], symmetric=True)]}
    record = evaluate(rows, fake(preds)).records[0]
    assert record.actor_all is True
    preds["a"][0].symmetric = False
    assert evaluate(rows, fake(preds)).records[0].actor_all is False


def test_code_equivalences_aliases_and_classes():
    table = load_code_table()
    assert table.matches("ITL", actor("ITA"))
    assert table.matches("JAP", actor("JPN"))
    assert table.matches("VTN", actor("VNM"))
    assert not table.matches("ITL", actor("FRA"))
    assert table.matches("IGO", actor("UN", kind="organization"))
    assert table.matches("NGO", actor("AMNESTY", kind="organization"))
    assert table.matches("IGO", actor("UN", kind="person"))  # a secretary-general speaks for the body
    assert not table.matches("IGO", actor("FRA"))
    assert not table.matches("ISR", actor(None))


def test_code_table_from_user_data():
    table = code_table_from({"aliases": {"abc": "xyz"}, "classes": {"grp": {"kinds": ["Group"], "codes": []}}})
    assert table.matches("ABC", actor("XYZ"))
    assert table.matches("GRP", actor("HAMAS", kind="group"))
    assert not table.matches("GRP", actor("ISR"))


def test_failing_predict_is_recorded_not_raised():
    def predict(text):
        if text == "bad":
            raise RuntimeError("parser fell over")
        return [event("AGREE")]
    report = evaluate([gold("1", "bad", "AGREE"), gold("2", "fine", "AGREE")], predict)
    assert report.records[0].predicted_type == NONE
    assert "parser fell over" in report.records[0].error
    assert report.type_accuracy == 0.5


def test_bad_gold_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold("1", "x", "AGREE")) + "\n{not json\n")
    with pytest.raises(GoldError, match=":2:"):
        load_gold(path)
    path.write_text(json.dumps(gold("1", "x", "DISAPPROVE")) + "\n")
    with pytest.raises(GoldError, match="not a PLOVER type"):
        load_gold(path)


def test_errors_lists_type_or_actor_mistakes():
    rows = [gold("1", "a", "AGREE", ["IND"]), gold("2", "b", "AGREE", ["IND"]), gold("3", "c", "AGREE", ["IND"])]
    preds = {"a": [event("AGREE", [actor("IND")])], "b": [event("AGREE", [actor("PAK")])], "c": []}
    assert [r.id for r in evaluate(rows, fake(preds)).errors()] == ["2", "3"]


# ---------------------------------------------------------------- the CLI, with the real pipeline, run once

CLI_GOLD = [
    gold("t1", "Kenyan police arrested dozens of opposition supporters in Nairobi on Monday.", "COERCE",
         ["KEN"], ["KEN"]),
    gold("t2", "Brazil and Argentina signed a trade accord in Buenos Aires.", "SUPPORT", ["BRA", "ARG"]),
    gold("t3", "Japan accused China of sending coast guard ships into its waters.", "ACCUSE", ["JPN"], ["CHN"]),
]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    from dyad.cli import _register, app

    _register()
    folder = tmp_path_factory.mktemp("eval")
    gold_path, errors_path = folder / "gold.jsonl", folder / "errors.jsonl"
    gold_path.write_text("".join(json.dumps(r) + "\n" for r in CLI_GOLD))
    command = typer.main.get_command(app)
    prefix = ["eval"] if hasattr(command, "commands") else []  # a lone command is not a group in Typer
    result = CliRunner().invoke(app, [*prefix, str(gold_path), "--json", "--errors", str(errors_path)])
    return result, errors_path


def test_cli_reports_json_over_all_sentences(cli_run):
    result, _ = cli_run
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index("{"):])
    assert report["summary"]["sentences"] == 3
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 3
    assert 0.0 <= report["summary"]["type_accuracy"] <= 1.0


def test_cli_errors_file_holds_the_wrong_records(cli_run):
    result, errors_path = cli_run
    report = json.loads(result.stdout[result.stdout.index("{"):])
    wrong = [json.loads(line) for line in errors_path.read_text().splitlines()]
    assert len(wrong) >= round(3 * (1 - report["summary"]["type_accuracy"]))
    assert {r["id"] for r in wrong} <= {"t1", "t2", "t3"}
    assert all({"gold_type", "predicted_type", "predicted_actors", "rule"} <= set(r) for r in wrong)


# ---------------------------------------------------------------- the project's own evaluation texts

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"


def test_eval_sentences_cover_every_type_and_quote_their_actors():
    rows = load_gold(EVAL_DIR / "sentences.jsonl")
    per_type = Counter(r["type"] for r in rows)
    assert set(per_type) == set(PLOVER_TYPES)
    assert min(per_type.values()) >= 8
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        for party in row["actors"] + row["recipients"]:
            assert party["text"] in row["text"], (row["id"], party["text"])
            assert party["code"] == party["code"].upper() and party["code"] not in {"IGO", "NGO"}, row["id"]


def test_eval_stories_have_manifest_dates_and_evidence_in_text():
    stories = EVAL_DIR / "stories"
    manifest = [json.loads(line) for line in (stories / "manifest.jsonl").read_text().splitlines()]
    texts = {m["id"]: (stories / m["path"]).read_text() for m in manifest}
    assert len(texts) == 4 and all(len(t.split()) <= 350 for t in texts.values())
    assert all(len(m["published"]) == 10 for m in manifest)
    for line in (stories / "gold.events.jsonl").read_text().splitlines():
        gold_event = json.loads(line)
        assert gold_event["type"] in PLOVER_TYPES
        for piece in gold_event["evidence"].split(" ... "):
            assert piece in texts[gold_event["doc"]], gold_event["id"]
