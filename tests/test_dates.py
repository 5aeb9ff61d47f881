"""Date resolution against a publication date (dyad.dates). Sentences are written for these tests."""
from __future__ import annotations

import pytest
import spacy

from dyad import dates
from dyad.dates import ResolvedDate, dates_in_span, latest_explicit_date, resolve_expression
from dyad.nlp import model_name

WEDNESDAY = "2024-10-23"
FRIDAY = "2024-04-26"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(model_name())


def value(text, reference=WEDNESDAY, prefer="past"):
    resolved = resolve_expression(text, reference, prefer)
    return None if resolved is None else (resolved.value, resolved.precision)


@pytest.mark.parametrize("text, expected", [
    ("on Wednesday", ("2024-10-23", "day")),
    ("Monday", ("2024-10-21", "day")),
    ("Thursday", ("2024-10-17", "day")),
    ("Sunday night", ("2024-10-20", "day")),
    ("last Wednesday", ("2024-10-16", "day")),
    ("next Wednesday", ("2024-10-30", "day")),
    ("yesterday", ("2024-10-22", "day")),
    ("today", ("2024-10-23", "day")),
    ("three days ago", ("2024-10-20", "day")),
    ("earlier this month", ("2024-10", "month")),
    ("last month", ("2024-09", "month")),
    ("last week", ("2024-10", "month")),
    ("earlier in the week", ("2024-10", "month")),
    ("this year", ("2024", "year")),
    ("last year", ("2023", "year")),
    ("At the end of last year", ("2023", "year")),
    ("early 2021", ("2021", "year")),
    ("mid-June", ("2024-06", "month")),
    ("late March 2019", ("2019-03", "month")),
    ("last July", ("2024-07", "month")),
    ("last November", ("2023-11", "month")),
    ("In March", ("2024-03", "month")),
    ("in October", ("2024-10", "month")),
    ("November", ("2023-11", "month")),
    ("October 2", ("2024-10-02", "day")),
    ("on 9 October", ("2024-10-09", "day")),
    ("Oct. 30", ("2023-10-30", "day")),
    ("Tuesday, October 8", ("2024-10-08", "day")),
    ("March 3, 2021", ("2021-03-03", "day")),
    ("by June 14, 2020", ("2020-06-14", "day")),
    ("2023-05-17", ("2023-05-17", "day")),
    ("April 2019", ("2019-04", "month")),
    ("in June 2018", ("2018-06", "month")),
    ("June last year", ("2023-06", "month")),
    ("until May last year", ("2023-05", "month")),
    ("in 1991", ("1991", "year")),
    ("since 1991", ("1991", "year")),
    ("summer 2022", ("2022", "year")),
    ("last summer", ("2024", "year")),
    ("from March 2020 to June 2021", ("2020-03", "month")),
    ("from March to May 2021", ("2021-03", "month")),
    ("between 2015 and 2017", ("2015", "year")),
    ("2019-20", ("2019", "year")),
    ("2021-07", ("2021-07", "month")),
])
def test_expressions_resolve_with_the_precision_of_their_words(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text", [
    "the past year", "in the past two years", "for decades", "for more than 30 years", "two days", "several months",
    "years", "55 years old", "a 40-year-old", "annual", "every year", "the 1980s", "the 19th century",
    "three days later", "a week earlier", "the next day", "the following week", "the same day", "before March 5", "after 2020",
    "the winter of 2022", "its hour", "",
])
def test_spans_durations_ages_and_bounds_are_not_dates(text):
    assert resolve_expression(text, WEDNESDAY) is None


def test_weekday_equal_to_the_reference_weekday_is_the_reference_day():
    assert value("on Friday", FRIDAY) == ("2024-04-26", "day")
    assert value("on Friday", FRIDAY, "future") == ("2024-04-26", "day")
    assert value("last Friday", FRIDAY) == ("2024-04-19", "day")


def test_future_preference_moves_forward():
    assert value("Saturday", FRIDAY, "future") == ("2024-04-27", "day")
    assert value("Saturday", FRIDAY, "past") == ("2024-04-20", "day")
    assert value("In December", FRIDAY, "future") == ("2024-12", "month")
    assert value("in March", FRIDAY, "future") == ("2025-03", "month")
    assert value("October 2", WEDNESDAY, "future") == ("2025-10-02", "day")
    assert value("next month", FRIDAY, "future") == ("2024-05", "month")


def test_month_without_year_is_the_latest_not_after_the_reference():
    assert value("In December", FRIDAY) == ("2023-12", "month")
    assert value("in April", FRIDAY) == ("2024-04", "month")
    assert value("April 28", FRIDAY) == ("2023-04-28", "day")
    assert value("April 26", FRIDAY) == ("2024-04-26", "day")


def test_leap_day_without_year_falls_back_to_a_real_day():
    assert value("February 29", "2025-03-10") == ("2025-02-28", "day")


def test_last_week_across_a_month_is_year_precision_and_across_new_year_nothing():
    assert value("last week", "2024-10-09") == ("2024", "year")  # Sep 30 - Oct 6
    assert value("last week", "2025-01-08") is None  # Dec 30 - Jan 5


def test_next_week_and_weekends():
    assert value("next week") == ("2024", "year")  # Oct 28 - Nov 3
    assert value("over the weekend", "2024-11-04") == ("2024-11", "month")  # Nov 2-3
    assert value("last weekend", "2024-12-04") == ("2024", "year")  # Nov 30 - Dec 1
    assert value("the weekend", "2024-10-30") == ("2024-10", "month")  # Oct 26-27
    assert value("this weekend", "2024-10-30", "future") == ("2024-11", "month")  # Nov 2-3
    assert value("over two years") is None


def test_without_reference_only_explicit_years_resolve():
    assert value("March 3, 2021", None) == ("2021-03-03", "day")
    assert value("in June 2018", None) == ("2018-06", "month")
    assert value("since 1991", None) == ("1991", "year")
    for relative in ("on Wednesday", "yesterday", "last year", "In December", "October 2", "earlier this month"):
        assert resolve_expression(relative, None) is None, relative


def test_month_only_reference_anchors_no_relative_expression():
    assert resolve_expression("last year", "2024-10") is None
    assert value("April 2019", "2024-10") == ("2019-04", "month")


def test_resolved_date_keeps_the_words():
    resolved = resolve_expression("  on Wednesday ", WEDNESDAY)
    assert resolved == ResolvedDate("2024-10-23", "day", "on Wednesday")


def test_bad_input_gets_a_clear_error():
    with pytest.raises(ValueError, match="reference"):
        resolve_expression("Friday", "26/04/2024")
    with pytest.raises(ValueError, match="prefer"):
        resolve_expression("Friday", FRIDAY, prefer="nearest")


def test_vocabulary_words_are_strings():
    vocab = dates._vocab()  # YAML reads a bare `on` as true: the data file must quote such words
    for words in (vocab.prepositions, vocab.duration_openers, vocab.bound_words, vocab.range_connectors):
        assert all(isinstance(w, str) for w in words)
    assert "on" in vocab.prepositions


# ---------------------------------------------------------------- dates in a sentence

def found(doc, reference=WEDNESDAY, prefer="past"):
    return [(doc.text[s:e], r.value) for sent in doc.sents for s, e, r in dates_in_span(sent, reference, prefer)]


def test_two_dates_in_a_sentence_with_prepositions_merged(nlp):
    doc = nlp("The envoys spoke on Monday and plan to sign the accord in December.")
    assert found(doc) == [("on Monday", "2024-10-21"), ("in December", "2023-12")]
    assert found(doc, prefer="future")[1] == ("in December", "2024-12")


def test_durations_ages_and_frequencies_in_a_sentence_are_skipped(nlp):
    doc = nlp("The two states have traded for more than 30 years, and their 70-year-old leaders hold annual summits.")
    assert found(doc) == []


def test_offsets_are_into_the_whole_doc(nlp):
    doc = nlp("The talks began in Vienna. The ministers met again on Tuesday.")
    second = list(doc.sents)[1]
    [(start, end, resolved)] = dates_in_span(second, WEDNESDAY)
    assert doc.text[start:end] == "on Tuesday"
    assert start > second.start_char - 1 and resolved.value == "2024-10-22"


def test_phrases_the_model_did_not_tag_are_still_found(nlp):
    doc = nlp("Ministers gathered on Thursday, and last July the council approved the plan.")
    doc.ents = []  # as if the model had tagged nothing
    assert found(doc) == [("on Thursday", "2024-10-17"), ("last July", "2024-07")]


def test_bare_month_name_without_preposition_is_not_guessed(nlp):
    doc = nlp("March organisers gathered in May to plan.")
    doc.ents = []
    assert found(doc) == [("in May", "2024-05")]


def test_no_reference_keeps_only_explicit_dates(nlp):
    doc = nlp("The pact signed on June 14, 2020 was renewed on Friday.")
    assert found(doc, reference=None) == [("on June 14, 2020", "2020-06-14")]


# ---------------------------------------------------------------- publication date lower bound

def test_latest_explicit_date_picks_the_latest_full_date():
    text = "A deal from 3 March 2021 was revised on July 9, 2023, reviewed 2022-11-30 and cited in April 2023."
    assert latest_explicit_date(text) == "2023-07-09"


def test_latest_explicit_date_falls_back_to_month_year():
    assert latest_explicit_date("Talks stalled in May 2019 and resumed in January 2020.") == "2020-01"


def test_later_month_year_beats_an_older_full_date():
    assert latest_explicit_date("Signed on March 2, 2020; by October 2022 it had lapsed.") == "2022-10"


def test_latest_explicit_date_none_and_invalid_days():
    assert latest_explicit_date("The ministers met on Friday, two days after the vote.") is None
    assert latest_explicit_date("A typo: February 30, 2024. Real: June 1, 2021.") == "2021-06-01"
