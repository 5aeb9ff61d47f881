"""officeholders.yaml: office holders since 2014. Checks the whole file against the other actor data files:
it loads, every office names a known title, state and organisation, dates are ISO and ordered, every office
says where its dates come from, and at least 80 states are covered."""
import re
from pathlib import Path

import pytest
import yaml

ACTORS = Path(__file__).resolve().parents[2] / "src" / "dyad" / "data" / "actors"
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD", "OPP", "REB", "CVL", "BUS", "MED", "EDU", "JRN", "REF"}


def _load(name):
    with open(ACTORS / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def people():
    return _load("officeholders.yaml")


@pytest.fixture(scope="module")
def offices(people):
    return [(person["name"], office) for person in people for office in person["offices"]]


def test_file_is_a_list_of_people_with_offices(people):
    assert isinstance(people, list) and people
    for person in people:
        assert set(person) <= {"name", "aliases", "country", "gender", "offices"}, person
        assert isinstance(person["name"], str) and person["name"].strip(), person
        assert all(isinstance(alias, str) and alias.strip() for alias in person.get("aliases") or []), person
        assert person.get("gender") in (None, "m", "f"), person
        assert person["offices"], person["name"]


def test_names_are_unique(people):
    names = [person["name"] for person in people]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_countries_are_known_states(people):
    states = _load("states.yaml")
    unknown = sorted({p["country"] for p in people if p["country"] not in states})
    assert not unknown


def test_titles_exist_in_titles_yaml(offices):
    known = set(_load("titles.yaml")["offices"])
    unknown = sorted({office["title"] for _, office in offices if office["title"] not in known})
    assert not unknown


def test_office_codes_are_known_bodies_or_states(offices):
    known = set(_load("organizations.yaml")) | set(_load("states.yaml"))  # a state's office held by a foreigner
    unknown = sorted({office["code"] for _, office in offices if "code" in office and office["code"] not in known})
    assert not unknown


def test_offices_have_sector_and_source(offices):
    for name, office in offices:
        assert set(office) <= {"title", "sector", "start", "end", "source", "code"}, (name, office)
        assert office.get("sector") in SECTORS, (name, office)
        assert isinstance(office.get("source"), str) and office["source"].strip(), (name, office)


def test_dates_are_iso_and_ordered(offices):
    for name, office in offices:
        for key in ("start", "end"):
            if key in office:
                assert isinstance(office[key], str) and DATE.match(office[key]), (name, key, office.get(key))
        assert "start" in office, (name, office)
        if "end" in office:
            width = min(len(office["start"]), len(office["end"]))  # compare at the coarser precision
            assert office["start"][:width] <= office["end"][:width], (name, office)


def test_dates_are_not_in_the_future(offices):
    for name, office in offices:
        for key in ("start", "end"):
            assert office.get(key, "") <= "2026-12", (name, office)


def test_at_least_80_states_covered(people):
    national = {person["country"] for person in people for office in person["offices"] if "code" not in office}
    assert len(national) >= 80
