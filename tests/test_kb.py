"""The actor knowledge base: data files, lookups, dated offices, the user's file and the entity ruler."""
import pytest

from dyad import kb as kb_module
from dyad.kb import KnowledgeBase, load_kb, plural_tokens
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
    assert kb.office_holder("RUS", "foreign minister", None).name == "Sergey Lavrov"


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
    with pytest.raises(ValueError, match="not found"):
        load_kb(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("planets: {MARS: {name: Mars}}\n")
    with pytest.raises(ValueError, match="unknown sections"):
        load_kb(str(bad))
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
