"""The codebook data file: loading, indexing, user extension and its guard rails."""
from __future__ import annotations

import pytest

from dyad.events.codebook import PLOVER_TYPES, load_codebook


def test_every_plover_type_has_a_score_and_entries():
    book = load_codebook()
    assert set(book.types) == set(PLOVER_TYPES)
    covered = {entry.type for entry in book.entries.values()}
    assert covered == set(PLOVER_TYPES)
    assert book.score("ASSAULT") < book.score("REQUEST") < book.score("AGREE") < book.score("AID")


def test_words_that_yaml_would_read_as_booleans_stay_words():
    book = load_codebook()
    assert "on" in book.entries["sanction.impose"].recipient
    assert "no" in book.modality["negators"]


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


def test_an_unknown_type_is_refused_with_the_entry_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("verbs:\n  - {id: mine.bad, lemma: frobnicate, type: BEFRIEND}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mine.bad"):
        load_codebook(str(bad))
