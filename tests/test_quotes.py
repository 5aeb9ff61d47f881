"""Quotes: quoted stretches, their speakers (reporting clause, continuation, pronoun, document), indirect speech."""
import pytest

from dyad.nlp import load_nlp, parse
from dyad.quotes import extract_quotes, find_quoted
from dyad.records import ActorRef, Document, Mention, Segment


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture
def quotes_of(nlp):
    def run(text, mentions=()):
        document = Document(id="d1", text=text)
        segments, pos = [], 0
        for para in text.split("\n"):
            segments.append(Segment(pos, pos + len(para), "body"))
            pos += len(para) + 1
        return extract_quotes(parse(text, segments, nlp), list(mentions), document)
    return run


def direct(quotes):
    return [q for q in quotes if not q.indirect]


def speaker(q):
    return q.speaker.name if q.speaker else None


def test_find_quoted_skips_apostrophes_and_unclosed_marks():
    text = "The West's plan, 'we will see,' he said, and “never mind” she said. “Unclosed"
    found = [text[s:e] for s, e in find_quoted(text)]
    assert found == ["we will see,", "never mind"]


def test_said_after_quote_text_and_offsets(quotes_of):
    text = "“We will keep the border open to trade,” said Anna Berg."
    q = direct(quotes_of(text))[0]
    assert q.text == "We will keep the border open to trade"
    assert text[q.evidence["start"]:q.evidence["end"]] == q.text
    assert speaker(q) == "Anna Berg" and q.quote_id == "d1:q0"


def test_straight_quotes_split_by_reporting_clause_keep_one_speaker(quotes_of):
    text = 'Marta Kowalski met the envoy on Monday. "We are ready to talk," Kowalski told reporters. "We also expect results soon."'
    qs = direct(quotes_of(text))
    assert [q.text for q in qs] == ["We are ready to talk", "We also expect results soon."]
    assert all("Kowalski" in speaker(q) for q in qs)


def test_single_curly_quotes(quotes_of):
    q = direct(quotes_of("‘The port will reopen next month,’ Hassan Rahimi warned."))[0]
    assert q.text == "The port will reopen next month" and "Rahimi" in speaker(q)


def test_partial_quote_inside_reported_clause(quotes_of):
    text = "Elena Petrova said that ties had become “unusually warm,” citing new trade links."
    qs = direct(quotes_of(text))
    assert [q.text for q in qs] == ["unusually warm"] and "Petrova" in speaker(qs[0])


def test_pronoun_speaker_is_the_last_person_named(quotes_of):
    text = "Foreign Minister Kofi Mensah spoke to reporters in Accra.\n“Nothing in our policy has changed,” he added."
    q = direct(quotes_of(text))[0]
    assert "Mensah" in speaker(q)


def test_according_to_a_press_release(quotes_of):
    text = "“Exports of grain doubled this year,” according to a Kremlin press release."
    q = direct(quotes_of(text))[0]
    assert "Kremlin" in speaker(q)


def test_statement_speaks_for_the_body_that_issued_it(quotes_of):
    text = ("The Finance Ministry of Chile announced new tariffs on Monday. "
            "“The measures will take effect in May and will apply to steel,” the statement said.")
    q = direct(quotes_of(text))[0]
    assert q.speaker is not None and "Ministry" in speaker(q) and q.speaker.kind == "organization"


def test_quote_without_clause_continues_previous_speaker(quotes_of):
    text = ("“Our navies will train together,” said Admiral Lena Holm.\n"
            "“The first exercise is planned for the spring in the northern waters.”")
    qs = direct(quotes_of(text))
    assert len(qs) == 2 and all("Holm" in speaker(q) for q in qs)


def test_titles_and_scare_quotes_are_not_quotes(quotes_of):
    text = ("The two states will sign an “Agreement on Maritime Cooperation” next week. "
            "Analysts call the plan a “grand bargain” for the region.")
    assert direct(quotes_of(text)) == []


def test_indirect_speech(quotes_of):
    qs = quotes_of("President Ana Lopes stated that the talks had been useful for both sides.")
    indirect = [q for q in qs if q.indirect]
    assert len(indirect) == 1
    assert indirect[0].text == "the talks had been useful for both sides" and "Lopes" in speaker(indirect[0])


def test_mentions_resolve_the_speaker(quotes_of):
    text = "“We will not retreat,” the Kremlin said."
    start = text.index("the Kremlin")
    actor = ActorRef(text="the Kremlin", name="Russia", code="RUS", kind="state", actor_id="state:RUS")
    mention = Mention(start=start, end=start + len("the Kremlin"), text="the Kremlin", actor=actor, how="capital")
    q = direct(quotes_of(text, [mention]))[0]
    assert q.speaker.code == "RUS" and q.speaker.name == "Kremlin"


def test_pronoun_mention_is_used_when_given(quotes_of):
    text = "“The talks went well,” she noted."
    start = text.index("she")
    actor = ActorRef(text="she", name="Ines Duarte", code="PRT", kind="person")
    q = direct(quotes_of(text, [Mention(start, start + 3, "she", actor, "pronoun")]))[0]
    assert speaker(q) == "Ines Duarte"


def test_unattributed_reports_have_no_speaker(quotes_of):
    text = "The Trade Ministry of Peru met the envoy. Reports suggest that the deal could collapse next year."
    assert [q for q in quotes_of(text) if q.indirect] == []
