"""Facts: figures with value, unit, qualifier, what they measure and their period; and what is not a fact."""
import pytest

from dyad.facts import extract_facts
from dyad.nlp import load_nlp, parse
from dyad.records import Document, Segment


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture
def facts_of(nlp):
    def run(text):
        document = Document(id="t", text=text)
        return extract_facts(parse(text, [Segment(0, len(text), "body")], nlp), document)
    return run


def only(facts):
    assert len(facts) == 1, [(f.text, f.value, f.unit) for f in facts]
    return facts[0]


@pytest.mark.parametrize("text, value, unit", [
    ("Exports to the bloc reached $4 billion last spring.", 4e9, "USD"),
    ("The fund holds more than four billion dollars in reserves.", 4e9, "USD"),
    ("The city received €2.5 million for the new bridge.", 2.5e6, "EUR"),
    ("The council spent 580 million Tanzanian shillings on roads.", 580e6, "TZS"),
    ("The grant was worth 64.45 million dollars to the province.", 64.45e6, "USD"),
    ("The ministry sold 700 kg of grain to the port.", 700, "kg"),
])
def test_money_and_measures(facts_of, text, value, unit):
    fact = only(facts_of(text))
    assert fact.value == pytest.approx(value) and fact.unit == unit


@pytest.mark.parametrize("text, value, qualifier", [
    ("Farmers now sell over 96% of their grain abroad.", 96, "over"),
    ("The harbour saw a 12.4% increase in traffic.", 12.4, None),
    ("Turnout fell by 26 percent in the capital.", 26, None),
    ("Imports rose 50 per cent after the deal.", 50, None),
])
def test_percentages(facts_of, text, value, qualifier):
    fact = only(facts_of(text))
    assert (fact.value, fact.unit, fact.qualifier) == (pytest.approx(value), "percent", qualifier)


def test_percent_about_names_the_change_and_its_object(facts_of):
    fact = only(facts_of("Officials reported a 31% drop in trade with Peru."))
    assert fact.about == "drop in trade with Peru"


def test_count_with_qualifier_and_counted_noun(facts_of):
    fact = only(facts_of("The flood displaced at least 156 people in the valley."))
    assert (fact.value, fact.unit, fact.qualifier) == (156, "count", "at least")
    assert "people" in fact.about and fact.text == "at least 156 people"


def test_spelled_scale_with_article(facts_of):
    fact = only(facts_of("The agency recorded slightly more than a thousand complaints."))
    assert (fact.value, fact.qualifier) == (1000, "slightly more than")


def test_elliptical_count_borrows_the_parallel_noun(facts_of):
    facts = facts_of("Inspectors logged 420 violations in the north, and almost 310 in the south.")
    assert [f.value for f in facts] == [420, 310]
    assert "violations" in facts[1].about and facts[1].qualifier == "almost"


def test_vague_plural_is_its_lower_bound(facts_of):
    fact = only(facts_of("The factory has shipped hundreds of turbines to the coast."))
    assert (fact.value, fact.qualifier, fact.about) == (100, "hundreds of", "turbines")


@pytest.mark.parametrize("text, value", [
    ("Two thirds of the budget went to schools.", 2 / 3),
    ("One third of the staff joined the strike.", 1 / 3),
    ("Half of the members voted against the plan.", 0.5),
])
def test_fractions(facts_of, text, value):
    fact = only(facts_of(text))
    assert fact.unit == "fraction" and fact.value == pytest.approx(value)


def test_duration(facts_of):
    fact = only(facts_of("The island has been under a blockade for more than 40 years."))
    assert (fact.value, fact.unit, fact.qualifier) == (40, "years", "more than")
    assert "blockade" in fact.about


def test_period_from_the_clause(facts_of):
    fact = only(facts_of("In 2021, bilateral trade exceeded $7 billion."))
    assert fact.period == "2021" and fact.about == "bilateral trade"


def test_range_period_keeps_its_preposition(facts_of):
    fact = only(facts_of("From March 2020 to May 2021, 9,400 permits were issued to farmers."))
    assert fact.period.startswith("From March 2020") and fact.value == 9400


def test_offsets_and_ids(facts_of):
    text = "Last week the port handled 1,250 containers and 3,100 tonnes of fruit."
    facts = facts_of(text)
    assert [f.fact_id for f in facts] == ["t:f0", "t:f1"]
    for f in facts:
        assert text[f.evidence["start"]:f.evidence["end"]] == f.text
    assert facts[1].unit == "tonnes"


@pytest.mark.parametrize("text", [
    "The treaty was signed on October 11, 1979, in Vienna.",
    "In 2023 the two countries met for the first time.",
    "The army bought S-400 systems, Su-35 jets and Mi-26 helicopters.",
    "Leaders of the G20 discussed the F-16 deliveries.",
    "The council cited UN Resolution 2231 in its letter.",
    "It is one of the few countries that kept its embassy open.",
    "The two sides agreed to meet again.",
    "Both navies used one-way attack drones.",
    "The war ended 40 years ago.",
    "The talks resumed at 10:30 on Monday.",
])
def test_not_facts(facts_of, text):
    assert facts_of(text) == [], text


def test_list_numbering_is_not_a_count(facts_of):
    assert facts_of("3. The committee will publish its report.") == []


def test_three_or_more_spelled_countries_is_a_count(facts_of):
    fact = only(facts_of("Three countries joined the pact."))
    assert (fact.value, fact.unit) == (3, "count")


def test_phone_numbers_are_not_facts(facts_of):
    assert facts_of("Call the office on 202-555-0143 before noon.") == []


def test_abbreviated_scale_after_currency(facts_of):
    fact = only(facts_of("The lender approved $3bn for the railway."))
    assert (fact.value, fact.unit) == (3e9, "USD")


def test_hyphenated_duration(facts_of):
    fact = only(facts_of("They signed a 25-year lease on the port."))
    assert (fact.value, fact.unit) == (25, "years") and "lease" in fact.about


def test_an_age_is_not_a_fact(facts_of):
    found = facts_of("A 34-year-old teacher signed a 10-year lease worth $5 million.")
    assert sorted((f.value, f.unit) for f in found) == [(10.0, "years"), (5000000.0, "USD")]
