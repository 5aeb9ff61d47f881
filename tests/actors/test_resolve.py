"""resolve_actor and `dyad resolve`: named actors at a date, spellings, bodies, generic phrases, context."""
import json

import pytest
from typer.testing import CliRunner

from dyad.actors.resolve import Resolution, resolve_actor
from dyad.actors.sectors import phrase_sector


@pytest.mark.parametrize("phrase, date, code, sector", [
    ("Vladimir Putin", "2010-01-01", "RUS", "GOV"),
    ("Sergei Shoigu", "2020-01-01", "RUS", "MIL"),  # dated office: defence minister then
    ("Sergei Shoigu", "2025-01-01", "RUS", "GOV"),  # and security council secretary later
    ("Kassym Jomart Tokayev", "2022-01-06", "KAZ", "GOV"),
    ("Kenyan police", None, "KEN", "COP"),
    ("students in Dhaka", None, "BGD", "EDU"),
    ("Golani Brigade", None, "ISR", "MIL"),
    ("Mossad", None, "ISR", "SPY"),
])
def test_resolves_state_and_sector(phrase, date, code, sector):
    found = resolve_actor(phrase, date)
    assert (found.code, found.sector) == (code, sector), found.why


def test_spellings_resolve_to_the_same_actor():
    ids = {resolve_actor(p, "2021-01-01").actor_id for p in
           ("Kassym-Jomart Tokayev", "Kassym Jomart Tokayev", "KASSYM-JOMART TOKAYEV")}
    assert len(ids) == 1 and None not in ids


@pytest.mark.parametrize("phrase, sector", [
    ("a team of heavily armed police", "COP"), ("relatives", "CVL"), ("ordinary citizens", "CVL"),
    ("a national intelligence officer", "SPY"), ("army officers", "MIL"), ("thousands of demonstrators", "CVL"),
])
def test_sector_only_phrases(phrase, sector):
    found = resolve_actor(phrase)
    assert (found.code, found.sector, found.kind) == (None, sector, "generic")


def test_generic_phrase_without_agent_noun_has_no_sector():
    assert phrase_sector("a blue table") is None
    found = resolve_actor("a blue table")
    assert (found.code, found.sector) == (None, None)


def test_unknown_capitalised_name_is_not_read_as_agent_nouns():
    assert resolve_actor("Zorblat Gang").sector is None  # a name ending in a noun is not a gang


def test_context_gives_the_state_a_phrase_lacks():
    found = resolve_actor("police", context="Police in Nairobi fired tear gas at marchers.")
    assert (found.code, found.sector) == ("KEN", "COP")
    assert "context" in found.why
    assert resolve_actor("police").code is None


def test_office_without_a_name_is_its_holder_at_the_date():
    found = resolve_actor("NATO Secretary-General", "2020-01-01")
    assert (found.code, found.sector, found.kind) == ("NATO", "GOV", "person")
    assert found.name == "Jens Stoltenberg" and "on 2020-01-01" in found.why


@pytest.mark.parametrize("phrase, code, sector", [
    ("Saudi-led coalition", "SAU", None), ("Iran-backed militias", "IRN", "REB"),
    ("Department of Criminal Investigation", None, "COP"), ("Chinese coast guard vessels", "CHN", "MIL"),
    ("Quorvan Party", None, "PTY"), ("a Hamas commander", "HAMAS", "REB"), ("Sinaloa cartel gunmen", "MEX", "CRM"),
])
def test_generic_structures(phrase, code, sector):
    found = resolve_actor(phrase)
    assert (found.code, found.sector) == (code, sector), found.why


def test_loose_spelling_is_for_names_not_generic_phrases():
    assert resolve_actor("Argentine unions").sector == "LAB"  # not the loose key of "Argentinians"


def test_title_with_demonym_and_unknown_name():
    found = resolve_actor("Australian Defence Minister Zed Quorrin", "2023-01-01")
    assert (found.code, found.sector, found.kind) == ("AUS", "MIL", "person")


@pytest.mark.parametrize("text, date", [("", None), ("   ", None), ("Putin", "2020-13-01"), ("Putin", "yesterday")])
def test_bad_input_is_a_clear_error(text, date):
    with pytest.raises(ValueError, match="resolve_actor"):
        resolve_actor(text, date)


def test_resolution_is_plain_data():
    found = resolve_actor("BJP")
    assert isinstance(found, Resolution)
    assert set(found.as_dict()) == {"code", "sector", "name", "actor_id", "kind", "why"}
    assert (found.code, found.sector) == ("IND", "PTY")


def test_cli_json_and_error():
    from dyad.cli import _register, app

    _register()
    runner = CliRunner()
    result = runner.invoke(app, ["resolve", "Kenyan police", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["code"] == "KEN"
    result = runner.invoke(app, ["resolve", "Putin", "--date", "2020-99-99"])
    assert result.exit_code == 1
