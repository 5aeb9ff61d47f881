"""The events stage (the codebook's rules), through the pipeline's stages without the learned stage after it,
on sentences written for these tests. The learned stage, which may drop a rule event its model is confident
against and add others, has its own tests (tests/test_learn.py)."""
from __future__ import annotations

import pytest

from dyad.records import Document


@pytest.fixture(scope="module")
def code(rules_only):
    """code(text, published=...) -> the rule events of a one-paragraph document."""
    pipeline = rules_only

    def _code(text: str, published: str | None = "2025-03-12", doc_id: str = "t"):
        return pipeline.extract(Document(id=doc_id, text=text, published=published)).events
    return _code


def only(events, plover_type):
    found = [e for e in events if e.type == plover_type]
    assert len(found) == 1, [(e.type, e.rule) for e in events]
    return found[0]


def codes(refs):
    return sorted(r.code for r in refs if r.code)


def parties(event):
    """(actor codes, recipient codes) of an event."""
    return codes(event.actors), codes(event.recipients)


def test_signing_is_support_and_compound_actors_make_one_event(code):
    events = code("Chile and Peru signed a fisheries treaty in Lima on Monday.")
    event = only(events, "SUPPORT")
    assert codes(event.actors) == ["CHL", "PER"] and event.recipients == []
    assert event.symmetric and event.rule == "support.sign"
    assert (event.date, event.date_precision, event.date_text) == ("2025-03-10", "day", "on Monday")
    assert event.location == "Lima"


def test_a_promised_signing_is_agree_with_aux_future(code):
    event = only(code("Chile and Peru will sign a fisheries treaty next month."), "AGREE")
    assert event.aux == "future" and event.rule.startswith("support.sign>")
    assert (event.date, event.date_precision) == ("2025-04", "month")


def test_a_planned_meeting_is_agree_dated_forward(code):
    event = only(code("Colombia and Ecuador will hold talks in Quito on Friday."), "AGREE")
    assert event.date == "2025-03-14", "a future Friday, not the past one"


def test_light_verb_and_counterpart(code):
    event = only(code("Japan's foreign minister held talks with his South Korean counterpart in Seoul."), "CONSULT")
    assert codes(event.actors) == ["JPN"] and codes(event.recipients) == ["KOR"]


def test_negated_attendance_keeps_its_type_marked_negation(code):
    event = only(code("The Brazilian president did not attend the summit in Lisbon."), "CONSULT")
    assert event.aux == "negation" and codes(event.actors) == ["BRA"]


def test_refusing_is_reject_but_refusing_to_comment_is_no_event(code):
    assert only(code("Hungary refused to join the mission."), "REJECT").rule == "reject.refuse"
    assert code("Hungary refused to comment on the mission.") == []


def test_an_accusation_and_the_alleged_act(code):
    events = code("Morocco accused Algeria of arming separatist fighters.")
    accuse = only(events, "ACCUSE")
    assert codes(accuse.actors) == ["MAR"] and codes(accuse.recipients) == ["DZA"]
    alleged = [e for e in events if e.alleged]
    assert len(alleged) == 1 and codes(alleged[0].actors) == ["DZA"], "the accused is the doer of the alleged act"


def test_passive_with_agent(code):
    event = only(code("Sanctions were imposed on Belarus by the European Union on Friday.", "2025-03-14"), "SANCTION")
    assert codes(event.actors) == ["EU"] and codes(event.recipients) == ["BLR"]
    assert event.date == "2025-03-14", "a Friday story's 'on Friday' is that day"


def test_reported_obligation_is_a_request(code):
    event = only(code("Ghana said Togo must reopen the border crossing."), "REQUEST")
    assert codes(event.actors) == ["GHA"] and codes(event.recipients) == ["TGO"]


def test_a_promise_held_over_a_condition_is_a_threat(code):
    events = code("Pakistan will withdraw its ambassador from Kabul unless the Taliban hand over the suspects.")
    event = only(events, "THREATEN")
    assert codes(event.actors) == ["PAK"] and codes(event.recipients) == ["AFG"]
    assert all(e.type != "RETREAT" for e in events), "the condition is not reported as happening"


def test_readiness_to_give_is_agree(code):
    event = only(code("Egypt is ready to send food and medicine to Sudan."), "AGREE")
    assert codes(event.recipients) == ["SDN"] and "humanitarian" in event.context


def test_denial_is_reject_and_the_denied_act_is_not_reported(code):
    events = code("Tehran denied that it had supplied drones to Moscow.")
    assert [e.type for e in events] == ["REJECT"]
    assert codes(events[0].recipients) == ["RUS"]


@pytest.mark.parametrize("text, plover_type, actor, recipient", [
    ("Indian troops shelled Pakistani positions along the frontier.", "ASSAULT", "IND", "PAK"),
    ("Kenyan police arrested twelve Somali nationals in Nairobi.", "COERCE", "KEN", "SOM"),
    ("Armenia freed four Azerbaijani soldiers on Wednesday.", "RETREAT", "ARM", "AZE"),
    ("Canada praised Mexico for its response to the floods.", "SUPPORT", "CAN", "MEX"),
    ("Germany urged Serbia to recognise Kosovo.", "REQUEST", "DEU", "SRB"),
    ("Norway rejected Russia's proposal to share the fishing zone.", "REJECT", "NOR", "RUS"),
    ("Greece threatened to block Turkey's bid to join the bloc.", "THREATEN", "GRC", "TUR"),
    ("Ethiopia lifted sanctions on Eritrea.", "RETREAT", "ETH", "ERI"),
])
def test_directed_events(code, text, plover_type, actor, recipient):
    event = only(code(text), plover_type)
    assert parties(event) == ([actor], [recipient])
    assert event.evidence["text"] == text and event.evidence["start"] == 0 and event.evidence["end"] == len(text)


@pytest.mark.parametrize("text, recipient", [
    ("In a telephone call to Kishida, Scholz said the trade plan would stay.", "JPN"),
    ("Macron made a video call to the Nigerian president on Monday.", "NGA"),
])
def test_a_call_made_to_someone_is_a_consultation_with_them(code, text, recipient):
    event = only(code(text), "CONSULT")
    assert codes(event.recipients) == [recipient] and event.mode == "phone"


def test_a_call_to_act_stays_an_appeal(code):
    event = only(code("Brazil issued a call to both parties to end the fighting."), "REQUEST")
    assert codes(event.actors) == ["BRA"]


@pytest.mark.parametrize("text, plover_type", [
    ("Vietnam deployed warships near the disputed islands.", "MOBILIZE"),
    ("Australia and Japan launched joint naval exercises off Darwin.", "COOPERATE"),
    ("The signing of the border accord by Bolivia and Paraguay drew praise.", "SUPPORT"),
    ("The Philippine government lifted the ban on opposition rallies.", "CONCEDE"),
])
def test_undirected_events(code, text, plover_type):
    event = only(code(text), plover_type)
    assert event.actors and event.confidence > 0


def test_leaving_is_a_withdrawal_but_leaving_people_dead_is_not(code):
    assert only(code("Chadian troops left the border town of Adre on Friday."), "RETREAT").rule == "retreat.leave-place"
    event = only(code("French troops left Mali in August."), "RETREAT")
    assert codes(event.actors) == ["FRA"] and codes(event.recipients) == ["MLI"]
    for text in ("Sudanese militias left nine Chadian soldiers dead on Friday.",
                 "Clashes between Kyrgyz and Tajik guards forced villagers to leave their homes."):
        assert "RETREAT" not in [e.type for e in code(text)], text


def test_a_verb_joined_to_a_call_addresses_the_same_partner(code):
    events = code("Turkey's president spoke by phone with his Azerbaijani counterpart and urged calm.")
    request = only(events, "REQUEST")
    assert codes(request.actors) == ["TUR"] and codes(request.recipients) == ["AZE"]


def test_similar_measures_fall_on_the_side_the_last_ones_did(code):
    text = ("Japan imposed asset freezes and travel bans on six Myanmar generals on Monday. "
            "Australia announced similar measures the same day.")
    sanctions = [e for e in code(text) if e.type == "SANCTION"]
    assert sorted((codes(e.actors)[0], codes(e.recipients)[0]) for e in sanctions) == [("AUS", "MMR"), ("JPN", "MMR")]


def test_offering_to_host_is_an_offer_not_a_gift(code):
    events = code("Qatar offered to host talks between Ethiopia and Eritrea.")
    assert "AID" not in [e.type for e in events] and only(events, "AGREE").actors[0].code == "QAT"


@pytest.mark.parametrize("text, plover_type, actor", [
    ("Hundreds rallied in Tbilisi against the new media law.", "PROTEST", "GEO"),  # the people of the place
    ("Nurses staged a sit-in outside the health ministry in Accra.", "PROTEST", "GHA"),  # "sit-in": three tokens
    ("Ghana and Togo share intelligence on cross-border smuggling.", "COOPERATE", "GHA"),  # "share" read as a noun
    ("Greek and Italian coast guards searched the sea for the missing boat together.", "COOPERATE", "GRC"),
    ("The junta in Guinea handed power to an elected civilian government.", "CONCEDE", "GIN"),
    ("Pakistan test-fired a cruise missile over the Arabian Sea.", "MOBILIZE", "PAK"),  # "test - fired"
    ("Poland and Sweden co-produced a new surveillance drone.", "COOPERATE", "POL"),
    ("Egypt paraded its new air-defence missiles in Cairo.", "MOBILIZE", "EGY"),
    ("Macron and Scholz spoke by phone about the budget row.", "CONSULT", "FRA"),  # two parties, no "with"
    ("Indonesia voiced support for Timor-Leste's bid to join ASEAN.", "SUPPORT", "IDN"),
    ("Russian missiles slammed into Odesa overnight.", "ASSAULT", "RUS"),  # not "slammed" as in criticised
    ("Belarusian agents were behind the sabotage of a Polish rail line.", "ASSAULT", "BLR"),  # the clause's doer
])
def test_readings_that_survive_tagger_slips_and_unnamed_crowds(code, text, plover_type, actor):
    event = only(code(text), plover_type)
    assert actor is None or actor in codes(event.actors)


def test_not_ruling_out_force_is_a_threat_but_not_ruling_out_talks_is_not(code):
    event = only(code("Azerbaijan did not rule out a ground offensive in Karabakh."), "THREATEN")
    assert codes(event.actors) == ["AZE"] and event.aux == "hypothetical"
    assert "THREATEN" not in [e.type for e in code("Azerbaijan did not rule out talks with Armenia.")]


def test_sending_a_single_warship_is_a_deployment(code):
    event = only(code("Italy sent a frigate to the Red Sea on Monday."), "MOBILIZE")
    assert codes(event.actors) == ["ITA"]


def test_previous_sentence_gives_the_date_to_a_past_report(code):
    text = "On Wednesday, Chile's foreign minister met her Argentine counterpart in Santiago. The two signed a water accord."
    events = code(text, "2025-03-14")
    assert {e.type: e.date for e in events} == {"CONSULT": "2025-03-12", "SUPPORT": "2025-03-12"}


def test_without_a_publication_date_relative_dates_stay_unresolved(code):
    event = only(code("Armenia freed four Azerbaijani soldiers on Wednesday.", None), "RETREAT")
    assert event.date is None


def test_one_happening_told_twice_is_one_event(code):
    text = "Chile and Peru sign fisheries treaty\nChile and Peru signed a fisheries treaty in Lima on Monday."
    signed = [e for e in code(text) if e.type == "SUPPORT"]
    assert len(signed) == 1
    assert signed[0].date_text == "on Monday", "the telling that states its date is kept"
    assert [r["text"] for r in signed[0].retold] == ["Chile and Peru sign fisheries treaty"]


def test_we_in_a_quotation_is_the_speaker_state(code):
    text = "\u201cWe are expanding cooperation with Brazil,\u201d said Indian Foreign Minister Subrahmanyam Jaishankar."
    event = only(code(text), "COOPERATE")
    assert codes(event.actors) == ["IND"] and codes(event.recipients) == ["BRA"]


def test_ids_are_stable_across_runs(code):
    text = "Indian troops shelled Pakistani positions along the frontier."
    assert [e.event_id for e in code(text, doc_id="x")] == [e.event_id for e in code(text, doc_id="x")]


def test_what_was_retaliated_for_ran_the_other_way(code):
    text = ("Armenia is facing the prospect of a strike by Azerbaijan in retaliation for a drone attack "
            "launched against its neighbour last week.")
    events = code(text)
    threat = only(events, "THREATEN")
    assert codes(threat.actors) == ["AZE"] and codes(threat.recipients) == ["ARM"]
    earlier = only(events, "ASSAULT")
    assert codes(earlier.actors) == ["ARM"] and codes(earlier.recipients) == ["AZE"]
    assert earlier.date == "2025-03", "'last week' belongs to the earlier attack's own clause"


def test_do_this_stands_for_the_event_just_told(code):
    text = ("\u201cWe are expanding cooperation with Brazil. We intend to do this further,\u201d "
            "said Indian Foreign Minister Subrahmanyam Jaishankar.")
    promise = only(code(text), "AGREE")
    assert promise.aux == "future" and codes(promise.actors) == ["IND"] and codes(promise.recipients) == ["BRA"]


def test_we_talked_means_the_speaker_and_the_one_they_met(code):
    text = ("Kenya's president and Tanzania's president met in Arusha on Monday. "
            "\u201cWe had a frank conversation about the border,\u201d the Kenyan president said.")
    talks = [e for e in code(text, "2025-03-12") if e.type == "CONSULT"]
    assert all(sorted(codes(e.actors) + codes(e.recipients)) == ["KEN", "TZA"] for e in talks)


def test_the_country_is_the_state_last_named(code):
    text = "Iran's oil exports fell sharply last year. Canadian sanctions have taken a toll on the country's economy."
    event = only(code(text), "SANCTION")
    assert codes(event.actors) == ["CAN"] and codes(event.recipients) == ["IRN"]


def test_a_verbless_headline_is_still_coded(code):
    event = only(code("Egypt, Greece stage joint naval drills off Crete"), "COOPERATE")
    assert codes(event.actors) == ["EGY", "GRC"] and event.rule.endswith(">headline")


def test_a_headline_infinitive_is_a_plan(code):
    """Headline shorthand "X to VERB" reports what is planned: aux future, and a planned visit is a promise
    (AGREE) like "will visit"; the same verb in a finite sentence is a fact."""
    sent = only(code("Brazil to send troops to Haiti mission"), "MOBILIZE")
    assert sent.aux == "future" and codes(sent.actors) == ["BRA"] and codes(sent.recipients) == ["HTI"]
    visit = only(code("Kenya's president to visit Ethiopia next week"), "AGREE")
    assert visit.aux == "future" and visit.rule.startswith("consult.visit>")
    talks = only(code("Turkey and Qatar to hold talks on Gaza aid"), "AGREE")
    assert talks.aux == "future" and codes(talks.actors) == ["QAT", "TUR"]
    done = only(code("Brazil sent troops to the Haiti mission."), "MOBILIZE")
    assert done.aux is None


def test_done_in_cooperation_with_a_partner_is_cooperation(code):
    text = "Moroccan police arrested nine suspects in Tangier in cooperation with Spanish police."
    event = only(code(text), "COOPERATE")
    assert codes(event.actors) == ["MAR"] and codes(event.recipients) == ["ESP"]
    assert event.rule.endswith(">cooperate(partner)")


def test_protests_that_erupt_are_the_protest_of_the_place(code):
    event = only(code("Protests erupted in Lusaka after the fuel price rise."), "PROTEST")
    assert codes(event.actors) == ["ZMB"]


def test_drills_by_one_army_are_a_show_of_force(code):
    event = only(code("North Korea's army staged artillery drills near the border."), "MOBILIZE")
    assert codes(event.actors) == ["PRK"] and event.rule == "cooperate.exercise"


def test_a_vow_of_harm_is_a_threat_and_refusing_to_rule_out_force_too(code):
    assert only(code("Venezuela vowed to seize the oil platforms if Guyana kept drilling."), "THREATEN")
    assert only(code("Serbia refused to rule out military force in the north."), "THREATEN")


def test_civilians_clashing_is_a_riot_but_armies_clashing_is_an_assault(code):
    assert only(code("Students clashed with riot police in Dhaka on Sunday."), "PROTEST").mode == "riot"
    assert only(code("Indian troops clashed with Chinese troops in the Galwan valley."), "ASSAULT")


def test_a_noun_made_from_a_codebook_verb_is_read_like_the_verb(code):
    event = only(code("Slovakia's veto of the EU sanctions package stalled the talks for a week."), "REJECT")
    assert codes(event.actors) == ["SVK"] and codes(event.recipients) == ["EU"]
    assert event.rule.endswith(">nominal")


def test_told_to_leave_is_an_expulsion(code):
    event = only(code("Burkina Faso's junta told the French ambassador to leave the country."), "SANCTION")
    assert codes(event.actors) == ["BFA"]


def test_leaving_an_organisation_is_not_leaving_a_country(code):
    assert only(code("Burundi quit the International Criminal Court in 2017."), "SANCTION")
    assert only(code("Israel pulled its troops out of Gaza in 2005."), "RETREAT")


def test_troops_sent_at_a_government_request_are_aid(code):
    text = "Rwanda deployed 1,000 soldiers to Mozambique at the request of the government in Maputo."
    event = only(code(text), "AID")
    assert codes(event.actors) == ["RWA"] and codes(event.recipients) == ["MOZ"]


def test_sending_people_back_is_coercion(code):
    event = only(code("Pakistani border police sent back 2,000 Afghans on Monday."), "COERCE")
    assert codes(event.actors) == ["PAK"] and codes(event.recipients) == ["AFG"]


def test_a_refusal_answers_whoever_asked_last(code):
    text = ("Norway asked Sweden to reopen the border crossing. Stockholm turned down that request on Monday.")
    refusal = only(code(text), "REJECT")
    assert codes(refusal.actors) == ["SWE"] and codes(refusal.recipients) == ["NOR"]


def test_a_denial_answers_whoever_made_the_claim(code):
    text = ("Ecuador's army said Peruvian troops had crossed the border first. Lima rejected that account.")
    denial = only(code(text), "REJECT")
    assert codes(denial.actors) == ["PER"] and codes(denial.recipients) == ["ECU"]


@pytest.mark.parametrize("text, attribution", [
    ("The Kremlin reported that Russian troops had withdrawn from the village.", None),  # a seat of power speaks
    ("The state-run TASS agency reported that Russia had signed a deal with Iran.", "TASS"),
    ("Xinhua reported that China had signed a trade deal with Brazil.", "Xinhua"),
])
def test_attribution_names_outlets_not_seats_of_power(pipeline, text, attribution):
    from dyad.records import Document

    events = pipeline.extract(Document(id="t", text=text, published="2024-01-01")).events
    assert events and {e.attribution for e in events} == {attribution}


@pytest.mark.parametrize("text, plover_type, mode", [
    ("Ethiopian warplanes struck rebel positions in Tigray on Monday.", "ASSAULT", "heavy-weapons"),
    ("Azerbaijani artillery shelled Armenian villages near the border.", "ASSAULT", "heavy-weapons"),
    ("Al-Shabaab attacked a Somali army base with a car bomb in Mogadishu.", "ASSAULT", "explosives"),
    ("Gunmen shot dead two Nigerian police officers in Kaduna.", "ASSAULT", "firearms"),
    ("Myanmar's junta detained three Thai journalists in Yangon.", "COERCE", "arrest"),
    ("Armenia imposed a blockade on the road into Nakhchivan.", "COERCE", "restrict"),
])
def test_an_entry_without_a_mode_takes_the_mode_its_sentence_shows(code, text, plover_type, mode):
    assert only(code(text), plover_type).mode == mode


def test_the_first_mode_whose_cue_the_sentence_holds_wins(code):
    """A suicide car bomb is a suicide attack before it is explosives (the modes' order in plover.yaml)."""
    event = only(code("Boko Haram attacked a Nigerian army base with a suicide car bomb in Maiduguri."), "ASSAULT")
    assert event.mode == "suicide-attack"


def test_strikes_on_a_chemical_weapons_site_are_air_strikes(code):
    event = only(code("French jets struck a Libyan chemical weapons depot on Monday."), "ASSAULT")
    assert event.mode == "heavy-weapons"


def test_no_cue_no_mode(code):
    assert only(code("Colombian forces attacked a Venezuelan border post on Monday."), "ASSAULT").mode is None


IDIOMS = [  # (sentence, what it means, who, to whom)
    ("Kenya hit back at Uganda's remarks about the border on Tuesday.", "ACCUSE", "KEN", "UGA"),
    ("Peru fired back at Chile over the fishing dispute.", "ACCUSE", "PER", "CHL"),
    ("Bolivia took a swipe at Brazil during the summit.", "ACCUSE", "BOL", "BRA"),
    ("Poland scuppered Hungary's proposal on migrant quotas.", "REJECT", "POL", "HUN"),
    ("Greece gave Turkey the cold shoulder at the summit.", "REJECT", "GRC", "TUR"),
    ("Austria slammed the door on Albania's membership bid.", "REJECT", "AUT", "ALB"),
    ("Norway gave the green light to Estonia's request.", "SUPPORT", "NOR", "EST"),
    ("Vietnam rattled its sabres at China over the reef.", "THREATEN", "VNM", "CHN"),
]


@pytest.mark.parametrize("case", IDIOMS, ids=[c[0][:30] for c in IDIOMS])
def test_an_idiom_is_coded_by_what_it_means(code, case):
    text, meaning, actor, recipient = case
    event = only(code(text), meaning)
    assert event.rule.startswith("idiom.") and parties(event) == ([actor], [recipient])


def test_a_military_riposte_stays_an_assault(code):
    assert only(code("Armenia hit back at Azerbaijan with artillery on Sunday."), "ASSAULT")


@pytest.mark.parametrize("text", [
    "Zambia said Malawi had stabbed it in the back over the copper deal.",
    "Ghana's cocoa exports hit a record high in May.",
])
def test_a_figure_of_speech_made_of_an_event_verb_reports_no_act(code, text):
    assert not [e for e in code(text) if e.type in ("ASSAULT", "ACCUSE")], text


def test_the_place_of_a_meeting_is_where_it_was_held_not_a_party(code):
    """"the talks in Vienna" were held there; "the transfer of power in Senegal" happened to Senegal."""
    assert parties(only(code("Iran rejected the talks in Vienna."), "REJECT")) == (["IRN"], [])
    assert parties(only(code("Ghana hailed the transfer of power in Senegal."), "SUPPORT")) == (["GHA"], ["SEN"])
