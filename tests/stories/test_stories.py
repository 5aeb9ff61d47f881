"""Stories: cross-document linking, corroboration and disagreement, on hand-made multi-document examples."""
from __future__ import annotations

import duckdb
import pytest

from dyad import stories
from dyad.records import ActorRef, Document, Event, Extraction, Fact, Quote

RUS = ActorRef("Russia", "Russia", "RUS", actor_id="state:RUS")
IRN = ActorRef("Iran", "Iran", "IRN", actor_id="state:IRN")
ISR = ActorRef("Israel", "Israel", "ISR", actor_id="state:ISR")


def person(name: str, code: str) -> ActorRef:
    slug = name.lower().replace(" ", "-")
    return ActorRef(name, name, code, sector="GOV", actor_id=f"person:{slug}", kind="person")


PUTIN, PEZESHKIAN = person("Vladimir Putin", "RUS"), person("Masoud Pezeshkian", "IRN")
BELOUSOV, NASIRZADEH = person("Andrei Belousov", "RUS"), person("Aziz Nasirzadeh", "IRN")
LAVROV, ARAGHCHI = person("Sergei Lavrov", "RUS"), person("Abbas Araghchi", "IRN")
SHOIGU, AHMADIAN = person("Sergei Shoigu", "RUS"), person("Ali Akbar Ahmadian", "IRN")


def doc(doc_id: str, published: str | None, outlet: str | None) -> Document:
    return Document(id=doc_id, text="", published=published, outlet=outlet)


def event(doc_id: str, n: int, type_: str, actors, recipients=(), date=None, date_text="said date",
          mode=None, location=None, text="", attribution=None, aux=None, context=(), rule=None) -> Event:
    precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""))
    return Event(event_id=f"{doc_id}:e{n}", doc_id=doc_id, type=type_, mode=mode, context=list(context),
                 actors=list(actors), recipients=list(recipients), date=date, date_text=date_text if date else None,
                 location=location, aux=aux, attribution=attribution,
                 evidence={"text": text, "start": 0, "end": len(text)}, score=0.0, confidence=1.0,
                 date_precision=precision, rule=rule)


def extraction(document: Document, events=(), quotes=(), facts=()) -> Extraction:
    return Extraction(document=document, events=list(events), quotes=list(quotes), facts=list(facts))


@pytest.fixture()
def con():
    connection = duckdb.connect(":memory:")
    yield connection
    connection.close()


def link_all(con, *extractions):
    for x in extractions:
        stories.link_extraction(con, x)
    return {e.event_id: e.story_id for x in extractions for e in x.events}


def same(ids, a, b):
    return ids[a] == ids[b]


def reports_link(con, published_a: str, a: dict, published_b: str, b: dict) -> bool:
    """Whether two outlets' one-event reports (event fields in `a` and `b`) link into one story."""
    first = extraction(doc("a", published_a, "A"), [event("a", 1, **a)])
    second = extraction(doc("b", published_b, "B"), [event("b", 1, **b)])
    return same(link_all(con, first, second), "a:e1", "b:e1")


# ---------- linking ----------

def test_one_summit_meeting_told_by_two_outlets_is_one_story(con):
    a = extraction(doc("a", "2024-10-23", "Outlet A"), [event(
        "a", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", mode="multilateral", location="Kazan",
        text="Putin sat down with Pezeshkian in Kazan on the margins of the summit.")])
    b = extraction(doc("b", "2024-10-24", "Outlet B"), [event(
        "b", 1, "CONSULT", [PEZESHKIAN], [PUTIN], date="2024-10-23", mode="meeting", location="Kazan",
        text="The Iranian leader held talks with his Russian host in Kazan on Wednesday.")])
    ids = link_all(con, a, b)
    assert same(ids, "a:e1", "b:e1")
    story = stories.get_story(con, ids["a:e1"])
    assert story["documents"] == 2 and story["independent_sources"] == 2
    assert story["first_report"] == "2024-10-23" and story["last_report"] == "2024-10-24"
    assert story["date"] == "2024-10-23" and story["location"] == "Kazan"
    assert story["links"] and any("same day" in r for r in story["links"][0]["reasons"])


def test_caption_date_and_relative_date_in_text_link(con):
    body = extraction(doc("body", "2024-04-26", "Outlet A"), [event(
        "body", 1, "CONSULT", [AHMADIAN], [SHOIGU], date="2024-04-24", date_text="on Wednesday",
        location="St. Petersburg", text="Ahmadian was received by Shoigu in St. Petersburg on Wednesday.")])
    caption = extraction(doc("cap", "2024-04-27", "Outlet B"), [event(
        "cap", 1, "CONSULT", [SHOIGU, AHMADIAN], date="2024-04-24", date_text="April 24",
        text="Shoigu and Ahmadian pictured at their talks, April 24.")])
    ids = link_all(con, body, caption)
    assert same(ids, "body:e1", "cap:e1")


def test_explicit_dates_a_day_apart_do_not_link_without_strong_support(con):
    assert not reports_link(
        con, "2024-04-26", dict(type_="CONSULT", actors=[RUS, IRN], date="2024-04-24", text="Officials held consultations."),
        "2024-04-26", dict(type_="CONSULT", actors=[RUS, IRN], date="2024-04-25", text="Delegations discussed energy."))


def test_publication_date_fallback_may_be_one_day_off(con):
    a = extraction(doc("a", "2024-10-22", "A"), [event("a", 1, "AGREE", [RUS], [IRN], date="2024-10-22",
                                                      text="Peskov promised deeper cooperation with Tehran.")])
    b = extraction(doc("b", "2024-10-23", "B"), [event("b", 1, "AGREE", [RUS], [IRN], date="2024-10-23",
                                                      date_text=None,
                                                      text="The Kremlin promised deeper cooperation with Tehran.")])
    ids = link_all(con, a, b)
    assert same(ids, "a:e1", "b:e1")
    story = stories.get_story(con, ids["a:e1"])
    assert story["date"] == "2024-10-22"  # the explicit date outweighs the publication-date fallback
    assert story["disagreements"][0]["field"] == "date"


def test_summit_meeting_and_phone_call_stay_apart(con):
    talks = dict(type_="CONSULT", actors=[BELOUSOV, NASIRZADEH], date="2024-10-23")
    assert not reports_link(
        con, "2024-10-24", dict(talks, mode="third-party", text="The two defence ministers met at the summit."),
        "2024-10-24", dict(talks, mode="phone", text="The two defence ministers spoke by telephone."))


def test_security_chiefs_april_and_september_meetings_stay_apart(con):
    april = extraction(doc("apr", "2024-04-26", "A"), [event(
        "apr", 1, "CONSULT", [AHMADIAN], [RUS], date="2024-04-24", location="St. Petersburg",
        text="Ahmadian visited St. Petersburg for a security forum.")])
    september = extraction(doc("sep", "2024-09-13", "B"), [event(
        "sep", 1, "CONSULT", [AHMADIAN], [RUS], date="2024-09-12", location="St. Petersburg",
        text="Ahmadian visited St. Petersburg for a security forum.")])
    ids = link_all(con, april, september)
    assert not same(ids, "apr:e1", "sep:e1")


def test_same_day_meetings_of_different_people_stay_apart(con):
    leaders = extraction(doc("l", "2024-10-23", "A"), [event(
        "l", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", location="Kazan", text="The presidents met.")])
    ministers = extraction(doc("f", "2024-10-23", "B"), [event(
        "f", 1, "CONSULT", [LAVROV, ARAGHCHI], date="2024-10-23", location="Kazan", text="The ministers met.")])
    ids = link_all(con, leaders, ministers)
    assert not same(ids, "l:e1", "f:e1")


def test_events_of_one_document_never_link_to_each_other(con):
    one = extraction(doc("one", "2024-10-23", "A"), [
        event("one", 1, "CONSULT", [RUS, IRN], date="2024-10-23", text="The leaders met in Kazan."),
        event("one", 2, "CONSULT", [RUS, IRN], date="2024-10-23", text="The leaders met in Kazan.")])
    ids = link_all(con, one)
    assert not same(ids, "one:e1", "one:e2")


def test_month_precision_matches_a_day_in_that_month_not_another_month(con):
    day = extraction(doc("d", "2024-10-02", "A"), [event("d", 1, "ASSAULT", [IRN], [ISR], date="2024-10-01",
                                                        text="Iran fired missiles at Israel.")])
    month = extraction(doc("m", "2024-10-22", "B"), [event("m", 1, "ASSAULT", [IRN], [ISR], date="2024-10",
                                                          text="Iran's missile strike on Israel this month.")])
    other = extraction(doc("o", "2024-10-22", "C"), [event("o", 1, "ASSAULT", [IRN], [ISR], date="2024-04",
                                                          text="Iran's drone strike on Israel in April.")])
    ids = link_all(con, day, month, other)
    assert same(ids, "d:e1", "m:e1")
    assert not same(ids, "d:e1", "o:e1")


def test_undated_reports_link_only_on_type_direction_and_shared_words(con):
    a = extraction(doc("a", "2024-04-26", "A"), [
        event("a", 1, "AID", [IRN], [RUS], text="Tehran has shipped attack drones and ballistic missiles to Moscow."),
        event("a", 2, "AGREE", [RUS], [IRN], text="Moscow vowed to stand by Tehran.")])
    b = extraction(doc("b", "2024-10-22", "B"), [
        event("b", 1, "AID", [IRN], [RUS], text="Western officials say Iran sent drones and ballistic missiles."),
        event("b", 2, "AID", [RUS], [IRN], text="Russia is said to have sent drones and ballistic missiles."),
        event("b", 3, "AGREE", [RUS], [IRN], text="Officials pledged to widen banking links.")])
    ids = link_all(con, a, b)
    assert same(ids, "a:e1", "b:e1")
    assert not same(ids, "a:e1", "b:e2")  # the other direction is another happening
    assert not same(ids, "a:e2", "b:e3")  # nothing in common beyond type and participants


def test_a_third_document_joins_the_existing_story_incrementally(con):
    docs = [extraction(doc(d, "2024-10-23", f"Outlet {d}"), [event(
        d, 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", location="Kazan", text="The presidents met.")])
        for d in ("a", "b", "c")]
    ids = link_all(con, *docs)
    assert len(set(ids.values())) == 1
    assert stories.get_story(con, ids["a:e1"])["documents"] == 3


def test_relinking_a_document_replaces_its_rows(con):
    a = extraction(doc("a", "2024-10-23", "A"), [event("a", 1, "CONSULT", [RUS, IRN], date="2024-10-23",
                                                      text="The leaders met.")])
    b = extraction(doc("b", "2024-10-23", "B"), [event("b", 1, "CONSULT", [RUS, IRN], date="2024-10-23",
                                                      text="The leaders met.")])
    link_all(con, a, b)
    link_all(con, b)
    story = stories.get_story(con, b.events[0].story_id)
    assert story["documents"] == 2 and len(story["members"]) == 2
    assert con.execute("SELECT count(*) FROM story_index WHERE is_primary").fetchone()[0] == 2


def test_story_id_is_written_back_to_an_events_table(con):
    con.execute("CREATE TABLE events (event_id VARCHAR, story_id VARCHAR)")
    a = extraction(doc("a", "2024-10-23", "A"), [event("a", 1, "CONSULT", [RUS, IRN], date="2024-10-23")])
    con.execute("INSERT INTO events VALUES ('a:e1', NULL)")
    stories.link_extraction(con, a)
    assert con.execute("SELECT story_id FROM events").fetchone()[0] == a.events[0].story_id is not None


# ---------- corroboration ----------

def test_report_attributed_to_another_outlet_is_not_independent(con):
    cnbc = extraction(doc("c", "2024-10-22", "CNBC"), [event("c", 1, "AGREE", [RUS], [IRN], date="2024-10-22",
                                                            text="Peskov said cooperation with Iran will grow.")])
    other = extraction(doc("o", "2024-10-23", "Daily Other"), [event(
        "o", 1, "AGREE", [RUS], [IRN], date="2024-10-22", attribution="CNBC",
        text="Peskov said cooperation with Iran will grow, as confirmed to CNBC.")])
    third = extraction(doc("t", "2024-10-23", "Third Post"), [event(
        "t", 1, "AGREE", [RUS], [IRN], date="2024-10-22", text="Peskov said cooperation with Iran will grow.")])
    ids = link_all(con, cnbc, other, third)
    story = stories.get_story(con, ids["c:e1"])
    assert story["documents"] == 3 and len(story["outlets"]) == 3
    assert story["independent_sources"] == 2


def test_story_rows_put_the_largest_story_first(con):
    big = [extraction(doc(d, "2024-10-23", d), [event(d, 1, "CONSULT", [RUS, IRN], date="2024-10-23",
                                                      text="The leaders met.")]) for d in ("a", "b")]
    small = extraction(doc("c", "2024-10-23", "c"), [event("c", 1, "ASSAULT", [IRN], [ISR], date="2024-10-01")])
    link_all(con, *big, small)
    rows = stories.story_rows(con)
    assert [r["documents"] for r in rows] == [2, 1]
    assert {m["event_id"] for m in rows[0]["members"]} == {"a:e1", "b:e1"}


# ---------- quotes ----------

def quote(doc_id: str, n: int, text: str, speaker: ActorRef) -> Quote:
    return Quote(quote_id=f"{doc_id}:q{n}", doc_id=doc_id, text=text, speaker=speaker,
                 evidence={"start": 0, "end": len(text)})


PESKOV = person("Dmitry Peskov", "RUS")


def test_one_quotation_in_two_translations_is_one_quote_story(con):
    a = extraction(doc("a", "2024-10-22", "CNBC"), quotes=[
        quote("a", 1, "We are expanding our ties with Tehran in many fields and will keep doing so.", PESKOV)])
    b = extraction(doc("b", "2024-10-23", "Other"), quotes=[
        quote("b", 1, "We are expanding our ties with Tehran in various fields and will keep doing so.", PESKOV),
        quote("b", 2, "We are expanding our ties with Tehran in many fields and will keep doing so.", LAVROV)])
    link_all(con, a, b)
    assert a.quotes[0].story_id == b.quotes[0].story_id
    assert b.quotes[1].story_id != a.quotes[0].story_id  # another speaker
    story = stories.get_story(con, a.quotes[0].story_id)
    assert story["kind"] == "quote" and story["documents"] == 2


def test_different_quotations_of_one_speaker_stay_apart(con):
    a = extraction(doc("a", "2024-10-22", "A"), quotes=[quote("a", 1, "Our partnership is not aimed at anyone.",
                                                               PESKOV)])
    b = extraction(doc("b", "2024-10-22", "B"), quotes=[quote("b", 1, "The summit agenda is long and busy this year.",
                                                               PESKOV)])
    link_all(con, a, b)
    assert a.quotes[0].story_id != b.quotes[0].story_id


# ---------- disagreement ----------

def test_reports_of_one_meeting_with_different_dates_are_flagged_with_both_sources(con):
    a = extraction(doc("a", "2024-10-24", "A"), [event(
        "a", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-22", location="Kazan",
        text="Putin hosted Pezeshkian for talks in Kazan about the transport corridor.")])
    b = extraction(doc("b", "2024-10-24", "B"), [event(
        "b", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", location="Kazan",
        text="Putin hosted Pezeshkian for talks in Kazan about the transport corridor.")])
    ids = link_all(con, a, b)
    assert same(ids, "a:e1", "b:e1")
    flagged = stories.get_story(con, ids["a:e1"])["disagreements"]
    assert flagged and flagged[0]["field"] == "date"
    assert {v["sources"][0]["doc_id"] for v in flagged[0]["values"]} == {"a", "b"}


def fact(doc_id: str, n: int, value: float, about: str, text: str, period=None, unit="percent") -> Fact:
    return Fact(fact_id=f"{doc_id}:f{n}", doc_id=doc_id, value=value, unit=unit, about=about, text=text,
                period=period, evidence={"start": 0, "end": len(text)})


def test_trade_figures_that_disagree_are_flagged_with_both_sources(con):
    a = extraction(doc("a", "2024-10-23", "A"), facts=[
        fact("a", 1, 12.4, "growth of Russia-Iran trade", "trade grew 12.4%", period="2023")])
    b = extraction(doc("b", "2024-10-23", "B"), facts=[
        fact("b", 1, 17, "decline in Iran's trade with Russia", "a 17% drop", period="2023"),
        fact("b", 2, 26, "decline in Iran's trade with India", "a 26% drop", period="2023")])
    link_all(con, a, b)
    found = stories.fact_disagreements(con)
    assert len(found) == 1
    values = {v["value"]: v["sources"][0]["doc_id"] for v in found[0]["values"]}
    assert values == {12.4: "a", -17.0: "b"}


def test_agreeing_figures_and_other_periods_are_not_flagged(con):
    a = extraction(doc("a", "2024-10-23", "A"), facts=[
        fact("a", 1, 4e9, "Russia-Iran trade", "$4 billion", period="2023", unit="USD"),
        fact("a", 2, 5e9, "Russia-Iran trade", "$5 billion", period="2022", unit="USD")])
    b = extraction(doc("b", "2024-10-23", "B"), facts=[
        fact("b", 1, 4.05e9, "trade between Iran and Russia", "about $4 billion", period="2023", unit="USD")])
    link_all(con, a, b)
    assert stories.fact_disagreements(con) == []


# ---------- through the store ----------

def test_linking_runs_through_the_store(tmp_path):
    from dyad.store import Store

    store = Store(str(tmp_path / "s.duckdb"))
    docs = [extraction(doc(d, "2024-10-23", f"Outlet {d}"), [event(
        d, 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", location="Kazan", text="The presidents met.")])
        for d in ("a", "b")]
    for x in docs:
        store.save(x)
    rows = stories.story_rows(store.connection)
    assert rows[0]["documents"] == 2
    ids = {r[0] for r in store.connection.execute("SELECT story_id FROM events").fetchall()}
    assert len(ids) == 1 and None not in ids


# ---------- weakly dated reports ----------

def test_undated_mention_links_to_the_dated_caption_by_its_people(con):
    caption = extraction(doc("cap", "2024-10-24", "A"), [event(
        "cap", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", location="Kazan",
        text="Pezeshkian and Putin shake hands in Kazan, October 23.")])
    body = extraction(doc("body", "2024-10-23", "B"), [event(
        "body", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", date_text=None,
        text="The two leaders praised their ties at the talks.")])
    ids = link_all(con, caption, body)
    assert same(ids, "cap:e1", "body:e1")


def test_publication_date_fallback_does_not_reach_a_meeting_weeks_earlier(con):
    earlier = extraction(doc("e", "2024-10-12", "A"), [event(
        "e", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-11", location="Ashgabat", text="They met.")])
    later = extraction(doc("l", "2024-10-23", "B"), [event(
        "l", 1, "CONSULT", [PUTIN, PEZESHKIAN], date="2024-10-23", date_text=None, text="They met.")])
    ids = link_all(con, earlier, later)
    assert not same(ids, "e:e1", "l:e1")


def test_two_publication_day_fallbacks_need_more_than_the_same_day(con):
    fallback = dict(type_="AGREE", actors=[IRN], date="2024-10-23", date_text=None)
    assert not reports_link(con, "2024-10-23", dict(fallback, text="Tehran proposed a new security commission."),
                            "2024-10-23", dict(fallback, text="The central bank chief backed a payment system."))


def test_one_shared_leader_is_not_enough_when_the_other_side_differs(con):
    received = dict(type_="CONSULT", actors=[PUTIN], date="2024-10-22")
    assert not reports_link(
        con, "2024-10-22", dict(received, recipients=[AHMADIAN], text="Putin received the security chief."),
        "2024-10-22", dict(received, recipients=[PEZESHKIAN], text="Putin received the president."))


def test_a_promise_with_future_aux_links_to_the_reported_pledge_but_not_to_a_denial(con):
    a = extraction(doc("a", "2024-10-22", "A"), [event(
        "a", 1, "AGREE", [RUS], [IRN], aux="future", text="Moscow will not abandon Tehran amid threats of retaliation.")])
    b = extraction(doc("b", "2024-10-23", "B"), [event(
        "b", 1, "AGREE", [RUS], [IRN], text="Moscow made clear it will not abandon Tehran amid threats of retaliation.")])
    c = extraction(doc("c", "2024-10-23", "C"), [event(
        "c", 1, "AGREE", [RUS], [IRN], aux="negation",
        text="Moscow will not abandon Tehran amid threats of retaliation, officials denied.")])
    ids = link_all(con, a, b, c)
    assert same(ids, "a:e1", "b:e1")
    assert not same(ids, "a:e1", "c:e1")


def test_evidence_naming_another_outlet_of_the_story_is_not_independent(con):
    cnbc = extraction(doc("c", "2024-10-22", "CNBC"), [event("c", 1, "CONSULT", [RUS, IRN], date="2024-10-22",
                                                            text="Officials met, the spokesman said.")])
    other = extraction(doc("o", "2024-10-23", "Daily Other"), [event(
        "o", 1, "CONSULT", [RUS, IRN], date="2024-10-22", text="Officials met, the spokesman told CNBC.")])
    ids = link_all(con, cnbc, other)
    assert stories.get_story(con, ids["c:e1"])["independent_sources"] == 1


def test_a_fact_takes_its_measure_from_its_sentence_when_its_own_words_lack_it(con):
    text_a = "Trade between Russia and Iran grew by 9% last year."
    text_b = "Trade between Russia and Iran fell by 4% last year."
    a = extraction(Document(id="a", text=text_a, published="2024-10-23", outlet="A"), facts=[
        fact("a", 1, 9, "growth", "9%", period="2023")])
    b = extraction(Document(id="b", text=text_b, published="2024-10-23", outlet="B"), facts=[
        fact("b", 1, 4, "fall", "4%", period="2023")])
    a.facts[0].evidence = {"start": text_a.index("9%"), "end": text_a.index("9%") + 2}
    b.facts[0].evidence = {"start": text_b.index("4%"), "end": text_b.index("4%") + 2}
    link_all(con, a, b)
    found = stories.fact_disagreements(con)
    assert [sorted(v["value"] for v in f["values"]) for f in found] == [[-4.0, 9.0]]


# ---------- standing situations, news cycles, bridging reports ----------

def fallback(doc_id: str, n: int, type_: str, actors, recipients=(), published="2024-10-22", **kw) -> Event:
    """An event whose only date is its document's publication day."""
    return event(doc_id, n, type_, actors, recipients, date=published, date_text=None, **kw)


def arms_report(doc_id: str, published: str | None, text: str, **kw) -> Extraction:
    dated = dict(published=published) if published else dict(date=None)
    maker = fallback if published else event
    return extraction(doc(doc_id, published, f"Outlet {doc_id}"), [maker(
        doc_id, 1, "AID", [IRN], [RUS], text=text, context=kw.pop("context", ["military"]), **dated, **kw)])


def test_an_undated_arms_supply_told_months_apart_is_one_standing_story(con):
    spring = arms_report("spr", "2024-04-26", "Tehran has sold its drone designs to Moscow.")
    autumn = arms_report("aut", "2024-10-23", "Iran has shipped drones and rockets to Russia, officials say.")
    undated = arms_report("und", None, "Iran is said to have handed rockets to the Russian army.")
    link_all(con, spring, undated, autumn)  # a document with no date at all is found by later reports
    ids = dict(con.execute("SELECT event_id, story_id FROM story_index WHERE is_primary").fetchall())
    assert same(ids, "spr:e1", "aut:e1") and same(ids, "aut:e1", "und:e1")
    reasons = [r for link in stories.get_story(con, ids["aut:e1"])["links"] for r in link["reasons"]]
    assert any(r.startswith("standing situation") for r in reasons)


def test_standing_reports_need_a_shared_context(con):
    arms = arms_report("a", "2024-04-26", "Tehran has sold drones to Moscow.")
    grain = arms_report("b", "2024-10-23", "Tehran has sold drones and grain to Moscow.", context=["economic"])
    ids = link_all(con, arms, grain)
    assert not same(ids, "a:e1", "b:e1")


def test_background_war_mentioned_in_passing_is_not_one_story(con):
    a = extraction(doc("a", "2024-04-26", "A"), [fallback(
        "a", 1, "ASSAULT", [RUS], [ISR], published="2024-04-26", context=["military"], rule="n.attack",
        text="The talks came amid the war of Russia against Israel in the north.")])
    b = extraction(doc("b", "2024-10-22", "B"), [fallback(
        "b", 1, "ASSAULT", [RUS], [ISR], context=["military"], rule="n.attack",
        text="The meeting took place against the background of the war in the north.")])
    c = extraction(doc("c", "2024-10-23", "C"), [fallback(
        "c", 1, "ASSAULT", [RUS], [ISR], published="2024-10-23", context=["military"], aux="historical",
        text="Russia attacked Israel in the north years ago.")])
    ids = link_all(con, a, b, c)
    assert len({ids["a:e1"], ids["b:e1"], ids["c:e1"]}) == 3


def test_a_meeting_is_not_a_standing_situation(con):
    a = extraction(doc("a", "2024-04-26", "A"), [fallback(
        "a", 1, "CONSULT", [RUS], [IRN], published="2024-04-26", context=["military"],
        text="Defence officials held talks on drone production.")])
    b = extraction(doc("b", "2024-10-22", "B"), [fallback(
        "b", 1, "CONSULT", [RUS], [IRN], context=["military"], text="Defence officials discussed drone production.")])
    ids = link_all(con, a, b)
    assert not same(ids, "a:e1", "b:e1")


def test_explicit_different_months_keep_a_standing_type_apart(con):
    april = extraction(doc("a", "2024-04-30", "A"), [event(
        "a", 1, "AID", [IRN], [RUS], date="2024-04", date_text="in April", context=["military"],
        text="In April Iran delivered drones to Russia.")])
    september = extraction(doc("s", "2024-09-30", "B"), [event(
        "s", 1, "AID", [IRN], [RUS], date="2024-09", date_text="in September", context=["military"],
        text="In September Iran delivered drones to Russia.")])
    ids = link_all(con, april, september)
    assert not same(ids, "a:e1", "s:e1")


def test_one_pledge_reported_by_two_outlets_in_one_news_cycle_is_one_story(con):
    a = extraction(doc("a", "2024-10-23", "A"), [fallback(
        "a", 1, "AGREE", [IRN, RUS], published="2024-10-23", text="The leaders vowed ever closer partnership.")])
    b = extraction(doc("b", "2024-10-23", "B"), [fallback(
        "b", 1, "AGREE", [IRN, RUS], published="2024-10-23", text="Tehran and Moscow pledge a closer partnership.")])
    plan = extraction(doc("c", "2024-10-23", "C"), [fallback(
        "c", 1, "AGREE", [IRN, RUS], published="2024-10-23", aux="future", text="A treaty is expected soon.")])
    other = extraction(doc("d", "2024-10-23", "D"), [fallback(
        "d", 1, "AGREE", [IRN, RUS], published="2024-10-23", text="Both sides promise to keep talking.")])
    ids = link_all(con, a, b, plan, other)
    assert same(ids, "a:e1", "b:e1")
    assert not same(ids, "a:e1", "c:e1")  # nothing in common and a different aux: another act
    assert not same(ids, "a:e1", "d:e1")  # another promise the same day, with no word in common


def test_a_report_that_bridges_two_stories_merges_them(tmp_path):
    first = arms_report("a", "2024-04-26", "Tehran has sold drone designs to Moscow.")
    second = arms_report("b", "2024-05-20", "Iran is said to have shipped rockets to Russia.")
    bridge = arms_report("c", "2024-10-23", "Iran has shipped drones and rockets to Russia.")
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute("CREATE TABLE events (event_id VARCHAR, story_id VARCHAR)")
    ids = link_all(con, first, second)
    assert not same(ids, "a:e1", "b:e1")
    con.executemany("INSERT INTO events VALUES (?, ?)", [[k, v] for k, v in ids.items()])
    link_all(con, bridge)
    con.execute("INSERT INTO events VALUES (?, ?)", ["c:e1", bridge.events[0].story_id])
    stored = dict(con.execute("SELECT event_id, story_id FROM events").fetchall())
    assert len(set(stored.values())) == 1
    assert stories.get_story(con, stored["a:e1"])["documents"] == 3


def test_a_bridge_never_puts_two_reports_of_one_document_in_a_story(con):
    a = arms_report("a", "2024-04-26", "Tehran has sold drone designs to Moscow.")
    b = extraction(doc("b", "2024-05-20", "B"), [
        fallback("b", 1, "AID", [IRN], [RUS], published="2024-05-20", context=["military"],
                 text="Iran is said to have shipped rockets to Russia."),
        fallback("b", 2, "AID", [IRN], [RUS], published="2024-05-20", context=["military"],
                 text="Iran also sent drone engineers to Russia.")])
    bridge = arms_report("c", "2024-10-23", "Iran has shipped drones and rockets to Russia.")
    link_all(con, a, b, bridge)
    by_story = con.execute("SELECT story_id, count(*), count(DISTINCT doc_id) FROM story_index WHERE is_primary "
                           "GROUP BY story_id").fetchall()
    assert all(n == docs for _, n, docs in by_story)


def test_different_promises_on_consecutive_publication_days_stay_apart(con):
    a = extraction(doc("a", "2024-10-22", "A"), [fallback(
        "a", 1, "AGREE", [RUS], [IRN], aux="future", text="Moscow will stand by Tehran.")])
    b = extraction(doc("b", "2024-10-23", "B"), [fallback(
        "b", 1, "AGREE", [RUS], [IRN], published="2024-10-23", aux="future", text="A treaty is to be signed soon.")])
    ids = link_all(con, a, b)
    assert not same(ids, "a:e1", "b:e1")
