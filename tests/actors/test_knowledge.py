"""The actor knowledge base: data files, lookups, dated offices, the user's file and the entity ruler."""
import re

import pytest

from dyad.actors import knowledge as kb_module
from dyad.actors.knowledge import KnowledgeBase, load_kb, plural_tokens
from dyad.datafiles import DataFileError
from dyad.nlp import load_nlp


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_states_cover_un_members_and_extra_entities(kb):
    assert len(kb.states) >= 193
    for code in ("RUS", "IRN", "USA", "GBR", "CHN", "PSE", "TWN", "XKX", "HKG", "SSD", "VAT"):
        assert code in kb.states, code


@pytest.mark.parametrize("text, code, how", [
    ("UK", "GBR", "name"), ("Great Britain", "GBR", "name"), ("the Islamic Republic", "IRN", "name"),
    ("DPRK", "PRK", "name"), ("the Emirates", "ARE", "name"), ("U.S.", "USA", "name"), ("the PRC", "CHN", "name"),
    ("Iranians", "IRN", "demonym"), ("British", "GBR", "demonym"), ("Kyiv", "UKR", "capital"),
    ("Downing Street", "GBR", "capital"), ("Iran’s", "IRN", "name"),
])
def test_state_surfaces(kb, text, code, how):
    entry = kb.lookup(text)
    assert entry is not None and (entry.kind, entry.code, entry.how) == ("state", code, how)


def test_seats_carry_their_sector(kb):
    assert kb.lookup("Pentagon").sector == "MIL"
    assert kb.lookup("Kremlin").sector == "GOV"
    assert kb.lookup("Moscow").sector is None


def test_organisations_and_groups(kb):
    assert (kb.lookup("U.N.").kind, kb.lookup("U.N.").code) == ("organization", "UN")
    assert kb.organizations["ICRC"]["kind"] == "ngo"
    assert kb.lookup("Hizbollah").code == "HEZBOLLAH"
    west = kb.lookup("Western")
    assert (west.kind, west.code, west.how) == ("group", "WST", "demonym")
    assert kb.lookup("Ansar Allah").sector == "REB"


def test_acronyms_are_case_sensitive(kb):
    assert kb.lookup("BRICS").code == "BRICS"
    assert kb.lookup("us") is None


def test_office_holder_follows_dates(kb):
    assert kb.office_holder("RUS", "defence minister", "2024-05-01").name == "Sergei Shoigu"
    assert kb.office_holder("RUS", "minister of defense", "2024-06-01").name == "Andrei Belousov"
    assert kb.office_holder("IRN", "president", "2022-03-10").name == "Ebrahim Raisi"
    assert kb.office_holder("USA", "secretary of state", "2023-01-01").name == "Antony Blinken"


def test_undated_office_needs_a_sole_holder(kb):
    assert kb.office_holder("IRN", "president", None) is None  # several in the KB: cannot tell
    assert kb.office_holder("RUS", "central bank governor", None).name == "Elvira Nabiullina"  # the only one


def test_titles_map_to_offices_and_plurals(kb):
    end, title, plural = kb.match_title("the defense ministers met".split(), 1)
    assert (end, title.office, title.sector, plural) == (3, "defence minister", "MIL", True)
    assert kb.match_title(["army"], 0)[1].kind == "body"
    assert plural_tokens(["minister", "of", "defence"]) == ["ministers", "of", "defence"]
    assert plural_tokens(["spokesman"]) == ["spokesmen"]
    assert plural_tokens(["secretary"]) == ["secretaries"]


USER_YAML = """
people:
  - {name: Ingrid Solberg-Halvorsen, aliases: [Solberg-Halvorsen], country: NOR,
     offices: [{title: foreign minister, sector: GOV, start: "2030-01-01"}]}
groups:
  BLUECOAST: {name: Blue Coast Front, aliases: [BCF], sector: REB}
"""


def test_user_file_extends_the_kb(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text(USER_YAML)
    extended = load_kb(str(path))
    assert extended.lookup("BCF").code == "BLUECOAST"
    assert extended.office_holder("NOR", "foreign minister", "2030-06-01").name == "Ingrid Solberg-Halvorsen"
    assert extended.lookup("Russia").code == "RUS"  # packaged data still there


def test_user_file_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_YAML)
    monkeypatch.setenv("DYAD_ACTORS", str(path))
    load_kb.cache_clear()
    try:
        assert load_kb().lookup("Blue Coast Front").code == "BLUECOAST"
    finally:
        monkeypatch.delenv("DYAD_ACTORS")
        load_kb.cache_clear()


def test_bad_user_files_give_clear_errors(tmp_path):
    with pytest.raises(DataFileError, match="missing.yaml: no such file"):
        load_kb(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("planets: {MARS: {name: Mars}}\n")
    with pytest.raises(DataFileError, match="bad.yaml: unknown key 'planets'"):
        load_kb(str(bad))
    typo = tmp_path / "typo.yaml"
    typo.write_text("people:\n  - {name: Jan Kowal, country: POL, ofices: [{title: president}]}\n")
    with pytest.raises(DataFileError, match=r"typo.yaml: people\[0\] \(Jan Kowal\): unknown key 'ofices'"):
        load_kb(str(typo))
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("groups:\n  ABC: {name: Blue Front, sector: rebels}\n")
    with pytest.raises(DataFileError, match=r"wrong.yaml: groups.ABC.sector"):
        load_kb(str(wrong))
    with pytest.raises(ValueError, match="without a name"):
        KnowledgeBase({**kb_module.packaged_data(), "people": [{"country": "FRA"}]})


def test_entity_ruler_labels_kb_names():
    nlp = load_nlp()
    assert "dyad_actors" in nlp.pipe_names
    assert nlp.pipe_names.index("dyad_actors") < nlp.pipe_names.index("ner")
    doc = nlp("Araghchi flew to Kazan, where BRICS envoys and Chinese officials waited.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("BRICS") == "ORG"
    assert labels.get("Araghchi") == "PERSON"
    assert labels.get("Chinese") == "NORP"


# --- people: breadth and consistency of people.yaml
@pytest.fixture(scope="module")
def people_rows():
    return kb_module.packaged_data()["people"]


def test_people_have_unique_names_and_ordered_dates(people_rows):
    slugs = [kb_module.slugify(row["name"]) for row in people_rows]
    assert len(slugs) == len(set(slugs)), "a person appears twice; extend the entry instead"
    date = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
    for row in people_rows:
        for office in row["offices"]:
            start, end = office.get("start"), office.get("end")
            assert all(d is None or date.match(str(d)) for d in (start, end)), row["name"]
            assert start is None or end is None or str(start) <= str(end), row["name"]


def test_people_avoid_ambiguous_bare_aliases(kb):
    for word in ("Lee", "Kim", "Khan", "Ali", "Said", "Castro", "Gandhi", "Bush", "Sharif", "Marcos", "Begin", "May"):
        entry = kb.lookup(word)
        assert entry is None or entry.kind != "person", word


@pytest.mark.parametrize("code, office, date, name", [
    ("HUN", "prime minister", "2020-06-01", "Viktor Orbán"),
    ("BRA", "president", "2008-06-01", "Luiz Inácio Lula da Silva"),
    ("BRA", "president", "2020-06-01", "Jair Bolsonaro"),
    ("ZWE", "president", "2010-01-01", "Robert Mugabe"),
    ("GBR", "prime minister", "1985-01-01", "Margaret Thatcher"),
    ("DEU", "chancellor", "1995-01-01", "Helmut Kohl"),
    ("ETH", "prime minister", "2021-01-01", "Abiy Ahmed"),
    ("SUN", "general secretary", "1987-01-01", "Mikhail Gorbachev"),
    ("WHO", "director-general", "2021-01-01", "Tedros Adhanom Ghebreyesus"),
    ("UN", "secretary general", "2010-01-01", "Ban Ki-moon"),
    ("JPN", "defense minister", "2020-01-01", "Taro Kono"),
])
def test_office_holders_across_states_eras_and_bodies(kb, code, office, date, name):
    holder = kb.office_holder(code, office, date)
    assert holder is not None and holder.name == name


@pytest.mark.parametrize("alias, name", [
    ("Lula", "Luiz Inácio Lula da Silva"), ("Orban", "Viktor Orbán"), ("Sisi", "Abdel Fattah el-Sisi"),
    ("Erdoğan", "Recep Tayyip Erdogan"), ("Marcos Jr.", "Ferdinand Marcos Jr."), ("Gaddafi", "Muammar Gaddafi"),
])
def test_people_aliases(kb, alias, name):
    entry = kb.lookup(alias)
    assert entry is not None and entry.kind == "person" and kb.person(entry.code).name == name


def test_igo_office_gives_the_body_code_while_held(kb):
    lagarde = kb.person(kb.lookup("Christine Lagarde").code)
    assert lagarde.office_on("2015-01-01").code == "IMF"
    assert lagarde.office_on("2005-01-01") is None


def test_a_later_source_closes_an_open_term_and_keeps_earlier_terms():
    older = [{"name": "Ana Lopes", "aliases": ["Lopes"], "country": "PRT",
              "offices": [{"title": "president", "start": "2006-03-09", "end": "2011-03-09"},
                          {"title": "president", "start": "2021-03-09"}]}]
    newer = [{"name": "Ana Lopes", "aliases": ["A. Lopes"], "country": "PRT",
              "offices": [{"title": "president", "start": "2021-03-09", "end": "2026-03-09", "source": "x"}]}]
    (merged,) = kb_module.merge_people(older, newer)
    assert sorted((o["start"], o.get("end")) for o in merged["offices"]) == [
        ("2006-03-09", "2011-03-09"), ("2021-03-09", "2026-03-09")]
    assert merged["aliases"] == ["Lopes", "A. Lopes"]


def test_a_successors_later_start_ends_an_open_term():
    data = {**kb_module.packaged_data(), "people": [
        {"name": "Old Holder", "country": "ATA", "offices": [{"title": "president", "start": "2001-01-01"}]},
        {"name": "New Holder", "country": "ATA", "offices": [{"title": "president", "start": "2020-01-01"}]}]}
    kb = KnowledgeBase(data)
    assert kb.office_holder("ATA", "president", "2022-05-01").name == "New Holder"
    assert kb.office_holder("ATA", "president", "2010-05-01").name == "Old Holder"


def test_one_knowledge_base_whatever_the_form_of_the_call():
    # load_kb() and load_kb("default") were two cache entries: the KB was built twice per process and its
    # case-insensitive name table rebuilt each time the two alternated (a fifth of extraction time)
    assert load_kb() is load_kb("default") is load_kb(key="default")
    kb = load_kb()
    assert kb._case_insensitive is kb._case_insensitive
    assert kb.lookup("united arab emirates").code == kb.lookup("United Arab Emirates").code == "ARE"


def test_the_islamic_state_as_british_and_wire_outlets_write_it():
    kb = load_kb()
    for name in ("Isis", "ISIS", "Isil", "Daesh", "Islamic State group"):
        assert kb.lookup(name).code == "ISIL", name
    assert kb.lookup("isis") is None  # aliases are matched case-sensitively: a one-word lower-case name is not one
