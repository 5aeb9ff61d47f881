"""The codebook data file: loading, indexing, user extension and its guard rails."""
from __future__ import annotations

import pytest

from dyad.datafiles import DataFileError
from dyad.events.codebook import load_codebook
from dyad.plover import TYPES as PLOVER_TYPES
from dyad.plover import score


def test_every_plover_type_has_a_score_and_entries():
    book = load_codebook()
    assert all(isinstance(score(t), float) for t in PLOVER_TYPES) and len(PLOVER_TYPES) == 16
    covered = {entry.type for entry in book.entries.values()}
    assert covered == set(PLOVER_TYPES)
    assert book.score("ASSAULT") < book.score("REQUEST") < book.score("AGREE") < book.score("AID")


def test_words_that_yaml_would_read_as_booleans_stay_words():
    book = load_codebook()
    assert "on" in book.entries["sanction.impose"].recipient
    assert "no" in book.modality.negators


def test_more_specific_entries_are_tried_first():
    book = load_codebook()
    entries = book.verb_entries("sign")
    assert entries[0].objects, "an entry that names its objects must come before a bare one"
    lift = [e.id for e in book.verb_entries("lift")]
    assert "retreat.lift-sanctions" in lift and "concede.lift-restriction" in lift


def test_a_user_file_adds_entries(tmp_path, monkeypatch):
    extra = tmp_path / "mine.yaml"
    extra.write_text("verbs:\n  - {id: mine.snub, lemma: ghost, type: REJECT, recipient: [dobj]}\n", encoding="utf-8")
    book = load_codebook(str(extra))
    assert book.verb_entries("ghost")[0].id == "mine.snub"
    assert book.verb_entries("sign"), "the packaged entries are still there"


def test_a_user_file_adds_figures_of_speech_that_report_no_act(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("figurative:\n  - {id: mine.bomb-show, lemma: bomb, requires_word: box}\n", encoding="utf-8")
    book = load_codebook(str(extra))
    assert [e.id for e in book.figurative["bomb"]] == ["mine.bomb-show"]
    assert "stab" in book.figurative, "the packaged figures are still there"


def test_an_unknown_type_is_refused_with_the_entry_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("verbs:\n  - {id: mine.bad, lemma: frobnicate, type: BEFRIEND}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mine.bad"):
        load_codebook(str(bad))


def test_a_misspelt_key_is_an_error_naming_file_entry_and_key(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("verbs:\n  - {id: mine.walkout, lemma: walk, type: PROTEST, subject_sectors: [LAB]}\n",
                   encoding="utf-8")
    with pytest.raises(DataFileError, match=r"typo.yaml: verbs\[0\] \(id mine.walkout\): unknown key 'subject_sectors'"):
        load_codebook(str(bad))


def test_a_wrong_value_type_is_an_error(tmp_path):
    bad = tmp_path / "flag.yaml"
    bad.write_text("verbs:\n  - {id: mine.flag, lemma: snub, type: REJECT, symmetric: [yes]}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"flag.yaml: verbs\[0\] \(id mine.flag\)\.symmetric"):
        load_codebook(str(bad))


def test_the_packaged_codebook_follows_its_schema():
    load_codebook.cache_clear()
    assert load_codebook().entries  # loads through the schema; a misspelt key in the file would raise


@pytest.mark.parametrize("text, unwanted", [
    ("Israeli warplanes struck in southern Lebanon on Monday.", "PROTEST"),  # a strike by jets is no walkout
    ("Turkey reviewed its options.", "CONSULT"),  # reviewing alone is no consultation
    ("Pakistani jets struck targets in eastern Afghanistan on Friday.", "PROTEST"),
    ("Brazil reviewed its trade policy.", "CONSULT"),
])
def test_entries_keep_their_conditions(pipeline, text, unwanted):
    from dyad.records import Document

    events = pipeline.extract(Document(id="t", text=text, published="2024-03-04")).events
    assert unwanted not in {e.type for e in events}
