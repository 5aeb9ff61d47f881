"""The Phoenix converter on a small fixture written for this test (not a copy of the dictionaries)."""
import json

import pytest

from dyad.actors import phoenix
from dyad.actors.index import ActorIndex, normalise_name

COUNTRIES = """\
# a comment line
NORWAY_  [NOR]
+NORWEGIAN_
+OSLO_

JANE_QUILL_  # an invented minister
+J._QUILL_
\t[NORGOVMIL 150102-190630]
\t[NORGOV >190701]
\t[NORELI]
OLD_TIMER_
\t[NORGOV 850101-901231]
"""
INTERNATIONAL = """\
UNITED_NATIONS_ [IGOUNO]
PAT_ROWAN_\t[IGOUNO 170101-211231] [ELI]# invented officer
"""
MILNONSTATE = """\
BLUE_COAST_ARMY_ [NORREB] # invented
+BCA_

ISLAND_FRONT_ [IMGSEAMUS] # invented: an armed group also coded Muslim
"""
AGENTS = """\
!PERSON! = MAN, MEN
RIOT_POLICE {} [~COP]
FISHER!PERSON! [~AGR]
CLERGY [~REL]
PEACEKEEPING_TROOPS {} [IGO~]
"""


@pytest.fixture()
def compiled(tmp_path):
    for name, text in zip(phoenix.ACTOR_FILES, (COUNTRIES, INTERNATIONAL, MILNONSTATE)):
        (tmp_path / name).write_text(text)
    (tmp_path / phoenix.AGENT_FILE).write_text(AGENTS)
    (tmp_path / "LICENSE").write_text("MIT licence text\n")
    out = tmp_path / "out"
    assert phoenix.main([str(tmp_path), "-o", str(out)]) == 0
    return json.loads((out / "actors.json").read_text()), out


def _entry(data, name):
    index = ActorIndex(data, [])
    found = index.find(name)
    assert found, name
    return found[0]


def test_people_get_dated_roles_as_state_and_plover_sector(compiled):
    data, _ = compiled
    quill = _entry(data, "Jane Quill")
    roles = {(r.code, r.sector, r.start, r.end) for r in quill.roles}
    assert ("NOR", "MIL", "2015-01-02", "2019-06-30") in roles  # GOVMIL: a defence post is MIL
    assert ("NOR", "GOV", "2019-07-01", None) in roles
    assert quill.kind == "person"
    assert quill.role_on("2017-03-01")[0].sector == "MIL"
    assert quill.role_on("2020-03-01")[0].sector == "GOV"
    assert _entry(data, "J. Quill").name == quill.name  # aliases point at the same entry


def test_two_digit_years_before_the_pivot_are_last_century(compiled):
    data, _ = compiled
    role = _entry(data, "Old Timer").roles[0]
    assert (role.start, role.end) == ("1985-01-01", "1990-12-31")


def test_states_igos_groups_and_their_officers(compiled):
    data, _ = compiled
    assert _entry(data, "Oslo").roles[0].code == "NOR"
    un = _entry(data, "United Nations")
    assert (un.kind, un.roles[0].code) == ("organization", "UN")
    officer = _entry(data, "Pat Rowan")
    assert ("UN", "GOV", "2017-01-01", "2021-12-31") in {(r.code, r.sector, r.start, r.end) for r in officer.roles}
    group = _entry(data, "BCA")
    assert (group.roles[0].code, group.roles[0].sector) == ("NOR", "REB")
    armed = _entry(data, "Island Front")  # a religious identity part does not turn an armed group into REL
    assert (armed.kind, armed.roles[0].code, armed.roles[0].sector) == ("group", None, "REB")


def test_agent_nouns_with_sets_and_plurals(compiled):
    data, _ = compiled
    index = ActorIndex(data, [])
    assert index.agent("riot police") == ("COP", None)
    assert index.agent("fishermen") == ("AGR", None)  # !PERSON! set expanded
    assert index.agent("clergies") == ("REL", None)  # regular plural added by rule
    assert index.agent("peacekeeping troops") == ("IGO", None)
    assert index.agent("bakers") is None


def test_a_set_naming_itself_ends(tmp_path):
    reader = phoenix.CodeReader({"roles": {"COP": "COP"}}, set())
    agents = phoenix.read_agents("!LOOP! = X!LOOP!, COP\nWORD!LOOP! [~COP]\n", reader)
    assert "wordcop" in agents  # the finite spellings are kept, the endless one dropped


def test_licence_is_copied_with_the_data(compiled):
    _, out = compiled
    assert (out / "LICENSE").read_text() == "MIT licence text\n"


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert phoenix.main([str(tmp_path / "nope"), "-o", str(tmp_path / "out")]) == 1
    assert "not a folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_compiled_keys_are_what_lookup_computes():
    """The packaged index was keyed by the same normalise_name lookups use (spot check on its first keys)."""
    from dyad.actors.index import load_index

    index = load_index()
    for key in list(index.exact)[:200]:
        assert normalise_name(key) == key


@pytest.mark.parametrize("a, b", [
    ("Kassym-Jomart Tokayev", "Kassym Jomart Tokayev"), ("Abdel Fattah al-Sisi", "Abdel Fattah El-Sisi"),
    ("Félix Tshisekedi", "Felix Tshisekedi"), ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
])
def test_spellings_share_the_exact_key(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize("a, b", [
    ("Kassym-Jomart Tokayev", "Kasymzhomart Tokayev"), ("Mohammed bin Salman", "Muhammad bin Salman"),
    ("Ilham Aliyev", "Ilham Aliev"), ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
])
def test_transliterations_share_the_loose_key(a, b):
    assert normalise_name(a, loose=True) == normalise_name(b, loose=True) != ""
