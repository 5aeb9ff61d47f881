"""The actor registry: records from one document's mentions, and records merged across documents."""
import pytest

from dyad.actors.knowledge import load_kb
from dyad.actors.mentions import resolve_mentions
from dyad.actors.registry import merge_records, records_from_mentions
from dyad.nlp import load_nlp, parse
from dyad.records import ActorRecord, Document, Role, Segment


@pytest.fixture(scope="module")
def records():
    nlp, kb = load_nlp(), load_kb()

    def _records(doc_id: str, text: str, published: str = "2023-06-01"):
        document = Document(id=doc_id, text=text, published=published)
        mentions = resolve_mentions(parse(text, [Segment(0, len(text), "body")], nlp), document, kb)
        return {r.actor_id: r for r in records_from_mentions(mentions, document, kb)}
    return _records


def test_one_record_per_actor_with_aliases_and_roles(records):
    found = records("a1", "Russian Defense Minister Sergei Shoigu flew to Minsk. Shoigu met Belarusian officers there.")
    shoigu = found["person:sergei-shoigu"]
    assert (shoigu.kind, shoigu.name, shoigu.country, shoigu.doc_ids) == ("person", "Sergei Shoigu", "RUS", ["a1"])
    assert "Shoigu" in shoigu.aliases
    assert any(r.source == "a1" and r.title == "Defense Minister" and r.start == "2023-06-01" for r in shoigu.roles)
    assert any(r.source == "kb" and r.title == "defence minister" and r.end == "2024-05-12" for r in shoigu.roles)
    assert found["state:BLR"].kind == "state"
    assert sum(1 for key in found if key == "person:sergei-shoigu") == 1


def test_pronouns_and_descriptions_are_not_aliases(records):
    found = records("a2", "The Iranian president landed in Caracas. He met Venezuelan ministers.", "2023-06-01")
    raisi = found["person:ebrahim-raisi"]
    assert raisi.aliases == []


def test_unknown_person_records_from_two_documents_merge_into_one(records):
    first = records("b1", "Iranian Defence Minister Reza Tavakoli visited Minsk.")["person:irn:tavakoli"]
    second = records("b2", "Peru's foreign minister met Iran's defence minister, Tavakoli, in Lima.")["person:irn:tavakoli"]
    merged = merge_records(second, first)
    assert merged.name == "Reza Tavakoli"
    assert merged.country == "IRN" and merged.doc_ids == ["b2", "b1"]
    assert "Tavakoli" in merged.aliases


def test_merge_prefers_the_longer_name_and_dedupes():
    role = Role("Defence Minister", "IRN", "MIL", "2024-01-02", "2024-01-02", "d1")
    old = ActorRecord("person:irn:ashtiani", "person", "Ashtiani", ["Ashtiani"], "IRN", "MIL", [role], ["d1"])
    new = ActorRecord("person:irn:ashtiani", "person", "Mohammad-Reza Gharaei Ashtiani", ["Gharaei Ashtiani"],
                      "IRN", "MIL", [Role("defence minister", "IRN", "MIL", "2024-01-02", "2024-01-02", "d1")],
                      ["d1", "d2"])
    merged = merge_records(old, new)
    assert merged.name == "Mohammad-Reza Gharaei Ashtiani"
    assert merged.aliases == ["Ashtiani", "Gharaei Ashtiani"]
    assert len(merged.roles) == 1 and merged.doc_ids == ["d1", "d2"]


def test_states_keep_their_first_name():
    old = ActorRecord("state:GBR", "state", "United Kingdom", ["UK"], "GBR", doc_ids=["d1"])
    new = ActorRecord("state:GBR", "state", "United Kingdom of Great Britain", ["Britain"], "GBR", doc_ids=["d2"])
    merged = merge_records(old, new)
    assert merged.name == "United Kingdom" and set(merged.aliases) >= {"UK", "Britain"}
